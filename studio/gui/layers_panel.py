"""Inside the generator: the layer viewer beneath the latent explorer's picture (core/layers.py).

One grid per layer of G's feature maps for the explorer's z, each channel a tile, and the channel
under the mouse enlarged beside them with its index and value range; they follow the sliders. The
section folds away, and folded or hidden it asks for nothing: the render thread then records no
feature maps at all.
"""
from __future__ import annotations

import re
import time

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsRectItem, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from ..core.layers import NO_MAPS_NOTE, channel_at, channel_origin, channel_tile
from .latent_view import _draw, _picture_box

MAX_DRAWS_PER_S = 30.0  # the grids follow a drag at most this often; the picture above is never held back
BODY_MIN_HEIGHT = 170  # pixels of grids at least; open, the section shares the column with the picture
SELECTED_COLOUR = (255, 196, 0)
TITLE_STYLE = "font-size: 10pt; font-weight: bold; color: #222;"
NOTES = {NO_MAPS_NOTE: QT_TRANSLATE_NOOP(  # core.layers' note, in English there; lupdate reads it here
    "LayersPanel", "This generator is an MLP: its hidden layers are vectors of units, not images, so there are no "
                   "feature maps to show. Train a DCGAN or ResNet generator to look inside.")}
LAYER_KINDS = {"conv": QT_TRANSLATE_NOOP("LayerGrid", "conv {number}"),  # core.layers' names: "conv 2", …
               "block": QT_TRANSLATE_NOOP("LayerGrid", "block {number}"),
               "linear": QT_TRANSLATE_NOOP("LayerGrid", "linear")}
VIEW_ALL = QT_TRANSLATE_NOOP("ViewBox", "View All")  # pyqtgraph's menu item (it translates it): named in a tooltip


def layer_name(name: str) -> str:
    """A layer's name (core.layers: "conv 1", "block 2", "linear") in the window's language."""
    match = re.fullmatch(r"(conv|block|linear)(?: (\d+))?", name)
    if match is None:
        return name
    return QCoreApplication.translate("LayerGrid", LAYER_KINDS[match[1]]).format(number=match[2])


class LayerGrid(QWidget):
    """One layer: its name and shape above the grid of its channels, and a frame round the chosen one."""

    def __init__(self, zoomable: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.title = QLabel()
        self.title.setStyleSheet(TITLE_STYLE)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.title)
        self.widget = pg.GraphicsLayoutWidget()
        self.box, self.image = _picture_box(self.widget)
        if zoomable:
            self.box.setMouseEnabled(True, True)
            self.widget.setToolTip(self.tr("Scroll to zoom, drag to pan; right-click ▸ {view_all} to see every channel")
                                   .format(view_all=QCoreApplication.translate("ViewBox", VIEW_ALL)))
        self.frame = QGraphicsRectItem()
        pen = QPen(pg.mkColor(SELECTED_COLOUR))
        pen.setCosmetic(True)
        pen.setWidth(2)
        self.frame.setPen(pen)
        self.frame.setZValue(1)
        self.frame.hide()
        self.box.addItem(self.frame)
        column.addWidget(self.widget, 1)

    def show_layer(self, layer: dict) -> None:
        c, h, w = layer["shape"]
        name = layer_name(layer["name"])
        self.title.setText(f"{name}: {c} × {h}×{w}")
        self.title.setToolTip(self.tr("{c} channels of {h}×{w} pixels after {layer}; each channel stretched from "
                                      "its own minimum (black) to its own maximum (white)").format(
            c=c, h=h, w=w, layer=name))
        _draw(self.image, self.box, layer["grid"], 0.01)

    def mark(self, shape: tuple[int, int, int] | None, k: int = 0) -> None:
        """Frame channel k's tile (None: no frame in this layer)."""
        if shape is None:
            self.frame.hide()
            return
        x, y = channel_origin(shape, k)
        self.frame.setRect(QRectF(x - 0.5, y - 0.5, shape[2] + 1, shape[1] + 1))
        self.frame.show()


