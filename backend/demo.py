"""A realistic demo data set: people and organisations in several Dutch towns (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass

from backend.accounts.passwords import PasswordHashing
from backend.accounts.service import Accounts, ProfileChanges
from backend.accounts.tables import User
from backend.ratelimit.service import DatabaseCounterStore, RateLimiter
from backend.settings import Settings

DEMO_PASSWORD = "handje-demo-2026"  # noqa: S105 - public, documented demo log-in
DEMO_DOMAIN = "demo.handje.nl"


@dataclass(frozen=True)
class DemoPerson:
    """One demo account."""

    name: str
    kind: str
    language: str
    bio: str
    interests: tuple[str, ...]

    @property
    def email(self) -> str:
        """A demo address on a reserved demo domain."""
        return f"{self.name.split()[0].lower()}@{DEMO_DOMAIN}"


DEMO_PEOPLE = (
    DemoPerson(
        "Anneke",
        "person",
        "nl",
        "Gepensioneerd in Haarlem-Noord. Ik fiets graag en "
        "help met boodschappen of een kopje koffie.",
        ("shopping", "company", "garden"),
    ),
    DemoPerson(
        "Sam",
        "person",
        "en",
        "Software developer in Utrecht, happy to fix laptops and phones on weekends.",
        ("computer", "odd-jobs"),
    ),
    DemoPerson(
        "Fatima",
        "person",
        "nl",
        "Moeder van twee in Amsterdam-West. Ik kook graag voor "
        "een buurman of -vrouw en help met Arabisch en Nederlands.",
        ("cooking", "paperwork", "children"),
    ),
    DemoPerson(
        "Joost",
        "person",
        "nl",
        "Klusjesman met een busje in Zwolle. Verhuizen, een kast "
        "ophangen of een lift naar het ziekenhuis: vraag maar.",
        ("odd-jobs", "transport"),
    ),
    DemoPerson(
        "Marieke",
        "person",
        "nl",
        "Student in Groningen, hondenliefhebber. Ik laat graag je hond uit.",
        ("pets", "sports"),
    ),
    DemoPerson(
        "Tom",
        "person",
        "en",
        "Expat in Eindhoven, new here. I can help with English "
        "homework and would love company for walks.",
        ("children", "sports", "company"),
    ),
    DemoPerson(
        "Henk",
        "person",
        "nl",
        "Oud-tuinman in Leiden, heb gereedschap om uit te lenen.",
        ("garden", "lending"),
    ),
    DemoPerson(
        "Voedselbank Haarlem",
        "organisation",
        "nl",
        "Wij zoeken vrijwilligers voor het uitdelen van pakketten op vrijdag.",
        ("cooking", "events", "care"),
    ),
    DemoPerson(
        "Buurtteam Utrecht Oost",
        "organisation",
        "nl",
        "Buurtteam voor ontmoeting en kleine hulp in Utrecht Oost.",
        ("company", "events", "care"),
    ),
    DemoPerson(
        "Repair Café Zwolle",
        "organisation",
        "en",
        "Every first Saturday: bring something broken, fix it together with our volunteers.",
        ("odd-jobs", "computer", "lending"),
    ),
)


async def load_demo(settings: Settings) -> int:
    """Create the demo accounts that do not exist yet; return how many were created."""
    accounts = Accounts(
        settings,
        PasswordHashing(memory_kib=settings.argon2_memory_kib, time_cost=settings.argon2_time_cost),
        RateLimiter(DatabaseCounterStore()),
    )
    created = 0
    for person in DEMO_PEOPLE:
        if await User.exists().where(User.email == person.email):
            continue
        account = await accounts.sign_up(
            email=person.email,
            password=DEMO_PASSWORD,
            display_name=person.name,
            language=person.language,
            ip=f"demo-{created}",
        )
        if account is None:
            continue
        await accounts.update_profile(
            account,
            ProfileChanges(
                account_kind=person.kind, bio=person.bio, interests=list(person.interests)
            ),
        )
        created += 1
    return created
