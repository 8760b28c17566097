"""The window's languages, done the Qt way: English source strings, Simplified Chinese in .ts/.qm catalogs.

How to make a string translatable (one convention for the whole GUI):
  - in a QObject subclass: `self.tr("Save checkpoint")`; the context is the class that says it
    (PySide6 uses the defining class, as pyside6-lupdate does);
  - elsewhere (functions, tables at module level, non-QObject classes):
    `QCoreApplication.translate("Context", "text")`, or `QT_TRANSLATE_NOOP("Context", "text")` for a
    table of texts that is translated later with `QCoreApplication.translate("Context", text)`;
  - values go in with str.format and NAMED fields: `self.tr("Step {step} of {total}").format(step=s, total=n)`;
    never an f-string or `+` around tr() (lupdate sees only the literal, a translator needs the whole
    sentence); a translation keeps every {field} and may move it;
  - numbers, units, file paths and names (DCGAN, MNIST, z, G, D) stay as they are.

Catalogs: one .ts per area and language, `resources/i18n/<catalog>_<lang>.ts`, compiled to a .qm beside it
(committed and shipped as package data). CATALOGS maps each catalog to the source files (globs relative to
the `studio` package) that pyside6-lupdate reads for it; to add an area, add one line here and run
`python -m studio.gui.translations update`, translate the new .ts (Qt Linguist: `pyside6-linguist`, or
any editor), then `python -m studio.gui.translations release`. A source file belongs to ONE catalog.

The language: `--lang`, else the one chosen in View ▸ Language (QSettings "language"), else the system
locale's (QLocale.system()); English for any language we do not ship. A choice in the menu applies at
once: language_switch installs the new translators and swaps the open windows' texts in place (the window
is not rebuilt, so a live run goes on; README "Languages").
"""
from __future__ import annotations

import argparse
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

SOURCE_LANGUAGE = "en"  # the language of the strings in the code: it needs no catalog
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}  # code → its name in itself (the View ▸ Language menu)
SETTINGS_KEY = "language"
CATALOGS: dict[str, list[str]] = {  # catalog → source globs, relative to the studio package
    "window": ["gui/main_window.py", "gui/window_*.py", "gui/app.py", "gui/launch.py", "gui/translations.py",
               "gui/language_menu.py", "gui/language_switch.py", "gui/fonts.py", "gui/config_panel.py",
               "gui/controls_panel.py",
               "gui/plots_panel.py", "gui/samples_panel.py", "gui/coverage_*.py", "gui/library_panel.py",
               "gui/library_tables.py", "gui/library_actions.py", "gui/library_compare.py",
               "gui/slow_motion_panel.py", "gui/diagram_panel.py", "gui/points_panel.py", "gui/presenter.py",
               "gui/classroom.py", "gui/run_commands.py", "gui/run_controller.py", "gui/run_feed.py",
               "gui/exports.py", "gui/evaluation.py", "gui/timeline.py", "gui/plane_view.py",
               "gui/event_marks.py", "gui/output_cadence.py", "gui/paint_budget.py", "gui/worker.py",
               "gui/window_texts.py"],
    "slowmotion": ["core/slow_motion.py", "core/slow_motion_captions.py", "core/formulas.py", "gui/formulas_view.py"],
    "lessons": ["core/lessons.py", "gui/lesson_panel.py"],
    "explorer": ["gui/latent_*.py", "gui/invert_panel.py", "gui/bookmarks_panel.py", "gui/layers_panel.py",
                 "gui/neighbours_view.py", "gui/starters_menu.py"],
    "compare": ["gui/compare_window.py", "gui/run_compare_*.py"],
    "attach": ["gui/attach_*.py"],
}
GENERATED = {"window": "studio.gui.engine_texts"}  # catalog → module whose noop_source() lists texts of
# the engine (studio.core never imports Qt) for lupdate, as QT_TRANSLATE_NOOP lines
_installed: list[QTranslator] = []  # kept alive: Qt does not own an installed translator


def package_dir() -> Path:
    return Path(__file__).resolve().parents[1]


def i18n_dir() -> Path:
    """resources/i18n (studio.resources.i18n once installed)."""
    return Path(str(resources.files("studio.resources") / "i18n"))


def catalog_path(catalog: str, lang: str, suffix: str) -> Path:
    return i18n_dir() / f"{catalog}_{lang}{suffix}"


def available() -> list[str]:
    """The languages the window can show: English and every language with at least one compiled catalog."""
    return [lang for lang in LANGUAGES if lang == SOURCE_LANGUAGE or any(i18n_dir().glob(f"*_{lang}.qm"))]


def locale_language(name: str) -> str:
    """The shipped language for a locale name ('zh_CN', 'zh_Hans_SG', 'en_GB', 'C'); English for others."""
    if name in LANGUAGES:
        return name
    if name.startswith("zh") and not any(tag in name for tag in ("_TW", "_HK", "_MO", "Hant")):
        return "zh_CN"
    return SOURCE_LANGUAGE


