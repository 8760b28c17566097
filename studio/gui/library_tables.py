"""The two lists of the library panel: the library's runs, and the checkpoints of the selected run.

A checkpoint without sidecars (a CLI run's) gets its thumbnail written one file per
event-loop turn, so that a long run lists at once and its pictures fill in.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from ..core.checkpoint_meta import CheckpointInfo, describe_checkpoint_file, list_run_checkpoints
from ..core.checkpoints import CheckpointError
from ..core.library import RunInfo

ICON_SIZE = 88
CHECKPOINT_COLUMNS = (
    QT_TRANSLATE_NOOP("LibraryTables", "Samples"),
    QT_TRANSLATE_NOOP("LibraryTables", "Step"),
    QT_TRANSLATE_NOOP("LibraryTables", "Saved"),
    QT_TRANSLATE_NOOP("LibraryTables", "Note"),
    QT_TRANSLATE_NOOP("LibraryTables", "Modes"),
    QT_TRANSLATE_NOOP("LibraryTables", "D loss"),
    QT_TRANSLATE_NOOP("LibraryTables", "G loss"),
)
RUN_COLUMNS = (
    QT_TRANSLATE_NOOP("LibraryTables", "Run"),
    QT_TRANSLATE_NOOP("LibraryTables", "Data"),
    QT_TRANSLATE_NOOP("LibraryTables", "Checkpoints"),
    QT_TRANSLATE_NOOP("LibraryTables", "Last step"),
    QT_TRANSLATE_NOOP("LibraryTables", "Started"),
    QT_TRANSLATE_NOOP("LibraryTables", "Parent"),
)
PATH_ROLE = Qt.ItemDataRole.UserRole + 1  # where a row keeps the folder or file it shows
METRIC_NAMES = {
    "modes": QT_TRANSLATE_NOOP("LibraryTables", "modes captured"),
    "hq": QT_TRANSLATE_NOOP("LibraryTables", "high-quality share"),
    "reverse_kl": QT_TRANSLATE_NOOP("LibraryTables", "reverse KL"),
    "loss_d": QT_TRANSLATE_NOOP("LibraryTables", "D loss"),
    "loss_g": QT_TRANSLATE_NOOP("LibraryTables", "G loss"),
    "d_real": QT_TRANSLATE_NOOP("LibraryTables", "D(x) real"),
    "d_fake": QT_TRANSLATE_NOOP("LibraryTables", "D(G(z)) fake"),
    "grad_norm_d": "‖∇D‖", "grad_norm_g": "‖∇G‖",
    "wasserstein": QT_TRANSLATE_NOOP("LibraryTables", "W estimate"),
}


def table_text(text: str) -> str:
    """A column or metric name above in the window's language."""
    return QCoreApplication.translate("LibraryTables", text)


def metric_name(key: str) -> str:
    return table_text(METRIC_NAMES.get(key, key))


def format_time(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))


