"""The coverage panel's two views: bars and curves per mode (2-D data with known modes) and per
digit class (labelled images, from the evaluator). The panel (coverage_panel.py) feeds them."""
from __future__ import annotations

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from ..core.coverage import CoverageTrack
from ..core.evaluator import CONFIDENT

GOOD, BAD, NEUTRAL = "#188038", "#c5221f", "#333"
FAKE_LIGHT, FAKE_DARK = (242, 160, 153), (197, 34, 31)
REAL_BLUE = (26, 115, 232)


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
    """Bars per mode and coverage curves for 2-D data with known modes; `compact` puts the modes
    curve alone beside the bars instead of the curves below them (side-by-side runs, where height is short)."""

    def __init__(self, parent: QWidget | None = None, compact: bool = False):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground("w")
        layout.addWidget(self.view)
        self.bars_plot = pg.PlotItem()
        # the key on a line of its own: one line wider than a narrow pane would widen the layout past its edge
        key = self.tr("dark: high quality, within 3σ")
        _style_plot(self.bars_plot, self.tr("Samples per mode") +
                    f"<br><span style='font-size:10pt; font-weight:normal'>{key}</span>",
                    self.tr("% of samples"), self.tr("mode"))
        self.bars_plot.setMouseEnabled(False, False)
        self.near_bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush=pg.mkBrush(*FAKE_LIGHT),
                                         pen=pg.mkPen(FAKE_DARK, width=1))
        self.hq_bars = pg.BarGraphItem(x=[], height=[], width=0.8, brush=pg.mkBrush(*FAKE_DARK), pen=None)
        self.ideal = pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen("#444", width=1.5,
                                                                          style=Qt.PenStyle.DashLine))
        for item in (self.near_bars, self.hq_bars, self.ideal):
            self.bars_plot.addItem(item)
        self.ideal.label = pg.InfLineLabel(self.ideal, self.tr("even share"), position=0.97,  # readable over a bar
                                           anchors=[(1, 1), (1, 1)], color="#444", fill=(255, 255, 255, 215))
        self.view.addItem(self.bars_plot, row=0, col=0)

        self.modes_plot = pg.PlotItem()
        _style_plot(self.modes_plot, self.tr("Modes captured"), self.tr("modes"), self.tr("step"))
        self.modes_curve = self.modes_plot.plot(pen=pg.mkPen(FAKE_DARK, width=3))
        self.view.addItem(self.modes_plot, row=0 if compact else 1, col=1 if compact else 0)
        self.quality_plot = pg.PlotItem()
        _style_plot(self.quality_plot, self.tr("<span style='color:#1a73e8'>HQ share</span> and "
                                               "<span style='color:#e67800'>reverse KL</span>"),
                    self.tr("value"), self.tr("step"))
        self.hq_curve = self.quality_plot.plot(pen=pg.mkPen(REAL_BLUE, width=2.5), name=self.tr("high-quality share"))
        self.kl_curve = self.quality_plot.plot(pen=pg.mkPen((230, 120, 0), width=2.5), name=self.tr("reverse KL"))
        self.quality_plot.setXLink(self.modes_plot)
        if not compact:  # side by side the pane is short: one curve of full height (the headline gives the rest)
            self.view.addItem(self.quality_plot, row=2, col=0)
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
    """Generated vs real class histograms and class curves from the evaluator (`compact`: as above, the
    classes curve only).
    A generated bar is pale for every sample named that class, dark for the confident ones: only those
    count as captured, so smudges the classifier merely guesses at show as pale bars."""

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
        key = self.tr("dark: confident (p ≥ {p})").format(p=f"{CONFIDENT:g}")
        _style_plot(self.bars_plot, self.tr("Classes: <span style='color:#c5221f'>generated</span> vs "
                                            "<span style='color:#1a73e8'>real</span>") +
                    f"<br><span style='font-size:10pt; font-weight:normal'>{key}</span>",  # as above
                    self.tr("% of samples"), self.tr("class (digit)"))
        self.bars_plot.setMouseEnabled(False, False)
        x = np.arange(10)
        self.fake_bars = pg.BarGraphItem(x=x - 0.2, height=np.zeros(10), width=0.4, brush=pg.mkBrush(*FAKE_LIGHT),
                                         pen=pg.mkPen(FAKE_DARK, width=1))
        self.sure_bars = pg.BarGraphItem(x=x - 0.2, height=np.zeros(10), width=0.4, brush=pg.mkBrush(*FAKE_DARK),
                                         pen=None)
        self.real_bars = pg.BarGraphItem(x=x + 0.2, height=np.zeros(10), width=0.4, brush=pg.mkBrush(*REAL_BLUE),
                                         pen=None)
        self.bars_plot.addItem(self.fake_bars)
        self.bars_plot.addItem(self.sure_bars)
        self.bars_plot.addItem(self.real_bars)
        self.bars_plot.getAxis("bottom").setTicks([[(i, str(i)) for i in range(10)]])
        self.bars_plot.setXRange(-0.6, 9.6, padding=0)
        self.view.addItem(self.bars_plot, row=0, col=0)
        self.classes_plot = pg.PlotItem()
        # side by side (compact) the curves' column is narrow: a long title would widen it past the pane's edge
        _style_plot(self.classes_plot, self.tr("Classes captured") if compact else
                    self.tr("Classes captured (confident samples only)"), self.tr("classes"), self.tr("step"))
        self.classes_plot.setYRange(0, 10.3, padding=0)
        self.classes_plot.getAxis("left").setTicks([[(v, str(v)) for v in (0, 5, 10)], []])
        self.classes_curve = self.classes_plot.plot(pen=pg.mkPen(FAKE_DARK, width=2.5), symbol="o", symbolSize=5,
                                                    symbolBrush=FAKE_DARK, symbolPen=None)
        self.view.addItem(self.classes_plot, row=0 if compact else 1, col=1 if compact else 0)
        self.kl_plot = pg.PlotItem()
        _style_plot(self.kl_plot, self.tr("KL(class histogram ‖ uniform)"), self.tr("nats"), self.tr("step"))
        top = float(np.log(10)) + 0.05  # KL of a 10-class histogram to uniform is at most log 10
        self.kl_plot.setYRange(0, top, padding=0)
        self.kl_plot.getAxis("left").setTicks([[(v, str(v)) for v in (0, 1, 2)], []])
        self.kl_curve = self.kl_plot.plot(pen=pg.mkPen((230, 120, 0), width=2.5), symbol="o", symbolSize=5,
                                          symbolBrush=(230, 120, 0), symbolPen=None)
        self.kl_plot.setXLink(self.classes_plot)
        if not compact:  # side by side the pane is short: one curve of full height (the headline gives the KL)
            self.view.addItem(self.kl_plot, row=2, col=0)
        else:
            self.view.ci.layout.setColumnStretchFactor(0, 5)
            self.view.ci.layout.setColumnStretchFactor(1, 4)
        self.real_histogram = np.zeros(10)
        self.history: list[dict] = []

    def set_progress(self, share: float) -> None:
        done = share >= 1.0
        self.progress.setValue(int(round(share * 100)))
        self.progress.setVisible(not done)
        self.progress_label.setText("" if done else
                                    self.tr("Training the evaluator classifier on the real digits (first time "
                                            "only, then cached)… {share}").format(share=f"{share:.0%}"))
        self.progress_label.setVisible(not done)

    def set_real(self, histogram) -> None:
        self.real_histogram = np.asarray(histogram, np.float64)
        self.real_bars.setOpts(x=np.arange(len(histogram)) + 0.2, height=self.real_histogram * 100)

    def clear(self) -> None:
        self.history.clear()
        self.fake_bars.setOpts(height=np.zeros(10))
        self.sure_bars.setOpts(height=np.zeros(10))
        self.classes_curve.setData([], [])
        self.kl_curve.setData([], [])

    def draw(self, report: dict) -> None:
        hist = np.asarray(report["histogram"], np.float64)
        self.fake_bars.setOpts(x=np.arange(len(hist)) - 0.2, height=hist * 100)
        sure = np.asarray(report.get("confident_histogram", np.zeros(len(hist))), np.float64)
        self.sure_bars.setOpts(x=np.arange(len(sure)) - 0.2, height=sure * 100)
        top = max(float(hist.max()), float(self.real_histogram.max()), 0.2) * 100 * 1.1
        self.bars_plot.setYRange(0, min(top, 105.0), padding=0)
        steps = np.array([r["step"] for r in self.history], np.float64)
        self.classes_curve.setData(steps, np.array([r["classes"] for r in self.history], np.float64))
        self.kl_curve.setData(steps, np.array([r["kl_uniform"] for r in self.history], np.float64))
