"""The studio window: dockable Settings, Controls, Plots and Samples panels around one trainer thread."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import torch
from PySide6.QtCore import QByteArray, QSettings, QStandardPaths, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from ..core.config import Config
from ..core.losses import WASSERSTEIN
from ..core.presets import preset_names
from ..core.run import set_cpu_threads
from ..core.trainer import Trainer
from .controls_panel import ControlsPanel
from .plots_panel import PlotsPanel
from .samples_panel import SamplesPanel
from .settings_panel import SettingsPanel
from .worker import TrainerController

ORGANISATION, APPLICATION = "GAN Studio", "gan-studio"
DEFAULT_PRESET = "ring-fixed"  # trains in seconds on a CPU, needs no download
LAYOUT_VERSION = 1
DEFAULT_SIZE = (1600, 1000)


def default_runs_root() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base or Path.home()) / "gan-studio" / "runs"


class MainWindow(QMainWindow):
    """`settings` (window state only) and `runs_root` may be given so tests touch nothing of the user's."""

    def __init__(self, preset: str | None = None, settings: QSettings | None = None,
                 runs_root: str | Path | None = None,
                 trainer_factory: Callable[[Config], Trainer] = Trainer, parent: QWidget | None = None):
        super().__init__(parent)
        self.qsettings = settings if settings is not None else QSettings(ORGANISATION, APPLICATION)
        self.runs_root = Path(runs_root) if runs_root else default_runs_root()
        self.trainer_factory = trainer_factory
        self._torch_threads = torch.get_num_threads()
        set_cpu_threads(1)  # leave a core to the GUI thread
        self.run_dir: Path | None = None
        self.last_checkpoint: str = ""
        self.last_error: str = ""
        self._discard = False  # drop output still queued from a run being reset
        self._closing = False
        self.counters: tuple[int, float, float] = (0, 0.0, 0.0)  # step, elapsed, steps/s

        self.setWindowTitle("GAN Studio")
        self.settings_panel = SettingsPanel()
        self.controls = ControlsPanel()
        self.plots = PlotsPanel()
        self.samples = SamplesPanel()
        self.docks: dict[str, QDockWidget] = {}
        for name, title, widget in (("controls", "Controls", self.controls),
                                    ("settings", "Settings", self.settings_panel),
                                    ("samples", "Samples", self.samples),
                                    ("plots", "Live plots", self.plots)):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock-{name}")
            dock.setWidget(widget)
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable |
                             QDockWidget.DockWidgetFeature.DockWidgetFloatable |
                             QDockWidget.DockWidgetFeature.DockWidgetClosable)
            self.docks[name] = dock
        self.setDockNestingEnabled(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowNestedDocks |
                            QMainWindow.DockOption.AllowTabbedDocks)
        self._default_layout()

        self.controller = TrainerController(self)
        self.controller.ready.connect(self._on_ready)
        self.controller.metrics.connect(self._on_metrics)
        self.controller.samples.connect(self._on_samples)
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
        self.resizeDocks([d["controls"], d["samples"], d["plots"]], [330, 700, 570], Qt.Orientation.Horizontal)
        self.resizeDocks([d["controls"], d["settings"]], [330, 670], Qt.Orientation.Vertical)

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
        file_menu.addSeparator()
        action("Quit", QKeySequence.StandardKey.Quit, self.close, file_menu)
        run_menu = self.menuBar().addMenu("&Run")
        self.space_action = action("Start / Pause / Resume", Qt.Key.Key_Space, self.toggle_pause, run_menu)
        self.step_action = action("Step", Qt.Key.Key_S, lambda: self.step("both"), run_menu)
        action("Step D only", None, lambda: self.step("d"), run_menu)
        action("Step G only", None, lambda: self.step("g"), run_menu)
        action("Stop", None, self.stop, run_menu)
        action("Reset", None, self.reset, run_menu)
        view_menu = self.menuBar().addMenu("&View")
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        action("Restore default layout", None, self.restore_default_layout, view_menu)
        self.fullscreen_action = action("Full screen", Qt.Key.Key_F11, self.toggle_full_screen, view_menu)

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
        self.plots.show_wasserstein(config.loss.kind in WASSERSTEIN)
        self.samples.set_mode(config.is_2d)
        self.samples.set_hint("")
        self.run_dir = self._new_run_dir()
        self.settings_panel.set_run_active(True)
        self.controller.start(config, self.run_dir, self.trainer_factory, paused=paused,
                              sample_interval_s=1.0 / self.settings_panel.sample_rate.value())
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
        self._discard = True
        if self.controller.active:
            self.controller.stop(save=False)
        self.plots.clear()
        self.samples.clear()
        self.counters = (0, 0.0, 0.0)
        self.controls.set_counters(0, 0.0, 0.0)
        self.controls.show_error("")
        self.last_error = ""
        if not self.controller.active:
            self.samples.preview(self.settings_panel.config)
        self._on_state(self.controller.state)

    @Slot()
    def save_checkpoint(self) -> None:
        if self.controller.active:
            self.controller.save()
        else:
            self.statusBar().showMessage("No active run to save: start one first")

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

    @Slot(str)
    def _on_preset(self, name: str) -> None:
        self.setWindowTitle(f"GAN Studio — {name}")
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

    @Slot(str)
    def _on_state(self, state: str) -> None:
        self.controls.set_state(state, can_start=self.settings_panel.valid)
        self.space_action.setEnabled(state != "stopping")

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
            self.samples.preview(self.settings_panel.config)
            self.counters = (0, 0.0, 0.0)
            self.controls.set_counters(0, 0.0, 0.0)
            self.samples.set_hint(f"Press Start (or Space) to train “{self.settings_panel.preset()}”")

    # -- closing -------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the window state; a running trainer saves a checkpoint and its thread ends first."""
        self._closing = True
        self.save_window_state()
        if self.controller.active:
            self.controller.stop(save=True, wait=True)
            info = self.controller.last_finished or {}
            if info.get("checkpoint"):
                self.last_checkpoint = info["checkpoint"]
        self.plots.timer.stop()
        self.samples.timer.stop()
        torch.set_num_threads(self._torch_threads)
        super().closeEvent(event)
