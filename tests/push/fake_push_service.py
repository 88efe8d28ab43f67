"""A fake push service over HTTPS on a free port: it checks every request as a real one would.

Each POST must carry a valid VAPID JWT (ES256 with the app's key, ``aud`` = this service's
origin including its port, ``exp`` within 24 hours, ``sub`` a mailto: or https: URL); the body
is decrypted (RFC 8291 aes128gcm) with the subscription's private key when the test registered
one. Answers are 201 unless scripted; endpoints named ``gone-…``, ``busy-…`` and ``flaky-…``
answer 410, 429 (then 201) and 500 (then 201) without scripting, for the benchmark. For the
sender's tests, ``slow-…`` answers after ``SLOW_SECONDS``, ``redirect-…`` answers 307 to
``target-…``, and ``endless-…`` answers 201 with a body that takes ``ENDLESS_SECONDS`` to stream.

Run alone (for the benchmark, in its own process): ``python -m tests.push.fake_push_service``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import ipaddress
import json
import secrets
import ssl
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import NameOID

from tests.live_server import free_port
from tests.push.keys import BrowserKeys

Answer = tuple[int, dict[str, str]]
SLOW_SECONDS = 0.3
ENDLESS_SECONDS = 6.0
ENDLESS_CHUNK = b"x" * 65_536


@dataclass
class Received:
    """One request as the fake saw it."""

    endpoint: str
    status: int
    headers: dict[str, str]
    claims: dict[str, Any]
    message: dict[str, Any] | None
    plaintext_bytes: int
    at: float
    answered: float = 0.0


def _b64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def decrypt_aes128gcm(body: bytes, keys: BrowserKeys) -> bytes:
    """RFC 8291/8188 decryption as the browser does it; raises on any mismatch."""
    salt, record_size, id_length = body[:16], struct.unpack("!L", body[16:20])[0], body[20]
    sender_point = body[21 : 21 + id_length]
    ciphertext = body[21 + id_length :]
    assert record_size >= len(ciphertext), "one record only"
    sender = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender_point)
    shared = keys.private_key.exchange(ec.ECDH(), sender)
    info = b"WebPush: info\x00" + keys.public_point + sender_point
    ikm = _hkdf(keys.auth_secret, shared, info, 32)
    key = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
    nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
    padded = AESGCM(key).decrypt(nonce, ciphertext, None).rstrip(b"\x00")
    assert padded.endswith(b"\x02"), "last record delimiter"
    return padded[:-1]


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, written to ``directory``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake push service")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "push.crt", directory / "push.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class FakePushService:
    """The ASGI app; ``origin`` is set once it listens."""

    app_public_key: str
    origin: str = ""
    received: list[Received] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    early: int = 0
    _keys: dict[str, BrowserKeys] = field(default_factory=dict)
    _scripts: dict[str, list[Answer]] = field(default_factory=dict)
    _not_before: dict[str, float] = field(default_factory=dict)
    _seen: Counter[str] = field(default_factory=Counter)
    _verified: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def new_endpoint(self, name: str = "") -> tuple[str, BrowserKeys]:
        """A fresh endpoint on this service and the browser keys that can read its messages."""
        keys = BrowserKeys()
        endpoint = f"{self.origin}/push/{name}{secrets.token_urlsafe(12)}"
        self._keys[endpoint] = keys
        return endpoint, keys

    def script(self, endpoint: str, *answers: Answer) -> None:
        """Answer the next requests to ``endpoint`` with these (status, headers), then 201."""
        self._scripts[endpoint] = list(answers)

    def messages(self, endpoint: str | None = None) -> list[dict[str, Any]]:
        """The decrypted payloads accepted (201) so far, oldest first."""
        with self._lock:
            return [
                r.message
                for r in self.received
                if r.status == 201 and r.message and endpoint in (None, r.endpoint)
            ]

    def requests(self, endpoint: str) -> list[Received]:
        """Every request made to ``endpoint``."""
        with self._lock:
            return [r for r in self.received if r.endpoint == endpoint]

    def _answer(self, endpoint: str, path: str) -> Answer:
        script = self._scripts.get(endpoint)
        if script:
            return script.pop(0)
        name = path.removeprefix("/push/")
        first = self._seen[endpoint] == 1
        if name.startswith("gone-"):
            return 410, {}
        if name.startswith("redirect-"):
            return 307, {"location": f"{self.origin}/push/target-{name}"}
        if name.startswith("busy-") and first:
            return 429, {"retry-after": "1"}
        if name.startswith("flaky-") and first:
            return 500, {}
        return 201, {}

    def _claims(self, authorization: str) -> dict[str, Any]:
        scheme, _, params = authorization.partition(" ")
        assert scheme == "vapid", "VAPID scheme"
        values = dict(part.strip().split("=", 1) for part in params.split(","))
        assert values["k"] == self.app_public_key, "the app's VAPID key"
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _b64(values["k"]))
        claims = jwt.decode(values["t"], public, algorithms=["ES256"], audience=self.origin)
        assert claims["exp"] <= time.time() + 24 * 3_600, "exp within 24 hours"
        assert claims["sub"].startswith(("mailto:", "https:")), "sub is a contact URL"
        return claims

    def _check(self, endpoint: str, headers: dict[str, str], body: bytes) -> Received:
        claims = self._claims(headers.get("authorization", ""))
        assert headers.get("content-encoding") == "aes128gcm"
        assert int(headers.get("ttl", "0")) > 0, "a TTL above 0"
        assert headers.get("urgency") in ("very-low", "low", "normal", "high")
        assert len(body) <= 4_096, "one record of at most 4,096 bytes"
        keys = self._keys.get(endpoint)
        plaintext = decrypt_aes128gcm(body, keys) if keys else b""
        message = json.loads(plaintext) if keys else None
        return Received(endpoint, 0, headers, claims, message, len(plaintext), time.time())

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            event = await receive()
            body += event.get("body", b"")
            if not event.get("more_body"):
                break
        if scope["method"] == "GET" and scope["path"] == "/stats":
            await _respond(send, 200, {}, json.dumps(self.stats()).encode())
            return
        endpoint = self.origin + scope["path"]
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        try:
            received = self._check(endpoint, headers, body)
        except (AssertionError, jwt.InvalidTokenError, KeyError, ValueError) as error:
            with self._lock:
                self.rejected.append(f"{endpoint}: {error!r}")
            await _respond(send, 400, {}, b"")
            return
        with self._lock:
            self._seen[endpoint] += 1
            if time.time() < self._not_before.get(endpoint, 0):
                self.early += 1
            status, answer_headers = self._answer(endpoint, scope["path"])
            if "retry-after" in answer_headers:
                self._not_before[endpoint] = time.time() + float(answer_headers["retry-after"])
            received.status = status
            self.received.append(received)
        name = scope["path"].removeprefix("/push/")
        if name.startswith("slow-"):
            await asyncio.sleep(SLOW_SECONDS)
        received.answered = time.time()
        if name.startswith("endless-"):
            await _respond_endlessly(send, status)
            return
        await _respond(send, status, answer_headers, b"")

    def peak_concurrency(self, endpoints: list[str]) -> int:
        """The most requests to ``endpoints`` that were open at one moment."""
        with self._lock:
            received = [r for r in self.received if r.endpoint in endpoints]
        events = sorted([(r.at, 1) for r in received] + [(r.answered, -1) for r in received])
        peak = open_now = 0
        for _, change in events:
            open_now += change
            peak = max(peak, open_now)
        return peak

    def stats(self) -> dict[str, Any]:
        """Counts for the benchmark (run in another process)."""
        with self._lock:
            statuses = Counter(r.status for r in self.received)
            return {
                "requests": len(self.received),
                "statuses": {str(k): v for k, v in statuses.items()},
                "accepted_endpoints": len({r.endpoint for r in self.received if r.status == 201}),
                "early": self.early,
                "rejected": len(self.rejected),
            }


async def _respond(send: Any, status: int, headers: dict[str, str], body: bytes) -> None:
    raw = [(k.encode(), v.encode()) for k, v in headers.items()]
    raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


async def _respond_endlessly(send: Any, status: int) -> None:
    """A body far larger than any push service sends, trickled out over ``ENDLESS_SECONDS``."""
    await send({"type": "http.response.start", "status": status, "headers": []})
    chunks = 60
    for _ in range(chunks):
        await send({"type": "http.response.body", "body": ENDLESS_CHUNK, "more_body": True})
        await asyncio.sleep(ENDLESS_SECONDS / chunks)
    await send({"type": "http.response.body", "body": b""})


@contextmanager
def running_fake_push_service(
    directory: Path, app_public_key: str, port: int | None = None
) -> Iterator[tuple[FakePushService, ssl.SSLContext]]:
    """Serve a fake push service in a thread; yield it and an SSL context that trusts it."""
    cert, key = self_signed_certificate(directory)
    port = port or free_port()
    service = FakePushService(app_public_key, origin=f"https://127.0.0.1:{port}")
    config = uvicorn.Config(
        service,
        host="127.0.0.1",
        port=port,
        ssl_certfile=str(cert),
        ssl_keyfile=str(key),
        log_level="warning",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the fake push service did not start")
        time.sleep(0.02)
    try:
        yield service, ssl.create_default_context(cafile=str(cert))
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def main() -> None:
    """Serve until killed (the benchmark starts this in its own process)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--directory", type=Path, required=True)
    parser.add_argument("--app-public-key", required=True)
    arguments = parser.parse_args()
    with running_fake_push_service(arguments.directory, arguments.app_public_key, arguments.port):
        print("ready", flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
