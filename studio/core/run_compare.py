"""Several runs side by side: which settings differ, their metric curves on one step axis, their
sample pictures at a chosen step, and for a sweep folder the final metrics of each setting.

Runs may have any length and any metrics (a metric a run does not log is absent for it). Each run
is read through a `RunFollower`, so `refresh()` adds only what a run still being written appended.
"""
from __future__ import annotations

import bisect
import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .attach import RunFollower
from .checkpoint_meta import list_run_checkpoints, read_json
from .config import Config
from .curves import History, ema
from .library import is_run_dir, run_config
from .sweep import Sweep, format_value
from .sweep_study import LEADING_METRICS, ResultRow, mean_and_spread, summarize

# the order of the curves; metrics not named here follow, sorted
TRAINING_METRICS = ("loss_d", "loss_g", "wasserstein", "loss_aux", "d_real", "d_fake", "grad_norm_d", "grad_norm_g")
CHECKPOINT_METRICS = LEADING_METRICS  # modes, hq, reverse_kl: from the checkpoints' sidecars
NOT_CURVES = {"step", "time"}
MISSING = "–"  # a field a run's config lacks (no config.json yet, an older version)


def flat_config(config: Config | None) -> dict[str, object]:
    """{"section.field": value} of every section's fields ({} for no config)."""
    if config is None:
        return {}
    return {f"{section}.{name}": value for section, fields in config.to_dict().items() if isinstance(fields, dict)
            for name, value in fields.items()}


def differing_fields(configs: list[dict], ignore: tuple[str, ...] = ()) -> list[str]:
    """The dotted fields whose value is not the same in every config, in config order."""
    fields = dict.fromkeys(path for config in configs for path in config)
    return [path for path in fields if path not in ignore and
            len({format_value(config.get(path, MISSING)) for config in configs}) > 1]


def short_names(fields: list[str]) -> list[str]:
    """Each field by its last name (`kind`), or in full where two fields share it."""
    last = [path.rpartition(".")[2] for path in fields]
    return [name if last.count(name) == 1 else path for name, path in zip(last, fields)]


def describe(config: dict, fields: list[str]) -> str:
    """`spectral_norm=true, kind=r1, seed=3`: the given fields' values in `config`."""
    return ", ".join(f"{name}={format_value(config.get(path, MISSING))}"
                     for name, path in zip(short_names(fields), fields))


def legend_names(configs: list[dict], fields: list[str], folders: list[Path]) -> list[str]:
    """What differs, per run; the folder name where nothing does, and beside a name two runs share."""
    names = [describe(config, fields) or folder.name for config, folder in zip(configs, folders)]
    return [f"{name} ({folder.name})" if names.count(name) > 1 and name != folder.name else name
            for name, folder in zip(names, folders)]


