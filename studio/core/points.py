"""Your own 2-D data (`points:PATH`): read, validate, normalise and write point sets, and find the
modes of drawn clusters so the mode meter works on them.

A file is a CSV of `x,y` rows (one header line allowed; blank lines and `#` comments skipped) or an
N×2 `.npy`. The points are normalised once, the same way for training and for every drawing of them:
centred on the middle of their bounding box and divided by half its longer side, so they fill the
square [-1, 1]² with their aspect kept (the drawing panel's canvas is that square, so a drawing that
fills the canvas is trained as drawn).
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from .readers import DataError

MIN_POINTS = 10  # fewer is not a distribution a GAN can learn (nor a batch)
MAX_POINTS = 1_000_000  # as data.n_samples
SUFFIXES = (".csv", ".npy")
MODE_BINS = 24  # cells per side of the grid whose occupied, touching cells make one drawn cluster
MAX_MODES = 50


def points_path(name: str) -> Path:
    """The file of a `points:PATH` data name."""
    return Path(name[len("points:"):]).expanduser()


def read_points(path: str | Path) -> np.ndarray:
    """The points in a CSV or .npy file as float64 N×2; DataError naming the file and what is wrong
    (missing, not numbers, wrong shape, NaN or infinite values, too few or too many points)."""
    path = Path(path).expanduser()
    if path.suffix.lower() not in SUFFIXES:
        raise DataError(f"{path}: points must be a .csv (x,y rows) or an N×2 .npy file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read points file {path}: {exc.strerror or exc}") from None
    if not raw.strip():
        raise DataError(f"points file {path} is empty")
    pts = _parse_npy(path, raw) if path.suffix.lower() == ".npy" else _parse_csv(path, raw)
    bad = ~np.isfinite(pts).all(axis=1)
    if bad.any():
        raise DataError(f"points file {path} has {int(bad.sum())} point(s) with NaN or infinite coordinates "
                        f"(first at row {int(np.argmax(bad)) + 1})")
    if len(pts) < MIN_POINTS:
        raise DataError(f"points file {path} holds {len(pts)} point(s); at least {MIN_POINTS} are needed")
    if len(pts) > MAX_POINTS:
        raise DataError(f"points file {path} holds {len(pts):,} points, more than {MAX_POINTS:,}")
    return pts


def _parse_npy(path: Path, raw: bytes) -> np.ndarray:
    try:
        arr = np.load(io.BytesIO(raw), allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise DataError(f"points file {path} is not a readable .npy array ({exc})") from None
    if not isinstance(arr, np.ndarray) or arr.dtype.kind not in "iuf":
        raise DataError(f"points file {path} holds {getattr(arr, 'dtype', type(arr).__name__)} values, "
                        f"not numbers")
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise DataError(f"points file {path} has shape {'×'.join(map(str, arr.shape)) or 'scalar'}, "
                        f"expected N×2 (one x, y row per point)")
    return arr.astype(np.float64)


def _parse_csv(path: Path, raw: bytes) -> np.ndarray:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"points file {path} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
                        f"{exc.start}); a binary file?") from None
    rows, first = [], True
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fields = [f.strip() for f in line.replace(";", ",").split(",")] if "," in line or ";" in line \
            else line.split()
        try:
            values = [float(f) for f in fields]
        except ValueError:
            if first:  # a header line such as "x,y"
                first = False
                continue
            raise DataError(f"points file {path} line {number}: expected two numbers x,y, got {line[:60]!r}") \
                from None
        first = False
        if len(values) != 2:
            raise DataError(f"points file {path} line {number}: expected two numbers x,y, got {len(values)} "
                            f"value(s)")
        rows.append(values)
    if not rows:
        raise DataError(f"points file {path} holds no x,y rows")
    return np.array(rows, dtype=np.float64)


def write_points(path: str | Path, points: np.ndarray) -> Path:
    """Save N×2 points as CSV (with an `x,y` header) or .npy, by the suffix; written whole or not at all."""
    from .atomic import write_atomic

    path = Path(path).expanduser()
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if path.suffix.lower() == ".npy":
        buffer = io.BytesIO()
        np.save(buffer, pts)
        write_atomic(path, buffer.getvalue())
    elif path.suffix.lower() == ".csv":
        write_atomic(path, "x,y\n" + "".join(f"{x:.6g},{y:.6g}\n" for x, y in pts))
    else:
        raise DataError(f"{path}: points are saved as .csv or .npy")
    return path


def normalise(points: np.ndarray) -> np.ndarray:
    """Points moved and scaled (one factor for both axes) to fill [-1, 1]²: the module's rule."""
    pts = np.asarray(points, dtype=np.float64)
    low, high = pts.min(0), pts.max(0)
    half = float((high - low).max()) / 2
    return (pts - (low + high) / 2) / (half if half > 0 else 1.0)


