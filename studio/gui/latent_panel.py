"""The latent explorer panel of the window: the explorer (latent_explorer), fed with the live
run's generator or with a checkpoint's.

Following the live run, the panel asks the run for snapshots of G's weights (at the rate
chosen, and only while it is visible) and renders each; opening a checkpoint freezes it on
that generator.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, QEventLoop, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QHBoxLayout, QLabel, QWidget

from ..core.checkpoint_meta import step_from_name
from ..core.checkpoints import list_checkpoints, load_generator
from ..core.config import Config
from ..core.latent import LatentRenderer, weights_snapshot
from ..core.starters import starter_reference
from .latent_explorer import LatentExplorer
from .latent_render import KEEP_UP_S


class LatentPanel(LatentExplorer):
    """The explorer's widget. Fed by the window (live snapshots, fixed noise, picked samples) or by a
    checkpoint file; asks for snapshots through `snapshot_interval_changed` (0 = none wanted)."""

    snapshot_interval_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None,
                 renderer_factory: Callable[..., LatentRenderer] = LatentRenderer,
                 keep_up_s: float | None = KEEP_UP_S):
        super().__init__(parent, renderer_factory, keep_up_s)
        self.live = False  # the model is the live run's generator (not a checkpoint)
        self.step = 0
        self._wanted_interval = 0.0
        self._live_config: Config | None = None
        self._live_noise: np.ndarray | None = None
        self._pending_pick: int | None = None  # a sample picked before the first snapshot arrived
        self.shown_weights: dict[str, np.ndarray] | None = None  # G's weights on show (numpy, never changed)
        self._add_live_controls()

    def _add_live_controls(self) -> None:
        """Follow the live run (or stay frozen), and how often to take its weights."""
        self.follow = QCheckBox(self.tr("Follow the live run"))
        self.follow.setChecked(True)
        self.follow.setToolTip(self.tr("Unchecked: the explorer stays frozen on the snapshot it has"))
        self.follow.toggled.connect(self._on_follow)
        self.generator_grid.addWidget(self.follow, 1, 0)
        self.rate = QDoubleSpinBox()
        self.rate.setRange(0.2, 10.0)
        self.rate.setSingleStep(0.5)
        self.rate.setValue(2.0)
        self.rate.setSuffix(self.tr(" /s"))
        self.rate.setToolTip(self.tr("How often the explorer takes the live generator's weights"))
        self.rate.valueChanged.connect(self._update_wanted)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("refresh")))
        row.addWidget(self.rate)
        self.generator_grid.addLayout(row, 1, 1)

    # -- sources -------------------------------------------------------------
    def set_live_config(self, config: Config) -> None:
        """A run is starting: its generator replaces what the explorer shows when it follows the live run."""
        self._live_config = config
        self._live_noise = None
        self._pending_pick = None
        if self.follow.isChecked() or self.model == 0:
            self._wait_for_live()
            self.follow.setChecked(True)
            self._set_title(self.tr("waiting for the run's first snapshot"))

    def _set_title(self, where: str) -> None:
        self.title.setText(self.tr("Latent explorer — {g}, {where}").format(
            g="G(z, c)" if self.code_group.codes else "G(z)", where=where))

    def _wait_for_live(self) -> None:
        """Show nothing until the live run's next snapshot, which brings its generator."""
        self.live = True
        self.checkpoint = None
        self.shown_weights = None
        self._new_model(None)

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
        self.shown_weights = snapshot["weights"]
        if self.config is None:
            self.show_model(config, snapshot["weights"], self._live_noise)
            if self._pending_pick is not None:
                pick, self._pending_pick = self._pending_pick, None
                self.load_fixed_index(pick)
        else:
            self.link.post({"kind": "weights", "model": self.model, "weights": snapshot["weights"]})
        self.source.setText(self.tr("Live run — snapshot of step {step}").format(step=f"{self.step:,}"))
        self._set_title(self.tr("step {step}").format(step=f"{self.step:,}"))
        self.hint.setText(self.tr("Drag a slider, or click a sample in the Samples panel to load its z"))
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
        self.live = False
        self.checkpoint = Path(path)
        self.step = int(state.get("step", 0))
        self.shown_weights = weights
        self.show_model(config, weights, None if noise is None else noise.float().numpy())
        name, starter = Path(path).name, starter_reference(path)
        step = f"{self.step:,}"
        self.source.setText(self.tr("Starter generator “{name}” (step {step})").format(name=starter, step=step)
                            if starter else self.tr("Checkpoint {file} of {run} (step {step})").format(
                                file=name, run=Path(path).parent.parent.name, step=step))
        self._set_title(self.tr("starter “{name}”").format(name=starter) if starter else name)
        self.hint.setText(self.tr("Drag a slider; Random z draws a new latent"))
        self._refresh_all()

    def command_checkpoint(self) -> tuple[Path | None, str]:
        """The checkpoint shown; for the live run, the latest checkpoint of its run folder (the window's
        `run_dir`), with a note when it is not of the step shown, or a note that there is none yet."""
        if not self.live:
            return super().command_checkpoint()
        window = self.parentWidget()
        while window is not None and getattr(window, "run_dir", None) is None:
            window = window.parentWidget()
        saved = list_checkpoints(Path(window.run_dir) / "checkpoints") if window is not None else []
        if not saved:
            return None, self.tr("The live run has no checkpoint yet, and a command needs one: save one (File ▸ "
                                 "Save checkpoint) or open a checkpoint in the explorer, then copy again.")
        if step_from_name(saved[-1]) == self.step:
            return saved[-1], ""
        return saved[-1], self.tr("The command uses {file}, the run's latest checkpoint; the explorer shows step "
                                  "{step}, so its picture may differ. Open that checkpoint for an exact match.").format(
            file=saved[-1].name, step=f"{self.step:,}")

    def load_fixed_index(self, index: int) -> bool:
        """Load sample `index` of the fixed noise batch (a click in the Samples panel); one picked
        before the live run's first snapshot is loaded when that snapshot comes."""
        if self.config is None and self.live:
            waiting = self._live_noise is not None and 0 <= index < len(self._live_noise)
            if waiting:
                self._pending_pick = index
            return waiting
        return super().load_fixed_index(index)

    def busy(self) -> bool:
        """Whether a frame, strip or direction search asked for has not been shown yet."""
        return self.shown_stamp < self.requested_stamp or self.strip_stamp < self.strip_requested or \
            (self.config is not None and self.directions is None)

    def settle_for_screenshot(self, timeout_s: float = 60.0) -> None:
        """Walk from fixed sample 0 to sample 1 and wait until the picture, strip and directions are drawn."""
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
            self._wait_for_live()  # the next snapshot rebuilds the live generator
            self._set_title(self.tr("waiting for the next snapshot of the run"))
        self._update_wanted()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._update_wanted()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self._update_wanted()
