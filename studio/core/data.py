"""Training data: 2-D points as float, images as uint8, each set held as one tensor.

A batch is one `randint` and one index, with no DataLoader. Images stay uint8 (a quarter of float32's
memory: 200,000 RGB 64×64 images take 2.3 GiB) and only the drawn batch becomes float in [-1, 1]. A set
that fits the training device lives there; one that does not stays in (pinned) host memory and each
batch is copied over (`placement`).
"""
from __future__ import annotations

import dataclasses
import gzip
import math
import os
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .config import TOY_DATASETS, ConfigError, DataConfig
from .digits import render_digits
from .image_folder import folder_classes, load_image_folder
from .readers import DataError, SkippedContent, skipped_files_note

DEVICE_SHARE = 0.5  # a set goes onto a CUDA device when it takes at most this share of the free memory


@dataclass
class Dataset:
    """Raw coordinates for 2-D sets (float N×2) or images (uint8 N×C×H×W, 0…255); `batch` gives floats,
    images in [-1, 1]. `device` is where batches go when `x` stays in host memory (too large for it)."""

    name: str
    x: torch.Tensor
    labels: torch.Tensor | None = None
    centres: np.ndarray | None = None  # mode centres, K×2, for 2-D sets with known modes
    sigma: float | None = None  # standard deviation of each mode
    notes: tuple[str, ...] = ()  # what loading left out, for people (unreadable files skipped)
    device: torch.device | None = None  # None: where x is

    @property
    def is_2d(self) -> bool:
        return self.x.dim() == 2

    @property
    def sample_shape(self) -> tuple[int, ...]:
        return tuple(self.x.shape[1:])

    def __len__(self) -> int:
        return self.x.shape[0]

    def _draw(self, n: int, generator: torch.Generator) -> torch.Tensor:
        return torch.randint(len(self), (n,), generator=generator, device=generator.device)

    def _take(self, idx: torch.Tensor) -> torch.Tensor:
        """Rows idx of x as float, on the training device (copied from pinned host memory when x is there)."""
        if self.x.is_pinned():  # gathered into pinned memory, so the copy overlaps the device's work
            rows = torch.empty((len(idx), *self.x.shape[1:]), dtype=self.x.dtype, pin_memory=True)
            torch.index_select(self.x, 0, idx.cpu(), out=rows)
        else:
            rows = self.x[idx.to(self.x.device)]
        return as_float(rows.to(self.device or self.x.device, non_blocking=True))

    def batch(self, n: int, generator: torch.Generator) -> torch.Tensor:
        return self._take(self._draw(n, generator))

    def labelled_batch(self, n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor | None]:
        """(n random samples, their labels or None): one draw, so a conditional D sees each x with its y."""
        idx = self._draw(n, generator)
        return self._take(idx), None if self.labels is None else self.labels[idx.to(self.labels.device)]

    def as_float(self) -> torch.Tensor:
        """The whole set as float (images in [-1, 1]), where x is: 4× the memory of uint8 images, for
        small sets only (the digit evaluator); training draws `batch`es instead."""
        return as_float(self.x)

    def to(self, device: torch.device | str) -> "Dataset":
        """On `device` when it fits there (see `placement`), else in host memory with batches sent to it."""
        device = torch.device(device)
        where = placement(self.x.numel() * self.x.element_size(), device)
        x = self.x.to(where.device)
        if where.pin:
            try:
                x = x.pin_memory()
            except RuntimeError:  # the system refuses to lock that much memory: pageable copies, slower
                pass
        labels = None if self.labels is None else self.labels.to(device)
        return dataclasses.replace(self, x=x, labels=labels, device=None if where.device == device else device)


@dataclass(frozen=True)
class Placement:
    device: torch.device  # where the set's tensor is kept
    pin: bool  # page-locked host memory, for asynchronous copies to a CUDA device


def placement(nbytes: int, device: torch.device, free_bytes: int | None = None) -> Placement:
    """Where a set of `nbytes` is kept for training on `device`: on a CUDA device when it takes at most
    DEVICE_SHARE of its free memory (`free_bytes`, asked of the device when None), leaving the rest to
    the models; otherwise in host memory, pinned. The CPU (and Apple's unified memory) keep it where
    it is asked for."""
    if device.type != "cuda":
        return Placement(device, False)
    if free_bytes is None:
        free_bytes = torch.cuda.mem_get_info(device)[0]
    if nbytes <= free_bytes * DEVICE_SHARE:
        return Placement(device, False)
    return Placement(torch.device("cpu"), torch.cuda.is_available())


