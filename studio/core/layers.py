"""Inside the generator: the feature maps of G's main stages for one latent, and each layer's
channels tiled into one picture (the layer viewer of the StyleGAN3 visualizer, at the scale of a
28×28 GAN).

Feature maps are recorded by forward hooks while G makes the picture, so the viewer costs no
second forward pass; without `record_features` nothing is hooked and nothing is kept.
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Iterator

import numpy as np
import torch
from torch import nn

from .models import DCGANGenerator
from .resnet import ResNetGenerator

PAD = 1  # pixels between the tiles of a grid
PAD_RGB = (72, 82, 102)  # the lines between tiles: grey-blue, so a black (silent) channel still shows its edge
EMPTY_RGB = (32, 33, 36)  # cells past the last channel: the explorer's background
NO_MAPS_NOTE = ("This generator is an MLP: its hidden layers are vectors of units, not images, so there "
                "are no feature maps to show. Train a DCGAN or ResNet generator to look inside.")


def feature_layers(g: nn.Module) -> list[tuple[str, nn.Module]]:
    """(name, module) for each main stage of G whose output is a feature map, in forward order.

    DCGAN: each (transposed or resize) convolution's batch norm + ReLU ("conv 1", "conv 2", …; the last
    convolution's tanh is the picture itself). ResNet: the BN-ReLU after the linear layer and after
    each up-sampling block ("linear", "block 1", …), i.e. the activations each stage hands on.
    Any other generator (the MLP) has none.
    """
    if isinstance(g, DCGANGenerator):
        relus = [m for m in g.net if isinstance(m, nn.ReLU)]
        return [(f"conv {i}", m) for i, m in enumerate(relus, 1)]
    if isinstance(g, ResNetGenerator):
        stages = [block.act1 for block in g.blocks] + [g.out[1]]
        return [("linear" if i == 0 else f"block {i}", m) for i, m in enumerate(stages)]
    return []


class FeatureRecord:
    """What one forward pass left in the hooks: (name, C×H×W float32 array) per layer, for its first
    sample. `note` says why there are none for a generator without feature maps."""

    def __init__(self, names: list[str]):
        self.names = names
        self.maps: list[tuple[str, np.ndarray]] = []
        self.note = "" if names else NO_MAPS_NOTE

    def grids(self) -> dict:
        """The viewer's payload (plain numpy): {"layers": [tiled layer, …], "note": str}; see `tile_layer`."""
        return {"layers": [tile_layer(name, maps) for name, maps in self.maps], "note": self.note}


@contextmanager
def record_features(g: nn.Module) -> Iterator[FeatureRecord]:
    """Within: every forward of G records its feature maps (the last forward's replace the earlier)."""
    layers = feature_layers(g)
    record = FeatureRecord([name for name, _ in layers])

    def hook_for(index: int, name: str):
        def keep(_module, _inputs, output: torch.Tensor) -> None:
            if index == 0:
                record.maps.clear()
            record.maps.append((name, output[0].detach().float().cpu().numpy().copy()))
        return keep

    handles = [module.register_forward_hook(hook_for(i, name)) for i, (name, module) in enumerate(layers)]
    try:
        yield record
    finally:
        for handle in handles:
            handle.remove()


@torch.no_grad()
def feature_maps(g: nn.Module, z: np.ndarray, code: np.ndarray | None = None) -> list[tuple[str, np.ndarray]]:
    """G's feature maps for one latent z (and code c): (name, C×H×W) per layer, as `feature_layers` lists."""
    was_training = g.training
    g.eval()
    try:
        with record_features(g) as record:
            c = None if code is None else torch.as_tensor(np.asarray(code, np.float32)).reshape(1, -1)
            g(torch.as_tensor(np.asarray(z, np.float32)).reshape(1, -1), c)
    finally:
        g.train(was_training)
    return record.maps


def grid_columns(channels: int) -> int:
    """Tiles per row of a layer's grid: as square as the channel count allows."""
    return math.ceil(math.sqrt(channels))


