"""Random, differentiable augmentations of image batches for D (the idea of DiffAugment, Zhao et al.
2020): D sees real and fake through the same augmentation, so G is not taught to draw it.
`d_input` applies them, and instance noise, as the config asks."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor


def random_affine(x: Tensor, generator: torch.Generator, degrees: float = 15.0, scale: float = 0.1,
                  shift_pixels: float = 2.0) -> Tensor:
    """Each image of N×C×H×W turned, scaled and shifted at random; bilinear resampling, and outside
    the image the border colour (the background) is repeated."""
    n, _, h, w = x.shape
    u = torch.rand(n, 4, generator=generator, device=generator.device).to(x.device, x.dtype) * 2 - 1
    angle, size = u[:, 0] * math.radians(degrees), 1 + scale * u[:, 1]
    cos, sin = torch.cos(angle) / size, torch.sin(angle) / size  # the grid maps output to input points
    shift = torch.stack([u[:, 2] * (2 * shift_pixels / w), u[:, 3] * (2 * shift_pixels / h)], 1)  # no host copy
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)  # → N×H×W×2
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def random_strokes(x: Tensor, generator: torch.Generator) -> Tensor:
    """Each image's strokes thickened (3×3 max), thinned (3×3 min) or kept, one in three each:
    bright strokes on a dark background, as digits are. Differentiable like random_affine."""
    choice = torch.randint(3, (x.shape[0],), generator=generator, device=generator.device).to(x.device)
    thick = F.max_pool2d(x, 3, 1, 1)
    thin = -F.max_pool2d(-x, 3, 1, 1)
    pick = F.one_hot(choice, 3).to(x.dtype)[:, :, None, None, None]  # → N×3×1×1×1
    return (torch.stack([x, thick, thin], 1) * pick).sum(1)


def d_input(x: Tensor, loss, generator: torch.Generator) -> Tensor:
    """What D sees of a real or fake batch as `loss` (a LossConfig) asks: images augmented (the same way
    for real and fake), then instance noise of σ = loss.instance_noise on any batch (Sønderby et al. 2017)."""
    if loss.augment != "none" and x.dim() == 4:
        x = random_affine(x, generator)
        if loss.augment == "style":
            x = random_strokes(x, generator)
    if loss.instance_noise > 0:
        x = x + loss.instance_noise * torch.randn(x.shape, generator=generator, device=x.device)
    return x
