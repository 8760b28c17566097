"""The training loop, one step at a time, so that a caller (CLI or window) can pause between steps."""
from __future__ import annotations

import contextlib
import copy
import functools
import itertools
import random

import numpy as np
import torch
import torch.distributed as dist
from torch import nn

from . import augment, distributed, losses
from .codes import CodeLayout
from .config import Config, ConfigError, live_fields
from .data import Dataset, load_dataset
from .models import build_models, uses_batch_statistics


class NonFiniteLossError(FloatingPointError):
    """A loss became NaN or Inf; nothing was updated with it."""

    def __init__(self, step: int, term: str, value: float):
        super().__init__(f"{term} is {value} at step {step}; training stopped before applying it "
                         f"(try a lower learning rate, a gradient penalty or spectral norm)")
        self.step, self.term, self.value = step, term, value


def pick_device(name: str) -> torch.device:
    """`auto` means CUDA, then Apple's MPS, then the CPU."""
    if name != "auto":
        return torch.device(name)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def make_optimizer(name: str, params, lr: float, beta1: float, beta2: float) -> torch.optim.Optimizer:
    """Fused kernels where this torch has them (Adam's step is 6× faster fused on a CPU)."""
    params = list(params)
    kinds = {"adam": (torch.optim.Adam, {"betas": (beta1, beta2)}),
             "rmsprop": (torch.optim.RMSprop, {"alpha": beta2}),
             "sgd": (torch.optim.SGD, {"momentum": beta1})}
    cls, options = kinds[name]
    if name != "rmsprop":
        try:
            return cls(params, lr=lr, fused=True, **options)
        except (RuntimeError, TypeError, ValueError):
            pass  # an older torch or a device without the fused kernel
    return cls(params, lr=lr, **options)


def grad_norm(module: nn.Module) -> torch.Tensor:
    """‖∇θ‖ over all of a module's parameters, in one fused kernel where torch has it."""
    grads = [p.grad.detach() for p in module.parameters() if p.grad is not None]
    if not grads:
        return torch.zeros(())
    norms = torch._foreach_norm(grads) if hasattr(torch, "_foreach_norm") else [g.norm() for g in grads]
    return torch.linalg.vector_norm(torch.stack(norms))


