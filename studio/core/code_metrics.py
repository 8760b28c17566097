"""Does a code mean what it should? Judged by the evaluator's digit classifier.

- conditional GANs: the share of samples asked for class K that the classifier calls K;
- InfoGAN: for each categorical value, the share of its samples in their most common
  predicted class (purity), and how many distinct digits the values' majorities cover.
"""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .codes import CodeLayout
from .evaluator import predict


@torch.no_grad()
def images_for(g: nn.Module, layout: CodeLayout, z_dim: int, name: str, value: int, n: int,
               seed: int = 0) -> np.ndarray:
    """n samples of G with categorical slot `name` = value; other continuous codes drawn from U(-1, 1)."""
    generator = torch.Generator().manual_seed(seed)
    z = torch.randn(n, z_dim, generator=generator)
    code = layout.sample(n, generator)  # continuous codes at their training distribution
    fixed = layout.encode({name: value}, n)
    s = layout.slot(name)
    code[:, s.offset:s.offset + s.size] = fixed[:, s.offset:s.offset + s.size]
    was_training = g.training
    g.eval()
    try:
        return g(z, code).float().numpy()
    finally:
        g.train(was_training)


def class_accuracy(g: nn.Module, layout: CodeLayout, z_dim: int, classifier: nn.Module, n: int = 200,
                   seed: int = 0) -> dict:
    """Per class K: the share of n samples asked for K that the classifier predicts as K; and their mean."""
    slot = layout.slot("class")
    per_class = []
    for k in range(slot.size):
        probs, _ = predict(classifier, images_for(g, layout, z_dim, "class", k, n, seed + k))
        per_class.append(float((probs.argmax(1) == k).mean()))
    return {"class_accuracy": float(np.mean(per_class)), "per_class_accuracy": [round(a, 4) for a in per_class]}


def category_purity(g: nn.Module, layout: CodeLayout, z_dim: int, classifier: nn.Module, n: int = 200,
                    seed: int = 0) -> dict:
    """For each value of the categorical code: its majority digit and that digit's share of the samples."""
    slot = layout.categorical
    if slot is None:
        return {}
    majority, shares = [], []
    for v in range(slot.size):
        probs, _ = predict(classifier, images_for(g, layout, z_dim, slot.name, v, n, seed + v))
        counts = np.bincount(probs.argmax(1), minlength=probs.shape[1])
        majority.append(int(counts.argmax()))
        shares.append(float(counts.max() / n))
    return {"purity": float(np.mean(shares)), "digits_covered": len(set(majority)),
            "majority_digit": majority, "majority_share": [round(s, 4) for s in shares]}


@torch.no_grad()
def code_sweep(g: nn.Module, layout: CodeLayout, z_dim: int, name: str, values: np.ndarray,
               seed: int = 0) -> np.ndarray:
    """Images with continuous code `name` swept over `values`: one row per categorical value (or one
    row), the same z along each row, every other code at 0. Returns rows × len(values) × C×H×W."""
    z = torch.randn(1, z_dim, generator=torch.Generator().manual_seed(seed)).expand(len(values), -1)
    category = layout.categorical
    rows = range(category.size) if category is not None else [None]
    was_training = g.training
    g.eval()
    try:
        out = []
        for row in rows:
            codes = torch.cat([layout.encode({name: float(v), **({} if row is None else {category.name: row})})
                               for v in values])
            out.append(g(z, codes).float().numpy())
        return np.stack(out)
    finally:
        g.train(was_training)
