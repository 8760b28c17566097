"""The engine's words in the window's language: config field names, help texts, choices and the
validation messages of studio.core.config (the engine never imports Qt, so it cannot tr() them itself).

Their English stays in core/config.py; `noop_source()` lists them for pyside6-lupdate (the `update`
command of studio.gui.translations reads it), and the window looks each up at run time by its English
text. A text without a translation shows in English.
"""
from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from ..core.config import SECTIONS, field_specs

LABEL, HELP, CHOICE, ERROR = "ConfigField", "ConfigHelp", "ConfigChoice", "ConfigError"
TYPE_WORDS = ("true or false", "an integer", "a number", "a string", "a finite number")
ERROR_PATTERNS = (  # check_value's messages (and the form's own): regex → English template with the same fields
    (r"(?P<path>[\w.]+) must be (?P<word>true or false|an integer|a number|a string|a finite number), "
     r"got (?P<got>.*)", "{path} must be {word}, got {got}"),
    (r"(?P<path>[\w.]+) must be one of (?P<allowed>.*), got (?P<got>.*)", "{path} must be one of {allowed}, got {got}"),
    (r"(?P<path>[\w.]+) must be > (?P<bound>\S+), got (?P<got>.*)", "{path} must be > {bound}, got {got}"),
    (r"(?P<path>[\w.]+) must be >= (?P<bound>\S+), got (?P<got>.*)", "{path} must be >= {bound}, got {got}"),
    (r"(?P<path>[\w.]+) must be <= (?P<bound>\S+), got (?P<got>.*)", "{path} must be <= {bound}, got {got}"),
)


def _translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def field_label(name: str) -> str:
    """A field's name on the form: 'batch size' (English) or its translation."""
    return _translate(LABEL, name.replace("_", " "))


def field_help(text: str) -> str:
    return _translate(HELP, text) if text else ""


def choice_text(value) -> str:
    """How a choice (a loss, an activation, 'none') reads in a combo box; its value is unchanged."""
    return _translate(CHOICE, value if isinstance(value, str) else f"{value:g}" if isinstance(value, float)
                      else str(value))


def config_error(message: str) -> str:
    """A validation message of the engine in the window's language (unknown messages as they are)."""
    for pattern, template in ERROR_PATTERNS:
        match = re.fullmatch(pattern, message)
        if match:
            fields = match.groupdict()
            if "word" in fields:
                fields["word"] = _translate(ERROR, fields["word"])
            return _translate(ERROR, template).format(**fields)
    return message


def noop_source() -> str:
    """Python source that pyside6-lupdate reads: one QT_TRANSLATE_NOOP per engine text."""
    texts: dict[str, set[str]] = {LABEL: set(), HELP: set(), CHOICE: set(), ERROR: set()}
    for section in SECTIONS:
        for f in field_specs(section):
            texts[LABEL].add(f.name.replace("_", " "))
            if f.metadata.get("help"):
                texts[HELP].add(f.metadata["help"])
            for value in f.metadata.get("choices") or ():
                if isinstance(value, str):
                    texts[CHOICE].add(value)
    texts[ERROR].update(TYPE_WORDS)
    texts[ERROR].update(template for _, template in ERROR_PATTERNS)
    lines = ["from PySide6.QtCore import QT_TRANSLATE_NOOP", ""]
    for context, found in texts.items():
        lines += [f"QT_TRANSLATE_NOOP({context!r}, {text!r})" for text in sorted(found)]
    return "\n".join(lines) + "\n"