class Trainer:
    """G, D, their optimisers and the data, with `step()` = D update(s) then G update(s)."""

    def __init__(self, config: Config, data: Dataset | None = None):
        self.config = config
        self.rank, self.world_size, self.device = distributed.setup(pick_device(config.train.device))
        seed = config.train.seed
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)  # weights, dropout
        self.data = (data or load_dataset(config.data)).to(self.device)
        self.layout = CodeLayout.from_config(config)
        self._check_labels()
        self.g, self.d = (m.to(self.device) for m in build_models(config))
        self.d_aux = self.d.heads.aux is not None
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
        self.rng = torch.Generator(device=self.device).manual_seed(seed)  # noise and batches
        self.fixed_noise = self.noise(config.train.n_fixed)
        # Conditional models: one grid row per class (or categorical value), continuous codes at 0.
        self.fixed_codes = self.layout.rows(config.train.n_fixed, self.device) if self.layout else None
        if self.rank:
            self.rng.manual_seed(seed + 1_000_003 * self.rank)  # each rank draws its own batches
        self.step_count = 0
        self.elapsed = 0.0  # wall seconds of training so far, kept across resumes by the caller
        self.last_metrics: dict[str, float] = {}
        self.bf16 = config.train.precision == "bf16" and self.device.type == "cuda"

    # -- pieces --------------------------------------------------------------
    def noise(self, n: int) -> torch.Tensor:
        return torch.randn(n, self.config.generator.z_dim, generator=self.rng, device=self.device)

    def codes(self, n: int) -> torch.Tensor | None:
        """Codes for n fakes: uniform classes or categorical values, continuous codes from U(-1, 1)."""
        return self.layout.sample(n, self.rng, self.device) if self.layout else None

    def _real_batch(self) -> tuple[torch.Tensor, torch.Tensor | None]:
        """A real batch and, for conditional GANs, its one-hot labels as codes."""
        n = self.config.train.batch_size
        if self.config.cond.kind not in ("cgan", "acgan"):  # the training step needs no labels
            return self.data.batch(n, self.rng), None
        real, labels = self.data.labelled_batch(n, self.rng)
        return real, self.layout.one_hot(labels)

    def _check_labels(self) -> None:
        cond = self.config.cond
        if cond.kind not in ("cgan", "acgan"):
            return
        if self.data.labels is None:
            hint = " (put each class's images in a subfolder of its own)" if self.data.name.startswith("folder:") else ""
            raise ConfigError(f"cond.kind {cond.kind} needs labels; {self.data.name} has none{hint}")
        top = int(self.data.labels.max())
        if top >= cond.classes:
            raise ConfigError(f"cond.classes is {cond.classes} but {self.data.name} has labels up to {top}")

    def _aux_loss(self, aux_out: torch.Tensor, code: torch.Tensor) -> torch.Tensor:
        """The weighted auxiliary term: AC-GAN's class cross-entropy or InfoGAN's λ·L_I."""
        cond = self.config.cond
        if cond.kind == "acgan":
            return cond.ac_weight * losses.class_loss(aux_out, code, self.layout)
        return cond.info_weight * losses.info_loss(aux_out, code, self.layout, cond.continuous_weight)

    def _autocast(self):
        return torch.autocast("cuda", dtype=torch.bfloat16) if self.bf16 else contextlib.nullcontext()

    def _d_input(self, x: torch.Tensor) -> torch.Tensor:
        """What D sees of a real or fake batch: augmented and noised as the config asks."""
        kind = self.config.loss.augment
        if kind != "none" and x.dim() == 4:
            x = augment.random_affine(x, self.rng)
            if kind == "style":
                x = augment.random_strokes(x, self.rng)
        sigma = self.config.loss.instance_noise
        if sigma > 0:
            x = x + sigma * torch.randn(x.shape, generator=self.rng, device=x.device)
        return x

    def _judge(self, d, x: torch.Tensor, code: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """D's scores on x (given the class code under cgan), and its auxiliary outputs when it has a head."""
        if self.d_aux:
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

    def _check(self, value: torch.Tensor, term: str) -> None:
        if not torch.isfinite(value):
            raise NonFiniteLossError(self.step_count, term, float(value.detach()))

    # -- the two updates -----------------------------------------------------
    def update_d(self, fake: torch.Tensor | None = None, code: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """One D update on a real batch and `fake` = G(z, code) (both drawn fresh when fake is None)."""
        cfg, kind = self.config, self.config.loss.kind
        real, real_code = self._real_batch()
        if fake is None:
            code = self.codes(cfg.train.batch_size)
            with torch.no_grad(), self._autocast():
                fake = self.g(self.noise(cfg.train.batch_size), code)
        real_in, fake_in = self._d_input(real), self._d_input(fake.detach().float())
        if kind == "r1":
            real_in.requires_grad_(True)
        with self._autocast():
            (real_scores, real_aux), (fake_scores, fake_aux) = self._scores(self.d_train, real_in, fake_in,
                                                                            real_code, code)
            loss_d = losses.d_loss(kind, real_scores, fake_scores, 1.0 - cfg.loss.label_smoothing)
            if kind == "wgan-gp":  # interpolates are judged with the real sample's class
                critic = functools.partial(self.d_train, code=real_code)
                penalty = losses.gradient_penalty(critic, real_in, fake_in, self.rng)
                loss_d = loss_d + cfg.loss.gp_lambda * penalty
            elif kind == "r1":
                loss_d = loss_d + 0.5 * cfg.loss.r1_gamma * losses.r1_penalty(real_in, real_scores)
            if cfg.cond.kind == "acgan":  # D classifies real and fake alike
                loss_d = loss_d + self._aux_loss(real_aux, real_code) + self._aux_loss(fake_aux, code)
            elif cfg.cond.kind == "infogan":  # Q learns to read the code back from G(z, c)
                loss_d = loss_d + self._aux_loss(self._style_codes_unaugmented(self.d_train, fake_aux, fake.detach(),
                                                                               code), code)
        self._check(loss_d, "loss_d")
        self.opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        self.opt_d.step()
        if kind == "wgan":
            with torch.no_grad():
                for p in self.d.parameters():
                    p.clamp_(-cfg.loss.clip, cfg.loss.clip)
        stats = {"loss_d": loss_d.detach(), "grad_norm_d": grad_norm(self.d),
                 "d_real": losses.as_probability(kind, real_scores.detach()),
                 "d_fake": losses.as_probability(kind, fake_scores.detach())}
        if kind in losses.WASSERSTEIN:
            stats["wasserstein"] = real_scores.detach().mean() - fake_scores.detach().mean()
        return stats

    def update_g(self, fake: torch.Tensor | None = None, code: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """One G update through the current D on `fake` = G(z, code) (both drawn fresh when fake is None)."""
        if fake is None:
            code = self.codes(self.config.train.batch_size)
            with self._autocast():
                fake = self.g_train(self.noise(self.config.train.batch_size), code)
        unroll = self.config.optim.unroll
        self.d.requires_grad_(unroll > 0)  # without unrolling G's update needs no gradient for D's weights
        aux_stats = {}
        try:
            with self._autocast():
                if unroll:
                    scores = self._unrolled_d(fake, unroll)
                else:
                    scores, aux_out = self._judge(self.d, self._d_input(fake), code)
                loss_g = losses.g_loss(self.config.loss.kind, scores)
                if self.config.cond.kind == "infogan":
                    aux_out = self._style_codes_unaugmented(self.d, aux_out, fake, code)
                if self.d_aux:  # AC-GAN: look like the asked class; InfoGAN: keep the code readable
                    aux_term = self._aux_loss(aux_out, code)
                    loss_g = loss_g + aux_term
                    aux_stats["loss_aux"] = aux_term.detach()
            self._check(loss_g, "loss_g")
            self.opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
        finally:
            self.d.requires_grad_(True)
        self.opt_g.step()
        if self.g_ema is not None:
            self._update_ema()
        return {"loss_g": loss_g.detach(), "grad_norm_g": grad_norm(self.g), **aux_stats}

    def _unrolled_d(self, fake: torch.Tensor, k: int) -> torch.Tensor:
        """D's scores on `fake` after k look-ahead updates of a copy of D (Metz et al. 2017).

        The copy takes the optimiser's own step (Adam with its current moments, else SGD)
        inside the autograd graph, so G's gradient flows through how D would respond.
        D itself is not changed.
        """
        from torch.func import functional_call

        cfg = self.config
        names = [n for n, _ in self.d.named_parameters()]
        params = [p for _, p in self.d.named_parameters()]
        buffers = {n: b.clone() for n, b in self.d.named_buffers()}  # keep D's running statistics
        group = self.opt_d.param_groups[0]
        adam = [self.opt_d.state.get(p, {}) for p in params] if "betas" in group else None
        moments = [(s.get("exp_avg"), s.get("exp_avg_sq"), float(s.get("step", 0))) for s in adam] if adam else None

        def d_copy(weights, x):
            return functional_call(self.d, ({**dict(zip(names, weights)), **buffers},), (x,))

        for _ in range(k):
            real = self._d_input(self.data.batch(cfg.train.batch_size, self.rng))
            (real_scores, _), (fake_scores, _) = self._scores(lambda x, _code: d_copy(params, x), real,
                                                              self._d_input(fake))
            loss = losses.d_loss(cfg.loss.kind, real_scores, fake_scores, 1.0 - cfg.loss.label_smoothing)
            grads = torch.autograd.grad(loss, params, create_graph=True)
            if moments is None:
                params = [p - group["lr"] * g for p, g in zip(params, grads)]
                continue
            b1, b2 = group["betas"]
            stepped, new_moments = [], []
            for p, g, (m, v, t) in zip(params, grads, moments):
                m = b1 * (m if m is not None else torch.zeros_like(p)) + (1 - b1) * g
                v = b2 * (v if v is not None else torch.zeros_like(p)) + (1 - b2) * g * g
                t += 1
                m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
                stepped.append(p - group["lr"] * m_hat / (v_hat.sqrt() + group["eps"]))
                new_moments.append((m, v, t))
            params, moments = stepped, new_moments
        return d_copy(params, self._d_input(fake)).float()

    @torch.no_grad()
    def _share_buffers(self) -> None:
        """Rank 0's batch-norm statistics (and spectral norm's vectors) for every rank, each step."""
        modules = [m for m in (self.g, self.d, self.g_ema) if m is not None]
        for buffer in itertools.chain.from_iterable(m.buffers() for m in modules):
            dist.broadcast(buffer, src=0)

    @torch.no_grad()
    def _update_ema(self) -> None:
        decay = self.config.optim.ema
        ema_params, params = list(self.g_ema.parameters()), list(self.g.parameters())
        if hasattr(torch, "_foreach_lerp_"):  # one fused kernel instead of one per tensor
            torch._foreach_lerp_(ema_params, params, 1.0 - decay)
        else:
            for p_ema, p in zip(ema_params, params):
                p_ema.lerp_(p, 1.0 - decay)
        for b_ema, b in zip(self.g_ema.buffers(), self.g.buffers()):
            b_ema.copy_(b)

    def step(self) -> dict[str, float]:
        """One iteration: `d_steps` D updates, then `g_steps` G updates; returns the last ones' metrics."""
        batch, o = self.config.train.batch_size, self.config.optim
        # ---- (1) update D: maximise its score on real data, minimise it on G(z) ----
        for _ in range(o.d_steps - 1):
            d_stats = self.update_d()
        code = self.codes(batch)  # the class or InfoGAN code asked of G; None for a plain GAN
        with self._autocast():
            fake = self.g_train(self.noise(batch), code)  # shared by the last D update and the first G update
        d_stats = self.update_d(fake, code)
        # ---- (2) update G: make D score G(z, c) as real (and, with a code, keep c recognisable) ----
        g_stats = self.update_g(fake, code)
        for _ in range(o.g_steps - 1):  # against the same D, each on fresh noise
            g_stats = self.update_g()
        if self.world_size > 1:
            self._share_buffers()
        self.step_count += 1
        stats = {**d_stats, **g_stats}
        values = torch.stack([v.float() for v in stats.values()]).tolist()  # one device sync
        self.last_metrics = {"step": self.step_count, **dict(zip(stats, values))}
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
        o = config.optim
        for opt, lr in ((self.opt_g, o.lr_g), (self.opt_d, o.lr_d)):
            for group in opt.param_groups:
                group["lr"] = lr
                if "betas" in group:
                    group["betas"] = (o.beta1, o.beta2)
                elif "momentum" in group:
                    group["momentum"] = o.beta1
                elif "alpha" in group:
                    group["alpha"] = o.beta2
        self.config = config

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
    def state_dict(self) -> dict:
        """Plain dicts, tensors and builtins only: loadable with torch.load(weights_only=True)."""
        np_state = np.random.get_state()
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
            "rng": {
                "trainer": self.rng.get_state(),
                "torch": torch.get_rng_state(),
                "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
                "numpy": [np_state[0], torch.from_numpy(np_state[1].astype(np.int64)), *np_state[2:]],
                "python": random.getstate(),
            },
        }

    def load_state_dict(self, state: dict) -> None:
        self.g.load_state_dict(state["generator"])
        self.d.load_state_dict(state["discriminator"])
        if self.g_ema is not None:
            self.g_ema.load_state_dict(state["generator_ema"] or state["generator"])
        self.opt_g.load_state_dict(state["optimizer_g"])
        self.opt_d.load_state_dict(state["optimizer_d"])
        self.fixed_noise = state["fixed_noise"].to(self.device)
        if state.get("fixed_codes") is not None:
            self.fixed_codes = state["fixed_codes"].to(self.device)
        self.step_count = int(state["step"])
        self.elapsed = float(state.get("elapsed", 0.0))
        self.last_metrics = dict(state.get("metrics") or {})
        rng = state["rng"]
        self.rng.set_state(rng["trainer"])
        torch.set_rng_state(rng["torch"])
        if rng.get("cuda") and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(rng["cuda"])
        name, keys, *rest = rng["numpy"]
        np.random.set_state((name, keys.numpy().astype(np.uint32), *rest))
        version, internal, gauss = rng["python"]
        random.setstate((version, tuple(internal), gauss))
        if self.rank:  # a checkpoint holds rank 0's stream; the other ranks keep drawing their own
            self.rng.manual_seed(self.config.train.seed + 1_000_003 * self.rank + self.step_count)
