"""An offline set of handwritten-looking digits, generated from a seed.

Each digit is a few pen strokes (polylines and arcs in a unit box). A sample
draws them through a random affine map with a random pen width, renders the
distance to the strokes as anti-aliased ink, and bends the result with a
smooth random displacement field (elastic distortion, Simard et al. 2003).
No fonts or downloads are involved, so the set is the same on every machine.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

SIZE = 28


def _arc(cx, cy, rx, ry, start_deg, end_deg, n=10):
    t = np.radians(np.linspace(start_deg, end_deg, n))
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], 1)


def _line(*points):
    return np.array(points, dtype=np.float64)


# Strokes in a unit box, x to the right, y downwards; angles in degrees, 0° = right, 90° = down.
STROKES: dict[int, list[np.ndarray]] = {
    0: [_arc(0.5, 0.5, 0.26, 0.38, 0, 360, 20)],
    1: [_line((0.36, 0.24), (0.54, 0.1), (0.54, 0.9))],
    2: [np.concatenate([_arc(0.5, 0.32, 0.24, 0.2, 190, 380), _line((0.7, 0.48), (0.26, 0.9), (0.78, 0.9))])],
    3: [_arc(0.48, 0.3, 0.22, 0.19, 200, 450), _arc(0.48, 0.68, 0.25, 0.21, 270, 520)],
    4: [_line((0.64, 0.9), (0.64, 0.1), (0.2, 0.64), (0.8, 0.64))],
    5: [np.concatenate([_line((0.74, 0.1), (0.32, 0.1), (0.29, 0.45)), _arc(0.48, 0.64, 0.25, 0.24, 225, 495)])],
    6: [np.concatenate([_arc(0.7, 0.62, 0.42, 0.52, 250, 180, 10), _arc(0.5, 0.67, 0.22, 0.22, 180, 540, 16)])],
    7: [_line((0.22, 0.1), (0.78, 0.1), (0.4, 0.9))],
    8: [_arc(0.5, 0.3, 0.19, 0.19, 0, 360, 14), _arc(0.5, 0.69, 0.23, 0.21, 0, 360, 16)],
    9: [np.concatenate([_arc(0.5, 0.33, 0.21, 0.21, 0, 360, 16), _line((0.71, 0.33), (0.6, 0.9))])],
}


def _segments(strokes: list[np.ndarray]) -> np.ndarray:
    """S×4 array of (x0, y0, x1, y1) for every segment of a digit's strokes."""
    return np.concatenate([np.concatenate([s[:-1], s[1:]], 1) for s in strokes])


SEGMENTS = {d: _segments(s) for d, s in STROKES.items()}


def _random_affine(rng: np.random.Generator, n: int) -> np.ndarray:
    """n×2×3 maps in unit-box coordinates: rotation, shear, anisotropic scale, shift."""
    rot = np.radians(rng.uniform(-10, 10, n))
    shear = rng.uniform(-0.25, 0.25, n)
    sx, sy = rng.uniform(0.75, 1.05, n), rng.uniform(0.8, 1.05, n)
    cos, sin = np.cos(rot), np.sin(rot)
    a = np.empty((n, 2, 2))
    a[:, 0, 0], a[:, 0, 1] = sx * cos, sx * (shear * cos - sin)
    a[:, 1, 0], a[:, 1, 1] = sy * sin, sy * (shear * sin + cos)
    shift = rng.uniform(-0.06, 0.06, (n, 2))
    return np.concatenate([a, shift[:, :, None]], 2)


def _render(segments: np.ndarray, pen: np.ndarray) -> np.ndarray:
    """Anti-aliased ink, n×SIZE×SIZE in [0, 1], for n digits of S segments each (n×S×4)."""
    seg = torch.from_numpy(segments).float()  # n×S×4, in pixels
    pix = (torch.arange(SIZE, dtype=torch.float32) + 0.5)
    py, px = torch.meshgrid(pix, pix, indexing="ij")
    p = torch.stack([px.reshape(-1), py.reshape(-1)], 1)  # P×2
    a, b = seg[:, :, None, :2], seg[:, :, None, 2:]  # n×S×1×2
    ab = b - a
    ap = p[None, None] - a  # n×S×P×2
    t = ((ap * ab).sum(-1) / (ab * ab).sum(-1).clamp_min(1e-9)).clamp(0, 1)
    dist = (ap - t[..., None] * ab).norm(dim=-1).amin(1)  # n×P
    ink = (torch.from_numpy(pen).float()[:, None] - dist + 0.5).clamp(0, 1)
    return ink.reshape(-1, SIZE, SIZE).numpy()


def _elastic(images: np.ndarray, rng: np.random.Generator, alpha: float = 1.0, sigma: float = 5.0) -> np.ndarray:
    """Bend each image by a Gaussian-smoothed random field of about `alpha` pixels."""
    n = len(images)
    field = torch.from_numpy(rng.uniform(-1, 1, (n, 2, SIZE, SIZE))).float()
    radius = int(3 * sigma)
    k = torch.exp(-torch.arange(-radius, radius + 1).float() ** 2 / (2 * sigma ** 2))
    k = k / k.sum()
    field = F.conv2d(field.reshape(-1, 1, SIZE, SIZE), k.view(1, 1, 1, -1), padding=(0, radius))
    field = F.conv2d(field, k.view(1, 1, -1, 1), padding=(radius, 0)).reshape(n, 2, SIZE, SIZE)
    field = field / field.flatten(1).std(1).clamp_min(1e-6)[:, None, None, None] * alpha
    base = torch.linspace(-1, 1, SIZE)
    gy, gx = torch.meshgrid(base, base, indexing="ij")
    grid = torch.stack([gx, gy], -1)[None] + field.permute(0, 2, 3, 1) * (2 / SIZE)
    out = F.grid_sample(torch.from_numpy(images)[:, None], grid, align_corners=True, padding_mode="zeros")
    return out[:, 0].numpy()


def render_digits(n: int, seed: int = 0, chunk: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """(uint8 images n×28×28, int64 labels n): balanced classes, same output for the same seed."""
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % 10).astype(np.int64)
    affine = _random_affine(rng, n)
    pen = rng.uniform(0.7, 1.9, n)  # half-width in pixels: thin to bold strokes
    ink = np.empty((n, SIZE, SIZE), dtype=np.float32)
    margin = 4  # MNIST digits sit in a 20×20 box centred in 28×28
    for digit, segments in SEGMENTS.items():
        for idx in np.array_split(np.flatnonzero(labels == digit), max(1, n // (10 * chunk))):
            pts = segments.reshape(1, -1, 2) - 0.5
            pts = np.einsum("nij,nkj->nki", affine[idx, :, :2], pts) + affine[idx, None, :, 2] + 0.5
            pts = margin + pts * (SIZE - 2 * margin)
            ink[idx] = _render(pts.reshape(len(idx), -1, 4), pen[idx])
    for start in range(0, n, chunk):
        ink[start:start + chunk] = _elastic(ink[start:start + chunk], rng)
    return np.clip(ink * 255 + 0.5, 0, 255).astype(np.uint8), labels
