"""The photo cleaning pipeline against an attack corpus generated here with Pillow."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

import pillow_heif
import pytest
from PIL import ExifTags, Image, ImageCms

from backend.errors import Invalid
from backend.media.images import (
    DAMAGED,
    MORE_THAN_A_PHOTO,
    NOT_A_PHOTO,
    TOO_MANY_PIXELS,
    VARIANT_SIZES,
    CleanImage,
    clean_image,
)

MAX_PIXELS = 50_000_000
CAMERA_MAKE = "Snoopcam"
XMP_PACKET = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://ns.adobe.com/rdf/">'
    b"<rdf:Description>home address</rdf:Description></rdf:RDF></x:xmpmeta>"
)
SECRET_COMMENT = b"taken at Dorpsstraat 12"
LEAKS = (b"Exif", b"GPS", b"xmp", b"XMP", b"http://ns.adobe.com", b"ICCP", b"Snoopcam", b"Dorps")


def photo(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A photo-like picture: smooth gradients with a little seeded noise."""
    width, height = size
    horizontal = Image.linear_gradient("L").resize(size)
    vertical = Image.linear_gradient("L").rotate(90).resize(size)
    noise = Image.frombytes("L", size, random.Random(width * height).randbytes(width * height))
    blue = Image.blend(horizontal, noise, 0.2)
    return Image.merge("RGB", (horizontal, vertical, blue)).convert(mode)


