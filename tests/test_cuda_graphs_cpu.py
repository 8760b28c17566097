"""The CUDA-graph step's rules and bookkeeping, on a CPU (the replay itself is tested in test_cuda.py).

`decide` is a pure function of the settings and the device; the warm-up that recording needs is undone
with `step_tensors` and `_restore`, whose completeness decides whether the first replay is step 1."""
import contextlib
import copy
import logging

import pytest
import torch

from helpers import tiny_digits, tiny_ring
from studio.core import cuda_graphs
from studio.core.cuda_graphs import _restore, _signature, decide, graphs_unavailable, observed, step_tensors
from studio.core.losses import NonFiniteLossError
from studio.core.trainer import Trainer

CUDA = torch.device("cuda")


@pytest.mark.parametrize("changes, device, world_size, unavailable, host_data, words", [
    ({"train.cuda_graphs": "off"}, CUDA, 1, None, False, "train.cuda_graphs is off"),
    ({}, torch.device("cpu"), 1, None, False, "trains on cpu"),
    ({}, torch.device("mps"), 1, None, False, "trains on mps"),
    ({}, CUDA, 2, None, False, "torchrun"),
    ({"optim.unroll": 3}, CUDA, 1, None, False, "optim.unroll"),
    ({"optim.lr_decay": "cosine"}, CUDA, 1, None, False, "optim.lr_decay"),
    ({"optim.name": "sgd"}, CUDA, 1, None, False, "optim.name sgd"),
    ({"optim.name": "rmsprop"}, CUDA, 1, None, False, "optim.name rmsprop"),
    ({}, CUDA, 1, None, True, "host memory"),
    ({}, CUDA, 1, "torch sees no CUDA device", False, "torch sees no CUDA device"),
])
def test_decide_falls_back_with_the_reason(changes, device, world_size, unavailable, host_data, words):
    use, reason = decide(tiny_ring(**changes), device, world_size, unavailable, host_data)
    assert not use
    assert words in reason and reason.endswith("eager steps")


@pytest.mark.parametrize("config", [tiny_ring(), tiny_ring(**{"discriminator.pack": 2}),
                                    tiny_ring(**{"train.precision": "bf16", "train.device": "cuda"}),
                                    tiny_digits(**{"cond.kind": "acgan", "loss.augment": "style"}),
                                    tiny_ring(**{"loss.kind": "wgan-gp", "optim.ema": 0.9})])
def test_decide_records_static_steps_on_cuda(config):
    """PacGAN packing, bf16, conditioning, augmentation, penalties and EMA all keep the step's shapes static."""
    assert decide(config, "cuda:0") == (True, "each step is replayed as one CUDA graph (static shapes)")


def test_this_box_has_no_cuda_and_says_so():
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    assert graphs_unavailable() == "torch sees no CUDA device"


def test_signature_follows_what_a_recording_bakes_in():
    base = tiny_ring()
    assert _signature(base) == _signature(base.updated({"train.log_every": 3, "train.save_every": 7}))
    for change in ({"optim.lr_d": 5e-4}, {"optim.d_steps": 2}, {"loss.label_smoothing": 0.1},
                   {"train.cuda_graphs": "off"}):
        assert _signature(base) != _signature(base.updated(change)), change


def test_cpu_steps_stay_eager_identical_to_off_and_say_why_once(caplog):
    caplog.set_level(logging.INFO, logger=cuda_graphs.__name__)
    auto, off = Trainer(tiny_ring()), Trainer(tiny_ring(**{"train.cuda_graphs": "off"}))
    for _ in range(3):
        assert auto.step() == off.step()
    assert all(torch.equal(a, b) for a, b in zip(auto.g.state_dict().values(), off.g.state_dict().values()))
    assert auto.graphed.status.startswith("off: ") and "trains on cpu" in auto.graphed.status
    assert auto.graphed.graph is None
    said = [r.getMessage() for r in caplog.records if r.name == cuda_graphs.__name__]
    assert sum("trains on cpu" in m for m in said) == 1, said  # once, not once a step
    assert sum("is off" in m for m in said) == 1, said
    assert all(r.levelno == logging.INFO for r in caplog.records if r.name == cuda_graphs.__name__)


def test_forward_hooks_make_the_step_observed():
    trainer = Trainer(tiny_ring())
    assert not observed(trainer)
    handle = trainer.d.register_forward_hook(lambda *args: None)
    assert observed(trainer)
    handle.remove()
    assert not observed(trainer)


