"""Latent explorer response: time from a slider value change to the repainted picture.

Offscreen, the z[0] slider is driven programmatically for the digits-dcgan generator
(the mnist-dcgan one has the same architecture), first with nothing else running, then
while a trainer steps in another thread, as the window's trainer thread would. The
window uses one torch thread for training; so does this script.

    .venv/bin/python benchmarks/bench_latent.py [--moves 200]
"""
from __future__ import annotations

import argparse
import os
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402


def drive(app, panel, moves: int) -> dict:
    """Move the slider `moves` times, each time waiting for the repainted picture."""
    rng = np.random.default_rng(0)
    panel.latencies_ms.clear()
    walls = []
    for _ in range(moves):
        started = time.perf_counter()
        panel.dim_sliders[0].slider.setValue(int(rng.integers(-300, 301)))
        while panel.shown_stamp < panel.requested_stamp:
            app.processEvents()
        walls.append((time.perf_counter() - started) * 1000)
    latencies = np.array(panel.latencies_ms)
    return {"median_ms": float(np.median(latencies)), "p90_ms": float(np.percentile(latencies, 90)),
            "max_ms": float(latencies.max()), "wall_median_ms": float(np.median(walls)), "n": len(latencies)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="digits-dcgan")
    parser.add_argument("--moves", type=int, default=200)
    args = parser.parse_args()

    import torch

    from studio.core.latent import weights_snapshot
    from studio.core.presets import load_preset
    from studio.core.trainer import Trainer
    from studio.gui.app import make_app
    from studio.gui.latent_panel import LatentPanel

    app = make_app()
    config = load_preset(args.preset).updated({"data.n_samples": 2000})
    trainer = Trainer(config)
    panel = LatentPanel()
    panel.resize(1000, 800)
    panel.show()
    panel.set_live_config(config)
    panel.set_live_weights({"step": 0, "weights": weights_snapshot(trainer.sampler)})
    while panel.directions is None or panel.shown_stamp < panel.requested_stamp:
        app.processEvents()
    drive(app, panel, 10)  # warm-up

    idle = drive(app, panel, args.moves)
    stop = threading.Event()
    steps = [0]

    def train() -> None:
        while not stop.is_set():
            trainer.step()
            steps[0] += 1

    worker = threading.Thread(target=train, daemon=True)
    worker.start()
    time.sleep(1.0)
    began, first = time.perf_counter(), steps[0]
    training = drive(app, panel, args.moves)
    rate = (steps[0] - first) / (time.perf_counter() - began)
    stop.set()
    worker.join()
    panel.shutdown()

    print(f"latent explorer, {args.preset} generator (z_dim {config.generator.z_dim}), "
          f"{args.moves} slider moves, {os.cpu_count()} CPU cores, torch {torch.__version__}, "
          f"{torch.get_num_threads()} torch thread(s)")
    for name, figures in (("idle", idle), ("while training", training)):
        print(f"  {name:15s} slider → repainted picture: median {figures['median_ms']:.1f} ms, "
              f"p90 {figures['p90_ms']:.1f} ms, max {figures['max_ms']:.1f} ms "
              f"(setValue → shown, wall median {figures['wall_median_ms']:.1f} ms; goal ≤ 16 ms median)")
    print(f"  training meanwhile: {rate:.2f} steps/s; frames dropped as stale: {panel.worker.dropped if panel.worker else 0}")


if __name__ == "__main__":
    main()
