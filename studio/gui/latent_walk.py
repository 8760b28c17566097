"""The latent explorer's walk: two ends A and B, the path between them (drawn as a strip of
images, or on the plane for 2-D data), its animation and its exports."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QComboBox, QFileDialog, QGridLayout, QGroupBox, QLabel, QPushButton, QSpinBox, QWidget

from ..core.latent import Z_RANGE, interpolate, interpolation_path

ANIMATION_MS = 40
ANIMATION_ONE_WAY_S = 4.0  # A → B, or a direction from -3σ to +3σ
WALK = -1  # the animation target "along the walk"; targets 0, 1, … are the PCA directions


class WalkBox(QGroupBox):
    """Holds the walk's ends and builds its path; asks its owner for what only the owner knows.

    `end_wanted(which, "current" | "random")` asks for an end; `path_changed` when the path
    changes; `animated_z(z)` / `animated_direction(j, amount)` on each animation tick;
    `strip_file_chosen(path)` / `walk_file_chosen(path)` after an export dialog.
    """

    end_wanted = Signal(int, str)
    path_changed = Signal()
    animated_z = Signal(object)
    animated_direction = Signal(int, float)
    strip_file_chosen = Signal(str)
    walk_file_chosen = Signal(str)
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Walk between two latents"), parent)
        self.ends: list[np.ndarray | None] = [None, None]  # walk endpoints A and B
        self.end_names = ["", ""]
        grid = QGridLayout(self)
        self.end_labels = [QLabel("A: —"), QLabel("B: —")]
        set_a, set_b = QPushButton(self.tr("A ← current")), QPushButton(self.tr("B ← current"))
        random_b = QPushButton(self.tr("B ← random"))
        set_a.clicked.connect(lambda: self.end_wanted.emit(0, "current"))
        set_b.clicked.connect(lambda: self.end_wanted.emit(1, "current"))
        random_b.clicked.connect(lambda: self.end_wanted.emit(1, "random"))
        grid.addWidget(self.end_labels[0], 0, 0)
        grid.addWidget(set_a, 0, 1)
        grid.addWidget(self.end_labels[1], 1, 0)
        grid.addWidget(set_b, 1, 1)
        grid.addWidget(random_b, 1, 2)
        self.steps = QSpinBox()
        self.steps.setRange(2, 16)
        self.steps.setValue(8)
        self.steps.setSuffix(self.tr(" images"))
        self.steps.valueChanged.connect(self.path_changed)
        self.interpolation = QComboBox()
        self.interpolation.addItem(self.tr("spherical (slerp)"), "slerp")
        self.interpolation.addItem(self.tr("linear (lerp)"), "lerp")
        self.interpolation.currentIndexChanged.connect(self.path_changed)
        grid.addWidget(self.steps, 2, 0)
        grid.addWidget(self.interpolation, 2, 1, 1, 2)
        self.animate_target = QComboBox()
        self.animate_target.addItem(self.tr("along the walk A ↔ B"), WALK)
        self.animate_button = QPushButton(self.tr("Animate"))
        self.animate_button.setCheckable(True)
        self.animate_button.toggled.connect(self._on_animate)
        grid.addWidget(self.animate_target, 3, 0, 1, 2)
        grid.addWidget(self.animate_button, 3, 2)
        self.export_png = QPushButton(self.tr("Export strip PNG…"))
        self.export_png.clicked.connect(self._ask_strip_file)
        self.export_gif = QPushButton(self.tr("Export walk GIF…"))
        self.export_gif.clicked.connect(self._ask_walk_file)
        grid.addWidget(self.export_png, 4, 0, 1, 2)
        grid.addWidget(self.export_gif, 4, 2)
        self.animation = QTimer(self)
        self.animation.setInterval(ANIMATION_MS)
        self.animation.timeout.connect(self._animate)
        self._phase = 0.0

    # -- the ends and the path -------------------------------------------------
    def set_end(self, which: int, z: np.ndarray, name: str) -> None:
        self.ends[which], self.end_names[which] = np.asarray(z, np.float32).copy(), name
        self._show_ends()
        self.path_changed.emit()

    def push_end(self, z: np.ndarray, name: str, current: np.ndarray) -> None:
        """B becomes A (the `current` latent when there is no B yet) and `z` the new B: two picks
        make a walk."""
        self.ends[0] = self.ends[1] if self.ends[1] is not None else current
        self.end_names[0] = self.end_names[1] or self.tr("current")
        self.ends[1], self.end_names[1] = np.asarray(z, np.float32).copy(), name
        self._show_ends()

    def clear_ends(self) -> None:
        self.ends[:] = [None, None]  # in place: the panel keeps a reference
        self.end_names[:] = ["", ""]
        self._show_ends()

    def _show_ends(self) -> None:
        for which, label in enumerate(self.end_labels):
            label.setText(f"{'AB'[which]}: {self.end_names[which] or '—'}")

    def path(self, n: int | None = None) -> np.ndarray | None:
        """n latents (default: the strip's count) from A to B, or None until both ends are set."""
        a, b = self.ends
        if a is None or b is None:
            return None
        return interpolation_path(a, b, n or self.steps.value(), self.interpolation.currentData())

    def set_enabled(self, on: bool, is_2d: bool) -> None:
        for widget in (self.steps, self.interpolation, self.animate_button, self.export_png, self.export_gif):
            widget.setEnabled(on)
        if on and is_2d:
            self.export_png.setEnabled(False)
            self.export_gif.setEnabled(False)
            self.export_png.setToolTip(self.tr("2-D data: the walk is drawn on the plane"))

    # -- animation -------------------------------------------------------------
    def set_direction_targets(self, count: int) -> None:
        """Offer the walk and `count` PCA directions as what the animation moves along."""
        while self.animate_target.count() > 1:
            self.animate_target.removeItem(1)
        for j in range(count):
            self.animate_target.addItem(self.tr("along PC{number}").format(number=j + 1), j)

    def stop(self) -> None:
        self.animation.stop()

    @Slot(bool)
    def _on_animate(self, on: bool) -> None:
        self._phase = 0.0
        self.animate_button.setText(self.tr("Stop") if on else self.tr("Animate"))
        if on:
            self.animation.start()
        else:
            self.animation.stop()

    @Slot()
    def _animate(self) -> None:
        self._phase += ANIMATION_MS / 1000 / ANIMATION_ONE_WAY_S
        wave = 1.0 - abs(self._phase % 2.0 - 1.0)  # 0 → 1 → 0
        target = self.animate_target.currentData()
        if target != WALK:
            self.animated_direction.emit(target, Z_RANGE * (2 * wave - 1))
            return
        a, b = self.ends
        if a is None or b is None:
            self.animate_button.setChecked(False)
            self.message.emit(self.tr("Set both ends of the walk (A and B) to animate it"))
            return
        self.animated_z.emit(interpolate(a, b, np.array([wave]), self.interpolation.currentData())[0])

    # -- exports ---------------------------------------------------------------
    @Slot()
    def _ask_strip_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export strip"), "walk.png", self.tr("PNG images (*.png)"))
        if path:
            self.strip_file_chosen.emit(path)

    @Slot()
    def _ask_walk_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export walk"), "walk.gif",
                                              self.tr("GIF animations (*.gif);;MP4 videos (*.mp4)"))
        if path:
            self.walk_file_chosen.emit(path)
