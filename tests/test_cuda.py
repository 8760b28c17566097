"""GAN Studio on a CUDA device: training, the payloads the window and the CLI read back, checkpoints
that move between a GPU and a CPU, bf16, the window's worker, and the step replayed as a CUDA graph.

Tests marked `cuda` skip (saying why) where torch sees no CUDA device; run them on a GPU with
`pytest -m cuda tests/test_cuda.py` (benchmarks/gpu_check.py does). The tests not marked run on a CPU:
a checkpoint whose tensors and generator states claim a CUDA device must load and resume there.
"""
from __future__ import annotations

import json
from importlib.util import find_spec

import numpy as np
import pytest
import torch

from helpers import TINY_RING_FORM, tiny_digits, tiny_ring
from studio.core.checkpoints import load_checkpoint, restore_trainer, save_checkpoint
from studio.core.losses import NonFiniteLossError
from studio.core.trainer import Trainer

HAS_CUDA = torch.cuda.is_available()


def on_cuda(test):
    """Marked `cuda`, and skipped with the reason where there is none."""
    skip = pytest.mark.skipif(not HAS_CUDA, reason="needs a CUDA device: torch.cuda.is_available() is False")
    return pytest.mark.cuda(skip(test))


def gpu(config, **changes):
    return config.updated({"train.device": "cuda", **changes})


def weights(trainer) -> list[torch.Tensor]:
    """G's, D's and the EMA's tensors and the optimisers' moments, on the CPU."""
    tensors = [*trainer.g.state_dict().values(), *trainer.d.state_dict().values()]
    if trainer.g_ema is not None:
        tensors += list(trainer.g_ema.state_dict().values())
    for opt in (trainer.opt_g, trainer.opt_d):
        tensors += [v for s in opt.state.values() for v in s.values() if torch.is_tensor(v)]
    return [t.detach().float().cpu() for t in tensors]


def assert_close(a: Trainer, b: Trainer, rtol: float, atol: float) -> None:
    for x, y in zip(weights(a), weights(b), strict=True):
        torch.testing.assert_close(x, y, rtol=rtol, atol=atol)


# -- training and what the views read back ----------------------------------------------------------
@on_cuda
@pytest.mark.parametrize("graphs", ["off", "auto"])
def test_ring_trains_on_cuda_and_its_plane_reaches_numpy(graphs):
    from studio.core.latent import weights_snapshot
    from studio.core.plane import plane_extent, plane_probe, real_points

    trainer = Trainer(gpu(tiny_ring(), **{"train.cuda_graphs": graphs}))
    assert trainer.device.type == "cuda" and next(trainer.g.parameters()).is_cuda
    rows = [trainer.step() for _ in range(4)]
    assert all(np.isfinite(v) for row in rows for v in row.values())
    assert trainer.graphed.status == ("on" if graphs == "auto" else "off: train.cuda_graphs is off: eager steps")
    frame = plane_probe(trainer, plane_extent(trainer.data.x.float().cpu().numpy()))
    for key in ("heatmap", "fake", "arrows", "manifold"):
        assert isinstance(frame[key], np.ndarray), key
    assert frame["heatmap"].dtype == np.uint8 and frame["fake"].shape == (64, 2)
    assert real_points(trainer).shape[1] == 2
    assert all(isinstance(v, np.ndarray) for v in weights_snapshot(trainer.sampler).values())
    assert trainer.step()["step"] == 5  # a probe between steps leaves the replay intact


@on_cuda
def test_digits_train_on_cuda_and_their_grid_reaches_numpy():
    from studio.core.render import image_grid

    trainer = Trainer(gpu(tiny_digits()))
    for _ in range(3):
        trainer.step()
    samples = trainer.fixed_samples()
    assert isinstance(samples, np.ndarray) and samples.shape == (16, 1, 28, 28)
    assert image_grid(samples).dtype == np.uint8


@on_cuda
def test_bf16_autocast_trains_replayed():
    trainer = Trainer(gpu(tiny_digits(), **{"train.precision": "bf16"}))
    assert trainer.bf16
    rows = [trainer.step() for _ in range(4)]
    assert trainer.graphed.status == "on"
    assert all(np.isfinite(v) for row in rows for v in row.values())
    with trainer._autocast():
        out = trainer.g(trainer.fixed_noise)
    assert out.dtype == torch.bfloat16  # autocast really ran G in bf16


# -- checkpoints between a GPU and a CPU -------------------------------------------------------------
@on_cuda
def test_cuda_checkpoint_loads_on_cpu_and_back_and_resumes_exactly(tmp_path):
    config = gpu(tiny_ring(**{"optim.ema": 0.9}))
    straight = Trainer(config)
    for _ in range(6):
        straight.step()
    first = Trainer(config)
    for _ in range(3):
        first.step()
    path = save_checkpoint(first.state_dict(), tmp_path / "step-3.pt")

    state = load_checkpoint(path)  # on the CPU, whatever the file says
    assert all(not t.is_cuda for t in state["generator"].values())
    on_cpu = restore_trainer(path, config.updated({"train.device": "cpu"}))
    assert on_cpu.device.type == "cpu" and on_cpu.step()["step"] == 4

    resumed = restore_trainer(path)  # back on the GPU
    for _ in range(3):
        resumed.step()
    assert resumed.graphed.status == "on"
    for x, y in zip(weights(resumed), weights(straight), strict=True):
        assert torch.equal(x, y)


