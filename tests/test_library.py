"""The run library without Qt: sidecars, listing, best and pruning, notes, branch, import, export,
and a training process killed repeatedly (SIGKILL) that leaves a library whose latest checkpoint resumes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from studio.core.checkpoint_meta import (best_checkpoint, list_run_checkpoints, prune, save_trainer_checkpoint,
                                         set_note, sidecar_paths)
from studio.core.checkpoints import CheckpointError, check_checkpoint, load_checkpoint, restore_trainer
from studio.core.export import export_checkpoint
from studio.core.library import RunLibrary, read_run_meta
from studio.core.run import RunDirectory
from studio.core.trainer import Trainer

from helpers import tiny_digits, tiny_ring


def trained(config, steps):
    trainer = Trainer(config)
    for _ in range(steps):
        trainer.step()
    return trainer


def rescore(path: Path, modes: int) -> None:
    """Pretend a checkpoint captured `modes` modes (what the fixed batch would say of a better G)."""
    meta_path, _ = sidecar_paths(path)
    meta = json.loads(meta_path.read_text())
    meta.update(modes=modes, score=[modes, 1.0])
    meta_path.write_text(json.dumps(meta))


def test_saved_checkpoint_is_listed_with_thumbnail_metrics_and_modes(tmp_path):
    trainer = trained(tiny_ring(), 3)
    path = save_trainer_checkpoint(trainer, tmp_path / "run", note="first")
    [info] = list_run_checkpoints(tmp_path / "run")
    assert info.path == path and info.step == 3 and info.note == "first" and info.best
    assert info.thumbnail is not None and info.thumbnail.read_bytes()[:4] == b"\x89PNG"
    assert info.metrics["loss_d"] == pytest.approx(trainer.last_metrics["loss_d"])
    assert info.metrics["total_modes"] == 8 and 0 <= info.metrics["modes"] <= 8
    assert load_checkpoint(path)["step"] == 3


def test_images_have_no_mode_score_and_the_latest_is_best(tmp_path):
    trainer = trained(tiny_digits(), 1)
    save_trainer_checkpoint(trainer, tmp_path / "run")
    trainer.step()
    save_trainer_checkpoint(trainer, tmp_path / "run")
    listed = list_run_checkpoints(tmp_path / "run")
    assert [c.score for c in listed] == [None, None]
    assert best_checkpoint(listed).step == 2 and listed[-1].best and not listed[0].best


def test_prune_keeps_last_k_the_best_and_noted(tmp_path):
    run = tmp_path / "run"
    trainer = Trainer(tiny_ring())
    paths = []
    for _ in range(6):
        trainer.step()
        paths.append(save_trainer_checkpoint(trainer, run))
    for path in paths:
        rescore(path, 1)
    rescore(paths[1], 7)  # step 2 was the best moment
    set_note(paths[0], "before the collapse")
    removed = prune(run, keep_last=2)
    assert [c.step for c in list_run_checkpoints(run)] == [1, 2, 5, 6]
    assert sorted(removed) == [paths[2], paths[3]]
    assert not any(p.exists() for path in removed for p in sidecar_paths(path))
    assert best_checkpoint(list_run_checkpoints(run)).step == 2


def test_listing_ignores_temporary_files_and_stale_or_missing_sidecars(tmp_path):
    run = tmp_path / "run"
    trainer = trained(tiny_ring(), 2)
    save_trainer_checkpoint(trainer, run)
    (run / "checkpoints" / ".step-00000003.pt.abc.tmp").write_bytes(b"half a checkpoint")
    (run / "checkpoints" / "step-00000009.json").write_text('{"step": 9}')  # sidecar without checkpoint
    RunDirectory(run).save_checkpoint(trained(tiny_ring(), 4))  # as older CLI runs and imported files: no sidecars
    meta, _ = sidecar_paths(run / "checkpoints" / "step-00000002.pt")
    meta.write_text("{not json")
    listed = list_run_checkpoints(run)
    assert [(c.step, c.described) for c in listed] == [(2, False), (4, False)]


def test_branch_records_parent_and_keeps_history_up_to_its_step(tmp_path):
    library = RunLibrary(tmp_path / "library")
    parent = library.root / "ring-1"
    run = RunDirectory(parent)
    trainer = Trainer(tiny_ring())
    run.start(trainer.config)
    for _ in range(20):
        row = trainer.step()
        if row["step"] % 5 == 0:
            run.log(row)
        if row["step"] == 10:
            checkpoint = save_trainer_checkpoint(trainer, parent)
    child = library.create_branch(checkpoint, trainer.config.updated({"optim.lr_d": 5e-4}), name="ring-1-branch")
    meta = read_run_meta(child)
    assert meta["parent"] == {"run": str(parent.resolve()), "checkpoint": str(checkpoint.resolve()), "step": 10}
    assert [r["step"] for r in RunDirectory(child).read_metrics()] == [5, 10]
    assert json.loads((child / "config.json").read_text())["optim"]["lr_d"] == 5e-4
    [listed] = [r for r in library.runs() if r.path == child]
    assert listed.parent["step"] == 10


def test_import_refuses_bad_files_and_copies_good_ones(tmp_path):
    library = RunLibrary(tmp_path / "library")
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CheckpointError, match="not a readable checkpoint"):
        library.import_checkpoint(bad)
    assert library.runs() == []
    good = save_trainer_checkpoint(trained(tiny_ring(), 3), tmp_path / "elsewhere")
    exported = export_checkpoint(good, tmp_path / "sent" / "friend.pt")
    run_dir = library.import_checkpoint(exported)
    [info] = list_run_checkpoints(run_dir)
    assert info.step == 3 and info.described and info.thumbnail is not None
    assert read_run_meta(run_dir)["imported_from"] == str(exported.resolve())
    assert not sidecar_paths(exported)[0].exists()  # nothing written beside the user's file


def test_check_checkpoint_reports_a_mismatched_architecture(tmp_path):
    path = save_trainer_checkpoint(trained(tiny_ring(), 1), tmp_path / "run")
    with pytest.raises(CheckpointError, match="does not fit these settings"):
        check_checkpoint(path, tiny_ring(**{"generator.width": 32}))


def test_linked_runs_and_keep_last_setting(tmp_path):
    library = RunLibrary(tmp_path / "library")
    outside = tmp_path / "cli-run"
    save_trainer_checkpoint(trained(tiny_ring(), 1), outside)
    library.add_run(outside)
    library.set_keep_last(3)
    again = RunLibrary(library.root)
    assert [r.path for r in again.runs()] == [outside.resolve()] and again.runs()[0].linked
    assert again.keep_last == 3
    with pytest.raises(FileNotFoundError):
        library.add_run(tmp_path / "nothing-here")


def test_sigkill_mid_run_never_breaks_the_library(tmp_path, qtbot):
    """A CLI training process killed with SIGKILL three times, each right after it wrote something
    new; every time the latest listed checkpoint loads, and the run resumes from it."""
    config = tiny_ring(**{"train.save_every": 3, "train.log_every": 1, "train.sample_every": 2})
    config_path = tmp_path / "config.json"
    config.save(config_path)
    out = tmp_path / "library" / "killed-run"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    resumed_from = []
    for round_ in range(3):
        listed = list_run_checkpoints(out)
        source = ["--resume", str(listed[-1].path)] if listed else ["--config", str(config_path)]
        before = listed[-1].step if listed else 0
        resumed_from.append(before)
        proc = subprocess.Popen([sys.executable, "-m", "studio", "train", *source, "--steps", "1000000",
                                 "--out", str(out), "--quiet", "--save-every", "3"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            # kill at a different moment each round: more checkpoints written each time
            qtbot.waitUntil(lambda: len([p for p in (out / "checkpoints").glob("*.pt")
                                         if int(p.stem[5:]) > before]) > round_ or proc.poll() is not None,
                            timeout=60000)
            assert proc.poll() is None, proc.stderr.read().decode()
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc.stderr.close()
        listed = list_run_checkpoints(out)
        assert listed and listed[-1].step > before
        state = load_checkpoint(listed[-1].path)
        assert state["step"] == listed[-1].step
        rows = RunDirectory(out).read_metrics()
        assert rows and all(isinstance(r["step"], int) for r in rows)
    assert resumed_from == sorted(resumed_from) and resumed_from[-1] > 0
    trainer = restore_trainer(list_run_checkpoints(out)[-1].path)
    start = trainer.step_count
    trainer.step()
    assert trainer.step_count == start + 1 and np.isfinite(trainer.last_metrics["loss_d"])
    assert RunLibrary(tmp_path / "library").runs()[0].last_step == start
