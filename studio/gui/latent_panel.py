"""The latent explorer: sliders over z, PCA directions, truncation and walks, answered by a
render thread that holds its own copy of G.

The GUI thread never runs G. Each slider change posts a request (with a stamp) into a
one-slot-per-kind mailbox and wakes the render thread; the thread takes only the newest
request of each kind, and a frame that a newer request has already superseded is dropped
instead of shown (as in the StyleGAN3 visualizer), unless nothing has been shown for
`keep_up_s`, so that a fast drag still sees pictures.
"""
from __future__ import annotations

import atexit
import itertools
import threading
import time
from collections import deque
from pathlib import Path
from typing import Callable

import numpy as np
import PySide6  # noqa: F401  (pyqtgraph picks the binding already imported)
import pyqtgraph as pg
from PySide6.QtCore import QObject, QThread, QTimer, Qt, Signal, Slot
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QGridLayout, QGroupBox,
                               QHBoxLayout, QLabel, QPushButton, QScrollArea, QSlider,
                               QSpinBox, QStackedWidget, QVBoxLayout, QWidget)

from ..core.checkpoints import load_generator
from ..core.codes import CONTINUOUS_RANGE, CodeLayout
from ..core.config import Config
from ..core.data import class_names
from ..core.latent import (Z_RANGE, LatentRenderer, edit_z, interpolation_path, lerp, random_z, save_walk_gif,
                           slerp, weights_snapshot)
from ..core.render import save_png
from .plane_view import FAKE_COLOUR, MANIFOLD_COLOUR, REAL_COLOUR, style_plane_axes
from .threads import start_worker_thread

SLIDER_STEPS = 100  # slider ticks per unit of z: values shown to two decimals
DEFAULT_DIMS = 8
MAX_DIMS = 64
N_DIRECTIONS = 8
KEEP_UP_S = 0.25  # show a superseded frame anyway when nothing has been shown for this long
GIF_FRAMES = 24
ANIMATION_MS = 40
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
            z = request["z"]
            r.code = request.get("code")
            payload = {"point": r.generate(z[None])[0]} if r.config.is_2d else {"picture": r.picture(z)}
            self.rendered.append(request["stamp"])
            now = time.perf_counter()
            recent = self.keep_up_s is None or now - self._last_shown < self.keep_up_s
            if self.mailbox.newer("frame", request["stamp"]) and recent:
                self.dropped += 1
                return
            self._last_shown = now
            self.result.emit({"kind": "frame", "model": self.model, "stamp": request["stamp"],
                              "t0": request["t0"], **payload})
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
            path = save_walk_gif(r.walk_frames(request["path"]), request["file"])
            self.result.emit({"kind": "exported", "model": self.model, "file": str(path)})


class ValueSlider(QWidget):
    """A labelled horizontal slider over [lo, hi] that shows its value; `changed(float)` on moves."""

    changed = Signal(float)

    def __init__(self, text: str, lo: float, hi: float, value: float = 0.0, lockable: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(text)
        self.label.setMinimumWidth(92)
        layout.addWidget(self.label)
        self.lock = QCheckBox("lock") if lockable else None
        if self.lock is not None:
            self.lock.setToolTip("A locked dimension keeps its value when you press Random")
            layout.addWidget(self.lock)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(round(lo * SLIDER_STEPS), round(hi * SLIDER_STEPS))
        self.slider.setMinimumWidth(100)
        layout.addWidget(self.slider, 1)
        self.value_label = QLabel()
        self.value_label.setMinimumWidth(50)
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.value_label)
        self.slider.valueChanged.connect(self._on_slider)
        self.set_value(value)

    def value(self) -> float:
        return self.slider.value() / SLIDER_STEPS

    def set_value(self, value: float) -> None:
        """Move the slider without emitting `changed`."""
        self.slider.blockSignals(True)
        self.slider.setValue(round(value * SLIDER_STEPS))
        self.slider.blockSignals(False)
        self.value_label.setText(f"{self.value():+.2f}")

    @property
    def locked(self) -> bool:
        return self.lock is not None and self.lock.isChecked()

    @Slot(int)
    def _on_slider(self, _ticks: int) -> None:
        self.value_label.setText(f"{self.value():+.2f}")
        self.changed.emit(self.value())


