"""Presets: named JSON configs shipped under resources/presets."""
from __future__ import annotations

import json
from importlib import resources

from .config import Config, ConfigError


def _folder():
    return resources.files("studio.resources") / "presets"


def preset_names() -> list[str]:
    return sorted(p.name[:-5] for p in _folder().iterdir() if p.name.endswith(".json"))


def load_preset(name: str) -> Config:
    path = _folder() / f"{name}.json"
    if not path.is_file():
        raise ConfigError(f"unknown preset {name!r}; choose from {', '.join(preset_names())}")
    return Config.from_dict(json.loads(path.read_text()))


def preset_descriptions() -> dict[str, str]:
    return {name: load_preset(name).description for name in preset_names()}
