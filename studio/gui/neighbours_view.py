"""Beside the explorer's picture, the training images nearest it: does the generator invent, or copy?

The index (core.neighbours: the training set as one matrix, pixels or the evaluator classifier's
features) is built and queried in its own thread; the view keeps at most one query in flight and
sends only the newest picture when it comes back, so it follows a slider drag without a queue.
"""
from __future__ import annotations

import re
import time

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..core.config import IMAGE_DATASETS, Config
from ..core.data import load_dataset
from ..core.evaluator import Evaluator, dataset_key
from ..core.invert import to_target
from ..core.neighbours import NearestImages, build_index, verdict
from ..core.render import image_grid
from .threads import start_worker_thread

K = 7  # neighbours shown, after the picture itself: two rows of four
PER_ROW = 4
THUMB_SIDE = 84  # pixels: a 28×28 digit at 3×
SPACE_TEXTS = {  # core.neighbours.SPACES, which the engine writes in English
    "pixels": QT_TRANSLATE_NOOP("NeighboursView", "pixel distance (L2 over all pixels in [-1, 1])"),
    "features": QT_TRANSLATE_NOOP("NeighboursView", "classifier-feature distance (L2 over the evaluator's 128 "
                                                    "features)")}
VERDICTS = (  # core.neighbours.verdict's sentences: regex → template with the same fields
    (r"a near copy of a training image: nearer to it than (?P<share>\S+) of training images are to their nearest "
     r"other one", QT_TRANSLATE_NOOP("NeighboursView", "a near copy of a training image: nearer to it than {share} "
                                                       "of training images are to their nearest other one")),
    (r"close to a training image: nearer to it than (?P<share>\S+) of training images are to their nearest other "
     r"one", QT_TRANSLATE_NOOP("NeighboursView", "close to a training image: nearer to it than {share} of training "
                                                 "images are to their nearest other one")),
    (r"new: as far from the training images as they are from each other \(nearer to it than (?P<share>\S+) of "
     r"training images are to their nearest other one\)",
     QT_TRANSLATE_NOOP("NeighboursView", "new: as far from the training images as they are from each other (nearer "
                                         "to it than {share} of training images are to their nearest other one)")),
)


def verdict_text(verdict: str) -> str:
    """The verdict sentence in the window's language (one not known, as it is)."""
    for pattern, template in VERDICTS:
        match = re.fullmatch(pattern, verdict)
        if match:
            return QCoreApplication.translate("NeighboursView", template).format(**match.groupdict())
    return verdict


