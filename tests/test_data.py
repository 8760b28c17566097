import gzip
import math
import struct

import numpy as np
import pytest
import torch

from studio.core import data as data_mod
from studio.core.config import Config
from studio.core.data import (DataError, fit_size, grid_centres, load_dataset, load_idx_dataset, read_idx,
                              ring_centres, toy_points)
from studio.core.digits import render_digits

MNIST_CLASS_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def data_config(**fields):
    return Config().updated({f"data.{k}": v for k, v in fields.items()}).data


def test_ring_has_eight_modes_at_2pi_i_over_8_with_sigma_001():
    centres = ring_centres()
    assert centres.shape == (8, 2)
    np.testing.assert_allclose(np.linalg.norm(centres, axis=1), 1.0)
    np.testing.assert_allclose(centres[2], [0.0, 1.0], atol=1e-12)
    assert len({tuple(np.round(c, 6)) for c in centres}) == 8  # no two modes on one point
    pts, c, sigma = toy_points("ring", 8000, seed=1)
    assert sigma == 0.01
    dist = np.linalg.norm(pts[:, None] - c[None], axis=2)
    assert (dist.min(1) < 5 * sigma).all()
    counts = np.bincount(dist.argmin(1), minlength=8)
    assert counts.min() > 800
    assert abs(pts[dist.argmin(1) == 0, 0].std() - sigma) < 0.002


def test_grid_has_25_modes_on_the_even_lattice():
    centres = grid_centres()
    assert centres.shape == (25, 2)
    assert sorted(set(centres[:, 0])) == [-4, -2, 0, 2, 4]
    pts, c, sigma = toy_points("grid", 10000, seed=0)
    assert sigma == 0.05
    assert len(np.unique(np.linalg.norm(pts[:, None] - c[None], axis=2).argmin(1))) == 25


@pytest.mark.parametrize("name", ["spiral", "moons", "circles", "swissroll"])
def test_other_2d_sets_are_finite_seeded_and_bounded(name):
    a, centres, sigma = toy_points(name, 500, seed=3)
    b, _, _ = toy_points(name, 500, seed=3)
    assert a.shape == (500, 2) and np.isfinite(a).all() and np.abs(a).max() < 5
    np.testing.assert_array_equal(a, b)
    assert centres is None and sigma is None
    ds = load_dataset(data_config(name=name, n_samples=300))
    assert ds.is_2d and ds.x.shape == (300, 2) and ds.x.dtype == torch.float32


def test_batches_come_from_the_held_tensor_and_follow_the_generator():
    ds = load_dataset(data_config(name="ring", n_samples=100))
    a = ds.batch(16, torch.Generator().manual_seed(0))
    b = ds.batch(16, torch.Generator().manual_seed(0))
    assert torch.equal(a, b)
    assert all((ds.x == row).all(1).any() for row in a)


def test_digits_are_balanced_deterministic_and_recognisable():
    images, labels = render_digits(2000, seed=0)
    again, _ = render_digits(2000, seed=0)
    other, _ = render_digits(2000, seed=1)
    assert images.shape == (2000, 28, 28) and images.dtype == np.uint8
    np.testing.assert_array_equal(images, again)
    assert not np.array_equal(images, other)
    assert np.bincount(labels).tolist() == [200] * 10
    assert images.max() == 255 and (images == 0).mean() > 0.5  # ink on a black background, like MNIST
    # Real content: a nearest-class-mean classifier fit on half tells the classes apart on the other half.
    x = images.reshape(2000, -1).astype(np.float32) / 255
    means = np.stack([x[:1000][labels[:1000] == d].mean(0) for d in range(10)])
    predicted = np.linalg.norm(x[1000:, None] - means[None], axis=2).argmin(1)
    assert (predicted == labels[1000:]).mean() > 0.7


def test_digits_dataset_is_in_unit_range_with_labels():
    ds = load_dataset(data_config(name="digits", n_samples=100))
    assert ds.x.shape == (100, 1, 28, 28) and ds.x.dtype == torch.uint8  # kept as bytes, floats per batch
    x = ds.as_float()
    assert x.min() >= -1 and x.max() <= 1 and ds.labels.shape == (100,)


def test_read_idx_parses_the_real_mnist_test_set(mnist_dir):
    images = read_idx(mnist_dir / "t10k-images-idx3-ubyte.gz")
    labels = read_idx(mnist_dir / "t10k-labels-idx1-ubyte.gz")
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert np.bincount(labels).tolist() == MNIST_CLASS_COUNTS
    assert images.max() == 255 and images[0].sum() > 0


def test_mnist_loads_from_a_data_root(mnist_dir):
    ds = load_dataset(data_config(name="mnist", root=str(mnist_dir)))
    assert ds.x.shape == (10000, 1, 28, 28)
    assert float(ds.as_float().min()) == -1.0 and float(ds.as_float().max()) == 1.0
    assert torch.bincount(ds.labels).tolist() == MNIST_CLASS_COUNTS
    padded = load_dataset(data_config(name="mnist", root=str(mnist_dir), image_size=32))
    assert padded.x.shape == (10000, 1, 32, 32)


