"""The latent explorer's sliders: z's dimensions with truncation ψ, and the PCA directions.

The boxes only lay out and report moves; the panel owns z and decides what to render.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (QCheckBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSlider, QSpinBox,
                               QVBoxLayout, QWidget)

from ..core.latent import Z_RANGE

SLIDER_STEPS = 100  # slider ticks per unit of z: values shown to two decimals
DEFAULT_DIMS = 8
MAX_DIMS = 64
MAX_SEED = 2**31 - 1  # a QSpinBox holds a C int


class ValueSlider(QWidget):
    """A labelled horizontal slider over [lo, hi] that shows its value; `changed(float)` on moves."""

    changed = Signal(float)

    def __init__(self, text: str, lo: float, hi: float, value: float = 0.0, lockable: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(text)
        self.label.setMinimumWidth(92)
        layout.addWidget(self.label)
        self.lock = QCheckBox(self.tr("lock")) if lockable else None
        if self.lock is not None:
            self.lock.setToolTip(self.tr("A locked dimension keeps its value when you press Random z"))
            layout.addWidget(self.lock)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(round(lo * SLIDER_STEPS), round(hi * SLIDER_STEPS))
        self.slider.setMinimumWidth(100)
        layout.addWidget(self.slider, 1)
        self.value_label = QLabel()
        self.value_label.setMinimumWidth(50)
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.value_label)
        self.slider.valueChanged.connect(self._on_slider)
        self.set_value(value)

    def value(self) -> float:
        return self.slider.value() / SLIDER_STEPS

    def set_value(self, value: float) -> None:
        """Move the slider without emitting `changed`."""
        self.slider.blockSignals(True)
        self.slider.setValue(round(value * SLIDER_STEPS))
        self.slider.blockSignals(False)
        self.value_label.setText(f"{self.value():+.2f}")

    @property
    def locked(self) -> bool:
        return self.lock is not None and self.lock.isChecked()

    @Slot(int)
    def _on_slider(self, _ticks: int) -> None:
        self.value_label.setText(f"{self.value():+.2f}")
        self.changed.emit(self.value())


class SliderColumn(QWidget):
    """A column of ValueSliders made anew for each model; `moved(index, value)` when one moves.

    `sliders` stays the same list object, so that others may keep a reference to it.
    """

    moved = Signal(int, float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self.sliders: list[ValueSlider] = []

    def clear(self) -> None:
        for slider in self.sliders:
            slider.hide()  # gone from the column now, not only when the event loop deletes it
            slider.deleteLater()
        self.sliders.clear()

    def add(self, slider: ValueSlider) -> None:
        index = len(self.sliders)
        slider.changed.connect(lambda value: self.moved.emit(index, value))
        self._rows.addWidget(slider)
        self.sliders.append(slider)

    def show_values(self, values: np.ndarray) -> None:
        """Move the sliders to `values` (one per slider, extra values ignored) without emitting."""
        for slider, value in zip(self.sliders, values):
            slider.set_value(float(value))


class ZBox(QGroupBox):
    """A seed box, one lockable slider per shown dimension of z, Random / Zero, and truncation ψ;
    `seed_chosen(seed)` when a seed is entered (Enter, the arrows or leaving the box)."""

    seed_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("z dimensions (±3σ)"), parent)
        layout = QVBoxLayout(self)
        seed_row = QHBoxLayout()
        seed_row.addWidget(QLabel(self.tr("seed")))
        self.seed = QSpinBox()
        self.seed.setRange(0, MAX_SEED)
        self.seed.setKeyboardTracking(False)  # one z per seed entered, not one per digit typed
        self.seed.setToolTip(self.tr("z drawn from this seed: the same z as `gan-studio sample CKPT --seed S --n 1`"))
        self.seed.valueChanged.connect(self.seed_chosen)
        self.seed.editingFinished.connect(self._on_seed_entered)
        seed_row.addWidget(self.seed)
        self.seed_state = QLabel("")
        self.seed_state.setStyleSheet("color: #555;")
        seed_row.addWidget(self.seed_state, 1)
        layout.addLayout(seed_row)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("show")))
        self.dims = QSpinBox()
        self.dims.setRange(1, MAX_DIMS)
        self.dims.setValue(DEFAULT_DIMS)
        self.dims.setSuffix(self.tr(" dims"))
        row.addWidget(self.dims)
        self.random_button = QPushButton(self.tr("Random z"))
        self.zero_button = QPushButton(self.tr("Zero"))
        row.addWidget(self.random_button)
        row.addWidget(self.zero_button)
        layout.addLayout(row)
        self.column = SliderColumn()
        layout.addWidget(self.column)
        self.psi = ValueSlider(self.tr("truncation ψ"), 0.0, 1.0, 1.0)
        self.psi.setToolTip(self.tr("ψ < 1 pulls z toward the mean of the prior: typical, less varied samples"))
        layout.addWidget(self.psi)

    @Slot()
    def _on_seed_entered(self) -> None:
        if self.seed.hasFocus():  # Enter (not leaving the box): the seed's z again, even when unchanged
            self.seed_chosen.emit(self.seed.value())

    def set_z_dim(self, z_dim: int) -> None:
        self.dims.setMaximum(min(MAX_DIMS, z_dim))

    def show_seed(self, seed: int | None, zero: bool = False) -> None:
        """Show the seed z is drawn from (the box takes it without emitting), else "z = 0" or "edited"."""
        if seed is not None:
            self.seed.blockSignals(True)
            self.seed.setValue(seed)
            self.seed.blockSignals(False)
        self.seed_state.setText(self.tr("z of seed {seed}").format(seed=seed) if seed is not None else
                                "z = 0" if zero else self.tr("edited"))

    def rebuild(self, z: np.ndarray) -> None:
        """Sliders for the first dimensions of z (as many as `dims` asks), at z's values."""
        self.column.clear()
        for i in range(min(self.dims.value(), len(z))):
            self.column.add(ValueSlider(f"z[{i}]", -Z_RANGE, Z_RANGE, float(z[i]), lockable=True))

    def locked(self, z_dim: int) -> np.ndarray:
        """Which of z's dimensions Random keeps (those without a slider are never locked)."""
        locked = np.zeros(z_dim, bool)
        locked[:len(self.column.sliders)] = [s.locked for s in self.column.sliders]
        return locked

    def set_enabled(self, on: bool) -> None:
        for widget in (self.seed, self.random_button, self.zero_button, self.psi):
            widget.setEnabled(on)


