"""The screenshot harness: open a real window offscreen, let it work, grab it, report what it shows.

Four grabs share it: the main window training N steps through its own trainer thread (`run_window`,
also used by benchmarks/bench_window.py), the main window attached to a run folder
(`screenshot_attached`), the side-by-side compare window (`run_compare`), and the comparison of
run folders or of a sweep (`screenshot_compare_runs`; `compare_runs_view` also serves `gan-studio compare`).
"""
from __future__ import annotations

import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from .app import make_app, use_offscreen_without_display
from .compare_window import CompareWindow
from .main_window import MainWindow
from .run_compare_view import RunCompareView
from .starters_menu import explore_starter

PANELS = ("settings", "controls", "plots", "samples", "coverage", "checkpoints", "latent", "drawing", "slowmotion", "diagram")
STALL_TICK_MS = 10
COVERAGE_KEYS = ("modes", "hq", "reverse_kl", "classes", "kl_uniform", "frechet")


def _offscreen_app(panel: str | None = None) -> QApplication:
    use_offscreen_without_display()
    if panel is not None and panel not in PANELS:
        raise ValueError(f"--panel must be one of {', '.join(PANELS)}, got {panel!r}")
    return make_app()


@contextmanager
def _main_window(size: tuple[int, int], preset: str | None = None) -> Iterator[MainWindow]:
    """A shown MainWindow whose settings and run library live in a temporary folder; closed on exit."""
    app = QApplication.instance()
    with tempfile.TemporaryDirectory(prefix="gan-studio-shot-") as tmp:
        settings = QSettings(str(Path(tmp) / "window.ini"), QSettings.Format.IniFormat)
        window = MainWindow(preset=preset, settings=settings, runs_root=Path(tmp) / "runs")
        window.resize(*size)
        window.show()
        app.processEvents()
        try:
            yield window
        finally:
            if window.isVisible():
                window.close()
            window.deleteLater()
            app.processEvents()


def _run_until(done: Callable[[], bool], signals, deadline: QTimer) -> None:
    """Run an event loop until `done()` holds (checked whenever one of `signals` fires) or `deadline` fires."""
    if done() or not deadline.isActive():
        return
    loop = QEventLoop()
    check = lambda *_: done() and loop.quit()  # noqa: E731  (same-thread signals only)
    for signal in signals:
        signal.connect(check)
    deadline.timeout.connect(loop.quit)
    loop.exec()
    deadline.timeout.disconnect(loop.quit)
    for signal in signals:
        signal.disconnect(check)


def _deadline(seconds: float) -> QTimer:
    timer = QTimer()
    timer.setSingleShot(True)
    timer.start(int(seconds * 1000))
    return timer


def _settle(window: MainWindow) -> None:
    """The last frame and curves, drawn now rather than at the next timer tick."""
    app = QApplication.instance()
    for _ in range(3):
        app.processEvents()
    window.samples.draw_pending()
    window.plots.redraw(force=True)
    window.coverage.redraw()
    app.processEvents()


def _save_grab(widget: QWidget, out: str | Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(out)):
        raise OSError(f"could not write {out}")
    return out


def _grab_window(window: MainWindow, out: str | Path, panel: str | None) -> Path:
    """The whole window, or one dock as its tab shows it."""
    widget = window if panel is None else window.docks[panel]
    if panel is not None:
        widget.show()
        widget.raise_()
        QApplication.instance().processEvents()
    return _save_grab(widget, out)


def _slow_motion_at(window: MainWindow, sub_step: int, timeout_s: float = 300.0) -> dict:
    """Replay the run's next iteration in slow motion and hold it at `sub_step` (1-based) for the grab;
    returns which sub-step that is (or why there is none)."""
    panel = window.slow_motion
    window.classroom.slow_motion_iteration()
    _run_until(lambda: bool(panel.frames or panel.error), [window.controller.slow_motion_frames],
               _deadline(timeout_s))
    if not panel.frames:
        return {"sub_step": sub_step, "error": panel.error or "timed out"}
    if not 1 <= sub_step <= len(panel.frames):
        raise ValueError(f"--slow-motion must be 1 to {len(panel.frames)}, got {sub_step}")
    panel.show_index(sub_step - 1)
    panel.pause()
    QApplication.instance().processEvents()
    frame = panel.frame
    return {"sub_step": sub_step, "of": len(panel.frames), "key": frame["key"], "title": frame["title"],
            "step": frame["step"] + 1}


