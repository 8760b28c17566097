"""A sweep: every combination of a few settings, each trained with several seeds, to see which trick helps.

This module holds the grid (parsed from `--set FIELD=V1,V2` and `--seeds 0-4`), the readable name of
each trial's run directory, and the running of one trial: an ordinary `gan-studio train` subprocess
into that directory, resumed from its last checkpoint when an earlier attempt was cut short. Which
process runs which trial, and the results table, are `sweep_study`'s (Optuna's bookkeeping).
"""
from __future__ import annotations

import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from .checkpoints import checkpoint_name
from .config import Config, ConfigError
from .run_folder import LOCK_NAME, run_steps

SEED = "seed"  # the grid's name for train.seed
LOG_NAME = "train.log"  # in each trial's folder: what its train processes printed, every attempt
EVAL_SAMPLES, EVAL_SEED = 2500, 0  # `gan-studio eval`'s defaults, so the table matches what eval prints


# -- the grid -------------------------------------------------------------------------------
def parse_settings(items: list[str], base: Config) -> dict[str, list]:
    """`--set FIELD=V1,V2` items as {field: values typed as the field}, in the order given."""
    grid: dict[str, list] = {}
    for item in items:
        path, equals, text = (part.strip() for part in item.partition("="))
        if not equals or not path or not text:
            raise ConfigError(f"--set must be FIELD=VALUE[,VALUE...], e.g. optim.lr_g=1e-4,2e-4; got {item!r}")
        if path == "train.seed":
            raise ConfigError("--set train.seed: give the seeds with --seeds, e.g. --seeds 0-4")
        if path in grid:
            raise ConfigError(f"--set {path} is given twice; list all its values in one --set")
        kind = field_type(base, path)
        values = [typed_value(kind, word.strip()) for word in text.split(",")]
        if len({format_value(v) for v in values}) < len(values):
            raise ConfigError(f"--set {path} lists a value twice: {text}")
        for value in values:
            try:
                base.updated({path: value})
            except ConfigError as exc:
                raise ConfigError(f"--set {item}: {exc}") from None
        grid[path] = values
    return grid


def field_type(config: Config, path: str) -> type:
    section, _, name = path.partition(".")
    values = config.to_dict().get(section)
    if not isinstance(values, dict) or name not in values:
        raise ConfigError(f"--set {path}: unknown field; fields are SECTION.NAME, e.g. optim.lr_g or loss.kind")
    return type(values[name])


def typed_value(kind: type, text: str):
    """`text` as a `kind`; left a string when it is none, so that Config's check names the rule."""
    try:
        if kind is bool:
            return {"true": True, "false": False}[text.lower()]
        if kind in (int, float):
            return kind(text)
    except (KeyError, ValueError):
        pass
    return text


def parse_seeds(text: str) -> list[int]:
    """`0-4`, `0,3,7` or both (`0-2,9`) as the list of seeds."""
    seeds: list[int] = []
    for part in text.split(","):
        low, dash, high = part.strip().partition("-")
        try:
            first = int(low)
            last = int(high) if dash else first
        except ValueError:
            raise ConfigError(f"--seeds must be seeds >= 0 as a range or a list, e.g. 0-4 or 0,3,7; "
                              f"got {text!r}") from None
        if last < first:
            raise ConfigError(f"--seeds {part.strip()} runs backwards; write {last}-{first}")
        seeds.extend(range(first, last + 1))
    if len(set(seeds)) < len(seeds):
        raise ConfigError(f"--seeds {text} names a seed twice")
    return seeds


def format_value(value) -> str:
    """A setting's value as written in names and tables: the shortest text that reads back the same."""
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, float) else str(value)


