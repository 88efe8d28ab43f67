"""The photo picker: a custom JavaScript component that uploads straight to the backend."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import UUID

from reactpy import component, html, use_state
from reactpy.reactjs import component_from_file
from reactpy.types import VdomDict

from backend.media.service import PhotoView
from frontend.components.forms import notice
from frontend.context import use_page

PhotoPicker = component_from_file(
    Path(__file__).parent.parent / "js" / "photos.js",
    import_names="PhotoPicker",
    name="handje-photos",
)


def photo_from_upload(data: dict[str, Any]) -> PhotoView:
    """The photo the upload endpoint returned (as the JavaScript component passes it on)."""
    return PhotoView(
        id=UUID(data["id"]), urls=data["urls"], width=data["width"], height=data["height"]
    )


@component
def photo_picker(
    photos: tuple[PhotoView, ...],
    *,
    purpose: str,
    max_photos: int,
    uploaded: Callable[[PhotoView], Awaitable[None] | None],
    removed: Callable[[UUID], Awaitable[None] | None],
) -> VdomDict:
    """Choose or take photos (``accept="image/*"``), with preview, progress and removal."""
    page = use_page()
    t = page.t
    problem, set_problem = use_state("")

    async def on_uploaded(data: dict[str, Any]) -> None:
        set_problem("")
        outcome = uploaded(photo_from_upload(data))
        if outcome is not None:
            await outcome

    async def on_removed(data: dict[str, Any]) -> None:
        outcome = removed(UUID(data["id"]))
        if outcome is not None:
            await outcome

    def on_failed(data: dict[str, Any]) -> None:
        detail = str(data.get("detail", ""))
        set_problem(
            t("The upload failed. Check your connection and try again.")
            if detail in {"", "network", "upload failed"}
            else t(detail)
        )

    return html.div(
        PhotoPicker(
            {
                "uploadUrl": f"/api/media/photos?purpose={purpose}",
                "csrfToken": page.csrf_token,
                "photos": [{"id": str(photo.id), "thumb": photo.urls["thumb"]} for photo in photos],
                "maxPhotos": max_photos,
                "labels": {
                    "photos": t("Photos"),
                    "photo": t("Photo"),
                    "add": t("Add a photo"),
                    "replace": t("Replace photo"),
                    "remove": t("Remove"),
                    "uploading": t("Uploading…"),
                },
                "onUploaded": on_uploaded,
                "onRemoved": on_removed,
                "onFailed": on_failed,
            }
        ),
        notice("error", problem),
    )
