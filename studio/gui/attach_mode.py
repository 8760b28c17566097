"""The main window attached to a run another process writes: read-only, its output through the
window's RunFeed, its checkpoints in the library panel, training controls off until detached."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QFileDialog, QLabel

from ..core.config import Config, ConfigError
from ..core.library import is_run_dir
from ..core.presets import preset_descriptions, preset_texts
from .attach_view import RunAttachment
from .translations import current_language

ATTACHED_STYLE = "background: #e8f0fe; color: #174ea6; font-weight: bold; padding: 2px 8px;"


class AttachMode(QObject):
    """Holds the window's RunAttachment while there is one; holds a reference to the window."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.attachment: RunAttachment | None = None
        self.label: QLabel | None = None

    def attach(self, run_dir: str | Path) -> bool:
        """Follow a run that another process writes: its plots, samples, coverage and checkpoints, live.

        The window only reads that folder; training controls stay off until `detach()`.
        """
        window = self.window
        if window.controller.active:
            window.statusBar().showMessage(self.tr("A run is training in this window: Stop it before attaching"), 15000)
            return False
        self.detach()
        try:
            attachment = RunAttachment(run_dir, self)
        except ConfigError as exc:
            window.statusBar().showMessage(str(exc), 15000)
            return False
        self.attachment = attachment
        window.library_actions.pending_start = None
        window.feed.clear()
        window.run_commands.clear_error()
        window.feed.discarding = False  # output of a run reset earlier is long gone
        window.controls.set_device(self.tr("another process"))
        window.settings_panel.setEnabled(False)
        window.feed.follow(attachment, keep_every_eval=True)
        attachment.config_known.connect(self._on_config)
        attachment.checkpoint.connect(self._on_checkpoint)
        attachment.thumbnail.connect(window.checkpoints.set_picture)
        attachment.status.connect(self._on_status)
        attachment.message.connect(window.show_message)
        self.label = QLabel()
        self.label.setStyleSheet(ATTACHED_STYLE)
        window.statusBar().addPermanentWidget(self.label)
        window.checkpoints.set_read_only(attachment.root)
        if is_run_dir(attachment.root):
            self._list_run()
        window.detach_action.setEnabled(True)
        window.run_commands.show_state(window.controller.state)
        window.statusBar().showMessage(self.tr("Following {folder}: nothing is written there").format(
            folder=attachment.root), 15000)
        attachment.start()
        return True

    @Slot()
    def detach(self) -> None:
        """Stop following the attached run (its last state stays on show); training controls come back."""
        attachment, self.attachment = self.attachment, None
        if attachment is None:
            return
        window = self.window
        attachment.stop()
        window.feed.follow(window.controller)
        attachment.deleteLater()
        window.statusBar().removeWidget(self.label)
        self.label.deleteLater()
        self.label = None
        window.checkpoints.set_read_only(None)
        window.settings_panel.setEnabled(True)
        window.detach_action.setEnabled(False)
        window.setWindowTitle(self.tr("GAN Studio — {name}").format(name=window.settings_panel.preset()))
        window.run_commands.show_state(window.controller.state)
        if not window.closing:
            window.statusBar().showMessage(self.tr("Detached from {run}").format(run=attachment.name), 8000)

    @Slot()
    def ask_attach(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("Attach to a run (read-only)"), str(Path.cwd()))
        if folder:
            self.attach(folder)

    def _list_run(self) -> None:
        """List the attached run in the checkpoints browser (linked into the library, not written to)."""
        root = self.attachment.root
        try:
            self.window.library.add_run(root)
        except OSError as exc:
            self.window.statusBar().showMessage(self.tr("Could not list {folder} in the library: {reason}").format(
                folder=root, reason=exc), 15000)
            return
        self.window.checkpoints.select_run(root)

    @Slot(object)
    def _on_config(self, config: Config) -> None:
        if self.attachment is None:
            return
        window = self.window
        # the picker names the run's preset where its description matches one, else stays blank
        preset = next((name for name, text in preset_descriptions().items() if text == config.description), "")
        description = preset_texts(preset, current_language())[0] if preset else config.description
        window.settings_panel.show_run_config(config, preset, description or self.tr("The settings of {run}").format(
            run=self.attachment.name))
        window.feed.begin(config)
        window.samples.set_hint(self.tr("Waiting for the run's first samples (written every {every} steps)").format(
            every=f"{config.train.sample_every:,}"))
        self._list_run()

    @Slot(str)
    def _on_checkpoint(self, path: str) -> None:
        if self.attachment is None:
            return
        shown = self.window.checkpoints.current_run
        if shown is None or shown.resolve() != self.attachment.root.resolve():
            self._list_run()
        else:
            self.window.checkpoints.refresh()

    @Slot(str)
    def _on_status(self, text: str) -> None:
        if self.attachment is None:
            return
        self.window.setWindowTitle(self.tr("GAN Studio — {name}").format(name=text))
        self.label.setText(text)
