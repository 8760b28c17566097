"""Where the window's gap to the CLI goes: the same run in four ways, side by side, alternating.

    .venv/bin/python benchmarks/window_gap.py [--repeat 2] [--only PRESET]

* `cli`: `gan-studio train` as it ships (the main thread steps; no frames are made);
* `thread-no-frames`: the window's trainer thread (TrainerWorker under a TrainerController, a
  Qt event loop in the main thread) with no window and sample frames never due: the cost of
  the thread, its chunks, the metric payloads and the CPU-thread tuner;
* `thread+frames`: the same with the window's sample cadence (a frame every 0.25 s: for 2-D
  data the plane probe, D's heatmap, G's manifold and gradient arrows; for images the grid): what
  the trainer thread computes for the views, with nothing drawing it;
* `window`: `gan-studio screenshot`, the real window offscreen, everything drawn;
* `window-slow-refresh`: the same window with its plots redrawn 5 times a second (not 30) and its
  samples once a second (not 4): what the refresh rates cost;
* `window-no-eval`: the window at its default refresh with the coverage evaluator never asked for
  sample batches (RunFeed.ask_for_evals patched out in this benchmark's child only): what classifying
  samples for the coverage panel costs (image data; on 2-D data it changes nothing).

Each variant runs in its own process; every rate is steps trained / wall time while training, as
bench_window.py measures it. The ratios between neighbours split the gap into the thread, the
frames and the painting. Prints one JSON line per preset and a table.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_window import PRESETS, cli_steps_per_s, warm_caches, window_report  # noqa: E402

NO_FRAMES_S = 1e9  # a sample interval that never comes due
VARIANTS = ("cli", "thread-no-frames", "thread+frames", "window", "window-slow-refresh", "window-no-eval")
SLOW_REFRESH = (5.0, 1.0)  # plot redraws and sample refreshes per second


def trainer_thread_rate(preset: str, steps: int, sample_interval_s: float) -> dict:
    """The window's trainer thread with no window (runs in a child process: see `main`)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QObject, Slot

    from studio.core.presets import load_preset
    from studio.gui.app import make_app
    from studio.gui.run_controller import TrainerController

    class UntilDone(QObject):
        def __init__(self, loop: QEventLoop):
            super().__init__()
            self.loop = loop

        @Slot(str)
        def on_state(self, state: str) -> None:
            if state in ("completed", "idle"):
                self.loop.quit()

    make_app()
    controller = TrainerController()
    loop = QEventLoop()
    until = UntilDone(loop)
    controller.state_changed.connect(until.on_state)
    with tempfile.TemporaryDirectory() as out:
        controller.start(load_preset(preset).updated({"train.steps": steps}), Path(out) / "run",
                         sample_interval_s=sample_interval_s)
        loop.exec()
        controller.stop(save=True, wait=True)
    info = controller.last_finished or {}
    return {"steps_per_s": info["run_steps"] / info["run_wall_s"], "torch_threads": info.get("torch_threads"),
            "trainer_thread_s": info.get("trainer_thread_s")}


def rate(variant: str, preset: str, steps: int) -> float:
    if variant == "cli":
        return cli_steps_per_s(preset, steps)
    if variant == "window":
        return window_report(preset, steps)["gui_steps_per_s"]
    if variant in ("window-slow-refresh", "window-no-eval"):
        done = subprocess.run([sys.executable, __file__, "--window-child", variant, preset, str(steps)],
                              check=True, capture_output=True, text=True)
        return json.loads(done.stdout.strip().splitlines()[-1])["gui_steps_per_s"]
    interval = NO_FRAMES_S if variant == "thread-no-frames" else 0.25
    done = subprocess.run([sys.executable, __file__, "--child", preset, str(steps), str(interval)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])["steps_per_s"]


def measure(preset: str, steps: int, repeat: int, variants: tuple[str, ...] = VARIANTS) -> dict:
    rates: dict[str, list[float]] = {v: [] for v in variants}
    for i in range(repeat):
        for variant in (variants if i % 2 == 0 else variants[::-1]):
            rates[variant].append(rate(variant, preset, steps))
    row = {"preset": preset, "steps": steps,
           "steps_per_s": {v: round(statistics.median(r), 1) for v, r in rates.items()},
           "runs": {v: [round(x, 1) for x in r] for v, r in rates.items()}}
    cli = row["steps_per_s"]["cli"]
    row["of_cli"] = {v: round(s / cli, 3) for v, s in row["steps_per_s"].items()}
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="alternating rounds of the four variants")
    parser.add_argument("--only", help="one preset")
    parser.add_argument("--child", nargs=3, metavar=("PRESET", "STEPS", "SAMPLE_INTERVAL_S"), help=argparse.SUPPRESS)
    parser.add_argument("--window-child", nargs=3, metavar=("VARIANT", "PRESET", "STEPS"), help=argparse.SUPPRESS)
    parser.add_argument("--variants", help="comma-separated subset of: " + ", ".join(VARIANTS))
    args = parser.parse_args(argv)
    if args.window_child:
        variant, preset, steps = args.window_child
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from studio.gui.run_feed import RunFeed
        from studio.gui.screenshot import run_window

        if variant == "window-no-eval":
            RunFeed.ask_for_evals = lambda self: None
        refresh = SLOW_REFRESH if variant == "window-slow-refresh" else None
        print(json.dumps(run_window(preset, int(steps), refresh=refresh)))
        return 0
    if args.child:
        preset, steps, interval = args.child
        print(json.dumps(trainer_thread_rate(preset, int(steps), float(interval))))
        return 0
    variants = tuple(v.strip() for v in args.variants.split(",")) if args.variants else VARIANTS
    if "cli" not in variants or not set(variants) <= set(VARIANTS):
        parser.error(f"--variants must include cli and name only: {', '.join(VARIANTS)}")
    warm_caches()
    rows = []
    for preset, steps in PRESETS:
        if args.only and preset != args.only:
            continue
        row = measure(preset, steps, args.repeat, variants)
        row.update(cpu_cores=os.cpu_count(), machine=platform.machine())
        rows.append(row)
        print(json.dumps(row), flush=True)
    print(f"\n{'preset':<14}" + "".join(f"{v:>22}" for v in variants) + "   (steps/s, and × the CLI)")
    for r in rows:
        print(f"{r['preset']:<14}" + "".join(f"{r['steps_per_s'][v]:>14.1f} ({r['of_cli'][v]:.2f})" for v in variants))
    return 0


if __name__ == "__main__":
    sys.exit(main())
