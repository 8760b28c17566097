"""What keeps D smooth beside its loss: WGAN-GP's gradient penalty, R1, and WGAN's weight clipping."""
from __future__ import annotations

import functools

import torch
from torch import Tensor, nn


def gradient_penalty(d, real: Tensor, fake: Tensor, generator: torch.Generator | None = None) -> Tensor:
    """WGAN-GP (Gulrajani et al. 2017): E[(‖∇D(x̂)‖ - 1)²] on random interpolates x̂."""
    shape = (real.shape[0],) + (1,) * (real.dim() - 1)
    alpha = torch.rand(shape, generator=generator, device=real.device, dtype=real.dtype)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    scores = d(mixed)
    (grad,) = torch.autograd.grad(scores.sum(), mixed, create_graph=True)
    return ((grad.reshape(len(scores), -1).norm(dim=1) - 1.0) ** 2).mean()  # one norm per D input (pack)


def r1_penalty(real: Tensor, real_scores: Tensor) -> Tensor:
    """R1 (Mescheder et al. 2018): E[‖∇D(x)‖²] on real data; the caller weighs it by γ/2.

    `real` must have had requires_grad set before D saw it.
    """
    (grad,) = torch.autograd.grad(real_scores.sum(), real, create_graph=True)
    return grad.reshape(len(real_scores), -1).pow(2).sum(1).mean()


def needs_real_gradient(kind: str) -> bool:
    """R1 differentiates D's scores with respect to the real batch, so that batch must require grad."""
    return kind == "r1"


def d_penalties(loss, d, real: Tensor, fake: Tensor, real_scores: Tensor, generator: torch.Generator,
                real_code: Tensor | None = None) -> list[Tensor]:
    """The weighted penalty terms that `loss` (a LossConfig) adds to D's loss: λ·GP, γ/2·R1, or none.

    WGAN-GP's interpolates are judged with the real batch's class (`real_code`, under cgan).
    """
    if loss.kind == "wgan-gp":
        critic = functools.partial(d, code=real_code)
        return [loss.gp_lambda * gradient_penalty(critic, real, fake, generator)]
    if loss.kind == "r1":
        return [0.5 * loss.r1_gamma * r1_penalty(real, real_scores)]
    return []


@torch.no_grad()
def clip_weights(module: nn.Module, bound: float) -> None:
    """The original WGAN's Lipschitz constraint: every weight of D clamped into [-bound, bound]."""
    for p in module.parameters():
        p.clamp_(-bound, bound)
