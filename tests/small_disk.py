"""A small disk for the disk-fault tests (test_faults_disk.py), in one of two modes:

* "tmpfs": a real filesystem of a few MB mounted on the folder (needs root and mount rights), filled
  with a filler file to leave a chosen amount free; read-only by remounting it so.
* "injected": where mounting is impossible, files opened for writing under the folder share a byte
  budget; a write past it writes what fits and then fails with ENOSPC, as a full disk does. It is
  installed in the test process (monkeypatched open) and, for a subprocess, by a sitecustomize that
  `env()` puts on its PYTHONPATH. Read-only is chmod, which root ignores (the test then skips).

Both modes are driven through the same `SmallDisk` calls, so a test says what it needs ("leave room
for half of this file") and the mode decides what that means in bytes.
"""
from __future__ import annotations

import builtins
import errno
import io
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ENV = "GAN_STUDIO_FAKE_DISK"
TMPFS_BYTES = 8 << 20  # three ring checkpoints (about 1 MB each) and their run fit
PAGE = 4096  # tmpfs allocates whole pages


def mode_here() -> str:
    """"tmpfs" where a tmpfs can be mounted and unmounted here, else "injected" (GAN_STUDIO_TEST_DISK
    may ask for "injected" on a machine that could mount)."""
    if os.environ.get("GAN_STUDIO_TEST_DISK") == "injected":
        return "injected"
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("mount"):
        return "injected"
    probe = tempfile.mkdtemp(prefix="gan-studio-tmpfs-probe-")
    try:
        if _run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe):
            return "tmpfs" if _run("umount", probe) else "injected"
        return "injected"
    finally:
        os.rmdir(probe)


def _run(*argv: str) -> bool:
    return subprocess.run(argv, capture_output=True).returncode == 0


