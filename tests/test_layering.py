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


PYPROJECT = STUDIO.parent / "pyproject.toml"


def lint_imports(cwd: Path) -> tuple[int, str]:
    """import-linter's contracts of pyproject.toml, checked on the `studio` package found from `cwd`."""
    script = Path(sys.executable).parent / "lint-imports"  # the console script, beside this interpreter
    result = subprocess.run([sys.executable, str(script), str(PYPROJECT), "--no-cache"],
                            cwd=cwd, capture_output=True, text=True, env={"PYTHONPATH": str(cwd), "PATH": ""},
                            timeout=300)
    return result.returncode, " ".join(result.stdout.split())  # long contract names wrap


def test_import_contracts_hold():
    returncode, report = lint_imports(STUDIO.parent)
    assert returncode == 0, report
    assert "Contracts: 3 kept, 0 broken." in report


def test_import_contracts_catch_a_core_module_importing_a_window_and_a_panel_importing_a_window(tmp_path):
    import shutil

    shutil.copytree(STUDIO, tmp_path / "studio", ignore=shutil.ignore_patterns("__pycache__"))
    core_module = tmp_path / "studio" / "core" / "presets.py"
    core_module.write_text(core_module.read_text() + "\n\ndef _window():\n    from studio.gui import main_window\n")
    returncode, report = lint_imports(tmp_path)
    assert returncode != 0
    assert "The engine never imports the GUI, the CLI or Qt BROKEN" in report
    assert "studio.core.presets -> studio.gui.main_window" in report

    core_module.write_text(core_module.read_text().replace("from studio.gui import main_window", "pass"))
    panel = tmp_path / "studio" / "gui" / "samples_panel.py"
    panel.write_text(panel.read_text() + "\n\ndef _window():\n    from . import compare_window\n")
    returncode, report = lint_imports(tmp_path)
    assert returncode != 0
    assert "No panel imports a window, a window part or the screenshot harness BROKEN" in report
    assert "The engine never imports the GUI, the CLI or Qt KEPT" in report


def studio_imports(path: Path) -> set[str]:
    """The studio modules `path` imports anywhere in it (inside functions too), relative ones resolved."""
    module = ".".join(path.relative_to(STUDIO.parent).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package if node.level else ""
            target = ".".join(p for p in (base, node.module or "") if p)
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names}  # `from . import x` names a module
    return {name for name in found if name.startswith("studio")}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, groups, counter = {}, {}, [], set(), [], [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycle_counting_relative_imports_and_imports_inside_functions():
    paths = {".".join(p.relative_to(STUDIO.parent).with_suffix("").parts): p for p in STUDIO.rglob("*.py")}
    graph = {name: {m for m in studio_imports(path) if m in paths and m != name} for name, path in paths.items()}
    assert import_cycles(graph) == []


def test_the_cycle_check_finds_a_planted_cycle():
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
