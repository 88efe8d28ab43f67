"""Our one door to the ``webpush`` package: RFC 8291 encryption plus the headers it gets wrong.

``webpush.WebPush`` has traps: its TTL defaults to 0 (an offline device never gets the message)
and ``ttl=0`` passed to ``get()`` is silently ignored; it sets no ``Urgency`` or ``Topic``;
it checks no size; ``get()`` writes the subscriber, TTL and expiry into the instance (unsafe to
share between concurrent sends); it signs a new VAPID token for every message; and its VAPID
``aud`` drops the port. So we use only its encryption (a pure function of its arguments) and
build the headers and the cached VAPID tokens here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from webpush import WebPush
from webpush.types import WebPushKeys, WebPushSubscription

# RFC 8291: one 4,096-byte record; minus the header (86), the tag (16) and the padding delimiter.
MAX_PLAINTEXT_BYTES = 3_993
URGENCIES = ("very-low", "low", "normal", "high")
VAPID_TOKEN_SECONDS = 12 * 3_600
# A cached token is replaced once less than this is left, so no request carries a stale one.
VAPID_RENEW_MARGIN_SECONDS = 3_600
_DEFAULT_PORTS = {"https": 443, "http": 80}


class PayloadTooLarge(ValueError):
    """The plaintext does not fit in one record (more than ``MAX_PLAINTEXT_BYTES``)."""


@dataclass(frozen=True)
class PushRequest:
    """An encrypted push message, ready to POST to ``endpoint``."""

    endpoint: str
    body: bytes
    headers: dict[str, str]


def push_service_origin(endpoint: str) -> str:
    """The origin of a push service, the VAPID ``aud``: scheme, host and a non-default port."""
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme):
        return f"{parts.scheme}://{host}:{port}"
    return f"{parts.scheme}://{host}"


class VapidTokens:
    """VAPID ``Authorization`` headers, signed once per push service, reused until near expiry."""

    def __init__(
        self,
        private_pem: bytes,
        public_key: str,
        subject: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._key = serialization.load_pem_private_key(private_pem, password=None)
        self._public_key = public_key
        self._subject = subject
        self._clock = clock
        self._cache: dict[str, tuple[str, int]] = {}

    def header(self, endpoint: str) -> str:
        """The ``Authorization`` header for a request to ``endpoint``."""
        audience = push_service_origin(endpoint)
        now = int(self._clock())
        cached = self._cache.get(audience)
        if cached is None or cached[1] - now < VAPID_RENEW_MARGIN_SECONDS:
            expires = now + VAPID_TOKEN_SECONDS
            claims = {"aud": audience, "exp": expires, "sub": self._subject}
            token = jwt.encode(claims, self._key, algorithm="ES256")
            cached = (f"vapid t={token}, k={self._public_key}", expires)
            self._cache[audience] = cached
        return cached[0]


class PushEncoder:
    """Builds encrypted push requests; safe to share between concurrent sends."""

    def __init__(self, private_pem: bytes, public_key: str, subject: str) -> None:
        private_key = serialization.load_pem_private_key(private_pem, password=None)
        public_pem = private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        # Only ``_encrypt`` is used: it reads nothing from the instance but a constant.
        self._webpush = WebPush(private_key=private_pem, public_key=public_pem)
        self.tokens = VapidTokens(private_pem, public_key, subject)

    def build(
        self,
        endpoint: str,
        p256dh: str,
        auth: str,
        plaintext: bytes,
        *,
        ttl: int,
        urgency: str,
        topic: str = "",
    ) -> PushRequest:
        """Encrypt ``plaintext`` for one subscription with explicit TTL, Urgency and Topic."""
        if len(plaintext) > MAX_PLAINTEXT_BYTES:
            raise PayloadTooLarge(f"{len(plaintext)} bytes > {MAX_PLAINTEXT_BYTES}")
        if ttl <= 0:
            raise ValueError("a TTL of 0 drops the message for every device that is offline")
        if urgency not in URGENCIES:
            raise ValueError(f"unknown urgency {urgency!r}")
        subscription = WebPushSubscription(
            endpoint=endpoint, keys=WebPushKeys(p256dh=p256dh, auth=auth)
        )
        body = self._webpush._encrypt(plaintext, subscription)  # private, but pure: see module doc
        headers = {
            "authorization": self.tokens.header(endpoint),
            "content-encoding": "aes128gcm",
            "content-type": "application/octet-stream",
            "ttl": str(ttl),
            "urgency": urgency,
        }
        if topic:
            headers["topic"] = topic
        return PushRequest(endpoint=endpoint, body=body, headers=headers)
