"""The studio window: dockable panels around one run, its menus and layout.

A RunFeed carries the run's output (trained here, or followed read-only) to the panels; the run's
commands, the library's actions and attaching live in RunCommands, LibraryActions and AttachMode.
"""
from __future__ import annotations

from pathlib import Path

import torch
from PySide6.QtCore import QByteArray, QSettings, QStandardPaths, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QMenu, QWidget

from ..core.checkpoints import CheckpointError
from ..core.config import Config
from ..core.coverage import fix_partner
from ..core.library import RunLibrary
from ..core.presets import preset_names
from .app import APPLICATION, ORGANISATION
from .attach_mode import AttachMode
from .classroom import Classroom
from .compare_window import CompareWindow
from .config_panel import ConfigPanel
from .controls_panel import ControlsPanel
from .coverage_panel import CoveragePanel
from .diagram_panel import DiagramPanel
from .engine_texts import engine_message
from .exports import install_export_menu
from .language_menu import LanguageMenu
from .latent_panel import LatentPanel
from .lesson_panel import install_lessons
from .library_actions import LibraryActions
from .library_panel import LibraryPanel
from .plots_panel import PlotsPanel
from .points_panel import PointsPanel
from .presenter import NotesDock, PresenterMode
from .run_commands import RunCommands
from .run_controller import TrainerController
from .run_feed import RunFeed
from .samples_panel import SamplesPanel
from .slow_motion_panel import SlowMotionPanel
from .starters_menu import install_starters_menu

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
                 runs_root: str | Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.qsettings = settings if settings is not None else QSettings(ORGANISATION, APPLICATION)
        self.runs_root = Path(runs_root) if runs_root else \
            Path(self.qsettings.value("runs_root", "") or default_runs_root())
        self._torch_threads = torch.get_num_threads()
        # torch's CPU thread count is the trainer's to choose by measuring (core.thread_tuner); restored on close
        self.run_dir: Path | None = None
        self.last_checkpoint: str = ""
        self.last_error: str = ""
        self.closing = False

        self.setWindowTitle("GAN Studio")
        self.settings_panel = ConfigPanel()
        self.controls = ControlsPanel()
        self.plots = PlotsPanel()
        self.samples = SamplesPanel()
        self.coverage = CoveragePanel()
        self.latent = LatentPanel()
        self.slow_motion, self.diagram = SlowMotionPanel(), DiagramPanel()  # the classroom's two panels
        self.drawing = PointsPanel(drawings_dir=self.runs_root.parent / "drawings")
        self.library = RunLibrary(self.runs_root)
        self.checkpoints = LibraryPanel(self.library)
        self.compare_windows: list[CompareWindow] = []
        self.docks: dict[str, QDockWidget] = {}
        for name, title, widget in (("controls", self.tr("Controls"), self.controls),
                                    ("settings", self.tr("Settings"), self.settings_panel),
                                    ("samples", self.tr("Samples"), self.samples),
                                    ("plots", self.tr("Live plots"), self.plots),
                                    ("coverage", self.tr("Mode coverage"), self.coverage),
                                    ("checkpoints", self.tr("Checkpoints"), self.checkpoints),
                                    ("latent", self.tr("Latent explorer"), self.latent),
                                    ("drawing", self.tr("Draw data"), self.drawing)):
            self._make_dock(name, title, widget)
        self._make_dock("slowmotion", self.tr("Slow motion"), self.slow_motion)
        self._make_dock("diagram", self.tr("Model diagram"), self.diagram)
        self.notes_dock = NotesDock(self)
        self.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, self.notes_dock)
        self.notes_dock.hide()
        self.presenter = PresenterMode(self)
        self.setDockNestingEnabled(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowNestedDocks |
                            QMainWindow.DockOption.AllowTabbedDocks)
        self._default_layout()
        self.docks["latent"].hide()  # opened from the View menu, a click on a sample or File ▸ Open checkpoint…

        self.controller = TrainerController(self)
        self.feed = RunFeed(self.samples, self.coverage, self.plots, self.controls, self.latent, parent=self)
        self.feed.follow(self.controller)
        self.run_commands = RunCommands(self)
        self.library_actions = LibraryActions(self)
        self.attach_mode = AttachMode(self)

        commands = self.run_commands
        self.controls.start_clicked.connect(commands.start)
        self.controls.pause_clicked.connect(commands.toggle_pause)
        self.controls.step_clicked.connect(commands.step)
        self.controls.stop_clicked.connect(commands.stop)
        self.controls.reset_clicked.connect(commands.reset)
        self.settings_panel.validity_changed.connect(self._on_validity)
        self.settings_panel.config_changed.connect(self._on_config)
        self.settings_panel.preset_changed.connect(self._on_preset)
        self.settings_panel.plot_rate_changed.connect(self.plots.set_rate)
        self.settings_panel.sample_rate_changed.connect(self._on_sample_rate)
        self.samples.picked.connect(self._on_picked)
        self.latent.snapshot_interval_changed.connect(self.controller.set_snapshot_interval)
        self.latent.message.connect(self.show_message)
        self.classroom = Classroom(self)
        self._make_actions()
        self.lessons = install_lessons(self)  # the Lessons dock and menu

        self.resize(*DEFAULT_SIZE)
        self._restore_window_state()
        name = preset or self.qsettings.value("last_preset", DEFAULT_PRESET)
        self.settings_panel.select_preset(name if name in preset_names() else DEFAULT_PRESET)
        commands.show_state("idle")
        self.statusBar().showMessage(self.tr("Runs are saved under {folder}").format(folder=self.runs_root))

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
        self._default_sizes()
        for name in ("checkpoints", "latent", "slowmotion", "drawing"):
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, d[name])
            self.tabifyDockWidget(d["samples"], d[name])
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, d["diagram"])
        self.tabifyDockWidget(d["plots"], d["diagram"])
        d["samples"].raise_()
        d["plots"].raise_()

    def _default_sizes(self) -> None:
        d = self.docks
        self.resizeDocks([d["controls"], d["samples"], d["plots"]], [330, 700, 570], Qt.Orientation.Horizontal)
        self.resizeDocks([d["controls"], d["settings"]], [330, 670], Qt.Orientation.Vertical)

    def restore_default_layout(self) -> None:
        self._default_layout()

    def showEvent(self, event) -> None:
        """The default sizes once more at the first show: before it the window has no size to share out
        (in Chinese the left column took 548 px of 1600)."""
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            self._default_sizes()

    def _restore_window_state(self) -> None:
        geometry = self.qsettings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.qsettings.value("window_state")
        self._sized = isinstance(state, QByteArray) and not state.isEmpty() and self.restoreState(state, LAYOUT_VERSION)

    def save_window_state(self) -> None:
        self.qsettings.setValue("geometry", self.saveGeometry())
        self.qsettings.setValue("window_state", self.saveState(LAYOUT_VERSION))
        self.qsettings.setValue("last_preset", self.settings_panel.preset())
        self.qsettings.sync()

    def add_action(self, text: str, shortcut, slot, menu: QMenu) -> QAction:
        """A menu entry whose shortcut works wherever the focus is in the window."""
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        action, commands = self.add_action, self.run_commands
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.save_action = action(self.tr("Save checkpoint"), QKeySequence.StandardKey.Save,
                                  commands.save_checkpoint, file_menu)
        action(self.tr("Open checkpoint in explorer…"), "Ctrl+E", self.ask_open_in_explorer, file_menu)
        file_menu.addSeparator()
        action(self.tr("Attach to run…"), None, self.attach_mode.ask_attach, file_menu)
        self.detach_action = action(self.tr("Detach from run"), None, self.attach_mode.detach, file_menu)
        self.detach_action.setEnabled(False)
        install_export_menu(self, file_menu.addMenu(self.tr("Export")))
        file_menu.addSeparator()
        action(self.tr("Quit"), QKeySequence.StandardKey.Quit, self.close, file_menu)
        install_starters_menu(self, self.menuBar())  # Explore ▸ a trained starter generator
        run_menu = self.menuBar().addMenu(self.tr("&Run"))
        self.space_action = action(self.tr("Start / Pause / Resume"), Qt.Key.Key_Space, commands.toggle_pause, run_menu)
        self.step_action = action(self.tr("Step"), Qt.Key.Key_S, lambda: commands.step("both"), run_menu)
        action(self.tr("Step D only"), None, lambda: commands.step("d"), run_menu)
        action(self.tr("Step G only"), None, lambda: commands.step("g"), run_menu)
        action(self.tr("Stop"), None, commands.stop, run_menu)
        action(self.tr("Reset"), None, commands.reset, run_menu)
        run_menu.addSeparator()
        self.compare_action = action(self.tr("Compare with fix"), None, self.compare_with_fix, run_menu)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        action(self.tr("Restore default layout"), None, self.restore_default_layout, view_menu)
        self.fullscreen_action = action(self.tr("Full screen"), Qt.Key.Key_F11, self.presenter.toggle_full_screen,
                                        view_menu)
        self.presenter_action = action(self.tr("Presenter mode"), Qt.Key.Key_F5, self.presenter.toggle, view_menu)
        self.notes_action = action(self.tr("Why this happens (preset notes)"), Qt.Key.Key_F2,
                                   self.presenter.toggle_notes, view_menu)
        self.language_menu = LanguageMenu(self, view_menu)
        self.library_actions.install_menu(self.menuBar())

    # -- the run, the library and attaching (each held by its own object) ------------------
    @property
    def counters(self) -> tuple[int, float, float]:
        """Step, elapsed seconds and steps/s of the run on show."""
        return self.feed.counters

    @property
    def attachment(self):
        """The RunAttachment while following another process's run, else None."""
        return self.attach_mode.attachment

    def start(self) -> None:
        self.run_commands.start()

    def toggle_pause(self) -> None:
        self.run_commands.toggle_pause()

    def step(self, kind: str = "both") -> None:
        self.run_commands.step(kind)

    def stop(self) -> None:
        self.run_commands.stop()

    def reset(self) -> None:
        self.run_commands.reset()

    def save_checkpoint(self) -> None:
        self.run_commands.save_checkpoint()

    def save_now(self, note: str = "") -> None:
        self.library_actions.save_now(note)

    def resume_from(self, path: str | Path, paused: bool = False) -> bool:
        return self.library_actions.resume_from(path, paused)

    def branch_from(self, path: str | Path) -> bool:
        return self.library_actions.branch_from(path)

    def explore_checkpoint(self, path: str) -> None:
        self.library_actions.explore_checkpoint(path)

    def open_run(self, run_dir: str | Path, paused: bool = True) -> bool:
        return self.library_actions.open_run(run_dir, paused)

    def attach(self, run_dir: str | Path) -> bool:
        return self.attach_mode.attach(run_dir)

    def detach(self) -> None:
        self.attach_mode.detach()

    @Slot()
    def compare_with_fix(self) -> None:
        """Open the current `*-collapse` preset beside its `*-fixed` partner, same seed, and start both."""
        name = self.settings_panel.preset()
        partner = fix_partner(name, preset_names())
        if partner is None:
            self.statusBar().showMessage(self.tr("“{name}” has no fixed partner: pick a *-collapse preset")
                                         .format(name=name), 8000)
            return
        window = CompareWindow(name, partner, seed=self.settings_panel.config.train.seed)
        self.compare_windows.append(window)
        window.show()
        window.start()

    @Slot(str)
    def show_message(self, text: str) -> None:
        """A passing line on the status bar (8 s)."""
        self.statusBar().showMessage(text, 8000)

    # -- from the settings ---------------------------------------------------
    @Slot(bool)
    def _on_validity(self, valid: bool) -> None:
        self.run_commands.show_state(self.controller.state)

    @Slot(object)
    def _on_config(self, config: Config) -> None:
        if self.controller.active:
            self.controller.apply_config(config)  # live fields only: the rest are locked
            self.plots.show_losses(config)
        else:
            self.samples.preview(config)
            self.coverage.set_config(config)

    @Slot(str)
    def _on_preset(self, name: str) -> None:
        self.setWindowTitle(self.tr("GAN Studio — {preset}").format(preset=name))
        config = self.settings_panel.config
        if config.demo_step and config.train.steps != config.default_steps:
            self.settings_panel.set_value("train.steps", config.default_steps)
        self.notes_dock.show_preset(name)
        self.compare_action.setEnabled(fix_partner(name, preset_names()) is not None)
        if not self.controller.active:
            self.samples.set_hint(self.tr("Press Start (or Space) to train “{preset}”").format(preset=name))

    @Slot(float)
    def _on_sample_rate(self, per_second: float) -> None:
        self.samples.set_rate(per_second)
        self.controller.set_sample_interval(1.0 / per_second)

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
    def open_in_explorer(self, path: str) -> None:
        """Show a checkpoint's generator in the Latent explorer (raises CheckpointError for a bad file)."""
        self.latent.open_checkpoint(path)
        self.show_explorer()
        self.statusBar().showMessage(self.tr("Exploring {path}").format(path=path), 8000)

    def show_explorer(self) -> None:
        self.raise_dock("latent")

    @Slot()
    def show_checkpoints(self) -> None:
        self.raise_dock("checkpoints")

    def raise_dock(self, name: str) -> None:
        self.docks[name].show()
        self.docks[name].raise_()

    @Slot()
    def ask_open_in_explorer(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open checkpoint in explorer"), str(self.runs_root),
                                              self.tr("Checkpoints (*.pt)"))
        if path:
            try:
                self.open_in_explorer(path)
            except CheckpointError as exc:
                self.statusBar().showMessage(engine_message(str(exc)), 15000)

    @Slot(int)
    def _on_picked(self, index: int) -> None:
        """A click on a sample: its z goes to the explorer, which comes to the front."""
        self.show_explorer()  # visible, it asks the run for snapshots
        if self.latent.load_fixed_index(index):
            self.statusBar().showMessage(self.tr("Sample #{index} loaded into the Latent explorer")
                                         .format(index=index), 5000)

    # -- closing -------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the window state; a running trainer saves a checkpoint and its thread ends first."""
        self.closing = True
        self.attach_mode.detach()
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
