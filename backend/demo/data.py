"""Demo people, organisations, listings and a local site in several Dutch towns."""

from __future__ import annotations

from dataclasses import dataclass

PICTURED_CATEGORIES = frozenset({"garden", "pets", "transport", "lending", "cooking", "events"})
DEMO_PASSWORD = "handje-demo-2026"  # noqa: S105 - public, documented demo log-in
DEMO_DOMAIN = "demo.handje.nl"


@dataclass(frozen=True)
class DemoPerson:
    """One demo account and where it lives."""

    name: str
    town: str
    language: str
    bio: str
    interests: tuple[str, ...]
    kind: str = "person"
    role: str = "member"

    @property
    def email(self) -> str:
        """A demo address on a reserved demo domain."""
        return f"{self.name.split()[0].lower()}@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class DemoOrganisation:
    """An organisation, its owner and its other members (by first name)."""

    name: str
    town: str
    description: str
    website: str
    owner: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class DemoListing:
    """A listing by a person (first name) or by an organisation (its name)."""

    author: str
    kind: str
    category: str
    title: str
    description: str
    timing: str = "flexible"
    weekdays: tuple[int, ...] = ()
    town: str = ""

    @property
    def with_photo(self) -> bool:
        """Listings about things you can see have a photo; the rest show their category."""
        return self.category in PICTURED_CATEGORIES


DEMO_PEOPLE = (
    DemoPerson(
        "Anneke",
        "Haarlem",
        "nl",
        "Gepensioneerd in Haarlem-Noord. Ik fiets graag en help "
        "met boodschappen of een kopje koffie.",
        ("shopping", "company", "garden"),
    ),
    DemoPerson(
        "Sam",
        "Utrecht",
        "en",
        "Software developer in Utrecht, happy to fix laptops and phones on weekends.",
        ("computer", "odd-jobs"),
    ),
    DemoPerson(
        "Fatima",
        "Amsterdam",
        "nl",
        "Moeder van twee in Amsterdam-West. Ik kook graag "
        "voor een buurman of -vrouw en help met Arabisch en Nederlands.",
        ("cooking", "paperwork", "children"),
    ),
    DemoPerson(
        "Joost",
        "Zwolle",
        "nl",
        "Klusjesman met een busje. Verhuizen, een kast ophangen "
        "of een lift naar het ziekenhuis: vraag maar.",
        ("odd-jobs", "transport"),
    ),
    DemoPerson(
        "Marieke",
        "Groningen",
        "nl",
        "Student, hondenliefhebber. Ik laat graag je hond uit.",
        ("pets", "sports"),
    ),
    DemoPerson(
        "Tom",
        "Eindhoven",
        "en",
        "Expat, new here. I can help with English homework and would love company for walks.",
        ("children", "sports", "company"),
    ),
    DemoPerson(
        "Henk",
        "Leiden",
        "nl",
        "Oud-tuinman, heb gereedschap om uit te lenen.",
        ("garden", "lending"),
    ),
    DemoPerson(
        "Ingrid", "Haarlem", "nl", "Coördinator bij de Voedselbank Haarlem.", ("cooking", "care")
    ),
    DemoPerson("Karim", "Utrecht", "nl", "Buurtwerker in Utrecht Oost.", ("company", "events")),
    DemoPerson("Lotte", "Zwolle", "en", "Volunteer at the Repair Café.", ("odd-jobs", "lending")),
    DemoPerson(
        "Mo",
        "Amersfoort",
        "nl",
        "Moderator van Handje: ik kijk naar meldingen.",
        ("company",),
        role="moderator",
    ),
)

DEMO_ORGANISATIONS = (
    DemoOrganisation(
        "Voedselbank Haarlem",
        "Haarlem",
        "Wij delen elke vrijdag voedselpakketten uit en zoeken vrijwilligers.",
        "https://voedselbank.example.nl",
        "Ingrid",
        ("Anneke",),
    ),
    DemoOrganisation(
        "Buurtteam Utrecht Oost",
        "Utrecht",
        "Ontmoeting en kleine hulp in Utrecht Oost.",
        "",
        "Karim",
        ("Sam",),
    ),
    DemoOrganisation(
        "Repair Café Zwolle",
        "Zwolle",
        "Every first Saturday: bring something broken and fix it together with our volunteers.",
        "",
        "Lotte",
        ("Joost",),
    ),
)

