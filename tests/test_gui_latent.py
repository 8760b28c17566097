"""The latent explorer panel, offscreen: sliders drive G through the render thread, stale frames are
dropped, a checkpoint drives it without training, and a click on a Samples cell loads its z."""
from __future__ import annotations

import threading

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, QPointF, QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from helpers import tiny_digits, tiny_ring  # noqa: E402
from studio.core.checkpoints import CheckpointError, save_checkpoint  # noqa: E402
from studio.core.latent import LatentRenderer, interpolation_path, weights_snapshot  # noqa: E402
from studio.core.render import image_grid  # noqa: E402
from studio.core.trainer import Trainer  # noqa: E402
from studio.gui.latent_panel import LatentPanel  # noqa: E402

TIMEOUT = 30000  # ms; generous for a loaded 2-core machine (no timing is asserted)


@pytest.fixture(scope="module")
def trained() -> Trainer:
    trainer = Trainer(tiny_digits())
    for _ in range(3):
        trainer.step()
    return trainer


def direct_picture(trainer: Trainer, z: np.ndarray) -> np.ndarray:
    import torch

    return image_grid(trainer.generate(torch.from_numpy(z[None].astype(np.float32))), ncol=1, pad=0)


def feed_live(panel: LatentPanel, trainer: Trainer) -> None:
    panel.set_live_config(trainer.config)
    panel.set_fixed_noise(trainer.fixed_noise.numpy())
    panel.set_live_weights({"step": trainer.step_count, "weights": weights_snapshot(trainer.sampler)})


def wait_frame(qtbot, panel: LatentPanel) -> None:
    qtbot.waitUntil(lambda: panel.requested_stamp and panel.shown_stamp == panel.requested_stamp, timeout=TIMEOUT)


@pytest.fixture
def panel(latent_panel):
    return latent_panel()


def test_the_picture_for_a_slider_setting_is_g_of_that_z(qtbot, panel, trained):
    feed_live(panel, trained)
    qtbot.waitUntil(lambda: panel.directions is not None, timeout=TIMEOUT)
    panel.dim_sliders[0].slider.setValue(150)  # z[0] = 1.5, as a drag would
    panel.direction_sliders[1].slider.setValue(-80)
    panel.psi.slider.setValue(70)
    wait_frame(qtbot, panel)
    expected_z = 0.7 * (panel.z + -0.8 * panel.directions[1])
    assert panel.z[0] == pytest.approx(1.5)
    assert panel.dim_sliders[0].value_label.text() == "+1.50"
    np.testing.assert_allclose(panel.current_z(), expected_z, atol=1e-6)
    assert np.abs(panel.last_picture.astype(int) - direct_picture(trained, expected_z)).max() <= 1


def test_random_keeps_locked_dimensions_and_zero_resets(qtbot, panel, trained):
    feed_live(panel, trained)
    panel.dim_sliders[0].slider.setValue(120)
    panel.dim_sliders[0].lock.setChecked(True)
    panel.randomise()
    assert panel.z[0] == pytest.approx(1.2) and panel.dim_sliders[0].value() == pytest.approx(1.2)
    panel.zero()
    assert not panel.z.any()
    wait_frame(qtbot, panel)


class SlowRenderer(LatentRenderer):
    """Holds its first picture until the test releases it, so that newer requests pile up meanwhile."""

    started = threading.Event()
    release = threading.Event()

    def picture(self, z):
        if not SlowRenderer.started.is_set():
            SlowRenderer.started.set()
            SlowRenderer.release.wait(10)
        return super().picture(z)


