"""Every interface string has a Dutch translation, and the language choice is sensible."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from frontend.i18n import catalog, language_from_accept, translator

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("frontend", "backend")
METHOD_MAP = [("**.py", "python")]
# The same keywords as ``make translations`` (pybabel extract -k ...).
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "t": None,
    "Invalid": None,
    "Forbidden": None,
    "NotAuthenticated": None,
    "NotFound": None,
    "Conflict": None,
    "TooManyRequests": None,
    "TooLarge": None,
    "Limit": (4,),
    "N_": None,
}
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def extracted_messages() -> set[str]:
    """The English source strings marked for translation in the Python sources."""
    messages: set[str] = set()
    for directory in SOURCE_DIRS:
        for _filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT / directory, METHOD_MAP, keywords=KEYWORDS
        ):
            if isinstance(message, str):
                messages.add(message)
            else:
                messages.update(part for part in message if part)
    return messages


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_every_interface_string_has_a_dutch_translation() -> None:
    messages = extracted_messages()
    assert messages, "no translatable strings were found in the sources"
    dutch = catalog("nl")
    missing = sorted(message for message in messages if not dutch.get(message))
    assert not missing, "No Dutch translation (run `make translations`):\n" + "\n".join(missing)


def test_translations_keep_their_placeholders() -> None:
    dutch = catalog("nl")
    assert dutch
    broken = {
        source: translation
        for source, translation in dutch.items()
        if placeholders(source) != placeholders(translation)
    }
    assert not broken, f"Placeholders differ: {broken}"


def test_english_is_the_source_language() -> None:
    assert translator("en")("Log in") == "Log in"
    assert translator("nl")("Log in") == "Inloggen"


def test_an_unknown_string_falls_back_to_the_source() -> None:
    assert translator("nl")("Not a known string") == "Not a known string"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-GB,en;q=0.9", "en"),
        ("nl-NL", "nl"),
        ("de-DE,en;q=0.5,nl;q=0.8", "nl"),
        ("fr", "nl"),
        ("", "nl"),
        # A bad weight counts as the lowest weight; English is still the only language named.
        ("en;q=garbage", "en"),
        ("en;q=garbage,nl;q=0.1", "nl"),
    ],
)
def test_accept_language_picks_a_supported_language(header: str, expected: str) -> None:
    assert language_from_accept(header) == expected
