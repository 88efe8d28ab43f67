"""Response bodies of the media API."""

from __future__ import annotations

from uuid import UUID

import msgspec

from backend.media.service import PhotoView


class PhotoOut(msgspec.Struct):
    """A stored photo: one URL per cleaned variant (thumb, card, full)."""

    id: UUID
    urls: dict[str, str]
    width: int
    height: int

    @classmethod
    def from_view(cls, view: PhotoView) -> PhotoOut:
        """Build from the service's ``PhotoView``."""
        return cls(id=view.id, urls=view.urls, width=view.width, height=view.height)
