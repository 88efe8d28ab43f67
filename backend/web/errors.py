"""The one place where domain exceptions become HTTP answers."""

from __future__ import annotations

from litestar import Request, Response
from litestar.types import ExceptionHandlersMap

from backend.errors import DomainError, TooManyRequests


def domain_error_response(_: Request, error: DomainError) -> Response:
    """``{"detail": …, "field": …}`` with the exception's status (and Retry-After for 429)."""
    body: dict[str, object] = {"status_code": error.status_code, "detail": error.message}
    if error.field:
        body["field"] = error.field
    headers = {}
    if isinstance(error, TooManyRequests):
        headers["Retry-After"] = str(error.retry_after)
    return Response(body, status_code=error.status_code, headers=headers)


EXCEPTION_HANDLERS: ExceptionHandlersMap = {DomainError: domain_error_response}
