"""The `gan-studio` command line. Qt is imported only on the paths that open a window."""
from __future__ import annotations

import argparse
import importlib

EXIT_USAGE = 2
LANG_HELP = "the window's language: en or zh_CN (default: the one chosen in View ▸ Language, else the system's)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gan-studio", description="Train and explore GANs interactively. "
                                     "With no command, opens the studio window.")
    parser.add_argument("--preset", help="preset to open the window with")
    parser.add_argument("--run", metavar="DIR", help="open the window on a run directory (e.g. a `train --out`), "
                        "its latest checkpoint loaded, ready to resume or explore")
    parser.add_argument("--attach", metavar="RUN_DIR", help="open the window following a run directory that "
                        "another process writes (a `train --out`, a torchrun job, a finished run), read-only")
    parser.add_argument("--lang", metavar="LANG", help=LANG_HELP)
    sub = parser.add_subparsers(dest="command")

    sub.add_parser("presets", help="list the presets with a line on each")
    sub.add_parser("starters", help="list the trained starter generators (use one as starter:NAME wherever a "
                                    "checkpoint is asked for)")

    train = sub.add_parser("train", help="train headless into a run directory")
    source = train.add_mutually_exclusive_group()
    source.add_argument("--preset", help="a preset name (see `gan-studio presets`)")
    source.add_argument("--config", help="a JSON config file")
    train.add_argument("--steps", type=int, help="total steps of the run (default: the config's)")
    train.add_argument("--out", help="run directory (default: runs/NAME-TIME, or the resumed run's)")
    train.add_argument("--seed", type=int, help="seed of weights, noise and batches")
    train.add_argument("--device", help="auto, cpu, cuda, cuda:N or mps")
    train.add_argument("--data-root", help="folder holding the raw IDX .gz files (mnist, fashion-mnist)")
    train.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                       help="change one setting of the preset or config, repeatable "
                            "(e.g. --set data.name=folder:~/photos --set train.batch_size=64)")
    train.add_argument("--save-every", type=int, help="steps between checkpoints")
    train.add_argument("--resume", help="checkpoint to continue from")
    train.add_argument("--keep-last", type=int, metavar="K",
                       help="keep the K latest checkpoints plus the best and noted ones (default: the run "
                            "library's setting, as in the window; 0 keeps all)")
    train.add_argument("--beside", action="store_true",
                       help="when --out holds another run, start this one in a new folder beside it (OUT-2, …) "
                            "instead of refusing")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.add_argument("--tensorboard", action="store_true",
                       help="also write TensorBoard event files (needs the tensorboard extra)")

    sample = sub.add_parser("sample", help="generate samples from a checkpoint")
    sample.add_argument("checkpoint")
    sample.add_argument("--n", type=int, help="how many samples (default 64, or every row of --z); one image is "
                        "written unpadded, as the latent explorer shows it")
    sample.add_argument("--out", required=True, help=".png (grid or scatter) or .npy (raw array)")
    sample.add_argument("--seed", type=int, default=0, help="seed of the noise z (the explorer's seed box)")
    sample.add_argument("--z", metavar="FILE", help="z from a .npy of shape (z_dim,) or (n, z_dim), or from a "
                        "bookmarks .json of the latent explorer (each with its class, codes and ψ)")
    sample.add_argument("--psi", type=float, metavar="PSI",
                        help="truncation ψ from 0 to 1, as the explorer's slider: z is pulled toward the mean")
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
    evaluate.add_argument("--fid", action="store_true",
                          help="also the standard Fréchet Inception Distance: --n samples against up to --n images "
                               "of the run's data (needs the fid extra; the Inception weights download once)")

    export = sub.add_parser("export", help="export a run directory: metrics as CSV, samples as GIF/MP4, "
                                           "a slim checkpoint to share")
    export.add_argument("run", help="run directory (or, with --slim only, a checkpoint file)")
    export.add_argument("--csv", help="write the metrics to this .csv file")
    export.add_argument("--animation", help="write the sample history to this .gif (or .mp4) file")
    export.add_argument("--fps", type=float, default=4.0)
    export.add_argument("--slim", metavar="OUT.pt",
                        help="write the run's latest checkpoint (or the one given) without optimiser state and with "
                             "G's EMA weights as G: about a third of the size; it samples, evaluates and resumes "
                             "(Adam's moments start afresh). The starters are slim")

    shot = sub.add_parser("screenshot", help="open the window offscreen, train N steps in it and save a grab")
    shot.add_argument("--preset", default="ring-fixed", help="preset to train (default: ring-fixed)")
    shot.add_argument("--steps", type=int, default=100, help="steps to train before the grab")
    shot.add_argument("--out", required=True, help="PNG file to write")
    shot.add_argument("--config", help="a JSON config file to train instead of --preset (e.g. data points:FILE)")
    shot.add_argument("--lang", metavar="LANG", help="the window's language: en or zh_CN (default: en)")
    shot.add_argument("--panel", choices=("settings", "controls", "plots", "samples", "coverage", "checkpoints",
                                             "latent", "drawing", "slowmotion", "diagram"),
                      help="grab one panel instead of the whole window")
    shot.add_argument("--slow-motion", type=int, metavar="K",
                      help="after the trained steps, replay the next iteration in slow motion and grab it "
                           "paused at sub-step K (1 = draw z)")
    shot.add_argument("--attach", metavar="RUN_DIR",
                      help="grab the window attached to this run directory, once it has drawn what the folder "
                           "holds (--preset and --steps are ignored)")
    shot.add_argument("--timeout", type=float, default=120.0,
                      help="with --attach: seconds to wait for the drawing before grabbing anyway")
    shot.add_argument("--presenter", action="store_true",
                      help="with --compare: grab it in presenter mode (F5: large text and axis numbers)")
    shot.add_argument("--compare", action="store_true",
                      help="side by side: the *-collapse --preset beside its *-fixed partner, same seed, "
                           "each trained to its demo step (--steps is ignored)")
    shot.add_argument("--starter", metavar="NAME",
                      help="grab the window with starter NAME in the latent explorer (Explore ▸ NAME; see "
                           "`gan-studio starters`), no training (--panel latent grabs the explorer alone)")
    shot.add_argument("--compare-runs", nargs="+", metavar="DIR",
                      help="grab the comparison of these run folders (curves, settings that differ, samples); "
                           "one sweep folder grabs its final metrics against each setting instead")
    from .cli_sweep import add_sweep_parser
    add_sweep_parser(sub)
    from .cli_compare import add_compare_parser
    add_compare_parser(sub)
    from .cli_invert import add_invert_parser
    add_invert_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .core.atomic import WriteError
    from .core.checkpoints import CheckpointError
    from .core.config import ConfigError
    from .core.data import DataError
    from .core.progress import say
    from .core.readers import skips_reported_to
    from .core.run_folder import RunFolderError

    args = build_parser().parse_args(argv)
    command = args.command or "window"
    try:
        with skips_reported_to(lambda text: say(f"gan-studio: warning: {text}")):
            module, function = COMMANDS[command]
            return getattr(importlib.import_module(f"studio.{module}"), function)(args)
    except (ConfigError, DataError, CheckpointError, RunFolderError) as exc:
        say(f"gan-studio: error: {exc}")
        return EXIT_USAGE
    except WriteError as exc:  # a full disk or a read-only folder (sample, export); nothing half-written is left
        say(f"gan-studio: error: could not write {exc.filename}: {exc.strerror}")
        return 1


