"""Settings: forms generated from the config's metadata, a preset picker and inline validation."""
from __future__ import annotations

import dataclasses

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QScrollArea, QVBoxLayout, QWidget)

from ..core.config import (IMAGE_DATASETS, SECTIONS, TOY_DATASETS, Config, ConfigError, check_value,
                           field_specs)
from ..core.presets import load_preset, preset_descriptions, preset_names
from .engine_texts import choice_text, config_error, field_help, field_label
from .formulas_view import LossFormulaLabel
from .translations import current_language

SECTION_TITLES = {"data": QT_TRANSLATE_NOOP("ConfigPanel", "Data"),
                  "generator": QT_TRANSLATE_NOOP("ConfigPanel", "Generator"),
                  "discriminator": QT_TRANSLATE_NOOP("ConfigPanel", "Discriminator"),
                  "loss": QT_TRANSLATE_NOOP("ConfigPanel", "Loss"),
                  "optim": QT_TRANSLATE_NOOP("ConfigPanel", "Optimiser"),
                  "train": QT_TRANSLATE_NOOP("ConfigPanel", "Training"),
                  "cond": QT_TRANSLATE_NOOP("ConfigPanel", "Conditioning")}
EDITABLE_CHOICES = {"data.name": TOY_DATASETS + IMAGE_DATASETS, "train.device": ("auto", "cpu", "cuda", "mps")}
ERROR_STYLE = "border: 2px solid #d93025; border-radius: 3px; background: #fdecea;"
LOCK_HINT = QT_TRANSLATE_NOOP("ConfigPanel", "A run is active: structural settings are locked. Stop or Reset to "
                                             "change them; fields left enabled apply at the next step.")


def _format(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class FieldEditor:
    """One field: its widget, its error label, and conversion between text and value."""

    def __init__(self, section: str, f: dataclasses.Field, on_change):
        self.section, self.field = section, f
        self.path = f"{section}.{f.name}"
        self.kind = type(f.default)
        self.live = bool(f.metadata.get("live"))
        choices = f.metadata.get("choices")
        if self.kind is bool:
            self.widget = QCheckBox()
            self.widget.toggled.connect(on_change)
        elif choices is not None or self.path in EDITABLE_CHOICES:
            self.widget = QComboBox()
            self.choices = tuple(choices) if choices is not None else None
            self.widget.addItems([_format(c) for c in EDITABLE_CHOICES[self.path]] if choices is None
                                 else [choice_text(c) for c in choices])
            if choices is None:
                self.widget.setEditable(True)
                self.widget.editTextChanged.connect(on_change)
            else:
                self.widget.currentIndexChanged.connect(on_change)
        else:
            self.widget = QLineEdit()
            self.widget.textChanged.connect(on_change)
        self.label = QLabel()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d93025;")
        self.error.hide()
        self.retranslate()

    def retranslate(self) -> None:
        """Its label and tooltip in the window's language (again after a switch of language)."""
        f = self.field
        tip = field_help(f.metadata.get("help") or "")
        rules = [f"{sign} {_format(f.metadata[k])}" for k, sign in (("min", "≥"), ("max", "≤"), ("gt", ">"))
                 if f.metadata.get(k) is not None]
        self.tooltip = f"{self.path}: {tip}" + (f" ({', '.join(rules)})" if rules else "") + \
            (QCoreApplication.translate("FieldEditor", " — live: applies during a run") if self.live else "")
        self.widget.setToolTip(f"{self.error.text()}\n\n{self.tooltip}" if self.error.text() else self.tooltip)
        self.label.setText(field_label(f.name) + (" ⚡" if self.live else ""))
        self.label.setToolTip(self.tooltip)

    def set_value(self, value) -> None:
        w = self.widget
        w.blockSignals(True)
        try:
            if isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QComboBox):
                if w.isEditable():
                    w.setEditText(str(value))
                else:
                    w.setCurrentIndex(list(self.choices).index(value) if value in self.choices else -1)
            else:
                w.setText(_format(value))
        finally:
            w.blockSignals(False)

    def value(self):
        """The typed value, or raise ConfigError with the engine's message for bad text."""
        w = self.widget
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QComboBox):
            if w.isEditable():
                return w.currentText().strip()
            return self.choices[w.currentIndex()] if w.currentIndex() >= 0 else None
        text = w.text().strip()
        if self.kind is str:
            return text
        try:
            return int(text) if self.kind is int else float(text)
        except ValueError:
            word = "an integer" if self.kind is int else "a number"
            raise ConfigError(f"{self.path} must be {word}, got {text!r}") from None

    def show_error(self, message: str | None) -> None:
        if message:
            message = config_error(message)
            self.error.setText(message)
            self.error.show()
            self.widget.setStyleSheet(ERROR_STYLE)
            self.widget.setToolTip(f"{message}\n\n{self.tooltip}")
        else:
            self.error.hide()
            self.error.clear()
            self.widget.setStyleSheet("")
            self.widget.setToolTip(self.tooltip)


