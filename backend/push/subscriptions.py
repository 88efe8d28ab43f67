"""Device subscriptions: checked against the push-service allow-list, stored, refreshed, removed."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric import ec

from backend.db import write_transaction
from backend.errors import Invalid, NotFound
from backend.push.tables import PushSubscription
from backend.translatable import N_

MAX_ENDPOINT_LENGTH = 2048
BAD_ENDPOINT = N_("This push service is not supported.")
BAD_KEYS = N_("This subscription's keys are not valid.")


@dataclass(frozen=True)
class DeviceSubscription:
    """What a browser's ``PushSubscription.toJSON()`` gives: the endpoint and its two keys."""

    endpoint: str
    p256dh: str
    auth: str


def host_allowed(endpoint: str, allowed_hosts: Iterable[str]) -> bool:
    """Whether ``endpoint`` is an https URL on an allowed push-service host.

    An entry is a host name (``fcm.googleapis.com``), a host and port (``127.0.0.1:8443``), or
    a wildcard for sub-domains (``*.notify.windows.com``).
    """
    parts = urlsplit(endpoint)
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        return False
    try:
        port = parts.port
    except ValueError:
        return False
    host = parts.hostname.lower()
    for entry in allowed_hosts:
        entry = entry.strip().lower()
        if entry.startswith("*.") and host.endswith(entry[1:]) and port is None:
            return True
        if (entry == host and port is None) or entry == f"{host}:{port}":
            return True
    return False


def _key_bytes(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as error:
        raise Invalid(BAD_KEYS, field="keys") from error


def check_subscription(device: DeviceSubscription, allowed_hosts: Iterable[str]) -> None:
    """Raise ``Invalid`` unless the endpoint is allowed and the keys are well-formed."""
    if len(device.endpoint) > MAX_ENDPOINT_LENGTH or not host_allowed(
        device.endpoint, allowed_hosts
    ):
        raise Invalid(BAD_ENDPOINT, field="endpoint")
    if len(_key_bytes(device.auth)) != 16:
        raise Invalid(BAD_KEYS, field="keys")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _key_bytes(device.p256dh))
    except ValueError as error:
        raise Invalid(BAD_KEYS, field="keys") from error


async def save_subscription(
    user_id: UUID,
    device: DeviceSubscription,
    allowed_hosts: Iterable[str],
    session_id: str | None = None,
) -> UUID:
    """Store ``device`` for the user (a device that changed hands moves to its new user).

    With ``session_id`` the subscription ends with that session (sign-out of the device).
    """
    check_subscription(device, allowed_hosts)
    async with write_transaction(PushSubscription._meta.db):
        existing = (
            await PushSubscription.select(PushSubscription.id)
            .where(PushSubscription.endpoint == device.endpoint)
            .first()
        )
        if existing:
            await PushSubscription.update(
                {
                    PushSubscription.user: user_id,
                    PushSubscription.session: session_id,
                    PushSubscription.p256dh: device.p256dh,
                    PushSubscription.auth: device.auth,
                }
            ).where(PushSubscription.id == existing["id"])
            return existing["id"]
        row = PushSubscription(
            user=user_id,
            session=session_id,
            endpoint=device.endpoint,
            p256dh=device.p256dh,
            auth=device.auth,
        )
        await row.save()
        return row.id


async def replace_subscription(
    user_id: UUID,
    old_endpoint: str,
    device: DeviceSubscription,
    allowed_hosts: Iterable[str],
    session_id: str | None = None,
) -> UUID:
    """The browser renewed a subscription (``pushsubscriptionchange``): swap old for new.

    Only a caller who knows one of the user's current endpoints may do this.
    """
    check_subscription(device, allowed_hosts)
    if not await PushSubscription.exists().where(
        PushSubscription.user == user_id, PushSubscription.endpoint == old_endpoint
    ):
        raise NotFound("Not found.")
    await remove_subscription(user_id, old_endpoint)
    return await save_subscription(user_id, device, allowed_hosts, session_id)


async def remove_subscription(user_id: UUID, endpoint: str) -> None:
    """Forget one device of the user (sign-out of that device, or notifications turned off)."""
    await PushSubscription.delete().where(
        PushSubscription.user == user_id, PushSubscription.endpoint == endpoint
    )


async def delete_subscriptions(user_id: UUID) -> int:
    """Forget every device of the user (for example when the account is banned)."""
    deleted = (
        await PushSubscription.delete()
        .where(PushSubscription.user == user_id)
        .returning(PushSubscription.id)
    )
    return len(deleted)


async def subscription_count(user_id: UUID) -> int:
    """How many devices of the user receive pushes."""
    return await PushSubscription.count().where(PushSubscription.user == user_id)