@dataclass
class Sweep:
    """The settings × seeds grid over a base config; every trial trains `steps` steps."""

    base: Config
    grid: dict[str, list]  # field → values, in the order of the --set options
    seeds: list[int]
    steps: int
    save_every: int | None = None
    threads: int = 1  # torch threads of each trial's process
    settings: list[dict] = field(init=False)

    def __post_init__(self):
        self.settings = [dict(zip(self.grid, values)) for values in itertools.product(*self.grid.values())]
        names = set()
        for setting in self.settings:
            for seed in self.seeds:
                try:
                    self.trial_config(setting, seed)
                except ConfigError as exc:
                    raise ConfigError(f"the setting {self.label(setting) or 'of the base config'} is not a valid "
                                      f"config: {exc}") from None
                names.add(self.trial_name(setting, seed))
        if len(names) < len(self.settings) * len(self.seeds):
            raise ConfigError("two settings of the sweep give their runs the same folder name; "
                              "give the values more distinct spellings")

    @property
    def varying(self) -> list[str]:
        """The fields with more than one value: the ones that tell trials apart."""
        return [path for path, values in self.grid.items() if len(values) > 1]

    @property
    def size(self) -> int:
        return len(self.settings) * len(self.seeds)

    def label(self, setting: dict) -> str:
        """`lr_g=0.0001,kind=hinge`: the varying fields by their last name (unless two share it)."""
        short = [path.rpartition(".")[2] for path in self.varying]
        return ",".join(f"{name if short.count(name) == 1 else path}={format_value(setting[path])}"
                        for name, path in zip(short, self.varying))

    def trial_name(self, setting: dict, seed: int) -> str:
        """The trial's run directory under the sweep's folder, readable in a file listing."""
        text = ",".join(filter(None, (self.label(setting), f"{SEED}={seed}")))
        return re.sub(r"[^\w.,=+-]", "_", text)

    def trial_config(self, setting: dict, seed: int) -> Config:
        return self.base.updated({**setting, "train.seed": seed, "train.steps": self.steps})

    def definition(self) -> dict:
        """What makes two sweeps the same one (in a JSON-able form): another base, grid, seeds or
        step count is another sweep, and never shares a study with this one."""
        return {"base": self.base.to_dict(), "grid": [[path, values] for path, values in self.grid.items()],
                "seeds": self.seeds, "steps": self.steps}


# -- one trial --------------------------------------------------------------------------------
class TrialFailed(Exception):
    """The trial's training failed (it diverged, or its folder holds another run); the message says why."""


class TrialInterrupted(Exception):
    """The sweep was asked to stop during the trial; its last checkpoint is where the next run resumes."""


@dataclass
class TrialOutcome:
    how: str  # "trained", "resumed from step N", "already finished"
    metrics: dict


class TrialRunner:
    """Runs trials into `out`, each a `gan-studio train` subprocess; shared by a process's worker threads,
    so that a stop reaches every trial's process."""

    def __init__(self, sweep: Sweep, out: Path):
        self.sweep, self.out = sweep, Path(out)
        self.stopping = threading.Event()
        self._children: set[subprocess.Popen] = set()
        self._lock = threading.Lock()

    def stop(self) -> None:
        """No trial starts from now on; the running ones are asked to stop (they write a checkpoint)."""
        with self._lock:
            self.stopping.set()
            for child in self._children:
                child.send_signal(signal.SIGTERM)

    def run(self, setting: dict, seed: int) -> TrialOutcome:
        folder = self.out / self.sweep.trial_name(setting, seed)
        config = self.sweep.trial_config(setting, seed)
        self._wait_for_writer(folder)
        steps = run_steps(folder)
        if steps and not same_run(folder, config):
            raise TrialFailed(f"{folder} holds a run with other settings than this trial's; move it away "
                              f"or sweep into another --out")
        if steps and steps[-1] >= self.sweep.steps:
            how = "already finished"
        elif steps:
            how = f"resumed from step {steps[-1]}"
            self._train(folder, ["--resume", str(folder / "checkpoints" / checkpoint_name(steps[-1]))])
        else:
            how = "trained"
            clear_unfinished_start(folder)  # `train` refuses a folder that holds another run's start
            with tempfile.TemporaryDirectory(dir=self.out, prefix=".trial-") as scratch:
                config.save(Path(scratch) / "config.json")
                self._train(folder, ["--config", str(Path(scratch) / "config.json")])
        return TrialOutcome(how, checkpoint_metrics(folder / "checkpoints" / checkpoint_name(run_steps(folder)[-1])))

    def _train(self, folder: Path, source: list[str]) -> None:
        command = [sys.executable, "-m", "studio", "train", *source, "--steps", str(self.sweep.steps),
                   "--out", str(folder), "--quiet"]
        if self.sweep.save_every:
            command += ["--save-every", str(self.sweep.save_every)]
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / LOG_NAME, "ab") as log:
            with self._lock:
                if self.stopping.is_set():
                    raise TrialInterrupted(folder.name)
                child = subprocess.Popen(with_parent_watch(command), stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, env=trial_env(self.sweep.threads),
                                         start_new_session=True)  # a Ctrl-C reaches it once, through stop()
                self._children.add(child)
            try:
                code = child.wait()
            finally:
                with self._lock:
                    self._children.discard(child)
        if code == 0 or run_steps(folder)[-1:] >= [self.sweep.steps]:  # a stop that came as train exited
            return
        if self.stopping.is_set():
            raise TrialInterrupted(folder.name)
        why = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
        raise TrialFailed(f"training stopped ({why}): {last_line(folder / LOG_NAME)}")

    def _wait_for_writer(self, folder: Path) -> None:
        """An earlier attempt's process may still be writing the folder (a sweep killed where its
        children outlive it): the trial goes on from what that process leaves."""
        if not folder.is_dir():
            return
        lock = FileLock(folder / LOCK_NAME, timeout=0, thread_local=False)
        while True:
            try:
                with lock:
                    return
            except Timeout:
                if self.stopping.wait(2.0):
                    raise TrialInterrupted(folder.name) from None


