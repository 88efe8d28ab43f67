"""Which chat messages raise a safety concern, and the advice each concern brings."""

from __future__ import annotations

import pytest

from backend.messaging.safety import CALL_FIRST_ADVICE, Concern, concerns_in, safety_advice

MEETINGS = [
    "Zullen we afspreken?",
    "ZULLEN WE AFSPREKEN?",
    "Kom maar langs, ik ben thuis.",
    "Kom langs wanneer je wilt",
    "Ik kom naar je toe",
    "We kunnen afspreken bij het station",
    "Leuk om elkaar te ontmoeten zaterdag",
    "Zie je om 3 uur!",
    "Morgen om 10 uur bij de Albert Heijn?",
    "Het kan bij mij thuis",
    "Kom je naar de markt?",
    "Let's meet on Saturday",
    "Meet me at the park",
    "Come over whenever you like",
    "You can come to my place",
    "See you at 3!",
    "I'll pick you up at the corner",
    "We could do it at my place",
    "Tomorrow at 10 at the library?",
]
ADDRESSES = [
    "Ik woon op Kerkstraat 12",
    "Het is Prinsengracht 263a, tweede bel",
    "Mijn postcode is 1234 AB",
    "Laan van Meerdervoort 120-B in Den Haag",
    "kom naar de dorpsstraat 5",
    "I live at 10 Downing Street",
]
PHONE_NUMBERS = [
    "Bel me op 06-12345678",
    "Mijn nummer: 06 1234 5678",
    "Mijn nummer is +31 6 12345678",
    "App naar 0031612345678",
    "Vast nummer 020-1234567",
    "Call me on +44 20 7946 0958",
    "Mijn nummer is (020) 123 45 67",
    "Bel gerust +31 (0)6 1234 5678",
]
IBANS = [
    "NL91 ABNA 0417 1643 00",
    "Op NL91ABNA0417164300 graag",
    "rekening nl91abna0417164300",
    "German one: DE89 3704 0044 0532 0130 00",
    "Belgisch: BE68539007547034",
    "UK: GB29 NWBK 6016 1331 9268 19",
]
MONEY_REQUESTS = [
    "Kun je me geld lenen?",
    "STUUR ME 50 EURO",
    "Maak even 50 euro over",
    "Ik stuur je een tikkie",
    "Ik heb een betaalverzoek gestuurd",
    "Stuur je bankgegevens even",
    "Wat is je pincode?",
    "Kun je het voorschieten?",
    "Ik heb dringend € 200 nodig",
    "Please send me money",
    "Can you lend me 50 euros?",
    "Just wire me the rest",
    "What are your bank details?",
    "Buy me a gift card please",
    "Send it by Western Union",
    "Pay me in bitcoin",
    "I need 100 euros",
]
ORDINARY_MESSAGES = [
    "Dankjewel voor de hulp!",
    "Ik kan zaterdag om 10 uur",
    "De hond heet Bobby",
    "Het kostte 12,50 maar laat maar",
    "Thanks so much!",
    "Is it still available?",
    "Ik heb 3 kinderen",
    "Om 14:30 ben ik thuis van werk",
    "Hoi! Ik wil je graag helpen met de tuin.",
    "Ik ben er over 3 uur",
    "Dat is op 12-05-2024",
    "Het begint 05-12-2024 10:30",
    "Geen geld nodig hoor, het is gratis",
    "No money needed, happy to help",
    "Nice to meet you!",
    "Can you lend me your ladder?",
    "Mag ik je boormachine lenen?",
    "De boodschappen kostten 12 euro, ik betaal het terug",
    "Maak je geen zorgen over de kat",
    "Hoe gaat het met je knie?",
    "I can do Tuesday or Wednesday",
    "Ik heb nog 2 dozen over",
    "Die laptop heeft 16 GB geheugen",
    "Het duurt 2019 tot 2021",
    "Wat fijn, tot later!",
    "It cost 12.50 at the shop",
]


