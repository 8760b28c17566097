"""Draw your own 2-D data: spray points with the mouse on the plane's square, erase, clear, save and
load them (CSV or .npy, `core.points`), then "Train on these" puts `points:FILE` into the settings.

The canvas is the square [-1, 1]² that `core.points.normalise` maps every points file onto, so a
loaded file is shown as it will be trained, and a drawing that fills the canvas is trained as drawn.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, QPointF, Qt, Signal, Slot
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import (QButtonGroup, QFileDialog, QGraphicsEllipseItem, QHBoxLayout, QLabel, QPushButton,
                               QSpinBox, QVBoxLayout, QWidget)

from ..core.atomic import WriteError
from ..core.data import DataError
from ..core.points import (MIN_POINTS, brush_stroke, erase_stroke, find_modes, normalise, read_points,
                           write_points)
from .plane_view import REAL_COLOUR, style_plane_axes

FILE_FILTER = QT_TRANSLATE_NOOP("PointsPanel", "Points (*.csv *.npy)")
BUTTON_STYLE = "QPushButton { font-size: 12pt; padding: 4px 10px; } " \
               "QPushButton:checked { background: #1a73e8; color: white; font-weight: bold; }"  # seen from the back row
TICKS = [[(v, f"{v:g}") for v in (-1, -0.5, 0, 0.5, 1)], []]  # the square's edges, halves and centre only


class PointsPanel(QWidget):
    """The drawing panel; `train_requested` carries the saved file's path, `message` a status line."""

    train_requested = Signal(str)
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None, drawings_dir: str | Path | None = None, seed: int = 0):
        super().__init__(parent)
        self.drawings_dir = Path(drawings_dir) if drawings_dir else Path.home() / "gan-studio" / "drawings"
        self.points = np.zeros((0, 2))
        self.saved_path: Path | None = None  # the file that holds exactly what is drawn, if any
        self.rng = np.random.default_rng(seed)
        self._last: np.ndarray | None = None  # where the pressed mouse was last (None: not pressed)
        self._cursor_at = np.zeros(2)
        self.status_note = ""  # the last save or load, said under the count
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        tools = QHBoxLayout()
        self.draw_button = self._button(self.tr("Draw"), tools)
        self.erase_button = self._button(self.tr("Erase"), tools)
        self.modes = QButtonGroup(self)
        for button in (self.draw_button, self.erase_button):
            button.setCheckable(True)
            self.modes.addButton(button)
        self.draw_button.setChecked(True)
        tools.addWidget(QLabel(self.tr("Brush:")))
        self.brush = QSpinBox(minimum=1, maximum=40, value=8, suffix=self.tr(" % of the square"),
                              styleSheet="font-size: 12pt;")
        self.brush.valueChanged.connect(self._move_cursor)
        tools.addWidget(self.brush)
        self._button(self.tr("Clear"), tools).clicked.connect(self.clear)
        tools.addStretch(1)
        self._button(self.tr("Load…"), tools).clicked.connect(self.ask_load)
        self._button(self.tr("Save…"), tools).clicked.connect(self.ask_save)
        self.train_button = self._button(self.tr("Train on these"), tools)
        self.train_button.setStyleSheet("font-size: 12pt; padding: 4px 10px; font-weight: bold;")
        self.train_button.clicked.connect(self.train_on_these)
        layout.addLayout(tools)

        self.canvas = pg.PlotWidget(background="w")
        self.canvas.setAntialiasing(True)
        item = self.canvas.getPlotItem()
        style_plane_axes(item)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.vb.setMouseEnabled(False, False)
        item.setRange(xRange=(-1, 1), yRange=(-1, 1), padding=0.04)
        item.showGrid(x=True, y=True, alpha=0.15)
        for axis in ("left", "bottom"):
            item.getAxis(axis).setTicks(TICKS)
        self.scatter = pg.ScatterPlotItem(size=6, pen=None, brush=pg.mkBrush(*REAL_COLOUR, 170))
        item.addItem(self.scatter)
        self.cursor = QGraphicsEllipseItem()
        self.cursor.setPen(QPen(QColor(60, 60, 60), 0))
        item.addItem(self.cursor)
        self.canvas.viewport().setMouseTracking(True)
        self.canvas.viewport().installEventFilter(self)
        layout.addWidget(self.canvas, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("font-size: 13pt; color: #333;")
        layout.addWidget(self.status)
        self._show()

    def _button(self, text: str, row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text)
        button.setStyleSheet(BUTTON_STYLE)
        row.addWidget(button)
        return button

    @property
    def radius(self) -> float:
        """The brush's radius in canvas units (the square is 2 wide)."""
        return self.brush.value() / 100

    # -- the mouse -----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Press, drag and release on the canvas draw or erase; pyqtgraph never sees them (no panning)."""
        kind = event.type()
        if kind not in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease):
            return super().eventFilter(watched, event)
        here = self._to_plane(event.position())
        self._move_cursor(here)
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self._last = here
            self._stroke(here, here)
        elif kind == QEvent.Type.MouseMove and self._last is not None:
            self._stroke(self._last, here)
            self._last = here
        elif kind == QEvent.Type.MouseButtonRelease:
            self._last = None
        return True

    def _to_plane(self, position: QPointF) -> np.ndarray:
        point = self.canvas.getPlotItem().vb.mapSceneToView(self.canvas.mapToScene(position.toPoint()))
        return np.array([point.x(), point.y()])

    def _move_cursor(self, here=None) -> None:
        """The brush's outline follows the mouse, so its size is seen before a click."""
        if isinstance(here, np.ndarray):
            self._cursor_at = here
        x, y = self._cursor_at
        r = self.radius
        self.cursor.setRect(x - r, y - r, 2 * r, 2 * r)

    def _stroke(self, start: np.ndarray, end: np.ndarray) -> None:
        if self.erase_button.isChecked():
            self.points = erase_stroke(self.points, start, end, self.radius)
        else:
            self.points = np.concatenate([self.points, brush_stroke(start, end, self.radius, self.rng)])
        self.saved_path = None
        self._show()

    # -- whole sets ----------------------------------------------------------
    @Slot()
    def clear(self) -> None:
        self.set_points(np.zeros((0, 2)))

    def set_points(self, points: np.ndarray, saved_path: Path | None = None) -> None:
        self.points = np.asarray(points, np.float64).reshape(-1, 2)
        self.saved_path = saved_path
        self._show()

    def save(self, path: str | Path) -> bool:
        """Write the drawing to `path` (.csv or .npy); False, with the reason shown, when it cannot be."""
        try:
            self.saved_path = write_points(path, self.points)
        except (DataError, WriteError, OSError) as exc:
            return self._say(self.tr("Could not save: {error}").format(error=exc))
        self._show()
        self._say(self.tr("Saved {n} points to {path}").format(n=f"{len(self.points):,}", path=self.saved_path))
        return True

    def load(self, path: str | Path) -> bool:
        """Show the points of a file as they will be trained (normalised); False with the reason if unreadable."""
        try:
            points = normalise(read_points(path))
        except DataError as exc:
            return self._say(self.tr("Could not load: {error}").format(error=exc))
        self.set_points(points, Path(path).expanduser())
        self._say(self.tr("Loaded {n} points from {path}, scaled to fill the square as for training")
                  .format(n=f"{len(points):,}", path=path))
        return True

    @Slot()
    def train_on_these(self) -> bool:
        """Save the drawing if it changed since (under drawings_dir), then ask for `points:FILE` as the data."""
        if len(self.points) < MIN_POINTS:
            return self._say(self.tr("Draw at least {n} points first").format(n=MIN_POINTS))
        if self.saved_path is None:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            if not self.save(self.drawings_dir / f"drawing-{stamp}-{len(self.points)}.csv"):
                return False
        self.train_requested.emit(str(self.saved_path))
        return True

    @Slot()
    def ask_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save points"), str(self.drawings_dir / "drawing.csv"),
                                              self.tr(FILE_FILTER))
        if path:
            self.save(path)

    @Slot()
    def ask_load(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Load points"), str(self.drawings_dir),
                                              self.tr(FILE_FILTER))
        if path:
            self.load(path)

    # -- feedback ------------------------------------------------------------
    def _say(self, text: str) -> bool:
        self.message.emit(text)
        self.status_note = text
        self._show()
        return False

    def _show(self) -> None:
        """Redraw the points and say how many there are and which clusters the mode meter will count."""
        self.scatter.setData(pos=self.points)
        n = len(self.points)
        if n < MIN_POINTS:
            what = self.tr("{n} points: press and drag to spray points (at least {min} to train)").format(
                n=n, min=MIN_POINTS)
        else:
            centres, _ = find_modes(normalise(self.points))
            clusters = self.tr("{k} separate clusters: the mode meter will count them").format(k=len(centres)) \
                if centres is not None else self.tr("no separate clusters: coverage shows KL and JS")
            what = self.tr("{n} points · {clusters}").format(n=f"{n:,}", clusters=clusters)
        note = f"<br><span style='font-size:11pt'>{self.status_note}</span>" if self.status_note else ""
        self.status.setText(f"<b>{what}</b>{note}")
