"""The fixed category taxonomy: one place for slugs, icons and Dutch and English labels."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    """One kind of help; ``slug`` is what the database stores."""

    slug: str
    icon: str
    label_nl: str
    label_en: str

    def label(self, language: str) -> str:
        """The label in ``language`` (``nl`` or ``en``)."""
        return self.label_nl if language == "nl" else self.label_en


CATEGORIES: tuple[Category, ...] = (
    Category("shopping", "🛒", "Boodschappen en klusjes buiten de deur", "Shopping and errands"),
    Category("transport", "🚗", "Vervoer en meerijden", "Transport and lifts"),
    Category("company", "☕", "Gezelschap en bezoek", "Company and visits"),
    Category("odd-jobs", "🔧", "Klusjes in huis", "Odd jobs at home"),
    Category("garden", "🌱", "Tuin", "Garden"),
    Category("computer", "💻", "Computer- en telefoonhulp", "Computer and phone help"),
    Category("paperwork", "📄", "Papierwerk en taal", "Paperwork and language"),
    Category("pets", "🐾", "Huisdieren", "Pets"),
    Category("cooking", "🍲", "Koken en maaltijden", "Cooking and meals"),
    Category("sports", "🚶", "Sport en bewegen", "Sports and exercise"),
    Category("children", "🧒", "Kinderen en huiswerk", "Children and homework"),
    Category("lending", "🔁", "Spullen lenen", "Lending things"),
    Category("events", "🎉", "Evenementen en activiteiten", "Events and activities"),
    Category("care", "🤝", "Mantelzorgondersteuning", "Care support"),
    Category("other", "✨", "Overig", "Other"),
)

CATEGORY_SLUGS: frozenset[str] = frozenset(category.slug for category in CATEGORIES)

CATEGORY_BY_SLUG: dict[str, Category] = {category.slug: category for category in CATEGORIES}
