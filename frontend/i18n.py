"""Dutch and English: gettext catalogs (Babel ``.po`` files) and the language choice."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.core import Locale, UnknownLocaleError
from babel.messages.pofile import read_po

from backend.accounts.profiles import LANGUAGES

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "handje"
SOURCE_LANGUAGE = "en"

Translate = Callable[[str], str]


@cache
def catalog(language: str) -> dict[str, str]:
    """Translations of the English source strings into ``language`` (empty for English)."""
    path = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == SOURCE_LANGUAGE or not path.exists():
        return {}
    with path.open("rb") as file:
        messages = read_po(file, locale=language)
    return {
        message.id: message.string
        for message in messages
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy
    }


def translator(language: str) -> Translate:
    """A function that translates an English source string, falling back to the source."""
    translations = catalog(language)
    return lambda text: translations.get(text, text)


def language_from_accept(header: str) -> str:
    """The best supported language in an ``Accept-Language`` header (Dutch by default)."""
    weighted: list[tuple[float, str]] = []
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        try:
            language = Locale.parse(tag.strip().replace("-", "_")).language if tag.strip() else ""
        except (UnknownLocaleError, ValueError):
            continue
        if language in LANGUAGES:
            weighted.append((quality, language))
    return max(weighted)[1] if weighted else "nl"
