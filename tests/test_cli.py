"""The command line end to end on tiny configs, as a user runs it (subprocesses where exit codes matter)."""
import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest
import torch

from helpers import tiny_digits, tiny_ring
from studio.cli import main
from studio.core.checkpoints import load_checkpoint


def run_cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "studio", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONUNBUFFERED": "1"})


@pytest.fixture
def ring_config(tmp_path):
    path = tmp_path / "ring.json"
    tiny_ring().save(path)
    return path


def test_presets_lists_each_with_a_line(capsys):
    assert main(["presets"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line.split()[0] for line in lines]
    assert {"ring-fixed", "grid-fixed", "digits-dcgan", "mnist-dcgan"} <= set(names)
    assert all(len(line.split(None, 1)) == 2 for line in lines)


def test_train_writes_the_run_directory(tmp_path, ring_config):
    out = tmp_path / "run"
    assert main(["train", "--config", str(ring_config), "--steps", "25", "--out", str(out), "--quiet"]) == 0
    assert json.loads((out / "config.json").read_text())["data"]["name"] == "ring"
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == [5, 10, 15, 20, 25]
    assert all({"time", "loss_d", "loss_g", "d_real", "d_fake", "grad_norm_g", "grad_norm_d"} <= set(r) for r in rows)
    assert all(a["time"] <= b["time"] for a, b in zip(rows, rows[1:]))
    assert sorted(p.name for p in (out / "checkpoints").glob("*.pt")) == \
        ["step-00000010.pt", "step-00000020.pt", "step-00000025.pt"]
    # each with the library's sidecars, as the window writes them (a thumbnail and its metadata)
    assert sorted(p.name for p in (out / "checkpoints").iterdir() if p.suffix != ".pt") == \
        [f"step-000000{n}{ext}" for n in (10, 20, 25) for ext in (".json", ".png")]
    assert sorted(p.name for p in (out / "samples").iterdir()) == \
        ["step-00000000.png", "step-00000010.png", "step-00000020.png", "step-00000025.png"]


def test_resume_trains_to_the_total_and_keeps_history(tmp_path, ring_config):
    out = tmp_path / "run"
    main(["train", "--config", str(ring_config), "--steps", "20", "--out", str(out), "--quiet"])
    ckpt = out / "checkpoints" / "step-00000020.pt"
    assert main(["train", "--resume", str(ckpt), "--steps", "40", "--quiet"]) == 0
    assert load_checkpoint(out / "checkpoints" / "step-00000040.pt")["step"] == 40
    steps = [json.loads(line)["step"] for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert steps == list(range(5, 45, 5))
    # resumed exactly: the same losses as 40 steps straight
    straight = tmp_path / "straight"
    main(["train", "--config", str(ring_config), "--steps", "40", "--out", str(straight), "--quiet"])
    strip = lambda p: [{k: v for k, v in json.loads(l).items() if k != "time"} for l in p.read_text().splitlines()]
    assert strip(out / "metrics.jsonl") == strip(straight / "metrics.jsonl")


def test_image_run_sample_and_eval(tmp_path):
    config = tmp_path / "digits.json"
    tiny_digits().save(config)
    out = tmp_path / "run"
    assert main(["train", "--config", str(config), "--steps", "10", "--out", str(out), "--quiet"]) == 0
    ckpt = out / "checkpoints" / "step-00000010.pt"
    assert main(["sample", str(ckpt), "--n", "9", "--out", str(tmp_path / "s.npy"), "--seed", "3"]) == 0
    arr = np.load(tmp_path / "s.npy")
    assert arr.shape == (9, 1, 28, 28) and arr.min() >= -1 and arr.max() <= 1
    main(["sample", str(ckpt), "--n", "9", "--out", str(tmp_path / "again.npy"), "--seed", "3"])
    np.testing.assert_array_equal(arr, np.load(tmp_path / "again.npy"))
    assert main(["sample", str(ckpt), "--n", "16", "--out", str(tmp_path / "s.png")]) == 0
    from PIL import Image
    assert Image.open(tmp_path / "s.png").size == (3 * (4 * 30 + 2),) * 2


def test_2d_sample_and_eval_report_mode_metrics(tmp_path, ring_config, capsys):
    out = tmp_path / "run"
    main(["train", "--config", str(ring_config), "--steps", "10", "--out", str(out), "--quiet"])
    ckpt = out / "checkpoints" / "step-00000010.pt"
    assert main(["sample", str(ckpt), "--n", "100", "--out", str(tmp_path / "p.npy")]) == 0
    assert np.load(tmp_path / "p.npy").shape == (100, 2)
    assert main(["sample", str(ckpt), "--n", "100", "--out", str(tmp_path / "p.png")]) == 0
    capsys.readouterr()
    assert main(["eval", str(ckpt)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["step"] == 10 and report["n"] == 2500 and report["total_modes"] == 8
    assert {"modes", "hq", "reverse_kl"} <= set(report) and 0 <= report["modes"] <= 8


def test_config_errors_exit_2_with_the_message_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"optim": {"lr_d": -0.001}}))
    result = run_cli("train", "--config", bad, "--steps", "5", "--out", tmp_path / "x")
    assert result.returncode == 2
    assert "optim.lr_d must be > 0, got -0.001" in result.stderr and "Traceback" not in result.stderr
    for args in (["train", "--preset", "nope"], ["sample", tmp_path / "missing.pt", "--out", tmp_path / "a.png"],
                 ["train", "--preset", "ring-fixed", "--steps", "0"]):
        result = run_cli(*args)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr


def test_progress_in_a_log_is_plain_lines_without_redraws(tmp_path, ring_config):
    """stderr not a terminal: a line per tenth of the run, never a carriage return."""
    result = run_cli("train", "--config", ring_config, "--steps", "200", "--out", tmp_path / "run")
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("step ")]
    assert 5 <= len(progress) <= 11 and progress[-1].startswith("step 200/200")


