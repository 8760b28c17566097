"""The mode-collapse lab's window side: coverage panel, evaluator thread, side-by-side runs,
the replay timeline and its GIF export, presenter mode, and `screenshot --compare` arguments."""
from __future__ import annotations

import threading

import numpy as np
import pytest

from studio.core.presets import load_preset

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtGui import QKeySequence  # noqa: E402

from studio import cli  # noqa: E402
from studio.core.coverage import CoverageTrack, fix_partner
from studio.core.timeline import SnapshotRing  # noqa: E402
from studio.core.export import mp4_available  # noqa: E402
from studio.core.data import load_dataset, ring_centres  # noqa: E402
from studio.core.evaluator import Evaluator, train_classifier  # noqa: E402
from studio.core.presets import preset_names  # noqa: E402
from studio.gui.compare_window import CompareWindow  # noqa: E402
from studio.gui.coverage_panel import CoveragePanel  # noqa: E402
from studio.gui.main_window import MainWindow  # noqa: E402
from studio.gui.samples_panel import SamplesPanel  # noqa: E402
from studio.gui.timeline import TimelineBar  # noqa: E402
from studio.gui.run_controller import TrainerController  # noqa: E402
from helpers import tiny_digits, tiny_ring  # noqa: E402

TIMEOUT = 30000  # ms; no timing is asserted
SIGMA = 0.02  # the ring's mode σ is small; points placed exactly on centres are high quality


def on_modes(modes: list[int], n: int = 400, seed: int = 0) -> np.ndarray:
    """n points spread evenly over the given ring modes, tightly around their centres."""
    rng = np.random.default_rng(seed)
    centres = ring_centres()
    which = np.array(modes)[np.arange(n) % len(modes)]
    return (centres[which] + 0.001 * rng.standard_normal((n, 2))).astype(np.float32)


def plane_frame(step: int, fake: np.ndarray) -> dict:
    return {"kind": "plane", "step": step, "extent": 1.5, "fake": fake,
            "heatmap": np.full((16, 16), 128, np.uint8)}


# --- Qt-free pieces ------------------------------------------------------------
def test_fix_partner_pairs_collapse_with_fixed():
    names = ["ring-collapse", "ring-fixed", "grid-collapse", "digits-dcgan"]
    assert fix_partner("ring-collapse", names) == "ring-fixed"
    assert fix_partner("grid-collapse", names) is None  # no grid-fixed here
    assert fix_partner("ring-fixed", names) is None
    assert fix_partner("ring-collapse", preset_names()) == "ring-fixed"


def test_coverage_track_counts_modes_and_restarts_with_a_new_run():
    track = CoverageTrack(ring_centres(), SIGMA)
    one = track.add(100, on_modes([3]))
    assert one["modes"] == 1 and one["near"][3] == 400 and one["near_hq"].sum() == 400
    every = track.add(200, on_modes(list(range(8))))
    assert every["modes"] == 8 and every["reverse_kl"] == pytest.approx(0.0, abs=1e-9)
    far = track.add(300, np.full((50, 2), 5.0, np.float32))
    assert far["hq"] == 0.0 and far["near_hq"].sum() == 0 and far["near"].sum() == 50
    assert track.steps == [100, 200, 300] and track.modes == [1, 8, 0]
    track.add(300, on_modes([1, 2]))  # the same step drawn again (a pause, the end): it replaces the point
    assert track.steps == [100, 200, 300] and track.modes == [1, 8, 2]
    track.add(10, on_modes([0]))  # an earlier step: a new run
    assert track.steps == [10]


def test_snapshot_ring_is_bounded():
    ring = SnapshotRing(3)
    for step in range(5):
        ring.append({"step": step})
    assert len(ring) == 3 and ring.steps() == [2, 3, 4]


# --- coverage panel --------------------------------------------------------------
@pytest.fixture
def make_panel(qtbot):
    """Coverage panels whose evaluator threads end with the test, even a failing one."""
    panels: list[CoveragePanel] = []

    def make(**kwargs) -> CoveragePanel:
        panel = CoveragePanel(**kwargs)
        qtbot.addWidget(panel)
        panels.append(panel)
        return panel
    yield make
    for panel in panels:
        panel.shutdown()


