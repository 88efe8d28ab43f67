"""The photo cleaning pipeline: check untrusted bytes, drop every metadata block, re-encode as WebP.

Pure and synchronous (the media service runs it in a thread pool); nothing of the upload but its
pixels survives: no EXIF, GPS, XMP, comments, ICC profile or trailing bytes reach the variants.
"""

from __future__ import annotations

import io
import re
import struct
import threading
import warnings
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from backend.errors import Invalid

pillow_heif.register_heif_opener()

VARIANT_SIZES: dict[str, int] = {"thumb": 160, "card": 720, "full": 1600}
"""Longest side in pixels of each variant, largest last; smaller photos are never upscaled."""

ALLOWED_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "WEBP", "HEIF")
"""Pillow decoders tried on an upload, whatever its name or Content-Type says."""

# Quality 80 keeps photos sharp at a third of a JPEG's size; method 4 (of 0-6) is libwebp's
# default balance: 5 and 6 shave a few percent off the size for twice the encoding time.
WEBP_QUALITY = 80
WEBP_METHOD = 4

NOT_A_PHOTO = "This file is not a photo we can read. Use a JPEG, PNG, WebP or HEIC photo."
TOO_MANY_PIXELS = "This photo has too many pixels."
DAMAGED = "This photo is damaged or incomplete."
MORE_THAN_A_PHOTO = "This file contains more than a photo."

# What decoders raise on corrupt data; anything else is a bug and should surface as one.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, RuntimeError, struct.error)
# A bare 4-byte ZIP signature turns up by chance in about one large photo in 500, so a hit counts
# only with the plausible header an archive would have. One C-speed regex, so that a file full
# of near-misses cannot keep a worker busy in a Python loop.
_ZIP_HEADER = re.compile(
    rb"""
    PK\x03\x04 [\x00-\x3f]\x00 .. [\x00\x08\x09\x0c\x0e\x5d\x5f\x62\x63]\x00 .{16} (?!\x00\x00)..
      # a local file header: version at most 6.3, a known compression method, a file name
    | PK\x05\x06 (..)\1 (..)\2
      # an end of central directory: one disk, holding all the entries
    """,
    re.DOTALL | re.VERBOSE,
)
_JPEG_START = b"\xff\xd8"
# 0xFF and a byte other than 0x00 (stuffing), 0xD0-0xD7 (restarts) or 0xFF (fill): a marker.
_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_JPEG_END = 0xD9
_JPEG_STANDALONE = 0x01
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# warnings.catch_warnings swaps a process-wide filter list and is not thread-safe before Python
# 3.14; serialising the (header-only, sub-millisecond) open keeps concurrent uploads from
# restoring each other's filters.
_WARNINGS_LOCK = threading.Lock()


@dataclass(frozen=True)
class CleanImage:
    """The WebP variants of one cleaned photo, by name as in ``VARIANT_SIZES``.

    ``width`` and ``height`` are the full variant's; ``source_format`` is what the upload was:
    JPEG, PNG, WEBP or HEIF.
    """

    variants: dict[str, bytes]
    width: int
    height: int
    source_format: str


def clean_image(data: bytes, *, max_pixels: int) -> CleanImage:
    """Check ``data`` is a single JPEG, PNG, WebP or HEIC photo and re-encode it metadata-free.

    Raises ``Invalid`` (field ``photo``) for anything else, a photo over ``max_pixels`` (or over
    Pillow's own ``MAX_IMAGE_PIXELS``, left untouched as a process-wide backstop), damaged or
    truncated data (Pillow's ``LOAD_TRUNCATED_IMAGES`` stays False, and the file's structure must
    be complete), or bytes beyond the image (a polyglot). The output is untagged sRGB: non-sRGB
    pixels are converted and no ICC profile is embedded, as browsers assume sRGB when untagged.
    """
    _reject_zip(data)
    image = _open(data, max_pixels)
    _reject_trailing_data(data, image.format or "")
    _decode(image, VARIANT_SIZES["full"])
    full = _clean_pixels(image, VARIANT_SIZES["full"])
    return CleanImage(
        variants=_encode_variants(full),
        width=full.width,
        height=full.height,
        source_format="JPEG" if image.format == "MPO" else image.format or "",
    )


def _open(data: bytes, max_pixels: int) -> ImageFile.ImageFile:
    """Identify ``data`` from its header alone and check its pixel count before any decoding."""
    with _WARNINGS_LOCK, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise Invalid(TOO_MANY_PIXELS, field="photo") from error
        except UnidentifiedImageError as error:
            raise Invalid(NOT_A_PHOTO, field="photo") from error
        except _DECODE_ERRORS as error:
            raise Invalid(DAMAGED, field="photo") from error
    if image.width * image.height > max_pixels:
        raise Invalid(TOO_MANY_PIXELS, field="photo")
    return image


def _decode(image: ImageFile.ImageFile, longest: int) -> None:
    """Decode every byte of ``image``, at the smallest scale still covering ``longest`` pixels.

    ``draft`` lets libjpeg scale by 1/2, 1/4 or 1/8 while decoding (and HEIC use an embedded
    thumbnail when one is large enough), which is most of the pipeline's speed on big photos.
    """
    image.draft("RGB", _fit(image.size, longest))
    try:
        image.load()
    except _DECODE_ERRORS as error:
        raise Invalid(DAMAGED, field="photo") from error


