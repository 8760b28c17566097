"""English text that the window shows translated: templates marked for pyside6-lupdate, filled in later.

The engine never imports Qt, so it cannot call tr(). It writes each sentence it shows a student as an
English template with named fields ("D's loss {loss:.3f}"), wrapped in QT_TRANSLATE_NOOP so that
pyside6-lupdate (which recognises the call by its name) extracts it into a .ts catalog. A sentence
travels as a Part (context, template, fields), plain data that crosses threads; the window translates
the template with QCoreApplication.translate and fills the fields (`render(parts, translate)`), the
command line and the tests read the English (`render(parts)`).
"""
from __future__ import annotations

from typing import Callable, Iterable

WIDE_STOPS = "。！？；：）"  # Chinese sentences follow these without a space
Part = tuple[str, str, dict]  # (translation context, English template with {named} fields, field values)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802  (the name pyside6-lupdate looks for)
    """Marks `text` for extraction into the catalog under `context`; returns it unchanged."""
    return text


def render(parts: Iterable[Part], translate: Callable[[str, str], str] | None = None) -> str:
    """The sentences filled in and joined; `translate(context, template)` (Qt's) picks the language.

    A translation whose fields do not match the template's falls back to the English sentence rather
    than failing on screen."""
    text = ""
    for context, template, fields in parts:
        sentence = None
        if translate is not None:
            try:
                sentence = translate(context, template).format(**fields)
            except (KeyError, IndexError, ValueError):
                pass
        sentence = template.format(**fields) if sentence is None else sentence
        text += ("" if not text or text[-1] in WIDE_STOPS else " ") + sentence
    return text
