"""The training images nearest a picture: does the generator invent, or copy what it was shown?

The training set is held as one float32 matrix, a row per image (its pixels, or the evaluator
classifier's 128 features), with each row's squared norm computed once. A query is then one
matrix-vector product, ‖x‖² − 2·x·y + ‖y‖², about a millisecond for 10,000 28×28 digits on one
core; the best few are measured again exactly, so an image of the set is at distance 0 from itself.
How near is "near" is judged against the set itself: how far training images lie from their own
nearest other training image.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .data import Dataset, as_float

RERANK = 16  # extra candidates re-measured exactly beyond k (matmul round-off is ~1e-3 of ‖x‖²)
SPACES = {"pixels": "pixel distance (L2 over all pixels in [-1, 1])",
          "features": "classifier-feature distance (L2 over the evaluator's 128 features)"}


def training_images(data: Dataset, indices: np.ndarray | list[int] | None = None) -> np.ndarray:
    """A data set's images (all, or those at `indices`) as float32 N×C×H×W in [-1, 1].

    The one place that reads a Dataset's pixels for inversion and neighbours, so a change in how
    the Dataset keeps them (uint8, converted per batch) is met here.
    """
    if data.is_2d:
        raise ValueError(f"{data.name} holds 2-D points, not images")
    x = data.x if indices is None else data.x[torch.as_tensor(np.asarray(indices, np.int64), device=data.x.device)]
    return as_float(x.detach().cpu()).float().numpy()


def dataset_target(data: Dataset, index: int) -> np.ndarray:
    """Image `index` of a data set as an inversion target, C×H×W in [-1, 1]; IndexError saying the range."""
    if not 0 <= index < len(data):
        raise IndexError(f"image {index} is outside {data.name}'s {len(data):,} images (0–{len(data) - 1})")
    return training_images(data, [index])[0]


@dataclass
class Neighbours:
    """The k nearest members of the set, nearest first, and their distances."""

    indices: np.ndarray
    distances: np.ndarray


class NearestImages:
    """k-nearest search by L2 distance over a fixed set of vectors (flat images or classifier features).

    `images` are the pictures to show for each row (the vectors themselves in pixel space);
    `classifier`, for the feature space, turns a query image into its features.
    """

    def __init__(self, vectors: np.ndarray, images: np.ndarray, labels: np.ndarray | None = None,
                 space: str = "pixels", classifier: nn.Module | None = None):
        if space not in SPACES:
            raise ValueError(f"space must be one of {', '.join(SPACES)}, got {space!r}")
        self.vectors = torch.from_numpy(np.ascontiguousarray(np.asarray(vectors, np.float32).reshape(len(vectors), -1)))
        self.norms = (self.vectors ** 2).sum(1)
        self.images, self.labels, self.space, self.classifier = images, labels, space, classifier
        self._others: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.vectors)

    @property
    def description(self) -> str:
        return SPACES[self.space]

    @torch.no_grad()
    def embed(self, images: np.ndarray) -> torch.Tensor:
        """Query images (N×C×H×W in [-1, 1]) as rows of this space."""
        x = torch.from_numpy(np.ascontiguousarray(images, np.float32))
        if self.classifier is not None:
            return self.classifier.features(x).float()
        return x.reshape(len(x), -1)

    def query(self, image: np.ndarray, k: int = 8) -> Neighbours:
        """The k training images nearest one image (C×H×W in [-1, 1])."""
        return self.query_vectors(self.embed(np.asarray(image)[None]), k)[0]

    @torch.no_grad()
    def query_vectors(self, rows: torch.Tensor, k: int, exclude: np.ndarray | None = None) -> list[Neighbours]:
        """The k nearest members for each row (Q×D); `exclude[i]` leaves member exclude[i] out for row i."""
        k = max(1, min(k, len(self) - (exclude is not None)))
        approx = self.norms[None, :] - 2.0 * rows @ self.vectors.T  # + ‖row‖², the same for the whole row
        if exclude is not None:
            approx[torch.arange(len(rows)), torch.as_tensor(exclude)] = float("inf")
        wide = min(len(self), k + RERANK)
        candidates = torch.topk(approx, wide, dim=1, largest=False).indices  # Q×wide
        exact = ((self.vectors[candidates] - rows[:, None, :]).double() ** 2).sum(2).sqrt()  # re-measured
        if exclude is not None:
            exact[candidates == torch.as_tensor(exclude)[:, None]] = float("inf")
        order = torch.argsort(exact, dim=1, stable=True)[:, :k]
        return [Neighbours(candidates[i, order[i]].numpy(), exact[i, order[i]].numpy()) for i in range(len(rows))]

    def nearest_other_distances(self, n: int = 300, seed: int = 0) -> np.ndarray:
        """For n training images drawn at random, the distance to their nearest other training image,
        sorted: the scale on which a generated image's nearest distance is judged (computed once)."""
        if self._others is None:
            members = np.random.default_rng(seed).choice(len(self), size=min(n, len(self)), replace=False)
            found = self.query_vectors(self.vectors[torch.from_numpy(members)], 1, exclude=members)
            self._others = np.sort([f.distances[0] for f in found])
        return self._others

    def typical_gap(self) -> float:
        """The median distance from a training image to its nearest other training image."""
        return float(np.median(self.nearest_other_distances())) if len(self) > 1 else float("nan")


def build_index(data: Dataset, space: str = "pixels", classifier: nn.Module | None = None,
                limit: int | None = None) -> NearestImages:
    """The nearest-image index of a data set (its first `limit` images), in pixel or feature space."""
    images = training_images(data) if limit is None or limit >= len(data) else \
        training_images(data, np.arange(limit))
    labels = None if data.labels is None else data.labels[:len(images)].cpu().numpy()
    if space == "features":
        if classifier is None:
            raise ValueError("the feature space needs the evaluator's classifier")
        from .evaluator import predict

        vectors = predict(classifier, images)[1].astype(np.float32)
        return NearestImages(vectors, images, labels, "features", classifier.eval())
    return NearestImages(images, images, labels, space)


NEAR_COPY, CLOSE = 0.05, 0.25  # shares of training images that are as near another one (see verdict)


def verdict(nearest: float, others: np.ndarray) -> str:
    """For a student: is the nearest training image a copy, a close relative, or far? Judged by the share
    of training images that lie at least as near another training image (`others`, sorted)."""
    if len(others) == 0:
        return ""
    share = float(np.searchsorted(others, nearest, side="right")) / len(others)
    nearer = f"nearer to it than {1 - share:.0%} of training images are to their nearest other one"
    if share < NEAR_COPY:
        return f"a near copy of a training image: {nearer}"
    if share < CLOSE:
        return f"close to a training image: {nearer}"
    return f"new: as far from the training images as they are from each other ({nearer})"
