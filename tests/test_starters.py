"""Starter generators (core.starters): `starter:NAME` wherever a checkpoint is read (sample, eval, --resume,
invert, the explorer), `gan-studio starters`, Explore ▸ a starter and its screenshot; malformed descriptions
are named. Tests use starters of their own (tiny, trained a few steps) through GAN_STUDIO_STARTERS; the
shipped MNIST starters are used where they exist. Also the explorer's loose ends: the pad searches the
generator on show, the side column is never cut off, 64×64 strip and walk exports are 3× as at 28×28."""
from __future__ import annotations

import json
import re
import shlex
import shutil

import numpy as np
import pytest
import torch
from PIL import Image

from helpers import tiny_digits, tiny_ring
from studio.cli import main
from studio.core.checkpoints import CheckpointError, load_checkpoint, load_generator, save_checkpoint
from studio.core.latent import one_cpu_thread, weights_snapshot
from studio.core.readers import DataError
from studio.core.starters import ROOT_VARIABLE, list_starters, read_starter, starter_checkpoint, starters_root
from studio.core.trainer import Trainer

TIMEOUT = 30000  # ms, generous for a loaded 2-core machine (no timing is asserted)
MNIST_STARTER = "mnist-dcgan"


def make_starter(root, name: str, trainer: Trainer, **info) -> None:
    folder = root / name
    save_checkpoint(trainer.state_dict(), folder / "checkpoint.pt")
    (folder / "config.json").write_text(json.dumps(trainer.config.to_dict()))
    (folder / "starter.json").write_text(json.dumps({"name": name, "config": "config.json", **info}))


@pytest.fixture(scope="module")
def starters(tmp_path_factory):
    """A folder of starters: `digits` (a tiny DCGAN), `ring` (a tiny 2-D GAN), `broken` (bad JSON)."""
    root = tmp_path_factory.mktemp("starters")
    with one_cpu_thread():
        digits, ring = Trainer(tiny_digits()), Trainer(tiny_ring())
        for _ in range(2):
            digits.step()
            ring.step()
    make_starter(root, "digits", digits, description="Tiny digits DCGAN", command="gan-studio train --preset x",
                 metrics={"classes": 10, "kl": 0.0312})
    make_starter(root, "ring", ring, description="Tiny ring GAN", metrics={"modes": 8})
    (root / "broken").mkdir()
    shutil.copy(root / "ring" / "checkpoint.pt", root / "broken" / "checkpoint.pt")
    (root / "broken" / "starter.json").write_text('{"name": "broken", "description": ')
    return root


@pytest.fixture(autouse=True)
def _starters_root(starters, monkeypatch):
    monkeypatch.setenv(ROOT_VARIABLE, str(starters))


def test_a_starter_is_read_wherever_a_checkpoint_is_and_an_unknown_name_lists_the_known(starters):
    assert starters_root() == starters
    assert load_checkpoint("starter:digits")["step"] == 2
    g, config, _ = load_generator("starter:ring")
    assert config.data.name == "ring" and not g.training
    with pytest.raises(CheckpointError, match=r"unknown starter 'nope'; choose from broken, digits, ring"):
        load_checkpoint("starter:nope")
    with pytest.raises(CheckpointError, match="unknown starter '../digits'"):  # a name, never a path
        load_checkpoint("starter:../digits")


def test_malformed_descriptions_are_named_and_the_others_still_listed(starters, tmp_path):
    good, problems = list_starters()
    assert [s.name for s in good] == ["digits", "ring"] and good[0].key_metrics() == "classes 10, kl 0.0312"
    assert len(problems) == 1 and "broken/starter.json" in problems[0] and "not valid JSON" in problems[0]
    shutil.copytree(starters / "ring", tmp_path / "ring")
    (tmp_path / "ring" / "starter.json").write_text('{"description": "x", "metrics": [1, 2]}')
    with pytest.raises(DataError, match=r"ring/starter\.json: 'metrics' must be an object"):
        read_starter("ring", tmp_path)
    (tmp_path / "ring" / "starter.json").unlink()
    with pytest.raises(DataError, match=r"ring/starter\.json does not exist"):
        read_starter("ring", tmp_path)


def test_the_starters_command_lists_each_with_its_description_and_metrics(capsys):
    assert main(["starters"]) == 0
    captured = capsys.readouterr()
    assert re.search(r"^digits\s+Tiny digits DCGAN\n\s+classes 10, kl 0.0312$", captured.out, re.M)
    assert re.search(r"^ring\s+Tiny ring GAN$", captured.out, re.M)
    assert "broken/starter.json" in captured.err and "Traceback" not in captured.err


