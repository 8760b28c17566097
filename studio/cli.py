"""The `gan-studio` command line. Qt is imported only on the paths that open a window."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gan-studio", description="Train and explore GANs interactively. "
                                     "With no command, opens the studio window.")
    parser.add_argument("--preset", help="preset to open the window with")
    parser.add_argument("--run", metavar="DIR", help="open the window on a run directory (e.g. a `train --out`), "
                        "its latest checkpoint loaded, ready to resume or explore")
    parser.add_argument("--attach", metavar="RUN_DIR", help="open the window following a run directory that "
                        "another process writes (a `train --out`, a torchrun job, a finished run), read-only")
    sub = parser.add_subparsers(dest="command")

    sub.add_parser("presets", help="list the presets with a line on each")

    train = sub.add_parser("train", help="train headless into a run directory")
    source = train.add_mutually_exclusive_group()
    source.add_argument("--preset", help="a preset name (see `gan-studio presets`)")
    source.add_argument("--config", help="a JSON config file")
    train.add_argument("--steps", type=int, help="total steps of the run (default: the config's)")
    train.add_argument("--out", help="run directory (default: runs/NAME-TIME, or the resumed run's)")
    train.add_argument("--seed", type=int, help="seed of weights, noise and batches")
    train.add_argument("--device", help="auto, cpu, cuda, cuda:N or mps")
    train.add_argument("--data-root", help="folder holding the raw IDX .gz files (mnist, fashion-mnist)")
    train.add_argument("--save-every", type=int, help="steps between checkpoints")
    train.add_argument("--resume", help="checkpoint to continue from")
    train.add_argument("--keep-last", type=int, metavar="K",
                       help="keep the K latest checkpoints plus the best and noted ones (default: the run "
                            "library's setting, as in the window; 0 keeps all)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.add_argument("--tensorboard", action="store_true",
                       help="also write TensorBoard event files (needs the tensorboard extra)")

    sample = sub.add_parser("sample", help="generate samples from a checkpoint")
    sample.add_argument("checkpoint")
    sample.add_argument("--n", type=int, default=64, help="how many samples")
    sample.add_argument("--out", required=True, help=".png (grid or scatter) or .npy (raw array)")
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--class", dest="class_", metavar="K",
                        help="conditional models (cgan, acgan): make every sample of class K, a number or "
                             "a class name (a labelled folder's subfolder, a Fashion-MNIST garment)")
    sample.add_argument("--code", action="append", default=[], metavar="NAME=VALUE",
                        help="InfoGAN codes, repeatable: a categorical code by index (category=3), a "
                             "continuous one by value (c1=-1.5, within ±2)")

    evaluate = sub.add_parser("eval", help="print a checkpoint's metrics as JSON")
    evaluate.add_argument("checkpoint")
    evaluate.add_argument("--n", type=int, default=2500, help="samples for the mode metrics (2-D)")
    evaluate.add_argument("--seed", type=int, default=0)
    evaluate.add_argument("--data-root", help="folder holding the raw IDX .gz files (mnist, fashion-mnist)")

    export = sub.add_parser("export", help="export a run directory: metrics as CSV, samples as GIF/MP4")
    export.add_argument("run", help="run directory")
    export.add_argument("--csv", help="write the metrics to this .csv file")
    export.add_argument("--animation", help="write the sample history to this .gif (or .mp4) file")
    export.add_argument("--fps", type=float, default=4.0)

    shot = sub.add_parser("screenshot", help="open the window offscreen, train N steps in it and save a grab")
    shot.add_argument("--preset", default="ring-fixed", help="preset to train (default: ring-fixed)")
    shot.add_argument("--steps", type=int, default=100, help="steps to train before the grab")
    shot.add_argument("--out", required=True, help="PNG file to write")
    shot.add_argument("--panel", choices=("settings", "controls", "plots", "samples", "coverage", "checkpoints",
                                             "latent"),
                      help="grab one panel instead of the whole window")
    shot.add_argument("--attach", metavar="RUN_DIR",
                      help="grab the window attached to this run directory, once it has drawn what the folder "
                           "holds (--preset and --steps are ignored)")
    shot.add_argument("--timeout", type=float, default=120.0,
                      help="with --attach: seconds to wait for the drawing before grabbing anyway")
    shot.add_argument("--compare", action="store_true",
                      help="side by side: the *-collapse --preset beside its *-fixed partner, same seed, "
                           "each trained to its demo step (--steps is ignored)")
    return parser


def main(argv: list[str] | None = None) -> int:
    from .core.checkpoints import CheckpointError
    from .core.config import ConfigError
    from .core.data import DataError

    args = build_parser().parse_args(argv)
    command = args.command or "window"
    try:
        return COMMANDS[command](args)
    except (ConfigError, DataError, CheckpointError) as exc:
        print(f"gan-studio: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


# ---------------------------------------------------------------------------
def cmd_presets(args) -> int:
    from .core.presets import preset_descriptions

    descriptions = preset_descriptions()
    width = max(map(len, descriptions))
    for name, text in descriptions.items():
        print(f"{name:<{width}}  {text}")
    return 0


def resolve_config(args):
    """The config named by --preset/--config, with the command line's overrides applied."""
    from .core.config import Config, ConfigError
    from .core.presets import load_preset

    if args.preset:
        config, name = load_preset(args.preset), args.preset
    elif args.config:
        config, name = Config.load(args.config), Path(args.config).stem
    else:
        raise ConfigError("train needs --preset NAME, --config FILE or --resume CKPT")
    return apply_overrides(config, args), name


