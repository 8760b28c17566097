"""`gan-studio` with no command (or `window`): the app and its main window."""
from __future__ import annotations

from .app import make_app
from .main_window import MainWindow


def run_app(preset: str | None = None, run_dir: str | None = None, attach: str | None = None) -> int:
    """`run_dir`: open a run to resume or explore; `attach`: follow a run another process writes."""
    app = make_app()
    window = MainWindow(preset=preset)
    window.show()
    if run_dir:
        window.open_run(run_dir)
    if attach:
        window.attach(attach)
    return app.exec()