def test_eval_and_resume_take_a_starter_and_never_write_into_it(starters, tmp_path, monkeypatch, capsys):
    before = sorted(p.name for p in (starters / "ring").iterdir())
    monkeypatch.chdir(tmp_path)
    assert main(["eval", "starter:ring", "--n", "200"]) == 0
    assert json.loads(capsys.readouterr().out)["step"] == 2
    assert main(["train", "--resume", "starter:ring", "--steps", "4", "--quiet"]) == 0
    runs = list((tmp_path / "runs").glob("ring-*"))
    assert len(runs) == 1 and (runs[0] / "checkpoints" / "step-00000004.pt").is_file()  # steps 3 and 4 trained
    assert sorted(p.name for p in (starters / "ring").iterdir()) == before
    capsys.readouterr()
    assert main(["sample", "starter:nope", "--out", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert "unknown starter 'nope'" in err and "digits" in err and "Traceback" not in err


def test_sample_from_a_starter_is_identical_twice_and_is_what_the_explorer_shows(qtbot, latent_panel, tmp_path,
                                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    z = np.random.default_rng(5).standard_normal(8).astype(np.float32)
    np.save(tmp_path / "z.npy", z)
    for name in ("a.png", "b.png"):
        assert main(["sample", "starter:digits", "--z", "z.npy", "--out", name]) == 0
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    panel = latent_panel("starter:digits")
    assert "Starter generator “digits” (step 2)" in panel.source.text()
    panel.set_z(z)
    qtbot.waitUntil(lambda: panel.shown_stamp == panel.requested_stamp and panel.last_picture is not None,
                    timeout=TIMEOUT)
    shown = panel.last_picture.repeat(3, axis=0).repeat(3, axis=1)  # `sample` writes each pixel 3×3
    np.testing.assert_array_equal(np.asarray(Image.open(tmp_path / "a.png")), shown)
    panel.dim_sliders[0].slider.setValue(-120)  # an edited z: its command names the starter, z kept here
    qtbot.waitUntil(lambda: panel.shown_stamp == panel.requested_stamp, timeout=TIMEOUT)
    words = shlex.split(panel.bookmarks.copy_command(out="c.png"))
    z_file = words[words.index("--z") + 1]
    assert words[2] == "starter:digits" and z_file.startswith(str(tmp_path / "digits.z-"))
    assert main(words[1:]) == 0
    np.testing.assert_array_equal(np.asarray(Image.open(tmp_path / "c.png")),
                                  panel.last_picture.repeat(3, axis=0).repeat(3, axis=1))


def test_explore_menu_shows_a_starter_in_the_explorer(qtbot, make_window):
    window = make_window()
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "E&xplore")
    entries = {a.text(): a for a in menu.actions()}
    assert "Starter “digits”: Tiny digits DCGAN" in entries and "Starter “ring”: Tiny ring GAN" in entries
    broken = next(a for text, a in entries.items() if "broken" in text)
    assert not broken.isEnabled()  # named, not hidden, not clickable
    entries["Starter “digits”: Tiny digits DCGAN"].trigger()
    qtbot.waitUntil(lambda: window.latent.last_picture is not None, timeout=TIMEOUT)
    assert window.docks["latent"].isVisible() and window.latent.checkpoint.name == "starter:digits"
    assert window.latent.config.data.name == "digits" and "Tiny digits DCGAN" in window.latent.hint.text()
    window.latent.shutdown()


def test_the_screenshot_command_grabs_a_starter_in_the_explorer(tmp_path, capsys):
    out = tmp_path / "explorer.png"
    assert main(["screenshot", "--starter", "ring", "--panel", "latent", "--out", str(out)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["starter"] == "ring" and report["step"] == 2 and report["first_picture_s"] > 0
    assert np.asarray(Image.open(out).convert("L")).std() > 10  # a picture, not a blank dock
    assert main(["screenshot", "--starter", "nope", "--out", str(out)]) == 2


# -- the explorer's loose ends ---------------------------------------------------------------------
def test_the_pad_searches_the_live_generator_on_show_not_an_older_checkpoint(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from studio.core.invert import to_target
    from studio.gui import invert_panel
    from studio.gui.invert_panel import add_inversion_tools

    monkeypatch.setattr(invert_panel, "STEPS", 30)  # a short search is enough to compare the pictures
    from studio.gui.latent_panel import LatentPanel

    class Window(QWidget):  # what the studio window gives the panel: its run folder
        run_dir = tmp_path / "live"

    with one_cpu_thread():
        trainer = Trainer(tiny_digits())
        trainer.step()
        save_checkpoint(trainer.state_dict(), Window.run_dir / "checkpoints" / "step-00000001.pt")
        for _ in range(40):  # the run goes on; its last checkpoint is 40 steps old
            trainer.step()
    window = Window()
    panel = LatentPanel(window)
    QVBoxLayout(window).addWidget(panel)
    qtbot.addWidget(window)
    pad, _ = add_inversion_tools(panel)
    panel.set_live_config(trainer.config)
    panel.set_live_weights({"step": 41, "weights": weights_snapshot(trainer.sampler)})
    qtbot.waitUntil(lambda: panel.last_picture is not None, timeout=TIMEOUT)
    pad._use_picture(to_target(panel.last_picture))  # the picture on show, as the target
    assert pad.find() and "step 41" in pad.status.text()
    qtbot.waitUntil(lambda: pad.result is not None, timeout=TIMEOUT)
    pad.explore_from_here()
    qtbot.waitUntil(lambda: panel.shown_stamp == panel.requested_stamp, timeout=TIMEOUT)
    assert np.abs(panel.last_picture.astype(int) - pad.result["picture"].astype(int)).max() <= 1
    panel.shutdown()
    pad.shutdown()


def test_at_64x64_the_side_column_is_whole_and_strip_and_walk_exports_are_3x(qtbot, latent_panel, tmp_path):
    import imageio.v2 as imageio

    from studio.core.config import Config
    from studio.core.models import build_models
    from studio.gui.invert_panel import add_inversion_tools

    config = Config().updated({"data.name": "folder:/nowhere", "data.image_size": 64, "data.channels": 3,
                               "generator.arch": "dcgan", "discriminator.arch": "dcgan", "generator.z_dim": 8,
                               "generator.width": 2, "discriminator.width": 2})
    panel = latent_panel(size=(900, 700))  # a narrow dock
    add_inversion_tools(panel)
    panel.show_model(config, weights_snapshot(build_models(config)[0]), np.zeros((2, 8), np.float32))
    panel.request_frame()
    qtbot.waitUntil(lambda: panel.last_picture is not None, timeout=TIMEOUT)
    controls = panel.side_column.widget()
    assert panel.side_column.viewport().width() >= controls.minimumSizeHint().width()  # nothing cut off
    panel.set_end(0, np.zeros(8, np.float32), "zero")
    panel.set_end(1, np.ones(8, np.float32), "ones")
    qtbot.waitUntil(lambda: panel.strip_stamp == panel.strip_requested > 0, timeout=TIMEOUT)
    strip = Image.open(panel.export_strip_png(tmp_path / "strip.png"))
    assert strip.size == (3 * panel.last_strip.shape[1], 3 * 64 + 3 * 4)  # 64 pixels and a 2-pixel pad, ×3
    panel.export_walk_gif(tmp_path / "walk.gif")
    qtbot.waitUntil(lambda: panel.last_export != "", timeout=TIMEOUT)
    assert imageio.mimread(tmp_path / "walk.gif")[0].shape[:2] == (192, 192)


def test_the_nearest_images_view_indexes_the_real_mnist_digits(qtbot, latent_panel, mnist_dir):
    from studio.core.config import Config
    from studio.core.data import load_dataset
    from studio.core.invert import to_target
    from studio.core.models import build_models
    from studio.core.neighbours import build_index
    from studio.gui.neighbours_view import K, NeighboursView

    config = Config().updated({"data.name": "mnist", "data.root": str(mnist_dir), "data.holdout": 1000,
                               "generator.arch": "dcgan", "generator.z_dim": 8, "generator.width": 4,
                               "discriminator.arch": "dcgan", "discriminator.width": 4})
    panel = latent_panel()
    view = NeighboursView(panel)
    panel.add_side_box(view)
    torch.manual_seed(0)
    panel.show_model(config, weights_snapshot(build_models(config)[0].eval()), None)
    panel.request_frame()
    qtbot.waitUntil(lambda: view.last is not None and not view.in_flight and view.pending is None, timeout=TIMEOUT)
    index = build_index(load_dataset(config.data))
    assert len(index) == 9000  # the held-out 1,000 are no training images
    assert view.last["indices"] == index.query(to_target(panel.last_picture), K).indices.tolist()
    view.shutdown()


# -- the shipped MNIST starter: inversion on its own image and on a held-out real digit ---------------
@pytest.fixture
def mnist_starter(monkeypatch, mnist_dir):
    monkeypatch.delenv(ROOT_VARIABLE)
    if starter_checkpoint(MNIST_STARTER) is None:
        pytest.skip(f"the MNIST starter is not trained yet ({starters_root() / MNIST_STARTER} has no checkpoint.pt)")
    g, config, _ = load_generator(f"starter:{MNIST_STARTER}")
    return g, config.updated({"data.root": str(mnist_dir)})


def test_inversion_on_the_mnist_starter_beats_the_best_of_256_random_samples(mnist_starter, tmp_path, capsys):
    from studio.core.data import held_out
    from studio.core.invert import best_of_random, invert, to_target
    from studio.core.render import image_grid, save_png

    g, config = mnist_starter
    with one_cpu_thread():
        z_true = torch.randn(1, config.generator.z_dim, generator=torch.Generator().manual_seed(7)).clamp(-2.5, 2.5)
        with torch.no_grad():
            own = g(z_true).numpy()[0]
        found = invert(g, config, own, steps=120, restarts=4, seed=0)
        assert found.mse < best_of_random(g, config, own, 256, seed=1)
    images, _ = held_out(config.data)  # digits the starter never saw
    assert len(images) == config.data.holdout > 0
    save_png(image_grid(to_target(images[17].transpose(1, 2, 0))[None], ncol=1, pad=0), tmp_path / "digit.png")
    assert main(["invert", f"starter:{MNIST_STARTER}", str(tmp_path / "digit.png"), "--out",
                 str(tmp_path / "z.npy"), "--steps", "120"]) == 0
    found_mse, random_mse = map(float, re.search(r"pixel MSE ([\d.]+), the best of 256 random samples ([\d.]+)",
                                                 capsys.readouterr().out).groups())
    assert found_mse < random_mse