def private_exif(orientation: int = 1) -> Image.Exif:
    """EXIF a phone would write: a camera make, an orientation and a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA_MAKE
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 5.0, 12.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (4.0, 53.0, 2.0),
    }
    return exif


def encoded(image: Image.Image, image_format: str, **params: object) -> bytes:
    """``image`` saved as ``image_format``."""
    buffer = io.BytesIO()
    image.save(buffer, image_format, **params)
    return buffer.getvalue()


def jpeg(size: tuple[int, int] = (400, 300), orientation: int = 1) -> bytes:
    """A JPEG carrying GPS EXIF, a camera make, an XMP packet, an ICC profile and a comment."""
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encoded(
        photo(size),
        "JPEG",
        quality=90,
        exif=private_exif(orientation),
        xmp=XMP_PACKET,
        icc_profile=srgb,
        comment=SECRET_COMMENT,
    )


def bgr_profile() -> bytes:
    """An RGB profile whose red and blue primaries are swapped: sRGB red means sRGB blue."""
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    entries = {}
    for index in range(struct.unpack_from(">I", icc, 128)[0]):
        entry = 132 + 12 * index
        entries[bytes(icc[entry : entry + 4])] = slice(entry + 4, entry + 12)
    red, blue = entries[b"rXYZ"], entries[b"bXYZ"]
    icc[red], icc[blue] = icc[blue], icc[red]
    # Renamed, so that it is not taken for sRGB by its description.
    return bytes(icc).replace("sRGB".encode("utf-16-be"), "BGR!".encode("utf-16-be"))


def a_zip(member: bytes = b"<script>alert(1)</script>") -> bytes:
    """A ZIP archive holding ``member``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("payload.html", member)
    return buffer.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    """One PNG chunk with its length and CRC."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(side: int = 40_000) -> bytes:
    """A 1-bit ``side`` x ``side`` PNG of zeros: a few hundred kilobytes that inflate to 200 MB."""
    row_count = 1_000
    rows = bytes(row_count * (1 + side // 8))
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(rows) for _ in range(side // row_count))
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat + compressor.flush())
        + png_chunk(b"IEND", b"")
    )


def rejection(data: bytes, max_pixels: int = MAX_PIXELS) -> Invalid:
    """The ``Invalid`` that ``clean_image`` raises for ``data``."""
    with pytest.raises(Invalid) as caught:
        clean_image(data, max_pixels=max_pixels)
    assert caught.value.field == "photo"
    return caught.value


def opened(variant: bytes) -> Image.Image:
    """A variant decoded (it must be a WebP)."""
    image = Image.open(io.BytesIO(variant))
    assert image.format == "WEBP"
    image.load()
    return image


def assert_no_metadata(clean: CleanImage) -> None:
    """Every variant is a bare WebP: no EXIF, GPS, XMP, ICC profile or comment survives."""
    for variant in clean.variants.values():
        image = opened(variant)
        assert len(image.getexif()) == 0
        assert not {"exif", "xmp", "icc_profile", "comment"} & image.info.keys()
        for leak in LEAKS:
            assert leak not in variant


def sizes(clean: CleanImage) -> dict[str, tuple[int, int]]:
    """The pixel size of each variant."""
    return {name: opened(variant).size for name, variant in clean.variants.items()}


def test_jpeg_with_gps_exif_xmp_and_icc_loses_every_metadata_block() -> None:
    clean = clean_image(jpeg(), max_pixels=MAX_PIXELS)

    assert set(clean.variants) == set(VARIANT_SIZES)
    assert clean.source_format == "JPEG"
    assert_no_metadata(clean)


def test_exif_orientation_6_turns_a_landscape_photo_portrait() -> None:
    clean = clean_image(jpeg((400, 200), orientation=6), max_pixels=MAX_PIXELS)

    assert (clean.width, clean.height) == (200, 400)
    assert sizes(clean)["thumb"] == (80, 160)


def test_large_photo_gets_each_variant_at_its_longest_side() -> None:
    clean = clean_image(jpeg((3600, 2400)), max_pixels=MAX_PIXELS)

    assert sizes(clean) == {"thumb": (160, 107), "card": (720, 480), "full": (1600, 1067)}
    assert (clean.width, clean.height) == (1600, 1067)


def test_small_photo_is_never_upscaled() -> None:
    clean = clean_image(jpeg((500, 250)), max_pixels=MAX_PIXELS)

    assert sizes(clean) == {"thumb": (160, 80), "card": (500, 250), "full": (500, 250)}


def test_png_bomb_of_40000_pixels_square_has_too_many_pixels() -> None:
    assert rejection(png_bomb()).message == TOO_MANY_PIXELS


def test_photo_over_the_configured_pixel_limit_has_too_many_pixels() -> None:
    assert rejection(jpeg((400, 300)), max_pixels=100_000).message == TOO_MANY_PIXELS


def test_truncated_jpeg_is_damaged() -> None:
    data = jpeg((800, 600))

    assert rejection(data[: len(data) // 2]).message == DAMAGED


def test_jpeg_missing_only_its_end_marker_is_damaged() -> None:
    assert rejection(jpeg()[:-2]).message == DAMAGED


def test_truncated_png_is_damaged() -> None:
    data = encoded(photo((300, 200)), "PNG")

    assert rejection(data[: len(data) - 100]).message == DAMAGED


def test_text_file_named_jpg_is_not_a_photo() -> None:
    assert rejection(b"Dit is geen foto, maar een tekstbestand.\n").message == NOT_A_PHOTO


def test_svg_with_a_script_is_not_a_photo() -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>fetch('/api/me')</script><rect width='10' height='10'/></svg>"
    )

    assert rejection(svg).message == NOT_A_PHOTO


def test_gif_is_not_an_accepted_photo_format() -> None:
    assert rejection(encoded(photo((40, 30)), "GIF")).message == NOT_A_PHOTO


def test_jpeg_with_a_zip_appended_contains_more_than_a_photo() -> None:
    assert rejection(jpeg() + a_zip()).message == MORE_THAN_A_PHOTO


def test_zip_holding_a_jpeg_put_before_a_jpeg_contains_more_than_a_photo() -> None:
    assert rejection(a_zip(jpeg()) + jpeg()).message == MORE_THAN_A_PHOTO


def test_zip_hidden_in_a_jpeg_comment_contains_more_than_a_photo() -> None:
    data = encoded(photo((200, 100)), "JPEG", comment=a_zip())

    assert rejection(data).message == MORE_THAN_A_PHOTO


def test_html_after_the_jpeg_end_marker_contains_more_than_a_photo() -> None:
    assert rejection(jpeg() + b"<html><script>alert(1)</script></html>").message == (
        MORE_THAN_A_PHOTO
    )


def test_data_after_the_png_end_chunk_contains_more_than_a_photo() -> None:
    data = encoded(photo((100, 100)), "PNG") + b"<?php system($_GET['c']); ?>"

    assert rejection(data).message == MORE_THAN_A_PHOTO


def test_zip_signature_bytes_alone_do_not_make_a_polyglot() -> None:
    data = encoded(photo((200, 100)), "JPEG", comment=b"PK\x03\x04 PK\x05\x06 by chance")

    assert clean_image(data, max_pixels=MAX_PIXELS).source_format == "JPEG"


def test_multi_picture_jpeg_with_a_gain_map_is_one_photo() -> None:
    primary, gain_map = photo((400, 300)), photo((200, 150), "L").convert("RGB")
    data = encoded(primary, "MPO", save_all=True, append_images=[gain_map])

    clean = clean_image(data, max_pixels=MAX_PIXELS)

    assert (clean.width, clean.height, clean.source_format) == (400, 300, "JPEG")


def test_png_with_transparency_keeps_its_alpha() -> None:
    image = photo((300, 200), "RGBA")
    image.putalpha(Image.linear_gradient("L").resize((300, 200)))

    clean = clean_image(encoded(image, "PNG"), max_pixels=MAX_PIXELS)

    for variant in clean.variants.values():
        cleaned = opened(variant)
        assert cleaned.mode == "RGBA"
        assert cleaned.getchannel("A").getextrema()[0] < 16


def test_palette_png_with_a_transparent_colour_keeps_its_alpha() -> None:
    image = photo((120, 80)).quantize(16)
    data = encoded(image, "PNG", transparency=0)

    clean = clean_image(data, max_pixels=MAX_PIXELS)

    assert opened(clean.variants["full"]).mode == "RGBA"


def test_opaque_png_becomes_rgb() -> None:
    clean = clean_image(encoded(photo((300, 200)), "PNG"), max_pixels=MAX_PIXELS)

    assert {opened(variant).mode for variant in clean.variants.values()} == {"RGB"}
    assert clean.source_format == "PNG"


def test_photo_in_another_colour_space_is_converted_to_srgb() -> None:
    data = encoded(Image.new("RGB", (64, 64), (255, 0, 0)), "PNG", icc_profile=bgr_profile())

    clean = clean_image(data, max_pixels=MAX_PIXELS)

    full = opened(clean.variants["full"])
    assert "icc_profile" not in full.info
    red, green, blue = full.convert("RGB").getpixel((32, 32))
    assert blue > 240
    assert max(red, green) < 16


def test_profile_for_another_colour_model_is_ignored() -> None:
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    data = encoded(Image.new("RGB", (64, 64), (255, 0, 0)), "PNG", icc_profile=lab)

    clean = clean_image(data, max_pixels=MAX_PIXELS)

    assert opened(clean.variants["full"]).convert("RGB").getpixel((32, 32))[0] > 240


def test_16_bit_greyscale_png_keeps_its_tones() -> None:
    data = encoded(Image.new("I;16", (64, 64), 32_896), "PNG")

    clean = clean_image(data, max_pixels=MAX_PIXELS)

    assert opened(clean.variants["full"]).getpixel((32, 32)) == (128, 128, 128)


@pytest.mark.skipif(
    not pillow_heif.libheif_info()["encoders"], reason="this libheif build cannot encode HEIC"
)
def test_heic_photo_is_cleaned_of_its_exif() -> None:
    buffer = io.BytesIO()
    heic = pillow_heif.from_pillow(photo((640, 480)))
    heic.save(buffer, format="HEIF", quality=80, exif=private_exif().tobytes(), xmp=XMP_PACKET)

    clean = clean_image(buffer.getvalue(), max_pixels=MAX_PIXELS)

    assert (clean.width, clean.height, clean.source_format) == (640, 480, "HEIF")
    assert_no_metadata(clean)


def test_webp_photo_is_cleaned_of_its_exif() -> None:
    data = encoded(photo((900, 600)), "WEBP", quality=90, exif=private_exif(), xmp=XMP_PACKET)

    clean = clean_image(data, max_pixels=MAX_PIXELS)

    assert (clean.width, clean.height, clean.source_format) == (900, 600, "WEBP")
    assert_no_metadata(clean)


def test_truncated_webp_is_damaged() -> None:
    data = encoded(photo((300, 200)), "WEBP")

    assert rejection(data[: len(data) - 50]).message == DAMAGED
