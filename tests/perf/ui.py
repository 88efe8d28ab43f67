"""Discover under load: concurrent ReactPy sessions swiping cards, against a plain websocket echo.

Run ``python -m tests.perf.ui [--sessions 100] [--swipes 50] [--think-ms 1000] [--sqlite]``.
It recreates the PostgreSQL database ``handje_uibench`` (or uses a temporary SQLite file), loads
people in Utrecht and listings by others, starts ``handje serve``, logs everyone in over HTTP
and drives the ReactPy websocket protocol as the browser client does: apply each layout update
to a local model, find the ``SwipeDeck`` and send its ``onDecide`` event. A swipe is timed from
sending the event to the update whose top card is another one. The baseline, in the same run,
is a tiny Litestar websocket app (its own process, same database) that makes the same service
calls and echoes the next card id. Readable lines first, one JSON object as the last line.
Goals: ``swipe_p95_ms`` under 50 and ``mem_per_session_kb`` under 512.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.live_server import _wait_until_healthy, free_port

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/handje_uibench"
PASSWORD = "swipe-bench-lange-wachtzin"
TOWN = "Utrecht"
LISTINGS_PER_OWNER = 15
SOCKET_PATH = "/reactpy/frontend.app.root/?path=%2Fdiscover&qs="
UPDATE_TIMEOUT_SECONDS = 30
LOGINS_AT_ONCE = 8


def swiper_email(index: int) -> str:
    """The log-in of swiping person ``index`` (index -1 is the warm-up session)."""
    return f"swiper{index + 1}@bench.handje.example"


# --- Data: people in Utrecht, listings by other people ------------------------------------------


async def load_data(sessions: int, listings: int) -> None:
    """Recreate and migrate the database, then create swipers, owners and their listings.

    Runs in its own process: Piccolo binds tables to the database named by the environment
    when ``backend`` is first imported.
    """
    from backend.accounts.service import ProfileChanges
    from backend.app import create_app
    from backend.db import migrate
    from backend.listings.categories import CATEGORIES
    from backend.listings.drafts import ListingDraft
    from backend.regions.service import region_from_place
    from backend.settings import Settings
    from tests.perf.data import recreate_database

    settings = Settings.from_env()
    await recreate_database(settings)
    with contextlib.redirect_stdout(io.StringIO()):
        await migrate(settings)
    services = create_app(settings).state
    region = region_from_place(TOWN)

    async def person(email: str, name: str, ip: str) -> Any:
        account = await services.accounts.sign_up(
            email=email, password=PASSWORD, display_name=name, language="nl", ip=ip
        )
        return await services.accounts.update_profile(account, ProfileChanges(region=region))

    for index in range(-1, sessions):
        await person(swiper_email(index), f"Swiper {index + 1}", f"bench-{index}")
    owners = -(-listings // LISTINGS_PER_OWNER)
    for number in range(listings):
        if number % LISTINGS_PER_OWNER == 0:
            owner_index = number // LISTINGS_PER_OWNER
            email = f"owner{owner_index}@bench.handje.example"
            owner = await person(email, f"Buur {owner_index}", f"bench-owner-{owner_index}")
        category = CATEGORIES[number % len(CATEGORIES)]
        draft = ListingDraft(
            kind="request" if number % 2 else "offer",
            title=f"{category.label('nl')} ({number})",
            description="Een kaart voor de veegtest: wie kan er helpen?",
            category=category.slug,
        )
        await services.listings.create(owner, draft, confirm_address=True)
    print(f"data: {sessions + 1} swipers, {owners} owners, {listings} listings in {TOWN}")


# --- The baseline: a plain Litestar websocket doing the same service calls ----------------------


def baseline_app() -> Any:
    """A Litestar app whose websocket swipes left and answers with the next card id.

    It makes the Discover page's service calls, in the page's order, without ReactPy: the
    handshake is authenticated by the session cookie; each swipe is answered with the next held
    card at once, then the session is re-checked, ``Matching.swipe`` records it, and
    ``Matching.deck`` refills the queue (20 cards, after the held ones) when fewer than 5 remain.
    Answering from ``Matching.deck(limit=1)`` after every swipe instead would cost a whole deck
    query per swipe, as ranking a page of cards costs the same whatever its length.
    """
    from litestar import Litestar, WebSocket, get, websocket
    from piccolo.engine.postgres import PostgresEngine

    from backend.accounts.tables import User
    from backend.app import create_app
    from backend.matching.service import DeckFilters, encode_cursor
    from backend.settings import Settings
    from backend.web.cookies import session_cookie_name
    from frontend.pages.discover import PREFETCH_BELOW

    settings = Settings.from_env()
    services = create_app(settings).state
    engine = User._meta.db
    pooled = isinstance(engine, PostgresEngine) and settings.database_pool_size > 0

    class CardQueue:
        """One connection's cards, kept as the Discover page keeps them."""

        def __init__(self, session_id: str) -> None:
            self._session_id = session_id
            self._cards: list[UUID] = []

        async def _actor(self) -> Any:
            return (await services.accounts.still_signed_in(self._session_id)).account

        async def refill(self, account: Any = None) -> None:
            account = account or await self._actor()
            cursor = encode_cursor(self._cards)
            deck = await services.matching.deck(account, DeckFilters(), cursor=cursor)
            known = set(self._cards)
            self._cards += [card.listing.id for card in deck.cards if card.listing.id not in known]

        def take(self, listing_id: UUID) -> None:
            self._cards = [card for card in self._cards if card != listing_id]

        async def swipe_left(self, listing_id: UUID) -> None:
            account = await self._actor()
            await services.matching.swipe(account, listing_id, "left")
            if len(self._cards) < PREFETCH_BELOW:
                await self.refill(account)

        @property
        def top(self) -> str | None:
            return str(self._cards[0]) if self._cards else None

    @websocket("/swipe")
    async def swipe_socket(socket: WebSocket) -> None:
        token = socket.cookies.get(session_cookie_name(settings), "")
        signed_in = await services.accounts.resolve_session(token)
        if signed_in is None:
            await socket.close(code=1008)
            return
        await socket.accept()
        cards = CardQueue(signed_in.session_id)
        await cards.refill()
        await socket.send_json({"next": cards.top})
        while True:
            listing_id = UUID((await socket.receive_json())["listing_id"])
            cards.take(listing_id)
            await socket.send_json({"next": cards.top})
            await cards.swipe_left(listing_id)

    @get("/health")
    async def health() -> str:
        return "ok"

    async def open_pool() -> None:
        if pooled:
            await engine.start_connection_pool(min_size=1, max_size=settings.database_pool_size)

    async def close_pool() -> None:
        if pooled:
            await engine.close_connection_pool()

    return Litestar([swipe_socket, health], on_startup=[open_pool], on_shutdown=[close_pool])


