"""Unrolled GANs (Metz et al. 2017): G is trained against D as D would be after k more updates.

The look-ahead copy of D takes the optimiser's own step (Adam with its current moments, else
plain gradient descent) inside the autograd graph, so G's gradient flows through how D would
respond. D itself, its optimiser and its running statistics are not changed.
"""
from __future__ import annotations

from typing import Callable

import torch
from torch import Tensor, nn
from torch.func import functional_call

Forward = Callable[[Tensor], Tensor]


def look_ahead(d: nn.Module, optimizer: torch.optim.Optimizer, k: int,
               d_loss_with: Callable[[Forward], Tensor]) -> Forward:
    """D's forward under the weights k differentiable optimiser steps on `d_loss_with` would give it.

    `d_loss_with(forward)` is D's loss on a fresh batch when `forward` plays D.
    """
    names = [n for n, _ in d.named_parameters()]
    params = [p for _, p in d.named_parameters()]
    buffers = {n: b.clone() for n, b in d.named_buffers()}  # keep D's running statistics

    def forward_with(weights: list[Tensor]) -> Forward:
        return lambda x: functional_call(d, ({**dict(zip(names, weights)), **buffers},), (x,))

    group = optimizer.param_groups[0]
    moments = _adam_moments(optimizer, params) if "betas" in group else None
    for _ in range(k):
        grads = torch.autograd.grad(d_loss_with(forward_with(params)), params, create_graph=True)
        params, moments = _differentiable_step(params, grads, moments, group)
    return forward_with(params)


def _adam_moments(optimizer: torch.optim.Optimizer, params: list[Tensor]) -> list[tuple]:
    """(first moment, second moment, step count) of each parameter as Adam holds them (None before its first step)."""
    states = [optimizer.state.get(p, {}) for p in params]
    return [(s.get("exp_avg"), s.get("exp_avg_sq"), float(s.get("step", 0))) for s in states]


def _differentiable_step(params: list[Tensor], grads: tuple[Tensor, ...], moments: list[tuple] | None,
                         group: dict) -> tuple[list[Tensor], list[tuple] | None]:
    """One optimiser step as new tensors in the graph: Adam's update with bias correction when there are
    moments, else gradient descent at the group's learning rate."""
    if moments is None:
        return [p - group["lr"] * g for p, g in zip(params, grads)], None
    b1, b2 = group["betas"]
    stepped, new_moments = [], []
    for p, g, (m, v, t) in zip(params, grads, moments):
        m = b1 * (m if m is not None else torch.zeros_like(p)) + (1 - b1) * g
        v = b2 * (v if v is not None else torch.zeros_like(p)) + (1 - b2) * g * g
        t += 1
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        stepped.append(p - group["lr"] * m_hat / (v_hat.sqrt() + group["eps"]))
        new_moments.append((m, v, t))
    return stepped, new_moments
