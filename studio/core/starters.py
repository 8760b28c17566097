"""Starter generators: small trained checkpoints shipped with the package, so that the latent explorer
has a generator to show at the first launch, with no training and no download.

Each starter is a folder `resources/starters/NAME/` holding `checkpoint.pt` (an ordinary checkpoint of
`gan-studio train`, carrying its config), `starter.json` (what it is, the command that made it, its
metrics) and `config.json`. `starter:NAME` names its checkpoint wherever a checkpoint path is accepted:
core.checkpoints resolves it (`resolve_checkpoint`), so every reader of checkpoints takes it.
The environment variable GAN_STUDIO_STARTERS points at another folder of starters (tests, a class's own).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .readers import DataError, UnreadableFile, read_json_object

PREFIX = "starter:"
ROOT_VARIABLE = "GAN_STUDIO_STARTERS"
CHECKPOINT, DESCRIPTION = "checkpoint.pt", "starter.json"
TEXT_FIELDS = ("name", "description", "command", "config")
TRANSLATED_PREFIX = "description_"  # "description_zh_CN": the description in that language (as presets have)


@dataclass(frozen=True)
class Starter:
    """One starter as its starter.json describes it."""

    name: str
    folder: Path
    description: str
    command: str = ""  # the `gan-studio train …` line that made it
    config: str = ""  # the config file's name in the folder
    trained_on: str | dict = ""  # on what, where and how long: a line, or an object of such facts
    metrics: dict = field(default_factory=dict)
    translations: dict = field(default_factory=dict)  # language code → the description in it

    def description_in(self, lang: str) -> str:
        """The description in `lang` (a code like zh_CN), English where the starter has none in it."""
        return self.translations.get(lang) or self.description

    @property
    def checkpoint(self) -> Path:
        return self.folder / CHECKPOINT

    @property
    def reference(self) -> str:
        """`starter:NAME`, which the CLI and the window take for its checkpoint."""
        return PREFIX + self.name

    def key_metrics(self) -> str:
        """The metrics as one short line (`classes 10, kl 0.021, frechet 31.4`)."""
        shown = [(k, v) for k, v in self.metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
        return ", ".join(f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}" for k, v in shown)


def starters_root() -> Path:
    """The folder of starters: $GAN_STUDIO_STARTERS, else the package's own (installed as plain files)."""
    override = os.environ.get(ROOT_VARIABLE)
    if override:
        return Path(override).expanduser()
    return Path(str(resources.files("studio.resources") / "starters"))


def starter_names(root: Path | None = None) -> list[str]:
    """The starters installed: the folders under the root that hold a checkpoint, sorted by name."""
    root = starters_root() if root is None else Path(root)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / CHECKPOINT).is_file())


def starter_reference(path: str | Path) -> str | None:
    """NAME when `path` is `starter:NAME`, else None."""
    text = str(path)
    return text[len(PREFIX):] if text.startswith(PREFIX) else None


def starter_checkpoint(name: str, root: Path | None = None) -> Path | None:
    """The checkpoint file of starter NAME, or None when there is no such starter."""
    root = starters_root() if root is None else Path(root)
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        return None
    path = root / name / CHECKPOINT
    return path if path.is_file() else None


def unknown_starter(name: str, root: Path | None = None) -> str:
    """The message for a name that is no starter: the names there are, or where none were found."""
    known = starter_names(root)
    where = starters_root() if root is None else root
    choices = f"choose from {', '.join(known)}" if known else f"no starters are installed in {where}"
    return f"unknown starter {name!r}; {choices} (`gan-studio starters` lists them)"


def read_starter(name: str, root: Path | None = None) -> Starter:
    """Starter NAME from its starter.json; DataError naming the file when it is missing or malformed."""
    root = starters_root() if root is None else Path(root)
    if starter_checkpoint(name, root) is None:
        raise DataError(unknown_starter(name, root))
    path = root / name / DESCRIPTION
    if not path.is_file():
        raise DataError(f"{path} does not exist: starter {name!r} has a checkpoint but no description")
    try:
        info = read_json_object(path)
    except UnreadableFile as exc:
        raise DataError(f"starter description {exc}") from None
    translated = [key for key in info if key.startswith(TRANSLATED_PREFIX)]
    for key in (*TEXT_FIELDS, *translated):
        if not isinstance(info.get(key, ""), str):
            raise DataError(f"starter description {path}: {key!r} must be text, got {info[key]!r}")
    if not info.get("description"):
        raise DataError(f"starter description {path}: 'description' is missing or empty")
    metrics = info.get("metrics", {})
    if not isinstance(metrics, dict):
        raise DataError(f"starter description {path}: 'metrics' must be an object of name: value, got {metrics!r}")
    return Starter(name, root / name, info["description"], info.get("command", ""), info.get("config", ""),
                   info.get("trained_on", ""), metrics,
                   {key[len(TRANSLATED_PREFIX):]: info[key] for key in translated if info[key].strip()})


def list_starters(root: Path | None = None) -> tuple[list[Starter], list[str]]:
    """(the starters that read well, a message for each one that does not), by name."""
    good, problems = [], []
    for name in starter_names(root):
        try:
            good.append(read_starter(name, root))
        except DataError as exc:
            problems.append(str(exc))
    return good, problems
