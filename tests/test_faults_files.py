"""Files the user did not write, malformed on purpose: every reader turns them into a message that
names the file and says what is wrong (exit status 2 on the command line, a status line in the
window), skips what it cannot read, and keeps what it can; never a traceback, never a crash."""
from __future__ import annotations

import datetime
import gzip
import io
import json
import pickle
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from helpers import tiny_digits, tiny_ring
from studio.core.attach import RunFollower
from studio.core.checkpoint_meta import read_json
from studio.core.checkpoints import FORMAT, CheckpointError, load_checkpoint
from studio.core.config import Config, ConfigError, DataConfig
from studio.core.data import DataError, load_dataset, load_idx_dataset, read_idx
from studio.core.library import RunLibrary, read_run_meta, run_config
from studio.core.memory import physical_memory, sample_bytes
from studio.core.readers import SkippedContent
from studio.core.run import RunDirectory
from studio.core.run_loop import RunLoop
from studio.core.trainer import Trainer

TIMEOUT = 60000  # ms, for the window; a loaded 2-core machine starts slowly (no timing is asserted)
CLI_TIMEOUT = 300  # s, for a `gan-studio` process


def gan_studio(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "studio", *map(str, args)], capture_output=True, text=True,
                          timeout=CLI_TIMEOUT)


