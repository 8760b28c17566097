"""The checkpoint browser in the window, offscreen: autosave and pruning, resume, branch, compare,
bad files, a failing disk, `--run`-style opening, and the screenshot of the panel."""
from __future__ import annotations

import errno
import json

import numpy as np
import pytest

pytest.importorskip("pytestqt")


from studio.core.checkpoints import load_checkpoint  # noqa: E402
from studio.core.checkpoint_meta import list_run_checkpoints, save_trainer_checkpoint  # noqa: E402
from studio.core.library import read_run_meta  # noqa: E402
from studio.core.run import RunDirectory  # noqa: E402
from studio.core.trainer import Trainer  # noqa: E402
from studio.core import run_loop  # noqa: E402
from helpers import TINY_RING_FORM  # noqa: E402

TIMEOUT = 30000  # ms; generous for a loaded 2-core machine (no timing is asserted)
TINY_RING = {**TINY_RING_FORM, "train.save_every": "10", "train.log_every": "5"}


def train_until(qtbot, window, step):
    if not window.controller.active:
        window.start()
    else:
        window.controller.resume()
    qtbot.waitUntil(lambda: window.counters[0] >= step, timeout=TIMEOUT)


def stop(qtbot, window):
    window.stop()
    qtbot.waitUntil(lambda: not window.controller.active, timeout=TIMEOUT)


def listed_steps(window) -> list[int]:
    return sorted(c.step for c in window.checkpoints.checkpoints)


def test_autosave_lists_checkpoints_with_thumbnails_and_prunes(qtbot, make_window):
    window = make_window(changes=TINY_RING)
    window.checkpoints.keep_spin.setValue(2)  # as a person sets it: the library remembers, the run prunes
    assert window.library.keep_last == 2
    train_until(qtbot, window, 45)
    window.controller.pause()
    qtbot.waitUntil(lambda: window.controller.state == "paused", timeout=TIMEOUT)
    paused_at = window.counters[0]
    qtbot.waitUntil(lambda: paused_at in listed_steps(window), timeout=TIMEOUT)  # saved on pause
    panel = window.checkpoints
    assert panel.current_run == window.run_dir
    autosaved = [s for s in listed_steps(window) if s % 10 == 0]
    best = [c for c in panel.checkpoints if c.best]
    assert len(best) == 1
    kept = set(sorted(c.step for c in panel.checkpoints)[-2:]) | {best[0].step}
    assert set(listed_steps(window)) == kept and autosaved
    assert all(c.thumbnail is not None and c.thumbnail.stat().st_size > 0 for c in panel.checkpoints)
    item = panel.table.topLevelItem(0)
    assert not item.icon(0).isNull()
    assert panel.runs.topLevelItemCount() == 1
    stop(qtbot, window)


def test_resume_continues_step_count_and_history(qtbot, make_window):
    window = make_window(changes=TINY_RING)
    train_until(qtbot, window, 25)
    stop(qtbot, window)
    run_dir = window.run_dir
    latest = list_run_checkpoints(run_dir)[-1]
    history = RunDirectory(run_dir).read_metrics()
    assert history[-1]["step"] <= latest.step

    assert window.resume_from(latest.path, paused=True)
    qtbot.waitUntil(lambda: window.controller.trainer is not None and window.checkpoints.run_active, timeout=TIMEOUT)
    assert window.run_dir == run_dir
    trainer = window.controller.trainer
    assert trainer.step_count == latest.step == window.counters[0]
    assert window.plots.points() == len([r for r in history if r["step"] <= latest.step])
    assert window.controls.pause_button.text().endswith("Resume")
    window.toggle_pause()
    qtbot.waitUntil(lambda: window.counters[0] >= latest.step + 12, timeout=TIMEOUT)
    stop(qtbot, window)
    steps = [r["step"] for r in RunDirectory(run_dir).read_metrics()]
    assert steps == sorted(set(steps)) and steps[0] == 5 and steps[-1] > latest.step
    assert all(b - a == 5 for a, b in zip(steps, steps[1:]))  # no gap, no repeat at the resume
    assert load_checkpoint(list_run_checkpoints(run_dir)[-1].path)["step"] > latest.step