class RunSeries:
    """One run's metrics as growing columns (only the rows that log a metric make its points), its
    sample pictures and its checkpoints' mode metrics, kept up to date by `refresh()`."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.follower = RunFollower(self.root)
        self.columns: dict[str, History] = {}
        self.checkpoint_columns: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.sample_steps: list[int] = []
        self.sample_paths: list[Path] = []
        self.last_step = 0
        self._smoothed: dict[str, tuple[float, int, np.ndarray]] = {}  # metric → (weight, points, values)
        self.refresh()  # the first poll reads everything there is

    @property
    def live(self) -> bool:
        """A process holds the folder for writing (it names itself in .writer.json while it does)."""
        return (self.root / ".writer.json").is_file()

    def refresh(self) -> bool:
        """Read what was appended since the last call; whether anything was."""
        update = self.follower.poll()
        self._add_rows(update.rows)
        if update.newest_sample is not None:
            self._read_samples()
        if update.new_checkpoints:
            self._read_checkpoints()
        return bool(update.rows or update.events or update.newest_sample or update.new_checkpoints)

    def _add_rows(self, rows: list[dict]) -> None:
        rows = [row for row in rows if is_number(row.get("step"))]
        if not rows:
            return
        if self.last_step and rows[0]["step"] <= self.last_step:  # the file was rewritten (a resume)
            for history in self.columns.values():
                history.n = int(np.searchsorted(history.x(), rows[0]["step"]))
            self._smoothed.clear()
        names = dict.fromkeys(key for row in rows for key in row if key not in NOT_CURVES)
        for name in names:
            points = [(row["step"], row[name]) for row in rows if is_number(row.get(name))]
            if points:
                steps, values = np.array(points, dtype=np.float64).T
                self.columns.setdefault(name, History([name])).append({"step": steps, name: values})
        self.last_step = int(rows[-1]["step"])

    def _read_samples(self) -> None:
        found = sorted((step_of(p), p) for p in (self.root / "samples").glob("step-*.png"))
        found = [(step, path) for step, path in found if step is not None]
        self.sample_steps = [step for step, _ in found]
        self.sample_paths = [path for _, path in found]

    def _read_checkpoints(self) -> None:
        infos = list_run_checkpoints(self.root)
        self.checkpoint_columns = {}
        for name in CHECKPOINT_METRICS:
            points = [(info.step, info.metrics[name]) for info in infos if name in info.metrics]
            if points:
                steps, values = np.array(points, dtype=np.float64).T
                self.checkpoint_columns[name] = (steps, values)

    def metrics(self) -> list[str]:
        return [*self.columns, *self.checkpoint_columns]

    @property
    def events(self) -> list[dict]:
        """The run's live edits so far (core.live_events), oldest first."""
        return self.follower.events

    def series(self, metric: str, smoothing: float = 0.0) -> tuple[np.ndarray, np.ndarray] | None:
        """(steps, values) of a metric, None when this run has none; training metrics smoothed by an
        exponential moving average of `smoothing` (0: raw), computed once per new point."""
        if metric in self.checkpoint_columns:
            return self.checkpoint_columns[metric]
        history = self.columns.get(metric)
        if history is None or not history.n:
            return None
        values = history.column(metric)
        if smoothing <= 0:
            return history.x(), values
        weight, done, smoothed = self._smoothed.get(metric, (smoothing, 0, np.zeros(0)))
        if weight != smoothing or done > history.n:
            done, smoothed = 0, np.zeros(0)
        start = float(smoothed[done - 1]) if done else None
        smoothed = np.concatenate([smoothed[:done], ema(values[done:], smoothing, start)])
        self._smoothed[metric] = (smoothing, history.n, smoothed)
        return history.x(), smoothed

    def final(self, metric: str) -> float | None:
        """The metric's last value (raw)."""
        found = self.series(metric)
        return float(found[1][-1]) if found is not None and len(found[1]) else None

    def sample_near(self, step: int) -> tuple[int, Path] | None:
        """(step, picture) of the sample picture nearest to `step` (the earlier one on a tie)."""
        if not self.sample_steps:
            return None
        i = bisect.bisect_left(self.sample_steps, step)
        if i == len(self.sample_steps) or (i > 0 and step - self.sample_steps[i - 1] <= self.sample_steps[i] - step):
            i -= 1
        return self.sample_steps[i], self.sample_paths[i]


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def step_of(path: Path) -> int | None:
    """The N of `step-N.png`."""
    try:
        return int(path.stem.split("-", 1)[1])
    except (IndexError, ValueError):
        return None


def metric_order(names) -> list[str]:
    """Training metrics in the plots' order, then unknown ones sorted, then the checkpoints' mode metrics."""
    names = set(names)
    known = [m for m in TRAINING_METRICS if m in names]
    modes = [m for m in CHECKPOINT_METRICS if m in names]
    return known + sorted(names - set(known) - set(modes)) + modes


