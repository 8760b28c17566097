"""The replay timeline: a ring of recent sample frames, drawn as pictures and exported as an animation."""
from __future__ import annotations

from collections import deque
from pathlib import Path

import numpy as np

from .export import write_animation
from .render import CENTRE_RGB, FAKE_RGB, REAL_RGB


class SnapshotRing:
    """The last `capacity` sample frames; the oldest is dropped when full."""

    def __init__(self, capacity: int = 300):
        self.capacity = int(capacity)
        self._frames: deque[dict] = deque(maxlen=self.capacity)

    def append(self, frame: dict) -> None:
        self._frames.append(frame)

    def clear(self) -> None:
        self._frames.clear()

    def __len__(self) -> int:
        return len(self._frames)

    def __getitem__(self, index: int) -> dict:
        return self._frames[index]

    def frames(self) -> list[dict]:
        return list(self._frames)

    def steps(self) -> list[int]:
        return [int(f.get("step", 0)) for f in self._frames]


# --- pictures ----------------------------------------------------------------
_HEAT_STOPS = np.array([[244, 183, 178], [255, 255, 255], [179, 207, 247]], np.float64)  # as the window


def _heat_rgb(heatmap: np.ndarray, size: int) -> np.ndarray:
    """D's uint8 heatmap (row 0 = lowest y) → size×size RGB, red (fake) … white … blue (real)."""
    t = heatmap.astype(np.float64) / 255.0
    low = _HEAT_STOPS[0] + (_HEAT_STOPS[1] - _HEAT_STOPS[0]) * np.clip(t * 2, 0, 1)[..., None]
    high = _HEAT_STOPS[1] + (_HEAT_STOPS[2] - _HEAT_STOPS[1]) * np.clip(t * 2 - 1, 0, 1)[..., None]
    rgb = np.where((t < 0.5)[..., None], low, high)[::-1]  # row 0 = top
    idx = np.arange(size) * heatmap.shape[0] // size
    return rgb[idx][:, idx].astype(np.uint8)


def _dots(img: np.ndarray, points: np.ndarray, extent: float, colour, radius: int) -> None:
    size = img.shape[0]
    xy = (np.asarray(points, np.float64) + extent) / (2 * extent) * (size - 1)
    px, py = np.round(xy[:, 0]).astype(int), np.round(size - 1 - xy[:, 1]).astype(int)
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            if dx * dx + dy * dy > radius * radius + 1:
                continue
            x, y = px + dx, py + dy
            ok = (x >= 0) & (x < size) & (y >= 0) & (y < size)
            img[y[ok], x[ok]] = colour


def _label(img: np.ndarray, text: str) -> np.ndarray:
    """A band above the picture with `text` in large type (readable in a replay on a projector)."""
    from PIL import Image, ImageDraw, ImageFont

    band = max(28, img.shape[1] // 14)
    canvas = Image.new("RGB", (img.shape[1], img.shape[0] + band), (255, 255, 255))
    canvas.paste(Image.fromarray(img), (0, band))
    draw = ImageDraw.Draw(canvas)
    try:
        font = ImageFont.load_default(size=int(band * 0.7))
    except TypeError:  # Pillow < 10.1: a fixed small font
        font = ImageFont.load_default()
    draw.text((8, band * 0.12), text, fill=(20, 20, 20), font=font)
    return np.asarray(canvas)


def render_snapshot(frame: dict, real: np.ndarray | None = None, centres: np.ndarray | None = None,
                    size: int = 480, title: str = "") -> np.ndarray:
    """One frame as an RGB uint8 picture with its step written above it.

    A 2-D ("plane") frame: D's heatmap, the real points (blue), the mode centres (rings) and
    the generated points (red). An image frame: its grid, enlarged by whole pixels.
    """
    step = int(frame.get("step", 0))
    if frame.get("kind") == "plane":
        extent = float(frame["extent"])
        img = _heat_rgb(frame["heatmap"], size) if "heatmap" in frame else \
            np.full((size, size, 3), 255, np.uint8)
        if real is not None:
            _dots(img, real, extent, REAL_RGB, 1)
        if centres is not None:
            for radius in (9, 10):
                ring = np.stack([np.cos(np.linspace(0, 2 * np.pi, 64)), np.sin(np.linspace(0, 2 * np.pi, 64))], 1)
                pts = centres[:, None, :] + ring[None] * radius * 2 * extent / size
                _dots(img, pts.reshape(-1, 2), extent, CENTRE_RGB, 0)
        _dots(img, frame["fake"], extent, FAKE_RGB, 2)
    else:
        grid = np.asarray(frame["grid"])
        rgb = np.repeat(grid[..., None], 3, axis=2) if grid.ndim == 2 else grid
        scale = max(1, size // max(rgb.shape[:2]))
        img = np.ascontiguousarray(np.repeat(np.repeat(rgb, scale, 0), scale, 1))
    return _label(img, f"{title}  step {step:,}".strip())


def export_replay(frames: list[dict], path: str | Path, fps: float = 8.0, real: np.ndarray | None = None,
                  centres: np.ndarray | None = None, size: int = 480, title: str = "") -> Path:
    """Write the frames as an animated GIF (looping) or an MP4; returns the path written."""
    if Path(path).suffix.lower() not in (".gif", ".mp4"):
        raise ValueError(f"replay must be saved as .gif or .mp4, got {Path(path).name!r}")
    if not frames:
        raise ValueError("no snapshots to export yet: train for a moment first")
    pictures = [render_snapshot(f, real, centres, size, title) for f in frames]
    shape = pictures[0].shape
    return write_animation([p for p in pictures if p.shape == shape], path, fps)  # a run's frames share a shape
