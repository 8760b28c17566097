"""The training loop, one step at a time, so that a caller (CLI or window) can pause between steps.

`update_d` and `update_g` are the PyTorch DCGAN example's two updates; what the config adds to them
lives in helpers named for it: augment.d_input (augmentation, instance noise), losses.smoothed_d_loss
(label smoothing), penalties (WGAN-GP, R1, weight clipping), the auxiliary terms (AC-GAN, InfoGAN)
and unroll (look-ahead D).
"""
from __future__ import annotations

import contextlib
import copy
import itertools

import numpy as np
import torch
import torch.distributed as dist
from torch import nn

from . import augment, distributed, losses, penalties, seeding, unroll
from .codes import CodeLayout
from .config import Config, ConfigError, live_fields
from .cuda_graphs import GraphedStep
from .data import Dataset, load_dataset
from .live_events import checked_events
from .losses import NonFiniteLossError
from .models import build_models, draw_dropout_from, uses_batch_statistics
from .noise import config_noise
from .outliers import outliers
from .optimizers import grad_norm, load_optimizer_state, lr_factor, make_optimizer, set_hyperparameters, update_ema


def pick_device(name: str) -> torch.device:
    """`auto` means CUDA, then Apple's MPS, then the CPU."""
    if name != "auto":
        return torch.device(name)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


