"""`gan-studio` with no command (or `window`): the app and its main window."""
from __future__ import annotations

import signal
import socket

from PySide6.QtCore import QObject, QSettings, QSocketNotifier, Slot
from PySide6.QtWidgets import QWidget

from ..core.run import StopRequest
from .app import APPLICATION, ORGANISATION, make_app
from .language_menu import start_in_language, tell_font_problem
from .main_window import MainWindow
from .translations import terminal_language, terminal_translator


class StopSignals(QObject):
    """SIGINT, SIGTERM and SIGHUP close `window` as its close button does (a running trainer saves a
    checkpoint first), instead of killing the process mid-step. The C-level handler writes the
    signal's number to a socket (`signal.set_wakeup_fd`) whose notifier wakes Qt's event loop, which
    otherwise would not run Python code until the next event."""

    def __init__(self, window: QWidget):
        super().__init__()
        self.window = window
        self.signum: int | None = None  # the first signal received
        self._read, self._write = socket.socketpair()
        for sock in (self._read, self._write):
            sock.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._write.fileno())
        self._previous = {sig: signal.signal(sig, lambda *_: None) for sig in StopRequest.SIGNALS}
        self.notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self.on_signal)

    @property
    def exit_status(self) -> int | None:
        return 128 + self.signum if self.signum else None

    @Slot()
    def on_signal(self) -> None:
        try:
            received = self._read.recv(64)
        except BlockingIOError:
            return
        if received and self.signum is None:
            self.signum = received[0]
            self.window.close()

    def uninstall(self) -> None:
        self.notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)
        self._read.close()
        self._write.close()


def run_app(preset: str | None = None, run_dir: str | None = None, attach: str | None = None,
            lang: str | None = None) -> int:
    """`run_dir`: open a run to resume or explore; `attach`: follow a run another process writes;
    `lang`: the window's language (else the saved or the system's). Ended by a signal, the status is
    the shell's 128 + its number."""
    app = make_app(translate=terminal_translator(terminal_language(lang)))
    _, font_problem = start_in_language(app, lang, QSettings(ORGANISATION, APPLICATION))
    window = MainWindow(preset=preset)
    stop_signals = StopSignals(window)
    window.show()
    if font_problem:
        tell_font_problem(window, font_problem)
    if run_dir:
        window.open_run(run_dir)
    if attach:
        window.attach(attach)
    status = app.exec()
    stop_signals.uninstall()
    return stop_signals.exit_status or status
