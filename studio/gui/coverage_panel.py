"""Mode coverage, live: how many of the data's modes (or digit classes) the generator produces.

Any 2-D data: KL(real ‖ generated) and JS of their histograms in the headline.
2-D data with known modes (or drawn clusters): a bar per mode (share of generated samples nearest to it, the
high-quality ones shaded darker) and curves over steps of modes captured, high-quality share
and reverse KL, so a generator hopping from mode to mode shows as it happens.

Labelled digits: the evaluator classifier (trained on first need in its own thread, with
progress shown) gives the generated class histogram beside the real one, classes captured (by
confident samples only, core.evaluator.CONFIDENT, so early smudges capture none), the confident
share beside the real digits', KL to uniform, mean confidence and the Fréchet distance of its features.

Measurements arrive as frames; a QTimer redraws at most a few times a second.
"""
from __future__ import annotations

import re

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from ..core.config import IMAGE_DATASETS, Config
from ..core.coverage import CoverageTrack, plane_track
from .coverage_views import BAD, GOOD, NEUTRAL, ClassCoverageView, ModeCoverageView
from .evaluation import EvaluationController, default_evaluator
from .paint_budget import PaintBudget

EVAL_INTERVAL_S = 2.0  # generated digits are classified this often while training


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
        self.real_confident: float | None = None  # share of real digits the evaluator is sure of
        self.updates = 0  # measurements drawn (tests)
        self._dirty = False
        self.timer = QTimer(self)
        self.budget = PaintBudget(self, self.timer)
        self.budget.set_rate(rate_hz)
        self.timer.timeout.connect(self._on_timer)
        self.timer.start()
        self._set_summary(self.tr("Start a run to measure mode coverage"), NEUTRAL)

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
                self._set_summary(self.tr("Modes captured: – / {k}").format(k=track.n_modes), NEUTRAL)
                return
            self.kind, self.track = ("none", None) if track is None else ("divergence", track)
            self.placeholder.setText(self.tr("“{data}” has no separate modes to count (ring, grid and drawn "
                                             "clusters have): KL(real ‖ G) and JS compare the two histograms, "
                                             "0 = a match.").format(data=config.data.name))
            if track is not None:
                self.stack.setCurrentWidget(self.placeholder)
                none_yet = self.tr("KL(real ‖ G) {kl} &nbsp;·&nbsp; JS {js}").format(kl="–", js="–")
                return self._set_summary(none_yet, NEUTRAL)
        elif config.data.name in IMAGE_DATASETS:
            self.kind = "classes"
            self.classes_view.clear()
            self.stack.setCurrentWidget(self.classes_view)
            self._set_summary(self.tr("Classes captured: – / 10"), NEUTRAL)
            return
        else:
            self.kind = "none"
            self.placeholder.setText(self.tr("Class coverage needs the classifier of digits and garments, which knows "
                                             "digits, MNIST and Fashion-MNIST only, not the pictures of a folder."))
        self.track = None
        self.stack.setCurrentWidget(self.placeholder)
        self._set_summary(self.tr("Mode coverage"), NEUTRAL)

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
        self.real_confident = info.get("real_confident_share")

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
        if not self._dirty:  # a message, not numbers: the words on show (maybe switched to another language) resized
            self.summary.setText(re.sub(r"font-size:\d+pt", f"font-size:{points}pt", self.summary.text(), count=1))
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
        divergence = self.tr("KL(real ‖ G) {kl} &nbsp;·&nbsp; JS {js}").format(
            kl=f"{latest['kl']:.2f}", js=f"{latest['js']:.2f}") if "kl" in latest else ""
        if self.kind == "divergence":
            self._set_summary(divergence, NEUTRAL)
        elif self.kind == "modes":
            k = self.track.n_modes
            colour = GOOD if latest["modes"] == k else BAD if latest["modes"] <= k // 2 else NEUTRAL
            self._set_summary(self.tr("Modes captured: {modes} / {k} &nbsp;·&nbsp; high quality {hq} &nbsp;·&nbsp; "
                                      "reverse KL {kl}").format(modes=latest["modes"], k=k, hq=f"{latest['hq']:.0%}",
                                                                kl=f"{latest['reverse_kl']:.2f}") +
                              f"<br><span style='font-size:{max(self.summary_pt - 4, 9)}pt'>{divergence}</span>",
                              colour)
            self.modes_view.draw(latest, self.track)
        elif self.kind == "classes":
            colour = GOOD if latest["classes"] == 10 else BAD if latest["classes"] <= 5 else NEUTRAL
            real = "" if self.real_confident is None else \
                self.tr(" (real digits {share})").format(share=f"{self.real_confident:.0%}")
            small = max(self.summary_pt - 4, 9)
            self._set_summary(self.tr("Classes captured: {classes} / 10 <span style='font-weight:normal'>(confident "
                                      "samples only)</span> &nbsp;·&nbsp; KL to uniform {kl}")
                              .format(classes=latest["classes"], kl=f"{latest['kl_uniform']:.2f}") +
                              f"<br><span style='font-size:{small}pt'>" +
                              self.tr("confident samples {share}{real} &nbsp;·&nbsp; Fréchet distance {frechet} "
                                      "(step {step})").format(share=f"{latest['confident_share']:.0%}", real=real,
                                                               frechet=f"{latest['frechet']:.2f}",
                                                               step=f"{latest['step']:,}") + "</span>", colour)
            self.classes_view.draw(latest)
        self.updates += 1
        return True
