"""File ▸ Export from the window: loss plots as PNG and SVG, the sample grid as PNG, metrics as CSV,
the sample history as GIF, for the run on show (here an attached finished run)."""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from helpers import tiny_digits, tiny_ring  # noqa: E402
from studio.core.run import RunDirectory  # noqa: E402
from studio.core.run_loop import RunLoop  # noqa: E402
from studio.core.trainer import Trainer  # noqa: E402
from studio.gui import exports  # noqa: E402
from studio.gui.main_window import MainWindow  # noqa: E402

TIMEOUT = 60000


@pytest.fixture
def attached(qtbot, tmp_path):
    """A window attached to a finished run of `config`, everything drawn."""
    def make(config, steps):
        run_dir = tmp_path / "run"
        RunLoop(Trainer(config), RunDirectory(run_dir), steps).run_to_end()
        settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, runs_root=tmp_path / "runs")
        qtbot.addWidget(window)
        window.show()
        assert window.attach(run_dir)
        qtbot.waitUntil(lambda: window.attachment.is_settled and window.samples.frames >= 1, timeout=TIMEOUT)
        return window
    return make


def test_loss_plots_as_png_and_svg(attached, tmp_path):
    window = attached(tiny_ring(**{"train.log_every": 1}), 40)
    png = exports.export_plots(window, tmp_path / "plots.png")
    layout = window.plots.view.ci
    with Image.open(png) as im:
        assert abs(im.width - layout.width()) <= 1 and abs(im.height - layout.height()) <= 1
        pixels = np.asarray(im.convert("RGB")).reshape(-1, 3)
    colours = {tuple(c) for c in pixels[::7]}
    assert len(colours) >= 8  # background, axes, text and the coloured curves: not a blank picture
    assert any(r > 150 and g < 100 and b < 100 for r, g, b in colours)  # the red G-loss curve

    svg = exports.export_plots(window, tmp_path / "plots.svg")
    root = ET.parse(svg).getroot()
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert tags & {"path", "polyline"}
    with pytest.raises(exports.ExportError, match=".png or .svg"):
        exports.export_plots(window, tmp_path / "plots.jpg")
    window.close()


def test_sample_grid_png_is_the_grid_on_show(attached, tmp_path, quick_digit_classifier):
    window = attached(tiny_digits(), 20)
    shown = window.samples.grid_view.image.image
    path = exports.export_sample_grid(window, tmp_path / "grid.png")
    with Image.open(path) as im:
        assert np.array_equal(np.asarray(im), shown)
    window.close()


def test_plane_samples_png_shows_the_generated_points(attached, tmp_path):
    window = attached(tiny_ring(**{"train.save_every": 20}), 40)
    window.samples.draw_pending()
    assert window.samples.last_frame["kind"] == "plane"
    path = exports.export_sample_grid(window, tmp_path / "plane.png")
    with Image.open(path) as im:
        pixels = np.asarray(im.convert("RGB"))
    assert (np.all(pixels == (234, 67, 53), axis=-1)).sum() > 100  # generated points, in the CLI's red
    window.close()


def test_metrics_csv_and_sample_history(attached, tmp_path):
    window = attached(tiny_ring(**{"train.log_every": 5, "train.sample_every": 10}), 30)
    path = exports.export_metrics_csv(window, tmp_path / "metrics.csv")
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["step"]) for r in rows] == [5, 10, 15, 20, 25, 30]
    assert {"loss_d", "loss_g", "d_real", "d_fake", "time"} <= set(rows[0])

    gif = exports.export_sample_history(window, tmp_path / "history.gif")
    import imageio.v3 as iio

    frames = iio.imread(gif, index=None)
    assert len(frames) == 4  # steps 0, 10, 20, 30
    window.close()


def test_exports_before_any_run_say_why(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, runs_root=tmp_path / "runs")
    qtbot.addWidget(window)
    with pytest.raises(exports.ExportError, match="plots are empty"):
        exports.export_plots(window, tmp_path / "p.png")
    with pytest.raises(exports.ExportError, match="No run yet"):
        exports.export_metrics_csv(window, tmp_path / "m.csv")
    window.close()


def test_the_file_menu_lists_the_exports(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, runs_root=tmp_path / "runs")
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    export_menu = next(a.menu() for a in file_menu.actions() if a.text() == "Export")
    assert [a.text() for a in export_menu.actions()] == [
        "Loss plots as PNG…", "Loss plots as SVG…", "Sample grid as PNG…", "Metrics as CSV…",
        "Sample history as GIF/MP4…"]
    assert any(a.text() == "Attach to run…" for a in file_menu.actions())
    window.close()
