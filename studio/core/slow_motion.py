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

SHOWN_IMAGES = 16  # image data: the frames carry this many real and fake images, not the whole batch

D_FORMULA = {"nonsaturating": "−mean log D(real) − mean log(1 − D(G(z)))",
             "minimax": "−mean log D(real) − mean log(1 − D(G(z)))",
             "lsgan": "½·mean (D(real) − 1)² + ½·mean D(G(z))²",
             "hinge": "mean max(0, 1 − D(real)) + mean max(0, 1 + D(G(z)))",
             "wgan": "mean D(G(z)) − mean D(real)"}
G_FORMULA = {"nonsaturating": "−mean log D(G(z))", "minimax": "mean log(1 − D(G(z)))",
             "lsgan": "½·mean (D(G(z)) − 1)²", "hinge": "−mean D(G(z))", "wgan": "−mean D(G(z))"}

# The diagram's edges; a frame lists those its sub-step uses ("⇢" = a gradient flowing back).
EDGES = ("z→G", "G→fake", "fake→D", "real→D", "D→loss_D", "D→loss_G", "loss_D⇢D", "loss_G⇢fake", "fake⇢G")


class SlowMotionError(ValueError):
    """The run's config or state has no slow-motion replay; the message says what to change."""


def unsupported(trainer) -> str | None:
    """Why this trainer's iteration cannot be replayed sub-step by sub-step, or None when it can."""
    c = trainer.config
    reasons = [
        (trainer.world_size > 1, "slow motion runs in one process, not under torchrun"),
        (c.optim.d_steps != 1 or c.optim.g_steps != 1,
         f"slow motion shows one D update and one G update; set optim.d_steps and optim.g_steps to 1 "
         f"(they are {c.optim.d_steps} and {c.optim.g_steps})"),
        (c.optim.unroll > 0, f"slow motion cannot show an unrolled D (optim.unroll = {c.optim.unroll}); set it to 0"),
        (c.loss.kind not in D_FORMULA, f"slow motion does not show the {c.loss.kind} loss's penalty term; "
                                       f"pick nonsaturating, minimax, lsgan, hinge or wgan"),
        (trainer.d_aux, f"slow motion does not show {c.cond.kind}'s auxiliary head; use cond.kind none or cgan"),
        (c.discriminator.pack != 1, "slow motion shows one D score per sample; set discriminator.pack to 1"),
    ]
    return next((text for refused, text in reasons if refused), None)


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
            self.d_calls.append((args[0].detach(), output.detach().float().reshape(-1)))

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
        raise SlowMotionError("no training step was taken (has the run reached train.steps?)")
    z, code, fake = recorder.g_calls[0]
    d_calls = recorder.d_calls
    if len(d_calls) == 2:  # D judged real and fake in one batch, then G's fakes
        half = len(d_calls[0][0]) // 2
        (both, scores), rescored = d_calls[0], d_calls[1]
        real_call, fake_call = (both[:half], scores[:half]), (both[half:], scores[half:])
    elif len(d_calls) == 3:  # batch statistics (minibatch std, batch norm): real and fake apart
        real_call, fake_call, rescored = d_calls
    else:
        raise SlowMotionError(f"D was called {len(d_calls)} times in one iteration; slow motion expects 2 or 3")
    g_after = copy.deepcopy(trainer.g)  # its batch-norm statistics must not move the run's
    with torch.no_grad():
        moved = g_after(z, code).float()
    record = {"z": z, "fake": fake.detach().float(), "grad": fake.grad, "moved": moved,
              "real_in": real_call[0], "real_scores": real_call[1], "fake_scores": fake_call[1],
              "rescored": rescored[1], "metrics": dict(trainer.last_metrics)}
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


