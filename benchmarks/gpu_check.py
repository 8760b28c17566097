"""Every GPU figure in one run: the CUDA tests, eager vs CUDA-graph training speed, and the window vs the CLI.

    python benchmarks/gpu_check.py --out DIR            # on a GPU machine (benchmarks/gpu_check.sh wraps it)
    python benchmarks/gpu_check.py --out DIR --cpu-smoke  # anywhere: the same steps, tiny, in well under a minute

1. The project: imported from this checkout if `studio.resources` resolves; else `pip install --no-deps
   --no-build-isolation -e .` (no network needed); else a copy of studio/ with resources/ inside it.
   The machine's own torch is used.
2. Tests: `pytest -m cuda tests/test_cuda.py` and a few engine test files, which train on CUDA there
   because their configs say device auto. Without CUDA every `cuda` test skips and says why; a smoke
   run runs tests/test_cuda.py alone (its CPU tests run), leaving the engine's files to CI.
3. Speed: steps/s of bench_engine.py's minimal PyTorch loop, the engine stepping eagerly
   (train.cuda_graphs off) and the engine replaying CUDA graphs (auto), interleaved in rounds, for
   ring-fixed and digits-dcgan. Goal on a GPU: graphs >= 2x the minimal loop.
4. The window (offscreen, QT_QPA_PLATFORM=offscreen) vs `gan-studio train`, both on the machine's device
   (bench_window.py's two commands); skipped, with the reason, where PySide6 or pyqtgraph is missing.

Writes DIR/gpu_check.json (and prints it): every figure, the machine, and what was skipped and why.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
KEY_TESTS = ["tests/test_cuda_graphs_cpu.py", "tests/test_trainer.py", "tests/test_checkpoints.py",
             "tests/test_run_loop.py", "tests/test_slow_motion.py"]
SPEED_PRESETS = (("ring-fixed", 256), ("digits-dcgan", 64))
WINDOW_PRESETS = (("ring-fixed", 3000), ("digits-acgan", 300))  # digits-acgan: digits-fixed until session 19


# -- 1. the project ---------------------------------------------------------------------------------
def _importable() -> bool:
    try:
        return importlib.util.find_spec("studio.resources.presets") is not None
    except ModuleNotFoundError:
        return False


def make_importable(scratch: Path) -> str:
    """How `studio` (with its presets) became importable; sets PYTHONPATH for child processes if needed."""
    installed = os.environ.get("GPU_CHECK_INSTALLED") == "1"
    if _importable():
        return "pip install --no-deps -e . (then this script restarted)" if installed else "already importable"
    if not installed:
        pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
               "-e", "."]
        if subprocess.run(pip, cwd=ROOT, capture_output=True).returncode == 0:
            os.environ["GPU_CHECK_INSTALLED"] = "1"  # a new process reads the editable install
            os.execv(sys.executable, [sys.executable, *sys.argv])
    copy = scratch / "src"
    shutil.copytree(ROOT / "studio", copy / "studio", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "resources", copy / "studio" / "resources", ignore=shutil.ignore_patterns("__pycache__"))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(copy), os.environ.get("PYTHONPATH")]))
    sys.path.insert(0, str(copy))
    for name in [m for m in sys.modules if m == "studio" or m.startswith("studio.")]:
        del sys.modules[name]  # a partial `studio` found by the probe
    return f"a copy of studio/ with resources/ inside, on PYTHONPATH ({copy})"


def machine() -> dict:
    import torch

    info = {"python": platform.python_version(), "torch": torch.__version__, "cpu_cores": os.cpu_count(),
            "cuda": torch.cuda.is_available(),
            "packages": {name: importlib.util.find_spec(name) is not None
                         for name in ("PySide6", "pyqtgraph", "pytestqt", "pytest", "pytest_timeout")}}
    if info["cuda"]:
        props = torch.cuda.get_device_properties(0)
        info.update(gpu=props.name, gpu_memory_gib=round(props.total_memory / 2 ** 30, 1),
                    multiprocessors=props.multi_processor_count)
    smi = shutil.which("nvidia-smi")
    if smi:
        done = subprocess.run([smi, "--query-gpu=name,driver_version", "--format=csv,noheader"],
                              capture_output=True, text=True)
        info["nvidia_smi"] = done.stdout.strip()
    return info


# -- 2. tests ---------------------------------------------------------------------------------------
def run_pytest(label: str, args: list[str], scratch: Path, timeout_s: float) -> dict:
    """One pytest run: its exit status, counts, wall time, and each failure's or skip's reason."""
    report = scratch / f"{label}.xml"
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", *args]
    started = time.perf_counter()
    try:
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout_s)
        status, tail = done.returncode, (done.stdout + done.stderr)[-3000:]
    except subprocess.TimeoutExpired as exc:
        status, tail = "timeout", str(exc.stdout or "")[-3000:]
    result = {"command": " ".join(["pytest", *args]), "exit_status": status,
              "wall_s": round(time.perf_counter() - started, 1)}
    if report.exists():
        result.update(junit_summary(report))
    if status not in (0, 5):  # 5: nothing collected
        result["output_tail"] = tail
    return result


def junit_summary(path: Path) -> dict:
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    failures, skips = [], set()
    for case in ET.parse(path).getroot().iter("testcase"):
        problem = next((el for el in case if el.tag in ("failure", "error", "skipped")), None)
        if problem is None:
            counts["passed"] += 1
            continue
        lines = (problem.get("message") or "").strip().splitlines()
        first = lines[0][:300] if lines else ""
        if problem.tag == "skipped":
            counts["skipped"] += 1
            skips.add(first)
        else:
            counts["failed"] += 1
            failures.append(f"{case.get('name')}: {first}")
    return {**counts, "failures": failures, "skip_reasons": sorted(skips)}


# -- 3. speed ---------------------------------------------------------------------------------------
def speed(preset: str, batch: int, device: str, rounds: int, seconds: float, warmup: int = 5,
          **changes) -> dict:
    """Minimal loop, eager engine and replayed engine on `device`, interleaved in rounds; medians.
    `changes` are config changes (a smoke run's smaller data sets)."""
    sys.path.insert(0, str(BENCH))
    from bench_engine import MinimalLoop, rate

    from studio.core.presets import load_preset
    from studio.core.trainer import Trainer

    config = load_preset(preset).updated({"train.batch_size": batch, "train.device": device, **changes})
    sides = {"minimal": None, "engine_eager": Trainer(config.updated({"train.cuda_graphs": "off"})),
             "engine_graphs": Trainer(config.updated({"train.cuda_graphs": "auto"}))}
    sides["minimal"] = MinimalLoop(sides["engine_eager"])
    steps = {name: side.step for name, side in sides.items()}
    for step in steps.values():  # warm-up: lazy initialisation, and the graph's recording
        for _ in range(warmup):
            step()
    rates: dict[str, list[float]] = {name: [] for name in steps}
    for i in range(rounds):
        for name in (list(steps) if i % 2 == 0 else list(steps)[::-1]):
            rates[name].append(rate(steps[name], seconds))
    med = {name: round(statistics.median(r), 1) for name, r in rates.items()}
    row = {"preset": preset, "batch": batch, "device": str(sides["engine_graphs"].device),
           "graphs": sides["engine_graphs"].graphed.status, "steps_per_s": med,
           "runs": {name: [round(x, 1) for x in r] for name, r in rates.items()},
           "graphs_over_minimal": round(med["engine_graphs"] / med["minimal"], 3),
           "eager_over_minimal": round(med["engine_eager"] / med["minimal"], 3),
           "graphs_over_eager": round(med["engine_graphs"] / med["engine_eager"], 3)}
    row["goal_graphs_2x_minimal_met"] = row["graphs_over_minimal"] >= 2.0 if device == "cuda" else None
    return row


# -- 4. the window vs the CLI -------------------------------------------------------------------------
def window_vs_cli(presets, repeat: int, warm: bool = True) -> list[dict] | str:
    """bench_window.py's two commands per preset, alternating; or why they cannot run here."""
    missing = [name for name in ("PySide6", "pyqtgraph") if importlib.util.find_spec(name) is None]
    if missing:
        return f"skipped: {', '.join(missing)} not installed (benchmarks/gpu_check.sh --pack carries them)"
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(BENCH))
    from bench_window import cli_steps_per_s, window_report

    rows = []
    for preset, steps in presets:
        if warm:
            window_report(preset, 2)  # data set and evaluator caches: not part of a measurement
        cli, window, devices = [], [], set()
        for i in range(repeat):
            for side in (("cli", "window") if i % 2 == 0 else ("window", "cli")):
                if side == "cli":
                    cli.append(cli_steps_per_s(preset, steps))
                else:
                    report = window_report(preset, steps)
                    window.append(report["gui_steps_per_s"])
                    devices.add(report["device"])
        c, w = statistics.median(cli), statistics.median(window)
        rows.append({"preset": preset, "steps": steps, "window_device": sorted(devices),
                     "cli_steps_per_s": round(c, 1), "window_steps_per_s": round(w, 1),
                     "window_over_cli": round(w / c, 3) if c else None})
    return rows


