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


def _spectral(enabled: bool):
    return nn.utils.parametrizations.spectral_norm if enabled else (lambda m: m)


def hidden_layers(n_in: int, depth: int, width: int, activation: str, norm: str, dropout: float,
                  spectral: bool = False) -> list[nn.Module]:
    """`depth` blocks of Linear(width), normalisation, activation and dropout."""
    wrap, layers = _spectral(spectral), []
    for i in range(depth):
        layers += [wrap(nn.Linear(n_in if i == 0 else width, width))]
        layers += _norm_layer(norm, width) + [ACTIVATION_LAYERS[activation]()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
    return layers


def mlp(n_in: int, n_out: int, depth: int, width: int, activation: str, norm: str,
        dropout: float) -> nn.Sequential:
    """`depth` hidden layers of `width` units, then a linear output layer."""
    layers = hidden_layers(n_in, depth, width, activation, norm, dropout)
    return nn.Sequential(*layers, nn.Linear(width if depth else n_in, n_out))


class MinibatchStd(nn.Module):
    """Appends the batch's mean standard deviation as one more feature or channel (Karras et al. 2018).

    A collapsed generator makes batches with almost no spread, which D can then see directly.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        spread = (x.var(dim=0, unbiased=False) + 1e-8).sqrt().mean()
        return torch.cat([x, spread.expand(x.shape[0], 1, *x.shape[2:])], 1)


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
    """N samples (flattened, in packs of `pack`) → one logit per pack (N / pack)."""

    def __init__(self, cfg: DiscriminatorConfig, sample_shape: tuple[int, ...]):
        super().__init__()
        self.pack = cfg.pack
        n_in = cfg.pack * math.prod(sample_shape)
        self.body = nn.Sequential(*hidden_layers(n_in, cfg.depth, cfg.width, cfg.activation, cfg.norm,
                                                 cfg.dropout, cfg.spectral_norm))
        self.minibatch_std = MinibatchStd() if cfg.minibatch_std else None
        n_features = (cfg.width if cfg.depth else n_in) + (1 if cfg.minibatch_std else 0)
        self.head = _spectral(cfg.spectral_norm)(nn.Linear(n_features, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.body(x.reshape(x.shape[0] // self.pack, -1))  # → (N/pack)×width
        if self.minibatch_std is not None:
            h = self.minibatch_std(h)
        return self.head(h).view(-1)


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
    """DCGAN D: strided convolutions from C×S×S images (in packs of `pack`) to one logit per pack."""

    def __init__(self, cfg: DiscriminatorConfig, channels: int, size: int):
        super().__init__()
        w, self.pack = cfg.width, cfg.pack
        sn = _spectral(cfg.spectral_norm)
        # Spectral norm already bounds each layer; batch norm on top of it fights it.
        bn = (lambda c: nn.Identity()) if cfg.spectral_norm else nn.BatchNorm2d
        c_in = channels * cfg.pack
        if size == 28:
            self.body = nn.Sequential(
                sn(nn.Conv2d(c_in, w, 4, 2, 1, bias=False)),  # → w×14×14
                nn.LeakyReLU(0.2, True),
                sn(nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False)),  # → 2w×7×7
                bn(2 * w), nn.LeakyReLU(0.2, True))
            c_last, k_last = 2 * w, 7
        else:
            self.body = nn.Sequential(
                sn(nn.Conv2d(c_in, w, 4, 2, 1, bias=False)),  # → w×16×16
                nn.LeakyReLU(0.2, True),
                sn(nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False)),  # → 2w×8×8
                bn(2 * w), nn.LeakyReLU(0.2, True),
                sn(nn.Conv2d(2 * w, 4 * w, 4, 2, 1, bias=False)),  # → 4w×4×4
                bn(4 * w), nn.LeakyReLU(0.2, True))
            c_last, k_last = 4 * w, 4
        self.minibatch_std = MinibatchStd() if cfg.minibatch_std else None
        c_last += 1 if cfg.minibatch_std else 0
        self.head = sn(nn.Conv2d(c_last, 1, k_last, 1, 0, bias=False))  # → 1×1×1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, h, w = x.shape
        features = self.body(x.reshape(n // self.pack, c * self.pack, h, w))
        if self.minibatch_std is not None:
            features = self.minibatch_std(features)
        return self.head(features).view(-1)


def uses_batch_statistics(module: nn.Module) -> bool:
    """Whether a module's output for one sample depends on the rest of its batch."""
    return any(isinstance(m, (nn.modules.batchnorm._BatchNorm, MinibatchStd)) for m in module.modules())


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
