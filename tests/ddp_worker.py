"""Run by tests/test_distributed.py under torchrun: trains a tiny config and checks, after every
step, that every rank holds the same weights and buffers as rank 0."""
import json
import sys

import torch
import torch.distributed as dist

from studio.core import distributed
from studio.core.config import Config
from studio.core.trainer import Trainer


def flat_state(trainer: Trainer) -> torch.Tensor:
    parts = [t.detach().float().reshape(-1) for t in trainer.g.state_dict().values()]
    parts += [t.detach().float().reshape(-1) for t in trainer.d.state_dict().values()]
    return torch.cat(parts)


def main() -> None:
    config = Config.load(sys.argv[1])
    trainer = Trainer(config)
    assert trainer.world_size == 2
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
    if trainer.rank == 0:
        with open(sys.argv[2], "w") as fh:
            json.dump({"steps": trainer.step_count, "ranks_draw_own_batches": all(reals)}, fh)
    distributed.teardown(trainer)


if __name__ == "__main__":
    main()
