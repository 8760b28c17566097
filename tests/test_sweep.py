"""`gan-studio sweep`: the grid, its run directories and table, reruns, several processes, a killed trial."""
import csv
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from helpers import tiny_ring
from studio.cli import main
from studio.core.checkpoints import load_checkpoint
from studio.core.config import ConfigError
from studio.core.run_folder import LOCK_NAME, run_steps
from studio.core.sweep import Sweep, parse_seeds, parse_settings, trial_env

SETS = ["--set", "optim.lr_g=1e-3,2e-3", "--set", "loss.kind=nonsaturating,hinge"]
STEPS = 100  # enough for the tiny ring to find a few modes, so the metrics are not all zero


def sweep_command(config: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "studio", "sweep", "--config", str(config), "--out", str(out), "--heartbeat", "1",
            *extra]


def trial_folders(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if (p / "config.json").exists())


@pytest.fixture(scope="module")
def grid_sweep(tmp_path_factory):
    """A 2 × 2 grid × 2 seeds, run by two sweep processes started together on one SQLite file."""
    root = tmp_path_factory.mktemp("sweep")
    config = root / "tiny.json"
    tiny_ring(**{"train.save_every": 50, "train.sample_every": 1000}).save(config)
    out = root / "grid"
    command = sweep_command(config, out, *SETS, "--seeds", "0-1", "--steps", str(STEPS))
    procs = [subprocess.Popen(command + ["--jobs", jobs], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for jobs in ("2", "1")]
    results = [proc.communicate(timeout=240) for proc in procs]
    for proc, (_, err) in zip(procs, results):
        assert proc.returncode == 0, err
    return config, out, results


@pytest.mark.slow
def test_grid_sweep_writes_run_directories_and_a_table_of_the_eval_metrics(grid_sweep, capsys):
    _, out, results = grid_sweep
    folders = trial_folders(out)
    assert [f.name for f in folders] == sorted(f"lr_g={lr},kind={kind},seed={seed}" for lr in ("0.001", "0.002")
                                               for kind in ("nonsaturating", "hinge") for seed in (0, 1))
    expected: dict[tuple, list[dict]] = {}
    for folder in folders:
        run_config = json.loads((folder / "config.json").read_text())
        checkpoint = folder / "checkpoints" / f"step-{STEPS:08d}.pt"
        assert run_steps(folder)[-1] == STEPS
        assert main(["eval", str(checkpoint)]) == 0  # what `gan-studio eval` prints for the final checkpoint
        report = json.loads(capsys.readouterr().out)
        numbers = {"modes": report["modes"], "hq": report["hq"], "reverse_kl": report["reverse_kl"],
                   "loss_d": report["last"]["loss_d"], "loss_g": report["last"]["loss_g"],
                   "wall_s": load_checkpoint(checkpoint)["elapsed"]}
        key = (repr(run_config["optim"]["lr_g"]), run_config["loss"]["kind"])
        expected.setdefault(key, []).append(numbers)
    assert any(n["modes"] > 0 for runs in expected.values() for n in runs)  # not a table of zeros

    with open(out / "results.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["optim.lr_g"], r["loss.kind"]) for r in rows] == [
        ("0.001", "nonsaturating"), ("0.001", "hinge"), ("0.002", "nonsaturating"), ("0.002", "hinge")]
    for row in rows:
        runs = expected[(row["optim.lr_g"], row["loss.kind"])]
        assert (row["seeds"], row["failed"]) == ("2", "0")
        for metric in ("modes", "hq", "reverse_kl", "loss_d", "loss_g", "wall_s"):
            values = [n[metric] for n in runs]
            assert float(row[f"{metric}_mean"]) == pytest.approx((values[0] + values[1]) / 2, rel=1e-9, abs=1e-12)
            assert float(row[f"{metric}_std"]) == pytest.approx(statistics.stdev(values), rel=1e-9, abs=1e-12)
    markdown = (out / "results.md").read_text()
    assert "| optim.lr_g | loss.kind | seeds | failed | modes | hq | reverse_kl |" in markdown
    assert markdown in results[0][0] + results[1][0]  # and printed


@pytest.mark.slow
def test_two_processes_split_the_trials_and_train_each_once(grid_sweep):
    import optuna

    _, out, results = grid_sweep
    ran = [{line.split(":")[0] for line in err.splitlines() if ": trained;" in line} for _, err in results]
    assert ran[0] and ran[1] and not ran[0] & ran[1]
    assert ran[0] | ran[1] == {f.name for f in trial_folders(out)}
    for folder in trial_folders(out):
        assert (folder / "train.log").read_text().count("from step 0 to") == 1
        steps = [json.loads(line)["step"] for line in (folder / "metrics.jsonl").read_text().splitlines()]
        assert steps == sorted(set(steps))
    study = optuna.load_study(study_name="grid", storage=f"sqlite:///{out / 'sweep.db'}")
    states = [t.state.name for t in study.get_trials()]
    assert states.count("COMPLETE") == 8 and "FAIL" not in states


@pytest.mark.slow
def test_a_rerun_skips_finished_trials_and_another_study_reuses_finished_runs(grid_sweep):
    config, out, _ = grid_sweep
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.suffix in (".pt", ".log", ".jsonl")}
    table = (out / "results.csv").read_text()
    command = sweep_command(config, out, *SETS, "--seeds", "0-1", "--steps", str(STEPS))
    start = time.monotonic()
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert time.monotonic() - start < 30
    assert ": trained" not in rerun.stderr and ": resumed" not in rerun.stderr
    other = subprocess.run(command + ["--study", "again"], capture_output=True, text=True, timeout=120)
    assert other.returncode == 0, other.stderr
    assert other.stderr.count(": already finished;") == 8
    assert {p: p.stat().st_mtime_ns for p in before} == before  # nothing trained again
    assert (out / "results.csv").read_text() == table


