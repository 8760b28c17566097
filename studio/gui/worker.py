"""The trainer's thread: a parentless worker QObject moved to a QThread.

The window talks to the worker only through queued signals (commands in, plain
Python/numpy payloads out). Two `threading.Event` flags, pause and stop, are also
read by the worker between steps so that Pause takes effect before the next step
even while a chunk of steps is running.

The worker runs steps in chunks of about `SLICE_S` seconds, driven by a QTimer(0)
in its own thread, so that its event loop stays responsive to commands. Metrics are
batched (at most `METRICS_HZ` signals a second) and samples are computed at the
sample rate the window asks for.
"""
from __future__ import annotations

import threading
import time
import traceback
from pathlib import Path
from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from ..core.checkpoints import CheckpointError
from ..core.config import Config, ConfigError
from ..core.latent import weights_snapshot
from ..core.library import DEFAULT_KEEP_LAST, prune, save_trainer_checkpoint
from ..core.plane import plane_extent, plane_probe, real_points
from ..core.render import image_grid
from ..core.run import RunDirectory
from ..core.trainer import NonFiniteLossError, Trainer
from .threads import end_worker_thread, start_worker_thread

SLICE_S = 0.03  # a chunk of steps lasts about this long before the event loop runs again
METRICS_HZ = 10.0  # metric batches per second, at most (each one is a plot redraw)
SAMPLE_BUDGET = 0.05  # samples may take at most this share of the training time (digits: ~1/s)

# The controller of every trainer thread started and not yet ended (tests check none survives).
_ACTIVE: list["TrainerController"] = []


def running_threads() -> list[QThread]:
    """The trainer threads that are still running."""
    return [c.thread for c in list(_ACTIVE) if c.thread is not None and _alive(c.thread)]


def stop_all_threads() -> int:
    """End every running trainer thread (without saving) and wait; returns how many there were."""
    controllers = [c for c in list(_ACTIVE) if c.thread is not None and _alive(c.thread)]
    for controller in controllers:
        controller.stop(save=False, wait=True)
    _ACTIVE.clear()
    return len(controllers)


def _alive(thread: QThread) -> bool:
    try:
        return thread.isRunning()
    except RuntimeError:  # the C++ object is gone
        return False


class RunFlags:
    """Thread-safe flags the GUI sets and the worker reads between steps."""

    def __init__(self):
        self.pause = threading.Event()
        self.stop = threading.Event()


