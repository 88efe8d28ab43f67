"""Chat under load: open conversation pages, on one process and on two via Redis.

Run ``python -m tests.perf.messaging [--clients 1000] [--conversations 500] [--messages 10000]``.
It recreates the PostgreSQL database ``handje_msgbench``, creates two people per conversation and
matches them, starts ``handje serve``, logs everybody in over HTTP and opens each person's
conversation page the way a browser does: the page's ReactPy websocket (the page shell) and the
live websocket ``/api/live`` that the page's message log and composer use. A message is sent as
the composer sends it (a ``send`` command on the live socket) and timed until the receiver's live
socket gets its event. Like the page, each client marks what it received read once a second and
asks for the newest seq now and then. Each conversation sends its messages one after another
(taking turns), all conversations at once. Then the same across two processes that share Redis
(sender on one, receiver on the other). The baseline, in the same run, is a bare Litestar
websocket that fans each message out to the other sockets of its room, with no storage.
Readable lines first, one JSON object as the last line. Goals: ``p95_ms`` under 100,
``redis_p95_ms`` under 150, ``throughput_ratio`` at least 0.5.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.perf.ui import (
    LOGINS_AT_ONCE,
    PASSWORD,
    apply_update,
    log_in,
    percentile_ms,
    rss_kb,
    server_process,
)

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/handje_msgbench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
TOWN = "Utrecht"
PAGE_PATH = "/reactpy/frontend.app.root/?path=%2Fmessages%2F{conversation}&qs="
LIVE_PATH = "/api/live"
READ_DELAY_SECONDS = 1.0  # the page marks what came in read once per burst, a second later
NEWEST_EVERY_SECONDS = 15.0  # the page asks this often whether a live event was lost
MESSAGE_TIMEOUT_SECONDS = 30
OPEN_TIMEOUT_SECONDS = 60
TOKEN = re.compile(r"msgbench-[a-z]+-\d+-\d+x")


def person_email(index: int) -> str:
    """The log-in of person ``index``."""
    return f"chatter{index}@bench.handje.example"


# --- Data: two people per conversation, matched -------------------------------------------------


async def load_data(conversations: int) -> None:
    """Recreate and migrate the database; match two people per conversation; print the ids."""
    from backend.accounts.service import ProfileChanges
    from backend.app import create_app
    from backend.db import migrate
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
    ids = []
    for number in range(conversations):
        people = []
        for index in (2 * number, 2 * number + 1):
            account = await services.accounts.sign_up(
                email=person_email(index),
                password=PASSWORD,
                display_name=f"Buur {index}",
                language="nl",
                ip=f"bench-{index}",
            )
            people.append(
                await services.accounts.update_profile(account, ProfileChanges(region=region))
            )
        owner, helper = people
        draft = ListingDraft(
            kind="request",
            title=f"Boodschappen ({number})",
            description="Wie helpt er met de boodschappen op zaterdag?",
            category="shopping",
        )
        listing = await services.listings.create(owner, draft, confirm_address=True)
        interest = await services.matching.swipe(helper, listing.id, "right", "Ik help graag")
        accepted = await services.matching.accept(owner, interest)
        for person in people:
            await services.messaging.acknowledge_safety(person, accepted.conversation_id)
        ids.append(str(accepted.conversation_id))
    print(json.dumps(ids))


# --- The baseline: bare fan-out, no storage -----------------------------------------------------


def baseline_app() -> Any:
    """A Litestar app whose ``/fan/{room}`` websocket relays each text to the room's others."""
    from litestar import Litestar, WebSocket, get, websocket
    from litestar.exceptions import WebSocketDisconnect

    rooms: dict[str, set[WebSocket]] = {}

    @websocket("/fan/{room:str}")
    async def fan(socket: WebSocket, room: str) -> None:
        await socket.accept()
        members = rooms.setdefault(room, set())
        members.add(socket)
        try:
            while True:
                text = await socket.receive_text()
                for other in list(members):
                    if other is not socket:
                        await other.send_text(text)
        except WebSocketDisconnect:
            pass
        finally:
            members.discard(socket)

    @get("/health")
    async def health() -> str:
        return "ok"

    return Litestar([fan, health])


