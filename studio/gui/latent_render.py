"""The latent explorer's render thread, which holds its own copy of G.

The GUI thread never runs G. Each slider change posts a request (with a stamp) into a
one-slot-per-kind mailbox and wakes the render thread; the thread takes only the newest
request of each kind, and a frame that a newer request has already superseded is dropped
instead of shown (as in the StyleGAN3 visualizer), unless nothing has been shown for
`keep_up_s`, so that a fast drag still sees pictures.
"""
from __future__ import annotations

import atexit
import threading
import time
from contextlib import nullcontext
from typing import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..core.latent import LatentRenderer, save_walk_gif
from ..core.layers import record_features
from .threads import start_worker_thread

KEEP_UP_S = 0.25  # show a superseded frame anyway when nothing has been shown for this long
PRIORITY = ("model", "weights", "frame", "strip", "plane", "directions", "export")

# Render threads started and not yet ended (tests check none survives).
_THREADS: list[QThread] = []


def running_render_threads() -> list[QThread]:
    alive = []
    for thread in list(_THREADS):
        try:
            if thread.isRunning():
                alive.append(thread)
        except RuntimeError:  # the C++ object is gone
            _THREADS.remove(thread)
    return alive


@atexit.register
def stop_render_threads() -> None:
    """End render threads whose panel was never closed (a window dropped without closeEvent)."""
    for thread in running_render_threads():
        thread.quit()
        thread.wait()


class Mailbox:
    """The newest request of each kind; a newer one replaces an older one not yet taken."""

    def __init__(self):
        self._lock = threading.Lock()
        self._slots: dict[str, dict] = {}

    def post(self, request: dict) -> None:
        with self._lock:
            self._slots[request["kind"]] = request

    def take(self) -> dict | None:
        with self._lock:
            for kind in PRIORITY:
                if kind in self._slots:
                    return self._slots.pop(kind)
        return None

    def newer(self, kind: str, stamp: int) -> bool:
        with self._lock:
            pending = self._slots.get(kind)
            return pending is not None and pending["stamp"] > stamp


class RenderWorker(QObject):
    """Lives in the render thread; owns the renderer (G's copy). Results are plain numpy payloads."""

    result = Signal(object)

    def __init__(self, mailbox: Mailbox, renderer_factory: Callable[..., LatentRenderer] = LatentRenderer,
                 keep_up_s: float | None = KEEP_UP_S):
        super().__init__()
        self.mailbox = mailbox
        self.factory = renderer_factory
        self.keep_up_s = keep_up_s
        self.renderer: LatentRenderer | None = None
        self.model = 0
        self.rendered: list[int] = []  # stamps of the frames rendered (tests read it once idle)
        self.dropped = 0
        self._last_shown = 0.0

    @Slot()
    def wake(self) -> None:
        while (request := self.mailbox.take()) is not None:
            try:
                self._handle(request)
            except Exception as exc:  # a broken checkpoint or snapshot must not end the thread
                self.result.emit({"kind": "error", "model": request.get("model", self.model),
                                  "message": f"{type(exc).__name__}: {exc}"})

    def _handle(self, request: dict) -> None:
        kind = request["kind"]
        if kind == "model":
            self.model = request["model"]
            self.renderer = self.factory(request["config"], weights=request["weights"])
            return
        if request.get("model") != self.model or self.renderer is None:
            return  # meant for a model that has since been replaced
        r = self.renderer
        if kind == "weights":
            r.load_weights(request["weights"])
        elif kind == "frame":
            self._frame(r, request)
        elif kind == "strip":
            r.code = request.get("code")
            payload = ({"points": r.generate(request["path"])} if r.config.is_2d
                       else {"strip": r.strip(request["path"])})
            self.result.emit({"kind": "strip", "model": self.model, "stamp": request["stamp"], **payload})
        elif kind == "plane":
            self.result.emit({"kind": "plane", "model": self.model, **r.plane_layers()})
        elif kind == "directions":
            found = r.directions(k=request["k"])
            self.result.emit({"kind": "directions", "model": self.model, "vectors": found.vectors,
                              "explained": found.explained, "source": found.source})
        elif kind == "export":
            r.code = request.get("code")
            path = save_walk_gif(r.walk_frames(request["path"]), request["file"], scale=request["scale"])
            self.result.emit({"kind": "exported", "model": self.model, "file": str(path)})

    def _frame(self, r: LatentRenderer, request: dict) -> None:
        """Render one latent (with its feature maps when the request wants "layers"); drop the result when a
        newer frame waits, unless the screen is stale."""
        z = request["z"]
        r.code = request.get("code")
        with record_features(r.g) if request.get("layers") else nullcontext() as record:  # the same pass
            payload = {"point": r.generate(z[None])[0]} if r.config.is_2d else {"picture": r.picture(z)}
        self.rendered.append(request["stamp"])
        now = time.perf_counter()
        recent = self.keep_up_s is None or now - self._last_shown < self.keep_up_s
        if self.mailbox.newer("frame", request["stamp"]) and recent:
            self.dropped += 1
            return
        self._last_shown = now
        if record is not None:  # the layer viewer's grids, tiled only for a frame that is shown
            payload["layers"] = record.grids()
        self.result.emit({"kind": "frame", "model": self.model, "stamp": request["stamp"],
                          "t0": request["t0"], **payload})


class RenderLink(QObject):
    """The GUI thread's end of the render thread: starts it with the first request, posts requests
    and wakes it, and ends it on shutdown.

    `on_result` must be a @Slot of a QObject living in the GUI thread: results cross threads.
    """

    _wake = Signal()

    def __init__(self, on_result: Callable[[dict], None],
                 renderer_factory: Callable[..., LatentRenderer] = LatentRenderer,
                 keep_up_s: float | None = KEEP_UP_S, parent: QObject | None = None):
        super().__init__(parent)
        self._on_result = on_result
        self._factory = renderer_factory
        self._keep_up_s = keep_up_s
        self.mailbox = Mailbox()
        self.worker: RenderWorker | None = None
        self._thread: QThread | None = None

    def post(self, request: dict) -> None:
        if self._thread is None:
            self.worker = RenderWorker(self.mailbox, self._factory, self._keep_up_s)
            self._thread = start_worker_thread(self.worker, "gan-studio-latent",
                                               ((self._wake, self.worker.wake),
                                                (self.worker.result, self._on_result)))
            _THREADS.append(self._thread)
        self.mailbox.post(request)
        self._wake.emit()

    def shutdown(self) -> None:
        """End the render thread and wait for it."""
        if self._thread is None:
            return
        thread, self._thread = self._thread, None
        thread.quit()
        thread.wait()
        if thread in _THREADS:
            _THREADS.remove(thread)
        self.worker = None
