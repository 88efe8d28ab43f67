"""Secrets generated on first start and kept as 0600 files, so that every process agrees."""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


@dataclass(frozen=True)
class AppKeys:
    """The installation's secrets: a signing key and the VAPID key pair for web push."""

    signing_key: str
    vapid_private_pem: bytes
    vapid_public_key: str


def _write_once(path: Path, content: bytes) -> bytes:
    """Create ``path`` with mode 0600 unless it exists; return what the file holds.

    ``O_EXCL`` makes concurrent first starts agree: the loser reads the winner's file.
    """
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    return content


def _new_vapid_private_pem() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def vapid_public_key_from_pem(private_pem: bytes) -> str:
    """The application server key browsers need: the uncompressed P-256 point, base64url."""
    key = serialization.load_pem_private_key(private_pem, password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


def load_or_create_keys(secrets_dir: Path) -> AppKeys:
    """Read the secrets under ``secrets_dir``, generating any that are missing."""
    secrets_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    signing_key = _write_once(secrets_dir / "signing.key", secrets.token_hex(32).encode())
    vapid_pem = _write_once(secrets_dir / "vapid_private.pem", _new_vapid_private_pem())
    return AppKeys(
        signing_key=signing_key.decode().strip(),
        vapid_private_pem=vapid_pem,
        vapid_public_key=vapid_public_key_from_pem(vapid_pem),
    )
