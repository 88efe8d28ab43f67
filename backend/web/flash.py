"""A signed, one-minute cookie that carries a notice across a form post's redirect."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass

from litestar.datastructures import Cookie

FLASH_COOKIE = "handje_flash"
FLASH_SECONDS = 60


@dataclass(frozen=True)
class Flash:
    """A notice code (translated by the UI), the email to prefill and optional seconds to wait."""

    notice: str
    email: str = ""
    retry_after: int = 0


def _signature(signing_key: str, payload: bytes) -> str:
    return hmac.new(signing_key.encode(), payload, hashlib.sha256).hexdigest()


def flash_cookie(flash: Flash, signing_key: str, *, secure: bool) -> Cookie:
    """The cookie that carries ``flash`` to the next page."""
    body = {"n": flash.notice, "e": flash.email, "r": flash.retry_after, "t": int(time.time())}
    payload = base64.urlsafe_b64encode(json.dumps(body).encode())
    value = f"{payload.decode()}.{_signature(signing_key, payload)}"
    return Cookie(
        key=FLASH_COOKIE,
        value=value,
        path="/",
        max_age=FLASH_SECONDS,
        httponly=True,
        secure=secure,
        samesite="lax",
    )


def cleared_flash_cookie() -> Cookie:
    """Removes a flash that has served its purpose (after a successful log-in)."""
    return Cookie(key=FLASH_COOKIE, value="", path="/", max_age=0, httponly=True, samesite="lax")


def read_flash(value: str | None, signing_key: str) -> Flash | None:
    """The flash in a cookie value, if its signature holds and it is fresh."""
    if not value or "." not in value:
        return None
    payload, _, signature = value.rpartition(".")
    if not hmac.compare_digest(signature, _signature(signing_key, payload.encode())):
        return None
    try:
        body = json.loads(base64.urlsafe_b64decode(payload.encode()))
    except ValueError:
        return None
    if time.time() - body.get("t", 0) > FLASH_SECONDS:
        return None
    return Flash(notice=str(body["n"]), email=str(body["e"]), retry_after=int(body["r"]))
