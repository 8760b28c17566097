"""Live edits of a run (a learning rate, D steps, a penalty weight changed while it trains), kept so
that a curve's bend can be traced to the change that caused it.

An edit is recorded as an event row in metrics.jsonl, `{"step": N, "event": "live_edit", "changes":
{"optim.lr_g": [old, new]}}`, written by the `RunLoop`, and in the trainer's checkpoints as a list of
the same dicts (`Trainer.live_events`), so a resumed or branched run keeps its history of edits. An
event row has a "step" so that resuming, setting a later history aside and branching cut it at the
same step as the metric rows; readers of metric rows leave it out with `is_event`.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from .atomic import append_whole
from .config import Config, live_fields

LIVE_EDIT = "live_edit"


def is_event(row: dict) -> bool:
    """Whether a metrics.jsonl row is an event (of any kind, well-formed or not) rather than metrics."""
    return "event" in row


def metric_rows(rows: list[dict]) -> list[dict]:
    """The rows that are metrics: what curves, tables and CSV files are made of."""
    return [row for row in rows if not is_event(row)]


def config_changes(old: Config, new: Config) -> dict[str, list]:
    """{"section.field": [old, new]} of the live fields whose value differs."""
    before, after, live = old.to_dict(), new.to_dict(), live_fields()
    return {path: [before[s][f], after[s][f]] for path in sorted(live) for s, f in [path.split(".", 1)]
            if before.get(s, {}).get(f) != after.get(s, {}).get(f)}


def event_row(step: int, changes: dict[str, list]) -> dict:
    return {"step": int(step), "event": LIVE_EDIT, "changes": changes}


def write_event(metrics_path: Path, event: dict) -> None:
    """One event row appended to metrics.jsonl, whole or not at all (not a TensorBoard scalar)."""
    append_whole(metrics_path, (json.dumps(event) + "\n").encode())


def checked_event(row: object) -> dict | None:
    """A well-formed live-edit event as plain data, or None: files and checkpoints may hold anything."""
    if not isinstance(row, dict) or row.get("event") != LIVE_EDIT:
        return None
    step, changes = row.get("step"), row.get("changes")
    if isinstance(step, bool) or not isinstance(step, (int, float)) or not math.isfinite(step) or step < 0:
        return None
    if not isinstance(changes, dict) or not changes:
        return None
    kept = {str(name): list(pair) for name, pair in changes.items()
            if isinstance(pair, (list, tuple)) and len(pair) == 2 and all(map(_plain, pair))}
    return event_row(int(step), kept) if kept else None


def _plain(value: object) -> bool:
    return value is None or isinstance(value, (bool, int, str)) or (isinstance(value, float) and math.isfinite(value))


def checked_events(rows: object) -> list[dict]:
    """The well-formed events among `rows` (a list from a file or a checkpoint), by step."""
    if not isinstance(rows, (list, tuple)):
        return []
    return sorted((e for e in map(checked_event, rows) if e is not None), key=lambda e: e["step"])


def run_events(run_dir: str | Path) -> list[dict]:
    """The live edits recorded in a run folder's metrics.jsonl (malformed rows skipped)."""
    from .readers import read_json_lines

    return checked_events(read_json_lines(Path(run_dir) / "metrics.jsonl"))


def checkpoint_events(state: dict) -> list[dict]:
    """The live edits a loaded checkpoint holds (`checkpoints.load_checkpoint`); [] for one from before
    they were kept. It takes the state, not the path, so that this module needs nothing of the trainer's."""
    return checked_events(state.get("live_events"))


def short_number(value: object) -> str:
    """2e-4, 0.5, 10, true: a value as short as a plot label wants it."""
    if isinstance(value, bool) or not isinstance(value, float):
        return str(value).lower() if isinstance(value, bool) else str(value)
    if value != 0 and not 1e-2 <= abs(value) < 1e4:
        mantissa, exponent = f"{value:.2e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
    return f"{value:.4g}"


def event_label(event: dict, with_step: bool = True) -> str:
    """'lr_g 2e-4 → 1e-3 at step 300': each change by its field's last name."""
    text = ", ".join(f"{name.rpartition('.')[2]} {short_number(old)} → {short_number(new)}"
                     for name, (old, new) in event["changes"].items())
    return f"{text} at step {event['step']:,}" if with_step else text
