"""Every random number generator a run draws from, seeded together and saved together, so that a
run resumed from a checkpoint draws exactly what it would have drawn without stopping."""
from __future__ import annotations

import hashlib
import random

import numpy as np
import torch


def seed_all(seed: int) -> None:
    """Python's, NumPy's and torch's global generators (torch's draws the weights and dropout masks)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def rng_states(generator: torch.Generator) -> dict:
    """`generator`'s state and the global ones, as tensors and builtins (loadable with weights_only=True)."""
    np_state = np.random.get_state()
    return {
        "trainer": generator.get_state(),
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
        "numpy": [np_state[0], torch.from_numpy(np_state[1].astype(np.int64)), *np_state[2:]],
        "python": random.getstate(),
    }


def restore_rng_states(generator: torch.Generator, states: dict) -> bool:
    """The inverse of rng_states; False where `generator`'s stream cannot continue exactly.

    That is a state saved on another kind of device (a CUDA generator keeps 16 bytes, a CPU one 5056):
    `generator` is then seeded from the saved state's bytes, the same way every time. CUDA states of
    devices this machine lacks are left out."""
    saved = states["trainer"]
    exact = saved.numel() == generator.get_state().numel()
    if exact:
        generator.set_state(saved)
    else:
        digest = hashlib.sha256(saved.numpy().tobytes()).digest()
        generator.manual_seed(int.from_bytes(digest[:8], "little") >> 1)
    torch.set_rng_state(states["torch"])
    if states.get("cuda") and torch.cuda.is_available():
        for index, state in enumerate(states["cuda"][:torch.cuda.device_count()]):
            torch.cuda.set_rng_state(state, index)
    name, keys, *rest = states["numpy"]
    np.random.set_state((name, keys.numpy().astype(np.uint32), *rest))
    version, internal, gauss = states["python"]
    random.setstate((version, tuple(internal), gauss))
    return exact
