"""Two checkpoints side by side, to choose between them: their samples and their saved metrics."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QGridLayout, QHeaderView, QLabel,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..core.checkpoint_meta import CheckpointInfo, describe_checkpoint_file
from .library_tables import METRIC_NAMES, format_value, metric_name

PICTURE_SIZE = 360  # pixels, each side's samples


def picture_of(info: CheckpointInfo) -> QPixmap | None:
    """The checkpoint's thumbnail, written from its file first if it has none."""
    if info.thumbnail is None:
        describe_checkpoint_file(info.path)
        info.thumbnail = info.path.with_suffix(".png")
    image = QImage(str(info.thumbnail))
    return None if image.isNull() else QPixmap.fromImage(image)


class CompareDialog(QDialog):
    """Two checkpoints side by side: their samples (fixed noise) and every metric saved with them."""

    def __init__(self, first: CheckpointInfo, second: CheckpointInfo, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Compare step {first} and step {second}").format(first=f"{first.step:,}",
                                                                                     second=f"{second.step:,}"))
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.images: list[QLabel] = []
        for column, info in enumerate((first, second)):
            title = QLabel(f"{info.path.parent.parent.name}\n" + self.tr("step {step}").format(step=f"{info.step:,}") +
                           (f" — {info.note}" if info.note else "") + (self.tr("  ★ best") if info.best else ""))
            title.setAlignment(Qt.AlignmentFlag.AlignCenter)
            title.setStyleSheet("font-size: 12pt; font-weight: bold;")
            title.setWordWrap(True)
            image = QLabel()
            image.setAlignment(Qt.AlignmentFlag.AlignCenter)
            image.setMinimumSize(PICTURE_SIZE, PICTURE_SIZE)
            pixmap = picture_of(info)
            if pixmap is not None:
                image.setPixmap(pixmap.scaled(PICTURE_SIZE, PICTURE_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation))
            grid.addWidget(title, 0, column)
            grid.addWidget(image, 1, column)
            self.images.append(image)
        layout.addLayout(grid)
        names = list(dict.fromkeys([*first.metrics, *second.metrics]))
        names = sorted((n for n in names if n != "total_modes"),
                       key=lambda n: list(METRIC_NAMES).index(n) if n in METRIC_NAMES else len(METRIC_NAMES))
        self.table = QTableWidget(len(names), 2)
        self.table.setHorizontalHeaderLabels([self.tr("step {step}").format(step=f"{first.step:,}"),
                                              self.tr("step {step}").format(step=f"{second.step:,}")])
        self.table.setVerticalHeaderLabels([metric_name(n) for n in names])
        for row, name in enumerate(names):
            for column, info in enumerate((first, second)):
                text = info.modes if name == "modes" and info.modes else format_value(info.metrics.get(name, "–"))
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 760)
