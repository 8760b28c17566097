"""The optimisers of G and D, and what the training step does around theirs: gradient norms
for the metrics and the exponential moving average (EMA) of G's weights."""
from __future__ import annotations

import math

import torch
from torch import nn


def make_optimizer(name: str, params, lr: float, beta1: float, beta2: float) -> torch.optim.Optimizer:
    """Fused kernels where this torch has them (Adam's step is 6× faster fused on a CPU)."""
    params = list(params)
    kinds = {"adam": (torch.optim.Adam, {"betas": (beta1, beta2)}),
             "rmsprop": (torch.optim.RMSprop, {"alpha": beta2}),
             "sgd": (torch.optim.SGD, {"momentum": beta1})}
    cls, options = kinds[name]
    if name != "rmsprop":
        try:
            return cls(params, lr=lr, fused=True, **options)
        except (RuntimeError, TypeError, ValueError):
            pass  # an older torch or a device without the fused kernel
    return cls(params, lr=lr, **options)


def lr_factor(optim, total_steps: int, step: int) -> float:
    """The share of lr_g and lr_d that the `step`-th update (0-based) uses under optim.lr_decay.

    A late decay lets a run that found its answer settle on it instead of jittering around it.
    """
    if optim.lr_decay == "none" or step <= optim.decay_start:
        return 1.0
    end = optim.decay_end or total_steps
    progress = min((step - optim.decay_start) / (end - optim.decay_start), 1.0) if end > optim.decay_start else 1.0
    return optim.lr_floor + (1.0 - optim.lr_floor) * 0.5 * (1.0 + math.cos(math.pi * progress))


IMPLEMENTATION_FLAGS = ("fused", "foreach", "capturable", "differentiable")


def load_optimizer_state(optimizer: torch.optim.Optimizer, state: dict) -> None:
    """`optimizer.load_state_dict(state)`, keeping this optimiser's own kernel choices: a file written on
    a GPU names the GPU's (fused, capturable), which a CPU may not have. Step counts then sit where
    those choices want them: on the parameters' device for fused or capturable kernels, else on the CPU."""
    own = [{k: group[k] for k in IMPLEMENTATION_FLAGS if k in group} for group in optimizer.param_groups]
    optimizer.load_state_dict(state)
    for group, flags in zip(optimizer.param_groups, own):
        group.update(flags)
        on_device = group.get("fused") or group.get("capturable")
        for p in group["params"]:
            step = optimizer.state.get(p, {}).get("step")
            if torch.is_tensor(step):
                optimizer.state[p]["step"] = step.to(p.device, torch.float32) if on_device else step.cpu()


def set_hyperparameters(optimizer: torch.optim.Optimizer, lr: float, beta1: float, beta2: float) -> None:
    """Live changes: the learning rate, and β1/β2 in whichever role make_optimizer gave them."""
    for group in optimizer.param_groups:
        group["lr"] = lr
        if "betas" in group:
            group["betas"] = (beta1, beta2)
        elif "momentum" in group:
            group["momentum"] = beta1
        elif "alpha" in group:
            group["alpha"] = beta2


def grad_norm(module: nn.Module) -> torch.Tensor:
    """‖∇θ‖ over all of a module's parameters, in one fused kernel where torch has it."""
    grads = [p.grad.detach() for p in module.parameters() if p.grad is not None]
    if not grads:  # on the module's device, so that it stacks with the other metrics
        return torch.zeros((), device=next(module.parameters(), torch.zeros(())).device)
    norms = torch._foreach_norm(grads) if hasattr(torch, "_foreach_norm") else [g.norm() for g in grads]
    return torch.linalg.vector_norm(torch.stack(norms))


@torch.no_grad()
def update_ema(ema: nn.Module, model: nn.Module, decay: float) -> None:
    """ema ← decay·ema + (1 - decay)·model for the weights; the buffers (batch-norm statistics) are copied."""
    ema_params, params = list(ema.parameters()), list(model.parameters())
    if hasattr(torch, "_foreach_lerp_"):  # one fused kernel instead of one per tensor
        torch._foreach_lerp_(ema_params, params, 1.0 - decay)
    else:
        for p_ema, p in zip(ema_params, params):
            p_ema.lerp_(p, 1.0 - decay)
    for b_ema, b in zip(ema.buffers(), model.buffers()):
        b_ema.copy_(b)