def run_tests(smoke: bool, scratch: Path) -> dict:
    if smoke:  # one pytest process: the cuda tests skip, the CPU ones run; the engine's files are CI's
        return {"test_cuda": run_pytest("test_cuda", ["tests/test_cuda.py"], scratch, 240)}
    return {"cuda": run_pytest("cuda", ["-m", "cuda", "tests/test_cuda.py"], scratch, 240),
            "key": run_pytest("key", ["-m", "not cuda", "tests/test_cuda.py", *KEY_TESTS], scratch, 180)}


def run_speed(smoke: bool, device: str, args) -> list[dict]:
    if smoke:  # small batches and sets, one short round: that every part runs, not what it measures
        return [speed(preset, 16, device, 1, 0.2, warmup=2, **{"data.n_samples": 2000}) for preset, _ in SPEED_PRESETS]
    return [speed(preset, batch, device, args.rounds, args.seconds) for preset, batch in SPEED_PRESETS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder for gpu_check.json ($OUT on the lent machine)")
    parser.add_argument("--cpu-smoke", action="store_true",
                        help="tiny counts on whatever device there is (automatic without CUDA)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=2.0, help="per measurement of a speed round")
    parser.add_argument("--window-repeat", type=int, default=1, help="alternating CLI/window pairs per preset")
    parser.add_argument("--skip-tests", action="store_true")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    result: dict = {"started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "skipped": {}, "errors": {},
                    "section_wall_s": {}}

    def save() -> str:
        """After every section: a run stopped at its time limit still leaves what it measured."""
        from studio.core.atomic import write_atomic

        result["wall_s"] = round(time.perf_counter() - started, 1)
        text = json.dumps(result, indent=1)
        write_atomic(out / "gpu_check.json", text + "\n")
        return text

    def section(name: str, work) -> None:
        mark = time.perf_counter()
        try:
            value = work()
        except Exception:  # one broken part must not cost the others' figures
            result["errors"][name] = traceback.format_exc()[-3000:]
        else:
            if isinstance(value, str):
                result["skipped"][name] = value
            else:
                result[name] = value
        result["section_wall_s"][name] = round(time.perf_counter() - mark, 1)
        save()

    with tempfile.TemporaryDirectory(prefix="gpu-check-") as scratch_dir:
        scratch = Path(scratch_dir)
        result["project"] = make_importable(scratch)
        result["machine"] = machine()
        smoke = args.cpu_smoke or not result["machine"]["cuda"]
        device = "cuda" if result["machine"]["cuda"] else "cpu"
        result["mode"] = "cpu-smoke (tiny counts, one CPU thread per process)" if smoke else "gpu"
        if smoke:  # on a shared CPU box a 2-thread OpenMP team stalls whenever another job runs
            import torch

            torch.set_num_threads(1)
            os.environ["OMP_NUM_THREADS"] = "1"
        if device != "cuda":
            result["skipped"]["speed_on_gpu"] = "no CUDA device: the speed rows are this CPU's, graphs off"
        save()
        section("tests", (lambda: "--skip-tests") if args.skip_tests else (lambda: run_tests(smoke, scratch)))
        section("speed", lambda: run_speed(smoke, device, args))
        section("window_vs_cli", lambda: window_vs_cli((("ring-fixed", 5),) if smoke else WINDOW_PRESETS,
                                                       args.window_repeat, warm=not smoke))
    print(save())
    failed = any(t.get("exit_status") not in (0, 5) for t in result.get("tests", {}).values())
    return 1 if failed or result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
