import numpy as np
import pytest
import torch

from studio.core.config import Config
from studio.core.data import as_float, held_out, load_dataset
from studio.core.evaluator import CONFIDENT, Evaluator, class_metrics, frechet_distance, predict, train_classifier
from studio.core.outliers import outliers


def test_frechet_distance_of_known_gaussians():
    mu1, mu2 = np.zeros(3), np.array([1.0, 2.0, 2.0])
    cov1, cov2 = np.eye(3), 4 * np.eye(3)
    # ‖μ1-μ2‖² = 9; Tr(I + 4I - 2·(4I)^½) = 3 + 12 - 12 = 3
    assert frechet_distance(mu1, cov1, mu2, cov2) == pytest.approx(12.0)
    rng = np.random.default_rng(0)
    a = rng.standard_normal((500, 4))
    cov = np.cov(a, rowvar=False)
    assert frechet_distance(a.mean(0), cov, a.mean(0), cov) == pytest.approx(0.0, abs=1e-8)


def test_class_metrics_by_hand():
    probs = np.zeros((100, 10))
    probs[:50, 3] = 0.9
    probs[50:, 7] = 0.7
    probs[:, 0] += 0.05
    m = class_metrics(probs)
    assert m["classes"] == 1  # the half at p = 0.7 is not confident enough to count (evaluator.CONFIDENT)
    assert m["kl_uniform"] == pytest.approx(np.log(5))  # two classes at 1/2: Σ ½ log(½·10)
    assert m["confidence"] == pytest.approx(0.8)
    uniform = np.eye(10)[np.arange(100) % 10]
    assert class_metrics(uniform)["kl_uniform"] == pytest.approx(0.0) and class_metrics(uniform)["classes"] == 10


def test_classifier_reads_held_out_mnist(mnist_dir):
    """The network's capacity, on a short budget without outlier exposure (the shipped budget is tested below)."""
    ds = load_dataset(Config().updated({"data.name": "mnist", "data.root": str(mnist_dir)}).data)
    x = ds.as_float()
    model = train_classifier(x[:8000], ds.labels[:8000], steps=500, outlier_weight=0.0)
    probs, feats = predict(model, x[8000:])
    accuracy = (probs.argmax(1) == ds.labels[8000:].numpy()).mean()
    assert accuracy >= 0.95, accuracy
    assert feats.shape == (2000, 128)


def test_outliers_are_images_of_the_data_range_and_each_kind_differs_from_its_source():
    ds = load_dataset(Config().updated({"data.name": "digits", "data.n_samples": 200}).data)
    x = ds.as_float()[:132]
    made = outliers(x, torch.Generator().manual_seed(0))
    assert made.shape == x.shape and made.min() >= -1 and made.max() <= 1
    for kind in range(6):  # ghosts, smudges, blobs, speckle, inverted, textures: none is a copy of a real digit
        part = made[22 * kind:22 * (kind + 1)]
        assert (part - x[22 * kind:22 * (kind + 1)]).abs().mean() > 0.05, kind
    assert torch.equal(made[88:110], -x[88:110])
    assert set(made[110:].unique().tolist()) == {-1.0, 1.0}  # textures are black and white


DIGITS = Config().updated({"data.name": "digits", "data.n_samples": 3000, "data.holdout": 1000}).data


@pytest.fixture(scope="module")
def digits_evaluator(tmp_path_factory):
    """The shipped classifier recipe (CLASSIFIER_STEPS, OUTLIER_WEIGHT) on 2,000 built-in digits, cached
    in a folder of its own; (evaluator, cache folder, progress reported)."""
    cache, progress = tmp_path_factory.mktemp("evaluators"), []
    return Evaluator.for_dataset(load_dataset(DIGITS), "digits-3000", progress=progress.append,
                                 cache_dir=cache), cache, progress


def test_evaluator_is_cached_and_tells_collapse_from_variety(digits_evaluator):
    ev, cache, progress = digits_evaluator
    ds = load_dataset(DIGITS)
    assert progress and progress[-1] == 1.0 and list(cache.glob("digits-*.pt"))
    count = len(progress)
    again = Evaluator.for_dataset(ds, "digits-3000", progress=progress.append, cache_dir=cache)
    assert len(progress) == count  # loaded from the cache, not retrained
    for a, b in zip(ev.model.parameters(), again.model.parameters()):
        assert torch.equal(a, b)
    varied = ev.evaluate(ds.x[:1000])  # uint8 images, as the data set keeps them, are read as [-1, 1]
    collapsed = ev.evaluate(ds.as_float()[ds.labels == 4][:150])
    assert varied["classes"] == 10 and varied["kl_uniform"] < 0.05 and varied["confidence"] > 0.9
    assert collapsed["classes"] <= 2 and collapsed["kl_uniform"] > 1.5
    assert collapsed["frechet"] > 5 * varied["frechet"]


def test_evaluator_is_sure_of_unseen_digits_of_every_class_and_of_no_shapeless_image(digits_evaluator):
    """Sure of most held-out digits of each class (the 500-step classifier was sure of 27 % of the 6s), and of
    none of six kinds of shapeless image unlike those it was trained to reject (a classifier trained as long
    without outlier exposure is sure of most of them; one trained without inverted digits and textures
    among its outliers was sure of half the white pages)."""
    ev = digits_evaluator[0]
    x, y = held_out(DIGITS)
    probs, _ = predict(ev.model, x)
    sure = (probs.max(1) >= CONFIDENT) & (probs.argmax(1) == y)
    assert min(sure[y == k].mean() for k in range(10)) >= 0.8, [round(sure[y == k].mean(), 2) for k in range(10)]
    rng = np.random.default_rng(0)
    real = as_float(torch.as_tensor(x[:100])).float()
    tiles = real.reshape(100, 1, 4, 7, 4, 7).permute(0, 1, 2, 4, 3, 5).reshape(100, 1, 16, 7, 7)
    shuffled = tiles[:, :, torch.as_tensor(rng.permutation(16))]
    shapeless = {
        "a ghost of twenty digits": torch.stack([real[rng.choice(100, 20)].mean(0) for _ in range(100)]),
        "uniform noise": torch.as_tensor(rng.uniform(-1, 1, (100, 1, 28, 28))).float(),
        "digits shuffled in 7×7 tiles": shuffled.reshape(100, 1, 4, 4, 7, 7).permute(0, 1, 2, 4, 3, 5)
        .reshape(100, 1, 28, 28),
        "a blank grey page": torch.zeros(100, 1, 28, 28),
        "a white page with the digit in black": -real,
        "black-and-white squares of 3 pixels": torch.as_tensor(
            np.kron(rng.choice([-1.0, 1.0], (100, 1, 10, 10), p=[0.4, 0.6]), np.ones((3, 3)))[..., :28, :28]).float(),
    }
    for what, images in shapeless.items():
        report = ev.evaluate(images)
        assert report["confident_share"] <= 0.2, (what, report["confident_share"], report["confidence"])
