import math

import numpy as np
import pytest

from studio.core.data import grid_centres, ring_centres
from studio.core.coverage import mode_counts, mode_metrics

SIGMA = 0.01


def around(centres, per_mode, spread=SIGMA, seed=0):
    rng = np.random.default_rng(seed)
    return np.concatenate([c + spread * rng.standard_normal((per_mode, 2)) for c in centres])


def test_every_mode_covered_evenly():
    m = mode_metrics(around(ring_centres(), 100, spread=0.5 * SIGMA), ring_centres(), SIGMA)
    assert m["modes"] == 8 and m["hq"] == 1.0 and m["reverse_kl"] == pytest.approx(0.0, abs=1e-12)


def test_a_single_mode():
    m = mode_metrics(around(ring_centres()[:1], 800, spread=0.5 * SIGMA), ring_centres(), SIGMA)
    assert m["modes"] == 1 and m["hq"] == 1.0 and m["reverse_kl"] == pytest.approx(math.log(8))


def test_points_far_from_every_mode():
    samples = np.zeros((500, 2))  # the ring's centre: distance 1 = 100σ from every mode
    m = mode_metrics(samples, ring_centres(), SIGMA)
    assert m == {"modes": 0, "hq": 0.0, "reverse_kl": pytest.approx(math.log(8))}


def test_uneven_cover_by_hand():
    centres = ring_centres()
    samples = np.concatenate([np.repeat(centres[:1], 300, 0), np.repeat(centres[1:2], 100, 0), np.zeros((100, 2))])
    m = mode_metrics(samples, centres, SIGMA)
    p = np.array([0.75, 0.25])
    assert m["modes"] == 2 and m["hq"] == pytest.approx(0.8)
    assert m["reverse_kl"] == pytest.approx(float((p * np.log(p * 8)).sum()))


def test_grid_and_per_mode_counts():
    centres = grid_centres()
    samples = around(centres[:10], 20, spread=0.01)
    assert mode_metrics(samples, centres, 0.05)["modes"] == 10
    near, hq = mode_counts(samples, centres, 0.05)
    assert near[:10].tolist() == [20] * 10 and hq.sum() == 200 and near[10:].sum() == 0
