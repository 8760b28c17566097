"""The trainer's thread: a parentless worker QObject moved to a QThread, around the engine's `RunLoop`.

The window talks to the worker only through queued signals: commands in (pause, step, save,
settings, intervals, keep-last), plain Python/numpy payloads out; nothing callable crosses.
The worker runs steps in chunks of about `SLICE_S` seconds, driven by a QTimer(0) in its own
thread, so a command waits at most one chunk. `output_cadence` says when metrics (batched, at most
5 a second), samples, snapshots and evaluation batches are due.
"""
from __future__ import annotations

import collections
import time
import traceback
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..core.checkpoints import restore_state
from ..core.config import Config, ConfigError
from ..core.latent import weights_snapshot
from ..core.noise import config_noise
from ..core.checkpoint_meta import DEFAULT_KEEP_LAST
from ..core.plane import GROWTH_LIMIT, covering_probe, plane_extent, real_points
from ..core.render import image_grid
from ..core.run import RunDirectory
from ..core.run_loop import RunFailure, RunLoop
from ..core.slow_motion import SlowMotionError, slow_motion_iteration
from ..core.thread_tuner import ThreadTuner
from ..core.trainer import Trainer
from .engine_texts import engine_message
from .output_cadence import OutputCadence
from .threads import end_worker_thread

SLICE_S = 0.03  # a chunk of steps lasts about this long before the event loop runs again

