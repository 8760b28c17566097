"""The windows beside the main one in Chinese: the latent explorer (with the drawing pad, the nearest
training images and the layer viewer), the side-by-side compare window and a window attached to a run
show no English left (the walker and the `chinese` fixture are tests/test_i18n.py's).
"""
from __future__ import annotations

import re

import numpy as np
import pytest

from helpers import tiny_digits, tiny_ring
from studio.core.checkpoints import save_checkpoint
from studio.core.layers import NO_MAPS_NOTE
from studio.core.neighbours import verdict
from studio.core.run import RunDirectory
from studio.core.run_loop import RunLoop
from studio.core.trainer import Trainer
from studio.gui.layers_panel import NOTES
from studio.gui.neighbours_view import verdict_text
from test_i18n import chinese, english_left, shown_texts  # noqa: F401  (chinese: the fixture)

TIMEOUT = 30000  # ms, generous on a loaded 2-core machine (nothing is timed)
pytestmark = pytest.mark.usefixtures("chinese")  # every test here runs in Chinese
NAMES = re.compile(r"\bUnrolled GANs\b")  # a paper's title in a preset's notes


def english(widget, skip=()) -> list[str]:
    return english_left({NAMES.sub(" ", text) for text in shown_texts(widget, skip)})


def test_engine_sentences_the_explorer_shows_are_translated():
    assert NOTES[NO_MAPS_NOTE] == NO_MAPS_NOTE  # the note as core.layers writes it, else it stays English
    others = np.linspace(0.0, 1.0, 101)
    for nearest in (0.001, 0.1, 0.95):  # a near copy, close, new
        text = verdict_text(verdict(nearest, others))
        assert re.search(r"[\u4e00-\u9fff]", text) and english_left({text}) == [], text


def test_latent_explorer_in_chinese(latent_panel, qtbot, tmp_path):
    from studio.gui.invert_panel import add_inversion_tools

    trainer = Trainer(tiny_digits(**{"cond.kind": "cgan"}))
    trainer.step()
    checkpoint = tmp_path / "run-1" / "checkpoints" / "step-00000001.pt"
    save_checkpoint(trainer.state_dict(), checkpoint)
    panel = latent_panel()
    pad, neighbours = add_inversion_tools(panel)
    panel.open_checkpoint(checkpoint)
    qtbot.waitUntil(lambda: not panel.busy() and panel.layers.draws > 0, timeout=TIMEOUT)
    panel.walk.set_direction_targets(2)
    panel.load_fixed_index(0)
    panel.load_fixed_index(1)  # a walk A → B: its end labels name the samples
    pad.index.setValue(3)
    pad.pick_data_image()
    assert pad.find()
    qtbot.waitUntil(lambda: pad.result is not None and neighbours.last is not None, timeout=TIMEOUT)
    panel.bookmarks.add()
    assert panel.title.text().startswith("潜在空间探索器") and panel.code_group.title().startswith("类别")
    left = english(panel)
    assert "类别" in pad.status.text() and "类别" in panel.bookmarks.describe(panel.bookmarks.marks[0])

    panel.open_checkpoint("starter:ring")  # the shipped 2-D starter: the plane, its legend, an MLP's note
    qtbot.waitUntil(lambda: not panel.busy(), timeout=TIMEOUT)
    assert panel.layers.note.text().startswith("这个生成器是多层感知机")
    left += english(panel)
    pad.shutdown()
    neighbours.shutdown()
    assert left == [], "\n".join(sorted(set(left)))


def test_compare_window_in_chinese(qtbot):
    from studio.gui.compare_window import CompareWindow

    window = CompareWindow("ring-collapse", "ring-fixed", seed=3)
    qtbot.addWidget(window)
    window.show()
    left = english(window)
    window.start()
    left, right = window.panes
    qtbot.waitUntil(lambda: left.step >= 5 and right.step >= 5, timeout=TIMEOUT)
    window.toggle()  # pause both
    qtbot.waitUntil(lambda: left.controller.state == right.controller.state == "paused", timeout=TIMEOUT)
    assert window.start_button.text() == "同时继续" and "已暂停" in left.status.text()
    found = english(window)
    window.close()
    assert found == [], "\n".join(sorted(set(found)))


def test_attached_window_in_chinese(make_window, qtbot, tmp_path):
    run_dir = tmp_path / "ring-run-1"
    RunLoop(Trainer(tiny_ring(**{"train.save_every": 20})), RunDirectory(run_dir), 40).run_to_end()
    window = make_window(changes={})
    assert window.attach(run_dir)
    qtbot.waitUntil(lambda: window.attachment.is_settled, timeout=TIMEOUT)
    assert window.attach_mode.label.text().startswith("正在跟随")
    left = english(window)
    window.detach()
    assert left == [], "\n".join(sorted(set(left)))
