"""Browser-side push keys for tests: a P-256 key pair and an auth secret."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend.push.subscriptions import DeviceSubscription


def b64url(data: bytes) -> str:
    """Unpadded base64url, as browsers encode subscription keys."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class BrowserKeys:
    """The receiving side of one subscription: it can decrypt what is sent to it."""

    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def public_point(self) -> bytes:
        """The uncompressed public point (65 bytes)."""
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )

    def device(self, endpoint: str) -> DeviceSubscription:
        """The subscription a browser would hand to the app for ``endpoint``."""
        return DeviceSubscription(
            endpoint=endpoint, p256dh=b64url(self.public_point), auth=b64url(self.auth_secret)
        )
