"""Engine speed against a minimal hand-written PyTorch loop of the same models, data and batch.

Both run in this one process, interleaved in rounds, so machine noise hits them alike.
Prints steps/s of each and the ratio engine / minimal (goal: >= 1.0).

    python benchmarks/bench_engine.py [--rounds 5] [--seconds 2]
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import statistics
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from studio.core.config import Config
from studio.core.presets import load_preset
from studio.core.trainer import Trainer, make_optimizer


class MinimalLoop:
    """The PyTorch DCGAN example's step: one fake batch, D on real and fake.detach(), then G through D."""

    def __init__(self, trainer: Trainer):
        torch.manual_seed(0)
        config = trainer.config
        self.device = trainer.device  # the engine's: a GPU run compares on the GPU
        self.data = trainer.data.as_float()  # a hand-written loop keeps floats
        self.batch, self.z_dim = config.train.batch_size, config.generator.z_dim
        from studio.core.models import build_models

        self.g, self.d = (m.to(self.device) for m in build_models(config))
        self.ema_decay = config.optim.ema  # the same work as the engine: keep an EMA of G when it does
        self.g_ema = copy.deepcopy(self.g).requires_grad_(False) if self.ema_decay else None
        o = config.optim
        self.opt_g = make_optimizer(o.name, self.g.parameters(), o.lr_g, o.beta1, o.beta2)
        self.opt_d = make_optimizer(o.name, self.d.parameters(), o.lr_d, o.beta1, o.beta2)

    def step(self) -> tuple[float, float]:
        real = self.data[torch.randint(len(self.data), (self.batch,), device=self.device)]
        fake = self.g(torch.randn(self.batch, self.z_dim, device=self.device))
        ones, zeros = torch.ones(self.batch, device=self.device), torch.zeros(self.batch, device=self.device)
        # D update
        self.opt_d.zero_grad()
        loss_d = F.binary_cross_entropy_with_logits(self.d(real), ones) + \
            F.binary_cross_entropy_with_logits(self.d(fake.detach()), zeros)
        loss_d.backward()
        self.opt_d.step()
        # G update
        self.opt_g.zero_grad()
        loss_g = F.binary_cross_entropy_with_logits(self.d(fake), ones)
        loss_g.backward()
        self.opt_g.step()
        if self.g_ema is not None:
            with torch.no_grad():
                for p_ema, p in zip(self.g_ema.parameters(), self.g.parameters()):
                    p_ema.lerp_(p, 1 - self.ema_decay)
                for b_ema, b in zip(self.g_ema.buffers(), self.g.buffers()):
                    b_ema.copy_(b)
        return loss_d.item(), loss_g.item()


def rate(step, seconds: float) -> float:
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
        n += 1
    return n / (time.perf_counter() - t0)


MNIST_DIR = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "mnist"


def compare(preset: str, batch: int, rounds: int, seconds: float) -> dict:
    config = (Config() if preset == "ring" else load_preset(preset)).updated({"train.batch_size": batch})
    if config.data.name == "mnist" and not config.data.root:
        if not MNIST_DIR.exists():  # same DCGAN and batch on the offline digits
            config = config.updated({"data.name": "digits"})
            preset += " (on digits: no MNIST files)"
        else:
            config = config.updated({"data.root": str(MNIST_DIR)})
    engine = Trainer(config)
    minimal = MinimalLoop(engine)
    for _ in range(5):  # warm-up
        engine.step()
        minimal.step()
    engine_rates, minimal_rates = [], []
    for _ in range(rounds):
        engine_rates.append(rate(engine.step, seconds))
        minimal_rates.append(rate(minimal.step, seconds))
    e, m = statistics.median(engine_rates), statistics.median(minimal_rates)
    return {"preset": preset, "batch": batch, "engine_steps_per_s": round(e, 1),
            "minimal_steps_per_s": round(m, 1), "ratio": round(e / m, 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    print(json.dumps({"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))
    # "ring": the plain ring MLP (the default config: 3×128 G and D); ring-fixed adds the
    # minibatch-std layer and an EMA of G, which the minimal loop then does too.
    for preset, batch in (("mnist-dcgan", 64), ("ring", 256), ("ring-fixed", 256)):
        print(json.dumps(compare(preset, batch, args.rounds, args.seconds)), flush=True)


if __name__ == "__main__":
    main()