class DirectionsBox(QGroupBox):
    """One slider per PCA direction, labelled with the share of variance it explains."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Directions (PCA of G's early activations)"), parent)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setStyleSheet("color: #555;")
        row.addWidget(self.source, 1)
        self.recompute = QPushButton(self.tr("Recompute"))
        self.recompute.setToolTip(self.tr("Find the directions again for the current generator (about a second)"))
        row.addWidget(self.recompute)
        layout.addLayout(row)
        self.column = SliderColumn()
        layout.addWidget(self.column)
        self.waiting(computing=False)

    def waiting(self, computing: bool) -> None:
        self.source.setText(self.tr("computing…") if computing else self.tr("not computed yet"))

    def show_found(self, count: int, source: str, share: float) -> None:
        """`count` directions found in core.latent's `source` ("outputs" or "activations after NAME"),
        explaining `share` of the variance together."""
        after = source.removeprefix("activations after ")
        where = (self.tr("G's outputs") if source == "outputs" else self.tr("the first layer's activations")
                 if after == "the first layer" else self.tr("the activations after {layer}").format(layer=after))
        self.source.setText(self.tr("{count} directions from {source}; together {share} of the variance")
                            .format(count=count, source=where, share=f"{share:.0%}"))

    def rebuild(self, explained: np.ndarray | None) -> None:
        """A slider for each direction found (none while they are being computed)."""
        self.column.clear()
        for j, share in enumerate(explained if explained is not None else ()):
            slider = ValueSlider(f"PC{j + 1} ({share:.1%})", -Z_RANGE, Z_RANGE, 0.0)
            slider.setToolTip(self.tr("Moves z along principal direction {number}, which explains {share} of the "
                                      "variance of G's features").format(number=j + 1, share=f"{share:.1%}"))
            self.column.add(slider)
