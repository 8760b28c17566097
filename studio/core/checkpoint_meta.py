"""What lies beside each checkpoint of a run, so that a person can choose one without loading it.

Beside each checkpoint `step-N.pt` lie `step-N.json` (step, time, note, metrics, score)
and `step-N.png` (the fixed-noise samples). The sidecars are written before the
checkpoint and every file is written to a temporary name and renamed, so a process
killed at any moment leaves either a complete checkpoint or none: the listing is driven
by the `.pt` files and tolerates a missing or stale sidecar (CLI runs have none).
The score in the sidecar marks a run's best checkpoint, which pruning always keeps.
"""
from __future__ import annotations

import json
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from .atomic import write_atomic
from .checkpoints import checkpoint_name, list_checkpoints, load_generator, save_checkpoint
from .config import Config
from .coverage import generator_plane_metrics
from .noise import config_noise
from .readers import UnreadableFile, read_json_object
from .render import png_bytes
from .run import sample_picture

THUMBNAIL_SIZE = 256  # pixels, longest side
SCORE_SAMPLES = 2000  # samples from a fixed batch of noise for the modes-captured score
SCORE_SEED = 20240607  # the fixed batch's seed: the same z for every checkpoint of every run
DEFAULT_KEEP_LAST = 5  # checkpoints that pruning keeps besides the best and the noted ones


def write_json(path: Path, data: dict) -> None:
    write_atomic(path, (json.dumps(data, indent=2) + "\n").encode())


def read_json(path: Path) -> dict:
    """The object in `path`, or {} when it is missing or unreadable (a sidecar is never essential)."""
    try:
        return read_json_object(path)
    except UnreadableFile:
        return {}


def sidecar_paths(checkpoint: Path) -> tuple[Path, Path]:
    """(metadata .json, thumbnail .png) beside a checkpoint."""
    return checkpoint.with_suffix(".json"), checkpoint.with_suffix(".png")


def step_from_name(path: Path) -> int | None:
    """The step in a `step-N.pt` name; None for a name that has none."""
    try:
        return int(path.stem.split("-", 1)[1])
    except (IndexError, ValueError):
        return None


# -- scoring ---------------------------------------------------------------------
def main_metric_name(config: Config) -> str:
    """What "best" means for a run: modes captured where the data has known modes, else the latest step."""
    from .data import toy_points

    if config.is_2d and toy_points(config.data.name, 1, config.data.seed)[1] is not None:
        return "modes"
    return "step"


def score_generator(generate, config: Config) -> dict:
    """Mode metrics of `generate(z)` on a fixed batch of noise (2-D data with known modes), else {}.

    The score is (modes captured, high-quality share): more modes first, then sharper ones.
    """
    found = generator_plane_metrics(generate, config, SCORE_SAMPLES, SCORE_SEED, divergences=False)
    if "modes" not in found:
        return {}
    return {"modes": found["modes"], "total_modes": found["total_modes"], "hq": round(found["hq"], 4),
            "reverse_kl": round(found["reverse_kl"], 4), "score": [found["modes"], round(found["hq"], 4)]}


def thumbnail(config: Config, fixed_samples: np.ndarray) -> np.ndarray:
    """The run's sample picture, at most THUMBNAIL_SIZE pixels on its longest side."""
    from PIL import Image

    picture = sample_picture(config, fixed_samples)
    im = Image.fromarray(picture)
    scale = THUMBNAIL_SIZE / max(im.width, im.height)
    if scale < 1:
        im = im.resize((round(im.width * scale), round(im.height * scale)), Image.BILINEAR)
    elif scale >= 2:
        factor = int(scale)
        im = im.resize((im.width * factor, im.height * factor), Image.NEAREST)
    return np.ascontiguousarray(np.asarray(im))


def _clean_metrics(metrics: dict) -> dict:
    return {k: float(v) for k, v in (metrics or {}).items()
            if k != "step" and isinstance(v, (int, float)) and not isinstance(v, bool)}


# -- writing -----------------------------------------------------------------------
def write_sidecars(checkpoint: Path, config: Config, step: int, elapsed: float, metrics: dict,
                   fixed_samples: np.ndarray, generate, note: str = "", reason: str = "") -> dict:
    """Thumbnail and metadata of the checkpoint about to be written at `checkpoint`."""
    meta_path, png_path = sidecar_paths(checkpoint)
    write_atomic(png_path, png_bytes(thumbnail(config, fixed_samples)))
    meta = {"step": int(step), "saved_at": time.time(), "elapsed": float(elapsed), "note": note,
            "reason": reason, "metrics": _clean_metrics(metrics), "main_metric": main_metric_name(config)}
    meta.update(score_generator(generate, config))
    write_json(meta_path, meta)
    return meta


