"""A digit classifier that judges generated images: which classes a generator makes, and how well.

It is trained on the real training data the first time a data set needs it (seconds to a
minute on a CPU) and cached per data set. From its predictions come the class histogram,
classes captured, KL to uniform and mean confidence; from its penultimate layer a Fréchet
distance between real and generated features (FID's formula, on this small network).

Classes captured counts only samples the classifier is sure of (`CONFIDENT`): a classifier still
names a class for a shapeless smudge, so early in a run every class "appears" in the plain histogram
while none is drawn yet. Sureness only means "looks like this digit" if the classifier has seen what is
no digit: it is trained with outlier exposure (Hendrycks, Mazeika & Dietterich 2019), see `core/outliers.py`.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .data import Dataset, as_float, default_cache_dir
from .losses import uniform_cross_entropy
from .outliers import outliers

FEATURES = 128
# A sample counts toward its class only when its top class probability is at least CONFIDENT; a class is
# captured when such samples put at least MIN_SHARE of all samples in it. Real built-in digits: 97 % are this
# sure, about 8-10 % of all per class; digits-dcgan's smudges at step 200: 0.6 % are.
CONFIDENT = 0.9
MIN_SHARE = 0.02
# Trained this long, the classifier is ≥ 90 % sure of 96-99 % of the real digits of every class (500 steps left
# it sure of 27 % of the built-in 6s while 99 % accurate on them, so a perfect generator barely captured 6).
CLASSIFIER_STEPS = 1500
# Weight of the outlier-exposure term: cross-entropy to the uniform distribution on shapeless images. Without it
# a classifier trained this long is 0.97-1.00 sure of a collapsed GAN's speckled blob; with it 0.22 (four kinds of
# outlier), 0.11 (six kinds: digits-collapse, seed 1201, step 400).
OUTLIER_WEIGHT = 0.5


class DigitClassifier(nn.Module):
    """1×28×28 (or 32×32) in [-1, 1] → 10 logits; `features` is the 128-wide penultimate layer."""

    def __init__(self, channels: int = 1, n_classes: int = 10):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(channels, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # → 16×14×14
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # → 32×7×7
            nn.AdaptiveAvgPool2d(4), nn.Flatten(),  # → 512
            nn.Linear(32 * 16, FEATURES), nn.ReLU())
        self.head = nn.Linear(FEATURES, n_classes)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))


def train_classifier(x: torch.Tensor, labels: torch.Tensor, steps: int = CLASSIFIER_STEPS, batch: int = 128,
                     seed: int = 0, outlier_weight: float = OUTLIER_WEIGHT,
                     progress: Callable[[float], None] | None = None) -> DigitClassifier:
    """A fixed budget of Adam steps with cosine decay, on random ±2-pixel shifts of the images; beside each
    batch, its `outliers` with a uniform target (weight `outlier_weight`)."""
    gen = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = DigitClassifier(x.shape[1], int(labels.max()) + 1)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    for step in range(1, steps + 1):
        idx = torch.randint(len(x), (batch,), generator=gen)
        shift = torch.randint(-2, 3, (2,), generator=gen).tolist()
        xb = torch.roll(x[idx], shifts=shift, dims=(2, 3))
        loss = F.cross_entropy(model(xb), labels[idx])
        if outlier_weight:
            loss = loss + outlier_weight * uniform_cross_entropy(model(outliers(xb, gen)))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        schedule.step()
        if progress and (step % 20 == 0 or step == steps):
            progress(step / steps)
    return model.eval()


@torch.no_grad()
def predict(model: DigitClassifier, images: torch.Tensor | np.ndarray, batch: int = 1000
            ) -> tuple[np.ndarray, np.ndarray]:
    """(class probabilities N×10, penultimate features N×128) as float64 arrays; images in [-1, 1], or
    uint8 as image data sets keep them."""
    x = as_float(torch.as_tensor(np.asarray(images) if not isinstance(images, torch.Tensor) else images)).float().cpu()
    probs, feats = [], []
    for i in range(0, len(x), batch):
        f = model.features(x[i:i + batch])
        feats.append(f)
        probs.append(torch.softmax(model.head(f), 1))
    return torch.cat(probs).double().numpy(), torch.cat(feats).double().numpy()


def frechet_distance(mu1: np.ndarray, cov1: np.ndarray, mu2: np.ndarray, cov2: np.ndarray) -> float:
    """‖μ1 − μ2‖² + Tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^½), the square root through symmetric eigendecompositions."""
    w, v = np.linalg.eigh(cov1)
    root1 = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    cross = np.linalg.eigvalsh(root1 @ cov2 @ root1)
    trace_root = np.sqrt(np.clip(cross, 0, None)).sum()
    return float(((mu1 - mu2) ** 2).sum() + np.trace(cov1) + np.trace(cov2) - 2 * trace_root)


def feature_stats(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return features.mean(0), np.cov(features, rowvar=False)


def class_metrics(probs: np.ndarray, n_classes: int = 10, min_share: float = MIN_SHARE,
                  confident: float = CONFIDENT) -> dict:
    """Histogram of predicted classes (all samples, and the confident ones as shares of all), classes
    captured by the confident samples alone (see CONFIDENT), KL to uniform and mean confidence."""
    predicted, top = probs.argmax(1), probs.max(1)
    n = max(len(predicted), 1)
    hist = np.bincount(predicted, minlength=n_classes) / n
    sure = np.bincount(predicted[top >= confident], minlength=n_classes) / n
    nz = hist > 0
    return {"classes": int((sure >= min_share).sum()),
            "kl_uniform": float(np.sum(hist[nz] * np.log(hist[nz] * n_classes))),
            "confidence": float(top.mean()) if len(top) else 0.0,
            "confident_share": float(sure.sum()),
            "histogram": hist.round(4).tolist(),
            "confident_histogram": sure.round(4).tolist()}


class Evaluator:
    """A trained classifier plus the real data's class histogram and feature statistics."""

    def __init__(self, model: DigitClassifier, real_images: torch.Tensor):
        self.model = model
        probs, feats = predict(model, real_images[:5000])
        real = class_metrics(probs)
        self.real_histogram = real["histogram"]
        self.real_confident_share = real["confident_share"]  # how sure the classifier is of real digits
        self.real_stats = feature_stats(feats)

    @classmethod
    def for_dataset(cls, data: Dataset, key: str, progress: Callable[[float], None] | None = None,
                    cache_dir: Path | None = None) -> "Evaluator":
        """Load the cached classifier for this data set, or train and cache it."""
        if data.labels is None:
            raise ValueError(f"{data.name} has no labels: the evaluator needs labelled data")
        x, y = data.as_float().cpu(), data.labels.cpu()
        recipe = f"{CLASSIFIER_STEPS}|{OUTLIER_WEIGHT}|3"  # a classifier trained otherwise is not reused
        digest = hashlib.sha1(f"{key}|{tuple(x.shape)}|{int(y.sum())}|{recipe}".encode()).hexdigest()[:12]
        path = (cache_dir or default_cache_dir() / "evaluators") / f"{data.name}-{digest}.pt"
        model = DigitClassifier(x.shape[1], int(y.max()) + 1)
        try:
            model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
            model.eval()
        except (OSError, RuntimeError, EOFError):
            model = train_classifier(x, y, progress=progress)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                torch.save(model.state_dict(), tmp)
                os.replace(tmp, path)
            except OSError:
                pass  # an unwritable cache only costs time
        return cls(model, x)

    def evaluate(self, images: np.ndarray | torch.Tensor) -> dict:
        """Class metrics and the Fréchet distance of generated images against the real ones."""
        probs, feats = predict(self.model, images)
        report = class_metrics(probs)
        report["frechet"] = frechet_distance(*self.real_stats, *feature_stats(feats))
        return report


def dataset_key(config) -> str:
    """What identifies a labelled data set's contents for the cache."""
    d = config.data
    return f"{d.name}|{d.root}|{d.n_samples if d.name == 'digits' else ''}|{d.seed}|{d.image_size}"
