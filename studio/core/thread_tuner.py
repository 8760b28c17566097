"""How many CPU threads torch should use for a training loop, decided by measuring it.

On a 2-core laptop a convolutional step runs about 1.7× faster on two threads than on one
while the machine is otherwise idle, but with another busy process beside it two OpenMP
threads thrash and run many times slower than one. No fixed count is right for both, so the
window's trainer measures: it trains a short probe at each candidate count, keeps the fastest
and probes again now and then, as the load on the machine changes.
"""
from __future__ import annotations

import os

import torch

PROBE_S = 0.6  # training seconds spent measuring each candidate
EXPLOIT_S = 15.0  # training seconds at the chosen count before measuring again
MIN_PROBE_STEPS = 3


def candidate_counts(cores: int | None = None) -> list[int]:
    """All the cores, half of them and one (without repeats), most first."""
    cores = cores or os.cpu_count() or 1
    return list(dict.fromkeys((cores, max(1, cores // 2), 1)))


class ThreadTuner:
    """Fed the duration of every training step by the run loop; sets torch's thread count.

    `set_threads` is how a count is applied (torch.set_num_threads by default). The record of
    every probe, {count: steps per second}, is kept in `last_probe` for the profile.
    """

    def __init__(self, candidates: list[int] | None = None, set_threads=torch.set_num_threads,
                 probe_s: float = PROBE_S, exploit_s: float = EXPLOIT_S):
        self.candidates = candidates or candidate_counts()
        self.set_threads = set_threads
        self.probe_s, self.exploit_s = probe_s, exploit_s
        self.chosen = self.candidates[0]
        self.last_probe: dict[int, float] = {}
        self._queue: list[int] = []  # counts still to measure in this probe
        self._rates: dict[int, float] = {}
        self._seconds = 0.0
        self._steps = 0
        self._start_probe()

    @property
    def current(self) -> int:
        return self._queue[0] if self._queue else self.chosen

    def record(self, seconds: float) -> None:
        """One step took `seconds` at the current count; switch counts when a phase is over."""
        self._seconds += seconds
        self._steps += 1
        if self._queue:
            if self._seconds >= self.probe_s and self._steps >= MIN_PROBE_STEPS:
                self._rates[self._queue.pop(0)] = self._steps / self._seconds
                self._restart_clock()
                if not self._queue:
                    self.last_probe = dict(self._rates)
                    self.chosen = max(self._rates, key=self._rates.get)
                self.set_threads(self.current)
        elif self._seconds >= self.exploit_s:
            self._start_probe()

    def _start_probe(self) -> None:
        self._queue = list(self.candidates) if len(self.candidates) > 1 else []
        self._rates = {}
        self._restart_clock()
        self.set_threads(self.current)

    def _restart_clock(self) -> None:
        self._seconds, self._steps = 0.0, 0
