"""Inside the generator: feature maps recorded by hooks equal a forward by hand, the tiled grid's
layout, and the explorer's layer viewer (follows the sliders, enlarges the channel under the
mouse, and costs the render thread nothing when folded)."""
from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from helpers import tiny_digits
from studio.core.config import GeneratorConfig
from studio.core.layers import (EMPTY_RGB, NO_MAPS_NOTE, PAD_RGB, channel_at, channel_origin, channel_tile,
                                feature_maps, record_features, tile_channels, tile_layer)
from studio.core.models import build_models
from studio.core.resnet import ResNetGenerator

TIMEOUT = 30000  # ms; generous for a loaded 2-core machine (no timing is asserted)


def test_dcgan_feature_maps_equal_a_forward_by_hand():
    config = tiny_digits()
    g = build_models(config)[0].eval()
    z = np.random.default_rng(1).standard_normal(config.generator.z_dim).astype(np.float32)
    found = feature_maps(g, z)
    expected, h = [], torch.from_numpy(z).view(1, -1, 1, 1)
    with torch.no_grad():
        for layer in g.net:  # ConvT, BN, ReLU, ConvT, BN, ReLU, ConvT, Tanh
            h = layer(h)
            if isinstance(layer, nn.ReLU):
                expected.append(h[0].clone().numpy())
    w = config.generator.width
    assert [name for name, _ in found] == ["conv 1", "conv 2"]
    assert [maps.shape for _, maps in found] == [(4 * w, 7, 7), (2 * w, 14, 14)]
    for (_, maps), by_hand in zip(found, expected):
        np.testing.assert_allclose(maps, by_hand, rtol=1e-5, atol=1e-6)
    assert not any(m._forward_hooks for m in g.modules()), "the hooks outlive the recording"


def test_resnet_feature_maps_are_each_stage_after_its_bn_relu():
    g = ResNetGenerator(GeneratorConfig(arch="resnet", z_dim=8, width=2), channels=3, size=32).eval()
    z = np.random.default_rng(2).standard_normal(8).astype(np.float32)
    found = feature_maps(g, z)
    with torch.no_grad():
        h = g.linear(torch.from_numpy(z)[None]).view(1, -1, 4, 4)
        expected = []
        for block in g.blocks:
            expected.append(block.act1(block.bn1(h))[0].numpy())
            h = block(h, None)
        expected.append(g.out[1](g.out[0](h))[0].numpy())
    assert [name for name, _ in found] == ["linear", "block 1", "block 2", "block 3"]
    assert [maps.shape for _, maps in found] == [(8, 4, 4), (8, 8, 8), (8, 16, 16), (8, 32, 32)]
    for (_, maps), by_hand in zip(found, expected):
        np.testing.assert_allclose(maps, by_hand, rtol=1e-5, atol=1e-6)


def test_an_mlp_generator_says_it_has_no_feature_maps():
    g = build_models(tiny_digits(**{"generator.arch": "mlp", "generator.depth": 1, "generator.width": 8}))[0]
    with record_features(g) as record:
        g(torch.zeros(1, 8))
    assert record.grids() == {"layers": [], "note": NO_MAPS_NOTE}


def test_the_tiled_grid_lays_out_each_channel_stretched_on_its_own():
    rng = np.random.default_rng(3)
    maps = rng.standard_normal((10, 3, 5)).astype(np.float32) * np.arange(1, 11)[:, None, None]
    maps[6] = 0.0  # a ReLU channel that is off everywhere
    grid, ranges = tile_channels(maps)
    assert grid.dtype == np.uint8 and grid.shape == (3 * 4 + 1, 4 * 6 + 1, 4)  # 4 tiles a row, 3 rows, 1-px gaps
    np.testing.assert_allclose(ranges, np.stack([maps.min((1, 2)), maps.max((1, 2))], 1))
    layer = tile_layer("conv 1", maps)
    for k in range(10):
        x, y = channel_origin(maps.shape, k)
        assert channel_at(maps.shape, x + 4, y + 2) == k
        tile = channel_tile(layer, k)[..., 0].astype(int)
        order = np.argsort(maps[k], axis=None)
        assert (tile.min(), tile.max()) == ((0, 0) if k == 6 else (0, 255))
        assert k == 6 or np.all(np.diff(tile.ravel()[order]) >= 0)  # brighter where the map is larger
    assert tuple(grid[0, 0, :3]) == PAD_RGB and channel_at(maps.shape, 0, 0) is None
    assert channel_at(maps.shape, 6, 1) is None  # the gap after tile 0
    assert tuple(grid[-2, -2, :3]) == EMPTY_RGB and channel_at(maps.shape, 23, 11) is None  # cell 11 of 10


