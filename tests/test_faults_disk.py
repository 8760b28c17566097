"""A full disk or an unwritable folder at each write: training stops (CLI) or pauses (window) with a
message naming what could not be written, where and why; nothing half-written stays behind (no
truncated file, no half metrics line, no temporary file) and the checkpoints written before stay
loadable. Exports and `sample --out` fail the same way, leaving no partial file.

The disk is a real tmpfs where one can be mounted (root), else a byte budget injected into open();
see small_disk.py. The test ids say which ran: [tmpfs] or [injected].
"""
from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import tiny_ring
from small_disk import SmallDisk, budget_env, mode_here
from studio.cli import main
from studio.core import run_loop
from studio.core.atomic import WriteError, append_whole, write_atomic
from studio.core.checkpoints import load_checkpoint
from studio.core.run import RunDirectory
from studio.core.run_loop import RunFailure, RunLoop
from studio.core.trainer import Trainer

REPO = Path(__file__).resolve().parents[1]
MODE = mode_here()
NO_SPACE = os.strerror(errno.ENOSPC)
TRAIN = ["-m", "studio", "train", "--preset", "ring-fixed", "--steps", "20", "--save-every", "10", "--quiet"]


@pytest.fixture(params=[MODE])
def full_disk(request, tmp_path, monkeypatch):
    """A small disk on tmp_path/runs (the window's runs folder too); roomy until a test fills it."""
    disk = SmallDisk(tmp_path / "runs", request.param, monkeypatch, tmp_path)
    yield disk
    disk.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, list[dict]]:
    """The same `train` on a roomy disk, traced: each file it opens for writing and the space in use
    just before. The runs are deterministic, so a test leaves free what the run needs up to the write
    that is to fail, plus part of that write."""
    base = tmp_path_factory.mktemp("reference")
    trace = base / "trace.jsonl"
    env = budget_env(base / "boot", base / "runs", 1 << 40, trace)
    result = subprocess.run([sys.executable, *TRAIN, "--out", str(base / "runs" / "run")], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return base / "runs" / "run", [json.loads(line) for line in trace.read_text().splitlines()]


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory) -> RunDirectory:
    """A small finished run on an ordinary disk: checkpoints, samples and metrics to sample and export."""
    run = RunDirectory(tmp_path_factory.mktemp("finished") / "run")
    RunLoop(Trainer(tiny_ring()), run, 20).run_to_end()
    return run


def leftovers(folder: Path) -> list[str]:
    """Temporary files of atomic writes that were not cleaned up."""
    return [name for _, _, files in os.walk(folder) for name in files if name.endswith(".tmp")]


def metric_steps(run: Path) -> list[int]:
    """Every line of metrics.jsonl parses (no half line), and the file ends in a newline."""
    text = (run / "metrics.jsonl").read_text()
    assert not text or text.endswith("\n"), text[-80:]
    return [json.loads(line)["step"] for line in text.splitlines()]


def checkpoint_steps(run: Path) -> list[int]:
    """Every checkpoint loads."""
    return [load_checkpoint(p)["step"] for p in sorted((run / "checkpoints").glob("step-*.pt"))]


# -- `gan-studio train` on a disk that fills up at a checkpoint, a metrics line, a sample picture ----------------
CASES = {  # the write that fails: (its file in the trace, its mode, its size: a file of the reference or a row)
    "checkpoint": ("checkpoints/step-00000020.pt", "w", "checkpoints/step-00000020.pt"),
    "metrics row": ("metrics.jsonl", "a", 0),
    "sample picture": ("samples/step-00000020.png", "w", "samples/step-00000020.png"),
}
EXPECTED = {  # what the message names, the checkpoints, metric rows and sample pictures that stay
    "checkpoint": ("the checkpoint of step 20", "checkpoints/step-00000020.pt", [10], [10, 20], [0, 20]),
    "metrics row": ("the metrics row of step 10", "metrics.jsonl", [], [], [0]),
    "sample picture": ("the sample picture of step 20", "samples/step-00000020.png", [10], [10, 20], [0]),
}


