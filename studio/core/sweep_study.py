"""A sweep's bookkeeping in an Optuna study, and the results table it yields.

The study lives in a database: SQLite in the sweep's folder by default, or any SQLAlchemy URL (a
PostgreSQL server, say), so every process started with the same sweep command (twice on one machine,
once per machine, a SLURM array) takes its trials from the same grid. Optuna's GridSampler gives
trial number k grid point k on the first pass and later a point that no trial has finished or runs;
a process therefore asks for a trial only while a point is free or a retry waits, and a trial whose
point another live trial holds (two processes asked for the last free point at once) is pruned
before it trains. A running trial's process writes a heartbeat; a trial whose process died goes
stale and RetryHeartbeatStaleTrialCallback queues it again, to be resumed from its last checkpoint
by whichever process is free. A trial asked to stop (Ctrl-C, SIGTERM) is queued again at once.
"""
from __future__ import annotations

import csv
import io
import json
import math
import statistics
import warnings
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .atomic import write_atomic
from .config import ConfigError
from .sweep import SEED, Sweep, TrialFailed, TrialInterrupted, TrialRunner, format_value

DB_NAME = "sweep.db"
OUTCOME = "outcome"  # a trial's user attribute: "done", "failed" or "interrupted"
LEADING_METRICS = ("modes", "hq", "reverse_kl")  # the table's first columns, where the data has modes


def sqlite_url(out: Path) -> str:
    return f"sqlite:///{(Path(out) / DB_NAME).resolve()}"


def open_storage(url: str, heartbeat_s: int):
    """Optuna's storage at `url`, with heartbeats and the retry of trials whose process died."""
    import optuna
    import sqlalchemy.exc
    from optuna.storages import RDBStorage, RetryHeartbeatStaleTrialCallback

    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)  # heartbeats are
    engine = {"connect_args": {"timeout": 60}} if url.startswith("sqlite") else {}  # several writers wait
    try:
        return RDBStorage(url, engine_kwargs=engine, heartbeat_interval=heartbeat_s,
                          heartbeat_stale_trial_callback=RetryHeartbeatStaleTrialCallback())
    except (ImportError, ValueError, sqlalchemy.exc.SQLAlchemyError) as exc:
        raise ConfigError(f"--storage {shown_url(url)}: {str(exc).strip().splitlines()[0]}") from None


def creation_lock(url: str):
    """For a SQLite file, a lock beside it held while a process creates or opens the study (Optuna's
    schema creation is not safe against a second process doing the same at the same moment). On a
    database server, start one process a few seconds before the others."""
    from contextlib import nullcontext

    from filelock import FileLock

    prefix = "sqlite:///"
    return FileLock(url[len(prefix):] + ".lock") if url.startswith(prefix) else nullcontext()


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