class LayersPanel(QWidget):
    """The foldable "Inside the generator" section. `wanted_changed` when it opens, closes or shows
    again (the explorer then asks for a frame with its layers); `show_layers` takes the render thread's
    payload (core.layers.FeatureRecord.grids)."""

    wanted_changed = Signal()

    def __init__(self, beneath: QWidget, parent: QWidget | None = None):
        """Sit in `beneath`'s layout, right below it (the explorer's picture)."""
        super().__init__(parent)
        self.layers: list[dict] = []  # the layers on show
        self.selected: tuple[int, int] | None = None  # (layer, channel) enlarged
        self.draws = 0  # payloads drawn
        self._pending: dict | None = None
        self._next_draw = 0.0
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._draw_pending)
        self._build()
        self._column = beneath.parentWidget().layout()
        self._column.insertWidget(self._column.indexOf(beneath) + 1, self)
        self._show_parts()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 4, 0, 0)
        outer.setSpacing(2)
        header = QHBoxLayout()
        self.toggle = QToolButton()
        self.toggle.setText(self.tr("Inside the generator"))
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setStyleSheet("QToolButton { font-size: 11pt; font-weight: bold; border: none; }")
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.toggle.setToolTip(self.tr("Show or fold away the feature maps of each layer of G for this z"))
        self.toggle.toggled.connect(self._on_toggled)
        header.addWidget(self.toggle)
        self.caption = QLabel(self.tr("each layer's feature maps for this z; point at a channel to enlarge it"))
        self.caption.setStyleSheet("color: #555; font-size: 10pt;")
        header.addWidget(self.caption, 1)
        outer.addLayout(header)
        self.note = QLabel(self.tr("The feature maps appear with the next picture."))
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555; font-size: 10pt; padding: 2px 6px;")
        outer.addWidget(self.note)
        self.body = QWidget()
        self.body.setMinimumHeight(BODY_MIN_HEIGHT)
        self.row = QHBoxLayout(self.body)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.grids: list[LayerGrid] = []
        self.zoom = LayerGrid(zoomable=False)
        self.range = QLabel()
        self.range.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.range.setStyleSheet("color: #333; font-size: 10pt;")
        self.zoom.layout().addWidget(self.range)
        self.row.addWidget(self.zoom, 1)
        outer.addWidget(self.body, 1)

    # -- what the explorer asks ------------------------------------------------
    def wanted(self) -> bool:
        """Whether frames should bring feature maps: the section is open and on screen."""
        return self.toggle.isChecked() and self.isVisible()

    @Slot(bool)
    def _on_toggled(self, on: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self._show_parts()
        self.wanted_changed.emit()

    def _show_parts(self) -> None:
        """Open with grids: they share the column with the picture; open without (an MLP, or nothing
        yet): a note; folded: the header alone."""
        on, grids = self.toggle.isChecked(), bool(self.layers)
        self.caption.setVisible(on and grids)
        self.body.setVisible(on and grids)
        self.note.setVisible(on and not grids)
        self._column.setStretchFactor(self, 1 if on and grids else 0)
        self._fit_height()

    def _fit_height(self) -> None:
        """No taller than square grids side by side need: the picture above keeps the rest."""
        if not self.body.isVisibleTo(self):
            self.setMaximumHeight(16777215)  # QWIDGETSIZE_MAX
            return
        side = self.width() // (len(self.grids) + 1)  # the grids and the enlarged channel, square
        words = self.fontMetrics().height()
        self.setMaximumHeight(max(BODY_MIN_HEIGHT, side) + self.toggle.sizeHint().height() + 3 * words + 16)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.wanted_changed.emit()  # hidden, it was sent no layers: the grids may be stale

    def clear(self) -> None:
        """Nothing on show: a new generator is coming."""
        self._pending = None
        self._timer.stop()
        self._set_grids([])
        self.note.setText(self.tr("The feature maps appear with the next picture."))

    # -- drawing -----------------------------------------------------------------
    def show_layers(self, payload: dict | None) -> None:
        """The newest layers: drawn at once, or when MAX_DRAWS_PER_S allows (only the newest is kept)."""
        if payload is None:
            return
        self._pending = payload
        wait_s = self._next_draw - time.perf_counter()
        if wait_s <= 0:
            self._draw_pending()
        elif not self._timer.isActive():
            self._timer.start(int(wait_s * 1000) + 1)

    @Slot()
    def _draw_pending(self) -> None:
        payload, self._pending = self._pending, None
        if payload is None or not self.toggle.isChecked():  # folded meanwhile: opening asks for a fresh frame
            return
        self._next_draw = time.perf_counter() + 1.0 / MAX_DRAWS_PER_S
        if payload["note"]:
            self.note.setText(self.tr(NOTES[payload["note"]]) if payload["note"] in NOTES else payload["note"])
        self._set_grids(payload["layers"])
        for grid, layer in zip(self.grids, self.layers):
            grid.show_layer(layer)
        self._show_selected()
        self.draws += 1

    def _set_grids(self, layers: list[dict]) -> None:
        """One LayerGrid per layer, rebuilt only when the layers' names or shapes change."""
        shapes = [(layer["name"], layer["shape"]) for layer in layers]
        if shapes != [(layer["name"], layer["shape"]) for layer in self.layers] or len(self.grids) != len(layers):
            for grid in self.grids:
                self.row.removeWidget(grid)
                grid.deleteLater()
            self.grids = []
            for i, layer in enumerate(layers):
                grid = LayerGrid()
                grid.widget.scene().sigMouseMoved.connect(lambda pos, i=i: self.hover(i, pos))
                self.row.insertWidget(i, grid, 1)
                self.grids.append(grid)
            self.selected = None
        self.layers = layers
        if self.selected is None and layers:  # start on the last layer's most active channel
            self.selected = (len(layers) - 1, int(np.argmax(layers[-1]["ranges"][:, 1])))
        self._show_parts()

    def hover(self, layer: int, scene_pos: QPointF) -> int | None:
        """The mouse at `scene_pos` of layer `layer`'s grid: enlarge the channel there; returns it (None: a gap)."""
        if not 0 <= layer < len(self.layers):
            return None
        pos = self.grids[layer].image.mapFromScene(scene_pos)
        k = channel_at(self.layers[layer]["shape"], pos.x(), pos.y())
        if k is not None and (layer, k) != self.selected:
            self.selected = (layer, k)
            self._show_selected()
        return k

    def _show_selected(self) -> None:
        if self.selected is None:
            return
        i, k = self.selected
        layer = self.layers[i]
        for j, grid in enumerate(self.grids):
            grid.mark(layer["shape"] if j == i else None, k)
        lo, hi = layer["ranges"][k]
        _, h, w = layer["shape"]
        name = layer_name(layer["name"])
        self.zoom.title.setText(self.tr("{layer}, channel {k}").format(layer=name, k=k))
        self.zoom.title.setToolTip(self.tr("channel {k} of {layer}, {h}×{w} pixels, enlarged").format(
            k=k, layer=name, h=h, w=w))
        _draw(self.zoom.image, self.zoom.box, channel_tile(layer, k), 0.01)
        self.range.setText(self.tr("off everywhere (0)") if lo == hi == 0 else
                           self.tr("constant {value}").format(value=f"{lo:.3g}") if lo == hi else
                           self.tr("values {lo} (black) … {hi} (white)").format(lo=f"{lo:.3g}", hi=f"{hi:.3g}"))
