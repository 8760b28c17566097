"""Exports of a run directory: metrics as CSV, the sample history as an animated GIF (or MP4),
a checkpoint file copied wherever the user chose."""
from __future__ import annotations

import csv
import importlib.util
import io
import warnings
from pathlib import Path

import numpy as np

from .atomic import write_atomic
from .live_events import metric_rows
from .readers import SkippedContent, UnreadableFile, open_image, skipped_files_note
from .run import RunDirectory


def metrics_csv(run: RunDirectory, path: str | Path) -> Path:
    """One row per logged step, one column per metric (empty where a row lacks it); live edits are not rows."""
    rows = metric_rows(run.read_metrics())
    columns = list(dict.fromkeys(k for row in rows for k in row))
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(path, text.getvalue())  # a full disk leaves the old file or none, never part of a table
    return Path(path)


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
    if suffix == ".gif":
        data = iio.imwrite("<bytes>", frames, extension=".gif", duration=int(1000 / fps), loop=0)
    else:
        if frames.ndim == 3:
            frames = np.repeat(frames[..., None], 3, axis=-1)
        frames = frames[:, :frames.shape[1] // 2 * 2, :frames.shape[2] // 2 * 2]  # yuv420 needs even sides
        data = iio.imwrite("<bytes>", frames, extension=".mp4", fps=fps)
    write_atomic(path, data)  # encoded in memory first: a full disk leaves no half animation
    return path


def sample_history(run: RunDirectory, path: str | Path, fps: float = 4.0) -> Path:
    """The run's sample images in step order as an animation (.gif or .mp4). Pictures that cannot be
    read, or differ in size from the newest (a resume with other settings), are skipped with a
    SkippedContent warning."""
    files = sorted(run.samples_dir.glob("step-*.png"))
    if not files:
        raise FileNotFoundError(f"no sample images in {run.samples_dir}")
    frames, skipped = [], []
    for f in files:
        try:
            frames.append((f, np.asarray(open_image(f, "RGB"))))
        except UnreadableFile as exc:
            skipped.append(exc)
    if not frames:
        raise FileNotFoundError(f"no readable sample images in {run.samples_dir}: "
                                f"{skipped_files_note(run.samples_dir, skipped, 'sample image')}")
    shape = frames[-1][1].shape
    skipped += [UnreadableFile(f, f"{a.shape[1]}×{a.shape[0]} pixels, unlike the newest's {shape[1]}×{shape[0]}")
                for f, a in frames if a.shape != shape]
    if skipped:
        warnings.warn(skipped_files_note(run.samples_dir, skipped, "sample image"), SkippedContent, stacklevel=2)
    return write_animation([a for _, a in frames if a.shape == shape], path, fps)


def export_checkpoint(path: str | Path, dest: str | Path) -> Path:
    """A copy of the checkpoint file (written atomically): a reader never sees half of it."""
    path, dest = Path(path), Path(dest)
    write_atomic(dest, path.read_bytes())
    return dest
