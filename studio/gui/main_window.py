"""The studio window: dockable Settings, Controls, Plots and Samples panels around one trainer thread."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import torch
from PySide6.QtCore import QByteArray, QSettings, QStandardPaths, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QWidget

from ..core.config import Config
from ..core.library import RunLibrary
from ..core.coverage import fix_partner
from ..core.presets import preset_names
from ..core.run import set_cpu_threads
from ..core.trainer import Trainer
from .library_panel import LibraryPanel
from .controls_panel import ControlsPanel
from .coverage_panel import EVAL_INTERVAL_S, CoveragePanel
from .exports import install_export_menu
from .latent_panel import LatentPanel
from .plots_panel import PlotsPanel
from .presenter import NotesDock, PresenterMode
from .samples_panel import SamplesPanel
from .config_panel import ConfigPanel
from .worker import TrainerController

ORGANISATION, APPLICATION = "GAN Studio", "gan-studio"
DEFAULT_PRESET = "ring-fixed"  # trains in seconds on a CPU, needs no download
LAYOUT_VERSION = 1
DEFAULT_SIZE = (1600, 1000)


def default_runs_root() -> Path:
    """The run library under the user's data folder (QStandardPaths.AppDataLocation), unless changed in settings."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "runs" if base else Path.home() / "gan-studio" / "runs"


