"""The generator's code vector c, beside the noise z: what its columns mean.

G(z, c) takes one N×code_dim float tensor. A conditional GAN's c is the one-hot class
("class"); an InfoGAN's c is a one-hot categorical code ("category") followed by
continuous codes ("c1", "c2", …). The layout names those slots for the window and the
command line, draws codes for training, and turns a person's choices into c.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch

CONTINUOUS_RANGE = 2.0  # sliders and --code accept ±2; training draws from U(-1, 1) (Chen et al. 2016)


class CodeError(ValueError):
    """A requested class or code does not exist in this model; the message lists what does."""


@dataclass(frozen=True)
class Slot:
    """One named part of c: a categorical code (`size` one-hot columns) or one continuous value."""

    name: str
    kind: str  # "categorical" or "continuous"
    offset: int  # first column in c
    size: int  # columns: the number of values (categorical) or 1

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(str(i) for i in range(self.size)) if self.kind == "categorical" else ()


class CodeLayout:
    """The slots of c for one config; empty (code_dim 0) for an unconditional GAN."""

    def __init__(self, slots: list[Slot]):
        self.slots = slots
        self.code_dim = sum(s.size for s in slots)

    @classmethod
    def from_config(cls, config) -> "CodeLayout":
        cond = config.cond
        if cond.kind in ("cgan", "acgan"):
            return cls([Slot("class", "categorical", 0, cond.classes)])
        if cond.kind == "infogan":
            slots = [Slot("category", "categorical", 0, cond.categorical)] if cond.categorical else []
            start = cond.categorical
            slots += [Slot(f"c{i + 1}", "continuous", start + i, 1) for i in range(cond.continuous)]
            return cls(slots)
        return cls([])

    # -- questions -----------------------------------------------------------
    def __bool__(self) -> bool:
        return self.code_dim > 0

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.slots]

    def slot(self, name: str) -> Slot:
        for s in self.slots:
            if s.name == name:
                return s
        have = ", ".join(self.names) or "none (an unconditional model)"
        raise CodeError(f"this model has no code {name!r}; its codes are: {have}")

    @property
    def categorical(self) -> Slot | None:
        """The first categorical slot: the one the Samples grid gives a row per value."""
        return next((s for s in self.slots if s.kind == "categorical"), None)

    @property
    def continuous(self) -> list[Slot]:
        return [s for s in self.slots if s.kind == "continuous"]

    # -- making codes --------------------------------------------------------
    def encode(self, choices: dict[str, float], n: int = 1, device: torch.device | str = "cpu") -> torch.Tensor:
        """c (n×code_dim) for {"class": 3, "c1": 0.5}: a categorical by index, a continuous by value.

        Slots not named take their neutral value: value 0 (categorical) or 0.0 (continuous).
        """
        c = torch.zeros(n, self.code_dim, device=device)
        for s in self.slots:
            value = choices.get(s.name, 0)
            if s.kind == "categorical":
                if float(value) != int(value) or not 0 <= int(value) < s.size:
                    raise CodeError(f"{s.name} must be an integer 0..{s.size - 1}, got {value!r}")
                c[:, s.offset + int(value)] = 1.0
            else:
                if not -CONTINUOUS_RANGE <= float(value) <= CONTINUOUS_RANGE:
                    raise CodeError(f"{s.name} must be within ±{CONTINUOUS_RANGE:g}, got {value!r}")
                c[:, s.offset] = float(value)
        unknown = set(choices) - set(self.names)
        if unknown:
            self.slot(sorted(unknown)[0])  # raises with the list of codes there are
        return c

    def one_hot(self, labels: torch.Tensor) -> torch.Tensor:
        """c for integer class labels (conditional GANs: the one categorical slot)."""
        return torch.nn.functional.one_hot(labels.long(), self.code_dim).float()

    def sample(self, n: int, generator: torch.Generator, device: torch.device | str = "cpu") -> torch.Tensor:
        """Random codes: uniform categorical values, continuous values from U(-1, 1)."""
        c = torch.zeros(n, self.code_dim, device=device)
        for s in self.slots:
            if s.kind == "categorical":
                idx = torch.randint(s.size, (n,), generator=generator, device=generator.device).to(device)
                c[torch.arange(n, device=device), s.offset + idx] = 1.0
            else:
                u = torch.rand(n, generator=generator, device=generator.device).to(device)
                c[:, s.offset] = 2.0 * u - 1.0
        return c

    def rows(self, n: int, device: torch.device | str = "cpu") -> torch.Tensor:
        """Codes for n cells of a square grid laid out as render.image_grid: the categorical value
        follows the row (row r shows value r mod size), continuous codes are 0.

        A grid of 100 cells is then ten rows, one per class. G uses these when given no code.
        """
        c = torch.zeros(n, self.code_dim, device=device)
        s = self.categorical
        if s is not None:
            ncol = math.ceil(math.sqrt(n))
            values = (torch.arange(n, device=device) // ncol) % s.size
            c[torch.arange(n, device=device), s.offset + values] = 1.0
        return c

    # -- reading codes -------------------------------------------------------
    def split(self, c: torch.Tensor) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        """(categorical value indices N or None, continuous values N×k or None)."""
        s, cont = self.categorical, self.continuous
        index = c[:, s.offset:s.offset + s.size].argmax(1) if s is not None else None
        values = c[:, cont[0].offset:cont[0].offset + len(cont)] if cont else None
        return index, values

    def describe(self) -> str:
        """One line for error messages and `sample --help`-like listings."""
        parts = [f"{s.name} (0..{s.size - 1})" if s.kind == "categorical" else
                 f"{s.name} (±{CONTINUOUS_RANGE:g})" for s in self.slots]
        return ", ".join(parts) or "none"
