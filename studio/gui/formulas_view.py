"""The loss being optimised, as a formula where it is chosen and where it is plotted.

The formulas themselves live in core.formulas (one notation for the selector, the plots, the slow-motion
captions and the lessons); this module only lays them out: a label under the Settings' loss selector,
a tooltip on each of its choices, and the lines the loss plot's title carries, in a plot title that
wraps (WrappingTitle) so that formulas and legends stay whole in a narrow dock, in either language.
"""
from __future__ import annotations

import math

import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from ..core import formulas

FORMULA_PT = 12
FORMULA_STYLE = f"font-size: {FORMULA_PT}pt; color: #202124; background: #f1f3f4; padding: 6px; border-radius: 4px;"


def loss_name(kind: str) -> str:
    """The loss's name in the window's language ('non-saturating', '非饱和损失', …)."""
    return QCoreApplication.translate("Formulas", formulas.LOSS_NAMES[kind])


def loss_formulas_html(kind: str) -> str:
    """The loss's name in bold over its formulas (V(D, G) for minimax, then L_D and L_G), as rich text."""
    return f"<b>{loss_name(kind)}</b><br>{formulas.losses_block(kind)}"


def loss_plot_lines(config, colours: dict[str, str]) -> str:
    """The loss plot's formulas, each in its curve's colour, on two lines (a narrow dock keeps them whole):
    L_D = … / L_G = … · the loss's name."""
    kind = config.loss.kind
    d, g = formulas.run_losses(config)
    return (f"<span style='font-size:10pt'><span style='color:{colours['loss_d']}'>{formulas.L_D} = {d}</span><br>"
            f"<span style='color:{colours['loss_g']}'>{formulas.L_G} = {g}</span> &nbsp; "
            f"<span style='color:#5f6368'>{loss_name(kind)}</span></span>")


class LossFormulaLabel(QLabel):
    """Under the loss selector: the chosen loss's formulas (with the run's class y, label smoothing and
    auxiliary terms when the settings have them). Each choice of the selector carries its own formulas as a tooltip."""

    def __init__(self, selector: QComboBox, kinds: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.selector, self.kinds = selector, kinds
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setStyleSheet(FORMULA_STYLE)
        for index, kind in enumerate(kinds):
            selector.setItemData(index, loss_formulas_html(kind), Qt.ItemDataRole.ToolTipRole)
        selector.currentIndexChanged.connect(self._on_choice)
        self._on_choice(selector.currentIndex())

    @Slot(int)
    def _on_choice(self, index: int) -> None:
        if 0 <= index < len(self.kinds):
            self.setText(loss_formulas_html(self.kinds[index]))

    @Slot(object)
    def show_config(self, config) -> None:
        """The formulas as the whole config makes them (conditional, smoothed, with D's auxiliary terms);
        Settings' config_changed."""
        self.setText(f"<b>{loss_name(config.loss.kind)}</b><br>{formulas.run_losses_block(config)}")


class WrappingTitle(pg.LabelItem):
    """A plot's title that wraps to the plot's width and is as tall as its lines.

    pyqtgraph's own title is one row 30 px high whose minimum width is the text's: a long title (a legend
    beside it, the loss's formulas, Chinese beside English names) widens the plot past its dock, which
    then cuts it off on the right, and a second line runs into the plot. This one takes the title's place
    in the plot's layout (`plot.titleLabel` is this), breaks between words (formulas between their terms,
    core.formulas.whole_terms) and grows its row instead."""

    def __init__(self, plot: pg.PlotItem):
        super().__init__("", parent=plot, size="11pt")
        self.plot = plot
        option = QTextOption(Qt.AlignmentFlag.AlignHCenter)
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        self.item.document().setDefaultTextOption(option)
        plot.layout.removeItem(plot.titleLabel)
        plot.titleLabel.setParentItem(None)
        plot.layout.addItem(self, 0, 1)
        plot.titleLabel = self

    def updateMin(self) -> None:  # noqa: N802  (pyqtgraph's name): any width, the wrapped text's height
        height = math.ceil(self.item.boundingRect().height())
        self._sizeHint = {Qt.SizeHint.MinimumSize: (0, height), Qt.SizeHint.PreferredSize: (0, height),
                          Qt.SizeHint.MaximumSize: (-1, height), Qt.SizeHint.MinimumDescent: (0, 0)}
        self.setMinimumSize(0, height)
        self.setMaximumHeight(height)
        plot = getattr(self, "plot", None)  # None while LabelItem's constructor sets the first text
        if plot is not None:
            plot.layout.setRowFixedHeight(0, height)
        self.updateGeometry()

    def resizeEvent(self, event) -> None:  # noqa: N802
        width = self.size().width()
        if width > 1 and abs(self.item.textWidth() - width) > 0.5:
            self.item.setTextWidth(width)
        super().resizeEvent(event)
