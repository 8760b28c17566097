"""Exports of a run directory: metrics as CSV, the sample history as an animated GIF (or MP4)."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

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


def sample_history(run: RunDirectory, path: str | Path, fps: float = 4.0) -> Path:
    """The run's sample images in step order as an animation (.gif, or .mp4 where imageio has ffmpeg)."""
    import imageio.v3 as iio
    from PIL import Image

    files = sorted(run.samples_dir.glob("step-*.png"))
    if not files:
        raise FileNotFoundError(f"no sample images in {run.samples_dir}")
    frames = []
    for f in files:
        with Image.open(f) as im:
            frames.append(np.asarray(im.convert("RGB")))
    path = Path(path)
    if path.suffix == ".gif":
        iio.imwrite(path, np.stack(frames), duration=int(1000 / fps), loop=0)
    else:
        iio.imwrite(path, np.stack(frames), fps=fps)
    return path
