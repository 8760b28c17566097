"""Lessons: a walk through the studio for a class, step by step, as plain JSON files a teacher can write.

The package ships lessons in resources/lessons/ (their order is their file names'); a teacher opens
their own file the same way. A lesson file:

    {"title": {"en": "Mode collapse and its fixes", "zh_CN": "模式崩溃及其对策"},
     "steps": [{"title": {...}, "text": {...},
                "preset": "ring-collapse",              optional: the preset it loads
                "settings": {"optim.g_steps": 1},       optional: fields set on that preset (or on the
                                                        settings on screen when no preset is named)
                "checkpoint": "starter:mnist-dcgan",    optional: a generator for the latent explorer
                "press": {...},                         what to press, in words
                "watch": "samples"}, ...]}              the panel to watch (the window highlights it)

Every text is an object by language ("en", "zh_CN"; one is enough, the window falls back to English).
A file that breaks these rules raises LessonError naming the file, the step and the problem, as
translatable sentences (core.translatable) for the window and as English for everyone else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable

from .config import Config, ConfigError
from .presets import load_preset, preset_names
from .readers import DataError, UnreadableFile, read_json_object
from .translatable import QT_TRANSLATE_NOOP, Part, render

CONTEXT = "Lessons"
LANGUAGES = ("en", "zh_CN")
STEP_FIELDS = ("title", "text", "preset", "settings", "checkpoint", "press", "watch")
REQUIRED = ("title", "text", "press", "watch")


class LessonError(DataError):
    """A lesson file that cannot be used; `parts` says where and why (translatable), str() in English."""

    def __init__(self, parts: list[Part]):
        super().__init__(render(parts))
        self.parts = parts


@dataclass(frozen=True)
class Step:
    title: dict[str, str]
    text: dict[str, str]
    press: dict[str, str]
    watch: str
    preset: str | None = None
    settings: dict = field(default_factory=dict)
    checkpoint: str | None = None

    def config(self, base: Config) -> Config:
        """The settings this step asks for: its preset (else `base`, the settings on screen) with its fields."""
        return _with_settings(load_preset(self.preset) if self.preset else base, self.settings)


@dataclass(frozen=True)
class Lesson:
    name: str  # the file's name without .json
    path: Path
    title: dict[str, str]
    steps: tuple[Step, ...]


def in_language(text: dict[str, str], lang: str) -> str:
    """The text in `lang`, else in English, else in whichever language it has."""
    return text.get(lang) or text.get("en") or next(iter(text.values()))


def lessons_folder() -> Path:
    return Path(str(resources.files("studio.resources") / "lessons"))


def lesson_files() -> list[Path]:
    """The shipped lesson files, in the order of their names."""
    folder = lessons_folder()
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def _with_settings(config: Config, settings: dict) -> Config:
    raw = config.to_dict()
    for path, value in settings.items():
        section, _, name = path.partition(".")
        raw.setdefault(section, {})[name] = value
    return Config.from_dict(raw)


class _Checker:
    """Reads one lesson file, naming the file and the step in every problem."""

    def __init__(self, path: Path, panels: Iterable[str]):
        self.path, self.panels = path, sorted(panels)
        self.step = 0  # 1-based while a step is read

    def fail(self, template: str, **fields) -> LessonError:
        where = (CONTEXT, QT_TRANSLATE_NOOP("Lessons", "In {file}, step {step}:"), {"file": str(self.path),
                                                                                     "step": self.step}) \
            if self.step else (CONTEXT, QT_TRANSLATE_NOOP("Lessons", "In {file}:"), {"file": str(self.path)})
        return LessonError([where, (CONTEXT, template, fields)])

    def text(self, raw: dict, key: str) -> dict[str, str]:
        value = raw.get(key)
        if not isinstance(value, dict) or not value or not all(
                isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()):
            raise self.fail(QT_TRANSLATE_NOOP("Lessons", "“{field}” must be texts by language, like "
                                                         "{{\"en\": \"…\", \"zh_CN\": \"…\"}}."), field=key)
        if not set(value) & set(LANGUAGES):
            raise self.fail(QT_TRANSLATE_NOOP("Lessons", "“{field}” has no text in {languages}."), field=key,
                            languages=" / ".join(LANGUAGES))
        return value

    def lesson(self) -> Lesson:
        try:
            raw = read_json_object(self.path)
        except UnreadableFile as exc:
            raise self.fail(QT_TRANSLATE_NOOP("Lessons", "the file cannot be used: {reason}."),
                            reason=exc.reason) from None
        unknown = sorted(set(raw) - {"title", "steps"})
        if unknown:
            raise self.fail(QT_TRANSLATE_NOOP("Lessons", "unknown field “{field}”; a lesson has “title” and "
                                                         "“steps”."), field=unknown[0])
        title = self.text(raw, "title")
        steps = raw.get("steps")
        if not isinstance(steps, list) or not steps:
            raise self.fail(QT_TRANSLATE_NOOP("Lessons", "“steps” must be a list of at least one step."))
        checked = []
        for self.step, step in enumerate(steps, 1):
            checked.append(self.read_step(step))
        return Lesson(self.path.stem, self.path, title, tuple(checked))

    def read_step(self, raw) -> Step:
        if not isinstance(raw, dict):
            raise self.fail(QT_TRANSLATE_NOOP("Lessons", "a step must be a JSON object."))
        unknown = [key for key in raw if key not in STEP_FIELDS]
        if unknown:
            raise self.fail(QT_TRANSLATE_NOOP("Lessons", "unknown field “{field}”; a step has {fields}."),
                            field=unknown[0], fields=", ".join(STEP_FIELDS))
        missing = [key for key in REQUIRED if key not in raw]
        if missing:
            raise self.fail(QT_TRANSLATE_NOOP("Lessons", "the field “{field}” is missing."), field=missing[0])
        watch = raw["watch"]
        if watch not in self.panels:
            raise self.fail(QT_TRANSLATE_NOOP("Lessons", "unknown panel “{panel}” to watch; choose from {panels}."),
                            panel=watch, panels=", ".join(self.panels))
        preset, settings, checkpoint = raw.get("preset"), raw.get("settings", {}), raw.get("checkpoint")
        if preset is not None and preset not in preset_names():
            raise self.fail(QT_TRANSLATE_NOOP("Lessons", "unknown preset “{preset}”; choose from {presets}."),
                            preset=preset, presets=", ".join(preset_names()))
        if not isinstance(settings, dict) or not all(isinstance(k, str) and "." in k for k in settings):
            raise self.fail(QT_TRANSLATE_NOOP("Lessons", "“settings” must map fields to values, like "
                                                         "{{\"optim.g_steps\": 1}}."))
        if checkpoint is not None and (not isinstance(checkpoint, str) or not checkpoint.strip()):
            raise self.fail(QT_TRANSLATE_NOOP("Lessons", "“checkpoint” must be a file name or starter:NAME."))
        step = Step(self.text(raw, "title"), self.text(raw, "text"), self.text(raw, "press"), watch, preset,
                    dict(settings), checkpoint)
        try:
            step.config(Config())
        except ConfigError as exc:
            raise self.fail(QT_TRANSLATE_NOOP("Lessons", "its settings are not valid: {reason}"),
                            reason=str(exc)) from None
        return step


def load_lesson(path: str | Path, panels: Iterable[str]) -> Lesson:
    """The lesson in `path`, checked (its panels to watch must be among `panels`); LessonError if not."""
    return _Checker(Path(path), panels).lesson()