def picture_pixmap(picture: np.ndarray, side: int) -> QPixmap:
    """A uint8 grey or RGB picture as a pixmap about `side` pixels wide, each pixel a sharp square."""
    picture = np.ascontiguousarray(picture)
    grey = picture.ndim == 2
    image = QImage(picture.data, picture.shape[1], picture.shape[0], picture.strides[0],
                   QImage.Format.Format_Grayscale8 if grey else QImage.Format.Format_RGB888).copy()
    scale = max(1, side // max(picture.shape[:2]))
    size = (image.width() * scale, image.height() * scale)
    return QPixmap.fromImage(image.scaled(*size, Qt.AspectRatioMode.IgnoreAspectRatio,
                                          Qt.TransformationMode.FastTransformation))


class WorkerBox(QGroupBox):
    """A box beside the explorer whose worker has a thread of its own (worker-object pattern), started on
    first need and ended with the box's window: a box inside the explorer gets no closeEvent itself."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self._thread: QThread | None = None
        self.worker: QObject | None = None
        self._watched: QWidget | None = None

    def _start_thread(self, worker: QObject, name: str, wiring) -> None:
        self.worker = worker
        self._thread = start_worker_thread(worker, name, wiring)

    def shutdown(self) -> None:
        """End the thread and wait for it (after the work it is doing)."""
        if self._thread is not None:
            thread, self._thread = self._thread, None
            thread.quit()
            thread.wait()
            self.worker = None

    def showEvent(self, event) -> None:
        super().showEvent(event)
        window = self.window()
        if window is not self._watched:
            if self._watched is not None:
                self._watched.removeEventFilter(self)
            window.installEventFilter(self)
            self._watched = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched and event.type() == QEvent.Type.Close:
            self.shutdown()
        return False


class Thumbnail(QWidget):
    """A small picture with a caption under it."""

    def __init__(self, caption: str = "", side: int = THUMB_SIDE, parent: QWidget | None = None):
        super().__init__(parent)
        self.side = side
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        self.picture = QLabel()
        self.picture.setFixedSize(side, side)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setStyleSheet("background: #202124;")
        layout.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        self.caption = QLabel(caption)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setStyleSheet("font-size: 10pt;")
        layout.addWidget(self.caption)

    def show(self, picture: np.ndarray, caption: str | None = None) -> None:
        self.picture.setPixmap(picture_pixmap(picture, self.side))
        if caption is not None:
            self.caption.setText(caption)
        super().show()

    def clear(self) -> None:
        self.picture.clear()


class NeighboursWorker(QObject):
    """Lives in the neighbours thread: builds the index of a data set, then answers queries."""

    ready = Signal(object)  # {"key", "size", "gap", "description"}
    result = Signal(object)  # {"key", "indices", "distances", "pictures", "labels", "ms", "verdict"}
    failed = Signal(str)

    def __init__(self):
        super().__init__()
        self.index: NearestImages | None = None
        self.key: tuple | None = None

    @Slot(object)
    def prepare(self, request: dict) -> None:
        config: Config = request["config"]
        self.index, self.key = None, request["key"]
        try:
            data = load_dataset(config.data)
            classifier = None
            if request["space"] == "features":
                classifier = Evaluator.for_dataset(data, dataset_key(config)).model
            self.index = build_index(data, request["space"], classifier)
            gap = self.index.typical_gap()
        except Exception as exc:  # data missing or unreadable, no labels for the classifier: said, not raised
            self.failed.emit(self.tr("no neighbours: {reason}").format(reason=exc))
            return
        self.ready.emit({"key": self.key, "size": len(self.index), "gap": gap, "description": self.index.description})

    @Slot(object)
    def query(self, request: dict) -> None:
        if self.index is None or request["key"] != self.key:
            self.result.emit({"key": request["key"], "skipped": True})
            return
        started = time.perf_counter()
        found = self.index.query(to_target(request["picture"]), K)
        ms = (time.perf_counter() - started) * 1000
        index = self.index
        pictures = [image_grid(index.images[i][None], ncol=1, pad=0) for i in found.indices]
        labels = None if index.labels is None else index.labels[found.indices].tolist()
        self.result.emit({"key": self.key, "indices": found.indices.tolist(), "distances": found.distances.tolist(),
                          "pictures": pictures, "labels": labels, "ms": ms,
                          "verdict": verdict(float(found.distances[0]), index.nearest_other_distances())})


class NeighboursView(WorkerBox):
    """Follows an explorer's picture (a LatentExplorer: `config`, `last_picture`, `view.image`)."""

    _prepare = Signal(object)
    _query = Signal(object)

    def __init__(self, explorer, parent: QWidget | None = None):
        super().__init__(self.tr("Nearest training images"), parent)
        self.explorer = explorer
        self.key: tuple | None = None  # (data config, space) of the index asked for
        self.ready_key: tuple | None = None
        self.in_flight = False
        self.pending: np.ndarray | None = None
        self.last: dict | None = None  # the last result shown
        self.query_ms: list[float] = []
        self._build()
        explorer.view.image.sigImageChanged.connect(self._on_picture)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("distance in")))
        self.space = QComboBox()
        self.space.addItem(self.tr("pixels"), "pixels")
        self.space.addItem(self.tr("classifier features"), "features")
        self.space.setToolTip(self.tr("pixels: L2 over every pixel, in [-1, 1]. classifier features: L2 over the "
                                      "evaluator digit classifier's 128 features (shape, not exact strokes; "
                                      "labelled digit data only, the classifier trains on first use)"))
        self.space.currentIndexChanged.connect(self._on_space)
        row.addWidget(self.space)
        row.addStretch(1)
        layout.addLayout(row)
        grid = QGridLayout()
        grid.setSpacing(4)
        self.tiles = [Thumbnail(self.tr("this image"))] + [Thumbnail() for _ in range(K)]
        for i, tile in enumerate(self.tiles):
            grid.addWidget(tile, i // PER_ROW, i % PER_ROW)
        self.tiles[0].picture.setStyleSheet("background: #202124; border: 2px solid #1a73e8;")
        layout.addLayout(grid)
        self.verdict = QLabel("")
        self.verdict.setWordWrap(True)
        self.verdict.setStyleSheet("font-size: 11pt; font-weight: bold;")
        layout.addWidget(self.verdict)
        self.status = QLabel(self.tr("Shown for image generators, once the explorer draws a picture"))
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #555; font-size: 10pt;")
        layout.addWidget(self.status)

    # -- following the explorer --------------------------------------------------
    def _wanted_key(self) -> tuple | None:
        config = self.explorer.config
        if config is None or config.is_2d:
            return None
        space = self.space.currentData()
        if space == "features" and config.data.name not in IMAGE_DATASETS:
            return None
        return (config.data, space)

    @Slot()
    def _on_space(self) -> None:
        self._on_picture()

    @Slot()
    def _on_picture(self, *_args) -> None:
        picture = self.explorer.last_picture
        if picture is None or not self.isVisible():
            return
        key = self._wanted_key()
        if key is None:
            self.status.setText(self.tr("Classifier features need labelled digit data (digits, mnist, fashion-mnist)")
                                if self.explorer.config is not None and not self.explorer.config.is_2d else "")
            return
        self._ensure_thread()
        if key != self.key:
            self.key, self.ready_key = key, None
            self.status.setText(self.tr("Indexing the training images of {data}…").format(data=key[0].name))
            self._prepare.emit({"config": self.explorer.config, "space": key[1], "key": key})
        self.pending = picture
        self._send()

    def _send(self) -> None:
        if self.in_flight or self.pending is None or self.ready_key != self.key:
            return
        picture, self.pending = self.pending, None
        self.in_flight = True
        self.tiles[0].show(picture, self.tr("this image"))
        self._query.emit({"picture": picture, "key": self.key})

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._on_picture()

    # -- results ---------------------------------------------------------------------
    @Slot(object)
    def _on_ready(self, info: dict) -> None:
        if info["key"] != self.key:
            return
        self.ready_key = self.key
        space = self.tr(SPACE_TEXTS[info["key"][1]]) if info["key"][1] in SPACE_TEXTS else info["description"]
        self.status.setText(self.tr("{space}; {n} training images. The usual gap from a training image to its "
                                    "nearest other one: {gap}.").format(space=space, n=f"{info['size']:,}",
                                                                        gap=f"{info['gap']:.2f}"))
        self._send()

    @Slot(object)
    def _on_result(self, result: dict) -> None:
        self.in_flight = False
        if not result.get("skipped") and result["key"] == self.key:
            self.last = result
            self.query_ms.append(result["ms"])
            labels = result["labels"] or [None] * len(result["indices"])
            for tile, picture, index, distance, label in zip(self.tiles[1:], result["pictures"], result["indices"],
                                                             result["distances"], labels):
                tile.show(picture, f"#{index}{'' if label is None else f' · {label}'}\nd {distance:.2f}")
            self.verdict.setText(self.tr("This image is {verdict}").format(verdict=verdict_text(result["verdict"]))
                                 if result["verdict"] else "")
        self._send()

    @Slot(str)
    def _on_failed(self, text: str) -> None:
        self.status.setText(text)

    def _ensure_thread(self) -> None:
        if self._thread is None:
            worker = NeighboursWorker()
            self._start_thread(worker, "gan-studio-neighbours",
                               ((self._prepare, worker.prepare), (self._query, worker.query),
                                (worker.ready, self._on_ready), (worker.result, self._on_result),
                                (worker.failed, self._on_failed)))