def serve_baseline(port: int) -> None:
    """Serve the baseline app with uvicorn on 127.0.0.1 (one process, like ``handje serve``)."""
    import uvicorn

    uvicorn.run(baseline_app(), host="127.0.0.1", port=port, log_level="warning")


# --- Processes ----------------------------------------------------------------------------------


@contextlib.contextmanager
def server_process(module: list[str], env: dict[str, str], log: Path) -> Iterator[Server]:
    """``python -m <module...> --port P`` on a free port until healthy; always stopped after."""
    port = free_port()
    url = env["HANDJE_DATABASE_URL"]
    database = "" if url.startswith("sqlite:") else urlsplit(url).path.lstrip("/")
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", *module, "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            server = Server(f"http://127.0.0.1:{port}", process.pid, database)
            _wait_until_healthy(server.url, process, log)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass(frozen=True)
class Server:
    """A server under test: its URL, its process, and the database it uses ("" for SQLite)."""

    url: str
    pid: int
    database: str


# --- Logging in over HTTP -----------------------------------------------------------------------


async def log_in(base_url: str, email: str, limit: asyncio.Semaphore) -> str:
    """Log ``email`` in as a browser does; the ``Cookie`` header of the new session."""
    async with limit, httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        (await client.get("/login")).raise_for_status()
        csrf = client.cookies["handje_csrf"]
        response = await client.post(
            "/api/auth/login",
            json={"email": email, "password": PASSWORD},
            headers={"x-csrf-token": csrf},
        )
        response.raise_for_status()
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


