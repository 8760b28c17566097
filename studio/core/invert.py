"""Inverting a generator: the z (and, for a conditional model, the class) whose image G draws
closest to a target picture, so a student can see where their own digit lies in latent space.

Several random starts per class are optimised together as one batch (G runs in eval mode, so the
candidates do not interact): Adam on z with a cosine-decayed step size, the loss the pixels' mean
squared error, optionally plus the distance between the evaluator classifier's features; after a
quarter of the steps only the best `restarts` candidates, of whichever classes, go on. z stays
inside the box the explorer's sliders span (±3σ, or ±1 for uniform noise), scaled by truncation ψ,
so the explorer can show the result exactly. Progress is yielded as it goes, for a view to draw.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import torch
from torch import nn

from .codes import CodeLayout
from .config import Config, ConfigError
from .latent import Z_RANGE
from .noise import config_noise
from .readers import DataError, UnreadableFile, open_image

LEARNING_RATE = 0.05  # Adam's step on z (prior σ = 1): ~0.1σ moves early, tiny ones by the end
CONTINUOUS_BOUND = 1.0  # InfoGAN's continuous codes stay in their training range U(-1, 1)
MAX_CANDIDATES = 128  # classes × restarts optimised at once; more classes are screened first
PRUNE_AT = 4  # after 1/PRUNE_AT of the steps only the best `restarts` candidates (of any class) go on
MNIST_BOX = 20 / 28  # MNIST centres each digit's 20×20 box by its centre of mass in 28×28


@dataclass
class InversionStep:
    """Where the search stands: the best candidate's loss, image, z and code after `step` of `steps`."""

    step: int
    steps: int
    loss: float  # what is minimised: pixel MSE (+ weighted feature distance)
    mse: float  # pixel mean squared error on [-1, 1] images
    image: np.ndarray  # G(z, c), C×H×W float32 in [-1, 1]
    z: np.ndarray  # z_dim float32, inside the bound
    code: np.ndarray | None = None  # code_dim float32 (conditional and InfoGAN models)
    choices: dict[str, int | float] = field(default_factory=dict)  # {"class": 3}, {"category": 2, "c1": 0.4}
    done: bool = False

    def describe(self) -> str:
        """'class 3' or 'category 2, c1 +0.41' (empty for a plain GAN): for messages."""
        return ", ".join(f"{name} {value}" if isinstance(value, int) else f"{name} {value:+.2f}"
                         for name, value in self.choices.items())


def latent_bound(config: Config, psi: float = 1.0) -> float:
    """How far each coordinate of z may go: the explorer's slider span (±3σ; uniform noise ±1) times ψ.

    The explorer draws G(ψ·z); bounding the latent by ψ·span keeps every answer one the explorer
    reaches with the truncation it has, and it shows the answer at ψ = 1 exactly.
    """
    if not 0.0 < psi <= 1.0:
        raise ConfigError(f"truncation ψ must be in (0, 1], got {psi}")
    return psi * (1.0 if config.generator.noise == "uniform" else Z_RANGE)


def require_images(config: Config, source: str = "this generator") -> tuple[int, int]:
    """(channels, size) of an image model; ConfigError for a 2-D model, which has no picture to match."""
    if config.is_2d:
        raise ConfigError(f"{source} makes 2-D points, not images: inversion needs an image model")
    return config.data.channels, config.data.image_size


# -- targets -------------------------------------------------------------------
def read_target_png(path: str | Path, config: Config) -> np.ndarray:
    """A picture file as the model's target: C×H×W float32 in [-1, 1], any size or colour made the
    model's size (aspect kept, padded with the picture's border colour) and channels; DataError
    naming the file when it is missing or not a readable image."""
    from PIL import Image, ImageOps

    channels, size = require_images(config)
    path = Path(path)
    if not path.is_file():
        raise DataError(f"target image {path} does not exist")
    try:
        im = open_image(path, "L" if channels == 1 else "RGB")
    except UnreadableFile as exc:
        raise DataError(f"target image {exc.path} cannot be used: {exc.reason}") from None
    pixels = np.asarray(im)
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    colour = tuple(int(v) for v in np.median(border.reshape(len(border), -1), axis=0))
    im = ImageOps.pad(im, (size, size), method=Image.Resampling.LANCZOS,
                      color=colour[0] if channels == 1 else colour)
    return to_target(np.asarray(im, np.uint8))


