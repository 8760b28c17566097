"""The training step as one replayed CUDA graph: on a GPU, a small GAN's step is bound by kernel launches.

A step launches a few hundred small kernels; the GPU finishes each sooner than Python can launch the
next. `GraphedStep` records the whole step once (D and G updates, Adam's fused kernels, the EMA and the
metrics) with `torch.cuda.graph` and replays it each step: one launch instead of hundreds.

What the graph bakes in, and how the engine keeps eager semantics:

* Shapes and settings: the loss, optimiser and conditioning sections, the batch size and precision
  (`_signature`). A live edit of any of them records the step again at the next step.
* Random numbers: the trainer's own generator is registered with the graph, so each replay draws what
  the eager step would have drawn from the same state; checkpoints and exact resume are unchanged.
* The finiteness check: a host sync cannot be recorded, so each update's loss is an output of the graph,
  checked after the replay with the metrics (one device sync, as the eager step's). A non-finite loss
  undoes the whole step's optimiser updates (the graph keeps a copy of the weights it started from) and
  raises `NonFiniteLossError` for the same step and term the eager step names.
* Recording needs warm-up steps first; they run eagerly and are undone, so the first replay is step 1.

Where this cannot hold, the step runs eagerly and the reason is logged once (`decide`): the CPU, torchrun,
unrolled D (its look-ahead reads Adam's step count on the host), a learning-rate decay (a float the graph
would bake in), optimisers other than Adam, a data set kept in host memory (its batches are gathered on the
CPU), a torch that cannot record draws from the trainer's generator, a failed recording, and a step being
watched by forward hooks (slow motion records G's and D's calls, which a replay does not make).
"""
from __future__ import annotations

import contextlib
import json
import logging
import math

import torch
from torch import Tensor

from .losses import NonFiniteLossError

log = logging.getLogger(__name__)
WARMUP_STEPS = 2  # eager steps before recording: cuBLAS/cuDNN handles and the optimisers' state exist then


def graphs_unavailable() -> str | None:
    """Why this process cannot record a training step as a CUDA graph, or None."""
    if not torch.cuda.is_available():
        return "torch sees no CUDA device"
    if not hasattr(torch.cuda.CUDAGraph, "register_generator_state"):
        return f"torch {torch.__version__} cannot record draws from the trainer's own generator in a graph"
    return None


def decide(config, device: torch.device | str, world_size: int = 1, unavailable: str | None = None,
           host_data: bool = False) -> tuple[bool, str]:
    """(replay the step as a CUDA graph?, why) for a run's settings on `device`; `unavailable` is
    graphs_unavailable()'s answer, `host_data` whether the data set stays in host memory (data.placement).
    A pure function, so that the rules are tested on a CPU."""
    device = torch.device(device)
    if config.train.cuda_graphs == "off":
        return False, "train.cuda_graphs is off: eager steps"
    if device.type != "cuda":
        return False, f"CUDA graphs need a CUDA device; this run trains on {device.type}: eager steps"
    if world_size > 1:
        return False, "under torchrun each step all-reduces gradients through DDP, which is not recorded: eager steps"
    if config.optim.unroll:
        return False, "optim.unroll > 0: the look-ahead reads Adam's step count on the host: eager steps"
    if config.optim.lr_decay != "none":
        return False, "optim.lr_decay: the learning rates change every step, which a recorded step cannot follow: " \
                      "eager steps"
    if config.optim.name != "adam":
        return False, f"optim.name {config.optim.name}: only Adam's step is recorded: eager steps"
    if host_data:
        return False, "the data set is kept in host memory (too large for the GPU): each batch is gathered " \
                      "on the CPU: eager steps"
    if unavailable:
        return False, f"{unavailable}: eager steps"
    return True, "each step is replayed as one CUDA graph (static shapes)"


def _signature(config) -> str:
    """The settings a recorded step bakes in; the other sections cannot change during a run."""
    raw = config.to_dict()
    train = raw["train"]
    return json.dumps([raw["loss"], raw["optim"], raw["cond"], train["batch_size"], train["precision"],
                       train["cuda_graphs"]], sort_keys=True)


