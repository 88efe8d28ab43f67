"""What account deletion leaves is shown in the reader's language; people's own words are not."""

from backend.privacy.erasure import DELETED_USER_NAME
from backend.privacy.handover import DELETED_LISTING_TITLE
from frontend.i18n import translator
from frontend.stand_ins import shown


def test_the_deleted_user_and_a_kept_listing_read_in_dutch() -> None:
    t = translator("nl")

    assert shown(DELETED_USER_NAME, t) == "Verwijderde gebruiker"
    assert shown(DELETED_LISTING_TITLE, t) == "Verwijderde oproep"


def test_a_name_or_title_that_happens_to_be_a_catalog_string_stays_as_written() -> None:
    t = translator("nl")

    assert shown("Settings", t) == "Settings"
    assert shown("Bram", t) == "Bram"
