"""Files that are whole or absent: write a temporary file beside the target, fsync, rename.

A process killed at any moment leaves either the old file or the new one, never half of one;
readers skip the temporary names (they start with a dot and end in .tmp).
"""
from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO, Iterator


class WriteError(OSError):
    """A file could not be written (a full disk, a read-only folder): `filename` is the file that was
    asked for, never a temporary name, and `strerror` says why, so a message can name both."""


def write_error(exc: BaseException, path: str | Path) -> WriteError | None:
    """`exc` as a WriteError naming `path` when a disk error lies behind it (torch.save wraps one in a
    RuntimeError); None for anything else (a bug, Ctrl-C), which must pass unchanged."""
    for _ in range(8):  # the cause/context chain, never a cycle
        if isinstance(exc, WriteError):
            return exc
        if isinstance(exc, OSError):
            return WriteError(exc.errno, exc.strerror or str(exc), str(path))
        if not isinstance(exc, Exception):
            return None
        exc = exc.__cause__ or exc.__context__
    return None


@contextmanager
def atomic_file(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file handle whose content replaces `path` only when the block ends without error.

    Whatever fails (a full disk at a write, the fsync or the rename, a read-only folder) the temporary
    file is removed and `path` keeps what it held; a disk error is raised as a WriteError naming `path`.
    """
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:  # closes fd whatever fails below
            # mkstemp makes 0600; a shared run must be readable as open() would make it
            os.fchmod(fd, 0o666 & ~current_umask())
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            with suppress(OSError):
                os.unlink(tmp)
        error = write_error(exc, path)
        if error is None or error is exc:
            raise
        raise error from exc


def append_whole(path: str | Path, data: bytes) -> None:
    """Append `data` with one write, or nothing: when the disk fills up during it the file is cut back
    to its old length, so a follower never reads half a line (raises WriteError naming `path`)."""
    try:
        with open(path, "ab", buffering=0) as fh:
            size = os.fstat(fh.fileno()).st_size
            try:
                if fh.write(data) != len(data):  # a short write to a file: the disk filled up during it
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            except BaseException:
                with suppress(OSError):
                    fh.truncate(size)
                raise
    except OSError as exc:
        raise write_error(exc, path) from exc


def write_atomic(path: str | Path, data: bytes | str) -> None:
    with atomic_file(path) as fh:
        fh.write(data.encode() if isinstance(data, str) else data)


def current_umask() -> int:
    """The process's umask (read without changing it where Linux tells; else set and restored at once)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