class RunComparison:
    """Runs compared: their differing settings, legend names, metrics and sample pictures."""

    def __init__(self, run_dirs: list[str | Path]):
        self.runs = [RunSeries(path) for path in run_dirs]
        self.configs = [flat_config(run_config(run.root)) for run in self.runs]
        self.fields: list[str] = []
        self.names: list[str] = []
        self._name_runs()

    def _name_runs(self) -> None:
        self.fields = differing_fields(self.configs)
        self.names = legend_names(self.configs, self.fields, [run.root for run in self.runs])

    def refresh(self) -> bool:
        """New rows, pictures and checkpoints of every run; whether any run had some."""
        changed = [run.refresh() for run in self.runs]
        late = [i for i, run in enumerate(self.runs) if changed[i] and not self.configs[i]]
        for i in late:  # a run that had not written its config yet
            self.configs[i] = flat_config(run_config(self.runs[i].root))
        if late:
            self._name_runs()
        return any(changed)

    def metrics(self) -> list[str]:
        return metric_order(name for run in self.runs for name in run.metrics())

    def series(self, metric: str, smoothing: float = 0.0) -> list[tuple[np.ndarray, np.ndarray] | None]:
        return [run.series(metric, smoothing) for run in self.runs]

    def sample_steps(self) -> list[int]:
        """Every step at which some run has a sample picture, for one slider over all of them."""
        return sorted({step for run in self.runs for step in run.sample_steps})

    def samples_near(self, step: int) -> list[tuple[int, Path] | None]:
        return [run.sample_near(step) for run in self.runs]

    # -- the table -------------------------------------------------------------------------
    def table(self) -> list[tuple[str, list[str]]]:
        """(dotted field, value per run) of the fields that differ."""
        return [(path, [format_value(config.get(path, MISSING)) for config in self.configs]) for path in self.fields]

    def report_rows(self) -> list[tuple[str, list[str]]]:
        """The table, then each run's last step and final value of every metric (for exports)."""
        rows = self.table() + [("last step", [str(run.last_step) for run in self.runs])]
        for metric in self.metrics():
            finals = [run.final(metric) for run in self.runs]
            rows.append((f"final {metric}", [MISSING if v is None else f"{v:.4g}" for v in finals]))
        return rows

    def table_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["field", *(run.root.name for run in self.runs)])
        writer.writerows([path, *values] for path, values in self.report_rows())
        return buffer.getvalue()

    def table_markdown(self) -> str:
        header = ["field", *(run.root.name for run in self.runs)]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join([path, *values]) + " |" for path, values in self.report_rows()]
        legend = [f"- **{run.root.name}**: {name}" for run, name in zip(self.runs, self.names)]
        return "\n".join(["Runs compared (what differs):", "", *legend, "", *lines]) + "\n"


# -- sweeps ------------------------------------------------------------------------------------
def is_sweep_folder(path: str | Path) -> bool:
    """A folder of trial runs (`gan-studio sweep --out`), not itself a run."""
    path = Path(path)
    return path.is_dir() and not is_run_dir(path) and ((path / "results.csv").is_file() or bool(trial_dirs(path)))


def trial_dirs(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if is_run_dir(p))


@dataclass
class SweepSummary:
    """A sweep's results: one row per setting, the mean ± std over seeds of each final metric."""

    folder: Path
    fields: list[str]  # the setting's fields
    rows: list[ResultRow]
    source: str  # where the numbers come from, for people
    steps: int = 0  # steps of each trial

    @property
    def metrics(self) -> list[str]:
        return list(self.rows[0].stats) if self.rows else []

    def plot_series(self, metric: str, x_field: str) -> tuple[list[str], list[tuple[str, np.ndarray, np.ndarray]]]:
        """(the values of `x_field`, [(the other fields' values, means, stds) per group]): one line of
        points per combination of the other fields, NaN where a setting has no number."""
        xs = list(dict.fromkeys(row.setting[x_field] for row in self.rows))
        others = [f for f in self.fields if f != x_field]
        groups: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for row in self.rows:
            label = describe(row.setting, others) if others else metric
            means, stds = groups.setdefault(label, (np.full(len(xs), np.nan), np.full(len(xs), np.nan)))
            i = xs.index(row.setting[x_field])
            means[i], stds[i] = row.stats.get(metric, (math.nan, math.nan))
        return xs, [(label, means, stds) for label, (means, stds) in groups.items()]

    def table(self) -> list[list[str]]:
        """Header, then a row per setting: its values, seeds, and mean ± std of each metric."""
        header = [*self.fields, "seeds", *self.metrics]
        return [header] + [[*row.setting.values(), str(row.seeds), *(mean_and_spread(*row.stats[m])
                                                                     for m in self.metrics)] for row in self.rows]


