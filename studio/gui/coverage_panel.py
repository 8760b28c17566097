"""Mode coverage, live: how many of the data's modes (or digit classes) the generator produces.

Any 2-D data: KL(real ‖ generated) and JS of their histograms in the headline.
2-D data with known modes (or drawn clusters): a bar per mode (share of generated samples nearest to it, the
high-quality ones shaded darker) and curves over steps of modes captured, high-quality share
and reverse KL, so a generator hopping from mode to mode shows as it happens.

Labelled digits: the evaluator classifier (trained on first need in its own thread, with
progress shown) gives the generated class histogram beside the real one, classes captured,
KL to uniform, mean confidence and the Fréchet distance of its features.

Measurements arrive as frames; a QTimer redraws at most a few times a second.
"""
from __future__ import annotations

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QProgressBar, QStackedWidget, QVBoxLayout, QWidget

from ..core.config import IMAGE_DATASETS, Config
from ..core.coverage import CoverageTrack, plane_track
from .evaluation import EvaluationController, default_evaluator
from .paint_budget import PaintBudget

GOOD, BAD, NEUTRAL = "#188038", "#c5221f", "#333"
FAKE_LIGHT, FAKE_DARK = (242, 160, 153), (197, 34, 31)
REAL_BLUE = (26, 115, 232)
EVAL_INTERVAL_S = 2.0  # generated digits are classified this often while training


def _style_plot(item: pg.PlotItem, title: str, left: str, bottom: str, font_pt: int = 11) -> None:
    tick_font = QFont()
    tick_font.setPointSize(font_pt - 1)
    item.setTitle(f"<span style='font-size:{font_pt + 1}pt; font-weight:bold'>{title}</span>")
    for axis, label in (("left", left), ("bottom", bottom)):
        item.setLabel(axis, label, color="#222", **{"font-size": f"{font_pt}pt"})
        item.getAxis(axis).setTickFont(tick_font)
        item.getAxis(axis).setTextPen("k")
        item.getAxis(axis).setPen("#888")
        item.getAxis(axis).enableAutoSIPrefix(False)
    item.setMenuEnabled(False)


