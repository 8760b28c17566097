"""The replay timeline under the sample view: a bounded ring buffer of the run's sample frames,
a slider that scrubs back through them, and export of the replay as an animated GIF (or MP4).

While the slider is away from its right end the view shows the chosen snapshot and new frames
are only recorded; "Live" (or dragging to the end) follows the run again.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from ..core.timeline import SnapshotRing, export_replay
from ..core.export import mp4_available
from .event_marks import EventMarks, marks_of

CAPACITY = 400  # frames kept (at 4 frames a second: the last 100 s of a run)


class TimelineBar(QWidget):
    frame_selected = Signal(object)  # a past frame to show
    live_resumed = Signal()
    exported = Signal(str)

    def __init__(self, parent: QWidget | None = None, capacity: int = CAPACITY):
        super().__init__(parent)
        self.ring = SnapshotRing(capacity)
        self.real: np.ndarray | None = None
        self.centres: np.ndarray | None = None
        self.title = ""
        self.live = True
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)
        replay = QLabel(self.tr("Replay"))
        replay.setToolTip(self.tr("drag back to replay how the samples changed during the run"))
        layout.addWidget(replay)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setToolTip(self.tr("scrub back through the last {n} sample snapshots of this run")
                               .format(n=capacity))
        self.slider.valueChanged.connect(self._on_slider)
        column = QVBoxLayout()
        column.setSpacing(0)
        column.addWidget(self._make_strip())
        column.addWidget(self.slider)
        layout.addLayout(column, 1)
        self.position = QLabel("live")
        self.position.setMinimumWidth(150)
        layout.addWidget(self.position)
        self.live_button = QPushButton(self.tr("Live"))
        self.live_button.setToolTip(self.tr("follow the run again"))
        self.live_button.clicked.connect(self.go_live)
        layout.addWidget(self.live_button)
        self.export_button = QPushButton(self.tr("Export replay…"))
        self.export_button.setToolTip(self.tr("save the snapshots as an animated GIF or MP4") if mp4_available() else
                                      self.tr("save the snapshots as an animated GIF (MP4 needs imageio-ffmpeg, "
                                              "not installed)"))
        self.export_button.clicked.connect(self._ask_export)
        layout.addWidget(self.export_button)
        self._update_controls()

    @property
    def scrubbing(self) -> bool:
        return not self.live

    def set_real(self, real: np.ndarray | None, centres: np.ndarray | None) -> None:
        self.real, self.centres = real, centres

    def _make_strip(self) -> pg.PlotWidget:
        """Above the slider, on its scale (snapshot index): the run's live edits; hidden while there are none."""
        self.strip = pg.PlotWidget(background=None)
        self.strip.hideAxis("left")
        self.strip.hideAxis("bottom")
        self.strip.setMouseEnabled(False, False)
        self.strip.hideButtons()
        self.strip.setFixedHeight(34)
        self.strip.setYRange(0, 1)
        self.strip.hide()
        self.events: list[dict] = []
        self.marks = EventMarks(heights=(0.73, 0.27), point_size=9, first_in_full=False)  # two rows: close edits
        return self.strip

    def set_events(self, events: list[dict]) -> None:
        """The run's live edits (core.live_events), marked where the kept snapshots reach them."""
        self.events = list(events)
        self._place_marks()

    def _place_marks(self) -> None:
        steps = np.array(self.ring.steps(), dtype=np.float64)
        inside = (lambda step: float(np.interp(step, steps, np.arange(len(steps))))
                  if steps[0] <= step <= steps[-1] else None) if len(steps) > 1 else (lambda step: None)
        marks = marks_of(self.events, x_of=inside)
        self.strip.setVisible(bool(marks))
        self.strip.setXRange(0, max(len(steps) - 1, 1), padding=0)
        self.marks.show([self.strip.getPlotItem()], marks)

    def clear(self) -> None:
        self.events = []
        self.ring.clear()
        self._place_marks()
        self.live = True
        self._set_slider(0, 0)
        self._update_controls()

    def record(self, frame: dict) -> None:
        """Keep a frame; when live the slider follows it, when scrubbing it stays on its snapshot."""
        full = len(self.ring) == self.ring.capacity
        self.ring.append(frame)
        last = len(self.ring) - 1
        if self.live:
            self._set_slider(last, last)
        else:
            self._set_slider(last, max(0, self.slider.value() - 1) if full else self.slider.value())
        self._update_controls()
        if self.events:
            self._place_marks()

    def scrub_to(self, index: int) -> None:
        """Show snapshot `index` (0 = oldest kept), as dragging the slider does."""
        self.slider.setValue(int(index))

    @Slot()
    def go_live(self) -> None:
        self.live = True
        last = max(len(self.ring) - 1, 0)
        self._set_slider(last, last)
        self._update_controls()
        self.live_resumed.emit()

    def shown_frame(self) -> dict | None:
        if not len(self.ring):
            return None
        return self.ring[self.slider.value()]

    def export(self, path: str | Path, fps: float = 8.0) -> Path:
        return export_replay(self.ring.frames(), path, fps=fps, real=self.real, centres=self.centres,
                             title=self.title)

    # -- internals -----------------------------------------------------------
    def _set_slider(self, maximum: int, value: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setRange(0, maximum)
        self.slider.setValue(value)
        self.slider.blockSignals(False)

    @Slot(int)
    def _on_slider(self, value: int) -> None:
        if not len(self.ring):
            return
        if value >= len(self.ring) - 1:
            self.go_live()
            return
        self.live = False
        self._update_controls()
        self.frame_selected.emit(self.ring[value])

    def _update_controls(self) -> None:
        n = len(self.ring)
        self.live_button.setEnabled(not self.live)
        self.export_button.setEnabled(n > 0)
        self.slider.setEnabled(n > 1)
        if self.live:
            self.position.setText(self.tr("live ({n} snapshots)").format(n=n) if n else self.tr("live"))
        else:
            step = self.ring[self.slider.value()].get("step", 0)
            self.position.setText(self.tr("step {step} ({i}/{n})").format(step=f"{step:,}", i=self.slider.value() + 1,
                                                                          n=n))

    @Slot()
    def _ask_export(self) -> None:
        filters = self.tr("Animated GIF (*.gif)") + (";;" + self.tr("MP4 video (*.mp4)") if mp4_available() else "")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the replay"), "replay.gif", filters)
        if not path:
            return
        try:
            written = self.export(path)
        except (ValueError, OSError) as exc:
            self.position.setText(str(exc))
            return
        self.position.setText(self.tr("saved {file}").format(file=Path(written).name))
        self.exported.emit(str(written))