class MainWindow(QMainWindow):
    """`settings` (window state only) and `runs_root` may be given so tests touch nothing of the user's."""

    def __init__(self, preset: str | None = None, settings: QSettings | None = None,
                 runs_root: str | Path | None = None,
                 trainer_factory: Callable[[Config], Trainer] = Trainer, parent: QWidget | None = None):
        super().__init__(parent)
        self.qsettings = settings if settings is not None else QSettings(ORGANISATION, APPLICATION)
        self.runs_root = Path(runs_root) if runs_root else \
            Path(self.qsettings.value("runs_root", "") or default_runs_root())
        self.trainer_factory = trainer_factory
        self._torch_threads = torch.get_num_threads()
        set_cpu_threads(1)  # leave a core to the GUI thread
        self.run_dir: Path | None = None
        self.last_checkpoint: str = ""
        self.last_error: str = ""
        self._discard = False  # drop output still queued from a run being reset
        self._closing = False
        self.counters: tuple[int, float, float] = (0, 0.0, 0.0)  # step, elapsed, steps/s
        self.attachment = None  # a RunAttachment while following another process's run
        self._attached_evals: list[dict] = []  # checkpoints' digits waiting for the coverage evaluator, in step order

        self.setWindowTitle("GAN Studio")
        self.settings_panel = ConfigPanel()
        self.controls = ControlsPanel()
        self.plots = PlotsPanel()
        self.samples = SamplesPanel()
        self.coverage = CoveragePanel()
        self.compare_windows: list = []
        self.docks: dict[str, QDockWidget] = {}
        for name, title, widget in (("controls", "Controls", self.controls),
                                    ("settings", "Settings", self.settings_panel),
                                    ("samples", "Samples", self.samples),
                                    ("plots", "Live plots", self.plots),
                                    ("coverage", "Mode coverage", self.coverage)):
            self._make_dock(name, title, widget)
        self.notes_dock = NotesDock(self)
        self.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, self.notes_dock)
        self.notes_dock.hide()
        self.presenter = PresenterMode(self)
        self.setDockNestingEnabled(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowNestedDocks |
                            QMainWindow.DockOption.AllowTabbedDocks)
        self._default_layout()
        self._add_library_dock()
        self._add_latent_dock()

        self.controller = TrainerController(self)
        self.controller.ready.connect(self._on_ready)
        self.controller.metrics.connect(self._on_metrics)
        self.controller.samples.connect(self._on_samples)
        self.controller.eval_samples.connect(self._on_eval_samples)
        self.controller.state_changed.connect(self._on_state)
        self.controller.failed.connect(self._on_failed)
        self.controller.message.connect(self._on_message)
        self.controller.saved.connect(self._on_saved)
        self.controller.finished.connect(self._on_finished)
        self.controller.ended.connect(self._on_ended)

        self.controls.start_clicked.connect(self.start)
        self.controls.pause_clicked.connect(self.toggle_pause)
        self.controls.step_clicked.connect(self.step)
        self.controls.stop_clicked.connect(self.stop)
        self.controls.reset_clicked.connect(self.reset)
        self.settings_panel.validity_changed.connect(self._on_validity)
        self.settings_panel.config_changed.connect(self._on_config)
        self.settings_panel.preset_changed.connect(self._on_preset)
        self.settings_panel.plot_rate_changed.connect(self.plots.set_rate)
        self.settings_panel.sample_rate_changed.connect(self._on_sample_rate)
        self._make_actions()
        self._connect_library()
        self._connect_latent()

        self.resize(*DEFAULT_SIZE)
        self._restore_window_state()
        name = preset or self.qsettings.value("last_preset", DEFAULT_PRESET)
        self.settings_panel.select_preset(name if name in preset_names() else DEFAULT_PRESET)
        self._on_state("idle")
        self.statusBar().showMessage(f"Runs are saved under {self.runs_root}")

    # -- layout --------------------------------------------------------------
    def _default_layout(self) -> None:
        d = self.docks
        for dock in d.values():
            dock.setFloating(False)
            dock.show()
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, d["controls"])
        self.splitDockWidget(d["controls"], d["settings"], Qt.Orientation.Vertical)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, d["samples"])
        self.splitDockWidget(d["samples"], d["plots"], Qt.Orientation.Horizontal)
        self.splitDockWidget(d["plots"], d["coverage"], Qt.Orientation.Vertical)
        self.resizeDocks([d["controls"], d["samples"], d["plots"]], [330, 700, 570], Qt.Orientation.Horizontal)
        self.resizeDocks([d["controls"], d["settings"]], [330, 670], Qt.Orientation.Vertical)
        if "latent" in d:
            self.tabifyDockWidget(d["samples"], d["latent"])
            d["samples"].raise_()

    def restore_default_layout(self) -> None:
        self._default_layout()

    def _restore_window_state(self) -> None:
        geometry = self.qsettings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.qsettings.value("window_state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state, LAYOUT_VERSION)

    def save_window_state(self) -> None:
        self.qsettings.setValue("geometry", self.saveGeometry())
        self.qsettings.setValue("window_state", self.saveState(LAYOUT_VERSION))
        self.qsettings.setValue("last_preset", self.settings_panel.preset())
        self.qsettings.sync()

    def _make_actions(self) -> None:
        def action(text: str, shortcut, slot, menu) -> QAction:
            a = QAction(text, self)
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            a.triggered.connect(slot)
            menu.addAction(a)
            self.addAction(a)
            return a

        file_menu = self.menuBar().addMenu("&File")
        self.save_action = action("Save checkpoint", QKeySequence.StandardKey.Save, self.save_checkpoint, file_menu)
        action("Open checkpoint in explorer…", "Ctrl+E", self.ask_open_in_explorer, file_menu)
        file_menu.addSeparator()
        action("Attach to run…", None, self.ask_attach, file_menu)
        self.detach_action = action("Detach from run", None, self.detach, file_menu)
        self.detach_action.setEnabled(False)
        install_export_menu(self, file_menu.addMenu("Export"))
        file_menu.addSeparator()
        action("Quit", QKeySequence.StandardKey.Quit, self.close, file_menu)
        run_menu = self.menuBar().addMenu("&Run")
        self.space_action = action("Start / Pause / Resume", Qt.Key.Key_Space, self.toggle_pause, run_menu)
        self.step_action = action("Step", Qt.Key.Key_S, lambda: self.step("both"), run_menu)
        action("Step D only", None, lambda: self.step("d"), run_menu)
        action("Step G only", None, lambda: self.step("g"), run_menu)
        action("Stop", None, self.stop, run_menu)
        action("Reset", None, self.reset, run_menu)
        run_menu.addSeparator()
        self.compare_action = action("Compare with fix", None, self.compare_with_fix, run_menu)
        view_menu = self.menuBar().addMenu("&View")
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        action("Restore default layout", None, self.restore_default_layout, view_menu)
        self.fullscreen_action = action("Full screen", Qt.Key.Key_F11, self.toggle_full_screen, view_menu)
        self.presenter_action = action("Presenter mode", Qt.Key.Key_F5, self.presenter.toggle, view_menu)
        self.notes_action = action("Why this happens (preset notes)", Qt.Key.Key_F2, self.toggle_notes, view_menu)

    # -- commands ------------------------------------------------------------
    @property
    def state(self) -> str:
        return self.controller.state

    @Slot()
    def start(self) -> None:
        """Start a run with the form's config (or resume a paused one)."""
        if self.controller.active:
            self.controller.resume()
            return
        self._begin_run(paused=False)

    def _begin_run(self, paused: bool) -> bool:
        if self.attachment is not None:
            self.statusBar().showMessage(f"Attached to {self.attachment.name}, another process's run: "
                                         "File ▸ Detach from run to train here, or Branch… from a checkpoint",
                                         15000)
            return False
        if not self.settings_panel.valid:
            self.statusBar().showMessage("Fix the settings marked in red first")
            return False
        config = self.settings_panel.config
        self._discard = False
        self.last_error = ""
        self.controls.show_error("")
        self.plots.clear()
        self.samples.clear()
        self.counters = (0, 0.0, 0.0)
        self.plots.start_run(config)
        self.coverage.start_run(config)
        self.latent.set_live_config(config)
        self.samples.set_mode(config.is_2d)
        self.samples.set_hint("")
        target = self._run_target(config)
        if target is None:
            return False
        self.run_dir, factory = target
        self.settings_panel.set_run_active(True)
        self.controller.start(config, self.run_dir, factory, paused=paused,
                              sample_interval_s=1.0 / self.settings_panel.sample_rate.value())
        if self.coverage.wants_eval_samples:
            self.controller.set_eval_interval(EVAL_INTERVAL_S)
        self._on_state(self.controller.state)
        self.statusBar().showMessage(f"Run directory: {self.run_dir}")
        return True

    def _new_run_dir(self) -> Path:
        base = self.runs_root / f"{self.settings_panel.preset() or 'custom'}-{time.strftime('%Y%m%d-%H%M%S')}"
        path, n = base, 2
        while path.exists():
            path, n = Path(f"{base}-{n}"), n + 1
        return path

    @Slot()
    def toggle_pause(self) -> None:
        """Space: start when idle, else pause or resume."""
        state = self.controller.state
        if not self.controller.active:
            self.start()
        elif state in ("running", "starting") and not self.controller.flags.pause.is_set():
            self.controller.pause()
        elif state in ("paused", "starting"):
            self.controller.resume()

    @Slot(str)
    def step(self, kind: str = "both") -> None:
        if not self.controller.active:
            if not self._begin_run(paused=True):
                return
        if self.controller.state in ("stopping",):
            return
        self.controller.step(kind)

    @Slot()
    def stop(self) -> None:
        self.controller.stop(save=True)
        self._on_state(self.controller.state)

    @Slot()
    def reset(self) -> None:
        """End the run without saving and clear plots and samples."""
        if self.attachment is not None:
            return
        self._discard = True
        if self.controller.active:
            self.controller.stop(save=False)
        self._clear_panels()
        if not self.controller.active:
            self.samples.preview(self.settings_panel.config)
        self._on_state(self.controller.state)

    def _clear_panels(self) -> None:
        """Empty plots, samples, coverage, counters and error: a run's traces gone."""
        self.plots.clear()
        self.samples.clear()
        self.coverage.clear()
        self.counters = (0, 0.0, 0.0)
        self.controls.set_counters(0, 0.0, 0.0)
        self.controls.show_error("")
        self.last_error = ""

    @Slot()
    def save_checkpoint(self) -> None:
        if self.controller.active:
            self.controller.save()
        else:
            self.statusBar().showMessage("No active run to save: start one first")

    @Slot()
    def compare_with_fix(self) -> None:
        """Open the current `*-collapse` preset beside its `*-fixed` partner, same seed, and start both."""
        from .compare_window import CompareWindow

        name = self.settings_panel.preset()
        partner = fix_partner(name, preset_names())
        if partner is None:
            self.statusBar().showMessage(f"“{name}” has no fixed partner: pick a *-collapse preset", 8000)
            return
        window = CompareWindow(name, partner, seed=self.settings_panel.config.train.seed,
                               trainer_factory=self.trainer_factory)
        self.compare_windows.append(window)
        window.show()
        window.start()

    @Slot()
    def toggle_notes(self) -> None:
        self.notes_dock.setVisible(not self.notes_dock.isVisible())

    @Slot()
    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    # -- from the settings ---------------------------------------------------
    @Slot(bool)
    def _on_validity(self, valid: bool) -> None:
        self._on_state(self.controller.state)

    @Slot(object)
    def _on_config(self, config: Config) -> None:
        if self.controller.active:
            self.controller.apply_config(config)  # live fields only: the rest are locked
        else:
            self.samples.preview(config)
            self.coverage.set_config(config)

    @Slot(str)
    def _on_preset(self, name: str) -> None:
        self.setWindowTitle(f"GAN Studio — {name}")
        config = self.settings_panel.config
        if config.demo_step and config.train.steps != config.default_steps:
            self.settings_panel.set_value("train.steps", config.default_steps)
        self.notes_dock.set_text(name, config.description, config.notes)
        self.compare_action.setEnabled(fix_partner(name, preset_names()) is not None)
        if not self.controller.active:
            self.samples.set_hint(f"Press Start (or Space) to train “{name}”")

    @Slot(float)
    def _on_sample_rate(self, per_second: float) -> None:
        self.samples.set_rate(per_second)
        self.controller.set_sample_interval(1.0 / per_second)

    # -- from the trainer thread (relayed by the controller) -----------------
    @Slot(object)
    def _on_ready(self, info: dict) -> None:
        if self._discard:
            return
        self.controls.set_device(info["device"])
        self.samples.set_mode(info["is_2d"])
        self.samples.set_fixed_count(len(info["fixed_noise"]))
        self.latent.set_fixed_noise(info["fixed_noise"])
        if info["is_2d"]:
            self.samples.set_real(info)

    @Slot(object)
    def _on_metrics(self, batch: dict) -> None:
        if self._discard:
            return
        self.plots.add_batch(batch["columns"])
        self.counters = (batch["step"], batch["elapsed"], batch["steps_per_s"])
        self.controls.set_counters(*self.counters)

    @Slot(object)
    def _on_samples(self, frame: dict) -> None:
        if not self._discard:
            self.samples.add_frame(frame)
            self.coverage.add_frame(frame)

    @Slot(object)
    def _on_eval_samples(self, payload: dict) -> None:
        if not self._discard:
            self.coverage.add_eval_samples(payload)

    @Slot(str)
    def _on_state(self, state: str) -> None:
        self.controls.set_state(state, can_start=self.settings_panel.valid)
        self.space_action.setEnabled(state != "stopping" and self.attachment is None)
        if self.attachment is not None:
            self.controls.set_attached(self.attachment.name)

    @Slot(object)
    def _on_failed(self, info: dict) -> None:
        self.last_error = info["message"]
        self.controls.show_error(info["message"])
        self.statusBar().showMessage(info["message"])

    @Slot(str)
    def _on_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    @Slot(str)
    def _on_saved(self, path: str) -> None:
        self.last_checkpoint = path
        self.statusBar().showMessage(f"Checkpoint saved: {path}", 8000)

    @Slot(object)
    def _on_finished(self, info: dict) -> None:
        if info.get("checkpoint"):
            self.last_checkpoint = info["checkpoint"]

    @Slot()
    def _on_ended(self) -> None:
        if self._closing:
            return
        self.settings_panel.set_run_active(False)
        step, elapsed, _ = self.counters
        self.controls.set_counters(step, elapsed, 0.0)
        self._on_state("idle")
        if self._discard:
            self.plots.clear()
            self.samples.clear()
            self.coverage.clear()
            self.samples.preview(self.settings_panel.config)
            self.counters = (0, 0.0, 0.0)
            self.controls.set_counters(0, 0.0, 0.0)
            self.samples.set_hint(f"Press Start (or Space) to train “{self.settings_panel.preset()}”")

    def _make_dock(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        """A movable, floatable, closable dock named for QSettings' saved layout."""
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable |
                         QDockWidget.DockWidgetFeature.DockWidgetFloatable |
                         QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.docks[name] = dock
        return dock

    # -- the latent explorer --------------------------------------------------
    def _add_latent_dock(self) -> None:
        self.latent = LatentPanel()
        dock = self._make_dock("latent", "Latent explorer", self.latent)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.tabifyDockWidget(self.docks["samples"], dock)
        self.docks["samples"].raise_()
        dock.hide()  # opened from the View menu, a click on a sample or File ▸ Open checkpoint in explorer

    def _connect_latent(self) -> None:
        self.controller.snapshot.connect(self._on_snapshot)
        self.samples.picked.connect(self._on_picked)
        self.latent.snapshot_interval_changed.connect(self.controller.set_snapshot_interval)
        self.latent.message.connect(self._on_message)

    def open_in_explorer(self, path: str) -> None:
        """Show a checkpoint's generator in the Latent explorer (raises CheckpointError for a bad file)."""
        self.latent.open_checkpoint(path)
        self.show_explorer()
        self.statusBar().showMessage(f"Exploring {path}", 8000)

    def show_explorer(self) -> None:
        dock = self.docks["latent"]
        dock.show()
        dock.raise_()

    @Slot()
    def ask_open_in_explorer(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from ..core.checkpoints import CheckpointError

        path, _ = QFileDialog.getOpenFileName(self, "Open checkpoint in explorer", str(self.runs_root),
                                              "Checkpoints (*.pt)")
        if path:
            try:
                self.open_in_explorer(path)
            except CheckpointError as exc:
                self.statusBar().showMessage(str(exc), 15000)

    @Slot(object)
    def _on_snapshot(self, payload: dict) -> None:
        if not self._discard:
            self.latent.set_live_weights(payload)

    @Slot(int)
    def _on_picked(self, index: int) -> None:
        """A click on a sample: its z goes to the explorer, which comes to the front."""
        self.show_explorer()  # visible, it asks the run for snapshots
        if self.latent.load_fixed_index(index):
            self.statusBar().showMessage(f"Sample #{index} loaded into the Latent explorer", 5000)

    # -- the run library: checkpoints, resume, branch --------------------------------
    def _add_library_dock(self) -> None:
        self.library = RunLibrary(self.runs_root)
        self.checkpoints = LibraryPanel(self.library)
        self.pending_start: dict | None = None  # a resume or branch waiting for Start
        dock = self._make_dock("checkpoints", "Checkpoints", self.checkpoints)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.tabifyDockWidget(self.docks["samples"], dock)
        self.docks["samples"].raise_()

    def _connect_library(self) -> None:
        self.controller.keep_last = lambda: self.library.keep_last
        self.controller.saved.connect(self._on_checkpoint_saved)
        self.controller.ready.connect(self._on_run_ready)
        self.controller.state_changed.connect(self._on_run_state)
        self.controller.failed.connect(self._on_run_failed)
        self.settings_panel.preset_changed.connect(self._cancel_pending)
        panel = self.checkpoints
        panel.resume_requested.connect(self.resume_from)
        panel.branch_requested.connect(self.branch_from)
        panel.explore_requested.connect(self.explore_checkpoint)
        panel.save_requested.connect(self.save_now)
        panel.set_explore_available(callable(getattr(self, "open_in_explorer", None)))
        menu = self.menuBar().addMenu("&Library")
        for text, shortcut, slot in (("Save now with a note…", "Ctrl+Shift+S", panel.ask_save),
                                     ("Import checkpoint…", "Ctrl+I", panel.ask_import),
                                     ("Add a run folder (from gan-studio train --out)…", None, self.ask_add_run),
                                     ("Runs library folder…", None, self.ask_library_folder),
                                     ("Show checkpoints", None, self.show_checkpoints)):
            act = QAction(text, self)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            menu.addAction(act)
            self.addAction(act)

    @Slot()
    def show_checkpoints(self) -> None:
        self.docks["checkpoints"].show()
        self.docks["checkpoints"].raise_()

    def _library_error(self, text: str) -> None:
        self.checkpoints.show_error(text)
        self.show_checkpoints()
        self.statusBar().showMessage(text, 15000)

    @Slot(str)
    def save_now(self, note: str = "") -> None:
        """A checkpoint of the active run now, with an optional note (noted ones are never pruned)."""
        if not self.controller.active:
            self.checkpoints.show_error("No active run to save: start or resume one first")
            return
        self.controller.save_with_note(note)

    def _checked(self, path: str | Path, config: Config | None = None):
        """(state, config) of a checkpoint that fits, or None after showing why not."""
        from ..core.checkpoints import CheckpointError
        from ..core.library import check_checkpoint

        if self.controller.active:
            self._library_error("A run is active: Stop it first (one run trains at a time)")
            return None
        try:
            return check_checkpoint(path, config)
        except CheckpointError as exc:
            self._library_error(str(exc))
            return None

    @Slot(str)
    def resume_from(self, path: str | Path, paused: bool = False) -> bool:
        """Continue the checkpoint's run from its step, with its history; from an earlier checkpoint
        than the run's latest, continue in a new run with the same settings (later ones stay intact)."""
        from ..core.library import list_run_checkpoints

        path = Path(path)
        checked = self._checked(path)
        if checked is None:
            return False
        state, config = checked
        step = int(state["step"])
        if step >= config.train.steps:  # the run had reached its total: give it as many steps again
            config = config.updated({"train.steps": step + config.train.steps})
        later = [c for c in list_run_checkpoints(path.parent.parent) if c.step > step]
        self.settings_panel.set_config(config)
        self.pending_start = {"kind": "branch" if later else "resume", "path": path, "step": step,
                              "state": state, "same_settings": True}
        if not self._begin_run(paused=paused):
            return False
        if paused:
            self.controls.set_state("paused", can_start=True)
        where = f"a new run (step {step:,} is not the latest of its run)" if later else self.run_dir.name
        self.statusBar().showMessage(f"Resumed step {step:,} of {path.parent.parent.name} into {where}" +
                                     (": press Space or Resume to train" if paused else ""), 15000)
        return True

    @Slot(str)
    def branch_from(self, path: str | Path) -> bool:
        """Load the checkpoint's settings into the form; Start then trains a new run that records its parent."""
        self.detach()  # the branch is a run of this window's own
        path = Path(path)
        checked = self._checked(path)
        if checked is None:
            return False
        state, config = checked
        self.settings_panel.set_config(config)
        self.pending_start = {"kind": "branch", "path": path, "step": int(state["step"]), "state": state}
        text = (f"Branch from {path.parent.parent.name} at step {int(state['step']):,}: edit the settings "
                f"(live and loss/optimiser fields; the architecture must stay), then press Start")
        self.checkpoints.show_info(text)
        self.samples.set_hint(text)
        self.statusBar().showMessage(text, 15000)
        return True

    @Slot()
    def _cancel_pending(self, *_args) -> None:
        if self.pending_start is not None and not self.controller.active:
            self.pending_start = None
            self.checkpoints.show_info("")

    def _run_target(self, config: Config):
        """(run directory, trainer factory) for a new run, or a resume or branch waiting for Start."""
        import re

        import numpy as np

        from ..core.checkpoints import CheckpointError
        from ..core.library import restore_state
        from ..core.run import RunDirectory

        pending, self.pending_start = self.pending_start, None
        if pending is None:
            return self._new_run_dir(), self.trainer_factory
        path, step, state = pending["path"], pending["step"], pending["state"]
        if not pending.get("same_settings"):
            checked = self._checked(path, config)
            if checked is None:
                return None
        try:
            if pending["kind"] == "resume":
                run_dir = path.parent.parent
            else:
                name = re.sub(r"-\d{8}-\d{6}(-\d+)?$", "", path.parent.parent.name)
                run_dir = self.library.create_branch(path, config, name=f"{name}-branch")
        except (CheckpointError, OSError) as exc:
            self._library_error(f"Could not branch: {exc}")
            return None
        rows = [row for row in RunDirectory(run_dir).read_metrics() if row.get("step", 0) <= step]
        if rows:
            names = list(dict.fromkeys(k for row in rows for k in row if k != "time"))
            self.plots.add_batch({k: np.array([row.get(k, np.nan) for row in rows], dtype=np.float64)
                                  for k in names})
        self.counters = (step, float(state.get("elapsed", 0.0)), 0.0)
        self.controls.set_counters(*self.counters)
        self.checkpoints.show_info("")
        make = self.trainer_factory
        return run_dir, lambda cfg: restore_state(make(cfg), state, path)

    @Slot(str)
    def explore_checkpoint(self, path: str) -> None:
        from ..core.checkpoints import CheckpointError

        opener = getattr(self, "open_in_explorer", None)
        if not callable(opener):
            self._library_error("The latent explorer is not part of this build")
            return
        try:
            opener(str(path))
        except CheckpointError as exc:
            self._library_error(str(exc))

    def open_run(self, run_dir: str | Path, paused: bool = True) -> bool:
        """Show a run (adding it to the library) and load its latest checkpoint, ready to resume or explore."""
        from ..core.library import is_run_dir, list_run_checkpoints

        run_dir = Path(run_dir)
        if not is_run_dir(run_dir):
            self._library_error(f"{run_dir} is not a run directory (no checkpoints/ or config.json)")
            return False
        try:
            self.library.add_run(run_dir)
        except OSError as exc:
            self.statusBar().showMessage(f"Could not add {run_dir} to the library: {exc}", 15000)
        self.checkpoints.select_run(run_dir)
        self.show_checkpoints()
        listed = list_run_checkpoints(run_dir)
        if not listed:
            self._library_error(f"{run_dir.name} has no checkpoint yet")
            return False
        return self.resume_from(listed[-1].path, paused=paused)

    @Slot()
    def ask_add_run(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, "Add a run folder", str(Path.cwd()))
        if folder:
            try:
                self.library.add_run(folder)
            except OSError as exc:
                self._library_error(str(exc))
                return
            self.checkpoints.select_run(folder)

    @Slot()
    def ask_library_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, "Runs library folder", str(self.runs_root))
        if folder:
            self.set_runs_root(folder)

    def set_runs_root(self, folder: str | Path) -> None:
        """New runs go to `folder` from now on (remembered); the active run stays where it is."""
        self.runs_root = Path(folder)
        self.library = RunLibrary(self.runs_root)
        self.checkpoints.set_library(self.library)
        self.qsettings.setValue("runs_root", str(self.runs_root))
        self.statusBar().showMessage(f"Runs are saved under {self.runs_root}")

    @Slot(str)
    def _on_checkpoint_saved(self, path: str) -> None:
        self.checkpoints.refresh()

    @Slot(object)
    def _on_run_ready(self, info: dict) -> None:
        self.checkpoints.set_run_active(self.controller.active)
        if info.get("run_dir") and not self._discard:
            self.checkpoints.select_run(info["run_dir"])

    @Slot(str)
    def _on_run_state(self, state: str) -> None:
        self.checkpoints.set_run_active(self.controller.active)

    @Slot(object)
    def _on_run_failed(self, info: dict) -> None:
        if info.get("term") == "save":
            self.checkpoints.show_error(info["message"])

    # -- attached to a run another process writes (read-only) ----------------------
    def attach(self, run_dir: str | Path) -> bool:
        """Follow a run that another process writes: its plots, samples, coverage and checkpoints, live.

        The window only reads that folder; training controls stay off until `detach()`.
        """
        from ..core.config import ConfigError
        from ..core.library import is_run_dir
        from .attach_view import RunAttachment

        if self.controller.active:
            self.statusBar().showMessage("A run is training in this window: Stop it before attaching", 15000)
            return False
        self.detach()
        try:
            attachment = RunAttachment(run_dir, self)
        except ConfigError as exc:
            self.statusBar().showMessage(str(exc), 15000)
            return False
        self.attachment = attachment
        self.pending_start = None
        self._discard = False  # output of a run reset earlier is long gone
        self._clear_panels()
        self.controls.set_device("another process")
        self.settings_panel.setEnabled(False)
        attachment.config_known.connect(self._on_attached_config)
        attachment.metrics.connect(self._on_metrics)
        attachment.samples.connect(self._on_attached_samples)
        attachment.eval_samples.connect(self._on_attached_eval_samples)
        attachment.checkpoint.connect(self._on_attached_checkpoint)
        attachment.thumbnail.connect(self.checkpoints.set_picture)
        attachment.status.connect(self._on_attached_status)
        attachment.message.connect(self._on_message)
        self.coverage.evaluation.ready.connect(self._submit_attached_eval)
        self.coverage.evaluation.result.connect(self._submit_attached_eval)
        self.attach_label = QLabel()
        self.attach_label.setStyleSheet("background: #e8f0fe; color: #174ea6; font-weight: bold; padding: 2px 8px;")
        self.statusBar().addPermanentWidget(self.attach_label)
        self.checkpoints.set_read_only(attachment.root)
        if is_run_dir(attachment.root):
            self._show_attached_run()
        self.detach_action.setEnabled(True)
        self._on_state(self.controller.state)
        self.statusBar().showMessage(f"Following {attachment.root}: nothing is written there", 15000)
        attachment.start()
        return True

    @Slot()
    def detach(self) -> None:
        """Stop following the attached run (its last state stays on show); training controls come back."""
        attachment, self.attachment = self.attachment, None
        if attachment is None:
            return
        attachment.stop()
        attachment.deleteLater()
        self._attached_evals = []
        self.coverage.evaluation.ready.disconnect(self._submit_attached_eval)
        self.coverage.evaluation.result.disconnect(self._submit_attached_eval)
        self.statusBar().removeWidget(self.attach_label)
        self.attach_label.deleteLater()
        self.checkpoints.set_read_only(None)
        self.settings_panel.setEnabled(True)
        self.detach_action.setEnabled(False)
        self.setWindowTitle(f"GAN Studio — {self.settings_panel.preset()}")
        self._on_state(self.controller.state)
        if not self._closing:
            self.statusBar().showMessage(f"Detached from {attachment.name}", 8000)

    @Slot()
    def ask_attach(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, "Attach to a run (read-only)", str(Path.cwd()))
        if folder:
            self.attach(folder)

    def _show_attached_run(self) -> None:
        """List the attached run in the checkpoints browser (linked into the library, not written to)."""
        try:
            self.library.add_run(self.attachment.root)
        except OSError as exc:
            self.statusBar().showMessage(f"Could not list {self.attachment.root} in the library: {exc}", 15000)
            return
        self.checkpoints.select_run(self.attachment.root)

    @Slot(object)
    def _on_attached_config(self, config: Config) -> None:
        from ..core.presets import preset_descriptions

        panel = self.settings_panel
        panel.set_config(config)
        # the picker names the run's preset where its description matches one, else stays blank
        preset = next((name for name, text in preset_descriptions().items() if text == config.description), "")
        panel.preset_box.blockSignals(True)
        panel.preset_box.setCurrentIndex(panel.preset_box.findText(preset) if preset else -1)
        panel.preset_box.blockSignals(False)
        panel.preset_text.setText(config.description or f"The settings of {self.attachment.name}")
        self.plots.start_run(config)
        self.coverage.start_run(config)
        self.samples.preview(config)
        self.samples.set_hint(f"Waiting for the run's first samples (written every {config.train.sample_every:,} "
                              "steps)")
        self._show_attached_run()

    @Slot(object)
    def _on_attached_samples(self, frame: dict) -> None:
        if self.attachment is None:
            return
        every = self.attachment.checkpoint_every
        if frame["kind"] == "plane":
            hint = "Drawn from the run's newest checkpoint" + (f" (saved every {every:,} steps)" if every else "")
        elif self.attachment.config.is_2d:
            hint = "The run's newest sample picture: the plane follows from its first checkpoint"
        else:
            hint = "The run's newest sample grid (from its samples/ folder)"
        self.samples.set_hint(hint)
        self._on_samples(frame)

    @Slot(str)
    def _on_attached_checkpoint(self, path: str) -> None:
        if self.attachment is None:
            return
        if self.checkpoints.current_run is None or \
                self.checkpoints.current_run.resolve() != self.attachment.root.resolve():
            self._show_attached_run()
        else:
            self.checkpoints.refresh()

    @Slot(object)
    def _on_attached_eval_samples(self, payload: dict) -> None:
        self._attached_evals.append(payload)
        self._submit_attached_eval()

    @Slot()
    def _submit_attached_eval(self, *_args) -> None:
        """Checkpoints come seldom: their digits wait for the evaluator instead of being dropped."""
        if self._attached_evals and self.coverage.add_eval_samples(self._attached_evals[0]):
            self._attached_evals.pop(0)

    @Slot(str)
    def _on_attached_status(self, text: str) -> None:
        if self.attachment is None:
            return
        self.setWindowTitle(f"GAN Studio — {text}")
        self.attach_label.setText(text)

    # -- closing -------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the window state; a running trainer saves a checkpoint and its thread ends first."""
        self._closing = True
        self.detach()
        self.save_window_state()
        if self.controller.active:
            self.controller.stop(save=True, wait=True)
            info = self.controller.last_finished or {}
            if info.get("checkpoint"):
                self.last_checkpoint = info["checkpoint"]
        self.plots.timer.stop()
        self.samples.timer.stop()
        for window in self.compare_windows:
            window.close()
        self.coverage.shutdown()
        self.latent.shutdown()
        torch.set_num_threads(self._torch_threads)
        super().closeEvent(event)
