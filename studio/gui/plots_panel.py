"""Live plots of the run: losses, D's outputs, gradient norms, and where the run has them the
Wasserstein estimate and the auxiliary loss (AC-GAN's class cross-entropy, InfoGAN's λ·L_I).

Metric batches are appended to preallocated buffers that double when full (the
whole run is kept); a QTimer redraws at most `rate` times a second, once per curve,
only when new data arrived.
"""
from __future__ import annotations

import math

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFrame, QHBoxLayout, QLabel, QScrollArea, QSlider, QVBoxLayout,
                               QWidget)

from ..core.curves import History, StickyRange, ema, nice_ceiling
from ..core.losses import WASSERSTEIN
from .event_marks import EventMarks, marks_of
from .formulas_view import WrappingTitle, loss_plot_lines
from .paint_budget import PaintBudget

G_COLOUR, D_COLOUR, W_COLOUR, AUX_COLOUR = "#d93025", "#1a73e8", "#188038", "#9334e6"
PLOT_PX = 130  # a plot's height under its title (curves, ticks and the step axis), at least

# plot name → (title, y label, [(metric, legend name, colour)], log scale allowed)
# (titles and names are translated where drawn: QCoreApplication.translate("PlotsPanel", text))
PLOTS = {
    "loss": (QT_TRANSLATE_NOOP("PlotsPanel", "Losses"), QT_TRANSLATE_NOOP("PlotsPanel", "loss"),
             [("loss_d", QT_TRANSLATE_NOOP("PlotsPanel", "D loss"), D_COLOUR),
              ("loss_g", QT_TRANSLATE_NOOP("PlotsPanel", "G loss"), G_COLOUR),
              ("loss_aux", QT_TRANSLATE_NOOP("PlotsPanel", "aux loss"), AUX_COLOUR)], True),
    "dout": (QT_TRANSLATE_NOOP("PlotsPanel", "D's output"), QT_TRANSLATE_NOOP("PlotsPanel", "mean D"),
             [("d_real", QT_TRANSLATE_NOOP("PlotsPanel", "D(x) real"), D_COLOUR),
              ("d_fake", QT_TRANSLATE_NOOP("PlotsPanel", "D(G(z)) fake"), G_COLOUR)], False),
    "grad": (QT_TRANSLATE_NOOP("PlotsPanel", "Gradient norms"), "‖∇θ‖",
             [("grad_norm_d", "‖∇D‖", D_COLOUR), ("grad_norm_g", "‖∇G‖", G_COLOUR)], True),
    "wasserstein": (QT_TRANSLATE_NOOP("PlotsPanel", "Wasserstein estimate"), "E[D(x)] − E[D(G(z))]",
                    [("wasserstein", QT_TRANSLATE_NOOP("PlotsPanel", "W estimate"), W_COLOUR)], False),
}
OPTIONAL_METRICS = ("wasserstein", "loss_aux")  # drawn only for runs that log them
AUX_LABELS = {"acgan": QT_TRANSLATE_NOOP("PlotsPanel", "class CE"), "infogan": "λ·L_I"}  # loss_aux, by cond.kind
CERTAINTY_LABEL = QT_TRANSLATE_NOOP("PlotsPanel", "certainty")  # loss_aux of loss.certainty_weight
DEFAULT_AUX_LABEL = PLOTS["loss"][2][2][1]  # the auxiliary loss's name in English, for a run without one
METRICS = [m for _, _, curves, _ in PLOTS.values() for m, _, _ in curves]
FOLLOW_CHOICES = ((QT_TRANSLATE_NOOP("PlotsPanel", "whole run"), 0),
                  (QT_TRANSLATE_NOOP("PlotsPanel", "last 200 steps"), 200),
                  (QT_TRANSLATE_NOOP("PlotsPanel", "last 1,000 steps"), 1000),
                  (QT_TRANSLATE_NOOP("PlotsPanel", "last 5,000 steps"), 5000))


def plot_text(text: str) -> str:
    """A title, axis or curve name of PLOTS in the window's language."""
    return QCoreApplication.translate("PlotsPanel", text)


