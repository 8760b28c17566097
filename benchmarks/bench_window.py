"""Training inside the window vs the headless loop, side by side, on the same preset.

    .venv/bin/python benchmarks/bench_window.py [--ring-steps 1500] [--digits-steps 60] [--repeat 1]

For each preset (a 2-D one and digits-dcgan): the headless CLI's loop (`train_run` into a
temporary run directory, torch with cores - 1 threads, as in the window) and the real window offscreen
(its own trainer thread, plots and samples redrawing). Prints steps/s of each, the
ratio (goal >= 0.95) and the GUI's stall p99 (how late a 10 ms QTimer fired while
training; goal <= 50 ms on 2 cores), as a table and one JSON line per preset.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def headless_steps_per_s(preset: str, steps: int) -> float:
    """The headless CLI's loop (`train_run`: logging, sample images, checkpoints) with the window's thread count."""
    import tempfile

    import torch

    from studio.core.presets import load_preset
    from studio.core.run import RunDirectory, set_cpu_threads, train_run
    from studio.core.trainer import Trainer

    before = torch.get_num_threads()
    set_cpu_threads(1)  # the window's setting
    try:
        trainer = Trainer(load_preset(preset).updated({"train.steps": steps}))
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            train_run(trainer, RunDirectory(out), steps, progress=False)
            return steps / (time.perf_counter() - started)
    finally:
        torch.set_num_threads(before)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ring-preset", default="ring-fixed")
    parser.add_argument("--ring-steps", type=int, default=1500)
    parser.add_argument("--digits-steps", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=1, help="alternating runs of each; medians reported")
    args = parser.parse_args(argv)

    from studio.gui.screenshot import run_window

    rows = []
    for preset, steps in ((args.ring_preset, args.ring_steps), ("digits-dcgan", args.digits_steps)):
        headless, window, stalls = [], [], []
        for _ in range(args.repeat):
            headless.append(headless_steps_per_s(preset, steps))
            report = run_window(preset, steps)
            window.append(report["gui_steps_per_s"])
            stalls.append(report["ui_stall_p99_ms"])
        row = {"preset": preset, "steps": steps, "cpu_cores": os.cpu_count(),
               "headless_steps_per_s": round(statistics.median(headless), 2),
               "window_steps_per_s": round(statistics.median(window), 2),
               "ui_stall_p99_ms": round(statistics.median(stalls), 2)}
        row["ratio"] = round(row["window_steps_per_s"] / row["headless_steps_per_s"], 3)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print(f"\n{'preset':<14}{'steps':>7}{'headless/s':>12}{'window/s':>10}{'ratio':>8}{'stall p99 ms':>14}")
    for r in rows:
        print(f"{r['preset']:<14}{r['steps']:>7}{r['headless_steps_per_s']:>12.1f}{r['window_steps_per_s']:>10.1f}"
              f"{r['ratio']:>8.2f}{r['ui_stall_p99_ms']:>14.1f}")
    print("goals: ratio >= 0.95, stall p99 <= 50 ms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
