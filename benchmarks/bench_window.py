"""Training inside the window vs the headless CLI, side by side, on the same preset and machine.

    .venv/bin/python benchmarks/bench_window.py [--repeat 3] [--load]

Every figure comes from the commands a person runs, each in its own process, alternating:

* `gan-studio train --preset P --steps N` as it ships: its closing line gives the steps trained
  and the wall time of its training loop (logging, samples and checkpoints included);
* `gan-studio screenshot --preset P --steps N`: the real window offscreen, its trainer thread
  with plots, samples and coverage redrawing; its JSON line gives the same rate (wall time while
  running, the gaps between the trainer's chunks included), the CPU thread count the trainer
  chose, and the GUI's stall p99 (how late a 10 ms QTimer fired while training).

`--load` runs one more CPU-bound process beside every measurement (a pure-Python busy loop),
so both sides are measured under the same load. Goals: window >= 0.9 x CLI idle, >= 0.8 x CLI
under load, stall p99 <= 50 ms. Prints one JSON line per preset and a table.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CLI = [sys.executable, "-m", "studio"]
PRESETS = (("ring-fixed", 3000), ("digits-acgan", 300))  # digits-acgan: digits-fixed until session 19
BUSY_LOOP = "while True: pass"


def cli_steps_per_s(preset: str, steps: int) -> float:
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(CLI + ["train", "--preset", preset, "--steps", str(steps), "--out", out, "--quiet"],
                              check=True, capture_output=True, text=True)
    return float(re.search(r"\(([\d.]+) steps/s\)", done.stderr).group(1))


def window_report(preset: str, steps: int) -> dict:
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(CLI + ["screenshot", "--preset", preset, "--steps", str(steps),
                                     "--out", str(Path(out) / "shot.png")],
                              check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def warm_caches() -> None:
    """Data sets and the coverage evaluator's classifier are cached on first use: not part of a measurement."""
    for preset, _ in PRESETS:
        window_report(preset, 2)


def measure(preset: str, steps: int, repeat: int) -> dict:
    cli, window, stalls, threads = [], [], [], []
    for i in range(repeat):
        order = ("cli", "window") if i % 2 == 0 else ("window", "cli")
        for side in order:
            if side == "cli":
                cli.append(cli_steps_per_s(preset, steps))
            else:
                report = window_report(preset, steps)
                window.append(report["gui_steps_per_s"])
                stalls.append(report["ui_stall_p99_ms"])
                threads.append(report.get("torch_threads"))
    row = {"preset": preset, "steps": steps, "cli_steps_per_s": round(statistics.median(cli), 1),
           "window_steps_per_s": round(statistics.median(window), 1),
           "ratios": [round(w / c, 3) for w, c in zip(window, cli)],
           "ui_stall_p99_ms": round(statistics.median(stalls), 1), "window_torch_threads": threads}
    row["ratio"] = round(statistics.median(row["ratios"]), 3)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of each side; medians reported")
    parser.add_argument("--load", action="store_true", help="a CPU-bound process runs beside every measurement")
    parser.add_argument("--only", help="one preset")
    args = parser.parse_args(argv)
    warm_caches()
    busy = subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) if args.load else None
    rows = []
    try:
        for preset, steps in PRESETS:
            if args.only and preset != args.only:
                continue
            row = measure(preset, steps, args.repeat)
            row.update(load=args.load, cpu_cores=os.cpu_count(), machine=platform.machine())
            rows.append(row)
            print(json.dumps(row), flush=True)
    finally:
        if busy is not None:
            busy.kill()
    print(f"\n{'preset':<14}{'steps':>7}{'CLI/s':>9}{'window/s':>10}{'ratio':>7}{'stall p99 ms':>14}  load")
    for r in rows:
        print(f"{r['preset']:<14}{r['steps']:>7}{r['cli_steps_per_s']:>9.1f}{r['window_steps_per_s']:>10.1f}"
              f"{r['ratio']:>7.2f}{r['ui_stall_p99_ms']:>14.1f}  {'busy loop beside' if r['load'] else 'idle'}")
    print("goals: ratio >= 0.9 idle, >= 0.8 under load; stall p99 <= 50 ms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
