"""The engine's words in the window's language: config field names, help texts, choices, the validation
messages of studio.core.config and the failures the engine reports to a run (a diverged loss, a full
disk, a checkpoint that does not fit). The engine never imports Qt, so it cannot tr() them itself.

Their English stays in the engine; `noop_source()` lists them for pyside6-lupdate (the `update` command of
studio.gui.translations reads it), and the window looks each up at run time by its English text. A
message is matched against English templates (its values become the template's {fields}: a field that
is itself an engine sentence, an OS error or a type word is translated too); a text that matches none
shows in English.
"""
from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtCore import QCoreApplication

from ..core.config import SECTIONS, field_specs

LABEL, HELP, CHOICE, ERROR, ENGINE = "ConfigField", "ConfigHelp", "ConfigChoice", "ConfigError", "EngineMessage"
TYPE_WORDS = ("true or false", "an integer", "a number", "a string", "a finite number")
ADVICE = "(try a lower learning rate, a gradient penalty or spectral norm)"
# core.config's messages (and the form's own), most specific first; each {field} matches any text unless
# FIELDS narrows it
ERROR_TEMPLATES = (
    "data.name must be one of {names}, folder:PATH or points:PATH, got {got}",
    "{path} must be one of {allowed}, got {got}",
    "{path} must be {word}, got {got}",
    "{path} must be > {bound}, got {got}",
    "{path} must be >= {bound}, got {got}",
    "{path} must be <= {bound}, got {got}",
    "data.name {name} needs a path, e.g. {example}",
    "generator.arch and discriminator.arch must be mlp for 2-D data ({name}), got {archs}",
    "{part}.arch resnet needs data.image_size 32 or 64, got {size}",
    "train.precision bf16 needs a CUDA device, got train.device={device}",
    "train.batch_size must be a multiple of discriminator.pack ({pack}), got {batch}",
    "train.device must be auto, cpu, cuda, cuda:N or mps, got {device}",
    "cond.kind {kind} needs labelled data ({datasets} or a folder:PATH with one subfolder per class), "
    "got data.name={name}",
    "cond.kind infogan needs cond.categorical > 0 or cond.continuous > 0",
    "cond.g_input cbn needs generator.arch dcgan or resnet (it conditions G's batch norms)",
    "cond.kind {kind} needs discriminator.pack 1: a pack would mix codes, got {pack}",
    "cond.kind {kind} does not support optim.unroll, got {unroll}",
)
# what a run reports when it stops (core.run_loop, core.losses) and why a checkpoint cannot be used
# (core.checkpoints); {what}, {reason} and {detail} may be engine sentences or OS errors themselves
ENGINE_TEMPLATES = (
    "{term} is {value} at step {step}; training stopped before applying it " + ADVICE + ". The last good state "
    "is {path}",
    "{term} is {value} at step {step}; training stopped before applying it " + ADVICE + ". No checkpoint was "
    "written before it",
    "{term} is {value} at step {step}; training stopped before applying it " + ADVICE,
    "{net}'s weights are not finite after step {step}, so they were not saved " + ADVICE + ". The last good "
    "state is {path}",
    "{net}'s weights are not finite after step {step}, so they were not saved " + ADVICE + ". No checkpoint "
    "was written",
    "Could not write {what} to {where}: {reason}. The last checkpoint, {path}, is intact",
    "Could not write {what} to {where}: {reason}. No checkpoint has been written yet",
    "the checkpoint of step {step}", "the metrics row of step {step}", "the sample picture of step {step}",
    "the live edit of step {step}",
    "no run directory: checkpoint not saved",
    "checkpoint {path} does not exist",
    "{path} is not a readable checkpoint (truncated or corrupt: {detail})",
    "{path} is not a GAN Studio checkpoint",
    "{path} was written by a newer GAN Studio (format {version})",
    "{path} has an invalid config: {reason}",
    "{path} does not fit these settings (another architecture or format): {detail}",
    "{path} was made for another architecture or format: {detail}",
    "{path} was made for another architecture: {detail}",
    "the trials' last checkpoints (no results.csv yet)",  # where a sweep's table comes from (core.run_compare)
    # the operating system's words for the usual failed writes (strerror)
    "No space left on device", "Disk quota exceeded", "Permission denied", "Read-only file system",
    "No such file or directory",
)
FIELDS = {"path": r"[\w.]+", "word": "|".join(map(re.escape, TYPE_WORDS)), "bound": r"\S+", "step": r"[\d,]+",
          "term": r"\S+", "value": r"\S+"}
NESTED = ("word", "what", "reason")  # fields whose value is translated as a sentence of its own


@lru_cache(maxsize=None)
def _pattern(template: str, path_is_a_file: bool = False) -> re.Pattern:
    """The template as a regex: its literal text escaped, each {field} a named group."""
    fields = {**FIELDS, "path": r".+?"} if path_is_a_file else FIELDS
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>{fields.get(part, '.+?')})"
                              for i, part in enumerate(parts)), re.DOTALL)


def _translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def field_label(name: str) -> str:
    """A field's name on the form: 'batch size' (English) or its translation."""
    return _translate(LABEL, name.replace("_", " "))


def field_help(text: str) -> str:
    return _translate(HELP, text) if text else ""


def choice_text(value) -> str:
    """How a choice (a loss, an activation, 'none') reads in a combo box; its value is unchanged."""
    return _translate(CHOICE, value if isinstance(value, str) else f"{value:g}" if isinstance(value, float)
                      else str(value))


def _matching(message: str, context: str, templates: tuple[str, ...], path_is_a_file: bool) -> str | None:
    for template in templates:
        match = _pattern(template, path_is_a_file).fullmatch(message)
        if match:
            fields = {key: engine_message(value) if key in NESTED else value for key, value in match.groupdict().items()}
            return _translate(context, template).format(**fields)
    return None


def config_error(message: str) -> str:
    """A validation message of the engine in the window's language (unknown messages as they are)."""
    return _matching(message, ERROR, ERROR_TEMPLATES, False) or message


def engine_message(message: str) -> str:
    """A message of the engine (a run's failure, a checkpoint's problem, a config error, a type word) in the
    window's language; unknown messages as they are."""
    return (_matching(message, ERROR, ERROR_TEMPLATES, False) or
            _matching(message, ENGINE, ENGINE_TEMPLATES, True) or _translate(ERROR, message))


def noop_source() -> str:
    """Python source that pyside6-lupdate reads: one QT_TRANSLATE_NOOP per engine text."""
    texts: dict[str, set[str]] = {LABEL: set(), HELP: set(), CHOICE: set(), ERROR: set(), ENGINE: set()}
    for section in SECTIONS:
        for f in field_specs(section):
            texts[LABEL].add(f.name.replace("_", " "))
            if f.metadata.get("help"):
                texts[HELP].add(f.metadata["help"])
            for value in f.metadata.get("choices") or ():
                if isinstance(value, str):
                    texts[CHOICE].add(value)
    texts[ERROR].update(TYPE_WORDS)
    texts[ERROR].update(ERROR_TEMPLATES)
    texts[ENGINE].update(ENGINE_TEMPLATES)
    lines = ["from PySide6.QtCore import QT_TRANSLATE_NOOP", ""]
    for context, found in texts.items():
        lines += [f"QT_TRANSLATE_NOOP({context!r}, {text!r})" for text in sorted(found)]
    return "\n".join(lines) + "\n"
