"""The ``handje`` commands for local sites: ``site-create``, ``sites`` and ``site-admin``."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable

from backend.accounts.tables import User
from backend.errors import NotFound
from backend.regions.service import region_from_place
from backend.sites.service import DEFAULT_ACCENT_COLOUR, DEFAULT_PRIMARY_COLOUR, Sites, SiteView


def add_site_commands(commands: argparse._SubParsersAction) -> None:
    """Add ``site-create`` and ``sites`` to the ``handje`` command."""
    create = commands.add_parser("site-create", help="create a local site")
    create.add_argument("--slug", required=True, help="short name, also used in /s/<slug>")
    create.add_argument("--name", required=True, help='the name people see, e.g. "Haarlem helpt"')
    create.add_argument(
        "--host", action="append", default=[], dest="hosts", help="a host name (repeatable)"
    )
    create.add_argument("--centre", required=True, help="the town in the middle of the area")
    create.add_argument("--radius-km", type=int, required=True, help="the area's radius, 1-100")
    create.add_argument("--primary-colour", default=DEFAULT_PRIMARY_COLOUR, help="#rrggbb")
    create.add_argument("--accent-colour", default=DEFAULT_ACCENT_COLOUR, help="#rrggbb")
    commands.add_parser("sites", help="list the local sites")
    admin = commands.add_parser("site-admin", help="let an account administer a local site")
    admin.add_argument("--site", required=True, help="the local site's short name")
    admin.add_argument("--email", required=True, help="the account's email address")


def describe_site(site: SiteView) -> str:
    """One line about a site, for the command line."""
    hosts = ", ".join(site.hosts) or "no host name"
    return f"{site.slug}: {site.name}, {site.radius_km} km around {site.centre_name} ({hosts})"


async def _create_site(sites: Sites, arguments: argparse.Namespace) -> str:
    site = await sites.create(
        slug=arguments.slug,
        name=arguments.name,
        hosts=arguments.hosts,
        centre=region_from_place(arguments.centre),
        radius_km=arguments.radius_km,
        primary_colour=arguments.primary_colour,
        accent_colour=arguments.accent_colour,
    )
    return f"Created {describe_site(site)}"


async def _list_sites(sites: Sites, _: argparse.Namespace) -> str:
    lines = [describe_site(site) for site in await sites.all()]
    return "\n".join(lines) or "No local sites yet: every host shows the national site."


async def _grant_admin(sites: Sites, arguments: argparse.Namespace) -> str:
    email = arguments.email.strip().lower()
    user_id = await User.select(User.id).where(User.email == email).output(as_list=True)
    if not user_id:
        raise NotFound("No account with that email address.")
    await sites.grant_admin(arguments.site, user_id[0])
    return f"{email} now administers {arguments.site} (and sees its statistics)."


_RUNNERS: dict[str, Callable[[Sites, argparse.Namespace], Awaitable[str]]] = {
    "site-create": _create_site,
    "sites": _list_sites,
    "site-admin": _grant_admin,
}
SITE_COMMANDS = frozenset(_RUNNERS)


async def run_site_command(arguments: argparse.Namespace) -> str:
    """Run a site command and return the text to print."""
    return await _RUNNERS[arguments.command](Sites(), arguments)
