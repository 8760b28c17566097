"""Latents you can keep: the explorer's seed box draws the z of `sample --seed S --n 1`, bookmarks
round-trip through JSON and .npy, malformed files are refused with their name, and the copied
command line reproduces the explorer's picture bit for bit."""
from __future__ import annotations

import json
import re
import shlex
import threading

import numpy as np
import pytest
import torch

pytest.importorskip("pytestqt")

from PIL import Image  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget  # noqa: E402

from helpers import tiny_digits  # noqa: E402
from studio.cli import build_parser, main  # noqa: E402
from studio.cli_checkpoints import sample_latents  # noqa: E402
from studio.core.bookmarks import (Bookmark, load_bookmarks, read_latents, sample_command,  # noqa: E402
                                   save_bookmarks, save_z_rows)
from studio.core.checkpoints import save_checkpoint  # noqa: E402
from studio.core.codes import CodeLayout  # noqa: E402
from studio.core.latent import LatentRenderer, weights_snapshot  # noqa: E402
from studio.core.readers import DataError  # noqa: E402
from studio.core.trainer import Trainer  # noqa: E402
from studio.gui.latent_panel import LatentPanel  # noqa: E402

TIMEOUT = 30000  # ms; generous for a loaded 2-core machine (no timing is asserted)
Z_DIM = 8


@pytest.fixture(scope="module")
def trainer() -> Trainer:
    """An InfoGAN (a categorical code and two continuous ones) trained a few steps."""
    trainer = Trainer(tiny_digits(**{"cond.kind": "infogan", "cond.categorical": 10, "cond.continuous": 2}))
    for _ in range(3):
        trainer.step()
    return trainer


@pytest.fixture(scope="module")
def checkpoint(trainer, tmp_path_factory):
    folder = tmp_path_factory.mktemp("run") / "checkpoints"
    return save_checkpoint(trainer.state_dict(), folder / "step-00000003.pt")


@pytest.fixture
def panel(qtbot, latent_panel, checkpoint):
    widget = latent_panel(checkpoint)
    qtbot.waitUntil(lambda: widget.directions is not None, timeout=TIMEOUT)
    return widget


def wait_frame(qtbot, panel: LatentPanel) -> None:
    qtbot.waitUntil(lambda: panel.requested_stamp and panel.shown_stamp == panel.requested_stamp, timeout=TIMEOUT)


def run_command(line: str, cwd, monkeypatch) -> np.ndarray:
    """Run a copied `gan-studio …` line with the real CLI (in `cwd`); the PNG it writes, as pixels."""
    words = shlex.split(line)
    assert words[:2] == ["gan-studio", "sample"]
    monkeypatch.chdir(cwd)
    assert main(words[1:]) == 0
    return np.asarray(Image.open(cwd / words[words.index("--out") + 1]))


def enlarged(picture: np.ndarray) -> np.ndarray:
    return picture.repeat(3, axis=0).repeat(3, axis=1)  # `sample` writes each pixel 3×3


def test_the_seed_box_draws_the_z_of_sample_seed_n1_and_its_command_makes_the_same_picture(
        qtbot, panel, checkpoint, tmp_path, monkeypatch):
    panel.z_box.seed.setValue(42)  # as typing 42 and Enter
    assert panel.seed == 42 and panel.z_box.seed_state.text() == "z of seed 42"
    args = build_parser().parse_args(["sample", str(checkpoint), "--seed", "42", "--n", "1", "--out", "x.png"])
    cli_z, _ = sample_latents(args, panel.config)
    np.testing.assert_array_equal(panel.z, cli_z[0])
    np.testing.assert_array_equal(panel.z, torch.randn(1, Z_DIM, generator=torch.Generator().manual_seed(42))[0])
    panel.set_code("category", 4)
    wait_frame(qtbot, panel)
    line = panel.bookmarks.copy_command()
    assert QGuiApplication.clipboard().text() == line
    assert "--seed 42 --n 1" in line and "--code category=4" in line and "--z" not in line
    np.testing.assert_array_equal(run_command(line, tmp_path, monkeypatch), enlarged(panel.last_picture))

    panel.dim_sliders[0].slider.setValue(120)  # a drag: z is no longer the seed's
    assert panel.seed is None and panel.z_box.seed_state.text() == "edited"


