"""Generators and discriminators: MLPs for points and flat images, DCGAN for 28×28, 32×32 and 64×64;
`build_models` also builds the residual networks of resnet.py.

Discriminators return one raw score (a logit) per sample; losses decide what it means.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from .codes import CodeLayout
from .config import ConditionConfig, Config, DiscriminatorConfig, GeneratorConfig
from .model_parts import (CodedGenerator, DiscriminatorHeads, MinibatchStd, apply_layer, batch_norm_factory,
                          code_input_channels, packed_images, spectral_norm_if)
from .resnet import ResNetDiscriminator, ResNetGenerator

ACTIVATION_LAYERS = {
    "relu": lambda: nn.ReLU(),
    "leaky_relu": lambda: nn.LeakyReLU(0.2),
    "tanh": lambda: nn.Tanh(),
    "elu": lambda: nn.ELU(),
    "gelu": lambda: nn.GELU(),
}


def _norm_layer(kind: str, width: int) -> list[nn.Module]:
    return {"none": [], "batch": [nn.BatchNorm1d(width)], "layer": [nn.LayerNorm(width)]}[kind]


class StreamDropout(nn.Dropout):
    """Dropout whose masks come from `generator` once the trainer sets it (its own stream, checkpointed with
    the run) instead of torch's global generator, which anything else in the process may draw from (the
    window's evaluator does): so a seed gives the same run in the window, the CLI and a script."""

    generator: torch.Generator | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.generator is None:
            return super().forward(x)
        keep = torch.empty_like(x).bernoulli_(1 - self.p, generator=self.generator)
        return x * keep / (1 - self.p)


def draw_dropout_from(model: nn.Module, generator: torch.Generator) -> None:
    """Every StreamDropout of `model` draws its masks from `generator`."""
    for module in model.modules():
        if isinstance(module, StreamDropout):
            module.generator = generator


def hidden_layers(n_in: int, depth: int, width: int, activation: str, norm: str, dropout: float,
                  spectral: bool = False) -> list[nn.Module]:
    """`depth` blocks of Linear(width), normalisation, activation and dropout."""
    wrap, layers = spectral_norm_if(spectral), []
    for i in range(depth):
        layers += [wrap(nn.Linear(n_in if i == 0 else width, width))]
        layers += _norm_layer(norm, width) + [ACTIVATION_LAYERS[activation]()]
        if dropout > 0:
            layers.append(StreamDropout(dropout))
    return layers


def mlp(n_in: int, n_out: int, depth: int, width: int, activation: str, norm: str,
        dropout: float) -> nn.Sequential:
    """`depth` hidden layers of `width` units, then a linear output layer."""
    layers = hidden_layers(n_in, depth, width, activation, norm, dropout)
    return nn.Sequential(*layers, nn.Linear(width if depth else n_in, n_out))


class MLPGenerator(CodedGenerator):
    """[z, c] (N×(z_dim + code_dim)) → a point (N×2) or an image (N×C×H×W in [-1, 1] through tanh).

    The one-hot class concatenated to z meets the first linear layer, whose columns for c
    are the class embedding.
    """

    def __init__(self, cfg: GeneratorConfig, sample_shape: tuple[int, ...], layout: CodeLayout = CodeLayout([])):
        super().__init__()
        self.sample_shape, self.layout = sample_shape, layout
        self.net = mlp(cfg.z_dim + layout.code_dim, math.prod(sample_shape), cfg.depth, cfg.width,
                       cfg.activation, cfg.norm, cfg.dropout)
        self.out = nn.Tanh() if len(sample_shape) == 3 else nn.Identity()

    def forward(self, z: torch.Tensor, code: torch.Tensor | None = None) -> torch.Tensor:
        code = self.code_for(z, code)
        h = z if code is None else torch.cat([z, code], 1)
        return self.out(self.net(h)).view(z.shape[0], *self.sample_shape)


