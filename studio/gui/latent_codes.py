"""The latent explorer's code controls: the class selector of a conditional GAN, or InfoGAN's
categorical code and named continuous sliders. Hidden for a plain GAN."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget

from ..core.codes import CONTINUOUS_RANGE, CodeLayout
from ..core.config import Config
from ..core.data import class_names
from .latent_sliders import ValueSlider

CODE_NAMES = {"class": QT_TRANSLATE_NOOP("CodeBox", "class"),  # core.codes' slot names (c1, c2… stay as they are)
              "category": QT_TRANSLATE_NOOP("CodeBox", "category")}


def code_name(name: str) -> str:
    """A code's name as the window shows it: 'class' and InfoGAN's 'category' translated."""
    return QCoreApplication.translate("CodeBox", CODE_NAMES[name]) if name in CODE_NAMES else name


def _empty(layout: QLayout) -> None:
    """Take every row out of `layout`, deleting its widgets (and those of nested rows)."""
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()
        elif item.layout() is not None:
            _empty(item.layout())


class CodeBox(QGroupBox):
    """The codes c that G(z, c) is given; `changed` after a choice changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(self.tr("Codes"), parent)
        self._rows = QVBoxLayout(self)
        self.codes = CodeLayout([])  # the model's class / InfoGAN codes (none for a plain GAN)
        self.choices: dict[str, float] = {}  # {"class": 3} or {"category": 1, "c1": 0.5}
        self.selectors: dict[str, QComboBox] = {}
        self.sliders: dict[str, ValueSlider] = {}
        self._code: np.ndarray | None = None  # c for `choices`, encoded once per change, not once per frame
        self.hide()

    def rebuild(self, codes: CodeLayout, config: Config) -> None:
        """Controls for a new model's codes, each at its neutral value."""
        _empty(self._rows)
        self.codes = codes
        self.selectors.clear()  # cleared in place: the panel keeps references to both
        self.sliders.clear()
        self.choices = {s.name: 0 for s in codes.slots}
        self._code = None
        conditional = config.cond.kind in ("cgan", "acgan")
        names = class_names(config.data) if conditional else None
        self.setTitle((self.tr("Class (G is asked for this class)") if names else
                       self.tr("Class (G is asked for this digit)")) if conditional else
                      self.tr("InfoGAN codes (learned without labels)"))
        self.setVisible(bool(codes))
        for slot in codes.slots:
            if slot.kind == "categorical":
                row = QHBoxLayout()
                label = QLabel(code_name(slot.name))
                label.setMinimumWidth(70)
                box = QComboBox()
                # "k: name" where the data names its classes (a labelled folder, Fashion-MNIST)
                box.addItems([f"{k}: {names[k]}" if names and k < len(names) else text
                              for k, text in enumerate(slot.labels)])
                box.setToolTip(self.tr("The class G is asked for") if conditional else
                               self.tr("InfoGAN's categorical code: which value means which digit is learned, "
                                       "in any order"))
                box.currentIndexChanged.connect(lambda index, name=slot.name: self._choose(name, index))
                row.addWidget(label)
                row.addWidget(box, 1)
                self._rows.addLayout(row)
                self.selectors[slot.name] = box
            else:
                slider = ValueSlider(slot.name, -CONTINUOUS_RANGE, CONTINUOUS_RANGE, 0.0)
                slider.setToolTip(self.tr("InfoGAN continuous code {name}: trained over ±1, shown over ±{range} to "
                                          "see what it does beyond").format(name=slot.name,
                                                                            range=f"{CONTINUOUS_RANGE:g}"))
                slider.changed.connect(lambda value, name=slot.name: self._choose(name, value))
                self._rows.addWidget(slider)
                self.sliders[slot.name] = slider

    def code(self) -> np.ndarray | None:
        """c for the chosen class / codes (code_dim floats), or None for a plain GAN."""
        if not self.codes:
            return None
        if self._code is None:
            self._code = self.codes.encode(self.choices).numpy()[0]
        return self._code

    def set_code(self, name: str, value: float) -> None:
        """Choose a class / categorical value (by index) or a continuous code's value, as the controls do."""
        if name in self.selectors:
            self.selectors[name].setCurrentIndex(int(value))  # → _choose
        elif name in self.sliders:
            self.sliders[name].set_value(value)
            self._choose(name, value)
        else:
            self.codes.slot(name)  # raises CodeError naming the codes there are

    def set_row_code(self, rows: int, index: int) -> None:
        """Choose the categorical value of cell `index` of a Samples grid of `rows` cells (its row),
        so that a picked sample shows the same G(z, c) as in the grid."""
        slot = self.codes.categorical
        if slot is not None:
            value, _ = self.codes.split(self.codes.rows(rows)[index:index + 1])
            self.set_code(slot.name, int(value[0]))

    def _choose(self, name: str, value: float) -> None:
        self.choices[name] = value
        self._code = None
        self.changed.emit()


def describe_codes(choices: dict[str, float]) -> str:
    """'class 3' or 'category 2, c1 +0.41' in the window's language (empty for a plain GAN): for messages."""
    return ", ".join(f"{code_name(name)} {value}" if isinstance(value, int) else f"{code_name(name)} {value:+.2f}"
                     for name, value in choices.items())
