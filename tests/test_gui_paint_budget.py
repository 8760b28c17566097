"""The live views' refresh governor: views off screen do not draw, and a busy GUI thread stretches
every view's redraw interval until its drawing is back within its share."""
import time

import pytest

pytest.importorskip("pytestqt")

from studio.gui.paint_budget import HIGH_SHARE, MAX_STRETCH, governor  # noqa: E402
from studio.gui.plots_panel import PlotsPanel  # noqa: E402


def test_a_hidden_view_keeps_its_data_and_draws_once_shown(qtbot):
    panel = PlotsPanel()
    qtbot.addWidget(panel)
    panel.add_batch({"step": [1.0, 2.0], "loss_d": [1.0, 0.9], "loss_g": [0.7, 0.8]})
    panel._on_timer()
    assert panel.redraws == 0  # never shown: nothing drawn, the batch waits
    panel.show()
    qtbot.waitUntil(lambda: panel.redraws == 1, timeout=5000)
    assert list(panel.curves["loss_d"].yData) == [1.0, 0.9]


def test_a_busy_gui_thread_stretches_the_views_and_an_idle_one_relaxes_them(qtbot):
    panel = PlotsPanel(rate_hz=20)
    qtbot.addWidget(panel)
    gov = governor()
    for _ in range(8):
        gov.check()  # start a fresh measurement
        started = time.thread_time()
        while time.thread_time() - started < 0.05:  # the GUI thread busy all the time
            pass
        gov.check()
        assert gov.busy > HIGH_SHARE  # a spinning thread: ~1 when it has its core, less on a shared one
    assert gov.stretch == MAX_STRETCH and panel.timer.interval() == int(50 * MAX_STRETCH)
    for _ in range(12):  # idle: the intervals come back to the person's rate
        gov._wall -= 1.0  # a second of wall time with (almost) no CPU
        gov.check()
    assert gov.stretch == 1.0 and panel.timer.interval() == 50