# -- the injected full disk: open() for writing under a root counts against a byte budget ---------------
class Budget:
    """`capacity` bytes for the files under `root`; with `trace`, every open for writing there is noted
    (the file, the mode, and the space in use just before: bytes, and whole pages as tmpfs counts)."""

    def __init__(self, root: str | Path, capacity: int, trace: str | None = None):
        self.root = os.path.realpath(root)
        self.capacity = capacity
        self.trace = trace

    def sizes(self) -> list[int]:
        found = []
        for folder, _, files in os.walk(self.root):
            for name in files:
                try:
                    found.append(os.lstat(os.path.join(folder, name)).st_size)
                except OSError:
                    pass  # renamed or removed meanwhile
        return found

    def used(self) -> int:
        return sum(self.sizes())

    def note(self, file, mode: str, real_open) -> None:
        if self.trace is None:
            return
        sizes = self.sizes()
        name = os.path.relpath(os.path.realpath(self.name(file)), self.root)
        folder, base = os.path.split(name)
        if base.startswith(".") and base.endswith(".tmp"):  # atomic.atomic_file's .NAME.XXXX.tmp
            base = base[1:].rsplit(".", 2)[0]
        entry = {"file": os.path.join(folder, base), "mode": mode, "bytes": sum(sizes),
                 "pages": sum(-(-size // PAGE) for size in sizes) * PAGE}
        with real_open(self.trace, "a") as fh:
            fh.write(json.dumps(entry) + "\n")

    @staticmethod
    def name(file) -> str:
        return os.readlink(f"/proc/self/fd/{file}") if isinstance(file, int) else os.fsdecode(file)

    def free(self) -> int:
        return max(0, self.capacity - self.used())

    def holds(self, file) -> bool:
        try:
            real = os.path.realpath(self.name(file))
        except (OSError, TypeError):
            return False
        return real == self.root or real.startswith(self.root + os.sep)


def budget_open(budget: Budget, real_open=builtins.open):
    """An open() whose files under the budget's root are written through a counting raw file."""

    class CountedFileIO(io.FileIO):
        def write(self, data) -> int:
            view = memoryview(data).cast("B")
            room = budget.free()
            if view.nbytes and not room:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return super().write(view[:room])  # a short write when only part fits, like a real disk

    def open_(file, mode="r", buffering=-1, encoding=None, errors=None, newline=None, closefd=True, opener=None):
        if not set(mode) & set("wax+") or not budget.holds(file):
            return real_open(file, mode, buffering, encoding, errors, newline, closefd, opener)
        budget.note(file, mode, real_open)
        raw = CountedFileIO(file, mode.replace("b", "").replace("t", ""), closefd=closefd, opener=opener)
        if buffering == 0:
            return raw
        buffered = io.BufferedRandom(raw) if "+" in mode else io.BufferedWriter(raw)
        if "b" in mode:
            return buffered
        return io.TextIOWrapper(buffered, encoding, errors, newline, line_buffering=buffering == 1)

    return open_


def install_from_env() -> None:
    """For the sitecustomize of a subprocess: the budget that `budget_env` described."""
    spec = json.loads(os.environ[ENV])
    builtins.open = io.open = budget_open(Budget(spec["root"], spec["capacity"], spec.get("trace")))


def budget_env(boot: Path, root: str | Path, capacity: int, trace: str | Path | None = None) -> dict:
    """The environment of a subprocess whose writes under `root` get a budget (and a trace)."""
    boot.mkdir(parents=True, exist_ok=True)
    (boot / "sitecustomize.py").write_text(SITECUSTOMIZE.format(env=ENV, tests=str(Path(__file__).resolve().parent)))
    env = dict(os.environ)
    env[ENV] = json.dumps({"root": os.path.realpath(root), "capacity": capacity,
                           "trace": str(trace) if trace else None})
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(boot), env.get("PYTHONPATH")) if p)
    return env


SITECUSTOMIZE = """import os, sys
if os.environ.get({env!r}):
    sys.path.insert(0, {tests!r})
    import small_disk
    sys.path.pop(0)
    small_disk.install_from_env()
"""


# -- one disk, either mode ----------------------------------------------------------------------------------
class SmallDisk:
    def __init__(self, root: Path, mode: str, monkeypatch, scratch: Path):
        self.root, self.mode = root, mode
        self.block = PAGE if mode == "tmpfs" else 1
        self.read_only_now = False
        root.mkdir(parents=True, exist_ok=True)
        if mode == "tmpfs":
            if not _run("mount", "-t", "tmpfs", "-o", f"size={TMPFS_BYTES}", "tmpfs", str(root)):
                raise RuntimeError(f"could not mount a tmpfs on {root}")
            self.mounts = 1
            self.budget = None
        else:
            self.budget = Budget(root, 1 << 40)
            patched = budget_open(self.budget)
            monkeypatch.setattr(builtins, "open", patched)
            monkeypatch.setattr(io, "open", patched)
        self.boot = scratch / "boot"

    @property
    def filler(self) -> Path:
        return self.root / "filler.bin"

    def free(self) -> int:
        if self.budget is not None:
            return self.budget.free()
        st = os.statvfs(self.root)
        return st.f_bavail * st.f_frsize

    def leave_free(self, nbytes: int) -> None:
        """Fill the disk so that `nbytes` (rounded down to whole blocks) stay free."""
        nbytes -= nbytes % self.block
        if self.budget is not None:
            self.budget.capacity = self.budget.used() + nbytes
            return
        self.filler.unlink(missing_ok=True)
        size = self.free() - nbytes
        assert size >= 0, f"only {self.free()} bytes free, asked to leave {nbytes}"
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            if size:
                os.posix_fallocate(fd, 0, size)
        finally:
            os.close(fd)
        assert self.free() == nbytes, (self.free(), nbytes)

    def room_for(self, *sizes: int) -> int:
        """The space that files of these sizes take on this disk (whole blocks each)."""
        return sum(-(-size // self.block) * self.block for size in sizes)

    def part_of(self, size: int) -> int:
        """Room for about half of a file of `size` bytes: its write starts and then runs out of space
        (on tmpfs a file under one page gets none: its first write fails)."""
        return self.room_for(size) // 2 // self.block * self.block

    def env(self) -> dict:
        """The environment of a subprocess that must see this disk."""
        if self.budget is None:
            return dict(os.environ)
        return budget_env(self.boot, self.root, self.budget.capacity)

    def in_use(self, entry: dict) -> int:
        """The space in use at a moment of a traced run, as this disk counts it."""
        return entry["pages"] if self.mode == "tmpfs" else entry["bytes"]

    def read_only(self) -> bool:
        """Make everything on the disk unwritable; False where this mode cannot (root ignores chmod).

        tmpfs: a read-only bind mount over the disk, which a file still open for writing (a run's
        lock) does not keep from being made, as it would keep the tmpfs itself."""
        if self.mode == "tmpfs":
            if _run("mount", "--bind", str(self.root), str(self.root)):
                self.mounts += 1
                self.read_only_now = _run("mount", "-o", "remount,bind,ro", str(self.root))
            return self.read_only_now
        if os.geteuid() == 0:
            return False
        for folder, _, files in os.walk(self.root):
            for name in files:
                os.chmod(os.path.join(folder, name), 0o444)
            os.chmod(folder, 0o555)
        self.read_only_now = True
        return True

    def close(self) -> None:
        if self.mode == "tmpfs":
            for _ in range(self.mounts):  # the read-only bind mount, then the tmpfs
                if not _run("umount", str(self.root)):
                    _run("umount", "-l", str(self.root))
        elif self.read_only_now:
            for folder, _, files in os.walk(self.root):
                os.chmod(folder, 0o755)
