"""A folder of images as a training set: decoded once, in parallel, then read from a per-user cache.

The first load decodes every image on a pool of threads (Pillow lets go of the GIL while it decodes
and resizes; on the 2-core development machine threads beat processes, see benchmarks/bench_folder.py)
into one uint8 N×C×H×W array, and keeps it in the cache under a key made of the folder's file list
with each file's size and modification time, the image size and the channels. A second start maps
the cached array from disk instead of decoding again; a file added, removed or touched makes a new
key, and the folder's stale entries are removed when the new one is written.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import numpy as np

from .atomic import WriteError, atomic_file
from .progress import say
from .readers import DataError, UnreadableFile, open_image, skipped_files_note

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".ppm", ".pgm"}
CACHE_FORMAT = 1  # part of every key: a change of layout or decoding makes old entries unused
CHUNK = 128  # images per task given to a decoding thread
SHOWN_FROM = 2000  # a decode of this many images says what it does on stderr, with a bar on a terminal

Listing = list[tuple[tuple[str, ...], int, int]]  # (path parts below the folder, bytes, mtime in ns)


def folder_listing(folder: Path) -> Listing:
    """Every image file below `folder` (by suffix, following no symlinked folder) in sorted path order,
    with its size and modification time: what identifies the folder's contents, without opening any."""
    found = []
    for root, _, names in os.walk(folder):
        below = Path(root).relative_to(folder).parts
        for name in names:
            if os.path.splitext(name)[1].lower() not in IMAGE_SUFFIXES:
                continue
            try:
                info = os.stat(os.path.join(root, name))
            except OSError:  # a dangling link, a file removed meanwhile
                continue
            if stat.S_ISREG(info.st_mode):
                found.append(((*below, name), info.st_size, info.st_mtime_ns))
    return sorted(found)


def folder_classes(folder: str | Path) -> list[str] | None:
    """Class names of a labelled image folder, torchvision's ImageFolder layout: each subfolder
    that holds images is a class, in sorted order. None when images lie loose at the top or fewer
    than two subfolders hold any (an unlabelled folder)."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        return None
    loose = any(p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES for p in folder.iterdir())
    # stops at each subfolder's first image: the explorer asks for the names, and folders can be large
    classes = sorted(p.name for p in folder.iterdir()
                     if p.is_dir() and any(f.suffix.lower() in IMAGE_SUFFIXES and f.is_file() for f in p.rglob("*")))
    return None if loose or len(classes) < 2 else classes


def decode_image(path: Path, size: int, channels: int) -> np.ndarray:
    """One image as uint8 channels×size×size: scaled so that its shorter side is `size`, centre-cropped;
    UnreadableFile when it is not an image, is truncated or too large to decode safely."""
    from PIL import Image

    im = open_image(path, "L" if channels == 1 else "RGB")
    scale = size / min(im.size)
    w, h = max(size, round(im.width * scale)), max(size, round(im.height * scale))
    im = im.resize((w, h), Image.BILINEAR)
    left, top = (w - size) // 2, (h - size) // 2
    im = im.crop((left, top, left + size, top + size))
    return np.asarray(im, dtype=np.uint8).reshape(size, size, channels).transpose(2, 0, 1)


def _decode_range(paths: list[Path], start: int, stop: int, out: np.ndarray, size: int,
                  channels: int) -> dict[int, UnreadableFile]:
    """Decode paths[start:stop] into out[start:stop]; the indices that could not be read, and why."""
    failed = {}
    for i in range(start, stop):
        try:
            out[i] = decode_image(paths[i], size, channels)
        except UnreadableFile as exc:
            failed[i] = exc
    return failed


def decode_images(paths: list[Path], size: int, channels: int,
                  workers: int | None = None) -> tuple[np.ndarray, list[int], list[UnreadableFile]]:
    """(uint8 N×C×H×W of the readable images in order, their indices in `paths`, the unreadable files)."""
    out = np.empty((len(paths), channels, size, size), np.uint8)
    if workers is None:  # the cores this process may use
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    failed: dict[int, UnreadableFile] = {}
    bar = _decode_bar(len(paths))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="decode")
    try:
        tasks = {pool.submit(_decode_range, paths, s, min(s + CHUNK, len(paths)), out, size, channels):
                 min(CHUNK, len(paths) - s) for s in range(0, len(paths), CHUNK)}
        for task in as_completed(tasks):
            failed.update(task.result())
            if bar is not None:
                bar.update(tasks[task])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # Ctrl-C: the queued chunks are dropped, not decoded
        if bar is not None:
            bar.close()
    kept = [i for i in range(len(paths)) if i not in failed]
    for j, i in enumerate(kept):  # close the gaps in place: no second copy of a large set
        if i != j:
            out[j] = out[i]
    return out[:len(kept)], kept, [failed[i] for i in sorted(failed)]


def _decode_bar(total: int):
    """tqdm's bar on a terminal for a decode long enough to wait for; None otherwise."""
    if total < SHOWN_FROM or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="image", dynamic_ncols=True, mininterval=0.2, file=sys.stderr)