def test_the_copied_command_reproduces_an_edited_picture_bit_for_bit(qtbot, panel, checkpoint, tmp_path,
                                                                     monkeypatch):
    panel.z_box.seed.setValue(3)
    panel.dim_sliders[1].slider.setValue(-150)
    panel.direction_sliders[0].slider.setValue(90)
    panel.psi.slider.setValue(65)
    panel.set_code("category", 7)
    panel.set_code("c1", 0.37)
    wait_frame(qtbot, panel)
    line = panel.bookmarks.copy_command()
    z_file = checkpoint.parent / shlex.split(line)[shlex.split(line).index("--z") + 1]
    assert z_file.parent == checkpoint.parent and z_file.name.startswith("step-00000003.z-")
    assert "--psi 0.65" in line and "--code category=7" in line and "--code c1=0.37" in line
    np.testing.assert_array_equal(np.load(z_file), panel.edited_z())
    np.testing.assert_array_equal(run_command(line, tmp_path, monkeypatch), enlarged(panel.last_picture))


def test_bookmarks_round_trip_through_json_and_npy_and_restore_the_picture(qtbot, panel, checkpoint, tmp_path):
    box = panel.bookmarks
    panel.z_box.seed.setValue(7)
    panel.set_code("category", 2)
    panel.psi.slider.setValue(70)
    box.add("seven")
    panel.dim_sliders[0].slider.setValue(-200)
    panel.set_code("c2", -1.25)
    box.add_button.click()
    assert [m.describe() for m in box.marks] == ["seven · seed 7 · category 2 · c1 0 · c2 0 · ψ 0.70",
                                                 "#2 · category 2 · c1 0 · c2 -1.25 · ψ 0.70"]
    path = box.save(tmp_path / "marks.json")
    text = path.read_text()
    data = json.loads(text)
    assert data["z_dim"] == Z_DIM and len(text.splitlines()) == 6  # a header, one line a bookmark, the ends
    assert data["bookmarks"][0]["checkpoint"] == str(checkpoint) and len(data["bookmarks"][0]["z"]) == Z_DIM
    kept = [(m.z.copy(), dict(m.codes), m.psi, m.seed) for m in box.marks]
    box.marks = []
    assert box.load(path) and len(box.marks) == 2
    for mark, (z, codes, psi, seed) in zip(box.marks, kept):
        np.testing.assert_array_equal(mark.z, z)  # float32 values exactly, through their JSON decimals
        assert (mark.codes, mark.psi, mark.seed) == (codes, psi, seed)

    box.list.itemClicked.emit(box.list.item(0))  # a click on the first
    wait_frame(qtbot, panel)
    first = panel.last_picture.copy()
    np.testing.assert_array_equal(panel.z, kept[0][0])
    assert panel.z_box.seed_state.text() == "z of seed 7" and panel.psi.value() == 0.7
    assert panel.code_group.choices["category"] == 2 and panel.code_group.choices["c2"] == 0
    box.restore(1)
    wait_frame(qtbot, panel)
    assert panel.code_group.choices["c2"] == -1.25 and not np.array_equal(panel.last_picture, first)
    box.marks[0].z[0] += 1.0  # a file whose z is not its seed's: the seed is not believed
    box.restore(0)
    assert panel.z_seed() is None and panel.z_box.seed_state.text() == "edited"

    rows = np.load(box.save_npy(tmp_path / "marks.npy"))
    np.testing.assert_array_equal(rows, np.stack([m.latent() for m in box.marks]))
    box.delete(0)
    assert [m.name for m in box.marks] == ["#2"] and box.list.count() == 1

    # a checkpoint with a bookmarks file beside it opens with them
    save_bookmarks(checkpoint.with_name("step-00000003.bookmarks.json"), box.marks, Z_DIM)
    box.marks = []
    panel.open_checkpoint(checkpoint)
    assert [m.name for m in box.marks] == ["#2"]
    checkpoint.with_name("step-00000003.bookmarks.json").unlink()


