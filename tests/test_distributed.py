"""Two CPU processes under torchrun with gloo: identical weights and buffers every step, one run directory."""
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from helpers import tiny_digits, tiny_ring
from studio.cli import main
from studio.core.checkpoints import load_checkpoint

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def torchrun(*args, timeout=240):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(HERE)}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", "--master_addr=127.0.0.1",
           f"--master_port={free_port()}", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)


pytestmark = pytest.mark.skipif(not torch.distributed.is_available() or not torch.distributed.is_gloo_available(),
                                reason="torch.distributed with gloo is not available")


@pytest.mark.parametrize("make, ema_buffers_moved", [
    (lambda: tiny_ring(**{"discriminator.spectral_norm": True, "optim.ema": 0.9}), None),  # G has no buffers
    (lambda: tiny_digits(**{"optim.ema": 0.9}), True),  # batch norm in G, its EMA copy and D
])
def test_ranks_hold_identical_weights_and_buffers_after_every_step(tmp_path, make, ema_buffers_moved):
    config = tmp_path / "c.json"
    make().save(config)
    result = torchrun(HERE / "ddp_worker.py", config, tmp_path / "out.json", 5)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "out.json").read_text())
    assert report == {"steps": 5, "ranks_draw_own_batches": True, "ema_buffers_moved": ema_buffers_moved}


def test_torchrun_cli_writes_the_run_once_and_its_checkpoint_loads_alone(tmp_path, capsys):
    config = tmp_path / "c.json"
    tiny_ring().save(config)
    out = tmp_path / "run"
    result = torchrun("-m", "studio", "train", "--config", config, "--steps", 12, "--out", out, "--quiet")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr.count("training ring on cpu ×2 ranks") == 1
    steps = [json.loads(line)["step"] for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert steps == [5, 10, 12]  # one writer: no line twice
    ckpt = out / "checkpoints" / "step-00000012.pt"
    state = load_checkpoint(ckpt)
    assert not any(k.startswith("module.") for k in state["generator"])  # unwrapped weights
    assert main(["sample", str(ckpt), "--n", "10", "--out", str(tmp_path / "s.npy")]) == 0
    assert np.load(tmp_path / "s.npy").shape == (10, 2)
    assert main(["train", "--resume", str(ckpt), "--steps", "14", "--quiet"]) == 0  # and resumes alone
