"""Run by tests/test_distributed.py under torchrun: trains a tiny config and checks, after every
step, that every rank holds the same weights and buffers as rank 0, the EMA copy of G's included."""
import json
import sys

import torch
import torch.distributed as dist

from studio.core import distributed
from studio.core.config import Config
from studio.core.trainer import Trainer


def flat(tensors) -> torch.Tensor:
    return torch.cat([t.detach().float().reshape(-1) for t in tensors])


def flat_state(trainer: Trainer) -> torch.Tensor:
    modules = [m for m in (trainer.g, trainer.d, trainer.g_ema) if m is not None]
    return flat(t for m in modules for t in m.state_dict().values())


def ema_buffers(trainer: Trainer) -> torch.Tensor | None:
    """The EMA generator's batch-norm running statistics, flat; None when it has none."""
    buffers = [] if trainer.g_ema is None else [b for b in trainer.g_ema.buffers() if b.is_floating_point()]
    return flat(buffers) if buffers else None


def main() -> None:
    config = Config.load(sys.argv[1])
    trainer = Trainer(config)
    assert trainer.world_size == 2
    ema_start = ema_buffers(trainer)
    reals = []
    for _ in range(int(sys.argv[3])):
        trainer.step()
        mine = flat_state(trainer)
        gathered = [torch.empty_like(mine) for _ in range(trainer.world_size)]
        dist.all_gather(gathered, mine)
        assert torch.equal(gathered[0], gathered[1]), f"ranks differ after step {trainer.step_count}"
        batch = trainer.data.batch(4, trainer.rng)
        seen = [torch.empty_like(batch) for _ in range(trainer.world_size)]
        dist.all_gather(seen, batch)
        reals.append(not torch.equal(seen[0], seen[1]))
    # The equality above means something for the EMA's buffers only if training moved them.
    ema_moved = None if ema_start is None else not torch.equal(ema_start, ema_buffers(trainer))
    if trainer.rank == 0:
        with open(sys.argv[2], "w") as fh:
            json.dump({"steps": trainer.step_count, "ranks_draw_own_batches": all(reals),
                       "ema_buffers_moved": ema_moved}, fh)
    distributed.teardown(trainer)


if __name__ == "__main__":
    main()
