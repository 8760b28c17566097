"""The standard Fréchet Inception Distance (Heusel et al. 2017) of a generator against its run's data.

Computed by torchmetrics' `FrechetInceptionDistance` on torch-fidelity's InceptionV3, the optional `fid`
extra (`pip install 'gan-studio[fid]'`). Why that library: it is well kept (Lightning AI), it takes image
tensors batch by batch (no image files written), its Inception is torch-fidelity's port of the TensorFlow
network the published figures use, resized as TensorFlow 1 did (`antialias=False`), and it accepts any
feature extractor, so the Fréchet computation itself is tested offline. The weights (~95 MB) are fetched
once into torch's hub cache, and checked against the hash in their name.

The evaluator's own Fréchet distance (`evaluator.py`, on a small digit classifier) stays what the window
shows for digit sets; this one is comparable with papers, and slow on a CPU (Inception at 299×299).
"""
from __future__ import annotations

import copy
import hashlib
import socket
import sys
from pathlib import Path
from typing import Iterable, Iterator

import torch
from torch import nn

from .config import Config, ConfigError
from .readers import DataError

WEIGHTS_SHA256_PREFIX = "6726825d"  # the -6726825d in the file's name, torch.hub's convention
DOWNLOAD_TIMEOUT_S = 30
BATCH = 50


def fid_metric_class():
    """torchmetrics' FrechetInceptionDistance, or a ConfigError naming the extra to install."""
    try:
        from torchmetrics.image.fid import FrechetInceptionDistance
        import torch_fidelity  # noqa: F401 - torchmetrics builds its Inception from it
    except ImportError as exc:
        raise ConfigError(f"--fid needs torchmetrics and torch-fidelity ({exc.msg}): "
                          f"pip install 'gan-studio[fid]'") from None
    return FrechetInceptionDistance


def weights_url() -> str:
    from torch_fidelity.feature_extractor_inceptionv3 import URL_INCEPTION_V3

    return URL_INCEPTION_V3


def weights_path() -> Path:
    """Where torch's hub cache keeps the Inception weights (honours $TORCH_HOME and $XDG_CACHE_HOME)."""
    return Path(torch.hub.get_dir()) / "checkpoints" / weights_url().rsplit("/", 1)[-1]


def inception_weights() -> Path:
    """The Inception weights file, downloaded on first use; DataError saying which URL failed and where to
    put the file by hand when offline, or that a file in its place is not the weights."""
    path, url = weights_path(), weights_url()
    if not path.exists():
        say_download(url, path)
        previous = socket.getdefaulttimeout()
        socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_S)  # a silent network fails, it does not hang
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            torch.hub.download_url_to_file(url, str(path), hash_prefix=None, progress=sys.stderr.isatty())
        except Exception as exc:  # noqa: BLE001 - URLError, HTTPError, timeouts, a full disk: all say the same
            raise DataError(f"could not download the Inception weights for FID from {url} ({reason(exc)}). "
                            f"Offline? Download that file elsewhere and put it at {path}") from None
        finally:
            socket.setdefaulttimeout(previous)
    digest = sha256_of(path)
    if not digest.startswith(WEIGHTS_SHA256_PREFIX):
        raise DataError(f"{path} is not the Inception weights for FID (its SHA-256 starts {digest[:8]}, expected "
                        f"{WEIGHTS_SHA256_PREFIX}): delete it, or replace it with the file from {url}")
    return path


def say_download(url: str, path: Path) -> None:
    from .progress import say

    say(f"downloading the Inception weights for FID (once) from {url} to {path}")


def reason(exc: BaseException) -> str:
    inner = getattr(exc, "reason", None)  # URLError wraps the socket's error
    return str(inner if inner is not None else exc).strip() or type(exc).__name__


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def to_inception_input(images: torch.Tensor) -> torch.Tensor:
    """Images as the Inception takes them: uint8 RGB N×3×H×W; float images in [-1, 1] are rounded to bytes
    as a PNG of them would be, grayscale is repeated into three channels."""
    if images.dtype != torch.uint8:
        images = ((images.float() + 1) * 127.5).round_().clamp_(0, 255).to(torch.uint8)
    return images.expand(-1, 3, -1, -1) if images.shape[1] == 1 else images


def frechet_inception_distance(real: Iterable[torch.Tensor], fake: Iterable[torch.Tensor],
                               feature: nn.Module | None = None, device: torch.device | str = "cpu") -> float:
    """FID between two streams of image batches (uint8, or float in [-1, 1]); `feature` replaces the
    Inception (whose weights are then not needed), e.g. to check the distance on known features."""
    metric_class = fid_metric_class()
    if feature is None:
        metric = metric_class(feature=2048, feature_extractor_weights_path=str(inception_weights()), antialias=False)
    else:
        metric = metric_class(feature=feature)
    metric = metric.to(device)
    for is_real, batches in ((True, real), (False, fake)):
        for images in batches:
            metric.update(to_inception_input(images).to(device), real=is_real)
    return float(metric.compute())


def generator_fid(g: nn.Module, config: Config, n: int, seed: int, device: torch.device | str | None = None,
                  feature: nn.Module | None = None) -> dict:
    """{"fid", "fid_n_real", "fid_n_fake"}: FID of `n` samples of `g` against up to `n` images of the run's
    data set (a random subset when larger; papers use 50,000 samples, and fewer read higher). `feature`
    stands in for the Inception, as in `frechet_inception_distance`."""
    from .data import load_dataset
    from .noise import config_noise

    if config.is_2d:
        raise ConfigError(f"--fid needs image data; {config.data.name} is a 2-D set (its metrics are modes, KL and JS)")
    fid_metric_class()
    if feature is None:
        inception_weights()  # before the data and the samples: offline fails at once
    device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
    data = load_dataset(config.data)
    chosen = torch.randperm(len(data), generator=torch.Generator().manual_seed(seed))[:n]
    noise = torch.Generator().manual_seed(seed)
    g = copy.deepcopy(g).to(device).eval()  # the caller's G stays where it is

    def real() -> Iterator[torch.Tensor]:
        for i in range(0, len(chosen), BATCH):
            yield data.x[chosen[i:i + BATCH].to(data.x.device)]

    def fake() -> Iterator[torch.Tensor]:
        for i in range(0, n, BATCH):
            with torch.no_grad():
                yield g(config_noise(config, min(BATCH, n - i), noise).to(device))

    return {"fid": frechet_inception_distance(real(), fake(), feature, device),
            "fid_n_real": len(chosen), "fid_n_fake": n}