# ---------------------------------------------------------------------------
# 2-D sets
# ---------------------------------------------------------------------------
RING_SIGMA = 0.01
GRID_SIGMA = 0.05


def ring_centres() -> np.ndarray:
    """8 modes at angles 2πi/8 on the unit circle (VEEGAN, PacGAN)."""
    angles = 2 * np.pi * np.arange(8) / 8
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def grid_centres() -> np.ndarray:
    """25 modes at {-4,-2,0,2,4}²."""
    ticks = np.arange(-4, 5, 2, dtype=np.float64)
    return np.array([(x, y) for x in ticks for y in ticks])


def toy_points(name: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray | None, float | None]:
    """(points N×2, mode centres or None, σ or None) for one of the 2-D sets; a `points:PATH` file
    gives all its points, normalised, and the clusters found in them (n and seed unused)."""
    if name.startswith("points:"):
        from .points import load_points

        return load_points(name)
    rng = np.random.default_rng(seed)
    if name in ("ring", "grid"):
        centres, sigma = (ring_centres(), RING_SIGMA) if name == "ring" else (grid_centres(), GRID_SIGMA)
        which = rng.integers(len(centres), size=n)
        return centres[which] + sigma * rng.standard_normal((n, 2)), centres, sigma
    if name == "spiral":
        t = np.sqrt(rng.uniform(0, 1, n)) * 3 * np.pi
        pts = np.stack([t * np.cos(t), t * np.sin(t)], 1) / (3 * np.pi) * 2
        return pts + 0.03 * rng.standard_normal((n, 2)), None, None
    if name == "moons":
        upper = rng.uniform(size=n) < 0.5
        t = rng.uniform(0, np.pi, n)
        x = np.where(upper, np.cos(t), 1 - np.cos(t))
        y = np.where(upper, np.sin(t), 0.5 - np.sin(t))
        pts = np.stack([x - 0.5, y - 0.25], 1)
        return pts + 0.05 * rng.standard_normal((n, 2)), None, None
    if name == "circles":
        radius = np.where(rng.uniform(size=n) < 0.5, 1.0, 0.5)
        t = rng.uniform(0, 2 * np.pi, n)
        pts = radius[:, None] * np.stack([np.cos(t), np.sin(t)], 1)
        return pts + 0.03 * rng.standard_normal((n, 2)), None, None
    if name == "swissroll":
        t = 1.5 * np.pi * (1 + 2 * rng.uniform(size=n))
        pts = np.stack([t * np.cos(t), t * np.sin(t)], 1) / 10
        return pts + 0.05 * rng.standard_normal((n, 2)), None, None
    raise ConfigError(f"data.name must be one of {', '.join(TOY_DATASETS)}, got {name!r}")


# ---------------------------------------------------------------------------
# MNIST and Fashion-MNIST: raw IDX files
# ---------------------------------------------------------------------------
IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: str | Path) -> np.ndarray:
    """Parse an IDX file (gzip or plain) as written by LeCun et al.; DataError naming the file when it
    is not gzip, is cut short, or its header does not describe its contents."""
    path = Path(path)
    raw = _read_maybe_gzip(path)
    if not raw:
        raise DataError(f"{path} is empty")
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in IDX_DTYPES:
        hint = "; it is gzip data: name it .gz" if raw[:2] == b"\x1f\x8b" else ""
        raise DataError(f"{path} is not an IDX file (bad magic number {raw[:4].hex() or 'none'}, expected "
                        f"0000 then a type byte and the number of dimensions){hint}")
    ndim, dtype = raw[3], np.dtype(IDX_DTYPES[raw[2]])
    if len(raw) < 4 + 4 * ndim:
        raise DataError(f"{path} is truncated: its header promises {ndim} dimensions, the file ends first")
    shape = struct.unpack(f">{ndim}I", raw[4:4 + 4 * ndim])
    expected = math.prod(shape) * dtype.itemsize
    body = raw[4 + 4 * ndim:]
    if len(body) < expected:
        raise DataError(f"{path} is truncated: expected {expected:,} bytes of data for shape "
                        f"{'×'.join(map(str, shape))}, found {len(body):,}")
    if len(body) > expected:
        raise DataError(f"{path} does not match its header: {len(body) - expected:,} bytes more than the "
                        f"{expected:,} that shape {'×'.join(map(str, shape))} takes")
    return np.frombuffer(body, dtype=dtype).reshape(shape).copy()  # writable, for torch


