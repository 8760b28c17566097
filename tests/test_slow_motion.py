"""Slow motion replays the trainer's own iteration: same end state as Trainer.step(), and every frame's data
is what the trainer computed."""
import copy

import numpy as np
import pytest
import torch
from helpers import tiny_digits, tiny_ring

from studio.core import losses
from studio.core.plane import plane_extent
from studio.core.slow_motion import EDGES, SlowMotionError, slow_motion_iteration
from studio.core.trainer import Trainer

RING_FIXED = {"discriminator.minibatch_std": True, "optim.ema": 0.999}  # ring-fixed's switches


def _twins(config, steps: int = 3) -> tuple[Trainer, Trainer, dict]:
    """Two trainers in the same state after a few steps, and a deep copy of that state."""
    a = Trainer(config)
    for _ in range(steps):
        a.step()
    state = copy.deepcopy(a.state_dict())
    b = Trainer(config, data=a.data)
    b.load_state_dict(copy.deepcopy(state))
    return a, b, state


def _assert_same(x, y, path="state") -> None:
    if isinstance(x, dict):
        assert x.keys() == y.keys(), path
        for k in x:
            _assert_same(x[k], y[k], f"{path}.{k}")
    elif isinstance(x, (list, tuple)):
        assert len(x) == len(y), path
        for i, (u, v) in enumerate(zip(x, y)):
            _assert_same(u, v, f"{path}[{i}]")
    elif isinstance(x, torch.Tensor):
        assert torch.equal(x, y), path
    else:
        assert x == y, path


GRID_FIXED = {**RING_FIXED, "cond.kind": "infogan", "cond.categorical": 4, "cond.continuous": 0,
              "cond.info_weight": 0.2, "optim.lr_decay": "cosine", "optim.decay_end": 2, "optim.lr_floor": 0.5}


@pytest.mark.parametrize("changes", [{}, RING_FIXED, {"loss.kind": "hinge", "loss.instance_noise": 0.1}, GRID_FIXED],
                         ids=["plain", "minibatch-std+ema", "hinge+instance-noise", "infogan+lr-decay"])
def test_slow_motion_ends_exactly_where_one_step_ends(changes):
    normal, slow, _ = _twins(tiny_ring(**changes))
    normal.step()
    frames = slow_motion_iteration(slow, extent=3.0)
    state_normal, state_slow = normal.state_dict(), slow.state_dict()
    for key in ("elapsed",):  # wall time is not part of the computation
        state_normal.pop(key), state_slow.pop(key)
    _assert_same(state_normal, state_slow)
    assert [f["key"] for f in frames] == ["noise", "generate", "score", "d_loss", "d_update", "rescore", "g_loss",
                                          "gradient", "g_update", "done"]
    assert all(set(f["edges"]) <= set(EDGES) and f["caption"] for f in frames)