# --- A minimal ReactPy client -------------------------------------------------------------------


def apply_update(root: dict[str, Any], path: str, model: dict[str, Any]) -> None:
    """Put a ``layout-update`` into the local model, as ReactPy's JavaScript client does.

    Updates are whole component subtrees addressed by a JSON pointer (``/children/0/...``);
    the empty path updates the root in place.
    """
    if not path:
        root.update(model)
        return
    *parents, last = path.strip("/").split("/")
    node: Any = root
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        index = int(last)
        node.extend([None] * (index + 1 - len(node)))
        node[index] = model
    else:
        node[last] = model


def find_deck(node: Any) -> tuple[str, str] | None:
    """The ``onDecide`` target and the top card id of the ``SwipeDeck`` under ``node``."""
    if not isinstance(node, dict):
        return None
    handler = node.get("eventHandlers", {}).get("onDecide")
    if handler is not None and "importSource" in node:
        cards = node.get("attributes", {}).get("cards") or []
        return (handler["target"], cards[0]["id"]) if cards else None
    for child in node.get("children", ()):
        if (found := find_deck(child)) is not None:
            return found
    return None


class DiscoverSession:
    """One browser tab on Discover, spoken to at the ReactPy websocket protocol level."""

    def __init__(self, socket: ClientConnection) -> None:
        self._socket = socket
        self._model: dict[str, Any] = {}
        self._seq = 0
        self.target = ""
        self.top = ""

    async def next_deck(self, not_top: str = "") -> None:
        """Read updates until the deck shows a top card other than ``not_top``."""
        async with asyncio.timeout(UPDATE_TIMEOUT_SECONDS):
            while True:
                message = json.loads(await self._socket.recv())
                if message.get("type") != "layout-update":
                    continue
                apply_update(self._model, message["path"], message["model"])
                found = find_deck(message["model"])
                if found is not None and found[1] != not_top:
                    self.target, self.top = found
                    return

    async def swipe_left(self) -> float:
        """Skip the top card; seconds until the next card's update arrived."""
        swiped = self.top
        event = {"id": swiped, "direction": "left"}
        message = {"type": "layout-event", "target": self.target, "data": [event], "seq": self._seq}
        self._seq += 1
        started = time.perf_counter()
        await self._socket.send(json.dumps(message))
        await self.next_deck(not_top=swiped)
        return time.perf_counter() - started


# --- Driving many sessions ----------------------------------------------------------------------


class Pacing:
    """How a person swipes: think for a while (uniformly 50-150 % of ``think_ms``), then swipe."""

    def __init__(self, think_ms: float, seed: int) -> None:
        self._think = think_ms / 1000
        self._random = random.Random(seed)

    async def think(self) -> None:
        """Wait like a person looking at the card."""
        if self._think:
            await asyncio.sleep(self._think * self._random.uniform(0.5, 1.5))


class Crowd:
    """Keeps concurrent sessions in step, so that the server can be measured between stages:
    all open, (measure) all swipe, all stay open until measured again, then all close.
    """

    def __init__(self, size: int) -> None:
        self.opened = asyncio.Barrier(size + 1)
        self.swiped = asyncio.Barrier(size + 1)
        self.start = asyncio.Event()
        self.finish = asyncio.Event()
        self.error: BaseException | None = None

    async def arrive(self, barrier: asyncio.Barrier, then: asyncio.Event) -> None:
        """A session reached ``barrier``; wait there until the coordinator says ``then``."""
        await barrier.wait()
        await then.wait()

    async def abort(self, error: BaseException) -> None:
        """A session failed: remember why, and release everybody waiting at a barrier."""
        if self.error is None and not isinstance(error, asyncio.BrokenBarrierError):
            self.error = error
        await self.opened.abort()
        await self.swiped.abort()

    async def all_at(self, barrier: asyncio.Barrier) -> None:
        """Coordinator: wait until every session reached ``barrier``; raise a session's error."""
        try:
            await barrier.wait()
        except asyncio.BrokenBarrierError:
            if self.error is not None:
                raise self.error from None
            raise