class TrainerWorker(QObject):
    """Owns the trainer and its `RunLoop`; lives in the trainer thread. A thin adapter: commands
    arrive as queued signals, plain payloads leave as signals, and the run's policy (logging,
    checkpoint and sample schedules, pruning, failures) is the `RunLoop`'s."""

    ready = Signal(object)  # {"device", "step", "is_2d", "run_dir", "fixed_noise", "real", "centres", "extent"}
    metrics = Signal(object)  # {"columns": {name: array}, "step", "elapsed", "steps_per_s"}
    samples = Signal(object)  # {"kind": "images"|"plane", "step", ...}
    state = Signal(str)  # "running", "paused", "completed"
    failed = Signal(object)  # {"step", "message", "term"}
    message = Signal(str)
    saved = Signal(str)  # checkpoint path
    finished = Signal(object)  # {"step", "checkpoint", "run_wall_s", "run_steps"}
    snapshot = Signal(object)  # {"step", "weights": {name: array}}: the sampling G, for the latent explorer
    eval_samples = Signal(object)  # {"step", "images": N×C×H×W float32} for the evaluator thread
    slow_motion_frames = Signal(object)  # {"frames": [frame, ...]} (core.slow_motion), or {"frames": [], "error"}

    def __init__(self, config: Config, run_dir: Path | None, resume: dict | None = None,
                 sample_interval_s: float = 0.25, keep_last: int = DEFAULT_KEEP_LAST,
                 snapshot_interval_s: float = 0.0, tune_threads: bool = True):
        super().__init__()
        self.tune_threads = tune_threads  # False where several trainers share the process (compare panes)
        self.config = config
        self.run_dir = Path(run_dir) if run_dir else None
        self.resume_from = resume  # {"path", "state"}: a checkpoint's plain-dict state to continue from
        self.keep_last = keep_last
        self.cadence = OutputCadence(sample_interval_s, snapshot_interval_s)
        self.trainer: Trainer | None = None
        self.loop: RunLoop | None = None
        self.running = False
        self._timer: QTimer | None = None
        self._rows: list[dict] = []
        self._extent = self._extent_limit = 1.0
        self._drawn_step = -1  # step of the last sample frame sent
        self._run_wall = 0.0  # wall seconds spent running (chunks and the gaps between them), pauses excluded
        self._chunk_end: float | None = None
        self.spent = collections.Counter()  # seconds of the trainer thread per activity while running (profile)
        self._eval_noise = None
        self.final_info: dict | None = None  # set by shutdown(), readable once the thread has ended

    # -- life ----------------------------------------------------------------
    @Slot()
    def setup(self) -> None:
        """Build the trainer in this thread (data generation can take a second)."""
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._chunk)
        try:
            self.trainer = Trainer(self.config)
            if self.resume_from is not None:
                restore_state(self.trainer, self.resume_from["state"], self.resume_from["path"])
            self.resume_from = None  # the checkpoint's tensors are the trainer's now
            run = RunDirectory(self.run_dir) if self.run_dir is not None else None
            tuner = ThreadTuner() if self.tune_threads and self.trainer.device.type == "cpu" else None
            self.loop = RunLoop(self.trainer, run, keep_last=self.keep_last, thread_tuner=tuner)
            self.loop.begin()
        except Exception as exc:  # data missing, bad folder, out of memory…
            self.trainer = self.loop = None
            self.failed.emit({"step": 0, "term": type(exc).__name__,
                              "message": self.tr("could not start the run: {error}").format(error=exc)})
            self.shutdown(False)  # nothing to train: end the thread
            return
        info = {"device": str(self.trainer.device), "step": self.trainer.step_count,
                "is_2d": self.config.is_2d, "run_dir": str(self.run_dir) if self.run_dir else "",
                "fixed_noise": self.trainer.fixed_noise.cpu().numpy()}  # grid cell i shows G(fixed_noise[i])
        if self.config.is_2d:
            self._extent = plane_extent(self.trainer.data.x.float().cpu().numpy())
            self._extent_limit = GROWTH_LIMIT * self._extent
            info.update(real=real_points(self.trainer), centres=self.trainer.data.centres, extent=self._extent)
        self.ready.emit(info)
        for note in self.trainer.data.notes:  # image files that loading skipped
            self.message.emit(note)
        if self.loop.superseded:
            self.message.emit(self.tr("The run's history after step {step} was moved to {folder}")
                              .format(step=self.trainer.step_count, folder=self.loop.superseded))
        self._emit_samples()
        self._emit_snapshot()

    @Slot(bool)
    def shutdown(self, save: bool) -> None:
        """Stop stepping, save a checkpoint if asked and there is progress, end the thread."""
        if self._timer is not None:
            self._timer.stop()
        self._flush_metrics(running=False)
        path = ""
        if self.loop is not None:
            try:
                if save:
                    latest = self.loop.finish()
                    path = str(latest) if latest else ""
                else:
                    self.loop.close()  # lets another writer have the folder
            except RunFailure as exc:
                self.message.emit(engine_message(str(exc)))
        loop = self.loop
        tuner = loop.thread_tuner if loop else None
        self.final_info = {"step": self.trainer.step_count if self.trainer else 0, "checkpoint": path,
                           "run_wall_s": self._run_wall,
                           "run_steps": loop.steps_this_session if loop else 0,
                           "torch_threads": tuner.chosen if tuner else None,
                           "thread_probe": tuner.last_probe if tuner else {},
                           "thread_history": tuner.history if tuner else [],
                           "trainer_thread_s": self._profile(loop)}
        self.finished.emit(dict(self.final_info))
        self.trainer = self.loop = None  # free the models in this thread
        end_worker_thread(self)

    # -- commands ------------------------------------------------------------
    @Slot()
    def resume(self) -> None:
        if self.loop is None:
            return
        if self.loop.done:
            self._complete()
            return
        self.running = True
        self._chunk_end = None  # a pause is not training time
        self.cadence.rate_restart(self.trainer.step_count)
        self.state.emit("running")
        self._timer.start()

    @Slot()
    def pause(self) -> None:
        if self.loop is None:
            return
        self._halt()
        self._save("pause")
        self._flush_metrics(running=False)
        self._emit_samples()
        self.state.emit("paused")

    @Slot(str)
    def step_once(self, kind: str) -> None:
        """One iteration ("both"), one D update ("d") or one G update ("g"), while paused."""
        if self.loop is None:
            return
        self._halt()
        started = time.perf_counter()
        try:
            if kind == "both":
                self._rows += self.loop.advance(max_steps=1)
            else:
                (self.trainer.update_d if kind == "d" else self.trainer.update_g)()
                self.trainer.elapsed += time.perf_counter() - started
                self.message.emit(self.tr("updated {net} only (step {step})")
                                  .format(net=kind.upper(), step=self.trainer.step_count))
        except RunFailure as exc:
            self._fail(exc)
            return
        self._paused_after_step()

    @Slot()
    def slow_motion(self) -> None:
        """One iteration through the run loop, recorded as slow-motion frames (it counts as a step)."""
        if self.loop is None:
            return
        self._halt()
        loop = self.loop
        # Past train.steps the loop takes no step; the classroom still gets one (it is not in the run's log).
        step = (lambda: self._rows.extend(loop.advance(max_steps=1))) if not loop.done else \
            (lambda: self._rows.append(self.trainer.step()))
        try:
            frames = slow_motion_iteration(self.trainer, step, self._extent)
        except SlowMotionError as exc:
            self.slow_motion_frames.emit({"frames": [], "error": str(exc), "error_parts": exc.parts})
            self.state.emit("paused")
            return
        except RunFailure as exc:
            self._fail(exc)
            return
        self.slow_motion_frames.emit({"frames": frames})
        self._paused_after_step()

    def _paused_after_step(self) -> None:
        """What a step taken while paused shows: its metrics, samples and G's weights."""
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
            self.loop.apply_live(config)  # records the edit in the run (core.live_events)
            self.config = config
        except (ConfigError, RunFailure) as exc:
            self.message.emit(engine_message(str(exc)))

    @Slot(float)
    def set_sample_interval(self, seconds: float) -> None:
        self.cadence.sample_interval_s = max(0.02, float(seconds))

    @Slot(float)
    def set_snapshot_interval(self, seconds: float) -> None:
        """Send G's weights this often (0 = never); one goes at once so a paused run is shown too."""
        self.cadence.snapshot_interval_s = max(0.0, float(seconds))
        self._emit_snapshot()

    @Slot(float)
    def set_eval_interval(self, seconds: float) -> None:
        """Emit `eval_samples` this often (0 = never); the evaluator works on them in its own thread."""
        self.cadence.eval_interval_s = max(0.0, float(seconds))

    @Slot(int)
    def set_keep_last(self, k: int) -> None:
        """The library's keep-last setting, for the pruning after each checkpoint."""
        self.keep_last = max(1, int(k))
        if self.loop is not None:
            self.loop.keep_last = self.keep_last

    @Slot(str)
    def save_with_note(self, note: str) -> None:
        """Save now, with the user's note (a noted checkpoint is never pruned)."""
        if self.loop is None:
            self.message.emit(self.tr("nothing to save yet"))
            return
        self._save("manual", note, always=True)

    # -- the loop ------------------------------------------------------------
    @Slot()
    def _chunk(self) -> None:
        """About SLICE_S seconds of steps, then whatever output is due; commands run in between."""
        loop, saved_before = self.loop, self.loop.saved_step
        started = time.perf_counter()
        try:
            self._rows += loop.advance(max_seconds=SLICE_S)
        except RunFailure as exc:
            self._rows += loop.failed_rows
            self._fail(exc)
            return
        finally:
            if loop.saved_step != saved_before:
                self.saved.emit(str(loop.latest_checkpoint()))
            self._count_wall(started)
        self.spent["advance"] += self._chunk_end - started
        due = self.cadence.due(time.perf_counter(), finished=loop.done)
        for name, emit in (("metrics", lambda: self._flush_metrics(running=True)), ("samples", self._emit_samples),
                           ("snapshot", self._emit_snapshot), ("eval", self._emit_eval_samples)):
            if name in due:
                t0 = time.perf_counter()
                emit()
                self.spent[name] += time.perf_counter() - t0
        if loop.done:
            self._complete()

    def _profile(self, loop: RunLoop | None) -> dict:
        """Where the trainer thread's running time went: steps, the loop's files, each output, and the
        rest (the event loop between chunks, waiting for the GIL)."""
        if loop is None:
            return {}
        spent = dict(self.spent)
        spent["steps"] = loop.train_seconds
        spent["run files"] = spent.pop("advance", 0.0) - loop.train_seconds
        spent["between chunks"] = self._run_wall - sum(spent.values())
        return {k: round(v, 3) for k, v in spent.items()}

    def _count_wall(self, started: float) -> None:
        """The window's real training rate counts the time between chunks too (output, the GIL)."""
        now = time.perf_counter()
        self._run_wall += now - (self._chunk_end if self._chunk_end is not None else started)
        self._chunk_end = now

    def _halt(self) -> None:
        self._timer.stop()
        self.running = False
        self._chunk_end = None

    def _complete(self) -> None:
        self._halt()
        self._save("complete")
        self._flush_metrics(running=False)
        self._emit_samples(again=False)
        if self.cadence.eval_interval_s > 0:
            self._emit_eval_samples()
        self.state.emit("completed")

    def _fail(self, failure: RunFailure) -> None:
        """Pause and report; what training did up to the failing step stays in memory."""
        self._halt()
        self._flush_metrics(running=False)
        detail = engine_message(str(failure))  # the engine's English, in the window's language
        if failure.kind == "save":
            text = self.tr("{failure}. Training is paused at step {step} and nothing is lost: free some disk "
                           "space or make the folder writable, then Save or Resume.").format(failure=detail,
                                                                                            step=failure.step)
        elif failure.kind == "diverged":
            text = self.tr("training paused: {failure}").format(failure=detail)
        else:
            text = self.tr("training paused at step {step}: {failure}").format(step=failure.step, failure=detail)
        if failure.kind == "error":
            traceback.print_exception(failure.__cause__ or failure)
        self.failed.emit({"step": failure.step, "term": failure.term, "message": text})
        self.state.emit("paused")

    def _save(self, reason: str, note: str = "", always: bool = False) -> None:
        """A checkpoint now (or only if the trainer moved since the last one); a failed write pauses."""
        try:
            path = self.loop.save(reason, note) if always else self.loop.save_if_unsaved(reason)
        except RunFailure as exc:
            self._fail(exc)
            return
        if path is not None:
            self.saved.emit(str(path))

    # -- output --------------------------------------------------------------
    def _flush_metrics(self, running: bool) -> None:
        if self.trainer is None:
            return
        rows, self._rows = self._rows, []
        columns: dict[str, np.ndarray] = {}
        if rows:
            names = list(dict.fromkeys(k for row in rows for k in row))
            columns = {k: np.array([row.get(k, np.nan) for row in rows], dtype=np.float64) for k in names}
        self.metrics.emit({"columns": columns, "step": self.trainer.step_count, "elapsed": self.trainer.elapsed,
                           "steps_per_s": self.cadence.rate(self.trainer.step_count, running),
                           "events": [dict(e) for e in self.trainer.live_events]})  # a few: the plots mark them

    def _emit_samples(self, again: bool = True) -> None:
        """The sample grid or 2-D plane now; `again=False` skips it when this step was already drawn."""
        if self.trainer is None or (not again and self._drawn_step == self.trainer.step_count):
            return
        self._drawn_step = self.trainer.step_count
        started = time.perf_counter()
        try:
            if self.config.is_2d:
                frame = covering_probe(self.trainer, self._extent, self._extent_limit)
                frame["kind"], self._extent = "plane", frame["extent"]  # grown where G's points left the plane
            else:
                frame = {"kind": "images", "step": self.trainer.step_count,
                         "grid": image_grid(self.trainer.fixed_samples())}
        except Exception as exc:  # a probe failure must not end the run
            self.message.emit(self.tr("could not draw samples: {error}").format(error=exc))
            return
        self.cadence.took("samples", started)
        self.samples.emit(frame)

    def _emit_snapshot(self) -> None:
        """A numpy copy of the sampling G's weights, when the explorer wants them: it renders on its own
        copy of G in its own thread and never touches the trainer's."""
        if self.trainer is None or self.cadence.snapshot_interval_s <= 0:
            return
        self.cadence.took("snapshot", time.perf_counter())
        self.snapshot.emit({"step": self.trainer.step_count, "weights": weights_snapshot(self.trainer.sampler)})

    def _emit_eval_samples(self, n: int = 500) -> None:
        """G on a fixed evaluation noise batch of its own (the training RNG is left alone)."""
        if self.trainer is None or self.config.is_2d:
            return
        started = time.perf_counter()
        if self._eval_noise is None:
            import torch

            self._eval_noise = config_noise(self.config, n, torch.Generator().manual_seed(20170101))
        try:
            images = self.trainer.generate(self._eval_noise)
        except Exception as exc:
            self.message.emit(self.tr("could not generate evaluation samples: {error}").format(error=exc))
            return
        self.cadence.took("eval", started)
        self.eval_samples.emit({"step": self.trainer.step_count, "images": images})
