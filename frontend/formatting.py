"""Dates, weekdays and timings in the reader's language (Babel's CLDR data)."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, get_day_names

from frontend.i18n import Translate


def day(value: date | datetime, language: str) -> str:
    """A day such as "za 14 dec." / "Sat, 14 Dec"."""
    return format_date(value, "EEE d MMM", locale=language)


def weekday_names(language: str) -> list[str]:
    """Monday first, as the listings store them (0 = Monday)."""
    names = get_day_names("wide", locale=language)
    return [names[index] for index in range(7)]


def timing_text(
    timing: str, needed_on: date | None, weekdays: tuple[int, ...], t: Translate, language: str
) -> str:
    """When help is needed: flexible, on a day, or every week on some days."""
    if timing == "date" and needed_on is not None:
        return t("On {day}").format(day=day(needed_on, language))
    if timing == "weekly" and weekdays:
        names = weekday_names(language)
        return t("Every week on {days}").format(days=", ".join(names[i] for i in weekdays))
    return t("Flexible")


def distance_text(km: int | None, t: Translate) -> str:
    """ "Nearby" for the same area, else "N km away"; nothing when unknown."""
    if km is None:
        return ""
    return t("Nearby") if km == 0 else t("{km} km away").format(km=km)