class TrainerWorker(QObject):
    """Owns the Trainer; lives in the trainer thread. Slots are called through queued signals."""

    ready = Signal(object)  # {"device", "step", "is_2d", "run_dir", "real", "centres", "extent"}
    metrics = Signal(object)  # {"columns": {name: array}, "step", "elapsed", "steps_per_s"}
    samples = Signal(object)  # {"kind": "images"|"plane", "step", ...}
    state = Signal(str)  # "running", "paused", "completed"
    failed = Signal(object)  # {"step", "message", "term"}
    message = Signal(str)
    saved = Signal(str)  # checkpoint path
    finished = Signal(object)  # {"step", "checkpoint", "run_wall_s", "run_steps"}
    snapshot = Signal(object)  # {"step", "weights": {name: array}}: the sampling G, for the latent explorer
    eval_samples = Signal(object)  # {"step", "images": N×C×H×W float32} for the evaluator thread

    def __init__(self, config: Config, run_dir: Path | None,
                 factory: Callable[[Config], Trainer] = Trainer, flags: RunFlags | None = None,
                 sample_interval_s: float = 0.25):
        super().__init__()
        self.config = config
        self.run_dir = Path(run_dir) if run_dir else None
        self.factory = factory
        self.flags = flags or RunFlags()
        self.sample_interval_s = sample_interval_s
        self.trainer: Trainer | None = None
        self.run: RunDirectory | None = None
        self._timer: QTimer | None = None
        self._rows: list[dict] = []
        self._last_metrics_t = 0.0
        self._last_samples_t = 0.0
        self._rate_t = 0.0
        self._rate_step = 0
        self._steps_per_s = 0.0
        self._extent = 1.0
        self._sample_cost = 0.0  # seconds the last samples took to compute
        self._t_first: float | None = None  # start of the first chunk of steps (for benchmarks)
        self._t_last = 0.0  # end of the last chunk
        self._run_steps = 0
        self.final_info: dict | None = None  # set by shutdown(), readable once the thread has ended
        self.snapshot_interval_s = 0.0  # 0 = no G snapshots (the latent explorer is hidden or frozen)
        self._last_snapshot_t = 0.0
        self.keep_last: Callable[[], int] = lambda: DEFAULT_KEEP_LAST  # read at each save (library setting)
        self._saved_step = -1  # step of the last checkpoint written
        self.eval_interval_s = 0.0  # 0 = no evaluation samples
        self._last_eval_t = 0.0
        self._eval_cost = 0.0
        self._eval_noise = None

    # -- life ----------------------------------------------------------------
    @Slot()
    def setup(self) -> None:
        """Build the trainer in this thread (data generation can take a second)."""
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._chunk)
        try:
            self.trainer = self.factory(self.config)
            if self.run_dir is not None:
                self.run = RunDirectory(self.run_dir)
                self.run.start(self.config, keep_up_to_step=self.trainer.step_count)
                self._saved_step = self.trainer.step_count if self.trainer.step_count else -1
        except Exception as exc:  # data missing, bad folder, out of memory…
            self.trainer = None
            self.failed.emit({"step": 0, "term": type(exc).__name__,
                              "message": f"could not start the run: {exc}"})
            self.shutdown(False)  # nothing to train: end the thread
            return
        info = {"device": str(self.trainer.device), "step": self.trainer.step_count,
                "is_2d": self.config.is_2d, "run_dir": str(self.run_dir) if self.run_dir else ""}
        info["fixed_noise"] = self.trainer.fixed_noise.cpu().numpy()  # grid cell i shows G(fixed_noise[i])
        if self.config.is_2d:
            real = real_points(self.trainer)
            self._extent = plane_extent(self.trainer.data.x.float().cpu().numpy())
            info.update(real=real, centres=self.trainer.data.centres, extent=self._extent)
        self.ready.emit(info)
        self._emit_samples()
        self._emit_snapshot()

    @Slot(bool)
    def shutdown(self, save: bool) -> None:
        """Stop stepping, save a checkpoint if asked and there is progress, end the thread."""
        if self._timer is not None:
            self._timer.stop()
        self._flush_metrics(running=False)
        path = ""
        if save and self.trainer is not None and self.trainer.step_count > 0:
            path = self._save("stop") if self._unsaved() else self._latest_saved()
        self.final_info = {"step": self.trainer.step_count if self.trainer else 0, "checkpoint": path,
                           "run_wall_s": self._t_last - (self._t_first or self._t_last),
                           "run_steps": self._run_steps}
        self.finished.emit(dict(self.final_info))
        self.trainer = None  # free the models in this thread
        end_worker_thread(self)

    # -- commands ------------------------------------------------------------
    @Slot()
    def resume(self) -> None:
        if self.trainer is None or self.flags.pause.is_set() or self.flags.stop.is_set():
            return
        if self._reached_total():
            self._complete()
            return
        self._rate_t, self._rate_step = time.perf_counter(), self.trainer.step_count
        self.state.emit("running")
        self._timer.start()

    @Slot()
    def pause(self) -> None:
        if self.trainer is None:
            return
        self._timer.stop()
        if self._unsaved():
            self._save("pause")
        self._flush_metrics(running=False)
        self._emit_samples()
        self.state.emit("paused")

    @Slot(str)
    def step_once(self, kind: str) -> None:
        """One iteration ("both"), one D update ("d") or one G update ("g"), while paused."""
        if self.trainer is None:
            return
        self._timer.stop()
        started = time.perf_counter()
        try:
            if kind == "d":
                self.trainer.update_d()
                self.message.emit(f"updated D only (step {self.trainer.step_count})")
            elif kind == "g":
                self.trainer.update_g()
                self.message.emit(f"updated G only (step {self.trainer.step_count})")
            else:
                self._rows.append(self.trainer.step())
                self._log_row(self._rows[-1])
        except Exception as exc:
            self._fail(exc)
            return
        finally:
            self.trainer.elapsed += time.perf_counter() - started
        self._flush_metrics(running=False)
        self._emit_samples()
        self._emit_snapshot()
        self.state.emit("paused")

    @Slot(object)
    def apply_config(self, config: Config) -> None:
        """Live fields apply at the next step; a structural change is refused with a message."""
        if self.trainer is None:
            self.config = config
            return
        try:
            self.trainer.apply_live(config)
            self.config = config
        except ConfigError as exc:
            self.message.emit(str(exc))

    @Slot(float)
    def set_sample_interval(self, seconds: float) -> None:
        self.sample_interval_s = max(0.02, float(seconds))

    @Slot(float)
    def set_snapshot_interval(self, seconds: float) -> None:
        """Send G's weights this often (0 = never); one goes at once so a paused run is shown too."""
        self.snapshot_interval_s = max(0.0, float(seconds))
        self._emit_snapshot()

    @Slot(float)
    def set_eval_interval(self, seconds: float) -> None:
        """Emit `eval_samples` this often (0 = never); the evaluator works on them in its own thread."""
        self.eval_interval_s = max(0.0, float(seconds))

    @Slot()
    def save(self) -> None:
        if self.trainer is None:
            self.message.emit("nothing to save yet")
            return
        self._save()

    @Slot(str)
    def save_with_note(self, note: str) -> None:
        """"Save now" with the user's note (a noted checkpoint is never pruned)."""
        if self.trainer is None:
            self.message.emit("nothing to save yet")
            return
        self._save("manual", note)

    # -- the loop ------------------------------------------------------------
    @Slot()
    def _chunk(self) -> None:
        trainer, flags = self.trainer, self.flags
        started = time.perf_counter()
        if self._t_first is None:
            self._t_first = started
        deadline = started + SLICE_S
        steps = 0
        while not flags.pause.is_set() and not flags.stop.is_set():
            if self._reached_total():
                break
            t0 = time.perf_counter()
            try:
                row = trainer.step()
            except Exception as exc:
                self._run_steps += steps
                self._fail(exc)
                return
            now = time.perf_counter()
            trainer.elapsed += now - t0
            steps += 1
            self._rows.append(row)
            self._log_row(row)
            if self._autosave_due() and not self._save("auto"):
                self._run_steps += steps
                return
            if now >= deadline:
                break
        self._run_steps += steps
        now = time.perf_counter()
        if now - self._last_metrics_t >= 1.0 / METRICS_HZ:
            self._flush_metrics(running=True)
        if now - self._last_samples_t >= max(self.sample_interval_s, self._sample_cost / SAMPLE_BUDGET):
            self._emit_samples()
        if self.snapshot_interval_s > 0 and (now - self._last_snapshot_t >= self.snapshot_interval_s or
                                             self._reached_total()):
            self._emit_snapshot()
        if self.eval_interval_s > 0 and \
                now - self._last_eval_t >= max(self.eval_interval_s, self._eval_cost / SAMPLE_BUDGET):
            self._emit_eval_samples()
        if self._reached_total():
            self._complete()
        self._t_last = time.perf_counter()

    def _reached_total(self) -> bool:
        return self.trainer.step_count >= self.config.train.steps

    def _complete(self) -> None:
        self._timer.stop()
        self.flags.pause.set()
        if self._unsaved():
            self._save("complete")
        self._flush_metrics(running=False)
        self._emit_samples()
        if self.eval_interval_s > 0:
            self._emit_eval_samples()
        self.state.emit("completed")

    def _fail(self, exc: Exception) -> None:
        """Pause and report; the trainer keeps the state it had before the failing update."""
        self._timer.stop()
        self.flags.pause.set()
        self._flush_metrics(running=False)
        step = self.trainer.step_count
        if isinstance(exc, NonFiniteLossError):
            step, term = exc.step, exc.term
            text = f"training paused at step {step}: {exc}"
        else:
            term = type(exc).__name__
            text = f"training paused at step {step}: {type(exc).__name__}: {exc}"
            traceback.print_exception(exc)
        self.failed.emit({"step": step, "term": term, "message": text})
        self.state.emit("paused")

    # -- output --------------------------------------------------------------
    def _log_row(self, row: dict) -> None:
        if self.run is not None and row["step"] % self.config.train.log_every == 0:
            self.run.log({"step": row["step"], "time": round(self.trainer.elapsed, 4),
                          **{k: v for k, v in row.items() if k != "step"}})

    def _flush_metrics(self, running: bool) -> None:
        if self.trainer is None:
            return
        now = time.perf_counter()
        self._last_metrics_t = now
        if running and now > self._rate_t:
            rate = (self.trainer.step_count - self._rate_step) / (now - self._rate_t)
            self._steps_per_s = rate if self._steps_per_s == 0 else 0.7 * self._steps_per_s + 0.3 * rate
        elif not running:
            self._steps_per_s = 0.0
        self._rate_t, self._rate_step = now, self.trainer.step_count
        rows, self._rows = self._rows, []
        columns: dict[str, np.ndarray] = {}
        if rows:
            names = list(dict.fromkeys(k for row in rows for k in row))
            columns = {k: np.array([row.get(k, np.nan) for row in rows], dtype=np.float64) for k in names}
        self.metrics.emit({"columns": columns, "step": self.trainer.step_count,
                           "elapsed": self.trainer.elapsed, "steps_per_s": self._steps_per_s})

    def _emit_samples(self) -> None:
        if self.trainer is None:
            return
        started = self._last_samples_t = time.perf_counter()
        try:
            if self.config.is_2d:
                frame = plane_probe(self.trainer, self._extent)
                frame["kind"] = "plane"
            else:
                frame = {"kind": "images", "step": self.trainer.step_count,
                         "grid": image_grid(self.trainer.fixed_samples())}
        except Exception as exc:  # a probe failure must not end the run
            self.message.emit(f"could not draw samples: {exc}")
            return
        self._sample_cost = time.perf_counter() - started
        self.samples.emit(frame)

    def _emit_snapshot(self) -> None:
        """A numpy copy of the sampling G's weights, when the explorer wants them: it renders on its own
        copy of G in its own thread and never touches the trainer's."""
        if self.trainer is None or self.snapshot_interval_s <= 0:
            return
        self._last_snapshot_t = time.perf_counter()
        self.snapshot.emit({"step": self.trainer.step_count, "weights": weights_snapshot(self.trainer.sampler)})

    def _emit_eval_samples(self, n: int = 500) -> None:
        """G on a fixed evaluation noise batch of its own (the training RNG is left alone)."""
        if self.trainer is None or self.config.is_2d:
            return
        started = self._last_eval_t = time.perf_counter()
        if self._eval_noise is None:
            import torch

            self._eval_noise = torch.randn(n, self.config.generator.z_dim,
                                           generator=torch.Generator().manual_seed(20170101))
        try:
            images = self.trainer.generate(self._eval_noise)
        except Exception as exc:
            self.message.emit(f"could not generate evaluation samples: {exc}")
            return
        self._eval_cost = time.perf_counter() - started
        self.eval_samples.emit({"step": self.trainer.step_count, "images": images})

    def _save(self, reason: str = "manual", note: str = "") -> str:
        """Checkpoint with thumbnail and metrics into the run, then prune to keep-last K plus the best.

        A failed write (disk full, read-only folder) pauses training with a message: the
        trainer keeps its state in memory, so nothing is lost and a later save can succeed.
        """
        if self.run is None:
            self.message.emit("no run directory: checkpoint not saved")
            return ""
        try:
            path = str(save_trainer_checkpoint(self.trainer, self.run.root, note=note, reason=reason))
        except (OSError, RuntimeError, CheckpointError) as exc:
            self._save_failed(exc)
            return ""
        self._saved_step = self.trainer.step_count
        try:
            prune(self.run.root, max(1, int(self.keep_last())))
        except OSError as exc:
            self.message.emit(f"could not delete old checkpoints: {exc}")
        self.saved.emit(path)
        return path

    def _save_failed(self, exc: Exception) -> None:
        self._timer.stop()
        self.flags.pause.set()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0]
        self.failed.emit({"step": self.trainer.step_count, "term": "save", "message":
                          f"Could not save a checkpoint in {self.run.checkpoints_dir}: {reason}. "
                          f"Training is paused at step {self.trainer.step_count} and nothing is lost: "
                          f"free some disk space or make the folder writable, then Save or Resume."})
        self.state.emit("paused")

    def _unsaved(self) -> bool:
        return self.run is not None and self.trainer is not None and \
            self.trainer.step_count > 0 and self.trainer.step_count != self._saved_step

    def _autosave_due(self) -> bool:
        return self.run is not None and self.trainer.step_count % self.config.train.save_every == 0 and \
            self._unsaved()

    def _latest_saved(self) -> str:
        saved = self.run.checkpoints() if self.run is not None else []
        return str(saved[-1]) if saved else ""


