"""Shapeless images made from a batch of real ones: what is no digit, for a classifier to doubt.

A classifier trained only on digits is sure of almost anything, a GAN's speckled blob included
(0.97-1.00 without these). Seeing these with a uniform target (outlier exposure, Hendrycks, Mazeika &
Dietterich 2019) teaches it that sureness needs a digit's shape. The evaluator's classifier is trained so,
and `loss.outlier_weight` trains D's classifier so.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F


def outliers(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Shapeless images as many as `x` (real, in [-1, 1]), a sixth of each kind a GAN makes on the way:
    ghosts (two digits blended half and half), smudges (a heavy blur), low-frequency blobs, speckle (a third
    of the pixels replaced by noise), inverted digits (a white page) and black-and-white textures.
    `gen` lives on x's device."""
    n, q = len(x), len(x) // 6
    ghosts = 0.5 * (x[:q] + x[_shuffled(n, gen, x)[:q]])
    smudges = x[q:2 * q]
    for _ in range(3):
        smudges = F.avg_pool2d(smudges, 5, 1, 2, count_include_pad=False)
    low, high = smudges.amin((1, 2, 3), keepdim=True), smudges.amax((1, 2, 3), keepdim=True)
    smudges = 2 * (smudges - low) / (high - low).clamp_min(1e-3) - 1  # stretched back to [-1, 1]
    field = F.interpolate(_randn((q, x.shape[1], 7, 7), gen, x), size=x.shape[-2:], mode="bilinear",
                          align_corners=False)
    blobs = 2 * torch.sigmoid(3 * (field - 0.8)) - 1
    some = x[3 * q:4 * q]
    noisy = _rand(some.shape, gen, x) < 0.35
    speckle = torch.where(noisy, _rand(some.shape, gen, x) * 2 - 1, some)
    inverted = -x[4 * q:5 * q]
    return torch.cat([ghosts, smudges, blobs, speckle, inverted, textures(n - 5 * q, x.shape[1:], gen, x)])


def textures(n: int, shape: torch.Size, gen: torch.Generator, like: torch.Tensor) -> torch.Tensor:
    """n blocky black-and-white patterns, a third each of 1-, 2- and 4-pixel cells, each at a density of its own
    (on `like`'s device and dtype).

    What a G draws once it has found a blind spot of D: a fully connected G on MNIST settled on a white page
    of dark diagonal strokes, which a classifier trained without these was 0.97 sure is a digit.
    """
    c, h, w = shape
    parts = []
    for i, cell in enumerate((1, 2, 4)):
        k = n // 3 if i < 2 else n - 2 * (n // 3)
        field = F.interpolate(_randn((k, c, h // cell, w // cell), gen, like), size=(h, w), mode="nearest")
        threshold = _rand((k, 1, 1, 1), gen, like) * 2 - 1
        parts.append(torch.where(field > threshold, 1.0, -1.0).to(like.dtype))
    return torch.cat(parts)


def _shuffled(n: int, gen: torch.Generator, like: torch.Tensor) -> torch.Tensor:
    """A random order of n; off the CPU by sorting uniform keys, which a recorded CUDA graph can replay."""
    if like.device.type == "cpu":
        return torch.randperm(n, generator=gen)
    return _rand((n,), gen, like).argsort()


def _randn(shape, gen: torch.Generator, like: torch.Tensor) -> torch.Tensor:
    return torch.randn(shape, generator=gen, device=like.device, dtype=like.dtype)


def _rand(shape, gen: torch.Generator, like: torch.Tensor) -> torch.Tensor:
    return torch.rand(shape, generator=gen, device=like.device, dtype=like.dtype)
