"""Loading a `folder:PATH` data set: time and peak memory, first start (decode) and cached start.

Each case runs in a fresh Python process (peak RSS is per process: `ru_maxrss`), with its own cache
folder, so no page of an earlier case counts. The synthetic folders are 64×64 RGB JPEGs in ten class
subfolders; make them once (outside the repository), measure, delete them after.

    python benchmarks/bench_folder.py --make 20000 /tmp/folder-20k     # write the synthetic images
    python benchmarks/bench_folder.py --decoders /tmp/folder-20k       # threads vs processes vs one core
    python benchmarks/bench_folder.py /tmp/folder-20k /tmp/folder-200k # the table: first and cached start
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import numpy as np

SIZE, CHANNELS, CLASSES = 64, 3, 10


def make_folder(folder: Path, n: int) -> None:
    """n seeded 64×64 JPEGs (a colour gradient with a few shapes) in CLASSES subfolders."""
    from PIL import Image, ImageDraw

    def write(i: int) -> None:
        rng = np.random.default_rng(i)
        ramp = np.linspace(0, 1, SIZE)
        base = rng.integers(0, 256, 3) * ramp[:, None, None] + rng.integers(0, 256, 3) * ramp[None, :, None]
        im = Image.fromarray((base / 2).astype(np.uint8))
        draw = ImageDraw.Draw(im)
        for _ in range(3):
            x, y = rng.integers(0, SIZE - 8, 2)
            w, h = rng.integers(6, 30, 2)
            draw.ellipse((x, y, x + w, y + h), fill=tuple(int(v) for v in rng.integers(0, 256, 3)))
        path = folder / f"class-{i % CLASSES}" / f"{i:06d}.jpg"
        im.save(path, quality=90)

    for k in range(CLASSES):
        (folder / f"class-{k}").mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(write, range(n), chunksize=256))
    size = sum(p.stat().st_size for p in folder.rglob("*.jpg"))
    print(f"wrote {n:,} images ({size / 1e6:,.0f} MB) into {folder} in {time.perf_counter() - t0:.0f} s")


def rss_mb() -> float:
    """Peak resident memory of this process so far, MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def file_rss_mb() -> float:
    """Resident pages mapped from files (libraries, a mapped cache), MiB: the kernel can drop and re-read them."""
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("RssFile:")) / 1024


def child_load(folder: str) -> dict:
    """One start of `folder:PATH` as a training run does it (load_dataset), then 20 batches drawn."""
    import torch

    from studio.core.config import Config
    from studio.core.data import load_dataset

    base, base_file = rss_mb(), file_rss_mb()
    config = Config().updated({"data.name": f"folder:{folder}", "data.image_size": SIZE, "data.channels": CHANNELS})
    t0 = time.perf_counter()
    data = load_dataset(config.data)
    load_s = time.perf_counter() - t0
    rng = torch.Generator().manual_seed(0)
    t0 = time.perf_counter()
    for _ in range(20):
        data.batch(64, rng)
    return {"n": len(data), "load_s": load_s, "batch_ms": (time.perf_counter() - t0) / 20 * 1000,
            "peak_rss_mb": rss_mb(), "base_rss_mb": base, "mapped_mb": file_rss_mb() - base_file}


def _decode_chunk(paths: list[Path]) -> np.ndarray:
    from studio.core.image_folder import decode_image

    return np.stack([decode_image(p, SIZE, CHANNELS) for p in paths])


def child_decode(folder: str, how: str, limit: int) -> dict:
    """Decode the first `limit` images of `folder` one way: serial, threads (the loader's way) or processes."""
    from studio.core.image_folder import decode_images, folder_listing

    paths = [Path(folder).joinpath(*parts) for parts, _, _ in folder_listing(Path(folder))][:limit]
    workers = len(os.sched_getaffinity(0))
    t0 = time.perf_counter()
    if how == "serial":
        decode_images(paths, SIZE, CHANNELS, workers=1)
    elif how == "threads":
        decode_images(paths, SIZE, CHANNELS, workers=workers)
    else:
        chunks = [paths[i:i + 128] for i in range(0, len(paths), 128)]
        with ProcessPoolExecutor(workers) as pool:
            np.concatenate(list(pool.map(_decode_chunk, chunks)))
    seconds = time.perf_counter() - t0
    return {"how": how, "n": len(paths), "s": seconds, "images_per_s": len(paths) / seconds, "workers": workers}


def run_child(args: list[str], cache: Path) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    out = subprocess.run([sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--make", type=int, metavar="N", help="write N synthetic images into the one folder given")
    parser.add_argument("--decoders", action="store_true", help="compare decoding on threads, processes, one core")
    parser.add_argument("--limit", type=int, default=10000, help="images decoded per --decoders case")
    parser.add_argument("--child", choices=("load", "serial", "threads", "processes"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        folder = str(args.folders[0])
        result = child_load(folder) if args.child == "load" else child_decode(folder, args.child, args.limit)
        print(json.dumps(result))
        return
    if args.make:
        make_folder(args.folders[0], args.make)
        return
    print(f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")
    cache = Path(tempfile.mkdtemp(prefix="bench-folder-cache-"))
    try:
        if args.decoders:
            print("| decoder | images | s | images/s |\n|---|---:|---:|---:|")
            for how in ("serial", "threads", "processes"):
                r = run_child(["--child", how, "--limit", str(args.limit), str(args.folders[0])], cache)
                print(f"| {how} ({1 if how == 'serial' else r['workers']}) | {r['n']:,} | {r['s']:.1f} | "
                      f"{r['images_per_s']:,.0f} |", flush=True)
            return
        print("| images | start | load s | peak RSS MiB | of which Python+torch | of which mapped cache | "
              "first 20 batches of 64, ms each | cache MiB |")
        print("|---:|---|---:|---:|---:|---:|---:|---:|")
        for folder in args.folders:
            shutil.rmtree(cache / "gan-studio", ignore_errors=True)
            for start in ("first", "cached"):
                r = run_child(["--child", "load", str(folder)], cache)
                cached = sum(p.stat().st_size for p in (cache / "gan-studio").rglob("*") if p.is_file())
                print(f"| {r['n']:,} | {start} | {r['load_s']:.1f} | {r['peak_rss_mb']:,.0f} | "
                      f"{r['base_rss_mb']:,.0f} | {r['mapped_mb']:,.0f} | {r['batch_ms']:.1f} | {cached / 2**20:,.0f} |",
                      flush=True)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
