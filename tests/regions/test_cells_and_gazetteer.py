"""Region cells, distances, the town list and the region rules, without HTTP."""

from __future__ import annotations

import h3
import pytest

from backend.errors import Invalid
from backend.regions.cells import (
    REGION_RESOLUTION,
    cell_for_point,
    cells_within,
    centre_distance_km,
    distance_km,
    is_region_cell,
)
from backend.regions.gazetteer import PROVINCES, nearest_place, search_places
from backend.regions.model import Region
from backend.regions.service import region_from_cell, region_from_place, region_from_point


def cell_of(town: str) -> str:
    """The region cell of a town in the list."""
    return region_from_place(town).cell


@pytest.mark.parametrize(
    ("town", "other", "kilometres"),
    [("Amsterdam", "Utrecht", 35), ("Amsterdam", "Haarlem", 18), ("Groningen", "Maastricht", 270)],
)
def test_distance_between_towns_is_the_straight_line_distance_within_3_km(
    town: str, other: str, kilometres: int
) -> None:
    assert abs(distance_km(cell_of(town), cell_of(other)) - kilometres) <= 3


def test_a_cell_is_0_km_from_itself() -> None:
    assert distance_km(cell_of("Utrecht"), cell_of("Utrecht")) == 0


def test_cells_within_a_radius_reach_haarlem_from_amsterdam_at_20_km_not_at_10() -> None:
    amsterdam, haarlem = cell_of("Amsterdam"), cell_of("Haarlem")
    assert haarlem in cells_within(amsterdam, 20)
    assert haarlem not in cells_within(amsterdam, 10)
    assert amsterdam in cells_within(amsterdam, 0)


@pytest.mark.parametrize("radius", [1, 2.5, 7, 15, 40])
def test_cells_within_holds_exactly_the_cells_whose_centre_is_in_the_radius(radius: float) -> None:
    centre = cell_of("Zwolle")
    wide_disk = h3.grid_disk(centre, 30)
    expected = {cell for cell in wide_disk if centre_distance_km(centre, cell) <= radius}
    assert cells_within(centre, radius) == expected


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(48.8566, 2.3522), (56.5, 3.0), (52.1, -30.0), (91.0, 5.0), (52.0, 181.0)],
    ids=["paris", "north-sea", "atlantic", "latitude-out-of-range", "longitude-out-of-range"],
)
def test_points_far_from_the_netherlands_or_out_of_range_are_invalid(
    latitude: float, longitude: float
) -> None:
    with pytest.raises(Invalid) as raised:
        cell_for_point(latitude, longitude)
    assert raised.value.field == "region"


def test_points_on_the_wadden_islands_and_in_south_limburg_are_accepted() -> None:
    for latitude, longitude in ((53.48, 6.16), (53.36, 5.22), (50.77, 6.02)):
        assert h3.get_resolution(cell_for_point(latitude, longitude)) == REGION_RESOLUTION


def test_only_canonical_resolution_7_cells_near_the_netherlands_are_region_cells() -> None:
    utrecht = cell_of("Utrecht")
    assert is_region_cell(utrecht)
    assert not is_region_cell(utrecht.upper())
    assert not is_region_cell(h3.latlng_to_cell(52.09, 5.12, 8))
    assert not is_region_cell(h3.latlng_to_cell(-33.87, 151.21, REGION_RESOLUTION))
    assert not is_region_cell("not a cell")


def test_search_puts_names_that_start_with_the_query_first_and_biggest_first() -> None:
    found = search_places("haarl")
    assert found[0].name == "Haarlem"
    assert found[0].province == "Noord-Holland"
    prefix_matches = [place for place in found if place.name.lower().startswith("haarl")]
    assert found[: len(prefix_matches)] == prefix_matches
    assert [place.population for place in prefix_matches] == sorted(
        (place.population for place in prefix_matches), reverse=True
    )


def test_search_finds_names_that_contain_the_query_after_prefix_matches() -> None:
    found = search_places("dam", limit=50)
    names = [place.name for place in found]
    assert "Rotterdam" in names
    assert names.index("Damwâld") < names.index("Rotterdam")


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("den haag", "Den Haag"),
        ("The Hague", "Den Haag"),
        ("den bosch", "'s-Hertogenbosch"),
        ("s-hertogenbosch", "'s-Hertogenbosch"),
        ("almere", "Almere"),
        ("sint oedenrode", "Sint-Oedenrode"),
        ("SINT-OEDENRODE", "Sint-Oedenrode"),
        ("odilienberg", "Sint Odiliënberg"),
        ("walterswald", "Wâlterswâld"),
    ],
)
def test_search_ignores_case_accents_and_hyphens_and_knows_dutch_names(
    query: str, name: str
) -> None:
    assert search_places(query)[0].name == name


def test_search_without_a_match_is_empty() -> None:
    assert search_places("xyzzy") == []
    assert search_places(" -- ") == []


def test_search_returns_at_most_the_limit() -> None:
    assert len(search_places("a")) == 8
    assert len(search_places("a", limit=3)) == 3


def test_places_with_the_same_name_appear_once_as_the_biggest() -> None:
    found = [place for place in search_places("rijswijk") if place.name == "Rijswijk"]
    assert [place.province for place in found] == ["Zuid-Holland"]


def test_every_place_is_in_one_of_the_twelve_provinces() -> None:
    provinces = {place.province for place in search_places("e", limit=5000)}
    assert provinces == set(PROVINCES.values())
    assert len(provinces) == 12


@pytest.mark.parametrize(
    ("latitude", "longitude", "town"),
    [
        (52.373, 4.893, "Amsterdam"),
        (52.37, 4.84, "Amsterdam"),
        (52.30, 4.86, "Amstelveen"),
        (52.0907, 5.1214, "Utrecht"),
        (53.48, 6.16, "Schiermonnikoog"),
        (50.77, 6.02, "Vaals"),
    ],
)
def test_nearest_place_names_the_town_a_point_lies_in(
    latitude: float, longitude: float, town: str
) -> None:
    assert nearest_place(cell_for_point(latitude, longitude)).name == town


def test_region_from_place_needs_an_exact_name_from_the_list() -> None:
    assert region_from_place("den haag") == Region(cell=cell_of("Den Haag"), name="Den Haag")
    for name in ("Haarl", "Atlantis", ""):
        with pytest.raises(Invalid) as raised:
            region_from_place(name)
        assert raised.value.message == "Choose a town from the list."
        assert raised.value.field == "region"


def test_region_from_point_keeps_only_the_cell_and_the_town_name() -> None:
    region = region_from_point(52.0907, 5.1214)
    assert region == Region(cell=h3.latlng_to_cell(52.0907, 5.1214, 7), name="Utrecht")
    assert h3.cell_to_latlng(region.cell) != (52.0907, 5.1214)


def test_region_from_cell_names_a_valid_cell_and_refuses_others() -> None:
    assert region_from_cell(cell_of("Haarlem")).name == "Haarlem"
    for cell in ("", "8f1969c9b000000", h3.latlng_to_cell(48.8566, 2.3522, REGION_RESOLUTION)):
        with pytest.raises(Invalid) as raised:
            region_from_cell(cell)
        assert raised.value.message == "That region is not valid."
