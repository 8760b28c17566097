"""Samples: an image grid from fixed noise, or the 2-D plane; redrawn on the GUI's own timer."""
from __future__ import annotations

import math

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from ..core.codes import CodeLayout
from ..core.run import sample_picture
from .paint_budget import PaintBudget
from .plane_view import PlaneView
from .timeline import TimelineBar

GRID_PAD = 2  # render.image_grid's padding between cells
DEFAULT_SUBJECT = QT_TRANSLATE_NOOP("ImageGridView", "G(z) from a fixed noise batch")
PICK_RADIUS_PX = 12  # a click this close to a generated point picks it


class ImageGridView(QWidget):
    """A uint8 grid (row-major, explicit levels) in an aspect-locked view."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self.tr("Samples {subject}").format(subject=self.tr(DEFAULT_SUBJECT)))
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
        self.subject = self.tr(DEFAULT_SUBJECT)

    def set_codes(self, config) -> None:
        """Say what the rows are when the fixed codes give one row per class or categorical value."""
        slot = CodeLayout.from_config(config).categorical
        if slot is None:
            self.subject = self.tr(DEFAULT_SUBJECT)
        else:
            what = self.tr("class") if config.cond.kind in ("cgan", "acgan") else \
                self.tr("{code} value").format(code=slot.name)
            self.subject = self.tr("G(z, c): row k is {what} k (top row 0); same z down each column").format(what=what)
        self.title.setText(self.tr("Samples {subject}").format(subject=self.subject))

    def set_grid(self, grid: np.ndarray, step: int) -> None:
        self.image.setImage(grid, autoLevels=False, levels=(0, 255))
        if grid.shape != self._shape:
            self._shape = grid.shape
            self.view.autoRange(padding=0.01)
        self.title.setText(self.tr("Samples {subject} — step {step}").format(subject=self.subject, step=f"{step:,}"))
        self.frames += 1

    def clear(self) -> None:
        self.image.clear()
        self._shape = None
        self.title.setText(self.tr("Samples {subject}").format(subject=self.subject))


class SamplesPanel(QWidget):
    """Holds the latest frame from the worker and draws it `rate` times a second at most."""

    picked = Signal(int)  # a click on a grid cell or near a generated point: its fixed-noise index

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
        self.fixed_count = 0  # samples in the fixed noise batch, for mapping clicks to cells
        self.grid_view.widget.scene().sigMouseClicked.connect(self._on_grid_click)
        self.plane_view.widget.scene().sigMouseClicked.connect(self._on_plane_click)
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setStyleSheet("color: #555; font-size: 11pt;")
        layout.addWidget(self.hint)
        self.timeline = TimelineBar(self)
        self.timeline.frame_selected.connect(self.show_snapshot)
        self.timeline.live_resumed.connect(self._show_live)
        layout.addWidget(self.timeline)
        self.pending: dict | None = None
        self.frames = 0
        self.last_frame: dict | None = None
        self.timer = QTimer(self)
        self.budget = PaintBudget(self, self.timer)
        self.timer.timeout.connect(self._on_timer)
        self.set_rate(rate_hz)
        self.timer.start()

    def set_rate(self, hz: float) -> None:
        self.budget.set_rate(hz)

    @Slot()
    def _on_timer(self) -> None:
        self.budget.draw(self.draw_pending)

    def set_mode(self, is_2d: bool) -> None:
        self.stack.setCurrentWidget(self.plane_view if is_2d else self.grid_view)

    def set_hint(self, text: str) -> None:
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

    def set_real(self, info: dict) -> None:
        self.plane_view.set_real(info.get("real"), info.get("centres"), info.get("extent", 1.0))
        self.timeline.set_real(info.get("real"), info.get("centres"))

    def preview(self, config) -> None:
        """Before a run: the real 2-D data and its modes, so the plane shows the target at once."""
        self.set_mode(config.is_2d)
        self.grid_view.set_codes(config)
        if not config.is_2d:
            return
        from ..core.data import toy_points
        from ..core.plane import plane_extent

        real, centres, _ = toy_points(config.data.name, 1500, config.data.seed)
        self.plane_view.set_real(real, centres, plane_extent(real))

    def clear(self) -> None:
        self.pending = None
        self.last_frame = None
        self.timeline.clear()
        self.grid_view.clear()
        self.plane_view.clear()

    def current_picture(self, config) -> np.ndarray | None:
        """What is on show as a uint8 picture: the grid as drawn, or for 2-D the generated points over
        `config`'s real data as `gan-studio train` writes them to samples/; None while nothing is."""
        if self.stack.currentWidget() is self.plane_view:
            xs, ys = self.plane_view.fake.getData()
            if xs is None or len(xs) == 0:
                return None
            return sample_picture(config, np.stack([xs, ys], 1))
        grid = self.grid_view.image.image
        return None if grid is None else np.ascontiguousarray(grid, dtype=np.uint8)

    def share_view_with(self, other: "SamplesPanel") -> None:
        """Pan and zoom this panel's plane and grid together with `other`'s."""
        self.plane_view.plot.setXLink(other.plane_view.plot)
        self.plane_view.plot.setYLink(other.plane_view.plot)
        self.grid_view.view.setXLink(other.grid_view.view)
        self.grid_view.view.setYLink(other.grid_view.view)

    def set_plane_extent(self, extent: float) -> None:
        self.plane_view.set_extent(extent)

    @Slot(object)
    def add_frame(self, frame: dict) -> None:
        """Keep the latest frame; older undrawn ones are dropped (coalescing)."""
        self.pending = frame
        self.timeline.record(frame)

    def draw_pending(self) -> bool:
        """Show the newest frame that arrived since the last one drawn; False if there was none."""
        if self.timeline.scrubbing:
            return False  # a past snapshot is on show; the newest frame waits
        frame, self.pending = self.pending, None
        if frame is None:
            return False
        if frame["kind"] == "plane":
            self.set_mode(True)
            self.plane_view.set_frame(frame)
        else:
            self.set_mode(False)
            self.grid_view.set_grid(frame["grid"], frame["step"])
        self.last_frame = frame
        self.frames += 1
        return True

    @Slot(object)
    def show_snapshot(self, frame: dict) -> None:
        """A past frame chosen on the timeline (not counted as a live frame)."""
        if frame["kind"] == "plane":
            self.plane_view.set_frame(frame)
        else:
            self.grid_view.set_grid(frame["grid"], frame["step"])

    @Slot()
    def _show_live(self) -> None:
        if self.pending is None and self.last_frame is not None:
            self.show_snapshot(self.last_frame)

    # -- picking a sample (its z goes to the latent explorer) ----------------
    def set_fixed_count(self, n: int) -> None:
        self.fixed_count = int(n)

    def cell_at(self, x: float, y: float) -> int | None:
        """The fixed-noise index of the grid cell under image pixel (x, y), laid out as render.image_grid."""
        grid = self.grid_view.image.image
        n = self.fixed_count
        if grid is None or n < 1:
            return None
        ncol = math.ceil(math.sqrt(n))
        nrow = math.ceil(n / ncol)
        pitch_x, pitch_y = (grid.shape[1] - GRID_PAD) / ncol, (grid.shape[0] - GRID_PAD) / nrow
        if not (0 <= x < grid.shape[1] and 0 <= y < grid.shape[0]):
            return None
        col, row = int((x - GRID_PAD / 2) // pitch_x), int((y - GRID_PAD / 2) // pitch_y)
        index = row * ncol + col
        return index if 0 <= col < ncol and 0 <= row < nrow and index < n else None

    def point_near(self, x: float, y: float, radius: float) -> int | None:
        """The index of the generated point nearest (x, y) on the plane, if within `radius`."""
        xs, ys = self.plane_view.fake.getData()
        if xs is None or len(xs) == 0:
            return None
        distance = np.hypot(np.asarray(xs) - x, np.asarray(ys) - y)
        index = int(np.argmin(distance))
        return index if distance[index] <= radius else None

    def _on_grid_click(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.stack.currentWidget() is not self.grid_view:
            return
        pos = self.grid_view.view.mapSceneToView(event.scenePos())
        index = self.cell_at(pos.x(), pos.y())
        if index is not None:
            self.picked.emit(index)

    def _on_plane_click(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.stack.currentWidget() is not self.plane_view:
            return
        box = self.plane_view.plot.getViewBox()
        pos = box.mapSceneToView(event.scenePos())
        pixel_w, pixel_h = box.viewPixelSize()
        index = self.point_near(pos.x(), pos.y(), PICK_RADIUS_PX * max(pixel_w, pixel_h))
        if index is not None:
            self.picked.emit(index)
