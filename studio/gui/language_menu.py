"""View ▸ Language: pick the window's language; it is remembered (QSettings) and applies at the next start.

Why at the next start and not at once: every panel sets its texts when it is built, and the window
holds a live run (a trainer thread, plots of the whole run, the explorer's state). Rebuilding the
window would lose that; a retranslateUi in each of some forty modules would double their code.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QSettings, QTranslator, Slot
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from .fonts import drawable_language, font_problem
from .translations import (LANGUAGES, SETTINGS_KEY, available, catalog_path, choose_language, current_language,
                           install)

RESTART_TEXT = QT_TRANSLATE_NOOP("LanguageMenu", "The window will be in {language} the next time GAN Studio starts.")


class LanguageMenu(QObject):
    """The Language submenu of `menu`; the choice is saved in the window's QSettings."""

    def __init__(self, window: QMainWindow, menu: QMenu, settings: QSettings | None = None):
        super().__init__(window)
        self.window = window
        self.settings = settings if settings is not None else window.qsettings
        self.menu = menu.addMenu(self.tr("Language"))
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        chosen = self.settings.value(SETTINGS_KEY, "") or current_language()
        for lang in available():
            action = QAction(LANGUAGES[lang], self.group)  # each language in its own words
            action.setCheckable(True)
            action.setChecked(lang == chosen)
            action.setData(lang)
            self.menu.addAction(action)
            self.actions[lang] = action
        self.group.triggered.connect(self._on_chosen)
        self.box: QMessageBox | None = None

    @Slot(QAction)
    def _on_chosen(self, action: QAction) -> None:
        lang = action.data()
        self.settings.setValue(SETTINGS_KEY, lang)
        self.settings.sync()
        if lang == current_language():
            return
        text = restart_message(lang)
        problem = font_problem(lang)
        if problem:
            text += "\n\n" + problem
        self.box = QMessageBox(QMessageBox.Icon.Information, self.tr("Language"), text,
                               QMessageBox.StandardButton.Ok, self.window)
        self.box.open()  # not modal to the run: it keeps training


def restart_message(lang: str) -> str:
    """'Applies at the next start' in the window's language, then in the chosen one."""
    source = RESTART_TEXT
    here = translate_in(current_language(), source).format(language=LANGUAGES[lang])
    there = translate_in(lang, source).format(language=LANGUAGES[lang])
    return here if here == there else f"{here}\n{there}"


def translate_in(lang: str, source: str) -> str:
    """`source` (of the LanguageMenu context) in `lang`, whatever language is installed now."""
    translator = QTranslator()
    path = catalog_path("window", lang, ".qm")
    if path.is_file() and translator.load(str(path)):
        return translator.translate("LanguageMenu", source) or source
    return source


def start_in_language(app, asked: str | None = None, settings: QSettings | None = None) -> tuple[str, str | None]:
    """Install the window's language (`--lang`, else the saved choice, else the system's) before any
    window is built. Returns (the language installed, what to tell the user once or None): a language
    no installed font can draw falls back to English."""
    lang, problem = drawable_language(choose_language(asked, settings))
    install(app, lang)
    return lang, problem


def tell_font_problem(window: QMainWindow, problem: str) -> QMessageBox:
    """Say once, on the terminal and in a box that does not block the window, how to get a font."""
    print(f"gan-studio: warning: {problem}", file=sys.stderr)
    box = QMessageBox(QMessageBox.Icon.Warning, "Fonts", problem, QMessageBox.StandardButton.Ok, window)
    box.open()
    return box
