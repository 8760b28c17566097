"""The main window's run library actions: resume or branch from a checkpoint, open or add a run
folder, choose the library folder, save with a note, explore a checkpoint."""
from __future__ import annotations

import re
import time
from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QFileDialog

from ..core.checkpoint_meta import list_run_checkpoints
from ..core.checkpoints import CheckpointError, check_checkpoint
from ..core.config import Config, ConfigError
from ..core.library import RunLibrary, is_run_dir
from ..core.run import RunDirectory
from ..core.run_folder import RunFolderError, WriterLock
from .attach_view import metric_columns
from .engine_texts import engine_message
from .run_compare_view import RunCompareView


class LibraryActions(QObject):
    """Acts on `window.library` through the window's Checkpoints panel; holds a reference to the window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.pending_start: dict | None = None  # a resume or branch waiting for Start
        panel = window.checkpoints
        panel.keep_last_changed.connect(window.controller.set_keep_last)
        panel.resume_requested.connect(self.resume_from)
        panel.branch_requested.connect(self.branch_from)
        panel.explore_requested.connect(self.explore_checkpoint)
        panel.save_requested.connect(self.save_now)
        panel.compare_runs_requested.connect(self.compare_runs)
        self.comparisons: list[RunCompareView] = []  # open comparison windows (they close with the window)
        panel.set_explore_available(True)
        window.controller.set_keep_last(window.library.keep_last)
        window.feed.run_ready.connect(self._on_run_ready)
        window.settings_panel.preset_changed.connect(self.cancel_pending)

    def install_menu(self, menu_bar) -> None:
        """The Library menu: the Checkpoints panel's commands and these actions."""
        panel, window = self.window.checkpoints, self.window
        menu = menu_bar.addMenu(self.tr("&Library"))
        for text, shortcut, slot in ((self.tr("Save now with a note…"), "Ctrl+Shift+S", panel.ask_save),
                                     (self.tr("Import checkpoint…"), "Ctrl+I", panel.ask_import),
                                     (self.tr("Add a run folder (from gan-studio train --out)…"), None,
                                      self.ask_add_run),
                                     (self.tr("Runs library folder…"), None, self.ask_library_folder),
                                     (self.tr("Compare selected runs"), None, panel.compare_runs_selected),
                                     (self.tr("Open sweep…"), None, self.ask_open_sweep),
                                     (self.tr("Show checkpoints"), None, window.show_checkpoints)):
            window.add_action(text, shortcut, slot, menu)

    def show_error(self, text: str) -> None:
        self.window.checkpoints.show_error(text)
        self.window.show_checkpoints()
        self.window.statusBar().showMessage(text, 15000)

    @Slot(str)
    def save_now(self, note: str = "") -> None:
        """A checkpoint of the active run now, with an optional note (noted ones are never pruned)."""
        if not self.window.controller.active:
            self.window.checkpoints.show_error(self.tr("No active run to save: start or resume one first"))
            return
        self.window.controller.save_with_note(note)

    def _checked(self, path: str | Path, config: Config | None = None):
        """(state, config) of a checkpoint that fits, or None after showing why not."""
        if self.window.controller.active:
            self.show_error(self.tr("A run is active: Stop it first (one run trains at a time)"))
            return None
        try:
            return check_checkpoint(path, config)
        except CheckpointError as exc:
            self.show_error(engine_message(str(exc)))
            return None

    @Slot(str)
    def resume_from(self, path: str | Path, paused: bool = False) -> bool:
        """Continue the checkpoint's run from its step, with its history; from an earlier checkpoint
        than the run's latest, continue in a new run with the same settings (later ones stay intact)."""
        window = self.window
        path = Path(path)
        checked = self._checked(path)
        if checked is None:
            return False
        state, config = checked
        step = int(state["step"])
        if step >= config.train.steps:  # the run had reached its total: give it as many steps again
            config = config.updated({"train.steps": step + config.train.steps})
        later = [c for c in list_run_checkpoints(path.parent.parent) if c.step > step]
        window.settings_panel.set_config(config)
        self.pending_start = {"kind": "branch" if later else "resume", "path": path, "step": step,
                              "state": state, "same_settings": True}
        if not window.run_commands.begin_run(paused=paused):
            return False
        if paused:
            window.controls.set_state("paused", can_start=True)
        where = self.tr("a new run (step {step} is not the latest of its run)").format(step=f"{step:,}") if later \
            else window.run_dir.name
        window.statusBar().showMessage(self.tr("Resumed step {step} of {run} into {where}").format(
            step=f"{step:,}", run=path.parent.parent.name, where=where) +
            (self.tr(": press Space or Resume to train") if paused else ""), 15000)
        return True

    @Slot(str)
    def branch_from(self, path: str | Path) -> bool:
        """Load the checkpoint's settings into the form; Start then trains a new run that records its parent."""
        window = self.window
        window.detach()  # the branch is a run of this window's own
        path = Path(path)
        checked = self._checked(path)
        if checked is None:
            return False
        state, config = checked
        window.settings_panel.set_config(config)
        self.pending_start = {"kind": "branch", "path": path, "step": int(state["step"]), "state": state}
        text = self.tr("Branch from {run} at step {step}: edit the settings (live and loss/optimiser fields; "
                       "the architecture must stay), then press Start").format(run=path.parent.parent.name,
                                                                               step=f"{int(state['step']):,}")
        window.checkpoints.show_info(text)
        window.samples.set_hint(text)
        window.statusBar().showMessage(text, 15000)
        return True

    @Slot()
    @Slot(str)
    def cancel_pending(self, *_args) -> None:
        if self.pending_start is not None and not self.window.controller.active:
            self.pending_start = None
            self.window.checkpoints.show_info("")

    def new_run_dir(self) -> Path:
        base = self.window.runs_root / \
            f"{self.window.settings_panel.preset() or 'custom'}-{time.strftime('%Y%m%d-%H%M%S')}"
        path, n = base, 2
        while path.exists():
            path, n = Path(f"{base}-{n}"), n + 1
        return path

    def run_target(self, config: Config):
        """(run directory, checkpoint to resume or None) for a new run, or a resume or branch waiting for Start."""
        window = self.window
        pending, self.pending_start = self.pending_start, None
        if pending is None:
            return self.new_run_dir(), None
        path, step, state = pending["path"], pending["step"], pending["state"]
        if not pending.get("same_settings") and self._checked(path, config) is None:
            return None
        try:
            if pending["kind"] == "resume":
                run_dir = path.parent.parent
            else:
                name = re.sub(r"-\d{8}-\d{6}(-\d+)?$", "", path.parent.parent.name)
                run_dir = window.library.create_branch(path, config, name=f"{name}-branch")
        except (CheckpointError, OSError) as exc:
            self.show_error(self.tr("Could not branch: {error}").format(error=exc))
            return None
        rows = [row for row in RunDirectory(run_dir).read_metrics() if row.get("step", 0) <= step]
        window.feed.show_history(metric_columns(rows) if rows else {}, step, float(state.get("elapsed", 0.0)))
        window.checkpoints.show_info("")
        return run_dir, {"path": str(path), "state": state}

    @Slot(str)
    def explore_checkpoint(self, path: str) -> None:
        try:
            self.window.open_in_explorer(str(path))
        except CheckpointError as exc:
            self.show_error(engine_message(str(exc)))

    def open_run(self, run_dir: str | Path, paused: bool = True) -> bool:
        """Show a run (adding it to the library) and load its latest checkpoint, ready to resume or explore."""
        window = self.window
        run_dir = Path(run_dir)
        if not is_run_dir(run_dir):
            self.show_error(self.tr("{folder} is not a run directory (no checkpoints/ or config.json)")
                            .format(folder=run_dir))
            return False
        try:
            window.library.add_run(run_dir)
        except OSError as exc:
            window.statusBar().showMessage(self.tr("Could not add {folder} to the library: {error}")
                                           .format(folder=run_dir, error=exc), 15000)
        window.checkpoints.select_run(run_dir)
        window.show_checkpoints()
        if window.run_dir is None or run_dir.resolve() != Path(window.run_dir).resolve():
            try:  # before the latest checkpoint is picked: a writer elsewhere would replace it any moment
                WriterLock(run_dir).check_free()
            except RunFolderError as exc:
                window.run_commands.show_failure(engine_message(str(exc)))
                return False
        listed = list_run_checkpoints(run_dir)
        if not listed:
            self.show_error(self.tr("{run} has no checkpoint yet").format(run=run_dir.name))
            return False
        return self.resume_from(listed[-1].path, paused=paused)

    @Slot()
    def ask_add_run(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("Add a run folder"), str(Path.cwd()))
        if folder:
            try:
                self.window.library.add_run(folder)
            except OSError as exc:
                self.show_error(str(exc))
                return
            self.window.checkpoints.select_run(folder)

    @Slot(list)
    def compare_runs(self, paths: list[str]) -> RunCompareView | None:
        """A window comparing run folders (or one sweep folder's results); it follows runs still training."""
        try:
            window = RunCompareView(paths, parent=self.window)
        except (ConfigError, OSError) as exc:
            self.show_error(self.tr("Cannot compare: {error}").format(error=exc))
            return None
        self.comparisons.append(window)
        window.show()
        return window

    @Slot()
    def ask_open_sweep(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("Open a sweep folder (gan-studio sweep --out)"),
                                                  str(Path.cwd()))
        if folder:
            self.compare_runs([folder])

    @Slot()
    def ask_library_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("Runs library folder"),
                                                  str(self.window.runs_root))
        if folder:
            self.set_runs_root(folder)

    def set_runs_root(self, folder: str | Path) -> None:
        """New runs go to `folder` from now on (remembered); the active run stays where it is."""
        window = self.window
        window.runs_root = Path(folder)
        window.library = RunLibrary(window.runs_root)
        window.checkpoints.set_library(window.library)
        window.controller.set_keep_last(window.library.keep_last)
        window.qsettings.setValue("runs_root", str(window.runs_root))
        window.statusBar().showMessage(self.tr("Runs are saved under {folder}").format(folder=window.runs_root))

    @Slot(object)
    def _on_run_ready(self, info: dict) -> None:
        if info.get("run_dir") and self.window.attachment is None:
            self.window.checkpoints.select_run(info["run_dir"])
