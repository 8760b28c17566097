"""Checkpoints: the run library's runs and, for the selected run, its checkpoints with thumbnails.

The panel lists and manages files (note, export, delete, import, compare); what needs the
trainer (resume, branch, open in the explorer, save now) goes to the window as signals.
Every failure shows in the banner at the top, never as a traceback.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QGridLayout,
                               QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QMessageBox,
                               QPushButton, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from ..core.checkpoints import CheckpointError
from ..core.library import (CheckpointInfo, RunLibrary, delete_checkpoint, describe_checkpoint_file,
                            export_checkpoint, list_run_checkpoints, set_note)

ICON_SIZE = 88
ERROR_STYLE = "background: #fdecea; color: #a50e0e; border: 1px solid #d93025; border-radius: 4px; padding: 6px;"
INFO_STYLE = "background: #e8f0fe; color: #174ea6; border: 1px solid #8ab4f8; border-radius: 4px; padding: 6px;"
CHECKPOINT_COLUMNS = ("Samples", "Step", "Saved", "Note", "Modes", "D loss", "G loss")
METRIC_NAMES = {"modes": "modes captured", "hq": "high-quality share", "reverse_kl": "reverse KL",
                "loss_d": "D loss", "loss_g": "G loss", "d_real": "D(x) real", "d_fake": "D(G(z)) fake",
                "grad_norm_d": "‖∇D‖", "grad_norm_g": "‖∇G‖", "wasserstein": "W estimate"}


def format_time(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))


def format_value(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


class SortItem(QTreeWidgetItem):
    """Sorts by the value stored in UserRole (numbers as numbers), else by text."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        column = self.treeWidget().sortColumn() if self.treeWidget() else 0
        mine, theirs = self.data(column, Qt.ItemDataRole.UserRole), other.data(column, Qt.ItemDataRole.UserRole)
        if mine is not None and theirs is not None:
            try:
                return mine < theirs
            except TypeError:
                pass
        return self.text(column) < other.text(column)


def picture_of(info: CheckpointInfo) -> QPixmap | None:
    """The checkpoint's thumbnail, written from its file first if it has none."""
    if info.thumbnail is None:
        describe_checkpoint_file(info.path)
        info.thumbnail = info.path.with_suffix(".png")
    image = QImage(str(info.thumbnail))
    return None if image.isNull() else QPixmap.fromImage(image)


class CompareDialog(QDialog):
    """Two checkpoints side by side: their samples (fixed noise) and every metric saved with them."""

    def __init__(self, first: CheckpointInfo, second: CheckpointInfo, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Compare step {first.step:,} and step {second.step:,}")
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.images: list[QLabel] = []
        for column, info in enumerate((first, second)):
            title = QLabel(f"{info.path.parent.parent.name}\nstep {info.step:,}" +
                           (f" — {info.note}" if info.note else "") + ("  ★ best" if info.best else ""))
            title.setAlignment(Qt.AlignmentFlag.AlignCenter)
            title.setStyleSheet("font-size: 12pt; font-weight: bold;")
            title.setWordWrap(True)
            image = QLabel()
            image.setAlignment(Qt.AlignmentFlag.AlignCenter)
            image.setMinimumSize(360, 360)
            pixmap = picture_of(info)
            if pixmap is not None:
                image.setPixmap(pixmap.scaled(360, 360, Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation))
            grid.addWidget(title, 0, column)
            grid.addWidget(image, 1, column)
            self.images.append(image)
        layout.addLayout(grid)
        names = list(dict.fromkeys([*first.metrics, *second.metrics]))
        names = sorted((n for n in names if n != "total_modes"),
                       key=lambda n: list(METRIC_NAMES).index(n) if n in METRIC_NAMES else len(METRIC_NAMES))
        self.table = QTableWidget(len(names), 2)
        self.table.setHorizontalHeaderLabels([f"step {first.step:,}", f"step {second.step:,}"])
        self.table.setVerticalHeaderLabels([METRIC_NAMES.get(n, n) for n in names])
        for row, name in enumerate(names):
            for column, info in enumerate((first, second)):
                text = info.modes if name == "modes" and info.modes else format_value(info.metrics.get(name, "–"))
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 760)


