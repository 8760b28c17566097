"""Residual generator and discriminator at 32×32 and 64×64: the SNGAN / BigGAN layout
(Miyato et al. 2018; Brock et al. 2019) that GAN libraries default to.

G: z → linear → 4×4 → up-sampling blocks (BN-ReLU-up-sample-conv3×3-BN-ReLU-conv3×3, plus a 1×1
shortcut) → BN-ReLU-conv3×3 → tanh. D: an optimised first block, blocks of ReLU-conv3×3-ReLU-conv3×3
with average-pool down-sampling, ReLU, a sum over positions and a linear head; every weight of D is
spectrally normalised when discriminator.spectral_norm is set (the SNGAN setting). The conditional
variants reuse the DCGAN's parts: the code concatenated to z or conditional batch norm in every block
of G; D's projection term and auxiliary head on the pooled features, or the class as input planes.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from .codes import CodeLayout
from .config import RESNET_SIZES, ConditionConfig, DiscriminatorConfig, GeneratorConfig
from .model_parts import (CodedGenerator, DiscriminatorHeads, MinibatchStd, apply_layer, batch_norm_factory,
                          code_input_channels, packed_images, spectral_norm_if)

# Channels as multiples of `width` per image size (RESNET_SIZES), SNGAN's numbers at width 64: CIFAR's
# G 256 and D 128 at 32×32; 1024 → 64 and 64 → 1024 at 64×64. G: at 4×4, then after each up-sampling block.
G_STAGES = {32: (4, 4, 4, 4), 64: (16, 8, 4, 2, 1)}
# D: (channels, whether the block halves the side) per block, from the image down.
D_STAGES = {32: ((2, True), (2, True), (2, False), (2, False)),
            64: ((1, True), (2, True), (4, True), (8, True), (16, False))}


def conv(c_in: int, c_out: int, kernel: int, gain: float = 1.0, wrap=lambda m: m) -> nn.Conv2d:
    """A same-padded convolution with SNGAN's Xavier-uniform weights (gain √2 inside residual
    branches, 1 elsewhere), initialised before `wrap` (spectral norm) takes its first estimate."""
    layer = nn.Conv2d(c_in, c_out, kernel, 1, kernel // 2)
    nn.init.xavier_uniform_(layer.weight, gain)
    nn.init.zeros_(layer.bias)
    return wrap(layer)


class UpBlock(nn.Module):
    """c_in × S × S → c_out × 2S × 2S: BN-ReLU-up-sample-conv3×3-BN-ReLU-conv3×3 plus a 1×1
    convolution of the up-sampled input; `bn` makes plain or conditional batch norms."""

    def __init__(self, c_in: int, c_out: int, bn):
        super().__init__()
        self.bn1, self.act1 = bn(c_in), nn.ReLU()
        self.up = nn.Upsample(scale_factor=2)  # nearest neighbour
        self.conv1 = conv(c_in, c_out, 3, math.sqrt(2))
        self.bn2, self.act2 = bn(c_out), nn.ReLU()
        self.conv2 = conv(c_out, c_out, 3, math.sqrt(2))
        self.shortcut = conv(c_in, c_out, 1)

    def forward(self, x: torch.Tensor, code: torch.Tensor | None) -> torch.Tensor:
        h = self.conv1(self.up(self.act1(apply_layer(self.bn1, x, code))))
        h = self.conv2(self.act2(apply_layer(self.bn2, h, code)))
        return h + self.up(self.shortcut(x))  # a 1×1 convolution commutes with nearest up-sampling


class DownBlock(nn.Module):
    """c_in × S × S → c_out × S/2 × S/2 (or S × S without `down`): ReLU-conv3×3-ReLU-conv3×3-avg-pool
    plus a 1×1 convolution of the input where the shapes differ. The `first` block sees the image
    itself: no ReLU before its first convolution, and its shortcut pools before convolving (SNGAN's
    optimised block)."""

    def __init__(self, c_in: int, c_out: int, down: bool, first: bool, wrap):
        super().__init__()
        self.first = first
        self.act1 = nn.Identity() if first else nn.ReLU()
        self.conv1 = conv(c_in, c_out, 3, math.sqrt(2), wrap)
        self.act2 = nn.ReLU()
        self.conv2 = conv(c_out, c_out, 3, math.sqrt(2), wrap)
        self.pool = nn.AvgPool2d(2) if down else nn.Identity()
        self.shortcut = conv(c_in, c_out, 1, 1.0, wrap) if first or down or c_in != c_out else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.pool(self.conv2(self.act2(self.conv1(self.act1(x)))))
        skip = self.shortcut(self.pool(x)) if self.first else self.pool(self.shortcut(x))
        return h + skip


def _check_size(size: int) -> None:
    if size not in RESNET_SIZES:
        raise ValueError(f"the residual networks are built for {RESNET_SIZES} pixels, not {size}")


class ResNetGenerator(CodedGenerator):
    """z (N×z_dim) → C×S×S images in [-1, 1], S = 32 or 64.

    The code c enters concatenated to z (g_input concat) or through conditional batch norm in
    every block (cbn, as in BigGAN and the projection-discriminator paper).
    """

    def __init__(self, cfg: GeneratorConfig, channels: int, size: int, layout: CodeLayout = CodeLayout([]),
                 g_input: str = "concat"):
        super().__init__()
        _check_size(size)
        self.layout = layout
        self.cbn, bn = batch_norm_factory(layout, g_input)
        stages = [m * cfg.width for m in G_STAGES[size]]
        n_in = cfg.z_dim + (layout.code_dim if layout and not self.cbn else 0)
        self.linear = nn.Linear(n_in, stages[0] * 16)  # → stages[0]×4×4
        nn.init.xavier_uniform_(self.linear.weight)
        nn.init.zeros_(self.linear.bias)
        self.blocks = nn.ModuleList(UpBlock(a, b, bn) for a, b in zip(stages, stages[1:]))  # → ×2 each
        self.out = nn.Sequential(nn.BatchNorm2d(stages[-1]), nn.ReLU(), conv(stages[-1], channels, 3), nn.Tanh())

    def forward(self, z: torch.Tensor, code: torch.Tensor | None = None) -> torch.Tensor:
        code = self.code_for(z, code)
        h = z if code is None or self.cbn else torch.cat([z, code], 1)
        h = self.linear(h).view(z.shape[0], -1, 4, 4)
        for block in self.blocks:
            h = block(h, code)
        return self.out(h)


class ResNetDiscriminator(nn.Module):
    """C×S×S images (in packs of `pack`) → one logit per pack: residual blocks, ReLU, the sum over
    positions φ(x), and a linear head (plus ⟨embed(y), φ(x)⟩ for a projection cgan)."""

    def __init__(self, cfg: DiscriminatorConfig, channels: int, size: int,
                 cond: ConditionConfig = ConditionConfig(), layout: CodeLayout = CodeLayout([])):
        super().__init__()
        _check_size(size)
        self.pack = cfg.pack
        wrap = spectral_norm_if(cfg.spectral_norm)
        self.code_in = code_input_channels(cond, layout)
        c = channels * cfg.pack + self.code_in  # cgan concat: the one-hot class as constant planes
        blocks = []
        for i, (multiple, down) in enumerate(D_STAGES[size]):
            blocks.append(DownBlock(c, multiple * cfg.width, down, i == 0, wrap))
            c = multiple * cfg.width
        self.blocks = nn.Sequential(*blocks)  # → c×4×4
        self.minibatch_std = MinibatchStd() if cfg.minibatch_std else None
        c += 1 if cfg.minibatch_std else 0
        self.act = nn.ReLU()
        head = nn.Linear(c, 1)
        nn.init.xavier_uniform_(head.weight)
        nn.init.zeros_(head.bias)
        self.head = wrap(head)
        self.heads = DiscriminatorHeads(cond, layout, c, c, cfg)

    def forward(self, x: torch.Tensor, code: torch.Tensor | None = None, aux: bool = False):
        """Logits (N/pack); with `aux`, also the auxiliary head's outputs (N×aux_dim)."""
        features = self.blocks(packed_images(x, self.pack, code, self.code_in))
        if self.minibatch_std is not None:
            features = self.minibatch_std(features)
        pooled = self.act(features).sum((2, 3))  # φ(x): N×C
        logits = self.head(pooled).view(-1)
        if self.heads.embed is not None:
            logits = logits + self.heads.projection(pooled, code.to(pooled.dtype))
        return (logits, self.heads.aux(pooled)) if aux else logits