async def swipe_in_crowd(
    swipes: int, pacing: Pacing, crowd: Crowd, swipe: Any, opening: Any
) -> list[float]:
    """One person's run: open, wait for all, swipe ``swipes`` times, wait to be measured."""
    try:
        await opening()
        await crowd.arrive(crowd.opened, crowd.start)
        latencies = []
        for _ in range(swipes):
            await pacing.think()
            latencies.append(await swipe())
        await crowd.arrive(crowd.swiped, crowd.finish)
        return latencies
    except BaseException as error:
        await crowd.abort(error)
        raise


async def ui_person(
    ws_url: str, base_url: str, cookie: str, swipes: int, pacing: Pacing, crowd: Crowd
) -> list[float]:
    """A browser tab on Discover: wait for the deck, then swipe left ``swipes`` times."""
    headers = {"Cookie": cookie}
    async with connect(
        ws_url,
        origin=base_url,
        additional_headers=headers,
        max_size=None,
        open_timeout=UPDATE_TIMEOUT_SECONDS,
    ) as ws:
        session = DiscoverSession(ws)
        return await swipe_in_crowd(swipes, pacing, crowd, session.swipe_left, session.next_deck)


async def baseline_person(
    ws_url: str, cookie: str, swipes: int, pacing: Pacing, crowd: Crowd
) -> list[float]:
    """A client of the plain echo: send the top card id, time the answer with the next one."""
    async with connect(
        ws_url, additional_headers={"Cookie": cookie}, open_timeout=UPDATE_TIMEOUT_SECONDS
    ) as ws:
        top = ""

        async def opening() -> None:
            nonlocal top
            top = json.loads(await ws.recv())["next"]

        async def swipe() -> float:
            nonlocal top
            started = time.perf_counter()
            await ws.send(json.dumps({"listing_id": top}))
            following = json.loads(await ws.recv())["next"]
            elapsed = time.perf_counter() - started
            if following is None or following == top:
                raise RuntimeError(f"the baseline deck did not move on from {top}")
            top = following
            return elapsed

        return await swipe_in_crowd(swipes, pacing, crowd, swipe, opening)


# --- Measuring the server -----------------------------------------------------------------------