def apply_overrides(config, args):
    changes = {}
    if getattr(args, "seed", None) is not None:
        changes["train.seed"] = args.seed
    if getattr(args, "device", None):
        changes["train.device"] = args.device
    if getattr(args, "data_root", None):
        changes["data.root"] = args.data_root
    if getattr(args, "tensorboard", False):
        changes["train.tensorboard"] = True
    return config.updated(changes) if changes else config


def cmd_train(args) -> int:
    from .core import distributed
    from .core.checkpoints import checkpoint_config, load_checkpoint, restore_trainer
    from .core.config import ConfigError
    from .core.checkpoint_meta import DEFAULT_KEEP_LAST
    from .core.progress import ProgressReport
    from .core.run import RunDirectory, StopRequest
    from .core.run_loop import RunFailure, RunLoop
    from .core.trainer import Trainer

    if args.steps is not None and args.steps < 1:
        raise ConfigError(f"--steps must be >= 1, got {args.steps}")
    if args.save_every is not None and args.save_every < 1:
        raise ConfigError(f"--save-every must be >= 1, got {args.save_every}")
    if args.keep_last is not None and args.keep_last < 0:
        raise ConfigError(f"--keep-last must be >= 0, got {args.keep_last}")
    keep_last = DEFAULT_KEEP_LAST if args.keep_last is None else args.keep_last
    if args.resume:
        if args.preset or args.config or args.seed is not None:
            raise ConfigError("--resume continues the checkpoint's own config and RNG state; "
                              "drop --preset/--config/--seed")
        ckpt = Path(args.resume)
        config = apply_overrides(checkpoint_config(load_checkpoint(ckpt), ckpt), args)
        trainer = restore_trainer(ckpt, config)
        out = Path(args.out) if args.out else ckpt.resolve().parent.parent
    else:
        config, name = resolve_config(args)
        trainer = Trainer(config)
        out = Path(args.out) if args.out else Path("runs") / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}"
    total = args.steps or config.default_steps
    writer = trainer.rank == 0
    run = RunDirectory(out) if writer else None  # under torchrun, rank 0 alone writes
    loop = RunLoop(trainer, run, total, args.save_every, keep_last=keep_last)
    if writer:
        where = f"{trainer.device}" + (f" ×{trainer.world_size} ranks" if trainer.world_size > 1 else "")
        print(f"training {config.data.name} on {where} from step {trainer.step_count} to {total} "
              f"into {out}", file=sys.stderr)
    progress = ProgressReport(trainer.step_count, total, enabled=writer and not args.quiet)
    try:
        with StopRequest() as stop:
            loop.begin()
            while not loop.done and not distributed.any_rank(stop.requested):  # every rank stops at one step
                progress.update(loop.advance(max_steps=1))
            last = loop.finish()
    except RunFailure as exc:
        where = f" at step {exc.step}" if exc.kind == "error" else ""
        print(f"gan-studio: error{where}: {exc}", file=sys.stderr)
        return 1
    finally:
        progress.close()
        distributed.teardown(trainer)
    finished = loop.done
    if not writer:
        return 0 if finished else 130
    if not finished:
        print(f"interrupted at step {trainer.step_count}; checkpoint saved to {last}", file=sys.stderr)
        return 130
    rate = loop.steps_this_session / loop.wall_seconds if loop.wall_seconds > 0 else 0.0
    print(f"done: {trainer.step_count} steps; {loop.steps_this_session} trained in {loop.wall_seconds:.1f} s "
          f"({rate:.1f} steps/s); checkpoint {last}", file=sys.stderr)
    return 0


def cmd_sample(args) -> int:
    import numpy as np
    import torch

    from .core.checkpoints import load_generator
    from .core.config import ConfigError
    from .core.render import save_png
    from .core.run import sample_picture

    out = Path(args.out)
    if out.suffix not in (".png", ".npy"):
        raise ConfigError(f"--out must end in .png or .npy, got {out.name!r}")
    if args.n < 1:
        raise ConfigError(f"--n must be >= 1, got {args.n}")
    g, config, _ = load_generator(args.checkpoint)
    code = requested_code(config, args.class_, args.code, args.n)
    z = torch.randn(args.n, config.generator.z_dim, generator=torch.Generator().manual_seed(args.seed))
    with torch.no_grad():
        samples = g(z, code).numpy()
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".npy":
        np.save(out, samples)
    else:
        save_png(sample_picture(config, samples), out, scale=1 if config.is_2d else 3)
    print(out)
    return 0


def requested_code(config, class_: str | None, codes: list[str], n: int):
    """The code tensor for `sample --class K` / `--code NAME=VALUE`, or None (G's own per-row codes)."""
    from .core.codes import CodeError, CodeLayout
    from .core.config import ConfigError
    from .core.data import class_names

    if class_ is None and not codes:
        return None
    layout = CodeLayout.from_config(config)
    kind = config.cond.kind
    if class_ is not None and kind not in ("cgan", "acgan"):
        what = "an unconditional model" if kind == "none" else f"a {kind} model; its codes: {layout.describe()} " \
                                                                 f"(use --code NAME=VALUE)"
        raise ConfigError(f"--class needs a conditional model (cgan, acgan), but this is {what}")
    if codes and not layout:
        raise ConfigError("--code needs a model with codes (cond.kind cgan, acgan or infogan); this one has none")
    choices = {}
    if class_ is not None:
        names = class_names(config.data) or []
        if class_ in names:
            choices["class"] = names.index(class_)
        else:
            try:
                choices["class"] = int(class_)
            except ValueError:
                known = f" or one of {', '.join(names)}" if names else ""
                raise ConfigError(f"--class must be a class number{known}, got {class_!r}") from None
    for item in codes:
        name, _, value = item.partition("=")
        try:
            choices[name] = float(value)
        except ValueError:
            raise ConfigError(f"--code must be NAME=VALUE with a number, got {item!r}") from None
    try:
        return layout.encode(choices, n)
    except CodeError as exc:
        raise ConfigError(str(exc)) from None


def cmd_eval(args) -> int:
    import torch

    from .core.checkpoints import load_generator
    from .core.config import IMAGE_DATASETS
    from .core.data import load_dataset, toy_points
    from .core.evaluator import Evaluator, dataset_key
    from .core.coverage import mode_metrics

    g, config, state = load_generator(args.checkpoint)
    if args.data_root:
        config = config.updated({"data.root": args.data_root})
    report = {"step": int(state["step"]), "data": config.data.name, "last": state.get("metrics") or {}}
    z = torch.randn(args.n, config.generator.z_dim, generator=torch.Generator().manual_seed(args.seed))
    with torch.no_grad():
        samples = g(z).numpy()
    if config.is_2d:
        _, centres, sigma = toy_points(config.data.name, 1, config.data.seed)
        if centres is not None:
            report.update(mode_metrics(samples, centres, sigma), n=args.n, total_modes=len(centres))
    elif config.data.name in IMAGE_DATASETS:
        progress = lambda f: print(f"\rtraining the evaluator classifier: {f:4.0%}", end="", file=sys.stderr)
        evaluator = Evaluator.for_dataset(load_dataset(config.data), dataset_key(config), progress=progress)
        report.update(evaluator.evaluate(samples), n=args.n, real_histogram=evaluator.real_histogram)
        report.update(code_report(g, config, evaluator, args.seed))
    print(json.dumps(report))
    return 0


