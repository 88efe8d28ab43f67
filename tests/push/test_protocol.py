"""Our wrapper around ``webpush``: explicit TTL, Urgency and Topic, the size limit, VAPID tokens
cached per push service with ``aud`` including the port, and no state shared between sends."""

from __future__ import annotations

import jwt
import pytest

from backend.keys import load_or_create_keys
from backend.push.protocol import (
    MAX_PLAINTEXT_BYTES,
    PayloadTooLarge,
    PushEncoder,
    VapidTokens,
    push_service_origin,
)
from tests.push.fake_push_service import decrypt_aes128gcm
from tests.push.keys import BrowserKeys


@pytest.fixture(scope="module")
def encoder(tmp_path_factory: pytest.TempPathFactory) -> PushEncoder:
    keys = load_or_create_keys(tmp_path_factory.mktemp("secrets"))
    return PushEncoder(keys.vapid_private_pem, keys.vapid_public_key, "mailto:hallo@handje.nl")


@pytest.mark.parametrize(
    ("endpoint", "origin"),
    [
        ("https://fcm.googleapis.com/fcm/send/x", "https://fcm.googleapis.com"),
        ("https://push.example:443/x", "https://push.example"),
        ("https://127.0.0.1:8443/push/x", "https://127.0.0.1:8443"),
    ],
)
def test_the_vapid_audience_is_the_origin_with_a_non_default_port(
    endpoint: str, origin: str
) -> None:
    assert push_service_origin(endpoint) == origin


def test_the_plaintext_is_encrypted_for_the_subscription_with_explicit_headers(
    encoder: PushEncoder,
) -> None:
    browser = BrowserKeys()
    device = browser.device("https://fcm.googleapis.com/fcm/send/abc")
    request = encoder.build(
        device.endpoint, device.p256dh, device.auth, b'{"a":1}', ttl=600, urgency="high", topic="t1"
    )
    assert decrypt_aes128gcm(request.body, browser) == b'{"a":1}'
    assert request.headers["ttl"] == "600"
    assert (request.headers["urgency"], request.headers["topic"]) == ("high", "t1")
    assert request.headers["content-encoding"] == "aes128gcm"


def test_the_largest_plaintext_fills_one_4096_byte_record_and_more_is_refused(
    encoder: PushEncoder,
) -> None:
    browser = BrowserKeys()
    device = browser.device("https://fcm.googleapis.com/fcm/send/abc")
    largest = b"x" * MAX_PLAINTEXT_BYTES
    request = encoder.build(
        device.endpoint, device.p256dh, device.auth, largest, ttl=60, urgency="low"
    )
    assert len(request.body) == 4_096
    assert decrypt_aes128gcm(request.body, browser) == largest
    with pytest.raises(PayloadTooLarge):
        encoder.build(
            device.endpoint, device.p256dh, device.auth, largest + b"x", ttl=60, urgency="low"
        )


@pytest.mark.parametrize(
    ("ttl", "urgency", "error"), [(0, "high", "TTL of 0"), (60, "urgent", "urgency")]
)
def test_a_zero_ttl_or_unknown_urgency_is_refused(
    encoder: PushEncoder, ttl: int, urgency: str, error: str
) -> None:
    device = BrowserKeys().device("https://fcm.googleapis.com/fcm/send/abc")
    with pytest.raises(ValueError, match=error):
        encoder.build(device.endpoint, device.p256dh, device.auth, b"{}", ttl=ttl, urgency=urgency)


def test_interleaved_sends_keep_their_own_ttl(encoder: PushEncoder) -> None:
    device = BrowserKeys().device("https://fcm.googleapis.com/fcm/send/abc")
    short = encoder.build(device.endpoint, device.p256dh, device.auth, b"{}", ttl=60, urgency="low")
    long = encoder.build(
        device.endpoint, device.p256dh, device.auth, b"{}", ttl=86_400, urgency="low"
    )
    again = encoder.build(device.endpoint, device.p256dh, device.auth, b"{}", ttl=60, urgency="low")
    assert [r.headers["ttl"] for r in (short, long, again)] == ["60", "86400", "60"]


def test_vapid_tokens_are_cached_per_push_service_and_renewed_before_expiry(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    keys = load_or_create_keys(tmp_path_factory.mktemp("secrets"))
    now = [1_800_000_000.0]
    tokens = VapidTokens(
        keys.vapid_private_pem, keys.vapid_public_key, "mailto:a@b.nl", clock=lambda: now[0]
    )
    first = tokens.header("https://fcm.googleapis.com/fcm/send/a")
    assert tokens.header("https://fcm.googleapis.com/fcm/send/b") == first
    other = tokens.header("https://127.0.0.1:8443/push/c")
    assert other != first
    claims = jwt.decode(other.split("t=")[1].split(",")[0], options={"verify_signature": False})
    assert (claims["aud"], claims["sub"]) == ("https://127.0.0.1:8443", "mailto:a@b.nl")
    assert claims["exp"] == int(now[0]) + 12 * 3_600
    now[0] += 10.5 * 3_600
    assert tokens.header("https://fcm.googleapis.com/fcm/send/a") == first
    now[0] += 1 * 3_600
    assert tokens.header("https://fcm.googleapis.com/fcm/send/a") != first
