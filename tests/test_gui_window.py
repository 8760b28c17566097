"""The studio window, offscreen: controls, the trainer thread, plots, the 2-D plane, validation,
failures, closing mid-run, settings, and the screenshot command."""
from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("pytestqt")


from studio.core import formulas  # noqa: E402
from studio.core.trainer import Trainer  # noqa: E402
from studio.gui import run_controller  # noqa: E402
from studio.gui import worker  # noqa: E402
from helpers import TINY_RING_FORM  # noqa: E402

TIMEOUT = 30000  # ms; generous for a loaded 2-core CI machine (no timing is asserted)

TINY_DIGITS = {"data.n_samples": "200", "generator.width": "8", "discriminator.width": "8",
               "generator.z_dim": "16", "train.batch_size": "16", "train.n_fixed": "16"}


def step_of(window) -> int:
    return window.counters[0]


def params(module) -> list[np.ndarray]:
    return [p.detach().clone().numpy() for p in module.parameters()]


def wait_state(qtbot, window, state):
    qtbot.waitUntil(lambda: window.controller.state == state, timeout=TIMEOUT)


def round_trip(qtbot, window):
    """Wait until the worker has handled every command sent so far (it answers a save)."""
    with qtbot.waitSignal(window.controller.saved, timeout=TIMEOUT):
        window.save_checkpoint()


def test_start_pause_resume_stop(qtbot, make_window):
    window = make_window()
    assert window.controls.start_button.isEnabled()
    window.controls.start_button.click()
    qtbot.waitUntil(lambda: step_of(window) >= 5, timeout=TIMEOUT)
    assert window.controller.state == "running"
    assert window.controls.values["device"].text() == "cpu"

    window.controls.pause_button.click()
    wait_state(qtbot, window, "paused")
    paused_at = step_of(window)
    assert window.controller.trainer.step_count == paused_at
    round_trip(qtbot, window)  # events flow through the worker; no step happens
    assert window.controller.trainer.step_count == paused_at == step_of(window)
    assert window.controls.pause_button.text().endswith("Resume")

    window.controls.pause_button.click()
    qtbot.waitUntil(lambda: step_of(window) > paused_at + 3, timeout=TIMEOUT)

    run_dir = window.run_dir
    window.controls.stop_button.click()
    qtbot.waitUntil(lambda: not window.controller.active, timeout=TIMEOUT)
    assert run_controller.running_threads() == []
    assert window.controls.start_button.isEnabled()
    assert list((run_dir / "checkpoints").glob("step-*.pt"))
    assert (run_dir / "config.json").exists()


def test_space_starts_and_pauses(qtbot, make_window):
    window = make_window()
    window.activateWindow()
    qtbot.waitExposed(window)
    assert window.space_action.shortcut().toString() == "Space"
    assert window.step_action.shortcut().toString() == "S"
    assert window.save_action.shortcut().toString() == "Ctrl+S"
    assert window.fullscreen_action.shortcut().toString() == "F11"
    window.fullscreen_action.trigger()
    assert window.isFullScreen()
    window.fullscreen_action.trigger()
    assert not window.isFullScreen()
    window.space_action.trigger()
    qtbot.waitUntil(lambda: step_of(window) >= 2, timeout=TIMEOUT)
    window.space_action.trigger()
    wait_state(qtbot, window, "paused")
    window.reset()
    qtbot.waitUntil(lambda: not window.controller.active, timeout=TIMEOUT)
    assert step_of(window) == 0 and window.plots.points() == 0


