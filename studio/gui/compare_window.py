"""Two runs side by side, e.g. `ring-collapse` and `ring-fixed` with the same seed.

Each side has its own trainer thread (a `TrainerController`) feeding, through its RunFeed, its
own sample view, replay timeline and coverage panel; the two 2-D planes share one view range, so the same mode sits
in the same place on both. Each side trains to its preset's demo step.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMainWindow, QPushButton, QSpinBox, QSplitter, QVBoxLayout,
                               QWidget)

from ..core.config import Config
from ..core.presets import load_preset, preset_texts
from .coverage_panel import CoveragePanel
from .presenter import ComparePresenter
from .run_controller import TrainerController
from .run_feed import RunFeed
from .samples_panel import SamplesPanel
from .translations import current_language


class RunPane(QWidget):
    """One side: a preset's title, why it behaves as it does (on demand), samples and coverage."""

    def __init__(self, name: str, config: Config, parent: QWidget | None = None):
        super().__init__(parent)
        self.name, self.base_config, self.config = name, config, config
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        header = QHBoxLayout()
        self.title = QLabel(name)
        header.addWidget(self.title)
        header.addStretch(1)
        self.notes_button = QPushButton(self.tr("Why?"))
        self.notes_button.setCheckable(True)
        self.notes_button.setToolTip(self.tr("show what to watch for in this run and why it happens"))
        header.addWidget(self.notes_button)
        layout.addLayout(header)
        description, notes = preset_texts(name, current_language())
        self.description = QLabel(description)
        self.description.setWordWrap(True)
        layout.addWidget(self.description)
        self.notes = QLabel(notes or self.tr("This preset has no notes."))
        self.notes.setWordWrap(True)
        self.notes.hide()
        self.notes_button.toggled.connect(self.notes.setVisible)
        layout.addWidget(self.notes)
        self.status = QLabel()
        layout.addWidget(self.status)
        self.set_text_scale(1.0)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.samples = SamplesPanel()
        self.coverage = CoveragePanel(compact=True)
        self.coverage.set_summary_size(18)
        self.splitter.addWidget(self.samples)
        self.splitter.addWidget(self.coverage)
        self.splitter.setSizes([560, 380])
        layout.addWidget(self.splitter, 1)

        self.controller = TrainerController(self)
        self.feed = RunFeed(self.samples, self.coverage, parent=self)
        self.feed.follow(self.controller)
        self.feed.counters_changed.connect(self.show_status)
        self.controller.state_changed.connect(self.show_status)
        self.controller.failed.connect(self._on_failed)
        self.error = ""
        self.samples.preview(config)
        self.coverage.set_config(config)
        self.show_status()

    def set_text_scale(self, scale: float) -> None:
        """Title, description, notes and status at `scale` times their usual size (presenter mode: larger)."""
        for label, points, style in ((self.title, 20, "font-weight: bold;"), (self.description, 11, "color: #444;"),
                                     (self.notes, 12, "background: #fff4ce; padding: 6px; border-radius: 3px;"),
                                     (self.status, 12, "")):
            label.setStyleSheet(f"font-size: {round(points * scale)}pt; {style}")

    @property
    def total(self) -> int:
        return self.config.default_steps

    @property
    def step(self) -> int:
        return self.feed.step

    def start(self, seed: int) -> None:
        self.config = self.base_config.updated({"train.seed": seed, "train.steps": self.base_config.default_steps})
        self.error = ""
        self.feed.begin(self.config)
        self.controller.start(self.config, None, tune_threads=False)  # two trainers: one CPU thread each
        self.feed.ask_for_evals()
        self.show_status()

    def reset(self) -> None:
        """End the run and show the preset as before its start."""
        self.controller.stop(save=False, wait=True)
        self.feed.discard()
        self.error = ""
        self.samples.preview(self.base_config)
        self.coverage.set_config(self.base_config)
        self.show_status()

    def shutdown(self) -> None:
        self.controller.stop(save=False, wait=True)
        self.coverage.shutdown()
        self.samples.timer.stop()

    @Slot(object)
    def _on_failed(self, info: dict) -> None:
        self.error = info["message"]
        self.show_status()

    @Slot()
    @Slot(str)
    def show_status(self, *_args) -> None:
        state = self.controller.state
        words = {"idle": self.tr("ready") if not self.step else self.tr("stopped"),
                 "completed": self.tr("reached its demo step"), "starting": self.tr("starting"),
                 "running": self.tr("running"), "paused": self.tr("paused"), "stopping": self.tr("stopping")}
        text = self.tr("step {step} / {total} · {state}").format(step=f"{self.step:,}", total=f"{self.total:,}",
                                                                  state=words.get(state, state))
        if self.feed.steps_per_s:
            text += " · " + self.tr("{rate} steps/s").format(rate=f"{self.feed.steps_per_s:,.0f}")
        if self.error:
            text += f" · {self.error}"
        self.status.setText(text)