def assert_refused(result: subprocess.CompletedProcess, *fragments: str) -> None:
    """Exit status 2, one `gan-studio: error:` line holding every fragment, and no traceback."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    error = [line for line in result.stderr.splitlines() if line.startswith("gan-studio: error: ")]
    assert len(error) == 1, result.stderr
    for fragment in fragments:
        assert fragment in error[0], result.stderr


def finished_run(path: Path, config: Config, steps: int) -> Path:
    RunLoop(Trainer(config), RunDirectory(path), steps).run_to_end()
    return path


def break_line(path: Path, index: int) -> list[dict]:
    """Put an invalid UTF-8 byte inside line `index` of a JSON-lines file; the rows it still holds."""
    lines = path.read_bytes().splitlines(keepends=True)
    lines[index] = lines[index][:10] + b"\xff" + lines[index][10:]
    path.write_bytes(b"".join(lines))
    return [json.loads(line) for i, line in enumerate(lines) if i != index]


@pytest.fixture(scope="module")
def ring_run(tmp_path_factory) -> Path:
    """A finished tiny ring run: 20 steps, metrics every 5, checkpoints at 10 and 20 (copy before changing)."""
    return finished_run(tmp_path_factory.mktemp("ring") / "run", tiny_ring(), 20)


@pytest.fixture
def bad_byte_run(ring_run, tmp_path) -> tuple[Path, list[dict]]:
    """A copy of ring_run whose second metrics line holds the byte 0xff; the rows still readable."""
    import shutil

    run = Path(shutil.copytree(ring_run, tmp_path / "run"))
    return run, break_line(run / "metrics.jsonl", 1)


# -- 1. one bad byte in metrics.jsonl -------------------------------------------------------
def test_read_metrics_skips_a_line_with_a_bad_byte_and_says_how_many(bad_byte_run):
    run, kept = bad_byte_run
    with pytest.warns(SkippedContent, match=r"skipped 1 unreadable line of .*metrics.jsonl"):
        assert RunDirectory(run).read_metrics() == kept
    assert [r["step"] for r in kept] == [5, 15, 20]


def test_the_follower_skips_and_counts_lines_that_are_not_json_objects(tmp_path):
    metrics = tmp_path / "metrics.jsonl"
    metrics.write_bytes(b'{"step": 1}\n{"step": \xff2}\n[1, 2]\n"text"\n{"step": 3}\n{"step": 4, "lo')
    follower = RunFollower(tmp_path)
    update = follower.poll()
    assert [r["step"] for r in update.rows] == [1, 3] and update.skipped_lines == 3
    assert follower.skipped_lines == 3  # the half-written last line is not counted: it is still being written


def test_export_csv_skips_the_bad_line_and_says_so(bad_byte_run, tmp_path):
    run, kept = bad_byte_run
    out = tmp_path / "metrics.csv"
    result = gan_studio("export", run, "--csv", out)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert f"gan-studio: warning: skipped 1 unreadable line of {run / 'metrics.jsonl'}" in result.stderr
    table = out.read_text().splitlines()
    assert len(table) == 1 + len(kept) and [row.split(",")[0] for row in table[1:]] == ["5", "15", "20"]


def test_resume_from_a_run_with_a_bad_byte_keeps_its_history_and_checkpoints(bad_byte_run):
    run, kept = bad_byte_run
    checkpoints = {p.name: p.read_bytes() for p in (run / "checkpoints").glob("step-*.pt")}
    result = gan_studio("train", "--resume", run / "checkpoints" / "step-00000020.pt", "--steps", "25", "--quiet")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "gan-studio: warning: skipped 1 unreadable line of" in result.stderr
    assert all((run / "checkpoints" / name).read_bytes() == data for name, data in checkpoints.items())
    rows = RunDirectory(run).read_metrics()  # the bad line is gone, every good one is where it was
    assert rows[:len(kept)] == kept and [r["step"] for r in rows] == [5, 15, 20, 25]


def test_the_attach_window_stays_up_and_shows_the_rows_it_could_read(qtbot, make_window, bad_byte_run):
    run, kept = bad_byte_run
    window = make_window(changes={})
    with qtbot.waitSignal(window.statusBar().messageChanged, timeout=TIMEOUT,
                          check_params_cb=lambda text: "skipped 1 unreadable line" in text):
        assert window.attach(run)
    attachment = window.attachment
    qtbot.waitUntil(lambda: attachment.is_settled, timeout=TIMEOUT)
    assert window.isVisible() and attachment.running
    assert window.counters[0] == 20 and attachment.follower.skipped_lines == 1
    window.plots.redraw(force=True)
    assert list(window.plots.history.x()) == [r["step"] for r in kept]
    assert "1 unreadable metrics line(s) skipped" in window.windowTitle()
    window.close()


def test_screenshot_of_the_attach_window_reports_the_skipped_line(bad_byte_run, tmp_path):
    run, _ = bad_byte_run
    out = tmp_path / "shot.png"
    result = gan_studio("screenshot", "--attach", run, "--out", out, "--timeout", "120")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["steps"] == 20 and report["skipped_lines"] == 1 and report["checkpoint_drawn"] == 20
    assert out.stat().st_size > 0


def test_odd_values_in_metrics_lines_are_left_out_of_the_plots(qtbot, make_window, tmp_path):
    tiny_ring().save(tmp_path / "config.json")
    lines = [{"step": 5, "time": 0.1, "loss_d": 1.0}, {"step": "ten", "loss_d": 2.0},
             {"step": 10, "time": 0.2, "loss_d": "high", "note": {"a": 1}}, {"step": float("inf"), "loss_d": 3.0},
             {"step": 15, "time": 0.3, "loss_d": float("nan")}]
    (tmp_path / "metrics.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))
    window = make_window(changes={})
    assert window.attach(tmp_path)
    qtbot.waitUntil(lambda: window.attachment.is_settled, timeout=TIMEOUT)
    assert window.counters[0] == 15 and window.isVisible()
    window.plots.redraw(force=True)
    assert list(window.plots.history.x()) == [5, 10, 15]
    window.close()


# -- 2. config files -------------------------------------------------------------------------
@pytest.mark.parametrize("content, why", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\xff", "not UTF-8 text (byte 0x89 at offset 0)"),
    (b"data: {name: ring}\n", "not valid JSON"),
    (b'[{"data": {"name": "ring"}}]', "holds a JSON list, not an object"),
    (b"[" * 100000, "not valid JSON"),
    (b'{"data": {"name": "ring", "n_samples": 1000000000}}', "data.n_samples must be <= 1000000"),
])
def test_a_config_that_is_not_a_json_object_is_refused_naming_the_file(tmp_path, content, why):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as raised:
        Config.load(path)
    assert str(path) in str(raised.value) and why in str(raised.value)


def test_train_with_a_binary_config_exits_2_naming_it(tmp_path):
    path = tmp_path / "model.json"
    path.write_bytes(b"\x00\x01\xfe\xff" * 16)
    assert_refused(gan_studio("train", "--config", path, "--out", tmp_path / "out"), str(path), "not UTF-8 text")
    assert not (tmp_path / "out").exists()


# -- 3. IDX files ----------------------------------------------------------------------------
def idx_bytes(array: np.ndarray) -> bytes:
    return bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


@pytest.mark.parametrize("name, content, why", [  # gzip with mtime 0: test ids must not change with the clock (xdist)
    ("x.gz", b"plain text, no gzip header", "is not gzip"),
    ("x.gz", gzip.compress(idx_bytes(np.zeros((3, 28, 28), np.uint8)), mtime=0)[:-30], "is truncated"),
    ("x.gz", gzip.compress(b"\x08\x03\x00\x00" + bytes(20), mtime=0), "bad magic number"),
    ("x.gz", gzip.compress(idx_bytes(np.zeros((3, 28, 28), np.uint8))[:-5], mtime=0),
     "is truncated: expected 2,352 bytes of data for shape 3×28×28, found 2,347"),
    ("x", idx_bytes(np.zeros((3, 28, 28), np.uint8)) + b"extra", "does not match its header"),
    ("x", bytes([0, 0, 0x08, 200, 0, 0]), "is truncated: its header promises 200 dimensions"),
    ("x", b"", "is empty"),
])
def test_broken_idx_files_raise_a_data_error_naming_the_file(tmp_path, name, content, why):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError) as raised:
        read_idx(path)
    assert str(path) in str(raised.value) and why in str(raised.value)


def test_a_truncated_real_mnist_file_is_named_by_the_loader_and_the_cli(mnist_dir, tmp_path):
    images = (mnist_dir / "t10k-images-idx3-ubyte.gz").read_bytes()
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(images[:len(images) // 3])  # an interrupted download
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes((mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes())
    with pytest.raises(DataError, match="t10k-images-idx3-ubyte.gz is truncated"):
        load_idx_dataset("mnist", str(tmp_path))
    result = gan_studio("train", "--preset", "mnist-dcgan", "--data-root", tmp_path, "--steps", "1",
                        "--out", tmp_path / "out", "--quiet")
    assert_refused(result, str(tmp_path / "t10k-images-idx3-ubyte.gz"), "is truncated")


# -- 4. image folders ----------------------------------------------------------------------------
def png_header(path: Path, width: int, height: int) -> None:
    """A PNG that declares width×height 1-bit pixels in a few bytes (a decompression bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) +
                     chunk(b"IEND", b""))


