"""The run comparison window (model: core.run_compare): several runs' curves overlaid, the settings
that differ, their samples side by side at one step; or a sweep folder's final metrics per setting.

Runs still being written grow: one QTimer polls their folders and redraws what changed. The
comparison exports as a PNG or SVG picture, its table as CSV or Markdown, or all as a report.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QPoint, QRect, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QBrush, QColor, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QMainWindow, QSlider, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..core.atomic import write_atomic
from ..core.run_compare import CHECKPOINT_METRICS, RunComparison, is_sweep_folder, read_sweep, short_names
from ..core.sweep_study import results_csv, results_markdown
from .engine_texts import engine_message
from .run_compare_parts import CurveGrid, SamplePictures, SweepPlots, colour_of, legend_html, metric_title

REFRESH_MS = 1000  # how often runs still being written are polled
TABLE_METRICS = CHECKPOINT_METRICS  # final values shown beside the settings (the losses are in the plots)
LEGEND_STYLE = "font-size: 12pt; padding: 4px;"


def picture_bytes(widget: QWidget, svg: bool = False, title: str = "") -> bytes:
    """The widget as drawn, as PNG bytes or as an SVG drawing (written whole by the caller)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if svg:
        generator = QSvgGenerator()
        generator.setOutputDevice(buffer)
        generator.setSize(QSize(widget.width(), widget.height()))
        generator.setViewBox(QRect(0, 0, widget.width(), widget.height()))
        generator.setTitle(title)
        painter = QPainter(generator)
        try:
            widget.render(painter, QPoint())
        finally:
            painter.end()
    else:
        widget.grab().save(buffer, "PNG")
    return bytes(buffer.data())


