"""Ordinary accidents to a real `gan-studio train` process: signals, a folder that holds another run,
two writers on one folder, resuming in place from an earlier step, an unusable --out, the umask.
Each test checks the message, the exit status and that every earlier checkpoint and metric row is intact."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import tiny_ring
from studio.core.checkpoints import load_checkpoint
from studio.core.export import metrics_csv
from studio.core.run import RunDirectory

ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def run_cli(*args, timeout=120, **kwargs):
    return subprocess.run([sys.executable, "-m", "studio", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=ENV, **kwargs)


def start_training(config: Path, out: Path, *extra) -> subprocess.Popen:
    """A long `train` whose first metric rows are on disk when this returns."""
    proc = subprocess.Popen([sys.executable, "-m", "studio", "train", "--config", str(config), "--steps", "1000000",
                             "--out", str(out), "--quiet", *map(str, extra)],
                            stderr=subprocess.PIPE, text=True, env=ENV)
    deadline = time.monotonic() + 60
    metrics = out / "metrics.jsonl"
    while not (metrics.exists() and metrics.stat().st_size > 0) and proc.poll() is None:
        assert time.monotonic() < deadline, "no metric row within 60 s"
        time.sleep(0.05)  # another process: nothing to wait on but its files
    return proc


def first_checkpoint(proc: subprocess.Popen, out: Path) -> Path:
    """Wait until the training process `proc` has written a checkpoint into `out`; its path."""
    while not list((out / "checkpoints").glob("step-*.pt")):
        assert proc.poll() is None, "the training process ended"
        time.sleep(0.05)  # another process: nothing to wait on but its files
    return sorted((out / "checkpoints").glob("step-*.pt"))[-1]


def finish(proc: subprocess.Popen) -> str:
    try:
        return proc.communicate(timeout=60)[1]
    finally:
        proc.kill()


def assert_run_intact(out: Path) -> list[dict]:
    """Every checkpoint loads and every metric line parses, steps increasing: the run's rows."""
    for path in (out / "checkpoints").glob("step-*.pt"):
        assert load_checkpoint(path)["step"] == int(path.stem.removeprefix("step-"))
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == sorted({r["step"] for r in rows})
    assert not list(out.rglob("*.tmp"))
    return rows


@pytest.fixture
def ring_config(tmp_path):
    path = tmp_path / "ring.json"
    tiny_ring(**{"train.save_every": 50}).save(path)
    return path


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_signal_ends_training_with_one_checkpoint_and_the_shells_status(tmp_path, ring_config, sig):
    out = tmp_path / "run"
    proc = start_training(ring_config, out)
    proc.send_signal(sig)
    stderr = finish(proc)
    assert proc.returncode == 128 + sig, stderr
    assert "Traceback" not in stderr
    step = int(stderr.split(f"stopped by {sig.name} at step ")[1].split(";")[0])
    latest = sorted((out / "checkpoints").glob("step-*.pt"))[-1]
    assert f"checkpoint saved to {latest}" in stderr and load_checkpoint(latest)["step"] == step
    assert assert_run_intact(out)[-1]["step"] <= step


def test_more_signals_while_stopping_do_not_interrupt_the_checkpoint(tmp_path, ring_config):
    """A second Ctrl-C (and a SIGTERM after it) arrive while the run is stopping: noted, not obeyed."""
    out = tmp_path / "run"
    proc = start_training(ring_config, out)
    for sig in (signal.SIGINT, signal.SIGINT, signal.SIGTERM, signal.SIGINT):
        proc.send_signal(sig)
    stderr = finish(proc)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "stopped by SIGINT at step" in stderr
    latest = sorted((out / "checkpoints").glob("step-*.pt"))[-1]
    assert f"checkpoint saved to {latest}" in stderr
    assert_run_intact(out)