def test_malformed_and_mismatched_files_are_refused_with_their_name(qtbot, panel, checkpoint, tmp_path, capsys):
    good = Bookmark("a", np.zeros(Z_DIM, np.float32))
    save_bookmarks(tmp_path / "wide.json", [Bookmark("w", np.zeros(16, np.float32))], 16)
    (tmp_path / "broken.json").write_text('{"format": "gan-studio bookmarks", "bookmarks": [')
    (tmp_path / "other.json").write_text('{"runs": []}')
    (tmp_path / "text.json").write_text(json.dumps({"format": "gan-studio bookmarks", "bookmarks": [
        {"name": "t", "z": [0.0] * (Z_DIM - 1) + ["x"]}]}))
    (tmp_path / "nan.json").write_text(json.dumps({"format": "gan-studio bookmarks", "bookmarks": [
        {"z": [0.0] * Z_DIM}, {"z": [float("nan")] * Z_DIM}]}))
    (tmp_path / "psi.json").write_text(json.dumps({"format": "gan-studio bookmarks", "bookmarks": [
        {"z": [0.0] * Z_DIM, "psi": 3}]}))
    cases = {"wide.json": "its z have 16 numbers, but this generator's z has 8", "broken.json": "not valid JSON",
             "other.json": "not a bookmarks file", "text.json": "bookmark 1: \"z\" must be a list of numbers",
             "nan.json": "bookmark 2: \"z\" holds NaN",
             "psi.json": "bookmark 1: \"psi\" must be a number from 0 to 1"}
    for name, why in cases.items():
        with pytest.raises(DataError, match=re.escape(str(tmp_path / name))) as caught:
            load_bookmarks(tmp_path / name, Z_DIM)
        assert why in str(caught.value)
    np.save(tmp_path / "shape.npy", np.zeros((2, 5), np.float32))
    np.save(tmp_path / "nan.npy", np.array([[0.0] * Z_DIM, [np.nan] * Z_DIM], np.float32))
    np.save(tmp_path / "text.npy", np.array(["a"] * Z_DIM))
    np.save(tmp_path / "pickled.npy", np.array([{"z": 1}], dtype=object), allow_pickle=True)
    (tmp_path / "junk.npy").write_bytes(b"no numpy here")
    cases = {"shape.npy": "shape (2, 5); this generator needs z of shape (8,) or (n, 8)",
             "nan.npy": "row 1 holds NaN", "text.npy": "z must be real numbers", "pickled.npy": "not a NumPy .npy file",
             "junk.npy": "not a NumPy .npy file"}
    for name, why in cases.items():
        with pytest.raises(DataError, match=re.escape(str(tmp_path / name))) as caught:
            read_latents(tmp_path / name, Z_DIM)
        assert why in str(caught.value)
    # the CLI says so in one line, without a traceback; the explorer keeps its bookmarks and says why
    assert main(["sample", str(checkpoint), "--z", str(tmp_path / "nan.npy"), "--out", str(tmp_path / "a.png")]) == 2
    err = capsys.readouterr().err
    assert "nan.npy: row 1 holds NaN" in err and "Traceback" not in err
    panel.bookmarks.marks = [good]
    assert not panel.bookmarks.load(tmp_path / "wide.json")
    assert panel.bookmarks.marks[0] is good and "wide.json" in panel.bookmarks.status.text()


