"""A run's metric curves as the live plots keep them: growing buffers, smoothing and axis ranges (no Qt)."""
from __future__ import annotations

import math

import numpy as np


class History:
    """Columns of floats by step; capacity doubles as the run grows."""

    def __init__(self, names: list[str], capacity: int = 1024):
        self.names = list(names)
        self.n = 0
        self.steps = np.zeros(capacity)
        self.data = {k: np.full(capacity, np.nan) for k in self.names}

    def clear(self) -> None:
        self.n = 0

    def append(self, columns: dict[str, np.ndarray]) -> int:
        steps = columns.get("step")
        if steps is None or len(steps) == 0:
            return 0
        m = len(steps)
        if self.n + m > len(self.steps):
            capacity = len(self.steps)
            while capacity < self.n + m:
                capacity *= 2
            self.steps = np.resize(self.steps, capacity)
            for k in self.names:
                grown = np.full(capacity, np.nan)
                grown[:self.n] = self.data[k][:self.n]
                self.data[k] = grown
        self.steps[self.n:self.n + m] = steps
        for k in self.names:
            self.data[k][self.n:self.n + m] = columns.get(k, np.nan)
        self.n += m
        return m

    def column(self, name: str) -> np.ndarray:
        return self.data[name][:self.n]

    def x(self) -> np.ndarray:
        return self.steps[:self.n]


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is >= value (axis ends that change rarely)."""
    if value <= 0:
        return 1.0
    base = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if m * base >= value:
            return m * base
    return 10 * base


class StickyRange:
    """A view range that changes only when the data leaves it (or shrinks to under a third of it).

    Re-laying out an axis costs more than drawing its curves; with auto-range every new point
    moves the axes, so a live plot spent most of each frame on ticks.
    """

    def __init__(self):
        self.lo = self.hi = None

    def fit(self, lo: float, hi: float) -> tuple[float, float] | None:
        """The new range when it must change, else None."""
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return None
        span = max(hi - lo, 1e-6)
        inside = self.lo is not None and self.lo <= lo and hi <= self.hi
        if inside and span > (self.hi - self.lo) / 3:
            return None
        self.lo, self.hi = lo - 0.1 * span, hi + 0.1 * span
        return self.lo, self.hi

    def reset(self) -> None:
        self.lo = self.hi = None


def ema(values: np.ndarray, weight: float, start: float | None = None) -> np.ndarray:
    """Exponential moving average (TensorBoard-style smoothing); NaNs are carried over."""
    out = np.empty_like(values)
    last = start
    for i, v in enumerate(values):
        if not math.isfinite(v):
            out[i] = v
            continue
        last = v if last is None else weight * last + (1 - weight) * v
        out[i] = last
    return out