@on_cuda
def test_cli_sample_and_eval_read_a_cuda_checkpoint(tmp_path, capsys):
    from studio.cli import main

    config_path = tmp_path / "ring.json"
    gpu(tiny_ring()).save(config_path)
    assert main(["train", "--config", str(config_path), "--steps", "10", "--out", str(tmp_path / "run"),
                 "--quiet"]) == 0
    ckpt = sorted((tmp_path / "run" / "checkpoints").glob("step-*.pt"))[-1]
    assert main(["sample", str(ckpt), "--n", "32", "--out", str(tmp_path / "s.npy")]) == 0
    assert np.load(tmp_path / "s.npy").shape == (32, 2)
    capsys.readouterr()
    assert main(["eval", str(ckpt), "--n", "200"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["step"] == 10


def _claim_cuda(state: dict) -> dict:
    """A CPU trainer's state as a GPU run writes it: a CUDA generator's 16-byte state, CUDA default
    generator states, and optimiser groups that chose the fused, capturable kernels."""
    seed, offset = 1234, 8
    philox = torch.tensor(list(seed.to_bytes(8, "little") + offset.to_bytes(8, "little")), dtype=torch.uint8)
    state["rng"] = {**state["rng"], "trainer": philox, "cuda": [philox.clone()]}
    for part in ("optimizer_g", "optimizer_d"):
        for group in state[part]["param_groups"]:
            group.update(fused=True, capturable=True)
    return state


def test_a_checkpoint_claiming_cuda_loads_samples_and_resumes_on_cpu(tmp_path, monkeypatch, capsys):
    """Runs on a CPU: tensors saved with CUDA location tags, a CUDA generator state, GPU optimiser flags."""
    from studio.cli import main

    trainer = Trainer(tiny_ring(**{"train.device": "cpu"}))
    for _ in range(3):
        trainer.step()
    path = tmp_path / "step-00000003.pt"
    with monkeypatch.context() as patch:  # torch.save records each storage's device by this tag
        patch.setattr(torch.serialization, "location_tag", lambda storage: "cuda:0")
        save_checkpoint(_claim_cuda(trainer.state_dict()), path)
    if not HAS_CUDA:  # the file really claims CUDA: read as it says, it cannot load here
        with pytest.raises(RuntimeError, match="CUDA"):
            torch.load(path, weights_only=True)

    resumed = [restore_trainer(path) for _ in range(2)]
    assert resumed[0].opt_d.param_groups[0]["capturable"] is False  # this optimiser's own kernel choice
    for x, y in zip(weights(resumed[0]), weights(trainer), strict=True):
        assert torch.equal(x, y)
    rows = [[t.step() for _ in range(2)] for t in resumed]
    assert rows[0] == rows[1]  # the generator's stream is seeded from the saved state, the same each time
    assert all(np.isfinite(v) for v in rows[0][-1].values())

    assert main(["sample", str(path), "--n", "16", "--out", str(tmp_path / "s.png")]) == 0
    assert (tmp_path / "s.png").stat().st_size > 0
    capsys.readouterr()
    assert main(["eval", str(path), "--n", "200"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["step"] == 3


# -- the step replayed as a CUDA graph ----------------------------------------------------------------
GRAPH_CONFIGS = {
    "ring-ema-mbstd": tiny_ring(**{"optim.ema": 0.9, "discriminator.minibatch_std": True}),
    "ring-pack2-d2": tiny_ring(**{"discriminator.pack": 2, "optim.d_steps": 2}),
    "ring-wgan-gp": tiny_ring(**{"loss.kind": "wgan-gp"}),
    "ring-r1-smooth-noise": tiny_ring(**{"loss.kind": "r1", "loss.label_smoothing": 0.1,
                                         "loss.instance_noise": 0.05}),
    "digits": tiny_digits(),
    "digits-acgan-style": tiny_digits(**{"cond.kind": "acgan", "loss.augment": "style"}),
    "digits-infogan-sn": tiny_digits(**{"cond.kind": "infogan", "discriminator.spectral_norm": True}),
    "digits-fixed-recipe": tiny_digits(**{"discriminator.class_weight": 1.0, "discriminator.spectral_norm": True,
                                          "loss.certainty_weight": 30.0, "loss.fake_entropy_weight": 1.0,
                                          "loss.outlier_weight": 0.5, "loss.augment": "affine"}),
}


@on_cuda
@pytest.mark.parametrize("name", list(GRAPH_CONFIGS))
def test_replayed_steps_equal_eager_steps(name, monkeypatch):
    """The same kernels in the same order: equal up to what nondeterministic kernels (atomics in
    grid_sample's backward, cuBLAS on another stream) may change, which Adam can amplify a little."""
    monkeypatch.setattr(torch.backends.cudnn, "deterministic", True)
    rtol, atol = (1e-5, 1e-6) if name.startswith("ring") else (1e-3, 1e-4)
    eager = Trainer(gpu(GRAPH_CONFIGS[name], **{"train.cuda_graphs": "off"}))
    graphed = Trainer(gpu(GRAPH_CONFIGS[name]))
    for _ in range(5):
        a, b = eager.step(), graphed.step()
        assert a.keys() == b.keys()
        np.testing.assert_allclose([b[k] for k in a], [a[k] for k in a], rtol=rtol, atol=atol)
    assert graphed.graphed.status == "on" and graphed.graphed.graph is not None
    assert_close(graphed, eager, rtol=rtol, atol=atol)
    assert torch.equal(graphed.rng.get_state(), eager.rng.get_state())  # the same draws, the same count


@on_cuda
def test_a_live_edit_records_the_step_again():
    eager = Trainer(gpu(tiny_ring(), **{"train.cuda_graphs": "off"}))
    graphed = Trainer(gpu(tiny_ring()))
    for trainer in (eager, graphed):
        trainer.step()
    first = graphed.graphed.graph
    for trainer in (eager, graphed):
        trainer.apply_live(trainer.config.updated({"optim.lr_d": 5e-3, "optim.g_steps": 2}))
        trainer.step()
        trainer.step()
    assert graphed.graphed.graph is not first and graphed.graphed.status == "on"
    assert_close(graphed, eager, rtol=1e-4, atol=1e-5)


@on_cuda
@pytest.mark.parametrize("changes, words", [({"optim.unroll": 2}, "optim.unroll"),
                                            ({"optim.name": "sgd"}, "optim.name sgd"),
                                            ({"train.cuda_graphs": "off"}, "is off")])
def test_fallbacks_train_eagerly_and_say_why(changes, words):
    trainer = Trainer(gpu(tiny_ring(), **changes))
    for _ in range(3):
        trainer.step()
    assert trainer.graphed.graph is None and trainer.graphed.status.startswith("off: ")
    assert words in trainer.graphed.status


@on_cuda
def test_a_failed_recording_puts_everything_back_and_stays_eager(monkeypatch):
    """A host sync inside the step cannot be recorded: the warm-up is undone and the run goes on eagerly."""
    eager = Trainer(gpu(tiny_ring(), **{"train.cuda_graphs": "off"}))
    broken = Trainer(gpu(tiny_ring()))
    updates = broken.updates

    def syncing_updates():
        stats = updates()
        float(stats["loss_d"])  # a device-to-host copy: not allowed while recording
        return stats

    monkeypatch.setattr(broken, "updates", syncing_updates)
    for _ in range(3):
        assert broken.step() == eager.step()
    assert broken.graphed.status.startswith("off: recording failed")
    for x, y in zip(weights(broken), weights(eager), strict=True):
        assert torch.equal(x, y)


@on_cuda
@pytest.mark.parametrize("graphs", ["off", "auto"])
def test_a_non_finite_loss_names_its_step_and_changes_no_weight(graphs):
    trainer = Trainer(gpu(tiny_ring(), **{"train.cuda_graphs": graphs}))
    for _ in range(3):
        trainer.step()
    with torch.no_grad():
        next(trainer.d.parameters()).fill_(float("nan"))  # in place: the replay reads it
    before = weights(trainer)
    with pytest.raises(NonFiniteLossError) as err:
        trainer.step()
    assert (err.value.step, err.value.term) == (4, "loss_d")
    for x, y in zip(weights(trainer), before, strict=True):
        assert torch.equal(x.nan_to_num(), y.nan_to_num())


@on_cuda
def test_slow_motion_steps_eagerly_between_replays():
    from studio.core.slow_motion import slow_motion_iteration

    trainer = Trainer(gpu(tiny_ring()))
    trainer.step()
    assert trainer.graphed.graph is not None
    frames = slow_motion_iteration(trainer)  # its hooks must see G's and D's calls
    assert frames and trainer.step_count == 2
    assert trainer.step()["step"] == 3


# -- the window's worker -------------------------------------------------------------------------------
@on_cuda
@pytest.mark.skipif(find_spec("pytestqt") is None or find_spec("PySide6") is None,
                    reason="needs PySide6 and pytest-qt")
@pytest.mark.parametrize("preset, changes", [
    ("ring-fixed", TINY_RING_FORM),
    ("digits-dcgan", {"data.n_samples": "200", "generator.width": "8", "discriminator.width": "8",
                      "generator.z_dim": "16", "train.batch_size": "16", "train.n_fixed": "16"})])
def test_the_window_trains_on_cuda(qtbot, make_window, preset, changes):
    window = make_window(preset=preset, changes={**changes, "train.device": "cuda"})
    window.start()
    qtbot.waitUntil(lambda: window.counters[0] >= 5, timeout=60000)
    assert window.controls.values["device"].text().startswith("cuda")
    assert window.controller.trainer.graphed.status == "on"
    window.controls.stop_button.click()
    qtbot.waitUntil(lambda: not window.controller.active, timeout=60000)
    assert list((window.run_dir / "checkpoints").glob("step-*.pt"))
    window.close()
