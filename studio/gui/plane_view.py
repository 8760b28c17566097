"""The 2-D plane, in the spirit of GAN Lab: D's heatmap, real and generated points, G's gradient
arrows, the mode centres and the generator's manifold, each layer with its own toggle."""
from __future__ import annotations

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QRectF
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from .flow_layout import FlowLayout

REAL_COLOUR = (26, 115, 232)  # blue, as D's curves
FAKE_COLOUR = (217, 48, 37)  # red, as G's curves
ARROW_COLOUR = (60, 20, 16, 110)
MANIFOLD_COLOUR = (90, 90, 90, 150)

# D's output 0 (judged fake) → light red, 0.5 → white, 1 (judged real) → light blue.
HEAT_MAP = pg.ColorMap([0.0, 0.5, 1.0], [(244, 183, 178), (255, 255, 255), (179, 207, 247)])
LAYERS = (("heatmap", QT_TRANSLATE_NOOP("PlaneView", "D heatmap")),
          ("real", QT_TRANSLATE_NOOP("PlaneView", "Real data")),
          ("fake", QT_TRANSLATE_NOOP("PlaneView", "Generated G(z)")),
          ("arrows", QT_TRANSLATE_NOOP("PlaneView", "G's gradient")),
          ("centres", QT_TRANSLATE_NOOP("PlaneView", "Mode centres")),
          ("manifold", QT_TRANSLATE_NOOP("PlaneView", "G manifold (z in 2-D)")))
# studio.core.plane's labels of D's heatmap, translated where drawn
HEATMAP_LABELS = (QT_TRANSLATE_NOOP("PlaneView", "D(x) = P(real)"),
                  QT_TRANSLATE_NOOP("PlaneView", "D(x) score"))


def arrow_segments(points: np.ndarray, vectors: np.ndarray, head: float = 0.3,
                   angle_deg: float = 25.0) -> tuple[np.ndarray, np.ndarray]:
    """Line segments (as x, y arrays for connect='pairs') of arrows with two-stroke heads."""
    tips = points + vectors
    theta = np.deg2rad(angle_deg)
    back = -vectors * head
    segments = [points, tips]
    for sign in (1, -1):
        c, s = np.cos(sign * theta), np.sin(sign * theta)
        rotated = np.stack([back[:, 0] * c - back[:, 1] * s, back[:, 0] * s + back[:, 1] * c], 1)
        segments += [tips, tips + rotated]
    pairs = np.stack(segments, 1).reshape(-1, 2, 2)  # (3N)×2 points
    flat = pairs.reshape(-1, 2)
    return np.ascontiguousarray(flat[:, 0]), np.ascontiguousarray(flat[:, 1])


def style_plane_axes(item: pg.PlotItem) -> QFont:
    """Square x₁/x₂ axes with projector-sized labels; returns the tick font for other axes to share."""
    item.setAspectLocked(True)
    tick_font = QFont()
    tick_font.setPointSize(10)
    for axis, label in (("left", "x₂"), ("bottom", "x₁")):
        item.setLabel(axis, label, color="#222", **{"font-size": "12pt"})
        item.getAxis(axis).setTickFont(tick_font)
        item.getAxis(axis).setTextPen("k")
        item.getAxis(axis).enableAutoSIPrefix(False)
    return tick_font


