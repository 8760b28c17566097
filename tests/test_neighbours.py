"""Nearest training images (core.neighbours, the view beside the explorer): on the real MNIST test set an
image's nearest neighbour is itself at distance 0, the matrix search agrees with a brute-force one, and
the view follows the explorer's picture."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import tiny_digits
from studio.core.config import Config
from studio.core.data import load_dataset
from studio.core.latent import one_cpu_thread
from studio.core.neighbours import build_index, dataset_target, training_images, verdict


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    """Tiny networks run fastest on one thread, and the machine is shared."""
    with one_cpu_thread():
        yield


@pytest.fixture
def mnist(mnist_dir):
    return load_dataset(Config().updated({"data.name": "mnist", "data.root": str(mnist_dir)}).data)


def test_a_real_training_image_is_its_own_nearest_at_distance_zero(mnist):
    index = build_index(mnist)
    assert len(index) == 10000
    for i in (0, 1234, 9999):
        found = index.query(dataset_target(mnist, i), k=5)
        assert found.indices[0] == i and found.distances[0] == 0.0
        assert np.all(np.diff(found.distances) >= 0) and found.distances[1] > 0


def test_the_matrix_search_agrees_with_brute_force_on_a_new_image(mnist):
    index = build_index(mnist)
    rng = np.random.default_rng(0)
    a, b = training_images(mnist, [5, 77])
    blend = (0.5 * a + 0.5 * b + 0.05 * rng.standard_normal(a.shape)).astype(np.float32)  # in no data set
    found = index.query(blend, k=6)
    every = np.sqrt(((training_images(mnist).reshape(len(index), -1).astype(np.float64)
                      - blend.reshape(-1)) ** 2).sum(1))
    np.testing.assert_array_equal(found.indices, np.argsort(every, kind="stable")[:6])
    np.testing.assert_allclose(found.distances, np.sort(every)[:6], rtol=1e-6)


def test_the_verdict_compares_with_how_near_training_images_are_to_each_other(mnist):
    index = build_index(mnist)
    others = index.nearest_other_distances()
    assert len(others) == 300 and np.all(np.diff(others) >= 0) and others[0] > 0
    assert 3.0 < index.typical_gap() < 20.0  # L2 over 784 pixels in [-1, 1]: neither identical nor unrelated
    assert verdict(0.0, others).startswith("a near copy") and "100% of training images" in verdict(0.0, others)
    assert verdict(float(others[30]), others).startswith("close to")  # as near as the nearest 10 %
    assert verdict(1.1 * float(others[-1]), others).startswith("new")


def test_classifier_features_find_the_image_itself_too(mnist):
    from studio.core.evaluator import train_classifier

    x = mnist.as_float()[:2000]
    classifier = train_classifier(x, mnist.labels[:2000], steps=5, batch=32)
    index = build_index(mnist, "features", classifier, limit=2000)
    assert index.vectors.shape == (2000, 128) and "features" in index.description
    found = index.query(dataset_target(mnist, 42), k=3)
    assert found.indices[0] == 42 and found.distances[0] < 1e-4  # a batch of one convolves in other order


def test_the_view_follows_the_explorers_picture(qtbot, tmp_path):
    pytest.importorskip("pytestqt")
    from studio.core.checkpoints import save_checkpoint
    from studio.core.invert import to_target
    from studio.core.trainer import Trainer
    from studio.gui.latent_panel import LatentPanel
    from studio.gui.neighbours_view import K, NeighboursView

    trainer = Trainer(tiny_digits())
    trainer.step()
    path = save_checkpoint(trainer.state_dict(), tmp_path / "run" / "checkpoints" / "step-00000001.pt")
    explorer = LatentPanel()
    qtbot.addWidget(explorer)
    view = NeighboursView(explorer)
    explorer.add_side_box(view)
    explorer.resize(1100, 900)
    explorer.show()
    explorer.open_checkpoint(path)
    qtbot.waitUntil(lambda: view.last is not None, timeout=30000)
    first = view.last
    assert len(first["indices"]) == K and first["distances"] == sorted(first["distances"])
    explorer.dim_sliders[0].slider.setValue(250)  # z[0] = 2.5: another picture, other neighbours asked for
    qtbot.waitUntil(lambda: explorer.shown_stamp == explorer.requested_stamp and view.last is not first
                    and not view.in_flight and view.pending is None, timeout=30000)
    expected = build_index(load_dataset(tiny_digits().data)).query(to_target(explorer.last_picture), K)
    assert view.last["indices"] == expected.indices.tolist()
    assert not view.tiles[1].picture.pixmap().isNull()
    explorer.close()
    assert view._thread is None
