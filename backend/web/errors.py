"""The one place where domain exceptions become HTTP answers."""

from __future__ import annotations

from litestar import Request, Response
from litestar.types import ExceptionHandlersMap

from backend.errors import DomainError, TooManyRequests
from backend.media.storage import StorageError


def domain_error_response(_: Request, error: DomainError) -> Response:
    """``{"detail": …, "field": …}`` with the exception's status (and Retry-After for 429)."""
    body: dict[str, object] = {"status_code": error.status_code, "detail": error.message}
    if error.field:
        body["field"] = error.field
    headers = {}
    if isinstance(error, TooManyRequests):
        headers["Retry-After"] = str(error.retry_after)
    return Response(body, status_code=error.status_code, headers=headers)


def storage_error_response(_: Request, __: StorageError) -> Response:
    """503 when photo storage is unreachable: nothing was saved, the upload can be retried."""
    body = {"status_code": 503, "detail": "Photos cannot be stored right now. Please try again."}
    return Response(body, status_code=503, headers={"Retry-After": "30"})


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    DomainError: domain_error_response,
    StorageError: storage_error_response,
}