def test_coverage_panel_updates_bars_and_curves(make_panel):
    panel = make_panel()
    panel.set_config(tiny_ring())
    assert panel.kind == "modes" and "– / 8" in panel.summary_text()
    panel.add_frame(plane_frame(50, on_modes([2])))
    panel.redraw()
    assert "1 / 8" in panel.summary_text()
    heights = panel.modes_view.near_bars.opts["height"]
    assert heights[2] == pytest.approx(100.0) and heights.sum() == pytest.approx(100.0)
    panel.add_frame(plane_frame(100, on_modes([0, 2, 4, 6])))
    panel.redraw()
    assert "4 / 8" in panel.summary_text()
    assert panel.modes_view.hq_bars.opts["height"][[0, 2, 4, 6]] == pytest.approx([25.0] * 4)
    steps, modes = panel.modes_view.modes_curve.getData()
    assert list(steps) == [50, 100] and list(modes) == [1, 4]
    _, kl = panel.modes_view.kl_curve.getData()
    assert kl[0] == pytest.approx(np.log(8)) and kl[1] == pytest.approx(np.log(2))
    assert panel.updates == 2
    panel.shutdown()


def test_window_coverage_follows_a_run(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    window = MainWindow(preset="ring-fixed", settings=settings, runs_root=tmp_path / "runs")
    qtbot.addWidget(window)
    for path, value in {"data.n_samples": "512", "generator.width": "16", "discriminator.width": "16",
                        "train.batch_size": "32", "train.n_fixed": "64", "train.steps": "100000"}.items():
        window.settings_panel.set_value(path, value)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.coverage.updates >= 2, timeout=TIMEOUT)
    assert len(window.coverage.track.steps) >= 2
    assert window.coverage.track.steps[-1] > 0
    window.reset()
    qtbot.waitUntil(lambda: not window.controller.active, timeout=TIMEOUT)
    assert window.coverage.track.steps == []
    window.close()


def fast_evaluator(seen_threads: list):
    """The real Evaluator with a briefly trained classifier; records the thread it was made in."""
    def make(config, progress):
        seen_threads.append(threading.get_ident())
        data = load_dataset(config.data)
        model = train_classifier(data.as_float(), data.labels, steps=40, batch=64, progress=progress)
        return Evaluator(model, data.as_float())
    return make


def test_evaluator_runs_in_its_own_thread_with_progress(qtbot, make_panel):
    threads: list[int] = []
    panel = make_panel(evaluator_factory=fast_evaluator(threads))
    progress: list[float] = []
    panel.evaluation.progress.connect(progress.append)
    config = tiny_digits()
    with qtbot.waitSignal(panel.evaluation.ready, timeout=TIMEOUT):
        panel.start_run(config)
    assert threads and threads[0] != threading.get_ident()
    assert progress[-1] == 1.0 and any(0 < p < 1 for p in progress)
    assert sum(panel.classes_view.real_histogram) == pytest.approx(1.0, abs=1e-3)
    real = load_dataset(config.data).as_float()[:200].numpy()
    with qtbot.waitSignal(panel.evaluation.result, timeout=TIMEOUT):
        assert panel.evaluation.submit({"step": 10, "images": real})
    qtbot.waitUntil(lambda: not panel.evaluation.busy, timeout=TIMEOUT)
    panel.redraw()
    report = panel.latest
    assert report["step"] == 10 and 0 <= report["classes"] <= 10 and report["frechet"] >= -1e-6
    assert "/ 10" in panel.summary_text()
    assert panel.classes_view.fake_bars.opts["height"].sum() == pytest.approx(100.0, abs=0.5)
    panel.shutdown()
    assert panel.evaluation.thread is None


def test_busy_evaluator_drops_samples_instead_of_queueing(qtbot, make_panel):
    panel = make_panel(evaluator_factory=fast_evaluator([]))
    panel.start_run(tiny_digits())
    assert not panel.evaluation.submit({"step": 1, "images": np.zeros((4, 1, 28, 28), np.float32)})
    assert panel.evaluation.dropped == 1  # the classifier is still being prepared
    qtbot.waitUntil(lambda: panel.evaluation.prepared, timeout=TIMEOUT)
    panel.shutdown()


