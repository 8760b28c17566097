"""The latent explorer proper: one generator at a time, whose z, c, directions and walk the
controls edit; every change is posted to the render thread and every result shown.

Where the generator comes from (the live run or a checkpoint) is the panel's business
(latent_panel). The parts are latent_view and layers_panel (what is shown), latent_sliders,
latent_codes and latent_walk (what is edited) and latent_render (the thread that runs G); none
imports this module.
"""
from __future__ import annotations

import itertools
import time
from collections import deque
from pathlib import Path
from typing import Callable

import numpy as np
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..core.codes import CodeLayout
from ..core.config import Config
from ..core.latent import LatentRenderer, edit_z, random_z, seeded_z, truncate
from ..core.render import save_png
from .bookmarks_panel import BookmarksBox
from .latent_codes import CodeBox
from .latent_render import KEEP_UP_S, RenderLink, RenderWorker
from .latent_sliders import DirectionsBox, ZBox
from .latent_view import LatentView, SideColumn
from .latent_walk import WalkBox
from .layers_panel import LayersPanel

N_DIRECTIONS = 8
GIF_FRAMES = 24
EXPORT_SCALE = 3  # strip and walk exports: each pixel 3×3, as `sample --n 1` writes one picture, at any image size
RESPONSE_WINDOW = 50  # frames whose median response time is shown