# -- the viewer in the explorer ---------------------------------------------------------------------------
pytest.importorskip("pytestqt")

from PySide6.QtTest import QTest  # noqa: E402

from studio.core.checkpoints import load_generator, save_checkpoint  # noqa: E402
from studio.core.latent import one_cpu_thread  # noqa: E402
from studio.core.trainer import Trainer  # noqa: E402
from studio.gui import latent_render  # noqa: E402


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    trainer = Trainer(tiny_digits())  # untrained: its G's feature maps vary as well
    return save_checkpoint(trainer.state_dict(), tmp_path_factory.mktemp("run") / "checkpoints" / "step-0.pt")


@pytest.fixture
def explorer(latent_panel, checkpoint):
    return latent_panel(checkpoint)


def test_moving_a_slider_redraws_the_layer_grids(qtbot, explorer, checkpoint):
    viewer = explorer.layers
    qtbot.waitUntil(lambda: viewer.draws > 0 and explorer.shown_stamp == explorer.requested_stamp, timeout=TIMEOUT)
    assert [grid.title.text() for grid in viewer.grids] == ["conv 1: 16 × 7×7", "conv 2: 8 × 14×14"]
    before = [grid.image.image.copy() for grid in viewer.grids]
    draws = viewer.draws
    explorer.dim_sliders[0].slider.setValue(250)
    qtbot.waitUntil(lambda: viewer.draws > draws and viewer._pending is None, timeout=TIMEOUT)
    after = [grid.image.image for grid in viewer.grids]
    assert all(a.shape == b.shape and not np.array_equal(a, b) for a, b in zip(before, after))
    with one_cpu_thread():  # as the render thread runs G
        recorded = feature_maps(load_generator(checkpoint)[0], explorer.current_z())
    assert np.abs(after[1].astype(int) - tile_channels(recorded[1][1])[0]).max() <= 1  # G's maps for this z


def test_pointing_at_a_channel_enlarges_it(qtbot, explorer):
    viewer = explorer.layers
    qtbot.waitUntil(lambda: viewer.draws > 0, timeout=TIMEOUT)
    grid, layer = viewer.grids[0], viewer.layers[0]
    x, y = channel_origin(layer["shape"], 5)

    def point_at_channel_5() -> bool:  # again while the layout settles: the grid may still move
        scene = grid.image.mapToScene(x + 3.5, y + 3.5)
        QTest.mouseMove(grid.widget.viewport(), grid.widget.mapFromScene(scene))
        return viewer.selected == (0, 5)

    qtbot.waitUntil(point_at_channel_5, timeout=TIMEOUT)
    np.testing.assert_array_equal(viewer.zoom.image.image, channel_tile(layer, 5))
    assert viewer.zoom.title.text() == "conv 1, channel 5"
    lo, hi = layer["ranges"][5]
    assert f"{hi:.3g}" in viewer.range.text()
    assert grid.frame.isVisible() and not viewer.grids[1].frame.isVisible()
    assert viewer.hover(1, viewer.grids[1].image.mapToScene(0.2, 0.2)) is None  # the border: nothing new
    assert viewer.selected == (0, 5)


def test_a_folded_viewer_records_no_feature_maps(qtbot, explorer, monkeypatch):
    recordings = []

    def counting(g):
        recordings.append(g)
        return record_features(g)

    monkeypatch.setattr(latent_render, "record_features", counting)
    viewer = explorer.layers
    qtbot.waitUntil(lambda: viewer.draws > 0 and explorer.shown_stamp == explorer.requested_stamp, timeout=TIMEOUT)
    shown = []
    monkeypatch.setattr(viewer, "show_layers", shown.append)  # what each shown frame brought
    viewer.toggle.setChecked(False)
    assert not viewer.wanted() and not viewer.body.isVisible()
    for value in (120, -140, 60):
        explorer.dim_sliders[1].slider.setValue(value)
        qtbot.waitUntil(lambda: explorer.shown_stamp == explorer.requested_stamp, timeout=TIMEOUT)
    assert shown and not recordings and not any(shown)
    assert not any(m._forward_hooks for m in explorer.worker.renderer.g.modules())
    viewer.toggle.setChecked(True)  # open again: the next frame brings them
    qtbot.waitUntil(lambda: bool(recordings) and shown[-1] is not None, timeout=TIMEOUT)
    assert [layer["name"] for layer in shown[-1]["layers"]] == ["conv 1", "conv 2"]