def test_a_second_writer_is_refused_while_the_first_trains_and_welcome_after(tmp_path, ring_config):
    out = tmp_path / "run"
    first = start_training(ring_config, out, "--keep-last", "0")  # the checkpoint named stays while it trains
    try:
        latest = first_checkpoint(first, out)
        second = run_cli("train", "--resume", latest, "--steps", "1000000", "--quiet")
        assert second.returncode == 2, second.stderr
        assert f"{out} is being written by another process (pid {first.pid}" in second.stderr
        assert "Traceback" not in second.stderr
    finally:
        first.send_signal(signal.SIGINT)
        finish(first)
    rows = assert_run_intact(out)
    latest = sorted((out / "checkpoints").glob("step-*.pt"))[-1]
    step = load_checkpoint(latest)["step"]
    again = run_cli("train", "--resume", latest, "--steps", step + 5, "--quiet")
    assert again.returncode == 0, again.stderr
    assert assert_run_intact(out)[: len(rows)] == [r for r in rows if r["step"] <= step][: len(rows)]


def test_a_killed_writer_leaves_no_lock_behind(tmp_path, ring_config):
    out = tmp_path / "run"
    proc = start_training(ring_config, out)
    proc.kill()  # SIGKILL: no handler runs
    finish(proc)
    assert (out / ".writer.json").exists()  # the stale note stays, the OS lock does not
    resumed = run_cli("train", "--config", ring_config, "--steps", "5", "--out", tmp_path / "other", "--quiet")
    assert resumed.returncode == 0
    latest = sorted((out / "checkpoints").glob("step-*.pt"))
    if latest:
        result = run_cli("train", "--resume", latest[-1], "--steps", load_checkpoint(latest[-1])["step"] + 5,
                         "--quiet")
    else:  # killed before its first checkpoint: the folder holds a run without one
        result = run_cli("train", "--config", ring_config, "--steps", "5", "--out", out, "--beside", "--quiet")
    assert result.returncode == 0, result.stderr


def test_training_into_a_folder_that_holds_another_run_is_refused(tmp_path, ring_config):
    out = tmp_path / "run"
    assert run_cli("train", "--config", ring_config, "--steps", "100", "--out", out, "--quiet").returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != ".lock"}
    refused = run_cli("train", "--preset", "grid-fixed", "--steps", "5", "--out", out, "--quiet")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert f"{out} already holds another run (2 checkpoint(s), the latest of step 100)" in refused.stderr
    assert f"--resume {out / 'checkpoints' / 'step-00000100.pt'}" in refused.stderr and "--beside" in refused.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != ".lock"} == before

    beside = run_cli("train", "--preset", "grid-fixed", "--steps", "5", "--out", out, "--beside", "--quiet")
    assert beside.returncode == 0, beside.stderr
    assert f"into {out}-2" in beside.stderr and (tmp_path / "run-2" / "checkpoints" / "step-00000005.pt").exists()
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != ".lock"} == before


def test_resuming_in_place_from_an_earlier_step_sets_the_later_history_aside(tmp_path, ring_config):
    out = tmp_path / "run"
    config = tmp_path / "every10.json"
    tiny_ring(**{"train.save_every": 10, "train.log_every": 1}).save(config)
    assert run_cli("train", "--config", config, "--steps", "30", "--out", out, "--quiet",
                   "--keep-last", "0").returncode == 0
    history = RunDirectory(out).read_metrics()
    result = run_cli("train", "--resume", out / "checkpoints" / "step-00000010.pt", "--steps", "25", "--quiet",
                     "--keep-last", "0")
    assert result.returncode == 0, result.stderr
    aside = next((out / "superseded").iterdir())
    assert f"the run's history after step 10 was moved to {aside}" in result.stderr
    assert sorted(p.name for p in (aside / "checkpoints").glob("*.pt")) == ["step-00000020.pt", "step-00000030.pt"]
    assert [json.loads(l) for l in (aside / "metrics.jsonl").read_text().splitlines()] == history[10:]
    rows = assert_run_intact(out)
    assert [r["step"] for r in rows] == list(range(1, 26)) and rows[:10] == history[:10]
    assert sorted(p.name for p in (out / "checkpoints").glob("*.pt")) == ["step-00000010.pt", "step-00000020.pt",
                                                                         "step-00000025.pt"]
    csv = metrics_csv(RunDirectory(out), tmp_path / "m.csv").read_text().splitlines()
    assert [int(line.split(",")[0]) for line in csv[1:]] == list(range(1, 26))