def write_idx(path, array):
    dtype_code = {np.dtype(np.uint8): 0x08}[array.dtype]
    header = bytes([0, 0, dtype_code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as fh:
        fh.write(header + array.tobytes())


def test_fashion_mnist_reads_train_files_from_torchvision_layout(tmp_path):
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    write_idx(raw / "train-images-idx3-ubyte.gz", rng.integers(0, 256, (30, 28, 28), dtype=np.uint8))
    write_idx(raw / "train-labels-idx1-ubyte.gz", (np.arange(30) % 10).astype(np.uint8))
    ds = load_dataset(data_config(name="fashion-mnist", root=str(tmp_path)))
    assert ds.x.shape == (30, 1, 28, 28) and ds.labels.tolist()[:3] == [0, 1, 2]


def test_truncated_idx_file_is_a_clear_error(tmp_path):
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    write_idx(path, np.zeros((4, 28, 28), np.uint8))
    raw = gzip.decompress(path.read_bytes())
    with gzip.open(path, "wb") as fh:
        fh.write(raw[:-100])
    with pytest.raises(DataError, match="truncated"):
        read_idx(path)


def test_missing_files_name_the_folder(tmp_path):
    with pytest.raises(DataError, match=str(tmp_path)):
        load_idx_dataset("mnist", str(tmp_path))


def test_offline_download_failure_names_the_cache_folder(tmp_path, monkeypatch):
    import torchvision.datasets as tvd

    def offline(*args, **kwargs):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz: <urlopen error no network>")

    monkeypatch.setattr(tvd, "MNIST", offline)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(DataError) as err:
        load_idx_dataset("mnist", "")
    message = str(err.value)
    assert str(tmp_path / "gan-studio" / "datasets" / "mnist") in message and "--data-root" in message


def test_download_goes_through_torchvision_into_the_cache(tmp_path, monkeypatch):
    import torchvision.datasets as tvd

    calls = []

    def fake_mnist(root, train, download):
        calls.append((root, train, download))
        raw = tmp_path / "gan-studio" / "datasets" / "mnist" / "MNIST" / "raw"
        raw.mkdir(parents=True)
        write_idx(raw / "train-images-idx3-ubyte.gz", np.zeros((5, 28, 28), np.uint8))
        write_idx(raw / "train-labels-idx1-ubyte.gz", np.arange(5, dtype=np.uint8))

    monkeypatch.setattr(tvd, "MNIST", fake_mnist)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    images, labels = load_idx_dataset("mnist", "")
    assert calls == [(str(tmp_path / "gan-studio" / "datasets" / "mnist"), True, True)]
    assert images.shape == (5, 28, 28)
    load_idx_dataset("mnist", "")  # cached: no second download
    assert len(calls) == 1


def test_image_folder_resizes_crops_and_counts_unreadable_files(tmp_path):
    from PIL import Image

    Image.new("RGB", (64, 40), (255, 0, 0)).save(tmp_path / "wide.png")
    Image.new("L", (20, 50), 128).save(tmp_path / "tall.jpg")
    (tmp_path / "sub").mkdir()
    Image.new("RGB", (32, 32), (0, 0, 255)).save(tmp_path / "sub" / "square.bmp")
    (tmp_path / "broken.png").write_bytes(b"not an image")
    (tmp_path / "notes.txt").write_text("ignored")
    with pytest.warns(UserWarning, match="skipped 1 unreadable"):
        ds = load_dataset(data_config(name=f"folder:{tmp_path}", image_size=32, channels=3))
    assert ds.x.shape == (3, 3, 32, 32) and ds.labels is None
    x = ds.as_float()
    red = x[[i for i in range(3) if x[i, 0].mean() > 0.9][0]]
    assert red[1].max() < -0.9  # red image: no green
    with pytest.warns(UserWarning):
        gray = load_dataset(data_config(name=f"folder:{tmp_path}", image_size=28, channels=1))
    assert gray.x.shape == (3, 1, 28, 28)


def test_class_subfolders_label_their_images_in_sorted_order(tmp_path):
    from PIL import Image

    from studio.core.data import class_names, folder_classes

    for name, shade, count in (("zebra", 250, 2), ("apple", 10, 3), ("empty", 0, 0)):
        (tmp_path / name / "deeper").mkdir(parents=True)
        for i in range(count):
            Image.new("L", (30, 30), shade).save(tmp_path / name / ("deeper" if i else ".") / f"{i}.png")
    assert folder_classes(tmp_path) == ["apple", "zebra"]  # a subfolder without images is no class
    ds = load_dataset(data_config(name=f"folder:{tmp_path}"))
    assert ds.x.shape == (5, 1, 28, 28) and ds.labels.dtype == torch.int64
    dark = ds.as_float().mean((1, 2, 3)) < 0
    assert ds.labels[dark].tolist() == [0, 0, 0] and ds.labels[~dark].tolist() == [1, 1]
    assert class_names(data_config(name=f"folder:{tmp_path}")) == ["apple", "zebra"]
    assert class_names(data_config(name="fashion-mnist"))[9] == "Ankle boot"
    assert class_names(data_config(name="digits")) is None
    Image.new("L", (30, 30), 99).save(tmp_path / "loose.png")  # images at the top: an unlabelled folder
    assert folder_classes(tmp_path) is None
    assert load_dataset(data_config(name=f"folder:{tmp_path}")).labels is None


def test_empty_or_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="no readable images"):
        load_dataset(data_config(name=f"folder:{tmp_path}"))
    with pytest.raises(DataError, match="does not exist"):
        load_dataset(data_config(name=f"folder:{tmp_path / 'nope'}"))


def test_fit_size_pads_with_background():
    x = torch.ones(2, 1, 28, 28)
    y = fit_size(x, 32)
    assert y.shape == (2, 1, 32, 32) and y[0, 0, 0, 0] == -1 and y[0, 0, 2, 2] == 1
    assert torch.equal(fit_size(y, 28), x)


def test_digits_cache_returns_identical_data(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    a = data_mod.cached_digits(50, 7)
    assert list((tmp_path / "gan-studio" / "datasets").glob("digits-*.npz"))
    b = data_mod.cached_digits(50, 7)
    np.testing.assert_array_equal(a[0], b[0])
    assert math.isclose(float(a[1].sum()), float(b[1].sum()))
