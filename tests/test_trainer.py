import dataclasses
import math

import pytest
import torch

from helpers import tiny_digits, tiny_ring
from studio.core.config import ConfigError
from studio.core.coverage import mode_metrics
from studio.core.optimizers import lr_factor
from studio.core.presets import load_preset
from studio.core.trainer import NonFiniteLossError, Trainer, pick_device

REQUIRED = {"step", "loss_g", "loss_d", "d_real", "d_fake", "grad_norm_g", "grad_norm_d"}


def params(module):
    return [p.detach().clone() for p in module.parameters()]


def same(a, b):
    return all(torch.equal(x, y) for x, y in zip(a, b))


def test_step_returns_floats_for_every_metric():
    trainer = Trainer(tiny_ring())
    m = trainer.step()
    assert REQUIRED <= set(m) and all(isinstance(v, (int, float)) for v in m.values())
    assert m["step"] == 1 and trainer.step_count == 1
    assert 0 < m["d_real"] < 1 and 0 < m["d_fake"] < 1


@pytest.mark.parametrize("kind", ["minimax", "nonsaturating", "lsgan", "hinge", "wgan", "wgan-gp", "r1"])
def test_every_loss_trains_finitely(kind):
    trainer = Trainer(tiny_ring(**{"loss.kind": kind}))
    for _ in range(3):
        m = trainer.step()
    assert all(math.isfinite(v) for v in m.values())
    assert ("wasserstein" in m) == (kind in ("wgan", "wgan-gp"))
    if kind == "wgan":
        assert max(p.abs().max().item() for p in trainer.d.parameters()) <= trainer.config.loss.clip + 1e-7


def test_image_trainer_steps_and_samples():
    trainer = Trainer(tiny_digits())
    m = trainer.step()
    assert REQUIRED <= set(m)
    samples = trainer.fixed_samples()
    assert samples.shape == (16, 1, 28, 28) and samples.min() >= -1 and samples.max() <= 1


def d_accuracy(trainer, n=512):
    """D's share of right calls on fresh real and fake batches (a positive logit means real)."""
    with torch.no_grad():
        real_scores, fake_scores = trainer.d(trainer.data.batch(n, trainer.rng)), trainer.d(trainer.g(trainer.noise(n)))
    return ((real_scores > 0).float().mean() + (fake_scores < 0).float().mean()).item() / 2


def test_d_improves_against_a_fixed_generator():
    trainer = Trainer(tiny_ring(**{"optim.lr_d": 3e-3}))
    g_before = params(trainer.g)
    accuracy_before = d_accuracy(trainer)
    first = {k: v.item() for k, v in trainer.update_d().items()}
    for _ in range(150):
        last = {k: v.item() for k, v in trainer.update_d().items()}
    assert same(g_before, params(trainer.g))
    assert accuracy_before < 0.75  # 0.2 to 0.5 on seeds 0-2: no better than chance
    assert d_accuracy(trainer) > 0.95  # 0.999 to 1.0 on seeds 0-2, on batches D never trained on
    assert last["loss_d"] < first["loss_d"] - 0.3
    assert last["d_real"] > 0.7 and last["d_fake"] < 0.3


def test_training_covers_the_ring_modes_that_the_untrained_generator_misses():
    """The ring-fixed preset's recipe (minibatch-std D, EMA of G), smaller and faster: 800 steps put
    samples within 3σ of all 8 modes on each of seeds 0-9 (high-quality share 0.09-0.74; 0.47 on seed 0)."""
    trainer = Trainer(load_preset("ring-fixed").updated({
        "data.n_samples": 5000, "generator.width": 64, "discriminator.width": 64, "train.batch_size": 128,
        "optim.lr_g": 2e-3, "optim.lr_d": 2e-3, "optim.ema": 0.98}))
    z = torch.randn(1000, trainer.config.generator.z_dim, generator=torch.Generator().manual_seed(0))

    def coverage():
        return mode_metrics(trainer.generate(z), trainer.data.centres, trainer.data.sigma)

    untrained = coverage()
    for _ in range(800):
        trainer.step()
    trained = coverage()
    assert untrained["modes"] <= 2 and trained["modes"] >= 6
    assert trained["hq"] > 0.05 > untrained["hq"]


