"""What the window's 2-D plane shows, computed without Qt (the trainer's thread calls it).

* D's output on a regular grid over the plane (a heatmap, uint8, row 0 = lowest y),
* the generated points from the fixed noise batch (they move smoothly between frames),
* G's gradient at those points: the direction each point moves to lower G's loss,
* the generator's manifold: a regular grid in z-space mapped through G (z_dim == 2 and no code c only).
"""
from __future__ import annotations

import numpy as np
import torch

from . import losses

DEFAULT_RESOLUTION = 40  # GAN Lab draws 30×30; each cell is one D evaluation per frame
MANIFOLD_LINES = 15
MANIFOLD_POINTS = 48
MANIFOLD_Z = 2.5  # z-space grid covers [-2.5, 2.5]², where almost all Gaussian noise falls


def plane_extent(real: np.ndarray) -> float:
    """Half-side of the square shown: the real data with a 50 % margin (at least ±1), room for
    the generated points that start away from the data."""
    return max(float(np.abs(real).max()), 1.0) * 1.5


GROWTH_LIMIT = 4.0  # the plane grows to at most this many times its first half-side


def covering_extent(extent: float, fake: np.ndarray, limit: float) -> float:
    """The half-side that keeps every generated point on the plane (a 10 % margin): grown, never shrunk,
    at most `limit`, so that a diverging G does not shrink the data to a dot."""
    finite = np.abs(fake[np.isfinite(fake)])
    far = float(finite.max()) if finite.size else 0.0
    return extent if far <= extent else max(extent, min(far * 1.1, limit))


def covering_probe(trainer, extent: float, limit: float, **options) -> dict:
    """plane_probe over a plane grown where G's points have left it, so that D's heatmap lies under them;
    the frame's "extent" is the half-side used."""
    frame = plane_probe(trainer, extent, **options)
    grown = covering_extent(extent, frame["fake"], limit)
    return frame if grown == extent else plane_probe(trainer, grown, **options)


def real_points(trainer, n: int = 800, seed: int = 0) -> np.ndarray:
    """A fixed random subset of the training set (N×2 float32) to draw as the real layer."""
    x = trainer.data.x
    idx = np.random.default_rng(seed).choice(len(x), size=min(n, len(x)), replace=False)
    return x[torch.as_tensor(idx, device=x.device)].float().cpu().numpy()


MIN_HALF_RANGE = 0.02  # the colour scale of P(real) spans at least 0.48 … 0.52


def _d_map(kind: str, scores: torch.Tensor) -> tuple[torch.Tensor, tuple[float, float], str]:
    """D's scores as values in [0, 1], the range they stand for, and a label.

    Probabilities are stretched symmetrically around 0.5 to the largest deviation on the
    plane, so that an undecided D (all near 0.5) still shows its shape; the colour bar
    shows the range.
    """
    if kind in losses.PROBABILISTIC:
        p = torch.sigmoid(scores)
        half = min(max(float((p - 0.5).abs().max()), MIN_HALF_RANGE), 0.5)
        return (p - 0.5) / (2 * half) + 0.5, (0.5 - half, 0.5 + half), "D(x) = P(real)"
    lo, hi = float(scores.min()), float(scores.max())
    span = hi - lo if hi > lo else 1.0
    return (scores - lo) / span, (lo, hi), "D(x) score"


def plane_probe(trainer, extent: float, resolution: int = DEFAULT_RESOLUTION,
                arrows: bool = True, manifold: bool = True) -> dict:
    """One frame of the plane as plain numpy arrays (see the module docstring)."""
    g, d, kind, device = trainer.sampler, trainer.d, trainer.config.loss.kind, trainer.device
    frame: dict = {"step": trainer.step_count, "extent": extent}
    g_was, d_was = g.training, d.training
    g.eval()
    d.eval()
    try:
        with torch.no_grad():
            ticks = torch.linspace(-extent, extent, resolution, device=device)
            yy, xx = torch.meshgrid(ticks, ticks, indexing="ij")  # row = y (ascending), column = x
            grid = torch.stack([xx.reshape(-1), yy.reshape(-1)], 1)
            values, value_range, label = _d_map(kind, d(grid).float().reshape(resolution, resolution))
            frame["heatmap"] = np.ascontiguousarray(
                (values.clamp(0, 1) * 255 + 0.5).to(torch.uint8).cpu().numpy())
            frame["heatmap_range"] = value_range
            frame["heatmap_label"] = label
            fake = g(trainer.fixed_noise).float()
        frame["fake"] = np.ascontiguousarray(fake.cpu().numpy())
        if arrows:
            x = fake.detach().clone().requires_grad_(True)
            with torch.enable_grad():
                d.requires_grad_(False)
                try:
                    loss = losses.g_loss(kind, d(x).float()) * len(x)  # per-point gradients, not /N
                    (grad,) = torch.autograd.grad(loss, x)
                finally:
                    d.requires_grad_(True)
            step = -grad.cpu().numpy()  # where each point moves to lower G's loss
            norms = np.linalg.norm(step, axis=1)
            scale = float(np.percentile(norms, 95)) if len(norms) else 0.0
            # Display length: the 95th-percentile arrow is 6 % of the plane's side.
            factor = 0.12 * extent / scale if scale > 0 else 0.0
            frame["arrows"] = np.ascontiguousarray((step * factor).astype(np.float32))
            frame["grad_norm_mean"] = float(norms.mean()) if len(norms) else 0.0
        if manifold and trainer.config.generator.z_dim == 2 and not trainer.layout:  # with a code: per code
            frame["manifold"] = manifold_lines(g, device)
    finally:
        g.train(g_was)
        d.train(d_was)
    return frame


@torch.no_grad()
def manifold_lines(g, device, lines: int = MANIFOLD_LINES, points: int = MANIFOLD_POINTS,
                   code: torch.Tensor | None = None) -> np.ndarray:
    """G applied to a regular z-grid: 2·lines polylines of `points` points each, L×P×2 float32.

    A G that takes a code c gets one `code` (1×code_dim) for the whole grid: G's own per-row codes would
    make each line jump between codes.
    """
    t = torch.linspace(-MANIFOLD_Z, MANIFOLD_Z, points, device=device)
    levels = torch.linspace(-MANIFOLD_Z, MANIFOLD_Z, lines, device=device)
    horizontal = torch.stack([t.expand(lines, points), levels[:, None].expand(lines, points)], -1)
    vertical = horizontal.flip(-1)
    z = torch.cat([horizontal, vertical]).reshape(-1, 2)
    c = None if code is None else code.to(device).expand(len(z), -1)
    return np.ascontiguousarray(g(z, c).float().cpu().numpy().reshape(2 * lines, points, 2))