def _device_state(trainer) -> dict[str, torch.Tensor]:
    """Every tensor of the trainer's state a step may change, by name."""
    state = trainer.state_dict()
    named = {}
    for part in ("generator", "discriminator", "generator_ema"):
        named.update({f"{part}.{k}": v for k, v in (state[part] or {}).items()})
    for part in ("optimizer_g", "optimizer_d"):
        for index, slots in state[part]["state"].items():
            named.update({f"{part}.{index}.{k}": v for k, v in slots.items() if torch.is_tensor(v)})
    return {k: v.detach().clone() for k, v in named.items()}


@pytest.mark.parametrize("config", [tiny_ring(**{"optim.ema": 0.9, "discriminator.minibatch_std": True}),
                                    tiny_digits(**{"discriminator.spectral_norm": True})])
def test_step_tensors_hold_everything_a_step_changes(config):
    """Recording's warm-up is undone through step_tensors: a tensor a step changes and that list misses
    would make the first replay start from a moved state."""
    trainer = Trainer(config)
    trainer.step()  # the optimisers' state exists
    before = _device_state(trainer)
    listed = {t.data_ptr() for t in step_tensors(trainer)}
    trainer.step()
    after = _device_state(trainer)
    changed = [k for k in before if not torch.equal(before[k], after[k])]
    assert changed  # the step did change weights, moments, statistics
    live = {**{f"generator.{k}": v for k, v in trainer.g.state_dict(keep_vars=True).items()},
            **{f"discriminator.{k}": v for k, v in trainer.d.state_dict(keep_vars=True).items()}}
    if trainer.g_ema is not None:
        live.update({f"generator_ema.{k}": v for k, v in trainer.g_ema.state_dict(keep_vars=True).items()})
    for opt_name, opt in (("optimizer_g", trainer.opt_g), ("optimizer_d", trainer.opt_d)):
        for index, p in enumerate(p for g in opt.param_groups for p in g["params"]):
            live.update({f"{opt_name}.{index}.{k}": v for k, v in opt.state[p].items() if torch.is_tensor(v)})
    missing = [k for k in changed if live[k].data_ptr() not in listed]
    assert not missing, missing


# -- the recording and replay bookkeeping, with torch.cuda's graph API played eagerly on the CPU ---------
class EagerGraphs:
    """torch.cuda's recording API on a CPU: recording executes nothing (the state is put back, as a real
    capture only records kernels), and a replay runs the recorded body again, writing the same output
    tensor. Everything GraphedStep does around them (warm-up, undoing it, the checks after a replay,
    undoing a failed step, recording again) then runs as it does on a GPU."""

    def __init__(self, monkeypatch, trainer):
        self.step, self.recordings = trainer.graphed, 0
        fake = self

        class Graph:
            def register_generator_state(self, generator):
                assert generator is trainer.rng

            def replay(self):
                fake.step.capturing = True  # the losses are the graph's outputs, as when recorded
                try:
                    fake.step._out.copy_(fake.step.recorded())
                finally:
                    fake.step.capturing = False

        class Recording:
            def __init__(self, graph, capture_error_mode):
                assert capture_error_mode == "thread_local"

            def __enter__(self):
                self.before = step_tensors(trainer)
                self.saved = [t.detach().clone() for t in self.before]
                self.rng = trainer.rng.get_state()

            def __exit__(self, *exc):
                _restore(trainer, self.before, self.saved)
                trainer.rng.set_state(self.rng)
                fake.recordings += exc[0] is None
                return False

        class Stream:
            def __init__(self, *args):
                pass

            def wait_stream(self, other):
                pass

        cuda = torch.cuda
        for name, value in {"CUDAGraph": Graph, "graph": Recording, "Stream": Stream,
                            "stream": lambda s: contextlib.nullcontext(), "current_stream": lambda d=None: Stream(),
                            "device": lambda d: contextlib.nullcontext(), "get_rng_state": lambda d=None: None,
                            "set_rng_state": lambda state, d=None: None}.items():
            monkeypatch.setattr(cuda, name, value)
        monkeypatch.setattr(cuda_graphs, "graphs_unavailable", lambda: None)
        real_decide = cuda_graphs.decide
        monkeypatch.setattr(cuda_graphs, "decide", lambda config, device, *args: real_decide(config, "cuda", *args))


