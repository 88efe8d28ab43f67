"""Notification kinds: their texts (English source, translated per user), deep links, TTL, urgency.

The same texts serve the push payload and the in-app notification centre.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from backend.notifications.service import (
    ACCOUNT_INACTIVE,
    EXPORT_READY,
    INTEREST_ACCEPTED,
    INTEREST_RECEIVED,
    LISTING_EXPIRED,
    LISTING_EXPIRES_SOON,
    MESSAGE_RECEIVED,
    MODERATION_OUTCOME,
    RECOMMENDATION,
    REGIONAL_NEWS,
    THANKS_RECEIVED,
    TIP,
)
from backend.push.protocol import MAX_PLAINTEXT_BYTES
from backend.translatable import N_

Translate = Callable[[str], str]
HOUR = 3_600
DAY = 24 * HOUR
SUMMARY = "summary"
NOTIFICATIONS_PAGE = "/notifications"
ELLIPSIS = "…"


@dataclass(frozen=True)
class Kind:
    """How one kind of notification reads, where it leads, and how the push service treats it."""

    name: str
    label: str
    title: str
    body: str
    link: str
    ttl: int
    urgency: str
    capped: bool = False
    conversation: bool = False


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            INTEREST_RECEIVED,
            N_("Someone responds to my listing"),
            N_("Someone wants to help"),
            N_("New response to “{title}”"),
            "/listings/{listing_id}",
            2 * DAY,
            "normal",
        ),
        Kind(
            INTEREST_ACCEPTED,
            N_("My offer is accepted (a match)"),
            N_("It's a match!"),
            N_("Your offer was accepted. Say hello!"),
            "/messages/{conversation_id}",
            2 * DAY,
            "high",
            conversation=True,
        ),
        Kind(
            MESSAGE_RECEIVED,
            N_("New messages"),
            N_("Message from {from}"),
            N_("You have a new message."),
            "/messages/{conversation_id}",
            DAY,
            "high",
            conversation=True,
        ),
        Kind(
            THANKS_RECEIVED,
            N_("Thank-you notes"),
            N_("{from} thanked you"),
            N_("You received a thank-you note."),
            "/messages/{conversation_id}",
            3 * DAY,
            "normal",
            conversation=True,
        ),
        Kind(
            LISTING_EXPIRES_SOON,
            N_("My listing expires soon"),
            N_("Your listing expires in 7 days"),
            N_("Extend “{title}” if it is still needed."),
            "/listings/{listing_id}",
            2 * DAY,
            "normal",
        ),
        Kind(
            LISTING_EXPIRED,
            N_("My listing has expired"),
            N_("Your listing has expired"),
            N_("“{title}” is no longer shown. You can extend it."),
            "/listings/{listing_id}",
            3 * DAY,
            "low",
        ),
        Kind(
            RECOMMENDATION,
            N_("New listings that fit me"),
            N_("A new listing near you"),
            N_("“{title}” may be something for you."),
            "/listings/{listing_id}",
            DAY,
            "low",
            capped=True,
        ),
        Kind(
            TIP,
            N_("Tips for my listings"),
            N_("Tip for your listing"),
            N_("Nobody has responded to “{title}” yet. A photo and a clear title help."),
            "/listings/{listing_id}/edit",
            2 * DAY,
            "low",
            capped=True,
        ),
        Kind(
            MODERATION_OUTCOME,
            N_("News from the moderators"),
            N_("News from the moderators"),
            N_("There is news about something you reported or posted."),
            "/safety",  # the Safety centre lists what the moderators told the person
            3 * DAY,
            "normal",
        ),
        Kind(
            EXPORT_READY,
            N_("My data export is ready"),
            N_("Your data is ready"),
            N_("Download the copy of your data you asked for."),
            "/profile/privacy",
            2 * DAY,
            "normal",
        ),
        Kind(
            ACCOUNT_INACTIVE,
            N_("My unused account will be deleted"),
            N_("We miss you"),
            N_("Open Handje before {delete_on} to keep your unused account."),
            "/profile",
            7 * DAY,
            "normal",
        ),
        Kind(
            REGIONAL_NEWS,
            N_("News from my region (if I asked for it in Privacy)"),
            N_("News from {site}"),
            "{text}",
            NOTIFICATIONS_PAGE,
            3 * DAY,
            "low",
        ),
    )
}
SUMMARY_KIND = Kind(
    SUMMARY,
    "",
    N_("While you were resting"),
    N_("{count} notifications arrived during your quiet hours."),
    NOTIFICATIONS_PAGE,
    DAY,
    "normal",
)


@dataclass(frozen=True)
class Rendered:
    """A notification as a person reads it."""

    title: str
    body: str
    url: str


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def deep_link(kind: Kind, data: Mapping[str, Any]) -> str:
    """The in-app path the notification opens (the centre when the data lacks an id)."""
    try:
        return kind.link.format_map({key: str(value) for key, value in data.items()})
    except (KeyError, ValueError):
        return NOTIFICATIONS_PAGE


def render(kind_name: str, data: Mapping[str, Any], t: Translate, preview: str = "") -> Rendered:
    """Title, body and link of a notification in the reader's language."""
    kind = KINDS.get(kind_name, KINDS[MODERATION_OUTCOME])
    values = _Blank({key: str(value) for key, value in data.items()})
    body = preview or t(kind.body).format_map(values)
    return Rendered(title=t(kind.title).format_map(values), body=body, url=deep_link(kind, data))


def render_summary(count: int, t: Translate) -> Rendered:
    """The one notification sent after quiet hours for everything that was held."""
    return Rendered(
        title=t(SUMMARY_KIND.title),
        body=t(SUMMARY_KIND.body).format(count=count),
        url=NOTIFICATIONS_PAGE,
    )


def payload(
    notification_id: str,
    kind: str,
    rendered: Rendered,
    *,
    tag: str,
    renotify: bool,
    unread: int,
    limit: int = MAX_PLAINTEXT_BYTES,
) -> bytes:
    """The JSON the service worker shows; a body too long for ``limit`` bytes is cut short."""
    message = {
        "id": notification_id,
        "kind": kind,
        "title": rendered.title,
        "body": rendered.body,
        "url": rendered.url,
        "tag": tag,
        "renotify": renotify,
        "unread": unread,
    }
    encoded = _encode(message)
    if len(encoded) <= limit:
        return encoded
    body = rendered.body
    shortest, longest = 0, len(body)
    while shortest < longest:  # the longest cut body that fits
        middle = (shortest + longest + 1) // 2
        if len(_encode({**message, "body": body[:middle] + ELLIPSIS})) <= limit:
            shortest = middle
        else:
            longest = middle - 1
    message["body"] = body[:shortest] + ELLIPSIS if shortest else ""
    encoded = _encode(message)
    if len(encoded) > limit:
        message["title"] = message["title"][: limit // 8]
        encoded = _encode(message)
    return encoded


def shorten(encoded: bytes) -> bytes | None:
    """A payload half the size, its body cut further (``None`` when there is no body left)."""
    message = json.loads(encoded)
    if not message.get("body"):
        return None
    rendered = Rendered(title=message["title"], body=message["body"], url=message["url"])
    return payload(
        message["id"],
        message["kind"],
        rendered,
        tag=message["tag"],
        renotify=message["renotify"],
        unread=message["unread"],
        limit=len(encoded) // 2,
    )


def _encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
