"""The ``handje site-create`` and ``handje sites`` commands."""

from __future__ import annotations

from backend.sites.tables import Site
from tests.test_cli_and_demo import handje


async def test_site_create_adds_a_site_that_sites_lists() -> None:
    created = handje(
        "site-create",
        "--slug",
        "haarlem",
        "--name",
        "Haarlem helpt",
        "--host",
        "haarlem.handje.test",
        "--host",
        "Haarlem-Helpt.test",
        "--centre",
        "Haarlem",
        "--radius-km",
        "12",
        "--primary-colour",
        "#1d4ed8",
    )
    assert created.returncode == 0, created.stderr
    row = await Site.select(Site.name, Site.hosts, Site.primary_colour, Site.radius_km).first()
    assert row == {
        "name": "Haarlem helpt",
        "hosts": ["haarlem.handje.test", "haarlem-helpt.test"],
        "primary_colour": "#1d4ed8",
        "radius_km": 12,
    }
    listed = handje("sites")
    assert listed.returncode == 0, listed.stderr
    assert "haarlem: Haarlem helpt, 12 km around Haarlem" in listed.stdout
    assert "haarlem.handje.test, haarlem-helpt.test" in listed.stdout


async def test_site_create_refuses_an_unknown_town_clearly() -> None:
    result = handje(
        "site-create",
        "--slug",
        "nergens",
        "--name",
        "Nergens",
        "--centre",
        "Nergenshuizen",
        "--radius-km",
        "10",
    )
    assert result.returncode == 2
    assert result.stderr.startswith("handje: ")
    assert await Site.count() == 0


def test_sites_says_when_there_are_none() -> None:
    result = handje("sites")
    assert result.returncode == 0, result.stderr
    assert "No local sites yet" in result.stdout