class ModeCoverageView(QWidget):
    """Bars per mode and coverage curves for 2-D data with known modes; `compact` puts the
    curves beside the bars instead of below them (side-by-side runs, where height is short)."""

    def __init__(self, parent: QWidget | None = None, compact: bool = False):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground("w")
        layout.addWidget(self.view)
        self.bars_plot = pg.PlotItem()
        # a one-line title wider than the dock would widen the whole layout past its right edge
        key = "dark: high quality, within 3σ"
        _style_plot(self.bars_plot, f"Samples per mode ({key})" if compact else
                    f"Samples per mode<br><span style='font-size:10pt; font-weight:normal'>{key}</span>",
                    "% of samples", "mode")
        self.bars_plot.setMouseEnabled(False, False)
        self.near_bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush=pg.mkBrush(*FAKE_LIGHT),
                                         pen=pg.mkPen(FAKE_DARK, width=1))
        self.hq_bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush=pg.mkBrush(*FAKE_DARK), pen=None)
        self.ideal = pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen("#444", width=1.5,
                                                                          style=Qt.PenStyle.DashLine))
        for item in (self.near_bars, self.hq_bars, self.ideal):
            self.bars_plot.addItem(item)
        self.ideal.label = pg.InfLineLabel(self.ideal, "even share", position=0.97, anchors=[(1, 1), (1, 1)],
                                           color="#444")
        self.view.addItem(self.bars_plot, row=0, col=0, rowspan=2 if compact else 1)

        self.modes_plot = pg.PlotItem()
        _style_plot(self.modes_plot, "Modes captured", "modes", "step")
        self.modes_curve = self.modes_plot.plot(pen=pg.mkPen(FAKE_DARK, width=3))
        self.view.addItem(self.modes_plot, row=0 if compact else 1, col=1 if compact else 0)
        self.quality_plot = pg.PlotItem()
        _style_plot(self.quality_plot, "<span style='color:#1a73e8'>HQ share"
                                       "</span> and <span style='color:#e67800'>reverse KL</span>", "value", "step")
        self.hq_curve = self.quality_plot.plot(pen=pg.mkPen(REAL_BLUE, width=2.5), name="high-quality share")
        self.kl_curve = self.quality_plot.plot(pen=pg.mkPen((230, 120, 0), width=2.5), name="reverse KL")
        self.quality_plot.setXLink(self.modes_plot)
        self.view.addItem(self.quality_plot, row=1 if compact else 2, col=1 if compact else 0)
        for item in (self.modes_plot, self.quality_plot):
            item.setMinimumHeight(110)
        self.bars_plot.setMinimumHeight(150)
        if compact:
            self.view.ci.layout.setColumnStretchFactor(0, 5)
            self.view.ci.layout.setColumnStretchFactor(1, 4)
        self.n_modes = 0

    def set_modes(self, n_modes: int) -> None:
        self.n_modes = n_modes
        # every mode labelled up to 12; beyond, 1 and every fifth, or the labels run together
        ticks = [[(i, str(i + 1)) for i in range(n_modes) if n_modes <= 12 or i == 0 or (i + 1) % 5 == 0]]
        self.bars_plot.getAxis("bottom").setTicks(ticks)
        self.bars_plot.setXRange(-0.6, n_modes - 0.4, padding=0)
        self.ideal.setPos(100.0 / max(n_modes, 1))
        self.modes_plot.setYRange(0, n_modes + 0.3, padding=0)
        # three labelled ticks: a short panel has no room for one every two modes
        self.modes_plot.getAxis("left").setTicks([[(v, str(v)) for v in sorted({0, n_modes // 2, n_modes})], []])
        top = max(1.05, float(np.log(max(n_modes, 2))) + 0.05)  # reverse KL is at most log(modes)
        self.quality_plot.setYRange(0, top, padding=0)
        self.quality_plot.getAxis("left").setTicks([[(v, str(v)) for v in range(int(top) + 1)], []])
        self.clear()

    def clear(self) -> None:
        x = np.arange(self.n_modes)
        zeros = np.zeros(self.n_modes)
        self.near_bars.setOpts(x=x, height=zeros)
        self.hq_bars.setOpts(x=x, height=zeros)
        self.bars_plot.setYRange(0, 100.0 / max(self.n_modes, 1) * 2.5, padding=0)
        for curve in (self.modes_curve, self.hq_curve, self.kl_curve):
            curve.setData([], [])

    def draw(self, latest: dict, track: CoverageTrack) -> None:
        x = np.arange(self.n_modes)
        share = 100.0 / max(latest["n"], 1)
        near, near_hq = latest["near"] * share, latest["near_hq"] * share
        self.near_bars.setOpts(x=x, height=near)
        self.hq_bars.setOpts(x=x, height=near_hq)
        top = max(100.0 / max(self.n_modes, 1) * 2.5, float(near.max()) * 1.08 if len(near) else 0.0)
        self.bars_plot.setYRange(0, min(top, 105.0), padding=0)
        steps = np.asarray(track.steps, np.float64)
        self.modes_curve.setData(steps, np.asarray(track.modes, np.float64))
        self.hq_curve.setData(steps, np.asarray(track.hq))
        self.kl_curve.setData(steps, np.asarray(track.reverse_kl))


class ClassCoverageView(QWidget):
    """Generated vs real class histograms and class curves from the evaluator (`compact`: as above)."""

    def __init__(self, parent: QWidget | None = None, compact: bool = False):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.progress_label = QLabel()
        self.progress_label.setStyleSheet("font-size: 11pt; color: #333;")
        self.progress_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground("w")
        layout.addWidget(self.view, 1)
        self.bars_plot = pg.PlotItem()
        _style_plot(self.bars_plot, "Classes: <span style='color:#c5221f'>generated</span> vs "
                                    "<span style='color:#1a73e8'>real</span>", "% of samples", "class (digit)")
        self.bars_plot.setMouseEnabled(False, False)
        x = np.arange(10)
        self.fake_bars = pg.BarGraphItem(x=x - 0.2, height=np.zeros(10), width=0.4, brush=pg.mkBrush(*FAKE_DARK),
                                         pen=None)
        self.real_bars = pg.BarGraphItem(x=x + 0.2, height=np.zeros(10), width=0.4, brush=pg.mkBrush(*REAL_BLUE),
                                         pen=None)
        self.bars_plot.addItem(self.fake_bars)
        self.bars_plot.addItem(self.real_bars)
        self.bars_plot.getAxis("bottom").setTicks([[(i, str(i)) for i in range(10)]])
        self.bars_plot.setXRange(-0.6, 9.6, padding=0)
        self.view.addItem(self.bars_plot, row=0, col=0, rowspan=2 if compact else 1)
        self.classes_plot = pg.PlotItem()
        _style_plot(self.classes_plot, "Classes captured", "classes", "step")
        self.classes_plot.setYRange(0, 10.3, padding=0)
        self.classes_curve = self.classes_plot.plot(pen=pg.mkPen(FAKE_DARK, width=2.5), symbol="o", symbolSize=5,
                                                    symbolBrush=FAKE_DARK, symbolPen=None)
        self.view.addItem(self.classes_plot, row=0 if compact else 1, col=1 if compact else 0)
        self.kl_plot = pg.PlotItem()
        _style_plot(self.kl_plot, "KL(class histogram ‖ uniform)", "nats", "step")
        self.kl_curve = self.kl_plot.plot(pen=pg.mkPen((230, 120, 0), width=2.5), symbol="o", symbolSize=5,
                                          symbolBrush=(230, 120, 0), symbolPen=None)
        self.kl_plot.setXLink(self.classes_plot)
        self.view.addItem(self.kl_plot, row=1 if compact else 2, col=1 if compact else 0)
        if compact:
            self.view.ci.layout.setColumnStretchFactor(0, 5)
            self.view.ci.layout.setColumnStretchFactor(1, 4)
        self.real_histogram = np.zeros(10)
        self.history: list[dict] = []

    def set_progress(self, share: float) -> None:
        done = share >= 1.0
        self.progress.setValue(int(round(share * 100)))
        self.progress.setVisible(not done)
        self.progress_label.setText("" if done else
                                    f"Training the evaluator classifier on the real digits (first time "
                                    f"only, then cached)… {share:.0%}")
        self.progress_label.setVisible(not done)

    def set_real(self, histogram) -> None:
        self.real_histogram = np.asarray(histogram, np.float64)
        self.real_bars.setOpts(x=np.arange(len(histogram)) + 0.2, height=self.real_histogram * 100)

    def clear(self) -> None:
        self.history.clear()
        self.fake_bars.setOpts(height=np.zeros(10))
        self.classes_curve.setData([], [])
        self.kl_curve.setData([], [])

    def draw(self, report: dict) -> None:
        hist = np.asarray(report["histogram"], np.float64)
        self.fake_bars.setOpts(x=np.arange(len(hist)) - 0.2, height=hist * 100)
        top = max(float(hist.max()), float(self.real_histogram.max()), 0.2) * 100 * 1.1
        self.bars_plot.setYRange(0, min(top, 105.0), padding=0)
        steps = np.array([r["step"] for r in self.history], np.float64)
        self.classes_curve.setData(steps, np.array([r["classes"] for r in self.history], np.float64))
        self.kl_curve.setData(steps, np.array([r["kl_uniform"] for r in self.history], np.float64))


class CoveragePanel(QWidget):
    """Feed it the run's config (`set_config`), sample frames (`add_frame`) and evaluation samples
    (`add_eval_samples`); call `shutdown` before it is destroyed (it may own a thread)."""

    def __init__(self, parent: QWidget | None = None, evaluator_factory=default_evaluator, rate_hz: float = 4.0,
                 compact: bool = False):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel()
        self.summary.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary_pt = 15
        layout.addWidget(self.summary)
        self.stack = QStackedWidget()
        self.placeholder = QLabel()
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: #555; font-size: 12pt;")
        self.modes_view = ModeCoverageView(compact=compact)
        self.classes_view = ClassCoverageView(compact=compact)
        for page in (self.placeholder, self.modes_view, self.classes_view):
            self.stack.addWidget(page)
        layout.addWidget(self.stack, 1)

        self.evaluation = EvaluationController(self, evaluator_factory)
        self.evaluation.progress.connect(self._on_eval_progress)
        self.evaluation.ready.connect(self._on_eval_ready)
        self.evaluation.result.connect(self._on_eval_result)
        self.evaluation.failed.connect(self._on_eval_failed)
        self.track: CoverageTrack | None = None
        self.kind = "none"  # "modes", "classes" or "none"
        self.config: Config | None = None
        self.latest: dict | None = None  # the last measurement (2-D) or evaluator report (digits)
        self.updates = 0  # measurements drawn (tests)
        self._dirty = False
        self.timer = QTimer(self)
        self.budget = PaintBudget(self, self.timer)
        self.budget.set_rate(rate_hz)
        self.timer.timeout.connect(self._on_timer)
        self.timer.start()
        self._set_summary("Start a run to measure mode coverage", NEUTRAL)

    # -- configuration -------------------------------------------------------
    def set_config(self, config: Config) -> None:
        """Pick what to measure for this config (before or at the start of a run)."""
        self.config = config
        self.latest = None
        if config.is_2d:
            track = plane_track(config.data)  # None for an unreadable points file: the run's start says why
            if track is not None and track.n_modes:
                self.kind, self.track = "modes", track
                self.modes_view.set_modes(track.n_modes)
                self.stack.setCurrentWidget(self.modes_view)
                self._set_summary(f"Modes captured: – / {track.n_modes}", NEUTRAL)
                return
            self.kind, self.track = ("none", None) if track is None else ("divergence", track)
            self.placeholder.setText(f"“{config.data.name}” has no separate modes to count (ring, grid and drawn "
                                     "clusters have): KL(real ‖ G) and JS compare the two histograms, 0 = a match.")
            if track is not None:
                self.stack.setCurrentWidget(self.placeholder)
                return self._set_summary("KL(real ‖ G) – &nbsp;·&nbsp; JS –", NEUTRAL)
        elif config.data.name in IMAGE_DATASETS:
            self.kind = "classes"
            self.classes_view.clear()
            self.stack.setCurrentWidget(self.classes_view)
            self._set_summary("Classes captured: – / 10", NEUTRAL)
            return
        else:
            self.kind = "none"
            self.placeholder.setText("This data set has no labels: class coverage needs digits, MNIST or "
                                     "Fashion-MNIST.")
        self.track = None
        self.stack.setCurrentWidget(self.placeholder)
        self._set_summary("Mode coverage", NEUTRAL)

    def start_run(self, config: Config) -> None:
        """A run begins: clear the curves, and for labelled images get the evaluator ready."""
        self.set_config(config)
        if self.kind == "classes":
            if not self.evaluation.prepared or self.evaluation.thread is None:
                self.classes_view.set_progress(0.0)
            self.evaluation.prepare(config)

    @property
    def wants_eval_samples(self) -> bool:
        return self.kind == "classes"

    def clear(self) -> None:
        self.latest = None
        if self.track is not None:
            self.track.clear()
            self.modes_view.clear()
        self.classes_view.clear()

    def set_step_range(self, last_step: int) -> None:
        """The modes curve's step axis from 0 to `last_step` (side-by-side panes share one scale)."""
        self.modes_view.modes_plot.setXRange(0, last_step, padding=0.02)

    def shutdown(self) -> None:
        self.timer.stop()
        self.evaluation.stop()

    # -- input ---------------------------------------------------------------
    @Slot(object)
    def add_frame(self, frame: dict) -> None:
        """A sample frame from the trainer: 2-D frames are measured here (a few hundred points)."""
        if self.kind not in ("modes", "divergence") or frame.get("kind") != "plane":
            return
        self.latest = self.track.add(frame["step"], frame["fake"])
        self._dirty = True

    @Slot(object)
    def add_eval_samples(self, payload: dict) -> bool:
        """True when the samples went to the evaluator (False while it is busy, or nothing to classify)."""
        return self.kind == "classes" and self.evaluation.submit(payload)

    # -- evaluator -----------------------------------------------------------
    @Slot(float)
    def _on_eval_progress(self, share: float) -> None:
        self.classes_view.set_progress(share)

    @Slot(object)
    def _on_eval_ready(self, info: dict) -> None:
        self.classes_view.set_progress(1.0)
        self.classes_view.set_real(info["real_histogram"])

    @Slot(object)
    def _on_eval_result(self, report: dict) -> None:
        if self.kind != "classes":
            return
        if self.classes_view.history and report["step"] <= self.classes_view.history[-1]["step"]:
            if report["step"] < self.classes_view.history[-1]["step"]:
                self.classes_view.clear()
            else:
                return
        self.classes_view.history.append(report)
        self.latest = report
        self._dirty = True

    @Slot(str)
    def _on_eval_failed(self, text: str) -> None:
        self.classes_view.set_progress(1.0)
        self._set_summary(text, BAD)

    # -- drawing -------------------------------------------------------------
    def _set_summary(self, html: str, colour: str) -> None:
        self.summary.setText(f"<span style='font-size:{self.summary_pt}pt; font-weight:bold; "
                             f"color:{colour}'>{html}</span>")

    def set_summary_size(self, points: int) -> None:
        """Larger headline numbers (presenter mode)."""
        self.summary_pt = points
        self._dirty = self.latest is not None
        self.redraw()

    def summary_text(self) -> str:
        return self.summary.text()

    @Slot()
    def _on_timer(self) -> None:
        self.budget.draw(self.redraw)

    def redraw(self) -> bool:
        """Draw the newest measurement; False if there was nothing new."""
        if not self._dirty or self.latest is None:
            return False
        self._dirty = False
        latest = self.latest
        divergence = f"KL(real ‖ G) {latest['kl']:.2f} &nbsp;·&nbsp; JS {latest['js']:.2f}" if "kl" in latest else ""
        if self.kind == "divergence":
            self._set_summary(divergence, NEUTRAL)
        elif self.kind == "modes":
            k = self.track.n_modes
            colour = GOOD if latest["modes"] == k else BAD if latest["modes"] <= k // 2 else NEUTRAL
            self._set_summary(f"Modes captured: {latest['modes']} / {k} &nbsp;·&nbsp; high quality "
                              f"{latest['hq']:.0%} &nbsp;·&nbsp; reverse KL {latest['reverse_kl']:.2f}<br><span "
                              f"style='font-size:{max(self.summary_pt - 4, 9)}pt'>{divergence}</span>", colour)
            self.modes_view.draw(latest, self.track)
        elif self.kind == "classes":
            colour = GOOD if latest["classes"] == 10 else BAD if latest["classes"] <= 5 else NEUTRAL
            self._set_summary(f"Classes captured: {latest['classes']} / 10 &nbsp;·&nbsp; KL to uniform "
                              f"{latest['kl_uniform']:.2f}<br><span style='font-size:{max(self.summary_pt - 4, 9)}pt'>"
                              f"mean confidence {latest['confidence']:.0%} &nbsp;·&nbsp; Fréchet distance "
                              f"{latest['frechet']:.2f} (step {latest['step']:,})</span>", colour)
            self.classes_view.draw(latest)
        self.updates += 1
        return True
