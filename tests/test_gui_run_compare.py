"""The run comparison window offscreen: four runs' curves, legend, table and pictures; a run that grows
while it is shown; a sweep's metrics against its settings; the exports, the CLI commands and the
library's Compare runs button."""
import json
import math
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_run_compare import NAMES, one_torch_thread, run_being_written, train_runs, write_sweep

from studio.cli import main
from studio.gui.run_compare_view import RunCompareView

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> list[Path]:
    return train_runs(tmp_path_factory.mktemp("runs"))


def open_view(qtbot, paths, **options) -> RunCompareView:
    view = RunCompareView(paths, **options)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    return view


def points(curve) -> int:
    """The curve's points as given (getData() gives those clipped to the view)."""
    return 0 if curve.xData is None else len(curve.xData)


def test_four_runs_are_overlaid_named_tabulated_and_pictured_at_one_step(qtbot, runs):
    view = open_view(qtbot, runs)
    curves = view.curves.curves
    assert [points(curves[("loss_d", i)]) for i in range(4)] == [4, 6, 8, 4]  # a row every 5 steps
    assert [points(curves[("wasserstein", i)]) for i in range(4)] == [0, 0, 0, 4]
    assert [points(curves[("modes", i)]) for i in range(4)] == [2, 3, 4, 2]  # a checkpoint every 10 steps
    assert len({curves[("loss_d", i)].opts["pen"].color().name() for i in range(4)}) == 4
    assert all(name in view.legend.text() for name in NAMES)

    table = view.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert table.rowCount() == 4 and headers[:4] == ["spectral_norm", "kind", "seed", "last step"]
    assert table.horizontalHeaderItem(0).toolTip() == "discriminator.spectral_norm"
    assert [table.item(r, 1).text() for r in range(4)] == ["nonsaturating", "hinge", "nonsaturating", "wgan-gp"]

    pictures = view.pictures
    assert pictures.step == 40  # the newest step; each run shows its own nearest picture
    assert [p.name for p in pictures.shown] == ["step-00000020.png", "step-00000030.png", "step-00000040.png",
                                                "step-00000020.png"]
    pictures.slider.setValue(1)
    assert pictures.step == 10 and all(p.name == "step-00000010.png" for p in pictures.shown)
    assert not pictures.pictures[0].pixmap().isNull() and view.curves.cursors[0].value() == 10


def test_a_run_being_written_grows_in_the_window(qtbot, runs, tmp_path):
    with run_being_written(tmp_path / "live") as loop:
        view = open_view(qtbot, [runs[0], tmp_path / "live"], refresh_ms=20)
        curve = view.curves.curves[("loss_d", 1)]
        assert points(curve) == 2 and view.pictures.step == 20  # runs[0]'s pictures go to 20
        assert view.legend.text().count("(training)") == 1
        with one_torch_thread():
            loop.advance(max_steps=20)
        qtbot.waitUntil(lambda: points(curve) == 6)
        qtbot.waitUntil(lambda: view.pictures.step == 30)  # the slider stays at the newest step
        assert view.table.item(1, view.table.columnCount() - 4).text() == "30"  # last step


def test_a_sweep_folder_plots_each_final_metric_against_each_setting(qtbot, tmp_path):
    view = open_view(qtbot, [write_sweep(tmp_path / "sweep")])
    plots = view.sweep_plots
    assert list(plots.plots) == ["modes", "hq", "reverse_kl", "loss_d", "loss_g", "wall_s"]
    assert plots.groups == ["kind=nonsaturating", "kind=r1"]  # x: spectral_norm, a line per other value
    bar = plots.error_bars["modes"][1]  # kind=r1: modes 8, 6, 7 without spectral norm, 8, 8, 8 with it
    assert list(bar.opts["y"]) == pytest.approx([7.0, 8.0]) and list(bar.opts["height"]) == pytest.approx([2.0, 0.0])
    assert "kind=r1" in view.legend.text() and "checkpoints" in view.legend.text()
    view.x_axis_choice.setCurrentText("loss.kind")
    assert plots.groups == ["spectral_norm=false", "spectral_norm=true"]
    assert list(plots.error_bars["modes"][1].opts["height"]) == pytest.approx([2 * math.sqrt(3), 0.0])
    assert view.table.rowCount() == 4 and view.table.item(0, 3).text() == "5 ± 2"


def test_the_comparison_exports_as_pictures_and_tables(qtbot, runs, tmp_path):
    view = open_view(qtbot, runs[:2])
    assert view.export_picture(tmp_path / "c.png").read_bytes().startswith(PNG)
    assert b"<svg" in view.export_picture(tmp_path / "c.svg").read_bytes()[:400]
    assert view.export_table(tmp_path / "t.csv").read_text().startswith("field,plain,hinge\nloss.kind,")
    assert "| loss.kind | nonsaturating | hinge |" in view.export_table(tmp_path / "t.md").read_text()


def test_the_screenshot_and_compare_commands(qapp, runs, tmp_path, capsys):
    assert main(["screenshot", "--compare-runs", *map(str, runs), "--out", str(tmp_path / "c4.png")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["names"] == NAMES and (tmp_path / "c4.png").read_bytes().startswith(PNG)

    sweep = write_sweep(tmp_path / "sweep")
    assert main(["screenshot", "--compare-runs", str(sweep), "--out", str(tmp_path / "s.png")]) == 0
    assert json.loads(capsys.readouterr().out)["settings"] == 4

    assert main(["compare", *map(str, runs[:2]), "--out", str(tmp_path / "report" / "r.md")]) == 0
    written = [Path(line) for line in capsys.readouterr().out.split()]
    assert [p.name for p in written] == ["r.md", "r.csv", "r-curves.png", "r-samples.png"]
    assert "![r-curves](r-curves.png)" in written[0].read_text() and written[2].read_bytes().startswith(PNG)
    assert written[1].read_text().splitlines()[1] == "loss.kind,nonsaturating,hinge"

    assert main(["compare", str(tmp_path), "--out", str(tmp_path / "x.md")]) == 2  # neither runs nor a sweep
    assert "not a run folder" in capsys.readouterr().err


def test_compare_runs_from_the_library_panel(make_window, qtbot, runs):
    window = make_window()
    for path in runs[:3]:
        window.library.add_run(path)
    panel = window.checkpoints
    panel.refresh()
    assert not panel.compare_runs_button.isEnabled()  # one run selected
    for row in range(2):
        panel.runs.topLevelItem(row).setSelected(True)
    assert panel.compare_runs_button.isEnabled()
    qtbot.mouseClick(panel.compare_runs_button, Qt.MouseButton.LeftButton)
    view = window.library_actions.comparisons[-1]
    assert view.isVisible() and len(view.comparison.runs) == 2
