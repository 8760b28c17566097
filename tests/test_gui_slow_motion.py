"""The window's slow motion and model diagram: the trainer thread records one iteration, the panel steps
through it, the diagram lights the sub-step's edges, and a click on a node focuses its settings."""
import numpy as np
from PySide6.QtCore import QPointF, Qt

from studio.core.slow_motion import EDGES
from studio.gui.diagram_panel import NODES


def _slow_motion(window, qtbot) -> list:
    with qtbot.waitSignal(window.controller.slow_motion_frames, timeout=60000) as blocker:
        window.slow_motion.run_button.click()
    return blocker.args[0]["frames"]


def test_slow_motion_steps_through_one_real_iteration(make_window, qtbot):
    window = make_window()
    frames = _slow_motion(window, qtbot)  # starts the run paused, then takes its first step slowly
    panel, diagram = window.slow_motion, window.diagram
    qtbot.waitUntil(lambda: window.controller.state == "paused", timeout=30000)
    assert window.controller.trainer.step_count == 1 and len(frames) == 10
    assert panel.index == 0 and panel.timer.isActive()  # it plays from the first sub-step
    panel.pause()
    for index, frame in enumerate(frames):
        panel.show_index(index)
        assert frame["caption"] in panel.caption.text()
        assert diagram.active == tuple(frame["edges"]) and set(frame["edges"]) <= set(EDGES)
        x, _ = panel.plane.fake.getData()
        np.testing.assert_array_equal(x, frame["fake"][:, 0])
        zx, zy = panel.noise.getData()  # the noise sub-step places the drawn z (2-D here) on the plane
        expected = frame["z"] if frame["key"] == "noise" else np.zeros((0, 2))
        np.testing.assert_array_equal(np.column_stack([zx, zy]).reshape(-1, 2), expected)
    panel.show_index(2)
    panel.next()
    assert panel.index == 3 and not panel.timer.isActive()
    panel.previous()
    assert panel.index == 2
    frames = _slow_motion(window, qtbot)  # the next iteration continues from where the run is
    assert frames[0]["step"] == 1
    qtbot.waitUntil(lambda: window.controller.state == "paused", timeout=30000)
    window.stop()
    qtbot.waitUntil(lambda: not window.controller.active, timeout=30000)


def test_refused_config_says_why_and_a_diagram_click_opens_settings(make_window, qtbot):
    from helpers import TINY_RING_FORM

    window = make_window(changes={**TINY_RING_FORM, "optim.d_steps": "2"})
    assert _slow_motion(window, qtbot) == []
    assert "d_steps" in window.slow_motion.caption.text() and window.slow_motion.run_button.isEnabled()
    qtbot.waitUntil(lambda: window.controller.state == "paused", timeout=30000)
    diagram = window.diagram
    window.docks["diagram"].raise_()
    qtbot.waitUntil(diagram.isVisible)
    view = diagram.widget
    where = view.mapFromScene(diagram.plot.getViewBox().mapViewToScene(QPointF(*NODES["D"][:2])))
    with qtbot.waitSignal(diagram.setting_requested) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert blocker.args == ["discriminator.arch"]
    assert window.docks["settings"].isVisible()
    window.stop()
    qtbot.waitUntil(lambda: not window.controller.active, timeout=30000)
