"""Live edits leave a mark: recorded as event rows of metrics.jsonl and in checkpoints, read back,
kept on resume, left out of curves and CSV, and drawn on the window's plots, the attach view, the
replay timeline and the run comparison."""
from __future__ import annotations

import csv
import json

import pytest

pytest.importorskip("pytestqt")

from studio.core.attach import RunFollower  # noqa: E402
from studio.core.checkpoints import load_checkpoint, restore_trainer  # noqa: E402
from studio.core.export import metrics_csv  # noqa: E402
from studio.core.live_events import checkpoint_events, event_label, run_events  # noqa: E402
from studio.core.run import RunDirectory  # noqa: E402
from studio.core.run_compare import RunComparison  # noqa: E402
from studio.core.run_loop import RunLoop  # noqa: E402
from studio.core.trainer import Trainer  # noqa: E402
from helpers import tiny_ring  # noqa: E402

TIMEOUT = 30000  # ms; a loaded 2-core machine (no timing is asserted)
EDIT = {"step": 10, "event": "live_edit", "changes": {"optim.lr_g": [1e-3, 5e-4]}}
MALFORMED = ['{"step": 12, "event": "live_edit", "changes": "lr up"}',
             '{"step": "x", "event": "live_edit", "changes": {"optim.lr_g": [1, 2]}}',
             '{"event": "live_edit", "changes": {"optim.lr_g": [1]}}',
             '{"step": 13, "event": "live_edit", "changes": {"optim.lr_g": [{"a": 1}, 2]}}']


@pytest.fixture(scope="module")
def edited_run(tmp_path_factory):
    """A 20-step run whose lr_g was changed live at step 10, then three malformed event rows."""
    folder = tmp_path_factory.mktemp("edited") / "run"
    loop = RunLoop(Trainer(tiny_ring(**{"train.steps": 20})), RunDirectory(folder))
    loop.begin()
    loop.advance(max_steps=10)
    assert loop.apply_live(loop.trainer.config.updated({"optim.lr_g": 5e-4})) == EDIT
    assert loop.apply_live(loop.trainer.config) is None  # nothing changed: nothing recorded
    loop.advance()
    loop.finish()
    with open(folder / "metrics.jsonl", "a") as fh:
        fh.write("\n".join(MALFORMED) + "\n")
    return folder


def test_the_run_and_its_checkpoints_keep_the_edit(edited_run):
    assert run_events(edited_run) == [EDIT]  # malformed rows skipped
    final = edited_run / "checkpoints" / "step-00000020.pt"
    assert checkpoint_events(load_checkpoint(final)) == [EDIT]
    assert checkpoint_events(load_checkpoint(edited_run / "checkpoints" / "step-00000010.pt")) == []  # saved before it
    assert event_label(EDIT) == "lr_g 1e-3 → 5e-4 at step 10"


def test_resume_keeps_the_edit_and_an_old_checkpoint_has_none(edited_run, tmp_path):
    trainer = restore_trainer(edited_run / "checkpoints" / "step-00000020.pt")
    assert trainer.live_events == [EDIT]
    resumed = RunLoop(trainer, RunDirectory(tmp_path / "resumed"), total_steps=25)
    resumed.run_to_end()
    assert checkpoint_events(load_checkpoint(tmp_path / "resumed" / "checkpoints" / "step-00000025.pt")) == [EDIT]
    old = trainer.state_dict()
    del old["live_events"]  # a checkpoint from before live edits were kept
    trainer.load_state_dict(old)
    assert trainer.live_events == []


def test_curves_csv_and_follower_leave_event_rows_out(edited_run, tmp_path):
    from studio.gui.attach_view import metric_columns

    path = metrics_csv(RunDirectory(edited_run), tmp_path / "m.csv")
    with open(path, newline="") as fh:
        table = list(csv.DictReader(fh))
    assert "event" not in table[0] and "changes" not in table[0]
    assert [int(r["step"]) for r in table] == list(range(5, 21, 5))  # the metric rows, log_every 5
    rows = RunDirectory(edited_run).read_metrics()
    assert "event" not in metric_columns(rows) and len(metric_columns(rows)["step"]) == 4
    update = RunFollower(edited_run).poll()
    assert len(update.rows) == 4 and update.events == [EDIT]
    series = RunComparison([edited_run]).runs[0]
    assert series.events == [EDIT] and "changes" not in series.metrics()
    assert len(series.series("loss_d")[0]) == 4