def broken_images(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    png_header(folder / "bomb.png", 30000, 30000)  # PIL: DecompressionBombError
    png_header(folder / "large.png", 10000, 10000)  # PIL: DecompressionBombWarning only
    noise = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, "PNG")
    (folder / "cut.png").write_bytes(buffer.getvalue()[:len(buffer.getvalue()) // 2])
    (folder / "notes.png").write_text("this is text, not a picture")


def test_unreadable_images_are_skipped_and_named(tmp_path):
    broken_images(tmp_path)
    for i in range(2):
        Image.new("L", (40, 30), 100 + i).save(tmp_path / f"good{i}.png")
    with pytest.warns(SkippedContent) as caught:
        ds = load_dataset(DataConfig(name=f"folder:{tmp_path}"))
    assert ds.x.shape == (2, 1, 28, 28)
    note = str(caught[0].message)
    assert note.startswith(f"skipped 4 unreadable image files in {tmp_path}: ")
    for part in ("bomb.png (too large to decode safely: 900,000,000 pixels)",
                 "large.png (too large to decode safely: 100,000,000 pixels)", "cut.png (truncated)",
                 "notes.png (not an image)"):
        assert part in note
    assert ds.notes == (note,)  # what the window shows


def test_a_skip_report_names_the_first_few_and_counts_the_rest(tmp_path):
    for i in range(8):
        (tmp_path / f"text{i}.png").write_text("no")
    Image.new("L", (28, 28)).save(tmp_path / "good.png")
    with pytest.warns(SkippedContent, match=r"skipped 8 unreadable image files in .*text4.png \(not an image\) "
                                            r"and 3 more$"):
        load_dataset(DataConfig(name=f"folder:{tmp_path}"))


def test_a_folder_of_only_unreadable_images_is_a_data_error_naming_it(tmp_path):
    broken_images(tmp_path)
    with pytest.raises(DataError, match=f"image folder {tmp_path} holds no readable images.*notes.png"):
        load_dataset(DataConfig(name=f"folder:{tmp_path}"))


def test_train_on_a_folder_with_broken_images_warns_and_trains(tmp_path):
    images = tmp_path / "images"
    broken_images(images)
    for i in range(8):
        Image.new("L", (28, 28), 30 * i).save(images / f"good{i}.png")
    config = tmp_path / "folder.json"
    tiny_digits(**{"data.name": f"folder:{images}"}).save(config)
    result = gan_studio("train", "--config", config, "--steps", "1", "--out", tmp_path / "out", "--quiet")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    warning = [line for line in result.stderr.splitlines() if line.startswith("gan-studio: warning: ")]
    assert len(warning) == 1 and "skipped 4 unreadable image files" in warning[0] and "bomb.png" in warning[0]


@pytest.mark.filterwarnings("ignore::studio.core.readers.SkippedContent")  # the CLI's form of the same note
def test_the_window_says_which_images_it_skipped(qtbot, make_window, tmp_path):
    images = tmp_path / "images"
    broken_images(images)
    for i in range(8):
        Image.new("L", (28, 28), 30 * i).save(images / f"good{i}.png")
    window = make_window(preset="digits-dcgan", changes={
        "data.name": f"folder:{images}", "generator.width": "4", "discriminator.width": "4", "generator.z_dim": "8",
        "train.batch_size": "8", "train.n_fixed": "16"})
    with qtbot.waitSignal(window.statusBar().messageChanged, timeout=TIMEOUT,
                          check_params_cb=lambda text: "skipped 4 unreadable image files" in text):
        window.start()
    assert window.isVisible()
    window.stop()
    qtbot.waitUntil(lambda: not window.controller.active, timeout=TIMEOUT)
    window.close()


# -- 5. sizes that cannot fit ----------------------------------------------------------------------
@pytest.fixture
def digits_checkpoint(tmp_path) -> Path:
    run = finished_run(tmp_path / "digits", tiny_digits(), 1)
    return RunDirectory(run).checkpoints()[-1]


@pytest.mark.parametrize("command", ["sample", "eval"])
def test_sampling_more_than_memory_holds_is_refused_up_front(digits_checkpoint, tmp_path, command):
    config = Config.from_dict(load_checkpoint(digits_checkpoint)["config"])
    n = max(10_000_000, physical_memory() // sample_bytes(config, 1) + 1)
    out = tmp_path / "x.npy"
    result = gan_studio(command, digits_checkpoint, "--n", n, *(["--out", out] if command == "sample" else []))
    assert_refused(result, f"--n {n:,} needs at least", "GB of memory", "more than half of this machine's")
    assert not out.exists()


# -- 6. checkpoints that are not ours ----------------------------------------------------------------
def foreign_checkpoints(folder: Path) -> dict[str, Path]:
    paths = {"random bytes": folder / "random.pt", "an object": folder / "object.pt",
             "a plain pickle": folder / "pickle.pt"}
    paths["random bytes"].write_bytes(np.random.default_rng(1).bytes(4096))
    torch.save({"format": FORMAT, "saved": datetime.datetime(2024, 1, 1)}, paths["an object"])
    paths["a plain pickle"].write_bytes(pickle.dumps({"weights": {1, 2, 3}}))
    return paths


@pytest.mark.filterwarnings("ignore:Detected pickle protocol 4")
def test_foreign_checkpoints_are_refused_without_advice_to_load_them_unsafely(tmp_path):
    for kind, path in foreign_checkpoints(tmp_path).items():
        with pytest.raises(CheckpointError) as raised:
            load_checkpoint(path)
        message = str(raised.value)
        assert message.startswith(f"{path} is not a GAN Studio checkpoint") and "refused" in message, kind
        assert "weights_only" not in message, kind
    with pytest.raises(CheckpointError, match=r"objects other than tensors and plain data \(datetime.datetime\)"):
        load_checkpoint(tmp_path / "object.pt")


def test_sample_from_a_foreign_checkpoint_exits_2_without_that_advice(tmp_path):
    path = foreign_checkpoints(tmp_path)["an object"]
    result = gan_studio("sample", path, "--out", tmp_path / "x.png")
    assert_refused(result, str(path), "is not a GAN Studio checkpoint")
    assert "weights_only" not in result.stderr


# -- 7. other JSON beside a run -----------------------------------------------------------------------
BAD_JSON = {"binary": b"\xff\xfe{}", "not JSON": b"{'step': 10", "a list": b"[1, 2]", "deep": b"[" * 100000}


@pytest.mark.parametrize("content", BAD_JSON.values(), ids=BAD_JSON.keys())
def test_sidecars_and_run_meta_that_cannot_be_read_count_as_missing(tmp_path, content):
    (tmp_path / "step-00000010.json").write_bytes(content)
    (tmp_path / "run.json").write_bytes(content)
    assert read_json(tmp_path / "step-00000010.json") == {} and read_run_meta(tmp_path) == {}


def test_the_library_lists_a_run_whose_json_files_are_broken(ring_run, tmp_path):
    import shutil

    run = Path(shutil.copytree(ring_run, tmp_path / "lib" / "run"))
    (run / "config.json").write_bytes(b"\xff\x00binary")
    (run / "run.json").write_text(json.dumps({"created": "yesterday", "parent": ["not", "a", "record"]}))
    (run / "checkpoints" / "step-00000020.json").write_bytes(b"\xff")
    (tmp_path / "lib" / "library.json").write_text(json.dumps({"linked": 42, "keep_last": "many"}))
    library = RunLibrary(tmp_path / "lib")
    [info] = library.runs()
    assert info.path == run and info.checkpoints == 2 and info.last_step == 20 and info.parent is None
    assert library.linked() == [] and library.keep_last == 5
    assert run_config(run).data.name == "ring"  # from the newest checkpoint, config.json being unreadable


def test_the_attach_window_names_a_broken_config_and_stays_up(qtbot, make_window, ring_run, tmp_path):
    import shutil

    run = Path(shutil.copytree(ring_run, tmp_path / "run"))
    (run / "config.json").write_bytes(b"\x00\xff binary")
    with pytest.raises(ConfigError, match=f"{run / 'config.json'}: not UTF-8 text"):
        RunFollower(run).config()
    window = make_window(changes={})
    assert window.attach(run)
    qtbot.waitUntil(lambda: window.attachment.is_settled, timeout=TIMEOUT)
    assert window.isVisible() and "config.json: not UTF-8 text" in window.windowTitle()
    tiny_ring().save(run / "config.json")  # repaired: the next polls read the run
    qtbot.waitUntil(lambda: window.counters[0] == 20, timeout=TIMEOUT)
    window.close()
