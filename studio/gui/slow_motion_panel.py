"""Slow motion: one real training iteration, sub-step by sub-step, with a caption a student can follow.

The trainer's thread computes the frames (core.slow_motion, through the controller's `slow_motion`);
this panel only steps through them: play, pause, previous, next, speed. 2-D data shows on a plane of
its own (the Samples panel keeps the live view); image data as a few real and fake images framed in
the colour of D's score.
"""
from __future__ import annotations

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout,
                               QWidget)

from ..core.slow_motion_captions import CONTEXT, HEADING
from ..core.translatable import WIDE_STOPS, render
from .plane_view import HEAT_MAP, PlaneView

CAPTION_PT = 20
SPEEDS = ((QT_TRANSLATE_NOOP("SlowMotionPanel", "slow (6 s)"), 6.0),  # seconds per sub-step
          (QT_TRANSLATE_NOOP("SlowMotionPanel", "normal (3 s)"), 3.0),
          (QT_TRANSLATE_NOOP("SlowMotionPanel", "fast (1.5 s)"), 1.5))
ROW_TEXTS = {  # the image rows' labels, translated where shown
    "real": QT_TRANSLATE_NOOP("SlowMotionPanel", "Real batch — D's input"),
    "fake": QT_TRANSLATE_NOOP("SlowMotionPanel", "Fake batch G(z)"),
    "noise": QT_TRANSLATE_NOOP("SlowMotionPanel", "Noise z: {shown} of {n} vectors, {numbers} numbers each "
                                                  "(bright = large)"),
    "scored_fake": QT_TRANSLATE_NOOP("SlowMotionPanel", "Fake batch G(z) — number: D's score"),
    "gradient": QT_TRANSLATE_NOOP("SlowMotionPanel", "|∇ₓ loss_G| per pixel — bright: where G's loss changes "
                                                     "most (hot colours)"),
    "before": QT_TRANSLATE_NOOP("SlowMotionPanel", "Before G's update — number: D's score"),
    "after": QT_TRANSLATE_NOOP("SlowMotionPanel", "After G's update, same z (not scored yet) — mean pixel "
                                                  "change {change} of 2"),
    "scored": QT_TRANSLATE_NOOP("SlowMotionPanel", " — number: D's score"),
}
GHOST_COLOUR = (217, 48, 37, 70)
NOISE_COLOUR = (128, 90, 213, 200)  # z, drawn at its own coordinates on the noise sub-step
BORDER = 3  # pixels of D's colour around each image


def caption_text(frame: dict) -> str:
    """The sub-step's number, title and caption with its formulas and numbers, in the window's language."""
    heading = render([(CONTEXT, HEADING, {"number": frame["index"] + 1,
                                          "title": QCoreApplication.translate(CONTEXT, frame["title"])})],
                     QCoreApplication.translate)
    space = "" if heading[-1:] in WIDE_STOPS else " "
    return f"<b>{heading}</b>{space}{render(frame['caption_parts'], QCoreApplication.translate)}"