def test_stale_results_are_dropped_and_only_the_newest_request_is_shown(qtbot, trained):
    SlowRenderer.started.clear()
    SlowRenderer.release.clear()
    panel = LatentPanel(renderer_factory=SlowRenderer, keep_up_s=None)
    qtbot.addWidget(panel)
    panel.show()
    try:
        feed_live(panel, trained)
        first = panel.requested_stamp
        assert SlowRenderer.started.wait(10)
        for ticks in (50, 100, 150, 200):  # a drag while the first frame renders
            panel.dim_sliders[0].slider.setValue(ticks)
        newest = panel.requested_stamp
        SlowRenderer.release.set()
        wait_frame(qtbot, panel)
        qtbot.waitUntil(lambda: panel.directions is not None, timeout=TIMEOUT)  # the worker is idle
        assert panel.worker.rendered == [first, newest]
        assert panel.worker.dropped == 1 and panel.frames_shown == 1
        assert panel.shown_stamp == newest
        assert np.abs(panel.last_picture.astype(int) - direct_picture(trained, panel.current_z())).max() <= 1
    finally:
        SlowRenderer.release.set()
        panel.shutdown()


def test_the_walk_strip_runs_from_a_to_b_and_exports(qtbot, panel, trained, tmp_path):
    feed_live(panel, trained)
    panel.load_fixed_index(2)
    panel.load_fixed_index(5)  # two clicks: A = sample 2, B = sample 5
    noise = trained.fixed_noise.numpy()
    np.testing.assert_array_equal(panel.ends[0], noise[2])
    np.testing.assert_array_equal(panel.ends[1], noise[5])
    qtbot.waitUntil(lambda: panel.strip_stamp == panel.strip_requested > 0, timeout=TIMEOUT)
    import torch

    path = interpolation_path(noise[2], noise[5], panel.steps.value(), "slerp")
    expected = image_grid(trained.generate(torch.from_numpy(path)), ncol=len(path))
    assert np.abs(panel.last_strip.astype(int) - expected).max() <= 1
    assert panel.export_strip_png(tmp_path / "strip.png").stat().st_size > 0
    panel.export_walk_gif(tmp_path / "walk.gif")
    qtbot.waitUntil(lambda: panel.last_export != "", timeout=TIMEOUT)
    assert (tmp_path / "walk.gif").stat().st_size > 0


def test_the_animation_moves_z_along_the_walk_then_along_a_direction(qtbot, panel, trained):
    feed_live(panel, trained)
    qtbot.waitUntil(lambda: panel.directions is not None, timeout=TIMEOUT)
    panel.load_fixed_index(2)
    panel.load_fixed_index(5)  # the walk runs from sample 2 to sample 5; z is sample 5
    a, b = trained.fixed_noise.numpy()[[2, 5]]
    panel.walk.animate_button.setChecked(True)
    qtbot.waitUntil(lambda: not np.allclose(panel.z, b), timeout=TIMEOUT)
    panel.walk.animate_button.setChecked(False)
    ends = np.stack([a, b]).T  # a slerp between a and b stays in their plane, between them
    weights, *_ = np.linalg.lstsq(ends, panel.z, rcond=None)
    np.testing.assert_allclose(ends @ weights, panel.z, atol=1e-4)
    assert np.all(weights > -1e-4)
    panel.walk.animate_target.setCurrentIndex(panel.walk.animate_target.findData(1))  # along PC2
    panel.walk.animate_button.setChecked(True)
    qtbot.waitUntil(lambda: panel.amounts[1] != 0, timeout=TIMEOUT)
    panel.walk.animate_button.setChecked(False)
    assert panel.direction_sliders[1].value() == pytest.approx(panel.amounts[1])
    assert not panel.amounts[[0, *range(2, len(panel.amounts))]].any()
    wait_frame(qtbot, panel)
    assert np.abs(panel.last_picture.astype(int) - direct_picture(trained, panel.current_z())).max() <= 1


def test_a_2d_generator_shows_its_point_manifold_and_path(qtbot, panel):
    trainer = Trainer(tiny_ring())
    feed_live(panel, trainer)
    panel.set_end(0, np.array([-1.0, 0.0], np.float32), "left")
    panel.set_end(1, np.array([1.0, 0.5], np.float32), "right")
    wait_frame(qtbot, panel)
    qtbot.waitUntil(lambda: panel.manifold.xData is not None and len(panel.manifold.xData) > 0, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: panel.strip_stamp == panel.strip_requested > 0, timeout=TIMEOUT)
    import torch

    np.testing.assert_allclose(panel.last_point, trainer.generate(torch.from_numpy(panel.current_z()[None]))[0],
                               atol=1e-5)
    assert len(panel.path.xData) == panel.steps.value()