def test_update_g_leaves_d_alone_and_update_d_leaves_g_alone():
    trainer = Trainer(tiny_ring())
    g0, d0 = params(trainer.g), params(trainer.d)
    trainer.update_g()
    assert same(d0, params(trainer.d)) and not same(g0, params(trainer.g))
    assert all(p.requires_grad for p in trainer.d.parameters())
    g1 = params(trainer.g)
    trainer.update_d()
    assert same(g1, params(trainer.g)) and not same(d0, params(trainer.d))


def test_same_seed_same_run_on_cpu():
    def run():
        trainer = Trainer(tiny_ring(**{"discriminator.dropout": 0.2}))
        return [trainer.step() for _ in range(5)]

    assert run() == run()
    c = Trainer(tiny_ring(**{"train.seed": 1}))
    assert c.step() != Trainer(tiny_ring()).step()


def test_dropout_masks_come_from_the_runs_own_stream():
    """Draws from torch's global generator between steps (the window's evaluator makes some) leave the run as it was."""
    def run(draw_elsewhere: bool):
        trainer = Trainer(tiny_ring(**{"discriminator.dropout": 0.3, "generator.dropout": 0.2}))
        for _ in range(5):
            trainer.step()
            if draw_elsewhere:
                torch.rand(1000)
        return params(trainer.d) + params(trainer.g)

    assert same(run(False), run(True))


def test_d_steps_runs_several_d_updates_per_step(monkeypatch):
    trainer = Trainer(tiny_ring(**{"optim.d_steps": 3}))
    calls = []
    original = trainer.update_d
    monkeypatch.setattr(trainer, "update_d", lambda *args: calls.append(1) or original(*args))
    trainer.step()
    assert len(calls) == 3


def adam_steps(optimizer) -> set[int]:
    return {int(state["step"]) for state in optimizer.state.values()}


def test_g_steps_runs_several_g_updates_on_fresh_noise_per_step(monkeypatch):
    trainer = Trainer(tiny_ring(**{"optim.g_steps": 3}))
    drawn = []
    original = trainer.noise
    monkeypatch.setattr(trainer, "noise", lambda n: drawn.append(original(n)) or drawn[-1])
    m = trainer.step()
    assert adam_steps(trainer.opt_g) == {3} and adam_steps(trainer.opt_d) == {1}
    assert len(drawn) == 3 and not torch.equal(drawn[0], drawn[1]) and not torch.equal(drawn[1], drawn[2])
    assert m["step"] == 1 and math.isfinite(m["loss_g"])
    trainer.apply_live(trainer.config.updated({"optim.g_steps": 1}))
    trainer.step()
    assert adam_steps(trainer.opt_g) == {4} and adam_steps(trainer.opt_d) == {2}


def test_nan_loss_raises_naming_step_and_term_before_any_update():
    trainer = Trainer(tiny_ring())
    trainer.step()
    with torch.no_grad():
        next(trainer.d.parameters()).fill_(float("nan"))
    g0, d0 = params(trainer.g), params(trainer.d)
    with pytest.raises(NonFiniteLossError) as err:
        trainer.step()
    assert err.value.step == 2 and err.value.term == "loss_d"  # the second step failed (rows name steps from 1)
    assert "loss_d is nan at step 2" in str(err.value)
    assert same(g0, params(trainer.g)) and all(torch.equal(a, b) | torch.isnan(a).all() for a, b in
                                               zip(d0, params(trainer.d)))


def test_live_changes_reach_the_optimisers_and_structural_ones_are_refused():
    trainer = Trainer(tiny_ring())
    trainer.apply_live(trainer.config.updated({"optim.lr_d": 5e-5, "optim.lr_g": 7e-5, "optim.d_steps": 2}))
    assert trainer.opt_d.param_groups[0]["lr"] == 5e-5 and trainer.opt_g.param_groups[0]["lr"] == 7e-5
    assert trainer.config.optim.d_steps == 2
    with pytest.raises(ConfigError, match="generator.width cannot change during a run"):
        trainer.apply_live(trainer.config.updated({"generator.width": 32}))