def _clean_pixels(image: Image.Image, longest: int) -> Image.Image:
    """Upright sRGB pixels at most ``longest`` on a side, in a new image with no metadata."""
    ImageOps.exif_transpose(image, in_place=True)
    srgb = _to_srgb(image)
    size = _fit(srgb.size, longest)
    if size != srgb.size:
        srgb = srgb.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    fresh = Image.new(srgb.mode, srgb.size)
    fresh.paste(srgb)
    return fresh


def _to_srgb(image: Image.Image) -> Image.Image:
    """``image`` as RGB, or RGBA when it has transparency, with its colours converted to sRGB."""
    if image.mode.startswith("I"):
        # 16-bit greyscale PNG: converting clips every tone above 255 to white, so scale first.
        image = image.point(lambda value: value / 257, "L")
    mode = "RGBA" if image.has_transparency_data else "RGB"
    icc = image.info.get("icc_profile")
    if icc and not _is_srgb(icc):
        try:
            return ImageCms.profileToProfile(
                image, ImageCms.ImageCmsProfile(io.BytesIO(icc)), _SRGB, outputMode=mode
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # A broken or mismatched profile: the pixels are shown as sRGB, as browsers would.
    return image if image.mode == mode else image.convert(mode)


def _is_srgb(icc: bytes) -> bool:
    """Whether an embedded ICC profile describes sRGB (by its description, as viewers show it)."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return "srgb" in ImageCms.getProfileDescription(profile).lower()
    except (ImageCms.PyCMSError, OSError, ValueError):
        return True  # Unreadable profiles are ignored rather than guessed at.


def _encode_variants(full: Image.Image) -> dict[str, bytes]:
    """WebP bytes of every variant, each resized from the next larger one."""
    variants: dict[str, bytes] = {}
    current = full
    for name, longest in sorted(VARIANT_SIZES.items(), key=lambda item: -item[1]):
        size = _fit(current.size, longest)
        if size != current.size:
            current = current.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        variants[name] = _webp(current)
    return variants


def _webp(image: Image.Image) -> bytes:
    """``image`` encoded as WebP with no metadata."""
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    return buffer.getvalue()


def _fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    """``size`` scaled down so its longest side is ``longest``; never scaled up."""
    width, height = size
    scale = longest / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def _reject_zip(data: bytes) -> None:
    """Reject ``data`` when a ZIP archive hides anywhere in it: before, inside or after a photo."""
    if _ZIP_HEADER.search(data):
        raise Invalid(MORE_THAN_A_PHOTO, field="photo")


def _reject_trailing_data(data: bytes, image_format: str) -> None:
    """Reject ``data`` unless the image's own structure ends exactly at its last byte."""
    end = _image_end(data, image_format)
    if end is None:
        raise Invalid(DAMAGED, field="photo")
    if end < len(data):
        raise Invalid(MORE_THAN_A_PHOTO, field="photo")


def _image_end(data: bytes, image_format: str) -> int | None:
    """Where the image structure of ``data`` ends, or None when it is incomplete."""
    if image_format == "JPEG":
        return _jpeg_end(data, 0)
    if image_format == "MPO":
        return _multi_picture_end(data)
    if image_format == "PNG":
        return _png_end(data)
    if image_format == "WEBP":
        return _riff_end(data)
    return _box_end(data)


def _multi_picture_end(data: bytes) -> int | None:
    """The end of back-to-back JPEGs: phones store HDR gain maps and depth maps this way (MPF)."""
    end = _jpeg_end(data, 0)
    while end is not None and data.startswith(_JPEG_START, end):
        end = _jpeg_end(data, end)
    return end


def _jpeg_end(data: bytes, start: int) -> int | None:
    """The offset just past the EOI marker of the JPEG starting at ``start``, if it has one.

    Segments are skipped by their length; scan data needs no parsing, as a marker is the only
    place 0xFF is followed by anything but stuffing, a restart or more 0xFF.
    """
    if not data.startswith(_JPEG_START, start):
        return None
    position = start + len(_JPEG_START)
    while found := _JPEG_MARKER.search(data, position):
        marker, position = data[found.start() + 1], found.end()
        if marker == _JPEG_END:
            return position
        if marker != _JPEG_STANDALONE:
            position += int.from_bytes(data[position : position + 2], "big")
    return None


def _png_end(data: bytes) -> int | None:
    """The offset just past the PNG's IEND chunk, if it has one."""
    position = len(_PNG_SIGNATURE)
    while position + 12 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, position)
        position += 12 + length
        if kind == b"IEND":
            return position if position <= len(data) else None
    return None


def _riff_end(data: bytes) -> int | None:
    """The end of a WebP's RIFF container, as its header declares it."""
    end = 8 + int.from_bytes(data[4:8], "little")
    return end if end <= len(data) else None


def _box_end(data: bytes) -> int | None:
    """The end of a HEIC's last top-level ISO-BMFF box, or None when a box is cut short."""
    position = 0
    while position < len(data):
        if position + 8 > len(data):
            return None
        size = int.from_bytes(data[position : position + 4], "big")
        if size == 1:
            size = int.from_bytes(data[position + 8 : position + 16], "big")
        elif size == 0:
            return len(data)
        if size < 8 or position + size > len(data):
            return None
        position += size
    return position