class SweepRun:
    """This process's share of a sweep: `jobs` worker threads that take trials until none is left to
    start and none runs anywhere. A process with nothing left to start waits for the trials others
    run (taking over any whose process dies), so that every process ends with the whole table."""

    def __init__(self, sweep: Sweep, out: str | Path, storage_url: str | None = None, study_name: str | None = None,
                 jobs: int = 1, heartbeat_s: int = 20, say: Callable[[str], None] = print):
        self.sweep, self.out, self.jobs, self.say = sweep, Path(out), jobs, say
        self.out.mkdir(parents=True, exist_ok=True)
        self.url = storage_url or sqlite_url(self.out)
        self.study_name = study_name or self.out.resolve().name
        self.poll_s = min(heartbeat_s, 5)
        self.trials = TrialRunner(sweep, self.out)
        with creation_lock(self.url):  # processes started together would each create the schema
            self.storage = open_storage(self.url, heartbeat_s)
            self.study = self._open_study()
        self._said_waiting = False

    def _sampler(self):
        from optuna.samplers import GridSampler

        return GridSampler({**self.sweep.grid, SEED: self.sweep.seeds})  # the same order in every process

    def _open_study(self):
        import optuna

        study = optuna.create_study(study_name=self.study_name, storage=self.storage, sampler=self._sampler(),
                                    direction="maximize", load_if_exists=True)
        definition = json.loads(json.dumps(self.sweep.definition()))
        stored = study.user_attrs.get("sweep")
        if stored is None:
            study.set_user_attr("sweep", definition)
        elif stored != definition:
            raise ConfigError(f"the study {self.study_name!r} in {shown_url(self.url)} holds another sweep (another "
                              f"config, --set, --seeds or --steps); give this one another --study or --out")
        return study

    # -- working -----------------------------------------------------------------------------
    def run(self, stop_requested: Callable[[], bool] = lambda: False) -> bool:
        """Work until the sweep is complete (True) or `stop_requested()` (False: the running trials
        write a checkpoint and are queued again)."""
        with ThreadPoolExecutor(self.jobs, thread_name_prefix="sweep") as pool:
            futures = [pool.submit(self._work) for _ in range(self.jobs)]
            pending = set(futures)
            while pending:
                if stop_requested() and not self.trials.stopping.is_set():
                    self.trials.stop()
                pending = wait(pending, timeout=0.2).not_done
            for future in futures:
                future.result()  # a worker's error, raised here
        return not self.trials.stopping.is_set()

    def _work(self) -> None:
        import optuna

        study = optuna.load_study(study_name=self.study_name, storage=self.storage, sampler=self._sampler())
        try:
            while not self.trials.stopping.is_set():
                optuna.storages.fail_stale_trials(study)  # a dead process's trials are queued again
                free, running = self._open_work(study)
                if free:
                    try:
                        study.optimize(self._objective, n_trials=1, catch=(TrialFailed, TrialInterrupted),
                                       callbacks=[self._queue_interrupted])
                    except optuna.exceptions.UpdateFinishedTrialError:
                        self.say("sweep: a trial of this process was taken over by another (its heartbeat was "
                                 "late); its result is the other's")
                elif running:
                    if not self._said_waiting:
                        self._said_waiting = True
                        self.say(f"sweep: nothing left to start here; waiting for {running} running trial(s)")
                    self.trials.stopping.wait(self.poll_s)
                else:
                    return
        except BaseException:
            self.trials.stop()
            raise

    def _open_work(self, study) -> tuple[bool, int]:
        """(whether a trial can start: a grid point that no trial holds, or a retry waiting; how many run)."""
        from optuna.trial import TrialState

        trials = study.get_trials(deepcopy=False)
        held = {t.system_attrs.get("grid_id") for t in trials if t.state != TrialState.PRUNED} - {None}
        waiting = any(t.state == TrialState.WAITING for t in trials)
        return waiting or len(held) < self.sweep.size, sum(t.state == TrialState.RUNNING for t in trials)

    def _objective(self, trial) -> float:
        import optuna

        setting = {path: trial.suggest_categorical(path, values) for path, values in self.sweep.grid.items()}
        seed = trial.suggest_categorical(SEED, self.sweep.seeds)
        name = self.sweep.trial_name(setting, seed)
        holder = grid_point_holder(trial)
        if holder is not None:
            raise optuna.TrialPruned(f"trial {holder} holds {name}")
        trial.set_user_attr("run", name)
        try:
            outcome = self.trials.run(setting, seed)
        except TrialInterrupted:
            trial.set_user_attr(OUTCOME, "interrupted")
            self.say(f"{name}: stopped; the next run of the sweep resumes it from its last checkpoint")
            raise
        except TrialFailed as exc:
            trial.set_user_attr(OUTCOME, "failed")
            trial.set_user_attr("error", str(exc))
            self.say(f"{name}: failed: {exc}")
            raise
        trial.set_user_attr(OUTCOME, "done")
        trial.set_user_attr("metrics", outcome.metrics)
        shown = ", ".join(f"{key} {value:.4g}" for key, value in outcome.metrics.items() if key != "step")
        self.say(f"{name}: {outcome.how}; {shown}")
        return float(outcome.metrics.get("modes", 0))

    @staticmethod
    def _queue_interrupted(study, trial) -> None:
        from optuna.storages import RetryHeartbeatStaleTrialCallback
        from optuna.trial import TrialState

        if trial.state == TrialState.FAIL and trial.user_attrs.get(OUTCOME) == "interrupted":
            RetryHeartbeatStaleTrialCallback()(study, trial)

    # -- results -------------------------------------------------------------------------------
    def results(self) -> list[ResultRow]:
        from optuna.trial import TrialState

        finished, failed = {}, set()
        for trial in self.study.get_trials(deepcopy=False):
            name = trial.user_attrs.get("run")
            if trial.state == TrialState.COMPLETE:
                finished[name] = trial.user_attrs["metrics"]
            elif trial.state == TrialState.FAIL and trial.user_attrs.get(OUTCOME) == "failed":
                failed.add(name)
        return summarize(self.sweep, finished, failed)