def _read_maybe_gzip(path: Path) -> bytes:
    """The bytes of `path`, gunzipped when it ends in .gz; DataError saying what is wrong with it."""
    try:
        if path.suffix != ".gz":
            return path.read_bytes()
        with gzip.open(path, "rb") as fh:
            return fh.read()
    except gzip.BadGzipFile as exc:
        what = "is not gzip" if "Not a gzipped file" in str(exc) else f"is a damaged gzip file ({exc})"
        raise DataError(f"{path} {what}: download it again") from None
    except EOFError:
        raise DataError(f"{path} is truncated: the gzip stream ends early (an interrupted download?)") from None
    except zlib.error as exc:
        raise DataError(f"{path} is a damaged gzip file ({exc}): download it again") from None
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror or exc}") from None


TORCHVISION_CLASSES = {"mnist": "MNIST", "fashion-mnist": "FashionMNIST"}


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "gan-studio" / "datasets"


def find_idx_pair(folder: Path) -> tuple[Path, Path] | None:
    """The training split if present, else the test split; plain or .gz; in folder or folder/*/raw."""
    candidates = [folder] + sorted(folder.glob("*/raw")) + sorted(folder.glob("raw"))
    for split in ("train", "t10k"):
        for where in candidates:
            for suffix in (".gz", ""):
                images = where / f"{split}-images-idx3-ubyte{suffix}"
                labels = where / f"{split}-labels-idx1-ubyte{suffix}"
                if images.exists() and labels.exists():
                    return images, labels
    return None


def load_idx_dataset(name: str, root: str) -> tuple[np.ndarray, np.ndarray]:
    """(uint8 images N×28×28, int64 labels) from `root`, or downloaded into the cache."""
    if root:
        folder = Path(root).expanduser()
        pair = find_idx_pair(folder)
        if pair is None:
            raise DataError(f"no {name} IDX files in {folder}: put train-images-idx3-ubyte.gz and "
                            f"train-labels-idx1-ubyte.gz (or the t10k- pair) there")
    else:
        folder = default_cache_dir() / name
        pair = find_idx_pair(folder)
        if pair is None:
            pair = _download(name, folder)
    images, labels = read_idx(pair[0]), read_idx(pair[1])
    if images.ndim != 3 or images.dtype != np.uint8 or labels.ndim != 1 or len(images) != len(labels):
        raise DataError(f"{pair[0]} ({'×'.join(map(str, images.shape))} {images.dtype}) and {pair[1]} "
                        f"({len(labels):,} labels) do not form an image/label pair: expected N×H×W unsigned "
                        f"bytes and N labels")
    return images, labels.astype(np.int64)


def _download(name: str, folder: Path) -> tuple[Path, Path]:
    import torchvision.datasets as tvd

    folder.mkdir(parents=True, exist_ok=True)
    try:
        getattr(tvd, TORCHVISION_CLASSES[name])(root=str(folder), train=True, download=True)
    except Exception as exc:  # torchvision raises RuntimeError/URLError/OSError when offline
        raise DataError(f"could not download {name} ({exc}). Offline? Put the raw IDX .gz files "
                        f"(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz) in {folder} "
                        f"or pass --data-root DIR") from None
    pair = find_idx_pair(folder)
    if pair is None:
        raise DataError(f"download of {name} left no IDX files in {folder}")
    return pair


def cached_digits(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """render_digits, kept in the per-user cache: rendering 10,000 takes seconds on a laptop."""
    path = default_cache_dir() / f"digits-v1-n{n}-seed{seed}.npz"
    try:
        with np.load(path) as cached:
            return cached["images"], cached["labels"]
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):  # missing or damaged: rendered again
        pass
    images, labels = render_digits(n, seed=seed)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
        np.savez(tmp, images=images, labels=labels)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only costs time
    return images, labels


FASHION_MNIST_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                         "Bag", "Ankle boot")


def class_names(cfg: DataConfig) -> list[str] | None:
    """What label k means, for people: Fashion-MNIST's garments, a labelled folder's subfolder names;
    None where the label is its own name (digits) or there are no labels. Reads no images."""
    if cfg.name == "fashion-mnist":
        return list(FASHION_MNIST_CLASSES)
    if cfg.name.startswith("folder:"):
        return folder_classes(cfg.name[len("folder:"):])
    return None


