"""Mode coverage, without Qt: what the mode-collapse lab measures.

* `mode_metrics`: modes captured, high-quality share and reverse KL of 2-D samples (VEEGAN, Srivastava
  et al. 2017; PacGAN, Lin et al. 2018),
* `CoverageTrack`: those metrics for successive sample frames, kept as curves over steps,
* `fix_partner`: the `*-fixed` preset that answers a `*-collapse` one ("Compare with fix").
"""
from __future__ import annotations

import numpy as np


def mode_metrics(samples: np.ndarray, centres: np.ndarray, sigma: float) -> dict[str, float]:
    """`modes` captured, `hq` share and `reverse_kl` of N×2 samples against K mode centres.

    A sample is high quality when it lies within 3σ of its nearest centre; a mode is
    captured when at least one high-quality sample has it as nearest centre. The reverse
    KL is KL(p ‖ uniform) of the histogram p of high-quality samples over modes
    (empty bins add nothing); with no high-quality sample it is log K, as for a single mode.
    """
    samples = np.asarray(samples, dtype=np.float64)
    dist = np.linalg.norm(samples[:, None, :] - centres[None], axis=2)  # N×K
    nearest = dist.argmin(1)
    hq = dist[np.arange(len(samples)), nearest] <= 3 * sigma
    k = len(centres)
    counts = np.bincount(nearest[hq], minlength=k)
    if counts.sum() == 0:
        reverse_kl = float(np.log(k))
    else:
        p = counts / counts.sum()
        nz = p > 0
        reverse_kl = float(np.sum(p[nz] * np.log(p[nz] * k)))
    return {"modes": int((counts > 0).sum()), "hq": float(hq.mean()) if len(hq) else 0.0,
            "reverse_kl": reverse_kl}


def mode_counts(samples: np.ndarray, centres: np.ndarray, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """Per mode: samples nearest to it, and how many of those are high quality."""
    dist = np.linalg.norm(np.asarray(samples, np.float64)[:, None] - centres[None], axis=2)
    nearest = dist.argmin(1)
    hq = dist[np.arange(len(dist)), nearest] <= 3 * sigma
    k = len(centres)
    return np.bincount(nearest, minlength=k), np.bincount(nearest[hq], minlength=k)


COLLAPSE_SUFFIX, FIXED_SUFFIX = "-collapse", "-fixed"


def fix_partner(name: str, names: list[str] | tuple[str, ...]) -> str | None:
    """`ring-collapse` → `ring-fixed` when that preset exists; None for any other name."""
    if not name.endswith(COLLAPSE_SUFFIX):
        return None
    partner = name[:-len(COLLAPSE_SUFFIX)] + FIXED_SUFFIX
    return partner if partner in names else None


class CoverageTrack:
    """Mode metrics of each 2-D frame, as curves over training steps (modes, hq share, reverse KL).

    A frame whose step is not after the last one starts the curves again (a new run).
    """

    def __init__(self, centres: np.ndarray, sigma: float):
        self.centres = np.asarray(centres, np.float64)
        self.sigma = float(sigma)
        self.steps: list[int] = []
        self.modes: list[int] = []
        self.hq: list[float] = []
        self.reverse_kl: list[float] = []

    @property
    def n_modes(self) -> int:
        return len(self.centres)

    def clear(self) -> None:
        for values in (self.steps, self.modes, self.hq, self.reverse_kl):
            values.clear()

    def add(self, step: int, samples: np.ndarray) -> dict:
        """Measure one frame of samples; returns per-mode counts and the metrics."""
        if self.steps and step < self.steps[-1]:  # an earlier step: a new run (or a resumed branch)
            self.clear()
        elif self.steps and step == self.steps[-1]:  # the same step drawn again: it replaces the last point
            for curve in (self.steps, self.modes, self.hq, self.reverse_kl):
                curve.pop()
        near, near_hq = mode_counts(samples, self.centres, self.sigma)
        metrics = mode_metrics(samples, self.centres, self.sigma)
        self.steps.append(int(step))
        self.modes.append(metrics["modes"])
        self.hq.append(metrics["hq"])
        self.reverse_kl.append(metrics["reverse_kl"])
        return {"step": int(step), "near": near, "near_hq": near_hq, "n": len(samples), **metrics}
