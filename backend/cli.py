"""The ``handje`` command: serve, worker, migrate, demo, create-admin, site-create, sites."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

import uvicorn

from backend.app import create_app
from backend.db import migrate
from backend.demo import DEMO_PASSWORD, load_demo
from backend.errors import DomainError
from backend.jobs import run_jobs_once
from backend.settings import Settings
from backend.sites.cli import SITE_COMMANDS, add_site_commands, run_site_command
from backend.web.websocket_protocol import WebSocketProtocol
from backend.worker import run_worker_process


def _serve(settings: Settings, arguments: argparse.Namespace) -> None:
    asyncio.run(migrate(settings))
    if arguments.demo:
        _load_demo(settings)
    uvicorn.run(
        "backend.app:create_app",
        factory=True,
        host=arguments.host or settings.host,
        port=arguments.port or settings.port,
        workers=arguments.workers,
        proxy_headers=True,
        ws=WebSocketProtocol,
        log_level=settings.log_level,
    )


def _load_demo(settings: Settings) -> None:
    created = asyncio.run(load_demo(settings))
    print(f"Demo data: {created} accounts created; every demo password is {DEMO_PASSWORD}.")


def _create_admin(settings: Settings, arguments: argparse.Namespace) -> None:
    app = create_app(settings)
    accounts = app.state.accounts

    async def run() -> None:
        await migrate(settings)
        password = arguments.password or getpass.getpass(f"Password for the new {arguments.role}: ")
        await accounts.sign_up(
            email=arguments.email,
            password=password,
            display_name=arguments.name,
            language="nl",
            ip="cli",
        )
        account = await accounts.grant_role(arguments.email, arguments.role)
        print(f"{account.email} is now {'an admin' if account.role == 'admin' else 'a moderator'}.")

    asyncio.run(run())


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="handje", description="Handje: neighbours helping.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="apply migrations and serve the app")
    serve.add_argument("--host", help="address to listen on (default HANDJE_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default HANDJE_PORT or 8000)")
    serve.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    serve.add_argument("--demo", action="store_true", help="load the demo data set first")
    commands.add_parser("migrate", help="apply pending database migrations")
    commands.add_parser("demo", help="load the demo data set (idempotent)")
    admin = commands.add_parser(
        "create-admin", help="create an admin (or a moderator), or promote an account"
    )
    admin.add_argument("--email", required=True)
    admin.add_argument("--role", choices=("admin", "moderator"), default="admin")
    admin.add_argument("--name", default="Admin")
    admin.add_argument("--password", help="prompted for when not given")
    commands.add_parser("run-jobs", help="run the scheduled jobs once (listing expiry)")
    commands.add_parser("worker", help="deliver push notifications and run the scheduled jobs")
    add_site_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``handje`` command."""
    arguments = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        if arguments.command == "serve":
            _serve(settings, arguments)
        elif arguments.command == "migrate":
            asyncio.run(migrate(settings))
        elif arguments.command == "demo":
            asyncio.run(migrate(settings))
            _load_demo(settings)
        elif arguments.command == "create-admin":
            _create_admin(settings, arguments)
        elif arguments.command == "worker":
            asyncio.run(run_worker_process(settings, create_app(settings).state))
        elif arguments.command == "run-jobs":
            print(asyncio.run(run_jobs_once(create_app(settings).state)))
        elif arguments.command in SITE_COMMANDS:
            asyncio.run(migrate(settings))
            print(asyncio.run(run_site_command(arguments)))
    except DomainError as error:
        where = f"{error.field}: " if error.field else ""
        print(f"handje: {where}{error.message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