def serve_baseline(port: int) -> None:
    """Serve the baseline app with uvicorn on 127.0.0.1, one process, its sockets set up as the
    app's live socket is (no per-message compression).
    """
    import uvicorn

    uvicorn.run(
        baseline_app(),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ws_per_message_deflate=False,
    )


# --- Clients ------------------------------------------------------------------------------------


def shows_conversation(node: Any) -> bool:
    """Whether the page model under ``node`` holds the conversation's message log component."""
    if not isinstance(node, dict):
        return False
    if "conversationId" in node.get("attributes", {}):
        return True
    return any(shows_conversation(child) for child in node.get("children", ()))


class Arrivals:
    """When each message token was first seen by its receiver, as futures to wait on."""

    def __init__(self) -> None:
        self._waiting: dict[str, asyncio.Future[float]] = {}

    def expect(self, token: str) -> asyncio.Future[float]:
        """A future that gets the arrival time of ``token``."""
        future = asyncio.get_running_loop().create_future()
        self._waiting[token] = future
        return future

    def seen(self, text: str, now: float) -> bool:
        """Resolve every awaited token in ``text``; whether one was awaited here."""
        found = False
        for match in TOKEN.finditer(text):
            future = self._waiting.pop(match.group(0), None)
            if future is not None and not future.done():
                future.set_result(now)
                found = True
        return found


class Client:
    """One person with their conversation page open, as the page connects: the ReactPy socket
    of the page shell and the live socket that the page's message log and composer use (JSON
    commands and events). It marks what it received read once a second and asks for the newest
    seq every ``NEWEST_EVERY_SECONDS``, as the page does. A baseline client has only a bare
    fan-out socket.
    """

    def __init__(
        self,
        live: ClientConnection,
        page: ClientConnection | None,
        conversation: str,
        arrivals: Arrivals,
        refusals: Counter[str],
    ) -> None:
        self.live = live
        self.refusals = refusals  # the errors of refused commands, shared by a phase's clients
        self.page = page
        self.conversation = conversation
        self.arrivals = arrivals
        self.ready = asyncio.Event()
        self._model: dict[str, Any] = {}
        self._newest_seq = 0
        self._reading: asyncio.Task[None] | None = None
        if page is None:
            self.ready.set()

    @property
    def socket(self) -> ClientConnection:
        """The socket messages go over (its close code says why a message was lost)."""
        return self.live

    def tasks(self) -> list[Awaitable[None]]:
        """What runs while the client is connected."""
        if self.page is None:
            return [self._read_live()]
        return [self._read_live(), self._read_page(), self._ask_newest()]

    async def _read_page(self) -> None:
        assert self.page is not None
        async for raw in self.page:
            message = json.loads(raw)
            if message.get("type") == "layout-update":
                apply_update(self._model, message["path"], message["model"])
                if shows_conversation(self._model):
                    self.ready.set()

    async def _read_live(self) -> None:
        async for raw in self.live:
            now = time.perf_counter()
            text = raw if isinstance(raw, str) else raw.decode()
            if '"refused"' in text or '"error"' in text:
                self.refusals[json.loads(text).get("error", "?")] += 1
            if self.arrivals.seen(text, now) and self.page is not None:
                self._newest_seq = max(self._newest_seq, json.loads(text).get("seq", 0))
                if self._reading is None or self._reading.done():
                    self._reading = asyncio.create_task(self._mark_read())

    async def _mark_read(self) -> None:
        await asyncio.sleep(READ_DELAY_SECONDS)
        command = {"type": "read", "conversation": self.conversation, "seq": self._newest_seq}
        with contextlib.suppress(ConnectionClosed):
            await self.live.send(json.dumps(command))

    async def _ask_newest(self) -> None:
        command = json.dumps({"type": "newest", "conversation": self.conversation})
        while True:
            await asyncio.sleep(NEWEST_EVERY_SECONDS)
            await self.live.send(command)

    async def send(self, token: str) -> None:
        """Send a message containing ``token``."""
        body = f"Hoi buur, {token} ik kom zaterdag om tien uur langs."
        if self.page is None:
            await self.live.send(body)
            return
        command = {
            "type": "send",
            "conversation": self.conversation,
            "client_id": token,
            "body": body,
            "kind": "text",
            "approved": False,
        }
        await self.live.send(json.dumps(command))


