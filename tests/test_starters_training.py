"""The shipped starter generators as trained (resources/starters) and the held-out digits they never saw.

No training here: the folders are checked for what infra's loader and a student rely on (a loadable
checkpoint that is the config beside it, the command that made it, measured metrics), and
`data.holdout` for keeping the last images of a set out of training.
"""
from __future__ import annotations

import fnmatch
import json
import tomllib
from pathlib import Path

import numpy as np
import pytest
import torch

from studio.core.checkpoints import is_slim, load_checkpoint, load_generator
from studio.core.config import Config, ConfigError
from studio.core.data import held_out, load_dataset, load_idx_dataset

ROOT = Path(__file__).resolve().parents[1]
STARTERS = ROOT / "resources" / "starters"
MNIST_STARTERS = ("mnist-dcgan", "mnist-cgan", "mnist-infogan")
ALL_STARTERS = ("ring",) + MNIST_STARTERS
SIZE_BUDGET = 6 * 2**20  # bytes for all starters together (slim checkpoints), installed with every copy


# -- data.holdout -------------------------------------------------------------------------------------------
def test_holdout_keeps_the_last_images_out_of_training_and_hands_them_out(mnist_dir):
    config = Config().updated({"data.name": "mnist", "data.root": str(mnist_dir), "data.holdout": 1000})
    images, labels = load_idx_dataset("mnist", str(mnist_dir))
    trained = load_dataset(config.data)
    kept_x, kept_y = held_out(config.data)
    assert len(trained) == len(images) - 1000 and kept_x.shape == (1000, 1, 28, 28) and kept_x.dtype == np.uint8
    assert np.array_equal(trained.x[:, 0].numpy(), images[:-1000])
    assert np.array_equal(kept_x[:, 0], images[-1000:]) and np.array_equal(kept_y, labels[-1000:])


def test_holdout_is_checked():
    with pytest.raises(ConfigError, match="data.holdout must be >= 0"):
        Config().updated({"data.holdout": -1})
    config = Config().updated({"data.name": "digits", "data.n_samples": 64, "data.holdout": 64})
    with pytest.raises(ConfigError, match="must leave images to train on"):
        load_dataset(config.data)


# -- the starter folders --------------------------------------------------------------------------------------
def _described(name: str) -> dict:
    return json.loads((STARTERS / name / "starter.json").read_text())


@pytest.mark.parametrize("name", ALL_STARTERS)
def test_each_starter_is_its_config_trained_by_the_recorded_command(name):
    info = _described(name)
    assert info["name"] == name and info["description"] and info["config"] == "config.json"
    assert info["command"].startswith("gan-studio train --config resources/starters/") and "--seed" in info["command"]
    assert {"data", "cpu", "wall_time_s", "steps"} <= set(info["trained_on"])
    state = load_checkpoint(STARTERS / name / "checkpoint.pt")
    shipped = Config.from_dict(state["config"])
    recorded = Config.load(STARTERS / name / info["config"]).updated({"data.root": shipped.data.root})
    assert shipped.to_dict() == recorded.to_dict()  # retraining from config.json makes this model
    assert state["step"] == info["trained_on"]["steps"] <= recorded.train.steps  # a run may ship an earlier step
    assert is_slim(state) and "--slim resources/starters/" in info["command"]  # resumes with fresh Adam moments


@pytest.mark.parametrize("name", MNIST_STARTERS)
def test_mnist_starters_never_saw_the_held_out_digits_and_report_their_quality(name):
    g, config, _ = load_generator(STARTERS / name / "checkpoint.pt")
    assert config.data.name == "mnist" and config.data.holdout == 1000
    metrics = _described(name)["metrics"]
    assert {"classes", "kl", "frechet", "confidence"} <= set(metrics)
    if config.cond.kind in ("cgan", "acgan"):
        assert len(metrics["per_class_accuracy"]) == 10 and "class_accuracy" in metrics
    with torch.no_grad():
        images = g(torch.randn(4, config.generator.z_dim))
    assert images.shape == (4, 1, 28, 28) and images.abs().max() <= 1


def test_the_ring_starter_draws_all_eight_modes():
    from studio.core.coverage import generator_plane_metrics

    g, config, _ = load_generator(STARTERS / "ring" / "checkpoint.pt")
    with torch.no_grad():
        found = generator_plane_metrics(lambda z: g(z).numpy(), config, 1000, 0)
    assert found["modes"] == 8 == _described("ring")["metrics"]["modes"]


def test_starters_are_small_and_installed_as_package_data():
    files = [p for p in STARTERS.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert sum(p.stat().st_size for p in files) <= SIZE_BUDGET
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    packaged = globs["studio.resources.starters"]
    for path in files:
        relative = path.relative_to(STARTERS).as_posix()
        assert relative == "__init__.py" or any(fnmatch.fnmatch(relative, g) for g in packaged), relative
