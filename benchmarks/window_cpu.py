"""Where the CPU goes: every thread's CPU seconds in `gan-studio train` and in the window, same run.

    .venv/bin/python benchmarks/window_cpu.py [--preset digits-acgan] [--steps 300] [--repeat 2]

On 2 cores the command line keeps both busy with a convolutional model (its main thread and
torch's OpenMP worker), so whatever else the window's process does (the GUI thread painting, the
coverage evaluator classifying, the trainer thread making sample frames) is taken from the same
two cores. Summing each side's CPU seconds gives the bound this benchmark prints: the window's
rate can reach at most trainer CPU / (trainer CPU + everything else) of the CLI's, if the window
kept both cores as busy as the CLI does. Each run is its own process; threads are read from
/proc/self/task (Linux) every 0.25 s, grouped by thread name.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict

FRAME_KEYS = ("samples", "eval", "metrics", "snapshot")  # the trainer thread's work for the views
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class ThreadClock:
    """CPU seconds of every OS thread of this process, sampled while it runs (threads that end keep
    their last reading)."""

    def __init__(self, every_s: float = 0.25):
        self.every_s = every_s
        self.seen: dict[str, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="cpu-sampler", daemon=True)

    def read(self) -> None:
        for tid in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{tid}/stat") as f:
                    stat = f.read()
            except OSError:  # the thread ended between the listing and the read
                continue
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2:].split()
            self.seen[tid] = (name, (int(fields[11]) + int(fields[12])) / TICKS)

    def _loop(self) -> None:
        while not self._stop.wait(self.every_s):
            self.read()

    def __enter__(self) -> "ThreadClock":
        self.read()
        self.start = dict(self.seen)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.read()

    def by_role(self, role) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        main = str(os.getpid())
        for tid, (name, cpu) in self.seen.items():
            if name == "cpu-sampler":
                continue
            totals[role(tid == main, name)] += cpu - self.start.get(tid, (name, 0.0))[1]
        return {k: round(v, 2) for k, v in totals.items()}


def cli_role(is_main: bool, name: str) -> str:
    return "trainer"  # the main thread steps; the rest is torch's OpenMP team (and tqdm's monitor)


def window_role(is_main: bool, name: str) -> str:
    if is_main:
        return "GUI"
    if name.startswith("gan-studio-trai"):  # the trainer thread and its OpenMP worker (15-character names)
        return "trainer"
    if name.startswith("gan-studio-eval"):
        return "evaluator"
    return "other"


def child(side: str, preset: str, steps: int) -> dict:
    if side == "cli":
        from studio.cli import main

        with tempfile.TemporaryDirectory() as out, ThreadClock() as clock:
            started = time.perf_counter()
            main(["train", "--preset", preset, "--steps", str(steps), "--out", out, "--quiet"])
            wall = time.perf_counter() - started
        return {"side": side, "steps_per_s": round(steps / wall, 2), "wall_s": round(wall, 2),
                "cpu_s": clock.by_role(cli_role)}
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from studio.gui.screenshot import run_window

    with ThreadClock() as clock:
        report = run_window(preset, steps)
    return {"side": side, "steps_per_s": report["gui_steps_per_s"], "wall_s": report["wall_s"],
            "cpu_s": clock.by_role(window_role), "trainer_thread_s": report["trainer_thread_s"],
            "thread_history": report.get("thread_history")}


def run(side: str, preset: str, steps: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", side, preset, str(steps)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="digits-acgan")  # digits-fixed until session 19
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        side, preset, steps = args.child
        print(json.dumps(child(side, preset, int(steps))))
        return 0
    rows = {"cli": [], "window": []}
    run("window", args.preset, 2)  # data sets and the evaluator's classifier cached: not measured
    for i in range(args.repeat):
        for side in (("cli", "window") if i % 2 == 0 else ("window", "cli")):
            rows[side].append(run(side, args.preset, args.steps))
            print(json.dumps(rows[side][-1]), flush=True)
    med = {side: {"steps_per_s": statistics.median(r["steps_per_s"] for r in rs),
                  "cpu_s": {k: round(statistics.median(r["cpu_s"].get(k, 0.0) for r in rs), 2)
                            for k in sorted({k for r in rs for k in r["cpu_s"]})}}
           for side, rs in rows.items()}
    cli_cpu = sum(med["cli"]["cpu_s"].values())
    frames = statistics.median(sum(r["trainer_thread_s"].get(k, 0.0) for k in FRAME_KEYS) for r in rows["window"])
    window_extra = sum(v for k, v in med["window"]["cpu_s"].items() if k != "trainer") + frames
    summary = {"preset": args.preset, "steps": args.steps, "cores": os.cpu_count(),
               "cli": med["cli"], "window": med["window"],
               "trainer_frames_s": round(frames, 2),
               "window_over_cli": round(med["window"]["steps_per_s"] / med["cli"]["steps_per_s"], 3),
               "bound_if_cores_kept_as_busy": round(cli_cpu / (cli_cpu + window_extra), 3)}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
