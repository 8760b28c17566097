"""Switching the language at run time (View ▸ Language): the open window's docks and menus change at once,
with the Lessons dock on a step and the slow-motion panel paused on a sub-step, and change back."""
from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from studio.gui import translations
from studio.gui.language_switch import switch_language
from test_i18n import english_left, shown_texts

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_switching_language_at_run_time_updates_open_panels(qapp, make_window, qtbot):
    window = make_window()
    assert translations.current_language() == "en"
    window.lessons.present(0)
    window.lessons.next()  # a lesson on its second step
    window.raise_dock("slowmotion")
    panel = window.slow_motion
    panel.set_frames({"error": "a reason"})  # what a run that cannot do slow motion shows
    menu = window.language_menu
    try:
        assert switch_language(qapp, window, "zh_CN") > 300  # texts swapped in place
        assert translations.current_language() == "zh_CN"
        assert window.menuBar().actions()[0].text() == "文件(&F)"
        # one context, "Step" twice: the button is the plain message, the counter's title the commented one
        assert window.controls.step_button.text() == QCoreApplication.translate("ControlsPanel", "Step") == "单步"
        texts = shown_texts(window) - {panel.caption.text()}  # the engine's reason stays as it came
        left = english_left(texts)
        assert left == [], "\n".join(left)
        assert CJK.search(window.lessons.title.text()) and CJK.search(window.notes_dock.label.text())
        menu.actions["en"].trigger()  # as a click in View ▸ Language does: at once, and saved
        assert translations.current_language() == "en"
        assert menu.settings.value(translations.SETTINGS_KEY) == "en"
    finally:
        translations.install(QApplication.instance(), "en")
    texts = shown_texts(window) - set(translations.LANGUAGES.values())  # the menu names each language in itself
    chinese = sorted(text for text in texts if CJK.search(text))
    assert chinese == [], "\n".join(chinese)
    assert window.controls.start_button.text() == "▶  Start"
    assert window.docks["controls"].windowTitle() == "Controls"
    assert window.menuBar().actions()[0].text() == "&File"
    assert window.statusBar().currentMessage().startswith("The window is now in English")


def test_a_starters_description_in_the_explorer_switches_language_too(qapp, make_window):
    from studio.core.starters import read_starter
    from studio.gui.starters_menu import explore_starter

    window = make_window()
    assert explore_starter(window, "mnist-dcgan")
    starter = read_starter("mnist-dcgan")
    assert starter.description_in("en").rstrip(".") in window.latent.hint.text()
    try:
        switch_language(qapp, window, "zh_CN")
        assert starter.description_in("zh_CN").rstrip("。") in window.latent.hint.text()
        switch_language(qapp, window, "en")
        assert starter.description_in("en").rstrip(".") in window.latent.hint.text()
    finally:
        translations.install(QApplication.instance(), "en")
