"""Optional TensorBoard logging, so people who live in TensorBoard see studio runs there.

Needs the `tensorboard` package (`pip install 'gan-studio[tensorboard]'`); the event files go to
RUN_DIR/tensorboard: every metric as a scalar, the fixed-noise samples as an image, the config as text.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .config import Config, ConfigError


class TensorBoardLog:
    def __init__(self, run_root: str | Path, config: Config):
        try:
            from torch.utils.tensorboard import SummaryWriter
        except ImportError:
            raise ConfigError("train.tensorboard needs the tensorboard package: "
                              "pip install 'gan-studio[tensorboard]'") from None
        self.writer = SummaryWriter(log_dir=str(Path(run_root) / "tensorboard"))
        self.writer.add_text("config", "```\n" + json.dumps(config.to_dict(), indent=2) + "\n```", 0)

    def scalars(self, step: int, metrics: dict) -> None:
        for name, value in metrics.items():
            if name not in ("step", "time"):
                self.writer.add_scalar(f"train/{name}", value, step)

    def samples(self, step: int, picture: np.ndarray) -> None:
        """A uint8 picture, H×W (grayscale) or H×W×3."""
        self.writer.add_image("samples", picture, step, dataformats="HW" if picture.ndim == 2 else "HWC")

    def close(self) -> None:
        self.writer.flush()
        self.writer.close()
