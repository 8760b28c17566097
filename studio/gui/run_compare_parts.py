"""The parts of the run comparison window: every run's curves of each metric on one step axis, the
runs' sample pictures at one step, and a sweep's final metrics against a setting with error bars
(mean ± standard deviation over seeds).

One colour per run (or per group of settings), the same in every plot; the legend is the window's
(a text row above the plots), so that it never covers a curve.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QSlider, QVBoxLayout, QWidget

from ..core.run_compare import CHECKPOINT_METRICS, RunComparison, SweepSummary
from .event_marks import EventMarks, marks_of
from .library_tables import metric_name

# colour-blind-safe (Okabe–Ito, then Tol's muted), dark enough on white for a projector
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#000000", "#882255", "#44AA99", "#999933",
           "#56B4E9")
TITLES = {"loss_aux": QT_TRANSLATE_NOOP("RunCompare", "aux loss"),  # besides the library's metric names
          "wall_s": QT_TRANSLATE_NOOP("RunCompare", "seconds of training")}
COLUMNS = 3  # plots per row


def metric_title(metric: str) -> str:
    """A metric's name over its plot, in the window's language."""
    return QCoreApplication.translate("RunCompare", TITLES[metric]) if metric in TITLES else metric_name(metric)


def colour_of(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def legend_html(names: list[str], colours: list[str]) -> str:
    """`━ name` in each one's colour, on as many lines as the width needs."""
    return " &nbsp;&nbsp; ".join(f"<span style='color:{colour}; white-space:nowrap'><b>━━</b>&nbsp;{name}</span>"
                                 for name, colour in zip(names, colours))


def new_plot(title: str, bottom: str) -> pg.PlotItem:
    """A plot styled for a projector: 11 pt ticks, a bold 12 pt title, no SI prefixes."""
    item = pg.PlotItem()
    item.setTitle(f"<span style='font-size:12pt; font-weight:bold; color:#222'>{title}</span>")
    item.setLabel("bottom", bottom, color="#222", **{"font-size": "11pt"})
    font = QFont()
    font.setPointSize(11)
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setTickFont(font)
        axis.setTextPen("#222")
        axis.setPen("#888")
        axis.enableAutoSIPrefix(False)
    item.setMenuEnabled(True)
    return item