@pytest.mark.parametrize("case", CASES)
def test_train_stops_with_a_message_when_the_disk_fills_up(full_disk, reference, case):
    ref_run, trace = reference
    file, mode, size_of = CASES[case]
    moment = next(e for e in trace if e["file"] == f"run/{file}" and e["mode"].startswith(mode))
    size = (ref_run / size_of).stat().st_size if isinstance(size_of, str) else \
        len((ref_run / "metrics.jsonl").read_bytes().splitlines(keepends=True)[size_of])
    full_disk.leave_free(full_disk.in_use(moment) + full_disk.part_of(size))
    out = full_disk.root / "run"
    result = subprocess.run([sys.executable, *TRAIN, "--out", str(out)], cwd=REPO, env=full_disk.env(),
                            capture_output=True, text=True, timeout=300)
    what, where, checkpoints, rows, samples = EXPECTED[case]
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"gan-studio: error: Could not write {what} to {out / where}: {NO_SPACE}" in result.stderr
    last = f"The last checkpoint, {out / 'checkpoints/step-00000010.pt'}, is intact" if checkpoints else \
        "No checkpoint has been written yet"
    assert last in result.stderr
    assert checkpoint_steps(out) == checkpoints
    assert metric_steps(out) == rows
    assert leftovers(full_disk.root) == []
    assert sorted(p.name for p in (out / "checkpoints").iterdir()) == \
        [f"step-{s:08d}{ext}" for s in checkpoints for ext in (".json", ".png", ".pt")]  # no orphan sidecars
    assert sorted(p.name for p in (out / "samples").iterdir()) == [f"step-{s:08d}.png" for s in samples]


# -- the engine's pieces on a full disk --------------------------------------------------------------------------
def test_a_metrics_line_that_does_not_fit_is_cut_back_off(full_disk):
    path = full_disk.root / "metrics.jsonl"
    write_atomic(path, b"x" * 3996 + b"\n")  # on tmpfs, 99 bytes of its page are left for the next line
    before = path.read_bytes()
    full_disk.leave_free(full_disk.part_of(100))  # the line runs out of space after its first bytes
    with pytest.raises(WriteError) as failure:
        append_whole(path, json.dumps({"step": 10, "loss": 0.5, "pad": "y" * 200}).encode() + b"\n")
    assert failure.value.filename == str(path) and failure.value.strerror == NO_SPACE
    assert path.read_bytes() == before


@pytest.mark.parametrize("stage", ["fsync", "replace"])
def test_an_atomic_write_that_fails_late_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, stage):
    path = tmp_path / "config.json"
    path.write_text("old\n")

    def full(*args):
        raise OSError(errno.ENOSPC, NO_SPACE)

    monkeypatch.setattr(os, stage, full)
    with pytest.raises(WriteError) as failure:
        write_atomic(path, "new\n")
    assert failure.value.filename == str(path) and failure.value.strerror == NO_SPACE
    monkeypatch.undo()
    assert path.read_text() == "old\n" and leftovers(tmp_path) == []


def test_a_failed_checkpoint_keeps_the_previous_one_and_prunes_nothing(full_disk, monkeypatch):
    loop = RunLoop(Trainer(tiny_ring(**{"train.save_every": 5})), RunDirectory(full_disk.root / "run"), 20,
                   keep_last=1)
    loop.begin()
    loop.advance(max_steps=6)  # a checkpoint at step 5
    previous = loop.latest_checkpoint()
    pruned = []
    monkeypatch.setattr(run_loop, "prune", lambda *args: pruned.append(args))
    full_disk.leave_free(full_disk.part_of(previous.stat().st_size))
    with pytest.raises(RunFailure) as failure:
        loop.save("manual")
    loop.run.close()
    assert failure.value.kind == "save" and NO_SPACE in str(failure.value)
    assert str(failure.value).startswith("Could not write the checkpoint of step 6 to ")
    assert f"The last checkpoint, {previous}, is intact" in str(failure.value)
    assert pruned == [] and checkpoint_steps(loop.run.root) == [5] and leftovers(full_disk.root) == []
    assert sorted(p.name for p in previous.parent.iterdir()) == [previous.stem + e for e in (".json", ".png", ".pt")]


