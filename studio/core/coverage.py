"""Mode coverage, without Qt: what the mode-collapse lab measures.

* `mode_metrics`: modes captured, high-quality share and reverse KL of 2-D samples (VEEGAN, Srivastava
  et al. 2017; PacGAN, Lin et al. 2018),
* `plane_divergences`: KL and JS between the real and generated histograms of any 2-D data,
* `generator_plane_metrics`: both, of a generator's samples, as `gan-studio eval` reports them,
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


def generator_plane_metrics(generate, config, n: int, seed: int, divergences: bool = True) -> dict:
    """What `gan-studio eval` reports of a 2-D generator, written once for eval, the checkpoint scores
    and the sweep's table: of `generate(z)` (numpy N×2) on `n` noise vectors drawn with `seed` as
    training draws them, the mode metrics where modes are known or found (with `total_modes`) and,
    with `divergences`, KL and JS against the real data. {} for image data."""
    import torch

    from .data import toy_points
    from .noise import config_noise

    if not config.is_2d:
        return {}
    real, centres, sigma = toy_points(config.data.name, config.data.n_samples if divergences else 1,
                                      config.data.seed)
    samples = generate(config_noise(config, n, torch.Generator().manual_seed(seed)))
    report = plane_divergences(real, samples) if divergences else {}
    if centres is not None:
        report.update(mode_metrics(samples, centres, sigma), total_modes=len(centres))
    return report


def mode_counts(samples: np.ndarray, centres: np.ndarray, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """Per mode: samples nearest to it, and how many of those are high quality."""
    dist = np.linalg.norm(np.asarray(samples, np.float64)[:, None] - centres[None], axis=2)
    nearest = dist.argmin(1)
    hq = dist[np.arange(len(dist)), nearest] <= 3 * sigma
    k = len(centres)
    return np.bincount(nearest, minlength=k), np.bincount(nearest[hq], minlength=k)


DIVERGENCE_BINS = 20  # cells per side of the histogram grid
DIVERGENCE_EPS = 1e-3  # probability added to every cell before KL, so a cell G never reaches costs log(p/ε), not ∞


def plane_divergences(real: np.ndarray, fake: np.ndarray, bins: int = DIVERGENCE_BINS,
                      eps: float = DIVERGENCE_EPS) -> dict[str, float]:
    """`kl` = KL(real ‖ generated) and `js` (Jensen-Shannon, nats, at most log 2) of two N×2 point sets.

    Both are histogrammed on one bins×bins grid over the union of their bounding boxes, so every real
    point is counted and so is every generated point, even far outside the real range. KL uses the
    smoothed shares p' = (p + ε) / (1 + bins² ε); JS needs no smoothing and uses the shares as they are.
    """
    real, fake = np.asarray(real, np.float64).reshape(-1, 2), np.asarray(fake, np.float64).reshape(-1, 2)
    both = np.concatenate([real, fake])
    low, high = both.min(0), both.max(0)
    high = np.where(high > low, high, low + 1.0)  # a set on one line still gets a grid
    edges = [np.linspace(low[i], high[i], bins + 1) for i in range(2)]
    p, q = (np.histogram2d(pts[:, 0], pts[:, 1], bins=edges)[0].ravel() / len(pts) for pts in (real, fake))
    ps, qs = ((h + eps) / (1 + h.size * eps) for h in (p, q))
    m = (p + q) / 2
    return {"kl": float(np.sum(ps * np.log(ps / qs))), "js": 0.5 * _kl(p, m) + 0.5 * _kl(q, m)}


def _kl(p: np.ndarray, q: np.ndarray) -> float:
    """KL(p ‖ q) over the cells where p > 0 (q > 0 there too, where q is a mixture holding p)."""
    nz = p > 0
    return float(np.sum(p[nz] * np.log(p[nz] / q[nz])))


def plane_track(data) -> "CoverageTrack | None":
    """A CoverageTrack for a 2-D data config (modes where known or found, KL and JS always), or None
    when its points file cannot be read."""
    from .data import DataError, toy_points

    try:
        real, centres, sigma = toy_points(data.name, data.n_samples, data.seed)
    except DataError:
        return None
    return CoverageTrack(centres, sigma, real)


COLLAPSE_SUFFIX, FIXED_SUFFIX = "-collapse", "-fixed"


def fix_partner(name: str, names: list[str] | tuple[str, ...]) -> str | None:
    """`ring-collapse` → `ring-fixed` when that preset exists; None for any other name."""
    if not name.endswith(COLLAPSE_SUFFIX):
        return None
    partner = name[:-len(COLLAPSE_SUFFIX)] + FIXED_SUFFIX
    return partner if partner in names else None


class CoverageTrack:
    """Mode metrics of each 2-D frame, as curves over training steps (modes, hq share, reverse KL),
    where the data's modes are known (`centres`); KL and JS to the `real` points where given.

    A frame whose step is not after the last one starts the curves again (a new run).
    """

    def __init__(self, centres: np.ndarray | None, sigma: float | None, real: np.ndarray | None = None):
        self.centres = None if centres is None else np.asarray(centres, np.float64)
        self.sigma = None if sigma is None else float(sigma)
        self.real = None if real is None else np.asarray(real, np.float64)
        self.steps: list[int] = []
        self.modes: list[int] = []
        self.hq: list[float] = []
        self.reverse_kl: list[float] = []

    @property
    def n_modes(self) -> int:
        return 0 if self.centres is None else len(self.centres)

    def clear(self) -> None:
        for values in (self.steps, self.modes, self.hq, self.reverse_kl):
            values.clear()

    def add(self, step: int, samples: np.ndarray) -> dict:
        """Measure one frame of samples; returns per-mode counts and the metrics."""
        if self.steps and step < self.steps[-1]:  # an earlier step: a new run (or a resumed branch)
            self.clear()
        elif self.steps and step == self.steps[-1]:  # the same step drawn again: it replaces the last point
            for curve in (self.steps, self.modes, self.hq, self.reverse_kl):
                if curve:
                    curve.pop()
        found = {"step": int(step), "n": len(samples)}
        if self.real is not None:
            found.update(plane_divergences(self.real, samples))
        self.steps.append(int(step))
        if self.centres is None:
            return found
        near, near_hq = mode_counts(samples, self.centres, self.sigma)
        metrics = mode_metrics(samples, self.centres, self.sigma)
        self.modes.append(metrics["modes"])
        self.hq.append(metrics["hq"])
        self.reverse_kl.append(metrics["reverse_kl"])
        return {**found, "near": near, "near_hq": near_hq, **metrics}
