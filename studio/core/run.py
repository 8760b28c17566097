"""A run directory: config.json, metrics.jsonl, samples/ and checkpoints/ (`run_loop.RunLoop` fills it)."""
from __future__ import annotations

import json
import signal
from pathlib import Path

import numpy as np

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