def _palette() -> np.ndarray:
    """Grey levels 0-255, then the gap colour (256) and the empty-cell colour (257), each packed as the
    bytes R, G, B, 255 of one uint32: one lookup makes the RGBA picture (RGBA, not RGB: no strided copy)."""
    rgba = np.full((258, 4), 255, np.uint8)
    rgba[:256, :3] = np.arange(256, dtype=np.uint8)[:, None]
    rgba[256, :3], rgba[257, :3] = PAD_RGB, EMPTY_RGB
    return rgba.view(np.uint32)[:, 0]


PALETTE = _palette()


def tile_channels(maps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A layer's C×H×W feature maps as one H'×W'×4 uint8 RGBA picture, and each channel's (min, max).

    Channels are laid out row by row, `grid_columns(C)` to a row, PAD pixels apart (PAD_RGB lines;
    EMPTY_RGB past the last channel). Each channel is stretched on its own from its minimum (black)
    to its maximum (white), so the pattern of a weak channel shows as clearly as a strong one's; the
    ranges returned give the true scale (the viewer prints them). A channel with no spread (a ReLU
    channel that is off everywhere, or any constant one) is drawn black.
    """
    maps = np.asarray(maps, np.float32)
    c, h, w = maps.shape
    ncol = grid_columns(c)
    nrow = math.ceil(c / ncol)
    lo, hi = maps.reshape(c, -1).min(1), maps.reshape(c, -1).max(1)
    if not (np.isfinite(lo).all() and np.isfinite(hi).all()):  # a diverged G: NaN and ±inf drawn as 0
        maps = np.nan_to_num(maps, nan=0.0, posinf=0.0, neginf=0.0)
        lo, hi = maps.reshape(c, -1).min(1), maps.reshape(c, -1).max(1)
    spread = hi - lo
    gain = np.divide(255.0, spread, out=np.zeros_like(spread), where=spread > 1e-6 * np.maximum(1.0, np.abs(hi)))
    cells = np.full((nrow * ncol, h + PAD, w + PAD), 256, np.intp)  # each tile with its right and lower gap
    cells[:c, :h, :w] = (maps - lo[:, None, None]) * gain[:, None, None] + 0.5
    cells[c:] = 257
    index = np.full((nrow * (h + PAD) + PAD, ncol * (w + PAD) + PAD), 256, np.intp)
    index[PAD:, PAD:] = (cells.reshape(nrow, ncol, h + PAD, w + PAD).transpose(0, 2, 1, 3)
                         .reshape(nrow * (h + PAD), ncol * (w + PAD)))
    return PALETTE[index].view(np.uint8).reshape(*index.shape, 4), np.stack([lo, hi], 1)


def tile_layer(name: str, maps: np.ndarray) -> dict:
    """One layer for the viewer: {"name", "shape" (C, H, W), "grid" (uint8 picture), "ranges" (C×2)}."""
    grid, ranges = tile_channels(maps)
    return {"name": name, "shape": tuple(int(n) for n in maps.shape), "grid": grid, "ranges": ranges}


def channel_at(shape: tuple[int, int, int], x: float, y: float) -> int | None:
    """The channel whose tile covers pixel (x, y) of a grid from `tile_channels` (None: a gap or nothing)."""
    c, h, w = shape
    if x < PAD or y < PAD:
        return None
    col, dx = divmod(int(x) - PAD, w + PAD)
    row, dy = divmod(int(y) - PAD, h + PAD)
    k = row * grid_columns(c) + col
    if dx >= w or dy >= h or col >= grid_columns(c) or k >= c:
        return None
    return k


def channel_origin(shape: tuple[int, int, int], k: int) -> tuple[int, int]:
    """The (x, y) pixel where channel k's tile starts in its grid."""
    _, h, w = shape
    row, col = divmod(k, grid_columns(shape[0]))
    return PAD + col * (w + PAD), PAD + row * (h + PAD)


def channel_tile(layer: dict, k: int) -> np.ndarray:
    """Channel k of a tiled layer as its own H×W×4 uint8 picture (as the grid draws it)."""
    _, h, w = layer["shape"]
    x, y = channel_origin(layer["shape"], k)
    return np.ascontiguousarray(layer["grid"][y:y + h, x:x + w])
