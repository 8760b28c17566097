"""The QApplication and `run_app`, the entry point of `gan-studio` with no command."""
from __future__ import annotations

import os
import sys

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

import pyqtgraph as pg  # after PySide6, so that pyqtgraph uses it

from .main_window import APPLICATION, ORGANISATION, MainWindow

BASE_POINT_SIZE = 11  # readable on a projector


def use_offscreen_without_display() -> None:
    """Qt's offscreen platform when there is no X11 or Wayland display (before QApplication)."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication (made once), with the studio's names, font and plot options."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setOrganizationName(ORGANISATION)
        app.setApplicationName(APPLICATION)
        app.setApplicationDisplayName("GAN Studio")
        font = QFont(app.font())
        if font.pointSize() < BASE_POINT_SIZE:
            font.setPointSize(BASE_POINT_SIZE)
            app.setFont(font)
    # no antialiasing for curves: it costs 2x the paint time on a CPU (the 2-D plane turns it on)
    pg.setConfigOptions(antialias=False, foreground="k", background="w")
    return app


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
