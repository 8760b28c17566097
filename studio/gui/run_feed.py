"""One run's output on its way to the panels that show it.

A `RunFeed` takes a source — a `TrainerController` (a run trained here) or a `RunAttachment` (a run
another process writes) — and feeds the panels it was given: each output signal of the source is
connected once, to a slot here. Output still queued from a run being reset is dropped here and
nowhere else.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from ..core.config import Config
from .controls_panel import ControlsPanel
from .coverage_panel import EVAL_INTERVAL_S, CoveragePanel
from .latent_panel import LatentPanel
from .plots_panel import PlotsPanel
from .samples_panel import SamplesPanel

OUTPUTS = ("ready", "metrics", "samples", "eval_samples", "snapshot")  # the source signals a feed takes
EVAL_SHARE = 0.05  # of the wall time, the most the coverage evaluator's classifier may use…
EVAL_MAX_INTERVAL_S = 8.0  # …unless the meter would then lag by more than this (a loaded CPU: 1.5 s a batch)


class RunFeed(QObject):
    """Feeds `samples` and `coverage`, and `plots`, `controls` and `latent` where a view has them."""

    run_ready = Signal(object)  # the run's first words (device, is_2d, extent…), unless it is being reset
    counters_changed = Signal()  # step, elapsed time or steps/s changed

    def __init__(self, samples: SamplesPanel, coverage: CoveragePanel, plots: PlotsPanel | None = None,
                 controls: ControlsPanel | None = None, latent: LatentPanel | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.samples, self.coverage, self.plots, self.controls, self.latent = samples, coverage, plots, controls, latent
        self.source: QObject | None = None
        self.discarding = False  # a run being reset: what it still sends is dropped
        self.ready_info: dict | None = None
        self.step, self.elapsed, self.steps_per_s = 0, 0.0, 0.0
        self._keep_every_eval = False
        self._waiting_evals: list[dict] = []  # a followed run's checkpoint digits, waiting for the evaluator
        coverage.evaluation.ready.connect(self._submit_waiting_eval)
        coverage.evaluation.result.connect(self._on_evaluated)

    @property
    def counters(self) -> tuple[int, float, float]:
        return self.step, self.elapsed, self.steps_per_s

    # -- the source -------------------------------------------------------------------
    def follow(self, source: QObject, keep_every_eval: bool = False) -> None:
        """Take output from `source` from now on. `keep_every_eval`: its evaluation samples come seldom
        (a followed run's checkpoints), so they wait for a busy evaluator instead of being dropped."""
        self.let_go()
        self.source, self._keep_every_eval = source, keep_every_eval
        for signal, slot in self._wiring(source):
            signal.connect(slot)

    def let_go(self) -> None:
        """Stop taking the current source's output (before it is deleted)."""
        source, self.source = self.source, None
        self._waiting_evals = []
        if source is not None:
            for signal, slot in self._wiring(source):
                signal.disconnect(slot)

    def _wiring(self, source: QObject) -> list:
        slots = {"ready": self.take_ready, "metrics": self.take_metrics, "samples": self.take_samples,
                 "eval_samples": self.take_eval_samples, "snapshot": self.take_snapshot}
        return [(getattr(source, name), slots[name]) for name in OUTPUTS if hasattr(source, name)]

    # -- a run's life ------------------------------------------------------------------
    def begin(self, config: Config) -> None:
        """A new run of `config`: the panels empty and set up for what it will show."""
        self.discarding = False
        self.ready_info = None
        self.clear()
        if self.plots is not None:
            self.plots.start_run(config)
        if self.latent is not None and hasattr(self.source, "snapshot"):  # a live generator to follow
            self.latent.set_live_config(config)
        self.coverage.start_run(config)
        self.samples.preview(config)
        self.samples.set_hint("")

    def ask_for_evals(self) -> None:
        """Once the trainer runs: its evaluation samples, if the coverage panel classifies them."""
        if self.coverage.wants_eval_samples and hasattr(self.source, "set_eval_interval"):
            self.source.set_eval_interval(EVAL_INTERVAL_S)

    def show_history(self, columns: dict[str, np.ndarray], step: int, elapsed: float) -> None:
        """A resumed run's metrics so far, before its trainer sends new ones."""
        if columns and self.plots is not None:
            self.plots.add_batch(columns)
        self._set_counters(step, elapsed, 0.0)

    def discard(self) -> None:
        """The run is being reset: drop what it still sends and empty the panels."""
        self.discarding = True
        self.clear()

    def clear(self) -> None:
        """Empty plots, samples, coverage and counters: a run's traces gone."""
        if self.plots is not None:
            self.plots.clear()
        self.samples.clear()
        self.coverage.clear()
        self._waiting_evals = []
        self._set_counters(0, 0.0, 0.0)

    def ended(self) -> None:
        """The run's thread has ended: no more steps per second (and nothing left of a reset run)."""
        if self.discarding:
            self.clear()
        else:
            self._set_counters(self.step, self.elapsed, 0.0)

    def _set_counters(self, step: int, elapsed: float, steps_per_s: float) -> None:
        self.step, self.elapsed, self.steps_per_s = int(step), float(elapsed), float(steps_per_s)
        if self.controls is not None:
            self.controls.set_counters(self.step, self.elapsed, self.steps_per_s)
        self.counters_changed.emit()

    # -- the source's output (GUI thread) ------------------------------------------------
    @Slot(object)
    def take_ready(self, info: dict) -> None:
        if self.discarding:
            return
        self.ready_info = info
        if self.controls is not None:
            self.controls.set_device(info["device"])
        self.samples.set_mode(info["is_2d"])
        self.samples.set_fixed_count(len(info["fixed_noise"]))
        if self.latent is not None:
            self.latent.set_fixed_noise(info["fixed_noise"])
        if info["is_2d"]:
            self.samples.set_real(info)
        self.run_ready.emit(info)

    @Slot(object)
    def take_metrics(self, batch: dict) -> None:
        if self.discarding:
            return
        if self.plots is not None and batch["columns"]:
            self.plots.add_batch(batch["columns"])
        if "events" in batch:  # the run's live edits so far (core.live_events)
            if self.plots is not None:
                self.plots.set_events(batch["events"])
            self.samples.timeline.set_events(batch["events"])
        self._set_counters(batch["step"], batch["elapsed"], batch["steps_per_s"])

    @Slot(object)
    def take_samples(self, frame: dict) -> None:
        """A sample frame; a followed run's frames say where they come from (`hint`)."""
        if self.discarding:
            return
        if frame.get("hint"):
            self.samples.set_hint(frame["hint"])
        self.samples.add_frame(frame)
        self.coverage.add_frame(frame)

    @Slot(object)
    def take_eval_samples(self, payload: dict) -> None:
        if self.discarding:
            return
        if self._keep_every_eval:
            self._waiting_evals.append(payload)
            self._submit_waiting_eval()
        else:
            self.coverage.add_eval_samples(payload)

    @Slot(object)
    def take_snapshot(self, payload: dict) -> None:
        if not self.discarding and self.latent is not None:
            self.latent.set_live_weights(payload)

    @Slot(object)
    def _on_evaluated(self, report: dict) -> None:
        """Classifying takes CPU from the trainer: ask for samples only as often as EVAL_SHARE of the time
        allows; then the next waiting checkpoint's digits (attached runs)."""
        if hasattr(self.source, "set_eval_interval") and "seconds" in report:
            self.source.set_eval_interval(min(EVAL_MAX_INTERVAL_S,
                                              max(EVAL_INTERVAL_S, report["seconds"] / EVAL_SHARE)))
        self._submit_waiting_eval()

    @Slot()
    @Slot(object)
    @Slot(float)
    def _submit_waiting_eval(self, *_args) -> None:
        if self._waiting_evals and self.coverage.add_eval_samples(self._waiting_evals[0]):
            self._waiting_evals.pop(0)
