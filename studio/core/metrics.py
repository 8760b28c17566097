"""Mode-collapse metrics for 2-D data with known modes (VEEGAN, Srivastava et al. 2017; PacGAN, Lin et al. 2018)."""
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
