"""Attach the window to a run directory that another process writes (a CLI run, a torchrun job,
an older finished run) and follow it, read-only.

`RunAttachment` polls a RunFollower on the GUI thread's timer (plain file reads, bounded per
tick) and emits what the trainer thread emits during live training: metric batches, sample
frames (each with a `hint` saying where it comes from) and evaluation samples, so a RunFeed
takes them as it takes a live run's. Checkpoints are drawn in a thread of their own (`CheckpointRenderer`):
the 2-D plane from D and G, or digits for the coverage evaluator. Nothing is ever written into
the followed folder.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from ..core.attach import RunFollower
from ..core.config import Config, ConfigError
from ..core.live_events import metric_rows
from ..core.noise import config_noise
from ..core.readers import metric_row, skipped_lines_note
from .threads import end_worker_thread, start_worker_thread

POLL_MS = 250
MAX_BYTES_PER_POLL = 2 << 20  # metrics.jsonl of an old run is read 2 MiB per tick
QUIET_S = 5.0  # no new line for this long: the status says when the last one came
EVAL_SAMPLES = 500  # generated digits per checkpoint for the coverage evaluator
DRAWN_CHECKPOINTS = 12  # at most this many checkpoints wait to be drawn; the coverage curve gets one point each


def evenly_spaced(items: list, n: int) -> list:
    """`n` items spread over the list, the first and the last always among them."""
    if len(items) <= n:
        return list(items)
    return [items[i] for i in sorted(set(np.linspace(0, len(items) - 1, n).round().astype(int)))]


def read_picture(path: Path) -> np.ndarray | None:
    """A sample PNG as the uint8 array the grid view shows (grey H×W or RGB H×W×3); None while unreadable."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            im.load()
            picture = np.asarray(im if im.mode in ("L", "RGB") else im.convert("RGB"))
    except (OSError, ValueError):  # deleted, or still being written
        return None
    return np.ascontiguousarray(picture, dtype=np.uint8)


def metric_columns(rows: list[dict]) -> dict[str, np.ndarray]:
    """Rows of metrics.jsonl as the columns the plots take (NaN where a row lacks a metric; events left out)."""
    rows = metric_rows(rows)
    names = list(dict.fromkeys(k for row in rows for k in row if k != "time"))
    return {k: np.array([row.get(k, np.nan) for row in rows], dtype=np.float64) for k in names}


class CheckpointRenderer(QObject):
    """Lives in the renderer thread: loads one checkpoint at a time and draws what its networks make."""

    rendered = Signal(object)  # {"path", "step", "thumbnail", "frame": plane frame | None,
    #                             "eval": {"step", "images"} | None}
    failed = Signal(str)

    def __init__(self):
        super().__init__()
        self._eval_noise = None

    @Slot(str)
    def render(self, path: str) -> None:
        try:
            self.rendered.emit(self._render(path))
        except Exception as exc:  # a checkpoint from another version, a file deleted meanwhile…
            self.failed.emit(self.tr("could not draw {file}: {reason}").format(file=Path(path).name, reason=exc))

    def _render(self, path: str) -> dict:
        import torch

        from ..core.checkpoints import checkpoint_config, load_checkpoint, load_generator, restore_trainer
        from ..core.checkpoint_meta import thumbnail

        config = checkpoint_config(load_checkpoint(path), path).updated({"train.device": "cpu"})
        if config.is_2d:
            from ..core.data import toy_points
            from ..core.plane import GROWTH_LIMIT, covering_probe, plane_extent

            trainer = restore_trainer(path, config)
            real, _, _ = toy_points(config.data.name, 1500, config.data.seed)  # as SamplesPanel.preview
            extent = plane_extent(real)
            frame = covering_probe(trainer, extent, GROWTH_LIMIT * extent)  # as the window's trainer draws it
            frame["kind"] = "plane"
            return {"path": path, "step": trainer.step_count, "thumbnail": thumbnail(config, frame["fake"]),
                    "frame": frame, "eval": None}
        g, config, state = load_generator(path)
        if self._eval_noise is None or self._eval_noise.shape[1] != config.generator.z_dim:
            self._eval_noise = config_noise(config, EVAL_SAMPLES, torch.Generator().manual_seed(20170101))
        with torch.no_grad():
            images = g(self._eval_noise).float().numpy()
            fixed = g(state["fixed_noise"].float()).float().numpy()
        step = int(state.get("step", 0))
        return {"path": path, "step": step, "thumbnail": thumbnail(config, fixed), "frame": None,
                "eval": {"step": step, "images": images}}

    @Slot()
    def shutdown(self) -> None:
        end_worker_thread(self)