# ---------------------------------------------------------------------------
def cmd_presets(args) -> int:
    from .core.presets import preset_descriptions

    descriptions = preset_descriptions()
    width = max(map(len, descriptions))
    for name, text in descriptions.items():
        print(f"{name:<{width}}  {text}")
    return 0


def cmd_starters(args) -> int:
    from .core.progress import say
    from .core.starters import list_starters, starters_root

    starters, problems = list_starters()
    for problem in problems:
        say(f"gan-studio: warning: {problem}")
    if not starters:
        print(f"no starters found in {starters_root()}")
        return 0
    width = max(len(s.name) for s in starters)
    for starter in starters:
        print(f"{starter.name:<{width}}  {starter.description}")
        if starter.metrics:
            print(f"{'':<{width}}  {starter.key_metrics()}")
    print(f"\nUse one as starter:NAME, e.g. gan-studio sample starter:{starters[0].name} --out sample.png")
    return 0


# command -> (module, function): each command's module is imported only when it runs
COMMANDS = {"presets": ("cli", "cmd_presets"), "starters": ("cli", "cmd_starters"), "train": ("cli_train", "cmd_train"),
            "sample": ("cli_checkpoints", "cmd_sample"), "eval": ("cli_checkpoints", "cmd_eval"),
            "export": ("cli_checkpoints", "cmd_export"), "window": ("cli_window", "cmd_window"),
            "screenshot": ("cli_window", "cmd_screenshot"), "sweep": ("cli_sweep", "cmd_sweep"),
            "compare": ("cli_compare", "cmd_compare"), "invert": ("cli_invert", "cmd_invert")}
