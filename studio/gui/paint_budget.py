"""The live views' redraws held to a share of the GUI thread's time.

While a run trains, every millisecond the GUI thread spends in Python (pyqtgraph's paint code,
setData, signal handling) holds the GIL that the trainer thread needs between its torch calls,
so drawing is what slows a window below the command line (the README's profile). One
`RefreshGovernor` measures the GUI thread's CPU time twice a second; while it is busier than
`HIGH_SHARE` of a core, every live view's redraw interval is stretched by half again, and while it
is under `LOW_SHARE` the stretch eases back towards the rates the person set. A view that is not on screen (a closed dock, a tab behind
another) does not draw at all; its newest data waits until it is shown.
"""
from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QWidget

HIGH_SHARE = 0.12  # of one core: busier than this, the views slow down
LOW_SHARE = 0.08  # idler than this, they speed up again (between the two, the stretch stays)
CHECK_MS = 500
MAX_STRETCH = 8.0  # the plane, set to 4 frames a second, still draws one every 2 s


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
        if self.busy > HIGH_SHARE:
            self.stretch = min(MAX_STRETCH, self.stretch * 1.5)
        elif self.busy < LOW_SHARE:
            self.stretch = max(1.0, self.stretch / 1.5)
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
        interval = int(self.base_ms * self.governor.stretch)
        if interval != self.timer.interval():  # setting it restarts a running timer, even to the same value
            self.timer.setInterval(interval)

    def draw(self, redraw: Callable[[], bool]) -> None:
        """Run `redraw` if the view is on show (it keeps its pending data otherwise)."""
        if self.widget.isVisible():  # false in a closed dock or behind another tab
            redraw()

    def _forget(self, *_args) -> None:
        self.alive = False
