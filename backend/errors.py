"""Domain exceptions raised by services; the edges map each to HTTP and UI in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every rule a service enforces; ``message`` is safe to show to the user."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(DomainError):
    """The input breaks a rule (a bad phone number, a short password)."""

    status_code = 400


class NotAuthenticated(DomainError):
    """The caller must sign in first."""

    status_code = 401


class Forbidden(DomainError):
    """The caller is signed in but may not do this."""

    status_code = 403


class NotFound(DomainError):
    """Missing, or not visible to the caller: both look the same so ids cannot be probed."""

    status_code = 404


class Conflict(DomainError):
    """The change clashes with the current state."""

    status_code = 409


class TooLarge(DomainError):
    """The request body is larger than allowed."""

    status_code = 413


class TooManyRequests(DomainError):
    """A rate limit was reached; ``retry_after`` says when to try again."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
