"""The evaluator's thread: classifies generated digits off the GUI thread and off the trainer's.

The classifier is trained the first time a data set needs it (progress is reported) and
cached on disk by `Evaluator.for_dataset` and in memory here, so a second run starts at once.
The GUI side keeps at most one request in flight and drops samples that arrive while one
is being classified, so a slow evaluation never builds a queue.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..core.config import Config
from ..core.data import load_dataset
from ..core.evaluator import Evaluator, dataset_key
from .threads import end_worker_thread, start_worker_thread


def default_evaluator(config: Config, progress: Callable[[float], None]) -> Evaluator:
    return Evaluator.for_dataset(load_dataset(config.data), dataset_key(config), progress=progress)


_CACHE: dict[str, Evaluator] = {}  # per data set, for the life of the process


class Cancelled(Exception):
    """The window closed while the classifier was still training."""


class EvaluatorWorker(QObject):
    """Lives in the evaluator thread; slots are called through queued signals."""

    progress = Signal(float)  # share of the classifier's training done
    ready = Signal(object)  # {"real_histogram", "real_confident_share"}
    result = Signal(object)  # {"step", "seconds", **Evaluator.evaluate's report}
    failed = Signal(str)

    def __init__(self, factory: Callable[[Config, Callable[[float], None]], Evaluator] = default_evaluator):
        super().__init__()
        self.factory = factory
        self.evaluator: Evaluator | None = None
        self.cancel = threading.Event()  # set from the GUI thread: stop training the classifier

    def _progress(self, share: float) -> None:
        if self.cancel.is_set():
            raise Cancelled
        self.progress.emit(share)

    @Slot(object)
    def prepare(self, config: Config) -> None:
        key = dataset_key(config)
        try:
            if key not in _CACHE or self.factory is not default_evaluator:
                _CACHE[key] = self.factory(config, self._progress)
            self.evaluator = _CACHE[key]
        except Cancelled:
            self.evaluator = None
            return
        except Exception as exc:  # no labels, data missing…
            self.evaluator = None
            self.failed.emit(self.tr("evaluator unavailable: {error}").format(error=exc))
            return
        self.progress.emit(1.0)
        self.ready.emit({"real_histogram": list(self.evaluator.real_histogram),
                         "real_confident_share": self.evaluator.real_confident_share})

    @Slot(object)
    def evaluate(self, payload: dict) -> None:
        if self.evaluator is None:
            self.result.emit({"step": payload["step"], "skipped": True})
            return
        started = time.perf_counter()
        try:
            report = self.evaluator.evaluate(payload["images"])
        except Exception as exc:
            self.failed.emit(self.tr("evaluation failed: {error}").format(error=exc))
            self.result.emit({"step": payload["step"], "skipped": True})
            return
        self.result.emit({"step": payload["step"], "seconds": time.perf_counter() - started, **report})

    @Slot()
    def shutdown(self) -> None:
        self.evaluator = None
        end_worker_thread(self)


class EvaluationController(QObject):
    """GUI side: owns the evaluator thread, forwards samples (one at a time), relays results."""

    _cmd_prepare = Signal(object)
    _cmd_evaluate = Signal(object)
    _cmd_shutdown = Signal()

    progress = Signal(float)
    ready = Signal(object)
    result = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None,
                 factory: Callable[[Config, Callable[[float], None]], Evaluator] = default_evaluator):
        super().__init__(parent)
        self.factory = factory
        self.thread: QThread | None = None
        self.worker: EvaluatorWorker | None = None
        self.busy = False
        self.prepared = False
        self.dropped = 0  # samples skipped because an evaluation was in flight

    def _ensure_thread(self) -> None:
        if self.thread is not None:
            return
        worker = EvaluatorWorker(self.factory)
        self.worker = worker
        self.thread = start_worker_thread(worker, "gan-studio-evaluator", (
            (self._cmd_prepare, worker.prepare), (self._cmd_evaluate, worker.evaluate),
            (self._cmd_shutdown, worker.shutdown), (worker.progress, self._on_progress),
            (worker.ready, self._on_ready), (worker.result, self._on_result), (worker.failed, self._on_failed)))

    def prepare(self, config: Config) -> None:
        """Load or train the classifier for this data set (in the evaluator thread)."""
        self._ensure_thread()
        self.prepared = False
        self.busy = True  # samples wait until the classifier is ready
        self._cmd_prepare.emit(config)

    def submit(self, payload: dict) -> bool:
        """Classify these samples unless an evaluation is in flight; True when sent."""
        if self.thread is None or self.busy:
            self.dropped += 1
            return False
        self.busy = True
        self._cmd_evaluate.emit(payload)
        return True

    def stop(self) -> None:
        if self.thread is None:
            return
        self.worker.cancel.set()  # a classifier still training stops at its next progress report
        self._cmd_shutdown.emit()
        self.thread.wait()
        self.thread, self.worker = None, None
        self.busy = False

    @Slot(float)
    def _on_progress(self, share: float) -> None:
        self.progress.emit(share)

    @Slot(object)
    def _on_ready(self, info: dict) -> None:
        self.busy = False
        self.prepared = True
        self.ready.emit(info)

    @Slot(object)
    def _on_result(self, report: dict) -> None:
        self.busy = False
        if not report.get("skipped"):
            self.result.emit(report)

    @Slot(str)
    def _on_failed(self, text: str) -> None:
        self.busy = False
        self.failed.emit(text)
