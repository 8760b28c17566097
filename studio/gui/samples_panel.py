"""Samples: an image grid from fixed noise, or the 2-D plane; redrawn on the GUI's own timer."""
from __future__ import annotations

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from .plane_view import PlaneView


class ImageGridView(QWidget):
    """A uint8 grid (row-major, explicit levels) in an aspect-locked view."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("Samples G(z) from a fixed noise batch")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold; padding: 4px;")
        layout.addWidget(self.title)
        self.widget = pg.GraphicsLayoutWidget()
        self.widget.setBackground("#202124")
        self.view = self.widget.addViewBox(lockAspect=True, invertY=True, enableMouse=True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.view.addItem(self.image)
        layout.addWidget(self.widget, 1)
        self.frames = 0
        self._shape = None

    def set_grid(self, grid: np.ndarray, step: int) -> None:
        self.image.setImage(grid, autoLevels=False, levels=(0, 255))
        if grid.shape != self._shape:
            self._shape = grid.shape
            self.view.autoRange(padding=0.01)
        self.title.setText(f"Samples G(z) from a fixed noise batch — step {step:,}")
        self.frames += 1

    def clear(self) -> None:
        self.image.clear()
        self._shape = None
        self.title.setText("Samples G(z) from a fixed noise batch")


class SamplesPanel(QWidget):
    """Holds the latest frame from the worker and draws it `rate` times a second at most."""

    def __init__(self, parent: QWidget | None = None, rate_hz: float = 4.0):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.stack = QStackedWidget()
        self.grid_view = ImageGridView()
        self.plane_view = PlaneView()
        self.stack.addWidget(self.grid_view)
        self.stack.addWidget(self.plane_view)
        layout.addWidget(self.stack, 1)
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setStyleSheet("color: #555; font-size: 11pt;")
        layout.addWidget(self.hint)
        self.pending: dict | None = None
        self.frames = 0
        self.last_frame: dict | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.draw_pending)
        self.set_rate(rate_hz)
        self.timer.start()

    def set_rate(self, hz: float) -> None:
        self.timer.setInterval(max(1, int(1000 / max(hz, 0.1))))

    def set_mode(self, is_2d: bool) -> None:
        self.stack.setCurrentWidget(self.plane_view if is_2d else self.grid_view)

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def set_real(self, info: dict) -> None:
        self.plane_view.set_real(info.get("real"), info.get("centres"), info.get("extent", 1.0))

    def preview(self, config) -> None:
        """Before a run: the real 2-D data and its modes, so the plane shows the target at once."""
        self.set_mode(config.is_2d)
        if not config.is_2d:
            return
        from ..core.data import toy_points
        from ..core.probe import plane_extent

        real, centres, _ = toy_points(config.data.name, 1500, config.data.seed)
        self.plane_view.set_real(real, centres, plane_extent(real))

    def clear(self) -> None:
        self.pending = None
        self.last_frame = None
        self.grid_view.clear()
        self.plane_view.clear()

    @Slot(object)
    def add_frame(self, frame: dict) -> None:
        """Keep the latest frame; older undrawn ones are dropped (coalescing)."""
        self.pending = frame

    @Slot()
    def draw_pending(self) -> None:
        frame, self.pending = self.pending, None
        if frame is None:
            return
        if frame["kind"] == "plane":
            self.set_mode(True)
            self.plane_view.set_frame(frame)
        else:
            self.set_mode(False)
            self.grid_view.set_grid(frame["grid"], frame["step"])
        self.last_frame = frame
        self.frames += 1