def test_step_d_only_changes_d_not_g(qtbot, make_window):
    window = make_window()
    window.controls.step_button.click()  # opens a paused run and does one iteration
    qtbot.waitUntil(lambda: step_of(window) == 1, timeout=TIMEOUT)
    wait_state(qtbot, window, "paused")
    trainer = window.controller.trainer
    g_before, d_before = params(trainer.g), params(trainer.d)

    with qtbot.waitSignal(window.controller.message, timeout=TIMEOUT,
                          check_params_cb=lambda text: "D only" in text):
        window.controls.step_d_button.click()
    assert all(np.array_equal(a, b) for a, b in zip(g_before, params(trainer.g)))
    assert any(not np.array_equal(a, b) for a, b in zip(d_before, params(trainer.d)))
    assert trainer.step_count == 1

    d_before = params(trainer.d)
    with qtbot.waitSignal(window.controller.message, timeout=TIMEOUT,
                          check_params_cb=lambda text: "G only" in text):
        window.controls.step_g_button.click()
    assert all(np.array_equal(a, b) for a, b in zip(d_before, params(trainer.d)))
    assert any(not np.array_equal(a, b) for a, b in zip(g_before, params(trainer.g)))
    window.close()


def test_live_learning_rate_reaches_the_optimiser(qtbot, make_window):
    window = make_window()
    window.step("both")
    qtbot.waitUntil(lambda: step_of(window) == 1, timeout=TIMEOUT)
    panel = window.settings_panel
    assert not panel.editors["generator.width"].widget.isEnabled()  # structural: locked
    assert panel.lock_hint.isVisible()
    assert panel.editors["optim.lr_d"].widget.isEnabled()  # live

    panel.set_value("optim.lr_d", "0.0005")
    panel.set_value("optim.lr_g", "0.0003")
    window.step("both")
    qtbot.waitUntil(lambda: step_of(window) == 2, timeout=TIMEOUT)
    trainer = window.controller.trainer
    assert trainer.opt_d.param_groups[0]["lr"] == pytest.approx(5e-4)
    assert trainer.opt_g.param_groups[0]["lr"] == pytest.approx(3e-4)
    title = window.plots.plots["loss"].titleLabel.text
    assert "<i>t</i>" not in title
    panel.set_value("loss.label_smoothing", "0.1")  # a live edit that changes D's loss: the plot says so
    assert formulas.d_loss(panel.config.loss.kind, smoothing=0.1) in \
        window.plots.plots["loss"].titleLabel.text
    window.close()
    assert not panel.editors["generator.width"].widget.isEnabled() or not window.controller.active


def test_plots_receive_data(qtbot, make_window):
    window = make_window()
    window.start()
    plots = window.plots
    qtbot.waitUntil(lambda: plots.points() >= 20 and plots.redraws >= 1, timeout=TIMEOUT)
    x, y = plots.curves["loss_d"].getData()
    assert x is not None and len(x) >= 1 and np.isfinite(y).all()
    for metric in ("loss_g", "d_real", "d_fake", "grad_norm_d", "grad_norm_g"):
        assert len(plots.history.column(metric)) == plots.points()
    assert not plots.plots["wasserstein"].isVisible()  # non-saturating loss has no estimate
    assert "D loss" in plots.show_readout(5)
    plots.smoothing.setValue(90)
    plots.log_scale.setChecked(True)
    plots.follow_box.setCurrentIndex(1)
    window.close()


def test_wasserstein_plot_for_wgan(qtbot, make_window):
    window = make_window(changes={**TINY_RING_FORM, "loss.kind": "wgan-gp"})
    window.start()
    qtbot.waitUntil(lambda: window.plots.points() >= 3, timeout=TIMEOUT)
    assert window.plots.plots["wasserstein"].isVisible()
    assert np.isfinite(window.plots.history.column("wasserstein")).all()
    window.close()


