"""The privacy statement says what the code does: the periods are the settings the jobs use."""

from __future__ import annotations

from dataclasses import replace

import pytest
from reactpy.utils import reactpy_to_string

from backend.settings import Settings
from frontend.i18n import translator
from frontend.pages.privacy import statement_sections


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "How long we keep it"), ("nl", "Hoe lang we het bewaren")]
)
def test_the_statement_names_the_periods_the_retention_jobs_use(
    settings: Settings, language: str, heading: str
) -> None:
    periods = replace(
        settings,
        inactive_account_days=401,
        inactive_grace_days=23,
        ended_listing_days=97,
        export_hours=31,
        ip_retention_days=17,
    )

    sections = [
        reactpy_to_string(section) for section in statement_sections(translator(language), periods)
    ]

    [retention] = [section for section in sections if heading in section]
    for days in ("401", "23", "97", "31"):
        assert days in retention
    assert any("17" in section for section in sections if section != retention)


def test_the_dutch_statement_is_translated_throughout(settings: Settings) -> None:
    english = statement_sections(translator("en"), settings)
    dutch = statement_sections(translator("nl"), settings)

    for in_english, in_dutch in zip(english, dutch, strict=True):
        assert reactpy_to_string(in_english) != reactpy_to_string(in_dutch)