def to_target(picture: np.ndarray) -> np.ndarray:
    """A uint8 picture (H×W or H×W×C, as image_grid makes them) → C×H×W float32 in [-1, 1]."""
    picture = np.asarray(picture, np.float32)
    if picture.ndim == 2:
        picture = picture[:, :, None]
    return np.ascontiguousarray(picture.transpose(2, 0, 1) / 127.5 - 1.0, dtype=np.float32)


def fit_drawing(ink: np.ndarray, size: int, channels: int = 1) -> np.ndarray:
    """A drawing (H×W, 1 = ink, 0 = paper) framed as MNIST frames its digits: cropped to the ink,
    scaled so its longer side fills 20/28 of the picture, its centre of mass put in the centre.
    White ink on black, C×size×size in [-1, 1]. ValueError when nothing is drawn."""
    from PIL import Image

    ink = np.clip(np.asarray(ink, np.float32), 0.0, 1.0)
    rows, cols = np.nonzero(ink > 0.05)
    if not len(rows):
        raise ValueError("nothing is drawn yet")
    crop = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    scale = size * MNIST_BOX / max(crop.shape)
    h, w = max(1, round(crop.shape[0] * scale)), max(1, round(crop.shape[1] * scale))
    small = np.asarray(Image.fromarray(crop, mode="F").resize((w, h), Image.Resampling.LANCZOS)).clip(0, 1)
    mass = small.sum()
    cy = (small.sum(1) @ np.arange(h)) / mass if mass > 0 else (h - 1) / 2
    cx = (small.sum(0) @ np.arange(w)) / mass if mass > 0 else (w - 1) / 2
    top = int(np.clip(round((size - 1) / 2 - cy), 0, size - h))
    left = int(np.clip(round((size - 1) / 2 - cx), 0, size - w))
    canvas = np.zeros((size, size), np.float32)
    canvas[top:top + h, left:left + w] = small
    return np.repeat(canvas[None] * 2.0 - 1.0, channels, axis=0)


# -- candidates: z for each restart, the class for each, the continuous codes -------------------------
@dataclass
class _Candidates:
    """B = classes × restarts starting points; `base` holds each one's fixed one-hot part of c."""

    z: torch.Tensor  # B×z_dim
    base: torch.Tensor | None  # B×code_dim (None: a plain GAN)
    values: list[int | None]  # the categorical value of each candidate
    continuous: torch.Tensor | None  # B×k continuous codes (InfoGAN), optimised with z
    place: torch.Tensor | None  # k×code_dim: where the continuous codes go in c
    names: list[str]  # the categorical slot's name (if any), then the continuous slots' names

    def to(self, device: torch.device) -> "_Candidates":
        """On `device`, z and the continuous codes as the leaves Adam moves."""
        move = lambda x, leaf: None if x is None else x.to(device).requires_grad_(leaf)  # noqa: E731
        return _Candidates(move(self.z, True), move(self.base, False), self.values, move(self.continuous, True),
                           move(self.place, False), self.names)

    def params(self) -> list[torch.Tensor]:
        return [self.z] + ([self.continuous] if self.continuous is not None else [])

    def code(self) -> torch.Tensor | None:
        if self.base is None:
            return None
        return self.base if self.continuous is None else self.base + self.continuous @ self.place

    def narrowed(self, keep: torch.Tensor, opt: torch.optim.Adam) -> tuple["_Candidates", torch.optim.Adam]:
        """Only the candidates `keep`, with their share of Adam's moments (the others stop costing time)."""
        pick = lambda x: None if x is None else x.detach()[keep].clone()  # noqa: E731
        kept = _Candidates(pick(self.z).requires_grad_(True), pick(self.base), [self.values[i] for i in keep.tolist()],
                           None if self.continuous is None else pick(self.continuous).requires_grad_(True),
                           self.place, self.names)
        narrowed = torch.optim.Adam(kept.params(), lr=opt.param_groups[0]["lr"])
        for old, new in zip(self.params(), kept.params()):
            narrowed.state[new] = {key: value[keep].clone() if torch.is_tensor(value) and value.dim() else value
                                   for key, value in opt.state[old].items()}
        return kept, narrowed


