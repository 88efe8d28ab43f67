"""Every notification kind reads well in Dutch and English, leads somewhere, and tells the push
service how urgent it is and how long to keep it."""

from __future__ import annotations

from uuid import uuid4

import pytest

from backend.notifications.service import MESSAGE_RECEIVED, TIP
from backend.push.messages import KINDS, SUMMARY_KIND, deep_link, render, render_summary
from frontend.i18n import translator

DATA = {
    "listing_id": str(uuid4()),
    "conversation_id": str(uuid4()),
    "title": "Boodschappen doen",
    "from": "Sam",
    "delete_on": "1 maart",
    "outcome": "warned",
    "site": "Haarlem helpt",
    "text": "Buurtfeest zaterdag",
}
ISSUE_KINDS = {
    "interest_received",
    "interest_accepted",
    "message_received",
    "listing_expires_soon",
    "listing_expired",
    "thanks_received",
    "recommendation",
    "tip",
    "moderation_outcome",
}


def test_every_kind_the_app_promises_exists() -> None:
    assert KINDS.keys() >= ISSUE_KINDS


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_kind_has_dutch_and_english_text_and_a_deep_link(name: str) -> None:
    english, dutch = render(name, DATA, translator("en")), render(name, DATA, translator("nl"))
    for rendered in (english, dutch):
        assert rendered.title
        assert rendered.body
        assert "{" not in rendered.title + rendered.body, "every placeholder is filled"
        assert rendered.url.startswith("/")
        assert "{" not in rendered.url
    assert (dutch.title, dutch.body) != (english.title, english.body), "translated"
    assert english.url == dutch.url == deep_link(KINDS[name], DATA)
    if "{" in KINDS[name].link:  # a link to one listing or conversation carries its id
        assert any(DATA[key] in english.url for key in ("listing_id", "conversation_id"))


def test_the_quiet_hours_summary_is_translated_too() -> None:
    english, dutch = render_summary(3, translator("en")), render_summary(3, translator("nl"))
    assert english.body == "3 notifications arrived during your quiet hours."
    assert "3" in dutch.body
    assert dutch.body != english.body
    assert english.url == SUMMARY_KIND.link == "/notifications"


def test_messages_are_urgent_tips_are_not_and_every_kind_outlives_an_offline_night() -> None:
    assert KINDS[MESSAGE_RECEIVED].urgency == "high"
    assert KINDS[TIP].urgency == "low"
    assert all(kind.ttl >= 12 * 3_600 for kind in [*KINDS.values(), SUMMARY_KIND])


def test_a_link_without_its_id_falls_back_to_the_notification_centre() -> None:
    assert render("listing_expired", {"title": "Fiets"}, translator("en")).url == "/notifications"
