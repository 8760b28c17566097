"""The engine must work headless: nothing under studio/core, nor the CLI's headless paths, imports Qt."""
import ast
import subprocess
import sys
from pathlib import Path

STUDIO = Path(__file__).resolve().parents[1] / "studio"
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_sources_never_import_qt_or_gui():
    for path in (STUDIO / "core").rglob("*.py"):
        for name in imported_modules(path):
            assert not name.startswith(QT_MODULES + ("studio.gui",)), f"{path.name} imports {name}"


def test_core_and_cli_load_without_qt():
    code = ("import sys, studio.cli, studio.core.trainer, studio.core.run, studio.core.checkpoints, "
            "studio.core.data, studio.core.coverage, studio.core.presets, studio.core.render;"
            "studio.cli.main(['presets']);"
            f"bad = [m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r} or m.startswith('studio.gui')];"
            "assert not bad, bad")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
