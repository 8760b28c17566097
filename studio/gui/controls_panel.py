"""Controls: Start, Pause/Resume, Step, Step D only, Step G only, Stop, Reset, and the run's counters."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget


def format_duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ControlsPanel(QWidget):
    start_clicked = Signal()
    pause_clicked = Signal()  # pause or resume, by state
    step_clicked = Signal(str)  # "both", "d", "g"
    stop_clicked = Signal()
    reset_clicked = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        buttons = QGridLayout()
        buttons.setSpacing(4)

        def button(text: str, tip: str, slot) -> QPushButton:
            b = QPushButton(text)
            b.setToolTip(tip)
            b.setMinimumHeight(34)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            b.clicked.connect(slot)
            return b

        self.start_button = button(self.tr("▶  Start"), self.tr("start training (Space)"), self.start_clicked)
        self.start_button.setStyleSheet("QPushButton:enabled { background: #1e8e3e; color: white; "
                                        "font-weight: bold; }")
        self.pause_button = button(self.tr("❚❚  Pause"), self.tr("pause or resume (Space)"), self.pause_clicked)
        self.step_button = button(self.tr("Step"), self.tr("one iteration: D update(s) then G update (S)"),
                                  lambda: self.step_clicked.emit("both"))
        self.step_d_button = button(self.tr("Step D only"), self.tr("one update of the discriminator"),
                                    lambda: self.step_clicked.emit("d"))
        self.step_g_button = button(self.tr("Step G only"), self.tr("one update of the generator"),
                                    lambda: self.step_clicked.emit("g"))
        self.stop_button = button(self.tr("■  Stop"), self.tr("end the run and save a checkpoint"), self.stop_clicked)
        self.reset_button = button(self.tr("⟲  Reset"), self.tr("end the run and clear plots and samples"),
                                   self.reset_clicked)
        buttons.addWidget(self.start_button, 0, 0)
        buttons.addWidget(self.pause_button, 0, 1)
        buttons.addWidget(self.step_button, 1, 0)
        buttons.addWidget(self.stop_button, 1, 1)
        buttons.addWidget(self.step_d_button, 2, 0)
        buttons.addWidget(self.step_g_button, 2, 1)
        buttons.addWidget(self.reset_button, 3, 0, 1, 2)
        layout.addLayout(buttons)

        counters = QGridLayout()
        counters.setHorizontalSpacing(10)
        self.values: dict[str, QLabel] = {}
        titles = (("step", self.tr("Step", "the step counter")), ("elapsed", self.tr("Elapsed")),
                  ("rate", self.tr("Steps/s")), ("device", self.tr("Device")))
        for row, (key, title) in enumerate(titles):
            name = QLabel(title)
            name.setStyleSheet("color: #555;")
            value = QLabel("–")
            value.setStyleSheet("font-size: 15pt; font-weight: bold;")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            counters.addWidget(name, row // 2 * 2, row % 2)
            counters.addWidget(value, row // 2 * 2 + 1, row % 2)
            self.values[key] = value
        layout.addLayout(counters)

        self.state_label = QLabel(self.tr("Ready"))
        self.state_label.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.state_label)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet("background: #fdecea; color: #a50e0e; border: 1px solid #d93025; "
                                       "border-radius: 4px; padding: 6px;")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        self.set_state("idle", can_start=True)
        self.set_counters(0, 0.0, 0.0)

    def set_counters(self, step: int, elapsed: float, rate: float) -> None:
        self.values["step"].setText(f"{step:,}")
        self.values["elapsed"].setText(format_duration(elapsed))
        self.values["rate"].setText(f"{rate:.1f}" if rate > 0 else "–")

    def set_device(self, device: str) -> None:
        self.values["device"].setText(device)

    def set_state(self, state: str, can_start: bool) -> None:
        """idle, starting, running, paused, completed, stopping."""
        idle = state == "idle"
        active = not idle and state != "stopping"
        self.start_button.setEnabled(idle and can_start)
        self.pause_button.setEnabled(state in ("running", "paused", "starting"))
        self.pause_button.setText(self.tr("▶  Resume") if state == "paused" else self.tr("❚❚  Pause"))
        for b in (self.step_button, self.step_d_button, self.step_g_button):
            b.setEnabled((idle and can_start) or state in ("running", "paused", "completed", "starting"))
        self.stop_button.setEnabled(active)
        self.reset_button.setEnabled(state != "stopping")
        self.state_label.setText({"idle": self.tr("Ready — press Start or Space"), "starting": self.tr("Starting…"),
                                  "running": self.tr("Training"), "paused": self.tr("Paused"),
                                  "completed": self.tr("Run complete (reached train.steps)"),
                                  "stopping": self.tr("Stopping…")}.get(state, state))

    def set_attached(self, run_name: str) -> None:
        """Following another process's run: nothing here can train it."""
        for b in (self.start_button, self.pause_button, self.step_button, self.step_d_button, self.step_g_button,
                  self.stop_button, self.reset_button):
            b.setEnabled(False)
        self.state_label.setText(self.tr("Following {run} (read-only): it trains in another process")
                                 .format(run=run_name))
        self.state_label.setWordWrap(True)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