@dataclass
class Result:
    """Latencies of one phase, its wall time, lost messages and server memory.

    ``lost`` counts every message that did not arrive; ``dropped`` those of them that could not,
    because the sender's or the receiver's socket closed (by the server, or by this client when
    the server did not answer its keepalive ping in time); a browser would reconnect and catch
    up, this client does not. ``closes`` says how they closed; ``refusals`` which errors the
    server answered commands with.
    """

    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    lost: int = 0
    dropped: int = 0
    closes: Counter[str] = field(default_factory=Counter)  # close code and reason: sockets
    refusals: Counter[str] = field(default_factory=Counter)  # error: commands
    memory_kb: dict[str, int] = field(default_factory=dict)

    def drop(self, socket: ClientConnection, messages: int) -> None:
        """``messages`` are lost because ``socket`` closed."""
        self.lost += messages
        self.dropped += messages
        self.closes[f"{socket.close_code} {socket.close_reason}".strip()] += 1

    @property
    def rate(self) -> float:
        """Delivered messages per second."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0


async def converse(
    number: int,
    pair: tuple[Client, Client],
    count: int,
    result: Result,
    deadline: float,
    phase: str,
) -> None:
    """Send ``count`` messages in one conversation, taking turns, each after the last arrived.

    Tokens carry the ``phase`` name: the service stores a client id once, so reusing one in a
    later phase would return the stored message without publishing it again.
    """
    for index in range(count):
        if time.perf_counter() > deadline:
            result.lost += count - index
            return
        sender, receiver = pair[index % 2], pair[1 - index % 2]
        token = f"msgbench-{phase}-{number}-{index}x"
        arrived = receiver.arrivals.expect(token)
        started = time.perf_counter()
        try:
            await sender.send(token)
        except ConnectionClosed:  # an overloaded server dropped the socket: the rest is lost
            result.drop(sender.socket, count - index)
            return
        try:
            async with asyncio.timeout(MESSAGE_TIMEOUT_SECONDS):
                result.latencies.append(await arrived - started)
        except TimeoutError:
            if receiver.socket.close_code is None:
                result.lost += 1
                continue
            result.drop(receiver.socket, count - index)  # the rest is lost with it
            return


async def run_phase(
    urls: tuple[str, str],
    pids: list[int],
    conversation_ids: list[str],
    cookies: list[str],
    options: argparse.Namespace,
    phase: str,
    app: bool = True,
) -> Result:
    """Open every client (senders' side on ``urls[0]``, others on ``urls[1]``), then converse."""
    result = Result(memory_kb={"before": sum(rss_kb(pid) for pid in pids)})
    stack = contextlib.AsyncExitStack()
    readers: list[asyncio.Task[None]] = []
    pairs: list[tuple[Client, Client]] = []
    limit = asyncio.Semaphore(50)

    async def connected(url: str, path: str, cookie: str) -> ClientConnection:
        return await stack.enter_async_context(
            connect(
                url.replace("http://", "ws://") + path,
                origin=url,  # type: ignore[arg-type]
                additional_headers={"Cookie": cookie},
                max_size=None,
                open_timeout=OPEN_TIMEOUT_SECONDS,
            )
        )

    async def open_client(url: str, conversation: str, cookie: str) -> Client:
        async with limit:
            if app:
                page = await connected(url, PAGE_PATH.format(conversation=conversation), cookie)
                live = await connected(url, LIVE_PATH, cookie)
                client = Client(live, page, conversation, Arrivals(), result.refusals)
            else:
                socket = await connected(url, f"/fan/{conversation}", cookie)
                client = Client(socket, None, "", Arrivals(), result.refusals)
            readers.extend(asyncio.create_task(task) for task in client.tasks())
            async with asyncio.timeout(OPEN_TIMEOUT_SECONDS):
                await client.ready.wait()
            return client

    async with stack:
        try:
            for number, conversation in enumerate(conversation_ids):
                first, second = cookies[2 * number], cookies[2 * number + 1]
                pair = await asyncio.gather(
                    open_client(urls[0], conversation, first),
                    open_client(urls[1], conversation, second),
                )
                pairs.append((pair[0], pair[1]))
            await asyncio.sleep(1)
            result.memory_kb["open"] = sum(rss_kb(pid) for pid in pids)
            per = options.messages // len(pairs)
            extra = options.messages - per * len(pairs)
            deadline = time.perf_counter() + options.timeout
            started = time.perf_counter()
            await asyncio.gather(
                *(
                    converse(n, pair, per + (1 if n < extra else 0), result, deadline, phase)
                    for n, pair in enumerate(pairs)
                )
            )
            result.seconds = time.perf_counter() - started
        finally:
            for task in readers:
                task.cancel()
    return result


# --- Orchestration ------------------------------------------------------------------------------


def _environment(options: argparse.Namespace, data_dir: Path, redis: bool) -> dict[str, str]:
    env = {
        **os.environ,
        "HANDJE_DATA_DIR": str(data_dir),
        "HANDJE_DATABASE_URL": options.database_url,
        "HANDJE_DATABASE_POOL_SIZE": str(options.pool_size),
        "HANDJE_ARGON2_MEMORY_KIB": "8192",
        "HANDJE_JOB_INTERVAL_SECONDS": "0",
        "HANDJE_PUSH_WORKER": "false",  # push delivery runs in its own worker process
        "HANDJE_LOG_LEVEL": "warning",
        "HANDJE_LOGIN_IP_LIMIT": "1000000",
        "HANDJE_LOGIN_ACCOUNT_LIMIT": "1000000",
        "HANDJE_IP_LIMIT_FACTOR": "0",  # every simulated person comes from 127.0.0.1
    }
    env.pop("HANDJE_REDIS_URL", None)
    if redis:
        env["HANDJE_REDIS_URL"] = options.redis_url
    return env


async def _log_everyone_in(base_url: str, count: int) -> list[str]:
    """Cookies of ``count`` people, logged in a few at a time."""
    limit = asyncio.Semaphore(LOGINS_AT_ONCE)
    return list(
        await asyncio.gather(*(log_in(base_url, person_email(i), limit) for i in range(count)))
    )


def _line(name: str, result: Result) -> str:
    figures = (
        f"p50 {percentile_ms(result.latencies, 50):.1f} ms, "
        f"p95 {percentile_ms(result.latencies, 95):.1f} ms, "
        f"p99 {percentile_ms(result.latencies, 99):.1f} ms"
        if len(result.latencies) > 1
        else "too few deliveries"
    )
    return (
        f"{name}: {len(result.latencies)} delivered, {result.lost} lost "
        f"({result.dropped} on closed sockets: {dict(result.closes)}), {figures}, "
        f"{result.rate:.0f} msgs/s"
        + (f"; refused commands: {dict(result.refusals)}" if result.refusals else "")
    )


def _p(result: Result, percent: int) -> float:
    return round(percentile_ms(result.latencies, percent), 1) if len(result.latencies) > 1 else -1


def _run(phase: Callable[[], Awaitable[Result]], timeout: float) -> Result:
    return asyncio.run(asyncio.wait_for(phase(), timeout))


def benchmark(options: argparse.Namespace, data_dir: Path) -> dict[str, float]:
    """Load data, run the three phases; the figures for the JSON line."""
    env = _environment(options, data_dir, redis=False)
    conversations = min(options.conversations, options.clients // 2)
    loader = [sys.executable, "-m", "tests.perf.messaging", "load"]
    loaded = subprocess.run(
        [*loader, "--conversations", str(conversations)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    ids = json.loads(loaded.stdout.strip().splitlines()[-1])
    clients = 2 * conversations
    print(f"{clients} clients in {conversations} conversations, {options.messages} messages")
    budget = options.timeout * 3
    with server_process(["backend.cli", "serve"], env, data_dir / "one.log") as server:
        url = server.url
        cookies = asyncio.run(_log_everyone_in(url, clients))
        one = _run(
            lambda: run_phase((url, url), [server.pid], ids, cookies, options, "one"), budget
        )
    print(_line("one process", one))
    memory = one.memory_kb
    per_client = (memory["open"] - memory["before"]) / clients
    print(
        f"  server RSS {memory['before'] / 1024:.0f} MiB before, {memory['open'] / 1024:.0f} MiB "
        f"with {clients} conversation pages open: {per_client:.0f} KiB per client"
    )
    redis_env = _environment(options, data_dir, redis=True)
    with (
        server_process(["backend.cli", "serve"], redis_env, data_dir / "a.log") as a,
        server_process(["backend.cli", "serve"], redis_env, data_dir / "b.log") as b,
    ):
        two = _run(
            lambda: run_phase((a.url, b.url), [a.pid, b.pid], ids, cookies, options, "two"),
            budget,
        )
    print(_line("two processes via Redis", two))
    base = ["tests.perf.messaging", "baseline-server"]
    with server_process(base, env, data_dir / "baseline.log") as bare_server:
        bare_urls = (bare_server.url, bare_server.url)
        bare = _run(
            lambda: run_phase(bare_urls, [bare_server.pid], ids, cookies, options, "bare", False),
            budget,
        )
    print(_line("bare Litestar fan-out", bare))
    ratio = one.rate / bare.rate if bare.rate else 0.0
    return {
        "p50_ms": _p(one, 50),
        "p95_ms": _p(one, 95),
        "p99_ms": _p(one, 99),
        "msgs_per_s": round(one.rate, 1),
        "redis_p95_ms": _p(two, 95),
        "baseline_msgs_per_s": round(bare.rate, 1),
        "throughput_ratio": round(ratio, 3),
        "mem_per_client_kb": round(per_client),
    }


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    """The command line: the benchmark, or one of its internal steps (``load``, a server)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step", nargs="?", choices=["load", "baseline-server"], help="internal")
    parser.add_argument("--clients", type=int, default=1000, help="connected clients (1000)")
    parser.add_argument("--conversations", type=int, default=500, help="conversations (500)")
    parser.add_argument("--messages", type=int, default=10_000, help="messages per phase (10000)")
    parser.add_argument(
        "--database-url", default=DEFAULT_DATABASE, help="recreated each run; name has 'bench'"
    )
    parser.add_argument("--redis-url", default=DEFAULT_REDIS, help="for the two-process phase")
    parser.add_argument("--pool-size", type=int, default=10, help="database pool per server")
    parser.add_argument("--timeout", type=float, default=300, help="seconds of sending per phase")
    parser.add_argument("--keep", help="a folder for the servers' data and logs, kept after")
    parser.add_argument("--port", type=int, help="internal: the baseline server's port")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark (or an internal step); the JSON summary is the last line."""
    options = _arguments(argv)
    if options.step == "load":
        asyncio.run(load_data(options.conversations))
        return
    if options.step == "baseline-server":
        serve_baseline(options.port)
        return
    if options.keep:  # the servers' logs stay there to be read
        Path(options.keep).mkdir(parents=True, exist_ok=True)
        print(json.dumps(benchmark(options, Path(options.keep))))
        return
    with tempfile.TemporaryDirectory(prefix="handje-msgbench-") as directory:
        print(json.dumps(benchmark(options, Path(directory))))


if __name__ == "__main__":
    main()
