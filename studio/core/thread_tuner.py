"""How many CPU threads torch should use for a training loop, decided by measuring it.

On a 2-core laptop a convolutional step runs about 1.5× faster on two threads than on one
while the machine is otherwise idle, but with another busy process beside it two OpenMP
threads thrash and run many times slower than one. No fixed count is right for both, so the
window's trainer measures: after a warm-up it trains short slices at each candidate count,
alternating, keeps the fastest and probes again now and then, as the load on the machine changes.

The measurement is noisy (the window starting up, a sample grid being drawn, a neighbour on a
shared machine), and the two mistakes are not alike: keeping two threads where one is a little
faster costs a little, dropping to one thread where two are right costs a third of the speed of a
convolutional run for the next half minute (measured: single 0.6 s probes chose one thread in 4 of 6
window runs of digits-fixed, the AC-GAN now named digits-acgan). So a smaller count must win every
alternation round and by a clear `MARGIN`; thrashing, which it guards against, is a difference of 2-4×.
"""
from __future__ import annotations

import os

import torch

WARMUP_S = 2.0  # training seconds before the first probe: first steps allocate, the window starts up
PROBE_S = 0.4  # training seconds of one slice at one candidate count
ROUNDS = 2  # alternating slices per candidate in a probe (2, 1, 2, 1)
MARGIN = 0.15  # a smaller count must be this much faster in every round to be chosen
EXPLOIT_S = 15.0  # training seconds at the chosen count before measuring again…
MAX_EXPLOIT_S = 60.0  # …doubling, up to this, while probes keep confirming the choice
MIN_PROBE_STEPS = 3


def candidate_counts(cores: int | None = None) -> list[int]:
    """All the cores, half of them and one (without repeats), most first."""
    cores = cores or os.cpu_count() or 1
    return list(dict.fromkeys((cores, max(1, cores // 2), 1)))


class ThreadTuner:
    """Fed the duration of every training step by the run loop; sets torch's thread count.

    `set_threads` is how a count is applied (torch.set_num_threads by default). The last probe's
    rates, {count: steps per second}, are kept in `last_probe`, and every probe in `history`.
    """

    def __init__(self, candidates: list[int] | None = None, set_threads=torch.set_num_threads,
                 probe_s: float = PROBE_S, exploit_s: float = EXPLOIT_S, warmup_s: float = WARMUP_S,
                 rounds: int = ROUNDS, margin: float = MARGIN):
        self.candidates = candidates or candidate_counts()
        self.set_threads = set_threads
        self.probe_s, self.base_exploit_s, self.rounds, self.margin = probe_s, exploit_s, rounds, margin
        self.exploit_s = exploit_s
        self.chosen = self.candidates[0]
        self.last_probe: dict[int, float] = {}
        self.history: list[dict] = []  # each probe: when (training seconds), rates per round, choice
        self._queue: list[int] = []  # slices still to measure in this probe
        self._rounds: list[dict[int, float]] = []
        self._trained = 0.0
        self._restart_clock()
        self._phase_s = warmup_s if len(self.candidates) > 1 else float("inf")
        self.set_threads(self.chosen)

    @property
    def current(self) -> int:
        return self._queue[0] if self._queue else self.chosen

    def record(self, seconds: float) -> None:
        """One step took `seconds` at the current count; switch counts when a slice or phase is over."""
        self._seconds += seconds
        self._trained += seconds
        self._steps += 1
        if not self._queue:
            if self._seconds >= self._phase_s:
                self._start_probe()
            return
        if self._seconds < self.probe_s or self._steps < MIN_PROBE_STEPS:
            return
        count = self._queue.pop(0)
        if not self._rounds or count in self._rounds[-1]:
            self._rounds.append({})
        self._rounds[-1][count] = self._steps / self._seconds
        self._restart_clock()
        if not self._queue:
            self._choose()
        self.set_threads(self.current)

    def _start_probe(self) -> None:
        self._queue = list(self.candidates) * self.rounds
        self._rounds = []
        self._restart_clock()
        self.set_threads(self.current)

    def _choose(self) -> None:
        """The most threads, unless fewer are faster by the margin in every round."""
        best = self.candidates[0]
        for count in self.candidates[1:]:
            if all(r[count] > r[best] * (1 + self.margin) for r in self._rounds):
                best = count
        self.exploit_s = min(MAX_EXPLOIT_S, self.exploit_s * 2) if best == self.chosen else self.base_exploit_s
        self.chosen, self._phase_s = best, self.exploit_s
        self.last_probe = {c: sum(r[c] for r in self._rounds) / len(self._rounds) for c in self.candidates}
        self.history.append({"at_s": round(self._trained, 1), "chosen": best,
                             "rounds": [{c: round(v, 1) for c, v in r.items()} for r in self._rounds]})

    def _restart_clock(self) -> None:
        self._seconds, self._steps = 0.0, 0
