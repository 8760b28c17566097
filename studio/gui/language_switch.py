"""Switching the window's language at run time, without rebuilding a window (and losing its live run).

The panels set their texts once, in __init__, with tr(). So a switch installs the new language's
translators (translations.install) and then walks every open top-level window, replacing each text it
shows with the same message in the new language, found in the .ts catalogs (English source ↔ translation):
labels, buttons, group, dock and window titles, menus and actions, combo items, tabs, tooltips,
placeholders, spin box prefixes and suffixes, table and tree headers, and pyqtgraph's titles, axis labels,
legend entries and text items. A text with values filled in ("Step {step} of {total}") is matched against
its message's pattern and filled in again with the same values. An ambiguous text (one message said two
ways) takes the translation of the context nearest to the widget (its class, then its parents' classes).

What is built from data at run time (a lesson step, a preset's notes, a slow-motion caption, the window
title) is shown again by refresh_window with the panels' own methods; what a panel redraws on its own
timer (counters, plots) follows by itself.
"""
from __future__ import annotations

import re
import string
import xml.etree.ElementTree as ET
from functools import lru_cache

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QDockWidget, QGroupBox,
                               QLabel, QLineEdit, QMainWindow, QMenu, QTabBar, QTableWidget, QTreeWidget, QWidget)

from ..core.lessons import in_language
from ..core.presets import preset_names, preset_texts
from ..core.starters import list_starters
from .translations import SOURCE_LANGUAGE, current_language, i18n_dir, install



@lru_cache(maxsize=None)
def catalog_messages(lang: str) -> tuple[tuple[str, str, str], ...]:
    """Every finished message of every catalog of `lang` (none for English); those with a disambiguating
    comment first, so that where a context says one text twice ("Step": the button, and with the comment
    "the step counter" the counter), the plain message is the one a text map keeps."""
    found = []
    for ts in sorted(i18n_dir().glob(f"*_{lang}.ts")) if lang != SOURCE_LANGUAGE else []:
        for context in ET.parse(ts).iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                source, text = message.findtext("source") or "", message.findtext("translation") or ""
                if source and text:
                    found.append((not message.findtext("comment"), name, source, text))
    return tuple(entry[1:] for entry in sorted(found, key=lambda entry: entry[0]))


class TextMap:
    """Each text of language `old` → {context: the same message in language `new`}, and the patterns of
    the messages with {fields} in them."""

    def __init__(self, old: str, new: str, data: list[tuple[str, str]] = ()):
        """`data`: texts that come from data files rather than catalogs (a starter's description in
        `old`, in `new`): they are matched too, and as values inside a template."""
        self.exact: dict[str, dict[str, str]] = {}
        self.patterns: list[tuple[_Pattern, str]] = []
        for before, after in data:
            if before and after and before != after:
                self.exact.setdefault(before, {})[""] = after
        seen: set[tuple[str, str]] = set()
        for lang in {old, new} - {SOURCE_LANGUAGE}:
            for context, source, translation in catalog_messages(lang):
                texts = {SOURCE_LANGUAGE: source, lang: translation}
                before, after = texts.get(old, source), texts.get(new, source)
                if before == after:
                    continue
                self.exact.setdefault(before, {})[context] = after
                if "{" in before and (before, after) not in seen:
                    seen.add((before, after))
                    pattern = template_pattern(before)
                    if pattern is not None:
                        self.patterns.append((pattern, after))
        self.rich = sorted((text for text in self.exact if re.search(r"<[^>]*>", text)), key=len, reverse=True)

    def translate(self, text: str, contexts: list[str]) -> str | None:
        """`text` in the new language, or None when it is none of the catalogs' messages. Rich text
        ("<b>Losses</b> …") is translated a run of text between its tags at a time."""
        if not text or not text.strip():
            return None
        found = self._whole(text, contexts)
        if found is not None or "<" not in text:
            return found
        for before in self.rich:  # a message with tags of its own, inside the widget's tags
            if before in text:
                text = text.replace(before, self._whole(before, contexts))
                found = text
        pieces = re.split(r"(<[^>]*>)", text)
        swapped = [piece if piece.startswith("<") else self._piece(piece, contexts) for piece in pieces]
        return "".join(swapped) if swapped != pieces else found

    def _piece(self, piece: str, contexts: list[str]) -> str:
        core = piece.strip()
        new = self._whole(core, contexts) if core else None
        return piece.replace(core, new) if new is not None else piece

    def _whole(self, text: str, contexts: list[str]) -> str | None:
        choices = self.exact.get(text)
        if choices:
            return next((choices[c] for c in contexts if c in choices), next(iter(choices.values())))
        for pattern, after in self.patterns:
            match = pattern.fullmatch(text)
            if match:
                values = {name: self._whole(value, contexts) or value if value else value
                          for name, value in match.groupdict().items()}  # a value may be a message too
                positional = [values.get(f"p{i}", "") for i in range(pattern.count)]
                try:
                    return after.format(*positional, **{k[2:]: v for k, v in values.items() if k.startswith("n_")})
                except (IndexError, KeyError, ValueError):
                    return None
        return None