def test_each_frame_shows_what_the_trainer_computed():
    """z, G(z), D's scores, the losses, the heatmap, ∇ₓ loss_G and the moved points, each recomputed
    independently from the state before the step and from the ordinary step's trainer."""
    config = tiny_ring(**RING_FIXED)
    normal, slow, state = _twins(config)
    extent = plane_extent(normal.data.x.numpy())
    before = Trainer(config, data=normal.data)
    before.load_state_dict(copy.deepcopy(state))
    z = before.noise(config.train.batch_size)  # the trainer's first draw of the step
    metrics = normal.step()
    frames = {f["key"]: f for f in slow_motion_iteration(slow, extent=extent)}
    np.testing.assert_array_equal(frames["noise"]["z"], z.numpy())
    with torch.no_grad():
        fake = before.g(z)
        real = torch.as_tensor(frames["score"]["real"])
        real_scores, fake_scores = before.d(real).reshape(-1), before.d(fake).reshape(-1)
    np.testing.assert_array_equal(frames["generate"]["fake"], fake.numpy())
    np.testing.assert_array_equal(frames["score"]["d_real"], torch.sigmoid(real_scores).numpy())
    np.testing.assert_array_equal(frames["score"]["d_fake"], torch.sigmoid(fake_scores).numpy())
    assert frames["d_loss"]["loss_d"] == metrics["loss_d"]
    assert float(losses.smoothed_d_loss(config.loss, real_scores, fake_scores)) == pytest.approx(metrics["loss_d"])
    # after D's update: the normal trainer's D (G's update leaves D's weights alone)
    x = fake.clone().requires_grad_(True)
    rescored = normal.d(x).reshape(-1)
    loss_g = losses.g_loss(config.loss.kind, rescored)
    (grad,) = torch.autograd.grad(loss_g, x)
    np.testing.assert_allclose(frames["rescore"]["d_fake"], torch.sigmoid(rescored).detach().numpy(), rtol=1e-6)
    assert frames["g_loss"]["loss_g"] == metrics["loss_g"] == pytest.approx(loss_g.item())
    np.testing.assert_allclose(frames["gradient"]["grad"], grad.numpy(), rtol=1e-5, atol=1e-9)
    assert np.all(frames["gradient"]["arrows"] * grad.numpy() <= 0)  # arrows point down the gradient
    assert not frames["score"]["arrows"].any()
    with torch.no_grad():
        np.testing.assert_array_equal(frames["g_update"]["fake"], normal.g(z).numpy())
    # the heatmap: D before its update until "d_update", after it from then on
    assert np.array_equal(frames["d_loss"]["heatmap"], frames["noise"]["heatmap"])
    assert np.array_equal(frames["d_update"]["heatmap"], frames["done"]["heatmap"])
    assert not np.array_equal(frames["d_loss"]["heatmap"], frames["d_update"]["heatmap"])


def test_image_frames_carry_a_few_images_and_their_scores():
    config = tiny_digits()
    normal, slow, _ = _twins(config, steps=1)
    normal.step()
    frames = slow_motion_iteration(slow)
    _assert_same(normal.state_dict()["generator"], slow.state_dict()["generator"])
    score = frames[2]
    assert score["fake"].shape == (8, 1, 28, 28) and score["d_fake"].shape == (8,)
    assert "heatmap" not in score
    assert frames[7]["grad"].shape == (8, 1, 28, 28)


@pytest.mark.parametrize("changes, words", [({"optim.d_steps": 2}, "d_steps"), ({"optim.unroll": 2}, "unroll"),
                                            ({"loss.kind": "wgan-gp"}, "penalty")])
def test_exotic_configs_are_refused_with_a_reason(changes, words):
    trainer = Trainer(tiny_ring(**changes))
    with pytest.raises(SlowMotionError, match=words):
        slow_motion_iteration(trainer)
    assert trainer.step_count == 0


def test_infogan_is_shown_with_its_information_term_and_the_decayed_learning_rates():
    """grid-fixed's switches: D's scores are drawn without Q's outputs, the captions name λ·L_I, and
    the update rule shows the learning rate this step used, not the configured one."""
    normal, slow, _ = _twins(tiny_ring(**GRID_FIXED))
    metrics = normal.step()
    frames = {f["key"]: f for f in slow_motion_iteration(slow, extent=3.0)}
    assert frames["score"]["d_fake"].shape == (slow.config.train.batch_size,)
    assert "λ·L_I (λ = 0.2)" in frames["d_loss"]["caption"]
    assert f"λ·L_I = {metrics['loss_aux']:.3g}" in frames["g_loss"]["caption"]
    assert "= 0.0005" in frames["d_update"]["caption"] and "= 0.0005" in frames["g_update"]["caption"]  # 1e-3 × 0.5


@pytest.mark.parametrize("changes, words", [({"cond.kind": "acgan"}, "auxiliary head"),
                                            ({"discriminator.class_weight": 3.0}, "class term")])
def test_heads_it_cannot_show_are_refused_with_a_reason(changes, words):
    trainer = Trainer(tiny_digits(**changes))
    with pytest.raises(SlowMotionError, match=words):
        slow_motion_iteration(trainer)
    assert trainer.step_count == 0