def run_window(preset: str, steps: int, out: str | Path | None = None, panel: str | None = None,
               size: tuple[int, int] = (1600, 1000), time_limit_s: float = 1800.0, config=None, slow_motion: int | None = None,
               refresh: tuple[float, float] | None = None) -> dict:
    """Train `steps` steps of `preset` (or of `config`, a Config, when given) in the window and return
    the measurements (and save a grab). `refresh`: (plot redraws, sample refreshes) per second instead of
    the Settings panel's defaults (benchmarks/window_gap.py measures what they cost)."""
    app = _offscreen_app(panel)
    with _main_window(size, preset) as window:
        if config is not None:
            window.settings_panel.show_run_config(config, "", "")  # no preset named: it is not one
            if config.data.name.startswith("points:"):  # the drawing panel shows the points being learned
                window.drawing.load(config.data.name[len("points:"):])
        window.settings_panel.set_value("train.steps", steps)
        if refresh is not None:
            window.settings_panel.plot_rate.setValue(refresh[0])
            window.settings_panel.sample_rate.setValue(refresh[1])
        if panel == "checkpoints":  # a few autosaves to list
            window.settings_panel.set_value("train.save_every", max(1, steps // 4))
        if not window.settings_panel.valid:
            raise ValueError(f"invalid settings: {window.settings_panel.errors}")
        lateness: list[float] = []
        clock = QElapsedTimer()
        tick = QTimer()
        tick.setInterval(STALL_TICK_MS)
        measuring = {"on": False, "last": 0}

        def on_tick() -> None:  # runs in the GUI thread (a same-thread connection)
            now = clock.nsecsElapsed()
            if measuring["on"] and measuring["last"]:
                lateness.append(max(0.0, (now - measuring["last"]) / 1e6 - STALL_TICK_MS))
            measuring["last"] = now

        def done() -> bool:
            state = window.controller.state
            measuring["on"] = state == "running"
            return state in ("completed", "idle") or (state == "paused" and bool(window.last_error))

        tick.timeout.connect(on_tick)
        clock.start()
        tick.start()
        if panel == "latent":  # on show, the explorer follows the run's generator
            window.show_explorer()
            app.processEvents()
        started = time.perf_counter()
        window.start()
        _run_until(done, [window.controller.state_changed], _deadline(time_limit_s))
        wall = time.perf_counter() - started
        tick.stop()
        _settle(window)
        if panel == "latent":
            window.latent.settle_for_screenshot()
            app.processEvents()
        shown = _slow_motion_at(window, slow_motion) if slow_motion is not None else None
        device = window.controls.values["device"].text()
        if out is not None:
            out = _grab_window(window, out, panel)
        error = window.last_error
        window.close()  # a run still going saves and ends: its last numbers come with the end
        info = window.controller.last_finished or {}
    run_steps, run_wall = info.get("run_steps", 0), info.get("run_wall_s", 0.0)
    stalls = np.array(lateness) if lateness else np.zeros(1)
    report = {"preset": None if config is not None else preset, "steps": int(info.get("step", 0)),
              "gui_steps_per_s": round(run_steps / run_wall, 2) if run_wall > 0 else 0.0,
              "ui_stall_p99_ms": round(float(np.percentile(stalls, 99)), 2),
              "ui_stall_max_ms": round(float(stalls.max()), 2),
              "ui_ticks": len(lateness), "wall_s": round(wall, 2), "device": device,
              "torch_threads": info.get("torch_threads"), "thread_probe": info.get("thread_probe") or {},
              "thread_history": info.get("thread_history") or [],
              "trainer_thread_s": info.get("trainer_thread_s") or {}}
    if out is not None:
        report["out"] = str(out)
    if panel is not None:
        report["panel"] = panel
    if shown is not None:
        report["slow_motion"] = shown
    if error:
        report["error"] = error
    return report


def screenshot_attached(run_dir: str | Path, out: str | Path, panel: str | None = None,
                        size: tuple[int, int] = (1600, 1000), timeout_s: float = 120.0) -> dict:
    """Open the window attached to `run_dir`, wait (at most `timeout_s`) until it has drawn what the
    folder holds now (metrics, newest samples, newest checkpoint, coverage), grab it, and return what
    it shows."""
    _offscreen_app(panel)
    started = time.perf_counter()
    with _main_window(size) as window:
        if not window.attach(run_dir):
            raise ValueError(f"could not attach to {run_dir}")
        attachment, coverage = window.attachment, window.coverage
        deadline = _deadline(timeout_s)
        _run_until(lambda: attachment.is_settled, [attachment.settled], deadline)
        if coverage.kind == "classes" and attachment.rendered_step is not None:
            _run_until(lambda: coverage.latest is not None and coverage.latest["step"] >= attachment.rendered_step,
                       [coverage.evaluation.result, coverage.evaluation.failed], deadline)
        timed_out = not deadline.isActive()
        deadline.stop()
        _settle(window)
        out = _grab_window(window, out, panel)
        report = {"run_dir": str(attachment.root), "steps": window.counters[0],
                  "samples_step": attachment.sample_step, "checkpoints": len(attachment.checkpoints),
                  "checkpoint_drawn": attachment.rendered_step, "out": str(out),
                  "wall_s": round(time.perf_counter() - started, 2)}
        if attachment.follower.skipped_lines:
            report["skipped_lines"] = attachment.follower.skipped_lines
        if attachment.problem:
            report["problem"] = attachment.problem
    if panel is not None:
        report["panel"] = panel
    if timed_out:
        report["timed_out"] = True
    return report


def screenshot_starter(name: str, out: str | Path, panel: str | None = "latent",
                       size: tuple[int, int] = (1600, 1000), timeout_s: float = 60.0) -> dict:
    """Open the window, choose Explore ▸ starter NAME, wait until the explorer has drawn its picture, walk
    and directions, grab it; `first_picture_s` is the time from the choice to the first picture shown."""
    app = _offscreen_app(panel)
    with _main_window(size) as window:
        latent = window.latent
        started = time.perf_counter()
        if not explore_starter(window, name):
            raise ValueError(window.statusBar().currentMessage())
        deadline = started + timeout_s
        while latent.frames_shown == 0 and time.perf_counter() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        first = time.perf_counter() - started
        latent.settle_for_screenshot(max(1.0, deadline - time.perf_counter()))
        out = _grab_window(window, out, panel)
        report = {"starter": name, "step": latent.step, "first_picture_s": round(first, 3),
                  "settled_s": round(time.perf_counter() - started, 2), "out": str(out)}
    if panel is not None:
        report["panel"] = panel
    return report


def run_compare(left: str, right: str, out: str | Path | None = None, seed: int | None = None,
                size: tuple[int, int] = (1700, 1000), time_limit_s: float = 1800.0, presenter: bool = False) -> dict:
    """Train `left` and `right` side by side to their demo steps, grab the window (in presenter mode when
    asked: large text and axis numbers), and return each side's final coverage (`screenshot --compare`)."""
    app = _offscreen_app()
    window = CompareWindow(left, right, seed=seed)
    window.resize(*size)
    window.show()
    app.processEvents()

    def done() -> bool:
        return all(p.controller.state in ("completed", "idle") and p.step or p.error for p in window.panes)

    signals = [s for p in window.panes for s in (p.controller.state_changed, p.controller.failed)]
    started = time.perf_counter()
    window.start()
    _run_until(done, signals, _deadline(time_limit_s))
    wall = time.perf_counter() - started
    for _ in range(3):
        app.processEvents()
    if presenter:
        window.presenter.enter(full_screen=False)
    for pane in window.panes:
        pane.samples.draw_pending()
        pane.coverage.redraw()
    app.processEvents()
    report: dict = {"left": left, "right": right, "seed": window.seed.value(), "wall_s": round(wall, 2),
                    "presenter": presenter}
    for side, pane in zip(("left", "right"), window.panes):
        latest = pane.coverage.latest or {}
        report[side + "_result"] = {"preset": pane.name, "step": pane.step,
                                    **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in latest.items()
                                       if k in COVERAGE_KEYS}}
        if pane.error:
            report[side + "_result"]["error"] = pane.error
    if out is not None:
        report["out"] = str(_save_grab(window, out))
    window.close()
    window.deleteLater()
    app.processEvents()
    return report


@contextmanager
def compare_runs_view(paths: list[str | Path], size: tuple[int, int] = (1600, 1000)) -> Iterator[RunCompareView]:
    """The comparison of run folders (or of one sweep folder), shown offscreen and drawn; closed on exit."""
    app = _offscreen_app()
    window = RunCompareView(paths)
    window.resize(*size)
    window.show()
    for _ in range(3):  # layout, then the plots' ranges, then their paint
        app.processEvents()
    try:
        yield window
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()


def screenshot_compare_runs(paths: list[str | Path], out: str | Path, size: tuple[int, int] = (1600, 1000)) -> dict:
    """Grab the comparison of `paths` and return what it shows (for `gan-studio screenshot --compare-runs`)."""
    started = time.perf_counter()
    with compare_runs_view(paths, size) as window:
        out = _save_grab(window, out)
        if window.sweep is not None:
            sweep = window.sweep
            report = {"sweep": str(sweep.folder), "settings": len(sweep.rows), "fields": sweep.fields,
                      "metrics": sweep.metrics, "source": sweep.source}
        else:
            comparison = window.comparison
            report = {"runs": [str(run.root) for run in comparison.runs], "names": comparison.names,
                      "metrics": comparison.metrics(), "samples_step": window.pictures.step}
    return {**report, "out": str(out), "wall_s": round(time.perf_counter() - started, 2)}
