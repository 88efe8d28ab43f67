"""The sites service: creating sites, finding them by host, their areas and the cached list."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from backend.errors import Conflict, Invalid
from backend.regions.model import Region
from backend.regions.service import region_from_place
from backend.sites.service import CACHE_SECONDS, Sites
from backend.sites.tables import Site
from tests.sites.factories import make_site


@dataclass
class FakeClock:
    """A clock the test moves by hand."""

    now: float = 0.0

    def __call__(self) -> float:
        """The current time in seconds."""
        return self.now


async def test_create_cleans_and_stores_the_site() -> None:
    sites = Sites()
    site = await sites.create(
        slug=" Haarlem ",
        name=" Haarlem helpt ",
        hosts=["Haarlem.Handje.Test", "haarlem.handje.test.", "haarlemhelpt.test"],
        centre=region_from_place("Haarlem"),
        radius_km=12,
        primary_colour="#1D4ED8",
    )
    assert site.slug == "haarlem"
    assert site.name == "Haarlem helpt"
    assert site.hosts == ("haarlem.handje.test", "haarlemhelpt.test")
    assert (site.primary_colour, site.accent_colour) == ("#1d4ed8", "#f59e0b")
    assert site.centre_name == "Haarlem"
    assert await Sites().by_slug("haarlem") == site


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slug": "h"}, "slug"),
        ({"slug": "haarlem helpt"}, "slug"),
        ({"slug": "h" * 41}, "slug"),
        ({"slug": "national"}, "slug"),
        ({"name": " x "}, "name"),
        ({"name": "x" * 61}, "name"),
        ({"hosts": ["haarlem.handje.test:8000"]}, "hosts"),
        ({"hosts": ["https://haarlem.handje.test"]}, "hosts"),
        ({"hosts": [""]}, "hosts"),
        ({"primary_colour": "teal"}, "primary_colour"),
        ({"accent_colour": "#12345"}, "accent_colour"),
        ({"radius_km": 0}, "radius_km"),
        ({"radius_km": 101}, "radius_km"),
        ({"centre": Region("not-a-cell", "Nowhere")}, "centre"),
    ],
)
async def test_create_refuses_invalid_input_by_field(changes: dict, field: str) -> None:
    values = {
        "slug": "haarlem",
        "name": "Haarlem helpt",
        "hosts": ["haarlem.handje.test"],
        "centre": region_from_place("Haarlem"),
        "radius_km": 10,
        **changes,
    }
    with pytest.raises(Invalid) as error:
        await Sites().create(**values)
    assert error.value.field == field
    assert await Site.count() == 0


async def test_create_refuses_a_slug_that_is_taken() -> None:
    sites = Sites()
    first = await make_site(sites)
    with pytest.raises(Conflict) as error:
        await sites.create(
            slug=first.slug,
            name="Another",
            hosts=[],
            centre=region_from_place("Amsterdam"),
            radius_km=5,
        )
    assert error.value.field == "slug"


async def test_create_refuses_a_host_that_another_site_uses() -> None:
    sites = Sites()
    await make_site(sites, hosts=("haarlem.handje.test",))
    with pytest.raises(Conflict) as error:
        await sites.create(
            slug="other",
            name="Another",
            hosts=["other.handje.test", "HAARLEM.handje.test"],
            centre=region_from_place("Amsterdam"),
            radius_km=5,
        )
    assert error.value.field == "hosts"
    assert await Site.count() == 1


@pytest.mark.parametrize(
    "host", ["haarlem.handje.test", "Haarlem.Handje.TEST", "haarlem.handje.test:8443"]
)
async def test_for_host_ignores_case_and_port(host: str) -> None:
    sites = Sites()
    site = await make_site(sites, hosts=("haarlem.handje.test",))
    assert await sites.for_host(host) == site


@pytest.mark.parametrize("host", ["", "handje.test", "[::1", "haarlem.handje.test.evil"])
async def test_for_host_finds_no_site_for_other_hosts(host: str) -> None:
    sites = Sites()
    await make_site(sites, hosts=("haarlem.handje.test",))
    assert await sites.for_host(host) is None


async def test_site_contains_the_towns_within_its_radius_only() -> None:
    haarlem = await make_site(Sites(), centre="Haarlem", radius_km=25)
    assert haarlem.contains(region_from_place("Haarlem").cell)
    assert haarlem.contains(region_from_place("Amsterdam").cell)
    assert not haarlem.contains(region_from_place("Groningen").cell)


async def test_a_small_radius_leaves_the_next_city_out() -> None:
    haarlem = await make_site(Sites(), centre="Haarlem", radius_km=5)
    assert haarlem.contains(region_from_place("Haarlem").cell)
    assert not haarlem.contains(region_from_place("Amsterdam").cell)


async def test_a_site_created_here_is_found_at_once() -> None:
    sites = Sites()
    assert await sites.all() == []
    site = await make_site(sites)
    assert await sites.by_slug(site.slug) == site


async def test_a_site_created_elsewhere_shows_after_the_cache_expires() -> None:
    clock = FakeClock()
    sites = Sites(clock=clock)
    assert await sites.all() == []
    site = await make_site(Sites())  # another process, which cannot tell this one
    clock.now = CACHE_SECONDS - 1
    assert await sites.all() == []
    clock.now = CACHE_SECONDS
    assert await sites.all() == [site]