class LatentExplorer(QWidget):
    """Explores the generator last given to `show_model`; `message` reports exports and errors."""

    message = Signal(str)

    def __init__(self, parent: QWidget | None = None,
                 renderer_factory: Callable[..., LatentRenderer] = LatentRenderer,
                 keep_up_s: float | None = KEEP_UP_S):
        super().__init__(parent)
        self.link = RenderLink(self._on_result, renderer_factory, keep_up_s, parent=self)
        self._stamps = itertools.count(1)
        self._models = itertools.count(1)
        self.model = 0
        self.config: Config | None = None
        self.z = np.zeros(0, np.float32)
        self.amounts = np.zeros(0, np.float32)
        self.seed: int | None = None  # the seed z was drawn from, until z is edited
        self.checkpoint: Path | None = None  # the file G came from (None: a live run's snapshot)
        self.frames_shown = 0
        self.last_export = ""
        self.last_error = ""
        self.latencies_ms: deque[float] = deque(maxlen=2000)
        self._rng = np.random.default_rng()
        self._forget_model()
        self._build()

    def _forget_model(self) -> None:
        """What belongs to one model: its directions, fixed noise, stamps and last results."""
        self.directions: np.ndarray | None = None
        self.explained: np.ndarray | None = None
        self.fixed_noise: np.ndarray | None = None
        self.requested_stamp = self.shown_stamp = 0
        self.strip_requested = self.strip_stamp = 0
        self.last_picture: np.ndarray | None = None
        self.last_point: np.ndarray | None = None
        self.last_strip: np.ndarray | None = None

    # -- layout --------------------------------------------------------------
    def _build(self) -> None:
        outer = QHBoxLayout(self)
        outer.setContentsMargins(2, 2, 2, 2)
        self.view = LatentView()
        self.title, self.hint = self.view.title, self.view.hint
        self.manifold, self.path = self.view.manifold, self.view.path
        outer.addWidget(self.view, 3)
        self.layers = LayersPanel(beneath=self.view.stack)  # inside G, folding away below the picture
        self.layers.wanted_changed.connect(self.request_frame)

        self.generator_box = QGroupBox(self.tr("Generator"))
        self.generator_grid = QGridLayout(self.generator_box)
        self.source = QLabel(self.tr("none"))
        self.source.setWordWrap(True)
        self.generator_grid.addWidget(self.source, 0, 0, 1, 2)
        self.code_group = CodeBox()
        self.code_group.changed.connect(self._on_code)
        self.code_selectors, self.code_sliders = self.code_group.selectors, self.code_group.sliders
        self.z_box = ZBox()
        self.psi, self.dim_sliders = self.z_box.psi, self.z_box.column.sliders
        self.z_box.dims.valueChanged.connect(self._rebuild_dim_sliders)
        self.z_box.random_button.clicked.connect(self.randomise)
        self.z_box.zero_button.clicked.connect(self.zero)
        self.z_box.column.moved.connect(self._on_dim)
        self.z_box.seed_chosen.connect(self.set_seed)
        self.psi.changed.connect(self._on_edit)
        self.directions_box = DirectionsBox()
        self.direction_sliders = self.directions_box.column.sliders
        self.directions_box.recompute.clicked.connect(self.request_directions)
        self.directions_box.column.moved.connect(self._on_direction)
        self.walk = WalkBox()
        self.steps, self.ends = self.walk.steps, self.walk.ends
        self.walk.path_changed.connect(self.request_strip)
        self.walk.end_wanted.connect(self._on_end_wanted)
        self.walk.animated_z.connect(self._on_animated_z)
        self.walk.animated_direction.connect(self._on_animated_direction)
        self.walk.strip_file_chosen.connect(self.export_strip_png)
        self.walk.walk_file_chosen.connect(self.export_walk_gif)
        self.walk.message.connect(self.message)
        self.bookmarks = BookmarksBox(self)

        controls = QWidget()
        self.side = side = QVBoxLayout(controls)
        side.setContentsMargins(4, 0, 4, 0)
        for box in (self.generator_box, self.code_group, self.z_box, self.bookmarks, self.directions_box, self.walk):
            side.addWidget(box)
        side.addStretch(1)
        self.side_column = SideColumn(controls)
        outer.addWidget(self.side_column, 2)
        self._set_enabled(False)

    def add_side_box(self, box: QWidget) -> None:
        """Append a group box to the side column, below the walk (for tools docked beside the explorer)."""
        self.side.insertWidget(self.side.count() - 1, box)
        self.side_column.updateGeometry()  # it may be wider than the column was

    def _set_enabled(self, on: bool) -> None:
        self.z_box.set_enabled(on)
        self.bookmarks.set_enabled(on)
        self.directions_box.recompute.setEnabled(on)
        self.walk.set_enabled(on, self.config is not None and self.config.is_2d)

    def _rebuild_dim_sliders(self) -> None:
        self.z_box.rebuild(self.z)

    def _rebuild_direction_sliders(self) -> None:
        self.directions_box.rebuild(self.explained if self.directions is not None else None)
        self.walk.set_direction_targets(len(self.direction_sliders))
        if self.directions is not None:
            self.amounts = np.zeros(len(self.directions), np.float32)

    @property
    def worker(self) -> RenderWorker | None:
        """The render thread's worker: None before the first request and after shutdown."""
        return self.link.worker

    def shutdown(self) -> None:
        """End the render thread and wait for it (the window calls this on close)."""
        self.walk.stop()
        self.link.shutdown()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    # -- the model -------------------------------------------------------------
    def _new_model(self, config: Config | None) -> int:
        """Forget the model shown; with a config, set the controls up for its generator."""
        self.model = next(self._models)
        self.config = config
        self._forget_model()
        self.walk.clear_ends()
        self.view.clear()
        self.layers.clear()
        if config is not None:
            self._set_config(config)
        return self.model

    def _set_config(self, config: Config) -> None:
        z_dim = config.generator.z_dim
        if len(self.z) != z_dim:
            self.z = np.zeros(z_dim, np.float32)
        if self.seed is not None and not np.array_equal(self.z, seeded_z(config, self.seed)[0]):
            self.seed = None  # another z_dim or noise kind: z is not that seed's z here
        self.z_box.set_z_dim(z_dim)
        self.code_group.rebuild(CodeLayout.from_config(config), config)
        self.directions_box.waiting(computing=False)
        self._rebuild_dim_sliders()
        self._rebuild_direction_sliders()
        self.view.set_config(config)
        self._set_enabled(True)
        self._show_seed()
        self.bookmarks.on_model()

    def show_model(self, config: Config, weights: dict[str, np.ndarray], fixed_noise: np.ndarray | None) -> None:
        """Explore a new generator (its weights as numpy arrays); `fixed_noise` is the batch its
        Samples grid shows, from which `load_fixed_index` picks."""
        self._new_model(config)
        self.fixed_noise = fixed_noise
        self.link.post({"kind": "model", "model": self.model, "config": config, "weights": weights})
        self.request_directions()

    # -- editing z and c ---------------------------------------------------------
    def edited_z(self) -> np.ndarray:
        """z moved along the directions, before truncation: what a bookmark keeps."""
        return edit_z(self.z, self.directions, self.amounts if self.directions is not None else None, 1.0)

    def current_z(self) -> np.ndarray:
        """The latent G is given: z, moved along the directions, truncated by ψ."""
        return truncate(self.edited_z(), self.psi.value())

    def z_seed(self) -> int | None:
        """The seed whose z G is given (before ψ), or None once z or a direction has been moved."""
        return self.seed if self.seed is not None and not np.any(self.amounts) else None

    def command_checkpoint(self) -> tuple[Path | None, str]:
        """The checkpoint that a command reproducing the picture names, and a note when there is none."""
        return self.checkpoint, "" if self.checkpoint else self.tr("This generator has no checkpoint file")

    @Slot(int)
    def set_seed(self, seed: int) -> None:
        """z of `seed`: the z of `gan-studio sample CKPT --seed SEED --n 1` (edits and ψ reset)."""
        if self.config is not None and seed != self.z_seed():  # a typed seed and Enter come as two calls
            self.set_z(seeded_z(self.config, seed)[0], seed=seed)

    def _show_seed(self) -> None:
        self.z_box.show_seed(self.z_seed(), zero=not self.z.any())

    def current_code(self) -> np.ndarray | None:
        """c for the chosen class / codes (code_dim floats), or None for a plain GAN."""
        return self.code_group.code()

    def set_code(self, name: str, value: float) -> None:
        """Choose a class / categorical value (by index) or a continuous code's value, as the controls do."""
        self.code_group.set_code(name, value)

    def set_z(self, z: np.ndarray, reset_edits: bool = True, seed: int | None = None) -> None:
        """Show z (drawn from `seed`, if it was); `reset_edits`: directions back to 0 and ψ to 1."""
        self.z = np.asarray(z, np.float32).copy()
        self.seed = seed
        if reset_edits:
            self.amounts = np.zeros_like(self.amounts)
            self.directions_box.column.show_values(self.amounts)
            self.psi.set_value(1.0)
        self.z_box.column.show_values(self.z)
        self._show_seed()
        self.request_frame()

    def load_fixed_index(self, index: int) -> bool:
        """Load sample `index` of the fixed noise batch (a click in the Samples panel); B becomes A."""
        noise = self.fixed_noise
        if self.config is None or noise is None or not 0 <= index < len(noise):
            return False
        self.code_group.blockSignals(True)  # set_z and request_strip below render with the row's class
        self.code_group.set_row_code(len(noise), index)
        self.code_group.blockSignals(False)
        self.walk.push_end(noise[index], self.tr("sample #{index}").format(index=index), self.current_z())
        self.set_z(noise[index])
        self.request_strip()
        return True

    @Slot()
    def randomise(self) -> None:
        self.set_z(random_z(self.z, self.z_box.locked(len(self.z)), self._rng), reset_edits=False)

    @Slot()
    def zero(self) -> None:
        self.set_z(np.zeros_like(self.z))

    @Slot(int, float)
    def _on_dim(self, i: int, value: float) -> None:
        self.z[i] = value
        self.seed = None
        self._show_seed()
        self.request_frame()

    @Slot(int, float)
    def _on_direction(self, j: int, value: float) -> None:
        self.amounts[j] = value
        self._show_seed()
        self.request_frame()

    @Slot(float)
    def _on_edit(self, _value: float) -> None:
        self.request_frame()

    @Slot()
    def _on_code(self) -> None:
        self.request_frame()
        self.request_strip()

    def set_end(self, which: int, z: np.ndarray, name: str) -> None:
        self.walk.set_end(which, z, name)  # → request_strip

    @Slot(int, str)
    def _on_end_wanted(self, which: int, source: str) -> None:
        if source == "current":
            self.set_end(which, self.current_z(), self.tr("current"))
        elif self.config is not None:
            self.set_end(which, random_z(self.z, None, self._rng), self.tr("random"))

    @Slot(object)
    def _on_animated_z(self, z: np.ndarray) -> None:
        self.set_z(z, reset_edits=False)

    @Slot(int, float)
    def _on_animated_direction(self, j: int, amount: float) -> None:
        if 0 <= j < len(self.direction_sliders):
            self.direction_sliders[j].set_value(amount)
            self._on_direction(j, amount)

    # -- requests ------------------------------------------------------------
    def request_frame(self) -> int:
        if self.config is None or self.model == 0:
            return 0
        self.requested_stamp = stamp = next(self._stamps)
        self.link.post({"kind": "frame", "model": self.model, "stamp": stamp, "z": self.current_z(),
                        "code": self.current_code(), "t0": time.perf_counter(), "layers": self.layers.wanted()})
        return stamp

    def request_strip(self) -> None:
        path = self.walk.path()
        if path is None or self.config is None:
            return
        self.strip_requested = stamp = next(self._stamps)
        self.link.post({"kind": "strip", "model": self.model, "stamp": stamp, "path": path,
                        "code": self.current_code()})

    def request_directions(self) -> None:
        if self.config is not None:
            self.directions_box.waiting(computing=True)
            self.link.post({"kind": "directions", "model": self.model, "stamp": 0,
                            "k": min(N_DIRECTIONS, self.config.generator.z_dim)})

    def _refresh_all(self) -> None:
        self.request_frame()
        self.request_strip()
        if self.config is not None and self.config.is_2d:
            self.link.post({"kind": "plane", "model": self.model, "stamp": 0})

    def export_walk_gif(self, path: str | Path) -> None:
        walk = self.walk.path(GIF_FRAMES)
        if walk is None:
            self.message.emit(self.tr("Set both ends of the walk (A and B) first"))
            return
        self.link.post({"kind": "export", "model": self.model, "stamp": 0, "path": walk, "file": str(path),
                        "code": self.current_code(), "scale": EXPORT_SCALE})

    @Slot(str)
    def export_strip_png(self, path: str | Path) -> Path | None:
        if self.last_strip is None:
            self.message.emit(self.tr("No strip yet: set both ends of the walk (A and B) first"))
            return None
        saved = save_png(self.last_strip, path, scale=EXPORT_SCALE)
        self.message.emit(self.tr("Strip saved: {path}").format(path=saved))
        return saved

    # -- results (GUI thread) ------------------------------------------------
    @Slot(object)
    def _on_result(self, result: dict) -> None:
        if result.get("model") != self.model:
            return
        kind = result["kind"]
        if kind == "frame":
            self._show_frame(result)
        elif kind == "strip":
            self.strip_stamp = max(self.strip_stamp, result["stamp"])
            if "strip" in result:
                self.last_strip = result["strip"]
                self.view.show_strip(self.last_strip)
            else:
                self.view.show_path(result["points"])
        elif kind == "plane":
            self.view.show_plane_layers(result)
        elif kind == "directions":
            self.directions, self.explained = result["vectors"], result["explained"]
            self._rebuild_direction_sliders()
            self.directions_box.show_found(len(self.directions), result["source"], float(self.explained.sum()))
        elif kind == "exported":
            self.last_export = result["file"]
            self.message.emit(self.tr("Walk saved: {path}").format(path=result["file"]))
        elif kind == "error":
            self.last_error = result["message"]
            self.source.setText(self.tr("Error: {message}").format(message=result["message"]))
            self.message.emit(self.tr("Latent explorer: {message}").format(message=result["message"]))

    def _show_frame(self, result: dict) -> None:
        if result["stamp"] < self.shown_stamp:
            return
        self.shown_stamp = result["stamp"]
        if "picture" in result:
            self.last_picture = result["picture"]
            self.view.show_picture(self.last_picture)
        else:
            self.last_point = result["point"]
            self.view.show_point(self.last_point)
        self.frames_shown += 1
        self.latencies_ms.append((time.perf_counter() - result["t0"]) * 1000)
        if self.frames_shown % 10 == 1:
            self.view.show_response(list(self.latencies_ms)[-RESPONSE_WINDOW:])
        self.layers.show_layers(result.get("layers"))  # after the picture's response time is taken
