"""Presets: named JSON configs shipped under resources/presets.

A preset's texts come in several languages: "description" and "notes" are English, and
"description_<lang>" / "notes_<lang>" (e.g. "notes_zh_CN") the same texts in another language. They
are the preset's, not the run's: a run's config keeps the English ones only.
"""
from __future__ import annotations

import json
import re
from importlib import resources

from .config import Config, ConfigError


def _folder():
    return resources.files("studio.resources") / "presets"


def preset_names() -> list[str]:
    return sorted(p.name[:-5] for p in _folder().iterdir() if p.name.endswith(".json"))


TRANSLATED = re.compile(r"(description|notes)_([a-z]{2}(?:_[A-Z]{2})?)")  # "notes_zh_CN"


def _read(name: str) -> tuple[dict, dict[str, dict[str, str]]]:
    """The preset's config as a dict, and its translated texts: {lang: {"description": …, "notes": …}}."""
    path = _folder() / f"{name}.json"
    if not path.is_file():
        raise ConfigError(f"unknown preset {name!r}; choose from {', '.join(preset_names())}")
    raw = json.loads(path.read_text())
    texts: dict[str, dict[str, str]] = {}
    for key in [k for k in raw if TRANSLATED.fullmatch(k)]:
        value = raw.pop(key)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"preset {name}: {key} must be a non-empty string, got {value!r}")
        kind, lang = TRANSLATED.fullmatch(key).groups()
        texts.setdefault(lang, {})[kind] = value
    return raw, texts


def load_preset(name: str) -> Config:
    return Config.from_dict(_read(name)[0])


def preset_texts(name: str, lang: str = "en") -> tuple[str, str]:
    """(description, notes) of a preset in `lang`, each falling back to English where not translated."""
    raw, texts = _read(name)
    config = Config.from_dict(raw)
    own = texts.get(lang, {})
    return own.get("description", config.description), own.get("notes", config.notes)


def preset_descriptions(lang: str = "en") -> dict[str, str]:
    return {name: preset_texts(name, lang)[0] for name in preset_names()}