# -- `sample --out` and `export` on a full disk --------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".npy", ".png"])
def test_sample_out_on_a_full_disk_leaves_no_file(full_disk, finished_run, capsys, suffix):
    out = full_disk.root / f"samples{suffix}"
    full_disk.leave_free(full_disk.part_of(8192 * 2 * 4 if suffix == ".npy" else 3000))
    assert main(["sample", str(finished_run.checkpoints()[-1]), "--n", "8192", "--out", str(out)]) == 1
    assert f"gan-studio: error: could not write {out}: {NO_SPACE}" in capsys.readouterr().err
    assert not out.exists() and leftovers(full_disk.root) == []


@pytest.mark.parametrize("option, name", [("--csv", "metrics.csv"), ("--animation", "history.gif")])
def test_export_on_a_full_disk_keeps_the_old_file_whole(full_disk, finished_run, capsys, option, name):
    out = full_disk.root / name
    assert main(["export", str(finished_run.root), option, str(out)]) == 0  # a first export fits
    old = out.read_bytes()
    full_disk.leave_free(full_disk.part_of(len(old)))
    assert main(["export", str(finished_run.root), option, str(out), "--fps", "2"]) == 1
    assert f"gan-studio: error: could not write {out}: {NO_SPACE}" in capsys.readouterr().err
    assert out.read_bytes() == old and leftovers(full_disk.root) == []


# -- a folder that cannot be written to --------------------------------------------------------------------------
def read_only(disk: SmallDisk) -> None:
    if not disk.read_only():
        pytest.skip("root ignores file permissions and no read-only tmpfs could be mounted here")


def test_a_run_folder_gone_read_only_fails_the_step_and_keeps_its_checkpoint(full_disk):
    loop = RunLoop(Trainer(tiny_ring()), RunDirectory(full_disk.root / "run"), 40)
    loop.begin()
    loop.advance(max_steps=10)
    read_only(full_disk)
    with pytest.raises(RunFailure) as failure:
        loop.advance()
    text = str(failure.value)
    assert failure.value.kind == "save" and text.startswith("Could not write the metrics row of step 15 to ")
    assert os.strerror(errno.EROFS if full_disk.mode == "tmpfs" else errno.EACCES) in text
    assert f"The last checkpoint, {loop.latest_checkpoint()}, is intact" in text
    assert checkpoint_steps(loop.run.root) == [10] and metric_steps(loop.run.root) == [5, 10]


@pytest.mark.parametrize("argv", [["sample", "CKPT", "--out", "OUT/s.npy"], ["export", "RUN", "--csv", "OUT/m.csv"]],
                         ids=["sample", "export"])
def test_writing_into_a_read_only_folder_is_an_error_naming_the_file(full_disk, finished_run, capsys, argv):
    read_only(full_disk)
    values = {"CKPT": str(finished_run.checkpoints()[-1]), "RUN": str(finished_run.root)}
    argv = [values.get(a, a.replace("OUT", str(full_disk.root))) for a in argv]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"gan-studio: error: could not write {argv[-1]}: " in err and "Traceback" not in err
    assert not Path(argv[-1]).exists()


# -- the window ----------------------------------------------------------------------------------------------------
def test_the_window_pauses_with_the_message_and_keeps_its_checkpoint(qtbot, make_window, full_disk):
    window = make_window()  # its runs folder is the small disk
    window.start()
    qtbot.waitUntil(lambda: window.counters[0] >= 5, timeout=30000)
    with qtbot.waitSignal(window.controller.saved, timeout=30000) as saved:
        window.save_checkpoint()
    checkpoint = Path(saved.args[0])
    full_disk.leave_free(0)
    qtbot.waitUntil(lambda: window.controller.state == "paused", timeout=60000)
    text = window.controls.error_label.text()
    assert text.startswith("Could not write the metrics row of step ") and NO_SPACE in text
    assert str(window.run_dir / "metrics.jsonl") in text and f"The last checkpoint, {checkpoint}, is intact" in text
    assert "Training is paused" in text and window.isVisible() and not window.controls.error_label.isHidden()
    assert load_checkpoint(checkpoint)["step"] >= 5
    metric_steps(window.run_dir)
    assert leftovers(full_disk.root) == []
    paused_at = window.controller.trainer.step_count
    full_disk.leave_free(4 << 20)  # space freed: Resume trains on
    window.toggle_pause()
    qtbot.waitUntil(lambda: window.counters[0] >= paused_at + 20, timeout=30000)
    window.close()
    assert metric_steps(window.run_dir)[-1] > paused_at