def read_only_table(rows: int, columns: int) -> QTableWidget:
    table = QTableWidget(rows, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setStyleSheet("font-size: 11pt;")
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def fit_height(table: QTableWidget) -> None:
    """Tall enough for every row (a few rows: the table is read at a glance, never scrolled)."""
    table.resizeRowsToContents()
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    scroll = table.horizontalScrollBar().sizeHint().height()
    table.setMinimumHeight(min(table.horizontalHeader().sizeHint().height() + rows + scroll + 4, 420))


def set_cell(table: QTableWidget, row: int, column: int, text: str) -> None:
    item = QTableWidgetItem(text)
    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    table.setItem(row, column, item)


class RunCompareView(QMainWindow):
    """Runs compared (two or more run folders), or a sweep (one sweep folder)."""

    drawn = Signal()  # after each redraw

    def __init__(self, paths: list[str | Path], parent: QWidget | None = None, refresh_ms: int = REFRESH_MS):
        super().__init__(parent)
        paths = [Path(p) for p in paths]
        self.comparison: RunComparison | None = None
        self.sweep = read_sweep(paths[0]) if len(paths) == 1 and is_sweep_folder(paths[0]) else None
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet(LEGEND_STYLE)
        self.legend.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = read_only_table(0, 0)
        self.redraws = 0
        self.timer = QTimer(self)
        if self.sweep is not None:
            self._build_sweep()
        else:
            self.comparison = RunComparison(paths)
            self._build_runs()
            self.timer.setInterval(refresh_ms)
            self.timer.timeout.connect(self._on_timer)  # runs while the window shows
        self._make_menu()
        self.resize(1600, 1000)

    # -- runs ----------------------------------------------------------------------------
    def _build_runs(self) -> None:
        comparison = self.comparison
        self.setWindowTitle(self.tr("Compare {n} runs").format(n=len(comparison.runs)))
        self.colours = [colour_of(i) for i in range(len(comparison.runs))]
        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setRange(0, 95)
        self.smoothing.setValue(60)
        self.smoothing.setToolTip(self.tr("exponential moving average of the training curves (0 = raw values)"))
        self.smoothing.valueChanged.connect(self._on_smoothing)
        self.smoothing_value = QLabel("0.60")
        self.curves = CurveGrid()
        self.pictures = SamplePictures(comparison.names, self.colours)
        self.pictures.step_changed.connect(self._on_step)

        bar = QHBoxLayout()
        bar.addWidget(self.legend, 1)
        bar.addWidget(QLabel(self.tr("Smoothing")))
        bar.addWidget(self.smoothing)
        bar.addWidget(self.smoothing_value)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.table)
        right.addWidget(self.pictures)
        right.setStretchFactor(1, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.curves)
        split.addWidget(right)
        split.setSizes([565, 435])  # in proportion: the pictures' cells take any size, so say it
        right.setSizes([1, 1000])  # the table at its minimum height (every row), the pictures the rest
        self._set_central(bar, split)
        self.redraw()

    def _set_central(self, bar: QHBoxLayout, body: QWidget) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(bar)
        layout.addWidget(body, 1)
        self.setCentralWidget(central)

    def redraw(self) -> None:
        """Curves, legend, table and pictures from what the model holds now."""
        comparison = self.comparison
        names = [self.tr("{run} (training)").format(run=name) if run.live else name
                 for name, run in zip(comparison.names, comparison.runs)]
        self.legend.setText(legend_html(names, self.colours))
        self.curves.draw(comparison, self.colours, self.smoothing.value() / 100)
        self._fill_run_table()
        self.pictures.set_steps(comparison.sample_steps())  # shows the pictures (step_changed)
        self.redraws += 1
        self.drawn.emit()

    def _fill_run_table(self) -> None:
        """A row per run: the fields that differ, its last step and its final numbers."""
        comparison = self.comparison
        rows = [(label, values) for label, values in comparison.report_rows()
                if label in comparison.fields or label == "last step" or label.removeprefix("final ") in TABLE_METRICS]
        table = self.table
        table.setRowCount(len(comparison.runs))
        table.setColumnCount(len(rows))
        short = dict(zip(comparison.fields, short_names(comparison.fields)))  # the legend's names
        table.setHorizontalHeaderLabels([short.get(label) or self._column_title(label) for label, _ in rows])
        for column, (label, _) in enumerate(rows):
            table.horizontalHeaderItem(column).setToolTip(label)
        table.setVerticalHeaderLabels([f"━ {run.root.name}" for run in comparison.runs])
        for index, colour in enumerate(self.colours):
            table.verticalHeaderItem(index).setForeground(QBrush(QColor(colour)))
            table.verticalHeaderItem(index).setToolTip(str(comparison.runs[index].root))
        for column, (_, values) in enumerate(rows):
            for row, value in enumerate(values):
                set_cell(table, row, column, value)
        fit_height(table)

    def _column_title(self, label: str) -> str:
        """'last step' and 'final METRIC' (core.run_compare's row names) in the window's language."""
        if label == "last step":
            return self.tr("last step")
        return self.tr("final\n{metric}").format(metric=metric_title(label.removeprefix("final ")))

    @Slot(int)
    def _on_smoothing(self, value: int) -> None:
        self.smoothing_value.setText(f"{value / 100:.2f}")
        self.redraw()

    @Slot(int)
    def _on_step(self, step: int) -> None:
        self.pictures.show_samples(self.comparison.names, self.comparison.samples_near(step))
        self.curves.set_cursor(step if self.pictures.steps else None)

    @Slot()
    def _on_timer(self) -> None:
        if self.comparison.refresh():
            self.redraw()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.comparison is not None:
            self.comparison.refresh()
            self.redraw()
            self.timer.start()

    def hideEvent(self, event) -> None:
        self.timer.stop()
        super().hideEvent(event)

    # -- sweep ---------------------------------------------------------------------------
    def _build_sweep(self) -> None:
        sweep = self.sweep
        self.setWindowTitle(self.tr("Sweep {name}").format(name=sweep.folder.name))
        self.sweep_plots = SweepPlots(sweep)
        self.x_axis_choice = QComboBox()
        self.x_axis_choice.addItems(sweep.fields)
        self.x_axis_choice.setToolTip(self.tr("the setting along the x axis; each combination of the others is a "
                                              "line"))
        self.x_axis_choice.currentTextChanged.connect(self.draw_sweep)
        bar = QHBoxLayout()
        bar.addWidget(self.legend, 1)
        bar.addWidget(QLabel(self.tr("x axis")))
        bar.addWidget(self.x_axis_choice)
        header, *rows = sweep.table()  # the setting's fields (names), "seeds", the metrics
        self.table.setRowCount(len(rows))
        self.table.setColumnCount(len(header))
        self.table.setHorizontalHeaderLabels([*sweep.fields, self.tr("seeds"), *map(metric_title, sweep.metrics)])
        for column, name in enumerate(header):
            self.table.horizontalHeaderItem(column).setToolTip(name)
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                set_cell(self.table, r, c, text)
        fit_height(self.table)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.sweep_plots)
        split.addWidget(self.table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        self._set_central(bar, split)
        self.draw_sweep(self.x_axis_choice.currentText())

    @Slot(str)
    def draw_sweep(self, x_field: str) -> None:
        sweep = self.sweep
        groups = self.sweep_plots.draw(x_field)
        title = self.tr("<b>{name}</b>: {n} settings, mean ± std over seeds (numbers from {source})").format(
            name=sweep.folder.name, n=len(sweep.rows), source=engine_message(sweep.source)) + "<br>"
        names = [metric_title(group) if group in sweep.metrics else group for group in groups]  # a metric: its name
        self.legend.setText(title + legend_html(names, [colour_of(i) for i in range(len(groups))]))
        self.redraws += 1
        self.drawn.emit()

    # -- exports -------------------------------------------------------------------------
    def _make_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&File"))
        for text, slot in ((self.tr("Export picture (PNG or SVG)…"), self.ask_export_picture),
                           (self.tr("Export table (CSV or Markdown)…"), self.ask_export_table),
                           (self.tr("Close"), self.close)):
            action = QAction(text, self)
            action.triggered.connect(slot)
            menu.addAction(action)

    @Slot()
    def ask_export_picture(self) -> None:
        self._ask_export(self.tr("Export the comparison"), "comparison.png",
                         self.tr("PNG picture (*.png);;SVG drawing (*.svg)"), self.export_picture)

    @Slot()
    def ask_export_table(self) -> None:
        self._ask_export(self.tr("Export the table"), "comparison.csv", self.tr("CSV (*.csv);;Markdown (*.md)"),
                         self.export_table)

    def _ask_export(self, title: str, name: str, filters: str, export) -> None:
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), filters)
        if path:
            self.exporting(export, path)

    def exporting(self, export, path: str) -> None:
        """Run an export the user asked for; what went wrong shows on the status bar."""
        try:
            self.statusBar().showMessage(self.tr("Wrote {path}").format(path=export(path)), 8000)
        except OSError as exc:
            self.statusBar().showMessage(self.tr("Could not write {path}: {reason}").format(
                path=path, reason=exc.strerror or exc), 15000)

    def export_picture(self, path: str | Path) -> Path:
        """What the window shows (curves, table, pictures) as .png, or .svg (its plots as vectors)."""
        path = Path(path)
        write_atomic(path, picture_bytes(self.centralWidget(), svg=path.suffix.lower() == ".svg",
                                         title=self.windowTitle()))
        return path

    def table_text(self, markdown: bool) -> str:
        if self.sweep is not None:
            return results_markdown(self.sweep.rows, self.sweep.steps) if markdown else results_csv(self.sweep.rows)
        return self.comparison.table_markdown() if markdown else self.comparison.table_csv()

    def export_table(self, path: str | Path) -> Path:
        """The table as .csv, else as Markdown."""
        path = Path(path)
        write_atomic(path, self.table_text(markdown=path.suffix.lower() != ".csv"))
        return path

    def export_report(self, out: str | Path) -> list[Path]:
        """`out` (.md): the table and the figures it shows, with the CSV and PNGs beside it."""
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        figures = [(self.sweep_plots, "sweep")] if self.sweep is not None else \
            [(self.curves, "curves"), (self.pictures, "samples")]
        written = []
        for widget, name in figures:
            figure = out.with_name(f"{out.stem}-{name}.png")
            write_atomic(figure, picture_bytes(widget))
            written.append(figure)
        csv_path = self.export_table(out.with_suffix(".csv"))
        title = f"# Sweep {self.sweep.folder.name}" if self.sweep is not None else \
            f"# {len(self.comparison.runs)} runs compared"
        images = "".join(f"![{p.stem}]({p.name})\n\n" for p in written)
        write_atomic(out, f"{title}\n\n{images}{self.table_text(markdown=True)}\nThe table as CSV: {csv_path.name}\n")
        return [out, csv_path, *written]