def format_value(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def picture_icon(picture: np.ndarray) -> QIcon:
    """An icon of a uint8 grey or RGB array (copied: the array may go away)."""
    picture = np.ascontiguousarray(picture)
    grey = picture.ndim == 2
    image = QImage(picture.data, picture.shape[1], picture.shape[0], picture.strides[0],
                   QImage.Format.Format_Grayscale8 if grey else QImage.Format.Format_RGB888).copy()
    return QIcon(QPixmap.fromImage(image))


class SortItem(QTreeWidgetItem):
    """Sorts by the value stored in UserRole (numbers as numbers), else by text."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        column = self.treeWidget().sortColumn() if self.treeWidget() else 0
        mine, theirs = self.data(column, Qt.ItemDataRole.UserRole), other.data(column, Qt.ItemDataRole.UserRole)
        if mine is not None and theirs is not None:
            try:
                return mine < theirs
            except TypeError:
                pass
        return self.text(column) < other.text(column)


class RunTable(QTreeWidget):
    """The library's runs, newest first until the user sorts otherwise; each row holds its folder."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHeaderLabels([table_text(c) for c in RUN_COLUMNS])
        self.setRootIsDecorated(False)
        self.setSortingEnabled(True)
        self.sortByColumn(4, Qt.SortOrder.DescendingOrder)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setStretchLastSection(False)

    def show_runs(self, runs: list[RunInfo], wanted: Path | None) -> Path | None:
        """Fill the rows and make `wanted` (else the first run) current, quietly; the current run's folder."""
        self.blockSignals(True)
        self.setSortingEnabled(False)
        self.clear()
        chosen = None
        for run in runs:
            parent = f"{Path(run.parent['run']).name} @ {run.parent.get('step', 0):,}" if run.parent else ""
            item = SortItem([run.name + (self.tr("  (linked)") if run.linked else ""), run.data, str(run.checkpoints),
                             f"{run.last_step:,}", format_time(run.created), parent])
            item.setData(0, PATH_ROLE, str(run.path))
            for column, value in ((2, run.checkpoints), (3, run.last_step), (4, run.created)):
                item.setData(column, Qt.ItemDataRole.UserRole, value)
            item.setToolTip(0, str(run.path))
            self.addTopLevelItem(item)
            if wanted is not None and run.path.resolve() == wanted:
                chosen = item
        self.setSortingEnabled(True)
        for column in range(1, len(RUN_COLUMNS)):
            self.resizeColumnToContents(column)
        if chosen is None and self.topLevelItemCount():
            chosen = self.topLevelItem(0)
        self.setCurrentItem(chosen)
        self.blockSignals(False)
        return self.run_path(chosen)

    @staticmethod
    def run_path(item: QTreeWidgetItem | None) -> Path | None:
        return Path(item.data(0, PATH_ROLE)) if item is not None else None


class CheckpointTable(QTreeWidget):
    """A run's checkpoints, a row each with its thumbnail, filtered by step or note."""

    unreadable = Signal(str)  # why a checkpoint's file could not be described

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHeaderLabels([table_text(c) for c in CHECKPOINT_COLUMNS])
        self.setRootIsDecorated(False)
        self.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.setSortingEnabled(True)
        self.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(0, ICON_SIZE + 12)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self.checkpoints: list[CheckpointInfo] = []
        self.pictures: dict[str, QIcon] = {}  # thumbnails held in memory for checkpoints of read-only runs
        self.filter_text, self.kept_only = "", False
        self._pending_describe: list[Path] = []
        self._describe_timer = QTimer(self)
        self._describe_timer.setInterval(0)
        self._describe_timer.timeout.connect(self._describe_next)

    def show_checkpoints(self, checkpoints: list[CheckpointInfo], describe: bool) -> None:
        """The rows of `checkpoints`, keeping the selection; `describe` writes missing sidecars (not for a
        read-only run, whose folder belongs to another process)."""
        selected = {str(p) for p in self.selected_paths()}
        self.setSortingEnabled(False)
        self.clear()
        self.checkpoints = checkpoints
        self._pending_describe = []
        for info in checkpoints:
            item = self._checkpoint_item(info)
            self.addTopLevelItem(item)
            if str(info.path) in selected:
                item.setSelected(True)
            if describe and not info.described:
                self._pending_describe.append(info.path)
        self.setSortingEnabled(True)
        if self._pending_describe:
            self._describe_timer.start()
        self.apply_filter()

    def stop_describing(self) -> None:
        self._describe_timer.stop()

    def _checkpoint_item(self, info: CheckpointInfo) -> SortItem:
        loss_d, loss_g = info.metrics.get("loss_d"), info.metrics.get("loss_g")
        item = SortItem(["", f"{info.step:,}" + ("  ★" if info.best else ""), format_time(info.saved_at),
                         info.note, info.modes,
                         "" if loss_d is None else f"{loss_d:.3f}", "" if loss_g is None else f"{loss_g:.3f}"])
        item.setData(0, PATH_ROLE, str(info.path))
        for column, value in ((0, info.step), (1, info.step), (2, info.saved_at),
                              (4, list(info.score) if info.score else [-1]),
                              (5, loss_d if loss_d is not None else float("inf")),
                              (6, loss_g if loss_g is not None else float("inf"))):
            item.setData(column, Qt.ItemDataRole.UserRole, value)
        if info.thumbnail is not None:
            item.setIcon(0, QIcon(str(info.thumbnail)))
        elif str(info.path) in self.pictures:
            item.setIcon(0, self.pictures[str(info.path)])
        item.setSizeHint(0, QSize(ICON_SIZE + 8, ICON_SIZE + 8))
        tip = [f"{info.path}"] + [f"{metric_name(k)}: {format_value(v)}" for k, v in info.metrics.items()
                                  if k != "total_modes"]
        if info.best:
            tip.append(self.tr("★ best checkpoint of the run (kept by pruning)"))
        for column in range(len(CHECKPOINT_COLUMNS)):
            item.setToolTip(column, "\n".join(tip))
        return item

    @Slot()
    def _describe_next(self) -> None:
        """Write a thumbnail for one checkpoint that has none (one per event-loop turn)."""
        if not self._pending_describe:
            self._describe_timer.stop()
            return
        path = self._pending_describe.pop(0)
        try:
            describe_checkpoint_file(path)
        except CheckpointError as exc:
            self._mark_unreadable(path, str(exc))
        except OSError as exc:
            self._mark_unreadable(path, f"{path}: {exc.strerror or exc}")
        else:
            self._replace_item(path)

    def items(self) -> list[QTreeWidgetItem]:
        return [self.topLevelItem(i) for i in range(self.topLevelItemCount())]

    def item_for(self, path: Path) -> QTreeWidgetItem | None:
        return next((it for it in self.items() if it.data(0, PATH_ROLE) == str(path)), None)

    def _replace_item(self, path: Path) -> None:
        fresh = next((c for c in list_run_checkpoints(path.parent.parent) if c.path == path), None)
        old = self.item_for(path)
        if fresh is None or old is None:
            return
        self.checkpoints = [fresh if c.path == path else c for c in self.checkpoints]
        new = self._checkpoint_item(fresh)
        index = self.indexOfTopLevelItem(old)
        selected = old.isSelected()
        self.takeTopLevelItem(index)
        self.insertTopLevelItem(index, new)
        new.setSelected(selected)
        self.apply_filter()

    def _mark_unreadable(self, path: Path, message: str) -> None:
        item = self.item_for(path)
        if item is not None:
            item.setText(3, self.tr("⚠ unreadable"))
            for column in range(len(CHECKPOINT_COLUMNS)):
                item.setToolTip(column, message)
        self.unreadable.emit(message)

    def set_filter(self, text: str, kept_only: bool) -> None:
        """Show the rows whose step or note holds `text`; with `kept_only`, only the best and noted ones."""
        self.filter_text, self.kept_only = text.strip().lower(), kept_only
        self.apply_filter()

    def apply_filter(self) -> None:
        text = self.filter_text
        by_path = {str(c.path): c for c in self.checkpoints}
        for item in self.items():
            info = by_path.get(item.data(0, PATH_ROLE))
            visible = info is not None
            if info is not None and text:
                visible = text in str(info.step) or text in f"{info.step:,}" or text in info.note.lower()
            if info is not None and self.kept_only:
                visible = visible and (info.best or bool(info.note))
            item.setHidden(not visible)

    def visible_steps(self) -> list[int]:
        by_path = {str(c.path): c for c in self.checkpoints}
        return [by_path[it.data(0, PATH_ROLE)].step for it in self.items() if not it.isHidden()]

    def selected_paths(self) -> list[Path]:
        return [Path(it.data(0, PATH_ROLE)) for it in self.selectedItems()]

    def selected_infos(self) -> list[CheckpointInfo]:
        paths = set(self.selected_paths())
        return [c for c in self.checkpoints if c.path in paths]

    def select_paths(self, *paths: str | Path) -> None:
        wanted = {str(Path(p)) for p in paths}
        self.clearSelection()
        for item in self.items():
            if item.data(0, PATH_ROLE) in wanted:
                item.setSelected(True)

    def set_picture(self, path: str, picture: np.ndarray) -> None:
        """A thumbnail held in memory for a checkpoint whose folder must not be written to."""
        self.pictures[str(path)] = picture_icon(picture)
        item = self.item_for(Path(path))
        if item is not None:
            item.setIcon(0, self.pictures[str(path)])
