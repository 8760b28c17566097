"""The latent explorer's engine: truncation, walks, PCA directions and the renderer's copy of G."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from studio.core.checkpoints import save_checkpoint
from studio.core.latent import (LatentRenderer, edit_z, interpolate, interpolation_path, pca_directions, random_z,
                                save_walk_gif, truncate, weights_snapshot)
from studio.core.render import image_grid
from studio.core.trainer import Trainer

from helpers import tiny_digits, tiny_ring


@pytest.fixture(scope="module")
def digits_trainer() -> Trainer:
    trainer = Trainer(tiny_digits())
    for _ in range(3):
        trainer.step()
    return trainer


def test_renderer_from_a_snapshot_draws_what_the_trainer_draws(digits_trainer):
    renderer = LatentRenderer(digits_trainer.config, weights=weights_snapshot(digits_trainer.sampler))
    z = np.random.default_rng(1).standard_normal((5, 8)).astype(np.float32)
    direct = digits_trainer.generate(torch.from_numpy(z))
    np.testing.assert_allclose(renderer.generate(z), direct, atol=1e-5)
    assert renderer.picture(z[2]).shape == (28, 28) and renderer.picture(z[2]).dtype == np.uint8
    assert np.abs(renderer.picture(z[2]).astype(int) - image_grid(direct[2:3], ncol=1, pad=0)).max() <= 1


def test_the_snapshot_is_a_copy_not_the_trainers_memory():
    trainer = Trainer(tiny_ring())
    snapshot = weights_snapshot(trainer.sampler)
    before = {name: value.copy() for name, value in snapshot.items()}
    trainer.step()  # changes G's weights in place
    for name, value in before.items():
        np.testing.assert_array_equal(snapshot[name], value)
    assert any(not np.array_equal(before[name], value)
               for name, value in weights_snapshot(trainer.sampler).items())


def test_loading_a_checkpoint_renders_its_generator(digits_trainer, tmp_path):
    path = save_checkpoint(digits_trainer.state_dict(), tmp_path / "step-00000003.pt")
    renderer, state = LatentRenderer.from_checkpoint(path)
    z = np.zeros((2, 8), np.float32)
    np.testing.assert_allclose(renderer.generate(z), digits_trainer.generate(torch.from_numpy(z)), atol=1e-5)
    assert int(state["step"]) == 3


@pytest.mark.parametrize("make", [tiny_digits, lambda: tiny_ring(**{"generator.z_dim": 6})])
def test_pca_directions_are_orthonormal_and_ordered_by_explained_variance(make):
    config = make()
    renderer = LatentRenderer(config)
    found = renderer.directions(k=5, n_samples=400)
    k = len(found.vectors)
    assert k == 5 and found.vectors.shape == (5, config.generator.z_dim)
    np.testing.assert_allclose(found.vectors @ found.vectors.T, np.eye(k), atol=1e-5)
    assert np.all(np.diff(found.explained) <= 1e-7), found.explained
    assert 0 < found.explained.sum() <= 1.0 + 1e-6


def test_pca_finds_the_one_direction_a_generator_uses():
    """A linear G that reads z only along u: the first direction is ±u and explains all the variance."""
    u = np.array([0.6, 0.0, 0.8, 0.0], np.float32)
    g = torch.nn.Linear(4, 3, bias=False)
    with torch.no_grad():
        g.weight.copy_(torch.outer(torch.tensor([1.0, 2.0, -1.0]), torch.from_numpy(u)))
    found = pca_directions(g, 4, k=2, n_samples=5000, features="outputs")
    assert abs(float(found.vectors[0] @ u)) == pytest.approx(1.0, abs=2e-3)  # sampling error ~ 1/√n
    assert found.explained[0] == pytest.approx(1.0, abs=1e-4)


def test_direction_sliders_and_truncation_compose():
    z = np.array([1.0, -2.0, 0.5], np.float32)
    directions = np.eye(3, dtype=np.float32)[:2]
    np.testing.assert_allclose(edit_z(z, directions, np.array([0.5, 1.0]), 1.0), [1.5, -1.0, 0.5])
    np.testing.assert_allclose(edit_z(z, directions, np.array([0.5, 1.0]), 0.5), [0.75, -0.5, 0.25])
    np.testing.assert_allclose(truncate(z, 0.0), 0.0)
    np.testing.assert_allclose(truncate(z, 1.0), z)


def test_random_z_keeps_the_locked_dimensions():
    current = np.arange(6, dtype=np.float32)
    locked = np.array([True, False, True, False, False, False])
    fresh = random_z(current, locked, np.random.default_rng(0))
    assert fresh[0] == 0 and fresh[2] == 2
    assert not np.allclose(fresh[~locked], current[~locked])


@pytest.mark.parametrize("mode", ["lerp", "slerp"])
def test_a_path_starts_and_ends_at_its_two_latents(mode):
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal(16).astype(np.float32), rng.standard_normal(16).astype(np.float32)
    path = interpolation_path(a, b, 9, mode)
    assert path.shape == (9, 16)
    np.testing.assert_allclose(path[0], a, atol=1e-6)
    np.testing.assert_allclose(path[-1], b, atol=1e-6)


def test_interpolating_at_any_fractions_is_the_path_through_them():
    """The animation's single latents lie on the strip's path."""
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal(8).astype(np.float32), rng.standard_normal(8).astype(np.float32)
    for mode in ("lerp", "slerp"):
        np.testing.assert_allclose(interpolate(a, b, np.array([0.25, 0.75]), mode),
                                   interpolation_path(a, b, 5, mode)[[1, 3]], atol=1e-6)
    with pytest.raises(ValueError, match="lerp"):
        interpolate(a, b, np.array([0.5]), "cubic")


def test_spherical_interpolation_keeps_the_norm_profile_and_linear_does_not():
    rng = np.random.default_rng(4)
    a = rng.standard_normal(100).astype(np.float32)
    b = rng.standard_normal(100).astype(np.float32) * 1.2
    t = np.linspace(0, 1, 11)
    expected = (1 - t) * np.linalg.norm(a) + t * np.linalg.norm(b)
    np.testing.assert_allclose(np.linalg.norm(interpolation_path(a, b, 11, "slerp"), axis=1), expected, rtol=1e-5)
    middle = np.linalg.norm(interpolation_path(a, b, 11, "lerp")[5])
    assert middle < 0.8 * expected[5]  # the straight line cuts through the low-density middle


def test_walk_gif_has_one_frame_per_step_there_and_back(tmp_path):
    import imageio.v2 as imageio

    renderer = LatentRenderer(tiny_digits())
    frames = renderer.walk_frames(interpolation_path(np.zeros(8), np.ones(8), 5, "lerp"))
    assert frames.shape == (5, 28, 28) and frames.dtype == np.uint8
    distinct = np.stack([np.full((28, 28), 40 * i, np.uint8) for i in range(5)])  # GIF merges equal frames
    out = save_walk_gif(distinct, tmp_path / "walk.gif", scale=2)
    read = imageio.mimread(out)
    assert len(read) == 5 + 3 and read[0].shape[:2] == (56, 56)


def test_plane_layers_show_the_manifold_or_a_cloud():
    assert LatentRenderer(tiny_ring()).plane_layers()["manifold"].shape[-1] == 2
    cloud = LatentRenderer(tiny_ring(**{"generator.z_dim": 5})).plane_layers()["cloud"]
    assert cloud.shape[1] == 2 and len(cloud) > 100


def test_a_generator_with_a_code_draws_its_manifold_at_one_code_only():
    """G's own per-row codes would make each manifold line jump between codes (grid-fixed's 25 values)."""
    from studio.core.plane import MANIFOLD_POINTS, MANIFOLD_Z, plane_probe

    config = tiny_ring(**{"cond.kind": "infogan", "cond.categorical": 4, "cond.continuous": 0})
    assert "manifold" not in plane_probe(Trainer(config), extent=2.0)
    renderer = LatentRenderer(config)
    assert "cloud" in renderer.plane_layers()  # no code chosen yet
    renderer.code = np.eye(4, dtype=np.float32)[2]
    lines = renderer.plane_layers()["manifold"]
    t = np.linspace(-MANIFOLD_Z, MANIFOLD_Z, MANIFOLD_POINTS, dtype=np.float32)
    z = np.stack([t, np.full_like(t, -MANIFOLD_Z)], 1)  # the first line: z₂ at its lowest level
    np.testing.assert_allclose(lines[0], renderer.generate(z, np.eye(4, dtype=np.float32)[2]), rtol=1e-5, atol=1e-6)
    renderer.code = np.eye(4, dtype=np.float32)[0]
    assert not np.allclose(renderer.plane_layers()["manifold"], lines)


def test_the_plane_grows_to_keep_the_generated_points_on_it():
    from studio.core.plane import covering_extent, covering_probe

    inside, outside = np.array([[0.5, -1.0]]), np.array([[0.2, -3.0], [np.nan, 9.0]])
    assert covering_extent(2.0, inside, limit=8.0) == 2.0  # never shrunk
    assert covering_extent(2.0, outside, limit=12.0) == pytest.approx(9.9)  # NaN ignored, a 10 % margin
    assert covering_extent(2.0, outside, limit=6.0) == 6.0  # capped
    assert covering_extent(2.0, np.array([[np.nan, np.inf]]), limit=6.0) == 2.0
    trainer = Trainer(tiny_ring())
    with torch.no_grad():
        last = [m for m in trainer.g.modules() if isinstance(m, torch.nn.Linear)][-1]
        last.weight.mul_(0.0)
        last.bias.copy_(torch.tensor([3.0, 0.0]))  # every point at (3, 0), off a plane of ±2
    frame = covering_probe(trainer, 2.0, limit=8.0)
    assert frame["extent"] == pytest.approx(3.3) and frame["heatmap"].shape == (40, 40)
    assert covering_probe(trainer, 4.0, limit=8.0)["extent"] == 4.0
