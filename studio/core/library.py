"""The run library: a folder of run directories, and the checkpoints of each run with what a
person needs to choose one (a thumbnail of samples, step, time, note, metrics).

Beside each checkpoint `step-N.pt` lie `step-N.json` (step, time, note, metrics, score)
and `step-N.png` (the fixed-noise samples). The sidecars are written before the
checkpoint and every file is written to a temporary name and renamed, so a process
killed at any moment leaves either a complete checkpoint or none: the listing is driven
by the `.pt` files and tolerates a missing or stale sidecar (CLI runs have none).

A run's own `run.json` records where it came from (a parent checkpoint for a branch,
the file for an import). The library's `library.json` holds its settings (keep-last K)
and the run folders outside it that were added to it (CLI `--out` directories).
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from .atomic import write_atomic
from .checkpoints import (CheckpointError, checkpoint_config, checkpoint_name, list_checkpoints, load_checkpoint,
                          save_checkpoint)
from .config import Config
from .coverage import mode_metrics
from .run import RunDirectory, sample_picture

THUMBNAIL_SIZE = 256  # pixels, longest side
SCORE_SAMPLES = 2000  # samples from a fixed batch of noise for the modes-captured score
SCORE_SEED = 20240607  # the fixed batch's seed: the same z for every checkpoint of every run
DEFAULT_KEEP_LAST = 5
RUN_META = "run.json"
LIBRARY_META = "library.json"


def write_json(path: Path, data: dict) -> None:
    write_atomic(path, (json.dumps(data, indent=2) + "\n").encode())


def read_json(path: Path) -> dict:
    """The object in `path`, or {} when it is missing or unreadable (a sidecar is never essential)."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def sidecar_paths(checkpoint: Path) -> tuple[Path, Path]:
    """(metadata .json, thumbnail .png) beside a checkpoint."""
    return checkpoint.with_suffix(".json"), checkpoint.with_suffix(".png")


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
    from .data import toy_points

    if not config.is_2d:
        return {}
    _, centres, sigma = toy_points(config.data.name, 1, config.data.seed)
    if centres is None:
        return {}
    z = torch.randn(SCORE_SAMPLES, config.generator.z_dim, generator=torch.Generator().manual_seed(SCORE_SEED))
    found = mode_metrics(generate(z), centres, sigma)
    return {"modes": found["modes"], "total_modes": len(centres), "hq": round(found["hq"], 4),
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


def _png_bytes(picture: np.ndarray) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(picture).save(buffer, format="PNG")
    return buffer.getvalue()


def _clean_metrics(metrics: dict) -> dict:
    return {k: float(v) for k, v in (metrics or {}).items()
            if k != "step" and isinstance(v, (int, float)) and not isinstance(v, bool)}


def write_sidecars(checkpoint: Path, config: Config, step: int, elapsed: float, metrics: dict,
                   fixed_samples: np.ndarray, generate, note: str = "", reason: str = "") -> dict:
    """Thumbnail and metadata of the checkpoint about to be written at `checkpoint`."""
    meta_path, png_path = sidecar_paths(checkpoint)
    write_atomic(png_path, _png_bytes(thumbnail(config, fixed_samples)))
    meta = {"step": int(step), "saved_at": time.time(), "elapsed": float(elapsed), "note": note,
            "reason": reason, "metrics": _clean_metrics(metrics), "main_metric": main_metric_name(config)}
    meta.update(score_generator(generate, config))
    write_json(meta_path, meta)
    return meta


def save_trainer_checkpoint(trainer, run_dir: str | Path, note: str = "", reason: str = "") -> Path:
    """Sidecars first, then the checkpoint itself (atomically): a listed checkpoint is always complete."""
    path = Path(run_dir) / "checkpoints" / checkpoint_name(trainer.step_count)
    write_sidecars(path, trainer.config, trainer.step_count, trainer.elapsed, trainer.last_metrics,
                   trainer.fixed_samples(), trainer.generate, note, reason)
    return save_checkpoint(trainer.state_dict(), path)


def describe_checkpoint_file(path: str | Path, note: str = "", reason: str = "") -> dict:
    """Write the sidecars of a checkpoint that has none (a CLI run's, an imported file) from its G."""
    from .checkpoints import load_generator

    path = Path(path)
    g, config, state = load_generator(path)
    noise = state.get("fixed_noise")
    if not isinstance(noise, torch.Tensor) or noise.ndim != 2 or noise.shape[1] != config.generator.z_dim:
        noise = torch.randn(config.train.n_fixed, config.generator.z_dim,
                            generator=torch.Generator().manual_seed(config.train.seed))

    @torch.no_grad()
    def generate(z):
        return g(z).float().numpy()

    return write_sidecars(path, config, int(state.get("step", 0)), float(state.get("elapsed", 0.0)),
                          state.get("metrics") or {}, generate(noise), generate, note, reason)


def _mismatch(path, exc: Exception) -> CheckpointError:
    lines = str(exc).strip().splitlines()
    return CheckpointError(f"{path} does not fit these settings (another architecture or format): "
                           f"{' '.join(lines[:2])[:300]}")


def check_checkpoint(path: str | Path, config: Config | None = None) -> tuple[dict, Config]:
    """(state, config) of a checkpoint whose G and D fit `config` (its own by default), before a run uses it."""
    from .models import build_models

    state = load_checkpoint(path)
    config = config or checkpoint_config(state, path)
    g, d = build_models(config)
    try:
        g.load_state_dict(state["generator"])
        d.load_state_dict(state["discriminator"])
        int(state["step"])
    except (RuntimeError, KeyError, ValueError, TypeError) as exc:
        raise _mismatch(path, exc) from None
    return state, config


def restore_state(trainer, state: dict, path: str | Path = "checkpoint"):
    """`trainer` with the checkpoint's weights, optimiser, step, elapsed time and RNG states.

    The optimisers' learning rates and betas come from the trainer's config, not the file,
    so that a branch with edited settings trains with them.
    """
    try:
        trainer.load_state_dict(state)
    except (RuntimeError, KeyError, ValueError, TypeError) as exc:
        raise _mismatch(path, exc) from None
    trainer.apply_live(trainer.config)
    return trainer


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


@dataclass
class RunInfo:
    path: Path
    name: str
    created: float
    checkpoints: int
    last_step: int
    data: str = ""
    parent: dict | None = None
    linked: bool = False  # outside the library folder, added to it


def _step_from_name(path: Path) -> int | None:
    try:
        return int(path.stem.split("-", 1)[1])
    except (IndexError, ValueError):
        return None


def list_run_checkpoints(run_dir: str | Path) -> list[CheckpointInfo]:
    """Complete checkpoints of a run, oldest first, with their sidecars; the best one is marked."""
    found = []
    for path in list_checkpoints(Path(run_dir) / "checkpoints"):
        step = _step_from_name(path)
        if step is None:
            continue
        meta_path, png_path = sidecar_paths(path)
        meta = read_json(meta_path)
        if meta.get("step") != step:
            meta = {}  # a sidecar left from an older file of the same name
        metrics = dict(meta.get("metrics") or {})
        for key in ("modes", "total_modes", "hq", "reverse_kl"):
            if key in meta:
                metrics[key] = meta[key]
        score = tuple(meta["score"]) if isinstance(meta.get("score"), list) else None
        try:
            saved_at = float(meta.get("saved_at") or path.stat().st_mtime)
        except OSError:
            continue  # deleted while listing
        found.append(CheckpointInfo(path, step, saved_at, str(meta.get("note") or ""), metrics, score,
                                    png_path if meta and png_path.is_file() else None, bool(meta)))
    best = best_checkpoint(found)
    if best is not None:
        best.best = True
    return found


def best_checkpoint(checkpoints: list[CheckpointInfo]) -> CheckpointInfo | None:
    """The highest score (latest among equals); the latest where none is scored."""
    if not checkpoints:
        return None
    scored = [c for c in checkpoints if c.score is not None]
    if not scored:
        return max(checkpoints, key=lambda c: c.step)
    return max(scored, key=lambda c: (c.score, c.step))


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
    for side in sidecar_paths(path):
        side.unlink(missing_ok=True)


def set_note(path: str | Path, note: str) -> None:
    path = Path(path)
    meta_path, _ = sidecar_paths(path)
    meta = read_json(meta_path)
    if not meta:
        meta = {"step": _step_from_name(path), "saved_at": path.stat().st_mtime, "metrics": {}}
    meta["note"] = note
    write_json(meta_path, meta)


def read_run_meta(run_dir: str | Path) -> dict:
    return read_json(Path(run_dir) / RUN_META)


def run_config(run_dir: str | Path) -> Config | None:
    """The run's config.json, or that of its latest checkpoint when config.json is unreadable."""
    from .config import ConfigError

    run_dir = Path(run_dir)
    try:
        return Config.load(run_dir / "config.json")
    except ConfigError:
        pass
    for path in reversed(list_checkpoints(run_dir / "checkpoints")):
        try:
            return checkpoint_config(load_checkpoint(path), path)
        except CheckpointError:
            continue
    return None


def is_run_dir(path: Path) -> bool:
    return path.is_dir() and ((path / "checkpoints").is_dir() or (path / "config.json").is_file())


class RunLibrary:
    """A folder of run directories plus linked run folders elsewhere; its settings in library.json."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    # -- settings --------------------------------------------------------------
    @property
    def meta_path(self) -> Path:
        return self.root / LIBRARY_META

    def _meta(self) -> dict:
        return read_json(self.meta_path)

    def _write_meta(self, meta: dict) -> None:
        write_json(self.meta_path, meta)

    @property
    def keep_last(self) -> int:
        value = self._meta().get("keep_last", DEFAULT_KEEP_LAST)
        return value if isinstance(value, int) and value >= 1 else DEFAULT_KEEP_LAST

    def set_keep_last(self, k: int) -> None:
        if k < 1:
            raise ValueError(f"keep-last must be >= 1, got {k}")
        self._write_meta({**self._meta(), "keep_last": int(k)})

    def linked(self) -> list[Path]:
        return [Path(p) for p in self._meta().get("linked", []) if isinstance(p, str)]

    def add_run(self, run_dir: str | Path) -> Path:
        """Make a run folder (a CLI `--out`) part of the library; one inside it is already listed."""
        run_dir = Path(run_dir).resolve()
        if not is_run_dir(run_dir):
            raise FileNotFoundError(f"{run_dir} is not a run directory (no checkpoints/ or config.json)")
        if run_dir.parent != self.root.resolve() and run_dir not in self.linked():
            meta = self._meta()
            self._write_meta({**meta, "linked": [*meta.get("linked", []), str(run_dir)]})
        return run_dir

    def remove_link(self, run_dir: str | Path) -> None:
        meta = self._meta()
        meta["linked"] = [p for p in meta.get("linked", []) if Path(p) != Path(run_dir).resolve()]
        self._write_meta(meta)

    # -- listing ----------------------------------------------------------------
    def run_dirs(self) -> list[Path]:
        own = sorted(p for p in self.root.iterdir() if is_run_dir(p)) if self.root.is_dir() else []
        return own + [p for p in self.linked() if is_run_dir(p) and p not in own]

    def runs(self) -> list[RunInfo]:
        """Every run, newest first."""
        runs = []
        linked = set(self.linked())
        for path in self.run_dirs():
            meta = read_run_meta(path)
            steps = [s for s in (_step_from_name(p) for p in list_checkpoints(path / "checkpoints")) if s is not None]
            data = read_json(path / "config.json").get("data", {})
            try:
                created = float(meta.get("created") or path.stat().st_mtime)
            except OSError:
                continue
            runs.append(RunInfo(path, path.name, created, len(steps), max(steps, default=0),
                                data.get("name", "") if isinstance(data, dict) else "", meta.get("parent"),
                                path in linked))
        return sorted(runs, key=lambda r: r.created, reverse=True)

    # -- new runs -----------------------------------------------------------------
    def new_run_dir(self, name: str) -> Path:
        base = self.root / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}"
        path, n = base, 2
        while path.exists():
            path, n = Path(f"{base}-{n}"), n + 1
        return path

    def create_branch(self, checkpoint: str | Path, config: Config, name: str = "") -> Path:
        """A new run that starts from `checkpoint` with `config`: its history up to the step, its parent recorded."""
        checkpoint = Path(checkpoint)
        state = load_checkpoint(checkpoint)
        step = int(state.get("step", 0))
        parent_run = checkpoint.resolve().parent.parent
        target = self.new_run_dir(name or f"{parent_run.name}-branch")
        run = RunDirectory(target)
        history = RunDirectory(parent_run).read_metrics()
        run.start(config)
        write_atomic(run.metrics_path, "".join(json.dumps(r) + "\n" for r in history
                                               if r.get("step", 0) <= step).encode())
        write_json(target / RUN_META, {"created": time.time(), "parent": {
            "run": str(parent_run), "checkpoint": str(checkpoint.resolve()), "step": step}})
        return target

    def import_checkpoint(self, source: str | Path) -> Path:
        """Copy a checkpoint file (checked first: it is never executed) into a new run of the library."""
        source = Path(source)
        state = load_checkpoint(source)
        config = checkpoint_config(state, source)
        step = int(state.get("step", 0))
        target = self.new_run_dir(f"imported-{source.stem}")
        RunDirectory(target).start(config, keep_up_to_step=0)
        write_json(target / RUN_META, {"created": time.time(), "imported_from": str(source.resolve())})
        dest = save_checkpoint({k: v for k, v in state.items() if k not in ("format", "version")},
                               target / "checkpoints" / checkpoint_name(step))
        describe_checkpoint_file(dest, note=f"imported from {source.name}", reason="import")
        return target


def export_checkpoint(path: str | Path, dest: str | Path) -> Path:
    """A copy of the checkpoint file (written atomically) wherever the user chose."""
    path, dest = Path(path), Path(dest)
    write_atomic(dest, path.read_bytes())
    return dest
