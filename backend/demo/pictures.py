"""Demo photos drawn with Pillow: soft, friendly pictures for profiles and listings."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter

PALETTE = ("#0f766e", "#f59e0b", "#2563eb", "#db2777", "#65a30d", "#7c3aed", "#ea580c")


def _canvas(seed: str, size: tuple[int, int]) -> tuple[Image.Image, random.Random]:
    rng = random.Random(seed)  # noqa: S311 - pictures, not secrets
    top, bottom = rng.sample(PALETTE, 2)
    image = Image.new("RGB", size, top)
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, bottom), image, gradient)
    return image, rng


def profile_picture(seed: str) -> bytes:
    """A portrait-like picture: a head and shoulders silhouette on a gradient (JPEG)."""
    image, rng = _canvas(seed, (600, 600))
    draw = ImageDraw.Draw(image)
    skin = rng.choice(("#f1c27d", "#e0ac69", "#c68642", "#8d5524", "#ffdbac"))
    draw.ellipse((180, 110, 420, 370), fill=skin)
    draw.ellipse((90, 380, 510, 800), fill=rng.choice(PALETTE))
    return _jpeg(image.filter(ImageFilter.GaussianBlur(1)))


def listing_picture(seed: str) -> bytes:
    """A landscape picture: sky, hills and a sun, different for every seed (JPEG)."""
    image, rng = _canvas(seed, (1600, 1200))
    draw = ImageDraw.Draw(image)
    sun = rng.randint(200, 1400)
    draw.ellipse((sun - 120, 160, sun + 120, 400), fill="#fde68a")
    for layer in range(3):
        height = 700 + layer * 140
        points = [(x, height + rng.randint(-90, 90)) for x in range(0, 1700, 200)]
        colour = ("#14532d", "#166534", "#15803d")[layer]
        draw.polygon([(0, 1200), *points, (1600, 1200)], fill=colour)
    return _jpeg(image.filter(ImageFilter.GaussianBlur(2)))


def _jpeg(image: Image.Image) -> bytes:
    output = io.BytesIO()
    image.save(output, "JPEG", quality=85)
    return output.getvalue()
