"""The window attached to a run another process writes: it follows live, draws checkpoints,
never writes into the folder, and skips a half-written last line."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from PIL import Image  # noqa: E402

from helpers import tiny_digits, tiny_ring  # noqa: E402
from studio.core.run import RunDirectory  # noqa: E402
from studio.core.run_loop import RunLoop  # noqa: E402
from studio.core.trainer import Trainer  # noqa: E402

TIMEOUT = 60000  # ms; a loaded 2-core CI machine starts a CLI process slowly (no timing is asserted)


@pytest.fixture
def live_run(tmp_path):
    """A background `python -m studio train` writing a tiny ring run; killed at teardown."""
    config = tmp_path / "tiny.json"
    tiny_ring(**{"train.log_every": 1, "train.sample_every": 20, "train.save_every": 40}).save(config)
    out = tmp_path / "live"
    proc = subprocess.Popen([sys.executable, "-m", "studio", "train", "--config", str(config), "--steps", "1000000",
                             "--out", str(out), "--quiet"], stderr=subprocess.DEVNULL)
    yield out
    proc.kill()
    proc.wait(timeout=60)


def finished_run(path, config, steps):
    RunLoop(Trainer(config), RunDirectory(path), steps).run_to_end()
    return path


def snapshot(folder):
    """Every path under `folder` with its size and modification time (the folder's own included)."""
    return {(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in [folder, *folder.rglob("*")]}


def test_follows_a_live_cli_run(qtbot, make_window, live_run):
    window = make_window(changes={})
    qtbot.waitUntil(live_run.is_dir, timeout=TIMEOUT)
    assert window.attach(live_run)
    attachment = window.attachment
    assert not window.controls.start_button.isEnabled() and not window.controls.step_button.isEnabled()
    assert not window.space_action.isEnabled()

    shown: list[int] = []

    def advanced_twice() -> bool:
        step = window.counters[0]
        if step and (not shown or step != shown[-1]):
            shown.append(step)
        return len(shown) >= 3

    qtbot.waitUntil(advanced_twice, timeout=TIMEOUT)
    assert shown == sorted(shown)
    assert "Attached to live (read-only, following)" in window.windowTitle()
    assert f"step {shown[-1]:,}" in window.windowTitle() or window.counters[0] > shown[-1]

    # a checkpoint appears in the browser, and the plane and mode coverage are drawn from it
    qtbot.waitUntil(lambda: len(window.checkpoints.checkpoints) >= 1 and attachment.rendered_step is not None,
                    timeout=TIMEOUT)
    assert window.checkpoints.current_run.resolve() == live_run.resolve()
    qtbot.waitUntil(lambda: window.samples.last_frame is not None and window.samples.last_frame["kind"] == "plane",
                    timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.coverage.updates >= 1, timeout=TIMEOUT)
    assert window.coverage.track.steps[-1] == attachment.rendered_step
    assert window.plots.points() >= 3

    window.start()  # someone else's run: nothing trains here
    assert not window.controller.active
    window.close()
    assert window.attachment is None and not attachment.running
    # the browser wrote no thumbnails or notes beside the writer's checkpoints: the writer writes each
    # checkpoint's sidecars before the checkpoint itself, so none is newer than its checkpoint
    # (the writer goes on meanwhile: one listing, and files it prunes or has not finished are allowed for)
    written = {}
    for path in (live_run / "checkpoints").iterdir():
        try:
            written[path.name] = path.stat().st_mtime_ns
        except FileNotFoundError:
            continue  # pruned while listed
    finished = {name: t for name, t in written.items() if not re.fullmatch(r"\..+\.tmp", name)}  # the writer's atomic writes
    assert all(re.fullmatch(r"step-\d{8}\.(pt|json|png)", name) for name in finished), sorted(written)
    written = finished
    assert all(written[side] <= written[name] for name in written if name.endswith(".pt")
               for side in (name[:-3] + ".json", name[:-3] + ".png") if side in written)


def test_a_finished_run_shows_its_last_step_and_stays_untouched(qtbot, make_window, tmp_path):
    run_dir = finished_run(tmp_path / "done", tiny_ring(**{"train.save_every": 20}), 60)
    before = snapshot(run_dir)
    window = make_window(changes={})
    assert window.attach(run_dir)
    attachment = window.attachment
    qtbot.waitUntil(lambda: attachment.is_settled, timeout=TIMEOUT)
    assert window.counters[0] == 60 and attachment.rendered_step == 60
    window.samples.draw_pending()
    assert window.samples.last_frame["kind"] == "plane" and window.samples.last_frame["step"] == 60
    assert window.plots.points() == 60 // 5

    panel = window.checkpoints
    assert [c.step for c in panel.checkpoints] == [20, 40, 60]
    items = [panel.table.topLevelItem(i) for i in range(panel.table.topLevelItemCount())]
    assert all(not item.icon(0).isNull() for item in items)  # thumbnails drawn in memory, none written
    panel.select_checkpoints(panel.checkpoints[-1].path)
    assert panel.buttons["branch"].isEnabled() and panel.buttons["explore"].isEnabled()
    assert not panel.buttons["resume"].isEnabled() and not panel.buttons["note"].isEnabled()
    assert not panel.buttons["delete"].isEnabled()
    window.explore_checkpoint(str(panel.checkpoints[-1].path))
    assert window.docks["latent"].isVisible()

    # branching leaves the attached run: the new run trains in the library, the folder stays as it was
    assert window.branch_from(panel.checkpoints[-1].path)
    assert window.attachment is None and not attachment.running
    assert window.controls.start_button.isEnabled()
    window.start()
    qtbot.waitUntil(lambda: window.counters[0] > 60, timeout=TIMEOUT)
    assert window.run_dir.parent == tmp_path / "runs"
    window.close()
    assert snapshot(run_dir) == before


def test_a_half_written_last_line_waits_for_its_end(qtbot, make_window, tmp_path):
    run_dir = tmp_path / "partial"
    run_dir.mkdir()
    tiny_ring().save(run_dir / "config.json")
    rows = [{"step": s, "time": s / 100, "loss_d": 1.3, "loss_g": 0.7, "d_real": 0.5, "d_fake": 0.5}
            for s in (10, 20, 30)]
    metrics = run_dir / "metrics.jsonl"
    metrics.write_text("".join(json.dumps(r) + "\n" for r in rows) + '{"step": 40, "time": 0.4, "loss_d": 1.')
    window = make_window(changes={})
    assert window.attach(run_dir)
    qtbot.waitUntil(lambda: window.attachment.is_settled, timeout=TIMEOUT)
    assert window.counters[0] == 30
    window.plots.redraw(force=True)
    assert list(window.plots.history.x()) == [10, 20, 30]
    assert np.isfinite(window.plots.history.column("loss_d")).all()

    with open(metrics, "a") as fh:
        fh.write('25, "loss_g": 0.75, "d_real": 0.5, "d_fake": 0.5}\n')
    qtbot.waitUntil(lambda: window.counters[0] == 40, timeout=TIMEOUT)
    assert list(window.plots.history.x()) == [10, 20, 30, 40]
    assert window.plots.history.column("loss_d")[-1] == 1.25
    window.close()


def test_an_image_run_shows_its_newest_grid_and_class_coverage(qtbot, make_window, tmp_path,
                                                                quick_digit_classifier):
    run_dir = finished_run(tmp_path / "digits", tiny_digits(), 20)
    window = make_window(preset="digits-dcgan", changes={})
    assert window.attach(run_dir)
    qtbot.waitUntil(lambda: window.attachment.is_settled and window.samples.frames >= 1, timeout=TIMEOUT)
    assert window.samples.stack.currentWidget() is window.samples.grid_view
    with Image.open(run_dir / "samples" / "step-00000020.png") as im:
        assert np.array_equal(window.samples.grid_view.image.image, np.asarray(im))
    assert "step 20" in window.samples.grid_view.title.text()
    # every checkpoint's digits reach the evaluator, in step order, none dropped while it was busy
    qtbot.waitUntil(lambda: window.coverage.latest is not None and window.coverage.latest["step"] == 20,
                    timeout=TIMEOUT)
    assert [r["step"] for r in window.coverage.classes_view.history] == [10, 20]
    assert 0 <= window.coverage.latest["classes"] <= 10  # a 5-step classifier is sure of no digit: 0 counts
    window.close()


def test_attach_to_a_missing_folder_says_so(make_window, tmp_path):
    window = make_window(changes={})
    assert not window.attach(tmp_path / "nowhere")
    assert window.attachment is None and "is not a run directory" in window.statusBar().currentMessage()
    assert window.controls.start_button.isEnabled()
    window.close()


def test_screenshot_attached_command(tmp_path, capsys, qapp):
    from studio import cli

    run_dir = finished_run(tmp_path / "done", tiny_ring(**{"train.save_every": 20}), 40)
    before = snapshot(run_dir)
    out = tmp_path / "attached.png"
    assert cli.main(["screenshot", "--attach", str(run_dir), "--out", str(out), "--panel", "plots"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    report = json.loads(lines[-1])
    assert report["steps"] == 40 and report["run_dir"] == str(run_dir) and report["checkpoint_drawn"] == 40
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert snapshot(run_dir) == before