def same_run(folder: Path, config: Config) -> bool:
    try:
        return Config.load(folder / "config.json").to_dict() == config.to_dict()
    except ConfigError:
        return False


def clear_unfinished_start(folder: Path) -> None:
    """Remove what a start that wrote no checkpoint left (its config, first rows and pictures are
    rewritten by the next start); the log of every attempt stays."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.name == LOG_NAME:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def trial_env(threads: int) -> dict[str, str]:
    """The trial process's environment: torch sizes its thread pool from OMP_NUM_THREADS when it starts,
    and `train` keeps that size (only the window's ThreadTuner changes it), so J trials share the cores
    instead of each starting one thread per core and thrashing."""
    return {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}


# On Linux the trial's process is sent SIGTERM (and writes a checkpoint) when the sweep process dies,
# even of SIGKILL, instead of training on unwatched; the pid check covers a sweep that died before prctl.
PARENT_WATCH = ("import ctypes, os, signal, sys\n"
                "ctypes.CDLL(None).prctl(1, signal.SIGTERM)\n"  # 1 = PR_SET_PDEATHSIG, kept across exec
                "if os.getppid() != int(sys.argv[1]):\n"
                "    sys.exit(128 + signal.SIGTERM)\n"
                "os.execv(sys.argv[2], sys.argv[2:])\n")


def with_parent_watch(command: list[str]) -> list[str]:
    if not sys.platform.startswith("linux"):
        return command
    return [sys.executable, "-c", PARENT_WATCH, str(os.getpid()), *command]


def last_line(path: Path) -> str:
    try:
        lines = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1] if lines else ""


def checkpoint_metrics(path: Path, n: int = EVAL_SAMPLES, seed: int = EVAL_SEED) -> dict:
    """A finished trial's numbers: its final losses, its training wall time (the run's own clock,
    summed over resumes) and, for 2-D data with known modes, the mode metrics that `gan-studio eval`
    prints for its checkpoint (the same samples: `n` noise vectors drawn with `seed`)."""
    import torch

    from .checkpoints import load_generator
    from .coverage import generator_plane_metrics

    g, config, state = load_generator(path)
    metrics = {key: float(value) for key, value in (state.get("metrics") or {}).items() if key.startswith("loss_")}
    with torch.no_grad():
        found = generator_plane_metrics(lambda z: g(z).numpy(), config, n, seed, divergences=False)
    metrics.update({key: found[key] for key in ("modes", "hq", "reverse_kl") if key in found})
    return {**metrics, "wall_s": float(state.get("elapsed", 0.0)), "step": int(state["step"])}