@pytest.mark.slow
def test_a_killed_sweep_resumes_its_trial_from_the_last_checkpoint(tmp_path):
    config = tmp_path / "tiny.json"
    tiny_ring(**{"train.sample_every": 1000}).save(config)
    out, steps = tmp_path / "killed", 400
    command = sweep_command(config, out, "--steps", str(steps), "--save-every", "10")
    folder = out / "seed=0"
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not run_steps(folder) and time.monotonic() < deadline:
        time.sleep(0.1)
    trainer = json.loads((folder / ".writer.json").read_text())["pid"]  # the trial's train process
    if Path(f"/proc/{trainer}/environ").exists():  # Linux: torch sizes its pool from this, one thread
        assert b"OMP_NUM_THREADS=1\0" in Path(f"/proc/{trainer}/environ").read_bytes()
    os.kill(first.pid, signal.SIGKILL)  # no chance to clean up: the trial stays "running" in the study
    first.wait()
    wait_for_lock(folder)  # the trial's train process, told of its parent's death, checkpoints and exits
    killed_at = run_steps(folder)[-1]
    assert 10 <= killed_at < steps

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert rerun.returncode == 0, rerun.stderr
    assert f"seed=0: resumed from step {killed_at};" in rerun.stderr
    log = (folder / "train.log").read_text()
    assert log.count("from step 0 to") == 1 and f"from step {killed_at} to {steps}" in log
    assert run_steps(folder)[-1] == steps
    steps_logged = [json.loads(line)["step"] for line in (folder / "metrics.jsonl").read_text().splitlines()]
    assert steps_logged == sorted(set(steps_logged)) and steps_logged[-1] == steps
    with open(out / "results.csv") as fh:
        assert [row["seeds"] for row in csv.DictReader(fh)] == ["1"]


def wait_for_lock(folder: Path, timeout: float = 60) -> None:
    lock, deadline = FileLock(folder / LOCK_NAME, timeout=0), time.monotonic() + timeout
    while True:
        try:
            with lock:
                return
        except Timeout:
            assert time.monotonic() < deadline, "the trial's train process outlived its sweep"
            time.sleep(0.2)


@pytest.mark.parametrize("args, message", [
    (["--set", "optim.lr_g"], "--set must be FIELD=VALUE"),
    (["--set", "optim.lr_x=1"], "--set optim.lr_x: unknown field"),
    (["--set", "optim.lr_g=1e-4,-1"], "optim.lr_g must be > 0, got -1.0"),
    (["--set", "loss.kind=hinge,best"], "loss.kind must be one of"),
    (["--set", "train.seed=1,2"], "--seeds"),
    (["--seeds", "4-0"], "--seeds 4-0 runs backwards"),
    (["--seeds", "a"], "--seeds must be seeds >= 0"),
])
def test_bad_grid_is_a_usage_error(tmp_path, capsys, args, message):
    assert main(["sweep", "--preset", "ring-fixed", "--out", str(tmp_path / "s"), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gan-studio: error: ") and message in err
    assert not (tmp_path / "s").exists()


def test_grid_values_names_and_thread_count():
    base = tiny_ring()
    grid = parse_settings(["optim.lr_g=1e-4,2e-4", "discriminator.spectral_norm=true,false",
                           "generator.depth=2,3", "discriminator.depth=2"], base)
    assert grid == {"optim.lr_g": [1e-4, 2e-4], "discriminator.spectral_norm": [True, False],
                    "generator.depth": [2, 3], "discriminator.depth": [2]}
    sweep = Sweep(base, grid, parse_seeds("0-2,7"), steps=5)
    assert sweep.size == 8 * 4
    assert sweep.trial_name(sweep.settings[0], 7) == "lr_g=0.0001,spectral_norm=true,depth=2,seed=7"
    assert sweep.trial_config(sweep.settings[-1], 7).train.seed == 7
    with pytest.raises(ConfigError, match="multiple of discriminator.pack"):
        Sweep(base, parse_settings(["discriminator.pack=1,5"], base), [0], steps=5)
    assert trial_env(1)["OMP_NUM_THREADS"] == "1" and trial_env(1)["MKL_NUM_THREADS"] == "1"