def _optimizer_state(trainer) -> list[Tensor]:
    return [v for opt in (trainer.opt_g, trainer.opt_d) for state in opt.state.values()
            for v in state.values() if torch.is_tensor(v)]


def trained_tensors(trainer) -> list[Tensor]:
    """What a step's optimiser updates change: G's and D's weights, G's EMA and the optimisers' state."""
    ema = [] if trainer.g_ema is None else [*trainer.g_ema.parameters(), *trainer.g_ema.buffers()]
    return [*trainer.g.parameters(), *trainer.d.parameters(), *ema, *_optimizer_state(trainer)]


def step_tensors(trainer) -> list[Tensor]:
    """Everything a step changes on the device: the trained tensors and G's and D's buffers."""
    return trained_tensors(trainer) + [*trainer.g.buffers(), *trainer.d.buffers()]


def _host_data(trainer) -> bool:
    """The data set stays in host memory and each batch is copied over (data.placement)."""
    return getattr(trainer.data, "device", None) is not None


def observed(trainer) -> bool:
    """Forward hooks on G or D (slow motion's recorder): they must see the step's calls, so it runs eagerly."""
    return bool(trainer.g._forward_hooks or trainer.d._forward_hooks or
                torch.nn.modules.module._global_forward_hooks)


class GraphedStep:
    """The trainer's step recorded once and replayed (see the module docstring); `replay()` is None
    where the step must run eagerly."""

    def __init__(self, trainer):
        self.trainer = trainer
        self.capturing = False  # True while the step is being recorded: the trainer defers its checks
        self.status = "not decided yet"  # "on", or "off: why", for people
        self._config = None  # the config object the current decision was made for
        self._key: str | None = None
        self._said: set[str] = set()
        self._wanted = False
        self.reset()

    def reset(self) -> None:
        """Forget the recording: the optimisers' state tensors were replaced (a checkpoint was loaded)."""
        self.graph = None
        self._config = self._key = None
        self._watched: list[tuple[str, Tensor]] = []
        self._names: list[str] = []
        self._out: Tensor | None = None
        self._weights: list[Tensor] = []
        self._backup: list[Tensor] = []

    def plan(self) -> str:
        """What the next step will do, for people: "on", or "off: why" (a recording can still fail: `status`)."""
        t = self.trainer
        use, reason = decide(t.config, t.device, t.world_size, graphs_unavailable(), _host_data(t))
        return "on" if use else f"off: {reason}"

    def watch(self, term: str, loss: Tensor) -> None:
        """While recording: a loss to check after each replay, in place of the eager step's check."""
        self._watched.append((term, loss.detach().float()))

    def replay(self) -> dict[str, float] | None:
        """One step as a replay of the recorded graph: its metrics; None where the step must run eagerly.

        Raises NonFiniteLossError (the step's optimiser updates undone) for a NaN or infinite loss."""
        if not self._ready():
            return None
        self.graph.replay()
        values = self._out.tolist()  # one device sync
        n = len(self._names)
        for (term, _), value in zip(self._watched, values[n:]):
            if not math.isfinite(value):
                with torch.no_grad():
                    torch._foreach_copy_(self._weights, self._backup)
                raise NonFiniteLossError(self.trainer.step_count + 1, term, value)
        return dict(zip(self._names, values[:n]))

    # -- deciding and recording ----------------------------------------------
    def _ready(self) -> bool:
        t = self.trainer
        if t.config is not self._config:  # a new config object: apply_live, or the first step
            self._config = t.config
            key = _signature(t.config)
            if key != self._key:
                self._key, self.graph = key, None
                use, reason = decide(t.config, t.device, t.world_size, graphs_unavailable(), _host_data(t))
                self.status = "on" if use else f"off: {reason}"
                self._say(reason, logging.INFO if use or t.device.type != "cuda" else logging.WARNING)
                self._wanted = use
        if not self._wanted or observed(t):
            return False
        if self.graph is None:
            self._record_or_explain()
        return self.graph is not None

    def _say(self, reason: str, level: int) -> None:
        if reason not in self._said:
            self._said.add(reason)
            log.log(level, "CUDA graphs: %s", reason)

    def _record_or_explain(self) -> None:
        """Warm up, undo the warm-up, record; on any failure put everything back and stay eager."""
        t = self.trainer
        for opt in (t.opt_g, t.opt_d):
            _steps_on_device(opt)  # before listing the tensors: this replaces some
        before = step_tensors(t)
        saved = [x.detach().clone() for x in before]
        rng = t.rng.get_state(), torch.cuda.get_rng_state(t.device)
        try:
            with torch.cuda.device(t.device):
                self._warm_up()
                _restore(t, before, saved)
                self._record()
        except Exception as exc:  # an operation that cannot be recorded, out of memory…
            _restore(t, before, saved)
            self.reset()
            self._config, self._wanted = t.config, False  # not tried again until the settings change
            self._key = _signature(t.config)
            self.status = f"off: recording failed ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})"
            self._say(self.status, logging.WARNING)
        finally:
            t.rng.set_state(rng[0])
            torch.cuda.set_rng_state(rng[1], t.device)
            for opt in (t.opt_g, t.opt_d):
                opt.zero_grad(set_to_none=True)

    def _warm_up(self) -> None:
        """Eager steps on a side stream, as torch.cuda.graph asks: lazy initialisation happens outside the recording."""
        device = self.trainer.device
        stream = torch.cuda.Stream(device)
        stream.wait_stream(torch.cuda.current_stream(device))
        with torch.cuda.stream(stream):
            for _ in range(WARMUP_STEPS):
                self.trainer.updates()
        torch.cuda.current_stream(device).wait_stream(stream)

    def _record(self) -> None:
        t = self.trainer
        for opt in (t.opt_g, t.opt_d):
            _steps_on_device(opt)  # state the warm-up created
            opt.zero_grad(set_to_none=True)  # backward allocates the gradients inside the graph's pool
        graph = torch.cuda.CUDAGraph()
        graph.register_generator_state(t.rng)
        self._weights = trained_tensors(t)
        self._backup = [torch.empty_like(x) for x in self._weights]
        self.capturing = True
        try:
            with _capturable(t.opt_g, t.opt_d), torch.cuda.graph(graph, capture_error_mode="thread_local"):
                self._out = self.recorded()
        finally:
            self.capturing = False
        self.graph = graph

    def recorded(self) -> Tensor:
        """What the graph records: a copy of the weights (what a failed step goes back to), the step, and
        its metrics and losses stacked in one tensor (`_names`, then `_watched`)."""
        self._watched = []
        with torch.no_grad():
            torch._foreach_copy_(self._backup, self._weights)
        stats = self.trainer.updates()
        self._names = list(stats)
        return torch.stack([v.detach().float() for v in stats.values()] + [loss for _, loss in self._watched])