def pair(monkeypatch, config):
    """(a trainer whose steps are recorded and replayed on the CPU, the same trainer stepping eagerly)."""
    graphed, eager = Trainer(config), Trainer(config.updated({"train.cuda_graphs": "off"}))
    return graphed, eager, EagerGraphs(monkeypatch, graphed)


def assert_same(a: Trainer, b: Trainer) -> None:
    for x, y in zip(_device_state(a).values(), _device_state(b).values(), strict=True):
        assert torch.equal(x, y)


@pytest.mark.parametrize("config", [tiny_ring(**{"optim.ema": 0.9, "optim.d_steps": 2}),
                                    tiny_digits(**{"cond.kind": "acgan", "loss.augment": "affine"})])
def test_replays_step_exactly_like_eager_steps(monkeypatch, config):
    """From a fresh trainer: the warm-up creates Adam's state and moves BN statistics, and is undone."""
    graphed, eager, fake = pair(monkeypatch, config)
    for _ in range(2):
        assert graphed.step() == eager.step()
    assert fake.recordings == 1 and graphed.graphed.status == "on"
    assert_same(graphed, eager)
    assert graphed.opt_d.param_groups[0]["capturable"] is False  # only while recording


def test_a_live_edit_is_recorded_again(monkeypatch):
    graphed, eager, fake = pair(monkeypatch, tiny_ring())
    for trainer in (graphed, eager):
        trainer.step()
        trainer.apply_live(trainer.config.updated({"optim.lr_d": 5e-3, "optim.g_steps": 2}))
    for _ in range(2):
        assert graphed.step() == eager.step()
    graphed.apply_live(graphed.config.updated({"train.log_every": 2}))  # not baked in: no new recording
    eager.apply_live(eager.config.updated({"train.log_every": 2}))
    assert graphed.step() == eager.step()
    assert fake.recordings == 2
    assert_same(graphed, eager)


def test_a_non_finite_loss_after_a_replay_undoes_the_step(monkeypatch):
    graphed, eager, _ = pair(monkeypatch, tiny_ring())
    for trainer in (graphed, eager):
        trainer.step()
        with torch.no_grad():
            next(trainer.d.parameters()).view(-1)[0] = float("inf")
    before = _device_state(graphed)
    errors = []
    for trainer in (graphed, eager):
        with pytest.raises(NonFiniteLossError) as err:
            trainer.step()
        errors.append((err.value.step, err.value.term))
    assert errors[0] == errors[1] == (2, "loss_d")
    after = _device_state(graphed)
    for k in before:
        assert torch.equal(before[k].nan_to_num(), after[k].nan_to_num()), k
    assert graphed.step_count == 1


def test_a_failed_recording_is_undone_and_the_run_goes_on_eagerly(monkeypatch, caplog):
    graphed, eager, fake = pair(monkeypatch, tiny_ring(**{"optim.ema": 0.9}))
    recorded = graphed.graphed.recorded

    def cannot_record():
        recorded()  # the step's work, then what a host sync does inside a capture
        raise RuntimeError("operation not permitted when stream is capturing\nmore")

    monkeypatch.setattr(graphed.graphed, "recorded", cannot_record)
    with caplog.at_level(logging.WARNING, logger=cuda_graphs.__name__):
        for _ in range(3):
            assert graphed.step() == eager.step()
    assert graphed.graphed.status == "off: recording failed (RuntimeError: operation not permitted when " \
                                     "stream is capturing)"
    assert fake.recordings == 0 and graphed.graphed.graph is None
    assert [r.levelno for r in caplog.records if r.name == cuda_graphs.__name__] == [logging.WARNING]
    assert_same(graphed, eager)


def test_hooks_step_eagerly_and_a_loaded_state_is_recorded_anew(monkeypatch):
    graphed, eager, fake = pair(monkeypatch, tiny_ring())
    for trainer in (graphed, eager):
        trainer.step()
    handle = graphed.g.register_forward_hook(lambda *args: None)
    assert graphed.step() == eager.step()  # eager: the hook saw the calls
    handle.remove()
    assert graphed.step() == eager.step()
    state = eager.state_dict()
    for trainer in (graphed, eager):
        trainer.load_state_dict(copy.deepcopy(state))  # as from a file: tensors of their own
    assert graphed.step() == eager.step()
    assert fake.recordings == 2
    assert_same(graphed, eager)
