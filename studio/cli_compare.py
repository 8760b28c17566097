"""`gan-studio compare`: several run folders (or one sweep folder) compared headless, as a Markdown
report with the table as CSV and the figures as PNG beside it (the window: gui.run_compare_view)."""
from __future__ import annotations

import argparse
import os
from pathlib import Path


def add_compare_parser(subparsers) -> argparse.ArgumentParser:
    compare = subparsers.add_parser(
        "compare", help="compare run folders (or a sweep's results): a Markdown report, a CSV table, PNG figures",
        description="The settings that differ between the runs, each one's final metrics, their curves on one "
                    "step axis and their latest samples side by side; for one sweep folder, the final metrics "
                    "of each setting (mean ± std over seeds) against each setting. Drawn offscreen.")
    compare.add_argument("runs", nargs="+", metavar="RUN", help="run folders (a `train --out`), or one sweep folder")
    compare.add_argument("--out", required=True,
                         help="the report, a .md file; OUT.csv (the table) and OUT-*.png (the figures) go beside it")
    return compare


def check_compare_paths(paths: list[str], option: str) -> None:
    """Run folders, or one sweep folder; ConfigError naming the first that is neither."""
    from .core.config import ConfigError
    from .core.library import is_run_dir
    from .core.run_compare import is_sweep_folder

    if len(paths) == 1 and is_sweep_folder(paths[0]):
        return
    for path in paths:
        if not Path(path).is_dir():
            raise ConfigError(f"{option} {path}: no such folder")
        if not is_run_dir(Path(path)):
            raise ConfigError(f"{option} {path}: not a run folder (no config.json or checkpoints/)" +
                              (" nor a sweep folder (no results.csv or trial runs)" if len(paths) == 1 else ""))


def cmd_compare(args) -> int:
    """Prints the files written, one a line."""
    from .core.config import ConfigError

    check_compare_paths(args.runs, "compare")
    if not args.out.lower().endswith(".md"):
        raise ConfigError(f"--out must end in .md (the report; the CSV and PNGs go beside it), got {args.out!r}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # headless even where a display is
    from .gui.screenshot import compare_runs_view

    with compare_runs_view(args.runs) as view:
        for path in view.export_report(args.out):
            print(path)
    return 0
