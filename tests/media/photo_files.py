"""Photos made on the fly for the tests: realistic JPEGs with GPS data, and not-photos."""

from __future__ import annotations

import io

from PIL import Image


def jpeg_with_gps(width: int = 800, height: int = 600, colour: str = "teal") -> bytes:
    """A JPEG whose EXIF carries a camera make and a GPS position (Haarlem)."""
    image = Image.new("RGB", (width, height), colour)
    exif = Image.Exif()
    exif[0x010F] = "Handje Test Camera"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 22.0, 53.0)
    gps[3] = "E"
    gps[4] = (4.0, 38.0, 10.0)
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif, quality=90)
    return output.getvalue()
