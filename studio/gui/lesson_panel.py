"""The lesson panel: a teacher walks a class through a lesson (core.lessons), one step at a time.

Each step shows its text, loads its preset or settings (and a generator into the explorer) at a
press of Load, says what to press, and highlights the panel to watch with an orange frame that
flashes; Back and Next move through the steps. Lessons come from the package or from a teacher's own
file (Lessons ▸ Open lesson file…); a file that breaks the rules is named, with its problem, in red.

`install_lessons(window)` adds the dock and the Lessons menu to the main window and carries out what
the panel asks (the panel itself only knows the lesson).
"""
from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (QComboBox, QDockWidget, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget)

from ..core.checkpoints import CheckpointError
from ..core.config import live_fields
from ..core.lessons import Lesson, LessonError, Step, in_language, lesson_files, load_lesson
from ..core.translatable import render
from .engine_texts import choice_text, engine_message
from .translations import current_language

TEXT_PT, TITLE_PT = 15, 18
HIGHLIGHT_COLOUR = "#f29900"
HIGHLIGHT_WIDTH = 6
FLASHES = 4  # the frame blinks this many times, then stays until the step changes
FLASH_MS = 350
BOX_STYLE = "background: #fff4ce; color: #202124; padding: 8px; border-radius: 4px; font-size: {pt}pt;"


class PanelHighlight(QWidget):
    """An orange frame over a dock (mouse clicks pass through), kept to the dock's size."""

    def __init__(self, dock: QWidget):
        super().__init__(dock)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        dock.installEventFilter(self)
        self.setGeometry(dock.rect())
        self.flashes = 0
        self.timer = QTimer(self)
        self.timer.setInterval(FLASH_MS)
        self.timer.timeout.connect(self._blink)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(watched.rect())
        return False

    def flash(self) -> None:
        self.flashes = 2 * FLASHES
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.timer.start()

    @Slot()
    def _blink(self) -> None:
        self.flashes -= 1
        self.setVisible(self.flashes % 2 == 0)
        if self.flashes <= 0:
            self.timer.stop()
            self.show()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        pen = QPen(QColor(HIGHLIGHT_COLOUR), HIGHLIGHT_WIDTH)
        painter.setPen(pen)
        half = HIGHLIGHT_WIDTH // 2
        painter.drawRoundedRect(self.rect().adjusted(half, half, -half, -half), 6, 6)


