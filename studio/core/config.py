"""The run configuration: one typed tree of dataclasses, saved as JSON.

Every field carries its constraint in its metadata, so the same description
validates a JSON file, builds the GUI's forms and writes the error messages.
"""
from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A configuration value is not allowed; the message names field, value and rule."""


def spec(default: Any, *, choices: tuple | None = None, min: float | None = None,
         max: float | None = None, gt: float | None = None, live: bool = False,
         help: str = "") -> Any:
    """A dataclass field with its rule. `live` fields may change while training runs."""
    meta = {"choices": choices, "min": min, "max": max, "gt": gt, "live": live, "help": help}
    return field(default=default, metadata=meta)


TOY_DATASETS = ("ring", "grid", "spiral", "moons", "circles", "swissroll")
IMAGE_DATASETS = ("digits", "mnist", "fashion-mnist")
ACTIVATIONS = ("relu", "leaky_relu", "tanh", "elu", "gelu")
NORMS = ("none", "batch", "layer")
ARCHS = ("mlp", "dcgan", "resnet")
RESNET_SIZES = (32, 64)  # image sizes the residual networks are built for
LOSSES = ("minimax", "nonsaturating", "lsgan", "hinge", "wgan", "wgan-gp", "r1")


@dataclass
class DataConfig:
    name: str = spec("ring", help="ring, grid, spiral, moons, circles, swissroll, digits, "
                                  "mnist, fashion-mnist, folder:PATH (images) or points:PATH (x,y CSV or N×2 .npy)")
    root: str = spec("", help="folder with the raw IDX .gz files (mnist, fashion-mnist); "
                              "empty = per-user cache, downloaded on first use")
    image_size: int = spec(28, choices=(28, 32, 64), help="side of the images in pixels (resnet: 32 or 64)")
    channels: int = spec(1, choices=(1, 3), help="1 = grayscale, 3 = RGB (folder data)")
    n_samples: int = spec(10000, min=64, max=1_000_000, help="size of generated data sets (2-D and digits)")
    seed: int = spec(0, min=0, help="seed of generated data sets")
    holdout: int = spec(0, min=0, help="image sets: the last N images of the set are kept out of training, for "
                                       "testing inversion and nearest neighbours on digits the model never saw")


@dataclass
class GeneratorConfig:
    arch: str = spec("mlp", choices=ARCHS, help="multi-layer perceptron, DCGAN, or resnet: SNGAN/BigGAN "
                                                "residual blocks (32 or 64 pixels)")
    z_dim: int = spec(2, min=1, max=1024, help="dimensions of the noise z")
    noise: str = spec("gaussian", choices=("gaussian", "uniform"), help="distribution of z: N(0, 1) or U(-1, 1)")
    upsample: str = spec("transposed", choices=("transposed", "resize"),
                         help="how the DCGAN G doubles its image: transposed = a stride-2 transposed convolution "
                              "(the paper's); resize = nearest-neighbour upsampling, then a 3×3 convolution, "
                              "free of checkerboard speckle (Odena et al. 2016)")
    depth: int = spec(3, min=1, max=16, help="hidden layers (MLP)")
    width: int = spec(128, min=1, max=4096, help="hidden units (MLP) or base channels (DCGAN, 64 in the paper; "
                                                 "resnet: 64 gives SNGAN's 256 channels at 32, 1024 → 64 at 64)")
    activation: str = spec("relu", choices=ACTIVATIONS, help="hidden activation (MLP)")
    norm: str = spec("none", choices=NORMS, help="normalisation of hidden layers (MLP)")
    dropout: float = spec(0.0, min=0.0, max=0.9, help="dropout after hidden layers (MLP)")


@dataclass
class DiscriminatorConfig:
    arch: str = spec("mlp", choices=ARCHS, help="multi-layer perceptron, DCGAN, or resnet: SNGAN's residual "
                                                "D (32 or 64 pixels; spectral norm as spectral_norm says)")
    depth: int = spec(3, min=1, max=16, help="hidden layers (MLP)")
    width: int = spec(128, min=1, max=4096, help="hidden units (MLP) or base channels (DCGAN, 64 in the paper; "
                                                 "resnet: 64 gives SNGAN's 128 channels at 32, 64 → 1024 at 64)")
    activation: str = spec("leaky_relu", choices=ACTIVATIONS, help="hidden activation (MLP)")
    norm: str = spec("none", choices=NORMS, help="normalisation of hidden layers (MLP)")
    dropout: float = spec(0.0, min=0.0, max=0.9, help="dropout after hidden layers (MLP)")
    spectral_norm: bool = spec(False, help="spectral normalisation of D's weights (Miyato et al. 2018)")
    minibatch_std: bool = spec(False, help="minibatch standard deviation feature: D sees how varied "
                                           "a batch is (Karras et al. 2018)")
    pack: int = spec(1, min=1, max=16, help="PacGAN packing: D judges this many samples at once, "
                                            "so a collapsed batch is easy to spot (Lin et al. 2018)")
    class_weight: float = spec(0.0, min=0.0, help="weight of a class term: D also learns to name the class of "
                                                  "each real image from its label, so it learns what the classes "
                                                  "look like; G is told no class (needs labels; 0 = off)")


@dataclass
class LossConfig:
    kind: str = spec("nonsaturating", choices=LOSSES,
                     help="minimax = the 2014 saturating G loss; r1 = non-saturating + R1 penalty")
    gp_lambda: float = spec(10.0, min=0.0, live=True, help="gradient penalty weight λ (wgan-gp)")
    r1_gamma: float = spec(10.0, min=0.0, live=True, help="R1 penalty weight γ (r1)")
    clip: float = spec(0.01, gt=0.0, live=True, help="weight clipping bound of D (wgan)")
    label_smoothing: float = spec(0.0, min=0.0, max=0.5, live=True,
                                  help="one-sided: real targets become 1 - this")
    augment: str = spec("none", choices=("none", "affine", "style"), live=True,
                        help="differentiable augmentation of every image D sees, real and fake alike (DiffAugment, "
                             "Zhao et al. 2020): affine = rotation within ±15°, scale 0.9-1.1, shift ±2 pixels; "
                             "style = affine, and strokes thickened or thinned at random")
    instance_noise: float = spec(0.0, min=0.0, live=True,
                                 help="σ of Gaussian noise added to D's inputs")
    certainty_weight: float = spec(0.0, min=0.0, live=True,
                                   help="weight of a certainty term in G's loss: G is also rewarded for fakes "
                                        "D's classifier is sure of, so it draws the class easiest to name, "
                                        "again and again (needs discriminator.class_weight; 0 = off)")
    fake_entropy_weight: float = spec(0.0, min=0.0, live=True,
                                      help="weight of a doubt term in D's loss: D's classifier is also trained to "
                                           "be unsure which class a fake is (CatGAN, Springenberg 2016), so G "
                                           "earns certainty only with images that look real, and whatever G draws "
                                           "most becomes the class D doubts (needs discriminator.class_weight; "
                                           "0 = off)")
    outlier_weight: float = spec(0.0, min=0.0, live=True,
                                 help="weight of an outlier term in D's loss: D's classifier also sees shapeless "
                                      "images made from each real batch (blends, blurs, blobs, speckle, inverted "
                                      "digits, textures) and learns to be unsure of them (outlier exposure, "
                                      "Hendrycks et al. 2019), so it is sure only of a class's shape "
                                      "(needs discriminator.class_weight; 0 = off)")


@dataclass
class OptimConfig:
    name: str = spec("adam", choices=("adam", "rmsprop", "sgd"), help="optimiser of G and D")
    lr_g: float = spec(2e-4, gt=0.0, live=True, help="learning rate of G")
    lr_d: float = spec(2e-4, gt=0.0, live=True, help="learning rate of D")
    beta1: float = spec(0.5, min=0.0, max=0.999, live=True, help="Adam β1 (SGD momentum)")
    beta2: float = spec(0.999, min=0.0, max=0.9999, live=True, help="Adam β2 (RMSprop α)")
    d_steps: int = spec(1, min=1, max=100, live=True, help="D updates per G update")
    g_steps: int = spec(1, min=1, max=100, live=True,
                        help="G updates per step against the same D (more makes G chase D's favourite mode)")
    unroll: int = spec(0, min=0, max=20, live=True,
                       help="unrolled D steps that G's update looks ahead through (Metz et al. 2017)")
    ema: float = spec(0.0, min=0.0, max=0.99999, help="decay of an EMA copy of G (0 = off)")
    lr_decay: str = spec("none", choices=("none", "cosine"),
                         help="schedule of both learning rates: none = constant; cosine = constant until "
                              "optim.decay_start, then down a half cosine to optim.lr_floor of their value")
    decay_start: int = spec(0, min=0, help="step where the learning rates' decay begins")
    decay_end: int = spec(0, min=0, help="step where the decay reaches optim.lr_floor (0 = the run's last step)")
    lr_floor: float = spec(0.1, min=0.0, max=1.0, help="share of the learning rates left when the decay ends")


@dataclass
class TrainConfig:
    batch_size: int = spec(256, min=1, max=65536, help="samples per batch")
    steps: int = spec(2000, min=1, help="total steps of the run")
    seed: int = spec(0, min=0, help="seed of weights, noise and batches")
    device: str = spec("auto", help="auto, cpu, cuda, cuda:N or mps")
    precision: str = spec("fp32", choices=("fp32", "bf16"), help="bf16 autocast (CUDA only)")
    cuda_graphs: str = spec("auto", choices=("auto", "off"),
                            help="auto = on a CUDA device, record each training step once and replay it as "
                                 "one CUDA graph (one launch instead of hundreds) where it can; off = eager steps")
    log_every: int = spec(10, min=1, live=True, help="steps between metrics lines")
    sample_every: int = spec(500, min=1, live=True, help="steps between sample images")
    save_every: int = spec(1000, min=1, live=True, help="steps between checkpoints")
    n_fixed: int = spec(64, min=1, max=4096, help="fixed-noise samples in a grid (points for 2-D)")
    tensorboard: bool = spec(False, help="also write TensorBoard event files into the run directory "
                                         "(needs the tensorboard extra)")


@dataclass
class ConditionConfig:
    kind: str = spec("none", choices=("none", "cgan", "acgan", "infogan"),
                     help="none = unconditional; cgan = G and D see the class; acgan = G sees the class, "
                          "D also classifies (Odena et al. 2017); infogan = learned codes (Chen et al. 2016)")
    classes: int = spec(10, min=2, max=1000, help="number of classes of the labels (cgan, acgan)")
    g_input: str = spec("concat", choices=("concat", "cbn"),
                        help="how the code enters G: concatenated to z, or conditional batch norm "
                             "(per-code scale and shift of every batch norm; dcgan, resnet)")
    d_input: str = spec("projection", choices=("concat", "projection"),
                        help="how the class enters D (cgan): concatenated to the input, or projection: "
                             "logit + ⟨embed(y), φ(x)⟩ (Miyato & Koyama 2018)")
    ac_weight: float = spec(1.0, min=0.0, live=True,
                            help="weight of the auxiliary classifier's cross-entropy in D's and G's losses (acgan)")
    categorical: int = spec(10, min=0, max=100, help="values of InfoGAN's categorical code (0 = none)")
    continuous: int = spec(2, min=0, max=16, help="InfoGAN's continuous codes, each drawn from U(-1, 1)")
    info_weight: float = spec(1.0, min=0.0, live=True,
                              help="λ: weight of the mutual-information term in G's and Q's losses (infogan)")
    continuous_weight: float = spec(1.0, min=0.0, live=True,
                                    help="weight of the continuous codes' term inside L_I beside the category's "
                                         "(1 = a Gaussian of σ 1; higher ties the codes to what they draw)")


@dataclass
class Config:
    data: DataConfig = field(default_factory=DataConfig)
    generator: GeneratorConfig = field(default_factory=GeneratorConfig)
    discriminator: DiscriminatorConfig = field(default_factory=DiscriminatorConfig)
    loss: LossConfig = field(default_factory=LossConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    cond: ConditionConfig = field(default_factory=ConditionConfig)
    description: str = ""  # one line, for preset lists
    notes: str = ""  # what to watch for and why it happens (shown on demand in the window)
    demo_step: int = 0  # the step by which the preset's behaviour shows; 0 = none

    # -- conversions -------------------------------------------------------
    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, raw: dict) -> "Config":
        """Build and validate; unknown keys and wrong types are errors, missing keys take defaults."""
        if not isinstance(raw, dict):
            raise ConfigError(f"config must be a JSON object, got {type(raw).__name__}")
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name not in raw:
                continue
            if f.name in ("description", "notes"):
                kwargs[f.name] = str(raw[f.name])
                continue
            if f.name == "demo_step":
                value = raw[f.name]
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ConfigError(f"demo_step must be an integer >= 0, got {value!r}")
                kwargs[f.name] = value
                continue
            section = raw[f.name]
            if not isinstance(section, dict):
                raise ConfigError(f"{f.name} must be an object, got {section!r}")
            kwargs[f.name] = _build_section(f.name, f.default_factory, section)
        unknown = set(raw) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ConfigError(f"unknown config section {sorted(unknown)[0]!r}")
        config = cls(**kwargs)
        config.validate()
        return config

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n")

    @classmethod
    def load(cls, path: str | Path) -> "Config":
        """The config in a JSON file; ConfigError naming the file for anything else (binary, not JSON,
        a list, a bad value)."""
        from .readers import UnreadableFile, read_json_object

        try:
            return cls.from_dict(read_json_object(path))
        except UnreadableFile as exc:
            raise ConfigError(f"config {exc}") from None
        except ConfigError as exc:
            raise ConfigError(f"config {path}: {exc}") from None

    def updated(self, changes: dict[str, Any]) -> "Config":
        """A validated copy with dotted-path changes, e.g. {"optim.lr_d": 1e-4}."""
        raw = self.to_dict()
        for path, value in changes.items():
            section, _, name = path.partition(".")
            if section not in raw or not isinstance(raw[section], dict) or name not in raw[section]:
                raise ConfigError(f"unknown field {path}")
            raw[section][name] = value
        return Config.from_dict(raw)

    # -- validation --------------------------------------------------------
    def validate(self) -> None:
        for section_name in SECTIONS:
            section = getattr(self, section_name)
            for f in dataclasses.fields(section):
                check_value(f"{section_name}.{f.name}", f, getattr(section, f.name))
        self._validate_combinations()

    def _validate_combinations(self) -> None:
        name = self.data.name
        if not (name in TOY_DATASETS or name in IMAGE_DATASETS or name.startswith(("folder:", "points:"))):
            raise ConfigError(f"data.name must be one of {', '.join(TOY_DATASETS + IMAGE_DATASETS)}, "
                              f"folder:PATH or points:PATH, got {name!r}")
        if name in ("folder:", "points:"):
            example = "folder:/data/faces" if name == "folder:" else "points:/data/drawing.csv"
            raise ConfigError(f"data.name {name} needs a path, e.g. {example}")
        if self.is_2d and (self.generator.arch, self.discriminator.arch) != ("mlp", "mlp"):
            raise ConfigError(f"generator.arch and discriminator.arch must be mlp for 2-D data "
                              f"({name}), got {self.generator.arch}/{self.discriminator.arch}")
        for part in ("generator", "discriminator"):
            if getattr(self, part).arch == "resnet" and self.data.image_size not in RESNET_SIZES:
                raise ConfigError(f"{part}.arch resnet needs data.image_size 32 or 64, got {self.data.image_size}")
        if self.train.precision == "bf16" and self.train.device not in ("auto",) and \
                not self.train.device.startswith("cuda"):
            raise ConfigError(f"train.precision bf16 needs a CUDA device, got train.device={self.train.device!r}")
        if self.train.batch_size % self.discriminator.pack:
            raise ConfigError(f"train.batch_size must be a multiple of discriminator.pack "
                              f"({self.discriminator.pack}), got {self.train.batch_size}")
        self._validate_condition()
        self._validate_class_term()
        device = self.train.device
        if not (device in ("auto", "cpu", "cuda", "mps") or
                (device.startswith("cuda:") and device[5:].isdigit())):
            raise ConfigError(f"train.device must be auto, cpu, cuda, cuda:N or mps, got {device!r}")

    def _validate_condition(self) -> None:
        kind = self.cond.kind
        if kind == "none":
            return
        if kind in ("cgan", "acgan"):
            self._require_labelled_images(f"cond.kind {kind}")
        if kind == "infogan" and self.cond.categorical + self.cond.continuous == 0:
            raise ConfigError("cond.kind infogan needs cond.categorical > 0 or cond.continuous > 0")
        if self.cond.g_input == "cbn" and self.generator.arch not in ("dcgan", "resnet"):
            raise ConfigError("cond.g_input cbn needs generator.arch dcgan or resnet (it conditions G's batch norms)")
        if self.discriminator.pack != 1:
            raise ConfigError(f"cond.kind {kind} needs discriminator.pack 1: a pack would mix codes, "
                              f"got {self.discriminator.pack}")
        if self.optim.unroll:
            raise ConfigError(f"cond.kind {kind} does not support optim.unroll, got {self.optim.unroll}")

    def _require_labelled_images(self, setting: str) -> None:
        if not (self.data.name in IMAGE_DATASETS or self.data.name.startswith("folder:")):
            raise ConfigError(f"{setting} needs labelled data ({', '.join(IMAGE_DATASETS)} or a folder:PATH "
                              f"with one subfolder per class), got data.name={self.data.name!r}")

    def _validate_class_term(self) -> None:
        if not self.discriminator.class_weight:
            for setting in ("certainty_weight", "fake_entropy_weight", "outlier_weight"):
                if getattr(self.loss, setting):
                    raise ConfigError(f"loss.{setting} needs discriminator.class_weight (D's classifier is what "
                                      f"is sure or unsure), got {getattr(self.loss, setting)}")
            return
        if self.cond.kind != "none":
            raise ConfigError(f"discriminator.class_weight needs cond.kind none (cond.kind {self.cond.kind} has "
                              f"its own class or code head), got {self.discriminator.class_weight}")
        self._require_labelled_images("discriminator.class_weight")
        if self.discriminator.pack != 1 or self.optim.unroll:
            raise ConfigError(f"discriminator.class_weight needs discriminator.pack 1 and optim.unroll 0 (D names "
                              f"the class of each image), got {self.discriminator.pack} and {self.optim.unroll}")

    @property
    def default_steps(self) -> int:
        """The run's total when none is given: the demo step where a preset names one."""
        return self.demo_step or self.train.steps

    @property
    def is_2d(self) -> bool:
        return self.data.name in TOY_DATASETS or self.data.name.startswith("points:")


