"""Presenter mode for a classroom: full screen, large fonts, only samples + coverage + losses,
and the preset's explanation in a banner on demand. Leaving it restores the window as it was.

M (slow Motion; S stays Step) replays the run's next iteration in slow motion, in the samples' place with
the diagram over the losses and the caption large, then each press shows the next sub-step (pausing the playback)."""
from __future__ import annotations

import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QTabBar

from ..core.presets import preset_texts
from .translations import current_language

PRESENTER_FONT_PT = 16
SUMMARY_PT = 24
MIN_SUMMARY_PT = 14  # the headline on a 1,024-pixel projector
TICK_PT = 14  # the plots' axis numbers, readable from the back of a room
LEGEND_PT = 13  # the plots' legends
CAPTION_PT = 26  # the slow-motion caption
SLOW_MOTION_KEY = Qt.Key.Key_M


def scale_plot_fonts(window: QMainWindow, points: int | None) -> dict:
    """Set every plot axis's tick font to `points` and every legend's text to LEGEND_PT; returns the old
    sizes for restore_plot_fonts (`points` None: only returns them)."""
    sizes = {}
    for view in window.findChildren(pg.GraphicsView):
        for item in view.scene().items():
            if isinstance(item, pg.LegendItem):
                sizes[item] = item.labelTextSize()
                if points is not None:
                    _set_legend_size(item, f"{LEGEND_PT}pt")
            elif isinstance(item, pg.AxisItem):
                font = item.style.get("tickFont")
                old = font.pointSize() if font is not None else None
                sizes[item] = old
                if points is not None:
                    new = pg.QtGui.QFont(font) if font is not None else pg.QtGui.QFont()
                    new.setPointSize(points)
                    item.setTickFont(new)
    return sizes


def _set_legend_size(legend: pg.LegendItem, size: str) -> None:
    legend.setLabelTextSize(size)
    for _, label in legend.items:
        label.setText(label.text)  # a LabelItem takes a new size only when its text is set again
    legend.updateSize()


def restore_plot_fonts(sizes: dict) -> None:
    """Undo scale_plot_fonts with the sizes it returned."""
    for item, size in sizes.items():
        if isinstance(item, pg.LegendItem):
            _set_legend_size(item, size)
            continue
        font = pg.QtGui.QFont(item.style["tickFont"])
        if size is not None and size > 0:
            font.setPointSize(size)
            item.setTickFont(font)
        else:
            item.setTickFont(None)


NOTES_STYLE = ("background: #fff4ce; color: #202124; padding: 10px; border-radius: 4px; "
               "font-size: {pt}pt;")


class NotesDock(QDockWidget):
    """The preset's description and notes: what to watch for and why it happens."""

    def __init__(self, parent: QMainWindow):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Why this happens"))
        self.setObjectName("dock-notes")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setWidget(self.label)
        self.set_size(12)

    def show_preset(self, name: str) -> None:
        """The preset's texts in the window's language (English where it has none)."""
        self.set_text(name, *preset_texts(name, current_language()))

    def set_text(self, name: str, description: str, notes: str) -> None:
        body = notes or self.tr("This preset has no notes.")
        self.label.setText(f"<b>{name}</b> — {description}<br>{body}")

    def set_size(self, points: int) -> None:
        self.label.setStyleSheet(NOTES_STYLE.format(pt=points))
        self.fit()

    def fit(self) -> None:
        """Tall enough for the whole wrapped text (docks do not ask a label for its height)."""
        width = max(self.width(), self.parentWidget().width() if self.parentWidget() else 0, 400)
        height = max(self.label.heightForWidth(width - 24), 0)
        self.label.setMinimumHeight(height)
        self.label.setMaximumHeight(height + 8 if height else 16777215)

    def showEvent(self, event) -> None:
        self.fit()
        super().showEvent(event)


def lower_tab_bars(window: QMainWindow) -> None:
    """Put the dock groups' tab bars behind the docks. Docks moved out of a tab group can leave its old
    tab bar on screen at its old place, over the new layout (Qt 6.11); behind the docks it is covered,
    while a tab bar in use has a strip of its own that no dock covers."""
    for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
        bar.lower()


