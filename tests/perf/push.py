"""Push fan-out: one event to 10,000 subscriptions through the outbox worker.

Run ``python -m tests.perf.push [--subscriptions 10000]`` (database: ``HANDJE_TEST_POSTGRES_URL``,
recreated; ``--sqlite`` for the embedded database). The fake push service runs in its own
process over HTTPS and answers 201 at once, except 5% 410 (the subscription is gone), 2% 429
with ``Retry-After: 1`` and 1% 500 (both then 201). One ``recommendation`` event is recorded for
10,000 people with one subscription each; ``--workers`` worker processes (2 by default, as
``handje worker`` runs on 2 cores; each with a small PostgreSQL pool) decide, encrypt, send and
record until nothing is left. ``per_s`` counts the time at least one worker was busy (not the
seconds they wait for a Retry-After or a backoff); CPU is the workers' own (the fake push service
and the PostgreSQL server run elsewhere). The baseline, in the same run, is
the bare ``webpush`` package (``WebPush.get``: encryption and a VAPID token per message) plus one
httpx POST per notification, in a loop. Checks: every 410 ends deleted, every other person gets
exactly one push, no request comes before its Retry-After. The last line is one JSON object.
Goals: ``per_s`` at least 1,000 on 2 cores, ``ratio`` at least 0.8.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import multiprocessing
import os
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/handje_pushbench"
MIX = (("gone-", 5), ("busy-", 2), ("flaky-", 1))  # per cent


def _prefix(index: int, total: int) -> str:
    """Spread the mix evenly: of every hundred, the first 5 are gone, the next 2 busy, 1 flaky."""
    slot = index % 100
    start = 0
    for prefix, share in MIX:
        if start <= slot < start + share:
            return prefix
        start += share
    return ""


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user and system) a running process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _fake_service(directory: Path, port: int, public_key: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.push.fake_push_service",
            "--port",
            str(port),
            "--directory",
            str(directory),
            "--app-public-key",
            public_key,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


async def _people(count: int, origin: str, keys: object) -> list[uuid.UUID]:
    from backend.accounts.tables import User
    from backend.push.tables import PushSubscription

    ids = [uuid.uuid4() for _ in range(count)]
    for start in range(0, count, 1_000):
        chunk = ids[start : start + 1_000]
        await User.insert(
            *[
                User(id=i, email=f"push{i.hex}@bench.example", password_hash="x", display_name="B")
                for i in chunk
            ]
        )
        await PushSubscription.insert(
            *[
                PushSubscription(
                    user=user,
                    endpoint=f"{origin}/push/{_prefix(start + n, count)}{user.hex}",
                    p256dh=keys.device("").p256dh,
                    auth=keys.device("").auth,
                )
                for n, user in enumerate(chunk)
            ]
        )
    return ids


def _worker_process(cafile: str, results: multiprocessing.Queue) -> None:
    """One ``handje worker``-like process: deliver until nothing is pending, then report its
    busy rounds (start and end on the wall clock) and the CPU seconds they took."""
    results.put(asyncio.run(_deliver(cafile)))


async def _deliver(cafile: str) -> dict:
    from piccolo.engine.postgres import PostgresEngine

    from backend.keys import load_or_create_keys
    from backend.notifications.tables import Notification
    from backend.push.protocol import PushEncoder
    from backend.push.sender import PushSender
    from backend.push.tables import PushDelivery
    from backend.push.worker import PushWorker
    from backend.settings import Settings
    from frontend.i18n import translator

    settings = Settings.from_env()
    engine = Notification._meta.db
    pooled = isinstance(engine, PostgresEngine)
    if pooled:  # as ``handje worker`` does
        await engine.start_connection_pool(min_size=1, max_size=4)
    keys = load_or_create_keys(settings.secrets_dir)
    sender = PushSender(
        per_service=settings.push_per_service, verify=ssl.create_default_context(cafile=cafile)
    )
    encoder = PushEncoder(keys.vapid_private_pem, keys.vapid_public_key, "mailto:b@b.nl")
    worker = PushWorker(settings, encoder, sender, translator)
    busy: list[tuple[float, float]] = []
    cpu = 0.0
    while True:
        wall, started_cpu = time.time(), time.process_time()
        round_ = await worker.run_once()
        if round_.busy:
            busy.append((wall, time.time()))
            cpu += time.process_time() - started_cpu
            continue
        waiting = await PushDelivery.exists().where(PushDelivery.state == "pending")
        if not waiting and not await Notification.exists().where(
            Notification.push_state == "pending"
        ):
            break
        await asyncio.sleep(0.05)  # waiting for a Retry-After or a backoff: not counted
    await sender.close()
    if pooled:
        await engine.close_connection_pool()
    return {"busy": busy, "cpu": cpu}


def _covered(intervals: list[tuple[float, float]]) -> float:
    """Seconds of the wall clock during which at least one worker was busy."""
    total, reach = 0.0, float("-inf")
    for start, end in sorted(intervals):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


async def _fan_out(workers: int, cafile: str, ids: list) -> dict:
    from backend.notifications.service import RECOMMENDATION, record_notifications

    await record_notifications(
        ids, RECOMMENDATION, {"listing_id": str(uuid.uuid4()), "title": "Soep koken"}
    )
    spawn = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue = spawn.Queue()
    started = time.perf_counter()
    processes = [
        spawn.Process(target=_worker_process, args=(cafile, results)) for _ in range(workers)
    ]
    for process in processes:
        process.start()
    reports = [await asyncio.to_thread(results.get) for _ in processes]
    for process in processes:
        process.join()
    return {
        "busy_wall": _covered([interval for report in reports for interval in report["busy"]]),
        "busy_cpu": sum(report["cpu"] for report in reports),
        "total_wall": time.perf_counter() - started,
    }


async def _baseline(
    app_keys: object, context: ssl.SSLContext, origin: str, count: int, keys: object
) -> dict:
    import httpx
    from cryptography.hazmat.primitives import serialization
    from webpush import WebPush
    from webpush.types import WebPushKeys, WebPushSubscription

    private = serialization.load_pem_private_key(app_keys.vapid_private_pem, password=None)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    webpush = WebPush(
        private_key=app_keys.vapid_private_pem,
        public_key=public_pem,
        subscriber="b@b.nl",
        ttl=3_600,
    )
    device = keys.device("")
    body = json.dumps(
        {
            "id": "x",
            "title": "A new listing near you",
            "body": "“Soep koken” may be something for you.",
        }
    )
    statuses: dict[int, int] = {}
    async with httpx.AsyncClient(verify=context) as client:
        wall, cpu = time.perf_counter(), time.process_time()
        for n in range(count):
            subscription = WebPushSubscription(
                endpoint=f"{origin}/push/base-{n}",
                keys=WebPushKeys(p256dh=device.p256dh, auth=device.auth),
            )
            message = webpush.get(body, subscription)
            response = await client.post(
                str(subscription.endpoint), content=message.encrypted, headers=dict(message.headers)
            )
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        return {
            "wall": time.perf_counter() - wall,
            "cpu": time.process_time() - cpu,
            "statuses": statuses,
        }


async def run(count: int, workers: int) -> dict:
    import httpx

    from backend.app import create_app
    from backend.db import migrate
    from backend.push.tables import PushDelivery, PushSubscription
    from backend.settings import Settings
    from tests.live_server import free_port
    from tests.perf.data import recreate_database
    from tests.push.keys import BrowserKeys

    settings = Settings.from_env()
    await recreate_database(settings)
    with contextlib.redirect_stdout(io.StringIO()):
        await migrate(settings)
    app_keys = create_app(settings).state.app_keys
    directory = Path(tempfile.mkdtemp(prefix="push-bench-"))
    port = free_port()
    fake = _fake_service(directory, port, app_keys.vapid_public_key)
    origin = f"https://127.0.0.1:{port}"
    context = ssl.create_default_context(cafile=str(directory / "push.crt"))
    try:
        keys = BrowserKeys()
        ids = await _people(count, origin, keys)
        gone = sum(1 for n in range(count) if _prefix(n, count) == "gone-")
        print(f"{count} people with one subscription each; {gone} of them are gone (410)")
        fake_cpu = _cpu_seconds(fake.pid)
        fan_out = await _fan_out(workers, str(directory / "push.crt"), ids)
        fake_cpu = _cpu_seconds(fake.pid) - fake_cpu
        async with httpx.AsyncClient(verify=context) as client:
            stats = (await client.get(f"{origin}/stats")).json()
        left_gone = await PushSubscription.count().where(
            PushSubscription.endpoint.like("%/push/gone-%")
        )
        sent = await PushDelivery.count().where(PushDelivery.state == "sent")
        baseline = await _baseline(app_keys, context, origin, count, keys)
    finally:
        fake.terminate()
        fake.wait(timeout=10)
    accepted = stats["statuses"].get("201", 0)
    checks = {
        "gone_left": left_gone,
        "sent": sent,
        "expected_sent": count - gone,
        "accepted_by_service": accepted,
        "distinct_accepted": stats["accepted_endpoints"],
        "before_retry_after": stats["early"],
        "rejected_by_service": stats["rejected"],
    }
    per_s = count / fan_out["busy_wall"]
    baseline_per_s = count / baseline["wall"]
    busy, total = fan_out["busy_wall"], fan_out["total_wall"]
    print(
        f"fan-out with {workers} worker processes: {per_s:.0f}/s while busy "
        f"({busy:.2f} s busy, {total:.2f} s with the waits and the start of the processes)"
    )
    print(f"fan-out CPU: {1000 * fan_out['busy_cpu'] / count:.3f} ms per notification")
    print(
        f"baseline (bare webpush + one httpx POST each, in a loop): {baseline_per_s:.0f}/s, "
        f"{1000 * baseline['cpu'] / count:.3f} ms CPU each; answers {baseline['statuses']}"
    )
    print(f"push service saw: {stats['statuses']}; checks: {checks}")
    fake_ms = 1000 * fake_cpu / max(1, stats["requests"])
    print(f"the fake push service itself took {fake_ms:.3f} ms CPU per request")
    ok = (
        left_gone == 0
        and sent == count - gone
        and accepted == count - gone
        and stats["accepted_endpoints"] == count - gone
        and stats["early"] == 0
        and stats["rejected"] == 0
    )
    print("checks passed" if ok else "CHECKS FAILED")
    return {
        "per_s": round(per_s, 1),
        "cpu_ms_per_notification": round(1000 * fan_out["busy_cpu"] / count, 3),
        "baseline_per_s": round(baseline_per_s, 1),
        "ratio": round(per_s / baseline_per_s, 3),
        "baseline_cpu_ms_per_notification": round(1000 * baseline["cpu"] / count, 3),
        "total_s": round(fan_out["total_wall"], 2),
        "workers": workers,
        "checks_passed": ok,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (2 cores: 2)")
    parser.add_argument("--sqlite", action="store_true", help="use an embedded SQLite database")
    arguments = parser.parse_args()
    if arguments.sqlite:
        data_dir = Path(tempfile.mkdtemp(prefix="pushbench-"))
        os.environ["HANDJE_DATA_DIR"] = str(data_dir)
        os.environ["HANDJE_DATABASE_URL"] = f"sqlite:///{data_dir / 'handje.sqlite3'}"
    else:
        os.environ["HANDJE_DATA_DIR"] = tempfile.mkdtemp(prefix="pushbench-")
        os.environ["HANDJE_DATABASE_URL"] = os.environ.get(
            "HANDJE_TEST_POSTGRES_URL", DEFAULT_DATABASE
        )
    os.environ["HANDJE_DATABASE_POOL_SIZE"] = "0"
    result = asyncio.run(run(arguments.subscriptions, arguments.workers))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
