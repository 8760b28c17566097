"""Labelled vertical lines where a run's settings were changed live (core.live_events): one way of
drawing them for the main window's plots, the replay timeline, the attach view and the run comparison.

A label is short ("lr_g 2e-4 → 1e-3", the step only on the first plot of a set), bold, on a
half-transparent white ground near the top of the plot, beside its line: it covers little of the
curves and reads on a projector.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from ..core.live_events import event_label

MARK_COLOUR = "#b06000"  # dark orange: no curve's colour, and dark enough for text on white


class Mark(NamedTuple):
    x: float
    text: str  # "lr_g 2e-4 → 1e-3 at step 300": on the first plot of a set
    short: str  # "lr_g 2e-4 → 1e-3": on the others, whose step axis is the same
    colour: str


def marks_of(events: list[dict], colour: str = MARK_COLOUR,
             x_of: Callable[[int], float | None] | None = None) -> list[Mark]:
    """The marks of `events`; `x_of(step)` places them on another axis (None: not shown there)."""
    marks = []
    for event in events:
        x = event["step"] if x_of is None else x_of(event["step"])
        if x is not None:
            marks.append(Mark(float(x), event_label(event), event_label(event, with_step=False), colour))
    return marks


def mark_line(x: float, text: str, colour: str, height: float = 0.98, point_size: int = 10) -> pg.InfiniteLine:
    """A dashed vertical line at `x` with `text` beside it, its top at `height` (0-1) of the plot."""
    line = pg.InfiniteLine(pos=x, angle=90, movable=False, pen=pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine),
                           label=text, labelOpts={"position": height, "color": colour,
                                                  "fill": pg.mkBrush(255, 255, 255, 170)})
    font = QFont()
    font.setPointSize(point_size)
    font.setBold(True)
    line.label.setFont(font)
    line.label.anchor_y = 0.0 if height > 0.9 else 0.5  # hanging below a plot's top, else centred
    return line


class EventMarks:
    """The marks shown on a set of plots; `show()` redraws only when the marks or plots changed.

    Labels sit in a row along the plot's top (or alternate between `heights`), above most of a curve's range, each on the side of its
    line with more room before the next line or the plot's edge, so that two close edits' labels
    point away from each other, unless only the other side has room for it (`_place_labels`)."""

    def __init__(self, heights: tuple[float, ...] = (0.98,), point_size: int = 10, first_in_full: bool = True):
        self.heights, self.point_size, self.first_in_full = heights, point_size, first_in_full
        self.lines: list[pg.InfiniteLine] = []
        self._placed: list[tuple[pg.PlotItem, pg.InfiniteLine]] = []
        self._shown: tuple[list, list[Mark]] = ([], [])
        self._watched: set[int] = set()

    def show(self, plots: list[pg.PlotItem], marks: list[Mark]) -> None:
        if (plots, marks) == self._shown:
            return
        self.clear()
        self._shown = (list(plots), list(marks))
        for n, plot in enumerate(plots):
            for i, mark in enumerate(marks):
                text = mark.text if n == 0 and self.first_in_full else mark.short
                line = mark_line(mark.x, text, mark.colour, self.heights[i % len(self.heights)], self.point_size)
                line.texts = (text, mark.short)  # the short one where the full one does not fit
                line.text_widths = {}  # pixels, measured once per text
                plot.addItem(line, ignoreBounds=True)
                self._placed.append((plot, line))
            if id(plot.vb) not in self._watched:
                self._watched.add(id(plot.vb))
                plot.vb.sigXRangeChanged.connect(self._place_labels)
                plot.vb.sigResized.connect(self._place_labels)
            self._place_labels(plot.vb)
        self.lines = [line for _, line in self._placed]

    def _place_labels(self, vb: pg.ViewBox, *_range) -> None:
        """Each label on a side of its line where it fits (the side with more room when both or neither
        do), in full if it fits there, else without its step: never cut off by the plot's edge."""
        (left, right), _ = vb.viewRange()
        per_pixel = vb.viewPixelSize()[0] if vb.width() > 0 else 0.0
        lines = [line for plot, line in self._placed if plot.vb is vb]
        for line in lines:
            x, row = line.value(), line.label.orthoPos
            xs = [other.value() for other in lines if other.label.orthoPos == row]  # labels of one height
            room_left = x - max([left] + [v for v in xs if v < x])
            room_right = min([right] + [v for v in xs if v > x]) - x
            for text in line.texts:
                need = self._width(line, text) * per_pixel
                if need <= max(room_left, room_right):
                    break
            if line.label.format != text:
                line.label.setFormat(text)
            fits_left, fits_right = need <= room_left, need <= room_right
            on_right = fits_right if fits_left != fits_right else room_right >= room_left
            line.label.anchors = [(0.0 if on_right else 1.0, line.label.anchor_y)] * 2
            line.label.updatePosition()

    @staticmethod
    def _width(line: pg.InfiniteLine, text: str) -> float:
        """The label's width in pixels with `text`, measured once per text (not at every redraw)."""
        widths = line.text_widths
        if text not in widths:
            shown = line.label.format
            line.label.setFormat(text)
            widths[text] = line.label.boundingRect().width()
            line.label.setFormat(shown)
        return widths[text]

    def clear(self) -> None:
        for plot, line in self._placed:
            plot.removeItem(line)
        self._placed, self.lines, self._shown = [], [], ([], [])

    def labels(self) -> list[str]:
        """The texts shown (tests, screenshots)."""
        return [line.label.format for line in self.lines]
