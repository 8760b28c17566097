"""Training inside the window vs the headless CLI, side by side, on the same preset and machine.

    .venv/bin/python benchmarks/bench_window.py [--ring-steps 1500] [--digits-steps 60] [--repeat 2]

Every figure comes from the commands a person runs, each in its own process, alternating:

* `gan-studio train --preset P --steps N` as it ships (torch picks its thread count), and the same
  with torch held to the window's thread count (cores - 1), so the window's own overhead shows apart
  from the core it leaves to the GUI; steps/s from the run's metrics.jsonl (training loop only).
* `gan-studio screenshot --preset P --steps N`: the real window offscreen, its trainer thread,
  plots and samples redrawing; its JSON line gives steps/s and the GUI's stall p99 (how late a
  10 ms QTimer fired while training; goal <= 50 ms on 2 cores).

Prints one JSON line per preset and a table with both ratios (goal: window >= 0.95 x CLI).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CLI = [sys.executable, "-m", "studio"]


def cli_steps_per_s(preset: str, steps: int, threads: int | None) -> float:
    """`gan-studio train`'s training rate, from the first to the last metrics line it wrote."""
    env = dict(os.environ)
    if threads is not None:
        env["OMP_NUM_THREADS"] = str(threads)  # torch's default intra-op thread count
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(CLI + ["train", "--preset", preset, "--steps", str(steps), "--out", out, "--quiet"],
                       check=True, env=env, stderr=subprocess.DEVNULL)
        rows = [json.loads(line) for line in (Path(out) / "metrics.jsonl").read_text().splitlines()]
    first, last = rows[0], rows[-1]
    return (last["step"] - first["step"]) / (last["time"] - first["time"])


def window_report(preset: str, steps: int) -> dict:
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(CLI + ["screenshot", "--preset", preset, "--steps", str(steps),
                                     "--out", str(Path(out) / "shot.png")],
                              check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ring-preset", default="ring-fixed")
    parser.add_argument("--ring-steps", type=int, default=1500)
    parser.add_argument("--digits-steps", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=2, help="alternating runs of each; medians reported")
    args = parser.parse_args(argv)

    cores = os.cpu_count() or 1
    window_threads = max(1, cores - 1)
    rows = []
    for preset, steps in ((args.ring_preset, args.ring_steps), ("digits-dcgan", args.digits_steps)):
        cli, cli_same, window, stalls = [], [], [], []
        for _ in range(args.repeat):
            cli.append(cli_steps_per_s(preset, steps, None))
            cli_same.append(cli_steps_per_s(preset, steps, window_threads))
            report = window_report(preset, steps)
            window.append(report["gui_steps_per_s"])
            stalls.append(report["ui_stall_p99_ms"])
        row = {"preset": preset, "steps": steps, "cpu_cores": cores, "machine": platform.processor() or platform.machine(),
               "cli_steps_per_s": round(statistics.median(cli), 2),
               "cli_same_threads_steps_per_s": round(statistics.median(cli_same), 2),
               "window_steps_per_s": round(statistics.median(window), 2),
               "window_torch_threads": window_threads,
               "ui_stall_p99_ms": round(statistics.median(stalls), 2)}
        row["ratio"] = round(row["window_steps_per_s"] / row["cli_steps_per_s"], 3)
        row["ratio_same_threads"] = round(row["window_steps_per_s"] / row["cli_same_threads_steps_per_s"], 3)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print(f"\n{'preset':<14}{'steps':>7}{'CLI/s':>9}{'CLI ' + str(window_threads) + 'th/s':>11}{'window/s':>10}"
          f"{'ratio':>7}{'same-th':>9}{'stall p99 ms':>14}")
    for r in rows:
        print(f"{r['preset']:<14}{r['steps']:>7}{r['cli_steps_per_s']:>9.1f}{r['cli_same_threads_steps_per_s']:>11.1f}"
              f"{r['window_steps_per_s']:>10.1f}{r['ratio']:>7.2f}{r['ratio_same_threads']:>9.2f}"
              f"{r['ui_stall_p99_ms']:>14.1f}")
    print("goals: ratio >= 0.95, stall p99 <= 50 ms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
