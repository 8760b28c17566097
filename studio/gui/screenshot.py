"""Open the real window offscreen, train N steps through its own trainer thread, grab it.

Used by `gan-studio screenshot` and by benchmarks/bench_window.py.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

PANELS = ("settings", "controls", "plots", "samples", "coverage", "checkpoints", "latent")
STALL_TICK_MS = 10


def run_window(preset: str, steps: int, out: str | Path | None = None, panel: str | None = None,
               size: tuple[int, int] = (1600, 1000), time_limit_s: float = 1800.0) -> dict:
    """Train `steps` steps of `preset` in the window and return the measurements (and save a grab)."""
    from .app import make_app, use_offscreen_without_display

    use_offscreen_without_display()
    if panel is not None and panel not in PANELS:
        raise ValueError(f"--panel must be one of {', '.join(PANELS)}, got {panel!r}")
    app = make_app()
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer

    from .main_window import MainWindow

    with tempfile.TemporaryDirectory(prefix="gan-studio-shot-") as tmp:
        settings = QSettings(str(Path(tmp) / "window.ini"), QSettings.Format.IniFormat)
        window = MainWindow(preset=preset, settings=settings, runs_root=Path(tmp) / "runs")
        window.resize(*size)
        window.show()
        app.processEvents()
        window.settings_panel.set_value("train.steps", steps)
        if panel == "checkpoints":  # a few autosaves to list
            window.settings_panel.set_value("train.save_every", max(1, steps // 4))
        if not window.settings_panel.valid:
            window.close()
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

        tick.timeout.connect(on_tick)
        loop = QEventLoop()
        outcome = {"state": ""}

        def on_state(state: str) -> None:
            if state == "running":
                measuring["on"] = True
            if state in ("completed", "idle") or (state == "paused" and window.last_error):
                outcome["state"] = state
                measuring["on"] = False
                loop.quit()

        window.controller.state_changed.connect(on_state)
        clock.start()
        tick.start()
        QTimer.singleShot(int(time_limit_s * 1000), loop.quit)
        if panel == "latent":  # on show, the explorer follows the run's generator
            window.show_explorer()
            app.processEvents()
        started = time.perf_counter()
        window.start()
        loop.exec()
        wall = time.perf_counter() - started
        tick.stop()
        # the last frame and curves, drawn now rather than at the next timer tick
        for _ in range(3):
            app.processEvents()
        window.samples.draw_pending()
        window.plots.redraw(force=True)
        window.coverage.redraw()
        if panel == "latent":
            window.latent.settle_for_screenshot()
        app.processEvents()
        device = window.controls.values["device"].text()
        if out is not None:
            out = Path(out)
            out.parent.mkdir(parents=True, exist_ok=True)
            widget = window if panel is None else window.docks[panel]
            if panel is not None:
                widget.raise_()  # a tabbed dock is grabbed as its tab shows it
                app.processEvents()
            if not widget.grab().save(str(out)):
                raise OSError(f"could not write {out}")
        error = window.last_error
        window.close()
        info = window.controller.last_finished or {}
        window.deleteLater()
        app.processEvents()
    run_steps, run_wall = info.get("run_steps", 0), info.get("run_wall_s", 0.0)
    stalls = np.array(lateness) if lateness else np.zeros(1)
    report = {"preset": preset, "steps": int(info.get("step", 0)),
              "gui_steps_per_s": round(run_steps / run_wall, 2) if run_wall > 0 else 0.0,
              "ui_stall_p99_ms": round(float(np.percentile(stalls, 99)), 2),
              "ui_stall_max_ms": round(float(stalls.max()), 2),
              "ui_ticks": len(lateness), "wall_s": round(wall, 2), "device": device}
    if out is not None:
        report["out"] = str(out)
    if panel is not None:
        report["panel"] = panel
    if error:
        report["error"] = error
    return report