def choose_language(asked: str | None = None, settings: QSettings | None = None) -> str:
    """`--lang` if given, else the saved choice, else the system locale's language."""
    if asked:
        return asked
    saved = settings.value(SETTINGS_KEY, "") if settings is not None else ""
    if isinstance(saved, str) and saved in LANGUAGES:
        return saved
    return locale_language(QLocale.system().name())


def check_language(lang: str) -> str:
    """`lang` when the window can show it; a ValueError naming the choices otherwise (the CLI's usage error)."""
    if lang not in available():
        raise ValueError(f"--lang must be one of {', '.join(available())}, got {lang!r}")
    return lang


def install(app: QCoreApplication, lang: str) -> list[Path]:
    """Make `lang` the language of every tr() from now on: Qt's own qtbase catalog (standard dialogs'
    buttons) and every catalog of ours for it. Replaces what an earlier call installed. Returns the
    .qm files loaded (none for English)."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(QLocale(lang))
    if lang == SOURCE_LANGUAGE:
        return []
    qt_own = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / f"qtbase_{lang}.qm"
    files = ([qt_own] if qt_own.is_file() else []) + sorted(i18n_dir().glob(f"*_{lang}.qm"))
    loaded = []
    for path in files:
        translator = QTranslator(app)
        if translator.load(str(path)):
            app.installTranslator(translator)
            _installed.append(translator)
            loaded.append(path)
    return loaded


def current_language() -> str:
    return QLocale().name() if _installed else SOURCE_LANGUAGE


def terminal_language(asked: str | None = None) -> str:
    """The language of what is printed before Qt starts: `--lang`, else the environment's locale
    (LC_ALL, LC_MESSAGES, LANG: zh_CN.UTF-8 → zh_CN), English for a language we do not ship."""
    if asked:
        return asked
    value = next((os.environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)), "")
    return locale_language(value.split(".")[0].split("@")[0])


def terminal_translator(lang: str) -> Callable[[str, str], str]:
    """translate(context, English) from `lang`'s catalogs, without an application (before Qt starts)."""
    translators = []
    for path in sorted(i18n_dir().glob(f"*_{lang}.qm")) if lang != SOURCE_LANGUAGE else []:
        translator = QTranslator()
        if translator.load(str(path)):
            translators.append(translator)

    def translate(context: str, text: str) -> str:
        return next((found for t in translators if (found := t.translate(context, text))), text)
    return translate


# -- maintaining the catalogs: `python -m studio.gui.translations update|release` ---------------------
def catalog_sources(catalog: str) -> list[Path]:
    root = package_dir()
    return sorted({path for pattern in CATALOGS[catalog] for path in root.glob(pattern)})


def qt_tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease beside this Python, else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: it comes with PySide6 (pip install PySide6-Essentials)")
    return found


def target_languages() -> list[str]:
    return [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE]


def update(catalogs: list[str] | None = None) -> list[Path]:
    """Run pyside6-lupdate over each catalog's sources into its .ts files (new strings come out unfinished)."""
    written = []
    for catalog in catalogs or list(CATALOGS):
        with tempfile.TemporaryDirectory(prefix="gan-studio-lupdate-") as tmp:
            sources = [str(path) for path in catalog_sources(catalog)]
            if catalog in GENERATED:
                generated = Path(tmp) / f"{catalog}_engine_texts.py"
                generated.write_text(importlib.import_module(GENERATED[catalog]).noop_source(), encoding="utf-8")
                sources.append(str(generated))
            for lang in target_languages():
                ts = catalog_path(catalog, lang, ".ts")
                subprocess.run([qt_tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *sources,
                                "-ts", str(ts)], check=True)
                written.append(ts)
    return written


def release(catalogs: list[str] | None = None, out_dir: Path | None = None) -> list[Path]:
    """Compile .ts → .qm with pyside6-lrelease (beside the .ts, or into `out_dir`)."""
    written = []
    for catalog in catalogs or list(CATALOGS):
        for lang in target_languages():
            ts = catalog_path(catalog, lang, ".ts")
            if not ts.is_file():
                continue
            qm = (out_dir or ts.parent) / f"{ts.stem}.qm"
            subprocess.run([qt_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
            written.append(qm)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studio.gui.translations",
                                     description="Maintain the window's translation catalogs (resources/i18n).")
    parser.add_argument("command", choices=("update", "release"),
                        help="update: pyside6-lupdate the sources into the .ts files; "
                             "release: pyside6-lrelease the .ts files into the .qm files")
    parser.add_argument("catalogs", nargs="*", metavar="CATALOG",
                        help=f"which catalogs (default: all of {', '.join(CATALOGS)})")
    args = parser.parse_args(argv)
    unknown = [name for name in args.catalogs if name not in CATALOGS]
    if unknown:
        parser.error(f"unknown catalog {unknown[0]!r}; choose from {', '.join(CATALOGS)}")
    for path in (update if args.command == "update" else release)(args.catalogs or None):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