@pytest.mark.parametrize("text", MEETINGS)
def test_a_proposal_to_meet_raises_meeting(text: str) -> None:
    assert Concern.MEETING in concerns_in(text)


@pytest.mark.parametrize("text", ADDRESSES)
def test_an_address_raises_address(text: str) -> None:
    assert Concern.ADDRESS in concerns_in(text)


@pytest.mark.parametrize("text", PHONE_NUMBERS)
def test_a_dutch_or_international_phone_number_raises_phone(text: str) -> None:
    assert Concern.PHONE in concerns_in(text)


@pytest.mark.parametrize("text", IBANS)
def test_a_valid_iban_with_or_without_spaces_raises_iban(text: str) -> None:
    assert Concern.IBAN in concerns_in(text)


@pytest.mark.parametrize("text", MONEY_REQUESTS)
def test_a_request_for_money_or_bank_details_raises_money(text: str) -> None:
    assert Concern.MONEY in concerns_in(text)


@pytest.mark.parametrize("text", ORDINARY_MESSAGES)
def test_an_ordinary_message_raises_nothing(text: str) -> None:
    assert concerns_in(text) == frozenset()


@pytest.mark.parametrize(
    "text",
    ["12-05-2024", "om 14:30", "1234 AB", "€12,50", "3 uur", "bel 112", "0800-1234", "1.500.000"],
)
def test_dates_times_postcodes_prices_and_short_numbers_are_no_phone_number(text: str) -> None:
    assert Concern.PHONE not in concerns_in(text)


@pytest.mark.parametrize(
    "text",
    ["NL12 ABNA 0417 1643 00", "AB12CD34EF56GH78IJ", "NL91ABNA041716430", "XX91ABNA0417164300"],
)
def test_a_letter_digit_string_failing_the_iban_check_is_no_iban(text: str) -> None:
    assert Concern.IBAN not in concerns_in(text)


def test_the_digits_of_an_iban_are_no_phone_number() -> None:
    assert concerns_in("NL91 ABNA 0417 1643 00") == {Concern.IBAN}
    assert Concern.PHONE not in concerns_in("NL12 ABNA 0417 1643 00")


@pytest.mark.parametrize(
    "text",
    [
        "Je hoeft me geen geld te sturen",
        "Never send money to strangers",
        "Stuur nooit je pincode",
        "NEVER SEND MONEY",
    ],
)
def test_money_words_in_a_negated_clause_raise_nothing(text: str) -> None:
    assert Concern.MONEY not in concerns_in(text)


def test_one_message_can_raise_several_concerns() -> None:
    text = (
        "Kom langs op Kerkstraat 12, bel 06-12345678 en maak 20 euro over naar NL91ABNA0417164300"
    )
    assert concerns_in(text) == set(Concern)


def test_a_text_checked_again_is_answered_from_memory() -> None:
    text = "Zie je om 3 uur bij de Dorpsstraat 5? Neem 10 euro mee, dan maak ik het over."
    assert concerns_in(text) is concerns_in(text)  # held, then shown: one check


def test_each_concern_brings_one_piece_of_advice_in_a_fixed_order() -> None:
    advice = safety_advice(frozenset({Concern.MONEY, Concern.MEETING}))
    assert advice == [
        "Meeting for the first time? Choose a public place and tell someone where you go.",
        "Handje help is always free. Never send money, codes or bank details.",
    ]
    assert len(set(safety_advice(frozenset(Concern)))) == len(Concern)


def test_no_concern_brings_no_advice() -> None:
    assert safety_advice(frozenset()) == []


def test_call_first_advice_covers_public_place_telling_someone_and_money() -> None:
    joined = " ".join(CALL_FIRST_ADVICE).lower()
    for key in ("call first", "public place", "tell someone", "never send money", "bank details"):
        assert key in joined