def _steps_on_device(optimizer: torch.optim.Optimizer) -> None:
    """Adam's step counts on the parameters' device, as a recorded step needs (fused Adam keeps them there)."""
    for p, state in optimizer.state.items():
        step = state.get("step")
        if torch.is_tensor(step) and step.device != p.device:
            state["step"] = step.to(p.device, torch.float32)


@contextlib.contextmanager
def _capturable(*optimizers: torch.optim.Optimizer):
    """Adam's step recordable while recording. The flags go back afterwards (a replay never reads them),
    so eager steps warn of nothing and checkpoints name this machine's choices as before."""
    flags = [[group.get("capturable", False) for group in opt.param_groups] for opt in optimizers]
    for opt in optimizers:
        for group in opt.param_groups:
            group["capturable"] = True
    try:
        yield
    finally:
        for opt, saved in zip(optimizers, flags):
            for group, flag in zip(opt.param_groups, saved):
                group["capturable"] = flag


@torch.no_grad()
def _restore(trainer, before: list[Tensor], saved: list[Tensor]) -> None:
    """The tensors `before` back to `saved`; optimiser state created since is zeroed (Adam's fresh state)."""
    torch._foreach_copy_(before, saved)
    known = {id(x) for x in before}
    for x in _optimizer_state(trainer):
        if id(x) not in known:
            x.zero_()
