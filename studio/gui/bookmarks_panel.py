"""The latent explorer's bookmarks: keep the current z (with its class or codes and ψ) under a name,
click one to see it again, save and load them (core.bookmarks), and copy the `gan-studio sample`
line that reproduces the picture.

The box edits the explorer through its public methods (edited_z, set_z, set_code, psi…); the
explorer embeds it in its side column and tells it when the model changes (`on_model`).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (QFileDialog, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QPushButton, QVBoxLayout, QWidget)

from ..core.atomic import WriteError
from ..core.bookmarks import (Bookmark, beside_checkpoint, default_bookmarks_path, load_bookmarks, sample_command,
                              save_bookmarks, save_z_rows, z_file_for)
from ..core.codes import CodeError
from ..core.latent import seeded_z
from ..core.readers import DataError
from .latent_codes import code_name

LIST_ROWS = 5  # rows the list shows before it scrolls: the side column stays compact
COMMAND_OUT = "image.png"


class BookmarksBox(QGroupBox):
    """Named latents of `explorer` (a LatentExplorer): add, restore on click, delete, save / load as
    JSON or .npy, and copy the command line that reproduces the picture shown."""

    def __init__(self, explorer: QWidget):
        super().__init__(self.tr("Bookmarks"), explorer)
        self.explorer = explorer
        self.marks: list[Bookmark] = []
        self.last_command = ""
        layout = QVBoxLayout(self)
        add_row = QHBoxLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("name (optional)"))
        self.name.returnPressed.connect(self.add)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setToolTip(self.tr("Keep the current z, its class or codes and ψ under this name"))
        self.add_button.clicked.connect(self.add)
        add_row.addWidget(self.name, 1)
        add_row.addWidget(self.add_button)
        layout.addLayout(add_row)
        self.list = QListWidget()
        self.list.setToolTip(self.tr("Click a bookmark to see its picture again"))
        self.list.setMaximumHeight(self.list.fontMetrics().height() * LIST_ROWS + 12)
        self.list.itemClicked.connect(lambda item: self.restore(self.list.row(item)))
        layout.addWidget(self.list)
        grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, tip, slot, cell in (
                ("delete", self.tr("Delete"), self.tr("Forget the selected bookmark"), self._delete_selected,
                 (0, 0, 1, 1)),
                ("save", self.tr("Save…"), self.tr("Save the bookmarks as JSON (by default beside the checkpoint)"),
                 self.save, (0, 1, 1, 1)),
                ("load", self.tr("Load…"), self.tr("Load bookmarks from a JSON file, replacing these"), self.load,
                 (0, 2, 1, 1)),
                ("npy", self.tr("Save z .npy…"), self.tr("Save each bookmark's latent (ψ applied) as one row of a "
                                                         ".npy, for `gan-studio sample CKPT --z FILE.npy`"),
                 self.save_npy, (1, 0, 1, 1)),
                ("copy", self.tr("Copy as command"),
                 self.tr("Copy the `gan-studio sample` line that makes the picture shown"), self.copy_command,
                 (1, 1, 1, 2))):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            grid.addWidget(button, *cell)
            self.buttons[key] = button
        layout.addLayout(grid)
        self.status = QLabel("")  # what the last action did: the command copied, a file's problem…
        self.status.setWordWrap(True)
        self.status.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        layout.addWidget(self.status)
        self._refresh()

    def set_enabled(self, on: bool) -> None:
        for widget in (self.add_button, self.name, self.buttons["copy"], self.buttons["load"]):
            widget.setEnabled(on)

    def _say(self, text: str) -> None:
        """A line under the buttons, and the window's status bar."""
        self.status.setText(text)
        self.status.setVisible(bool(text))
        if text:
            self.explorer.message.emit(" ".join(text.split("\n")))

    # -- the list ------------------------------------------------------------------
    def current(self, name: str = "") -> Bookmark:
        """The explorer's latent as a bookmark: z moved along the directions, codes, ψ, seed, checkpoint."""
        e = self.explorer
        codes = {k: float(v) for k, v in e.code_group.choices.items()} if e.code_group.codes else {}
        checkpoint = str(e.checkpoint) if e.checkpoint is not None else None
        return Bookmark(name or f"#{len(self.marks) + 1}", e.edited_z(), codes, e.psi.value(), e.z_seed(), checkpoint)

    @Slot()
    def add(self, name: str = "") -> Bookmark | None:
        if self.explorer.config is None:
            return None
        mark = self.current(name or self.name.text().strip())
        self.marks.append(mark)
        self.name.clear()
        self._refresh()
        return mark

    def restore(self, index: int) -> bool:
        """Show bookmark `index` again: its z, class or codes and ψ (directions back to 0)."""
        e = self.explorer
        if not 0 <= index < len(self.marks) or e.config is None:
            return False
        mark = self.marks[index]
        try:
            e.code_group.codes.encode(mark.codes)  # names and values this model has, before any is chosen
        except CodeError as exc:
            self._say(f"{mark.name}: {exc}")
            return False
        e.code_group.blockSignals(True)  # one frame below, with everything set
        for slot in e.code_group.codes.slots:  # a code the bookmark does not name is neutral, as in `sample`
            e.set_code(slot.name, mark.codes.get(slot.name, 0))
        e.code_group.blockSignals(False)
        seeded = mark.seed is not None and np.array_equal(seeded_z(e.config, mark.seed)[0], mark.z)
        e.set_z(mark.z, seed=mark.seed if seeded else None)  # a file's seed is believed only where it holds
        e.psi.set_value(mark.psi)
        e.request_frame()
        e.request_strip()
        self._say("")
        return True

    def delete(self, index: int) -> None:
        if 0 <= index < len(self.marks):
            del self.marks[index]
            self._refresh()

    def _delete_selected(self) -> None:
        self.delete(self.list.currentRow())

    def _refresh(self) -> None:
        self.list.clear()
        self.list.addItems([self.describe(mark) for mark in self.marks])
        for key in ("delete", "save", "npy"):
            self.buttons[key].setEnabled(bool(self.marks))

    def describe(self, mark: Bookmark) -> str:
        """One line for the list, as Bookmark.describe in the window's language: "#2 · seed 42 · class 3 · ψ 0.70"."""
        parts = [mark.name] + ([self.tr("seed {seed}").format(seed=mark.seed)] if mark.seed is not None else [])
        parts += [f"{code_name(name)} {value:g}" for name, value in mark.codes.items()]
        return " · ".join(parts + ([f"ψ {mark.psi:.2f}"] if mark.psi != 1.0 else []))

    @Slot()
    def on_model(self) -> None:
        """A new generator: load the bookmarks file beside its checkpoint if there is one; drop
        bookmarks whose z does not fit it."""
        checkpoint = self.explorer.checkpoint
        default = default_bookmarks_path(checkpoint) if checkpoint is not None else None
        if default is not None and default.exists():
            self.load(default)
        elif self.marks and len(self.marks[0].z) != len(self.explorer.z):
            self.marks = []
            self._refresh()

    # -- files ---------------------------------------------------------------------
    def _default_path(self, suffix: str = ".bookmarks.json") -> Path:
        """`<checkpoint stem><suffix>` beside the checkpoint (for a live run its latest one, else here)."""
        checkpoint, _ = self.explorer.command_checkpoint()
        return beside_checkpoint(checkpoint, suffix) if checkpoint else Path.cwd() / f"latents{suffix}"

    def _write_error(self, exc: WriteError) -> str:
        return self.tr("Could not write {path}: {reason}").format(path=exc.filename, reason=exc.strerror)

    def _ask(self, title: str, default: Path, kind: str, saving: bool) -> str:
        ask = QFileDialog.getSaveFileName if saving else QFileDialog.getOpenFileName
        return ask(self, title, str(default), kind)[0]

    def save(self, path: str | Path | None = None) -> Path | None:
        """Save the bookmarks as JSON (asked where, beside the checkpoint by default)."""
        path = path or self._ask(self.tr("Save bookmarks"), self._default_path(), self.tr("Bookmarks (*.json)"), True)
        if not path:
            return None
        try:
            saved = save_bookmarks(path, self.marks, len(self.explorer.z))
        except WriteError as exc:
            self._say(self._write_error(exc))
            return None
        self._say(self.tr("{n} bookmarks saved: {path}").format(n=len(self.marks), path=saved))
        return saved

    def load(self, path: str | Path | None = None) -> bool:
        """Replace the bookmarks by a JSON file's; a malformed file or one for another z is named and refused."""
        path = path or self._ask(self.tr("Load bookmarks"), self._default_path(), self.tr("Bookmarks (*.json)"), False)
        if not path:
            return False
        try:
            self.marks = load_bookmarks(path, len(self.explorer.z))
        except DataError as exc:
            self._say(str(exc))
            return False
        self._refresh()
        self._say(self.tr("{n} bookmarks loaded from {path}").format(n=len(self.marks), path=path))
        return True

    def save_npy(self, path: str | Path | None = None) -> Path | None:
        """Each bookmark's latent (ψ applied) as a row of a float32 .npy, for `sample --z`."""
        if not self.marks:
            return None
        path = path or self._ask(self.tr("Save latents"), self._default_path(".z.npy"), self.tr("NumPy arrays (*.npy)"),
                                 True)
        if not path:
            return None
        try:
            saved = save_z_rows(path, np.stack([mark.latent() for mark in self.marks]))
        except WriteError as exc:
            self._say(self._write_error(exc))
            return None
        self._say(self.tr("{n} latents saved: {path}").format(n=len(self.marks), path=saved))
        return saved

    # -- the command -----------------------------------------------------------------
    def copy_command(self, out: str = COMMAND_OUT) -> str | None:
        """Put on the clipboard the `gan-studio sample` line that makes the picture shown: `--seed S`
        while z is a seed's, else `--z FILE.npy` (z written beside the checkpoint first)."""
        e = self.explorer
        if e.config is None:
            return None
        checkpoint, note = e.command_checkpoint()
        if checkpoint is None:
            self._say(note)
            return None
        mark = self.current()
        z_file = None
        if mark.seed is None:
            try:
                z_file = save_z_rows(z_file_for(checkpoint, mark.z), mark.z)
            except WriteError as exc:
                self._say(self._write_error(exc))
                return None
        self.last_command = sample_command(checkpoint, out, e.code_group.codes, mark.codes, mark.psi, z_file,
                                           mark.seed)
        QGuiApplication.clipboard().setText(self.last_command)
        self._say(self.tr("Copied: {command}").format(command=self.last_command) + (f"\n{note}" if note else ""))
        return self.last_command
