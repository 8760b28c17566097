"""Reading files that the user did not write: a run folder's metrics and sidecars, configs and images
from elsewhere. Malformed content becomes a message that names the file and says what is wrong, never
a traceback, and what can still be read is kept. The skipped part is reported as a `SkippedContent`
warning, which the CLI prints as one line; the window gets the same note from what the reader returns
(`Dataset.notes`, `RunFollower.skipped_lines`) and shows it in its status bar.
"""
from __future__ import annotations

import contextlib
import json
import math
import re
import warnings
from pathlib import Path
from typing import Callable, Iterator

class DataError(RuntimeError):
    """Data cannot be found or read; the message says where and what to do."""


SHOWN_NAMES = 5  # a skip report names this many files, then gives the count of the rest


class SkippedContent(UserWarning):
    """Part of a file or folder could not be read and was left out; the message says what and where."""


@contextlib.contextmanager
def skips_reported_to(report: Callable[[str], None]) -> Iterator[None]:
    """Within: each SkippedContent warning goes to `report` as its message alone (the CLI's one line);
    other warnings are shown as before."""
    with warnings.catch_warnings():
        show = warnings.showwarning

        def show_skips(message, category, *args, **kwargs):
            if issubclass(category, SkippedContent):
                report(str(message))
            else:
                show(message, category, *args, **kwargs)

        warnings.showwarning = show_skips
        yield


class UnreadableFile(ValueError):
    """A file that cannot be used at all; `reason` says why without the path, str() says both."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = Path(path), reason


def read_json(path: str | Path) -> object:
    """The JSON value in `path`; UnreadableFile when it cannot be read, is not UTF-8 or not JSON."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableFile(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                                   "a binary file?") from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:  # bad syntax, a 5,000-digit number, arrays nested 100,000 deep
        raise UnreadableFile(path, f"not valid JSON ({exc})") from None


def read_json_object(path: str | Path) -> dict:
    """The JSON object in `path`; UnreadableFile as read_json, or when it holds a list, a number…"""
    value = read_json(path)
    if not isinstance(value, dict):
        raise UnreadableFile(path, f"holds a JSON {json_kind(value)}, not an object")
    return value


def json_kind(value: object) -> str:
    return {list: "list", str: "string", bool: "boolean", int: "number", float: "number"}.get(type(value), "null")


def parse_json_lines(data: bytes) -> tuple[list[dict], int]:
    """(the JSON objects among the lines of `data`, how many non-blank lines were not one).

    Each line is decoded by itself, so one bad byte costs one line. A last line without its newline
    is still being written: it is kept when it parses and otherwise left out without being counted.
    """
    lines = data.split(b"\n")
    rows, skipped = [], 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            row = json.loads(line.decode("utf-8"))
        except (ValueError, RecursionError):  # not UTF-8, not JSON, nested too deep
            row = None
        if isinstance(row, dict):
            rows.append(row)
        elif i < len(lines) - 1:
            skipped += 1
    return rows, skipped


def metric_row(row: dict) -> dict | None:
    """The numbers of a metrics line (other values dropped), or None when its step is not a finite number;
    step and time must be finite, a loss may be NaN or infinite (a diverged run logs that)."""
    numbers = {k: v for k, v in row.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    if "step" not in numbers or not all(math.isfinite(numbers[k]) for k in ("step", "time") if k in numbers):
        return None
    return numbers


def read_json_lines(path: Path) -> list[dict]:
    """parse_json_lines of a whole file ([] when there is none), with a SkippedContent warning
    when lines were left out."""
    try:
        rows, skipped = parse_json_lines(Path(path).read_bytes())
    except FileNotFoundError:
        return []
    if skipped:
        warnings.warn(skipped_lines_note(path, skipped), SkippedContent, stacklevel=3)
    return rows


def skipped_lines_note(path: str | Path, count: int) -> str:
    """What a reader of JSON lines says about the lines it left out."""
    return f"skipped {count} unreadable line{'s' if count != 1 else ''} of {path} (not UTF-8 JSON objects)"


def skipped_files_note(folder: str | Path, problems: list[UnreadableFile], what: str = "file") -> str:
    """'skipped 3 unreadable image files in DIR: a.png (truncated), …': the first few names and the count."""
    shown = ", ".join(f"{p.path.name} ({p.reason})" for p in problems[:SHOWN_NAMES])
    rest = f" and {len(problems) - SHOWN_NAMES} more" if len(problems) > SHOWN_NAMES else ""
    plural = "s" if len(problems) != 1 else ""
    return f"skipped {len(problems)} unreadable {what}{plural} in {folder}: {shown}{rest}"


def open_image(path: Path, mode: str):
    """The image in `path`, decoded and converted to `mode` ("L", "RGB"); UnreadableFile saying why not:
    not an image, truncated, or so large that decoding it could exhaust memory (a decompression bomb)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)  # refused, not decoded
            with Image.open(path) as im:
                return im.convert(mode)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        pixels = re.search(r"\d+", str(exc))
        size = f": {int(pixels.group()):,} pixels" if pixels else ""
        raise UnreadableFile(path, f"too large to decode safely{size}") from None
    except UnidentifiedImageError:
        raise UnreadableFile(path, "not an image") from None
    except Exception as exc:  # OSError, SyntaxError, struct.error…: a decoder fails on bad data in many ways
        text = str(exc).strip()
        reason = "truncated" if "truncated" in text else text.splitlines()[0] if text else type(exc).__name__
        raise UnreadableFile(path, reason) from None