class CompareWindow(QMainWindow):
    """`left` and `right` are preset names; both train with the same seed."""

    def __init__(self, left: str, right: str, seed: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        configs = [load_preset(left), load_preset(right)]
        self.setWindowTitle(self.tr("GAN Studio — {left} vs {right}").format(left=left, right=right))
        central = QWidget()
        outer = QVBoxLayout(central)
        bar = QHBoxLayout()
        self.start_button = QPushButton(self.tr("Start both"))
        self.start_button.setToolTip(self.tr("train both runs at once, each in its own thread, to its demo step "
                                             "(Space)"))
        self.start_button.clicked.connect(self.toggle)
        self.reset_button = QPushButton(self.tr("Reset"))
        self.reset_button.setToolTip(self.tr("end both runs and clear them"))
        self.reset_button.clicked.connect(self.reset)
        bar.addWidget(self.start_button)
        bar.addWidget(self.reset_button)
        bar.addSpacing(16)
        bar.addWidget(QLabel(self.tr("Seed (both)")))
        self.seed = QSpinBox()
        self.seed.setRange(0, 2 ** 31 - 1)
        self.seed.setValue(configs[0].train.seed if seed is None else seed)
        self.seed.setToolTip(self.tr("both runs use this seed: the only differences are the settings of the presets"))
        bar.addWidget(self.seed)
        bar.addStretch(1)
        outer.addLayout(bar)
        sides = QSplitter(Qt.Orientation.Horizontal)
        self.panes = [RunPane(left, configs[0]), RunPane(right, configs[1])]
        for pane in self.panes:
            sides.addWidget(pane)
            pane.controller.state_changed.connect(self._on_state)
            pane.feed.run_ready.connect(self._on_ready)
        outer.addWidget(sides, 1)
        self.setCentralWidget(central)
        self.panes[1].samples.share_view_with(self.panes[0].samples)
        for pane in self.panes:
            pane.coverage.set_step_range(max(p.total for p in self.panes))
        QShortcut(QKeySequence(Qt.Key.Key_Space), self, activated=self.toggle)
        self.presenter = ComparePresenter(self)  # F5
        self.resize(1700, 1000)
        self._on_state()

    @property
    def running(self) -> bool:
        return any(p.controller.active for p in self.panes)

    @Slot()
    def start(self) -> None:
        for pane in self.panes:
            if pane.controller.active:
                pane.controller.resume()
            else:
                pane.start(self.seed.value())
        self._on_state()

    @Slot()
    def toggle(self) -> None:
        """Start both, or pause both, or resume both."""
        if any(p.controller.state in ("running", "starting") and not p.controller.pausing
               for p in self.panes):
            for pane in self.panes:
                pane.controller.pause()
        else:
            self.start()
        self._on_state()

    @Slot()
    def reset(self) -> None:
        for pane in self.panes:
            pane.reset()
        self._on_state()

    @Slot(object)
    def _on_ready(self, info: dict) -> None:
        """The same view range on both planes (the larger of the two extents)."""
        extents = [p.feed.ready_info["extent"] for p in self.panes
                   if p.feed.ready_info and p.feed.ready_info.get("is_2d")]
        if extents:
            for pane in self.panes:
                pane.samples.set_plane_extent(max(extents))

    @Slot()
    @Slot(str)
    def _on_state(self, *_args) -> None:
        states = [p.controller.state for p in self.panes]
        running = any(s in ("running", "starting") for s in states)
        if running:
            self.start_button.setText(self.tr("Pause both"))
        elif any(s == "paused" for s in states):
            self.start_button.setText(self.tr("Resume both"))
        else:
            self.start_button.setText(self.tr("Start both"))
        self.start_button.setEnabled(not all(s == "completed" for s in states))
        self.seed.setEnabled(not self.running)

    def closeEvent(self, event: QCloseEvent) -> None:
        for pane in self.panes:
            pane.shutdown()
        super().closeEvent(event)

