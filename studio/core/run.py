"""A run directory: config.json, metrics.jsonl, samples/ and checkpoints/ (`run_loop.RunLoop` fills it)."""
from __future__ import annotations

import json
import signal
import sys
from pathlib import Path

import numpy as np

from .atomic import append_whole, write_atomic
from .checkpoints import checkpoint_name, list_checkpoints, save_checkpoint
from .config import Config
from .data import toy_points
from .render import grid_scale, image_grid, save_png, scatter_image
from .run_folder import RunFolderError, WriterLock, set_aside_later_history
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
        self.writer_lock: WriterLock | None = None  # held from claim() to close()

    def claim(self) -> None:
        """Become the folder's one writer (RunFolderError when another process is, or it cannot be made)."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise RunFolderError(f"{self.root} is a file, not a run folder") from None
        except OSError as exc:
            raise RunFolderError(f"cannot create the run folder {self.root}: {exc.strerror or exc}") from None
        if self.writer_lock is None:
            lock = WriterLock(self.root)
            lock.acquire()
            self.writer_lock = lock

    def start(self, config: Config, keep_up_to_step: int = 0) -> Path | None:
        """Create the folders and write the config; keep metric lines up to a resumed step, moving the
        history after it aside when a later checkpoint exists: the folder it went to, or None."""
        self.samples_dir.mkdir(parents=True, exist_ok=True)
        self.checkpoints_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(self.config_path, config.to_json() + "\n")
        if config.train.tensorboard and self.tensorboard is None:
            from .tensorboard_log import TensorBoardLog

            self.tensorboard = TensorBoardLog(self.root, config)
        rows = self.read_metrics()
        superseded = set_aside_later_history(self.root, keep_up_to_step, rows) if keep_up_to_step else None
        kept = [row for row in rows if row.get("step", 0) <= keep_up_to_step]
        write_atomic(self.metrics_path, "".join(json.dumps(row) + "\n" for row in kept))
        return superseded

    def read_metrics(self) -> list[dict]:
        """Every line that is a JSON object; a half-written last line is left out, and lines that are
        not (a bad byte, a torn write) are skipped with a SkippedContent warning giving their count."""
        from .readers import read_json_lines

        return read_json_lines(self.metrics_path)

    def log(self, row: dict) -> None:
        """One metrics line, whole or not at all (a full disk raises WriteError and leaves no half line)."""
        append_whole(self.metrics_path, (json.dumps(row) + "\n").encode())
        if self.tensorboard is not None:
            self.tensorboard.scalars(row["step"], row)

    def close(self) -> None:
        if self.tensorboard is not None:
            self.tensorboard.close()
            self.tensorboard = None
        if self.writer_lock is not None:
            self.writer_lock.release()
            self.writer_lock = None

    def save_samples(self, trainer: Trainer) -> Path:
        """The step's sample picture, written atomically (a full disk raises WriteError, leaves no half PNG)."""
        picture = sample_picture(trainer.config, trainer.fixed_samples())
        if self.tensorboard is not None:
            self.tensorboard.samples(trainer.step_count, picture)
        return save_png(picture, self.samples_dir / f"step-{trainer.step_count:08d}.png",
                        scale=1 if trainer.config.is_2d else grid_scale(trainer.config.data.image_size))

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
    """SIGINT, SIGTERM and SIGHUP (Ctrl-C, `timeout`, a scheduler, `docker stop`, a closed terminal)
    set a flag that the loop reads between steps, so every one of them ends a run the same way: one
    checkpoint and a message. A second signal while that checkpoint is written is noted, not obeyed."""

    SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))

    def __init__(self):
        self.signum: int | None = None  # the first signal received
        self._previous: dict = {}

    @property
    def requested(self) -> bool:
        return self.signum is not None

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name if self.signum else ""

    @property
    def exit_status(self) -> int:
        """What a shell reports for a process that a signal ended: 128 + its number."""
        return 128 + self.signum if self.signum else 0

    def __enter__(self):
        for sig in self.SIGNALS:
            try:
                self._previous[sig] = signal.signal(sig, self._handle)
            except ValueError:  # not the main thread: no signal handling
                break
        return self

    def _handle(self, signum, frame):
        if self.signum is None:
            self.signum = signum
            return
        try:
            print(f"{signal.Signals(signum).name} received: already stopping after {self.name}; "
                  f"writing the checkpoint", file=sys.stderr, flush=True)
        except (OSError, ValueError):  # the terminal is gone (SIGHUP)
            pass

    def __exit__(self, *exc):
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)
        self._previous = {}
        return False