def save_trainer_checkpoint(trainer, run_dir: str | Path, note: str = "", reason: str = "") -> Path:
    """Sidecars first, then the checkpoint itself (atomically): a listed checkpoint is always complete.

    When a write fails (a full disk: atomic.WriteError) no file of this step is left behind unless a
    checkpoint of this step was already there; other checkpoints are never touched.
    """
    path = Path(run_dir) / "checkpoints" / checkpoint_name(trainer.step_count)
    try:
        write_sidecars(path, trainer.config, trainer.step_count, trainer.elapsed, trainer.last_metrics,
                       trainer.fixed_samples(), trainer.generate, note, reason)
        return save_checkpoint(trainer.state_dict(), path)
    except BaseException:
        if not path.exists():
            with suppress(OSError):  # a folder gone read-only keeps them; listings ignore orphans
                remove_sidecars(path)
        raise


def describe_checkpoint_file(path: str | Path, note: str = "", reason: str = "") -> dict:
    """Write the sidecars of a checkpoint that has none (a CLI run's, an imported file) from its G."""
    path = Path(path)
    g, config, state = load_generator(path)
    noise = state.get("fixed_noise")
    if not isinstance(noise, torch.Tensor) or noise.ndim != 2 or noise.shape[1] != config.generator.z_dim:
        noise = config_noise(config, config.train.n_fixed, torch.Generator().manual_seed(config.train.seed))

    @torch.no_grad()
    def generate(z):
        return g(z).float().numpy()

    return write_sidecars(path, config, int(state.get("step", 0)), float(state.get("elapsed", 0.0)),
                          state.get("metrics") or {}, generate(noise), generate, note, reason)


def set_note(path: str | Path, note: str) -> None:
    path = Path(path)
    meta_path, _ = sidecar_paths(path)
    meta = read_json(meta_path)
    if not meta:
        meta = {"step": step_from_name(path), "saved_at": path.stat().st_mtime, "metrics": {}}
    meta["note"] = note
    write_json(meta_path, meta)


# -- listing -----------------------------------------------------------------------
@dataclass
class CheckpointInfo:
    path: Path
    step: int
    saved_at: float
    note: str = ""
    metrics: dict = field(default_factory=dict)
    score: tuple | None = None
    thumbnail: Path | None = None
    described: bool = False  # has a sidecar (thumbnail, metrics)
    best: bool = False

    @property
    def modes(self) -> str:
        return f"{int(self.metrics['modes'])}/{int(self.metrics['total_modes'])}" \
            if "modes" in self.metrics and "total_modes" in self.metrics else ""


def list_run_checkpoints(run_dir: str | Path) -> list[CheckpointInfo]:
    """Complete checkpoints of a run, oldest first, with their sidecars; the best one is marked."""
    found = []
    for path in list_checkpoints(Path(run_dir) / "checkpoints"):
        step = step_from_name(path)
        if step is None:
            continue
        meta_path, png_path = sidecar_paths(path)
        meta = read_json(meta_path)
        if meta.get("step") != step:
            meta = {}  # a sidecar left from an older file of the same name
        try:
            try:
                found.append(_checkpoint_info(path, step, meta, png_path))
            except (TypeError, ValueError):  # a sidecar of this step with values of the wrong kind: as if missing
                found.append(_checkpoint_info(path, step, {}, png_path))
        except OSError:
            continue  # deleted while listing
    best = best_checkpoint(found)
    if best is not None:
        best.best = True
    return found


def _checkpoint_info(path: Path, step: int, meta: dict, png_path: Path) -> CheckpointInfo:
    metrics = {str(k): float(v) for k, v in dict(meta.get("metrics") or {}).items() if v is not None}
    for key in ("modes", "total_modes", "hq", "reverse_kl"):
        if meta.get(key) is not None:
            metrics[key] = float(meta[key])
    score = tuple(float(x) for x in meta["score"]) if isinstance(meta.get("score"), list) else None
    saved_at = float(meta.get("saved_at") or path.stat().st_mtime)
    return CheckpointInfo(path, step, saved_at, str(meta.get("note") or ""), metrics, score,
                          png_path if meta and png_path.is_file() else None, bool(meta))


def best_checkpoint(checkpoints: list[CheckpointInfo]) -> CheckpointInfo | None:
    """The highest score (latest among equals); the latest where none is scored."""
    if not checkpoints:
        return None
    scored = [c for c in checkpoints if c.score is not None]
    if not scored:
        return max(checkpoints, key=lambda c: c.step)
    return max(scored, key=lambda c: (c.score, c.step))


# -- removing ----------------------------------------------------------------------
def prune(run_dir: str | Path, keep_last: int) -> list[Path]:
    """Delete checkpoints beyond the last `keep_last`, keeping the best and any with a note."""
    checkpoints = list_run_checkpoints(run_dir)
    keep = {c.path for c in checkpoints[-keep_last:]} if keep_last > 0 else set()
    keep |= {c.path for c in checkpoints if c.best or c.note}
    removed = []
    for info in checkpoints:
        if info.path not in keep:
            delete_checkpoint(info.path)
            removed.append(info.path)
    return removed


def delete_checkpoint(path: str | Path) -> None:
    """The checkpoint first (so it stops being listed), then its sidecars."""
    path = Path(path)
    path.unlink(missing_ok=True)
    remove_sidecars(path)


def remove_sidecars(checkpoint: Path) -> None:
    for side in sidecar_paths(checkpoint):
        side.unlink(missing_ok=True)