def test_an_out_that_is_a_file_or_unwritable_gets_a_message(tmp_path, ring_config):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine\n")
    result = run_cli("train", "--config", ring_config, "--steps", "5", "--out", a_file, "--quiet")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"--out {a_file} is a file, not a folder" in result.stderr and a_file.read_text() == "mine\n"

    locked = tmp_path / "readonly"
    locked.mkdir()
    if os.geteuid() == 0:  # root writes through permissions: a read-only mount is what stops it
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(locked)]).returncode:
            pytest.skip("root without permission to mount a read-only tmpfs")
    else:
        locked.chmod(0o555)
    try:
        result = run_cli("train", "--config", ring_config, "--steps", "5", "--out", locked / "run", "--quiet")
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", str(locked)])
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"cannot create the run folder {locked / 'run'}" in result.stderr
    assert "Read-only file system" in result.stderr or "Permission denied" in result.stderr


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_run_files_follow_the_users_umask(tmp_path, ring_config, umask):
    out = tmp_path / "run"
    result = run_cli("train", "--config", ring_config, "--steps", "10", "--out", out, "--quiet",
                     preexec_fn=lambda: os.umask(umask))
    assert result.returncode == 0, result.stderr
    files = [p for p in out.rglob("*") if p.is_file() and p.name not in (".lock",)]
    assert {p.suffix for p in files} >= {".pt", ".json", ".jsonl", ".png"}
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {oct(0o666 & ~umask)}


# -- the window ------------------------------------------------------------------
def test_the_window_is_refused_a_folder_that_another_process_trains(qtbot, make_window, tmp_path, ring_config):
    out = tmp_path / "cli-run"
    proc = start_training(ring_config, out, "--save-every", "1")  # a new latest checkpoint at every step
    try:
        first_checkpoint(proc, out)
        window = make_window()
        # refused at once, before a checkpoint is picked: the writer replaces the latest one at every step, and a
        # window that picked one and then found a newer one would branch into a run of its own instead of refusing
        assert not window.open_run(out)
        assert not window.controller.active and window.run_dir is None
        assert f"{out} is being written by another process (pid {proc.pid}" in window.controls.error_label.text()
        assert window.isVisible()
        window.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        stderr = finish(proc)
    assert proc.returncode == 143 and "stopped by SIGTERM" in stderr
    assert_run_intact(out)


def test_sigterm_closes_the_window_and_a_running_trainer_saves(qtbot, make_window):
    from studio.gui.launch import StopSignals

    window = make_window()
    stop_signals = StopSignals(window)
    try:
        window.start()
        qtbot.waitUntil(lambda: window.counters[0] >= 3, timeout=30000)
        run_dir = window.run_dir
        os.kill(os.getpid(), signal.SIGTERM)  # a real signal, to this process
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=30000)
    finally:
        stop_signals.uninstall()
    assert stop_signals.exit_status == 143
    saved = sorted((run_dir / "checkpoints").glob("step-*.pt"))
    assert saved and window.last_checkpoint == str(saved[-1]) and load_checkpoint(saved[-1])["step"] >= 3
    assert not (run_dir / ".writer.json").exists()  # the folder is free again


def test_a_signal_to_the_window_process_exits_with_the_shells_status(tmp_path, ring_config):
    out = tmp_path / "run"
    assert run_cli("train", "--config", ring_config, "--steps", "5", "--out", out, "--quiet").returncode == 0
    env = {**ENV, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "studio", "--run", str(out)], stderr=subprocess.PIPE,
                            text=True, env=env)
    deadline = time.monotonic() + 60
    while not (out / ".writer.json").exists():  # the window's paused trainer holds the folder
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGHUP)
    stderr = finish(proc)
    assert proc.returncode == 128 + signal.SIGHUP, stderr
    assert "Traceback" not in stderr and not (out / ".writer.json").exists()
    assert_run_intact(out)