def test_cosine_decay_shares_of_the_learning_rates():
    optim = tiny_ring(**{"optim.lr_decay": "cosine", "optim.decay_start": 100, "optim.decay_end": 300,
                         "optim.lr_floor": 0.2}).optim
    assert [lr_factor(optim, 1000, step) for step in (0, 100, 200, 300, 5000)] == \
        pytest.approx([1.0, 1.0, 0.2 + 0.8 * 0.5, 0.2, 0.2])
    assert lr_factor(optim, 1000, 150) == pytest.approx(0.2 + 0.8 * 0.5 * (1 + math.cos(math.pi / 4)))
    to_the_end = dataclasses.replace(optim, decay_end=0)  # 0: the run's last step
    assert lr_factor(to_the_end, 500, 300) == pytest.approx(0.6) and lr_factor(to_the_end, 500, 500) == 0.2
    at_once = dataclasses.replace(optim, decay_end=50)  # ends before it starts: a drop
    assert [lr_factor(at_once, 1000, step) for step in (100, 101)] == [1.0, 0.2]
    assert lr_factor(tiny_ring().optim, 10, 9) == 1.0


def test_the_decay_reaches_the_optimisers_each_step_and_after_live_edits():
    trainer = Trainer(tiny_ring(**{"optim.lr_decay": "cosine", "optim.decay_start": 2, "optim.decay_end": 6,
                                   "optim.lr_floor": 0.1, "optim.lr_g": 1e-3, "optim.lr_d": 2e-3}))
    seen = []
    for _ in range(8):
        trainer.step()
        seen += [trainer.opt_g.param_groups[0]["lr"], trainer.opt_d.param_groups[0]["lr"]]
    factors = [lr_factor(trainer.config.optim, 0, step) for step in range(8)]  # the step-th update's share
    assert seen == pytest.approx([lr * f for f in factors for lr in (1e-3, 2e-3)])
    assert factors[:3] == [1.0, 1.0, 1.0] and factors[-1] == pytest.approx(0.1)
    trainer.apply_live(trainer.config.updated({"optim.lr_g": 5e-4}))  # a live edit is scaled as well
    assert trainer.opt_g.param_groups[0]["lr"] == pytest.approx(5e-5)


def test_ema_follows_the_generator_by_its_decay():
    trainer = Trainer(tiny_ring(**{"optim.ema": 0.9}))
    before = params(trainer.g_ema)
    trainer.step()
    for e0, e1, p in zip(before, params(trainer.g_ema), params(trainer.g)):
        torch.testing.assert_close(e1, 0.9 * e0 + 0.1 * p)
    assert trainer.sampler is trainer.g_ema


def test_instance_noise_and_label_smoothing_change_the_computation():
    base = Trainer(tiny_ring()).step()
    assert Trainer(tiny_ring(**{"loss.instance_noise": 0.5})).step()["loss_d"] != base["loss_d"]
    assert Trainer(tiny_ring(**{"loss.label_smoothing": 0.2})).step()["loss_d"] != base["loss_d"]


def test_augmentation_shows_d_turned_real_and_fake_images_alike(monkeypatch):
    from studio.core import augment

    trainer = Trainer(tiny_digits(**{"loss.augment": "affine"}))
    seen = []
    affine = augment.random_affine

    def spy(x, generator):
        out = affine(x, generator)
        seen.append((x.requires_grad, out))
        return out

    monkeypatch.setattr(augment, "random_affine", spy)
    trainer.step()
    assert len(seen) == 3  # D's update: real and fake; G's update: fake, with G's gradient through it
    assert [grad for grad, _ in seen] == [False, False, True]
    assert all(out.min() >= -1.0 - 1e-6 and out.max() <= 1.0 + 1e-6 for _, out in seen)
    assert Trainer(tiny_digits()).step()["loss_d"] != Trainer(tiny_digits(**{"loss.augment": "affine"})).step()["loss_d"]


