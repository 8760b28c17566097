"""The latent explorer with conditional and InfoGAN generators: the class selector and the named
code sliders drive G(z, c) in the render thread; the Samples grid says its rows are classes."""
from __future__ import annotations

import numpy as np
import pytest
import torch

pytest.importorskip("pytestqt")

from helpers import tiny_digits  # noqa: E402
from studio.core.checkpoints import load_generator, save_checkpoint  # noqa: E402
from studio.core.codes import CodeError, CodeLayout  # noqa: E402
from studio.core.render import image_grid  # noqa: E402
from studio.core.trainer import Trainer  # noqa: E402
from test_gui_latent import panel, wait_frame  # noqa: E402,F401  (shared fixtures)


def checkpoint(tmp_path, kind: str):
    trainer = Trainer(tiny_digits(**{"cond.kind": kind, "train.n_fixed": 100}))
    for _ in range(2):
        trainer.step()
    return save_checkpoint(trainer.state_dict(), tmp_path / kind / "checkpoints" / "step-00000002.pt")


def direct_picture(path, z: np.ndarray, choices: dict) -> np.ndarray:
    """G(z, c) computed here, outside the panel and its thread."""
    g, config, _ = load_generator(path)
    code = CodeLayout.from_config(config).encode(choices)
    with torch.no_grad():
        return image_grid(g(torch.from_numpy(z[None].astype(np.float32)), code).numpy(), ncol=1, pad=0)


def test_the_class_selector_renders_g_of_z_and_that_class(qtbot, panel, tmp_path):
    path = checkpoint(tmp_path, "cgan")
    panel.open_checkpoint(path)
    wait_frame(qtbot, panel)
    assert panel.code_group.isVisible() and "Class" in panel.code_group.title()
    selector = panel.code_selectors["class"]
    assert [selector.itemText(i) for i in range(selector.count())] == [str(k) for k in range(10)]
    assert not panel.code_sliders  # a class, no continuous codes
    panel.set_z(np.linspace(-1, 1, 8).astype(np.float32))
    selector.setCurrentIndex(3)  # as a person's pick would
    wait_frame(qtbot, panel)
    three = panel.last_picture.copy()
    np.testing.assert_allclose(three.astype(int), direct_picture(path, panel.current_z(), {"class": 3}), atol=1)
    selector.setCurrentIndex(7)
    wait_frame(qtbot, panel)
    assert not np.array_equal(panel.last_picture, three)
    np.testing.assert_allclose(panel.last_picture.astype(int),
                               direct_picture(path, panel.current_z(), {"class": 7}), atol=1)
    assert "G(z, c)" in panel.title.text()


def test_infogan_codes_are_a_selector_and_named_sliders(qtbot, panel, tmp_path):
    path = checkpoint(tmp_path, "infogan")
    panel.open_checkpoint(path)
    wait_frame(qtbot, panel)
    assert list(panel.code_selectors) == ["category"] and list(panel.code_sliders) == ["c1", "c2"]
    assert panel.code_sliders["c1"].slider.minimum() == -200 and panel.code_sliders["c1"].slider.maximum() == 200
    panel.code_selectors["category"].setCurrentIndex(4)
    panel.code_sliders["c2"].slider.setValue(-150)  # c2 = -1.5, as a drag would
    wait_frame(qtbot, panel)
    expected = direct_picture(path, panel.current_z(), {"category": 4, "c2": -1.5})
    np.testing.assert_allclose(panel.last_picture.astype(int), expected, atol=1)
    with pytest.raises(CodeError, match="category, c1, c2"):
        panel.set_code("class", 1)


def test_picking_a_grid_cell_picks_its_row_class(qtbot, panel, tmp_path):
    path = checkpoint(tmp_path, "cgan")
    panel.open_checkpoint(path)
    wait_frame(qtbot, panel)
    panel.load_fixed_index(47)  # 10×10 grid: row 4
    wait_frame(qtbot, panel)
    assert panel.code_selectors["class"].currentIndex() == 4
    _, _, state = load_generator(path)
    z = state["fixed_noise"][47].numpy()
    np.testing.assert_allclose(panel.last_picture.astype(int), direct_picture(path, z, {"class": 4}), atol=1)


def test_a_plain_gan_shows_no_codes_and_the_grid_title_names_the_rows(qtbot, panel, tmp_path):
    from studio.gui.samples_panel import SamplesPanel

    path = save_checkpoint(Trainer(tiny_digits()).state_dict(), tmp_path / "plain.pt")
    panel.open_checkpoint(path)
    wait_frame(qtbot, panel)
    assert not panel.code_group.isVisible() and panel.current_code() is None
    samples = SamplesPanel()
    qtbot.addWidget(samples)
    samples.preview(tiny_digits(**{"cond.kind": "cgan"}))
    assert "row k is class k" in samples.grid_view.title.text()
    samples.preview(tiny_digits())
    assert "row k" not in samples.grid_view.title.text()


def test_the_class_selector_names_a_labelled_folders_classes(qtbot, panel, tmp_path):
    from test_conditional import labelled_folder

    folder = labelled_folder(tmp_path / "shapes")
    trainer = Trainer(tiny_digits(**{"cond.kind": "cgan", "data.name": f"folder:{folder}", "cond.classes": 2}))
    trainer.step()
    path = save_checkpoint(trainer.state_dict(), tmp_path / "shapes.pt")
    panel.open_checkpoint(path)
    wait_frame(qtbot, panel)
    selector = panel.code_selectors["class"]
    assert [selector.itemText(i) for i in range(selector.count())] == ["0: bars", "1: rings"]
    selector.setCurrentIndex(1)
    wait_frame(qtbot, panel)
    np.testing.assert_allclose(panel.last_picture.astype(int), direct_picture(path, panel.current_z(), {"class": 1}),
                               atol=1)
