"""Your digit in latent space: draw a digit (or take a data image, or load a picture), let the
studio find the z whose image G draws closest to it, watch the search converge, then explore
from there in the latent explorer.

The search (core.invert) runs in its own thread on the generator the explorer shows, rebuilt from the
explorer's own copy of its weights: for a live run the snapshot on show, not the run's last checkpoint,
which may be hundreds of steps older (so "Explore from here" draws what the search found). Its progress
comes back as numpy payloads. Closing the window stops it.
"""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QImage, QPainter, QPen
from PySide6.QtWidgets import (QFileDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

from ..core.config import Config
from ..core.data import load_dataset
from ..core.invert import fit_drawing, inversion_steps, read_target_png
from ..core.latent import LatentRenderer
from ..core.neighbours import dataset_target
from ..core.render import image_grid
from .latent_codes import describe_codes
from .neighbours_view import NeighboursView, Thumbnail, WorkerBox

PAD_SIDE = 168  # pixels of the drawing square: 6× a 28×28 digit
STEPS, RESTARTS = 200, 4


class DrawingPad(QWidget):
    """Black paper for white strokes (as MNIST's digits are), drawn with the mouse; `drawn` after each stroke."""

    drawn = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFixedSize(PAD_SIDE, PAD_SIDE)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(self.tr("Draw a digit with the mouse, as large as the square"))
        self.canvas = QImage(PAD_SIDE, PAD_SIDE, QImage.Format.Format_Grayscale8)
        self.brush = 14
        self._last: QPointF | None = None
        self.clear()

    def clear(self) -> None:
        self.canvas.fill(0)
        self.update()

    def show_picture(self, picture: np.ndarray) -> None:
        """Put a uint8 picture (H×W or H×W×3) on the paper, scaled to fill it."""
        grey = np.ascontiguousarray(picture if picture.ndim == 2 else picture.mean(2).astype(np.uint8))
        image = QImage(grey.data, grey.shape[1], grey.shape[0], grey.strides[0], QImage.Format.Format_Grayscale8)
        painter = QPainter(self.canvas)
        painter.drawImage(QRectF(0, 0, PAD_SIDE, PAD_SIDE), image)
        painter.end()
        self.update()

    def ink(self) -> np.ndarray:
        """The paper as H×W floats, 1 where the ink is full."""
        bits = np.frombuffer(self.canvas.constBits(), np.uint8).reshape(PAD_SIDE, self.canvas.bytesPerLine())
        return bits[:, :PAD_SIDE].astype(np.float32) / 255.0

    def is_empty(self) -> bool:
        return not self.ink().any()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.drawImage(0, 0, self.canvas)
        painter.setPen(QPen(Qt.GlobalColor.darkGray, 1))
        painter.drawRect(0, 0, PAD_SIDE - 1, PAD_SIDE - 1)
        painter.end()

    def mousePressEvent(self, event) -> None:
        self._last = event.position()
        self._stroke(self._last, self._last)

    def mouseMoveEvent(self, event) -> None:
        if self._last is not None:
            here = event.position()
            self._stroke(self._last, here)
            self._last = here

    def mouseReleaseEvent(self, _event) -> None:
        if self._last is not None:
            self._last = None
            self.drawn.emit()

    def _stroke(self, a: QPointF, b: QPointF) -> None:
        painter = QPainter(self.canvas)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(Qt.GlobalColor.white, self.brush, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        painter.drawLine(a, b)
        painter.end()
        self.update()


class InvertWorker(QObject):
    """Lives in the search thread: builds G from the weights sent (kept while the explorer shows the same
    model and step) and runs core.invert, emitting each report as plain values."""

    progress = Signal(object)  # {"step", "steps", "loss", "mse", "picture" (uint8), "choices", "done", "z"}
    failed = Signal(str)

    def __init__(self):
        super().__init__()
        self._loaded: tuple[tuple, object, Config] | None = None

    def _generator(self, request: dict):
        if self._loaded is None or self._loaded[0] != request["key"]:
            config = request["config"]
            self._loaded = (request["key"], LatentRenderer(config, request["weights"]).g, config)
        return self._loaded[1], self._loaded[2]

    @Slot(object)
    def run(self, request: dict) -> None:
        cancel: threading.Event = request["cancel"]
        try:
            g, config = self._generator(request)
            for step in inversion_steps(g, config, request["target"], steps=request["steps"],
                                        restarts=request["restarts"], seed=request["seed"], psi=request["psi"]):
                if cancel.is_set():
                    return
                self.progress.emit({"step": step.step, "steps": step.steps, "loss": step.loss, "mse": step.mse,
                                    "picture": image_grid(step.image[None], ncol=1, pad=0), "choices": step.choices,
                                    "describe": describe_codes(step.choices), "done": step.done, "z": step.z,
                                    "run": request["run"], "model": request["model"]})
        except Exception as exc:  # weights that do not fit, a target of the wrong shape: said, not raised
            self.failed.emit(f"{type(exc).__name__}: {exc}")


class InvertPanel(WorkerBox):
    """The pad and the search, beside an explorer (a LatentExplorer: its config, checkpoint, ψ and set_z)."""

    message = Signal(str)
    _start = Signal(object)

    def __init__(self, explorer, parent: QWidget | None = None):
        super().__init__(self.tr("Your digit in latent space"), parent)
        self.explorer = explorer
        self.result: dict | None = None  # the last report of the last search
        self.losses: list[tuple[int, float]] = []
        self.picked: np.ndarray | None = None  # a data image or a picture file, until the next stroke
        self._run = 0
        self._cancel: threading.Event | None = None
        self._data, self._data_key = None, None  # the data set of "data image #", loaded on first use
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.pad = DrawingPad()
        self.pad.drawn.connect(self._on_drawn)
        top.addWidget(self.pad)
        pictures = QGridLayout()
        self.target_view, self.found_view = Thumbnail(self.tr("target, as G sees it")), Thumbnail(self.tr("G(z) found"))
        pictures.addWidget(self.target_view, 0, 0)
        pictures.addWidget(self.found_view, 0, 1)
        self.status = QLabel(self.tr("Draw a digit, then Find its z"))
        self.status.setWordWrap(True)
        self.status.setStyleSheet("font-size: 11pt;")
        pictures.addWidget(self.status, 1, 0, 1, 2)
        top.addLayout(pictures, 1)
        layout.addLayout(top)

        self.curve_plot = pg.PlotWidget(background="w")
        self.curve_plot.setFixedHeight(130)
        self.curve_plot.setLabel("left", self.tr("pixel MSE"))
        self.curve_plot.setLabel("bottom", self.tr("Adam step"))
        self.curve_plot.getAxis("left").enableAutoSIPrefix(False)
        self.curve_plot.setMouseEnabled(False, False)
        self.curve_plot.hideButtons()
        self.curve = self.curve_plot.plot(pen=pg.mkPen((26, 115, 232), width=2))
        layout.addWidget(self.curve_plot)

        source = QHBoxLayout()
        self.clear_button = self._button(self.tr("Clear"), source, self.clear)
        source.addWidget(QLabel(self.tr("brush")))
        self.brush = QSpinBox(minimum=4, maximum=30, value=self.pad.brush, suffix=self.tr(" px"))
        self.brush.valueChanged.connect(lambda v: setattr(self.pad, "brush", v))
        source.addWidget(self.brush)
        source.addStretch(1)
        self.load_button = self._button(self.tr("Picture…"), source, self._ask_picture,
                                        self.tr("Load a picture file (white digit on black, as MNIST)"))
        layout.addLayout(source)
        source = QHBoxLayout()  # a row of its own: the column stays narrow enough for a laptop's dock
        self.index = QSpinBox(minimum=0, maximum=9_999_999, prefix=self.tr("data image #"))
        self.index.setToolTip(self.tr("A training image by its index: see whether G can draw one of its own examples"))
        source.addWidget(self.index)
        self.pick_button = self._button(self.tr("Use"), source, self.pick_data_image)
        source.addStretch(1)
        layout.addLayout(source)
        actions = QHBoxLayout()
        self.find_button = self._button(self.tr("Find its z"), actions, self._on_find_clicked,
                                        self.tr("{restarts} random starts (for a conditional G, per class), {steps} "
                                                "Adam steps on z, the loss the pixels' mean squared error").format(
                                            restarts=RESTARTS, steps=STEPS))
        self.explore_button = self._button(self.tr("Explore from here"), actions, self.explore_from_here,
                                           self.tr("Put the z found (and its class) into the explorer"))
        self.explore_button.setEnabled(False)
        layout.addLayout(actions)

    @staticmethod
    def _button(text: str, row: QHBoxLayout, slot, tip: str = "") -> QPushButton:
        button = QPushButton(text, toolTip=tip, styleSheet="font-size: 11pt; padding: 3px 8px;")
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    # -- the target ---------------------------------------------------------------
    @Slot()
    def _on_drawn(self) -> None:
        self.picked = None
        target = self.target()
        if target is not None:
            self.target_view.show(image_grid(target[None], ncol=1, pad=0))

    @Slot()
    def clear(self) -> None:
        self.pad.clear()
        self.picked = None
        self.target_view.clear()

    def target(self) -> np.ndarray | None:
        """What G is asked to draw (C×H×W in [-1, 1]): the picked image, or the drawing framed as MNIST frames
        its digits; None when there is neither or the explorer shows no image model."""
        config = self.explorer.config
        if config is None or config.is_2d:
            return None
        if self.picked is not None:
            return self.picked
        if self.pad.is_empty():
            return None
        return fit_drawing(self.pad.ink(), config.data.image_size, config.data.channels)

    def _use_picture(self, target: np.ndarray) -> None:
        self.picked = target
        picture = image_grid(target[None], ncol=1, pad=0)
        self.pad.clear()
        self.pad.show_picture(picture)
        self.target_view.show(picture)

    def _image_config(self) -> Config | None:
        """The explorer's config when it shows an image generator; None, said in the status line, if not."""
        config = self.explorer.config
        if config is None or config.is_2d:
            self._say(self.tr("The explorer shows no image generator yet"))
            return None
        return config

    @Slot()
    def pick_data_image(self) -> None:
        """Take training image #index as the target (the data set is loaded here, once per config)."""
        if (config := self._image_config()) is None:
            return
        try:
            data = self._dataset(config)
            self._use_picture(dataset_target(data, self.index.value()))
        except Exception as exc:  # data missing, index out of range: said in the status line
            self._say(str(exc))

    def _dataset(self, config: Config):
        if self._data_key != config.data:
            self._data, self._data_key = load_dataset(config.data), config.data
            self.index.setMaximum(len(self._data) - 1)
        return self._data

    @Slot()
    def _ask_picture(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Load a picture to find in latent space"), "",
                                              self.tr("Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.webp)"))
        if path:
            self.load_picture(path)

    def load_picture(self, path: str | Path) -> None:
        if (config := self._image_config()) is None:
            return
        try:
            self._use_picture(read_target_png(path, config))
        except Exception as exc:  # DataError naming the file
            self._say(str(exc))

    # -- the search -------------------------------------------------------------
    @Slot()
    def _on_find_clicked(self) -> None:
        if self._cancel is not None:
            self.stop()
        else:
            self.find()

    def find(self) -> bool:
        """Start a search for the current target; False (with the reason shown) when it cannot start."""
        if self._image_config() is None:
            return False
        target = self.target()
        if target is None:
            self._say(self.tr("Draw a digit, take a data image or load a picture first"))
            return False
        weights = getattr(self.explorer, "shown_weights", None)  # a LatentPanel's: what it shows
        if weights is None:
            self._say(self.tr("The explorer shows no generator yet: start a run, or open a checkpoint or a starter"))
            return False
        self._ensure_thread()
        self._run += 1
        self._cancel = threading.Event()
        self.losses, self.result = [], None
        self.curve.setData([], [])
        self.explore_button.setEnabled(False)
        self.find_button.setText(self.tr("Stop"))
        self.target_view.show(image_grid(target[None], ncol=1, pad=0))
        self._say(self.tr("Searching the generator on show ({source})…").format(source=self.explorer.source.text()))
        self._start.emit({"run": self._run, "model": self.explorer.model, "cancel": self._cancel,
                          "key": (self.explorer.model, self.explorer.step), "config": self.explorer.config,
                          "weights": weights, "target": target, "steps": STEPS, "restarts": RESTARTS,
                          "seed": 0, "psi": self.explorer.psi.value()})
        return True

    @Slot()
    def stop(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self._cancel = None
        self.find_button.setText(self.tr("Find its z"))

    def _ensure_thread(self) -> None:
        if self._thread is None:
            worker = InvertWorker()
            self._start_thread(worker, "gan-studio-invert", ((self._start, worker.run),
                                                             (worker.progress, self._on_progress),
                                                             (worker.failed, self._on_failed)))

    @Slot(object)
    def _on_progress(self, report: dict) -> None:
        if report["run"] != self._run:
            return  # a search that was stopped or replaced
        self.losses.append((report["step"], max(report["mse"], 1e-12)))
        steps, losses = zip(*self.losses)
        self.curve.setData(np.array(steps), np.array(losses))
        self.found_view.show(report["picture"])
        what = f" · {report['describe']}" if report["describe"] else ""
        self.status.setText(self.tr("step {step}/{steps} · pixel MSE {mse}").format(
            step=report["step"], steps=report["steps"], mse=f"{report['mse']:.4f}") + what)
        if report["done"]:
            self.result = report
            self._cancel = None
            self.find_button.setText(self.tr("Find its z"))
            self.explore_button.setEnabled(True)
            self.status.setText(self.tr("Found: pixel MSE {mse}{codes}. Explore from here to move around it.").format(
                mse=f"{report['mse']:.4f}", codes=what))

    @Slot(str)
    def _on_failed(self, text: str) -> None:
        self.stop()
        self._say(self.tr("Search failed: {reason}").format(reason=text))

    @Slot()
    def explore_from_here(self) -> None:
        """The found z (and class) into the explorer: its sliders move there and G draws it."""
        if self.result is None:
            return
        if self.result["model"] != self.explorer.model:
            self._say(self.tr("The explorer shows another generator now: Find its z again"))
            return
        for name, value in self.result["choices"].items():
            self.explorer.set_code(name, value)
        self.explorer.set_z(self.result["z"])
        found = f"{self.result['describe']}, " if self.result["describe"] else ""
        self.message.emit(self.tr("Exploring from the z found ({codes}pixel MSE {mse})").format(
            codes=found, mse=f"{self.result['mse']:.4f}"))

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)

    def shutdown(self) -> None:
        """Stop any search, then end the thread (on the window's close)."""
        self.stop()
        super().shutdown()


def add_inversion_tools(explorer) -> tuple[InvertPanel, NeighboursView]:
    """The pad and the nearest training images, added to an explorer's side column (below its walk)."""
    pad, neighbours = InvertPanel(explorer), NeighboursView(explorer)
    explorer.add_side_box(pad)
    explorer.add_side_box(neighbours)
    pad.message.connect(explorer.message)
    return pad, neighbours
