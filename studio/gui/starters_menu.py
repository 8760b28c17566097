"""The window's Explore menu: the starter generators shipped with the package (core.starters), each
opened in the latent explorer with one click, so that the explorer is live at the first launch, with
no training and no download. Each starter's description is shown in the window's language where its
starter.json has it (`description_zh_CN`), else in English."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMenu, QMenuBar

from ..core.checkpoints import CheckpointError
from ..core.readers import DataError
from ..core.starters import PREFIX, list_starters, read_starter
from .engine_texts import engine_message
from .translations import current_language

translate = QCoreApplication.translate  # context "Explore", for pyside6-lupdate


def install_starters_menu(window, menu_bar: QMenuBar) -> QMenu:
    """Add "Explore" with one entry per starter (its description; its metrics as the tooltip) to the window."""
    menu = menu_bar.addMenu(translate("Explore", "E&xplore"))
    menu.setToolTipsVisible(True)
    starters, problems = list_starters()
    for starter in starters:
        action = menu.addAction(translate("Explore", "Starter “{0}”: {1}").format(
            starter.name, starter.description_in(current_language())))
        made = translate("Explore", "Made with: {0}").format(starter.command) if starter.command else ""
        action.setToolTip("\n".join(line for line in (starter.key_metrics(), made) if line))
        action.triggered.connect(lambda _=False, name=starter.name: explore_starter(window, name))
    for problem in problems:  # a starter whose description is malformed: named, not hidden
        menu.addAction(problem[:160]).setEnabled(False)
    if not starters and not problems:
        menu.addAction(translate("Explore", "No starter generators are installed")).setEnabled(False)
    return menu


def explore_starter(window, name: str) -> bool:
    """Show starter NAME in the window's latent explorer; False, said on the status bar, when it cannot."""
    try:
        starter = read_starter(name)
        window.open_in_explorer(PREFIX + name)
    except (CheckpointError, DataError) as exc:
        window.show_message(engine_message(str(exc)))
        return False
    description = starter.description_in(current_language())
    window.latent.hint.setText(translate("Explore", "{0}. Drag a slider; Random z draws a new latent")
                               .format(description.rstrip(".。")))
    window.show_message(translate("Explore", "Exploring the starter generator “{0}”: {1}")
                        .format(name, description))
    return True
