"""What in a message deserves a gentle safety prompt: meetings, addresses, phone numbers, IBANs and
requests for money, in Dutch and English. One small rule each; a false positive costs one tap.
"""

from __future__ import annotations

import re
from enum import StrEnum

from backend.listings.addresses import find_address_like


class Concern(StrEnum):
    """A reason to show safety advice next to a message."""

    MEETING = "meeting"
    ADDRESS = "address"
    PHONE = "phone"
    IBAN = "iban"
    MONEY = "money"


_MEETING = re.compile(
    r"\b(afspreken|ontmoeten|kom (maar )?langs|ik kom naar je toe|bij mij thuis|kom je naar"
    r"|zie je (om|bij|op)|let'?s meet|meet me|come over|come to my (place|house)|my place"
    r"|see you (at|on)|i'?ll pick you up)\b",
    re.IGNORECASE,
)
# Dutch mobile and landline numbers and international ones: at least nine digits in a row,
# allowing the usual separators, so dates, times, prices and postcodes stay out.
_PHONE = re.compile(r"(?<![\w€])(?:\+|00)?\d(?:[\s\-.]?\d){8,13}(?!\w)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}\b", re.IGNORECASE)
_MONEY = re.compile(
    r"\b(geld (lenen|nodig|overmaken)|maak .{0,20}over|tikkie|betaalverzoek|bankgegevens|pincode"
    r"|voorschieten|send (me )?money|lend me|wire (me|the)|bank details|gift ?card|western union"
    r"|bitcoin|i need \d+ ?(euros?|dollars?))\b"
    r"|€ ?\d+ nodig|\d+ euro (nodig|overmaken|sturen)",
    re.IGNORECASE,
)
CALL_FIRST_ADVICE = (
    "Call first, then meet.",
    "Meet in a public place the first time.",
    "Tell someone where you go.",
    "Never send money or share bank details.",
)
_ADVICE = {
    Concern.MEETING: "Meeting for the first time? Choose a public place and tell someone where "
    "you go.",
    Concern.ADDRESS: "Share your address only after you have called and feel comfortable.",
    Concern.PHONE: "Call first, then meet. Only share numbers you are happy to share.",
    Concern.IBAN: "Never send money or bank details to someone you met here.",
    Concern.MONEY: "Handje help is always free. Never send money, codes or bank details.",
}


def _valid_iban(candidate: str) -> bool:
    """The ISO 13616 mod-97 check, so random letters and digits do not count."""
    compact = candidate.replace(" ", "").upper()
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return len(compact) >= 15 and int(digits) % 97 == 1


def concerns_in(text: str) -> frozenset[Concern]:
    """The safety concerns a message raises (empty for ordinary messages)."""
    found = set()
    if _MEETING.search(text):
        found.add(Concern.MEETING)
    if find_address_like(text):
        found.add(Concern.ADDRESS)
    if any(_valid_iban(match.group()) for match in _IBAN.finditer(text)):
        found.add(Concern.IBAN)
    if _PHONE.search(text) and Concern.IBAN not in found:
        found.add(Concern.PHONE)
    if _MONEY.search(text):
        found.add(Concern.MONEY)
    return frozenset(found)


def safety_advice(concerns: frozenset[Concern]) -> list[str]:
    """One short piece of advice per concern (English msgids, translated by the UI)."""
    return [_ADVICE[concern] for concern in Concern if concern in concerns]
