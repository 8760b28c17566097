"""The window's classroom panels wired together: slow motion, the model diagram, drawn data, and the
explorer's inversion pad and nearest training images.

A window part, like RunCommands: it owns no widget, it connects the panels the window holds and asks
the run for a slow-motion iteration (starting a paused run first when none is active).
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Slot

from .invert_panel import add_inversion_tools


class Classroom(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        window.slow_motion.iteration_requested.connect(self.slow_motion_iteration)
        window.controller.slow_motion_frames.connect(window.slow_motion.set_frames)
        window.slow_motion.frame_shown.connect(window.diagram.show_frame)
        window.controller.metrics.connect(window.diagram.show_metrics)
        window.diagram.setting_requested.connect(self.focus_setting)
        window.drawing.message.connect(window.show_message)
        window.drawing.train_requested.connect(self.train_on_drawing)
        self.inversion_pad, self.neighbours = add_inversion_tools(window.latent)  # boxes beside the explorer

    def _bring_forward(self, *names: str) -> None:
        for name in names:
            self.window.docks[name].show()
            self.window.docks[name].raise_()

    @Slot()
    def slow_motion_iteration(self) -> None:
        """The run's next step in slow motion (a paused run is started first)."""
        window = self.window
        if window.attachment is not None:
            window.slow_motion.set_frames({"error": QCoreApplication.translate(
            "Classroom", "a followed run is read-only; train it here to replay a step")})
        elif window.controller.active or window.run_commands.begin_run(paused=True):
            self._bring_forward("slowmotion", "diagram")
            window.controller.slow_motion()

    @Slot(str)
    def focus_setting(self, path: str) -> None:
        """Bring the Settings panel forward with the field `path` in view and focused."""
        self._bring_forward("settings")
        panel = self.window.settings_panel
        editor = panel.editors[path]
        panel.scroll.ensureWidgetVisible(editor.widget)
        editor.widget.setFocus()

    @Slot(str)
    def train_on_drawing(self, path: str) -> None:
        self.window.settings_panel.set_value("data.name", f"points:{path}")
