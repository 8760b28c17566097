"""Each loss and penalty against values worked out by hand with the math module."""
import math

import pytest
import torch
from torch import nn

from studio.core import losses, penalties

REAL = [2.0, -1.0]
FAKE = [1.0, -3.0]


def softplus(x):
    return math.log1p(math.exp(x))


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def mean(values):
    return sum(values) / len(values)


def t(values):
    return torch.tensor(values, dtype=torch.float64)


@pytest.mark.parametrize("kind, expected_d, expected_g", [
    ("minimax", mean([softplus(-r) for r in REAL]) + mean([softplus(f) for f in FAKE]),
     mean([math.log(1 - sigmoid(f)) for f in FAKE])),
    ("nonsaturating", mean([-math.log(sigmoid(r)) for r in REAL]) + mean([-math.log(1 - sigmoid(f)) for f in FAKE]),
     mean([-math.log(sigmoid(f)) for f in FAKE])),
    ("lsgan", 0.5 * mean([(r - 1) ** 2 for r in REAL]) + 0.5 * mean([f ** 2 for f in FAKE]),
     0.5 * mean([(f - 1) ** 2 for f in FAKE])),
    ("hinge", mean([max(0, 1 - r) for r in REAL]) + mean([max(0, 1 + f) for f in FAKE]), -mean(FAKE)),
    ("wgan", mean(FAKE) - mean(REAL), -mean(FAKE)),
    ("wgan-gp", mean(FAKE) - mean(REAL), -mean(FAKE)),
])
def test_loss_values(kind, expected_d, expected_g):
    assert losses.d_loss(kind, t(REAL), t(FAKE)).item() == pytest.approx(expected_d, rel=1e-9)
    assert losses.g_loss(kind, t(FAKE)).item() == pytest.approx(expected_g, rel=1e-9)


def test_minimax_generator_loss_saturates_and_nonsaturating_does_not():
    fake = t([-8.0]).requires_grad_(True)  # D is sure the sample is fake
    losses.g_loss("minimax", fake).backward()
    assert abs(fake.grad.item()) < 1e-3
    fake = t([-8.0]).requires_grad_(True)
    losses.g_loss("nonsaturating", fake).backward()
    assert abs(fake.grad.item()) > 0.99


def test_one_sided_label_smoothing_changes_only_the_real_target():
    expected = mean([-(0.9 * math.log(sigmoid(r)) + 0.1 * math.log(1 - sigmoid(r))) for r in REAL]) \
        + mean([softplus(f) for f in FAKE])
    assert losses.d_loss("nonsaturating", t(REAL), t(FAKE), 0.9).item() == pytest.approx(expected, rel=1e-9)


class Linear(nn.Module):
    """D(x) = w·x: its gradient is w everywhere, so the penalties have closed forms."""

    def __init__(self, w):
        super().__init__()
        self.w = nn.Parameter(torch.tensor(w, dtype=torch.float64))

    def forward(self, x):
        return x @ self.w


def test_gradient_penalty_of_a_linear_critic():
    d = Linear([3.0, 4.0])
    real, fake = torch.randn(6, 2, dtype=torch.float64), torch.randn(6, 2, dtype=torch.float64)
    assert penalties.gradient_penalty(d, real, fake).item() == pytest.approx((5 - 1) ** 2)


def test_gradient_penalty_is_differentiable_in_d():
    d = Linear([3.0, 4.0])
    gp = penalties.gradient_penalty(d, torch.randn(4, 2, dtype=torch.float64), torch.randn(4, 2, dtype=torch.float64))
    gp.backward()
    # d/dw (‖w‖ - 1)² = 2(‖w‖ - 1) w/‖w‖
    assert d.w.grad.tolist() == pytest.approx([2 * 4 * 3 / 5, 2 * 4 * 4 / 5])


def test_r1_penalty_of_a_linear_critic():
    d = Linear([3.0, 4.0])
    real = torch.randn(5, 2, dtype=torch.float64, requires_grad=True)
    assert penalties.r1_penalty(real, d(real)).item() == pytest.approx(25.0)


def test_reported_d_outputs():
    assert losses.as_probability("nonsaturating", t([0.0, 0.0])).item() == 0.5
    assert losses.as_probability("wgan", t([2.0, 4.0])).item() == 3.0
