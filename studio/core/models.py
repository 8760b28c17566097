"""Generators and discriminators: MLPs for points and flat images, DCGAN for 28×28 and 32×32.

Discriminators return one raw score (a logit) per sample; losses decide what it means.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from .config import Config, DiscriminatorConfig, GeneratorConfig

ACTIVATION_LAYERS = {
    "relu": lambda: nn.ReLU(),
    "leaky_relu": lambda: nn.LeakyReLU(0.2),
    "tanh": lambda: nn.Tanh(),
    "elu": lambda: nn.ELU(),
    "gelu": lambda: nn.GELU(),
}


def _norm_layer(kind: str, width: int) -> list[nn.Module]:
    return {"none": [], "batch": [nn.BatchNorm1d(width)], "layer": [nn.LayerNorm(width)]}[kind]


def mlp(n_in: int, n_out: int, depth: int, width: int, activation: str, norm: str,
        dropout: float, spectral: bool = False) -> nn.Sequential:
    """`depth` hidden layers of `width` units, then a linear output layer."""
    wrap = nn.utils.parametrizations.spectral_norm if spectral else (lambda m: m)
    layers: list[nn.Module] = []
    for i in range(depth):
        layers += [wrap(nn.Linear(n_in if i == 0 else width, width))]
        layers += _norm_layer(norm, width) + [ACTIVATION_LAYERS[activation]()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
    layers.append(wrap(nn.Linear(width if depth else n_in, n_out)))
    return nn.Sequential(*layers)


class MLPGenerator(nn.Module):
    """z (N×z_dim) → a point (N×2) or an image (N×C×H×W in [-1, 1] through tanh)."""

    def __init__(self, cfg: GeneratorConfig, sample_shape: tuple[int, ...]):
        super().__init__()
        self.sample_shape = sample_shape
        self.net = mlp(cfg.z_dim, math.prod(sample_shape), cfg.depth, cfg.width,
                       cfg.activation, cfg.norm, cfg.dropout)
        self.out = nn.Tanh() if len(sample_shape) == 3 else nn.Identity()

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.out(self.net(z)).view(z.shape[0], *self.sample_shape)


class MLPDiscriminator(nn.Module):
    """A sample (flattened) → one logit (N)."""

    def __init__(self, cfg: DiscriminatorConfig, sample_shape: tuple[int, ...]):
        super().__init__()
        self.net = mlp(math.prod(sample_shape), 1, cfg.depth, cfg.width, cfg.activation,
                       cfg.norm, cfg.dropout, cfg.spectral_norm)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.flatten(1)).view(-1)


class DCGANGenerator(nn.Module):
    """DCGAN (Radford et al. 2016): transposed convolutions from z to a C×S×S image, S = 28 or 32."""

    def __init__(self, cfg: GeneratorConfig, channels: int, size: int):
        super().__init__()
        w = cfg.width
        if size == 28:
            self.net = nn.Sequential(
                nn.ConvTranspose2d(cfg.z_dim, 4 * w, 7, 1, 0, bias=False),  # → 4w×7×7
                nn.BatchNorm2d(4 * w), nn.ReLU(True),
                nn.ConvTranspose2d(4 * w, 2 * w, 4, 2, 1, bias=False),  # → 2w×14×14
                nn.BatchNorm2d(2 * w), nn.ReLU(True),
                nn.ConvTranspose2d(2 * w, channels, 4, 2, 1, bias=False),  # → C×28×28
                nn.Tanh())
        else:
            self.net = nn.Sequential(
                nn.ConvTranspose2d(cfg.z_dim, 4 * w, 4, 1, 0, bias=False),  # → 4w×4×4
                nn.BatchNorm2d(4 * w), nn.ReLU(True),
                nn.ConvTranspose2d(4 * w, 2 * w, 4, 2, 1, bias=False),  # → 2w×8×8
                nn.BatchNorm2d(2 * w), nn.ReLU(True),
                nn.ConvTranspose2d(2 * w, w, 4, 2, 1, bias=False),  # → w×16×16
                nn.BatchNorm2d(w), nn.ReLU(True),
                nn.ConvTranspose2d(w, channels, 4, 2, 1, bias=False),  # → C×32×32
                nn.Tanh())

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z.view(z.shape[0], -1, 1, 1))


class DCGANDiscriminator(nn.Module):
    """DCGAN D: strided convolutions from a C×S×S image to one logit."""

    def __init__(self, cfg: DiscriminatorConfig, channels: int, size: int):
        super().__init__()
        w = cfg.width
        sn = nn.utils.parametrizations.spectral_norm if cfg.spectral_norm else (lambda m: m)
        # Spectral norm already bounds each layer; batch norm on top of it fights it.
        bn = (lambda c: nn.Identity()) if cfg.spectral_norm else nn.BatchNorm2d
        if size == 28:
            self.net = nn.Sequential(
                sn(nn.Conv2d(channels, w, 4, 2, 1, bias=False)),  # → w×14×14
                nn.LeakyReLU(0.2, True),
                sn(nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False)),  # → 2w×7×7
                bn(2 * w), nn.LeakyReLU(0.2, True),
                sn(nn.Conv2d(2 * w, 1, 7, 1, 0, bias=False)))  # → 1×1×1
        else:
            self.net = nn.Sequential(
                sn(nn.Conv2d(channels, w, 4, 2, 1, bias=False)),  # → w×16×16
                nn.LeakyReLU(0.2, True),
                sn(nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False)),  # → 2w×8×8
                bn(2 * w), nn.LeakyReLU(0.2, True),
                sn(nn.Conv2d(2 * w, 4 * w, 4, 2, 1, bias=False)),  # → 4w×4×4
                bn(4 * w), nn.LeakyReLU(0.2, True),
                sn(nn.Conv2d(4 * w, 1, 4, 1, 0, bias=False)))  # → 1×1×1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).view(-1)


def dcgan_init(module: nn.Module) -> None:
    """Weights ~ N(0, 0.02), batch-norm scales ~ N(1, 0.02), as in the DCGAN paper."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            weight = m.parametrizations.weight.original if hasattr(m, "parametrizations") else m.weight
            nn.init.normal_(weight, 0.0, 0.02)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)


def data_shape(config: Config) -> tuple[int, ...]:
    """Shape of one data sample: (2,) for points, (C, S, S) for images."""
    if config.is_2d:
        return (2,)
    return (config.data.channels, config.data.image_size, config.data.image_size)


def build_models(config: Config) -> tuple[nn.Module, nn.Module]:
    """(G, D) for a config."""
    g_cfg, d_cfg = config.generator, config.discriminator
    shape = data_shape(config)
    image = len(shape) == 3
    channels, size = (shape[0], shape[-1]) if image else (0, 0)
    if g_cfg.arch == "dcgan":
        g = DCGANGenerator(g_cfg, channels, size)
        dcgan_init(g)
    else:
        g = MLPGenerator(g_cfg, shape)
    if d_cfg.arch == "dcgan":
        d = DCGANDiscriminator(d_cfg, channels, size)
        dcgan_init(d)
    else:
        d = MLPDiscriminator(d_cfg, shape)
    return g, d