class CurveGrid(pg.GraphicsLayoutWidget):
    """A plot per metric, each run one curve of its colour; all plots share the step axis, and a
    dashed line marks the step whose samples are shown."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setBackground("w")
        self.ci.setSpacing(6)
        self.plots: dict[str, pg.PlotItem] = {}
        self.curves: dict[tuple[str, int], pg.PlotDataItem] = {}
        self.cursors: list[pg.InfiniteLine] = []
        self.redraws = 0  # frames drawn (tests)
        self.marks = EventMarks()  # each run's live edits, in its colour

    def draw(self, comparison: RunComparison, colours: list[str], smoothing: float = 0.0) -> None:
        """setData once per run and metric; plots for metrics seen for the first time are added."""
        metrics = comparison.metrics()
        if list(self.plots) != metrics:
            self._lay_out(metrics)
        for metric in metrics:
            for index, found in enumerate(comparison.series(metric, smoothing)):
                curve = self._curve(metric, index, colours[index], len(colours))
                if found is None:
                    curve.setData([], [])
                else:
                    curve.setData(*found)
        self.marks.show(list(self.plots.values()), [mark for run, colour in zip(comparison.runs, colours)
                                                    for mark in marks_of(run.events, colour)])
        self.redraws += 1

    def _lay_out(self, metrics: list[str]) -> None:
        """Training metrics row by row (four a row when there are more than six), then the
        checkpoints' mode metrics on a row of their own."""
        self.ci.clear()
        training = [m for m in metrics if m not in CHECKPOINT_METRICS]
        columns = COLUMNS if len(training) <= 2 * COLUMNS else COLUMNS + 1
        cells = [divmod(i, columns) for i in range(len(training))]
        first_free = -(-len(training) // columns)  # the row after the training metrics
        cells += [(first_free, i) for i in range(len(metrics) - len(training))]
        first = None
        for metric, (row, column) in zip(training + [m for m in metrics if m in CHECKPOINT_METRICS], cells):
            item = self.plots.get(metric)
            if item is None:
                item = self.plots[metric] = self._make_plot(metric)
            if first is None:
                first = item
            else:
                item.setXLink(first)
            self.ci.addItem(item, row=row, col=column)
        self.plots = {metric: self.plots[metric] for metric in metrics}

    def _make_plot(self, metric: str) -> pg.PlotItem:
        item = new_plot(metric_title(metric), QCoreApplication.translate("RunCompare", "step"))
        item.setDownsampling(auto=True, mode="peak")
        item.setClipToView(True)
        item.setMinimumHeight(150)
        cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#777", width=1, style=Qt.PenStyle.DashLine))
        cursor.setVisible(bool(self.cursors) and self.cursors[0].isVisible())
        if self.cursors:
            cursor.setValue(self.cursors[0].value())
        item.addItem(cursor, ignoreBounds=True)
        self.cursors.append(cursor)
        return item

    def _curve(self, metric: str, index: int, colour: str, runs: int) -> pg.PlotDataItem:
        """A few checkpoints' numbers are dots joined by a line, an earlier run's dots larger, so that
        runs with equal numbers show as rings around each other instead of hiding one another."""
        curve = self.curves.get((metric, index))
        if curve is None:
            points = metric in CHECKPOINT_METRICS
            curve = self.plots[metric].plot(pen=pg.mkPen(colour, width=2.5), symbol="o" if points else None,
                                            symbolSize=7 + 4 * (runs - 1 - index), symbolBrush=colour,
                                            symbolPen=None)
            self.curves[(metric, index)] = curve
        return curve

    def set_cursor(self, step: float | None) -> None:
        for cursor in self.cursors:
            cursor.setVisible(step is not None)
            if step is not None:
                cursor.setValue(step)


class SweepPlots(pg.GraphicsLayoutWidget):
    """A plot per final metric against the values of one setting; the other settings' combinations
    are a line of their own colour, each point the mean over seeds with a bar of ± one standard
    deviation (none where one seed finished)."""

    def __init__(self, summary: SweepSummary, parent=None):
        super().__init__(parent)
        self.summary = summary
        self.setBackground("w")
        self.ci.setSpacing(6)
        self.plots: dict[str, pg.PlotItem] = {}
        self.error_bars: dict[str, list[pg.ErrorBarItem]] = {}
        self.groups: list[str] = []  # the lines' names, in colour order
        self.x_field = summary.fields[0] if summary.fields else ""

    def draw(self, x_field: str) -> list[str]:
        """Every metric against `x_field`; the lines' names (one colour each, in order)."""
        self.x_field = x_field
        self.ci.clear()
        self.plots, self.error_bars, self.groups = {}, {}, []
        for position, metric in enumerate(self.summary.metrics):
            xs, groups = self.summary.plot_series(metric, x_field)
            item = new_plot(metric_title(metric), x_field)
            item.getAxis("bottom").setTicks([list(enumerate(xs))])
            item.setXRange(-0.5, len(xs) - 0.5, padding=0)
            self.error_bars[metric] = []
            for index, (label, means, stds) in enumerate(groups):
                x = np.arange(len(xs)) + (index - (len(groups) - 1) / 2) * 0.08  # bars side by side
                colour = colour_of(index)
                bar = pg.ErrorBarItem(x=x, y=means, height=2 * np.nan_to_num(stds), beam=0.12,
                                      pen=pg.mkPen(colour, width=2))
                item.addItem(bar)
                item.plot(x, means, pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=9, symbolBrush=colour,
                          symbolPen=None)
                self.error_bars[metric].append(bar)
                if label not in self.groups:
                    self.groups.append(label)
            self.plots[metric] = item
            self.ci.addItem(item, row=position // COLUMNS, col=position % COLUMNS)
        return self.groups


class Picture(QLabel):
    """A picture scaled to fit its cell, keeping its aspect, as the window is resized."""

    def __init__(self, colour: str, parent: QWidget | None = None):
        super().__init__(self.tr("no samples yet"), parent)
        self.original = QPixmap()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(120, 120)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setStyleSheet(f"border: 3px solid {colour}; background: white;")

    def set_picture(self, pixmap: QPixmap) -> None:
        self.original = pixmap
        if pixmap.isNull():
            self.setText(self.tr("no samples yet"))
        else:
            self._scale()

    def _scale(self) -> None:
        side = min(self.width(), self.height()) - 6
        if not self.original.isNull() and side > 0:
            self.setPixmap(self.original.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                                                Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._scale()


class SamplePictures(QWidget):
    """Each run's sample picture nearest to one step, chosen with a slider over every run's steps."""

    step_changed = Signal(int)

    def __init__(self, names: list[str], colours: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.steps: list[int] = []
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        columns = 2 if len(names) <= 4 else 3
        self.captions: list[QLabel] = []
        self.pictures: list[Picture] = []
        self.shown: list[Path | None] = [None] * len(names)
        for index, (name, colour) in enumerate(zip(names, colours)):
            cell = QVBoxLayout()
            caption = QLabel()
            caption.setWordWrap(True)
            caption.setStyleSheet(f"color: {colour}; font-size: 11pt; font-weight: bold;")
            picture = Picture(colour)
            cell.addWidget(caption)
            cell.addWidget(picture, 1)
            grid.addLayout(cell, index // columns, index % columns)
            grid.setRowStretch(index // columns, 1)
            self.captions.append(caption)
            self.pictures.append(picture)
        layout.addLayout(grid, 1)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Samples at")))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip(self.tr("the step whose samples are shown, for every run (the nearest picture each "
                                       "run has)"))
        self.slider.valueChanged.connect(self._on_slider)
        bar.addWidget(self.slider, 1)
        self.step_label = QLabel()
        self.step_label.setMinimumWidth(110)
        self.step_label.setStyleSheet("font-size: 12pt; font-weight: bold;")
        bar.addWidget(self.step_label)
        layout.addLayout(bar)

    def set_steps(self, steps: list[int]) -> None:
        """The slider's steps; one at the newest step stays there as pictures arrive."""
        at_end = not self.steps or self.slider.value() == len(self.steps) - 1
        current = self.step
        self.steps = steps
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(len(steps) - 1, 0))
        self.slider.setValue(len(steps) - 1 if at_end else self.index_near(current))
        self.slider.blockSignals(False)
        self._on_slider(self.slider.value())

    @property
    def step(self) -> int:
        return self.steps[self.slider.value()] if self.steps else 0

    def index_near(self, step: int) -> int:
        """The slider position of the listed step nearest to `step`."""
        return min(range(len(self.steps)), key=lambda i: abs(self.steps[i] - step), default=0)

    @Slot(int)
    def _on_slider(self, _index: int) -> None:
        self.step_label.setText(self.tr("step {step}").format(step=f"{self.step:,}") if self.steps else
                                self.tr("no samples"))
        self.step_changed.emit(self.step)

    def show_samples(self, names: list[str], found: list) -> None:
        """`found`: per run, (step, picture path) or None; a picture is read only when it changed."""
        for index, (name, item) in enumerate(zip(names, found)):
            at = self.tr("step {step}").format(step=f"{item[0]:,}") if item else self.tr("no samples yet")
            self.captions[index].setText(f"{name}<br><span style='color:#444; font-weight:normal'>{at}</span>")
            path = item[1] if item else None
            if path == self.shown[index]:
                continue
            self.shown[index] = path
            self.pictures[index].set_picture(QPixmap(str(path)) if path else QPixmap())