class RunAttachment(QObject):
    """Follows one run directory; its signals carry what the trainer controller's carry.

    Call `start()` after connecting, and `stop()` before dropping it (it owns a thread).
    """

    config_known = Signal(object)  # the run's Config, once config.json is readable
    metrics = Signal(object)  # {"columns", "step", "elapsed", "steps_per_s"}, as TrainerController.metrics
    samples = Signal(object)  # {"kind": "images", "step", "grid"} or a plane frame, as TrainerController.samples
    eval_samples = Signal(object)  # {"step", "images"}, as TrainerController.eval_samples
    checkpoint = Signal(str)  # a new complete checkpoint file
    thumbnail = Signal(str, object)  # a drawn checkpoint's sample picture (uint8), kept in memory only
    status = Signal(str)  # one line: what is followed, the step shown, how fresh
    message = Signal(str)  # a problem worth a line in the status bar
    settled = Signal()  # everything on disk at this moment is read and drawn (once, after start)
    _cmd_render = Signal(str)
    _cmd_shutdown = Signal()

    def __init__(self, run_dir: str | Path, parent: QObject | None = None):
        super().__init__(parent)
        self.follower = RunFollower(run_dir)  # ConfigError when the folder does not exist
        self.root = self.follower.root
        self.config: Config | None = None
        self.step = 0
        self.elapsed = 0.0
        self.steps_per_s = 0.0
        self.sample_step: int | None = None
        self.checkpoints: list[Path] = []
        self.rendered_step: int | None = None  # step of the newest checkpoint drawn
        self.is_settled = False
        self.problem = ""  # the last problem reported with the folder's files
        self._last_row_at: float | None = None  # monotonic time the newest line arrived
        self._last_row: dict | None = None
        self._sent_events: list[dict] = []  # the run's live edits as last sent with the metrics
        self._caught_up = False  # the lines on disk at attach time are read; later ones arrive live
        self._plane_frames = False  # 2-D: once checkpoints draw the plane, sample PNGs are not shown
        self._render_busy = False
        self._render_queue: list[str] = []  # oldest first: the coverage curve is drawn in step order

        self.renderer = CheckpointRenderer()
        self.thread: QThread | None = None  # started by start()
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    @property
    def name(self) -> str:
        return self.root.name

    def start(self) -> None:
        r = self.renderer
        self.thread = start_worker_thread(r, "gan-studio-attach-renderer", (
            (self._cmd_render, r.render), (self._cmd_shutdown, r.shutdown),
            (r.rendered, self._on_rendered), (r.failed, self._on_render_failed)))
        self.timer.start()
        self.poll()

    def stop(self) -> None:
        """Stop polling and end the renderer thread (waits for a checkpoint being drawn)."""
        self.timer.stop()
        if self.running:
            self._cmd_shutdown.emit()
            self.thread.wait()

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.isRunning()

    # -- polling (GUI thread) -------------------------------------------------------
    @Slot()
    def poll(self) -> None:
        if not self.timer.isActive():
            return  # stopped (a catch-up poll queued before stop)
        try:
            config = self.config or self.follower.config()
            update = self.follower.poll(MAX_BYTES_PER_POLL) if config else None
        except (ConfigError, OSError) as exc:  # a malformed config.json, an unreadable file: polled again
            self._report(str(exc))
            self._check_settled()
            return
        if config is None:
            self.status.emit(self.status_text())
            return  # the writer has not written config.json yet
        if self.config is None:
            self.config = config
            self.config_known.emit(config)
        self.problem = ""
        live = self._caught_up
        self._caught_up = not self.follower.behind
        if update.skipped_lines:
            self.message.emit(skipped_lines_note(self.follower.metrics_path, self.follower.skipped_lines))
        if update.rows or self.follower.events != self._sent_events:
            self._take_rows(update.rows, live)
        if update.newest_sample is not None and not self._plane_frames:
            self._show_sample(update.newest_sample)
        if update.new_checkpoints:
            self.checkpoints += update.new_checkpoints
            for path in update.new_checkpoints:
                self.checkpoint.emit(str(path))
            self._render([str(p) for p in update.new_checkpoints])
        if self.follower.behind:
            QTimer.singleShot(0, self.poll)  # catching up with an old run: the next chunk at once
        elif self._last_row_at is not None and time.monotonic() - self._last_row_at > QUIET_S \
                and self.steps_per_s:
            self.steps_per_s = 0.0
            self.metrics.emit({"columns": {}, "step": self.step, "elapsed": self.elapsed, "steps_per_s": 0.0})
        self.status.emit(self.status_text())
        self._check_settled()

    def _take_rows(self, rows: list[dict], live: bool) -> None:
        """`live`: lines written since the last poll, so their times give the writer's steps/s."""
        rows = [r for r in map(metric_row, rows) if r is not None]
        if not rows and self.follower.events == self._sent_events:
            return
        self._sent_events = list(self.follower.events)  # live edits go with the metrics (core.live_events)
        if rows:
            self._take_steps(rows, live)
        self.metrics.emit({"columns": metric_columns(rows), "step": self.step, "elapsed": self.elapsed,
                           "steps_per_s": self.steps_per_s, "events": self._sent_events})

    def _take_steps(self, rows: list[dict], live: bool) -> None:
        last = rows[-1]
        previous = self._last_row if live else None
        if previous is None and len(rows) > 1 and self._written_lately():  # attached to a run in progress
            previous = rows[max(0, len(rows) - 20)]
        if previous is not None and last.get("time", 0) > previous.get("time", 0):
            rate = (last["step"] - previous["step"]) / (last["time"] - previous["time"])
            self.steps_per_s = rate if self.steps_per_s == 0 else 0.7 * self.steps_per_s + 0.3 * rate
        self._last_row, self._last_row_at = last, time.monotonic()
        self.step, self.elapsed = int(last["step"]), float(last.get("time", self.elapsed))

    def _written_lately(self) -> bool:
        try:
            return time.time() - self.follower.metrics_path.stat().st_mtime < QUIET_S
        except OSError:
            return False

    @property
    def checkpoint_every(self) -> int | None:
        """Steps between the last two checkpoints (the writer's --save-every may differ from its config's)."""
        steps = [int(p.stem.split("-", 1)[1]) for p in self.checkpoints[-2:]]
        return steps[1] - steps[0] if len(steps) == 2 else None

    def _show_sample(self, path: Path) -> None:
        grid = read_picture(path)
        if grid is None:
            return
        try:
            step = int(path.stem.split("-", 1)[1])
        except (IndexError, ValueError):
            step = self.step
        self.sample_step = step
        hint = (self.tr("The run's newest sample picture: the plane follows from its first checkpoint")
                if self.config is not None and self.config.is_2d
                else self.tr("The run's newest sample grid (from its samples/ folder)"))
        self.samples.emit({"kind": "images", "step": step, "grid": grid, "hint": hint})

    # -- checkpoints (renderer thread) ------------------------------------------------
    def _render(self, paths: list[str]) -> None:
        """Draw checkpoints one at a time, in step order; when more wait than DRAWN_CHECKPOINTS (an old
        run's many, or a writer faster than the drawing), an evenly spaced subset and the newest are kept."""
        self._render_queue = evenly_spaced(self._render_queue + paths, DRAWN_CHECKPOINTS)
        self._render_next()

    def _render_next(self) -> None:
        if self._render_busy or not self._render_queue:
            return
        self._render_busy = True
        self._cmd_render.emit(self._render_queue.pop(0))

    def _render_done(self) -> None:
        self._render_busy = False
        self._render_next()
        self._check_settled()

    @Slot(object)
    def _on_rendered(self, result: dict) -> None:
        if not self.timer.isActive():
            return
        self.rendered_step = result["step"]
        self.thumbnail.emit(result["path"], result["thumbnail"])
        if result["frame"] is not None:
            self._plane_frames = True
            every = self.checkpoint_every
            hint = (self.tr("Drawn from the run's newest checkpoint (saved every {every} steps)").format(
                every=f"{every:,}") if every else self.tr("Drawn from the run's newest checkpoint"))
            self.samples.emit({**result["frame"], "hint": hint})
        if result["eval"] is not None:
            self.eval_samples.emit(result["eval"])
        self._render_done()

    @Slot(str)
    def _on_render_failed(self, text: str) -> None:
        self.message.emit(text)
        self._render_done()

    def _check_settled(self) -> None:
        """Settled once all on disk is read and drawn, or a broken config.json stops the reading."""
        if self.is_settled or self.follower.behind or self._render_busy or not (self.config or self.problem):
            return
        self.is_settled = True
        self.settled.emit()

    # -- status ---------------------------------------------------------------------------
    def _report(self, problem: str) -> None:
        """A file that stops the reading (config.json malformed, a file unreadable): in the status line,
        and as a message when it is new; the next polls try again."""
        if problem != self.problem:
            self.problem = problem
            self.message.emit(problem)
        self.status.emit(self.status_text())

    def status_text(self) -> str:
        if self.config is None:
            return self.tr("Attached to {run} (read-only): {problem}").format(
                run=self.name, problem=self.problem or self.tr("waiting for its config.json"))
        text = self.tr("Attached to {run} (read-only, following) — step {step}").format(run=self.name,
                                                                                          step=f"{self.step:,}")
        if self.follower.skipped_lines:
            text += " — " + self.tr("{n} unreadable metrics line(s) skipped").format(
                n=f"{self.follower.skipped_lines:,}")
        if self._last_row_at is not None:
            quiet = time.monotonic() - self._last_row_at
            if quiet > QUIET_S:
                text += " — " + self.tr("no new step for {seconds} s").format(seconds=int(quiet))
        return text

