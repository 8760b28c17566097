"""Follow a run directory that another process is writing (a CLI run, a torchrun job, a finished run).

Read-only: it never writes into the folder. A half-written last line of metrics.jsonl is left
for the next poll, and a checkpoint appears only once its writer has renamed it into place
(checkpoints are written to a temporary file first), so nothing incomplete is ever returned.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .checkpoints import list_checkpoints
from .config import Config, ConfigError
from .live_events import checked_event, is_event
from .readers import parse_json_lines


@dataclass
class RunUpdate:
    """What changed since the previous poll."""

    rows: list[dict] = field(default_factory=list)  # new metrics lines, in order (event rows left out)
    events: list[dict] = field(default_factory=list)  # new well-formed event rows (core.live_events)
    newest_sample: Path | None = None  # the newest sample image, when it changed
    new_checkpoints: list[Path] = field(default_factory=list)
    skipped_lines: int = 0  # new complete lines that were not JSON objects (a bad byte, a torn write)

    def __bool__(self) -> bool:
        return bool(self.rows or self.events or self.newest_sample or self.new_checkpoints or self.skipped_lines)


class RunFollower:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        if not self.root.is_dir():
            raise ConfigError(f"{self.root} is not a run directory")
        self.metrics_path = self.root / "metrics.jsonl"
        self._offset = 0  # bytes of metrics.jsonl consumed (complete lines only)
        self.behind = False  # the last poll left complete lines unread (it was given max_bytes)
        self.skipped_lines = 0  # lines of metrics.jsonl left out so far, not being JSON objects
        self.events: list[dict] = []  # every live edit read so far (begun again when the file is rewritten)
        self._sample: Path | None = None
        self._checkpoints: set[Path] = set()

    def config(self) -> Config | None:
        """The run's config, or None while the writer has not written it yet; ConfigError naming
        the file when what is there is not a config (binary, not JSON, bad values)."""
        path = self.root / "config.json"
        if not path.is_file():
            return None
        return Config.load(path)

    def poll(self, max_bytes: int | None = None) -> RunUpdate:
        """`max_bytes` bounds the metrics read by one poll (an old run's file can be large); the rest
        comes with the next polls, and `behind` says there is more."""
        rows, skipped = self._new_rows(max_bytes)
        self.skipped_lines += skipped
        events = [e for e in map(checked_event, rows) if e is not None]
        self.events += events
        update = RunUpdate(rows=[row for row in rows if not is_event(row)], events=events, skipped_lines=skipped)
        samples = sorted((self.root / "samples").glob("step-*.png"))
        if samples and samples[-1] != self._sample:
            self._sample = update.newest_sample = samples[-1]
        current = list_checkpoints(self.root / "checkpoints")
        update.new_checkpoints = [p for p in current if p not in self._checkpoints]
        self._checkpoints.update(update.new_checkpoints)
        return update

    def _new_rows(self, max_bytes: int | None = None) -> tuple[list[dict], int]:
        """(new complete lines that are JSON objects, how many others were left out)."""
        try:
            with open(self.metrics_path, "rb") as fh:
                size = fh.seek(0, 2)
                if size < self._offset:  # the writer rewrote the file (a resume from an earlier step)
                    self._offset = 0
                    self.events = []
                fh.seek(self._offset)
                chunk = fh.read(max_bytes if max_bytes else -1)
                if max_bytes and b"\n" not in chunk:
                    chunk += fh.readline()  # one line longer than max_bytes: read to its end
                self.behind = fh.tell() < size
        except FileNotFoundError:
            return [], 0
        complete = chunk[:chunk.rfind(b"\n") + 1]  # a line without its newline is still being written
        self._offset += len(complete)
        return parse_json_lines(complete)
