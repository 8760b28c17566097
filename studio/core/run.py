"""A run directory: config.json, metrics.jsonl, samples/ and checkpoints/, and the headless loop that fills it."""
from __future__ import annotations

import json
import math
import signal
import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from .atomic import write_atomic
from .checkpoints import checkpoint_name, list_checkpoints, save_checkpoint
from .config import Config
from .data import toy_points
from .render import image_grid, save_png, scatter_image
from .trainer import Trainer


class RunDirectory:
    """Where one run's files live; appends are flushed per line so a reader can follow along."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.config_path = self.root / "config.json"
        self.metrics_path = self.root / "metrics.jsonl"
        self.samples_dir = self.root / "samples"
        self.checkpoints_dir = self.root / "checkpoints"
        self.tensorboard = None  # a TensorBoardLog once a run with train.tensorboard starts

    def start(self, config: Config, keep_up_to_step: int = 0) -> None:
        """Create the folders and write the config; keep metric lines up to a resumed step."""
        self.samples_dir.mkdir(parents=True, exist_ok=True)
        self.checkpoints_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(self.config_path, config.to_json() + "\n")
        if config.train.tensorboard and self.tensorboard is None:
            from .tensorboard_log import TensorBoardLog

            self.tensorboard = TensorBoardLog(self.root, config)
        kept = [row for row in self.read_metrics() if row.get("step", 0) <= keep_up_to_step]
        write_atomic(self.metrics_path, "".join(json.dumps(row) + "\n" for row in kept))

    def read_metrics(self) -> list[dict]:
        """Every complete line; a half-written last line is skipped."""
        if not self.metrics_path.exists():
            return []
        rows = []
        for line in self.metrics_path.read_text().splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return rows

    def log(self, row: dict) -> None:
        with open(self.metrics_path, "a") as fh:
            fh.write(json.dumps(row) + "\n")
        if self.tensorboard is not None:
            self.tensorboard.scalars(row["step"], row)

    def close(self) -> None:
        if self.tensorboard is not None:
            self.tensorboard.close()
            self.tensorboard = None

    def save_samples(self, trainer: Trainer) -> Path:
        picture = sample_picture(trainer.config, trainer.fixed_samples())
        if self.tensorboard is not None:
            self.tensorboard.samples(trainer.step_count, picture)
        return save_png(picture, self.samples_dir / f"step-{trainer.step_count:08d}.png",
                        scale=1 if trainer.config.is_2d else 3)

    def save_checkpoint(self, trainer: Trainer) -> Path:
        return save_checkpoint(trainer.state_dict(), self.checkpoints_dir / checkpoint_name(trainer.step_count))

    def checkpoints(self) -> list[Path]:
        return list_checkpoints(self.checkpoints_dir)


def sample_picture(config: Config, samples: np.ndarray) -> np.ndarray:
    """A grid for images; for 2-D, generated points over 2,000 real ones and the mode centres."""
    if not config.is_2d:
        return image_grid(samples)
    real, centres, _ = toy_points(config.data.name, 2000, config.data.seed)
    extent = max(float(np.abs(real).max()), 1.0) * 1.25
    return scatter_image(real, samples, extent, centres)


class Progress:
    """A one-line progress bar on stderr with rate and ETA, redrawn at most 5 times a second."""

    def __init__(self, start: int, total: int, stream=sys.stderr):
        self.start, self.total, self.stream = start, total, stream
        self.t0 = time.perf_counter()
        self.last_draw = 0.0

    def update(self, step: int, metrics: dict, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self.last_draw < 0.2:
            return
        self.last_draw = now
        done = step - self.start
        rate = done / max(now - self.t0, 1e-9)
        eta = (self.total - step) / rate if rate > 0 else math.inf
        width = 24
        filled = int(width * step / max(self.total, 1))
        eta_text = "--:--" if math.isinf(eta) else f"{int(eta // 60):d}:{int(eta % 60):02d}"
        losses = " ".join(f"{k} {metrics[k]:.3f}" for k in ("loss_d", "loss_g") if k in metrics)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {step}/{self.total} "
                          f"{rate:6.1f} it/s  ETA {eta_text}  {losses}   ")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


class StopRequest:
    """SIGINT sets a flag that the loop reads between steps; a second Ctrl-C interrupts at once."""

    def __init__(self):
        self.requested = False
        self._previous = None

    def __enter__(self):
        try:
            self._previous = signal.signal(signal.SIGINT, self._handle)
        except ValueError:  # not the main thread: no signal handling
            self._previous = None
        return self

    def _handle(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc):
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
        return False


def train_run(trainer: Trainer, run: RunDirectory | None, total_steps: int, save_every: int | None = None,
              progress: bool = True, should_stop: Callable[[], bool] = lambda: False) -> bool:
    """Train to `total_steps`, logging, sampling and checkpointing into `run` (None: train only,
    as the ranks other than 0 do under torchrun).

    Returns True when it reached the total, False when `should_stop` ended it early (a
    checkpoint is saved either way).
    """
    if run is None:
        return _train_only(trainer, total_steps, should_stop)
    cfg = trainer.config.train
    save_every = save_every or cfg.save_every
    run.start(trainer.config, keep_up_to_step=trainer.step_count)
    bar = Progress(trainer.step_count, total_steps) if progress else None
    started, elapsed_before = time.perf_counter(), trainer.elapsed
    metrics: dict = {}
    finished = True
    if trainer.step_count == 0:
        run.save_samples(trainer)
    while trainer.step_count < total_steps:
        if should_stop():
            finished = False
            break
        metrics = trainer.step()
        trainer.elapsed = elapsed_before + time.perf_counter() - started
        step = trainer.step_count
        if step % cfg.log_every == 0 or step == total_steps:
            run.log({"step": step, "time": round(trainer.elapsed, 4),
                     **{k: v for k, v in metrics.items() if k != "step"}})
        if step % cfg.sample_every == 0 or step == total_steps:
            run.save_samples(trainer)
        if step % save_every == 0 and step != total_steps:
            run.save_checkpoint(trainer)
        if bar:
            bar.update(step, metrics)
    run.save_checkpoint(trainer)
    run.close()
    if bar:
        bar.update(trainer.step_count, metrics, force=True)
        bar.close()
    return finished


def _train_only(trainer: Trainer, total_steps: int, should_stop: Callable[[], bool]) -> bool:
    while trainer.step_count < total_steps:
        if should_stop():
            return False
        trainer.step()
    return True


def set_cpu_threads(leave_free: int) -> None:
    """Leave `leave_free` cores to other work (the GUI thread), keeping at least one for torch."""
    import os

    cores = os.cpu_count() or 1
    torch.set_num_threads(max(1, cores - leave_free))

