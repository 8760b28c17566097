"""Slow motion on image data as a student sees it (D's score on every image, G(z) before and after
G's update, |∇ₓ| as a heat map), and the presenter's key that replays and steps through an iteration."""
import numpy as np
from PySide6.QtCore import Qt

from studio.gui.slow_motion_panel import SlowMotionPanel


def _frames() -> list[dict]:
    """An image iteration's frames as core.slow_motion builds them, on two 4×4 images."""
    from studio.core.slow_motion import build_frames
    from helpers import tiny_digits
    import torch

    gen = torch.Generator().manual_seed(0)
    fake, moved = torch.rand(2, 1, 4, 4, generator=gen) * 2 - 1, torch.rand(2, 1, 4, 4, generator=gen) * 2 - 1
    grad = torch.zeros(2, 1, 4, 4)
    grad[0, 0, 1, 2] = -3.0  # one pixel matters
    record = {"z": torch.zeros(2, 8), "fake": fake, "grad": grad, "moved": moved, "real_in": fake.flip(0),
              "real_scores": torch.tensor([2.0, 1.0]), "fake_scores": torch.tensor([-1.0, 0.0]),
              "rescored": torch.tensor([-2.0, -1.0]),
              "metrics": {"loss_d": 0.5, "loss_g": 2.0, "grad_norm_d": 0.25, "grad_norm_g": 1.5},
              "lr": (2e-4, 2e-4)}
    return build_frames(tiny_digits(), 40, record)


def test_each_image_sub_step_shows_scores_gradient_and_before_after(qtbot):
    panel = SlowMotionPanel()
    qtbot.addWidget(panel)
    frames = _frames()
    panel.set_frames({"frames": frames})
    panel.pause()
    assert panel.stack.currentWidget() is panel.images
    view = panel.images
    by_key = {f["key"]: i for i, f in enumerate(frames)}
    panel.show_index(by_key["generate"])  # not scored yet: no numbers
    assert not any(t.isVisible() for row in view.scores for t in row)
    panel.show_index(by_key["score"])
    assert [t.toPlainText() for t in view.scores[0][:2]] == ["0.88", "0.73"]  # sigmoid of D's raw score
    assert [t.toPlainText() for t in view.scores[1][:2]] == ["0.27", "0.50"]
    assert "number: D's score" in view.labels[1].text and "(red)" not in panel.caption.text()
    panel.show_index(by_key["gradient"])
    assert "|∇ₓ loss_G|" in view.labels[1].text
    heat = view.images[1].image  # one bright pixel, in the heat map's colours (not grey)
    inner = heat[3:7, 3:7]
    assert inner[1, 2].tolist() == view.heat[255].tolist() and inner[0, 0].tolist() == view.heat[0].tolist()
    assert not any(t.isVisible() for t in view.scores[1])
    panel.show_index(by_key["g_update"])
    assert "Before G's update" in view.labels[0].text and "After G's update" in view.labels[1].text
    assert "arrows" not in panel.caption.text() and "above: before, below: after" in panel.caption.text()
    before = np.clip((frames[by_key["generate"]]["fake"][0, 0] + 1) * 127.5, 0, 255) + 0.5
    np.testing.assert_array_equal(view.images[0].image[3:7, 3:7, 0], before.astype(np.uint8))
    assert [t.toPlainText() for t in view.scores[0][:2] if t.isVisible()] == ["0.12", "0.27"]  # updated D's


def test_presenter_key_replays_an_iteration_and_steps_through_it(make_window, qtbot):
    from studio.gui.presenter import CAPTION_PT, SLOW_MOTION_KEY

    window = make_window()
    window.presenter.enter()
    assert not window.docks["slowmotion"].isVisible()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    panel = window.slow_motion
    with qtbot.waitSignal(window.controller.slow_motion_frames, timeout=60000):
        qtbot.keyClick(window, SLOW_MOTION_KEY)
    assert window.docks["slowmotion"].isVisible() and panel.index == 0
    assert f"font-size: {CAPTION_PT}pt" in panel.caption.styleSheet()
    qtbot.keyClick(window, SLOW_MOTION_KEY)
    assert panel.index == 1 and not panel.timer.isActive()
    qtbot.waitUntil(lambda: window.controller.state == "paused", timeout=30000)
    window.presenter.leave()
    assert f"font-size: {CAPTION_PT}pt" not in panel.caption.styleSheet()
    qtbot.keyClick(window, Qt.Key.Key_M)  # only a presenter's key
    assert panel.index == 1
    window.stop()
    qtbot.waitUntil(lambda: not window.controller.active, timeout=30000)
