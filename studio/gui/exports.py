"""File ▸ Export: the loss plots (PNG, SVG), the sample grid (PNG), the metrics (CSV) and the
sample history (GIF/MP4) of the run on show, live or attached.

The functions take the window and a path and raise ExportError with a sentence to show; the
menu only asks for the file name and calls them.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph.exporters as pg_exporters
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu

from ..core.config import Config
from ..core.export import metrics_csv, mp4_available, sample_history
from ..core.render import save_png
from ..core.run import RunDirectory


class ExportError(RuntimeError):
    """Nothing to export yet, or a file that cannot be written; the message says which."""


def current_run_dir(window) -> Path:
    """The attached run's folder, else the folder of the run trained in the window."""
    if window.attachment is not None:
        return window.attachment.root
    if window.run_dir is None:
        raise ExportError(QCoreApplication.translate(
            "Exports", "No run yet: start one or attach to one first"))
    return Path(window.run_dir)


def _shown_config(window) -> Config:
    if window.attachment is not None and window.attachment.config is not None:
        return window.attachment.config
    return window.settings_panel.config


def _write_svg(layout, path: Path) -> None:
    """The layout's part of its scene drawn into an SVG by Qt's own generator: pyqtgraph 0.14's SVGExporter
    fails on the closed paths Qt 6.9+ writes (pyqtgraph issue #3495)."""
    from PySide6.QtCore import QRect, QRectF, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    source = layout.sceneBoundingRect()
    width, height = int(source.width()), int(source.height())
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(width, height))
    generator.setViewBox(QRect(0, 0, width, height))
    generator.setTitle(QCoreApplication.translate("Exports", "GAN Studio live plots"))
    painter = QPainter(generator)
    try:
        layout.scene().render(painter, QRectF(0, 0, width, height), source)
    finally:
        painter.end()


def export_plots(window, path: str | Path) -> Path:
    """All the live plots, as shown, in one picture: .png (pyqtgraph's ImageExporter, at the plots' size
    on screen) or .svg."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ExportError(QCoreApplication.translate(
            "Exports", "plots are saved as .png or .svg, got {name}").format(name=repr(path.name)))
    if not window.plots.points():
        raise ExportError(QCoreApplication.translate(
            "Exports", "The plots are empty: train or attach to a run first"))
    window.plots.redraw(force=True)
    layout = window.plots.view.ci
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".png":
        pg_exporters.ImageExporter(layout).export(str(path))
    else:
        _write_svg(layout, path)
    if not path.is_file():
        raise ExportError(QCoreApplication.translate(
            "Exports", "could not write {path}").format(path=path))
    return path


def shown_samples(window) -> np.ndarray:
    """The samples on show as a uint8 picture (see SamplesPanel.current_picture)."""
    picture = window.samples.current_picture(_shown_config(window))
    if picture is None:
        raise ExportError(QCoreApplication.translate(
            "Exports", "No samples on show yet: train or attach to a run first"))
    return picture


def export_sample_grid(window, path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise ExportError(QCoreApplication.translate(
            "Exports", "the sample grid is saved as .png, got {name}").format(name=repr(path.name)))
    return save_png(shown_samples(window), path)


def export_metrics_csv(window, path: str | Path) -> Path:
    run = RunDirectory(current_run_dir(window))
    if not run.metrics_path.is_file():
        raise ExportError(QCoreApplication.translate(
            "Exports", "{folder} has no metrics.jsonl yet").format(folder=run.root))
    return metrics_csv(run, path)


def export_sample_history(window, path: str | Path, fps: float = 4.0) -> Path:
    try:
        return sample_history(RunDirectory(current_run_dir(window)), path, fps)
    except (FileNotFoundError, ValueError) as exc:
        raise ExportError(str(exc)) from None


EXPORTS = (  # menu text, file filter, default suffix, function (texts translated where shown)
    (QT_TRANSLATE_NOOP("Exports", "Loss plots as PNG…"),
     QT_TRANSLATE_NOOP("Exports", "PNG images (*.png)"), ".png", export_plots),
    (QT_TRANSLATE_NOOP("Exports", "Loss plots as SVG…"),
     QT_TRANSLATE_NOOP("Exports", "SVG drawings (*.svg)"), ".svg", export_plots),
    (QT_TRANSLATE_NOOP("Exports", "Sample grid as PNG…"),
     QT_TRANSLATE_NOOP("Exports", "PNG images (*.png)"), ".png", export_sample_grid),
    (QT_TRANSLATE_NOOP("Exports", "Metrics as CSV…"),
     QT_TRANSLATE_NOOP("Exports", "CSV files (*.csv)"), ".csv", export_metrics_csv),
    (QT_TRANSLATE_NOOP("Exports", "Sample history as GIF/MP4…"),
     QT_TRANSLATE_NOOP("Exports", "GIF animations (*.gif);;MP4 videos (*.mp4)"), ".gif", export_sample_history),
)


def ask_export(window, title: str, file_filter: str, suffix: str, export) -> Path | None:
    """Ask for a file name, export, and say on the status bar where it went (or why not)."""
    try:
        name = f"{current_run_dir(window).name}-{title.split(' as ')[0].lower().replace(' ', '-')}{suffix}"
    except ExportError:
        name = f"gan-studio{suffix}"
    file_filter = QCoreApplication.translate("Exports", file_filter)
    if export is export_sample_history and not mp4_available():
        file_filter = file_filter.split(";;")[0]
    path, _ = QFileDialog.getSaveFileName(window, QCoreApplication.translate("Exports", title).rstrip("…"),
                                          str(Path.home() / name), file_filter)
    if not path:
        return None
    if not Path(path).suffix:
        path += suffix
    try:
        written = export(window, path)
    except (ExportError, OSError) as exc:
        window.statusBar().showMessage(QCoreApplication.translate(
            "Exports", "Not exported: {error}").format(error=exc), 15000)
        return None
    window.statusBar().showMessage(QCoreApplication.translate(
            "Exports", "Exported {path}").format(path=written), 8000)
    return written


def install_export_menu(window, menu: QMenu) -> None:
    for title, file_filter, suffix, export in EXPORTS:
        action = QAction(QCoreApplication.translate("Exports", title), window)
        action.triggered.connect(lambda _=False, t=title, f=file_filter, s=suffix, e=export:
                                 ask_export(window, t, f, s, e))
        menu.addAction(action)