def test_random_affine_is_the_identity_at_zero_and_moves_pixels_otherwise():
    from studio.core.augment import random_affine

    x = torch.rand(4, 1, 28, 28) * 2 - 1
    same = random_affine(x, torch.Generator().manual_seed(0), degrees=0, scale=0, shift_pixels=0)
    torch.testing.assert_close(same, x, rtol=0, atol=1e-5)
    dot = -torch.ones(1, 1, 28, 28)
    dot[..., 14, 14] = 1.0
    turned = random_affine(dot.expand(64, -1, -1, -1), torch.Generator().manual_seed(1))
    peaks = [divmod(int(i), 28) for i in turned.flatten(1).argmax(1)]
    assert len(set(peaks)) > 10  # the dot lands in many places
    assert all(abs(r - 14) <= 3 and abs(c - 14) <= 3 for r, c in peaks)  # within ±2 px and a little turn


def test_random_strokes_thicken_thin_or_keep_each_image():
    from studio.core.augment import random_strokes

    x = -torch.ones(300, 1, 9, 9)
    x[:, :, 3:6, 4] = 1.0  # a vertical stroke, one pixel wide and three long
    out = random_strokes(x, torch.Generator().manual_seed(0))
    bright = (out > 0).flatten(1).sum(1)
    assert set(bright.tolist()) == {0, 3, 15}  # thinned away, kept, thickened to 3×5
    assert min((bright == k).sum() for k in (0, 3, 15)) > 60  # about a third each
    trainer = Trainer(tiny_digits(**{"loss.augment": "style"}))
    assert math.isfinite(trainer.step()["loss_d"])


def test_fixed_samples_are_drawn_in_eval_mode_and_change_only_with_training():
    trainer = Trainer(tiny_ring(**{"generator.norm": "batch", "generator.dropout": 0.5}))
    running_stats = [b.clone() for b in trainer.g.buffers()]
    a, b = trainer.fixed_samples(), trainer.fixed_samples()
    assert (a == b).all() and a.shape == (64, 2)  # no dropout, running statistics: eval mode
    assert same(running_stats, list(trainer.g.buffers())) and trainer.g.training  # and training mode is back
    trainer.step()
    assert not (trainer.fixed_samples() == a).all()


def test_auto_device_is_cpu_without_accelerators():
    if torch.cuda.is_available():
        assert pick_device("auto").type == "cuda"
    elif not (torch.backends.mps.is_available()):
        assert pick_device("auto").type == "cpu"
    assert pick_device("cpu").type == "cpu"


def test_unrolling_changes_g_gradient_but_not_d():
    def g_grads(unroll):
        trainer = Trainer(tiny_ring(**{"optim.unroll": unroll}))
        for _ in range(3):
            trainer.step()  # give Adam some moments
        d_before = params(trainer.d)
        trainer.rng.manual_seed(7)
        trainer.update_g()
        assert same(d_before, params(trainer.d))
        return [p.grad.clone() for p in trainer.g.parameters()]

    plain, unrolled, again = g_grads(0), g_grads(5), g_grads(5)
    assert not all(torch.allclose(a, b) for a, b in zip(plain, unrolled))
    assert all(torch.equal(a, b) for a, b in zip(unrolled, again))


def test_unrolled_d_matches_plain_d_only_when_it_cannot_move():
    """Zero look-ahead steps, or steps of zero size, give D's own scores; real steps give others."""
    trainer = Trainer(tiny_ring(**{"optim.unroll": 2}))
    trainer.step()  # give Adam some moments
    fake = trainer.g(trainer.noise(32))
    plain = trainer.d(fake)
    assert torch.equal(trainer._unrolled_d(fake, 0), plain)
    assert (trainer._unrolled_d(fake, 2) - plain).abs().max() > 1e-3
    trainer.opt_d.param_groups[0]["lr"] = 1e-12
    torch.testing.assert_close(trainer._unrolled_d(fake, 2), plain, atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("kind", ["nonsaturating", "wgan-gp", "r1"])
def test_packing_trains_with_every_penalty(kind):
    trainer = Trainer(tiny_ring(**{"discriminator.pack": 4, "loss.kind": kind}))
    m = trainer.step()
    assert all(math.isfinite(v) for v in m.values())
