"""The model as a live diagram: z → G → fake → D ← real, D → D's loss and G's loss, gradients flowing back.

Each node shows its tensor in miniature (the noise, the batches, a histogram of D's scores, the loss
values) from the slow-motion frame on show, and the losses follow the run's metrics between
iterations; the edges the sub-step uses light up. A click on z, G, D, the data or a loss asks for
its settings (`setting_requested`).
"""
from __future__ import annotations

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..core.render import image_grid
from ..core.slow_motion import CONTEXT as SLOW_MOTION_CONTEXT
from .plane_view import FAKE_COLOUR, REAL_COLOUR, arrow_segments

# name: (centre x, centre y, width, height, label (tr()'d where drawn), settings path); the canvas is 100 × 60, y up
NODES = {"z": (9, 36, 14, 16, QT_TRANSLATE_NOOP("DiagramPanel", "noise z"), "generator.z_dim"),
         "G": (29, 36, 10, 10, "G", "generator.arch"),
         "fake": (50, 36, 16, 16, QT_TRANSLATE_NOOP("DiagramPanel", "fake G(z)"), "train.batch_size"),
         "real": (50, 10, 16, 16, QT_TRANSLATE_NOOP("DiagramPanel", "real batch"), "data.name"),
         "D": (71, 23, 14, 18, "D", "discriminator.arch"),
         "loss_D": (92, 10, 14, 10, QT_TRANSLATE_NOOP("DiagramPanel", "D's loss"), "loss.kind"),
         "loss_G": (92, 36, 14, 10, QT_TRANSLATE_NOOP("DiagramPanel", "G's loss"), "loss.kind")}
# edge: polyline; "⇢" edges are gradients flowing back (dashed)
EDGE_PATHS = {"z→G": [(16, 36), (24, 36)], "G→fake": [(34, 38), (42, 38)], "fake→D": [(58, 36), (64, 28)],
              "real→D": [(58, 10), (64, 18)], "D→loss_D": [(78, 18), (85, 12)], "D→loss_G": [(78, 28), (85, 35)],
              "loss_D⇢D": [(85, 8), (78, 15)], "loss_G⇢fake": [(92, 41), (92, 50), (50, 50), (50, 44)],
              "fake⇢G": [(42, 33), (34, 33)]}
FORWARD_ON, BACKWARD_ON, EDGE_OFF = (230, 120, 0), (120, 60, 200), (190, 190, 190)
NODE_FILL = {"G": (217, 48, 37, 60), "D": (26, 115, 232, 50)}
LABEL_PT, VALUE_PT = 12, 16
Z_RANGE = 3.0  # the z box spans [-3, 3]² of z's first two coordinates


def fit_into(points: np.ndarray, half: float, node: str) -> np.ndarray:
    """2-D points in [-half, half]² mapped into a node's box (a 10 % margin), clipped to it."""
    cx, cy, w, h = NODES[node][:4]
    unit = np.clip(np.asarray(points, np.float64)[:, :2] / half, -1, 1)
    return np.stack([cx + unit[:, 0] * w * 0.4, cy + unit[:, 1] * h * 0.4], 1)


