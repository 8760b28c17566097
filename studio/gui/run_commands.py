"""The main window's own run: Start, Pause, Step, Stop, Reset, and what its controller says back
besides output (state, failures, saves, the end). The output goes through the window's RunFeed."""
from __future__ import annotations

from PySide6.QtCore import QObject, Slot


class RunCommands(QObject):
    """Drives `window.controller` from the window's buttons and keys; holds a reference to the window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.controller = window.controller
        self.feed = window.feed
        self.controller.state_changed.connect(self.show_state)
        self.controller.failed.connect(self._on_failed)
        self.controller.message.connect(window.show_message)
        self.controller.saved.connect(self._on_saved)
        self.controller.finished.connect(self._on_finished)
        self.controller.ended.connect(self._on_ended)

    @Slot()
    def start(self) -> None:
        """Start a run with the form's config (or resume a paused one)."""
        if self.controller.active:
            self.controller.resume()
            return
        self.begin_run(paused=False)

    def begin_run(self, paused: bool) -> bool:
        """Start the form's config: a new run, or the resume or branch waiting for Start."""
        window = self.window
        if window.attachment is not None:
            window.statusBar().showMessage(self.tr("Attached to {run}, another process's run: File ▸ Detach from "
                                                   "run to train here, or Branch… from a checkpoint")
                                           .format(run=window.attachment.name), 15000)
            return False
        form = window.settings_panel
        if not form.valid:
            window.statusBar().showMessage(self.tr("Fix the settings marked in red first"))
            return False
        config = form.config
        self.clear_error()
        self.feed.begin(config)
        target = window.library_actions.run_target(config)
        if target is None:
            return False
        window.run_dir, resume = target
        form.set_run_active(True)
        self.controller.start(config, window.run_dir, resume, paused=paused,
                              sample_interval_s=1.0 / form.sample_rate.value())
        self.feed.ask_for_evals()
        self.show_state(self.controller.state)
        window.statusBar().showMessage(self.tr("Run directory: {folder}").format(folder=window.run_dir))
        return True

    @Slot()
    def toggle_pause(self) -> None:
        """Space: start when idle, else pause or resume."""
        state = self.controller.state
        if not self.controller.active:
            self.start()
        elif state in ("running", "starting") and not self.controller.pausing:
            self.controller.pause()
        elif state in ("paused", "starting"):
            self.controller.resume()

    @Slot(str)
    def step(self, kind: str = "both") -> None:
        if not self.controller.active and not self.begin_run(paused=True):
            return
        if self.controller.state != "stopping":
            self.controller.step(kind)

    @Slot()
    def stop(self) -> None:
        self.controller.stop(save=True)
        self.show_state(self.controller.state)

    @Slot()
    def reset(self) -> None:
        """End the run without saving and clear plots and samples."""
        if self.window.attachment is not None:
            return
        self.feed.discard()
        self.clear_error()
        if self.controller.active:
            self.controller.stop(save=False)
        else:
            self.window.samples.preview(self.window.settings_panel.config)
        self.show_state(self.controller.state)

    @Slot()
    def save_checkpoint(self) -> None:
        if self.controller.active:
            self.controller.save()
        else:
            self.window.statusBar().showMessage(self.tr("No active run to save: start one first"))

    def clear_error(self) -> None:
        self.window.last_error = ""
        self.window.controls.show_error("")

    # -- what the controller says ----------------------------------------------------------
    @Slot(str)
    def show_state(self, state: str) -> None:
        window = self.window
        window.controls.set_state(state, can_start=window.settings_panel.valid)
        window.space_action.setEnabled(state != "stopping" and window.attachment is None)
        if window.attachment is not None:
            window.controls.set_attached(window.attachment.name)
        window.checkpoints.set_run_active(self.controller.active)

    @Slot(object)
    def _on_failed(self, info: dict) -> None:
        self.show_failure(info["message"])
        if info.get("term") == "save":
            self.window.checkpoints.show_error(info["message"])

    def show_failure(self, message: str) -> None:
        """Why the run stopped or could not start, under the controls and in the status bar."""
        window = self.window
        window.last_error = message
        window.controls.show_error(message)
        window.statusBar().showMessage(message)

    @Slot(str)
    def _on_saved(self, path: str) -> None:
        self.window.last_checkpoint = path
        self.window.statusBar().showMessage(self.tr("Checkpoint saved: {path}").format(path=path), 8000)
        self.window.checkpoints.refresh()

    @Slot(object)
    def _on_finished(self, info: dict) -> None:
        if info.get("checkpoint"):
            self.window.last_checkpoint = info["checkpoint"]

    @Slot()
    def _on_ended(self) -> None:
        window = self.window
        if window.closing:
            return
        window.settings_panel.set_run_active(False)
        discarded = self.feed.discarding
        self.feed.ended()
        self.show_state("idle")
        if discarded:
            window.samples.preview(window.settings_panel.config)
            window.samples.set_hint(self.tr("Press Start (or Space) to train “{preset}”")
                                    .format(preset=window.settings_panel.preset()))
