"""When the trainer thread's output for the views is due, and the steps-per-second estimate (no Qt)."""
from __future__ import annotations

import time

METRICS_HZ = 5.0  # metric batches per second, at most (each one is a plot redraw: the GUI holds the GIL for it)
SAMPLE_BUDGET = 0.03  # samples, snapshots and evaluation batches may each take at most this share of the training time


class OutputCadence:
    """When the worker's display output is due: metrics at most METRICS_HZ a second, samples, G
    snapshots and evaluation samples at the window's intervals, each costing at most SAMPLE_BUDGET
    of the training time; and the steps-per-second estimate."""

    def __init__(self, sample_interval_s: float, snapshot_interval_s: float):
        self.sample_interval_s = sample_interval_s
        self.snapshot_interval_s = snapshot_interval_s
        self.eval_interval_s = 0.0
        self.last = {"metrics": 0.0, "samples": 0.0, "snapshot": 0.0, "eval": 0.0}
        self.cost = {"samples": 0.0, "snapshot": 0.0, "eval": 0.0}
        self._rate_t, self._rate_step, self._steps_per_s = 0.0, 0, 0.0

    def due(self, now: float, finished: bool = False) -> set[str]:
        out = set()
        if now - self.last["metrics"] >= 1.0 / METRICS_HZ:
            out.add("metrics")
        for name, interval in (("samples", self.sample_interval_s), ("snapshot", self.snapshot_interval_s),
                               ("eval", self.eval_interval_s)):
            if name != "samples" and interval <= 0:
                continue
            if now - self.last[name] >= max(interval, self.cost[name] / SAMPLE_BUDGET) or \
                    (finished and name == "snapshot"):
                out.add(name)
        return out

    def took(self, name: str, started: float) -> None:
        now = time.perf_counter()
        self.last[name], self.cost[name] = now, now - started

    def rate_restart(self, step: int) -> None:
        self._rate_t, self._rate_step = time.perf_counter(), step

    def rate(self, step: int, running: bool) -> float:
        now = time.perf_counter()
        self.last["metrics"] = now
        if running and now > self._rate_t:
            rate = (step - self._rate_step) / (now - self._rate_t)
            self._steps_per_s = rate if self._steps_per_s == 0 else 0.7 * self._steps_per_s + 0.3 * rate
        elif not running:
            self._steps_per_s = 0.0
        self._rate_t, self._rate_step = now, step
        return self._steps_per_s