class _Pattern:
    """A compiled template: its regex and how many positional fields it has."""

    def __init__(self, regex: re.Pattern, count: int):
        self.regex, self.count = regex, count

    def fullmatch(self, text: str):
        return self.regex.fullmatch(text)


def template_pattern(template: str) -> _Pattern | None:
    """A regex matching `template` with any values in its fields; None for a template with under two
    letters of its own (a bare "{0}" would match every text)."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        return None
    literal = "".join(part[0] for part in parts)
    if len(re.findall(r"\w", literal)) < 2:
        return None
    regex, groups, auto = "", set(), 0
    for text, field, _spec, _conv in parts:
        regex += re.escape(text)
        if field is None:
            continue
        if field == "":
            field, auto = str(auto), auto + 1
        group = f"p{field}" if field.isdigit() else f"n_{field}"
        if not re.fullmatch(r"\w+", group):
            return None  # {a.b} or {a[0]}: not worth matching
        regex += f"(?P={group})" if group in groups else f"(?P<{group}>.*?)"
        groups.add(group)
    count = 1 + max((int(g[1:]) for g in groups if g.startswith("p")), default=-1)
    try:
        return _Pattern(re.compile(regex, re.DOTALL), count)
    except re.error:
        return None


def _contexts(obj: QObject) -> list[str]:
    """The class names of `obj` and its parents, nearest first: where its tr() most likely was said."""
    names = []
    while obj is not None:
        names += [cls.__name__ for cls in type(obj).__mro__ if cls.__module__.startswith("studio")]
        obj = obj.parent()
    return names


def retranslate(root: QWidget, texts: TextMap) -> int:
    """Replace every text `root` and the widgets, menus and actions under it show; returns how many."""
    changed = 0

    def swap(obj: QObject, getter, setter) -> None:
        nonlocal changed
        new = texts.translate(getter(), _contexts(obj))
        if new is not None:
            setter(new)
            changed += 1

    actions: dict[int, QAction] = {}
    for widget in [root, *root.findChildren(QWidget)]:
        swap(widget, widget.toolTip, widget.setToolTip)
        if widget.isWindow() or isinstance(widget, QDockWidget):
            swap(widget, widget.windowTitle, widget.setWindowTitle)
        if isinstance(widget, (QLabel, QAbstractButton)):
            swap(widget, widget.text, widget.setText)
        elif isinstance(widget, QGroupBox):
            swap(widget, widget.title, widget.setTitle)
        elif isinstance(widget, QComboBox):
            blocked = widget.blockSignals(True)  # a new label for the same item: nothing was picked
            for i in range(widget.count()):
                swap(widget, lambda i=i: widget.itemText(i), lambda t, i=i: widget.setItemText(i, t))
            widget.blockSignals(blocked)
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                swap(widget, lambda i=i: widget.tabText(i), lambda t, i=i: widget.setTabText(i, t))
                swap(widget, lambda i=i: widget.tabToolTip(i), lambda t, i=i: widget.setTabToolTip(i, t))
        elif isinstance(widget, QLineEdit):
            swap(widget, widget.placeholderText, widget.setPlaceholderText)
        elif isinstance(widget, QAbstractSpinBox) and hasattr(widget, "suffix"):
            swap(widget, widget.suffix, widget.setSuffix)
            swap(widget, widget.prefix, widget.setPrefix)
        elif isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            for i in range(header.columnCount()):
                swap(widget, lambda i=i: header.text(i), lambda t, i=i: header.setText(i, t))
        elif isinstance(widget, QTableWidget):
            for i in range(widget.columnCount()):
                item = widget.horizontalHeaderItem(i)
                if item is not None:
                    swap(widget, item.text, item.setText)
        elif isinstance(widget, QMenu):
            swap(widget, widget.title, widget.setTitle)
            actions.update((id(a), a) for a in widget.actions())
        elif isinstance(widget, pg.GraphicsView):
            changed += _retranslate_graphics(widget, texts)
        actions.update((id(a), a) for a in widget.actions())
    if isinstance(root, QMainWindow):
        actions.update((id(a), a) for a in root.menuBar().actions())
        bar = root.statusBar()  # a passing message stays until the next one (Qt does not say its time left)
        swap(bar, bar.currentMessage, bar.showMessage)
    actions.update((id(a), a) for a in root.findChildren(QAction))
    for action in actions.values():
        swap(action, action.text, action.setText)
        swap(action, action.toolTip, action.setToolTip)
        swap(action, action.statusTip, action.setStatusTip)
    return changed


def _retranslate_graphics(view: pg.GraphicsView, texts: TextMap) -> int:
    """pyqtgraph's plot titles and legend entries (LabelItem), axis labels and text items."""
    changed, contexts = 0, _contexts(view)
    for item in view.scene().items():
        if isinstance(item, pg.LabelItem):
            new = texts.translate(item.text, contexts)
            if new is not None:
                item.setText(new)
                changed += 1
        elif isinstance(item, pg.AxisItem):
            new = texts.translate(item.labelText, contexts)
            if new is not None:
                item.labelText = new
                item._updateLabel()  # setLabel() would drop the units' SI-prefix settings
                changed += 1
        elif isinstance(item, pg.TextItem):
            new = texts.translate(item.textItem.toPlainText(), contexts)
            if new is not None:
                item.setText(new)
                changed += 1
    return changed


