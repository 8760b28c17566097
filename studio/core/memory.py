"""Requests too large for this machine's memory are refused up front with the estimate, rather than
tried until the system kills the process (or swaps for minutes first)."""
from __future__ import annotations

import math
import os

from .config import Config, ConfigError

MEMORY_SHARE = 0.5  # at most this share of physical memory for one request's arrays
FLOAT_BYTES = 4


def physical_memory() -> int | None:
    """Bytes of RAM, or None where the system does not say."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # Windows has no sysconf
        return None


def format_bytes(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


def sample_bytes(config: Config, n: int) -> int:
    """The least memory that `n` samples of `config`'s generator take: their noise and the samples,
    float32 (the generator's own activations come on top)."""
    per_sample = 2 if config.is_2d else config.data.channels * config.data.image_size ** 2
    return n * (per_sample + config.generator.z_dim) * FLOAT_BYTES


def check_samples_fit(config: Config, n: int, option: str = "--n") -> None:
    """ConfigError with the estimate and the memory there is, when `n` samples need more than
    MEMORY_SHARE of this machine's memory."""
    total = physical_memory()
    needed = sample_bytes(config, n)
    if total is None or needed <= total * MEMORY_SHARE:
        return
    most = math.floor(total * MEMORY_SHARE / sample_bytes(config, 1))
    raise ConfigError(f"{option} {n:,} needs at least {format_bytes(needed)} of memory for the samples alone, "
                      f"more than half of this machine's {format_bytes(total)}; ask for at most {most:,}")
