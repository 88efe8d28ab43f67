"""Photo upload benchmark: the cleaning pipeline against bare Pillow on a 12-megapixel JPEG.

Run ``python -m tests.perf.photos [--rounds N] [--base-url URL --cookie C --csrf T]``. It prints
readable lines, then one JSON object as its last line. Goals: ``ratio`` (baseline photos per
second over the pipeline's) at most 1.15, ``peak_mem_ratio`` under 4, and ``health_p95_ms``
(GET /health during 8 concurrent uploads, only measured against a running server) under 50.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import httpx
from PIL import ExifTags, Image, ImageDraw, ImageOps

from backend.media.images import VARIANT_SIZES, WEBP_METHOD, WEBP_QUALITY, clean_image
from backend.settings import Settings

PHOTO_SIZE = (4000, 3000)
CONCURRENT_UPLOADS = 8
HEALTH_INTERVAL_SECONDS = 0.01


def camera_jpeg(size: tuple[int, int] = PHOTO_SIZE) -> bytes:
    """A phone-like JPEG: gradients, shapes with edges and sensor noise, quality 90, with EXIF."""
    picture = _gradients(size)
    draw = ImageDraw.Draw(picture)
    shapes = random.Random(12)
    for _ in range(60):
        x, y = shapes.randrange(size[0]), shapes.randrange(size[1])
        radius = shapes.randrange(1, max(2, size[0] // 6))
        colour = tuple(shapes.randrange(256) for _ in range(3))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    noise = Image.frombytes("RGB", size, random.Random(3).randbytes(size[0] * size[1] * 3))
    picture = Image.blend(picture, noise, 0.12)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Benchcam"
    exif[ExifTags.Base.Orientation] = 1
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N"}
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def _gradients(size: tuple[int, int]) -> Image.Image:
    """Three smooth colour gradients running in different directions."""
    ramp = Image.linear_gradient("L")
    bands = (ramp.resize(size), ramp.rotate(90).resize(size), ramp.rotate(45).resize(size))
    return Image.merge("RGB", bands)


def bare_pillow(data: bytes) -> None:
    """What Pillow alone needs: a full decode, then each variant resized and encoded as WebP."""
    image = Image.open(io.BytesIO(data))
    image.load()
    for longest in VARIANT_SIZES.values():
        variant = ImageOps.contain(image, (longest, longest), Image.Resampling.LANCZOS)
        variant.save(io.BytesIO(), "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)


def full_pipeline(data: bytes, max_pixels: int, directory: Path) -> None:
    """Checks, cleaning and three variants, written as files as local storage does."""
    clean = clean_image(data, max_pixels=max_pixels)
    for name, variant in clean.variants.items():
        (directory / f"{name}.webp").write_bytes(variant)


def photos_per_second(data: bytes, max_pixels: int, rounds: int) -> tuple[float, float]:
    """Photos per second of the pipeline and of bare Pillow, timed in alternating rounds."""
    with tempfile.TemporaryDirectory() as directory:
        runs: dict[str, Callable[[], None]] = {
            "pipeline": lambda: full_pipeline(data, max_pixels, Path(directory)),
            "baseline": lambda: bare_pillow(data),
        }
        spent = dict.fromkeys(runs, 0.0)
        for run in runs.values():
            run()  # Warm-up: plugins and codecs load on first use.
        for _ in range(rounds):
            for name, run in runs.items():
                started = time.perf_counter()
                run()
                spent[name] += time.perf_counter() - started
    return rounds / spent["pipeline"], rounds / spent["baseline"]


def peak_extra_bytes(data: bytes, max_pixels: int) -> int:
    """The peak memory one pipeline run adds, measured in a fresh process (Linux).

    Pillow allocates pixels outside Python's allocator, where tracemalloc cannot see them, and a
    process that already ran the pipeline reuses freed memory; so a new process compares its
    peak resident size before and after one run.
    """
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_peak_extra_bytes_here, data, max_pixels).result()


def _peak_extra_bytes_here(data: bytes, max_pixels: int) -> int:
    """In this process: warm up on a tiny photo, then how much one run raises the peak RSS."""
    clean_image(camera_jpeg((64, 48)), max_pixels=max_pixels)
    before = _peak_rss_bytes()
    clean_image(data, max_pixels=max_pixels)
    return _peak_rss_bytes() - before


def _peak_rss_bytes() -> int:
    """This process's peak resident set size (``VmHWM``; unlike ``ru_maxrss`` it starts afresh
    at exec instead of inheriting the parent's peak).
    """
    status = Path("/proc/self/status").read_text()
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kilobytes) * 1024


async def health_p95_ms(base_url: str, data: bytes, cookie: str, csrf: str) -> float:
    """The 95th percentile latency of GET /health while 8 uploads run at once."""
    headers = {"cookie": cookie, "x-csrf-token": csrf}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=120) as client:
        uploads = asyncio.gather(*(_upload(client, data) for _ in range(CONCURRENT_UPLOADS)))
        latencies = await _poll_health(client, uploads)
    return statistics.quantiles(latencies, n=20)[-1] * 1000


async def _upload(client: httpx.AsyncClient, data: bytes) -> None:
    """POST one photo; a refused upload makes the measurement meaningless, so it stops the run."""
    response = await client.post(
        "/api/media/photos", content=data, headers={"content-type": "image/jpeg"}
    )
    response.raise_for_status()


async def _poll_health(
    client: httpx.AsyncClient, uploads: asyncio.Future[list[None]]
) -> list[float]:
    """Seconds each GET /health took, polled every 10 ms until ``uploads`` finish."""
    latencies: list[float] = []
    while not uploads.done():
        started = time.perf_counter()
        (await client.get("/health")).raise_for_status()
        latencies.append(time.perf_counter() - started)
        await asyncio.sleep(HEALTH_INTERVAL_SECONDS)
    await uploads
    return latencies


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line options."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--base-url", help="a running Handje, to measure /health under uploads")
    parser.add_argument("--cookie", default="", help="Cookie header of a signed-in session")
    parser.add_argument("--csrf", default="", help="that session's CSRF token")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its figures, the JSON summary last."""
    options = _arguments(argv)
    max_pixels = Settings.from_env().image_max_pixels
    data = camera_jpeg()
    decoded_bytes = PHOTO_SIZE[0] * PHOTO_SIZE[1] * 3
    print(f"photo: {PHOTO_SIZE[0]}x{PHOTO_SIZE[1]} JPEG, {len(data) / 1e6:.1f} MB")
    pipeline, baseline = photos_per_second(data, max_pixels, options.rounds)
    print(f"pipeline: {pipeline:.2f} photos/s (checks, clean, 3 variants, files)")
    print(f"baseline: {baseline:.2f} photos/s (bare Pillow: decode, 3 resizes, 3 WebP)")
    print(f"ratio baseline/pipeline: {baseline / pipeline:.2f} (goal: at most 1.15)")
    peak = peak_extra_bytes(data, max_pixels)
    print(f"peak extra memory per upload: {peak / 1e6:.0f} MB, {peak / decoded_bytes:.2f}x decoded")
    health = None
    if options.base_url:
        health = asyncio.run(health_p95_ms(options.base_url, data, options.cookie, options.csrf))
        print(f"GET /health p95 during {CONCURRENT_UPLOADS} uploads: {health:.1f} ms (goal < 50)")
    summary = {
        "pipeline_per_s": round(pipeline, 3),
        "baseline_per_s": round(baseline, 3),
        "ratio": round(baseline / pipeline, 3),
        "peak_mem_ratio": round(peak / decoded_bytes, 3),
        "health_p95_ms": None if health is None else round(health, 1),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
