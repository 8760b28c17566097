"""Samples as pictures: image grids and 2-D scatters as uint8 arrays, and PNG files.

The window shows the same arrays that the CLI writes, so both draw with this module.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from .atomic import write_atomic

REAL_RGB = (66, 133, 244)  # blue
FAKE_RGB = (234, 67, 53)  # red
CENTRE_RGB = (20, 20, 20)


def image_grid(images: np.ndarray, ncol: int | None = None, pad: int = 2) -> np.ndarray:
    """N×C×H×W floats in [-1, 1] → one uint8 picture, H'×W' (C=1) or H'×W'×3, C-contiguous."""
    n, c, h, w = images.shape
    ncol = ncol or math.ceil(math.sqrt(n))
    nrow = math.ceil(n / ncol)
    grid = np.zeros((nrow * (h + pad) + pad, ncol * (w + pad) + pad, c), dtype=np.uint8)
    pixels = np.clip((images + 1.0) * 127.5 + 0.5, 0, 255).astype(np.uint8).transpose(0, 2, 3, 1)
    for i in range(n):
        r, col = divmod(i, ncol)
        y, x = pad + r * (h + pad), pad + col * (w + pad)
        grid[y:y + h, x:x + w] = pixels[i]
    return np.ascontiguousarray(grid[..., 0] if c == 1 else grid)


def grid_scale(side: int) -> int:
    """How many screen pixels a grid's image pixel takes in a saved PNG: 28- and 32-pixel images ×3, so
    digits read; 64-pixel ones ×1, so 64 of them stay a 530-pixel picture rather than 1590."""
    return max(1, round(84 / side))


def scatter_image(real: np.ndarray, fake: np.ndarray, extent: float, centres: np.ndarray | None = None,
                  size: int = 512) -> np.ndarray:
    """Real (blue) and generated (red) points on a white square of ±extent, mode centres as crosses."""
    img = np.full((size, size, 3), 255, dtype=np.uint8)

    def to_pixels(points: np.ndarray) -> np.ndarray:
        points = np.asarray(points, np.float64)
        points = points[np.isfinite(points).all(1)]  # a diverging G's NaN points are not drawn
        xy = (points + extent) / (2 * extent) * (size - 1)
        xy[:, 1] = size - 1 - xy[:, 1]
        return np.round(xy).astype(int)

    mid = size // 2
    img[mid, :] = img[:, mid] = 225
    for points, colour, radius in ((real, REAL_RGB, 1), (fake, FAKE_RGB, 2)):
        px = to_pixels(points)
        for dy in range(-radius, radius + 1):
            for dx in range(-radius, radius + 1):
                x, y = px[:, 0] + dx, px[:, 1] + dy
                ok = (x >= 0) & (x < size) & (y >= 0) & (y < size)
                img[y[ok], x[ok]] = colour
    if centres is not None:
        for x, y in to_pixels(centres):
            for d in range(-6, 7):
                for px, py in ((x + d, y), (x, y + d)):
                    if 0 <= px < size and 0 <= py < size:
                        img[py, px] = CENTRE_RGB
    return img


def png_bytes(picture: np.ndarray, scale: int = 1) -> bytes:
    """A uint8 picture encoded as PNG, each pixel `scale`×`scale`."""
    import io

    from PIL import Image

    im = Image.fromarray(picture)
    if scale > 1:
        im = im.resize((im.width * scale, im.height * scale), Image.NEAREST)
    buffer = io.BytesIO()
    im.save(buffer, format="PNG")
    return buffer.getvalue()


def save_png(picture: np.ndarray, path: str | Path, scale: int = 1) -> Path:
    """Encoded in memory, then written atomically: a full disk leaves the old file or none, never half
    a picture (raises atomic.WriteError naming `path`)."""
    write_atomic(path, png_bytes(picture, scale))
    return Path(path)