# ---------------------------------------------------------------------------
def as_float(x: torch.Tensor) -> torch.Tensor:
    """uint8 images → float in [-1, 1]; float tensors (2-D points) as they are. On the CPU the engine's
    division, as it always was; elsewhere a lookup of the CPU's 256 values, since a device's division
    by 127.5 may round differently (and the same seed must give the same batches everywhere)."""
    if x.dtype != torch.uint8:
        return x
    if x.device.type == "cpu":
        return x.float().div_(127.5).sub_(1.0)  # a lookup is 16× slower on a CPU
    table = _UNIT_RANGE.get(x.device)
    if table is None:
        table = _UNIT_RANGE[x.device] = as_float(torch.arange(256).to(torch.uint8)).to(x.device)
    return table[x.long()]


_UNIT_RANGE: dict[torch.device, torch.Tensor] = {}  # per device: the float of each byte


def as_nchw(images_u8: np.ndarray) -> torch.Tensor:
    """uint8 N×H×W (grayscale) → N×1×H×W, sharing memory."""
    return torch.from_numpy(images_u8).unsqueeze(1)


def fit_size(x: torch.Tensor, size: int) -> torch.Tensor:
    """Pad 28×28 to 32×32 (or crop the other way) so one set serves both model sizes; the padding is
    background (-1, or 0 in uint8 images)."""
    current = x.shape[-1]
    if current == size:
        return x
    if current < size:
        pad = (size - current) // 2
        return torch.nn.functional.pad(x, (pad, size - current - pad) * 2, value=0 if x.dtype == torch.uint8 else -1.0)
    off = (current - size) // 2
    return x[..., off:off + size, off:off + size].contiguous()


def load_dataset(cfg: DataConfig, device: torch.device | str = "cpu") -> Dataset:
    """The data set a config names, on `device` (or in host memory when too large for it), less `held_out`."""
    name = cfg.name
    if name in TOY_DATASETS or name.startswith("points:"):
        pts, centres, sigma = toy_points(name, cfg.n_samples, cfg.seed)
        return Dataset(name, torch.from_numpy(pts).float(), None, centres, sigma).to(device)
    x, y, notes = _image_set(cfg)
    keep = _kept(cfg, len(x))
    return Dataset(name, x[:keep], None if y is None else y[:keep], notes=notes).to(device)


def held_out(cfg: DataConfig) -> tuple[np.ndarray, np.ndarray | None]:
    """The last `cfg.holdout` images of an image set, which training never sees (uint8 N×C×H×W as training
    would see them) and their labels (None for an unlabelled folder): for inversion and nearest neighbours."""
    x, y, _ = _image_set(cfg)
    keep = _kept(cfg, len(x))
    return x[keep:].numpy(), None if y is None else y[keep:].numpy()


def _kept(cfg: DataConfig, n: int) -> int:
    """How many images training keeps: all but the held-out ones, and at least one."""
    if cfg.holdout >= n:
        raise ConfigError(f"data.holdout must leave images to train on: {cfg.name} has {n:,} images, "
                          f"got holdout {cfg.holdout:,}")
    return n - cfg.holdout


def _image_set(cfg: DataConfig) -> tuple[torch.Tensor, torch.Tensor | None, tuple[str, ...]]:
    """(all images uint8 N×C×H×W at the config's size and channels, labels or None, loading notes)."""
    name, notes = cfg.name, ()
    if name == "digits":
        images, labels = cached_digits(cfg.n_samples, cfg.seed)
        x, y = as_nchw(images), torch.from_numpy(labels)
    elif name in TORCHVISION_CLASSES:
        images, labels = load_idx_dataset(name, cfg.root)
        x, y = as_nchw(images), torch.from_numpy(labels)
    elif name.startswith("folder:"):
        folder = name[len("folder:"):]
        images, labels, skipped = load_image_folder(folder, cfg.image_size, cfg.channels,
                                                    default_cache_dir() / "folders")
        x, y = torch.from_numpy(images), None if labels is None else torch.from_numpy(labels)
        if skipped:  # the CLI prints the warning, the window shows the note
            notes = (skipped_files_note(Path(folder).expanduser(), skipped, "image file"),)
            warnings.warn(notes[0], SkippedContent, stacklevel=2)
    else:
        raise ConfigError(f"unknown data set {name!r}")
    if x.shape[1] != cfg.channels:  # grayscale digits for an RGB model (folders load as asked)
        x = x.expand(-1, cfg.channels, -1, -1).contiguous()
    return fit_size(x, cfg.image_size), y, notes


def square_extent(ds: Dataset) -> float:
    """Half-width of a square that frames a 2-D set with a margin (for plots and heatmaps)."""
    reach = float(ds.x.abs().max()) if len(ds) else 1.0
    return math.ceil(reach * 1.25 * 10) / 10
