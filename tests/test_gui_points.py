"""The drawing panel: real mouse strokes, erase, save/load round trips, "Train on these" in the window,
and the coverage panel's KL/JS on drawn data."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402

from studio.core.points import normalise, read_points, write_points  # noqa: E402
from studio.gui.coverage_panel import CoveragePanel  # noqa: E402
from studio.gui.points_panel import PointsPanel  # noqa: E402
from helpers import tiny_ring  # noqa: E402
from test_points import THREE, blobs  # noqa: E402

TIMEOUT = 30000  # ms; no timing is asserted


@pytest.fixture
def panel(qtbot, tmp_path):
    widget = PointsPanel(drawings_dir=tmp_path / "drawings")
    qtbot.addWidget(widget)
    widget.resize(600, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def on_screen(panel: PointsPanel, x: float, y: float) -> QPoint:
    """The viewport pixel of plane point (x, y)."""
    scene = panel.canvas.getPlotItem().vb.mapViewToScene(QPointF(x, y))
    return panel.canvas.mapFromScene(scene)


def stroke(qtbot, panel, path):
    viewport = panel.canvas.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=on_screen(panel, *path[0]))
    for x, y in path[1:]:
        qtbot.mouseMove(viewport, on_screen(panel, x, y))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=on_screen(panel, *path[-1]))


def test_drawing_and_erasing_with_the_mouse(qtbot, panel):
    panel.brush.setValue(5)
    stroke(qtbot, panel, [(-0.5, 0.0), (0.0, 0.0), (0.5, 0.0)])
    pts = panel.points
    assert len(pts) > 20 and np.abs(pts[:, 1]).max() <= 0.05 + 1e-6  # along the stroke, within the brush
    assert pts[:, 0].min() < -0.4 and pts[:, 0].max() > 0.4
    assert panel.scatter.data.size == len(pts)
    viewport_range = panel.canvas.getPlotItem().vb.viewRange()
    panel.erase_button.click()
    stroke(qtbot, panel, [(0.0, 0.0)])
    left = panel.points
    assert 0 < len(left) < len(pts) and not (np.linalg.norm(left, axis=1) <= 0.05).any()
    assert panel.canvas.getPlotItem().vb.viewRange() == viewport_range  # dragging drew, it did not pan
    panel.clear()
    assert len(panel.points) == 0 and "0 points" in panel.status.text()


@pytest.mark.parametrize("suffix", [".csv", ".npy"])
def test_save_and_load_round_trip(qtbot, panel, tmp_path, suffix):
    drawn = blobs(THREE)
    panel.set_points(drawn)
    assert "3 separate clusters" in panel.status.text()
    assert panel.save(tmp_path / f"mine{suffix}")
    np.testing.assert_allclose(read_points(tmp_path / f"mine{suffix}"), drawn, atol=1e-5)
    panel.clear()
    assert panel.load(tmp_path / f"mine{suffix}")
    np.testing.assert_allclose(panel.points, normalise(drawn), atol=1e-5)  # shown as it will be trained
    assert panel.saved_path == tmp_path / f"mine{suffix}"


def test_bad_files_are_messages_not_tracebacks(qtbot, panel, tmp_path):
    (tmp_path / "bad.csv").write_text("x,y\n1,oops\n")
    with qtbot.waitSignal(panel.message) as said:
        assert not panel.load(tmp_path / "bad.csv")
    assert "bad.csv" in said.args[0] and "line 2" in said.args[0]
    panel.set_points(blobs(THREE))
    assert not panel.save(tmp_path / "drawing.txt")
    assert ".csv or .npy" in panel.status.text()
    panel.set_points(np.zeros((3, 2)))
    assert not panel.train_on_these() and "at least 10" in panel.status.text()


def test_train_on_these_sets_the_data_and_the_run_measures_kl_and_js(qtbot, make_window, tmp_path):
    window = make_window()
    window.drawing.set_points(blobs(THREE))
    window.drawing.train_button.click()
    name = window.settings_panel.config.data.name
    assert name.startswith("points:") and read_points(name[len("points:"):]).shape == (180, 2)
    assert window.settings_panel.valid
    window.controls.start_button.click()
    qtbot.waitUntil(lambda: window.coverage.latest is not None and window.coverage.updates > 0, timeout=TIMEOUT)
    assert window.coverage.kind == "modes" and window.coverage.track.n_modes == 3
    assert {"kl", "js", "modes"} <= set(window.coverage.latest)
    assert "KL(real ‖ G)" in window.coverage.summary_text()
    window.controls.stop_button.click()
    qtbot.waitUntil(lambda: not window.controller.active, timeout=TIMEOUT)


def test_coverage_panel_without_modes_shows_kl_and_js(qtbot, tmp_path):
    panel = CoveragePanel()
    qtbot.addWidget(panel)
    t = np.linspace(-1, 1, 300)
    path = write_points(tmp_path / "line.csv", np.stack([t, 0.3 * t], 1))
    panel.set_config(tiny_ring(**{"data.name": f"points:{path}"}))
    assert panel.kind == "divergence" and panel.stack.currentWidget() is panel.placeholder
    panel.add_frame({"kind": "plane", "step": 5, "fake": np.zeros((64, 2), np.float32)})
    assert panel.redraw() and "JS" in panel.summary_text()
    panel.set_config(tiny_ring(**{"data.name": f"points:{tmp_path}/missing.csv"}))
    assert panel.kind == "none"
    panel.shutdown()


def test_screenshot_of_a_points_config_grabs_the_drawing_panel(tmp_path, capsys, qapp):
    import json

    from studio import cli

    data = write_points(tmp_path / "mine.csv", blobs(THREE))
    config = tiny_ring(**{"data.name": f"points:{data}"})
    (tmp_path / "c.json").write_text(config.to_json())
    out = tmp_path / "shot.png"
    argv = ["screenshot", "--config", str(tmp_path / "c.json"), "--steps", "6", "--panel", "drawing", "--out", str(out)]
    assert cli.main(argv) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["steps"] == 6 and report["config"] == str(tmp_path / "c.json") and report["preset"] is None
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    (tmp_path / "bad.json").write_text(tiny_ring(**{"data.name": f"points:{tmp_path}/gone.csv"}).to_json())
    assert cli.main(["screenshot", "--config", str(tmp_path / "bad.json"), "--out", str(out)]) == 2
    assert "gone.csv" in capsys.readouterr().err