def test_sample_z_writes_identical_bytes_twice_and_takes_every_row_with_its_codes(checkpoint, tmp_path, trainer):
    z = np.random.default_rng(0).standard_normal((3, Z_DIM)).astype(np.float32)
    save_z_rows(tmp_path / "one.npy", z[0])
    out = [tmp_path / "a.png", tmp_path / "b.png"]
    for path in out:
        assert main(["sample", str(checkpoint), "--z", str(tmp_path / "one.npy"), "--out", str(path)]) == 0
    assert out[0].read_bytes() == out[1].read_bytes()
    assert Image.open(out[0]).size == (3 * 28, 3 * 28)  # one image, unpadded, as the explorer shows it

    # the same float bits as the explorer's render thread (one torch thread), whatever the CLI's count
    threads = torch.get_num_threads()
    torch.set_num_threads(4)
    try:
        assert main(["sample", str(checkpoint), "--z", str(tmp_path / "one.npy"), "--out", str(tmp_path / "o.npy")]) == 0
    finally:
        torch.set_num_threads(threads)
    renderer, rendered = LatentRenderer(trainer.config, weights_snapshot(trainer.sampler)), {}

    def render_thread():
        torch.set_num_threads(1)
        rendered["image"] = renderer.generate(z[:1])

    worker = threading.Thread(target=render_thread)
    worker.start()
    worker.join()
    np.testing.assert_array_equal(np.load(tmp_path / "o.npy"), rendered["image"])

    marks = [Bookmark(f"m{i}", z[i], {"category": i, "c1": 0.5}, psi=0.5 + 0.25 * i) for i in range(3)]
    save_bookmarks(tmp_path / "marks.json", marks, Z_DIM)
    assert main(["sample", str(checkpoint), "--z", str(tmp_path / "marks.json"), "--out", str(tmp_path / "m.npy")]) == 0
    images = np.load(tmp_path / "m.npy")  # --n defaults to the rows given
    layout = CodeLayout.from_config(trainer.config)
    with torch.no_grad():
        expected = trainer.generate(torch.from_numpy(np.stack([m.latent() for m in marks])),
                                    torch.cat([layout.encode(m.codes) for m in marks]))
    assert images.shape == (3, 1, 28, 28)
    np.testing.assert_allclose(images, expected, atol=1e-5)


def test_a_live_run_needs_a_checkpoint_for_its_command_and_tools_can_add_a_side_box(qtbot, trainer, tmp_path):
    class Window(QWidget):  # what the studio window gives the panel: its run folder
        run_dir = tmp_path / "live"

    window = Window()
    panel = LatentPanel(window)
    QVBoxLayout(window).addWidget(panel)
    qtbot.addWidget(window)
    panel.set_live_config(trainer.config)
    panel.set_live_weights({"step": 3, "weights": weights_snapshot(trainer.sampler)})
    wait_frame(qtbot, panel)
    assert panel.bookmarks.copy_command() is None
    assert "no checkpoint yet" in panel.bookmarks.status.text()
    save_checkpoint(trainer.state_dict(), Window.run_dir / "checkpoints" / "step-00000002.pt")
    line = panel.bookmarks.copy_command()
    assert "step-00000002.pt" in line and "may differ" in panel.bookmarks.status.text()

    extra = QGroupBox("Inversion")
    panel.add_side_box(extra)
    assert panel.side.indexOf(extra) == panel.side.count() - 2  # last box, above the stretch
    panel.shutdown()


def test_the_command_names_a_conditional_class_and_omits_psi_at_one():
    layout = CodeLayout.from_config(tiny_digits(**{"cond.kind": "cgan"}))
    line = sample_command("/runs/my run/step-1.pt", "image.png", layout, {"class": 3.0}, 1.0, z_file="/z files/a.npy")
    assert shlex.split(line) == ["gan-studio", "sample", "/runs/my run/step-1.pt", "--z", "/z files/a.npy",
                                 "--class", "3", "--out", "image.png"]
