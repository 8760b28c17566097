"""Latents you can keep: the latent explorer's bookmarks, the z files that `gan-studio sample --z`
reads, and the command line that reproduces a picture.

A bookmark holds z as the explorer shows it before truncation (moved along any PCA directions, so
it no longer depends on them), the class or codes and ψ: `truncate(z, psi)` with those codes is the
picture. Bookmarks are saved as readable JSON (one bookmark a line, z as a list) or as a `.npy` of
z rows alone; both are read back with a message naming the file when they are malformed.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .atomic import write_atomic
from .codes import CodeLayout
from .latent import truncate
from .readers import DataError, UnreadableFile, json_kind, read_json_object
from .starters import starter_reference

FORMAT = "gan-studio bookmarks"
VERSION = 1


@dataclass
class Bookmark:
    """One kept latent: `truncate(z, psi)` given the codes `codes` is the picture it names."""

    name: str
    z: np.ndarray  # z_dim float32, before truncation
    codes: dict[str, float] = field(default_factory=dict)  # {"class": 3} or {"category": 1, "c1": 0.5}
    psi: float = 1.0
    seed: int | None = None  # the `--seed` z came from, while it is unedited
    checkpoint: str | None = None  # the checkpoint it was made on (None: a live run)

    def latent(self) -> np.ndarray:
        """The latent G is given."""
        return truncate(self.z, self.psi)

    def describe(self) -> str:
        """One line for a list: "#2 · seed 42 · class 3 · ψ 0.70"."""
        parts = [self.name] + ([f"seed {self.seed}"] if self.seed is not None else [])
        parts += [f"{name} {value:g}" for name, value in self.codes.items()]
        return " · ".join(parts + ([f"ψ {self.psi:.2f}"] if self.psi != 1.0 else []))


@dataclass
class Latents:
    """Rows of z that `sample --z` was given, with each row's ψ and codes (a bookmarks file's)."""

    z: np.ndarray  # n × z_dim float32, before truncation
    psi: np.ndarray  # n floats
    codes: list[dict[str, float]] | None = None  # per row; None for a .npy (no codes in it)
    made_on: list[str] = field(default_factory=list)  # the checkpoints a bookmarks file's rows were made on


def beside_checkpoint(checkpoint: str | Path, suffix: str) -> Path:
    """`<checkpoint stem><suffix>` beside the checkpoint (it moves with it when a run is set aside); for a
    `starter:NAME`, installed with the package and perhaps read-only, `NAME<suffix>` in the working folder."""
    starter = starter_reference(checkpoint)
    checkpoint = Path.cwd() / f"{starter}.pt" if starter else Path(checkpoint)
    return checkpoint.with_name(f"{checkpoint.stem}{suffix}")


def default_bookmarks_path(checkpoint: str | Path) -> Path:
    return beside_checkpoint(checkpoint, ".bookmarks.json")


def z_file_for(checkpoint: str | Path, z: np.ndarray) -> Path:
    """Where "copy as command" keeps one z: beside the checkpoint, named by its content, so that
    copying the same z again reuses the file and a command already pasted stays true."""
    digest = hashlib.sha1(np.ascontiguousarray(z, np.float32).tobytes()).hexdigest()[:10]
    return beside_checkpoint(checkpoint, f".z-{digest}.npy")


# -- writing -------------------------------------------------------------------------------
def _float_list(z: np.ndarray) -> list[float]:
    """z's float32 values by their shortest decimals, which read back as the same float32 values."""
    return [float(str(v)) for v in np.asarray(z, np.float32).ravel()]


def bookmarks_json(bookmarks: list[Bookmark], z_dim: int) -> str:
    """The file's text: a header, then one bookmark a line (z as a list of numbers)."""
    rows = [json.dumps({"name": mark.name, "checkpoint": mark.checkpoint, "seed": mark.seed, "psi": float(mark.psi),
                        "codes": dict(mark.codes), "z": _float_list(mark.z)}) for mark in bookmarks]
    head = json.dumps({"format": FORMAT, "version": VERSION, "z_dim": z_dim})[:-1]  # the bookmarks go inside
    return head + ',\n "bookmarks": [\n' + ",\n".join("  " + row for row in rows) + "\n ]\n}\n"


def save_bookmarks(path: str | Path, bookmarks: list[Bookmark], z_dim: int) -> Path:
    """Written atomically (a full disk raises atomic.WriteError and leaves the old file)."""
    write_atomic(path, bookmarks_json(bookmarks, z_dim))
    return Path(path)


def save_z_rows(path: str | Path, rows: np.ndarray) -> Path:
    """z rows (n × z_dim, or one z) as float32 .npy, encoded in memory and written atomically."""
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(rows, np.float32))
    write_atomic(path, buffer.getvalue())
    return Path(path)


