"""Image sets kept as uint8 with float batches, the folder cache, and where a set too large for the device goes."""
import os

import numpy as np
import pytest
import torch
from PIL import Image

from helpers import tiny_digits
from studio.core import image_folder
from studio.core.config import Config
from studio.core.data import Dataset, Placement, cached_digits, load_dataset, placement
from studio.core.readers import SkippedContent


def old_float_set(images_u8: np.ndarray, size: int = 28, channels: int = 1) -> torch.Tensor:
    """The whole set as the engine held it before: float N×C×H×W in [-1, 1], padded with -1."""
    x = torch.from_numpy(images_u8).unsqueeze(1).float().div_(127.5).sub_(1.0)
    pad = (size - x.shape[-1]) // 2
    x = torch.nn.functional.pad(x, (pad, size - x.shape[-1] - pad) * 2, value=-1.0)
    return x.expand(-1, channels, -1, -1).contiguous()


@pytest.mark.parametrize("size, channels", [(28, 1), (32, 3)])
def test_batches_are_bit_for_bit_those_drawn_from_the_old_float_set(size, channels):
    config = tiny_digits(**{"data.image_size": size, "data.channels": channels}).data
    ds = load_dataset(config)
    images, labels = cached_digits(config.n_samples, config.seed)
    old = old_float_set(images, size, channels)
    assert ds.x.dtype == torch.uint8 and ds.x.shape == old.shape  # a quarter of the memory
    new_rng, old_rng = torch.Generator().manual_seed(3), torch.Generator().manual_seed(3)
    for _ in range(3):  # the same index draws, so the same batches, run after run
        assert torch.equal(ds.batch(16, new_rng), old[torch.randint(len(old), (16,), generator=old_rng)])
    real, y = ds.labelled_batch(16, new_rng)
    idx = torch.randint(len(old), (16,), generator=old_rng)
    assert torch.equal(real, old[idx]) and torch.equal(y, torch.from_numpy(labels)[idx])
    assert torch.equal(ds.as_float(), old)


def test_a_set_too_large_for_the_device_stays_in_host_memory():
    cuda = torch.device("cuda")
    assert placement(2_000, cuda, free_bytes=10_000) == Placement(cuda, False)
    assert placement(6_000, cuda, free_bytes=10_000) == Placement(torch.device("cpu"), torch.cuda.is_available())
    assert placement(10**12, torch.device("cpu")) == Placement(torch.device("cpu"), False)  # CPU: never moved
    x = torch.zeros(4, 3, 8, 8, dtype=torch.uint8)
    kept = Dataset("t", x).to("cpu")
    assert kept.x.data_ptr() == x.data_ptr() and kept.device is None  # no copy (a mapped cache stays mapped)


def write_folder(folder, shades=(10, 120, 250), classes=("a", "b")):
    for name in classes:
        (folder / name).mkdir(parents=True, exist_ok=True)
        for i, shade in enumerate(shades):
            Image.new("RGB", (40, 30), (shade, 255 - shade, i * 60)).save(folder / name / f"{i}.png")


def load(folder, cache):
    return image_folder.load_image_folder(folder, 16, 3, cache)


def test_a_second_start_reads_the_cache_and_a_changed_folder_is_decoded_again(tmp_path, monkeypatch):
    folder, cache = tmp_path / "pics", tmp_path / "cache"
    write_folder(folder)
    images, labels, _ = load(folder, cache)
    assert images.shape == (6, 3, 16, 16) and labels.tolist() == [0, 0, 0, 1, 1, 1]
    assert images[1, 0, 0, 0] == 120 and images[1, 2, 0, 0] == 60  # channels first, in sorted file order
    decoded = []
    real_decode = image_folder.decode_image
    monkeypatch.setattr(image_folder, "decode_image", lambda *a: decoded.append(a[0]) or real_decode(*a))
    again, labels_again, _ = load(folder, cache)
    assert decoded == [] and isinstance(again, np.memmap)  # mapped from the cache, nothing decoded
    assert np.array_equal(again, images) and np.array_equal(labels_again, labels)
    stamp = os.stat(folder / "a" / "0.png").st_mtime_ns + 10**9
    os.utime(folder / "a" / "0.png", ns=(stamp, stamp))  # touched: a new key
    load(folder, cache)
    assert len(decoded) == 6 and len(list(cache.glob("*.npy"))) == 1  # the stale entry is gone
    (folder / "b" / "2.png").unlink()
    assert len(load(folder, cache)[0]) == 5 and len(decoded) == 11


@pytest.mark.parametrize("damage", ["truncated", "garbage", "wrong shape", "bad labels"])
def test_a_damaged_cache_is_decoded_again_with_a_note(tmp_path, capsys, damage):
    folder, cache = tmp_path / "pics", tmp_path / "cache"
    write_folder(folder)
    images, labels, _ = load(folder, cache)
    npy, = cache.glob("*.npy")
    if damage == "truncated":
        npy.write_bytes(npy.read_bytes()[:300])
    elif damage == "garbage":
        npy.write_bytes(b"\x93NUMPY not really")
    elif damage == "wrong shape":
        np.save(npy, np.zeros((6, 1, 16, 16), np.uint8))
    else:
        npy.with_suffix(".npz").write_bytes(b"PK\x03\x04 cut short")
    capsys.readouterr()
    again, labels_again, _ = load(folder, cache)
    assert f"the image cache {npy.name} in {cache} is damaged" in capsys.readouterr().err
    assert np.array_equal(again, images) and np.array_equal(labels_again, labels)
    assert np.array_equal(load(folder, cache)[0], images)  # rebuilt: read without a note
    assert capsys.readouterr().err == ""


def test_skipped_files_are_reported_again_from_the_cache(tmp_path):
    folder = tmp_path / "pics"
    write_folder(folder, classes=(".",))
    (folder / "broken.png").write_bytes(b"not an image")
    config = Config().updated({"data.name": f"folder:{folder}", "data.image_size": 32, "data.channels": 3}).data
    for _ in range(2):  # decoded, then from the cache: the same note each time
        with pytest.warns(SkippedContent, match=r"skipped 1 unreadable image file in .*broken.png \(not an image\)"):
            ds = load_dataset(config)
        assert ds.x.shape == (3, 3, 32, 32) and ds.labels is None


def test_an_unwritable_cache_only_costs_time(tmp_path, capsys):
    folder, cache = tmp_path / "pics", tmp_path / "cache"
    write_folder(folder)
    cache.write_text("a file where the cache folder should be")
    images, _, _ = load(folder, cache)
    assert len(images) == 6 and "could not keep the decoded images" in capsys.readouterr().err
