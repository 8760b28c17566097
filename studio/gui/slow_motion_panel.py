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
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout,
                               QWidget)

from .plane_view import HEAT_MAP, PlaneView

CAPTION_PT = 20
SPEEDS = (("slow (6 s)", 6.0), ("normal (3 s)", 3.0), ("fast (1.5 s)", 1.5))  # seconds per sub-step
GHOST_COLOUR = (217, 48, 37, 70)
BORDER = 3  # pixels of D's colour around each image


def scored_grid(images: np.ndarray, scores: np.ndarray | None, columns: int = 8) -> np.ndarray:
    """Images (N×C×H×W in [-1, 1]) in a row-major RGB grid, each framed in the plane's colour for D's
    score (light red = judged fake, light blue = judged real; grey before D has scored)."""
    n, c, h, w = images.shape
    pictures = (np.clip((images + 1) * 127.5, 0, 255) + 0.5).astype(np.uint8)
    pictures = np.repeat(pictures, 3, axis=1) if c == 1 else pictures[:, :3]
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


class ScoredImages(QWidget):
    """Real images above, fake ones below, each framed in D's colour; the gradient sub-steps show |∇ₓ|."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.widget = pg.GraphicsLayoutWidget()
        self.widget.setBackground("#202124")
        self.labels, self.images = [], []
        for row, text in enumerate(("Real batch (D's input)", "Fake batch G(z)")):
            label = self.widget.addLabel(text, row=2 * row, col=0, color="#eee", size="14pt")
            view = self.widget.addViewBox(row=2 * row + 1, col=0, lockAspect=True, invertY=True)
            image = pg.ImageItem(axisOrder="row-major")
            view.addItem(image)
            self.labels.append(label)
            self.images.append(image)
        layout.addWidget(self.widget)

    def set_frame(self, frame: dict) -> None:
        for image, batch in zip(self.images, (frame["real"], frame["fake"])):
            image.setVisible(len(batch) > 0)  # not drawn yet in this sub-step
        if len(frame["real"]):
            self.images[0].setImage(scored_grid(frame["real"], frame["d_real"]), autoLevels=False, levels=(0, 255))
        grad = frame["grad"]
        if grad is not None and frame["key"] == "gradient":  # |∇ₓ loss_G| per pixel, brightest = most wanted
            size = np.abs(grad).sum(1, keepdims=True)
            size = size / max(float(size.max()), 1e-12) * 2 - 1
            self.images[1].setImage(scored_grid(size, frame["d_fake"]), autoLevels=False, levels=(0, 255))
            self.labels[1].setText("|∇ₓ loss_G| on each fake image")
        elif len(frame["fake"]):
            self.images[1].setImage(scored_grid(frame["fake"], frame["d_fake"]), autoLevels=False, levels=(0, 255))
            self.labels[1].setText("Fake batch G(z) — frame colour: D's score (blue = real, red = fake)")


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
        self.heading = QLabel("Slow motion: one real training iteration, sub-step by sub-step")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold; color: #444;")
        layout.addWidget(self.heading)
        self.caption = QLabel("Press “One iteration in slow motion”: the run takes its next step slowly, "
                              "and each sub-step shows what it computed.")
        self.caption.setWordWrap(True)
        self.caption.setMinimumHeight(4 * CAPTION_PT * 2)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.caption.setStyleSheet(f"font-size: {CAPTION_PT}pt; color: #202124; background: #fff4ce; "
                                   f"padding: 8px; border-radius: 4px;")
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

    def _plane_for_slow_motion(self) -> None:
        """The plane without the live layers' toggles, plus G(z) before G's update as pale ghosts."""
        plane = self.plane
        for key in ("centres", "manifold"):
            plane.toggles[key].hide()
            plane.toggles[key].setChecked(False)
        plane.legend.removeItem(plane.centres)
        plane.legend.removeItem("G manifold")
        plane.legend.removeItem(plane.real)
        plane.legend.addItem(plane.real, "real batch (D's input)")
        self.ghost = pg.ScatterPlotItem(size=7, pen=None, brush=pg.mkBrush(*GHOST_COLOUR))
        self.ghost.setZValue(9)
        plane.plot.addItem(self.ghost)

    def _controls(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.run_button = QPushButton("One iteration in slow motion")
        self.run_button.setToolTip("the run takes its next real step, recorded sub-step by sub-step")
        self.run_button.clicked.connect(self.request_iteration)
        self.prev_button = QPushButton("◀ Previous")
        self.prev_button.clicked.connect(self.previous)
        self.play_button = QPushButton("▶ Play")
        self.play_button.clicked.connect(self.toggle_play)
        self.next_button = QPushButton("Next ▶")
        self.next_button.clicked.connect(self.next)
        self.speed = QComboBox()
        self.speed.addItems([text for text, _ in SPEEDS])
        self.speed.currentIndexChanged.connect(self._set_speed)
        self.position = QLabel("")
        self.position.setStyleSheet("font-size: 13pt; font-weight: bold;")
        for widget in (self.run_button, self.prev_button, self.play_button, self.next_button):
            row.addWidget(widget)
        row.addWidget(QLabel("Speed"))
        row.addWidget(self.speed)
        row.addStretch(1)
        row.addWidget(self.position)
        return row

    # -- frames ---------------------------------------------------------------
    @Slot()
    def request_iteration(self) -> None:
        self.pause()
        self.run_button.setEnabled(False)
        self.caption.setText("Taking one training step, recording each sub-step…")
        self.iteration_requested.emit()

    @Slot(object)
    def set_frames(self, payload: dict) -> None:
        """A new iteration's frames, shown from the first sub-step, playing; or why there are none."""
        self.run_button.setEnabled(True)
        self.error = payload.get("error", "")
        if self.error:
            self.caption.setText(f"No slow motion for this run: {self.error}.")
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
        self.caption.setText(f"<b>{self.index + 1}. {frame['title']}.</b> {frame['caption']}")
        self.position.setText(f"sub-step {self.index + 1} / {len(self.frames)} · step {frame['step']:,} → "
                              f"{frame['step'] + 1:,}")
        if "heatmap" in frame:
            self._show_plane(frame)
        else:
            self.images.set_frame(frame)
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
            plane.legend.addItem(self.ghost, "G(z) before G's update")
        plane.plot.setTitle(f"<span style='font-size:13pt; font-weight:bold'>Slow motion — step "
                            f"{frame['step']:,} → {frame['step'] + 1:,}</span>")

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
        self.play_button.setText("⏸ Pause" if self.timer.isActive() else "▶ Play")
