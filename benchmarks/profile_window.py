"""Where the window's time goes while it trains: py-spy samples every thread of a real window.

    pip install py-spy
    .venv/bin/python benchmarks/profile_window.py --preset ring-fixed --steps 3000 [--source DIR]

Runs `gan-studio screenshot --preset P --steps N` (the real window offscreen, training through its
trainer thread) under `py-spy record --threads --gil`, which samples only the thread holding the
GIL: in a Python-bound trainer, GIL time is the resource the GUI and the trainer share. Prints,
per thread, the share of samples in each activity (the training step, the samples and evaluation
batches the trainer computes for the views, the views' redraw and paint code, the evaluator's
classifier). `--source DIR` profiles another checkout of the project (e.g. an older commit in a
git worktree) with this same script, for a before/after comparison.
"""
from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# activity → function names that mark it (the first match along a stack wins, leaf side first)
ACTIVITIES = {
    "training step": ("update_d", "update_g", "Trainer.step", "_fake_batch"),
    "samples for the views": ("_emit_samples", "plane_probe", "fixed_samples"),
    "evaluation batches": ("_emit_eval_samples",),
    "G snapshots": ("_emit_snapshot",),
    "run files (logs, pictures, checkpoints)": ("_after_step", "save_trainer_checkpoint", "save_samples"),
    "metric batches": ("_flush_metrics",),
    "painting": ("paintEvent", "paint"),
    "redraw (setData, images)": ("redraw", "draw_pending", "set_frame", "set_grid", "add_batch", "draw"),
    "coverage measures": ("add_frame", "CoverageTrack.add"),
    "evaluator classifier": ("evaluate", "predict"),
}


def activity(frames: list[str]) -> str:
    for frame in reversed(frames):
        name = frame.split(" (")[0]
        for label, marks in ACTIVITIES.items():
            if any(name == m or name.endswith("." + m) for m in marks):
                return label
    return "other (Qt event loop, signals, imports)"


def thread_name(first: str) -> str:
    return first.split(":", 1)[1].strip() if ":" in first else first


def summarise(raw: Path) -> dict:
    per_thread: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        per_thread[thread_name(frames[0])][activity(frames[1:])] += int(count)
    return per_thread


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="ring-fixed")
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--rate", type=int, default=100, help="samples a second")
    parser.add_argument("--source", help="the checkout to profile (default: this one)")
    args = parser.parse_args(argv)
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("profile_window: py-spy is not installed (pip install py-spy)", file=sys.stderr)
        return 2
    cwd = Path(args.source).resolve() if args.source else Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.txt"
        done = subprocess.run([spy, "record", "--threads", "--gil", "-r", str(args.rate), "-f", "raw", "-o", str(raw),
                               "--", sys.executable, "-m", "studio", "screenshot", "--preset", args.preset,
                               "--steps", str(args.steps), "--out", str(Path(tmp) / "shot.png")],
                              cwd=cwd, capture_output=True, text=True)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]  # py-spy talks too
        report = json.loads(lines[-1]) if lines else {}
        per_thread = summarise(raw)
    total = sum(sum(c.values()) for c in per_thread.values())
    print(f"{args.preset}, {args.steps} steps from {cwd}: {report.get('gui_steps_per_s')} steps/s in the window; "
          f"GIL samples {total}")
    for thread, counts in sorted(per_thread.items(), key=lambda kv: -sum(kv[1].values())):
        n = sum(counts.values())
        print(f"  {thread}: {100 * n / total:.1f}% of the GIL")
        for label, k in counts.most_common():
            print(f"    {100 * k / total:5.1f}%  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
