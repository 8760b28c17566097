"""The worker-object pattern, written once: a parentless QObject moved to a named QThread.

Cross-thread signals must reach @Slot methods of objects living in the receiving thread
(PySide6 runs a lambda or plain method in the sender's thread even when queued).
"""
from __future__ import annotations

from typing import Callable, Iterable

from PySide6.QtCore import QCoreApplication, QObject, QThread

_gui_thread_gc = None  # pyqtgraph's GarbageCollector, once a worker thread has started


def collect_garbage_in_gui_thread() -> None:
    """Python's cyclic collection runs in whichever thread allocates past its threshold. In a worker thread,
    garbage holding Qt objects (a closed window, a compare view) would be destroyed there, against the GUI
    thread: seen as a hang, the GUI thread in ~QObject waiting for a mutex the trainer thread held while it
    waited for the GIL. pyqtgraph's GarbageCollector turns automatic collection off and collects from a
    timer in the GUI thread instead. Idempotent; call it in the GUI thread."""
    global _gui_thread_gc
    if _gui_thread_gc is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector

        _gui_thread_gc = GarbageCollector(interval=0.5)


def _one_cpu_thread() -> None:
    """Run in a helper thread as it starts (a plain function connected to `started` runs in the thread
    that emits it): torch's CPU thread count is per thread, and a helper (the evaluator, the explorer's
    renderer) keeping the machine's count would run an OpenMP team beside the trainer's and slow it."""
    import torch

    torch.set_num_threads(1)


def start_worker_thread(worker: QObject, name: str, wiring: Iterable[tuple[object, Callable]] = (),
                        on_started: Callable | None = None, on_finished: Callable | None = None,
                        one_cpu_thread: bool = True) -> QThread:
    """Move `worker` into a new thread called `name`, connect each (signal, slot) pair, start it.

    Its torch ops use one CPU thread unless `one_cpu_thread` is False (the trainer chooses its own count).
    The caller keeps the returned thread as an attribute: a QThread held only by a local
    variable aborts the process when it is collected.
    """
    collect_garbage_in_gui_thread()
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    if one_cpu_thread:
        thread.started.connect(_one_cpu_thread)  # before on_started: it runs first
    if on_started is not None:
        thread.started.connect(on_started)
    if on_finished is not None:  # connected before the start: a worker may end its thread at once
        thread.finished.connect(on_finished)
    for signal, slot in wiring:
        signal.connect(slot)
    thread.start()
    return thread


def end_worker_thread(worker: QObject) -> None:
    """A worker's last act, in its own thread: go back to the GUI thread (so that it may be
    deleted there) and end the thread's event loop."""
    app = QCoreApplication.instance()
    if app is not None:
        worker.moveToThread(app.thread())
    QThread.currentThread().quit()