DEMO_LISTINGS = (
    DemoListing(
        "Anneke",
        "offer",
        "shopping",
        "Boodschappen doen op dinsdag",
        "Ik ga elke dinsdag naar de markt en neem graag iets voor je mee.",
        "weekly",
        (1,),
    ),
    DemoListing(
        "Anneke",
        "request",
        "garden",
        "Wie helpt met de heg snoeien?",
        "Mijn heg is te hoog geworden voor mij alleen.",
    ),
    DemoListing(
        "Sam",
        "offer",
        "computer",
        "Laptop slow? I'll have a look",
        "Windows, macOS or Linux: I can clean up and update it with you.",
        "weekly",
        (5, 6),
    ),
    DemoListing(
        "Sam",
        "request",
        "paperwork",
        "Help with a Dutch letter from the council",
        "I would like someone to explain a letter about my rent allowance.",
    ),
    DemoListing(
        "Fatima",
        "offer",
        "cooking",
        "Een warme maaltijd voor wie het zwaar heeft",
        "Ik kook op woensdag graag een extra portie.",
    ),
    DemoListing(
        "Fatima",
        "offer",
        "paperwork",
        "Hulp met formulieren in het Arabisch",
        "Ik help je formulieren te begrijpen en in te vullen.",
    ),
    DemoListing(
        "Joost",
        "offer",
        "transport",
        "Lift naar het ziekenhuis",
        "Ik heb een busje en breng je graag naar een afspraak in Zwolle of Kampen.",
    ),
    DemoListing(
        "Joost",
        "request",
        "lending",
        "Wie leent me een aanhanger?",
        "Voor één zaterdag, om snoeiafval weg te brengen.",
    ),
    DemoListing(
        "Marieke",
        "offer",
        "pets",
        "Hond uitlaten in de avond",
        "Ik woon dichtbij het Noorderplantsoen en loop graag een rondje.",
        "weekly",
        (0, 2, 4),
    ),
    DemoListing(
        "Marieke",
        "request",
        "sports",
        "Hardloopmaatje gezocht",
        "Rustig tempo, 5 km, twee keer per week.",
    ),
    DemoListing(
        "Tom",
        "offer",
        "children",
        "English homework help",
        "Native speaker, patient, happy to help secondary school pupils.",
    ),
    DemoListing(
        "Tom",
        "request",
        "company",
        "Company for a Sunday walk",
        "New in town and would love to meet people.",
    ),
    DemoListing(
        "Henk",
        "offer",
        "lending",
        "Gereedschap te leen",
        "Boormachine, ladder, heggenschaar: haal het gerust op.",
    ),
    DemoListing(
        "Henk",
        "offer",
        "garden",
        "Tuinadvies van een oud-hovenier",
        "Ik kom kijken en vertel wat je wanneer kunt snoeien.",
    ),
    DemoListing(
        "Voedselbank Haarlem",
        "offer",
        "care",
        "Vrijwilligers gezocht voor de vrijdag",
        "Help mee met het uitdelen van pakketten, van 13 tot 16 uur.",
        "weekly",
        (4,),
    ),
    DemoListing(
        "Voedselbank Haarlem",
        "offer",
        "transport",
        "Chauffeur voor de bestelbus",
        "Rijbewijs B en een ochtend per week beschikbaar.",
    ),
    DemoListing(
        "Buurtteam Utrecht Oost",
        "offer",
        "events",
        "Buurtmaaltijd in het buurthuis",
        "Elke eerste donderdag van de maand koken en eten we samen.",
    ),
    DemoListing(
        "Buurtteam Utrecht Oost",
        "offer",
        "company",
        "Bezoekjes aan ouderen",
        "We zoeken mensen die een uurtje per week op bezoek willen gaan.",
    ),
    DemoListing(
        "Repair Café Zwolle",
        "offer",
        "odd-jobs",
        "Repair Café: bring it, fix it",
        "First Saturday of the month, 10:00 to 14:00.",
        "weekly",
        (5,),
    ),
    DemoListing(
        "Karim",
        "request",
        "events",
        "Wie helpt met de buurtbarbecue?",
        "We zoeken handen voor opbouwen en afwassen.",
    ),
    DemoListing(
        "Ingrid",
        "request",
        "other",
        "Kratten voor de voedselbank",
        "Heeft iemand stevige kratten over?",
    ),
    DemoListing(
        "Lotte",
        "request",
        "transport",
        "Lift to Deventer on Saturday",
        "For a workshop; I can share the petrol costs.",
    ),
)

DEMO_SITE = ("haarlem-helpt", "Haarlem helpt", "haarlem.localhost", "Haarlem", 12)