# -- reading -------------------------------------------------------------------------------
def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _bookmark(path: Path, k: int, row: object) -> Bookmark:
    """Bookmark number k (from 1) of `path`, or DataError saying what is wrong with it."""
    where = f"{path}: bookmark {k}"
    if not isinstance(row, dict):
        raise DataError(f"{where} is a JSON {json_kind(row)}, not an object")
    z = row.get("z")
    if not isinstance(z, list) or not z or not all(_is_number(v) for v in z):
        raise DataError(f"{where}: \"z\" must be a list of numbers")
    if not all(math.isfinite(v) for v in z):
        raise DataError(f"{where}: \"z\" holds NaN or infinite values")
    psi = row.get("psi", 1.0)
    if not _is_number(psi) or not 0.0 <= psi <= 1.0:
        raise DataError(f"{where}: \"psi\" must be a number from 0 to 1, got {psi!r}")
    codes = row.get("codes") or {}
    if not isinstance(codes, dict) or not all(isinstance(n, str) and _is_number(v) for n, v in codes.items()):
        raise DataError(f"{where}: \"codes\" must map code names to numbers, e.g. {{\"class\": 3}}")
    seed = row.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
        raise DataError(f"{where}: \"seed\" must be a whole number ≥ 0 or null, got {seed!r}")
    name, checkpoint = row.get("name"), row.get("checkpoint")
    return Bookmark(name if isinstance(name, str) and name else f"#{k}", np.asarray(z, np.float32),
                    {n: float(v) for n, v in codes.items()}, float(psi), seed,
                    checkpoint if isinstance(checkpoint, str) else None)


def load_bookmarks(path: str | Path, z_dim: int | None = None) -> list[Bookmark]:
    """The bookmarks of a bookmarks JSON file; DataError naming the file when it is not one, or when
    its z do not have `z_dim` numbers."""
    path = Path(path)
    try:
        data = read_json_object(path)
    except UnreadableFile as exc:
        raise DataError(str(exc)) from None
    rows = data.get("bookmarks")
    if data.get("format") != FORMAT or not isinstance(rows, list):
        raise DataError(f"{path}: not a bookmarks file (expected {{\"format\": \"{FORMAT}\", \"bookmarks\": [...]}})")
    bookmarks = [_bookmark(path, k, row) for k, row in enumerate(rows, 1)]
    sizes = {len(b.z) for b in bookmarks}
    stated = data.get("z_dim")
    if _is_number(stated):
        sizes.add(int(stated))
    if len(sizes) > 1:
        raise DataError(f"{path}: its bookmarks' z have different lengths ({', '.join(map(str, sorted(sizes)))})")
    if z_dim is not None and sizes and sizes != {z_dim}:
        raise DataError(f"{path}: its z have {sizes.pop()} numbers, but this generator's z has {z_dim}")
    return bookmarks


def read_z_rows(path: str | Path, z_dim: int) -> np.ndarray:
    """n × z_dim float32 from a .npy of shape (z_dim,) or (n, z_dim); DataError naming the file when
    it is no .npy, has another shape, holds no numbers or holds NaN / infinities."""
    path = Path(path)
    try:
        array = np.load(path, allow_pickle=False)
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except (ValueError, EOFError) as exc:  # not a .npy (or a pickled object, which is never loaded)
        raise DataError(f"{path}: not a NumPy .npy file of numbers ({exc})") from None
    if not isinstance(array, np.ndarray):
        raise DataError(f"{path}: holds several arrays (an .npz); give one z array as .npy")
    if array.dtype.kind not in "fiu":
        raise DataError(f"{path}: holds {array.dtype} values; z must be real numbers (float32)")
    if array.ndim == 1:
        array = array[None]
    if array.ndim != 2 or array.shape[1] != z_dim or array.shape[0] == 0:
        raise DataError(f"{path}: holds an array of shape {tuple(np.shape(array))}; this generator needs z of "
                        f"shape ({z_dim},) or (n, {z_dim})")
    bad = ~np.isfinite(array).all(1)
    if bad.any():
        raise DataError(f"{path}: row {int(np.argmax(bad))} holds NaN or infinite values")
    return np.ascontiguousarray(array, np.float32)


def read_latents(path: str | Path, z_dim: int) -> Latents:
    """The rows of a `sample --z` file: a .npy of z (ψ 1, no codes) or a bookmarks .json (each row with
    its ψ and codes)."""
    path = Path(path)
    if path.suffix.lower() != ".json":
        rows = read_z_rows(path, z_dim)
        return Latents(rows, np.ones(len(rows), np.float32))
    bookmarks = load_bookmarks(path, z_dim)
    if not bookmarks:
        raise DataError(f"{path}: holds no bookmarks")
    return Latents(np.stack([b.z for b in bookmarks]), np.array([b.psi for b in bookmarks]),
                   [b.codes for b in bookmarks], sorted({b.checkpoint for b in bookmarks if b.checkpoint}))


# -- the command that reproduces a picture --------------------------------------------------
def sample_command(checkpoint: str | Path, out: str | Path, layout: CodeLayout, codes: dict[str, float],
                   psi: float = 1.0, z_file: str | Path | None = None, seed: int | None = None) -> str:
    """`gan-studio sample CKPT (--z FILE | --seed S) [--class K | --code NAME=V …] [--psi P] --out OUT`,
    every code named (so that none falls back to a default), ψ given unless it is 1."""
    if (z_file is None) == (seed is None):
        raise ValueError("a sample command takes z from a file or from a seed: give one of z_file and seed")
    words = ["gan-studio", "sample", str(checkpoint)]
    words += ["--z", str(z_file)] if z_file is not None else ["--seed", str(seed), "--n", "1"]
    for slot in layout.slots:
        value = codes.get(slot.name, 0)
        text = str(int(value)) if slot.kind == "categorical" else repr(float(value))
        words += ["--class", text] if slot.name == "class" else ["--code", f"{slot.name}={text}"]
    if psi != 1.0:
        words += ["--psi", repr(float(psi))]
    words += ["--out", str(out)]
    return shlex.join(words)