def refresh_window(window: QWidget, texts: TextMap) -> None:
    """Show again, with the panels' own methods, what a main window builds from data (each only where the
    window has it): the title and preset notes, the current lesson step, the slow-motion sub-step, the
    Samples hint and the status line of the run's state."""
    panel = getattr(window, "settings_panel", None)
    preset = panel.preset() if panel is not None and hasattr(panel, "preset") else ""
    if preset and hasattr(window, "notes_dock"):
        title = QCoreApplication.translate("MainWindow", "GAN Studio — {preset}").format(preset=preset)
        if window.windowTitle().startswith("GAN Studio"):
            window.setWindowTitle(title)
        window.notes_dock.show_preset(preset)
    for part in (panel, getattr(window, "plots", None)):
        if part is not None and hasattr(part, "retranslate"):
            part.retranslate()
    lessons = getattr(window, "lessons", None)
    if lessons is not None and hasattr(lessons, "retranslate"):
        docks = {**getattr(window, "docks", {}), "notes": getattr(window, "notes_dock", None)}
        lessons.panels.update({name: dock.windowTitle() for name, dock in docks.items() if dock is not None})
        lessons.retranslate(current_language())
    for view in window.findChildren(QWidget):  # a title's part kept for its next update ("Samples {subject}")
        subject = getattr(view, "subject", None)
        if isinstance(subject, str) and (new := texts.translate(subject, _contexts(view))) is not None:
            view.subject = new
    slow = getattr(window, "slow_motion", None)
    if slow is not None and getattr(slow, "frames", None):
        slow.show_index(slow.index)
    commands, controller = getattr(window, "run_commands", None), getattr(window, "controller", None)
    if commands is not None and controller is not None and hasattr(commands, "show_state"):
        commands.show_state(controller.state)


def data_texts(roots: list[QWidget], old: str, new: str) -> list[tuple[str, str]]:
    """Texts of data files in both languages: the starters' descriptions, the presets' descriptions and
    the titles of the lessons the windows hold."""
    pairs = [(s.description_in(old), s.description_in(new)) for s in list_starters()[0]]
    pairs += [(preset_texts(name, old)[0], preset_texts(name, new)[0]) for name in preset_names()]
    for root in roots:
        for lesson in getattr(getattr(root, "lessons", None), "lessons", None) or []:
            pairs.append((in_language(lesson.title, old), in_language(lesson.title, new)))
    return pairs


def switch_language(app: QCoreApplication, window: QWidget | None, lang: str) -> int:
    """Make `lang` the window's language now: its translators installed (the old ones removed) and every
    open window's texts swapped in place (`window` first, then every other top-level widget).
    Returns how many texts changed."""
    old = current_language()
    install(app, lang)
    if old == lang:
        return 0
    roots = [window] if window is not None else []
    roots += [w for w in QApplication.topLevelWidgets() if w not in roots and not isinstance(w, QMenu)
              and (window is None or not window.isAncestorOf(w))]
    texts = TextMap(old, lang, data_texts(roots, old, lang))
    changed = 0
    for root in roots:
        changed += retranslate(root, texts)
        refresh_window(root, texts)
    return changed