def test_a_checkpoint_drives_the_explorer_without_a_run(qtbot, tmp_path, trained):
    from studio.gui.main_window import MainWindow

    path = save_checkpoint(trained.state_dict(), tmp_path / "run" / "checkpoints" / "step-00000003.pt")
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(preset="digits-dcgan", settings=settings, runs_root=tmp_path / "runs")
    qtbot.addWidget(window)
    window.show()
    window.open_in_explorer(str(path))
    panel = window.latent
    assert not window.controller.active and panel.isVisible()
    assert "step-00000003.pt" in panel.source.text()
    wait_frame(qtbot, panel)
    assert np.abs(panel.last_picture.astype(int) - direct_picture(trained, panel.current_z())).max() <= 1
    panel.load_fixed_index(4)  # the checkpoint's own fixed noise
    wait_frame(qtbot, panel)
    assert np.abs(panel.last_picture.astype(int) - direct_picture(trained, trained.fixed_noise[4].numpy())).max() <= 1
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError):
        window.open_in_explorer(str(bad))
    window.close()


def test_clicking_a_samples_cell_loads_its_z(qtbot, tmp_path, monkeypatch):
    from studio.gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(preset="digits-dcgan", settings=settings, runs_root=tmp_path / "runs")
    qtbot.addWidget(window)
    # the coverage panel's digit classifier (tens of seconds to train) is not under test here
    monkeypatch.setattr(window.coverage, "start_run", lambda config: None)
    for key, value in {"data.n_samples": "200", "generator.width": "4", "discriminator.width": "4",
                       "generator.z_dim": "8", "train.batch_size": "8", "train.n_fixed": "16"}.items():
        window.settings_panel.set_value(key, value)
    window.show()
    noise = {}
    window.controller.ready.connect(lambda info: noise.update(z=info["fixed_noise"]))
    window.step()  # one step, paused: the grid shows the fixed samples
    qtbot.waitUntil(lambda: "z" in noise and window.samples.grid_view.image.image is not None, timeout=TIMEOUT)
    grid = window.samples.grid_view
    window.docks["samples"].raise_()
    qtbot.waitUntil(grid.isVisible, timeout=TIMEOUT)
    grid.view.autoRange(padding=0)
    qtbot.wait(50)  # the view lays out once before scene coordinates map to the widget
    # cell 6 of a 4×4 grid of 28×28 images with 2-pixel padding: row 1, column 2
    centre = QPointF(2 + 2 * 30 + 14, 2 + 1 * 30 + 14)
    scene = grid.view.mapViewToScene(centre)
    at = grid.widget.mapFromScene(scene)
    with qtbot.waitSignal(window.samples.picked, timeout=TIMEOUT) as picked:
        QTest.mouseClick(grid.widget.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(at.x(), at.y()))
    assert picked.args == [6]
    panel = window.latent
    qtbot.waitUntil(lambda: panel.config is not None and np.allclose(panel.z, noise["z"][6]), timeout=TIMEOUT)
    wait_frame(qtbot, panel)
    assert panel.isVisible()
    window.close()


def test_a_click_on_the_plane_picks_the_nearest_generated_point(qtbot):
    from studio.gui.samples_panel import SamplesPanel

    samples = SamplesPanel()
    qtbot.addWidget(samples)
    samples.plane_view.fake.setData(pos=np.array([[0.0, 0.0], [1.0, 1.0], [-1.0, 0.5]]))
    assert samples.point_near(0.95, 1.02, 0.1) == 1
    assert samples.point_near(3.0, 3.0, 0.1) is None
    samples.set_fixed_count(16)
    samples.grid_view.set_grid(np.zeros((122, 122), np.uint8), 0)
    assert samples.cell_at(2 + 3 * 30 + 5, 2 + 2 * 30 + 5) == 11
    assert samples.cell_at(500, 5) is None
