"""Checkpoints: the run library's runs and, for the selected run, its checkpoints with thumbnails.

The panel lists and manages files (note, export, delete, import, compare); what needs the
trainer (resume, branch, open in the explorer, save now) goes to the window as signals.
Every failure shows in the banner at the top, never as a traceback.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, SignalInstance, Slot
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QFileDialog, QGridLayout, QHBoxLayout, QInputDialog,
                               QLabel, QLineEdit, QMessageBox, QPushButton, QSpinBox, QSplitter, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from ..core.checkpoint_meta import CheckpointInfo, delete_checkpoint, list_run_checkpoints, set_note
from ..core.checkpoints import CheckpointError
from ..core.export import export_checkpoint
from ..core.library import RunLibrary
from .engine_texts import engine_message
from .library_compare import CompareDialog
from .library_tables import CheckpointTable, RunTable

ERROR_STYLE = "background: #fdecea; color: #a50e0e; border: 1px solid #d93025; border-radius: 4px; padding: 6px;"
INFO_STYLE = "background: #e8f0fe; color: #174ea6; border: 1px solid #8ab4f8; border-radius: 4px; padding: 6px;"


class LibraryPanel(QWidget):
    """Choose a checkpoint among a run's (by its samples, metrics, note) and say what to do with it."""

    resume_requested = Signal(str)  # checkpoint path
    branch_requested = Signal(str)
    explore_requested = Signal(str)
    save_requested = Signal(str)  # note
    keep_last_changed = Signal(int)
    compare_runs_requested = Signal(list)  # run folders (str), two or more

    def __init__(self, library: RunLibrary, parent: QWidget | None = None):
        super().__init__(parent)
        self.library = library
        self.current_run: Path | None = None
        self.compare_dialog: CompareDialog | None = None

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
        self.compare_runs_button = QPushButton(self.tr("Compare runs"))
        self.compare_runs_button.setToolTip(self.tr("curves, differing settings and samples of the selected runs "
                                                    "side by side (Ctrl+click to select several)"))
        self.compare_runs_button.clicked.connect(self.compare_runs_selected)
        top.addWidget(self.compare_runs_button)
        top.addWidget(QLabel(self.tr("keep last")))
        self.keep_spin = QSpinBox()
        self.keep_spin.setRange(1, 1000)
        self.keep_spin.setToolTip(self.tr("autosaves keep this many recent checkpoints, plus the best and any with "
                                          "a note"))
        self.keep_spin.setValue(library.keep_last)
        self.keep_spin.valueChanged.connect(self._on_keep_last)
        top.addWidget(self.keep_spin)
        layout.addLayout(top)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.runs = RunTable()
        self.runs.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # several to compare
        self.runs.currentItemChanged.connect(self._on_run_selected)
        self.runs.itemSelectionChanged.connect(self._update_buttons)
        splitter.addWidget(self.runs)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        self.run_title = QLabel(self.tr("Select a run"))
        self.run_title.setStyleSheet("font-weight: bold; font-size: 12pt;")
        filters.addWidget(self.run_title, 1)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("filter: step or note"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._apply_filter)
        filters.addWidget(self.filter_edit)
        self.kept_only = QCheckBox(self.tr("best and noted only"))
        self.kept_only.toggled.connect(self._apply_filter)
        filters.addWidget(self.kept_only)
        lower_layout.addLayout(filters)

        self.table = CheckpointTable()
        self.table.unreadable.connect(self.show_error)
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
                ("resume", self.tr("▶ Resume from here"), self.tr("continue this run from the checkpoint (its step "
                 "and metric history go on)"), lambda: self._hand_over(self.resume_requested)),
                ("branch", self.tr("Branch…"), self.tr("a new run from this checkpoint with settings you edit first; "
                 "the new run records its parent"), lambda: self._hand_over(self.branch_requested)),
                ("explore", self.tr("Open in explorer"), self.tr("open the generator in the latent explorer"),
                 lambda: self._hand_over(self.explore_requested)),
                ("compare", self.tr("Compare two"), self.tr("samples and metrics of two selected checkpoints side by "
                                                            "side"), self.compare_selected),
                ("note", self.tr("Note…"), self.tr("write a note on the checkpoint (noted checkpoints are never "
                                                   "pruned)"), self.ask_note),
                ("export", self.tr("Export…"), self.tr("copy the checkpoint file elsewhere"), self.ask_export),
                ("delete", self.tr("Delete…"), self.tr("delete the selected checkpoints"), self.ask_delete),
                ("import", self.tr("Import…"), self.tr("copy a checkpoint file into the library as a new run"),
                 self.ask_import),
                ("save", self.tr("Save now…"), self.tr("save a checkpoint of the active run, with an optional note"),
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
        self.refresh()

    @property
    def checkpoints(self) -> list[CheckpointInfo]:
        """The selected run's checkpoints, oldest first, as listed (and described) so far."""
        return self.table.checkpoints

    # -- messages --------------------------------------------------------------
    @Slot(str)
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
        self.folder_label.setText(self.tr("Library: {folder}").format(folder=self.library.root))
        wanted = Path(select).resolve() if select else (self.current_run.resolve() if self.current_run else None)
        try:
            runs = self.library.runs()
        except OSError as exc:
            runs = []
            self.show_error(self.tr("Cannot read the library folder {folder}: {error}")
                            .format(folder=self.library.root, error=exc.strerror or exc))
        self._show_run(self.runs.show_runs(runs, wanted))

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _on_run_selected(self, current, _previous) -> None:
        self._show_run(self.runs.run_path(current))

    def select_run(self, run_dir: str | Path) -> None:
        self.refresh(select=run_dir)

    def _show_run(self, run_dir: Path | None) -> None:
        self.current_run = run_dir
        checkpoints = list_run_checkpoints(run_dir) if run_dir else []
        self.run_title.setText(self.tr("{run}: {n} checkpoints").format(run=run_dir.name, n=len(checkpoints))
                               if run_dir else self.tr("No runs yet: start one, or Import a checkpoint"))
        # describing writes sidecar files beside the checkpoint: never in another process's run
        self.table.show_checkpoints(checkpoints, describe=not self.showing_read_only)
        self._update_buttons()

    @Slot()
    def _apply_filter(self) -> None:
        self.table.set_filter(self.filter_edit.text(), self.kept_only.isChecked())

    def visible_steps(self) -> list[int]:
        return self.table.visible_steps()

    # -- selection -------------------------------------------------------------
    def selected_paths(self) -> list[Path]:
        return self.table.selected_paths()

    def selected_infos(self) -> list[CheckpointInfo]:
        return self.table.selected_infos()

    def select_checkpoints(self, *paths: str | Path) -> None:
        self.table.select_paths(*paths)

    def set_explore_available(self, available: bool) -> None:
        self.explore_available = available
        self.buttons["explore"].setToolTip(self.tr("open the generator in the latent explorer") if available
                                           else self.tr("the latent explorer is not part of this build"))
        self._update_buttons()

    def set_read_only(self, run_dir: str | Path | None) -> None:
        """Mark a run (an attached one) as another process's: no thumbnails written, no resume, note,
        delete or compare there; branch, explore and export read it only."""
        self.read_only_run = Path(run_dir).resolve() if run_dir else None
        self.show_info(self.tr("{run} is attached read-only (another process writes it): no thumbnails or notes "
                               "are written there. Branch… or Open in explorer from a checkpoint.")
                       .format(run=self.read_only_run.name) if run_dir else "")
        self._show_run(self.current_run)

    @Slot(str, object)
    def set_picture(self, path: str, picture) -> None:
        """A thumbnail (uint8 grey or RGB array) for a checkpoint whose folder must not be written to."""
        self.table.set_picture(path, picture)

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
        self.compare_runs_button.setEnabled(len(self.selected_runs()) >= 2)

    def selected_runs(self) -> list[Path]:
        return [self.runs.run_path(item) for item in self.runs.selectedItems()]

    @Slot()
    def compare_runs_selected(self) -> None:
        runs = self.selected_runs()
        if len(runs) < 2:
            self.show_error(self.tr("Select two or more runs to compare (Ctrl+click in the list of runs)"))
            return
        self.compare_runs_requested.emit([str(path) for path in runs])

    def _single(self) -> Path | None:
        paths = self.selected_paths()
        if len(paths) != 1:
            self.show_error(self.tr("Select one checkpoint first"))
            return None
        return paths[0]

    # -- actions handed to the window ------------------------------------------------
    def _hand_over(self, request: SignalInstance) -> None:
        """Emit `request` with the one selected checkpoint: resuming, branching, exploring need the trainer."""
        if (path := self._single()) is not None:
            request.emit(str(path))

    @Slot()
    def ask_save(self) -> None:
        note, ok = QInputDialog.getText(self, self.tr("Save now"), self.tr("Note for this checkpoint (optional):"))
        if ok:
            self.save_requested.emit(note.strip())

    @Slot(int)
    def _on_keep_last(self, k: int) -> None:
        try:
            self.library.set_keep_last(k)
        except OSError as exc:
            self.show_error(self.tr("Cannot write the library settings: {error}").format(error=exc.strerror or exc))
            return
        self.keep_last_changed.emit(k)

    # -- file actions (the dialogs ask; the methods after them do) -----------------------
    @Slot()
    def compare_selected(self) -> CompareDialog | None:
        infos = self.selected_infos()
        if len(infos) != 2:
            self.show_error(self.tr("Select two checkpoints to compare (Ctrl+click)"))
            return None
        return self.compare(*sorted(infos, key=lambda c: c.step))

    def compare(self, first: CheckpointInfo, second: CheckpointInfo) -> CompareDialog | None:
        try:
            dialog = CompareDialog(first, second, self)
        except CheckpointError as exc:
            self.show_error(engine_message(str(exc)))
            return None
        self.compare_dialog = dialog
        dialog.show()
        return dialog

    @Slot()
    def ask_note(self) -> None:
        if self.showing_read_only:
            self.show_error(self.tr("This run is attached read-only: it belongs to the process that writes it"))
            return
        if (path := self._single()) is None:
            return
        info = next(c for c in self.checkpoints if c.path == path)
        note, ok = QInputDialog.getText(self, self.tr("Note"), self.tr("Note for step {step}:")
                                        .format(step=f"{info.step:,}"), text=info.note)
        if ok:
            self.write_note(path, note.strip())

    def write_note(self, path: str | Path, note: str) -> None:
        try:
            set_note(path, note)
        except OSError as exc:
            self.show_error(self.tr("Cannot write the note: {error}").format(error=exc.strerror or exc))
            return
        self._show_run(self.current_run)

    @Slot()
    def ask_export(self) -> None:
        if (path := self._single()) is None:
            return
        dest, _ = QFileDialog.getSaveFileName(self, self.tr("Export checkpoint"), str(Path.home() / path.name),
                                              self.tr("GAN Studio checkpoints (*.pt)"))
        if dest:
            self.export(path, dest)

    def export(self, path: str | Path, dest: str | Path) -> bool:
        try:
            export_checkpoint(path, dest)
        except OSError as exc:
            self.show_error(self.tr("Could not export to {path}: {error}").format(path=dest, error=exc.strerror or exc))
            return False
        self.show_info(self.tr("Exported step {step} to {path}").format(
            step=Path(path).stem.split('-')[-1].lstrip('0') or '0', path=dest))
        return True

    @Slot()
    def ask_delete(self) -> None:
        paths = self.selected_paths()
        if not paths:
            return
        answer = QMessageBox.question(self, self.tr("Delete checkpoints"), self.tr(
            "Delete {n} checkpoint(s) of {run}? This cannot be undone.").format(n=len(paths),
                                                                               run=paths[0].parent.parent.name))
        if answer == QMessageBox.StandardButton.Yes:
            self.delete(paths)

    def delete(self, paths: list[str | Path]) -> None:
        for path in paths:
            try:
                delete_checkpoint(path)
            except OSError as exc:
                self.show_error(self.tr("Could not delete {path}: {error}").format(path=path,
                                                                                   error=exc.strerror or exc))
                break
        self.refresh()

    @Slot()
    def ask_import(self) -> None:
        source, _ = QFileDialog.getOpenFileName(self, self.tr("Import checkpoint"), str(Path.home()),
                                                self.tr("GAN Studio checkpoints (*.pt);;All files (*)"))
        if source:
            self.import_file(source)

    def import_file(self, source: str | Path) -> Path | None:
        """A new run holding the file; a corrupt, unsafe or foreign file is refused with a message."""
        try:
            run_dir = self.library.import_checkpoint(source)
        except CheckpointError as exc:
            self.show_error(self.tr("Not imported: {error}").format(error=exc))
            return None
        except OSError as exc:
            self.show_error(self.tr("Not imported: {path}: {error}").format(path=source, error=exc.strerror or exc))
            return None
        self.show_info(self.tr("Imported {file} as run {run}").format(file=Path(source).name, run=run_dir.name))
        self.refresh(select=run_dir)
        return run_dir

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def hideEvent(self, event) -> None:
        self.table.stop_describing()
        super().hideEvent(event)