def test_a_live_change_in_the_window_is_recorded_and_marked(qtbot, make_window):
    window = make_window()
    window.step("both")
    qtbot.waitUntil(lambda: window.counters[0] == 1, timeout=TIMEOUT)
    old = window.controller.trainer.config.optim.lr_g
    window.settings_panel.set_value("optim.lr_g", "0.0007")
    window.step("both")
    qtbot.waitUntil(lambda: window.counters[0] == 2 and bool(window.plots.marks.lines), timeout=TIMEOUT)
    event = {"step": 1, "event": "live_edit", "changes": {"optim.lr_g": [old, 7e-4]}}
    first = window.plots.marks.lines[0]
    assert first.texts == (event_label(event), event_label(event, with_step=False))
    assert window.plots.marks.labels()[0] in first.texts  # in full where the plot has room for it
    assert len(window.plots.marks.lines) == len(window.plots.plots)  # one line on every plot
    assert window.samples.timeline.events == [event]
    run_dir = window.run_dir
    window.stop()
    qtbot.waitUntil(lambda: not window.controller.active, timeout=TIMEOUT)
    assert run_events(run_dir) == [event]
    assert checkpoint_events(load_checkpoint(sorted((run_dir / "checkpoints").glob("step-*.pt"))[-1])) == [event]
    rows = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [row for row in rows if "event" in row] == [event]  # the row as written


def test_the_attach_view_and_the_comparison_mark_the_edit(qtbot, make_window, edited_run):
    from studio.gui.run_compare_parts import CurveGrid

    window = make_window()
    assert window.attach(edited_run)
    qtbot.waitUntil(lambda: window.attachment.is_settled and bool(window.plots.marks.lines), timeout=TIMEOUT)
    assert window.plots.marks.labels()[0] == "lr_g 1e-3 → 5e-4 at step 10"
    assert window.plots.points() == 4  # event rows are no points
    window.detach()
    grid = CurveGrid()
    qtbot.addWidget(grid)
    grid.draw(RunComparison([edited_run, edited_run]), ["#0072B2", "#D55E00"])
    assert {line.pen.color().name() for line in grid.marks.lines} == {"#0072b2", "#d55e00"}
    assert len(grid.marks.lines) == 2 * len(grid.plots)


def test_a_mark_s_label_is_never_cut_off_by_the_plot_s_edge(qtbot):
    """A long label on a narrow plot goes to the side where it fits, and drops its step where it fits
    in neither way: the live fix's "fake_entropy_weight 0 → 1 at step 600" was cut off on a projector."""
    import pyqtgraph as pg

    from studio.gui.event_marks import EventMarks, marks_of

    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(640, 200)
    widget.show()
    plot = widget.getPlotItem()
    plot.setXRange(0, 1000, padding=0)
    plot.plot([0, 1000], [0, 1])
    marks = EventMarks()

    def inside() -> bool:
        label = marks.lines[0].label.mapRectToScene(marks.lines[0].label.boundingRect())
        view = plot.vb.mapRectToScene(plot.vb.boundingRect())
        return view.left() <= label.left() and label.right() <= view.right()

    edit = {"step": 600, "event": "live_edit", "changes": {"loss.fake_entropy_weight": [0.0, 1.0]}}
    marks.show([plot], marks_of([edit]))
    qtbot.waitUntil(inside, timeout=5000)  # wider than the 400 steps to its right: on the left, in full
    assert marks.labels() == [event_label(edit)] and marks.lines[0].label.anchors[0][0] == 1.0
    widget.resize(420, 200)  # fits on neither side in full: the step goes, the change stays
    qtbot.waitUntil(inside, timeout=5000)
    assert marks.labels() == [event_label(edit, with_step=False)]
    plot.setXRange(0, 10000, padding=0)  # the whole label fits on its right again: in full there
    qtbot.waitUntil(lambda: marks.labels() == [event_label(edit)] and inside(), timeout=5000)
