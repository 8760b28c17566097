"""`gan-studio sample`, `eval` and `export`: what a checkpoint makes and what a run folder holds."""
from __future__ import annotations

import json
import sys
from pathlib import Path



def cmd_sample(args) -> int:
    import io

    import numpy as np

    from .core.atomic import write_atomic
    from .core.config import ConfigError
    from .core.latent import LatentRenderer
    from .core.render import grid_scale, save_png
    from .core.run import sample_picture

    out = Path(args.out)
    if out.suffix not in (".png", ".npy"):
        raise ConfigError(f"--out must end in .png or .npy, got {out.name!r}")
    if args.psi is not None and not 0.0 <= args.psi <= 1.0:
        raise ConfigError(f"--psi must be from 0 to 1, got {args.psi}")
    renderer, _ = LatentRenderer.from_checkpoint(args.checkpoint)  # the explorer's renderer: the same bits
    config = renderer.config
    z, code = sample_latents(args, config)
    if out.suffix == ".npy":  # encoded in memory, written atomically: a full disk leaves no truncated file
        buffer = io.BytesIO()
        np.save(buffer, renderer.generate(z, code))
        write_atomic(out, buffer.getvalue())
    elif len(z) == 1 and not config.is_2d:  # one image, as the latent explorer shows it
        save_png(renderer.picture(z[0], code), out, scale=3)
    else:
        save_png(sample_picture(config, renderer.generate(z, code)), out,
                 scale=1 if config.is_2d else grid_scale(config.data.image_size))
    print(out)
    return 0


def sample_latents(args, config):
    """(z, c) for `sample`: z drawn from --seed or read from --z FILE, truncated by ψ (--psi, else each
    bookmark's own), and c from --class / --code, else each bookmark's codes, else None (G's own)."""
    import numpy as np

    from .core.bookmarks import read_latents
    from .core.codes import CodeError, CodeLayout
    from .core.config import ConfigError
    from .core.latent import seeded_z, truncate
    from .core.memory import check_samples_fit
    from .core.progress import say

    if args.n is not None and args.n < 1:
        raise ConfigError(f"--n must be >= 1, got {args.n}")
    if args.z is None:
        n = 64 if args.n is None else args.n
        check_samples_fit(config, n)  # refused with the estimate, not tried until the system kills it
        z, psi, row_codes = seeded_z(config, args.seed, n), np.ones(n), None
    else:
        latents = read_latents(args.z, config.generator.z_dim)
        n = len(latents.z) if args.n is None else args.n
        if n > len(latents.z):
            raise ConfigError(f"--n {n} asks for more samples than {args.z} has rows ({len(latents.z)})")
        check_samples_fit(config, n)
        z, psi, row_codes = latents.z[:n], latents.psi[:n], latents.codes and latents.codes[:n]
        others = [c for c in latents.made_on if Path(c).resolve() != Path(args.checkpoint).resolve()]
        if others:
            say(f"gan-studio: note: bookmarks of {args.z} were made on {', '.join(others)}")
    if args.psi is not None:
        psi = np.full(n, args.psi)
    z = np.stack([truncate(row, float(p)) for row, p in zip(z, psi)])
    layout = CodeLayout.from_config(config)
    if args.class_ is not None or args.code or not row_codes or not layout:
        code = requested_code(config, args.class_, args.code, n)
        return z, None if code is None else code.numpy()
    try:
        return z, np.concatenate([layout.encode(choices).numpy() for choices in row_codes])
    except CodeError as exc:
        raise ConfigError(f"{args.z}: {exc}") from None


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
    from .core.config import IMAGE_DATASETS, ConfigError
    from .core.data import load_dataset
    from .core.evaluator import CONFIDENT, Evaluator, dataset_key
    from .core.coverage import generator_plane_metrics
    from .core.memory import check_samples_fit
    from .core.noise import config_noise

    if args.n < 1:
        raise ConfigError(f"--n must be >= 1, got {args.n}")
    g, config, state = load_generator(args.checkpoint)
    check_samples_fit(config, args.n)
    if args.data_root:
        config = config.updated({"data.root": args.data_root})
    report = {"step": int(state["step"]), "data": config.data.name, "last": state.get("metrics") or {}}
    if args.fid:  # first: without the library or the weights it fails before any other work
        from .core.fid import generator_fid

        report.update(generator_fid(g, config, args.n, args.seed))
    with torch.no_grad():
        if config.is_2d:  # KL and JS for any 2-D data; modes where they are known or found (drawn clusters)
            report.update(generator_plane_metrics(lambda z: g(z).numpy(), config, args.n, args.seed), n=args.n)
        samples = g(config_noise(config, args.n, torch.Generator().manual_seed(args.seed))).numpy()
    if config.data.name in IMAGE_DATASETS:
        progress = lambda f: print(f"\rtraining the evaluator classifier: {f:4.0%}", end="", file=sys.stderr)
        evaluator = Evaluator.for_dataset(load_dataset(config.data), dataset_key(config), progress=progress)
        report.update(evaluator.evaluate(samples), n=args.n, real_histogram=evaluator.real_histogram,
                      real_confident_share=evaluator.real_confident_share, confident_at=CONFIDENT)
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


def export_slim(source, out) -> str:
    """Write `source`'s slim form (checkpoints.slim_state) to `out`; the line that says so."""
    from .core.checkpoints import load_checkpoint, save_checkpoint, slim_state

    save_checkpoint(slim_state(load_checkpoint(source)), out)
    return f"{out}: slim checkpoint of {source} ({Path(out).stat().st_size / 2**20:.2f} MiB)"


def cmd_export(args) -> int:
    from .core.config import ConfigError
    from .core.export import metrics_csv, sample_history
    from .core.run import RunDirectory

    if not (args.csv or args.animation or args.slim):
        raise ConfigError("export needs --csv FILE, --animation FILE and/or --slim FILE")
    if args.slim and not Path(args.run).is_dir():  # a checkpoint file (or starter:NAME)
        if args.csv or args.animation:
            raise ConfigError("--csv and --animation export a run directory; give the run, not a checkpoint")
        print(export_slim(args.run, args.slim))
        return 0
    run = RunDirectory(args.run)
    if not run.metrics_path.exists():
        raise ConfigError(f"{args.run} is not a run directory (no metrics.jsonl)")
    if args.slim:
        latest = run.checkpoints()
        if not latest:
            raise ConfigError(f"{args.run} has no checkpoint to export")
        print(export_slim(latest[-1], args.slim))
    if args.csv:
        print(metrics_csv(run, args.csv))
    if args.animation:
        try:
            print(sample_history(run, args.animation, args.fps))
        except FileNotFoundError as exc:
            raise ConfigError(str(exc)) from None
    return 0