def build_frames(config, step: int, record: dict, extent: float = 1.0) -> list[dict]:
    """The sub-steps of the iteration from `step` to `step + 1`, as plain dicts of numpy arrays and text.

    Every frame has: key, title, caption, edges (of EDGES), step, index, count, z, real, fake (what the
    plane or grid shows now), d_real and d_fake (D's outputs as drawn, None before D has scored), loss_d,
    loss_g (None before computed), grad (∇ₓ loss_G at the fakes, once computed); on the plane also
    extent, heatmap, heatmap_range, heatmap_label and arrows (display-scaled −∇ₓ loss_G, zeros before).
    """
    kind, n, z_dim = config.loss.kind, len(record["z"]), record["z"].shape[1]
    is_2d = config.is_2d
    keep = slice(None) if is_2d else slice(0, SHOWN_IMAGES)
    prob = (lambda s: torch.sigmoid(s)) if kind in losses.PROBABILISTIC else (lambda s: s)
    shown = {name: _numpy(prob(record[name]))[keep] for name in ("real_scores", "fake_scores", "rescored")}
    fake, moved = _numpy(record["fake"])[keep], _numpy(record["moved"])[keep]
    grad = _numpy(record["grad"])[keep]
    m = record["metrics"]
    word = "P(real)" if kind in losses.PROBABILISTIC else "score"
    mean = lambda a: f"{float(a.mean()):.3f}"  # noqa: E731
    smoothing = config.loss.label_smoothing
    target = f" (real target {1 - smoothing:g}: label smoothing)" if smoothing else ""
    z_note = "" if z_dim == 2 else f" (the z box shows its first two of {z_dim} numbers)"
    shift = float(np.linalg.norm((moved - fake).reshape(len(fake), -1), axis=1).mean())
    where = "point" if is_2d else "image"
    red, blue = (" (red)", " (blue)") if is_2d else ("", "")
    how = ("" if is_2d else " Each image's frame and number show its score (blue = taken for real, red = for fake).")
    moves = (f"moves along the arrows (by {shift:.2g} on average: one step is small)" if is_2d else
             f"changes a little (by {shift:.2g} on average, as a vector of pixels: one step is small); "
             f"above: before, below: after")
    shifted = ("the heatmap shows D's new judgement" if not is_2d else
               f"D(x) changed by at most {float((prob(record['heat'][1]) - prob(record['heat'][0])).abs().max()):.2g} "
               f"anywhere on the plane (one step is small; thousands of them shape the heatmap)")
    base = {"step": step, "z": _numpy(record["z"]), "real": _numpy(record["real_in"])[keep], "fake": fake,
            "d_real": None, "d_fake": None, "loss_d": None, "loss_g": None, "grad": None}
    none_yet = {"fake": fake[:0], "real": base["real"][:0]}  # not computed (or drawn) before their sub-step
    frames = [
        dict(key="noise", title="Draw noise z", edges=("z→G",), **none_yet,
             caption=f"Draw {n} noise vectors z, each {z_dim} random numbers from N(0, 1){z_note}. "
                     f"G has not been used yet."),
        dict(key="generate", title="G(z): the fake batch", edges=("z→G", "G→fake"), real=none_yet["real"],
             caption=f"G turns each z into a fake {where} G(z){red}. This is G before this step's update."),
        dict(key="score", title="D scores real and fake", edges=("real→D", "fake→D"),
             d_real=shown["real_scores"], d_fake=shown["fake_scores"],
             caption=f"D scores a real batch{blue} and the fake batch: mean D(real) = "
                     f"{mean(shown['real_scores'])}, mean D(G(z)) = {mean(shown['fake_scores'])} ({word}).{how}"),
        dict(key="d_loss", title="D's loss", edges=("D→loss_D",), loss_d=m["loss_d"],
             caption=f"D's loss = {D_FORMULA[kind]} = {m['loss_d']:.3f}{target}. "
                     f"It is low when D tells real from fake."),
        dict(key="d_update", title="D's update", edges=("loss_D⇢D",), loss_d=m["loss_d"],
             caption=f"Backpropagation sends D's loss back into D's weights, and the optimiser takes one "
                     f"step against it: {shifted}."),
        dict(key="rescore", title="The updated D scores the fakes", edges=("fake→D",), loss_d=m["loss_d"],
             d_fake=shown["rescored"],
             caption=f"The updated D scores the same fake batch again (G's update reuses it): mean D(G(z)) "
                     f"went from {mean(shown['fake_scores'])} to {mean(shown['rescored'])}."),
        dict(key="g_loss", title="G's loss", edges=("D→loss_G",), loss_d=m["loss_d"], loss_g=m["loss_g"],
             d_fake=shown["rescored"],
             caption=f"G's loss = {G_FORMULA[kind]} = {m['loss_g']:.3f}. It is low when D takes the "
                     f"fakes for real."),
        dict(key="gradient", title="∇ₓ of G's loss", edges=("loss_G⇢fake",), loss_d=m["loss_d"],
             loss_g=m["loss_g"], d_fake=shown["rescored"], grad=grad,
             caption=f"Backpropagation through D gives the gradient of G's loss at each fake {where}: "
                     + ("the arrows show −∇ₓ, where each point should move to look more real to D."
                        if is_2d else "below, the brighter a pixel, the more changing it would change D's "
                                      "verdict (|∇ₓ| per pixel).")),
        dict(key="g_update", title="G's update", edges=("fake⇢G", "z→G", "G→fake"), loss_d=m["loss_d"],
             loss_g=m["loss_g"], grad=grad, fake=moved,
             caption=f"The gradient flows on into G's weights; the optimiser takes one step, and G(z) for "
                     f"the same z {moves}."),
    ]
    ema = config.optim.ema
    last = f"Step {step + 1:,} done" + (f"; G's moving average (EMA) took {1 - ema:.2%} of the new weights, and "
                                        f"the Samples panel shows that averaged G" if ema else "")
    frames.append(dict(frames[-1], key="done", title="Iteration done", edges=(),
                       caption=f"{last}. Next: a new iteration draws fresh z and a fresh real batch."))
    out = [{**base, **frame, "index": index, "count": len(frames)} for index, frame in enumerate(frames)]
    if is_2d:  # D before its update until sub-step "d_update", after it from then on
        images, value_range, label = _heatmaps(kind, *record["heat"])
        updated = [f["key"] for f in out].index("d_update")
        for frame in out:
            grad = frame["grad"]
            frame.update(extent=extent, heatmap=images[frame["index"] >= updated], heatmap_range=value_range,
                         heatmap_label=label,
                         arrows=np.zeros_like(frame["fake"]) if grad is None else _arrows(grad, extent))
    return out
