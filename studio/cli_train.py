"""`gan-studio train`: a headless run into a run folder, ended cleanly by any stop signal."""
from __future__ import annotations

import time
from pathlib import Path

from .core.progress import say


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
    config = apply_overrides(config, args)
    if args.set:
        config = config.updated(setting_changes(args.set, config))
    folder = config.data.name.removeprefix("folder:")
    if args.preset and folder != config.data.name and not Path(folder).expanduser().is_dir():
        raise ConfigError(f"preset {args.preset} trains on a folder of your images and {folder} does not exist: "
                          f"put your images there, or name their folder with --set data.name=folder:PATH")
    return config, name


def setting_changes(items: list[str], config) -> dict:
    """`--set FIELD=VALUE` items as {field: value typed as the field}, for Config.updated."""
    from .core.config import ConfigError
    from .core.sweep import field_type, typed_value

    changes = {}
    for item in items:
        path, equals, text = (part.strip() for part in item.partition("="))
        if not equals or not path:
            raise ConfigError(f"--set must be FIELD=VALUE, e.g. data.name=folder:~/photos; got {item!r}")
        changes[path] = typed_value(field_type(config, path), text)
    return changes


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
    from .core.checkpoint_meta import DEFAULT_KEEP_LAST
    from .core.config import ConfigError
    from .core.run import StopRequest

    if args.steps is not None and args.steps < 1:
        raise ConfigError(f"--steps must be >= 1, got {args.steps}")
    if args.save_every is not None and args.save_every < 1:
        raise ConfigError(f"--save-every must be >= 1, got {args.save_every}")
    if args.keep_last is not None and args.keep_last < 0:
        raise ConfigError(f"--keep-last must be >= 0, got {args.keep_last}")
    keep_last = DEFAULT_KEEP_LAST if args.keep_last is None else args.keep_last
    with StopRequest() as stop:  # from here on a signal ends the run with a checkpoint, not mid-write
        return train_until_stopped(args, keep_last, stop)


def train_until_stopped(args, keep_last: int, stop) -> int:
    from .core import distributed
    from .core.checkpoints import checkpoint_config, is_slim, load_checkpoint, resolve_checkpoint, restore_trainer
    from .core.config import ConfigError
    from .core.progress import ProgressReport
    from .core.run import RunDirectory
    from .core.run_folder import RunFolderError, check_new_run_target, free_sibling
    from .core.run_loop import RunFailure, RunLoop
    from .core.trainer import Trainer

    ckpt = resolve_checkpoint(args.resume) if args.resume else None  # `starter:NAME` names a starter's
    if ckpt is not None:
        if args.preset or args.config or args.seed is not None or args.set:
            raise ConfigError("--resume continues the checkpoint's own config and RNG state; "
                              "drop --preset/--config/--seed/--set")
        state = load_checkpoint(ckpt)
        config = apply_overrides(checkpoint_config(state, ckpt), args)
        if is_slim(state):
            say(f"{args.resume} is a slim checkpoint (no optimiser state): the optimisers' moments start afresh")
        starter = args.resume.removeprefix("starter:") if ckpt != Path(args.resume) else None
        out = Path(args.out) if args.out else ckpt.resolve().parent.parent if starter is None else \
            Path("runs") / f"{starter}-{time.strftime('%Y%m%d-%H%M%S')}"  # never into the installed package
    else:
        config, name = resolve_config(args)
        out = Path(args.out) if args.out else Path("runs") / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}"
    try:  # before any data is loaded
        check_new_run_target(out, ckpt)
    except RunFolderError:
        if not args.beside or not out.is_dir():
            raise
        out = free_sibling(out)
    trainer = restore_trainer(ckpt, config) if ckpt is not None else Trainer(config)
    total = args.steps or config.default_steps
    writer = trainer.rank == 0
    run = RunDirectory(out) if writer else None  # under torchrun, rank 0 alone writes
    loop = RunLoop(trainer, run, total, args.save_every, keep_last=keep_last)
    progress = ProgressReport(trainer.step_count, total, enabled=writer and not args.quiet)
    try:
        loop.begin()
        if writer:
            where = f"{trainer.device}" + (f" ×{trainer.world_size} ranks" if trainer.world_size > 1 else "")
            if trainer.device.type == "cuda":
                where += f" (CUDA graphs {trainer.graphed.plan()})"
            say(f"training {config.data.name} on {where} from step {trainer.step_count} to {total} into {out}")
            if loop.superseded:
                say(f"the run's history after step {trainer.step_count} was moved to {loop.superseded}")
        while not loop.done and not distributed.any_rank(stop.requested):  # every rank stops at one step
            progress.update(loop.advance(max_steps=1))
        last = loop.finish()
    except RunFailure as exc:
        loop.close()
        where = f" at step {exc.step}" if exc.kind == "error" else ""
        say(f"gan-studio: error{where}: {exc}")
        return 1
    finally:
        progress.close()
        distributed.teardown(trainer)
    finished = loop.done
    status = stop.exit_status or 130
    if not writer:
        return 0 if finished else status
    if not finished:
        saved = f"checkpoint saved to {last}" if last else "nothing trained yet, no checkpoint written"
        say(f"{'stopped by ' + stop.name if stop.requested else 'interrupted'} at step {trainer.step_count}; {saved}")
        return status
    rate = loop.steps_this_session / loop.wall_seconds if loop.wall_seconds > 0 else 0.0
    say(f"done: {trainer.step_count} steps; {loop.steps_this_session} trained in {loop.wall_seconds:.1f} s "
        f"({rate:.1f} steps/s); checkpoint {last}")
    return 0