class PresenterMode:
    """Switches a `MainWindow` into presenter mode and back."""

    def __init__(self, window: QMainWindow):
        self.window = window
        self.active = False
        self._state = QByteArray()
        self._was_full_screen = False
        self._was_maximised = False
        self._font_sizes: dict = {}
        self.slow_motion_key = QShortcut(QKeySequence(SLOW_MOTION_KEY), window, self.slow_motion_key_pressed)
        self.slow_motion_key.setContext(Qt.ShortcutContext.WindowShortcut)
        self.slow_motion_key.setEnabled(False)

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def toggle_notes(self) -> None:
        """The preset's notes banner (F2), in presenter mode or not."""
        self.window.notes_dock.setVisible(not self.window.notes_dock.isVisible())

    def toggle_full_screen(self) -> None:
        self.window.showNormal() if self.window.isFullScreen() else self.window.showFullScreen()

    def enter(self) -> None:
        w = self.window
        if self.active:
            return
        self.active = True
        self._state = w.saveState()
        self._was_full_screen, self._was_maximised = w.isFullScreen(), w.isMaximized()
        d = w.docks
        shown = {d["samples"], d["plots"], d["coverage"]}
        for dock in w.findChildren(QDockWidget):  # every panel but these, other engineers' included
            if dock not in shown:
                dock.hide()
        for name in ("samples", "plots", "coverage"):
            d[name].setFloating(False)
        w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, d["samples"])
        w.splitDockWidget(d["samples"], d["coverage"], Qt.Orientation.Horizontal)
        w.splitDockWidget(d["coverage"], d["plots"], Qt.Orientation.Vertical)
        for name in ("samples", "plots", "coverage"):
            d[name].show()
        lower_tab_bars(w)
        w.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, w.notes_dock)
        w.notes_dock.set_size(PRESENTER_FONT_PT + 2)
        w.notes_dock.hide()
        # large text; the panels' own toggles and buttons stay small so that the views get the room
        w.setStyleSheet(f"QWidget {{ font-size: {PRESENTER_FONT_PT}pt; }} "
                        f"QCheckBox, QPushButton, QComboBox, QSlider {{ font-size: 10pt; }}")
        w.coverage.set_summary_size(SUMMARY_PT)
        self._font_sizes = scale_plot_fonts(w, TICK_PT)
        w.slow_motion.set_caption_size(CAPTION_PT)
        self.slow_motion_key.setEnabled(True)
        w.showFullScreen()
        self.arrange()
        QTimer.singleShot(0, self.arrange)  # again once the window has its full-screen size

    def arrange(self) -> None:
        """Samples on the left half, coverage over losses on the right."""
        w, d = self.window, self.window.docks
        if not self.active:
            return
        width, height = max(w.width(), 400), max(w.height(), 300)  # halves of what the screen has (1024×768 too)
        w.resizeDocks([d["samples"], d["coverage"]], [width // 2, width // 2], Qt.Orientation.Horizontal)
        w.resizeDocks([d["coverage"], d["plots"]], [int(height * 0.55), int(height * 0.45)],
                      Qt.Orientation.Vertical)
        # the headline's numbers as large as half the width holds in two lines (24 pt from 1,920 pixels)
        w.coverage.set_summary_size(max(MIN_SUMMARY_PT, min(SUMMARY_PT, width // 80)))
        w.notes_dock.fit()

    def slow_motion_key_pressed(self) -> None:
        """The next sub-step; at the last one (or before any) the run's next iteration, in slow motion."""
        w, d = self.window, self.window.docks
        panel = w.slow_motion
        if panel.frames and panel.index < len(panel.frames) - 1:
            return panel.next()
        if not panel.run_button.isEnabled():
            return  # an iteration is being recorded
        if not d["slowmotion"].isVisible():  # in the samples' place, the diagram over the losses
            for name, beside in (("slowmotion", "samples"), ("diagram", "plots")):
                d[name].setFloating(False)
                w.tabifyDockWidget(d[beside], d[name])
        panel.request_iteration()  # it plays; the next press pauses it and steps on

    def leave(self) -> None:
        w = self.window
        if not self.active:
            return
        self.active = False
        self.slow_motion_key.setEnabled(False)
        w.slow_motion.set_caption_size(None)
        w.setStyleSheet("")
        restore_plot_fonts(self._font_sizes)
        self._font_sizes = {}
        w.coverage.set_summary_size(15)
        w.notes_dock.set_size(12)
        if not self._state.isEmpty():
            w.restoreState(self._state)
        lower_tab_bars(w)
        if self._was_full_screen:
            w.showFullScreen()
        elif self._was_maximised:
            w.showMaximized()
        else:
            w.showNormal()


class ComparePresenter:
    """Presenter mode for the side-by-side comparison (F5): full screen, large text and axis numbers, so a
    class sees the collapse and its fix from the back of the room (each side's Why? opens its notes)."""

    def __init__(self, window):
        self.window = window  # a CompareWindow: `panes`, each with set_text_scale and notes_button
        self.active = False
        self._font_sizes: dict = {}
        self._was_full_screen = False
        self.shortcut = QShortcut(QKeySequence(Qt.Key.Key_F5), window, activated=self.toggle)

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self, full_screen: bool = True) -> None:
        """`full_screen` False keeps the window's size (an offscreen grab's screen is small)."""
        w = self.window
        if self.active:
            return
        self.active, self._was_full_screen = True, w.isFullScreen()
        w.setStyleSheet(f"QWidget {{ font-size: {PRESENTER_FONT_PT}pt; }} "
                        f"QCheckBox, QPushButton, QComboBox, QSpinBox, QSlider {{ font-size: 10pt; }}")
        for pane in w.panes:
            pane.set_text_scale(PRESENTER_FONT_PT / 12)
            pane.coverage.set_summary_size(SUMMARY_PT)
        self._font_sizes = scale_plot_fonts(w, TICK_PT)
        if full_screen:
            w.showFullScreen()

    def leave(self) -> None:
        w = self.window
        if not self.active:
            return
        self.active = False
        w.setStyleSheet("")
        for pane in w.panes:
            pane.set_text_scale(1.0)
            pane.coverage.set_summary_size(18)
        restore_plot_fonts(self._font_sizes)
        self._font_sizes = {}
        if not self._was_full_screen:
            w.showNormal()
