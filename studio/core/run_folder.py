"""Who may write a run folder, and what a folder already holds.

One writer at a time: `WriterLock` is an OS lock (filelock's flock on Unix), which the kernel
drops when its process dies, so a crashed or killed writer never leaves a folder stuck; a
small `.writer.json` beside it names the holder for the refusal message. Training never starts
into a folder that holds another run, and resuming a run in place from an earlier checkpoint
moves the later history (checkpoints, pictures, metric rows) aside instead of overwriting it.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import time
from pathlib import Path

from filelock import FileLock, Timeout

from .atomic import write_atomic

LOCK_NAME = ".lock"
WRITER_NAME = ".writer.json"
SUPERSEDED = "superseded"  # resuming from an earlier step moves the later history into SUPERSEDED/<when>-after-step-N


class RunFolderError(RuntimeError):
    """A run folder cannot be used for this run; the message says which folder, why and what to do."""


class WriterLock:
    """Held while a process trains into `folder`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._lock = FileLock(folder / LOCK_NAME, timeout=0, thread_local=False)  # any thread may release it

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout:
            raise self._busy() from None
        except OSError as exc:
            raise RunFolderError(f"cannot write the run folder {self.folder}: {exc.strerror or exc}") from None
        try:
            write_atomic(self.folder / WRITER_NAME, json.dumps({
                "pid": os.getpid(), "host": socket.gethostname(), "since": time.time(),
                "command": " ".join(Path(a).name if i == 0 else a for i, a in enumerate(sys.argv))[:200]}) + "\n")
        except OSError:
            pass  # the name of the holder is a courtesy; the lock is what counts

    def check_free(self) -> None:
        """Raise RunFolderError when another process holds the folder; take and keep nothing. Opening a run
        asks this before it picks the latest checkpoint, which a writer may replace a moment later."""
        try:
            self._lock.acquire()
        except Timeout:
            raise self._busy() from None
        except OSError:
            return  # an unwritable folder: claiming it says so
        self._lock.release()

    def _busy(self) -> RunFolderError:
        return RunFolderError(f"{self.folder} is being written by another process "
                              f"({describe_writer(self.folder)}); wait for it to finish, follow it with "
                              f"`gan-studio --attach {self.folder}`, or train into another folder")

    def release(self) -> None:
        if self._lock.is_locked:
            try:
                (self.folder / WRITER_NAME).unlink(missing_ok=True)
            except OSError:
                pass  # a folder gone read-only: the note stays, describe_writer's reader sees a free lock
            self._lock.release()


def describe_writer(folder: Path) -> str:
    try:
        info = json.loads((folder / WRITER_NAME).read_text())
        since = time.strftime("%H:%M:%S", time.localtime(float(info["since"])))
        return f"pid {int(info['pid'])} on {info['host']}, `{info['command']}` since {since}"
    except (OSError, ValueError, KeyError, TypeError):
        return "its name is not recorded"


def run_steps(folder: Path) -> list[int]:
    """Steps of the complete checkpoints in a run folder, oldest first."""
    steps = []
    for path in (folder / "checkpoints").glob("step-*.pt"):
        try:
            steps.append(int(path.stem.removeprefix("step-")))
        except ValueError:
            continue
    return sorted(steps)


def holds_run(folder: Path) -> bool:
    """Whether `folder` has a run's files: a config, metric rows or a checkpoint."""
    metrics = folder / "metrics.jsonl"
    return ((folder / "config.json").exists() or bool(run_steps(folder))
            or (metrics.exists() and metrics.stat().st_size > 0))


def check_new_run_target(folder: Path, resumed_from: Path | None = None) -> None:
    """Refuse to train into a folder that holds another run (`resumed_from`'s own folder is its run)."""
    if folder.exists() and not folder.is_dir():
        raise RunFolderError(f"--out {folder} is a file, not a folder")
    if not folder.is_dir() or not holds_run(folder):
        return
    if resumed_from is not None and Path(resumed_from).resolve().parent.parent == folder.resolve():
        return
    steps = run_steps(folder)
    held = f"{len(steps)} checkpoint(s), the latest of step {steps[-1]}" if steps else "no checkpoint yet"
    advice = (f"continue it with --resume {folder / 'checkpoints' / f'step-{steps[-1]:08d}.pt'}, " if steps else "")
    raise RunFolderError(f"{folder} already holds another run ({held}); {advice}choose another --out, or add "
                         f"--beside to start this run in {free_sibling(folder)}")


def free_sibling(folder: Path) -> Path:
    """`folder-2`, `folder-3`…: the first name beside `folder` that does not exist yet."""
    n = 2
    while Path(f"{folder}-{n}").exists():
        n += 1
    return Path(f"{folder}-{n}")


def set_aside_later_history(folder: Path, step: int, rows: list[dict]) -> Path | None:
    """Before a run continues in place from `step`: move its later checkpoints (with their sidecars),
    sample pictures and metric rows (`rows` is the run's metrics) to SUPERSEDED/…; None when there
    is no later checkpoint (rows past the last checkpoint are retrained identically and replaced)."""
    later = [s for s in run_steps(folder) if s > step]
    if not later:
        return None
    target = folder / SUPERSEDED / f"{time.strftime('%Y%m%d-%H%M%S')}-after-step-{step}"
    target.mkdir(parents=True, exist_ok=True)
    for sub in ("checkpoints", "samples"):
        for path in (folder / sub).glob("step-*"):
            try:
                later_file = int(path.name.split(".")[0].removeprefix("step-")) > step
            except ValueError:
                continue
            if later_file:
                (target / sub).mkdir(exist_ok=True)
                shutil.move(path, target / sub / path.name)
    write_atomic(target / "metrics.jsonl", "".join(json.dumps(r) + "\n" for r in rows if r.get("step", 0) > step))
    return target