class PlaneView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        toggles = FlowLayout()  # wraps on a narrow screen instead of widening the window
        toggles.addWidget(QLabel(self.tr("Layers:")))
        self.toggles: dict[str, QCheckBox] = {}
        for key, text in LAYERS:
            box = QCheckBox(self.tr(text))
            box.setChecked(True)
            box.toggled.connect(self._apply_visibility)
            toggles.addWidget(box)
            self.toggles[key] = box
        layout.addLayout(toggles)

        self.widget = pg.PlotWidget(background="w")
        self.widget.setAntialiasing(True)  # ragged points and arrows otherwise; only a few frames a second
        layout.addWidget(self.widget, 1)
        item = self.plot = self.widget.getPlotItem()

        tick_font = style_plane_axes(item)
        item.setTitle("<span style='font-size:13pt; font-weight:bold'>" + self.tr("2-D plane") + "</span>")

        self.heatmap = pg.ImageItem(axisOrder="row-major")
        self.heatmap.setLookupTable(HEAT_MAP.getLookupTable(nPts=256))
        self.heatmap.setZValue(-10)
        item.addItem(self.heatmap)
        self.colorbar = pg.ColorBarItem(values=(0.0, 1.0), colorMap=HEAT_MAP, interactive=False, width=18)
        self._heat_label = HEATMAP_LABELS[0]
        self.colorbar.axis.setLabel(self.tr(self._heat_label), color="#222", **{"font-size": "11pt"})
        self.colorbar.axis.setTickFont(tick_font)
        self.colorbar.axis.enableAutoSIPrefix(False)
        self.colorbar.axis.setTextPen("k")
        self.colorbar.axis.setWidth(64)  # room for the tick numbers and the label beside them
        item.layout.addItem(self.colorbar, 2, 5)

        self.manifold = pg.PlotCurveItem(pen=pg.mkPen(MANIFOLD_COLOUR, width=1))
        self.manifold.setZValue(-5)
        item.addItem(self.manifold)
        self.real = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(*REAL_COLOUR, 160),
                                       name=self.tr("real data"))
        item.addItem(self.real)
        self.arrows = pg.PlotCurveItem(pen=pg.mkPen(ARROW_COLOUR, width=1), connect="pairs")  # 1 px: the fast path
        self.arrows.setZValue(5)
        item.addItem(self.arrows)
        self.fake = pg.ScatterPlotItem(size=7, pen=pg.mkPen(255, 255, 255, 180, width=0.8),
                                       brush=pg.mkBrush(*FAKE_COLOUR, 230), name=self.tr("generated G(z)"))
        self.fake.setZValue(10)
        item.addItem(self.fake)
        self.centres = pg.ScatterPlotItem(size=22, symbol="o", pen=pg.mkPen("k", width=1.5),
                                          brush=pg.mkBrush(0, 0, 0, 0), name=self.tr("mode centres"))
        self.centres.setZValue(-1)
        item.addItem(self.centres)

        # under the x axis, in columns, not over the plane: inside it covered the heatmap's corner and its points
        legend = pg.LegendItem(labelTextSize="10pt", colCount=3, horSpacing=18)
        legend.setLabelTextColor("k")
        item.layout.addItem(legend, 4, 1)
        legend.addItem(self.real, self.tr("real data"))
        legend.addItem(self.fake, self.tr("generated G(z)"))
        legend.addItem(pg.PlotDataItem(pen=pg.mkPen(ARROW_COLOUR, width=2)), self.tr("G's gradient (−∇ₓ loss_G)"))
        legend.addItem(self.centres, self.tr("mode centres"))
        self._manifold_legend = pg.PlotDataItem(pen=pg.mkPen(MANIFOLD_COLOUR, width=2))  # listed once drawn
        self.legend = legend

        self.extent = 1.0
        self.has_manifold = False
        self.drawn = {"heatmap": 0, "fake": 0, "arrows": 0, "real": 0, "manifold": 0}  # counts (tests)
        self.widget.setMenuEnabled(True)
        self.set_extent(1.0)

    # -- content -------------------------------------------------------------
    def set_extent(self, extent: float) -> None:
        self.extent = float(extent)
        self.plot.setRange(xRange=(-extent, extent), yRange=(-extent, extent), padding=0.02)

    def set_real(self, real: np.ndarray | None, centres: np.ndarray | None, extent: float) -> None:
        self.set_extent(extent)
        if real is not None:
            self.real.setData(pos=np.asarray(real, np.float64))
            self.drawn["real"] += 1
        else:
            self.real.clear()
        if centres is not None:
            self.centres.setData(pos=np.asarray(centres, np.float64))
        else:
            self.centres.clear()
        self._apply_visibility()

    def clear(self) -> None:
        for item in (self.real, self.fake, self.centres):
            item.clear()
        for curve in (self.arrows, self.manifold):
            curve.setData([], [])
        self.heatmap.clear()
        self.plot.setTitle("<span style='font-size:13pt; font-weight:bold'>" + self.tr("2-D plane") + "</span>")

    def set_frame(self, frame: dict) -> None:
        extent = frame["extent"]
        if extent != self.extent:  # the plane grew to keep G's points on it (or a replayed frame from before)
            self.set_extent(extent)
        self.heatmap.setImage(frame["heatmap"], autoLevels=False, levels=(0, 255))
        self.heatmap.setRect(QRectF(-extent, -extent, 2 * extent, 2 * extent))
        lo, hi = frame.get("heatmap_range", (0.0, 1.0))
        self.colorbar.setLevels(values=(lo, hi) if hi > lo else (lo, lo + 1))
        label = frame.get("heatmap_label", "D(x)")
        if label != self._heat_label:
            self._heat_label = label
            self.colorbar.axis.setLabel(self.tr(label), color="#222", **{"font-size": "11pt"})
        self.drawn["heatmap"] += 1
        fake = frame["fake"]
        self.fake.setData(pos=fake.astype(np.float64, copy=False))
        self.drawn["fake"] += 1
        if "arrows" in frame:
            x, y = arrow_segments(fake, frame["arrows"])
            self.arrows.setData(x, y, connect="pairs")
            self.drawn["arrows"] += 1
        manifold = frame.get("manifold")
        self.has_manifold = manifold is not None
        if manifold is not None:
            lines, points, _ = manifold.shape
            connect = np.ones(lines * points, dtype=bool)
            connect[points - 1::points] = False
            flat = manifold.reshape(-1, 2)
            self.manifold.setData(flat[:, 0], flat[:, 1], connect=connect)
            self.drawn["manifold"] += 1
        else:
            self.manifold.setData([], [])
        self.plot.setTitle("<span style='font-size:13pt; font-weight:bold'>" +
                           self.tr("2-D plane — step {step}").format(step=f"{frame['step']:,}") + "</span>")
        self._apply_visibility()

    def _apply_visibility(self, *_args) -> None:
        on = {k: box.isChecked() for k, box in self.toggles.items()}
        self.heatmap.setVisible(on["heatmap"])
        self.colorbar.setVisible(on["heatmap"] and self.heatmap.image is not None)
        self.real.setVisible(on["real"])
        self.fake.setVisible(on["fake"])
        self.arrows.setVisible(on["arrows"])
        self.centres.setVisible(on["centres"])
        self.manifold.setVisible(on["manifold"] and self.has_manifold)
        self.toggles["manifold"].setEnabled(self.has_manifold or not self.drawn["heatmap"])
        # the legend names the manifold only where one is drawn (z of 2, and not in slow motion)
        listed = self.legend.getLabel(self._manifold_legend) is not None
        wanted = self.has_manifold and not self.toggles["manifold"].isHidden()
        if wanted and not listed:
            self.legend.addItem(self._manifold_legend, self.tr("G manifold"))
        elif listed and not wanted:
            self.legend.removeItem(self._manifold_legend)
