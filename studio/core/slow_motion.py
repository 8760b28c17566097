"""One real training iteration, replayed as sub-steps a student can follow (the classroom's slow motion).

Nothing here re-implements training. `slow_motion_iteration` runs the trainer's own step (through the
caller's RunLoop, so logs and checkpoints see it as any other step) while forward hooks on G and D
only look: they keep z, G(z), what D saw and what it said, and ask autograd to keep ∇ₓ of G's loss at
the fake batch. The frames are built afterwards from what the hooks saw, plus D's heatmap before and
after and G's output on the same z after its update. The run's weights, optimiser state, step count and
RNG streams end exactly as after one ordinary `Trainer.step()` (tests/test_slow_motion.py).
"""
from __future__ import annotations

import contextlib
import copy
from typing import Callable, Iterator

import numpy as np
import torch

from . import losses
from .plane import DEFAULT_RESOLUTION, _d_map
from .slow_motion_captions import CONTEXT, TITLES, captions
from .translatable import QT_TRANSLATE_NOOP, Part, render

SHOWN_IMAGES = 16  # image data: the frames carry this many real and fake images, not the whole batch

SHOWN_LOSSES = ("nonsaturating", "minimax", "lsgan", "hinge", "wgan")  # the ones without a penalty term

# The diagram's edges; a frame lists those its sub-step uses ("⇢" = a gradient flowing back).
EDGES = ("z→G", "G→fake", "fake→D", "real→D", "D→loss_D", "D→loss_G", "loss_D⇢D", "loss_G⇢fake", "fake⇢G")


class SlowMotionError(ValueError):
    """The run's config or state has no slow-motion replay; the message says what to change.

    `parts` is the message as translatable sentences (core.translatable), str() its English."""

    def __init__(self, parts: list[Part]):
        super().__init__(render(parts))
        self.parts = parts


def _refusal(template: str, **fields) -> list[Part]:
    return [(CONTEXT, template, fields)]


def unsupported(trainer) -> list[Part] | None:
    """Why this trainer's iteration cannot be replayed sub-step by sub-step (translatable), or None."""
    c = trainer.config
    reasons = [
        (trainer.world_size > 1, lambda: _refusal(QT_TRANSLATE_NOOP(
            "SlowMotion", "slow motion runs in one process, not under torchrun"))),
        (c.optim.d_steps != 1 or c.optim.g_steps != 1, lambda: _refusal(QT_TRANSLATE_NOOP(
            "SlowMotion", "slow motion shows one D update and one G update; set optim.d_steps and optim.g_steps "
                          "to 1 (they are {d} and {g})"), d=c.optim.d_steps, g=c.optim.g_steps)),
        (c.optim.unroll > 0, lambda: _refusal(QT_TRANSLATE_NOOP(
            "SlowMotion", "slow motion cannot show an unrolled D (optim.unroll = {unroll}); set it to 0"),
            unroll=c.optim.unroll)),
        (c.loss.kind not in SHOWN_LOSSES, lambda: _refusal(QT_TRANSLATE_NOOP(
            "SlowMotion", "slow motion does not show the {kind} loss's penalty term; pick nonsaturating, minimax, "
                          "lsgan, hinge or wgan"), kind=c.loss.kind)),
        (c.cond.kind == "acgan", lambda: _refusal(QT_TRANSLATE_NOOP(
            "SlowMotion", "slow motion does not show {kind}'s auxiliary head; use cond.kind none, cgan or infogan"),
            kind=c.cond.kind)),
        (c.discriminator.class_weight > 0, lambda: _refusal(QT_TRANSLATE_NOOP(
            "SlowMotion", "slow motion does not show D's class term; set discriminator.class_weight to 0"))),
        (c.discriminator.pack != 1, lambda: _refusal(QT_TRANSLATE_NOOP(
            "SlowMotion", "slow motion shows one D score per sample; set discriminator.pack to 1"))),
    ]
    return next((parts() for refused, parts in reasons if refused), None)


class _Recorder:
    """Forward hooks on G and D that only look, for the one step being taken (later calls, such as the
    run loop's sample pictures, are ignored)."""

    def __init__(self, trainer):
        self.trainer, self.step = trainer, trainer.step_count
        self.g_calls: list[tuple] = []  # (z, code, G(z))
        self.d_calls: list[tuple] = []  # (input, scores)

    def _on_g(self, _module, args, output) -> None:
        if self.trainer.step_count == self.step and torch.is_grad_enabled() and output.requires_grad:
            output.retain_grad()  # the trainer's own backward fills fake.grad = ∇ₓ loss_G
            self.g_calls.append((args[0].detach(), args[1] if len(args) > 1 else None, output))

    def _on_d(self, _module, args, output) -> None:
        if self.trainer.step_count == self.step:
            scores = output[0] if isinstance(output, tuple) else output  # InfoGAN: (scores, Q's outputs)
            self.d_calls.append((args[0].detach(), scores.detach().float().reshape(-1)))

    @contextlib.contextmanager
    def hooks(self) -> Iterator["_Recorder"]:
        handles = [self.trainer.g.register_forward_hook(self._on_g),
                   self.trainer.d.register_forward_hook(self._on_d)]
        try:
            yield self
        finally:
            for handle in handles:
                handle.remove()