# ---------------------------------------------------------------------------
# The cache: KEY.npy holds the images, KEY.npz the labels and the skipped files (written last: the mark
# of a whole entry).
# ---------------------------------------------------------------------------
def cache_paths(cache_dir: Path, folder: Path, listing: Listing, size: int, channels: int) -> tuple[Path, Path]:
    """(images .npy, labels .npz) of this folder's entry; its name starts with `cache_prefix`."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{size}|{channels}".encode())
    for parts, nbytes, mtime in listing:
        digest.update(f"{'/'.join(parts)}\0{nbytes}\0{mtime}\n".encode("utf-8", "surrogateescape"))
    stem = f"{cache_prefix(folder, size, channels)}{digest.hexdigest()[:20]}"
    return cache_dir / f"{stem}.npy", cache_dir / f"{stem}.npz"


def cache_prefix(folder: Path, size: int, channels: int) -> str:
    """What all entries of one folder at one size share: its name for people, a hash of its full path."""
    where = hashlib.sha256(str(folder.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{re.sub(r'[^A-Za-z0-9_.-]', '_', folder.name)[:40]}-{where}-{size}px{channels}c-"


def read_cache(images_path: Path, meta_path: Path, folder: Path, size: int, channels: int
               ) -> tuple[np.ndarray, np.ndarray | None, list[UnreadableFile]] | None:
    """The cached (images, labels, skipped files), the images mapped from disk; None when there is no
    entry, or a damaged one (said on stderr: the folder is decoded again)."""
    if not meta_path.exists():
        return None
    try:
        with np.load(meta_path, allow_pickle=False) as meta:
            labels = meta["labels"] if bool(meta["labelled"]) else None
            skipped = [UnreadableFile(folder.joinpath(*str(rel).split("/")), str(reason))
                       for rel, reason in zip(meta["skipped"], meta["reasons"])]
        images = np.load(images_path, mmap_mode="c", allow_pickle=False)  # copy-on-write: torch wants writable
        expected = (channels, size, size)
        if images.dtype != np.uint8 or images.shape[1:] != expected or len(images) == 0:
            raise ValueError(f"it holds {images.dtype} {'×'.join(map(str, images.shape))}, "
                             f"not uint8 N×{'×'.join(map(str, expected))}")
        if labels is not None and (labels.shape != (len(images),) or labels.dtype != np.int64):
            raise ValueError(f"its {labels.shape} labels do not match its {len(images):,} images")
    except Exception as exc:  # noqa: BLE001 - any damage (truncated, not numpy, wrong content) means: decode again
        say(f"gan-studio: note: the image cache {images_path.name} in {images_path.parent} is damaged "
            f"({str(exc).strip() or type(exc).__name__}); decoding {folder} again")
        return None
    return images, labels, skipped


def write_cache(images_path: Path, meta_path: Path, images: np.ndarray, labels: np.ndarray | None,
                skipped: list[UnreadableFile], folder: Path, prefix: str) -> None:
    """Write the entry (whole or absent, images first), then remove the folder's older entries; a full
    disk or a read-only cache only costs the next start its time."""
    try:
        with atomic_file(images_path) as fh:
            np.save(fh, images, allow_pickle=False)
        with atomic_file(meta_path) as fh:
            rel = [str(p.path.relative_to(folder).as_posix()) for p in skipped]
            np.savez(fh, labelled=labels is not None, labels=np.zeros(0, np.int64) if labels is None else labels,
                     skipped=np.array(rel, dtype=str), reasons=np.array([p.reason for p in skipped], dtype=str))
    except WriteError as exc:
        say(f"gan-studio: note: could not keep the decoded images in {exc.filename} ({exc.strerror}); "
            f"the next start decodes {folder} again")
        return
    for old in images_path.parent.iterdir():
        if old.name.startswith(prefix) and old.suffix in (".npy", ".npz") and old.stem != images_path.stem:
            old.unlink(missing_ok=True)


def load_image_folder(folder: str | Path, size: int, channels: int, cache_dir: Path | None = None
                      ) -> tuple[np.ndarray, np.ndarray | None, list[UnreadableFile]]:
    """(uint8 N×C×size×size, int64 labels or None, the files skipped and why): every readable image,
    resized and centre-cropped; labels index `folder_classes` when the folder has class subfolders.
    Unreadable files are skipped, not fatal. With `cache_dir`, read from and written to the cache."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise DataError(f"image folder {folder} does not exist")
    listing = folder_listing(folder)
    paths = cache_paths(cache_dir, folder, listing, size, channels) if cache_dir and listing else None
    cached = read_cache(*paths, folder, size, channels) if paths else None
    if cached is not None:
        return cached
    classes = folder_classes(folder)
    if len(listing) >= SHOWN_FROM:
        say(f"decoding {len(listing):,} images of {folder} (once: kept in {cache_dir or 'no cache'})")
    images, kept, skipped = decode_images([folder.joinpath(*parts) for parts, _, _ in listing], size, channels)
    if not len(images):
        why = f"; {skipped_files_note(folder, skipped, 'image file')}" if skipped else ""
        raise DataError(f"image folder {folder} holds no readable images "
                        f"({', '.join(sorted(IMAGE_SUFFIXES))}){why}")
    labels = None
    if classes:
        class_index = {name: k for k, name in enumerate(classes)}
        labels = np.array([class_index[listing[i][0][0]] for i in kept], dtype=np.int64)
    if paths:
        write_cache(*paths, images, labels, skipped, folder, cache_prefix(folder, size, channels))
    return images, labels, skipped