def grid_point_holder(trial) -> int | None:
    """The number of another trial that ran, runs or waits to run `trial`'s grid point (the lower
    number keeps a point that two running trials were given), or None."""
    from optuna.trial import TrialState

    trials = trial.study.get_trials(deepcopy=False)
    point = next(t for t in trials if t.number == trial.number).system_attrs.get("grid_id")
    for other in trials:
        if other.number != trial.number and other.system_attrs.get("grid_id") == point and (
                other.state in (TrialState.COMPLETE, TrialState.WAITING) or
                other.state == TrialState.RUNNING and other.number < trial.number):
            return other.number
    return None


# -- the table ---------------------------------------------------------------------------------
@dataclass
class ResultRow:
    setting: dict[str, str]  # field → value as written in the table
    seeds: int  # finished trials
    failed: int  # trials whose training failed (diverged, refused)
    stats: dict[str, tuple[float, float]]  # metric → (mean, standard deviation over seeds; NaN below 2)


def summarize(sweep: Sweep, finished: dict[str, dict], failed: set[str]) -> list[ResultRow]:
    """One row per setting of the grid from the trials' final metrics (`finished`: run name → metrics)."""
    metrics = metric_names(finished.values())
    rows = []
    for setting in sweep.settings:
        names = [sweep.trial_name(setting, seed) for seed in sweep.seeds]
        runs = [finished[name] for name in names if name in finished]
        stats = {}
        for metric in metrics:
            values = [float(run[metric]) for run in runs if metric in run]
            stats[metric] = (statistics.fmean(values) if values else math.nan,
                             statistics.stdev(values) if len(values) > 1 else math.nan)
        rows.append(ResultRow({path: format_value(value) for path, value in setting.items()}, len(runs),
                              sum(name in failed and name not in finished for name in names), stats))
    return rows


def metric_names(runs) -> list[str]:
    found = {key for run in runs for key in run} - {"step", "wall_s"}
    return [m for m in LEADING_METRICS if m in found] + sorted(found - set(LEADING_METRICS)) + ["wall_s"]


def results_csv(rows: list[ResultRow]) -> str:
    """Mean and standard deviation in columns of their own (`modes_mean`, `modes_std`…); empty for NaN."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    metrics = list(rows[0].stats) if rows else []
    writer.writerow([*(rows[0].setting if rows else []), "seeds", "failed",
                     *(f"{metric}_{part}" for metric in metrics for part in ("mean", "std"))])
    for row in rows:
        numbers = ("" if math.isnan(v) else repr(v) for metric in metrics for v in row.stats[metric])
        writer.writerow([*row.setting.values(), row.seeds, row.failed, *numbers])
    return buffer.getvalue()


def results_markdown(rows: list[ResultRow], steps: int) -> str:
    metrics = list(rows[0].stats) if rows else []
    header = [*(rows[0].setting if rows else []), "seeds", "failed", *metrics]
    lines = [f"Final metrics after {steps} steps: mean ± standard deviation over the seeds that finished "
             f"(wall_s: seconds of training).", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [*row.setting.values(), str(row.seeds), str(row.failed), *(mean_and_spread(*row.stats[m])
                                                                          for m in metrics)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def mean_and_spread(mean: float, std: float) -> str:
    if math.isnan(mean):
        return "–"
    return f"{mean:.4g}" if math.isnan(std) else f"{mean:.4g} ± {std:.2g}"


def write_results(out: str | Path, rows: list[ResultRow], steps: int) -> str:
    """results.csv and results.md in the sweep's folder; the Markdown text."""
    markdown = results_markdown(rows, steps)
    write_atomic(Path(out) / "results.csv", results_csv(rows))
    write_atomic(Path(out) / "results.md", markdown)
    return markdown