def test_a_diverging_run_exits_non_zero_naming_the_step_and_the_last_good_checkpoint(tmp_path):
    """SGD at a learning rate of 10 really diverges (a NaN loss in the first few steps): the CLI says
    where, keeps the checkpoints written before it and writes none from the failing step on."""
    from helpers import tiny_ring

    config = tmp_path / "diverging.json"
    tiny_ring(**{"optim.name": "sgd", "optim.lr_d": 10.0, "optim.lr_g": 10.0, "train.save_every": 1}).save(config)
    out = tmp_path / "run"
    result = run_cli("train", "--config", config, "--steps", "100", "--out", out, "--quiet", "--keep-last", "0")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    failed_at = int(re.search(r"is nan at step (\d+);", result.stderr).group(1))
    saved = sorted(out.glob("checkpoints/*.pt"))
    assert [load_checkpoint(p)["step"] for p in saved] == list(range(1, failed_at))
    assert f"The last good state is {saved[-1]}" in result.stderr
    for p in saved:  # every state written is finite
        state = load_checkpoint(p)
        assert all(torch.isfinite(t).all() for t in state["discriminator"].values() if t.is_floating_point())


def test_presets_train_from_the_cli(tmp_path):
    """The installed command once; the other presets through the same `main` in this process."""
    result = run_cli("train", "--preset", "ring-fixed", "--steps", "2", "--out", tmp_path / "ring-fixed", "--quiet")
    assert result.returncode == 0, result.stderr
    for preset in ("grid-fixed", "digits-dcgan"):
        assert main(["train", "--preset", preset, "--steps", "2", "--out", str(tmp_path / preset), "--quiet"]) == 0
    for preset in ("ring-fixed", "grid-fixed", "digits-dcgan"):
        assert (tmp_path / preset / "checkpoints" / "step-00000002.pt").exists()


def test_mnist_preset_trains_from_a_data_root(tmp_path, mnist_dir):
    result = run_cli("train", "--preset", "mnist-dcgan", "--steps", "2", "--data-root", mnist_dir,
                     "--out", tmp_path / "m", "--quiet")
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "m" / "config.json").read_text())["data"]["root"] == str(mnist_dir)


def test_eval_of_an_image_checkpoint_reports_class_metrics(tmp_path, capsys, quick_evaluator):
    config = tmp_path / "digits.json"
    tiny_digits(**{"data.n_samples": 1000}).save(config)
    out = tmp_path / "run"
    main(["train", "--config", str(config), "--steps", "2", "--out", str(out), "--quiet"])
    capsys.readouterr()
    assert main(["eval", str(out / "checkpoints" / "step-00000002.pt"), "--n", "200"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"classes", "kl_uniform", "confidence", "frechet", "histogram", "real_histogram"} <= set(report)
    assert len(report["histogram"]) == 10 and 0 <= report["classes"] <= 10
