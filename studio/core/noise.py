"""G's noise z: one function, so training, fixed noise, `sample` and `eval` draw it the same way.

Gaussian N(0, 1) is the default (DCGAN); uniform U(-1, 1) is the original GAN paper's choice and
has hard edges, which show on 2-D data as a generator's sharp-cornered output.
"""
from __future__ import annotations

import torch

NOISE_KINDS = ("gaussian", "uniform")


def draw_noise(kind: str, n: int, z_dim: int, generator: torch.Generator | None = None,
               device: torch.device | str | None = None) -> torch.Tensor:
    """n×z_dim noise of `kind` ("gaussian" or "uniform" on [-1, 1]) from `generator`."""
    if kind == "uniform":
        return torch.rand(n, z_dim, generator=generator, device=device).mul_(2).sub_(1)
    if kind == "gaussian":
        return torch.randn(n, z_dim, generator=generator, device=device)
    raise ValueError(f"noise must be one of {', '.join(NOISE_KINDS)}, got {kind!r}")


def config_noise(config, n: int, generator: torch.Generator | None = None,
                 device: torch.device | str | None = None) -> torch.Tensor:
    """draw_noise with the kind and z_dim of a run's config."""
    return draw_noise(config.generator.noise, n, config.generator.z_dim, generator, device)