def read_sweep(folder: str | Path) -> SweepSummary:
    """The sweep's results.csv when it has one (what `gan-studio sweep` wrote), else the same table
    from its trials' last checkpoints (a sweep still running, or stopped before its table)."""
    folder = Path(folder)
    trials = trial_dirs(folder)
    config = run_config(trials[0]) if trials else None
    steps = config.train.steps if config is not None else 0
    csv_path = folder / "results.csv"
    if csv_path.is_file():
        fields, rows = read_results_csv(csv_path.read_text())
        if rows:
            return SweepSummary(folder, fields, rows, "results.csv", steps)
    fields, rows = summarize_trials(trials)
    return SweepSummary(folder, fields, rows, "the trials' last checkpoints (no results.csv yet)", steps)


def read_results_csv(text: str) -> tuple[list[str], list[ResultRow]]:
    """(setting fields, rows) of a results.csv as sweep_study.results_csv writes it."""
    lines = list(csv.reader(io.StringIO(text)))
    if not lines or "seeds" not in lines[0]:
        return [], []
    header = lines[0]
    n_fields = header.index("seeds")
    metrics = [name[:-len("_mean")] for name in header if name.endswith("_mean")]
    rows = []
    for line in lines[1:]:
        cells = dict(zip(header, line))
        number = lambda key: float(cells[key]) if cells.get(key) else math.nan  # noqa: E731
        rows.append(ResultRow(dict(zip(header[:n_fields], line[:n_fields])), int(cells.get("seeds") or 0),
                              int(cells.get("failed") or 0),
                              {m: (number(f"{m}_mean"), number(f"{m}_std")) for m in metrics}))
    return header[:n_fields], rows


def summarize_trials(trials: list[Path]) -> tuple[list[str], list[ResultRow]]:
    """sweep_study.summarize over the trials' final checkpoint metrics, the grid being the fields
    that differ between their configs (the seed apart)."""
    configs = [run_config(trial) for trial in trials]
    found = [(trial, config) for trial, config in zip(trials, configs) if config is not None]
    if not found:
        return [], []
    flats = [flat_config(config) for _, config in found]
    fields = differing_fields(flats, ignore=("train.seed",))
    grid = {path: sorted({flat[path] for flat in flats}, key=lambda v: (str(type(v)), v)) for path in fields}
    seeds = sorted({config.train.seed for _, config in found})
    base = found[0][1]
    sweep = Sweep(base, grid, seeds, base.train.steps)
    finished = {}
    for (trial, config), flat in zip(found, flats):
        metrics = final_metrics(trial)
        if metrics:
            finished[sweep.trial_name({path: flat[path] for path in fields}, config.train.seed)] = metrics
    return fields, summarize(sweep, finished, set())


def final_metrics(trial: Path) -> dict:
    """A trial's numbers as the sweep tabulates them, from its last checkpoint's sidecar: final losses,
    the mode metrics (of the sidecar's fixed noise) and seconds of training."""
    checkpoints = list_run_checkpoints(trial)
    if not checkpoints:
        return {}
    last = checkpoints[-1]
    metrics = {k: v for k, v in last.metrics.items() if k.startswith("loss_") or k in CHECKPOINT_METRICS}
    elapsed = read_json(last.path.with_suffix(".json")).get("elapsed")
    return {**metrics, "wall_s": float(elapsed) if is_number(elapsed) else math.nan, "step": last.step}