@torch.no_grad()
def _d_on_grid(trainer, extent: float, resolution: int) -> torch.Tensor:
    """D's raw scores on the plane's grid (row = y ascending), in eval mode as the plane draws them."""
    d, was = trainer.d, trainer.d.training
    d.eval()
    try:
        ticks = torch.linspace(-extent, extent, resolution, device=trainer.device)
        yy, xx = torch.meshgrid(ticks, ticks, indexing="ij")
        return d(torch.stack([xx.reshape(-1), yy.reshape(-1)], 1)).float().reshape(resolution, resolution)
    finally:
        d.train(was)


def _numpy(t: torch.Tensor | None) -> np.ndarray | None:
    return None if t is None else np.ascontiguousarray(t.detach().float().cpu().numpy())


def slow_motion_iteration(trainer, step: Callable[[], object] | None = None, extent: float = 1.0,
                          resolution: int = DEFAULT_RESOLUTION) -> list[dict]:
    """Take one real iteration with `step` (default `trainer.step`; the window passes its RunLoop's) and
    return it as plain-data frames, one per sub-step (see `build_frames`). Raises SlowMotionError."""
    reason = unsupported(trainer)
    if reason:
        raise SlowMotionError(reason)
    is_2d = trainer.config.is_2d
    before = _d_on_grid(trainer, extent, resolution) if is_2d else None
    recorder = _Recorder(trainer)
    with recorder.hooks():
        (step or trainer.step)()
    if trainer.step_count != recorder.step + 1 or len(recorder.g_calls) != 1:
        raise SlowMotionError(_refusal(QT_TRANSLATE_NOOP(
            "SlowMotion", "no training step was taken (has the run reached train.steps?)")))
    z, code, fake = recorder.g_calls[0]
    d_calls = recorder.d_calls
    if len(d_calls) == 2:  # D judged real and fake in one batch, then G's fakes
        half = len(d_calls[0][0]) // 2
        (both, scores), rescored = d_calls[0], d_calls[1]
        real_call, fake_call = (both[:half], scores[:half]), (both[half:], scores[half:])
    elif len(d_calls) == 3:  # batch statistics (minibatch std, batch norm): real and fake apart
        real_call, fake_call, rescored = d_calls
    else:
        raise SlowMotionError(_refusal(QT_TRANSLATE_NOOP(
            "SlowMotion", "D was called {calls} times in one iteration; slow motion expects 2 or 3"),
            calls=len(d_calls)))
    g_after = copy.deepcopy(trainer.g)  # its batch-norm statistics must not move the run's
    with torch.no_grad():
        moved = g_after(z, code).float()
    record = {"z": z, "fake": fake.detach().float(), "grad": fake.grad, "moved": moved,
              "real_in": real_call[0], "real_scores": real_call[1], "fake_scores": fake_call[1],
              "rescored": rescored[1], "metrics": dict(trainer.last_metrics),
              "lr": (trainer.opt_d.param_groups[0]["lr"], trainer.opt_g.param_groups[0]["lr"])}  # as decayed
    if is_2d:
        record["heat"] = (before, _d_on_grid(trainer, extent, resolution))
    return build_frames(trainer.config, recorder.step, record, extent)


def _heatmaps(kind: str, before: torch.Tensor, after: torch.Tensor) -> tuple[list[np.ndarray], tuple, str]:
    """D's heatmap before and after its update as uint8 images on one colour scale (so the change shows)."""
    values, value_range, label = _d_map(kind, torch.stack([before, after]))
    images = (values.clamp(0, 1) * 255 + 0.5).to(torch.uint8).cpu().numpy()
    return [np.ascontiguousarray(image) for image in images], value_range, label


def _arrows(grad: np.ndarray, extent: float) -> np.ndarray:
    """−∇ₓ loss_G drawn so that the 95th-percentile arrow is 6 % of the plane's side (as plane.py draws them)."""
    step = -grad
    scale = float(np.percentile(np.linalg.norm(step, axis=1), 95)) if len(step) else 0.0
    return (step * (0.12 * extent / scale if scale > 0 else 0.0)).astype(np.float32)


