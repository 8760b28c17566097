"""TensorBoard logging and the export command, read back as a person's tools would."""
import csv
import json

import numpy as np
import pytest

from helpers import tiny_digits, tiny_ring
from studio.cli import main


def train(tmp_path, config, *extra):
    path = tmp_path / "c.json"
    config.save(path)
    out = tmp_path / "run"
    assert main(["train", "--config", str(path), "--steps", "20", "--out", str(out), "--quiet", *extra]) == 0
    return out


def test_tensorboard_event_file_has_scalars_image_and_config(tmp_path):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    out = train(tmp_path, tiny_digits(), "--tensorboard")
    acc = EventAccumulator(str(out / "tensorboard"), size_guidance={"images": 0, "scalars": 0, "tensors": 0})
    acc.Reload()
    tags = acc.Tags()
    assert {"train/loss_d", "train/loss_g", "train/d_real", "train/d_fake", "train/grad_norm_g"} <= set(tags["scalars"])
    assert [e.step for e in acc.Scalars("train/loss_d")] == [5, 10, 15, 20]
    assert "samples" in tags["images"] and len(acc.Images("samples")) == 3  # steps 0, 10, 20
    assert any("config" in t for t in tags["tensors"])


def test_export_csv_and_gif(tmp_path):
    import imageio.v3 as iio

    out = train(tmp_path, tiny_ring())
    assert main(["export", str(out), "--csv", str(tmp_path / "m.csv"), "--animation", str(tmp_path / "s.gif")]) == 0
    with open(tmp_path / "m.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["step"]) for r in rows] == [5, 10, 15, 20] and float(rows[0]["loss_d"]) > 0
    frames = iio.imread(tmp_path / "s.gif", index=None)
    assert frames.shape[0] == 3 and frames.shape[-1] in (3, 4)
    assert not np.array_equal(frames[0], frames[-1])  # the points moved


def test_export_of_a_non_run_is_a_clear_error(tmp_path, capsys):
    assert main(["export", str(tmp_path), "--csv", str(tmp_path / "m.csv")]) == 2
    assert "not a run directory" in capsys.readouterr().err


def test_mp4_export_of_the_sample_history(tmp_path):
    import imageio.v3 as iio

    from studio.core.export import mp4_available

    if not mp4_available():
        pytest.skip("no ffmpeg plugin for imageio (install imageio-ffmpeg)")
    out = train(tmp_path, tiny_digits())
    assert main(["export", str(out), "--animation", str(tmp_path / "s.mp4"), "--fps", "2"]) == 0
    frames = iio.imread(tmp_path / "s.mp4", index=None)
    assert frames.shape[0] == 3 and frames.shape[-1] == 3


def test_a_slim_checkpoint_samples_the_same_and_resumes(tmp_path, capsys):
    import torch

    from studio.core.checkpoints import is_slim, load_checkpoint, load_generator

    out = train(tmp_path, tiny_ring().updated({"optim.ema": 0.9}))
    full = sorted((out / "checkpoints").glob("step-*.pt"))[-1]
    assert main(["export", str(out), "--slim", str(tmp_path / "from-run.pt")]) == 0  # the run's latest
    assert main(["export", str(full), "--slim", str(tmp_path / "slim.pt")]) == 0  # or a checkpoint file
    assert "slim checkpoint of" in capsys.readouterr().out
    slim = tmp_path / "slim.pt"
    assert (tmp_path / "from-run.pt").read_bytes() == slim.read_bytes()
    assert is_slim(load_checkpoint(slim)) and not is_slim(load_checkpoint(full))
    assert slim.stat().st_size < full.stat().st_size
    z = torch.randn(64, 2, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():  # G is the EMA's weights, which is what sampling a full checkpoint uses
        assert torch.equal(load_generator(full)[0](z), load_generator(slim)[0](z))
    assert main(["train", "--resume", str(slim), "--steps", "25", "--out", str(tmp_path / "more"), "--quiet"]) == 0
    assert "optimisers' moments start afresh" in capsys.readouterr().err
    resumed = load_checkpoint(sorted((tmp_path / "more" / "checkpoints").glob("step-*.pt"))[-1])
    assert resumed["step"] == 25 and not is_slim(resumed)  # an ordinary run again, Adam state and all
    assert resumed["optimizer_g"]["state"][0]["step"] == 5  # moments from the resume on, not from step 0
