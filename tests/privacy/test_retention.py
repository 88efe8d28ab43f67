"""Retention jobs with a controlled clock: inactive accounts, ended listings, expired exports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from litestar import Litestar

from backend.accounts.tables import User
from backend.listings.tables import Listing
from backend.messaging.tables import Conversation
from backend.notifications.service import ACCOUNT_INACTIVE, EXPORT_READY
from backend.notifications.tables import Notification
from backend.privacy.retention import Retention
from backend.privacy.service import Privacy
from backend.push.messages import render
from frontend.i18n import translator
from tests.factories import make_account, make_conversation, make_listing, place_in
from tests.media.photo_files import jpeg_with_gps

NOW = datetime.now(UTC)


class Clock:
    """A clock the test moves forward."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def _retention(app: Litestar, clock: Clock) -> Retention:
    privacy = Privacy(app.state.settings, app.state.accounts, app.state.media, clock)
    return Retention(app.state.settings, privacy, app.state.media, clock)


async def test_an_inactive_account_is_warned_then_deleted_after_the_grace_period(
    app: Litestar,
) -> None:
    settings = app.state.settings
    clock = Clock()
    retention = _retention(app, clock)
    sleeper = await make_account(app)
    active = await make_account(app)

    clock.now = NOW + timedelta(days=settings.inactive_account_days + 1)
    await User.update({User.last_active_at: clock.now}).where(User.id == active.id)
    first = await retention.run()
    again = await retention.run()
    warned = await Notification.exists().where(
        Notification.user == sleeper.id, Notification.kind == ACCOUNT_INACTIVE
    )
    clock.now += timedelta(days=settings.inactive_grace_days - 1)
    too_early = await retention.run()
    clock.now += timedelta(days=2)
    due = await retention.run()

    assert (first.warned, again.warned) == (1, 0)
    assert warned
    assert too_early.accounts_deleted == 0
    assert due.accounts_deleted == 1
    assert not await User.exists().where(User.id == sleeper.id)
    assert await User.exists().where(User.id == active.id)


async def test_coming_back_after_the_warning_keeps_the_account(app: Litestar) -> None:
    settings = app.state.settings
    clock = Clock()
    retention = _retention(app, clock)
    person = await make_account(app)

    clock.now = NOW + timedelta(days=settings.inactive_account_days + 1)
    assert (await retention.run()).warned == 1
    clock.now += timedelta(days=1)
    await User.update({User.last_active_at: clock.now}).where(User.id == person.id)
    clock.now += timedelta(days=settings.inactive_grace_days + 1)

    assert (await retention.run()).accounts_deleted == 0
    assert await User.exists().where(User.id == person.id)


async def test_ended_listings_their_photos_and_conversations_are_purged_after_their_period(
    app: Litestar,
) -> None:
    settings = app.state.settings
    clock = Clock()
    retention = _retention(app, clock)
    owner, helper, conversation = await make_conversation(app, town="Haarlem")
    [closed] = (await app.state.listings.mine(owner)).personal
    photo = await app.state.media.upload(owner, jpeg_with_gps(640, 480), purpose="listing")
    await app.state.media.attach(owner.id, closed.id, [photo.id])
    photo_keys = [url.removeprefix("/media/") for url in photo.urls.values()]
    assert [await app.state.media.storage.read(key) for key in photo_keys]
    await app.state.listings.close(owner, closed.id, found_help=True)
    still_open = await make_listing(app, owner)
    # Keep both accounts active, so only the listings' periods matter here.
    later = NOW + timedelta(days=settings.ended_listing_days + 1)
    await User.update({User.last_active_at: later}).where(User.id.is_in([owner.id, helper.id]))

    clock.now = NOW + timedelta(days=settings.ended_listing_days - 1)
    assert (await retention.run()).listings_purged == 0
    clock.now = later
    await Listing.update({Listing.expires_at: later + timedelta(days=30)}).where(
        Listing.id == still_open.id
    )
    purged = await retention.run()

    assert purged.listings_purged == 1
    assert not await Listing.exists().where(Listing.id == closed.id)
    assert not await Conversation.exists().where(Conversation.id == conversation)
    for key in photo_keys:
        with pytest.raises(KeyError):
            await app.state.media.storage.read(key)
    assert await Listing.exists().where(Listing.id == still_open.id)


async def test_an_expired_listing_is_purged_counting_from_its_expiry(app: Litestar) -> None:
    settings = app.state.settings
    clock = Clock()
    retention = _retention(app, clock)
    owner = await place_in(app, await make_account(app), "Haarlem")
    listing = await make_listing(app, owner)
    expired_at = await Listing.select(Listing.expires_at).where(Listing.id == listing.id).first()
    expired_at = expired_at["expires_at"]
    assert (await app.state.listings.expire_due(expired_at + timedelta(minutes=1))).expired == 1
    await User.update({User.last_active_at: expired_at + timedelta(days=999)}).where(
        User.id == owner.id
    )

    clock.now = expired_at + timedelta(days=settings.ended_listing_days - 1)
    assert (await retention.purge_ended_listings()) == 0
    clock.now = expired_at + timedelta(days=settings.ended_listing_days + 1)
    assert (await retention.purge_ended_listings()) == 1
    assert not await Listing.exists().where(Listing.id == listing.id)


def test_the_warning_and_the_export_notice_read_as_themselves() -> None:
    t = translator("nl")

    warning = render(ACCOUNT_INACTIVE, {"delete_on": "2028-12-01"}, t)
    ready = render(EXPORT_READY, {"export": "x"}, t)

    assert "2028-12-01" in warning.body
    assert warning.url == "/profile"
    assert ready.url == "/profile/privacy"
    assert ready.title == "Je gegevens staan klaar"
