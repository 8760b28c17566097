"""The run library: a folder of run directories, each with its checkpoints, plus run folders
elsewhere that were added to it (CLI `--out` directories).

A run's own `run.json` records where it came from (a parent checkpoint for a branch,
the file for an import). The library's `library.json` holds its settings (keep-last K)
and the linked run folders. What lies beside each checkpoint is in checkpoint_meta.
"""
from __future__ import annotations

import json
import math
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .atomic import write_atomic
from .checkpoint_meta import DEFAULT_KEEP_LAST, describe_checkpoint_file, read_json, step_from_name, write_json
from .checkpoints import CheckpointError, checkpoint_config, checkpoint_name, list_checkpoints, load_checkpoint, \
    save_checkpoint
from .config import Config, ConfigError
from .run import RunDirectory

RUN_META = "run.json"
LIBRARY_META = "library.json"


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


def read_run_meta(run_dir: str | Path) -> dict:
    return read_json(Path(run_dir) / RUN_META)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _parent(meta: dict) -> dict | None:
    """run.json's record of the checkpoint a branch started from, when it has the fields the library shows."""
    parent = meta.get("parent")
    if not isinstance(parent, dict) or not isinstance(parent.get("run"), str) or \
            not isinstance(parent.get("step", 0), int):
        return None
    return parent


def run_config(run_dir: str | Path) -> Config | None:
    """The run's config.json, or that of its latest checkpoint when config.json is unreadable."""
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
        linked = self._meta().get("linked")
        return [Path(p) for p in linked if isinstance(p, str)] if isinstance(linked, list) else []

    def add_run(self, run_dir: str | Path) -> Path:
        """Make a run folder (a CLI `--out`) part of the library; one inside it is already listed."""
        run_dir = Path(run_dir).resolve()
        if not is_run_dir(run_dir):
            raise FileNotFoundError(f"{run_dir} is not a run directory (no checkpoints/ or config.json)")
        if run_dir.parent != self.root.resolve() and run_dir not in self.linked():
            self._write_meta({**self._meta(), "linked": [*map(str, self.linked()), str(run_dir)]})
        return run_dir

    def remove_link(self, run_dir: str | Path) -> None:
        gone = Path(run_dir).resolve()
        self._write_meta({**self._meta(), "linked": [str(p) for p in self.linked() if p != gone]})

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
            steps = [s for s in (step_from_name(p) for p in list_checkpoints(path / "checkpoints")) if s is not None]
            data = read_json(path / "config.json").get("data")
            name = data.get("name") if isinstance(data, dict) else None
            created = meta.get("created")
            try:
                if not _is_number(created):  # missing, or a run.json written by hand
                    created = path.stat().st_mtime
            except OSError:
                continue
            runs.append(RunInfo(path, path.name, float(created), len(steps), max(steps, default=0),
                                name if isinstance(name, str) else "", _parent(meta), path in linked))
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
        with whole_or_none(target):
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
        with whole_or_none(target):
            RunDirectory(target).start(config, keep_up_to_step=0)
            write_json(target / RUN_META, {"created": time.time(), "imported_from": str(source.resolve())})
            dest = save_checkpoint({k: v for k, v in state.items() if k not in ("format", "version")},
                                   target / "checkpoints" / checkpoint_name(step))
            describe_checkpoint_file(dest, note=f"imported from {source.name}", reason="import")
        return target


@contextmanager
def whole_or_none(run_dir: Path) -> Iterator[Path]:
    """A new run folder made in full or not at all: a failed write (a full disk: atomic.WriteError)
    removes what was made, so the library never lists half a branch or import."""
    try:
        yield run_dir
    except BaseException:
        shutil.rmtree(run_dir, ignore_errors=True)
        raise