class MLPDiscriminator(nn.Module):
    """N samples (flattened, in packs of `pack`; with c appended under cgan concat) → one logit per pack."""

    def __init__(self, cfg: DiscriminatorConfig, sample_shape: tuple[int, ...],
                 cond: ConditionConfig = ConditionConfig(), layout: CodeLayout = CodeLayout([])):
        super().__init__()
        self.pack = cfg.pack
        self.code_in = code_input_channels(cond, layout)
        n_in = cfg.pack * math.prod(sample_shape) + self.code_in
        self.body = nn.Sequential(*hidden_layers(n_in, cfg.depth, cfg.width, cfg.activation, cfg.norm,
                                                 cfg.dropout, cfg.spectral_norm))
        self.minibatch_std = MinibatchStd() if cfg.minibatch_std else None
        n_features = (cfg.width if cfg.depth else n_in) + (1 if cfg.minibatch_std else 0)
        self.head = spectral_norm_if(cfg.spectral_norm)(nn.Linear(n_features, 1))
        self.heads = DiscriminatorHeads(cond, layout, n_features, n_features, cfg)

    def forward(self, x: torch.Tensor, code: torch.Tensor | None = None, aux: bool = False):
        """Logits (N/pack); with `aux`, also the auxiliary head's outputs (N×aux_dim)."""
        x = x.reshape(x.shape[0] // self.pack, -1)
        if self.code_in:
            x = torch.cat([x, code.to(x.dtype)], 1)
        h = self.body(x)  # → (N/pack)×width
        if self.minibatch_std is not None:
            h = self.minibatch_std(h)
        logits = self.head(h).view(-1)
        if self.heads.embed is not None:
            logits = logits + self.heads.projection(h, code.to(h.dtype))
        return (logits, self.heads.aux(h)) if aux else logits


def doubling(c_in: int, c_out: int, upsample: str) -> nn.Module:
    """A layer that doubles the side of its input: a stride-2 transposed convolution, or (resize) nearest
    upsampling and a 3×3 convolution, whose every output pixel sees the same kernel, so no checkerboard."""
    if upsample == "resize":
        return nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c_in, c_out, 3, 1, 1, bias=False))
    return nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=False)