def _make_candidates(g: nn.Module, config: Config, target: torch.Tensor, restarts: int, seed: int,
                     choices: dict[str, float], bound: float) -> _Candidates:
    layout = CodeLayout.from_config(config)
    gen = torch.Generator().manual_seed(seed)
    cat = layout.categorical
    if cat is None:
        values: list[int | None] = [None]
    elif cat.name in choices:
        layout.encode({cat.name: choices[cat.name]})  # CodeError naming the values there are
        values = [int(choices[cat.name])]
    else:
        values = _screen_values(g, config, layout, target, restarts, gen, bound)
    n = len(values) * restarts
    z = config_noise(config, n, gen).clamp_(-bound, bound)
    if not layout:
        return _Candidates(z, None, values * restarts, None, None, [])
    base = torch.cat([layout.encode({cat.name: v} if cat is not None else {}, restarts) for v in values])
    conts = layout.continuous
    place = torch.zeros(len(conts), layout.code_dim)
    for i, s in enumerate(conts):
        place[i, s.offset] = 1.0
    continuous = torch.zeros(n, len(conts)) if conts else None
    names = ([cat.name] if cat is not None else []) + [s.name for s in conts]
    return _Candidates(z, base, [v for v in values for _ in range(restarts)], continuous,
                       place if conts else None, names)


