"""The latent explorer's engine, without Qt: z handling, truncation, walks, PCA directions
(GANSpace, Härkönen et al. 2020) and a renderer that owns its own copy of G.

The renderer never shares weights with a trainer: it is built from a config and loaded
from a numpy snapshot of G's state dict or from a checkpoint file, so it can run in
another thread while training goes on.
"""
from __future__ import annotations

from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import torch
from torch import nn

from .config import Config
from .models import build_models
from .noise import config_noise
from .plane import manifold_lines
from .render import image_grid

Z_RANGE = 3.0  # sliders span ±3σ of the N(0, I) prior
CLOUD_POINTS = 1500  # G(z) samples drawn as the generator's output cloud on the plane when z_dim > 2


def truncate(z: np.ndarray, psi: float, mean: np.ndarray | float = 0.0) -> np.ndarray:
    """The truncation trick: pull z toward the prior's mean by ψ (ψ = 1 leaves it, 0 gives the mean)."""
    return mean + psi * (np.asarray(z, np.float32) - mean)


def lerp(z0: np.ndarray, z1: np.ndarray, t: np.ndarray) -> np.ndarray:
    t = np.asarray(t, np.float64)[:, None]
    return ((1 - t) * z0 + t * z1).astype(np.float32)


def slerp(z0: np.ndarray, z1: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Spherical interpolation: the angle changes evenly and the norm moves smoothly from |z0| to |z1|.

    Gaussian latents of high dimension lie near a sphere; a straight line between two of
    them passes close to the origin, where the prior has almost no mass (White 2016).
    """
    z0, z1 = np.asarray(z0, np.float64), np.asarray(z1, np.float64)
    t = np.asarray(t, np.float64)[:, None]
    n0, n1 = np.linalg.norm(z0), np.linalg.norm(z1)
    if n0 == 0 or n1 == 0:
        return lerp(z0, z1, t[:, 0])
    u0, u1 = z0 / n0, z1 / n1
    omega = np.arccos(np.clip(u0 @ u1, -1.0, 1.0))
    if omega < 1e-6:
        direction = lerp(u0, u1, t[:, 0]).astype(np.float64)
    else:
        direction = (np.sin((1 - t) * omega) * u0 + np.sin(t * omega) * u1) / np.sin(omega)
    return (direction * ((1 - t) * n0 + t * n1)).astype(np.float32)


def interpolate(z0: np.ndarray, z1: np.ndarray, t: np.ndarray, mode: str = "slerp") -> np.ndarray:
    """The latents at fractions `t` of the way from z0 to z1, linear ("lerp") or spherical ("slerp"):
    one rule for the walk strip and the animation along it."""
    if mode == "lerp":
        return lerp(np.asarray(z0, np.float32), np.asarray(z1, np.float32), t)
    if mode == "slerp":
        return slerp(z0, z1, t)
    raise ValueError(f"interpolation must be 'lerp' or 'slerp', got {mode!r}")


def interpolation_path(z0: np.ndarray, z1: np.ndarray, n: int, mode: str = "slerp") -> np.ndarray:
    """n latents from z0 to z1 inclusive (n ≥ 2), linear ("lerp") or spherical ("slerp")."""
    if n < 2:
        raise ValueError(f"a path needs at least 2 points, got {n}")
    return interpolate(z0, z1, np.linspace(0.0, 1.0, n), mode)


def random_z(current: np.ndarray, locked: np.ndarray | None, rng: np.random.Generator) -> np.ndarray:
    """A fresh N(0, I) draw, keeping the locked dimensions of `current`."""
    z = rng.standard_normal(len(current)).astype(np.float32)
    if locked is not None:
        z[locked] = current[locked]
    return z


def seeded_z(config: Config, seed: int, n: int = 1) -> np.ndarray:
    """The n×z_dim latents that `gan-studio sample --seed SEED --n N` draws (the explorer's seed box
    asks for n = 1), as float32."""
    return config_noise(config, n, torch.Generator().manual_seed(seed)).numpy()


@contextmanager
def one_cpu_thread() -> Iterator[None]:
    """Within: torch uses one CPU thread in this thread. A convolution's last bits can depend on how
    many threads share it; the explorer's render thread uses one, so a single picture rendered here
    (`sample --n 1`) has the same bits as the explorer's."""
    threads = torch.get_num_threads()
    if threads != 1:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        if threads != 1:
            torch.set_num_threads(threads)


def edit_z(z: np.ndarray, directions: np.ndarray | None, amounts: np.ndarray | None, psi: float) -> np.ndarray:
    """The latent G is given: z moved along each direction by its amount, then truncated by ψ."""
    out = np.asarray(z, np.float32).copy()
    if directions is not None and amounts is not None and len(amounts):
        out += np.asarray(amounts, np.float32) @ directions[:len(amounts)]
    return truncate(out, psi)


@dataclass
class Directions:
    """Unit directions in z-space (rows, orthonormal), with the share of the features' variance
    each principal component explains, largest first."""

    vectors: np.ndarray  # k × z_dim
    explained: np.ndarray  # k, fractions of the total variance
    source: str  # which features were analysed


def early_features(g: nn.Module) -> tuple[nn.Module, str]:
    """The module whose output GANSpace analyses: G's first nonlinearity (its earliest activations),
    or G itself when it has none."""
    for name, module in g.named_modules():
        if isinstance(module, (nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.ELU, nn.GELU)):
            return module, f"activations after {name or 'the first layer'}"
    return g, "outputs"


class _Captured(Exception):
    pass


@torch.no_grad()
def pca_directions(g: nn.Module, z_dim: int, k: int = 8, n_samples: int = 1000, seed: int = 0,
                   features: str = "early") -> Directions:
    """GANSpace: principal components of G's features over many z, carried back to z-space.

    Features are G's early activations ("early") or its outputs ("outputs", for small
    models). Each sample's z is regressed on its PCA coordinates; the regression's
    rows are the z-space directions, orthonormalised in order of explained variance.
    """
    was_training = g.training
    g.eval()
    try:
        generator = torch.Generator().manual_seed(seed)
        z = torch.randn(n_samples, z_dim, generator=generator)
        captured: list[torch.Tensor] = []
        if features == "early":
            module, source = early_features(g)
        else:
            module, source = g, "outputs"
        def capture(_module, _inputs, output):
            captured.append(output)
            raise _Captured  # the later layers are not needed

        handle = module.register_forward_hook(capture)
        try:
            g(z)
        except _Captured:
            pass
        finally:
            handle.remove()
        x = captured[0].reshape(n_samples, -1).double()
        x = x - x.mean(0)
        total = float((x ** 2).sum()) / (n_samples - 1)
        k = max(1, min(k, z_dim, x.shape[1]))
        if min(x.shape) <= k + 10:
            _, s, vh = torch.linalg.svd(x, full_matrices=False)
            components = vh[:k].T
        else:
            _, s, v = torch.svd_lowrank(x, q=k + 10, niter=4)
            components = v[:, :k]
        s = s[:k]
        explained = (s ** 2 / (n_samples - 1) / total).numpy() if total > 0 else np.zeros(k)
        coords = x @ components  # n × k
        # z ≈ coords @ U: U's rows are the z-space directions of the components. The
        # coordinates are uncorrelated, so each row is its own regression (and a component
        # with no variance cannot spoil the others).
        energy = (coords ** 2).sum(0).clamp_min(1e-12)
        u = (coords.T @ z.double()) / energy[:, None]  # k × z_dim
        q_mat, r = torch.linalg.qr(u.T)  # Gram–Schmidt in component order
        signs = torch.where(torch.diagonal(r) < 0, -1.0, 1.0).to(q_mat.dtype)
        q_mat = q_mat * signs[None, :]  # each direction points the way its component grows
        vectors = q_mat.T.float().numpy()
    finally:
        g.train(was_training)
    return Directions(np.ascontiguousarray(vectors), explained.astype(np.float32), source)


def weights_snapshot(g: nn.Module) -> dict[str, np.ndarray]:
    """G's state dict as numpy copies: a payload a thread can hand to another without sharing memory."""
    return {name: value.detach().cpu().numpy().copy() for name, value in g.state_dict().items()}


class LatentRenderer:
    """A private copy of G for one config: renders single latents, walk strips and plane layers."""

    def __init__(self, config: Config, weights: dict[str, np.ndarray] | None = None,
                 generator: nn.Module | None = None):
        self.config = config
        self.z_dim = config.generator.z_dim
        self.code: np.ndarray | None = None  # c for every render (code_dim floats); None: G's own per-row codes
        self.g = generator if generator is not None else build_models(config)[0]
        self.g.eval().requires_grad_(False)
        if weights is not None:
            self.load_weights(weights)

    @classmethod
    def from_checkpoint(cls, path: str | Path) -> tuple["LatentRenderer", dict]:
        from .checkpoints import load_generator

        g, config, state = load_generator(path)
        return cls(config, generator=g), state

    def load_weights(self, weights: dict[str, np.ndarray]) -> None:
        self.g.load_state_dict({name: torch.from_numpy(np.asarray(value)) for name, value in weights.items()})

    @torch.no_grad()
    def generate(self, z: np.ndarray, code: np.ndarray | None = None) -> np.ndarray:
        """G(z, c) for a batch (N×z_dim) as float32: N×2 points or N×C×H×W images in [-1, 1].

        `code` is one c (code_dim) for every z, or one per z (N×code_dim); by default the renderer's
        current `code` (the explorer's class or InfoGAN codes), or, when that is None, G's own choice
        (see CodeLayout.rows).
        """
        z = torch.from_numpy(np.ascontiguousarray(z, np.float32)).reshape(-1, self.z_dim)
        code = self.code if code is None else code
        c = None
        if code is not None:
            c = torch.from_numpy(np.ascontiguousarray(code, np.float32)).reshape(-1, np.shape(code)[-1])
            c = c.expand(len(z), -1) if len(c) == 1 else c
        with one_cpu_thread() if len(z) == 1 else nullcontext():  # one picture: the same bits anywhere
            return self.g(z, c).float().numpy()

    def picture(self, z: np.ndarray, code: np.ndarray | None = None) -> np.ndarray:
        """One image as uint8 (H×W or H×W×3), unpadded; only for image models. The explorer shows it
        and `sample --n 1` writes it."""
        return image_grid(self.generate(z[None], code), ncol=1, pad=0)

    def strip(self, path: np.ndarray, pad: int = 2) -> np.ndarray:
        """The images along a path side by side, one uint8 row."""
        return image_grid(self.generate(path), ncol=len(path), pad=pad)

    def walk_frames(self, path: np.ndarray) -> np.ndarray:
        """Each image of a path as uint8 frames (N×H×W or N×H×W×3)."""
        images = self.generate(path)
        return np.stack([image_grid(images[i:i + 1], ncol=1, pad=0) for i in range(len(images))])

    def plane_layers(self, seed: int = 0) -> dict:
        """What the plane shows behind the point: G's manifold (z_dim 2, at the current code if G takes
        one) or a cloud of G(z)."""
        if self.z_dim == 2 and (self.code is not None or self.config.cond.kind == "none"):
            code = None if self.code is None else torch.from_numpy(np.asarray(self.code, np.float32)).reshape(1, -1)
            return {"manifold": manifold_lines(self.g, torch.device("cpu"), code=code)}
        z = np.random.default_rng(seed).standard_normal((CLOUD_POINTS, self.z_dim)).astype(np.float32)
        return {"cloud": self.generate(z)}

    def directions(self, k: int = 8, n_samples: int = 1000) -> Directions:
        return pca_directions(self.g, self.z_dim, k=k, n_samples=n_samples)


def save_walk_gif(frames: np.ndarray, path: str | Path, fps: float = 12.0, scale: int = 4,
                  bounce: bool = True) -> Path:
    """An animated GIF (or MP4) of a walk (there and back when `bounce`), each pixel `scale`× larger."""
    from .export import write_animation

    frames = np.asarray(frames, np.uint8)
    if scale > 1:
        frames = frames.repeat(scale, axis=1).repeat(scale, axis=2)
    if bounce and len(frames) > 2:
        frames = np.concatenate([frames, frames[-2:0:-1]])
    return write_animation(list(frames), path, fps)
