"""GAN objectives on D's raw scores (logits), and the auxiliary terms of AC-GAN and InfoGAN.

Each loss maps (scores on real, scores on fake) to D's loss, and scores on
fake to G's loss. `real_target` is 1, or 1 - ε with one-sided label smoothing.
D's penalties (WGAN-GP, R1) are in penalties.py.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


class NonFiniteLossError(FloatingPointError):
    """A loss became NaN or Inf; nothing was updated with it."""

    def __init__(self, step: int, term: str, value: float):
        super().__init__(f"{term} is {value} at step {step}; training stopped before applying it "
                         f"(try a lower learning rate, a gradient penalty or spectral norm)")
        self.step, self.term, self.value = step, term, value


# Losses whose scores are logits of a probability (d_real/d_fake are reported through a sigmoid).
PROBABILISTIC = {"minimax", "nonsaturating", "r1"}
WASSERSTEIN = {"wgan", "wgan-gp"}


def _bce_real(real: Tensor, target: float) -> Tensor:
    """-[t log σ(r) + (1 - t) log(1 - σ(r))], averaged."""
    return F.binary_cross_entropy_with_logits(real, torch.full_like(real, target))


def d_loss(kind: str, real: Tensor, fake: Tensor, real_target: float = 1.0) -> Tensor:
    if kind in PROBABILISTIC:
        return _bce_real(real, real_target) + F.softplus(fake).mean()
    if kind == "lsgan":
        return 0.5 * ((real - real_target) ** 2).mean() + 0.5 * (fake ** 2).mean()
    if kind == "hinge":
        return F.relu(real_target - real).mean() + F.relu(1.0 + fake).mean()
    if kind in WASSERSTEIN:
        return fake.mean() - real.mean()
    raise ValueError(f"unknown loss {kind!r}")


def smoothed_d_loss(loss, real: Tensor, fake: Tensor) -> Tensor:
    """D's loss of the kind `loss` (a LossConfig) names, its real target lowered by one-sided label smoothing."""
    return d_loss(loss.kind, real, fake, 1.0 - loss.label_smoothing)


def g_loss(kind: str, fake: Tensor) -> Tensor:
    if kind == "minimax":
        return -F.softplus(fake).mean()  # mean log(1 - D(G(z))): the 2014 paper's saturating form
    if kind in ("nonsaturating", "r1"):
        return F.softplus(-fake).mean()  # -mean log D(G(z))
    if kind == "lsgan":
        return 0.5 * ((fake - 1.0) ** 2).mean()
    if kind in ("hinge", *WASSERSTEIN):
        return -fake.mean()
    raise ValueError(f"unknown loss {kind!r}")


def as_probability(kind: str, scores: Tensor) -> Tensor:
    """Mean D output as reported: a probability where the loss has one, else the raw score."""
    return torch.sigmoid(scores).mean() if kind in PROBABILISTIC else scores.mean()


def score_metrics(kind: str, real: Tensor, fake: Tensor) -> dict[str, Tensor]:
    """D's mean outputs on real and fake as reported, and for WGANs the critic's estimate of W(p_data, p_G)."""
    metrics = {"d_real": as_probability(kind, real), "d_fake": as_probability(kind, fake)}
    if kind in WASSERSTEIN:
        metrics["wasserstein"] = real.mean() - fake.mean()
    return metrics


def class_loss(logits: Tensor, code: Tensor, layout) -> Tensor:
    """AC-GAN's auxiliary term: cross-entropy of the classifier's logits against the class in `code`."""
    index, _ = layout.split(code)
    return F.cross_entropy(logits, index)


def info_loss(q_out: Tensor, code: Tensor, layout, continuous_weight: float = 1.0) -> Tensor:
    """InfoGAN's L_I (Chen et al. 2016), the negative of the mutual-information lower bound
    up to a constant: cross-entropy of Q's categorical logits against the categorical code,
    plus `continuous_weight` times the Gaussian negative log-likelihood of the continuous codes
    under Q's means with fixed σ = 1 (½‖c − μ‖², the constant ½ log 2π dropped), both averaged
    over the batch.
    """
    index, values = layout.split(code)
    loss = q_out.new_zeros(())
    if index is not None:
        s = layout.categorical
        loss = loss + F.cross_entropy(q_out[:, s.offset:s.offset + s.size], index)
    if values is not None:
        start = layout.continuous[0].offset
        means = q_out[:, start:start + values.shape[1]]
        loss = loss + continuous_weight * 0.5 * ((values - means) ** 2).sum(1).mean()
    return loss


def weighted_aux_loss(cond, aux_out: Tensor, code: Tensor, layout) -> Tensor:
    """The auxiliary term as `cond` (a ConditionConfig) weighs it: AC-GAN's class cross-entropy or InfoGAN's λ·L_I."""
    if cond.kind == "acgan":
        return cond.ac_weight * class_loss(aux_out, code, layout)
    return cond.info_weight * info_loss(aux_out, code, layout, cond.continuous_weight)


def negative_entropy(class_logits: Tensor) -> Tensor:
    """−H(p), averaged over the batch: D minimises it on G's fakes to be unsure of their class (CatGAN's
    doubt term, loss.fake_entropy_weight); the most it can reach is −log K, a uniform guess."""
    log_p = F.log_softmax(class_logits, 1)
    return (log_p.exp() * log_p).sum(1).mean()


def uniform_cross_entropy(class_logits: Tensor) -> Tensor:
    """Cross-entropy to the uniform guess, averaged: −(1/K)·Σ_k log p_k, smallest (log K) when unsure.
    D (loss.outlier_weight) and the evaluator's classifier minimise it on shapeless images (outlier exposure)."""
    return -F.log_softmax(class_logits, 1).mean()


def certainty_loss(class_logits: Tensor) -> Tensor:
    """−log of the top class's probability, averaged: small where the classifier is sure of each image.

    The cross-entropy against the classifier's own guess (AC-GAN's G term when G picks its class), so
    G is drawn towards the images easiest to name (loss.certainty_weight).
    """
    return -F.log_softmax(class_logits, 1).amax(1).mean()