class DiagramPanel(QWidget):
    setting_requested = Signal(str)  # a config path, e.g. "discriminator.arch"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        self.title = QLabel(self.tr("The model: solid arrows carry data forward, dashed ones carry gradients back. "
                                    "Click G, D, z, the data or a loss for its settings."))
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 13pt; color: #333; padding: 2px;")
        layout.addWidget(self.title)
        self.widget = pg.PlotWidget(background="w")
        self.widget.setAntialiasing(True)
        self.widget.setMenuEnabled(False)
        plot = self.plot = self.widget.getPlotItem()
        plot.hideAxis("left")
        plot.hideAxis("bottom")
        plot.setMouseEnabled(False, False)
        plot.hideButtons()
        plot.setAspectLocked(True)
        plot.setRange(xRange=(0, 100), yRange=(-5, 55), padding=0.03)
        layout.addWidget(self.widget, 1)
        self.edges: dict[str, tuple[pg.PlotCurveItem, pg.PlotCurveItem]] = {}
        self._add_nodes()
        self._add_edges()
        self.z = self._scatter((110, 110, 110, 200))
        self.fake = self._scatter((*FAKE_COLOUR, 200))
        self.real = self._scatter((*REAL_COLOUR, 200))
        self.fake_image, self.real_image = pg.ImageItem(axisOrder="row-major"), pg.ImageItem(axisOrder="row-major")
        for image in (self.fake_image, self.real_image):
            plot.addItem(image)
        self.bars: list[pg.BarGraphItem] = []
        self.active: tuple[str, ...] = ()
        self.replayed_step = -1  # the step of the slow-motion frame on show: its losses win over the metrics
        self.set_active(())
        self.widget.scene().sigMouseClicked.connect(self._on_click)

    def _text(self, html: str, x: float, y: float, anchor=(0.5, 1.0)) -> pg.TextItem:
        item = pg.TextItem(html=html, anchor=anchor)
        item.setPos(x, y)
        self.plot.addItem(item)
        return item

    def _add_nodes(self) -> None:
        self.values: dict[str, pg.TextItem] = {}
        for name, (cx, cy, w, h, label, _path) in NODES.items():
            box = QRectF(cx - w / 2, cy - h / 2, w, h)
            rect = pg.QtWidgets.QGraphicsRectItem(box)
            rect.setPen(pg.mkPen((60, 60, 60), width=1.5))
            rect.setBrush(pg.mkBrush(NODE_FILL.get(name, (250, 250, 250, 255))))
            rect.setZValue(-5)
            self.plot.addItem(rect)
            big = name in ("G", "D")  # G's name inside its box, D's above (its box holds the histogram)
            x, y, anchor = {"G": (cx, cy, (0.5, 0.5)), "D": (cx, cy + h / 2 + 0.5, (0.5, 1.0))}.get(
                name, (cx, cy - h / 2 - 0.5, (0.5, 0.0)))  # the others' names below their boxes
            self._text(f"<span style='font-size:{VALUE_PT if big else LABEL_PT}pt; font-weight:bold; "
                       f"color:#202124'>{self.tr(label)}</span>", x, y, anchor)
            if name.startswith("loss"):
                self.values[name] = self._text("", cx, cy, (0.5, 0.5))

    def _add_edges(self) -> None:
        for name, path in EDGE_PATHS.items():
            xy = np.array(path, np.float64)
            line = pg.PlotCurveItem(xy[:, 0], xy[:, 1])
            tip, back = xy[-1], xy[-2]
            unit = (tip - back) / np.linalg.norm(tip - back) * 2.2
            hx, hy = arrow_segments(np.array([tip - unit]), np.array([unit]), head=0.9, angle_deg=30)
            head = pg.PlotCurveItem(hx[2:], hy[2:], connect="pairs")  # the two strokes of the head
            for item in (line, head):
                item.setZValue(-2)
                self.plot.addItem(item)
            self.edges[name] = (line, head)

    def _scatter(self, colour) -> pg.ScatterPlotItem:
        item = pg.ScatterPlotItem(size=3, pen=None, brush=pg.mkBrush(*colour))
        self.plot.addItem(item)
        return item

    # -- content --------------------------------------------------------------
    def set_active(self, edges) -> None:
        """Light up `edges` (names from core.slow_motion.EDGES); the rest are grey."""
        self.active = tuple(edges)
        for name, (line, head) in self.edges.items():
            back = "⇢" in name
            on = name in self.active
            colour = (BACKWARD_ON if back else FORWARD_ON) if on else EDGE_OFF
            style = Qt.PenStyle.DashLine if back else Qt.PenStyle.SolidLine
            pen = pg.mkPen(colour, width=5 if on else 2, style=style)
            line.setPen(pen)
            head.setPen(pg.mkPen(colour, width=5 if on else 2))

    @Slot(object)
    def show_frame(self, frame: dict) -> None:
        """A slow-motion frame: its tensors in the nodes, its edges lit."""
        self.set_active(frame["edges"])
        self.replayed_step = frame["step"]
        z = frame["z"]
        self.z.setData(pos=fit_into(z if z.shape[1] > 1 else np.c_[z, np.zeros(len(z))], Z_RANGE, "z"))
        for node, data in (("fake", frame["fake"]), ("real", frame["real"])):
            self._show_batch(node, data, frame.get("extent", 1.0))
        self._show_scores(frame["d_real"], frame["d_fake"])
        self._show_loss("loss_D", frame["loss_d"])
        self._show_loss("loss_G", frame["loss_g"])
        title = QCoreApplication.translate(SLOW_MOTION_CONTEXT, frame["title"])
        self.title.setText(f"<b>{frame['index'] + 1}. {title}</b> — " +
                           self.tr("lit arrows: what this sub-step uses (solid: data forward, dashed: gradients back)"))

    def _show_batch(self, node: str, data: np.ndarray, extent: float) -> None:
        scatter, image = (self.fake, self.fake_image) if node == "fake" else (self.real, self.real_image)
        if data.ndim == 2 or not len(data):  # points, or nothing drawn yet
            scatter.setData(pos=fit_into(data if data.ndim == 2 else np.zeros((0, 2)), extent, node))
            image.clear()
            return
        scatter.clear()
        grid = image_grid(data[:9], ncol=3)
        image.setImage(grid[::-1] if grid.ndim == 2 else grid[::-1, :, :], autoLevels=False, levels=(0, 255))
        cx, cy, w, h = NODES[node][:4]
        image.setRect(QRectF(cx - w * 0.45, cy - h * 0.45, w * 0.9, h * 0.9))

    def _show_scores(self, real: np.ndarray | None, fake: np.ndarray | None) -> None:
        """Histograms of D's outputs on the real (blue) and fake (red) batch, in D's box."""
        for bar in self.bars:
            self.plot.removeItem(bar)
        self.bars = []
        present = [s for s in (real, fake) if s is not None]
        if not present:
            return
        lo, hi = min(float(s.min()) for s in present), max(float(s.max()) for s in present)
        lo, hi = (min(lo, 0.0), max(hi, 1.0)) if lo >= 0 and hi <= 1 else (lo, hi if hi > lo else lo + 1)
        cx, cy, w, h = NODES["D"][:4]
        edges = np.linspace(lo, hi, 13)
        for scores, colour in ((real, REAL_COLOUR), (fake, FAKE_COLOUR)):
            if scores is None:
                continue
            counts, _ = np.histogram(scores, edges)
            x = cx - w * 0.42 + (edges[:-1] + edges[1:] - 2 * lo) / 2 / (hi - lo) * w * 0.84
            heights = counts / max(counts.max(), 1) * h * 0.8
            bar = pg.BarGraphItem(x=x, height=heights, width=w * 0.84 / 12 * 0.9, y0=cy - h * 0.42,
                                  brush=pg.mkBrush(*colour, 140), pen=None)
            self.plot.addItem(bar)
            self.bars.append(bar)

    def _show_loss(self, node: str, value: float | None) -> None:
        text = "?" if value is None else f"{value:.3f}"  # not yet computed in this sub-step
        self.values[node].setHtml(f"<span style='font-size:{VALUE_PT}pt; color:#202124'>{text}</span>")

    @Slot(object)
    def show_metrics(self, batch: dict) -> None:
        """The run's latest losses, between slow-motion iterations."""
        if batch.get("step", 0) <= self.replayed_step + 1:
            return
        columns = batch.get("columns") or {}
        for node, key in (("loss_D", "loss_d"), ("loss_G", "loss_g")):
            values = columns.get(key)
            if values is not None and len(values):
                self._show_loss(node, float(values[-1]))

    def node_at(self, x: float, y: float) -> str | None:
        for name, (cx, cy, w, h, *_rest) in NODES.items():
            if abs(x - cx) <= w / 2 and abs(y - cy) <= h / 2:
                return name
        return None

    def _on_click(self, event) -> None:
        point = self.plot.getViewBox().mapSceneToView(event.scenePos())
        node = self.node_at(point.x(), point.y())
        if node is not None:
            self.setting_requested.emit(NODES[node][5])
