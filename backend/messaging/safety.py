"""What in a chat message deserves a gentle safety prompt: a meeting, an address, a phone number,
an IBAN or a request for money, in Dutch and English. One small rule each; a false alarm is cheap.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache

from backend.listings.addresses import looks_like_address
from backend.translatable import N_


class Concern(StrEnum):
    """A reason to show safety advice with a message, in the order the advice is shown."""

    MEETING = "meeting"
    ADDRESS = "address"
    PHONE = "phone"
    IBAN = "iban"
    MONEY = "money"


# English msgids; the UI translates them with ``t`` when it shows them.
CALL_FIRST_ADVICE: tuple[str, ...] = (
    N_("Call first, then meet."),
    N_("Meet in a public place the first time."),
    N_("Tell someone where you go."),
    N_("Never send money or share bank details."),
)
_ADVICE: dict[Concern, str] = {
    Concern.MEETING: (
        N_("Meeting for the first time? Choose a public place and tell someone where you go.")
    ),
    Concern.ADDRESS: N_("Share your address only after you have called and feel comfortable."),
    Concern.PHONE: N_("Call first, then meet. Only share numbers you are happy to share."),
    Concern.IBAN: N_("Never send money or bank details to someone you met here."),
    Concern.MONEY: N_("Handje help is always free. Never send money, codes or bank details."),
}

# MEETING: a fixed phrase that proposes to meet, or a clock time followed closely by a place
# ("om 10 uur bij de bakker", "at 3 at the station"). A time alone ("ik kan om 10 uur") is
# ordinary planning and stays quiet; "een afspraak bij de dokter om 10 uur" may still raise a
# card, which is cheap. "Nice to meet you" is not a proposal, so only meet + me/up/at/... counts.
_MEETING_PHRASES = (
    r"afspreken|spreken we af|ontmoeten|kennis ?maken"
    r"|kom\w*\s(?:\w+\s){0,2}langs|langs ?komen"
    r"|naar (?:je|jou|u|mij|me|ons) (?:toe|thuis)|kom je naar"
    r"|bij (?:mij|me|jou|je|u|ons) thuis|ik haal je op|je ophalen"
    r"|zie (?:je|jullie|ik je) (?:om|bij|daar|straks|zo|morgen|vanavond|op \w+dag)"
    r"|let'?s meet|meet (?:me|up|you (?:at|in|there))|(?:shall|can|could) we meet"
    r"|come (?:over|round|by)|come to (?:my|our)|my place|your place"
    r"|see you (?:at|on|there|tomorrow|tonight)|pick you up"
)
_CLOCK_TIME = (
    r"(?:\b(?:om|rond|vanaf|at|around)\s+\d{1,2}(?:[:.]\d{2})?(?:\s?(?:uur|u|am|pm|h)\b)?"
    r"|\b\d{1,2}:\d{2}\b)"
)
_PLACE_AFTER = (
    r"[^.!?\n]{0,25}?\b(?:bij|op|at|outside|near)\s+"
    r"(?:de|het|'t|the|mij|me|jou|je|u|ons|jullie|my|your|our|(?-i:[A-Z])\w+)\b"
)
# The phrases are matched in the lower-cased text (matching without IGNORECASE is three times
# as fast); a time and a place need the case of a place's name.
_MEETING_PHRASE = re.compile(rf"\b(?:{_MEETING_PHRASES})\b")
_TIME_AND_PLACE = re.compile(rf"{_CLOCK_TIME}{_PLACE_AFTER}", re.IGNORECASE)

# PHONE: a Dutch number of exactly ten digits starting with 0, or "+"/"00", a country code and
# seven to twelve more digits; single spaces, dashes or slashes may separate digits. Dates
# (12-05-2024), times, prices, postcodes and short numbers have fewer digits, a different start
# or a clock or decimal right after, and are refused. Short service numbers (0800-1234) pass.
_SEPARATOR = r"(?: ?[-/] ?| )?"
_AREA_IN_BRACKETS = r"\(0\d{1,3}\) ?\d(?:" + _SEPARATOR + r"\d){5,7}"
_DUTCH_NUMBER = rf"(?<![\w+€$£.,-])(?:0\d(?:{_SEPARATOR}\d){{8}}|{_AREA_IN_BRACKETS})"
_INTERNATIONAL_NUMBER = (
    rf"(?<![\w+€$£.,-])(?:\+|\b00)[1-9]\d{{0,2}}(?: ?\(0\))?(?:{_SEPARATOR}\d){{7,12}}"
)
_PHONE = re.compile(rf"(?:{_DUTCH_NUMBER}|{_INTERNATIONAL_NUMBER})(?![-/]?\d)(?![.,:]\d)")
_DATE_START = re.compile(r"\d{1,2}[-/]\d{1,2}[-/](?:\d{4}|\d{2})(?!\d)")

# IBAN: two letters, two check digits and the country's fixed length of letters and digits,
# written in one piece or in groups; it counts only if the ISO 13616 mod-97 check holds. Its
# digits never count as a phone number, even when a typo breaks the check.
# fmt: off
_IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}
# fmt: on
_IBAN_START = re.compile(r"\b([A-Z]{2})\d{2}", re.IGNORECASE)

# MONEY: a request for money, payment or bank details, not a price mentioned in passing: "het
# kostte 12 euro, ik betaal het terug" is neighbours settling up and stays quiet, while "maak
# 12 euro over" or "tikkie" raises a card. Lending counts only with money ("lend me 50 euros",
# not "lend me your ladder"). A match right after a negation in the same clause ("geen geld
# nodig", "never send money") is advice, not a request.
_AMOUNT = (
    r"(?:[€$£]\s?\d+(?:[.,]\d+)?"
    r"|\d+(?:[.,]\d+)?\s?(?:€|euro'?s?|eur|dollars?|pounds?|bucks|quid)\b)"
)
_MONEY_WORD = rf"(?:geld|centen|money|cash|{_AMOUNT})"
_MONEY_PHRASES = (
    r"tikkie|betaalverzoek|payment request|paypal|bankgegevens|bankrekening|rekeningnummer"
    r"|bank ?details|bank account|account number|card details|iban|pin ?code|your pin"
    r"|(?:verificatie|sms|inlog|beveiligings)-?code|verification code|security code"
    r"|voorschieten|overmaken|overgemaakt|aanbetaling|vooraf betalen|deposit"
    r"|pay (?:first|upfront|in advance)|wire (?:me|it|the|transfer)|western union|moneygram"
    r"|bitcoin|crypto|gift ?cards?|giftcards?|cadeaukaart"
)
_MONEY_REQUESTS = (
    rf"{_MONEY_WORD}\s(?:\w+\s){{0,3}}(?:lenen|leen|nodig|sturen|storten)\b"
    rf"|(?:leen|stuur|maak|send|lend|borrow|need|transfer)\s(?:\w+\s){{0,3}}{_MONEY_WORD}"
)
# Both matched in the lower-cased text.
_MONEY = re.compile(rf"\b(?:{_MONEY_PHRASES})\b|{_MONEY_REQUESTS}")
_NEGATED_CLAUSE_END = re.compile(
    r"\b(?:geen|niet|nooit|no|not|never|don'?t|doesn'?t)\b[^,.;!?\n]{0,12}$"
)


@lru_cache(maxsize=2_048)
def concerns_in(text: str) -> frozenset[Concern]:
    """The safety concerns that ``text`` raises; empty for an ordinary message.

    Remembered for the latest texts: a message is checked when it is held and again when its
    view is made (the answer is immutable).
    """
    iban_spans = _iban_shaped_spans(text)
    lowered = text.lower()
    checks = {
        Concern.MEETING: bool(_MEETING_PHRASE.search(lowered) or _TIME_AND_PLACE.search(text)),
        Concern.ADDRESS: looks_like_address(text),
        Concern.PHONE: _has_phone_number(_blank_out(text, iban_spans)),
        Concern.IBAN: any(_passes_mod_97(text[start:end]) for start, end in iban_spans),
        Concern.MONEY: _asks_for_money(lowered),
    }
    return frozenset(concern for concern, found in checks.items() if found)


def safety_advice(concerns: frozenset[Concern]) -> list[str]:
    """One short piece of advice per concern, in a fixed order (English msgids for ``t``)."""
    return [_ADVICE[concern] for concern in Concern if concern in concerns]


def _has_phone_number(text: str) -> bool:
    """Whether ``text`` holds a phone number that is not the start of a date."""
    return any(not _DATE_START.match(match.group()) for match in _PHONE.finditer(text))


def _iban_shaped_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` shaped like an IBAN (known country, its length), valid or not."""
    spans = []
    for start in _IBAN_START.finditer(text):
        length = _IBAN_LENGTHS.get(start.group(1).upper())
        if length is None:
            continue
        rest = re.compile(rf"(?: ?[A-Z0-9]){{{length - 4}}}(?![A-Z0-9])", re.IGNORECASE)
        if body := rest.match(text, start.end()):
            spans.append((start.start(), body.end()))
    return spans


def _passes_mod_97(iban: str) -> bool:
    """The ISO 13616 check: the rearranged IBAN, letters as 10-35, leaves 1 when divided by 97."""
    compact = iban.replace(" ", "").upper()
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _blank_out(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the given spans replaced by spaces, so their digits count for nothing else."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _asks_for_money(lowered: str) -> bool:
    """Whether ``lowered`` (a text in lower case) asks for money, a payment or bank details,
    outside a negated clause.
    """
    return any(
        not _NEGATED_CLAUSE_END.search(lowered, 0, match.start())
        for match in _MONEY.finditer(lowered)
    )
