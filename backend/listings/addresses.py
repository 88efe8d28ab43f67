"""Spotting what looks like a street address or a Dutch postcode in a listing's title or text.

A listing shows a region, never an address: when its text seems to hold one, the user confirms
before it is saved. A false alarm costs one click, so the patterns lean towards catching.

- Postcode: four digits not starting with 0 and two letters, ``1234 AB``, ``1234AB`` or
  ``1234ab``, with an optional house number after it; a postcode alone already narrows a home
  down to a street. Lower-case letters only count written against the digits, as "2019 en 2021"
  is common; SA, SD and SS are never issued, and unit abbreviations ("1000 km", "1024 MB") are
  far likelier than the few postcodes with those letters.
- Street and house number: a word ending in a common street suffix (Kerkstraat, Prinsengracht,
  Laan van Meerdervoort) and a number with an optional addition (12, 263a, 120-B, 9 hs). A
  capitalised street counts unless a unit of time or quantity follows the number ("Markt 2
  keer"); a lower-case one only as a compound (kerkstraat, not park) whose number ends the
  phrase, since "naar de supermarkt 2 keer" and "bring 2 chairs" are ordinary text. Years
  (19xx, 20xx) are not taken for house numbers.
- English style: a number, one or two capitalised words and Street, Road, Avenue or Lane.
"""

from __future__ import annotations

import re

STREET_SUFFIXES = (
    "straat",
    "laan",
    "weg",
    "plein",
    "gracht",
    "kade",
    "singel",
    "dijk",
    "pad",
    "hof",
    "steeg",
    "dreef",
    "markt",
    "park",
    "ring",
    "burg",
    "erf",
    "haven",
    "wal",
    "veld",
    "baan",
    "allee",
    "boulevard",
)
_SUFFIX = "|".join(STREET_SUFFIXES)
_UNITS = "KB|MB|GB|TB|KM|KG|CM|MM|ML|CL|DL|MG|PK|HZ|KW|MW|BC|AD|CC"
_QUANTITIES = (
    "uur|uren|keer|maal|x|min|minuut|minuten|dag|dagen|week|weken|maand|maanden|jaar|jaren|"
    "km|kilometer|m|meter|kg|kilo|euro|eur|procent|personen|mensen|stuks|hours?|times?|days?|"
    "weeks|months?|years?|minutes?|people|persons"
)
_LETTER = r"[^\W\d_]"
_WORD_REST = rf"(?:{_LETTER}|['-])*"
_CAPITAL = "[A-ZÀ-Þ]"

_POSTCODE = rf"\b[1-9]\d{{3}}(?!\s?(?i:SA|SD|SS|{_UNITS})\b)(?:\s?[A-Z]{{2}}|[a-z]{{2}})\b"
_HOUSE_NUMBER = (
    r"(?!(?:19|20)\d\d\b)[1-9]\d{0,3}"
    r"(?:-?[A-Za-z]\b|-\d{1,3}\b|\s(?:hs|bis|bg|huis|I{1,3}|IV|[A-Z])\b)?"
    r"(?![.,:]?\d)"
)
_CAPITALISED_STREET = (
    rf"\b(?={_CAPITAL}){_WORD_REST}?(?i:{_SUFFIX})\b"
    rf"(?:\s+(?:van|de|der|den|het|'t|op|aan|bij|ter|ten|{_CAPITAL}{_WORD_REST})){{0,3}}"
)
_LOWER_CASE_STREET = rf"\b[a-zß-ÿ][a-zß-ÿ'-]{{2,}}(?:{_SUFFIX})\b"
_NOT_A_QUANTITY = rf"(?!\s*(?:[%€]|(?i:{_QUANTITIES})\b))"
_PHRASE_END = (
    rf"(?=[ \t]*(?:$|\n|[,.;:!?)\]])|[ \t]+(?:(?:in|te)[ \t]+)?(?:{_CAPITAL}|[1-9]\d{{3}}))"
)
_ENGLISH_ADDRESS = r"\b[1-9]\d{0,3}[a-z]?\s+(?:[A-Z][a-z]+\s+){1,2}(?:Street|Road|Avenue|Lane)\b"

ADDRESS_LIKE = re.compile(
    rf"{_POSTCODE}(?:,?\s+{_HOUSE_NUMBER})?"
    rf"|{_CAPITALISED_STREET}\s+{_HOUSE_NUMBER}{_NOT_A_QUANTITY}"
    rf"|{_LOWER_CASE_STREET}\s+{_HOUSE_NUMBER}{_PHRASE_END}"
    rf"|{_ENGLISH_ADDRESS}"
)


# Every pattern holds a digit 1 to 9 (a postcode, a house number): text without one holds none.
_ANY_DIGIT = re.compile("[1-9]")


def find_address_like(text: str) -> list[str]:
    """The snippets of ``text`` that look like a street address or a postcode, in order."""
    if not _ANY_DIGIT.search(text):
        return []
    return list(dict.fromkeys(match.group(0) for match in ADDRESS_LIKE.finditer(text)))


def looks_like_address(text: str) -> bool:
    """Whether ``find_address_like`` finds anything in ``text`` (its first match is enough)."""
    return _ANY_DIGIT.search(text) is not None and ADDRESS_LIKE.search(text) is not None