def rss_kb(pid: int) -> int:
    """The resident set size of process ``pid`` in KiB (Linux ``VmRSS``)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


def process_cpu_seconds(pid: int) -> float:
    """User plus system CPU time that process ``pid`` used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds(database: str) -> float:
    """CPU time of the PostgreSQL backends connected to ``database`` (0 for SQLite)."""
    if not database:
        return 0.0
    total = 0.0
    for process in Path("/proc").glob("[0-9]*"):
        try:
            command = (process / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if command.startswith("postgres:") and f" {database} " in command:
            total += process_cpu_seconds(int(process.name))
    return total


@dataclass(frozen=True)
class CpuUse:
    """CPU seconds used so far by the server, its database backends, this driver, and the
    whole machine (busy and in all, over every core).
    """

    server: float
    database: float
    driver: float
    busy: float
    total: float

    @classmethod
    def now(cls, server_pid: int, database: str) -> CpuUse:
        """The counters at this moment."""
        ticks = [
            int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        ]
        idle = ticks[3] + ticks[4]
        per_second = os.sysconf("SC_CLK_TCK")
        return cls(
            server=process_cpu_seconds(server_pid),
            database=database_cpu_seconds(database),
            driver=time.process_time(),
            busy=(sum(ticks) - idle) / per_second,
            total=sum(ticks) / per_second,
        )

    def since(self, earlier: CpuUse) -> CpuUse:
        """What was used between ``earlier`` and this."""
        return CpuUse(
            *(now - before for now, before in zip(astuple(self), astuple(earlier), strict=True))
        )


@dataclass
class Phase:
    """What one phase measured: swipe latencies, server RSS by stage, CPU while swiping."""

    latencies: list[float] = field(default_factory=list)
    memory_kb: dict[str, int] = field(default_factory=dict)
    cpu: CpuUse | None = None

    def cpu_line(self) -> str:
        """Where the CPU went while the sessions swiped."""
        assert self.cpu is not None
        cpu, swipes = self.cpu, len(self.latencies)
        others = cpu.busy - cpu.server - cpu.database - cpu.driver
        return (
            f"  CPU per swipe: server {cpu.server / swipes * 1000:.1f} ms, database "
            f"{cpu.database / swipes * 1000:.1f} ms, this driver {cpu.driver / swipes * 1000:.1f}"
            f" ms; machine {cpu.busy / cpu.total:.0%} busy ({os.cpu_count()} cores), "
            f"{max(0.0, others) / cpu.total:.0%} by other processes; load average "
            + ", ".join(f"{value:.1f}" for value in os.getloadavg())
        )


async def run_crowd(server: Server, people: list[Any], crowd: Crowd, phase: Phase) -> None:
    """Run ``people`` (coroutines) together, measuring the server between stages."""
    tasks = [asyncio.create_task(person) for person in people]
    try:
        await crowd.all_at(crowd.opened)
        phase.memory_kb["open"] = rss_kb(server.pid)
        before = CpuUse.now(server.pid, server.database)
        crowd.start.set()
        await crowd.all_at(crowd.swiped)
        phase.cpu = CpuUse.now(server.pid, server.database).since(before)
        phase.memory_kb["swiped"] = rss_kb(server.pid)
        crowd.finish.set()
        results = await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
    phase.latencies = [latency for result in results for latency in result]


async def run_ui(server: Server, cookies: list[str], swipes: int, think_ms: float) -> Phase:
    """All Discover sessions at once, after one warm-up session."""
    ws_url = server.url.replace("http://", "ws://") + SOCKET_PATH
    warm_up, *sessions = cookies
    # The first session pays for imports and caches that every later one shares.
    alone = Crowd(1)
    first = ui_person(ws_url, server.url, warm_up, 2, Pacing(0, 0), alone)
    await run_crowd(server, [first], alone, Phase())
    phase = Phase(memory_kb={"before": rss_kb(server.pid)})
    crowd = Crowd(len(sessions))
    people = [
        ui_person(ws_url, server.url, cookie, swipes, Pacing(think_ms, n), crowd)
        for n, cookie in enumerate(sessions)
    ]
    await run_crowd(server, people, crowd, phase)
    await asyncio.sleep(1)
    phase.memory_kb["closed"] = rss_kb(server.pid)
    return phase


async def run_baseline(server: Server, cookies: list[str], swipes: int, think_ms: float) -> Phase:
    """The same people and pacing against the plain websocket echo."""
    ws_url = server.url.replace("http://", "ws://") + "/swipe"
    crowd = Crowd(len(cookies))
    people = [
        baseline_person(ws_url, cookie, swipes, Pacing(think_ms, 1000 + n), crowd)
        for n, cookie in enumerate(cookies)
    ]
    phase = Phase(memory_kb={"before": rss_kb(server.pid)})
    await run_crowd(server, people, crowd, phase)
    return phase


# --- Orchestration ------------------------------------------------------------------------------


def percentile_ms(latencies: list[float], percent: int) -> float:
    """The ``percent``-th percentile in milliseconds."""
    return statistics.quantiles(latencies, n=100, method="inclusive")[percent - 1] * 1000


def _environment(options: argparse.Namespace, data_dir: Path) -> dict[str, str]:
    database_url = (
        f"sqlite:///{data_dir / 'handje.sqlite3'}" if options.sqlite else options.database_url
    )
    return {
        **os.environ,
        "HANDJE_DATA_DIR": str(data_dir),
        "HANDJE_DATABASE_URL": database_url,
        "HANDJE_DATABASE_POOL_SIZE": str(options.pool_size),
        # Cheap hashing for the data load and log-ins; nothing measured here hashes.
        "HANDJE_ARGON2_MEMORY_KIB": "8192",
        "HANDJE_JOB_INTERVAL_SECONDS": "0",
        "HANDJE_LOG_LEVEL": "warning",
    }


def _latency_line(name: str, latencies: list[float]) -> str:
    return (
        f"{name}: {len(latencies)} swipes, p50 {percentile_ms(latencies, 50):.1f} ms, "
        f"p95 {percentile_ms(latencies, 95):.1f} ms, max {max(latencies) * 1000:.1f} ms"
    )


async def _log_everyone_in(base_url: str, count: int) -> list[str]:
    """Cookies of the warm-up session and ``count`` swipers, logged in a few at a time."""
    limit = asyncio.Semaphore(LOGINS_AT_ONCE)
    return list(
        await asyncio.gather(
            *(log_in(base_url, swiper_email(index), limit) for index in range(-1, count))
        )
    )


def _report_ui(phase: Phase, sessions: int) -> float:
    """Print the Discover phase; the memory per session in KiB."""
    memory = phase.memory_kb
    per_session = (memory["swiped"] - memory["before"]) / sessions
    print(_latency_line("ReactPy Discover", phase.latencies))
    print(phase.cpu_line())
    print(
        f"  server RSS: {memory['before'] / 1024:.1f} MiB logged in, no sockets; "
        f"{memory['open'] / 1024:.1f} MiB with {sessions} pages open; "
        f"{memory['swiped'] / 1024:.1f} MiB after their swipes; "
        f"{memory['closed'] / 1024:.1f} MiB once closed"
    )
    print(
        f"  memory per session: {per_session:.0f} KiB "
        f"(just opened: {(memory['open'] - memory['before']) / sessions:.0f} KiB)"
    )
    return per_session


def benchmark(options: argparse.Namespace, data_dir: Path) -> dict[str, float]:
    """Load data, measure the UI server, then the baseline; the figures for the JSON line."""
    env = _environment(options, data_dir)
    loader = [sys.executable, "-m", "tests.perf.ui", "load", "--sessions", str(options.sessions)]
    subprocess.run([*loader, "--listings", str(options.listings)], env=env, check=True)
    print(
        f"{options.sessions} sessions x {options.swipes} left swipes, "
        f"think time {options.think_ms:.0f} ms ± 50 % per card"
    )
    with server_process(["backend.cli", "serve"], env, data_dir / "server.log") as server:
        cookies = asyncio.run(_log_everyone_in(server.url, options.sessions))
        ui = asyncio.run(
            asyncio.wait_for(
                run_ui(server, cookies, options.swipes, options.think_ms), options.timeout
            )
        )
    per_session = _report_ui(ui, options.sessions)
    baseline_server = ["tests.perf.ui", "baseline-server"]
    with server_process(baseline_server, env, data_dir / "baseline.log") as server:
        baseline = asyncio.run(
            asyncio.wait_for(
                run_baseline(server, cookies[1:], options.swipes, options.think_ms),
                options.timeout,
            )
        )
    print(_latency_line("baseline websocket echo", baseline.latencies))
    print(baseline.cpu_line())
    return {
        "swipe_p50_ms": round(percentile_ms(ui.latencies, 50), 1),
        "swipe_p95_ms": round(percentile_ms(ui.latencies, 95), 1),
        "mem_per_session_kb": round(per_session),
        "baseline_p95_ms": round(percentile_ms(baseline.latencies, 95), 1),
    }


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line: the benchmark, or one of its internal steps (``load``, a server)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step", nargs="?", choices=["load", "baseline-server"], help="internal")
    parser.add_argument("--sessions", type=int, default=100, help="concurrent sessions (100)")
    parser.add_argument("--swipes", type=int, default=50, help="swipes per session (50)")
    parser.add_argument("--listings", type=int, default=300, help="listings to swipe (300)")
    parser.add_argument(
        "--think-ms", type=float, default=1000, help="mean pause before each swipe (1000)"
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE,
        help="recreated each run; its name must contain 'bench' or 'test'",
    )
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead")
    parser.add_argument("--pool-size", type=int, default=10, help="database pool per server")
    parser.add_argument("--timeout", type=float, default=240, help="seconds per phase (240)")
    parser.add_argument("--port", type=int, help="internal: the baseline server's port")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark (or an internal step) and print its figures, the JSON summary last."""
    options = _arguments(argv)
    if options.step == "load":
        asyncio.run(load_data(options.sessions, options.listings))
        return
    if options.step == "baseline-server":
        serve_baseline(options.port)
        return
    with tempfile.TemporaryDirectory(prefix="handje-uibench-") as directory:
        print(json.dumps(benchmark(options, Path(directory))))


if __name__ == "__main__":
    main()
