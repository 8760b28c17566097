"""View ▸ Language: pick the window's language; it applies at once and is remembered (QSettings).

The window is not rebuilt (it holds a live run: a trainer thread, plots of the whole run, the explorer's
state): language_switch installs the new translators and swaps the texts of every open window in place.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QSettings, QTranslator, Slot
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QMessageBox

from .fonts import drawable_language, font_problem
from .language_switch import switch_language
from .translations import (LANGUAGES, SETTINGS_KEY, available, catalog_path, choose_language, current_language,
                           install)

NOW_TEXT = QT_TRANSLATE_NOOP("LanguageMenu", "The window is now in {language}, and will be at the next start too.")


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
        problem = font_problem(lang)
        if problem:  # no font here can draw it: the window stays as it is, and says how to get one
            self.box = QMessageBox(QMessageBox.Icon.Information, self.tr("Language"), problem,
                                   QMessageBox.StandardButton.Ok, self.window)
            self.box.open()  # not modal to the run: it keeps training
            return
        switch_language(QApplication.instance(), self.window, lang)
        self.window.statusBar().showMessage(switched_message(lang), 8000)


def switched_message(lang: str) -> str:
    """'Now in {language}' in the language switched to."""
    return translate_in(lang, NOW_TEXT).format(language=LANGUAGES[lang])


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