def test_auxiliary_loss_is_drawn_beside_the_losses_for_infogan_only(qtbot, make_window):
    window = make_window("digits-infogan", changes=TINY_DIGITS)
    plots = window.plots
    assert not plots.curves["loss_aux"].isVisible() and "λ·L_I" not in plots.plots["loss"].titleLabel.text
    window.start()
    assert plots.curves["loss_aux"].isVisible() and "λ·L_I" in plots.plots["loss"].titleLabel.text
    assert not plots.plots["wasserstein"].isVisible()
    qtbot.waitUntil(lambda: plots.points() >= 3 and plots.redraws >= 1, timeout=TIMEOUT)
    window.controls.stop_button.click()
    qtbot.waitUntil(lambda: not window.controller.active, timeout=TIMEOUT)
    plots.redraw(force=True)
    aux = plots.history.column("loss_aux")
    assert np.isfinite(aux).all() and (aux > 0).all()  # λ·L_I: a cross-entropy plus ½‖c − μ‖²
    _, y = plots.curves["loss_aux"].getData()
    np.testing.assert_array_equal(y, aux)
    assert "λ·L_I" in plots.show_readout(5)
    window.settings_panel.select_preset("digits-dcgan")
    for path, value in TINY_DIGITS.items():
        window.settings_panel.set_value(path, value)
    window.start()  # an unconditional run hides the curve and its legend again
    assert not plots.curves["loss_aux"].isVisible() and "λ·L_I" not in plots.plots["loss"].titleLabel.text
    window.close()


def test_plane_draws_heatmap_points_and_arrows(qtbot, make_window):
    window = make_window()
    window.start()
    plane = window.samples.plane_view
    qtbot.waitUntil(lambda: plane.drawn["heatmap"] >= 2 and plane.drawn["real"] >= 1, timeout=TIMEOUT)
    assert window.samples.stack.currentWidget() is plane
    assert plane.heatmap.image is not None and plane.heatmap.image.dtype == np.uint8
    assert plane.fake.data.size == 64
    assert plane.drawn["arrows"] >= 1 and plane.arrows.getData()[0].size == 64 * 6
    assert plane.drawn["manifold"] >= 1  # z has two dimensions
    assert plane.legend.getLabel(plane._manifold_legend) is not None  # and the legend names it
    assert len(plane.centres.data) == 8
    for key in ("heatmap", "arrows", "manifold"):
        plane.toggles[key].setChecked(False)
    assert not plane.heatmap.isVisible() and not plane.arrows.isVisible() and not plane.manifold.isVisible()
    assert plane.fake.isVisible()
    window.close()


def test_the_plane_grows_where_the_generated_points_leave_it(qtbot, make_window):
    import torch

    window = make_window()
    window.step("both")
    plane = window.samples.plane_view
    qtbot.waitUntil(lambda: plane.drawn["heatmap"] >= 1 and step_of(window) == 1, timeout=TIMEOUT)
    first, drawn = plane.extent, plane.drawn["heatmap"]
    trainer = window.controller.trainer
    with torch.no_grad():  # paused, so the trainer's thread is idle: every point goes far off the plane
        for g in {trainer.g, trainer.sampler}:  # and the EMA copy that draws them
            last = [m for m in g.modules() if isinstance(m, torch.nn.Linear)][-1]
            last.weight.zero_()
            last.bias.fill_(2 * first)
    window.step("both")
    qtbot.waitUntil(lambda: plane.drawn["heatmap"] > drawn and step_of(window) == 2, timeout=TIMEOUT)
    assert plane.extent == pytest.approx(2.2 * first, rel=0.01)  # the points and a 10 % margin
    assert plane.heatmap.width() == 40 and plane.heatmap.mapRectToParent(plane.heatmap.boundingRect()).width() == \
        pytest.approx(2 * plane.extent)  # D's heatmap lies under them
    (x0, x1), _ = plane.plot.viewRange()
    assert x0 < -plane.extent + 0.01 and x1 > plane.extent - 0.01
    window.close()


def test_the_plane_legend_names_a_manifold_only_where_one_is_drawn(qtbot, make_window):
    window = make_window(changes={**TINY_RING_FORM, "generator.z_dim": "8"})
    window.start()
    plane = window.samples.plane_view
    qtbot.waitUntil(lambda: plane.drawn["heatmap"] >= 1, timeout=TIMEOUT)
    assert plane.drawn["manifold"] == 0 and plane.legend.getLabel(plane._manifold_legend) is None
    assert plane.legend.getLabel(plane.fake) is not None
    window.close()


