"""`gan-studio sweep`: train a grid of settings × seeds and tabulate the final metrics (engine: core.sweep)."""
from __future__ import annotations

import argparse
from pathlib import Path


def add_sweep_parser(subparsers) -> argparse.ArgumentParser:
    sweep = subparsers.add_parser(
        "sweep", help="train every combination of some settings with several seeds; tabulate the final metrics",
        description="Each trial is a run directory under --out, trained by `gan-studio train`. A rerun skips "
                    "finished trials and resumes interrupted ones; the same command started in several "
                    "processes or on several machines (with one --storage) shares the trials out.")
    source = sweep.add_mutually_exclusive_group()
    source.add_argument("--preset", help="the base config: a preset name (see `gan-studio presets`)")
    source.add_argument("--config", help="the base config: a JSON config file")
    sweep.add_argument("--set", action="append", default=[], metavar="FIELD=V1,V2",
                       help="a field and its values, repeatable: the grid is every combination "
                            "(e.g. --set optim.lr_g=1e-4,2e-4 --set loss.kind=nonsaturating,hinge)")
    sweep.add_argument("--seeds", default="0", help="seeds of each setting: 0-4, 0,3,7 or both (default: 0)")
    sweep.add_argument("--steps", type=int, help="steps of each trial (default: the config's)")
    sweep.add_argument("--save-every", type=int, help="steps between checkpoints (where an interrupted trial "
                                                      "resumes; default: the config's)")
    sweep.add_argument("--jobs", type=int, default=1, help="trials at a time in this process (default: 1)")
    sweep.add_argument("--threads", type=int, default=1, help="torch threads of each trial (default: 1)")
    sweep.add_argument("--out", required=True, help="the sweep's folder: run directories, sweep.db, results")
    sweep.add_argument("--storage", help="database URL of the sweep's bookkeeping, shared by every process "
                                         "that runs it (default: sqlite:///OUT/sweep.db)")
    sweep.add_argument("--study", help="the sweep's name in the storage (default: the --out folder's name)")
    sweep.add_argument("--heartbeat", type=int, default=20, metavar="SECONDS",
                       help="how often a running trial tells the storage it is alive; one silent for twice "
                            "as long (its process died) is run again (default: 20)")
    return sweep


def cmd_sweep(args) -> int:
    from .core.progress import say
    from .core.config import Config, ConfigError
    from .core.presets import load_preset
    from .core.run import StopRequest

    for option in ("steps", "save_every", "jobs", "threads", "heartbeat"):
        value = getattr(args, option)
        if value is not None and value < 1:
            raise ConfigError(f"--{option.replace('_', '-')} must be >= 1, got {value}")
    if args.preset:
        base = load_preset(args.preset)
    elif args.config:
        base = Config.load(args.config)
    else:
        raise ConfigError("sweep needs --preset NAME or --config FILE")

    import optuna
    import torch

    from .core.sweep import LOG_NAME, Sweep, parse_seeds, parse_settings
    from .core.sweep_study import SweepRun, write_results

    optuna.logging.set_verbosity(optuna.logging.ERROR)  # the sweep says what happens, one line a trial
    torch.set_num_threads(args.threads)  # this process only measures finished trials
    sweep = Sweep(base, parse_settings(args.set, base), parse_seeds(args.seeds), args.steps or base.default_steps,
                  args.save_every, args.threads)
    runner = SweepRun(sweep, args.out, args.storage, args.study, args.jobs, args.heartbeat, say)
    say(f"sweep {runner.study_name!r}: {len(sweep.settings)} setting(s) × {len(sweep.seeds)} seed(s) = {sweep.size} "
        f"trial(s) of {sweep.steps} steps into {Path(args.out)}, {args.jobs} at a time here")
    with StopRequest() as stop:
        complete = runner.run(lambda: stop.requested)
    if not complete:
        say(f"sweep stopped by {stop.name or 'a failure'}; run the same command again to continue")
        return stop.exit_status or 1
    rows = runner.results()
    print(write_results(args.out, rows, sweep.steps), end="")
    failed = sum(row.failed for row in rows)
    if failed:
        say(f"{failed} trial(s) failed; their messages are in the folders' {LOG_NAME} (a rerun does not retry them)")
    return 0