def test_closing_stops_a_classifier_still_training(qtbot, make_panel):
    """Closing the window must not wait for the evaluator's classifier to finish training."""
    reports: list[float] = []
    outcome: dict = {}
    started = threading.Event()

    def endless_training(config, progress):
        try:
            for i in range(100_000):  # far longer than any test may wait
                progress(i / 100_000)
                reports.append(i)
                started.set()
                threading.Event().wait(0.001)  # the classifier's pace, not the test's
        except BaseException as exc:
            outcome["stopped_by"] = type(exc).__name__
            raise
        outcome["finished"] = True

    panel = make_panel(evaluator_factory=endless_training)
    panel.start_run(tiny_digits())
    qtbot.waitUntil(started.is_set, timeout=TIMEOUT)
    reported_before_cancel = len(reports)
    panel.shutdown()
    assert panel.evaluation.thread is None
    assert outcome == {"stopped_by": "Cancelled"}
    assert len(reports) - reported_before_cancel <= 2  # the step in flight at most, then the next report raises


def test_trainer_emits_evaluation_samples_on_schedule(qtbot):
    controller = TrainerController()
    config = tiny_digits(**{"train.steps": 100000})
    payloads: list[dict] = []
    controller.eval_samples.connect(payloads.append)
    controller.start(config, None)
    controller.set_eval_interval(0.05)
    qtbot.waitUntil(lambda: len(payloads) >= 2, timeout=TIMEOUT)
    controller.stop(save=False, wait=True)
    images = payloads[-1]["images"]
    assert images.shape == (500, 1, 28, 28) and images.dtype == np.float32
    assert payloads[-1]["step"] >= payloads[0]["step"]


def test_the_coverage_meter_keeps_to_its_cpu_share_but_never_lags_far(qtbot, make_panel):
    from studio.gui.run_feed import EVAL_MAX_INTERVAL_S, EVAL_SHARE, RunFeed

    class Source:
        def __init__(self):
            self.intervals: list[float] = []

        def set_eval_interval(self, seconds: float) -> None:
            self.intervals.append(seconds)

    samples = SamplesPanel()
    qtbot.addWidget(samples)
    feed = RunFeed(samples, make_panel())
    feed.source = Source()
    for seconds in (0.01, 0.2, 1.5):  # fast, slower, a loaded CPU
        feed._on_evaluated({"step": 10, "seconds": seconds})
    assert feed.source.intervals == [pytest.approx(x) for x in (2.0, 0.2 / EVAL_SHARE, EVAL_MAX_INTERVAL_S)]


# --- side by side ------------------------------------------------------------------
def test_compare_window_runs_both_sides_in_their_own_threads(qtbot):
    window = CompareWindow("ring-collapse", "ring-fixed", seed=3)
    qtbot.addWidget(window)
    window.show()
    left, right = window.panes
    assert (left.total, right.total) == (load_preset("ring-collapse").demo_step, load_preset("ring-fixed").demo_step)
    window.start()
    qtbot.waitUntil(lambda: left.step >= 20 and right.step >= 20, timeout=TIMEOUT)
    assert left.controller.thread is not right.controller.thread
    assert left.config.train.seed == right.config.train.seed == 3
    qtbot.waitUntil(lambda: left.coverage.updates >= 1 and right.coverage.updates >= 1, timeout=TIMEOUT)
    window.toggle()  # pause both
    qtbot.waitUntil(lambda: left.controller.state == right.controller.state == "paused", timeout=TIMEOUT)
    assert window.start_button.text() == "Resume both"
    a, b = left.samples.plane_view.plot, right.samples.plane_view.plot
    np.testing.assert_allclose(a.viewRange(), b.viewRange(), rtol=1e-6)  # matching views
    window.close()
    assert not left.controller.active and not right.controller.active


