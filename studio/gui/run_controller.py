"""The GUI side of a run's trainer thread: start it, send it commands, relay what it says.

`TrainerController` lives in the GUI thread; the `TrainerWorker` it starts lives in the trainer
thread. Windows and panes talk to the controller only.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..core.checkpoint_meta import DEFAULT_KEEP_LAST
from ..core.config import Config
from ..core.trainer import Trainer
from .threads import start_worker_thread
from .worker import TrainerWorker

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



class TrainerController(QObject):
    """The GUI side of one run's thread: starts it, sends commands, relays the worker's signals.

    Lives in the GUI thread; its slots receive the worker's queued signals and re-emit them.
    Its state ("idle", "starting", "running", "paused", "completed", "stopping") and `pausing`
    are what windows read; they never touch the worker.
    """

    # commands to the worker (queued: the worker lives in the trainer thread)
    _cmd_resume = Signal()
    _cmd_pause = Signal()
    _cmd_step = Signal(str)
    _cmd_apply = Signal(object)
    _cmd_save_note = Signal(str)
    _cmd_shutdown = Signal(bool)
    _cmd_sample_interval = Signal(float)
    _cmd_snapshot_interval = Signal(float)
    _cmd_eval_interval = Signal(float)
    _cmd_keep_last = Signal(int)
    _cmd_slow_motion = Signal()

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
    slow_motion_frames = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.thread: QThread | None = None
        self.worker: TrainerWorker | None = None
        self.state = "idle"  # idle, starting, running, paused, completed, stopping
        self.pausing = False  # a pause (or step) was asked for and the worker has not yet answered it
        self.last_finished: dict | None = None
        self.snapshot_interval_s = 0.0  # what the latent explorer wants; given to each new worker
        self.keep_last = DEFAULT_KEEP_LAST  # the library's setting; given to each new worker

    @property
    def active(self) -> bool:
        return self.thread is not None

    @property
    def trainer(self) -> Trainer | None:
        """The worker's trainer, for tests to read while the run is paused (never from a window)."""
        return self.worker.trainer if self.worker is not None else None

    def start(self, config: Config, run_dir: Path | None, resume: dict | None = None,
              paused: bool = False, sample_interval_s: float = 0.25, tune_threads: bool = True) -> None:
        """Train `config` into `run_dir` (None: nowhere), from scratch or from `resume` = {"path", "state"}.

        `tune_threads`: the trainer measures which CPU thread count trains fastest (core.thread_tuner);
        off where several trainers share the process and its thread count."""
        if self.active:
            raise RuntimeError("a run is already active")
        self.pausing = paused
        worker = TrainerWorker(config, run_dir, resume, sample_interval_s, self.keep_last, self.snapshot_interval_s,
                               tune_threads)
        commands = ((self._cmd_resume, worker.resume), (self._cmd_pause, worker.pause),
                    (self._cmd_step, worker.step_once), (self._cmd_apply, worker.apply_config),
                    (self._cmd_shutdown, worker.shutdown), (self._cmd_save_note, worker.save_with_note),
                    (self._cmd_sample_interval, worker.set_sample_interval),
                    (self._cmd_snapshot_interval, worker.set_snapshot_interval),
                    (self._cmd_eval_interval, worker.set_eval_interval), (self._cmd_keep_last, worker.set_keep_last),
                    (self._cmd_slow_motion, worker.slow_motion))
        relays = ((worker.eval_samples, self._on_eval_samples), (worker.ready, self._on_ready),
                  (worker.snapshot, self._on_snapshot), (worker.metrics, self._on_metrics),
                  (worker.samples, self._on_samples), (worker.state, self._on_state),
                  (worker.failed, self._on_failed), (worker.message, self._on_message),
                  (worker.saved, self._on_saved), (worker.finished, self._on_finished),
                  (worker.slow_motion_frames, self._on_slow_motion_frames))
        self.worker, self.state = worker, "starting"
        self.thread = start_worker_thread(worker, "gan-studio-trainer", commands + relays,
                                          on_started=worker.setup, on_finished=self._on_thread_finished,
                                          one_cpu_thread=not tune_threads)
        _ACTIVE.append(self)
        if not paused:
            self._cmd_resume.emit()

    # -- commands ------------------------------------------------------------
    def pause(self) -> None:
        if self.active and self.state in ("running", "starting") and not self.pausing:
            self.pausing = True
            self._cmd_pause.emit()

    def resume(self) -> None:
        if self.active and self.state in ("paused", "starting", "running") and \
                (self.pausing or self.state == "paused"):
            self.pausing = False
            self._cmd_resume.emit()

    def step(self, kind: str = "both") -> None:
        if self.active:
            self.pausing = True
            self._cmd_step.emit(kind)

    def slow_motion(self) -> None:
        """One iteration recorded sub-step by sub-step; the frames come back as `slow_motion_frames`."""
        if self.active:
            self.pausing = True
            self._cmd_slow_motion.emit()

    def apply_config(self, config: Config) -> None:
        if self.active:
            self._cmd_apply.emit(config)

    def save(self) -> None:
        self.save_with_note("")

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

    def set_keep_last(self, k: int) -> None:
        """Checkpoints to keep after each save (the library's setting); kept for runs started later."""
        self.keep_last = int(k)
        if self.active:
            self._cmd_keep_last.emit(int(k))

    def stop(self, save: bool = True, wait: bool = False) -> None:
        """End the run: the worker saves (if asked) and quits its thread. `wait` blocks until it has."""
        if not self.active:
            return
        thread = self.thread
        if self.state != "stopping":
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

    @Slot(object)
    def _on_slow_motion_frames(self, frames: list) -> None:
        self.slow_motion_frames.emit(frames)

    @Slot(str)
    def _on_state(self, state: str) -> None:
        if self.state == "stopping" or not self.active:
            return
        if state == "running" and self.pausing:
            return  # a pause is already on its way
        if state in ("paused", "completed"):
            self.pausing = False
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