class TrainerController(QObject):
    """The GUI side of one run: starts the thread, sends commands, relays the worker's signals.

    Lives in the GUI thread; its slots receive the worker's queued signals and re-emit
    them to the window.
    """

    # commands to the worker (queued: the worker lives in the trainer thread)
    _cmd_resume = Signal()
    _cmd_pause = Signal()
    _cmd_step = Signal(str)
    _cmd_apply = Signal(object)
    _cmd_save = Signal()
    _cmd_save_note = Signal(str)
    _cmd_shutdown = Signal(bool)
    _cmd_sample_interval = Signal(float)
    _cmd_snapshot_interval = Signal(float)
    _cmd_eval_interval = Signal(float)

    # relayed to the window (GUI thread)
    ready = Signal(object)
    metrics = Signal(object)
    samples = Signal(object)
    state_changed = Signal(str)
    failed = Signal(object)
    message = Signal(str)
    saved = Signal(str)
    finished = Signal(object)
    ended = Signal()  # the thread has ended
    snapshot = Signal(object)
    eval_samples = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.thread: QThread | None = None
        self.worker: TrainerWorker | None = None
        self.flags = RunFlags()
        self.state = "idle"  # idle, starting, running, paused, completed, stopping
        self.last_finished: dict | None = None
        self.snapshot_interval_s = 0.0  # what the latent explorer wants; given to each new worker
        self.keep_last: Callable[[], int] = lambda: DEFAULT_KEEP_LAST  # the library's setting, read at each save

    @property
    def active(self) -> bool:
        return self.thread is not None

    def start(self, config: Config, run_dir: Path | None, factory: Callable[[Config], Trainer] = Trainer,
              paused: bool = False, sample_interval_s: float = 0.25) -> None:
        if self.active:
            raise RuntimeError("a run is already active")
        self.flags = RunFlags()
        if paused:
            self.flags.pause.set()
        worker = TrainerWorker(config, run_dir, factory, self.flags, sample_interval_s)
        worker.keep_last = self.keep_last
        worker.snapshot_interval_s = self.snapshot_interval_s
        commands = ((self._cmd_resume, worker.resume), (self._cmd_pause, worker.pause),
                    (self._cmd_step, worker.step_once), (self._cmd_apply, worker.apply_config),
                    (self._cmd_save, worker.save), (self._cmd_shutdown, worker.shutdown),
                    (self._cmd_save_note, worker.save_with_note),
                    (self._cmd_sample_interval, worker.set_sample_interval),
                    (self._cmd_snapshot_interval, worker.set_snapshot_interval),
                    (self._cmd_eval_interval, worker.set_eval_interval))
        relays = ((worker.eval_samples, self._on_eval_samples), (worker.ready, self._on_ready),
                  (worker.snapshot, self._on_snapshot), (worker.metrics, self._on_metrics),
                  (worker.samples, self._on_samples), (worker.state, self._on_state),
                  (worker.failed, self._on_failed), (worker.message, self._on_message),
                  (worker.saved, self._on_saved), (worker.finished, self._on_finished))
        self.worker, self.state = worker, "starting"
        self.thread = start_worker_thread(worker, "gan-studio-trainer", commands + relays,
                                          on_started=worker.setup, on_finished=self._on_thread_finished)
        _ACTIVE.append(self)
        if not paused:
            self._cmd_resume.emit()

    # -- commands ------------------------------------------------------------
    def pause(self) -> None:
        if self.active and self.state in ("running", "starting"):
            self.flags.pause.set()  # read between steps: no further step starts
            self._cmd_pause.emit()

    def resume(self) -> None:
        if self.active and self.state in ("paused", "starting"):
            self.flags.pause.clear()
            self._cmd_resume.emit()

    def step(self, kind: str = "both") -> None:
        if self.active:
            self.flags.pause.set()
            self._cmd_step.emit(kind)

    def apply_config(self, config: Config) -> None:
        if self.active:
            self._cmd_apply.emit(config)

    def save(self) -> None:
        if self.active:
            self._cmd_save.emit()

    def save_with_note(self, note: str) -> None:
        if self.active:
            self._cmd_save_note.emit(note)

    def set_sample_interval(self, seconds: float) -> None:
        if self.active:
            self._cmd_sample_interval.emit(seconds)

    def set_snapshot_interval(self, seconds: float) -> None:
        """How often the worker sends G's weights (0 = never); kept for runs started later."""
        self.snapshot_interval_s = seconds
        if self.active:
            self._cmd_snapshot_interval.emit(seconds)

    def set_eval_interval(self, seconds: float) -> None:
        if self.active:
            self._cmd_eval_interval.emit(seconds)

    def stop(self, save: bool = True, wait: bool = False) -> None:
        """End the run: the worker saves (if asked) and quits its thread. `wait` blocks until it has."""
        if not self.active:
            return
        thread = self.thread
        if self.state != "stopping":
            self.flags.stop.set()
            self.state = "stopping"
            self._cmd_shutdown.emit(save)
        if wait:
            thread.wait()
            if self.worker is not None and self.worker.final_info is not None:
                self.last_finished = dict(self.worker.final_info)
            self._cleanup()

    # -- relays (GUI thread) -------------------------------------------------
    @Slot(object)
    def _on_ready(self, info: dict) -> None:
        self.ready.emit(info)

    @Slot(object)
    def _on_metrics(self, batch: dict) -> None:
        self.metrics.emit(batch)

    @Slot(object)
    def _on_samples(self, frame: dict) -> None:
        self.samples.emit(frame)

    @Slot(object)
    def _on_snapshot(self, payload: dict) -> None:
        self.snapshot.emit(payload)

    @Slot(object)
    def _on_eval_samples(self, payload: dict) -> None:
        self.eval_samples.emit(payload)

    @Slot(str)
    def _on_state(self, state: str) -> None:
        if self.state == "stopping" or not self.active:
            return
        if state == "running" and self.flags.pause.is_set():
            return  # a pause is already on its way
        self.state = state
        self.state_changed.emit(state)

    @Slot(object)
    def _on_failed(self, info: dict) -> None:
        self.failed.emit(info)

    @Slot(str)
    def _on_message(self, text: str) -> None:
        self.message.emit(text)

    @Slot(str)
    def _on_saved(self, path: str) -> None:
        self.saved.emit(path)

    @Slot(object)
    def _on_finished(self, info: dict) -> None:
        self.last_finished = info
        self.finished.emit(info)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self.thread is not None and self.thread.isFinished():
            self.thread.wait()
            self._cleanup()

    def _cleanup(self) -> None:
        if self.thread is None:
            return
        thread = self.thread
        self.thread, self.worker = None, None
        if self in _ACTIVE:
            _ACTIVE.remove(self)
        self.state = "idle"
        self.state_changed.emit("idle")
        self.ended.emit()
