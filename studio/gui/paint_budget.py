"""The live views' redraws held to a share of the GUI thread's time.

While a run trains, every millisecond the GUI thread spends in Python (pyqtgraph's paint code,
setData, signal handling) holds the GIL that the trainer thread needs between its torch calls,
so drawing is what slows a window below the command line (the README's profile). One
`RefreshGovernor` measures the GUI thread's CPU time twice a second; when it is busier than
`BUSY_SHARE`, every live view's redraw interval is stretched, and when it is idle they go back
to the rates the person set. A view that is not on screen (a closed dock, a tab behind
another) does not draw at all; its newest data waits until it is shown.
"""
from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QWidget

BUSY_SHARE = 0.06  # of one core: the most the GUI thread should use while views redraw
CHECK_MS = 500
MAX_STRETCH = 20.0  # a view set to 30 Hz still draws at 1.5 Hz


class RefreshGovernor(QObject):
    """One per GUI thread: the stretch factor of every live view's redraw interval."""

    def __init__(self):
        super().__init__()
        self.stretch = 1.0
        self.busy = 0.0  # the GUI thread's share of one core over the last check
        self.budgets: list[PaintBudget] = []
        self._cpu, self._wall = time.thread_time(), time.perf_counter()
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    @Slot()
    def check(self) -> None:
        cpu, wall = time.thread_time(), time.perf_counter()
        self.busy = (cpu - self._cpu) / max(wall - self._wall, 1e-6)
        self._cpu, self._wall = cpu, wall
        wanted = self.stretch * self.busy / BUSY_SHARE  # intervals scale the drawing's cost
        self.stretch = min(MAX_STRETCH, max(1.0, 0.5 * self.stretch + 0.5 * wanted))
        self.budgets = [b for b in self.budgets if b.alive]
        for budget in self.budgets:
            budget.apply()


_GOVERNOR: RefreshGovernor | None = None


def governor() -> RefreshGovernor:
    global _GOVERNOR
    if _GOVERNOR is None:
        _GOVERNOR = RefreshGovernor()
    return _GOVERNOR


class PaintBudget:
    """A live view's redraw timer: the person's rate, stretched by the governor, and no drawing off screen."""

    def __init__(self, widget: QWidget, timer: QTimer):
        self.widget, self.timer = widget, timer
        self.base_ms = timer.interval()
        self.alive = True
        widget.destroyed.connect(self._forget)
        self.governor = governor()
        self.governor.budgets.append(self)

    def set_rate(self, hz: float) -> None:
        """The person's refresh rate: the most frames a second this view may draw."""
        self.base_ms = max(1, int(1000 / max(hz, 0.1)))
        self.apply()

    def apply(self) -> None:
        self.timer.setInterval(int(self.base_ms * self.governor.stretch))

    def draw(self, redraw: Callable[[], bool]) -> None:
        """Run `redraw` if the view is on show (it keeps its pending data otherwise)."""
        if self.widget.isVisible() and not self.widget.visibleRegion().isEmpty():
            redraw()

    def _forget(self, *_args) -> None:
        self.alive = False
