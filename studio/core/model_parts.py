"""Parts that every family of generators and discriminators shares (models.py: MLP and DCGAN;
resnet.py: residual networks): how codes reach G, the conditional D's extra terms, spectral norm."""
from __future__ import annotations

import torch
from torch import nn

from .codes import CodeLayout
from .config import ConditionConfig, DiscriminatorConfig


def spectral_norm_if(enabled: bool):
    """Spectral normalisation of a layer's weight (Miyato et al. 2018), or the layer unchanged."""
    return nn.utils.parametrizations.spectral_norm if enabled else (lambda m: m)


class MinibatchStd(nn.Module):
    """Appends the batch's mean standard deviation as one more feature or channel (Karras et al. 2018).

    A collapsed generator makes batches with almost no spread, which D can then see directly.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        spread = (x.var(dim=0, unbiased=False) + 1e-8).sqrt().mean()
        return torch.cat([x, spread.expand(x.shape[0], 1, *x.shape[2:])], 1)


class CodedGenerator(nn.Module):
    """A generator G(z, c) with a code layout; with no c given, G uses the layout's grid rows
    (categorical value = row of a square grid), so callers that only pass z still get every class."""

    layout: CodeLayout

    def code_for(self, z: torch.Tensor, code: torch.Tensor | None) -> torch.Tensor | None:
        if not self.layout:
            return None
        return self.layout.rows(z.shape[0], z.device) if code is None else code.to(z.dtype)


class ConditionalBatchNorm2d(nn.Module):
    """Batch norm whose per-channel scale and shift are linear in the code
    (de Vries et al. 2017; Miyato & Koyama 2018): each class gets its own γ and β."""

    def __init__(self, channels: int, code_dim: int):
        super().__init__()
        self.norm = nn.BatchNorm2d(channels, affine=False)
        self.scale = nn.Linear(code_dim, channels)  # c → γ, starts at 1
        self.shift = nn.Linear(code_dim, channels)  # c → β, starts at 0
        for layer, bias in ((self.scale, 1.0), (self.shift, 0.0)):
            nn.init.normal_(layer.weight, 0.0, 0.02)
            nn.init.constant_(layer.bias, bias)

    def forward(self, x: torch.Tensor, code: torch.Tensor) -> torch.Tensor:
        return self.norm(x) * self.scale(code)[:, :, None, None] + self.shift(code)[:, :, None, None]


def batch_norm_factory(layout: CodeLayout, g_input: str):
    """(whether G's batch norms take the code, a channels → batch-norm layer factory): conditional
    batch norm when the code enters that way (g_input cbn), plain BatchNorm2d otherwise."""
    if layout and g_input == "cbn":
        return True, lambda c: ConditionalBatchNorm2d(c, layout.code_dim)
    return False, nn.BatchNorm2d


def apply_layer(layer: nn.Module, h: torch.Tensor, code: torch.Tensor | None) -> torch.Tensor:
    """A layer of G on h, given the code where it is a conditional batch norm."""
    return layer(h, code) if isinstance(layer, ConditionalBatchNorm2d) else layer(h)


class DiscriminatorHeads(nn.Module):
    """What a conditional D adds to its body's features: the projection term ⟨embed(y), φ(x)⟩
    (cgan with d_input projection) and an auxiliary head (AC-GAN's classifier, InfoGAN's Q, or the class
    head of an unconditional D that learns the real images' classes: discriminator.class_weight)."""

    def __init__(self, cond: ConditionConfig, layout: CodeLayout, n_pooled: int, n_flat: int,
                 d_cfg: DiscriminatorConfig):
        super().__init__()
        spectral = d_cfg.spectral_norm
        self.embed = None
        if cond.kind == "cgan" and cond.d_input == "projection":
            self.embed = spectral_norm_if(spectral)(nn.Linear(layout.code_dim, n_pooled, bias=False))  # y → N×F
            nn.init.normal_(self.embed.parametrizations.weight.original if spectral else self.embed.weight, 0, 0.02)
        self.aux_dim = layout.code_dim if cond.kind in ("acgan", "infogan") else 0
        if d_cfg.class_weight and cond.kind == "none":
            self.aux_dim = cond.classes
        self.aux = None
        if self.aux_dim:
            self.aux = nn.Sequential(nn.Linear(n_flat, 128), nn.LeakyReLU(0.2),  # → N×128
                                     nn.Linear(128, self.aux_dim))  # → class logits (and code means)

    def projection(self, pooled: torch.Tensor, code: torch.Tensor) -> torch.Tensor:
        """⟨embed(c), φ(x)⟩ per sample (N)."""
        return (self.embed(code) * pooled).sum(1)


def code_input_channels(cond: ConditionConfig, layout: CodeLayout) -> int:
    """Channels the code adds to a convolutional D's input: the one-hot class (cgan concat), else 0."""
    return layout.code_dim if cond.kind == "cgan" and cond.d_input == "concat" else 0


def packed_images(x: torch.Tensor, pack: int, code: torch.Tensor | None, code_in: int) -> torch.Tensor:
    """N×C×H×W images → (N/pack)×(C·pack [+ code planes])×H×W: each pack stacked along the channels
    (PacGAN), and under cgan concat the one-hot class as constant planes."""
    n, c, h, w = x.shape
    x = x.reshape(n // pack, c * pack, h, w)
    if code_in:
        x = torch.cat([x, code.to(x.dtype)[:, :, None, None].expand(-1, -1, h, w)], 1)
    return x
