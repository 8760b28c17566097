"""Inversion (core.invert, `gan-studio invert`, the pad beside the explorer): the z found draws the target
closer than the best of many random samples, on the generator's own image and on a real MNIST digit it
never trained on; classes are searched; files that are no pictures are named."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from conftest import MNIST_DIR
from helpers import tiny_digits
from studio.core.checkpoints import save_checkpoint
from studio.core.config import Config
from studio.core.data import load_dataset
from studio.core.invert import best_of_random, fit_drawing, invert, inversion_steps, read_target_png
from studio.core.latent import one_cpu_thread
from studio.core.neighbours import dataset_target
from studio.core.readers import DataError
from studio.core.render import image_grid, save_png
from studio.core.trainer import Trainer

HELD_OUT = 9000  # the GAN trains on the first 9,000 real test digits; later ones are never shown to it
RANDOM = 256


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    """Tiny networks run fastest on one thread, and the machine is shared."""
    with one_cpu_thread():
        yield


def small_mnist_gan() -> Config:
    return Config().updated({
        "data.name": "mnist", "data.root": str(MNIST_DIR), "generator.arch": "mlp", "generator.z_dim": 16,
        "generator.depth": 2, "generator.width": 128, "generator.norm": "batch", "discriminator.arch": "mlp",
        "discriminator.depth": 2, "discriminator.width": 128, "discriminator.activation": "leaky_relu",
        "train.batch_size": 32, "optim.lr_g": 1e-3, "optim.lr_d": 1e-3, "train.n_fixed": 16})


@pytest.fixture(scope="module")
def mnist_gan():
    """(G after 300 steps on 9,000 real MNIST digits, its config, the real data) — once for the module."""
    if not (MNIST_DIR / "t10k-images-idx3-ubyte.gz").exists():
        pytest.skip(f"real MNIST files not found in {MNIST_DIR}")
    config = small_mnist_gan()
    data = load_dataset(config.data)
    train = dataclasses.replace(data, x=data.x[:HELD_OUT], labels=data.labels[:HELD_OUT])
    trainer = Trainer(config, data=train)
    for _ in range(300):
        trainer.step()
    return trainer.sampler.eval(), config, data


def test_a_held_out_real_digit_is_drawn_closer_than_the_best_of_256_random_samples(mnist_gan):
    g, config, data = mnist_gan
    for index in (HELD_OUT + 7, HELD_OUT + 500):
        target = dataset_target(data, index)
        found = invert(g, config, target, steps=120, restarts=4, seed=0)
        baseline = best_of_random(g, config, target, RANDOM, seed=1)
        assert found.mse < baseline, (index, found.mse, baseline)
        with torch.no_grad():  # the answer is what G draws for the z returned, within the explorer's ±3σ
            drawn = g(torch.from_numpy(found.z[None])).numpy()[0]
        assert np.abs(drawn - found.image).max() < 1e-5
        assert np.mean((drawn - target) ** 2) == pytest.approx(found.mse, rel=1e-4)
        assert np.abs(found.z).max() <= 3.0


def test_the_generators_own_image_is_found_and_the_search_converges(mnist_gan):
    g, config, _ = mnist_gan
    z_true = torch.randn(1, 16, generator=torch.Generator().manual_seed(42)).clamp(-2.5, 2.5)
    with torch.no_grad():
        target = g(z_true).numpy()[0]
    reports = list(inversion_steps(g, config, target, steps=150, restarts=4, seed=0, report_every=10))
    found = reports[-1]
    assert found.done and not any(r.done for r in reports[:-1])
    assert [r.step for r in reports[:3]] == [0, 10, 20]
    assert found.mse < best_of_random(g, config, target, RANDOM, seed=1)
    assert found.mse < 0.25 * reports[0].mse  # it converges, not just starts lucky


def test_the_same_seed_gives_the_same_z_and_truncation_bounds_it(mnist_gan):
    g, config, data = mnist_gan
    target = dataset_target(data, HELD_OUT + 1)
    a = invert(g, config, target, steps=15, restarts=2, seed=3)
    b = invert(g, config, target, steps=15, restarts=2, seed=3)
    c = invert(g, config, target, steps=15, restarts=2, seed=4)
    np.testing.assert_array_equal(a.z, b.z)
    assert not np.array_equal(a.z, c.z)
    tight = invert(g, config, target, steps=15, restarts=2, seed=3, psi=0.3)
    assert np.abs(tight.z).max() <= 0.9 + 1e-6 < np.abs(a.z).max()


def test_a_conditional_generator_is_searched_over_its_classes():
    config = tiny_digits(**{"cond.kind": "cgan", "generator.arch": "mlp", "generator.width": 32,
                            "generator.depth": 1, "generator.z_dim": 4, "discriminator.arch": "mlp"})
    g = Trainer(config).sampler.eval()
    code = torch.zeros(1, 10)
    code[0, 6] = 1.0
    with torch.no_grad():
        target = g(torch.full((1, 4), 0.5), code).numpy()[0]
    found = invert(g, config, target, steps=150, restarts=3, seed=0)
    assert found.choices == {"class": 6} and found.describe() == "class 6"
    assert found.code.argmax() == 6
    forced = invert(g, config, target, steps=30, restarts=3, seed=0, choices={"class": 2})
    assert forced.choices == {"class": 2} and forced.mse > found.mse


def test_pictures_of_any_size_and_colour_become_targets_and_bad_files_are_named(tmp_path):
    from PIL import Image

    config = tiny_digits()
    wide = np.zeros((60, 100, 3), np.uint8)
    wide[20:40, 45:55] = (255, 255, 100)  # a bright bar on black, in colour, not square
    Image.fromarray(wide).save(tmp_path / "wide.png")
    target = read_target_png(tmp_path / "wide.png", config)
    assert target.shape == (1, 28, 28) and target.dtype == np.float32
    assert target.min() == pytest.approx(-1.0) and target.max() > 0.5  # padded with the black border
    (tmp_path / "text.png").write_text("not a picture at all")
    with pytest.raises(DataError, match=r"text\.png cannot be used: not an image"):
        read_target_png(tmp_path / "text.png", config)
    with pytest.raises(DataError, match=r"gone\.png does not exist"):
        read_target_png(tmp_path / "gone.png", config)


def test_a_drawing_is_framed_as_mnist_frames_its_digits():
    ink = np.zeros((168, 168), np.float32)
    ink[10:70, 120:140] = 1.0  # a small upright bar in the top right corner
    target = fit_drawing(ink, 28)
    rows, cols = np.nonzero(target[0] > 0)
    assert rows.max() - rows.min() + 1 in (20, 21)  # the longer side fills 20 of 28 pixels
    assert abs(rows.mean() - 13.5) <= 1 and abs(cols.mean() - 13.5) <= 1  # centred by its mass
    with pytest.raises(ValueError, match="nothing is drawn"):
        fit_drawing(np.zeros((10, 10)), 28)


@pytest.fixture(scope="module")
def digits_checkpoint(tmp_path_factory):
    trainer = Trainer(tiny_digits())
    for _ in range(3):
        trainer.step()
    path = tmp_path_factory.mktemp("run") / "checkpoints" / "step-00000003.pt"
    return save_checkpoint(trainer.state_dict(), path), trainer


def test_the_cli_round_trip_writes_z_that_draws_the_reported_loss(tmp_path, capsys, digits_checkpoint, mnist_dir):
    from studio.cli import main

    path, trainer = digits_checkpoint
    real = load_dataset(small_mnist_gan().data)
    save_png(image_grid(dataset_target(real, 3)[None], ncol=1, pad=0), tmp_path / "digit.png")
    code = main(["invert", str(path), str(tmp_path / "digit.png"), "--out", str(tmp_path / "z.npy"), "--steps", "40",
                 "--restarts", "2", "--preview", str(tmp_path / "side.png")])
    out = capsys.readouterr().out
    assert code == 0, out
    z = np.load(tmp_path / "z.npy")
    assert z.shape == (1, 8) and z.dtype == np.float32
    target = read_target_png(tmp_path / "digit.png", trainer.config)
    drawn = trainer.generate(torch.from_numpy(z))[0]
    reported = float(out.split("pixel MSE ")[1].split(",")[0])
    assert np.mean((drawn - target) ** 2) == pytest.approx(reported, abs=1e-5)
    assert "--z" in out and "z.npy" in out
    from PIL import Image

    assert Image.open(tmp_path / "side.png").size == ((2 * 28 + 6) * 4, (28 + 4) * 4)  # target | found


def test_the_cli_names_a_malformed_picture(tmp_path, capsys, digits_checkpoint):
    from studio.cli import main

    path, _ = digits_checkpoint
    (tmp_path / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)  # a PNG signature, then nothing
    code = main(["invert", str(path), str(tmp_path / "bad.png"), "--out", str(tmp_path / "z.npy")])
    err = capsys.readouterr().err
    assert code == 2
    assert "bad.png" in err and "Traceback" not in err
    assert not (tmp_path / "z.npy").exists()


def test_the_pad_finds_a_drawn_digit_and_explores_from_there(qtbot, digits_checkpoint):
    pytest.importorskip("pytestqt")
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from studio.gui.invert_panel import add_inversion_tools
    from studio.gui.latent_panel import LatentPanel

    path, _ = digits_checkpoint
    explorer = LatentPanel()
    qtbot.addWidget(explorer)
    pad, neighbours = add_inversion_tools(explorer)
    explorer.resize(1100, 900)
    explorer.show()
    explorer.open_checkpoint(path)
    before = explorer.z.copy()
    for (x0, y0), (x1, y1) in (((84, 30), (84, 140)), ((60, 50), (84, 30))):  # a "1" with its flag
        QTest.mousePress(pad.pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x0, y0))
        for t in np.linspace(0, 1, 8):
            QTest.mouseMove(pad.pad, QPoint(round(x0 + t * (x1 - x0)), round(y0 + t * (y1 - y0))))
        QTest.mouseRelease(pad.pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x1, y1))
    assert pad.target() is not None and pad.target().max() > 0.9
    qtbot.mouseClick(pad.find_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pad.result is not None, timeout=30000)
    assert pad.losses[-1][1] < pad.losses[0][1]
    qtbot.mouseClick(pad.explore_button, Qt.MouseButton.LeftButton)
    np.testing.assert_allclose(explorer.z, pad.result["z"])
    assert not np.allclose(explorer.z, before)
    qtbot.waitUntil(lambda: explorer.shown_stamp == explorer.requested_stamp and explorer.last_picture is not None,
                    timeout=30000)
    assert np.abs(explorer.last_picture.astype(int) - pad.result["picture"].astype(int)).max() <= 1
    explorer.close()
    assert pad._thread is None and neighbours._thread is None
