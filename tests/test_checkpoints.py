import os
import pickle
import signal
import subprocess
import sys
import textwrap

import pytest
import torch

from helpers import tiny_digits, tiny_ring
from studio.core.checkpoints import (CheckpointError, load_checkpoint, load_generator, restore_trainer,
                                     save_checkpoint)
from studio.core.trainer import Trainer


@pytest.mark.parametrize("make", [
    lambda: tiny_ring(**{"discriminator.dropout": 0.2, "loss.instance_noise": 0.05, "optim.ema": 0.99}),
    lambda: tiny_digits(**{"optim.d_steps": 2}),
    lambda: tiny_digits(**{"loss.augment": "style", "cond.kind": "infogan"}),
    lambda: tiny_ring(**{"optim.lr_decay": "cosine", "optim.decay_start": 10, "optim.decay_end": 35}),
])
def test_resume_continues_exactly(tmp_path, make):
    straight = Trainer(make())
    expected = [straight.step() for _ in range(40)]

    first = Trainer(make())
    got = [first.step() for _ in range(20)]
    save_checkpoint(first.state_dict(), tmp_path / "c.pt")
    del first
    torch.manual_seed(1234)  # disturb the global RNG: the checkpoint must restore it
    resumed = restore_trainer(tmp_path / "c.pt")
    assert resumed.step_count == 20
    got += [resumed.step() for _ in range(20)]
    assert got == expected
    torch.testing.assert_close(resumed.fixed_samples(), straight.fixed_samples(), rtol=0, atol=0)


def test_round_trip_keeps_weights_optimisers_noise_and_config(tmp_path):
    trainer = Trainer(tiny_ring(**{"optim.ema": 0.9}))
    for _ in range(3):
        trainer.step()
    save_checkpoint(trainer.state_dict(), tmp_path / "c.pt")
    state = load_checkpoint(tmp_path / "c.pt")
    assert state["step"] == 3 and state["config"] == trainer.config.to_dict()
    assert set(state) >= {"generator", "discriminator", "generator_ema", "optimizer_g", "optimizer_d",
                          "fixed_noise", "rng", "metrics"}
    assert set(state["rng"]) >= {"python", "numpy", "torch", "trainer"}
    g, config, _ = load_generator(tmp_path / "c.pt")
    with torch.no_grad():
        assert torch.equal(g(trainer.fixed_noise), trainer.g_ema.eval()(trainer.fixed_noise))


class Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.filterwarnings("error::UserWarning")  # a message naming the file, and no warning from torch's unpickler
@pytest.mark.parametrize("writer", ["torch", "pickle"])
def test_a_malicious_pickle_runs_nothing(tmp_path, writer):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    state = {"format": "gan-studio-checkpoint", "version": 1, "generator": Payload(marker)}
    if writer == "torch":
        torch.save(state, path)
    else:
        path.write_bytes(pickle.dumps(state))
    with pytest.raises(CheckpointError, match="refused"):
        load_checkpoint(path)
    with pytest.raises(CheckpointError):
        restore_trainer(path)
    assert not marker.exists()
    pickle.loads(pickle.dumps(Payload(marker)))  # the payload is real: unpickling it does write the file
    assert marker.exists()


def test_truncated_checkpoint_is_a_clear_error(tmp_path):
    trainer = Trainer(tiny_ring())
    save_checkpoint(trainer.state_dict(), tmp_path / "good.pt")
    data = (tmp_path / "good.pt").read_bytes()
    (tmp_path / "cut.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match=r"cut.pt is not a readable checkpoint \(truncated or corrupt"):
        load_checkpoint(tmp_path / "cut.pt")
    with pytest.raises(CheckpointError, match="does not exist"):
        load_checkpoint(tmp_path / "missing.pt")
    torch.save({"weights": torch.zeros(2)}, tmp_path / "foreign.pt")
    with pytest.raises(CheckpointError, match="not a GAN Studio checkpoint"):
        load_checkpoint(tmp_path / "foreign.pt")


def test_checkpoint_for_another_architecture_is_a_clear_error(tmp_path):
    trainer = Trainer(tiny_ring())
    save_checkpoint(trainer.state_dict(), tmp_path / "c.pt")
    with pytest.raises(CheckpointError, match="another architecture"):
        restore_trainer(tmp_path / "c.pt", config=tiny_ring(**{"generator.width": 32}))
    state = load_checkpoint(tmp_path / "c.pt")
    state["config"]["generator"]["width"] = 24
    save_checkpoint({k: v for k, v in state.items() if k not in ("format", "version")}, tmp_path / "edited.pt")
    with pytest.raises(CheckpointError, match="another architecture"):
        load_generator(tmp_path / "edited.pt")


def test_failed_save_leaves_the_previous_file_and_no_debris(tmp_path, monkeypatch):
    trainer = Trainer(tiny_ring())
    path = tmp_path / "c.pt"
    save_checkpoint(trainer.state_dict(), path)
    trainer.step()

    def crash(obj, fh):
        fh.write(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", crash)
    with pytest.raises(OSError):
        save_checkpoint(trainer.state_dict(), path)
    assert load_checkpoint(path)["step"] == 0
    assert os.listdir(tmp_path) == ["c.pt"]


def test_killing_a_writer_mid_save_never_breaks_the_checkpoint(tmp_path):
    """A process that saves in a loop is SIGKILLed at arbitrary moments; the file always loads."""
    path = tmp_path / "c.pt"
    script = textwrap.dedent(f"""
        import sys, torch
        from studio.core.checkpoints import save_checkpoint
        state = {{"step": 0, "big": torch.randn(2_000_000)}}
        save_checkpoint(state, {str(path)!r})
        print("ready", flush=True)
        while True:
            state["step"] += 1
            save_checkpoint(state, {str(path)!r})
    """)
    for attempt in range(4):
        proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        try:
            proc.wait(timeout=0.15 + 0.1 * attempt)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        assert load_checkpoint(path)["big"].shape == (2_000_000,)