class ConfigPanel(QWidget):
    """Emits `config_changed(Config)` whenever the form holds a new valid config."""

    config_changed = Signal(object)
    validity_changed = Signal(bool)
    preset_changed = Signal(str)
    sample_rate_changed = Signal(float)  # sample refreshes per second
    plot_rate_changed = Signal(float)  # plot redraws per second

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.editors: dict[str, FieldEditor] = {}
        self.valid = True
        self.errors: dict[str, str] = {}
        self.config = Config()
        self._base = self.config
        self._run_active = False
        self._loading = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        picker = QHBoxLayout()
        picker.addWidget(QLabel(self.tr("Preset")))
        self.preset_box = QComboBox()
        self.preset_box.addItems(preset_names())
        self.preset_box.setToolTip(self.tr("load a preset into the form"))
        picker.addWidget(self.preset_box, 1)
        outer.addLayout(picker)
        self.lock_hint = QLabel(QCoreApplication.translate("ConfigPanel", LOCK_HINT))
        self.lock_hint.setWordWrap(True)
        self.lock_hint.setStyleSheet("background: #fff4ce; padding: 4px; border-radius: 3px;")
        self.lock_hint.hide()
        outer.addWidget(self.lock_hint)
        self.general_error = QLabel()
        self.general_error.setWordWrap(True)
        self.general_error.setStyleSheet("color: #d93025; font-weight: bold;")
        self.general_error.hide()
        outer.addWidget(self.general_error)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 4, 0)
        self.preset_text = QLabel()
        self.preset_text.setWordWrap(True)
        self.preset_text.setStyleSheet("color: #555;")
        body_layout.addWidget(self.preset_text)
        for section in SECTIONS:
            box = QGroupBox(QCoreApplication.translate("ConfigPanel", SECTION_TITLES[section]))
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for f in field_specs(section):
                editor = FieldEditor(section, f, self._on_edit)
                self.editors[editor.path] = editor
                form.addRow(editor.label, editor.widget)
                form.addRow(editor.error)
                if editor.path == "loss.kind":  # the chosen loss as a formula
                    self.loss_formula = LossFormulaLabel(editor.widget, editor.choices)
                    self.config_changed.connect(self.loss_formula.show_config)
                    form.addRow(self.loss_formula)
            body_layout.addWidget(box)
        body_layout.addWidget(self._display_box())
        body_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(body)
        outer.addWidget(self.scroll, 1)
        self._descriptions = preset_descriptions(current_language())
        self.preset_box.currentTextChanged.connect(self._on_preset)

    def _display_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Display (live)"))
        form = QFormLayout(box)
        self.plot_rate = QDoubleSpinBox()
        self.plot_rate.setRange(1, 60)
        self.plot_rate.setValue(30)
        self.plot_rate.setSuffix(" Hz")
        self.plot_rate.setToolTip(self.tr("how often the plots redraw"))
        self.plot_rate.valueChanged.connect(self.plot_rate_changed)
        self.sample_rate = QDoubleSpinBox()
        self.sample_rate.setRange(0.5, 30)
        self.sample_rate.setValue(4)
        self.sample_rate.setSuffix(" /s")
        self.sample_rate.setToolTip(self.tr("how often samples (or the 2-D plane) refresh while training"))
        self.sample_rate.valueChanged.connect(self.sample_rate_changed)
        form.addRow(self.tr("plot refresh"), self.plot_rate)
        form.addRow(self.tr("sample refresh"), self.sample_rate)
        return box

    # -- loading -------------------------------------------------------------
    def select_preset(self, name: str) -> None:
        """Show `name` in the picker and load it into the form."""
        if self.preset_box.currentText() == name:
            self._on_preset(name)
        else:
            self.preset_box.setCurrentText(name)

    def retranslate(self) -> None:
        """The fields' labels and tooltips and the preset's description in the window's language."""
        for editor in self.editors.values():
            editor.retranslate()
        self._descriptions = preset_descriptions(current_language())
        self.preset_text.setText(self._descriptions.get(self.preset_box.currentText(), ""))

    @Slot(str)
    def _on_preset(self, name: str) -> None:
        if not name:
            return
        self.preset_text.setText(self._descriptions.get(name, ""))
        self.set_config(load_preset(name))
        self.preset_changed.emit(name)

    def set_config(self, config: Config) -> None:
        self._base = config  # fields without a form (description, …) come from here
        self._loading = True
        try:
            raw = config.to_dict()
            for path, editor in self.editors.items():
                section, name = path.split(".")
                editor.set_value(raw[section][name])
        finally:
            self._loading = False
        self._on_edit()

    def show_run_config(self, config: Config, preset: str, text: str) -> None:
        """Show a run's settings (not a preset's): the picker names `preset` or stays blank, `text` below it."""
        self.set_config(config)
        self.preset_box.blockSignals(True)
        self.preset_box.setCurrentIndex(self.preset_box.findText(preset) if preset else -1)
        self.preset_box.blockSignals(False)
        self.preset_text.setText(text)

    def preset(self) -> str:
        return self.preset_box.currentText()

    # -- validation ----------------------------------------------------------
    def set_value(self, path: str, text_or_value) -> None:
        """Set a field as a user would (text for line edits); for tests and scripts."""
        editor = self.editors[path]
        w = editor.widget
        if isinstance(w, QLineEdit):
            w.setText(str(text_or_value))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(text_or_value))
        elif w.isEditable():
            w.setEditText(str(text_or_value))
        else:
            w.setCurrentIndex(list(editor.choices).index(text_or_value))

    @Slot()
    def _on_edit(self, *_args) -> None:
        if self._loading:
            return
        errors: dict[str, str] = {}
        raw = self._base.to_dict()
        for path, editor in self.editors.items():
            section, name = path.split(".")
            try:
                value = editor.value()
                check_value(path, editor.field, value)
                raw[section][name] = value
            except ConfigError as exc:
                errors[path] = str(exc)
        general = ""
        config = None
        if not errors:
            try:
                config = Config.from_dict(raw)
            except ConfigError as exc:
                text = str(exc)
                named = next((p for p in self.editors if text.startswith(p + " ")), None)
                if named:
                    errors[named] = text
                else:
                    general = text
        for path, editor in self.editors.items():
            editor.show_error(errors.get(path))
        self.general_error.setText(config_error(general))
        self.general_error.setVisible(bool(general))
        self.errors = errors if not general else {**errors, "": general}
        valid = config is not None
        if valid != self.valid:
            self.valid = valid
            self.validity_changed.emit(valid)
        if config is not None and config.to_dict() != self.config.to_dict():
            self.config = config
            self.config_changed.emit(config)

    # -- run lock ------------------------------------------------------------
    def set_run_active(self, active: bool) -> None:
        """Lock structural fields (and the preset picker) while a run is active."""
        self._run_active = active
        self.preset_box.setEnabled(not active)
        self.lock_hint.setVisible(active)
        for editor in self.editors.values():
            enabled = not active or editor.live
            editor.widget.setEnabled(enabled)
            editor.label.setEnabled(enabled)
