"""What happens around each `Trainer.step()`, written once for every way a run trains.

The CLI, the window's trainer thread, the compare panes and every torchrun rank drive a
`RunLoop`: it times the steps, logs metric rows, writes sample pictures and checkpoints on
their schedules, prunes old checkpoints, logs the final step and turns a diverging loss or a
failed write into a `RunFailure` that names the step. Callers decide only *when* to advance
(a chunk of steps, a deadline, pause and stop between calls) and what to show.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .checkpoints import CheckpointError
from .checkpoint_meta import prune, save_trainer_checkpoint
from .config import Config
from .live_events import config_changes, event_row, write_event
from .run import RunDirectory
from .run_folder import RunFolderError
from .thread_tuner import ThreadTuner
from .trainer import NonFiniteLossError, Trainer


@dataclass
class RunFailure(Exception):
    """Training stopped: `kind` is "diverged" (a loss turned NaN/Inf), "save" (a checkpoint or log
    could not be written) or "error" (anything else the step raised). `message` is for people."""

    kind: str
    step: int
    term: str
    message: str

    def __str__(self) -> str:
        return self.message


class RunLoop:
    """Drives one trainer towards `total_steps`, writing into `run` (None: train only, as the
    torchrun ranks other than 0 do and as the compare panes do).

    `total_steps` and `save_every` default to the trainer's config, read at every step (the
    window changes them live). `keep_last` > 0 keeps that many of the latest checkpoints (plus
    the best and the noted ones); 0 keeps all. It is a plain number the owner changes between calls.
    """

    def __init__(self, trainer: Trainer, run: RunDirectory | None, total_steps: int | None = None,
                 save_every: int | None = None, keep_last: int = 0, thread_tuner: ThreadTuner | None = None):
        self.trainer = trainer
        self.thread_tuner = thread_tuner  # measures each step and picks torch's CPU thread count
        self.run = run
        self._total_steps, self._save_every = total_steps, save_every
        self.keep_last = int(keep_last)
        self.saved_step = -1  # step of the newest checkpoint this loop wrote or started from
        self.steps_this_session = 0
        self.train_seconds = 0.0  # wall time inside step() in this session
        self.first_advance: float | None = None  # perf_counter() when this session's first advance() began
        self.last_advance = 0.0  # and when the last one ended
        self.failed_rows: list[dict] = []  # after a RunFailure: the rows of the steps that did complete
        self.superseded: Path | None = None  # where begin() moved a resumed run's later history

    # -- life -------------------------------------------------------------------
    def begin(self) -> None:
        """Become the folder's one writer, create it (keeping metric rows up to a resumed step and
        setting a later history aside) and draw step 0's samples. Raises RunFolderError."""
        if self.run is None:
            return
        step = self.trainer.step_count
        self.run.claim()
        try:
            self.superseded = self.run.start(self.trainer.config, keep_up_to_step=step)
            if step == 0:
                self.run.save_samples(self.trainer)
        except OSError as exc:
            self.run.close()
            raise RunFolderError(f"cannot write the run folder {self.run.root}: {exc.strerror or exc}") from None
        except BaseException:
            self.run.close()
            raise
        self.saved_step = step if step else -1

    @property
    def total_steps(self) -> int:
        return int(self._total_steps or self.trainer.config.train.steps)

    @property
    def save_every(self) -> int:
        return int(self._save_every or self.trainer.config.train.save_every)

    @property
    def done(self) -> bool:
        return self.trainer.step_count >= self.total_steps

    def advance(self, max_steps: int | None = None, max_seconds: float | None = None) -> list[dict]:
        """Up to `max_steps` steps, or until `max_seconds` have passed, or the total: their metric rows.

        Raises `RunFailure`; the rows of the steps before the failure are in `failed_rows`.
        """
        rows = self.failed_rows = []  # the same list: what a failure leaves behind
        if self.first_advance is None:
            self.first_advance = time.perf_counter()
        try:
            self._advance(rows, max_steps, max_seconds)
        finally:
            self.last_advance = time.perf_counter()
        return rows

    @property
    def wall_seconds(self) -> float:
        """From the start of the first advance() to the end of the last: the session's training wall time."""
        return self.last_advance - self.first_advance if self.first_advance is not None else 0.0

    def _advance(self, rows: list[dict], max_steps: int | None, max_seconds: float | None) -> None:
        trainer = self.trainer
        deadline = time.perf_counter() + max_seconds if max_seconds is not None else None
        while not self.done and (max_steps is None or len(rows) < max_steps):
            t0 = time.perf_counter()
            try:
                row = trainer.step()
            except Exception as exc:
                raise self._failure(exc) from exc
            took = time.perf_counter() - t0
            if self.thread_tuner is not None:
                self.thread_tuner.record(took)
            trainer.elapsed += took
            self.train_seconds += took
            self.steps_this_session += 1
            rows.append(row)
            self._after_step(row)
            if deadline is not None and time.perf_counter() >= deadline:
                break

    def _after_step(self, row: dict) -> None:
        if self.run is None:
            return
        step, cfg, last = row["step"], self.trainer.config.train, self.done
        if step % cfg.log_every == 0 or last:
            self._write(f"the metrics row of step {step}", self.run.log,
                        {"step": step, "time": round(self.trainer.elapsed, 4),
                         **{k: v for k, v in row.items() if k != "step"}})
        if step % cfg.sample_every == 0 or last:
            self._write(f"the sample picture of step {step}", self.run.save_samples, self.trainer)
        if step % self.save_every == 0 or last:
            self.save("final" if last else "auto")

    def finish(self) -> Path | None:
        """Save a checkpoint if the last one is older than the trainer, close the logs; the newest checkpoint."""
        if self.run is None:
            return None
        try:
            self.save_if_unsaved("stop")
        finally:
            self.run.close()
        return self.latest_checkpoint()

    def close(self) -> None:
        """Release the folder without saving: after a failure the trainer's state is not one to keep."""
        if self.run is not None:
            self.run.close()

    def run_to_end(self) -> Path | None:
        """Begin, train to the total and finish: the newest checkpoint (tests and scripts)."""
        self.begin()
        self.advance()
        return self.finish()

    def apply_live(self, config: Config) -> dict | None:
        """Give the trainer a config with changed live fields (ConfigError for others) and record the
        edit: in the trainer's history (its checkpoints) and as an event row of metrics.jsonl."""
        changes = config_changes(self.trainer.config, config)
        self.trainer.apply_live(config)
        if not changes:
            return None
        event = event_row(self.trainer.step_count, changes)
        self.trainer.live_events.append(event)
        if self.run is not None:
            self._write(f"the live edit of step {event['step']}", write_event, self.run.metrics_path, event)
        return event

    # -- checkpoints --------------------------------------------------------------
    @property
    def unsaved(self) -> bool:
        step = self.trainer.step_count
        return self.run is not None and step > 0 and step != self.saved_step

    def save(self, reason: str = "manual", note: str = "") -> Path:
        """A checkpoint with its thumbnail and metadata, then pruning to `keep_last` (raises RunFailure)."""
        if self.run is None:
            raise RunFailure("save", self.trainer.step_count, "save", "no run directory: checkpoint not saved")
        broken = self.trainer.non_finite_weights()
        if broken:  # a checkpoint on disk is always a state that was valid when written
            step = self.trainer.step_count
            good = self.last_good_checkpoint(step + 1)
            raise RunFailure("diverged", step, "weights", f"{broken}'s weights are not finite after step {step}, so "
                             f"they were not saved (try a lower learning rate, a gradient penalty or spectral "
                             f"norm). " + (f"The last good state is {good}" if good else "No checkpoint was written"))
        try:
            path = save_trainer_checkpoint(self.trainer, self.run.root, note=note, reason=reason)
        except (OSError, RuntimeError, CheckpointError) as exc:
            raise self._save_failure(exc, f"the checkpoint of step {self.trainer.step_count}") from exc
        self.saved_step = self.trainer.step_count
        if self.keep_last > 0:  # only after a save that succeeded: a failed one removes nothing
            try:
                prune(self.run.root, self.keep_last)
            except OSError:
                pass  # an old checkpoint that stays is no loss; the next save tries again
        return path

    def save_if_unsaved(self, reason: str) -> Path | None:
        return self.save(reason) if self.unsaved else None

    def latest_checkpoint(self) -> Path | None:
        saved = self.run.checkpoints() if self.run is not None else []
        return saved[-1] if saved else None

    def last_good_checkpoint(self, before_step: int) -> Path | None:
        """The newest checkpoint of a step before `before_step`: whole, and from before a failure."""
        good = [p for p in (self.run.checkpoints() if self.run is not None else [])
                if int(p.stem.removeprefix("step-")) < before_step]  # names are step-NNNNNNNN.pt
        return good[-1] if good else None

    # -- failures ---------------------------------------------------------------
    def _failure(self, exc: Exception) -> RunFailure:
        if isinstance(exc, RunFailure):
            return exc
        if isinstance(exc, NonFiniteLossError):
            return self._diverged(exc)
        step = self.trainer.step_count + 1
        return RunFailure("error", step, type(exc).__name__, f"{type(exc).__name__}: {exc}")

    def _diverged(self, exc: NonFiniteLossError) -> RunFailure:
        """The trainer may be half-way through the failing step, so its state is not saved: the last
        checkpoint written before that step is the last good state."""
        text = str(exc)  # names the term, its value and the step
        good = self.last_good_checkpoint(exc.step)
        if self.run is not None:
            text += (f". The last good state is {good}" if good else ". No checkpoint was written before it")
        return RunFailure("diverged", exc.step, exc.term, text)

    def _write(self, what: str, write, *args) -> None:
        """`write(*args)`; a failed write (a full disk, a read-only folder) is a "save" RunFailure."""
        try:
            write(*args)
        except OSError as exc:
            raise self._save_failure(exc, what) from exc

    def _save_failure(self, exc: Exception, what: str) -> RunFailure:
        """Names what could not be written, the file (else the run folder), why, and the newest checkpoint:
        every write is atomic, so a failed one leaves that checkpoint as it was."""
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0]
        where = getattr(exc, "filename", None) or self.run.root
        good = self.latest_checkpoint()
        kept = f"The last checkpoint, {good}, is intact" if good else "No checkpoint has been written yet"
        return RunFailure("save", self.trainer.step_count, "save",
                          f"Could not write {what} to {where}: {reason}. {kept}")