def test_compare_with_fix_from_a_collapse_preset(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    window = MainWindow(preset="ring-fixed", settings=settings, runs_root=tmp_path / "runs")
    qtbot.addWidget(window)
    assert not window.compare_action.isEnabled()
    window.settings_panel.select_preset("ring-collapse")
    assert window.compare_action.isEnabled()
    window.compare_action.trigger()
    compare = window.compare_windows[-1]
    assert [p.name for p in compare.panes] == ["ring-collapse", "ring-fixed"]
    qtbot.waitUntil(lambda: all(p.step > 0 for p in compare.panes), timeout=TIMEOUT)
    window.close()  # closes the comparison and ends its threads
    assert all(not p.controller.active for p in compare.panes)


# --- timeline --------------------------------------------------------------------------
def test_timeline_scrubs_back_and_returns_to_live(qtbot):
    panel = SamplesPanel()
    qtbot.addWidget(panel)
    for step in (10, 20, 30, 40):
        panel.add_frame(plane_frame(step, on_modes([step // 10])))
        panel.draw_pending()
    bar = panel.timeline
    assert len(bar.ring) == 4 and not bar.scrubbing
    bar.scrub_to(1)
    assert bar.scrubbing and bar.shown_frame()["step"] == 20
    assert "step 20" in panel.plane_view.plot.titleLabel.text
    panel.add_frame(plane_frame(50, on_modes([5])))  # recorded, not drawn over the snapshot
    panel.draw_pending()
    assert "step 20" in panel.plane_view.plot.titleLabel.text and len(bar.ring) == 5
    assert "2/5" in bar.position.text()
    bar.go_live()
    panel.draw_pending()
    assert not bar.scrubbing and "step 50" in panel.plane_view.plot.titleLabel.text
    panel.clear()
    assert len(bar.ring) == 0


def test_timeline_keeps_its_snapshot_when_the_buffer_wraps(qtbot):
    bar = TimelineBar(capacity=3)
    qtbot.addWidget(bar)
    for step in (1, 2, 3):
        bar.record({"kind": "plane", "step": step})
    bar.scrub_to(1)
    bar.record({"kind": "plane", "step": 4})  # the oldest snapshot drops out
    assert bar.ring.steps() == [2, 3, 4] and bar.shown_frame()["step"] == 2


def test_gif_export_of_the_replay(qtbot, tmp_path):
    import imageio.v3 as iio

    panel = SamplesPanel()
    qtbot.addWidget(panel)
    panel.timeline.set_real(on_modes(list(range(8)), 200), ring_centres())
    for step in range(1, 6):
        panel.add_frame(plane_frame(step * 100, on_modes([step % 8])))
    path = panel.timeline.export(tmp_path / "replay.gif")
    frames = iio.imread(path, index=None)
    assert frames.shape[0] == 5 and frames.shape[-1] in (3, 4)
    assert not np.array_equal(frames[0], frames[-1])  # the points moved
    with pytest.raises(ValueError, match="gif or .mp4"):
        panel.timeline.export(tmp_path / "replay.avi")
    if mp4_available():
        assert iio.imread(panel.timeline.export(tmp_path / "replay.mp4"), index=None).shape[0] == 5
    else:
        with pytest.raises(ValueError, match="imageio-ffmpeg"):
            panel.timeline.export(tmp_path / "replay.mp4")


def test_image_frames_export_too(qtbot, tmp_path):
    import imageio.v3 as iio

    bar = TimelineBar()
    qtbot.addWidget(bar)
    for step in (1, 2):
        bar.record({"kind": "images", "step": step, "grid": np.full((30, 30), step * 100, np.uint8)})
    frames = iio.imread(bar.export(tmp_path / "digits.gif"), index=None)
    assert frames.shape[0] == 2


# --- presenter mode and notes ---------------------------------------------------------
def test_presenter_mode_shows_samples_coverage_losses_and_restores(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    window = MainWindow(preset="ring-collapse", settings=settings, runs_root=tmp_path / "runs")
    qtbot.addWidget(window)
    window.show()
    window.presenter_action.trigger()
    assert window.isFullScreen() and window.presenter.active
    assert not window.docks["settings"].isVisible() and not window.docks["controls"].isVisible()
    assert all(window.docks[n].isVisible() for n in ("samples", "coverage", "plots"))
    assert "font-size" in window.styleSheet()
    loss_axis = window.plots.plots["loss"].getAxis("left")
    assert loss_axis.style["tickFont"].pointSize() == 14
    window.notes_action.trigger()
    assert window.notes_dock.isVisible() and "ring-collapse" in window.notes_dock.label.text()
    assert "Watch" in window.notes_dock.label.text()
    window.presenter_action.trigger()
    assert not window.isFullScreen() and window.styleSheet() == ""
    assert loss_axis.style["tickFont"].pointSize() == 10
    assert window.docks["settings"].isVisible()
    window.close()


def test_presenter_mode_fits_a_1024_pixel_projector(qtbot, tmp_path):
    """The layer toggles wrap instead of widening the window, the headline shrinks to fit its half,
    and no tab bar of a group the docks left is drawn over them."""
    from PySide6.QtWidgets import QTabBar

    settings = QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
    window = MainWindow(preset="ring-fixed", settings=settings, runs_root=tmp_path / "runs")
    qtbot.addWidget(window)
    window.show()
    window.presenter.enter()
    window.showNormal()  # the offscreen screen is 800 pixels wide; a 1,024 one is what this is about
    window.resize(1024, 768)
    window.presenter.arrange()
    qtbot.waitUntil(lambda: window.width() == 1024)
    toggles = window.samples.plane_view.toggles
    assert toggles["manifold"].y() > toggles["heatmap"].y()  # a second row of toggles
    assert all(box.isVisible() and box.geometry().right() < window.samples.width() for box in toggles.values())
    assert window.coverage.summary_pt == 14 and "font-size:14pt" in window.coverage.summary_text()
    docks = [window.docks[n] for n in ("samples", "coverage", "plots")]
    for bar in window.findChildren(QTabBar):
        if bar.isVisible() and any(dock.geometry().intersects(bar.geometry()) for dock in docks):
            assert bar.parent().children().index(bar) < min(bar.parent().children().index(d) for d in docks)
    window.presenter.leave()
    assert window.coverage.summary_pt == 15
    window.close()


def test_compare_presenter_mode_enlarges_both_sides_and_restores(qtbot):
    window = CompareWindow("ring-collapse", "ring-fixed", seed=3)
    qtbot.addWidget(window)
    window.show()
    left, right = window.panes
    axis = left.samples.plane_view.plot.getAxis("left")
    legend = left.samples.plane_view.legend
    label = legend.getLabel(left.samples.plane_view.fake)
    before = (axis.style["tickFont"].pointSize(), left.title.font().pointSize())
    assert window.presenter.shortcut.key() == QKeySequence(Qt.Key.Key_F5)
    window.presenter.shortcut.activated.emit()  # as F5 does in an active window
    assert window.presenter.active and window.isFullScreen()
    assert axis.style["tickFont"].pointSize() == 14 and "font-size: 27pt" in left.title.styleSheet()
    assert "font-size:13pt" in label.item.toHtml().replace(" ", "")  # the plane's legend, redrawn larger
    window.presenter.shortcut.activated.emit()
    assert not window.presenter.active and not window.isFullScreen()
    assert "font-size:10pt" in label.item.toHtml().replace(" ", "")
    assert (axis.style["tickFont"].pointSize(), "font-size: 20pt") == \
        (before[0], left.title.styleSheet()[:15])
    window.close()


def test_screenshot_compare_needs_a_collapse_preset(capsys):
    assert cli.main(["screenshot", "--preset", "ring-fixed", "--compare", "--out", "x.png"]) == cli.EXIT_USAGE
    assert "*-collapse" in capsys.readouterr().err
    assert cli.main(["screenshot", "--preset", "ring-collapse", "--presenter", "--out", "x.png"]) == cli.EXIT_USAGE
    assert "add --compare" in capsys.readouterr().err
    args = cli.build_parser().parse_args(["screenshot", "--panel", "coverage", "--out", "x.png"])
    assert args.panel == "coverage"