def test_image_grid_for_digits(qtbot, make_window):
    window = make_window(preset="digits-dcgan", changes=TINY_DIGITS)
    window.step("both")
    view = window.samples.grid_view
    qtbot.waitUntil(lambda: view.frames >= 1 and step_of(window) == 1, timeout=TIMEOUT)
    assert window.samples.stack.currentWidget() is view
    image = view.image.image
    assert image.dtype == np.uint8 and image.flags["C_CONTIGUOUS"] and image.shape == (122, 122)
    window.close()


def test_invalid_field_disables_start(qtbot, make_window):
    window = make_window()
    panel = window.settings_panel
    panel.set_value("optim.lr_d", "-0.001")
    editor = panel.editors["optim.lr_d"]
    assert not panel.valid
    assert not window.controls.start_button.isEnabled()
    assert not window.controls.step_button.isEnabled()
    assert editor.error.text() == "optim.lr_d must be > 0, got -0.001"
    assert not editor.error.isHidden() and "optim.lr_d must be > 0" in editor.widget.toolTip()
    window.space_action.trigger()
    assert not window.controller.active

    panel.set_value("optim.lr_d", "fast")
    assert "optim.lr_d must be a number" in editor.error.text()
    panel.set_value("optim.lr_d", "0.001")
    panel.set_value("generator.arch", "dcgan")  # not allowed for 2-D data
    assert not panel.valid and "must be mlp for 2-D data" in panel.editors["generator.arch"].error.text()
    panel.set_value("generator.arch", "mlp")
    assert panel.valid and editor.error.isHidden()
    assert window.controls.start_button.isEnabled()
    assert panel.editors["optim.lr_d"].widget.toolTip().startswith("optim.lr_d: learning rate of D")


def test_g_steps_is_a_live_field_of_the_settings_form(qtbot, make_window):
    window = make_window()
    editor = window.settings_panel.editors["optim.g_steps"]
    assert editor.live and editor.label.text() == "g steps ⚡"
    assert editor.widget.toolTip().startswith("optim.g_steps: G updates per step")
    window.settings_panel.set_value("optim.g_steps", "4")
    assert window.settings_panel.config.optim.g_steps == 4
    window.settings_panel.set_value("optim.g_steps", "0")
    assert "optim.g_steps must be >= 1" in editor.error.text()
    window.close()


class BuggyTrainer(Trainer):
    """A trainer with a bug that shows at step 4 (once): the window must survive its exception."""

    def step(self):
        if self.step_count == 3 and not getattr(self, "failed_once", False):
            self.failed_once = True
            raise RuntimeError("boom in the trainer")
        return super().step()


def test_a_trainer_bug_pauses_with_a_message_and_training_goes_on(qtbot, make_window, monkeypatch):
    monkeypatch.setattr(worker, "Trainer", BuggyTrainer)
    window = make_window()
    window.start()
    qtbot.waitUntil(lambda: bool(window.last_error), timeout=TIMEOUT)
    wait_state(qtbot, window, "paused")
    text = window.controls.error_label.text()
    assert "step 4" in text and "boom in the trainer" in text
    assert not window.controls.error_label.isHidden()
    assert window.controller.trainer.step_count == 3  # the three good steps are kept
    window.toggle_pause()  # still usable: resume trains on
    qtbot.waitUntil(lambda: step_of(window) >= 6, timeout=TIMEOUT)
    window.close()


def test_a_diverging_config_pauses_with_a_message_naming_the_step(qtbot, make_window):
    """SGD at a learning rate of 10 really diverges within a few steps."""
    window = make_window(changes={**TINY_RING_FORM, "optim.name": "sgd", "optim.lr_d": "10", "optim.lr_g": "10"})
    window.start()
    qtbot.waitUntil(lambda: bool(window.last_error), timeout=TIMEOUT)
    wait_state(qtbot, window, "paused")
    text = window.controls.error_label.text()
    step = window.controller.trainer.step_count + 1  # the failing step is not counted
    assert f"is nan at step {step};" in text and "lower learning rate" in text
    assert window.statusBar().currentMessage() == text
    window.close()


