"""Spotting street addresses and postcodes in listing text, without flagging ordinary sentences."""

from __future__ import annotations

import pytest

from backend.listings.addresses import find_address_like, looks_like_address


@pytest.mark.parametrize(
    ("text", "snippet"),
    [
        ("Kerkstraat 12", "Kerkstraat 12"),
        ("Ik woon aan de Laan van Meerdervoort 120-B", "Laan van Meerdervoort 120-B"),
        ("Prinsengracht 263a, Amsterdam", "Prinsengracht 263a"),
        ("Burgemeester de Vlugtlaan 9 hs", "Vlugtlaan 9 hs"),
        ("Postcode 1234 AB 12", "1234 AB 12"),
        ("Kerkstraat 12, 1234 AB Utrecht", "1234 AB"),
        ("Mijn postcode is 3511 LX.", "3511 LX"),
        ("ophalen bij 2511CV 1", "2511CV 1"),
        ("kom langs op 1012jz 4", "1012jz 4"),
        ("Je kunt langskomen op de Oudegracht 158 in Utrecht", "Oudegracht 158"),
        ("ik woon op de dorpsweg 3", "dorpsweg 3"),
        ("kerkstraat 12, utrecht", "kerkstraat 12"),
        ("Stationsplein 1, Amersfoort", "Stationsplein 1"),
        ("Coolsingel 40 Rotterdam", "Coolsingel 40"),
        ("Maliebaan 50 te Utrecht", "Maliebaan 50"),
        ("Westerkade 12-2", "Westerkade 12-2"),
        ("Herengracht 502 III", "Herengracht 502 III"),
        ("Hoofdweg 12 bis", "Hoofdweg 12 bis"),
        ("Vrijthof 8 in Maastricht", "Vrijthof 8"),
        ("Op de Grote Markt 1 staat een kraam", "Markt 1"),
        ("Nieuwe Binnenweg 150A", "Binnenweg 150A"),
        ("Kom naar de Dorpsstraat 5 en bel aan", "Dorpsstraat 5"),
        ("Willem-Alexanderlaan 3", "Willem-Alexanderlaan 3"),
        ("Amsterdamsestraatweg 1020", "Amsterdamsestraatweg 1020"),
        ("Laan van Nieuw Oost-Indië 12", "Laan van Nieuw Oost-Indië 12"),
        ("I live at 12 Baker Street", "12 Baker Street"),
    ],
)
def test_street_addresses_and_postcodes_are_found(text: str, snippet: str) -> None:
    assert snippet in find_address_like(text)
    assert looks_like_address(text)


@pytest.mark.parametrize(
    "text",
    [
        "ik kan 2 uur helpen",
        "om 10 uur",
        "3 boodschappentassen",
        "in de straat om de hoek",
        "bus 12 naar het centrum",
        "I can help 2 hours on Saturday",
        "kamer 12",
        "1234 stappen",
        "Ik ga naar de supermarkt 2 keer per week",
        "Ik werk in het park 3 dagen per week",
        "Wandelen in het Vondelpark 2 keer per week",
        "Mijn loopbaan duurde 20 jaar",
        "Tussen 2019 en 2021 woonde ik hier",
        "Ik heb 1000 km gefietst",
        "Een laptop met 1024 MB geheugen",
        "Kun je helpen met mijn iPad 2?",
        "Bel me op 06 12345678",
        "Het is 15 minuten lopen vanaf het station",
        "Wij zoeken 2 vrijwilligers voor 12 december",
        "Op zaterdag 14 juni om 14:30",
        "Nodig: 2 ladders, 1 boormachine",
        "Kerstmarkt Valkenburg 2024",
        "I can bring 2 chairs and a table",
        "During 3 weeks in July I am away",
        "Markt 2 keer per week",
        "Ik heb 2500 euro nodig",
        "Groep 8 van basisschool De Wegwijzer",
        "Oppas voor 2 kinderen van 4 en 6",
    ],
)
def test_ordinary_sentences_are_not_taken_for_addresses(text: str) -> None:
    assert find_address_like(text) == []
    assert not looks_like_address(text)


def test_each_snippet_is_reported_once_in_order() -> None:
    text = "Kerkstraat 12 of Kerkstraat 12, anders 3511 LX"
    assert find_address_like(text) == ["Kerkstraat 12", "3511 LX"]
