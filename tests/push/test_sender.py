"""The HTTP side of sending: endpoints are user-supplied URLs, so no redirects are followed,
slow services time out, answers are read only a little, and each push service gets at most a
few requests at once."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Callable

import pytest

from backend.push.protocol import PushEncoder, PushRequest
from backend.push.sender import NETWORK_ERROR, PushSender
from tests.push.fake_push_service import ENDLESS_SECONDS, FakePushService

MakeSender = Callable[..., PushSender]


@pytest.fixture
async def make_sender(
    fake_push: tuple[FakePushService, ssl.SSLContext],
) -> AsyncIterator[MakeSender]:
    """Senders that trust the fake push service; closed after the test."""
    senders: list[PushSender] = []

    def make(**options: float) -> PushSender:
        senders.append(PushSender(verify=fake_push[1], **options))  # type: ignore[arg-type]
        return senders[-1]

    yield make
    for sender in senders:
        await sender.close()


def _request(push_service: FakePushService, encoder: PushEncoder, name: str) -> PushRequest:
    endpoint, keys = push_service.new_endpoint(name)
    device = keys.device(endpoint)
    return encoder.build(endpoint, device.p256dh, device.auth, b"{}", ttl=60, urgency="normal")


async def test_a_redirect_is_answered_not_followed(
    push_service: FakePushService, encoder: PushEncoder, make_sender: MakeSender
) -> None:
    request = _request(push_service, encoder, "redirect-")
    response = await make_sender(per_service=4).send(request)
    assert response.status == 307
    assert len(push_service.requests(request.endpoint)) == 1
    target = request.endpoint.replace("/push/", "/push/target-")
    assert push_service.requests(target) == []


async def test_a_push_service_that_does_not_answer_in_time_is_a_network_error(
    push_service: FakePushService, encoder: PushEncoder, make_sender: MakeSender
) -> None:
    sender = make_sender(per_service=4, timeout_seconds=0.05)
    response = await sender.send(_request(push_service, encoder, "slow-"))
    assert response.status == NETWORK_ERROR


async def test_a_long_answer_is_not_read_to_its_end(
    push_service: FakePushService, encoder: PushEncoder, make_sender: MakeSender
) -> None:
    sender = make_sender(per_service=4)
    request = _request(push_service, encoder, "endless-")
    response = await asyncio.wait_for(sender.send(request), ENDLESS_SECONDS / 2)
    assert response.status == 201


async def test_requests_to_one_push_service_are_capped(
    push_service: FakePushService, encoder: PushEncoder, make_sender: MakeSender
) -> None:
    sender = make_sender(per_service=3)
    requests = [_request(push_service, encoder, "slow-") for _ in range(9)]
    responses = await asyncio.gather(*(sender.send(request) for request in requests))
    assert [response.status for response in responses] == [201] * 9
    assert push_service.peak_concurrency([request.endpoint for request in requests]) == 3