class DCGANGenerator(CodedGenerator):
    """DCGAN (Radford et al. 2016): transposed convolutions from z to a C×S×S image, S = 28, 32 or 64.

    At 32 and 64, the PyTorch DCGAN example's layout: z → 4×4 with 2^(n-1)·w channels, then n
    stride-2 transposed convolutions, each doubling the side and halving the channels (64: 8w → w);
    generator.upsample resize swaps each for an upsampling and a convolution (`doubling`).
    The code c enters as extra input channels (g_input concat) or through conditional batch norm (cbn).
    """

    def __init__(self, cfg: GeneratorConfig, channels: int, size: int, layout: CodeLayout = CodeLayout([]),
                 g_input: str = "concat"):
        super().__init__()
        w, self.layout = cfg.width, layout
        self.cbn, bn = batch_norm_factory(layout, g_input)
        n_in = cfg.z_dim + (layout.code_dim if layout and not self.cbn else 0)
        if size == 28:
            self.net = nn.Sequential(
                nn.ConvTranspose2d(n_in, 4 * w, 7, 1, 0, bias=False),  # → 4w×7×7
                bn(4 * w), nn.ReLU(True),
                doubling(4 * w, 2 * w, cfg.upsample),  # → 2w×14×14
                bn(2 * w), nn.ReLU(True),
                doubling(2 * w, channels, cfg.upsample),  # → C×28×28
                nn.Tanh())
            return
        c = w * size // 8  # 32: 4w, 64: 8w
        layers = [nn.ConvTranspose2d(n_in, c, 4, 1, 0, bias=False), bn(c), nn.ReLU(True)]  # → c×4×4
        while c > w:  # → c/2 × twice the side, down to w × S/2
            layers += [doubling(c, c // 2, cfg.upsample), bn(c // 2), nn.ReLU(True)]
            c //= 2
        self.net = nn.Sequential(*layers, doubling(w, channels, cfg.upsample),  # → C×S×S
                                 nn.Tanh())

    def forward(self, z: torch.Tensor, code: torch.Tensor | None = None) -> torch.Tensor:
        code = self.code_for(z, code)
        if code is None or self.cbn:
            h = z.view(z.shape[0], -1, 1, 1)
        else:
            h = torch.cat([z, code], 1).view(z.shape[0], -1, 1, 1)
        for layer in self.net:
            h = apply_layer(layer, h, code)
        return h


class DCGANDiscriminator(nn.Module):
    """DCGAN D: strided convolutions from C×S×S images (in packs of `pack`) to one logit per pack.

    At 32 and 64 the mirror of the generator: w channels at S/2, doubling while the side halves
    down to 4×4 (64: w → 8w), then a 4×4 convolution to the logit.
    """

    def __init__(self, cfg: DiscriminatorConfig, channels: int, size: int,
                 cond: ConditionConfig = ConditionConfig(), layout: CodeLayout = CodeLayout([])):
        super().__init__()
        w, self.pack = cfg.width, cfg.pack
        sn = spectral_norm_if(cfg.spectral_norm)
        # Spectral norm already bounds each layer; batch norm on top of it fights it.
        bn = (lambda c: nn.Identity()) if cfg.spectral_norm else nn.BatchNorm2d
        self.code_in = code_input_channels(cond, layout)
        c_in = channels * cfg.pack + self.code_in  # cgan concat: the one-hot class as constant planes
        if size == 28:
            self.body = nn.Sequential(
                sn(nn.Conv2d(c_in, w, 4, 2, 1, bias=False)),  # → w×14×14
                nn.LeakyReLU(0.2, True),
                sn(nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False)),  # → 2w×7×7
                bn(2 * w), nn.LeakyReLU(0.2, True))
            c_last, k_last = 2 * w, 7
        else:
            layers = [sn(nn.Conv2d(c_in, w, 4, 2, 1, bias=False)), nn.LeakyReLU(0.2, True)]  # → w × S/2
            c_last, k_last = w, 4
            for _ in range(int(math.log2(size)) - 3):  # → 2c × half the side, down to 4×4
                layers += [sn(nn.Conv2d(c_last, 2 * c_last, 4, 2, 1, bias=False)), bn(2 * c_last),
                           nn.LeakyReLU(0.2, True)]
                c_last *= 2
            self.body = nn.Sequential(*layers)
        self.minibatch_std = MinibatchStd() if cfg.minibatch_std else None
        c_last += 1 if cfg.minibatch_std else 0
        self.head = sn(nn.Conv2d(c_last, 1, k_last, 1, 0, bias=False))  # → 1×1×1
        self.heads = DiscriminatorHeads(cond, layout, c_last, c_last * k_last * k_last, cfg)

    def forward(self, x: torch.Tensor, code: torch.Tensor | None = None, aux: bool = False):
        """Logits (N/pack); with `aux`, also the auxiliary head's outputs (N×aux_dim)."""
        features = self.body(packed_images(x, self.pack, code, self.code_in))
        if self.minibatch_std is not None:
            features = self.minibatch_std(features)
        logits = self.head(features).view(-1)
        if self.heads.embed is not None:  # φ(x): features averaged over positions → N×C
            logits = logits + self.heads.projection(features.mean((2, 3)), code.to(features.dtype))
        return (logits, self.heads.aux(features.flatten(1))) if aux else logits


def uses_batch_statistics(module: nn.Module) -> bool:
    """Whether a module's output for one sample depends on the rest of its batch."""
    return any(isinstance(m, (nn.modules.batchnorm._BatchNorm, MinibatchStd)) for m in module.modules())


def dcgan_init(module: nn.Module) -> None:
    """Weights ~ N(0, 0.02), batch-norm scales ~ N(1, 0.02), as in the DCGAN paper."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            weight = m.parametrizations.weight.original if hasattr(m, "parametrizations") else m.weight
            nn.init.normal_(weight, 0.0, 0.02)
        elif isinstance(m, nn.BatchNorm2d) and m.affine:
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)


def data_shape(config: Config) -> tuple[int, ...]:
    """Shape of one data sample: (2,) for points, (C, S, S) for images."""
    if config.is_2d:
        return (2,)
    return (config.data.channels, config.data.image_size, config.data.image_size)


def build_models(config: Config) -> tuple[nn.Module, nn.Module]:
    """(G, D) for a config."""
    g_cfg, d_cfg, cond = config.generator, config.discriminator, config.cond
    layout = CodeLayout.from_config(config)
    shape = data_shape(config)
    image = len(shape) == 3
    channels, size = (shape[0], shape[-1]) if image else (0, 0)
    if g_cfg.arch == "dcgan":
        g = DCGANGenerator(g_cfg, channels, size, layout, cond.g_input)
        dcgan_init(g)
    elif g_cfg.arch == "resnet":
        g = ResNetGenerator(g_cfg, channels, size, layout, cond.g_input)  # initialised as SNGAN does
    else:
        g = MLPGenerator(g_cfg, shape, layout)
    if d_cfg.arch == "dcgan":
        d = DCGANDiscriminator(d_cfg, channels, size, cond, layout)
        dcgan_init(d)
    elif d_cfg.arch == "resnet":
        d = ResNetDiscriminator(d_cfg, channels, size, cond, layout)
    else:
        d = MLPDiscriminator(d_cfg, shape, cond, layout)
    return g, d
