"""Exports of a run directory: metrics as CSV, the sample history as an animated GIF (or MP4),
a checkpoint file copied wherever the user chose."""
from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import numpy as np

from .atomic import write_atomic
from .run import RunDirectory


def metrics_csv(run: RunDirectory, path: str | Path) -> Path:
    """One row per logged step, one column per metric (empty where a row lacks it)."""
    rows = run.read_metrics()
    columns = list(dict.fromkeys(k for row in rows for k in row))
    path = Path(path)
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def mp4_available() -> bool:
    """MP4 needs an ffmpeg plugin for imageio (imageio-ffmpeg, a dependency, or PyAV); GIF needs only Pillow."""
    return any(importlib.util.find_spec(name) is not None for name in ("imageio_ffmpeg", "av"))


def write_animation(pictures: list[np.ndarray], path: str | Path, fps: float) -> Path:
    """uint8 pictures of one shape (H×W or H×W×3) as a looping .gif or an .mp4."""
    import imageio.v3 as iio

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".gif", ".mp4"):
        raise ValueError(f"animations are saved as .gif or .mp4, got {path.name!r}")
    if suffix == ".mp4" and not mp4_available():
        raise ValueError("MP4 export needs imageio-ffmpeg or PyAV, which are not installed; save a .gif")
    frames = np.stack(pictures).astype(np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".gif":
        iio.imwrite(path, frames, extension=".gif", duration=int(1000 / fps), loop=0)
    else:
        if frames.ndim == 3:
            frames = np.repeat(frames[..., None], 3, axis=-1)
        frames = frames[:, :frames.shape[1] // 2 * 2, :frames.shape[2] // 2 * 2]  # yuv420 needs even sides
        iio.imwrite(path, frames, extension=".mp4", fps=fps)
    return path


def sample_history(run: RunDirectory, path: str | Path, fps: float = 4.0) -> Path:
    """The run's sample images in step order as an animation (.gif or .mp4)."""
    from PIL import Image

    files = sorted(run.samples_dir.glob("step-*.png"))
    if not files:
        raise FileNotFoundError(f"no sample images in {run.samples_dir}")
    frames = []
    for f in files:
        with Image.open(f) as im:
            frames.append(np.asarray(im.convert("RGB")))
    return write_animation(frames, path, fps)


def export_checkpoint(path: str | Path, dest: str | Path) -> Path:
    """A copy of the checkpoint file (written atomically): a reader never sees half of it."""
    path, dest = Path(path), Path(dest)
    write_atomic(dest, path.read_bytes())
    return dest
