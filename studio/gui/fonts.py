"""Fonts that can draw the chosen language: without a font with Chinese glyphs, Qt draws boxes.

The window then stays in English and says once (at start) how to install a font, instead.
"""
from __future__ import annotations

from PySide6.QtGui import QFontDatabase

WRITING_SYSTEMS = {"zh_CN": QFontDatabase.WritingSystem.SimplifiedChinese}  # languages that need more than Latin
FONT_HELP = ("GAN Studio can show its window in Chinese, but no font on this computer has Chinese characters "
             "(the text would be drawn as boxes), so it stays in English. Install one and start again, e.g. "
             "on Debian or Ubuntu: sudo apt-get install fonts-noto-cjk (Fedora: google-noto-sans-cjk-fonts; "
             "or any font with Simplified Chinese, e.g. Noto Sans CJK SC, Source Han Sans, WenQuanYi).")


def has_font_for(lang: str) -> bool:
    """Whether some installed font family supports the writing system `lang` needs (needs a QGuiApplication)."""
    system = WRITING_SYSTEMS.get(lang)
    return system is None or bool(QFontDatabase.families(system))


def font_problem(lang: str) -> str | None:
    """What to tell the user when `lang` cannot be drawn here; None when it can. In English: the
    language that can be drawn."""
    return None if has_font_for(lang) else FONT_HELP


def drawable_language(lang: str) -> tuple[str, str | None]:
    """(the language to show, the message to show once or None): English where `lang` has no font."""
    problem = font_problem(lang)
    return ("en", problem) if problem else (lang, None)
