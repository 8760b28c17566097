"""Mode-collapse reliability: each collapse/fixed preset pair over seeds, trained to its demo step.

Prints one JSON line per run and a Markdown table per preset: modes (or classes) captured,
high-quality share, reverse KL (or KL of the class histogram to uniform), wall time, and
whether the run meets the preset's promise:

* 2-D collapse: at most half the modes; 2-D fixed: every mode, hq >= 90 %, reverse KL <= 0.1.
* images collapse: at most 5 of 10 classes, drawn clearly enough that the evaluator's mean confidence
  (its top class probability, averaged over the samples) is >= 0.85; images fixed: all 10, KL to uniform <= 0.1.

The default seeds, 200-209, were never used to tune the presets (tuning used 0-9; 100-104 were an
earlier benchmark's). Each run trains in a process of its own with one torch thread, as
`gan-studio train --preset NAME --seed S` would; `--jobs 2` runs two at a time.

    OMP_NUM_THREADS=1 python benchmarks/bench_collapse.py [--pairs ring grid digits mnist] [--seeds 200 ...] [--jobs 2]
        [--only collapse|fixed] [--grids DIR]
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import platform
import statistics
import time
from pathlib import Path

import torch

from studio.core.evaluator import Evaluator, dataset_key
from studio.core.coverage import mode_metrics
from studio.core.presets import load_preset
from studio.core.render import image_grid, save_png
from studio.core.trainer import Trainer

MNIST_DIR = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "mnist"
N_EVAL = 2500
UNSEEN_SEEDS = list(range(200, 210))  # never used for tuning
CLEAR_COLLAPSE = 0.85  # mean evaluator confidence of collapse samples that look like digits, not blobs


def judge(kind: str, is_2d: bool, m: dict, total: int) -> bool:
    if is_2d:
        if kind == "collapse":
            return m["modes"] <= total // 2
        return m["modes"] == total and m["hq"] >= 0.9 and m["reverse_kl"] <= 0.1
    if kind == "collapse":
        return m["classes"] <= 5 and m["confidence"] >= CLEAR_COLLAPSE
    return m["classes"] == 10 and m["kl_uniform"] <= 0.1


def run_one(preset: str, seed: int, evaluators: dict | None = None, grids: str = "") -> dict:
    """Train `preset` on `seed` to its demo step, in this process with one torch thread, and measure it;
    with `grids` a folder, the first 64 judged images are saved there as PRESET_SEED.png to be looked at
    (a score alone has been fooled by blobs)."""
    torch.set_num_threads(1)
    evaluators = {} if evaluators is None else evaluators
    config = load_preset(preset).updated({"train.seed": seed})
    if config.data.name == "mnist" and not config.data.root:
        config = config.updated({"data.root": str(MNIST_DIR)})
    trainer = Trainer(config)
    t0 = time.perf_counter()
    while trainer.step_count < config.default_steps:
        trainer.step()
    wall = time.perf_counter() - t0
    z = torch.randn(N_EVAL, config.generator.z_dim, generator=torch.Generator().manual_seed(seed))
    samples = trainer.generate(z)
    row = {"preset": preset, "seed": seed, "steps": trainer.step_count, "wall_s": round(wall, 1)}
    if config.is_2d:
        m = mode_metrics(samples, trainer.data.centres, trainer.data.sigma)
        total = len(trainer.data.centres)
    else:
        key = dataset_key(config)
        if key not in evaluators:
            evaluators[key] = Evaluator.for_dataset(trainer.data, key)
        m = evaluators[key].evaluate(samples)
        total = 10
        if grids:
            save_png(image_grid(samples[:64], 8), Path(grids) / f"{preset}_{seed}.png", scale=2)
    kind = "collapse" if preset.endswith("-collapse") else "fixed"
    row.update({k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items()},
               total=total, ok=judge(kind, config.is_2d, m, total))
    return row


def table(rows: list[dict]) -> str:
    is_2d = "modes" in rows[0]
    head = ("| preset | seed | modes | hq | reverse KL | wall s | ok |" if is_2d else
            "| preset | seed | classes | KL to uniform | confidence | Fréchet | wall s | ok |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        if is_2d:
            lines.append(f"| {r['preset']} | {r['seed']} | {r['modes']}/{r['total']} | {r['hq']:.1%} | "
                         f"{r['reverse_kl']:.3f} | {r['wall_s']} | {'yes' if r['ok'] else 'no'} |")
        else:
            lines.append(f"| {r['preset']} | {r['seed']} | {r['classes']}/10 | {r['kl_uniform']:.3f} | "
                         f"{r['confidence']:.2f} | {r['frechet']:.1f} | {r['wall_s']} | {'yes' if r['ok'] else 'no'} |")
    ok = sum(r["ok"] for r in rows)
    walls = [r["wall_s"] for r in rows]
    lines.append(f"\n{rows[0]['preset']}: {ok}/{len(rows)} seeds keep the promise; "
                 f"median wall {round(statistics.median(walls), 1)} s, max {max(walls)} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", nargs="+", default=["ring", "grid", "digits", "mnist"])
    parser.add_argument("--seeds", nargs="+", type=int, default=UNSEEN_SEEDS)
    parser.add_argument("--only", choices=("collapse", "fixed"), help="run one side of each pair")
    parser.add_argument("--jobs", type=int, default=1, help="runs at a time, each in a process of its own")
    parser.add_argument("--grids", default="", metavar="DIR", help="save each image run's first 64 samples here")
    args = parser.parse_args()
    print(json.dumps({"machine": f"{platform.machine()}, {os.cpu_count()} cores", "torch": torch.__version__,
                      "threads": 1, "jobs": args.jobs, "load": os.getloadavg()[0]}), flush=True)
    presets = [f"{pair}-{kind}" for pair in args.pairs for kind in ("collapse", "fixed")
               if not args.only or kind == args.only]
    runs = [(preset, seed) for preset in presets for seed in args.seeds]
    # A fresh process per run (max_tasks_per_child=1): no run inherits another's warm caches or threads.
    with concurrent.futures.ProcessPoolExecutor(args.jobs, max_tasks_per_child=1) as pool:
        futures = {run: pool.submit(run_one, *run, grids=args.grids) for run in runs}
        rows = {}
        for run in runs:
            rows[run] = futures[run].result()
            print(json.dumps(rows[run]), flush=True)
    print("\n\n".join(table([rows[preset, seed] for seed in args.seeds]) for preset in presets))
    print(json.dumps({"load_after": os.getloadavg()[0]}), flush=True)


if __name__ == "__main__":
    main()
