"""`gan-studio window` and `screenshot`: the commands that open a window (Qt is imported only here)."""
from __future__ import annotations

import json
import sys
from pathlib import Path



def cmd_window(args) -> int:
    from .core.config import ConfigError
    from .gui.launch import run_app

    check_lang(args.lang)
    for option, folder in (("--run", args.run), ("--attach", args.attach)):
        if folder and not Path(folder).is_dir():
            raise ConfigError(f"{option} {folder}: no such run directory")
    if args.run and args.attach:
        raise ConfigError("--run opens a run to train on, --attach follows one read-only: pick one")
    return run_app(preset=args.preset, run_dir=args.run, attach=args.attach, lang=args.lang)


def check_lang(lang: str | None) -> None:
    """A usage error for a language the window cannot show."""
    from .core.config import ConfigError
    from .gui.translations import check_language

    if lang is not None:
        try:
            check_language(lang)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None


def use_lang(lang: str | None) -> dict:
    """Install `--lang` before any window of the screenshot is built: {"lang": …, "font_warning": …}."""
    from .gui.app import make_app
    from .gui.language_menu import start_in_language

    shown, problem = start_in_language(make_app(), lang or "en")
    if problem:
        print(f"gan-studio: warning: {problem}", file=sys.stderr)
    return {"lang": shown, **({"font_warning": problem} if problem else {})}


def cmd_screenshot(args) -> int:
    """Prints one JSON line: steps, gui_steps_per_s, ui_stall_p99_ms and more."""
    import os

    from .core.config import Config, ConfigError
    from .core.presets import load_preset

    if args.steps < 1:
        raise ConfigError(f"--steps must be >= 1, got {args.steps}")
    check_lang(args.lang)
    if args.slow_motion is not None and (args.slow_motion < 1 or args.attach or args.compare):
        raise ConfigError(f"--slow-motion K grabs sub-step K >= 1 of the trained window's next iteration "
                          f"(not with --attach or --compare), got {args.slow_motion}")
    if not args.out.lower().endswith(".png"):
        raise ConfigError(f"--out must end in .png, got {args.out!r}")
    if args.presenter and not args.compare:
        raise ConfigError("--presenter grabs the side-by-side comparison in presenter mode: add --compare")
    if args.compare_runs:
        return screenshot_compare_runs(args)
    if args.starter:
        return screenshot_starter(args)
    config = Config.load(args.config) if args.config else None  # bad files: usage errors
    if config is None:
        load_preset(args.preset)  # an unknown name is a usage error before any window opens
    elif args.attach or args.compare:
        raise ConfigError("--config trains its own run; --attach and --compare do not take one")
    if config is not None and config.data.name.startswith("points:"):
        from .core.points import points_path, read_points

        read_points(points_path(config.data.name))  # a bad points file is a usage error before any window opens
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    language = use_lang(args.lang)
    if args.attach:
        return screenshot_attached(args)
    if args.compare:
        return screenshot_compare(args)
    from .gui.screenshot import run_window

    report = run_window(args.preset, args.steps, args.out, args.panel, config=config,
                        slow_motion=args.slow_motion)
    if config is not None:
        report["config"] = args.config
    print(json.dumps({**report, **language}))
    return 1 if report.get("error") else 0


def screenshot_starter(args) -> int:
    """Prints one JSON line: starter, step, first_picture_s (from Explore ▸ NAME to its first picture), out."""
    import os

    from .core.config import ConfigError
    from .core.starters import read_starter

    if args.attach or args.compare or args.config or args.slow_motion is not None:
        raise ConfigError("--starter grabs a trained starter in the explorer; drop --attach, --compare, --config "
                          "and --slow-motion")
    read_starter(args.starter)  # an unknown or malformed starter is a usage error before any window opens
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    language = use_lang(args.lang)
    from .gui.screenshot import screenshot_starter as grab

    print(json.dumps({**grab(args.starter, args.out, args.panel), **language}))
    return 0


def screenshot_attached(args) -> int:
    """Prints one JSON line: run_dir, steps (the step the window shows), samples_step, checkpoints and more."""
    from .core.config import ConfigError

    if not Path(args.attach).is_dir():
        raise ConfigError(f"--attach {args.attach}: no such run directory")
    if args.compare:
        raise ConfigError("--attach grabs one window; drop --compare")
    from .gui.screenshot import screenshot_attached as grab

    report = grab(args.attach, args.out, args.panel, timeout_s=args.timeout)
    print(json.dumps(report))
    return 1 if report.get("timed_out") else 0


def screenshot_compare(args) -> int:
    from .core.config import ConfigError
    from .core.coverage import fix_partner
    from .core.presets import preset_names

    if args.panel:
        raise ConfigError("--compare grabs the whole side-by-side window; drop --panel")
    partner = fix_partner(args.preset, preset_names())
    if partner is None:
        raise ConfigError(f"--compare needs a *-collapse preset with a *-fixed partner, got {args.preset!r}")
    from .gui.screenshot import run_compare

    report = run_compare(args.preset, partner, args.out, presenter=args.presenter)
    print(json.dumps(report))
    return 1 if any("error" in report[k] for k in ("left_result", "right_result")) else 0


def screenshot_compare_runs(args) -> int:
    """Prints one JSON line: the runs and their legend names (or the sweep's settings), out, wall_s."""
    from .cli_compare import check_compare_paths
    from .core.config import ConfigError

    if args.attach or args.compare or args.panel:
        raise ConfigError("--compare-runs grabs the comparison window; drop --attach, --compare and --panel")
    check_compare_paths(args.compare_runs, "--compare-runs")
    from .gui.screenshot import screenshot_compare_runs as grab

    print(json.dumps(grab(args.compare_runs, args.out)))
    return 0