def test_branch_records_parent_with_edited_settings(qtbot, make_window):
    window = make_window(changes=TINY_RING)
    train_until(qtbot, window, 12)
    stop(qtbot, window)
    parent_run = window.run_dir
    source = [c for c in list_run_checkpoints(parent_run) if c.step == 10][0]
    window.checkpoints.select_checkpoints(source.path)
    with qtbot.waitSignal(window.checkpoints.branch_requested):
        window.checkpoints.buttons["branch"].click()
    assert "Branch from" in window.checkpoints.banner.text()
    window.settings_panel.set_value("optim.lr_d", "0.0007")
    window.start()
    qtbot.waitUntil(lambda: window.counters[0] >= 14, timeout=TIMEOUT)
    child = window.run_dir
    assert child != parent_run
    trainer = window.controller.trainer
    assert trainer.opt_d.param_groups[0]["lr"] == pytest.approx(7e-4)
    stop(qtbot, window)
    meta = read_run_meta(child)
    assert meta["parent"]["step"] == 10 and meta["parent"]["checkpoint"] == str(source.path.resolve())
    assert json.loads((child / "config.json").read_text())["optim"]["lr_d"] == pytest.approx(7e-4)
    assert RunDirectory(child).read_metrics()[0]["step"] == 5  # the parent's history up to step 10
    runs = {r.path: r for r in window.library.runs()}
    assert runs[child].parent["run"] == str(parent_run.resolve())