class LessonPanel(QWidget):
    """Shows one lesson's steps; asks for loading (`load_requested`) and highlighting (`watch_requested`)."""

    load_requested = Signal(object)  # the Step whose preset, settings or checkpoint to load
    watch_requested = Signal(str)  # the panel to highlight

    def __init__(self, panels: dict[str, str], parent: QWidget | None = None):
        """`panels`: the names a step may watch → their titles on screen."""
        super().__init__(parent)
        self.panels = panels
        self.lessons: list[Lesson] = []
        self.lesson: Lesson | None = None
        self.index = 0
        self.language = current_language()
        self.dock: QDockWidget | None = None  # install_lessons puts the panel in a dock and gives it a driver
        self.driver: LessonDriver | None = None
        layout = QHBoxLayout(self)  # a banner across the window: the step's text, and what to do beside it
        layout.setContentsMargins(6, 4, 6, 4)
        story, actions = QVBoxLayout(), QVBoxLayout()
        layout.addLayout(story, 3)
        layout.addLayout(actions, 2)
        top = QHBoxLayout()
        self.picker = QComboBox()
        self.picker.setToolTip(self.tr("the lessons shipped with GAN Studio, and those you opened"))
        self.picker.currentIndexChanged.connect(self._on_pick)
        self.open_button = QPushButton(self.tr("Open lesson file…"))
        self.open_button.setToolTip(self.tr("a lesson of your own: a JSON file like those in resources/lessons"))
        self.open_button.clicked.connect(self.ask_open)
        top.addWidget(self.picker, 1)
        top.addWidget(self.open_button)
        actions.addLayout(top)
        self.error = self._label("color: #d93025; font-weight: bold; font-size: 12pt;")
        self.error.hide()
        self.position = self._label("color: #5f6368; font-size: 12pt;")
        self.title = self._label(f"font-size: {TITLE_PT}pt; font-weight: bold; color: #202124;")
        self.text = self._label(BOX_STYLE.format(pt=TEXT_PT))
        self.loads = self._label(f"font-size: {TEXT_PT - 2}pt;")
        self.load_button = QPushButton(self.tr("Load"))
        self.load_button.setToolTip(self.tr("load this step's preset and settings (a running run is reset first)"))
        self.load_button.clicked.connect(self.load)
        self.press = self._label(f"font-size: {TEXT_PT - 1}pt;")
        self.watch = self._label(f"font-size: {TEXT_PT - 1}pt; color: {HIGHLIGHT_COLOUR}; font-weight: bold;")
        self.show_button = QPushButton(self.tr("Show me"))
        self.show_button.setToolTip(self.tr("flash the panel to watch"))
        self.show_button.clicked.connect(self.show_watched)
        for widget in (self.error, self.position, self.title, self.text):
            story.addWidget(widget)
        story.addStretch(1)
        for label, button in ((self.loads, self.load_button), (self.press, None), (self.watch, self.show_button)):
            row = QHBoxLayout()
            row.addWidget(label, 1)
            if button is not None:
                row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            actions.addLayout(row)
        actions.addStretch(1)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(self.tr("◀ Back"))
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton(self.tr("Next ▶"))
        self.next_button.clicked.connect(self.next)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        actions.addLayout(buttons)
        for path in lesson_files():
            self.add_file(path, show=False)
        self._show()

    def retranslate(self, lang: str) -> None:
        """The lessons' titles and the current step in `lang` (the language was switched at run time)."""
        self.language = lang
        for index, lesson in enumerate(self.lessons):
            self.picker.setItemText(index, in_language(lesson.title, lang))
        blocked = self.blockSignals(True)  # the same step again: no new flash of the panel to watch
        self._show()
        self.blockSignals(blocked)

    def _label(self, style: str) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        label.setStyleSheet(style)
        return label

    # -- lessons ------------------------------------------------------------------
    def add_file(self, path: str | Path, show: bool = True) -> bool:
        """Read a lesson file into the picker (and show it); a broken file is named in red instead."""
        try:
            lesson = load_lesson(path, self.panels)
        except LessonError as exc:
            self.error.setText(render(exc.parts, QCoreApplication.translate))
            self.error.show()
            return False
        self.error.hide()
        known = [existing.path for existing in self.lessons]
        if lesson.path in known:
            self.lessons[known.index(lesson.path)] = lesson
        else:
            self.lessons.append(lesson)
            self.picker.addItem(in_language(lesson.title, self.language))
        if show:
            self.picker.setCurrentIndex([existing.path for existing in self.lessons].index(lesson.path))
            self.open_lesson(lesson)
        return True

    @Slot()
    def ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open lesson file"), "",
                                              self.tr("Lessons (*.json)"))
        if path:
            self.add_file(path)

    @Slot(int)
    def _on_pick(self, index: int) -> None:
        if 0 <= index < len(self.lessons) and self.lessons[index] is not self.lesson:
            self.open_lesson(self.lessons[index])

    def open_lesson(self, lesson: Lesson) -> None:
        self.lesson, self.index = lesson, 0
        self._show()

    def present(self, index: int | None, *_checked) -> None:
        """The dock to the front with lesson `index` from its first step (None: ask for a lesson file)."""
        self.dock.show()
        self.dock.raise_()
        if index is None:
            self.ask_open()
        else:
            self.picker.setCurrentIndex(index)
            self.open_lesson(self.lessons[index])

    # -- steps --------------------------------------------------------------------
    @property
    def step(self) -> Step | None:
        return self.lesson.steps[self.index] if self.lesson else None

    @Slot()
    def next(self) -> None:
        self.show_step(self.index + 1)

    @Slot()
    def back(self) -> None:
        self.show_step(self.index - 1)

    def show_step(self, index: int) -> None:
        if self.lesson:
            self.index = max(0, min(index, len(self.lesson.steps) - 1))
            self._show()

    def _show(self) -> None:
        step, lang = self.step, self.language
        for widget in (self.load_button, self.show_button, self.back_button, self.next_button):
            widget.setEnabled(step is not None)
        if step is None:
            self.title.setText(self.tr("No lesson open"))
            self.text.setText(self.tr("Pick a lesson from the list, or open a lesson file of your own."))
            return
        count = len(self.lesson.steps)
        self.position.setText(self.tr("{lesson} · step {n} of {count}").format(
            lesson=in_language(self.lesson.title, lang), n=self.index + 1, count=count))
        self.title.setText(in_language(step.title, lang))
        self.text.setText(in_language(step.text, lang))
        self.loads.setText(self._loads_text(step))
        self.load_button.setEnabled(bool(step.preset or step.settings or step.checkpoint))
        self.press.setText(self.tr("<b>Press:</b> {what}").format(what=in_language(step.press, lang)))
        self.watch.setText(self.tr("Watch: {panel}").format(panel=self.panels.get(step.watch, step.watch)))
        self.back_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < count - 1)
        self._fit()
        self.watch_requested.emit(step.watch)

    def _fit(self) -> None:
        """The step's text whole: a dock does not ask a wrapped label for its height."""
        for label in (self.title, self.text):
            label.setMinimumHeight(label.heightForWidth(max(label.width(), 300)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _loads_text(self, step: Step) -> str:
        parts = []
        if step.preset:
            parts.append(self.tr("preset {name}").format(name=f"<b>{step.preset}</b>"))
        parts += [f"{path} = <b>{choice_text(value)}</b>" for path, value in step.settings.items()]  # as the form
        if step.checkpoint:
            parts.append(self.tr("generator {name} in the latent explorer").format(name=f"<b>{step.checkpoint}</b>"))
        if not parts:
            return self.tr("<b>Load:</b> nothing (keep what is on screen)")
        return self.tr("<b>Load:</b> {what}").format(what=", ".join(parts))

    @Slot()
    def load(self) -> None:
        if self.step is not None:
            self.load_requested.emit(self.step)

    @Slot()
    def show_watched(self) -> None:
        if self.step is not None:
            self.watch_requested.emit(self.step.watch)


class LessonDriver(QObject):
    """Carries out a lesson step in the main window: loads its settings (after resetting a run that
    they cannot change live), opens its generator in the explorer, and highlights the watched panel."""

    def __init__(self, window, panel: LessonPanel):
        super().__init__(window)
        self.window, self.panel = window, panel
        self.pending: Step | None = None  # waiting for the run to end
        self.highlights: dict[str, PanelHighlight] = {}
        panel.load_requested.connect(self.load)
        panel.watch_requested.connect(self.highlight)
        window.controller.ended.connect(self._on_ended)

    def docks(self) -> dict[str, QWidget]:
        return {**self.window.docks, "notes": self.window.notes_dock}

    @Slot(object)
    def load(self, step: Step) -> None:
        window = self.window
        live = live_fields()
        if window.controller.active and (step.preset or any(path not in live for path in step.settings)):
            self.pending = step
            window.reset()  # its settings need a new run: _on_ended loads them
            return
        form = window.settings_panel
        if step.preset:
            form.select_preset(step.preset)
        for path, value in step.settings.items():
            form.set_value(path, value)
            form.scroll.ensureWidgetVisible(form.editors[path].widget, 50, 200)  # with its formula, for loss.kind
        if step.checkpoint:
            try:
                window.open_in_explorer(step.checkpoint)
            except CheckpointError as exc:
                window.show_message(self.tr("The lesson's generator could not be opened: {error}").format(
                    error=engine_message(str(exc))))
        self.highlight(step.watch)

    @Slot()
    def _on_ended(self) -> None:
        step, self.pending = self.pending, None
        if step is not None:
            self.load(step)

    @Slot(str)
    def highlight(self, name: str) -> None:
        """Bring the panel `name` forward and flash a frame around it (the other frames go)."""
        for other, frame in self.highlights.items():
            if other != name:
                frame.timer.stop()
                frame.hide()
        dock = self.docks().get(name)
        if dock is None or not self.panel.isVisible():
            return
        dock.show()
        dock.raise_()
        if name not in self.highlights:
            self.highlights[name] = PanelHighlight(dock)
        self.highlights[name].flash()


def install_lessons(window) -> LessonPanel:
    """The Lessons dock (a banner over the panels, hidden until asked for) and the Lessons menu."""
    docks = {**window.docks, "notes": window.notes_dock}
    panel = LessonPanel({name: dock.windowTitle() for name, dock in docks.items()})
    dock = panel.dock = QDockWidget(QCoreApplication.translate("LessonPanel", "Lessons"), window)
    dock.setObjectName("dock-lessons")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, dock)  # never hides the panel it points at
    dock.hide()
    panel.driver = LessonDriver(window, panel)
    menu = window.menuBar().addMenu(QCoreApplication.translate("LessonPanel", "&Lessons"))
    for index, lesson in enumerate(panel.lessons):
        menu.addAction(in_language(lesson.title, panel.language)).triggered.connect(
            functools.partial(panel.present, index))
    menu.addSeparator()
    menu.addAction(QCoreApplication.translate("LessonPanel", "Open lesson file…")).triggered.connect(
        functools.partial(panel.present, None))
    menu.addAction(dock.toggleViewAction())
    return panel