class Trainer:
    """G, D, their optimisers and the data, with `step()` = D update(s) then G update(s)."""

    def __init__(self, config: Config, data: Dataset | None = None):
        self.config = config
        self.rank, self.world_size, self.device = distributed.setup(pick_device(config.train.device))
        seed = config.train.seed
        seeding.seed_all(seed)
        self.data = (data or load_dataset(config.data)).to(self.device)
        self.layout = CodeLayout.from_config(config)
        self._check_labels()
        self.g, self.d = (m.to(self.device) for m in build_models(config))
        self.d_aux = config.cond.kind in ("acgan", "infogan")  # a head scored on fakes too
        self.d_classifies = config.discriminator.class_weight > 0  # a class head on real images only
        self.d_batch_stats = uses_batch_statistics(self.d)
        # The modules whose backward updates weights; under torchrun they sync gradients across ranks.
        self.g_train, self.d_train = self.g, self.d
        if self.world_size > 1:
            from torch.nn.parallel import DistributedDataParallel as DDP

            self.g_train, self.d_train = DDP(self.g), DDP(self.d)
        self.g_ema = copy.deepcopy(self.g).requires_grad_(False) if config.optim.ema > 0 else None
        o = config.optim
        self.opt_g = make_optimizer(o.name, self.g.parameters(), o.lr_g, o.beta1, o.beta2)
        self.opt_d = make_optimizer(o.name, self.d.parameters(), o.lr_d, o.beta1, o.beta2)
        self.rng = torch.Generator(device=self.device).manual_seed(seed)  # noise, batches and dropout masks
        for model in (self.g, self.d):
            draw_dropout_from(model, self.rng)
        self.fixed_noise = self.noise(config.train.n_fixed)
        # Conditional models: one grid row per class (or categorical value), continuous codes at 0.
        self.fixed_codes = self.layout.rows(config.train.n_fixed, self.device) if self.layout else None
        if self.rank:
            self.rng.manual_seed(seed + 1_000_003 * self.rank)  # each rank draws its own batches
        self.step_count = 0
        self.elapsed = 0.0  # wall seconds of training so far, kept across resumes by the caller
        self.last_metrics: dict[str, float] = {}
        self.live_events: list[dict] = []  # the run's live edits (core.live_events), kept in checkpoints
        self.bf16 = config.train.precision == "bf16" and self.device.type == "cuda"
        self.graphed = GraphedStep(self)  # the step replayed as a CUDA graph where it can be

    # -- pieces --------------------------------------------------------------
    def noise(self, n: int) -> torch.Tensor:
        return config_noise(self.config, n, self.rng, self.device)

    def codes(self, n: int) -> torch.Tensor | None:
        """Codes for n fakes: uniform classes or categorical values, continuous codes from U(-1, 1)."""
        return self.layout.sample(n, self.rng, self.device) if self.layout else None

    def _fake_batch(self, g: nn.Module) -> tuple[torch.Tensor, torch.Tensor | None]:
        """(G(z, c), c) on fresh codes and noise; c is None for a plain GAN."""
        code = self.codes(self.config.train.batch_size)
        with self._autocast():
            return g(self.noise(self.config.train.batch_size), code), code

    def _real_batch(self) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor | None]:
        """A real batch; for conditional GANs its one-hot labels as codes; where D learns classes, its labels."""
        n = self.config.train.batch_size
        if self._label_user() is None:  # the training step needs no labels
            return self.data.batch(n, self.rng), None, None
        real, labels = self.data.labelled_batch(n, self.rng)
        return real, None if self.d_classifies else self.layout.one_hot(labels), labels

    def _label_user(self) -> str | None:
        """The setting that needs the data's labels, if one does."""
        if self.config.cond.kind in ("cgan", "acgan"):
            return f"cond.kind {self.config.cond.kind}"
        return "discriminator.class_weight" if self.config.discriminator.class_weight else None

    def _check_labels(self) -> None:
        user, classes = self._label_user(), self.config.cond.classes
        if user is None:
            return
        if self.data.labels is None:
            hint = " (put each class's images in a subfolder of its own)" if self.data.name.startswith("folder:") else ""
            raise ConfigError(f"{user} needs labels; {self.data.name} has none{hint}")
        top = int(self.data.labels.max())
        if top >= classes:
            raise ConfigError(f"cond.classes is {classes} but {self.data.name} has labels up to {top}")

    def _autocast(self):
        if not self.bf16:
            return contextlib.nullcontext()
        return torch.autocast("cuda", dtype=torch.bfloat16, cache_enabled=not self.graphed.capturing)

    def _d_input(self, x: torch.Tensor) -> torch.Tensor:
        """What D sees of x: augmented and noised as the config asks, from the trainer's own stream."""
        return augment.d_input(x, self.config.loss, self.rng)

    def _judge(self, d, x: torch.Tensor, code: torch.Tensor | None,
               class_head: bool = True) -> tuple[torch.Tensor, torch.Tensor | None]:
        """D's scores on x (given the class code under cgan), and its auxiliary outputs when it has a head;
        `class_head` False skips discriminator.class_weight's head, which only D's update needs."""
        if self.d_aux or (self.d_classifies and class_head):
            scores, aux_out = d(x, code, aux=True)
            return scores.float(), aux_out.float()
        return d(x, code).float(), None

    def _scores(self, d, real: torch.Tensor, fake: torch.Tensor, real_code: torch.Tensor | None = None,
                fake_code: torch.Tensor | None = None):
        """D's (scores, auxiliary outputs) on a real and on a fake batch."""
        if self.d_batch_stats:  # batch statistics must see real and fake as separate batches
            return self._judge(d, real, real_code), self._judge(d, fake, fake_code)
        codes = None if real_code is None else torch.cat([real_code, fake_code])
        scores, aux_out = self._judge(d, torch.cat([real, fake]), codes)  # one pass: half the calls
        half = len(scores) // 2  # scores come one per pack
        return ((scores[:half], None if aux_out is None else aux_out[:half]),
                (scores[half:], None if aux_out is None else aux_out[half:]))

    # -- the auxiliary terms (AC-GAN, InfoGAN) -------------------------------
    def _aux_loss(self, aux_out: torch.Tensor, code: torch.Tensor) -> torch.Tensor:
        """The weighted auxiliary term: AC-GAN's class cross-entropy or InfoGAN's λ·L_I."""
        return losses.weighted_aux_loss(self.config.cond, aux_out, code, self.layout)

    def _aux_loss_on_fakes(self, d, aux_out: torch.Tensor, fake: torch.Tensor, code: torch.Tensor) -> torch.Tensor:
        """The weighted auxiliary term on G(z, code); InfoGAN reads the continuous codes from `fake` as drawn."""
        if self.config.cond.kind == "infogan":
            aux_out = self._style_codes_unaugmented(d, aux_out, fake, code)
        return self._aux_loss(aux_out, code)

    def _d_aux_terms(self, real_aux, real_code, real_labels, fake_aux, fake, code, real=None) -> list[torch.Tensor]:
        """AC-GAN: D classifies real and fake alike; InfoGAN: Q learns to read the code back from G(z, c);
        discriminator.class_weight: D learns the classes of the real images, with loss.fake_entropy_weight
        doubts the class of each fake, and with loss.outlier_weight of shapeless images made from `real`."""
        if self.d_classifies:
            loss = self.config.loss
            terms = [self.config.discriminator.class_weight * nn.functional.cross_entropy(real_aux, real_labels)]
            if loss.fake_entropy_weight:
                terms.append(loss.fake_entropy_weight * losses.negative_entropy(fake_aux))
            if loss.outlier_weight and real is not None:
                _, guess = self._judge(self.d_train, self._d_input(outliers(real, self.rng)), None)
                terms.append(loss.outlier_weight * losses.uniform_cross_entropy(guess))
            return terms
        terms = [self._aux_loss(real_aux, real_code)] if self.config.cond.kind == "acgan" else []
        if self.d_aux:
            terms.append(self._aux_loss_on_fakes(self.d_train, fake_aux, fake, code))
        return terms

    def _style_codes_unaugmented(self, d, q_out: torch.Tensor, fake: torch.Tensor,
                                 code: torch.Tensor) -> torch.Tensor:
        """InfoGAN under loss.augment: Q's outputs with the continuous codes read from `fake` as G drew it.

        The category is read through the augmentation, so it cannot hide in slant or stroke width;
        the continuous codes are what should take those, and the augmentation would blur them.
        """
        cont = self.layout.continuous
        if self.config.loss.augment == "none" or not cont or not self.config.cond.continuous_weight:
            return q_out
        _, clean = self._judge(d, fake.float(), code)
        start = cont[0].offset  # continuous slots come last in c (CodeLayout.from_config)
        return torch.cat([q_out[:, :start], clean[:, start:]], 1)

    # -- the two updates, as in the PyTorch DCGAN example --------------------
    def update_d(self, fake: torch.Tensor | None = None, code: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """One D update on a real batch and `fake` = G(z, code) (both drawn fresh when fake is None)."""
        # (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
        kind = self.config.loss.kind
        real, real_code, real_labels = self._real_batch()
        if fake is None:
            with torch.no_grad():
                fake, code = self._fake_batch(self.g)
        fake = fake.detach()
        real_in, fake_in = self._d_input(real), self._d_input(fake.float())
        if penalties.needs_real_gradient(kind):
            real_in.requires_grad_(True)
        with self._autocast():
            (real_scores, real_aux), (fake_scores, fake_aux) = self._scores(self.d_train, real_in, fake_in,
                                                                            real_code, code)
            loss_d = losses.smoothed_d_loss(self.config.loss, real_scores, fake_scores)
            loss_d = sum(self._d_penalties(real_in, fake_in, real_scores, real_code), loss_d)  # + λ·GP or γ/2·R1
            loss_d = sum(self._d_aux_terms(real_aux, real_code, real_labels, fake_aux, fake, code, real), loss_d)
        self._backward_and_step(self.opt_d, loss_d, "loss_d")
        if kind == "wgan":
            penalties.clip_weights(self.d, self.config.loss.clip)
        return {"loss_d": loss_d.detach(), "grad_norm_d": grad_norm(self.d),
                **losses.score_metrics(kind, real_scores.detach(), fake_scores.detach())}

    def update_g(self, fake: torch.Tensor | None = None, code: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """One G update through the current D on `fake` = G(z, code) (both drawn fresh when fake is None)."""
        # (2) Update G network: maximize log(D(G(z)))
        if fake is None:
            fake, code = self._fake_batch(self.g_train)
        unroll_steps = self.config.optim.unroll
        certainty = self.config.loss.certainty_weight
        aux_term = None
        with self._d_frozen(unroll_steps == 0):
            with self._autocast():
                if unroll_steps:  # no auxiliary head: conditional GANs do not unroll
                    scores, aux_out = self._unrolled_d(fake, unroll_steps), None
                else:
                    scores, aux_out = self._judge(self.d, self._d_input(fake), code, class_head=certainty > 0)
                loss_g = losses.g_loss(self.config.loss.kind, scores)
                if self.d_aux:  # AC-GAN: look like the asked class; InfoGAN: keep the code readable
                    aux_term = self._aux_loss_on_fakes(self.d, aux_out, fake, code)
                elif certainty:  # be easy to name, whichever class (AC-GAN's bias towards easy images)
                    aux_term = certainty * losses.certainty_loss(aux_out)
                if aux_term is not None:
                    loss_g = loss_g + aux_term
            self._backward_and_step(self.opt_g, loss_g, "loss_g")
        if self.g_ema is not None:
            update_ema(self.g_ema, self.g, self.config.optim.ema)
        stats = {"loss_g": loss_g.detach(), "grad_norm_g": grad_norm(self.g)}
        return stats if aux_term is None else {**stats, "loss_aux": aux_term.detach()}

    def _d_penalties(self, real_in, fake_in, real_scores, real_code) -> list[torch.Tensor]:
        """λ·GP or γ/2·R1 as the loss asks, none otherwise (penalties.d_penalties)."""
        return penalties.d_penalties(self.config.loss, self.d_train, real_in, fake_in, real_scores, self.rng,
                                     real_code)

    def _backward_and_step(self, optimizer: torch.optim.Optimizer, loss: torch.Tensor, term: str) -> None:
        """zero_grad, backward and step, once `loss` is known to be finite (else nothing is updated)."""
        if self.graphed.capturing:  # a host sync cannot be recorded: checked after each replay instead
            self.graphed.watch(term, loss)
        elif not torch.isfinite(loss):
            raise NonFiniteLossError(self.step_count + 1, term, float(loss.detach()))  # the step being taken
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    @contextlib.contextmanager
    def _d_frozen(self, frozen: bool):
        """G's update needs no gradient for D's weights, except when unrolling differentiates D's look-ahead."""
        self.d.requires_grad_(not frozen)
        try:
            yield
        finally:
            self.d.requires_grad_(True)

    def _unrolled_d(self, fake: torch.Tensor, k: int) -> torch.Tensor:
        """D's scores on `fake` after k look-ahead updates of a copy of D (unroll.look_ahead); D is not changed."""
        def d_loss_with(forward):
            real = self._d_input(self.data.batch(self.config.train.batch_size, self.rng))
            (real_scores, _), (fake_scores, _) = self._scores(lambda x, _code: forward(x), real, self._d_input(fake))
            return losses.smoothed_d_loss(self.config.loss, real_scores, fake_scores)

        return unroll.look_ahead(self.d, self.opt_d, k, d_loss_with)(self._d_input(fake)).float()

    @torch.no_grad()
    def _share_buffers(self) -> None:
        """Rank 0's batch-norm statistics (and spectral norm's vectors) for every rank, each step."""
        modules = [m for m in (self.g, self.d, self.g_ema) if m is not None]
        for buffer in itertools.chain.from_iterable(m.buffers() for m in modules):
            dist.broadcast(buffer, src=0)

    def updates(self) -> dict[str, torch.Tensor]:
        """`d_steps` D updates, then `g_steps` G updates: the last ones' metrics, as device tensors."""
        o = self.config.optim
        if o.lr_decay != "none":
            self._set_learning_rates(lr_factor(o, self.config.train.steps, self.step_count))
        for _ in range(o.d_steps - 1):
            self.update_d()
        fake, code = self._fake_batch(self.g_train)  # shared by the last D update and the first G update
        d_stats = self.update_d(fake, code)
        g_stats = self.update_g(fake, code)
        for _ in range(o.g_steps - 1):  # against the same D, each on fresh noise
            g_stats = self.update_g()
        return {**d_stats, **g_stats}

    def step(self) -> dict[str, float]:
        """One iteration (`updates`), replayed as a CUDA graph where it can be; returns its metrics."""
        metrics = self.graphed.replay()
        if metrics is None:  # eager
            stats = self.updates()
            metrics = dict(zip(stats, torch.stack([v.float() for v in stats.values()]).tolist()))  # one sync
        if self.world_size > 1:
            self._share_buffers()
        self.step_count += 1
        self.last_metrics = {"step": self.step_count, **metrics}
        return self.last_metrics

    # -- live settings -------------------------------------------------------
    def apply_live(self, config: Config) -> None:
        """Take a config differing from the current one only in live fields; it applies at the next step."""
        old, new = self.config.to_dict(), config.to_dict()
        allowed = live_fields()
        for section, values in new.items():
            if not isinstance(values, dict):
                continue
            for name, value in values.items():
                if old[section][name] != value and f"{section}.{name}" not in allowed:
                    raise ConfigError(f"{section}.{name} cannot change during a run; stop or reset first")
        self.config = config
        self._set_learning_rates(lr_factor(config.optim, config.train.steps, self.step_count))

    def _set_learning_rates(self, factor: float) -> None:
        """lr_g and lr_d (times the decay's factor), β1 and β2 into both optimisers."""
        o = self.config.optim
        set_hyperparameters(self.opt_g, o.lr_g * factor, o.beta1, o.beta2)
        set_hyperparameters(self.opt_d, o.lr_d * factor, o.beta1, o.beta2)

    # -- sampling ------------------------------------------------------------
    @property
    def sampler(self) -> nn.Module:
        return self.g_ema if self.g_ema is not None else self.g

    @torch.no_grad()
    def generate(self, z: torch.Tensor, c: torch.Tensor | None = None) -> np.ndarray:
        """G(z, c) as a float32 array (N×2, or N×C×H×W in [-1, 1]), in eval mode, EMA weights if kept.

        A conditional G given no c uses its layout's grid rows (see CodeLayout.rows).
        """
        g = self.sampler
        was_training = g.training
        g.eval()
        try:
            return g(z.to(self.device), None if c is None else c.to(self.device)).float().cpu().numpy()
        finally:
            g.train(was_training)

    def fixed_samples(self) -> np.ndarray:
        return self.generate(self.fixed_noise, self.fixed_codes)

    # -- state ---------------------------------------------------------------
    def non_finite_weights(self) -> str | None:
        """"G", "D" or "G's EMA" when a weight or buffer of it is NaN/Inf (checked before each save)."""
        models = {"G": self.g, "D": self.d, "G's EMA": self.g_ema}
        for name, model in models.items():
            tensors = [t for t in (*model.parameters(), *model.buffers()) if t.is_floating_point()] if model else []
            if tensors and not bool(torch.stack([torch.isfinite(t).all() for t in tensors]).all()):  # one sync
                return name
        return None

    def state_dict(self) -> dict:
        """Plain dicts, tensors and builtins only: loadable with torch.load(weights_only=True)."""
        return {
            "step": self.step_count,
            "elapsed": self.elapsed,
            "metrics": dict(self.last_metrics),
            "config": self.config.to_dict(),
            "generator": self.g.state_dict(),
            "discriminator": self.d.state_dict(),
            "generator_ema": None if self.g_ema is None else self.g_ema.state_dict(),
            "optimizer_g": self.opt_g.state_dict(),
            "optimizer_d": self.opt_d.state_dict(),
            "fixed_noise": self.fixed_noise.cpu(),
            "fixed_codes": None if self.fixed_codes is None else self.fixed_codes.cpu(),
            "rng": seeding.rng_states(self.rng),
            "live_events": [dict(event) for event in self.live_events],
        }

    def load_state_dict(self, state: dict) -> None:
        self.g.load_state_dict(state["generator"])
        self.d.load_state_dict(state["discriminator"])
        if self.g_ema is not None:
            self.g_ema.load_state_dict(state["generator_ema"] or state["generator"])
        for optimizer, key in ((self.opt_g, "optimizer_g"), (self.opt_d, "optimizer_d")):
            if state[key] is not None:  # None in a slim checkpoint (checkpoints.slim_state): fresh moments
                load_optimizer_state(optimizer, state[key])
        self.graphed.reset()  # the optimisers hold new state tensors
        self.fixed_noise = state["fixed_noise"].to(self.device)
        if state.get("fixed_codes") is not None:
            self.fixed_codes = state["fixed_codes"].to(self.device)
        self.step_count = int(state["step"])
        self.elapsed = float(state.get("elapsed", 0.0))
        self.last_metrics = dict(state.get("metrics") or {})
        self.live_events = checked_events(state.get("live_events"))  # none in older checkpoints
        seeding.restore_rng_states(self.rng, state["rng"])
        if self.rank:  # a checkpoint holds rank 0's stream; the other ranks keep drawing their own
            self.rng.manual_seed(self.config.train.seed + 1_000_003 * self.rank + self.step_count)