def test_bad_files_show_a_message_and_the_app_keeps_working(qtbot, make_window, tmp_path):
    window = make_window(changes=TINY_RING)
    panel = window.checkpoints
    corrupt = tmp_path / "corrupt.pt"
    corrupt.write_bytes(b"\x00" * 100)
    assert panel.import_file(corrupt) is None
    assert panel.banner.text().startswith("Not imported: ") and "corrupt.pt" in panel.banner.text()
    assert not panel.banner.isHidden()

    good = save_trainer_checkpoint(Trainer(window.settings_panel.config), tmp_path / "other" / "run")
    data = good.read_bytes()
    truncated = tmp_path / "runs" / "cut" / "checkpoints" / good.name
    truncated.parent.mkdir(parents=True)
    truncated.write_bytes(data[:len(data) // 2])
    assert not window.resume_from(truncated)
    assert "truncated or corrupt" in panel.banner.text()
    assert not window.controller.active

    window.settings_panel.set_value("generator.width", "24")  # the file was made with width 16
    assert window.branch_from(good)
    window.settings_panel.set_value("generator.width", "24")
    assert not window.run_commands.begin_run(paused=False)
    assert "does not fit these settings" in panel.banner.text()

    panel.refresh(select=truncated.parent.parent)  # listing the cut file marks it, no traceback
    qtbot.waitUntil(lambda: "⚠" in panel.table.topLevelItem(0).text(3), timeout=TIMEOUT)
    window.settings_panel.set_value("generator.width", "16")
    train_until(qtbot, window, 3)  # still usable
    stop(qtbot, window)


def test_a_failing_disk_pauses_training_with_a_message(qtbot, make_window, monkeypatch):
    window = make_window(changes=TINY_RING)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(run_loop, "save_trainer_checkpoint", disk_full)
    window.start()
    qtbot.waitUntil(lambda: bool(window.last_error), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.controller.state == "paused", timeout=TIMEOUT)
    assert "No space left on device" in window.controls.error_label.text()
    assert "Training is paused at step 10" in window.checkpoints.banner.text()
    assert window.controller.trainer.step_count == 10
    monkeypatch.undo()  # space freed: saving and training go on
    with qtbot.waitSignal(window.controller.saved, timeout=TIMEOUT):
        window.save_now("after the disk was full")
    assert [c.note for c in list_run_checkpoints(window.run_dir)] == ["after the disk was full"]
    train_until(qtbot, window, 15)
    stop(qtbot, window)


def test_compare_two_checkpoints_side_by_side(qtbot, make_window):
    window = make_window(changes=TINY_RING)
    train_until(qtbot, window, 22)
    stop(qtbot, window)
    panel = window.checkpoints
    first, second = panel.checkpoints[0], panel.checkpoints[1]
    panel.select_checkpoints(first.path, second.path)
    assert panel.buttons["compare"].isEnabled() and not panel.buttons["resume"].isEnabled()
    dialog = panel.compare_selected()
    qtbot.addWidget(dialog)
    assert all(not label.pixmap().isNull() for label in dialog.images)
    rows = [dialog.table.verticalHeaderItem(i).text() for i in range(dialog.table.rowCount())]
    assert "modes captured" in rows and "D loss" in rows
    assert dialog.table.horizontalHeaderItem(0).text() == f"step {first.step}"
    dialog.close()


def test_open_run_from_the_cli_with_notes_filter_export_and_delete(qtbot, make_window, tmp_path):
    from studio import cli

    config = tmp_path / "tiny.json"
    from helpers import tiny_ring

    tiny_ring(**{"train.save_every": 5}).save(config)
    out = tmp_path / "cli-run"
    assert cli.main(["train", "--config", str(config), "--steps", "15", "--out", str(out), "--quiet"]) == 0
    window = make_window(changes=TINY_RING)
    assert window.open_run(out)
    qtbot.waitUntil(lambda: window.controller.trainer is not None and window.checkpoints.run_active, timeout=TIMEOUT)
    assert window.controller.trainer.step_count == 15 and window.run_dir == out
    panel = window.checkpoints
    assert [r.path for r in window.library.runs()] == [out.resolve()]
    qtbot.waitUntil(lambda: all(c.thumbnail for c in panel.checkpoints), timeout=TIMEOUT)  # described lazily
    stop(qtbot, window)

    panel.write_note(out / "checkpoints" / "step-00000010.pt", "looked best")
    panel.filter_edit.setText("best")
    assert panel.visible_steps() == [10]
    panel.filter_edit.setText("")
    assert sorted(panel.visible_steps()) == [5, 10, 15]
    panel.select_checkpoints(out / "checkpoints" / "step-00000010.pt")
    assert panel.export(out / "checkpoints" / "step-00000010.pt", tmp_path / "shared" / "sent.pt")
    assert load_checkpoint(tmp_path / "shared" / "sent.pt")["step"] == 10
    panel.delete([out / "checkpoints" / "step-00000005.pt"])
    assert listed_steps(window) == [10, 15]


def test_screenshot_of_the_library_panel(tmp_path, capsys, qapp):
    from studio import cli

    out = tmp_path / "checkpoints.png"
    assert cli.main(["screenshot", "--preset", "ring-fixed", "--steps", "20", "--out", str(out),
                     "--panel", "checkpoints"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["panel"] == "checkpoints" and report["steps"] == 20
    from PIL import Image
    with Image.open(out) as im:
        pixels = np.asarray(im.convert("L"))
    assert pixels.std() > 10  # not a blank grab


def test_open_in_explorer_shows_the_image_of_g_loaded_from_the_file(qtbot, make_window):
    import torch
    from helpers import tiny_digits

    from studio.core.checkpoints import load_generator
    from studio.core.render import image_grid

    window = make_window(changes={})
    trainer = Trainer(tiny_digits())
    trainer.step()
    path = save_trainer_checkpoint(trainer, window.runs_root / "digits-run")
    panel = window.checkpoints
    panel.refresh(select=path.parent.parent)
    panel.select_checkpoints(path)
    assert panel.buttons["explore"].isEnabled()
    panel.buttons["explore"].click()
    latent = window.latent
    qtbot.waitUntil(lambda: latent.last_picture is not None and latent.step == 1 and
                    latent.shown_stamp == latent.requested_stamp, timeout=TIMEOUT)
    g, _, _ = load_generator(path)
    with torch.no_grad():
        expected = image_grid(g(torch.from_numpy(latent.current_z()[None]).float()).numpy(), ncol=1, pad=0)
    assert latent.last_picture.shape == expected.shape
    assert np.abs(latent.last_picture.astype(int) - expected.astype(int)).max() <= 1
