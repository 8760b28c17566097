"""What the latent explorer shows: G's picture for the sliders' z (or its point on the plane for
2-D data, over the real data and G's manifold or cloud), and the walk strip below it; and the frame
of the controls beside it."""
from __future__ import annotations

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from ..core.config import Config
from .plane_view import FAKE_COLOUR, MANIFOLD_COLOUR, REAL_COLOUR, style_plane_axes

BACKGROUND = "#202124"
REAL_POINTS = 1500


def _picture_box(widget: pg.GraphicsLayoutWidget) -> tuple[pg.ViewBox, pg.ImageItem]:
    """A fixed view (no mouse) showing one image the right way up."""
    widget.setBackground(BACKGROUND)
    box = widget.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
    image = pg.ImageItem(axisOrder="row-major")
    box.addItem(image)
    return box, image


def _draw(image: pg.ImageItem, box: pg.ViewBox, picture: np.ndarray, padding: float) -> None:
    """Show a uint8 picture; the view is refitted only when the picture's size changes."""
    refit = image.image is None or image.image.shape != picture.shape
    image.setImage(picture, autoLevels=False, levels=(0, 255))
    if refit:
        box.autoRange(padding=padding)


SIDE_MIN_WIDTH = 450


class SideColumn(QScrollArea):
    """The explorer's controls, scrolled up and down, never narrower than the widest of them (the drawing
    pad's row, the 64×64 thumbnails): a narrow dock shrinks the picture beside it instead of cutting the
    controls off at the right edge, where no horizontal scroll bar would reach them."""

    def __init__(self, controls: QWidget):
        super().__init__()
        self.setWidget(controls)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        needed = self.widget().minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() + \
            2 * self.frameWidth()
        return QSize(max(SIDE_MIN_WIDTH, needed), hint.height())


class LatentView(QWidget):
    """The explorer's left column: title, picture or plane, hint, walk strip and response time."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        left = QVBoxLayout(self)
        left.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self.tr("Latent explorer — no generator yet"))
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold; padding: 2px;")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        left.addWidget(self.title)
        self.stack = QStackedWidget()
        self.image_widget = pg.GraphicsLayoutWidget()
        self.image_box, self.image = _picture_box(self.image_widget)
        self.stack.addWidget(self.image_widget)
        self.plane = pg.PlotWidget(background="w")
        self.plane.setAntialiasing(True)
        self._style_plane()
        self.stack.addWidget(self.plane)
        self.hint = QLabel(self.tr("Start a run, pick a sample, open a trained starter (Explore menu), or File ▸ Open "
                                   "checkpoint in explorer…"))
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555; font-size: 11pt;")
        left.addWidget(self.stack, 1)
        left.addWidget(self.hint)
        self.strip_title = QLabel(self.tr("Walk A → B"))
        self.strip_title.setStyleSheet("font-size: 11pt; font-weight: bold;")
        left.addWidget(self.strip_title)
        self.strip_widget = pg.GraphicsLayoutWidget()
        self.strip_widget.setFixedHeight(96)
        self.strip_box, self.strip_image = _picture_box(self.strip_widget)
        left.addWidget(self.strip_widget)
        self.speed = QLabel(self.tr("response: —"))
        self.speed.setStyleSheet("color: #333; font-size: 10pt;")
        left.addWidget(self.speed)

    def _style_plane(self) -> None:
        item = self.plane.getPlotItem()
        style_plane_axes(item)
        self.real = pg.ScatterPlotItem(size=4, pen=None, brush=pg.mkBrush(*REAL_COLOUR, 90))
        self.cloud = pg.ScatterPlotItem(size=3, pen=None, brush=pg.mkBrush(*MANIFOLD_COLOUR))
        self.manifold = pg.PlotCurveItem(pen=pg.mkPen(MANIFOLD_COLOUR, width=1))
        self.path = pg.PlotCurveItem(pen=pg.mkPen((250, 160, 0), width=2.5))
        self.path_ends = pg.ScatterPlotItem(size=11, symbol="s", pen=pg.mkPen("k"), brush=pg.mkBrush(250, 160, 0))
        self.point = pg.ScatterPlotItem(size=18, symbol="star", pen=pg.mkPen("k", width=1.2),
                                        brush=pg.mkBrush(*FAKE_COLOUR))
        for z, layer in enumerate((self.real, self.cloud, self.manifold, self.path, self.path_ends, self.point)):
            layer.setZValue(z)
            item.addItem(layer)
        legend = item.addLegend(offset=(8, 8), labelTextSize="10pt", brush=pg.mkBrush(255, 255, 255, 210))
        legend.setLabelTextColor("k")
        legend.addItem(self.real, self.tr("real data"))
        legend.addItem(pg.PlotDataItem(pen=pg.mkPen(MANIFOLD_COLOUR, width=2)), self.tr("G manifold / G(z) cloud"))
        legend.addItem(self.point, self.tr("G(z) for the sliders' z"))
        legend.addItem(self.path_ends, self.tr("walk A → B"))

    def clear(self) -> None:
        """Nothing shown: a new model is coming."""
        self.image.clear()
        self.strip_image.clear()
        for layer in (self.real, self.cloud, self.point, self.path_ends):
            layer.clear()
        for curve in (self.manifold, self.path):
            curve.setData([], [])

    def set_config(self, config: Config) -> None:
        """Pictures and a strip for image data; the plane, with the real data, for 2-D data."""
        self.stack.setCurrentWidget(self.plane if config.is_2d else self.image_widget)
        self.strip_widget.setVisible(not config.is_2d)
        self.strip_title.setText(self.tr("Walk A → B (drawn on the plane)") if config.is_2d else self.tr("Walk A → B"))
        if config.is_2d:
            from ..core.data import toy_points
            from ..core.plane import plane_extent

            real, _, _ = toy_points(config.data.name, REAL_POINTS, config.data.seed)
            self.real.setData(pos=real.astype(np.float64))
            extent = plane_extent(real)
            self.plane.getPlotItem().setRange(xRange=(-extent, extent), yRange=(-extent, extent), padding=0.02)

    # -- results ---------------------------------------------------------------
    def show_picture(self, picture: np.ndarray) -> None:
        """G(z), painted at once (the response time counts until it is on screen)."""
        _draw(self.image, self.image_box, picture, 0.01)
        self.image_widget.viewport().repaint()

    def show_point(self, point: np.ndarray) -> None:
        self.point.setData(pos=point[None].astype(np.float64))
        self.plane.viewport().repaint()

    def show_strip(self, strip: np.ndarray) -> None:
        _draw(self.strip_image, self.strip_box, strip, 0.02)

    def show_path(self, points: np.ndarray) -> None:
        points = points.astype(np.float64)
        self.path.setData(points[:, 0], points[:, 1])
        self.path_ends.setData(pos=points[[0, -1]])

    def show_plane_layers(self, layers: dict) -> None:
        """G's manifold as polylines (z_dim 2) or a cloud of G(z)."""
        if "manifold" in layers:
            lines, points, _ = layers["manifold"].shape
            connect = np.ones(lines * points, dtype=bool)
            connect[points - 1::points] = False
            flat = layers["manifold"].reshape(-1, 2).astype(np.float64)
            self.manifold.setData(flat[:, 0], flat[:, 1], connect=connect)
        else:
            self.cloud.setData(pos=layers["cloud"].astype(np.float64))

    def show_response(self, latencies_ms: list[float]) -> None:
        self.speed.setText(self.tr("response: {ms} ms (median of the last {n})").format(
            ms=f"{np.median(latencies_ms):.0f}", n=len(latencies_ms)))
