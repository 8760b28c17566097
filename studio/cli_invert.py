"""`gan-studio invert`: the z (and class) whose image a checkpoint's generator draws closest to a picture
(engine: core.invert)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

RANDOM_BASELINE = 256  # random samples whose best the answer is compared with, for people


def add_invert_parser(subparsers) -> argparse.ArgumentParser:
    invert = subparsers.add_parser(
        "invert", help="find the z whose generated image is closest to a picture; write it as .npy",
        description="Optimises z (Adam, several random starts; for a conditional model every class) so that "
                    "G(z) matches IMAGE pixel by pixel. IMAGE is made the model's size and channels; draw digits "
                    "white on black, as MNIST has them. The z written has shape (1, z_dim), for `gan-studio "
                    "sample --z`.")
    invert.add_argument("checkpoint")
    invert.add_argument("image", help="the target picture (PNG, JPEG, …)")
    invert.add_argument("--out", required=True, help="the .npy file for z")
    invert.add_argument("--steps", type=int, default=200, help="Adam steps (default: 200)")
    invert.add_argument("--restarts", type=int, default=4, help="random starts (per class) (default: 4)")
    invert.add_argument("--seed", type=int, default=0, help="seed of the starts (default: 0)")
    invert.add_argument("--class", dest="class_", metavar="K",
                        help="conditional models: search class K only (a number or a class name); default: "
                             "every class, keeping the best")
    invert.add_argument("--psi", type=float, default=1.0,
                        help="truncation ψ: keep every coordinate of z within ψ·3σ, as the explorer's "
                             "truncation slider does (default: 1)")
    invert.add_argument("--features", action="store_true",
                        help="digit data: also match the evaluator classifier's features (shape as well as "
                             "pixels; trains the classifier on first use, then cached)")
    invert.add_argument("--data-root", help="with --features: folder holding the raw IDX .gz files")
    invert.add_argument("--preview", metavar="PNG", help="also save the target beside its reconstruction")
    return invert


def cmd_invert(args) -> int:
    import io

    import numpy as np

    from .core.atomic import write_atomic
    from .core.checkpoints import load_generator
    from .core.config import ConfigError
    from .core.invert import best_of_random, invert, read_target_png, require_images
    from .core.render import image_grid, save_png

    out = Path(args.out)
    if out.suffix != ".npy":
        raise ConfigError(f"--out must end in .npy, got {out.name!r}")
    if args.preview and Path(args.preview).suffix != ".png":
        raise ConfigError(f"--preview must end in .png, got {Path(args.preview).name!r}")
    g, config, _ = load_generator(args.checkpoint)
    require_images(config, args.checkpoint)
    target = read_target_png(args.image, config)
    choices = class_choice(config, args.class_)
    classifier = evaluator_classifier(config, args.data_root) if args.features else None
    found = invert(g, config, target, steps=args.steps, restarts=args.restarts, seed=args.seed, choices=choices,
                   psi=args.psi, classifier=classifier)
    buffer = io.BytesIO()
    np.save(buffer, found.z[None].astype(np.float32))
    write_atomic(out, buffer.getvalue())
    if args.preview:
        save_png(image_grid(np.stack([target, found.image]), ncol=2, pad=2), args.preview, scale=4)
    baseline = best_of_random(g, config, target, RANDOM_BASELINE, seed=args.seed, code=found.code)
    if classifier is not None:
        print(f"loss {found.loss:.5f} (pixel MSE + classifier features)")
    print(f"pixel MSE {found.mse:.5f}, the best of {RANDOM_BASELINE} random samples {baseline:.5f}")
    if found.choices:
        print(found.describe())
    codes = "".join(f" --class {v}" if name == "class" else f" --code {name}={v}"
                    for name, v in found.choices.items())
    print(f"z ({found.z.size} values) written to {out}; draw it with: "
          f"gan-studio sample {args.checkpoint} --z {out}{codes} --out image.png")
    return 0


def class_choice(config, class_: str | None) -> dict:
    """{"class": K} for `--class K` (a number or a class name, checked as `sample --class` checks it)."""
    if class_ is None:
        return {}
    from .cli_checkpoints import requested_code

    return {"class": int(requested_code(config, class_, [], 1)[0].argmax())}


def evaluator_classifier(config, data_root: str | None):
    """The evaluator's digit classifier for the checkpoint's data set (trained on first use, cached)."""
    from .core.config import IMAGE_DATASETS, ConfigError
    from .core.data import load_dataset
    from .core.evaluator import Evaluator, dataset_key

    if config.data.name not in IMAGE_DATASETS:
        raise ConfigError(f"--features needs the evaluator's labelled data ({', '.join(IMAGE_DATASETS)}); "
                          f"this model was trained on {config.data.name}")
    if data_root:
        config = config.updated({"data.root": data_root})
    progress = lambda f: print(f"\rtraining the evaluator classifier: {f:4.0%}", end="\n" if f >= 1 else "",
                               file=sys.stderr, flush=True)
    return Evaluator.for_dataset(load_dataset(config.data), dataset_key(config), progress=progress).model