@torch.no_grad()
def _screen_values(g, config, layout, target, restarts, gen, bound) -> list[int]:
    """Every categorical value, or, when there are too many to optimise together, those whose best of a
    few random samples already comes nearest the target."""
    cat = layout.categorical
    if cat.size * restarts <= MAX_CANDIDATES:
        return list(range(cat.size))
    keep = max(1, MAX_CANDIDATES // restarts)
    best = []
    for v in range(cat.size):
        z = config_noise(config, 8, gen).clamp_(-bound, bound)
        images = g(z, layout.encode({cat.name: v}, 8))
        best.append(float(((images - target) ** 2).flatten(1).mean(1).min()))
    return sorted(np.argsort(best, kind="stable")[:keep].tolist())


# -- the search -----------------------------------------------------------------------------------
def inversion_steps(g: nn.Module, config: Config, target: np.ndarray, *, steps: int = 200, restarts: int = 4,
                    seed: int = 0, choices: dict[str, float] | None = None, psi: float = 1.0,
                    lr: float = LEARNING_RATE, classifier: nn.Module | None = None, feature_weight: float = 1.0,
                    report_every: int | None = None) -> Iterator[InversionStep]:
    """Search for the latent whose image is nearest `target` (C×H×W in [-1, 1]); yields the best
    candidate every `report_every` steps (default: about 50 reports) and last the answer (`done`).

    `choices` fixes a categorical code ({"class": 7}); otherwise every value is tried (`restarts` starts
    each, the best `restarts` of all kept after a quarter of the steps). With a
    `classifier` (the evaluator's DigitClassifier), its features' squared distance, relative to the
    target's feature energy and times `feature_weight`, is added to the pixel MSE. The same arguments
    give the same answer: the starts are `config_noise` draws from `seed`, as `sample --seed` draws.
    """
    channels, size = require_images(config)
    target_np = np.asarray(target, np.float32)
    if target_np.shape != (channels, size, size):
        raise ConfigError(f"the target is {'×'.join(map(str, target_np.shape))}; this generator makes "
                          f"{channels}×{size}×{size} images")
    if steps < 1 or restarts < 1:
        raise ConfigError(f"steps and restarts must be ≥ 1, got {steps} and {restarts}")
    device = next(g.parameters()).device
    was_training = g.training
    g.eval()
    try:
        with torch.no_grad():
            t = torch.from_numpy(target_np).to(device)[None]
            bound = latent_bound(config, psi)
            cands = _make_candidates(g, config, t, restarts, seed, dict(choices or {}), bound)
            t_features = classifier.features(t) if classifier is not None else None
        yield from _optimise(g, cands, t, t_features, classifier, feature_weight, steps, lr, bound,
                             report_every or max(1, steps // 50), device, restarts)
    finally:
        g.train(was_training)


def _optimise(g, cands, t, t_features, classifier, feature_weight, steps, lr, bound, every, device, keep
              ) -> Iterator[InversionStep]:
    cands = cands.to(device)
    opt = torch.optim.Adam(cands.params(), lr=lr)

    def losses(images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mse = ((images - t) ** 2).flatten(1).mean(1)
        if classifier is None:
            return mse, mse
        energy = (t_features ** 2).mean().clamp_min(1e-8)
        return mse + feature_weight * ((classifier.features(images) - t_features) ** 2).mean(1) / energy, mse

    def report(step: int, images, total, mse, done: bool) -> InversionStep:
        return _step(cands, int(torch.argmin(total)), step, steps, images, total, mse, done)

    for step in range(steps):
        if step == steps // PRUNE_AT and len(cands.values) > keep:  # the most promising starts go on
            with torch.no_grad():
                ranked = torch.argsort(losses(g(cands.z, cands.code()))[0], stable=True)
            cands, opt = cands.narrowed(ranked[:keep], opt)
        for group in opt.param_groups:  # cosine decay: big moves first, fine ones at the end
            group["lr"] = lr * 0.5 * (1.0 + math.cos(math.pi * step / steps))
        images = g(cands.z, cands.code())
        total, mse = losses(images)
        if step % every == 0:
            yield report(step, images.detach(), total.detach(), mse.detach(), False)
        params = cands.params()
        for p, grad in zip(params, torch.autograd.grad(total.sum(), params)):  # none for G's own weights
            p.grad = grad
        opt.step()
        with torch.no_grad():
            cands.z.clamp_(-bound, bound)
            if cands.continuous is not None:
                cands.continuous.clamp_(-CONTINUOUS_BOUND, CONTINUOUS_BOUND)
    with torch.no_grad():
        images = g(cands.z, cands.code())
        total, mse = losses(images)
        yield report(steps, images, total, mse, True)


def _step(cands: _Candidates, best: int, step: int, steps: int, images: torch.Tensor, total: torch.Tensor,
          mse: torch.Tensor, done: bool) -> InversionStep:
    """The InversionStep of candidate `best`, as plain numpy and Python values."""
    names = iter(cands.names)
    choices: dict[str, int | float] = {}
    if cands.values[best] is not None:
        choices[next(names)] = int(cands.values[best])
    if cands.continuous is not None:
        choices.update((name, round(float(v), 4)) for name, v in zip(names, cands.continuous[best].tolist()))
    code = cands.code()
    return InversionStep(step, steps, float(total[best]), float(mse[best]), images[best].detach().cpu().float().numpy(),
                         cands.z[best].detach().cpu().float().numpy().copy(),
                         None if code is None else code[best].detach().cpu().float().numpy().copy(), choices, done)


def invert(g: nn.Module, config: Config, target: np.ndarray, **options) -> InversionStep:
    """The answer of `inversion_steps` (the same arguments), without the progress."""
    last = None
    for last in inversion_steps(g, config, target, **options):
        pass
    return last


def best_of_random(g: nn.Module, config: Config, target: np.ndarray, n: int, seed: int = 0,
                   code: np.ndarray | None = None) -> float:
    """The lowest pixel MSE to `target` among n random samples: what inversion should beat."""
    with torch.no_grad():
        g_was = g.training
        g.eval()
        try:
            z = config_noise(config, n, torch.Generator().manual_seed(seed))
            c = None if code is None else torch.from_numpy(np.asarray(code, np.float32)).reshape(1, -1).expand(n, -1)
            images = g(z, c)
        finally:
            g.train(g_was)
        t = torch.from_numpy(np.asarray(target, np.float32))[None]
        return float(((images - t) ** 2).flatten(1).mean(1).min())
