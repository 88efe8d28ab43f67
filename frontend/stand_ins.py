"""What account deletion leaves for the other side, in the reader's language: the shared
"Deleted user" and the title of a listing kept for its conversations are stored in English."""

from __future__ import annotations

from backend.privacy.erasure import DELETED_USER_NAME
from backend.privacy.handover import DELETED_LISTING_TITLE
from frontend.i18n import Translate

STAND_INS = frozenset({DELETED_USER_NAME, DELETED_LISTING_TITLE})


def shown(text: str, t: Translate) -> str:
    """``text`` as stored, translated when it is one of deletion's stand-ins."""
    return t(text) if text in STAND_INS else text
