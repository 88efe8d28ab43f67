"""Profile field rules: display names, languages, categories of interest and phone numbers."""

from __future__ import annotations

import phonenumbers

from backend.errors import Invalid

LANGUAGES = ("nl", "en")
ACCOUNT_KINDS = ("person", "organisation")
ROLES = ("member", "moderator", "admin")
MAX_BIO_LENGTH = 500
MAX_INTERESTS = 15


def clean_display_name(name: str) -> str:
    """A trimmed display name of 2 to 60 characters."""
    cleaned = " ".join(name.split())
    if not 2 <= len(cleaned) <= 60:
        raise Invalid("Use a name of 2 to 60 characters.", field="display_name")
    return cleaned


def clean_email(email: str) -> str:
    """The email address in the lower-case form we store and compare."""
    cleaned = email.strip().lower()
    local, _, domain = cleaned.partition("@")
    if not local or "." not in domain or len(cleaned) > 254 or " " in cleaned:
        raise Invalid("Enter a valid email address.", field="email")
    return cleaned


def clean_language(language: str) -> str:
    """One of the supported interface languages."""
    if language not in LANGUAGES:
        raise Invalid("Choose Nederlands or English.", field="language")
    return language


def clean_account_kind(kind: str) -> str:
    """``person`` or ``organisation``."""
    if kind not in ACCOUNT_KINDS:
        raise Invalid("Choose person or organisation.", field="account_kind")
    return kind


def clean_bio(bio: str) -> str:
    """A short bio of at most 500 characters."""
    cleaned = bio.strip()
    if len(cleaned) > MAX_BIO_LENGTH:
        raise Invalid("Keep your bio under 500 characters.", field="bio")
    return cleaned


def clean_interests(interests: list[str], known: frozenset[str]) -> list[str]:
    """Distinct known category slugs, at most 15."""
    unknown = [slug for slug in interests if slug not in known]
    if unknown:
        raise Invalid("Choose categories from the list.", field="interests")
    distinct = list(dict.fromkeys(interests))
    if len(distinct) > MAX_INTERESTS:
        raise Invalid("Choose at most 15 categories.", field="interests")
    return distinct


def clean_phone(phone: str | None) -> str | None:
    """A valid phone number in E.164 (Dutch numbers may omit +31), or None to remove it."""
    if phone is None or not phone.strip():
        return None
    try:
        parsed = phonenumbers.parse(phone, "NL")
    except phonenumbers.NumberParseException as error:
        raise Invalid("That phone number is not valid.", field="phone") from error
    if not phonenumbers.is_valid_number(parsed):
        raise Invalid("That phone number is not valid.", field="phone")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