def test_close_mid_run_ends_thread_and_saves(qtbot, make_window):
    window = make_window()
    window.start()
    qtbot.waitUntil(lambda: step_of(window) >= 3, timeout=TIMEOUT)
    thread = window.controller.thread
    run_dir = window.run_dir
    window.close()
    assert thread.isFinished()
    assert run_controller.running_threads() == []
    saved = list((run_dir / "checkpoints").glob("step-*.pt"))
    assert saved and window.last_checkpoint == str(saved[-1])
    from studio.core.checkpoints import load_checkpoint
    assert load_checkpoint(saved[-1])["step"] >= 3


def test_window_state_and_last_preset_are_remembered(qtbot, make_window):
    first = make_window(preset="grid-fixed", changes={}, settings_name="shared.ini")
    first.close()
    second = make_window(preset=None, changes={}, settings_name="shared.ini")
    assert second.settings_panel.preset() == "grid-fixed"
    assert second.qsettings.value("window_state") is not None
    second.close()


@pytest.mark.parametrize("panel", [None, "plots"])
def test_screenshot_command(tmp_path, capsys, qapp, panel):
    from studio import cli

    out = tmp_path / "shot.png"
    argv = ["screenshot", "--preset", "ring-fixed", "--steps", "12", "--out", str(out)]
    if panel:
        argv += ["--panel", panel]
    assert cli.main(argv) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    report = json.loads(lines[-1])
    assert report["steps"] == 12
    assert report["gui_steps_per_s"] > 0
    assert report["ui_stall_p99_ms"] >= 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image
    with Image.open(out) as im:
        assert (im.width >= 1000) == (panel is None)


def test_a_run_that_cannot_start_reports_and_ends(qtbot, make_window, tmp_path):
    window = make_window(changes={**TINY_RING_FORM, "data.name": f"folder:{tmp_path / 'no-such-folder'}"})
    window.start()
    qtbot.waitUntil(lambda: not window.controller.active and bool(window.last_error), timeout=TIMEOUT)
    assert "could not start the run" in window.controls.error_label.text()
    assert "no-such-folder" in window.controls.error_label.text()
    assert window.controls.start_button.isEnabled()
    assert not window.settings_panel.lock_hint.isVisible() or window.settings_panel.lock_hint.isHidden()
    assert window.settings_panel.editors["generator.width"].widget.isEnabled()


def test_choosing_a_preset_loads_all_of_it(qtbot, make_window):
    from studio.core.presets import load_preset

    window = make_window(changes={})
    window.settings_panel.select_preset("digits-dcgan")
    assert window.settings_panel.config.to_dict() == load_preset("digits-dcgan").to_dict()
    assert window.samples.stack.currentWidget() is window.samples.grid_view
    window.settings_panel.select_preset("grid-fixed")
    assert window.settings_panel.config.to_dict() == load_preset("grid-fixed").to_dict()
    assert len(window.samples.plane_view.centres.data) == 25


def test_garbage_cycles_are_collected_in_the_gui_thread_while_a_trainer_runs(qtbot, make_window):
    """A cyclic collection in the trainer thread would destroy the Qt objects of a closed window there (seen
    as a hang in ~QObject): while worker threads run, only the GUI thread collects."""
    import gc
    import threading

    collected_in, all_collected = [], threading.Event()

    class Cycle:
        def __init__(self):
            self.me = self

        def __del__(self):
            collected_in.append(threading.current_thread().name)
            if len(collected_in) == 20:
                all_collected.set()

    window = make_window()
    window.start()
    qtbot.waitUntil(lambda: step_of(window) >= 3, timeout=TIMEOUT)
    assert not gc.isenabled()  # Python's thresholds would collect in whichever thread allocates
    for _ in range(20):
        Cycle()  # garbage only a cyclic collection frees
    qtbot.waitUntil(all_collected.is_set, timeout=TIMEOUT)  # the GUI thread's timer collects it
    assert set(collected_in) == {threading.main_thread().name}
    window.close()