class PlotsPanel(QWidget):
    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None, rate_hz: float = 30.0):
        super().__init__(parent)
        self.history = History(["step"] + METRICS)
        self.smoothed = {m: np.zeros(0) for m in METRICS}
        self._smooth_weight = 0.0
        self._smooth_n = 0  # rows already smoothed
        self._dirty = False
        self.redraws = 0  # frames drawn (tests)
        self.follow = 0
        self.loss_formula = ""  # the run's loss as formulas, under the loss plot's title (formulas_view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Smoothing")))
        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setRange(0, 99)
        self.smoothing.setValue(0)
        self.smoothing.setToolTip(self.tr("exponential moving average of the curves (0 = raw values)"))
        self.smoothing.valueChanged.connect(self._on_smoothing)
        bar.addWidget(self.smoothing, 1)
        self.smoothing_value = QLabel("0.00")
        self.smoothing_value.setMinimumWidth(34)
        bar.addWidget(self.smoothing_value)
        self.log_scale = QCheckBox(self.tr("Log scale"))
        self.log_scale.setToolTip(self.tr("logarithmic y axis for losses and gradient norms"))
        self.log_scale.toggled.connect(self._on_log)
        bar.addWidget(self.log_scale)
        self.follow_box = QComboBox()
        for text, _ in FOLLOW_CHOICES:
            self.follow_box.addItem(plot_text(text))
        self.follow_box.setToolTip(self.tr("steps shown; the whole run is kept (drag or zoom to look back)"))
        self.follow_box.currentIndexChanged.connect(self._on_follow)
        bar.addWidget(self.follow_box)
        layout.addLayout(bar)

        self.readout = QLabel(self.tr("Hover over a plot to read the values"))
        self.readout.setStyleSheet("color: #333; font-family: monospace;")
        self.readout.setWordWrap(True)
        layout.addWidget(self.readout)

        # one view for all plots: one paint per frame instead of one per plot; in a short dock it scrolls
        # rather than squeeze a plot under its title or cut the last one off
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground("w")
        self.view.ci.setSpacing(4)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.view)
        layout.addWidget(scroll, 1)
        self.plots: dict[str, pg.PlotItem] = {}
        self.titles: dict[str, WrappingTitle] = {}  # wrapped to the dock's width, never wider
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.plot_of = {metric: name for name, (_, _, curves, _) in PLOTS.items() for metric, _, _ in curves}
        self.labels = {metric: plot_text(label) for _, _, curves, _ in PLOTS.values() for metric, label, _ in curves}
        self.aux_label = DEFAULT_AUX_LABEL
        self.shown = set(METRICS) - set(OPTIONAL_METRICS)
        self.cursors: list[pg.InfiniteLine] = []
        tick_font = QFont()
        tick_font.setPointSize(10)
        first = None
        for name, (title, ylabel, curves, _) in PLOTS.items():
            item = pg.PlotItem()
            self.titles[name] = WrappingTitle(item)
            item.setLabel("left", plot_text(ylabel), color="#222", **{"font-size": "11pt"})
            item.setLabel("bottom", self.tr("step"), color="#222", **{"font-size": "11pt"})
            for axis in ("left", "bottom"):
                item.getAxis(axis).setTickFont(tick_font)
                item.getAxis(axis).setTextPen("k")
                item.getAxis(axis).setPen("#888")
                item.getAxis(axis).enableAutoSIPrefix(False)
            # no grid: its lines cost half of each frame in software rendering
            item.setDownsampling(auto=True, mode="peak")
            item.setClipToView(True)
            item.setMenuEnabled(True)
            item.disableAutoRange()  # ranges are set in redraw(), only when the data leaves them
            for metric, label, colour in curves:
                self.curves[metric] = item.plot(name=plot_text(label), pen=pg.mkPen(colour, width=2))
            cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#999", style=Qt.PenStyle.DashLine))
            cursor.hide()
            item.addItem(cursor, ignoreBounds=True)
            self.cursors.append(cursor)
            if first is None:
                first = item
            else:
                item.setXLink(first)
            self.titles[name].geometryChanged.connect(self._fit_heights)
            self.plots[name] = item
            self.view.addItem(item, row=len(self.plots) - 1, col=0)
            self._set_title(name)
        self._show_plot("wasserstein", False)
        self._fit_heights()
        self.curves["loss_aux"].hide()
        self.view.scene().sigMouseMoved.connect(self._on_mouse)
        self.marks = EventMarks()  # the run's live edits, a labelled line on every plot

        self.x_end = 0.0  # right end of the step axis, a nice number ahead of the data
        self.y_ranges = {name: StickyRange() for name in PLOTS}
        self.timer = QTimer(self)
        self.budget = PaintBudget(self, self.timer)
        self.timer.timeout.connect(self._on_timer)
        self.set_rate(rate_hz)
        self.timer.start()

    # -- data ----------------------------------------------------------------
    def set_rate(self, hz: float) -> None:
        self.budget.set_rate(hz)

    @Slot()
    def _on_timer(self) -> None:
        self.budget.draw(self.redraw)

    def start_run(self, config) -> None:
        """Draw the optional metrics this run logs, and name its auxiliary loss."""
        certainty = config.discriminator.class_weight > 0  # G's certainty term, maybe turned on later
        self.aux_label = CERTAINTY_LABEL if certainty else AUX_LABELS.get(config.cond.kind, DEFAULT_AUX_LABEL)
        self.labels["loss_aux"] = plot_text(self.aux_label)
        self.show_metric("wasserstein", config.loss.kind in WASSERSTEIN)
        self.show_metric("loss_aux", config.cond.kind in AUX_LABELS or config.loss.certainty_weight > 0)
        self.show_losses(config)

    def show_losses(self, config) -> None:
        """The loss plot's title as `config` makes the losses (a live edit can change them: smoothing, terms)."""
        self.loss_formula = loss_plot_lines(config, {"loss_d": D_COLOUR, "loss_g": G_COLOUR})
        self._set_title("loss")

    def show_metric(self, metric: str, visible: bool) -> None:
        """Show or hide an optional metric: its whole plot when it is the plot's only curve."""
        if visible == (metric in self.shown):
            return
        self.shown.symmetric_difference_update({metric})
        name = self.plot_of[metric]
        if len(PLOTS[name][2]) == 1:
            self._show_plot(name, visible)
        else:
            self.curves[metric].setVisible(visible)
            self._set_title(name)

    def _show_plot(self, name: str, visible: bool) -> None:
        item = self.plots[name]
        if visible:
            self.view.addItem(item, row=list(PLOTS).index(name), col=0)
        else:
            self.view.removeItem(item)
        item.setVisible(visible)
        self._fit_heights()

    @Slot()
    def _fit_heights(self) -> None:
        """Each plot PLOT_PX high under its title (which wraps: its height follows the dock's width); the
        view as tall as the plots shown, the scroll area scrolling it where the dock is shorter."""
        total = 0.0
        for name, item in self.plots.items():
            item.setMinimumHeight(self.titles[name].minimumHeight() + PLOT_PX)
            if item.isVisible():
                total += item.minimumHeight() + self.view.ci.layout.verticalSpacing()
        self.view.setMinimumHeight(math.ceil(total) + 8)

    def retranslate(self) -> None:
        """The titles and their legends in the window's language (after a switch of language)."""
        self.labels = {metric: plot_text(label) for _, _, curves, _ in PLOTS.values() for metric, label, _ in curves}
        self.labels["loss_aux"] = plot_text(self.aux_label)
        for name in self.titles:
            self._set_title(name)

    def _set_title(self, name: str) -> None:
        """The legend lives in the title: an overlay legend is repainted with every frame of the curves.
        The title wraps between the legend's entries, never inside one."""
        title, _, curves, _ = PLOTS[name]
        key = " &nbsp; ".join(f"<span style='color:{colour}'>━&nbsp;{self.labels[m].replace(' ', '&nbsp;')}</span>"
                              for m, _, colour in curves if m in self.shown)
        formula = f"<br>{self.loss_formula}" if name == "loss" and self.loss_formula else ""  # the run's loss
        self.titles[name].setText(f"<span style='font-size:12pt; font-weight:bold'>{plot_text(title)}</span>"
                                  f"<span style='font-size:11pt'> &nbsp; {key}</span>{formula}")

    def clear(self) -> None:
        self.history.clear()
        self._smooth_n = 0
        self.x_end = 0.0
        for r in self.y_ranges.values():
            r.reset()
        for curve in self.curves.values():
            curve.setData([], [])
        self.readout.setText(self.tr("Hover over a plot to read the values"))
        self._dirty = False
        self.marks.clear()

    def set_events(self, events: list[dict]) -> None:
        """Mark the run's live edits (core.live_events) so far; unchanged ones are not redrawn."""
        self.marks.show(list(self.plots.values()), marks_of(events))

    @Slot(object)
    def add_batch(self, columns: dict) -> None:
        """Append a batch of metric columns (from the worker's metrics signal)."""
        if self.history.append(columns):
            for metric in OPTIONAL_METRICS:  # a run followed without its config still shows its metrics
                if metric in columns and metric not in self.shown:
                    self.show_metric(metric, bool(np.isfinite(columns[metric]).any()))
            self._dirty = True

    def points(self) -> int:
        return self.history.n

    # -- drawing -------------------------------------------------------------
    def _update_smoothed(self) -> None:
        h, w = self.history, self._smooth_weight
        if w <= 0:
            return
        for m in METRICS:
            if len(self.smoothed[m]) < len(h.data[m]):
                grown = np.zeros(len(h.data[m]))
                grown[:self._smooth_n] = self.smoothed[m][:self._smooth_n]
                self.smoothed[m] = grown
            start = None
            if self._smooth_n:
                previous = self.smoothed[m][:self._smooth_n]
                finite = previous[np.isfinite(previous)]
                start = float(finite[-1]) if len(finite) else None
            self.smoothed[m][self._smooth_n:h.n] = ema(h.data[m][self._smooth_n:h.n], w, start)
        self._smooth_n = h.n

    def redraw(self, force: bool = False) -> bool:
        """setData once per shown curve with what arrived since the last frame; False if nothing did."""
        if not (self._dirty or force):
            return False
        self._dirty = False
        self._update_smoothed()
        x = self.history.x()
        n = self.history.n
        for metric, curve in self.curves.items():
            y = self.smoothed[metric][:n] if self._smooth_weight > 0 else self.history.column(metric)
            if metric not in self.shown:
                continue
            # values are finite (the trainer stops on NaN/Inf) unless a log scale makes them so
            curve.setData(x, y, skipFiniteCheck=not self.log_scale.isChecked())
        if n:
            self._fit_ranges(x)
        self.redraws += 1
        return True

    def _fit_ranges(self, x: np.ndarray) -> None:
        last = float(x[-1])
        if self.follow:  # scroll in tenths of the window, not every frame
            chunk = self.follow / 10
            end = math.ceil(last / chunk) * chunk
            start = max(0.0, end - self.follow)
        else:
            start, end = 0.0, self.x_end
            if last > self.x_end:
                end = self.x_end = nice_ceiling(last * 1.1)
        self.plots["loss"].setXRange(start, end, padding=0)
        first = int(np.searchsorted(x, start))
        log = self.log_scale.isChecked()
        for name, (_, _, curves, log_ok) in PLOTS.items():
            item = self.plots[name]
            if not item.isVisible():
                continue
            ys = [self.curves[m].yData for m, _, _ in curves if m in self.shown]
            ys = [y[first:] for y in ys if y is not None and len(y) > first]
            values = np.concatenate(ys) if ys else np.zeros(0)
            if log and log_ok:
                values = np.log10(values[values > 0])
            values = values[np.isfinite(values)]
            if len(values):
                changed = self.y_ranges[name].fit(float(values.min()), float(values.max()))
                if changed:
                    item.setYRange(*changed, padding=0)

    # -- options -------------------------------------------------------------
    @Slot(int)
    def _on_smoothing(self, value: int) -> None:
        self._smooth_weight = value / 100.0
        self.smoothing_value.setText(f"{self._smooth_weight:.2f}")
        self._smooth_n = 0
        self.redraw(force=True)

    @Slot(bool)
    def _on_log(self, on: bool) -> None:
        for name, (_, _, _, log_ok) in PLOTS.items():
            if log_ok:
                self.plots[name].setLogMode(y=on)
                self.y_ranges[name].reset()
        self.redraw(force=True)

    @Slot(int)
    def _on_follow(self, index: int) -> None:
        self.follow = FOLLOW_CHOICES[index][1]
        for r in self.y_ranges.values():
            r.reset()
        self.redraw(force=True)

    @Slot(object)
    def _on_mouse(self, pos) -> None:
        for item in self.plots.values():
            if item.isVisible() and item.vb.sceneBoundingRect().contains(pos):
                self.show_readout(item.vb.mapSceneToView(pos).x())
                return

    def show_readout(self, step_x: float) -> str:
        """Show the values at the logged step nearest to `step_x`; returns the text."""
        n = self.history.n
        if not n:
            return ""
        x = self.history.x()
        i = int(np.clip(np.searchsorted(x, step_x), 0, n - 1))
        if i > 0 and abs(x[i - 1] - step_x) < abs(x[i] - step_x):
            i -= 1
        parts = [self.tr("step {step}").format(step=int(x[i]))]
        for _, (_, _, curves, _) in PLOTS.items():
            for metric, _, _ in curves:
                v = self.history.column(metric)[i]
                if math.isfinite(v):
                    parts.append(f"{self.labels[metric]} {v:.4g}")
        text = " · ".join(parts)
        self.readout.setText(text)
        for cursor in self.cursors:
            cursor.setValue(x[i])
            cursor.show()
        self.hovered.emit(text)
        return text
