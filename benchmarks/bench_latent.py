"""Latent explorer response: time from a slider value change to the repainted picture.

Offscreen, the z[0] slider is driven programmatically for the digits-dcgan generator
(the mnist-dcgan one has the same architecture), first with nothing else running, then
while a trainer steps in another thread, as the window's trainer thread would. The
window uses one torch thread for training; so does this script. Each is measured with the
"Inside the generator" layer viewer folded and, with --layers, open as well (its feature maps
recorded in the same forward pass and its grids drawn at most --grid-rate times a second);
"grid draw" is the GUI thread's time to draw the grids once, painting included. Folded and open take
turns every 25 moves, so that other work on the machine weighs on both alike.

    .venv/bin/python benchmarks/bench_latent.py [--moves 200] [--layers [--grid-rate 30]]
        [--checkpoint starter:mnist-dcgan]   (a checkpoint or starter, as the explorer opens it)
"""
from __future__ import annotations

import argparse
import os
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402


BLOCK = 25  # moves per turn when the layer viewer's states take turns


def drive(app, panel, moves: int, rng: np.random.Generator) -> dict:
    """Move the slider `moves` times, each time waiting for the repainted picture: raw figures."""
    panel.latencies_ms.clear()
    walls = []
    draws = panel.layers.draws
    for _ in range(moves):
        started = time.perf_counter()
        panel.dim_sliders[0].slider.setValue(int(rng.integers(-300, 301)))
        while panel.shown_stamp < panel.requested_stamp:
            app.processEvents()
        walls.append((time.perf_counter() - started) * 1000)
    return {"latencies": list(panel.latencies_ms), "walls": walls, "grid_draws": panel.layers.draws - draws,
            "moves": moves}


def time_grid_draws(panel_class, durations: list[float]) -> None:
    """Time each drawing of the layer grids on the GUI thread, its painting forced at once (it would
    otherwise come with the next paint event, at the same cost). Patch before the panel is made."""
    draw = panel_class._draw_pending

    def timed(self) -> None:
        started, drawn = time.perf_counter(), self.draws
        draw(self)
        if self.draws > drawn:
            for grid in (*self.grids, self.zoom):
                grid.widget.viewport().repaint()
            durations.append((time.perf_counter() - started) * 1000)

    panel_class._draw_pending = timed


def measure(app, panel, states: tuple[bool, ...], moves: int) -> dict[bool, dict]:
    """`moves` per state of the layer viewer (folded, open), the states taking turns every BLOCK moves so
    that other load on the machine falls on both alike; summary figures per state."""
    rng = np.random.default_rng(0)
    raw: dict[bool, list[dict]] = {state: [] for state in states}
    for done in range(0, moves, BLOCK):
        for open_ in states:
            panel.layers.toggle.setChecked(open_)
            while panel.shown_stamp < panel.requested_stamp:  # the frame the toggle asks for
                app.processEvents()
            raw[open_].append(drive(app, panel, min(BLOCK, moves - done), rng))
    summary = {}
    for open_, blocks in raw.items():
        latencies = np.concatenate([b["latencies"] for b in blocks])
        summary[open_] = {"median_ms": float(np.median(latencies)), "p90_ms": float(np.percentile(latencies, 90)),
                          "max_ms": float(latencies.max()),
                          "wall_median_ms": float(np.median(np.concatenate([b["walls"] for b in blocks]))),
                          "grid_draws": sum(b["grid_draws"] for b in blocks)}
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="digits-dcgan")
    parser.add_argument("--checkpoint", help="explore this checkpoint (or starter:NAME) instead of a fresh --preset "
                                             "generator; training meanwhile trains one of its config")
    parser.add_argument("--data-root", help="with --checkpoint: the raw IDX .gz files of its mnist data")
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--layers", action="store_true", help="also measure with the layer viewer open")
    parser.add_argument("--grid-rate", type=float, default=None,
                        help="layer grids drawn at most this often a second (default: the viewer's own)")
    args = parser.parse_args()

    import torch

    from studio.core.checkpoints import checkpoint_config, load_checkpoint
    from studio.core.latent import weights_snapshot
    from studio.core.presets import load_preset
    from studio.core.trainer import Trainer
    from studio.gui import layers_panel
    from studio.gui.app import make_app
    from studio.gui.latent_panel import LatentPanel

    if args.grid_rate:
        layers_panel.MAX_DRAWS_PER_S = args.grid_rate
    grid_draw_ms: list[float] = []
    time_grid_draws(layers_panel.LayersPanel, grid_draw_ms)
    states = (False, True) if args.layers else (False,)

    app = make_app()
    if args.checkpoint:
        config = checkpoint_config(load_checkpoint(args.checkpoint), args.checkpoint)
        config = config.updated({"data.root": args.data_root} if args.data_root else {})
    else:
        config = load_preset(args.preset).updated({"data.n_samples": 2000})
    trainer = Trainer(config)
    panel = LatentPanel()
    panel.resize(1000, 800)
    panel.show()
    if args.checkpoint:
        panel.open_checkpoint(args.checkpoint)
    else:
        panel.set_live_config(config)
        panel.set_live_weights({"step": 0, "weights": weights_snapshot(trainer.sampler)})
    while panel.directions is None or panel.shown_stamp < panel.requested_stamp:
        app.processEvents()
    measure(app, panel, states, 10)  # warm-up
    rows = [(f"idle{', layers' if open_ else ''}", figures)
            for open_, figures in measure(app, panel, states, args.moves).items()]
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
    rows += [(f"training{', layers' if open_ else ''}", figures)
             for open_, figures in measure(app, panel, states, args.moves).items()]
    rate = (steps[0] - first) / (time.perf_counter() - began)
    stop.set()
    worker.join()
    panel.shutdown()

    print(f"latent explorer, {args.checkpoint or args.preset} generator (z_dim {config.generator.z_dim}), "
          f"{args.moves} slider moves, {os.cpu_count()} CPU cores, torch {torch.__version__}, "
          f"{torch.get_num_threads()} torch thread(s)")
    for name, figures in rows:
        print(f"  {name:17s} slider → repainted picture: median {figures['median_ms']:.1f} ms, "
              f"p90 {figures['p90_ms']:.1f} ms, max {figures['max_ms']:.1f} ms "
              f"(setValue → shown, wall median {figures['wall_median_ms']:.1f} ms; goal ≤ 16 ms median)"
              + (f"; layer grids drawn {figures['grid_draws']} times" if args.layers else ""))
    if args.layers:
        print(f"  layer grids: at most {layers_panel.MAX_DRAWS_PER_S:g} draws a second; a draw (every grid and the "
              f"enlarged channel, painted) takes median {np.median(grid_draw_ms):.1f} ms, "
              f"p90 {np.percentile(grid_draw_ms, 90):.1f} ms on the GUI thread")
    print(f"  training meanwhile: {rate:.2f} steps/s; frames dropped as stale: {panel.worker.dropped if panel.worker else 0}")


if __name__ == "__main__":
    main()
