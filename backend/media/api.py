"""Photos over HTTP: streamed uploads with a hard size limit, deletion, and local serving."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from backend.accounts.service import SignedIn
from backend.errors import TooLarge
from backend.media.schemas import PhotoOut
from backend.media.service import Media
from backend.settings import Settings
from backend.web.auth import current_session, require_sign_in

IMMUTABLE = "private, max-age=31536000, immutable"


async def read_limited(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it is known to be over ``limit`` bytes.

    A declared Content-Length over the limit is refused before any byte is read.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge("This photo is too large.")
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > limit:
            raise TooLarge("This photo is too large.")
    return bytes(received)


class PhotosController(Controller):
    """Upload and delete photos (profile photo, listing photos)."""

    path = "/api/media/photos"
    tags = ["media"]
    guards = [require_sign_in]
    dependencies = {"session": Provide(current_session, sync_to_thread=False)}
    # Our own limit (``upload_max_bytes``) is enforced while streaming, in ``read_limited``.
    request_max_body_size = None

    @post("", status_code=HTTP_201_CREATED)
    async def upload(
        self,
        request: Request,
        session: NamedDependency[SignedIn],
        media: NamedDependency[Media],
        settings: NamedDependency[Settings],
        purpose: Annotated[Literal["profile", "listing"], QueryParameter()] = "listing",
    ) -> PhotoOut:
        """Send the photo's bytes as the body (any image type; the content decides)."""
        data = await read_limited(request, settings.upload_max_bytes)
        return PhotoOut.from_view(await media.upload(session.account, data, purpose=purpose))

    @delete("/{photo_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    async def remove(
        self,
        photo_id: FromPath[UUID],
        session: NamedDependency[SignedIn],
        media: NamedDependency[Media],
    ) -> None:
        """Delete one of your photos, with all its variants."""
        await media.delete(session.account, photo_id)


@get("/media/{key:path}", include_in_schema=False, guards=[require_sign_in])
async def serve_photo(
    request: Request, key: FromPath[str], media: NamedDependency[Media]
) -> Response[bytes]:
    """A stored variant from local disk, if the caller may see its photo (never changes: cached)."""
    body = await media.readable_object(request.scope.get("user"), key.lstrip("/"))
    return Response(body, media_type="image/webp", headers={"Cache-Control": IMMUTABLE})
