"""Three real arq workers (separate processes) over 1,000 pending alert emails on a real
Redis and a real SMTP server; one is killed in the middle (SIGKILL right after a claim,
before it sends) and a new one started. Every email goes out exactly once: the stale
claim is taken over once it is older than the claim timeout."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
import time
from typing import Any

from arq.connections import RedisSettings, create_pool
from arq.worker import Worker

from house.alerts import deliveries
from house.alerts.tables import Delivery
from house.lib import clock
from house.worker import FUNCTIONS
from tests.alerts.delivery_helpers import make_alert
from tests.factories import make_house, make_user

ALERTS, MANAGERS = 100, 10


def _start(url: str, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.alerts.worker_process", url, *extra],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _sent(ids: list[int]) -> int:
    return int(await Delivery.count().where(Delivery.id.is_in(ids), Delivery.status == "sent"))


async def test_it_delivers_every_email_once_with_a_worker_killed(
    private_redis: Any, smtp_server: Any
) -> None:
    house = await make_house()
    for _ in range(MANAGERS):
        await make_user("manager", [house])
    ids: list[int] = []
    for _ in range(ALERTS):
        ids += await deliveries.plan(await make_alert(house), ("managers",), clock.now())
    assert len(ids) == 1_000
    pool = await create_pool(RedisSettings.from_dsn(private_redis.url))
    for delivery_id in ids:
        await pool.enqueue_job(
            "send_alert_email", delivery_id, _job_id=f"send_alert_email:{delivery_id}"
        )

    victim = _start(private_redis.url, "100")
    workers = [victim, _start(private_redis.url), _start(private_redis.url)]
    try:
        assert await asyncio.to_thread(victim.wait, 120) == -9  # SIGKILLed in the middle
        assert await _sent(ids) < 1_000
        workers.append(_start(private_redis.url))  # a new one in its place
        # Until nothing moves: the survivors have sent all but what the victim claimed.
        deadline, last = time.monotonic() + 300, -1
        while time.monotonic() < deadline:
            await asyncio.sleep(3)
            now_sent = await _sent(ids)
            if now_sent == last and now_sent >= 1_000 - 1:
                break
            last = now_sent
    finally:
        for proc in workers:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(30)
    # The killed worker's claim is left: it goes stale after the claim timeout, and the
    # every-minute cron (here on a worker whose clock is past it) sends it.
    stuck = await Delivery.count().where(Delivery.id.is_in(ids), Delivery.status != "sent")
    assert stuck == 1
    # arq drops the dead worker's orphaned jobs (max_tries=1) once their in-progress key
    # expires; a fresh Redis stands for that here, so the cron's enqueue is not deduped.
    await pool.flushdb()
    clock.freeze(clock.now() + deliveries.CLAIM_TIMEOUT + dt.timedelta(minutes=1))
    try:
        await pool.enqueue_job("enqueue_due_alert_emails")
        worker = Worker(
            functions=FUNCTIONS,
            redis_pool=pool,
            burst=True,
            poll_delay=0.05,
            handle_signals=False,
        )
        await asyncio.wait_for(worker.main(), timeout=60)
        await worker.close()
    finally:
        clock.freeze(None)
    assert await _sent(ids) == 1_000
    received = [
        int(m["X-House-Delivery"])
        for m in smtp_server.messages
        if m["X-House-Delivery"] and int(m["X-House-Delivery"]) in set(ids)
    ]
    assert len(received) == 1_000
    assert sorted(received) == sorted(ids)  # each exactly once