def code_report(g, config, evaluator, seed: int) -> dict:
    """cgan/acgan: the evaluator's accuracy on samples asked for each class; infogan: category purity."""
    from .core.code_metrics import category_purity, class_accuracy
    from .core.codes import CodeLayout

    layout, z_dim = CodeLayout.from_config(config), config.generator.z_dim
    if config.cond.kind in ("cgan", "acgan"):
        return class_accuracy(g, layout, z_dim, evaluator.model, seed=seed)
    if config.cond.kind == "infogan":
        return category_purity(g, layout, z_dim, evaluator.model, seed=seed)
    return {}


def cmd_export(args) -> int:
    from .core.config import ConfigError
    from .core.export import metrics_csv, sample_history
    from .core.run import RunDirectory

    run = RunDirectory(args.run)
    if not run.metrics_path.exists():
        raise ConfigError(f"{args.run} is not a run directory (no metrics.jsonl)")
    if not (args.csv or args.animation):
        raise ConfigError("export needs --csv FILE and/or --animation FILE")
    if args.csv:
        print(metrics_csv(run, args.csv))
    if args.animation:
        try:
            print(sample_history(run, args.animation, args.fps))
        except FileNotFoundError as exc:
            raise ConfigError(str(exc)) from None
    return 0


def cmd_window(args) -> int:
    from .core.config import ConfigError
    from .gui.launch import run_app

    for option, folder in (("--run", args.run), ("--attach", args.attach)):
        if folder and not Path(folder).is_dir():
            raise ConfigError(f"{option} {folder}: no such run directory")
    if args.run and args.attach:
        raise ConfigError("--run opens a run to train on, --attach follows one read-only: pick one")
    return run_app(preset=args.preset, run_dir=args.run, attach=args.attach)


def cmd_screenshot(args) -> int:
    """Prints one JSON line: steps, gui_steps_per_s, ui_stall_p99_ms and more."""
    import os

    from .core.config import ConfigError
    from .core.presets import load_preset

    if args.steps < 1:
        raise ConfigError(f"--steps must be >= 1, got {args.steps}")
    if not args.out.lower().endswith(".png"):
        raise ConfigError(f"--out must end in .png, got {args.out!r}")
    load_preset(args.preset)  # an unknown name is a usage error before any window opens
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.attach:
        return screenshot_attached(args)
    if args.compare:
        return screenshot_compare(args)
    from .gui.screenshot import run_window

    report = run_window(args.preset, args.steps, args.out, args.panel)
    print(json.dumps(report))
    return 1 if report.get("error") else 0


def screenshot_attached(args) -> int:
    """Prints one JSON line: run_dir, steps (the step the window shows), samples_step, checkpoints and more."""
    from .core.config import ConfigError

    if not Path(args.attach).is_dir():
        raise ConfigError(f"--attach {args.attach}: no such run directory")
    if args.compare:
        raise ConfigError("--attach grabs one window; drop --compare")
    from .gui.screenshot import screenshot_attached as grab

    report = grab(args.attach, args.out, args.panel, timeout_s=args.timeout)
    print(json.dumps(report))
    return 1 if report.get("timed_out") else 0


def screenshot_compare(args) -> int:
    from .core.config import ConfigError
    from .core.coverage import fix_partner
    from .core.presets import preset_names

    if args.panel:
        raise ConfigError("--compare grabs the whole side-by-side window; drop --panel")
    partner = fix_partner(args.preset, preset_names())
    if partner is None:
        raise ConfigError(f"--compare needs a *-collapse preset with a *-fixed partner, got {args.preset!r}")
    from .gui.screenshot import run_compare

    report = run_compare(args.preset, partner, args.out)
    print(json.dumps(report))
    return 1 if any("error" in report[k] for k in ("left_result", "right_result")) else 0


COMMANDS = {"export": cmd_export, "presets": cmd_presets, "train": cmd_train, "sample": cmd_sample, "eval": cmd_eval,
            "window": cmd_window, "screenshot": cmd_screenshot}