def scored_grid(images: np.ndarray, scores: np.ndarray | None, columns: int = 8,
                colours: np.ndarray | None = None) -> np.ndarray:
    """Images (N×C×H×W in [-1, 1]) in a row-major RGB grid, each framed in the plane's colour for D's
    score (light red = judged fake, light blue = judged real; grey before D has scored). `colours`
    (256×3) paints one-channel images through a colour map instead of grey."""
    n, c, h, w = images.shape
    levels = (np.clip((images + 1) * 127.5, 0, 255) + 0.5).astype(np.uint8)
    if colours is not None:
        pictures = colours[levels[:, 0]].transpose(0, 3, 1, 2)
    else:
        pictures = np.repeat(levels, 3, axis=1) if c == 1 else levels[:, :3]
    lut = HEAT_MAP.getLookupTable(nPts=256)[:, :3]
    rows = -(-n // columns)
    out = np.full((rows * (h + 2 * BORDER), columns * (w + 2 * BORDER), 3), 40, np.uint8)
    for i in range(n):
        r, col = divmod(i, columns)
        y, x = r * (h + 2 * BORDER), col * (w + 2 * BORDER)
        colour = (160, 160, 160) if scores is None else lut[int(np.clip(scores[i], 0, 1) * 255)]
        out[y:y + h + 2 * BORDER, x:x + w + 2 * BORDER] = colour
        out[y + BORDER:y + BORDER + h, x + BORDER:x + BORDER + w] = pictures[i].transpose(1, 2, 0)
    return out


def gradient_size(grad: np.ndarray) -> np.ndarray:
    """|∇ₓ loss_G| summed over channels, as one-channel images in [-1, 1] on one scale for the batch."""
    size = np.abs(grad).sum(1, keepdims=True)
    return size / max(float(size.max()), 1e-12) * 2 - 1


def noise_tiles(z: np.ndarray, shown: int = 16) -> np.ndarray:
    """The first `shown` noise vectors as square one-channel tiles in [-1, 1] (±3σ; zero-padded)."""
    z = z[:shown]
    side = int(np.ceil(np.sqrt(z.shape[1])))
    tiles = np.zeros((len(z), side * side), np.float32)
    tiles[:, :z.shape[1]] = np.clip(z / 3, -1, 1)
    return tiles.reshape(len(z), 1, side, side)


# What the two rows show per sub-step: (images, scores or None, label), from the frame and the batch
# before G's update with D's (updated) scores on it. "Before/after" frames put G(z) before its update
# above G(z) after it, same z.
def _rows(frame: dict, before: np.ndarray, before_scores: np.ndarray | None) -> list[tuple]:
    def row_text(text: str) -> str:
        return QCoreApplication.translate("SlowMotionPanel", text)

    real = (frame["real"], frame["d_real"], row_text(ROW_TEXTS["real"]))
    fake = (frame["fake"], frame["d_fake"], row_text(ROW_TEXTS["fake"]))
    key = frame["key"]
    if key == "noise":
        z = frame["z"]
        return [(noise_tiles(z), None, row_text(ROW_TEXTS["noise"]).format(shown=min(len(z), 16), n=len(z),
                                                                           numbers=z.shape[1])), fake]
    if key == "gradient":
        return [(frame["fake"], frame["d_fake"], row_text(ROW_TEXTS["scored_fake"])),
                (gradient_size(frame["grad"]), None, row_text(ROW_TEXTS["gradient"]))]
    if key in ("g_update", "done"):
        change = float(np.abs(frame["fake"] - before).mean()) if len(before) else 0.0
        return [(before, before_scores, row_text(ROW_TEXTS["before"])),
                (frame["fake"], None, row_text(ROW_TEXTS["after"]).format(change=f"{change:.3f}"))]
    scored = row_text(ROW_TEXTS["scored"])
    return [real if frame["d_real"] is None else (*real[:2], real[2] + scored),
            fake if frame["d_fake"] is None else (*fake[:2], fake[2] + scored)]


class ScoredImages(QWidget):
    """Two rows of images, each framed in D's colour with D's score written on it; which batches the rows
    hold depends on the sub-step (real and fake; fakes and |∇ₓ|; G(z) before and after G's update)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.widget = pg.GraphicsLayoutWidget()
        self.widget.setBackground("#202124")
        self.labels, self.images, self.views, self.scores = [], [], [], [[], []]
        for row, text in enumerate((self.tr("Real batch (D's input)"), self.tr("Fake batch G(z)"))):
            label = self.widget.addLabel(text, row=2 * row, col=0, color="#eee", size="14pt")
            view = self.widget.addViewBox(row=2 * row + 1, col=0, lockAspect=True, invertY=True)
            view.setMouseEnabled(False, False)
            image = pg.ImageItem(axisOrder="row-major")
            view.addItem(image)
            self.labels.append(label)
            self.images.append(image)
            self.views.append(view)
        self.heat = pg.colormap.get("inferno").getLookupTable(nPts=256)[:, :3]
        layout.addWidget(self.widget)

    def set_frame(self, frame: dict, before: np.ndarray | None = None, before_scores: np.ndarray | None = None
                  ) -> None:
        """Show `frame`; `before` is G(z) before G's update, `before_scores` the updated D's scores on it."""
        rows = _rows(frame, frame["fake"] if before is None else before, before_scores)
        for row, (batch, scores, text) in enumerate(rows):
            self.images[row].setVisible(len(batch) > 0)  # not drawn yet in this sub-step
            self.labels[row].setText(text if len(batch) else "")
            heat = row == 1 and frame["key"] == "gradient"
            if len(batch):
                self.images[row].setImage(scored_grid(batch, scores, colours=self.heat if heat else None),
                                          autoLevels=False, levels=(0, 255))
            self._write_scores(row, batch, scores)

    def _write_scores(self, row: int, batch: np.ndarray, scores: np.ndarray | None) -> None:
        """D's score as a number on each image's lower edge (none before D has scored)."""
        texts = self.scores[row]
        shown = 0 if scores is None else len(batch)
        while len(texts) < shown:
            text = pg.TextItem(color="#fff", fill=pg.mkBrush(32, 33, 36, 200), anchor=(0.5, 1.0))
            self.views[row].addItem(text)
            texts.append(text)
        if shown:
            h, w = batch.shape[2] + 2 * BORDER, batch.shape[3] + 2 * BORDER
        for i, text in enumerate(texts):
            text.setVisible(i < shown)
            if i < shown:
                r, col = divmod(i, 8)
                text.setText(f"{float(scores[i]):.2f}")
                text.setPos(col * w + w / 2, (r + 1) * h - BORDER)


class SlowMotionPanel(QWidget):
    """Steps through one iteration's frames; `iteration_requested` asks the run for a new one."""

    iteration_requested = Signal()
    frame_shown = Signal(object)  # the frame on show (the diagram lights its edges)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.frames: list[dict] = []
        self.index = -1
        self.error = ""  # why the last request recorded no iteration
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.heading = QLabel(self.tr("Slow motion: one real training iteration, sub-step by sub-step"))
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold; color: #444;")
        layout.addWidget(self.heading)
        self.caption = QLabel(self.tr("Press “One iteration in slow motion”: the run takes its next step slowly, "
                                      "and each sub-step shows what it computed."))
        self.caption.setWordWrap(True)
        self.caption.setMinimumHeight(4 * CAPTION_PT * 2)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.set_caption_size(None)
        layout.addWidget(self.caption)
        self.stack = QStackedWidget()
        self.plane = PlaneView()
        self._plane_for_slow_motion()
        self.images = ScoredImages()
        self.stack.addWidget(self.plane)
        self.stack.addWidget(self.images)
        layout.addWidget(self.stack, 1)
        layout.addLayout(self._controls())
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._advance)
        self._set_speed(1)
        self._update_buttons()

    def set_caption_size(self, points: int | None) -> None:
        """The caption's font size (None: the usual CAPTION_PT; presenter mode asks for more)."""
        self.caption.setStyleSheet(f"font-size: {points or CAPTION_PT}pt; color: #202124; background: #fff4ce; "
                                   f"padding: 8px; border-radius: 4px;")

    def _plane_for_slow_motion(self) -> None:
        """The plane without the live layers' toggles, plus G(z) before G's update as pale ghosts."""
        plane = self.plane
        for key in ("centres", "manifold"):
            plane.toggles[key].hide()
            plane.toggles[key].setChecked(False)
        plane.legend.removeItem(plane.centres)
        plane.legend.removeItem(plane.real)
        plane.legend.addItem(plane.real, self.tr("real batch (D's input)"))
        self.ghost = pg.ScatterPlotItem(size=7, pen=None, brush=pg.mkBrush(*GHOST_COLOUR))
        self.ghost.setZValue(9)
        plane.plot.addItem(self.ghost)
        self.noise = pg.ScatterPlotItem(size=6, pen=None, brush=pg.mkBrush(*NOISE_COLOUR))
        self.noise.setZValue(9)
        plane.plot.addItem(self.noise)

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.run_button = QPushButton(self.tr("One iteration in slow motion"))
        self.run_button.setToolTip(self.tr("the run takes its next real step, recorded sub-step by sub-step"))
        self.run_button.clicked.connect(self.request_iteration)
        self.prev_button = QPushButton(self.tr("◀ Previous"))
        self.prev_button.clicked.connect(self.previous)
        self.play_button = QPushButton(self.tr("▶ Play"))
        self.play_button.clicked.connect(self.toggle_play)
        self.next_button = QPushButton(self.tr("Next ▶"))
        self.next_button.clicked.connect(self.next)
        self.speed = QComboBox()
        self.speed.addItems([self.tr(text) for text, _ in SPEEDS])
        self.speed.currentIndexChanged.connect(self._set_speed)
        self.position = QLabel("")
        self.position.setStyleSheet("font-size: 13pt; font-weight: bold;")
        for widget in (self.run_button, self.prev_button, self.play_button, self.next_button):
            row.addWidget(widget)
        row.addWidget(QLabel(self.tr("Speed")))
        row.addWidget(self.speed)
        row.addStretch(1)
        row.addWidget(self.position)
        return row

    # -- frames ---------------------------------------------------------------
    @Slot()
    def request_iteration(self) -> None:
        self.pause()
        self.run_button.setEnabled(False)
        self.caption.setText(self.tr("Taking one training step, recording each sub-step…"))
        self.iteration_requested.emit()

    @Slot(object)
    def set_frames(self, payload: dict) -> None:
        """A new iteration's frames, shown from the first sub-step, playing; or why there are none."""
        self.run_button.setEnabled(True)
        self.error = render(payload["error_parts"], QCoreApplication.translate) if payload.get("error_parts") \
            else payload.get("error", "")  # the engine's reason in the window's language
        if self.error:
            self.caption.setText(self.tr("No slow motion for this run: {reason}.").format(reason=self.error))
            return
        self.frames = list(payload["frames"])
        first = self.frames[0]
        self.stack.setCurrentWidget(self.plane if "heatmap" in first else self.images)
        self.show_index(0)
        self.play()

    def show_index(self, index: int) -> None:
        if not self.frames:
            return
        self.index = max(0, min(index, len(self.frames) - 1))
        frame = self.frames[self.index]
        self.caption.setText(caption_text(frame))
        self.position.setText(self.tr("sub-step {i} / {n} · step {step} → {next}").format(
            i=self.index + 1, n=len(self.frames), step=f"{frame['step']:,}", next=f"{frame['step'] + 1:,}"))
        if "heatmap" in frame:
            self._show_plane(frame)
        else:
            rescored = next((f["d_fake"] for f in self.frames if f["key"] == "rescore"), None)
            self.images.set_frame(frame, self.frames[1]["fake"], rescored)
        self._update_buttons()
        self.frame_shown.emit(frame)

    def _show_plane(self, frame: dict) -> None:
        plane = self.plane
        plane.set_real(frame["real"], None, frame["extent"])
        plane.set_frame(frame)
        moved = frame["key"] in ("g_update", "done")
        self.ghost.setData(pos=self.frames[1]["fake"].astype(np.float64) if moved else np.zeros((0, 2)))
        plane.legend.removeItem(self.ghost)
        if moved:
            plane.legend.addItem(self.ghost, self.tr("G(z) before G's update"))
        z = frame["z"] if frame["key"] == "noise" and frame["z"].shape[1] >= 2 else np.zeros((0, 2))
        self.noise.setData(pos=np.asarray(z[:, :2], dtype=np.float64))  # a 1-D z has no place on the plane
        plane.legend.removeItem(self.noise)
        if len(z):
            plane.legend.addItem(self.noise, self.tr("noise z, at its own coordinates") if z.shape[1] == 2 else
                                 self.tr("noise z: its first 2 numbers as coordinates"))
        plane.plot.setTitle("<span style='font-size:13pt; font-weight:bold'>" +
                            self.tr("Slow motion — step {step} → {next}").format(
                                step=f"{frame['step']:,}", next=f"{frame['step'] + 1:,}") + "</span>")

    @property
    def frame(self) -> dict | None:
        return self.frames[self.index] if self.frames else None

    # -- playing --------------------------------------------------------------
    @Slot()
    def next(self) -> None:
        self.pause()
        self.show_index(self.index + 1)

    @Slot()
    def previous(self) -> None:
        self.pause()
        self.show_index(self.index - 1)

    @Slot()
    def toggle_play(self) -> None:
        self.pause() if self.timer.isActive() else self.play()

    def play(self) -> None:
        if not self.frames:
            return
        if self.index >= len(self.frames) - 1:
            self.show_index(0)
        self.timer.start()
        self._update_buttons()

    def pause(self) -> None:
        self.timer.stop()
        self._update_buttons()

    @Slot()
    def _advance(self) -> None:
        self.show_index(self.index + 1)
        if self.index >= len(self.frames) - 1:
            self.pause()

    @Slot(int)
    def _set_speed(self, which: int) -> None:
        self.timer.setInterval(int(SPEEDS[which][1] * 1000))
        if self.speed.currentIndex() != which:
            self.speed.setCurrentIndex(which)

    def _update_buttons(self) -> None:
        has = bool(self.frames)
        self.prev_button.setEnabled(has and self.index > 0)
        self.next_button.setEnabled(has and self.index < len(self.frames) - 1)
        self.play_button.setEnabled(has)
        self.play_button.setText(self.tr("⏸ Pause") if self.timer.isActive() else self.tr("▶ Play"))
