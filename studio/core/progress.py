"""A headless run's progress on stderr: tqdm's bar on a terminal, plain lines in a log."""
from __future__ import annotations

import sys
import time


class ProgressReport:
    """tqdm's bar on a terminal; in a log (stderr not a terminal) a plain line per tenth of the run, no
    carriage-return redraws."""

    def __init__(self, start: int, total: int, enabled: bool = True):
        self.start, self.total, self.enabled = start, total, enabled
        self.bar = None
        self.t0 = time.perf_counter()
        self.next_line = start
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=start, unit="step", dynamic_ncols=True, mininterval=0.2,
                            file=sys.stderr)

    def update(self, rows: list[dict]) -> None:
        if not self.enabled or not rows:
            return
        try:
            self._show(rows)
        except (OSError, ValueError):  # the terminal is gone (SIGHUP): train on, silently
            self.enabled, self.bar = False, None

    def _show(self, rows: list[dict]) -> None:
        row = rows[-1]
        losses = {k: f"{row[k]:.3f}" for k in ("loss_d", "loss_g") if k in row}
        if self.bar is not None:
            self.bar.update(len(rows))
            if self.bar.n % 10 == 0:
                self.bar.set_postfix(losses, refresh=False)
        elif row["step"] >= self.next_line or row["step"] == self.total:
            rate = (row["step"] - self.start) / max(time.perf_counter() - self.t0, 1e-9)
            text = " ".join(f"{k} {v}" for k, v in losses.items())
            print(f"step {row['step']}/{self.total}  {rate:.1f} steps/s  {text}", file=sys.stderr, flush=True)
            self.next_line = row["step"] + max(1, (self.total - self.start) // 10)

    def close(self) -> None:
        if self.bar is not None:
            try:
                self.bar.close()
            except (OSError, ValueError):
                pass
            self.bar = None

def say(text: str) -> None:
    """A line on stderr, unless the terminal is gone (SIGHUP): the run's files matter more than its messages."""
    try:
        print(text, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass
