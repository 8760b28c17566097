"""Conditional presets against the issue's targets, trained headless over several seeds.

cgan/acgan presets: the evaluator's accuracy on samples asked for class K, averaged over K
(target ≥ 0.90). infogan presets: the majority-digit share per categorical value, averaged
(target ≥ 0.70), and the distinct digits the values cover (target ≥ 8). Prints one row
per run and a JSON line each, with wall time, steps and the machine.

    OMP_NUM_THREADS=1 nice -n 10 python benchmarks/bench_conditional.py mnist-cgan mnist-infogan \\
        --seeds 1 2 3 --data-root /work/shared/datasets/mnist [--steps N] [--set cond.info_weight=2]

With --figure CKPT --png OUT.png it instead draws an InfoGAN checkpoint's continuous-code sweep:
one row per categorical value, the code going from -2 to +2 left to right, the same z throughout.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import torch

from studio.core.code_metrics import category_purity, class_accuracy, code_sweep
from studio.core.evaluator import Evaluator, dataset_key
from studio.core.presets import load_preset
from studio.core.trainer import Trainer


def parse_value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def machine() -> str:
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch threads {torch.get_num_threads()}"


def code_report(trainer: Trainer, evaluator: Evaluator) -> dict:
    g, z_dim = trainer.sampler, trainer.config.generator.z_dim
    if trainer.config.cond.kind in ("cgan", "acgan"):
        return class_accuracy(g, trainer.layout, z_dim, evaluator.model, seed=1000)
    return category_purity(g, trainer.layout, z_dim, evaluator.model, seed=1000)


def run_one(preset: str, seed: int, steps: int | None, data_root: str | None, changes: dict,
            out: Path | None, checks: list[int]) -> dict:
    config = load_preset(preset)
    overrides = {"train.seed": seed, **changes}
    if data_root:
        overrides["data.root"] = data_root
    config = config.updated(overrides)
    trainer = Trainer(config)
    total = steps or config.default_steps
    evaluator = Evaluator.for_dataset(trainer.data, dataset_key(config))
    start, paused = time.perf_counter(), 0.0
    while trainer.step_count < total:
        trainer.step()
        if trainer.step_count in checks:  # tuning: the metric along the way (not counted in wall time)
            t0 = time.perf_counter()
            print(json.dumps({"step": trainer.step_count, **code_report(trainer, evaluator)}), flush=True)
            paused += time.perf_counter() - t0
    wall = time.perf_counter() - start - paused
    report = code_report(trainer, evaluator)
    if out is not None:
        from studio.core.checkpoints import save_checkpoint

        trainer.elapsed = wall
        save_checkpoint(trainer.state_dict(), out / f"{preset}-seed{seed}.pt")
    return {"preset": preset, "seed": seed, "steps": total, "wall_s": round(wall, 1), **report}


def sweep_figure(checkpoint: str, png: str, code: str, data_root: str | None, seed: int = 0) -> Path:
    """A labelled PNG: rows = categorical values (with the evaluator's majority digit), columns = `code`."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    from studio.core.checkpoints import load_generator
    from studio.core.codes import CONTINUOUS_RANGE, CodeLayout
    from studio.core.data import load_dataset
    from studio.core.render import image_grid

    g, config, state = load_generator(checkpoint)
    if data_root:
        config = config.updated({"data.root": data_root})
    layout, z_dim = CodeLayout.from_config(config), config.generator.z_dim
    values = np.linspace(-CONTINUOUS_RANGE, CONTINUOUS_RANGE, 9)
    images = code_sweep(g, layout, z_dim, code, values, seed=seed)  # rows × cols × C×H×W
    rows, cols = images.shape[:2]
    grid = image_grid(images.reshape(rows * cols, *images.shape[2:]), ncol=cols, pad=2)
    scale, left, top = 3, 250, 70
    picture = Image.fromarray(grid).convert("RGB").resize((grid.shape[1] * scale, grid.shape[0] * scale),
                                                          Image.NEAREST)
    canvas = Image.new("RGB", (picture.width + left + 10, picture.height + top + 10), "white")
    canvas.paste(picture, (left, top))
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.load_default(size=22)
    small = ImageFont.load_default(size=18)
    draw.text((10, 8), f"{config.data.name} InfoGAN, step {int(state['step']):,}: sweeping {code} "
                       f"(trained over ±1), one z, other continuous codes 0", fill="black", font=font)
    pitch = 30 * scale
    for j, v in enumerate(values):
        draw.text((left + j * pitch + pitch // 2 - 18, top - 28), f"{v:+.1f}", fill="black", font=small)
    majority = [None] * rows
    if layout.categorical is not None:
        evaluator = Evaluator.for_dataset(load_dataset(config.data), dataset_key(config))
        purity = category_purity(g, layout, z_dim, evaluator.model, seed=1000)
        majority = list(zip(purity["majority_digit"], purity["majority_share"]))
    for i in range(rows):
        label = f"{code} sweep" if majority[i] is None else \
            f"{layout.categorical.name} {i}: digit {majority[i][0]} ({majority[i][1]:.0%})"
        draw.text((10, top + i * pitch + pitch // 2 - 12), label, fill="black", font=small)
    canvas.save(png)
    return Path(png)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("presets", nargs="*")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--steps", type=int, help="steps per run (default: each preset's)")
    parser.add_argument("--data-root", help="folder with the MNIST IDX files")
    parser.add_argument("--set", nargs="*", default=[], metavar="FIELD=VALUE", help="config changes, for tuning")
    parser.add_argument("--out", help="folder to save each run's final checkpoint in")
    parser.add_argument("--checks", type=int, nargs="*", default=[], help="also report the metric at these steps")
    parser.add_argument("--figure", metavar="CKPT", help="draw an InfoGAN checkpoint's code sweep instead")
    parser.add_argument("--png", default="sweep.png", help="where --figure writes")
    parser.add_argument("--code", default="c1", help="the continuous code --figure sweeps")
    args = parser.parse_args()
    if args.figure:
        print(sweep_figure(args.figure, args.png, args.code, args.data_root))
        return
    changes = {k: parse_value(v) for k, v in (item.split("=", 1) for item in args.set)}
    out = Path(args.out) if args.out else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}; changes: {changes or 'none'}")
    print(f"{'preset':<16} {'seed':>4} {'steps':>6} {'wall s':>7}  metric")
    for preset in args.presets:
        for seed in args.seeds:
            row = run_one(preset, seed, args.steps, args.data_root, changes, out, args.checks)
            if "class_accuracy" in row:
                metric = f"class accuracy {row['class_accuracy']:.3f} (min class {min(row['per_class_accuracy']):.2f})"
            else:
                metric = f"purity {row['purity']:.3f}, digits covered {row['digits_covered']}"
            print(f"{preset:<16} {seed:>4} {row['steps']:>6} {row['wall_s']:>7}  {metric}", flush=True)
            print(json.dumps({**row, "machine": machine(), "changes": changes}), flush=True)


if __name__ == "__main__":
    main()