class LatentPanel(QWidget):
    """The explorer's widget. Fed by the window (live snapshots, fixed noise, picked samples) or by a
    checkpoint file; asks for snapshots through `snapshot_interval_changed` (0 = none wanted)."""

    snapshot_interval_changed = Signal(float)
    message = Signal(str)
    _wake = Signal()

    def __init__(self, parent: QWidget | None = None,
                 renderer_factory: Callable[..., LatentRenderer] = LatentRenderer,
                 keep_up_s: float | None = KEEP_UP_S):
        super().__init__(parent)
        self._factory = renderer_factory
        self._keep_up_s = keep_up_s
        self.mailbox = Mailbox()
        self.thread: QThread | None = None
        self.worker: RenderWorker | None = None
        self._stamps = itertools.count(1)
        self._models = itertools.count(1)
        self.model = 0
        self.config: Config | None = None
        self.live = False  # the model is the live run's generator (not a checkpoint)
        self.step = 0
        self.z = np.zeros(0, np.float32)
        self.amounts = np.zeros(0, np.float32)
        self.codes = CodeLayout([])  # the model's class / InfoGAN codes (none for a plain GAN)
        self.code_choices: dict[str, float] = {}  # {"class": 3} or {"category": 1, "c1": 0.5}
        self.directions: np.ndarray | None = None
        self.explained: np.ndarray | None = None
        self.fixed_noise: np.ndarray | None = None
        self.ends: list[np.ndarray | None] = [None, None]  # walk endpoints A and B
        self.end_names = ["", ""]
        self.requested_stamp = 0
        self.strip_requested = 0
        self.strip_stamp = 0
        self.shown_stamp = 0
        self.frames_shown = 0
        self.last_picture: np.ndarray | None = None
        self.last_point: np.ndarray | None = None
        self.last_strip: np.ndarray | None = None
        self.last_export = ""
        self.last_error = ""
        self.latencies_ms: deque[float] = deque(maxlen=2000)
        self._wanted_interval = 0.0
        self._live_config: Config | None = None
        self._live_noise: np.ndarray | None = None
        self._pending_pick: int | None = None  # a sample picked before the first snapshot arrived
        self._rng = np.random.default_rng()
        self._phase = 0.0
        self._build()

    # -- layout --------------------------------------------------------------
    def _build(self) -> None:
        bold = "font-size: 13pt; font-weight: bold; padding: 2px;"
        outer = QHBoxLayout(self)
        outer.setContentsMargins(2, 2, 2, 2)

        left = QVBoxLayout()
        self.title = QLabel("Latent explorer — no generator yet")
        self.title.setStyleSheet(bold)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        left.addWidget(self.title)
        self.stack = QStackedWidget()
        self.image_widget = pg.GraphicsLayoutWidget()
        self.image_widget.setBackground("#202124")
        self.image_box = self.image_widget.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image_box.addItem(self.image)
        self.stack.addWidget(self.image_widget)
        self.plane = pg.PlotWidget(background="w")
        self.plane.setAntialiasing(True)
        self._style_plane()
        self.stack.addWidget(self.plane)
        self.hint = QLabel("Start a run, pick a sample, or File ▸ Open checkpoint in explorer…")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555; font-size: 11pt;")
        left.addWidget(self.stack, 1)
        left.addWidget(self.hint)
        self.strip_title = QLabel("Walk A → B")
        self.strip_title.setStyleSheet("font-size: 11pt; font-weight: bold;")
        left.addWidget(self.strip_title)
        self.strip_widget = pg.GraphicsLayoutWidget()
        self.strip_widget.setBackground("#202124")
        self.strip_widget.setFixedHeight(96)
        self.strip_box = self.strip_widget.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
        self.strip_image = pg.ImageItem(axisOrder="row-major")
        self.strip_box.addItem(self.strip_image)
        left.addWidget(self.strip_widget)
        self.speed = QLabel("response: —")
        self.speed.setStyleSheet("color: #333; font-size: 10pt;")
        left.addWidget(self.speed)
        outer.addLayout(left, 3)

        controls = QWidget()
        side = QVBoxLayout(controls)
        side.setContentsMargins(4, 0, 4, 0)
        side.addWidget(self._source_box())
        side.addWidget(self._code_box())
        side.addWidget(self._z_box())
        side.addWidget(self._directions_box())
        side.addWidget(self._walk_box())
        side.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(450)
        outer.addWidget(scroll, 2)

        self.animation = QTimer(self)
        self.animation.setInterval(ANIMATION_MS)
        self.animation.timeout.connect(self._animate)
        self._set_enabled(False)

    def _style_plane(self) -> None:
        item = self.plane.getPlotItem()
        style_plane_axes(item)
        self.real = pg.ScatterPlotItem(size=4, pen=None, brush=pg.mkBrush(*REAL_COLOUR, 90))
        self.cloud = pg.ScatterPlotItem(size=3, pen=None, brush=pg.mkBrush(*MANIFOLD_COLOUR))
        self.manifold = pg.PlotCurveItem(pen=pg.mkPen(MANIFOLD_COLOUR, width=1))
        self.path = pg.PlotCurveItem(pen=pg.mkPen((250, 160, 0), width=2.5))
        self.path_ends = pg.ScatterPlotItem(size=11, symbol="s", pen=pg.mkPen("k"), brush=pg.mkBrush(250, 160, 0))
        self.point = pg.ScatterPlotItem(size=18, symbol="star", pen=pg.mkPen("k", width=1.2),
                                        brush=pg.mkBrush(*FAKE_COLOUR))
        for z, layer in enumerate((self.real, self.cloud, self.manifold, self.path, self.path_ends, self.point)):
            layer.setZValue(z)
            item.addItem(layer)
        legend = item.addLegend(offset=(8, 8), labelTextSize="10pt", brush=pg.mkBrush(255, 255, 255, 210))
        legend.setLabelTextColor("k")
        legend.addItem(self.real, "real data")
        legend.addItem(pg.PlotDataItem(pen=pg.mkPen(MANIFOLD_COLOUR, width=2)), "G manifold / G(z) cloud")
        legend.addItem(self.point, "G(z) for the sliders' z")
        legend.addItem(self.path_ends, "walk A → B")

    def _source_box(self) -> QGroupBox:
        box = QGroupBox("Generator")
        grid = QGridLayout(box)
        self.source = QLabel("none")
        self.source.setWordWrap(True)
        grid.addWidget(self.source, 0, 0, 1, 2)
        self.follow = QCheckBox("Follow the live run")
        self.follow.setChecked(True)
        self.follow.setToolTip("Unchecked: the explorer stays frozen on the snapshot it has")
        self.follow.toggled.connect(self._on_follow)
        grid.addWidget(self.follow, 1, 0)
        self.rate = QDoubleSpinBox()
        self.rate.setRange(0.2, 10.0)
        self.rate.setSingleStep(0.5)
        self.rate.setValue(2.0)
        self.rate.setSuffix(" /s")
        self.rate.setToolTip("How often the explorer takes the live generator's weights")
        self.rate.valueChanged.connect(self._update_wanted)
        row = QHBoxLayout()
        row.addWidget(QLabel("refresh"))
        row.addWidget(self.rate)
        grid.addLayout(row, 1, 1)
        return box

    def _code_box(self) -> QGroupBox:
        """Class selector (conditional GANs) or InfoGAN's named codes; hidden for plain GANs."""
        self.code_group = QGroupBox("Codes")
        self.code_rows = QVBoxLayout(self.code_group)
        self.code_selectors: dict[str, QComboBox] = {}
        self.code_sliders: dict[str, ValueSlider] = {}
        self.code_group.hide()
        return self.code_group

    def _rebuild_code_controls(self) -> None:
        while self.code_rows.count():
            item = self.code_rows.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
            elif item.layout() is not None:
                while item.layout().count():
                    child = item.layout().takeAt(0)
                    if child.widget() is not None:
                        child.widget().deleteLater()
        self.code_selectors, self.code_sliders = {}, {}
        self.code_choices = {s.name: 0 for s in self.codes.slots}
        conditional = self.config is not None and self.config.cond.kind in ("cgan", "acgan")
        names = class_names(self.config.data) if conditional else None
        self.code_group.setTitle(("Class (G is asked for this class)" if names else "Class (G is asked for this digit)")
                                 if conditional else "InfoGAN codes (learned without labels)")
        self.code_group.setVisible(bool(self.codes))
        for slot in self.codes.slots:
            if slot.kind == "categorical":
                row = QHBoxLayout()
                label = QLabel(slot.name)
                label.setMinimumWidth(70)
                box = QComboBox()
                # "k: name" where the data names its classes (a labelled folder, Fashion-MNIST)
                box.addItems([f"{k}: {names[k]}" if names and k < len(names) else label
                              for k, label in enumerate(slot.labels)])
                box.setToolTip("The class G is asked for" if conditional else
                               "InfoGAN's categorical code: which value means which digit is learned, in any order")
                box.currentIndexChanged.connect(lambda index, name=slot.name: self._on_code(name, index))
                row.addWidget(label)
                row.addWidget(box, 1)
                self.code_rows.addLayout(row)
                self.code_selectors[slot.name] = box
            else:
                slider = ValueSlider(slot.name, -CONTINUOUS_RANGE, CONTINUOUS_RANGE, 0.0)
                slider.setToolTip(f"InfoGAN continuous code {slot.name}: trained over ±1, shown over "
                                  f"±{CONTINUOUS_RANGE:g} to see what it does beyond")
                slider.changed.connect(lambda value, name=slot.name: self._on_code(name, value))
                self.code_rows.addWidget(slider)
                self.code_sliders[slot.name] = slider

    def current_code(self) -> np.ndarray | None:
        """c for the chosen class / codes (code_dim floats), or None for a plain GAN."""
        if not self.codes:
            return None
        return self.codes.encode(self.code_choices).numpy()[0]

    def set_code(self, name: str, value: float) -> None:
        """Choose a class / categorical value (by index) or a continuous code's value, as the controls do."""
        if name in self.code_selectors:
            self.code_selectors[name].setCurrentIndex(int(value))  # → _on_code
        elif name in self.code_sliders:
            self.code_sliders[name].set_value(value)
            self._on_code(name, value)
        else:
            self.codes.slot(name)  # raises CodeError naming the codes there are

    def _on_code(self, name: str, value: float) -> None:
        self.code_choices[name] = value
        self.request_frame()
        self.request_strip()

    def _z_box(self) -> QGroupBox:
        box = QGroupBox("z dimensions (±3σ)")
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(QLabel("show"))
        self.dims = QSpinBox()
        self.dims.setRange(1, MAX_DIMS)
        self.dims.setValue(DEFAULT_DIMS)
        self.dims.setSuffix(" dims")
        self.dims.valueChanged.connect(self._rebuild_dim_sliders)
        row.addWidget(self.dims)
        self.random_button = QPushButton("Random z")
        self.random_button.clicked.connect(self.randomise)
        self.zero_button = QPushButton("Zero")
        self.zero_button.clicked.connect(self.zero)
        row.addWidget(self.random_button)
        row.addWidget(self.zero_button)
        layout.addLayout(row)
        self.dim_rows = QVBoxLayout()
        layout.addLayout(self.dim_rows)
        self.dim_sliders: list[ValueSlider] = []
        self.psi = ValueSlider("truncation ψ", 0.0, 1.0, 1.0)
        self.psi.setToolTip("ψ < 1 pulls z toward the mean of the prior: typical, less varied samples")
        self.psi.changed.connect(self._on_edit)
        layout.addWidget(self.psi)
        return box

    def _directions_box(self) -> QGroupBox:
        box = QGroupBox("Directions (PCA of G's early activations)")
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        self.direction_source = QLabel("not computed yet")
        self.direction_source.setWordWrap(True)
        self.direction_source.setStyleSheet("color: #555;")
        row.addWidget(self.direction_source, 1)
        self.recompute = QPushButton("Recompute")
        self.recompute.setToolTip("Find the directions again for the current generator (about a second)")
        self.recompute.clicked.connect(self.request_directions)
        row.addWidget(self.recompute)
        layout.addLayout(row)
        self.direction_rows = QVBoxLayout()
        layout.addLayout(self.direction_rows)
        self.direction_sliders: list[ValueSlider] = []
        return box

    def _walk_box(self) -> QGroupBox:
        box = QGroupBox("Walk between two latents")
        grid = QGridLayout(box)
        self.end_labels = [QLabel("A: —"), QLabel("B: —")]
        set_a, set_b, random_b = QPushButton("A ← current"), QPushButton("B ← current"), QPushButton("B ← random")
        set_a.clicked.connect(lambda: self.set_end(0, self.current_z(), "current"))
        set_b.clicked.connect(lambda: self.set_end(1, self.current_z(), "current"))
        random_b.clicked.connect(self._random_end)
        grid.addWidget(self.end_labels[0], 0, 0)
        grid.addWidget(set_a, 0, 1)
        grid.addWidget(self.end_labels[1], 1, 0)
        grid.addWidget(set_b, 1, 1)
        grid.addWidget(random_b, 1, 2)
        self.steps = QSpinBox()
        self.steps.setRange(2, 16)
        self.steps.setValue(8)
        self.steps.setSuffix(" images")
        self.steps.valueChanged.connect(self.request_strip)
        self.interpolation = QComboBox()
        self.interpolation.addItem("spherical (slerp)", "slerp")
        self.interpolation.addItem("linear (lerp)", "lerp")
        self.interpolation.currentIndexChanged.connect(self.request_strip)
        grid.addWidget(self.steps, 2, 0)
        grid.addWidget(self.interpolation, 2, 1, 1, 2)
        self.animate_target = QComboBox()
        self.animate_target.addItem("along the walk A ↔ B", -1)
        self.animate_button = QPushButton("Animate")
        self.animate_button.setCheckable(True)
        self.animate_button.toggled.connect(self._on_animate)
        grid.addWidget(self.animate_target, 3, 0, 1, 2)
        grid.addWidget(self.animate_button, 3, 2)
        self.export_png = QPushButton("Export strip PNG…")
        self.export_png.clicked.connect(self._ask_strip_png)
        self.export_gif = QPushButton("Export walk GIF…")
        self.export_gif.clicked.connect(self._ask_walk_gif)
        grid.addWidget(self.export_png, 4, 0, 1, 2)
        grid.addWidget(self.export_gif, 4, 2)
        return box

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.random_button, self.zero_button, self.psi, self.recompute, self.steps,
                       self.interpolation, self.animate_button, self.export_png, self.export_gif):
            widget.setEnabled(on)
        if on and self.config is not None and self.config.is_2d:
            self.export_png.setEnabled(False)
            self.export_gif.setEnabled(False)
            self.export_png.setToolTip("2-D data: the walk is drawn on the plane")

    def _rebuild_dim_sliders(self) -> None:
        for slider in self.dim_sliders:
            slider.deleteLater()
        self.dim_sliders = []
        z_dim = len(self.z)
        for i in range(min(self.dims.value(), z_dim)):
            slider = ValueSlider(f"z[{i}]", -Z_RANGE, Z_RANGE, float(self.z[i]), lockable=True)
            slider.changed.connect(lambda value, i=i: self._on_dim(i, value))
            self.dim_rows.addWidget(slider)
            self.dim_sliders.append(slider)

    def _rebuild_direction_sliders(self) -> None:
        for slider in self.direction_sliders:
            slider.deleteLater()
        self.direction_sliders = []
        while self.animate_target.count() > 1:
            self.animate_target.removeItem(1)
        if self.directions is None:
            return
        self.amounts = np.zeros(len(self.directions), np.float32)
        for j, share in enumerate(self.explained):
            slider = ValueSlider(f"PC{j + 1} ({share:.1%})", -Z_RANGE, Z_RANGE, 0.0)
            slider.setToolTip(f"Moves z along principal direction {j + 1}, which explains {share:.1%} "
                              f"of the variance of G's features")
            slider.changed.connect(lambda value, j=j: self._on_direction(j, value))
            self.direction_rows.addWidget(slider)
            self.direction_sliders.append(slider)
            self.animate_target.addItem(f"along PC{j + 1}", j)

    # -- the render thread ---------------------------------------------------
    def _ensure_thread(self) -> None:
        if self.thread is not None:
            return
        worker = RenderWorker(self.mailbox, self._factory, self._keep_up_s)
        self.worker = worker
        self.thread = start_worker_thread(worker, "gan-studio-latent",
                                          ((self._wake, worker.wake), (worker.result, self._on_result)))
        _THREADS.append(self.thread)

    def _post(self, request: dict) -> None:
        self._ensure_thread()
        self.mailbox.post(request)
        self._wake.emit()

    def shutdown(self) -> None:
        """End the render thread and wait for it (the window calls this on close)."""
        self.animation.stop()
        if self.thread is None:
            return
        thread, self.thread = self.thread, None
        thread.quit()
        thread.wait()
        if thread in _THREADS:
            _THREADS.remove(thread)
        self.worker = None

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    # -- sources -------------------------------------------------------------
    def _new_model(self, config: Config | None, live: bool) -> int:
        self.model = next(self._models)
        self.live = live
        self.config = config
        self.directions = self.explained = None
        self.fixed_noise = None
        self.ends = [None, None]
        self.end_names = ["", ""]
        self.shown_stamp = self.requested_stamp = 0
        self.strip_stamp = self.strip_requested = 0
        self.last_picture = self.last_point = self.last_strip = None
        self.image.clear()
        self.strip_image.clear()
        for layer in (self.real, self.cloud, self.point, self.path_ends):
            layer.clear()
        for curve in (self.manifold, self.path):
            curve.setData([], [])
        if config is not None:
            self._set_config(config)
        return self.model

    def _set_config(self, config: Config) -> None:
        self.config = config
        z_dim = config.generator.z_dim
        if len(self.z) != z_dim:
            self.z = np.zeros(z_dim, np.float32)
        self.dims.setMaximum(min(MAX_DIMS, z_dim))
        self.codes = CodeLayout.from_config(config)
        self._rebuild_code_controls()
        self.direction_source.setText("not computed yet")
        self._rebuild_dim_sliders()
        self._rebuild_direction_sliders()
        self.stack.setCurrentWidget(self.plane if config.is_2d else self.image_widget)
        self.strip_widget.setVisible(not config.is_2d)
        self.strip_title.setText("Walk A → B (drawn on the plane)" if config.is_2d else "Walk A → B")
        if config.is_2d:
            from ..core.data import toy_points
            from ..core.plane import plane_extent

            real, _, _ = toy_points(config.data.name, 1500, config.data.seed)
            self.real.setData(pos=real.astype(np.float64))
            extent = plane_extent(real)
            self.plane.getPlotItem().setRange(xRange=(-extent, extent), yRange=(-extent, extent), padding=0.02)
        self._set_enabled(True)

    def set_live_config(self, config: Config) -> None:
        """A run is starting: its generator replaces what the explorer shows when it follows the live run."""
        self._live_config = config
        self._live_noise = None
        self._pending_pick = None
        if self.follow.isChecked() or self.model == 0:
            self._new_model(None, live=True)
            self.follow.setChecked(True)
            self._set_title("waiting for the run's first snapshot")

    @Slot(object)
    def set_fixed_noise(self, noise: np.ndarray) -> None:
        """The run's fixed noise batch: sample i of the Samples grid is G(noise[i])."""
        self._live_noise = np.asarray(noise, np.float32)
        if self.live:
            self.fixed_noise = self._live_noise

    @Slot(object)
    def set_live_weights(self, snapshot: dict) -> None:
        """A snapshot of the live sampling generator: {"step", "weights": {name: array}}."""
        if not self.live or not self.follow.isChecked():
            return
        config = self._live_config
        if config is None:
            return
        self.step = int(snapshot["step"])
        if self.config is None:
            self._new_model(config, live=True)
            self.fixed_noise = self._live_noise
            self._post({"kind": "model", "model": self.model, "config": config, "weights": snapshot["weights"]})
            self.request_directions()
            if self._pending_pick is not None:
                pick, self._pending_pick = self._pending_pick, None
                self.load_fixed_index(pick)
        else:
            self._post({"kind": "weights", "model": self.model, "weights": snapshot["weights"]})
        self.source.setText(f"Live run — snapshot of step {self.step:,}")
        self._set_title(f"step {self.step:,}")
        self.hint.setText("Drag a slider, or click a sample in the Samples panel to load its z")
        self._refresh_all()

    def open_checkpoint(self, path: str | Path) -> None:
        """Show a checkpoint's generator; the explorer stops following any live run.

        The file is read here, so that a bad one raises CheckpointError to the caller; the
        render thread gets the weights as numpy arrays, like a live snapshot.
        """
        g, config, state = load_generator(path)
        weights = weights_snapshot(g)
        noise = state.get("fixed_noise")
        self.follow.blockSignals(True)
        self.follow.setChecked(False)
        self.follow.blockSignals(False)
        self._update_wanted()
        self._new_model(config, live=False)
        self.fixed_noise = None if noise is None else noise.float().numpy()
        self.step = int(state.get("step", 0))
        self._post({"kind": "model", "model": self.model, "config": config, "weights": weights})
        name = Path(path).name
        self.source.setText(f"Checkpoint {name} of {Path(path).parent.parent.name} (step {self.step:,})")
        self._set_title(name)
        self.hint.setText("Drag a slider; Random z draws a new latent")
        self.request_directions()
        self._refresh_all()

    # -- editing z -------------------------------------------------------------
    def current_z(self) -> np.ndarray:
        """The latent G is given: z, moved along the directions, truncated by ψ."""
        return edit_z(self.z, self.directions, self.amounts if self.directions is not None else None,
                      self.psi.value())

    def set_z(self, z: np.ndarray, reset_edits: bool = True) -> None:
        self.z = np.asarray(z, np.float32).copy()
        if reset_edits:
            self.amounts = np.zeros_like(self.amounts)
            for slider in self.direction_sliders:
                slider.set_value(0.0)
            self.psi.set_value(1.0)
        for i, slider in enumerate(self.dim_sliders):
            slider.set_value(float(self.z[i]))
        self.request_frame()

    def load_fixed_index(self, index: int) -> bool:
        """Load sample `index` of the fixed noise batch (a click in the Samples panel)."""
        noise = self.fixed_noise if self.fixed_noise is not None else (self._live_noise if self.live else None)
        if noise is None or not 0 <= index < len(noise):
            return False
        if self.config is None:  # the live generator's first snapshot is on its way
            self._pending_pick = index
            return True
        z = self.fixed_noise[index]
        slot = self.codes.categorical
        if slot is not None:  # the grid's row is its class (or category value): show the same G(z, c)
            row_code = self.codes.rows(len(self.fixed_noise))[index]
            self.set_code(slot.name, int(row_code[slot.offset:slot.offset + slot.size].argmax()))
        previous = self.ends[1] if self.ends[1] is not None else self.current_z()
        self.ends[0], self.end_names[0] = previous, self.end_names[1] or "current"
        self.ends[1], self.end_names[1] = z.copy(), f"sample #{index}"
        self._show_ends()
        self.set_z(z)
        self.request_strip()
        return True

    @Slot()
    def randomise(self) -> None:
        locked = np.zeros(len(self.z), bool)
        locked[:len(self.dim_sliders)] = [s.locked for s in self.dim_sliders]
        self.set_z(random_z(self.z, locked, self._rng), reset_edits=False)

    @Slot()
    def zero(self) -> None:
        self.set_z(np.zeros_like(self.z))

    def _on_dim(self, i: int, value: float) -> None:
        self.z[i] = value
        self.request_frame()

    def _on_direction(self, j: int, value: float) -> None:
        self.amounts[j] = value
        self.request_frame()

    def _on_edit(self, _value: float) -> None:
        self.request_frame()

    def set_end(self, which: int, z: np.ndarray, name: str) -> None:
        self.ends[which], self.end_names[which] = np.asarray(z, np.float32).copy(), name
        self._show_ends()
        self.request_strip()

    def _random_end(self) -> None:
        if self.config is not None:
            self.set_end(1, self._rng.standard_normal(len(self.z)).astype(np.float32), "random")

    def _show_ends(self) -> None:
        for which, label in enumerate(self.end_labels):
            label.setText(f"{'AB'[which]}: {self.end_names[which] or '—'}")

    def walk_path(self, n: int | None = None) -> np.ndarray | None:
        a, b = self.ends
        if a is None or b is None:
            return None
        return interpolation_path(a, b, n or self.steps.value(), self.interpolation.currentData())

    # -- requests ------------------------------------------------------------
    def request_frame(self) -> int:
        if self.config is None or self.model == 0:
            return 0
        self.requested_stamp = stamp = next(self._stamps)
        self._post({"kind": "frame", "model": self.model, "stamp": stamp, "z": self.current_z(),
                    "code": self.current_code(), "t0": time.perf_counter()})
        return stamp

    def request_strip(self) -> None:
        path = self.walk_path()
        if path is None or self.config is None:
            return
        self.strip_requested = stamp = next(self._stamps)
        self._post({"kind": "strip", "model": self.model, "stamp": stamp, "path": path, "code": self.current_code()})

    def request_directions(self) -> None:
        if self.config is not None:
            self.direction_source.setText("computing…")
            self._post({"kind": "directions", "model": self.model, "stamp": 0,
                        "k": min(N_DIRECTIONS, self.config.generator.z_dim)})

    def _refresh_all(self) -> None:
        self.request_frame()
        self.request_strip()
        if self.config is not None and self.config.is_2d:
            self._post({"kind": "plane", "model": self.model, "stamp": 0})

    def export_walk_gif(self, path: str | Path) -> None:
        walk = self.walk_path(GIF_FRAMES)
        if walk is None:
            self.message.emit("Set both ends of the walk (A and B) first")
            return
        self._post({"kind": "export", "model": self.model, "stamp": 0, "path": walk, "file": str(path),
                    "code": self.current_code()})

    def export_strip_png(self, path: str | Path) -> Path | None:
        if self.last_strip is None:
            self.message.emit("No strip yet: set both ends of the walk (A and B) first")
            return None
        return save_png(self.last_strip, path, scale=3)

    def _ask_strip_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export strip", "walk.png", "PNG images (*.png)")
        if path:
            saved = self.export_strip_png(path)
            if saved:
                self.message.emit(f"Strip saved: {saved}")

    def _ask_walk_gif(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export walk", "walk.gif",
                                              "GIF animations (*.gif);;MP4 videos (*.mp4)")
        if path:
            self.export_walk_gif(path)

    # -- results (GUI thread) ------------------------------------------------
    @Slot(object)
    def _on_result(self, result: dict) -> None:
        if result.get("model") != self.model:
            return
        kind = result["kind"]
        if kind == "frame":
            if result["stamp"] < self.shown_stamp:
                return
            self.shown_stamp = result["stamp"]
            if "picture" in result:
                self.last_picture = result["picture"]
                self.image.setImage(result["picture"], autoLevels=False, levels=(0, 255))
                self.image_box.autoRange(padding=0.01)
                self.image_widget.viewport().repaint()
            else:
                self.last_point = result["point"]
                self.point.setData(pos=result["point"][None].astype(np.float64))
                self.plane.viewport().repaint()
            self.frames_shown += 1
            self.latencies_ms.append((time.perf_counter() - result["t0"]) * 1000)
            if self.frames_shown % 10 == 1:
                recent = list(self.latencies_ms)[-50:]
                self.speed.setText(f"response: {np.median(recent):.0f} ms (median of the last {len(recent)})")
        elif kind == "strip":
            self.strip_stamp = max(self.strip_stamp, result["stamp"])
            if "strip" in result:
                self.last_strip = result["strip"]
                self.strip_image.setImage(result["strip"], autoLevels=False, levels=(0, 255))
                self.strip_box.autoRange(padding=0.02)
            else:
                points = result["points"].astype(np.float64)
                self.path.setData(points[:, 0], points[:, 1])
                self.path_ends.setData(pos=points[[0, -1]])
        elif kind == "plane":
            if "manifold" in result:
                lines, points, _ = result["manifold"].shape
                connect = np.ones(lines * points, dtype=bool)
                connect[points - 1::points] = False
                flat = result["manifold"].reshape(-1, 2).astype(np.float64)
                self.manifold.setData(flat[:, 0], flat[:, 1], connect=connect)
            else:
                self.cloud.setData(pos=result["cloud"].astype(np.float64))
        elif kind == "directions":
            self.directions, self.explained = result["vectors"], result["explained"]
            self._rebuild_direction_sliders()
            self.direction_source.setText(f"{len(self.directions)} directions from {result['source']}; "
                                          f"together {float(self.explained.sum()):.0%} of the variance")
        elif kind == "exported":
            self.last_export = result["file"]
            self.message.emit(f"Walk saved: {result['file']}")
        elif kind == "error":
            self.last_error = result["message"]
            self.source.setText(f"Error: {result['message']}")
            self.message.emit(f"Latent explorer: {result['message']}")

    def busy(self) -> bool:
        """Whether a frame, strip or direction search asked for has not been shown yet."""
        return self.shown_stamp < self.requested_stamp or self.strip_stamp < self.strip_requested or \
            (self.config is not None and self.directions is None)

    def settle_for_screenshot(self, timeout_s: float = 60.0) -> None:
        """Walk from fixed sample 0 to sample 1 and wait until the picture, strip and directions are drawn."""
        from PySide6.QtCore import QCoreApplication, QEventLoop

        if self.config is not None:  # directions of the final generator, not of the first snapshot
            self.directions = None
            self.request_directions()
        if self.fixed_noise is not None and len(self.fixed_noise) > 1:
            self.load_fixed_index(0)
            self.load_fixed_index(1)
        deadline = time.perf_counter() + timeout_s
        while (self.busy() or self.config is None) and time.perf_counter() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.005)

    def _set_title(self, where: str) -> None:
        self.title.setText(f"Latent explorer — G(z{', c' if self.codes else ''}), {where}")

    # -- live following ------------------------------------------------------
    @property
    def snapshot_interval_s(self) -> float:
        """Seconds between live snapshots wanted (0: none, when hidden, frozen or showing a checkpoint)."""
        if not self.isVisible() or not self.follow.isChecked():
            return 0.0
        return 1.0 / self.rate.value()

    def _update_wanted(self, *_args) -> None:
        wanted = self.snapshot_interval_s
        if wanted != self._wanted_interval:
            self._wanted_interval = wanted
            self.snapshot_interval_changed.emit(wanted)

    @Slot(bool)
    def _on_follow(self, on: bool) -> None:
        if on and not self.live:
            self._new_model(None, live=True)  # the next snapshot rebuilds the live generator
            self._set_title("waiting for the next snapshot of the run")
        self._update_wanted()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._update_wanted()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self._update_wanted()

    # -- animation -----------------------------------------------------------
    @Slot(bool)
    def _on_animate(self, on: bool) -> None:
        self._phase = 0.0
        self.animate_button.setText("Stop" if on else "Animate")
        if on:
            self.animation.start()
        else:
            self.animation.stop()

    @Slot()
    def _animate(self) -> None:
        self._phase += ANIMATION_MS / 1000 / 4.0  # one way in two seconds
        wave = 1.0 - abs(self._phase % 2.0 - 1.0)  # 0 → 1 → 0
        target = self.animate_target.currentData()
        if target == -1:
            a, b = self.ends
            if a is None or b is None:
                self.animate_button.setChecked(False)
                self.message.emit("Set both ends of the walk (A and B) to animate it")
                return
            t = np.array([wave])
            z = (slerp(a, b, t) if self.interpolation.currentData() == "slerp" else lerp(a, b, t))[0]
            self.z = z.astype(np.float32)
            for i, slider in enumerate(self.dim_sliders):
                slider.set_value(float(self.z[i]))
            self.request_frame()
        elif 0 <= target < len(self.direction_sliders):
            value = Z_RANGE * (2 * wave - 1)
            self.direction_sliders[target].set_value(value)
            self._on_direction(target, value)
