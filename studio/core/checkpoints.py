"""Checkpoints: one file per moment of a run, written atomically, read without running code.

A checkpoint is a plain dict of state dicts, tensors and builtins (Trainer.state_dict
plus a format tag), stored with torch.save and read with torch.load(weights_only=True),
whose unpickler refuses anything but tensors and containers.
"""
from __future__ import annotations

import pickle
import re
import warnings
from pathlib import Path

import torch

from .atomic import atomic_file
from .config import Config, ConfigError
from .starters import starter_checkpoint, starter_reference, unknown_starter

FORMAT = "gan-studio-checkpoint"
VERSION = 1
UNFIT_SETTINGS = "does not fit these settings (another architecture or format)"


class CheckpointError(RuntimeError):
    """A checkpoint cannot be read or does not fit; the message says which file and why."""


def checkpoint_name(step: int) -> str:
    return f"step-{step:08d}.pt"


def save_checkpoint(state: dict, path: str | Path) -> Path:
    """Write to a temporary file in the same folder, fsync, then rename over `path`."""
    with atomic_file(path) as fh:
        torch.save({"format": FORMAT, "version": VERSION, **state}, fh)
    return Path(path)


def slim_state(state: dict) -> dict:
    """The checkpoint for sharing (the starters are slim): G's weights (its EMA's where kept), D, the config,
    step, fixed noise and RNG, without the optimisers' moments, which hold twice G's and D's size again.
    It samples, evaluates and resumes like the full one; a resume starts Adam's moments afresh."""
    slim = {key: value for key, value in state.items() if key not in ("format", "version")}
    slim["generator"] = state.get("generator_ema") or state["generator"]
    slim.update(generator_ema=None, optimizer_g=None, optimizer_d=None)
    return slim


def is_slim(state: dict) -> bool:
    """True for a checkpoint without optimiser state (slim_state): a resume restarts the optimisers."""
    return state.get("optimizer_g") is None or state.get("optimizer_d") is None


def resolve_checkpoint(path: str | Path) -> Path:
    """The file a checkpoint argument names: `starter:NAME` a starter's (core.starters), else the path itself.
    Every reader of checkpoints comes through here (load_checkpoint), so each one takes a starter."""
    name = starter_reference(path)
    if name is None:
        return Path(path)
    found = starter_checkpoint(name)
    if found is None:
        raise CheckpointError(unknown_starter(name))
    return found


def load_checkpoint(path: str | Path, map_location: str | torch.device = "cpu") -> dict:
    """The checkpoint's dict; CheckpointError for a missing, truncated, foreign or unsafe file."""
    path = resolve_checkpoint(path)
    if not path.is_file():
        raise CheckpointError(f"checkpoint {path} does not exist")
    try:
        with warnings.catch_warnings():  # a plain pickle's protocol: torch's advice for its developers, not ours
            warnings.filterwarnings("ignore", message="Detected pickle protocol", category=UserWarning)
            state = torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as exc:
        raise CheckpointError(_refusal(path, exc)) from None
    except Exception as exc:  # EOFError, RuntimeError, KeyError…: torch's unpickler fails on bad bytes in many ways
        raise CheckpointError(f"{path} is not a readable checkpoint (truncated or corrupt: "
                              f"{_first_line(exc)})") from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise CheckpointError(f"{path} is not a GAN Studio checkpoint")
    version = state.get("version", 0)
    if not isinstance(version, int) or version > VERSION:
        raise CheckpointError(f"{path} was written by a newer GAN Studio (format {version!r})")
    return state


def _refusal(path: Path, exc: pickle.UnpicklingError) -> str:
    """Why the safe unpickler refused a file, without torch's advice to load it unsafely (which would
    run whatever code the file holds): the class it refused, where torch names one."""
    refused = re.search(r"GLOBAL (\S+) was not an allowed global", str(exc))
    what = f"holds objects other than tensors and plain data ({refused.group(1)})" if refused else \
        "is no PyTorch file of tensors (other bytes, or objects other than tensors)"
    return f"{path} is not a GAN Studio checkpoint: it {what}; refused to load it (a checkpoint is never run as code)"


def _first_line(exc: Exception) -> str:
    """The start of an exception's message, never one that advises loading with weights_only=False."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(exc).__name__}: {first}" if first and "weights_only" not in first else type(exc).__name__


def checkpoint_config(state: dict, path: str | Path = "checkpoint") -> Config:
    try:
        return Config.from_dict(state["config"])
    except (ConfigError, KeyError) as exc:
        raise CheckpointError(f"{path} has an invalid config: {exc}") from None


def restore_trainer(path: str | Path, config: Config | None = None, data=None):
    """A Trainer rebuilt from a checkpoint (with `config` instead of the saved one, if given)."""
    from .trainer import Trainer

    state = load_checkpoint(path)
    trainer = Trainer(config or checkpoint_config(state, path), data=data)
    try:
        trainer.load_state_dict(state)
    except (RuntimeError, KeyError, ValueError, TypeError) as exc:
        raise _unfit(path, "was made for another architecture or format", exc) from None
    return trainer


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
        raise _unfit(path, UNFIT_SETTINGS, exc) from None
    return state, config


def restore_state(trainer, state: dict, path: str | Path = "checkpoint"):
    """`trainer` with the checkpoint's weights, optimiser, step, elapsed time and RNG states.

    The optimisers' learning rates and betas come from the trainer's config, not the file,
    so that a branch with edited settings trains with them.
    """
    try:
        trainer.load_state_dict(state)
    except (RuntimeError, KeyError, ValueError, TypeError) as exc:
        raise _unfit(path, UNFIT_SETTINGS, exc) from None
    trainer.apply_live(trainer.config)
    return trainer


def list_checkpoints(folder: str | Path) -> list[Path]:
    """Complete checkpoint files of a run, oldest step first (temporary files are skipped)."""
    folder = Path(folder)
    return sorted(p for p in folder.glob("step-*.pt") if p.is_file())


def load_generator(path: str | Path) -> tuple[torch.nn.Module, Config, dict]:
    """(G in eval mode, with EMA weights where kept; its config; the checkpoint) without loading data."""
    from .models import build_models

    state = load_checkpoint(path)
    config = checkpoint_config(state, path)
    g, _ = build_models(config)
    try:
        g.load_state_dict(state.get("generator_ema") or state["generator"])
    except (RuntimeError, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise _unfit(path, "was made for another architecture", exc) from None
    return g.eval(), config, state


def _unfit(path, why: str, exc: Exception) -> CheckpointError:
    """The error for weights that do not load: the file, why, and the start of torch's long message."""
    return CheckpointError(f"{path} {why}: {' '.join(str(exc).strip().splitlines()[:3])[:300]}")