class LibraryPanel(QWidget):
    resume_requested = Signal(str)  # checkpoint path
    branch_requested = Signal(str)
    explore_requested = Signal(str)
    save_requested = Signal(str)  # note
    keep_last_changed = Signal(int)

    def __init__(self, library: RunLibrary, parent: QWidget | None = None):
        super().__init__(parent)
        self.library = library
        self.current_run: Path | None = None
        self.checkpoints: list[CheckpointInfo] = []
        self.compare_dialog: CompareDialog | None = None
        self._pending_describe: list[Path] = []
        self._describe_timer = QTimer(self)
        self._describe_timer.setInterval(0)
        self._describe_timer.timeout.connect(self._describe_next)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()
        layout.addWidget(self.banner)

        top = QHBoxLayout()
        self.folder_label = QLabel()
        self.folder_label.setStyleSheet("color: #555;")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.folder_label, 1)
        top.addWidget(QLabel("keep last"))
        self.keep_spin = QSpinBox()
        self.keep_spin.setRange(1, 1000)
        self.keep_spin.setToolTip("autosaves keep this many recent checkpoints, plus the best and any with a note")
        self.keep_spin.setValue(library.keep_last)
        self.keep_spin.valueChanged.connect(self._on_keep_last)
        top.addWidget(self.keep_spin)
        layout.addLayout(top)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.runs = QTreeWidget()
        self.runs.setHeaderLabels(["Run", "Data", "Checkpoints", "Last step", "Started", "Parent"])
        self.runs.setRootIsDecorated(False)
        self.runs.setSortingEnabled(True)
        self.runs.sortByColumn(4, Qt.SortOrder.DescendingOrder)
        self.runs.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.runs.header().setStretchLastSection(False)
        self.runs.currentItemChanged.connect(self._on_run_selected)
        splitter.addWidget(self.runs)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        self.run_title = QLabel("Select a run")
        self.run_title.setStyleSheet("font-weight: bold; font-size: 12pt;")
        filters.addWidget(self.run_title, 1)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("filter: step or note")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._apply_filter)
        filters.addWidget(self.filter_edit)
        self.kept_only = QCheckBox("best and noted only")
        self.kept_only.toggled.connect(self._apply_filter)
        filters.addWidget(self.kept_only)
        lower_layout.addLayout(filters)

        self.table = QTreeWidget()
        self.table.setHeaderLabels(list(CHECKPOINT_COLUMNS))
        self.table.setRootIsDecorated(False)
        self.table.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, ICON_SIZE + 12)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda *_: self.ask_note())
        lower_layout.addWidget(self.table, 1)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)

        actions = QGridLayout()
        actions.setSpacing(4)
        self.buttons: dict[str, QPushButton] = {}
        for index, (key, text, tip, slot) in enumerate((
                ("resume", "▶ Resume from here", "continue this run from the checkpoint (its step and "
                 "metric history go on)", self._resume),
                ("branch", "Branch…", "a new run from this checkpoint with settings you edit first; "
                 "the new run records its parent", self._branch),
                ("explore", "Open in explorer", "open the generator in the latent explorer", self._explore),
                ("compare", "Compare two", "samples and metrics of two selected checkpoints side by side",
                 self.compare_selected),
                ("note", "Note…", "write a note on the checkpoint (noted checkpoints are never pruned)",
                 self.ask_note),
                ("export", "Export…", "copy the checkpoint file elsewhere", self.ask_export),
                ("delete", "Delete…", "delete the selected checkpoints", self.ask_delete),
                ("import", "Import…", "copy a checkpoint file into the library as a new run", self.ask_import),
                ("save", "Save now…", "save a checkpoint of the active run, with an optional note",
                 self.ask_save))):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            actions.addWidget(button, index // 3, index % 3)
            self.buttons[key] = button
        layout.addLayout(actions)
        self.explore_available = False
        self.run_active = False
        self.read_only_run: Path | None = None  # an attached run: never written to from here
        self._pictures: dict[str, QIcon] = {}  # thumbnails held in memory for checkpoints of read-only runs
        self.refresh()

    # -- messages --------------------------------------------------------------
    def show_error(self, text: str) -> None:
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def show_info(self, text: str) -> None:
        self.banner.setStyleSheet(INFO_STYLE)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    # -- listing -----------------------------------------------------------------
    def set_library(self, library: RunLibrary) -> None:
        self.library = library
        self.keep_spin.blockSignals(True)
        self.keep_spin.setValue(library.keep_last)
        self.keep_spin.blockSignals(False)
        self.current_run = None
        self.refresh()

    @Slot()
    def refresh(self, select: str | Path | None = None) -> None:
        """Re-read the runs (and the selected run's checkpoints) from disk."""
        self.folder_label.setText(f"Library: {self.library.root}")
        wanted = Path(select).resolve() if select else (self.current_run.resolve() if self.current_run else None)
        self.runs.blockSignals(True)
        self.runs.setSortingEnabled(False)
        self.runs.clear()
        chosen = None
        try:
            runs = self.library.runs()
        except OSError as exc:
            runs = []
            self.show_error(f"Cannot read the library folder {self.library.root}: {exc.strerror or exc}")
        for run in runs:
            parent = f"{Path(run.parent['run']).name} @ {run.parent.get('step', 0):,}" if run.parent else ""
            item = SortItem([run.name + ("  (linked)" if run.linked else ""), run.data, str(run.checkpoints),
                             f"{run.last_step:,}", format_time(run.created), parent])
            item.setData(0, Qt.ItemDataRole.UserRole + 1, str(run.path))
            for column, value in ((2, run.checkpoints), (3, run.last_step), (4, run.created)):
                item.setData(column, Qt.ItemDataRole.UserRole, value)
            item.setToolTip(0, str(run.path))
            self.runs.addTopLevelItem(item)
            if wanted is not None and run.path.resolve() == wanted:
                chosen = item
        self.runs.setSortingEnabled(True)
        for column in range(1, 6):
            self.runs.resizeColumnToContents(column)
        if chosen is None and self.runs.topLevelItemCount():
            chosen = self.runs.topLevelItem(0)
        self.runs.setCurrentItem(chosen)
        self.runs.blockSignals(False)
        self._show_run(Path(chosen.data(0, Qt.ItemDataRole.UserRole + 1)) if chosen else None)

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_run_selected(self, current, _previous) -> None:
        self._show_run(Path(current.data(0, Qt.ItemDataRole.UserRole + 1)) if current else None)

    def select_run(self, run_dir: str | Path) -> None:
        self.refresh(select=run_dir)

    def _show_run(self, run_dir: Path | None) -> None:
        selected = {str(p) for p in self.selected_paths()}
        self.current_run = run_dir
        self.table.setSortingEnabled(False)
        self.table.clear()
        self.checkpoints = list_run_checkpoints(run_dir) if run_dir else []
        self.run_title.setText(f"{run_dir.name}: {len(self.checkpoints)} checkpoints" if run_dir
                               else "No runs yet: start one, or Import a checkpoint")
        self._pending_describe = []
        read_only = self.showing_read_only
        for info in self.checkpoints:
            item = self._checkpoint_item(info)
            self.table.addTopLevelItem(item)
            if str(info.path) in selected:
                item.setSelected(True)
            if not info.described and not read_only:  # describing writes sidecar files beside the checkpoint
                self._pending_describe.append(info.path)
        self.table.setSortingEnabled(True)
        if self._pending_describe:
            self._describe_timer.start()
        self._apply_filter()
        self._update_buttons()

    def _checkpoint_item(self, info: CheckpointInfo) -> SortItem:
        loss_d, loss_g = info.metrics.get("loss_d"), info.metrics.get("loss_g")
        item = SortItem(["", f"{info.step:,}" + ("  ★" if info.best else ""), format_time(info.saved_at),
                         info.note, info.modes,
                         "" if loss_d is None else f"{loss_d:.3f}", "" if loss_g is None else f"{loss_g:.3f}"])
        item.setData(0, Qt.ItemDataRole.UserRole + 1, str(info.path))
        for column, value in ((0, info.step), (1, info.step), (2, info.saved_at),
                              (4, list(info.score) if info.score else [-1]),
                              (5, loss_d if loss_d is not None else float("inf")),
                              (6, loss_g if loss_g is not None else float("inf"))):
            item.setData(column, Qt.ItemDataRole.UserRole, value)
        if info.thumbnail is not None:
            item.setIcon(0, QIcon(str(info.thumbnail)))
        elif str(info.path) in self._pictures:
            item.setIcon(0, self._pictures[str(info.path)])
        item.setSizeHint(0, QSize(ICON_SIZE + 8, ICON_SIZE + 8))
        tip = [f"{info.path}"] + [f"{METRIC_NAMES.get(k, k)}: {format_value(v)}" for k, v in info.metrics.items()
                                  if k != "total_modes"]
        if info.best:
            tip.append("★ best checkpoint of the run (kept by pruning)")
        for column in range(len(CHECKPOINT_COLUMNS)):
            item.setToolTip(column, "\n".join(tip))
        return item

    @Slot()
    def _describe_next(self) -> None:
        """Write a thumbnail for one checkpoint that has none (one per event-loop turn)."""
        if not self._pending_describe:
            self._describe_timer.stop()
            return
        path = self._pending_describe.pop(0)
        try:
            describe_checkpoint_file(path)
        except CheckpointError as exc:
            self._mark_unreadable(path, str(exc))
        except OSError as exc:
            self._mark_unreadable(path, f"{path}: {exc.strerror or exc}")
        else:
            self._replace_item(path)

    def _items(self) -> list[QTreeWidgetItem]:
        return [self.table.topLevelItem(i) for i in range(self.table.topLevelItemCount())]

    def _item_for(self, path: Path) -> QTreeWidgetItem | None:
        return next((it for it in self._items() if it.data(0, Qt.ItemDataRole.UserRole + 1) == str(path)), None)

    def _replace_item(self, path: Path) -> None:
        fresh = next((c for c in list_run_checkpoints(path.parent.parent) if c.path == path), None)
        old = self._item_for(path)
        if fresh is None or old is None:
            return
        self.checkpoints = [fresh if c.path == path else c for c in self.checkpoints]
        new = self._checkpoint_item(fresh)
        index = self.table.indexOfTopLevelItem(old)
        selected = old.isSelected()
        self.table.takeTopLevelItem(index)
        self.table.insertTopLevelItem(index, new)
        new.setSelected(selected)
        self._apply_filter()

    def _mark_unreadable(self, path: Path, message: str) -> None:
        item = self._item_for(path)
        if item is not None:
            item.setText(3, "⚠ unreadable")
            for column in range(len(CHECKPOINT_COLUMNS)):
                item.setToolTip(column, message)
        self.show_error(message)

    @Slot()
    def _apply_filter(self) -> None:
        text = self.filter_edit.text().strip().lower()
        kept = self.kept_only.isChecked()
        by_path = {str(c.path): c for c in self.checkpoints}
        for item in self._items():
            info = by_path.get(item.data(0, Qt.ItemDataRole.UserRole + 1))
            visible = info is not None
            if info is not None and text:
                visible = text in str(info.step) or text in f"{info.step:,}" or text in info.note.lower()
            if info is not None and kept:
                visible = visible and (info.best or bool(info.note))
            item.setHidden(not visible)

    def visible_steps(self) -> list[int]:
        by_path = {str(c.path): c for c in self.checkpoints}
        return [by_path[it.data(0, Qt.ItemDataRole.UserRole + 1)].step for it in self._items() if not it.isHidden()]

    # -- selection -------------------------------------------------------------
    def selected_paths(self) -> list[Path]:
        return [Path(it.data(0, Qt.ItemDataRole.UserRole + 1)) for it in self.table.selectedItems()]

    def selected_infos(self) -> list[CheckpointInfo]:
        paths = set(self.selected_paths())
        return [c for c in self.checkpoints if c.path in paths]

    def select_checkpoints(self, *paths: str | Path) -> None:
        wanted = {str(Path(p)) for p in paths}
        self.table.clearSelection()
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole + 1) in wanted:
                item.setSelected(True)

    def set_explore_available(self, available: bool) -> None:
        self.explore_available = available
        self.buttons["explore"].setToolTip("open the generator in the latent explorer" if available
                                           else "the latent explorer is not part of this build")
        self._update_buttons()

    def set_read_only(self, run_dir: str | Path | None) -> None:
        """Mark a run (an attached one) as another process's: no thumbnails written, no resume, note,
        delete or compare there; branch, explore and export read it only."""
        self.read_only_run = Path(run_dir).resolve() if run_dir else None
        self.show_info(f"{self.read_only_run.name} is attached read-only (another process writes it): no "
                       "thumbnails or notes are written there. Branch… or Open in explorer from a checkpoint."
                       if run_dir else "")
        self._show_run(self.current_run)

    @Slot(str, object)
    def set_picture(self, path: str, picture) -> None:
        """A thumbnail (uint8 grey or RGB array) for a checkpoint whose folder must not be written to."""
        picture = np.ascontiguousarray(picture)
        grey = picture.ndim == 2
        image = QImage(picture.data, picture.shape[1], picture.shape[0], picture.strides[0],
                       QImage.Format.Format_Grayscale8 if grey else QImage.Format.Format_RGB888).copy()
        self._pictures[str(path)] = QIcon(QPixmap.fromImage(image))
        item = self._item_for(Path(path))
        if item is not None:
            item.setIcon(0, self._pictures[str(path)])

    @property
    def showing_read_only(self) -> bool:
        return self.read_only_run is not None and self.current_run is not None and \
            self.current_run.resolve() == self.read_only_run

    def set_run_active(self, active: bool) -> None:
        self.run_active = active
        self._update_buttons()

    @Slot()
    def _update_buttons(self) -> None:
        n = len(self.table.selectedItems())
        writable = not self.showing_read_only
        self.buttons["resume"].setEnabled(n == 1 and not self.run_active and writable)
        self.buttons["branch"].setEnabled(n == 1 and not self.run_active)
        self.buttons["explore"].setEnabled(n == 1 and self.explore_available)
        self.buttons["compare"].setEnabled(n == 2 and writable)
        self.buttons["note"].setEnabled(n == 1 and writable)
        self.buttons["export"].setEnabled(n == 1)
        self.buttons["delete"].setEnabled(n >= 1 and writable)
        self.buttons["save"].setEnabled(self.run_active)

    def _single(self) -> Path | None:
        paths = self.selected_paths()
        if len(paths) != 1:
            self.show_error("Select one checkpoint first")
            return None
        return paths[0]

    # -- actions handed to the window ------------------------------------------------
    @Slot()
    def _resume(self) -> None:
        if (path := self._single()) is not None:
            self.resume_requested.emit(str(path))

    @Slot()
    def _branch(self) -> None:
        if (path := self._single()) is not None:
            self.branch_requested.emit(str(path))

    @Slot()
    def _explore(self) -> None:
        if (path := self._single()) is not None:
            self.explore_requested.emit(str(path))

    @Slot()
    def ask_save(self) -> None:
        note, ok = QInputDialog.getText(self, "Save now", "Note for this checkpoint (optional):")
        if ok:
            self.save_requested.emit(note.strip())

    @Slot(int)
    def _on_keep_last(self, k: int) -> None:
        try:
            self.library.set_keep_last(k)
        except OSError as exc:
            self.show_error(f"Cannot write the library settings: {exc.strerror or exc}")
            return
        self.keep_last_changed.emit(k)

    # -- file actions (the dialogs ask; the methods after them do) -----------------------
    @Slot()
    def compare_selected(self) -> CompareDialog | None:
        infos = self.selected_infos()
        if len(infos) != 2:
            self.show_error("Select two checkpoints to compare (Ctrl+click)")
            return None
        return self.compare(*sorted(infos, key=lambda c: c.step))

    def compare(self, first: CheckpointInfo, second: CheckpointInfo) -> CompareDialog | None:
        try:
            dialog = CompareDialog(first, second, self)
        except CheckpointError as exc:
            self.show_error(str(exc))
            return None
        self.compare_dialog = dialog
        dialog.show()
        return dialog

    @Slot()
    def ask_note(self) -> None:
        if self.showing_read_only:
            self.show_error("This run is attached read-only: it belongs to the process that writes it")
            return
        if (path := self._single()) is None:
            return
        info = next(c for c in self.checkpoints if c.path == path)
        note, ok = QInputDialog.getText(self, "Note", f"Note for step {info.step:,}:", text=info.note)
        if ok:
            self.write_note(path, note.strip())

    def write_note(self, path: str | Path, note: str) -> None:
        try:
            set_note(path, note)
        except OSError as exc:
            self.show_error(f"Cannot write the note: {exc.strerror or exc}")
            return
        self._show_run(self.current_run)

    @Slot()
    def ask_export(self) -> None:
        if (path := self._single()) is None:
            return
        dest, _ = QFileDialog.getSaveFileName(self, "Export checkpoint", str(Path.home() / path.name),
                                              "GAN Studio checkpoints (*.pt)")
        if dest:
            self.export(path, dest)

    def export(self, path: str | Path, dest: str | Path) -> bool:
        try:
            export_checkpoint(path, dest)
        except OSError as exc:
            self.show_error(f"Could not export to {dest}: {exc.strerror or exc}")
            return False
        self.show_info(f"Exported step {Path(path).stem.split('-')[-1].lstrip('0') or '0'} to {dest}")
        return True

    @Slot()
    def ask_delete(self) -> None:
        paths = self.selected_paths()
        if not paths:
            return
        answer = QMessageBox.question(self, "Delete checkpoints",
                                      f"Delete {len(paths)} checkpoint(s) of {paths[0].parent.parent.name}? "
                                      f"This cannot be undone.")
        if answer == QMessageBox.StandardButton.Yes:
            self.delete(paths)

    def delete(self, paths: list[str | Path]) -> None:
        for path in paths:
            try:
                delete_checkpoint(path)
            except OSError as exc:
                self.show_error(f"Could not delete {path}: {exc.strerror or exc}")
                break
        self.refresh()

    @Slot()
    def ask_import(self) -> None:
        source, _ = QFileDialog.getOpenFileName(self, "Import checkpoint", str(Path.home()),
                                                "GAN Studio checkpoints (*.pt);;All files (*)")
        if source:
            self.import_file(source)

    def import_file(self, source: str | Path) -> Path | None:
        """A new run holding the file; a corrupt, unsafe or foreign file is refused with a message."""
        try:
            run_dir = self.library.import_checkpoint(source)
        except CheckpointError as exc:
            self.show_error(f"Not imported: {exc}")
            return None
        except OSError as exc:
            self.show_error(f"Not imported: {source}: {exc.strerror or exc}")
            return None
        self.show_info(f"Imported {Path(source).name} as run {run_dir.name}")
        self.refresh(select=run_dir)
        return run_dir

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def hideEvent(self, event) -> None:
        self._describe_timer.stop()
        super().hideEvent(event)