SECTIONS = ("data", "generator", "discriminator", "loss", "optim", "train", "cond")


def _build_section(name: str, factory, values: dict):
    section = factory()
    known = {f.name: f for f in dataclasses.fields(section)}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"unknown field {name}.{key}")
        setattr(section, key, _coerce(f"{name}.{key}", known[key], value))
    return section


def _coerce(path: str, f: dataclasses.Field, value: Any) -> Any:
    """Accept JSON's view of the declared type: ints for floats, nothing looser."""
    kind = type(f.default)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is bool and not isinstance(value, bool) or \
            kind is int and (isinstance(value, bool) or not isinstance(value, int)) or \
            kind is float and not isinstance(value, float) or \
            kind is str and not isinstance(value, str):
        raise ConfigError(f"{path} must be {_type_word(kind)}, got {value!r}")
    return value


def _type_word(kind: type) -> str:
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}[kind]


def check_value(path: str, f: dataclasses.Field, value: Any) -> None:
    """Raise ConfigError unless `value` satisfies the rule in `f`'s metadata."""
    _coerce(path, f, value)
    meta = f.metadata
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{path} must be a finite number, got {value!r}")
    if meta.get("choices") is not None and value not in meta["choices"]:
        allowed = ", ".join(str(c) for c in meta["choices"])
        raise ConfigError(f"{path} must be one of {allowed}, got {value!r}")
    if meta.get("gt") is not None and not value > meta["gt"]:
        raise ConfigError(f"{path} must be > {_bound(meta['gt'])}, got {value!r}")
    if meta.get("min") is not None and value < meta["min"]:
        raise ConfigError(f"{path} must be >= {_bound(meta['min'])}, got {value!r}")
    if meta.get("max") is not None and value > meta["max"]:
        raise ConfigError(f"{path} must be <= {_bound(meta['max'])}, got {value!r}")


def _bound(value: float) -> str:
    """A rule's bound as written in the spec: 0.5, 1, 1000000 (not 1e+06)."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def field_specs(section: str) -> list[dataclasses.Field]:
    """The fields of one section, in order, with their metadata (for forms)."""
    return list(dataclasses.fields(getattr(Config(), section)))


def live_fields() -> set[str]:
    """Dotted names of fields that may change while a run is active."""
    return {f"{s}.{f.name}" for s in SECTIONS for f in field_specs(s) if f.metadata.get("live")}