def brush_stroke(start: np.ndarray, end: np.ndarray, radius: float, rng: np.random.Generator,
                 per_dab: int = 8) -> np.ndarray:
    """Points a brush of `radius` sprays from `start` to `end`: a dab of `per_dab` points, uniform in a
    disc, every half radius along the way (a click is a stroke of length 0: one dab), kept in [-1, 1]²."""
    start, end = np.asarray(start, np.float64), np.asarray(end, np.float64)
    dabs = max(1, int(np.ceil(np.linalg.norm(end - start) / (radius / 2))))
    t = np.linspace(0, 1, dabs + 1)[1:] if dabs > 1 else np.ones(1)
    centres = np.repeat(start + t[:, None] * (end - start), per_dab, axis=0)
    r, angle = radius * np.sqrt(rng.uniform(size=len(centres))), rng.uniform(0, 2 * np.pi, len(centres))
    return np.clip(centres + np.stack([r * np.cos(angle), r * np.sin(angle)], 1), -1, 1)


def erase_stroke(points: np.ndarray, start: np.ndarray, end: np.ndarray, radius: float) -> np.ndarray:
    """The points farther than `radius` from every point of the segment start→end (an eraser's path)."""
    pts, start, end = np.asarray(points, np.float64).reshape(-1, 2), np.asarray(start), np.asarray(end)
    span = end - start
    t = np.clip(((pts - start) @ span) / max(float(span @ span), 1e-12), 0, 1)
    return pts[np.linalg.norm(pts - (start + t[:, None] * span), axis=1) > radius]


def find_modes(points: np.ndarray) -> tuple[np.ndarray | None, float | None]:
    """(centres K×2, σ) of separate drawn clusters in normalised points, or (None, None) when the points
    do not form 2 to MAX_MODES separate clusters.

    Clusters are the groups of touching occupied cells (8 neighbours) of a MODE_BINS² grid over
    [-1, 1]²; groups with under 2 % of the points are strays. σ is the pooled per-axis spread around
    the centres, so "within 3σ" (the mode meter's high quality) covers a drawn blob; clusters whose
    centres are less than 6σ apart are not separate, and no modes are reported.
    """
    pts = np.asarray(points, dtype=np.float64)
    cells = np.clip(((pts + 1) / 2 * MODE_BINS).astype(int), 0, MODE_BINS - 1)
    cell_id = cells[:, 0] * MODE_BINS + cells[:, 1]
    labels = _touching_groups(set(cell_id.tolist()))
    group = np.array([labels[c] for c in cell_id.tolist()])
    sizes = np.bincount(group)
    kept = np.flatnonzero(sizes >= max(3, 0.02 * len(pts)))
    if not 2 <= len(kept) <= MAX_MODES:
        return None, None
    centres = np.stack([pts[group == k].mean(0) for k in kept])
    inside = np.isin(group, kept)
    offsets = pts[inside] - centres[np.searchsorted(kept, group[inside])]
    sigma = max(float(np.sqrt((offsets ** 2).mean())), 1e-3)
    gaps = np.linalg.norm(centres[:, None] - centres[None], axis=2) + np.eye(len(centres)) * 1e9
    if gaps.min() < 6 * sigma:
        return None, None
    return centres, sigma


def _touching_groups(occupied: set[int]) -> dict[int, int]:
    """Group number of each occupied cell (row-major id), cells touching by side or corner grouped."""
    labels: dict[int, int] = {}
    groups = 0
    for start in sorted(occupied):
        if start in labels:
            continue
        labels[start], stack, groups = groups, [start], groups + 1
        while stack:
            cell = stack.pop()
            i, j = divmod(cell, MODE_BINS)
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    ni, nj = i + di, j + dj
                    other = ni * MODE_BINS + nj
                    if 0 <= ni < MODE_BINS and 0 <= nj < MODE_BINS and other in occupied and other not in labels:
                        labels[other] = labels[start]
                        stack.append(other)
    return labels


def load_points(name: str) -> tuple[np.ndarray, np.ndarray | None, float | None]:
    """(normalised points N×2, drawn cluster centres or None, σ or None) of a `points:PATH` data name."""
    pts = normalise(read_points(points_path(name)))
    centres, sigma = find_modes(pts)
    return pts, centres, sigma
