"""Data-parallel training under PyTorch's own launcher (torchrun): one process per device.

Each rank draws its own batches; DistributedDataParallel averages the gradients, so the
weights stay identical; buffers (batch-norm running statistics, spectral norm's power-
iteration vectors) are broadcast from rank 0 at every forward pass, so they cannot drift.
Rank 0 alone writes the run directory.
"""
from __future__ import annotations

import gc
import os

import torch
import torch.distributed as dist


def launched_by_torchrun() -> bool:
    return int(os.environ.get("WORLD_SIZE", "1")) > 1


def setup(device: torch.device) -> tuple[int, int, torch.device]:
    """(rank, world size, this rank's device); joins the process group when launched by torchrun."""
    if not launched_by_torchrun():
        return 0, 1, device
    if not dist.is_initialized():
        backend = "nccl" if device.type == "cuda" else "gloo"
        dist.init_process_group(backend=backend)
    if device.type == "cuda":
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
        torch.cuda.set_device(device)
    return dist.get_rank(), dist.get_world_size(), device


def rank() -> int:
    return dist.get_rank() if dist.is_available() and dist.is_initialized() else 0


def any_rank(flag: bool) -> bool:
    """True on every rank when it is true on any: so all ranks stop at the same step."""
    if not (dist.is_available() and dist.is_initialized()):
        return flag
    on_gpu = dist.get_backend() == "nccl"  # NCCL reduces CUDA tensors only
    t = torch.tensor([1 if flag else 0], device=f"cuda:{torch.cuda.current_device()}" if on_gpu else "cpu")
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return bool(t.item())


def teardown(trainer=None) -> None:
    """Leave together, and drop the DDP wrappers before the process group: a rank that quits while
    rank 0 still writes, or a wrapper outliving its group, aborts gloo ("terminate called ...")."""
    if not (dist.is_available() and dist.is_initialized()):
        return
    if trainer is not None:
        trainer.g_train, trainer.d_train = trainer.g, trainer.d
    gc.collect()
    dist.barrier()
    dist.destroy_process_group()