def _numbers(config, record: dict, fake: np.ndarray, moved: np.ndarray, prob) -> dict:
    """The numbers the captions fill in: batch means over the whole batch, one real sample and one fake,
    the losses and gradient norms the trainer logged, and what moved."""
    m, kind, z = record["metrics"], config.loss.kind, record["z"]

    def first(name: str) -> float:  # D's output on the batch's first sample
        return float(prob(record[name][:1])[0])

    grad = record["grad"].reshape(len(z), -1).float()
    numbers = {"n": len(z), "z_dim": z.shape[1], "z1": _numpy(z[0]), "fake1": _numpy(record["fake"][0]).reshape(-1),
               "side": record["fake"].shape[-1],
               **{key: float(prob(record[name]).float().mean()) for key, name in
                  (("d_real", "real_scores"), ("d_fake", "fake_scores"), ("d_rescored", "rescored"))},
               "dx1": first("real_scores"), "dgz1": first("fake_scores"), "dgz1_after": first("rescored"),
               "loss_d1": float(losses.smoothed_d_loss(config.loss, record["real_scores"][:1],
                                                      record["fake_scores"][:1])),
               "loss_g1": float(losses.g_loss(kind, record["rescored"][:1])),
               "grad_x": float(grad.norm(dim=1).mean()),
               "shift": float(np.linalg.norm((moved - fake).reshape(len(fake), -1), axis=1).mean()),
               "heat_change": 0.0}
    numbers.update({key: float(m[key]) for key in ("loss_d", "loss_g", "grad_norm_d", "grad_norm_g")})
    numbers.update(lr_d=float(record["lr"][0]), lr_g=float(record["lr"][1]), loss_aux=float(m.get("loss_aux", 0.0)))
    if "heat" in record:
        before, after = record["heat"]
        numbers["heat_change"] = float((prob(after) - prob(before)).abs().max())
    return numbers


def build_frames(config, step: int, record: dict, extent: float = 1.0) -> list[dict]:
    """The sub-steps of the iteration from `step` to `step + 1`, as plain dicts of numpy arrays and text.

    Every frame has: key, title (English, marked for translation), caption_parts (its caption as
    translatable sentences with this iteration's numbers, core.translatable), caption (their English),
    edges (of EDGES), step, index, count, z, real, fake (what the plane or grid shows now), d_real and
    d_fake (D's outputs as drawn, None before D has scored), loss_d, loss_g (None before computed), grad
    (∇ₓ loss_G at the fakes, once computed); on the plane also extent, heatmap, heatmap_range,
    heatmap_label and arrows (display-scaled −∇ₓ loss_G, zeros before).
    """
    kind = config.loss.kind
    keep = slice(None) if config.is_2d else slice(0, SHOWN_IMAGES)
    prob = (lambda s: torch.sigmoid(s)) if kind in losses.PROBABILISTIC else (lambda s: s)
    shown = {name: _numpy(prob(record[name]))[keep] for name in ("real_scores", "fake_scores", "rescored")}
    fake, moved = _numpy(record["fake"])[keep], _numpy(record["moved"])[keep]
    grad = _numpy(record["grad"])[keep]
    m = record["metrics"]
    texts = captions(config, step, _numbers(config, record, fake, moved, prob))
    base = {"step": step, "z": _numpy(record["z"]), "real": _numpy(record["real_in"])[keep], "fake": fake,
            "d_real": None, "d_fake": None, "loss_d": None, "loss_g": None, "grad": None}
    none_yet = {"fake": fake[:0], "real": base["real"][:0]}  # not computed (or drawn) before their sub-step
    losses_d, losses_dg = {"loss_d": m["loss_d"]}, {"loss_d": m["loss_d"], "loss_g": m["loss_g"]}
    frames = [
        dict(key="noise", edges=("z→G",), **none_yet),
        dict(key="generate", edges=("z→G", "G→fake"), real=none_yet["real"]),
        dict(key="score", edges=("real→D", "fake→D"), d_real=shown["real_scores"], d_fake=shown["fake_scores"]),
        dict(key="d_loss", edges=("D→loss_D",), **losses_d),
        dict(key="d_update", edges=("loss_D⇢D",), **losses_d),
        dict(key="rescore", edges=("fake→D",), d_fake=shown["rescored"], **losses_d),
        dict(key="g_loss", edges=("D→loss_G",), d_fake=shown["rescored"], **losses_dg),
        dict(key="gradient", edges=("loss_G⇢fake",), d_fake=shown["rescored"], grad=grad, **losses_dg),
        dict(key="g_update", edges=("fake⇢G", "z→G", "G→fake"), grad=grad, fake=moved, **losses_dg),
    ]
    frames.append(dict(frames[-1], key="done", edges=()))
    for frame in frames:
        parts = texts[frame["key"]]
        frame.update(title=TITLES[frame["key"]], caption_parts=parts, caption=render(parts))
    out = [{**base, **frame, "index": index, "count": len(frames)} for index, frame in enumerate(frames)]
    if config.is_2d:  # D before its update until sub-step "d_update", after it from then on
        images, value_range, label = _heatmaps(kind, *record["heat"])
        updated = [f["key"] for f in out].index("d_update")
        for frame in out:
            grad = frame["grad"]
            frame.update(extent=extent, heatmap=images[frame["index"] >= updated], heatmap_range=value_range,
                         heatmap_label=label,
                         arrows=np.zeros_like(frame["fake"]) if grad is None else _arrows(grad, extent))
    return out
