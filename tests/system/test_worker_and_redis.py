"""The real worker records its heartbeat; the app keeps serving with Redis down."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from house.lib import clock
from house.queue import Queue
from house.settings import get_settings
from house.system.services import worker_name
from house.system.tables import WorkerHeartbeat
from tests.cast import Cast
from tests.client import Client


async def test_it_runs_record_heartbeat_on_a_real_worker_and_shows_it(
    client: Client, cast: Cast, run_worker: Any
) -> None:
    before = clock.now()
    await run_worker()
    row = await WorkerHeartbeat.select().where(WorkerHeartbeat.worker == worker_name()).first()
    assert row is not None
    assert row["seen_at"] >= before.replace(microsecond=0)

    await client.force_login(cast.admin)
    page = await client.get("/admin/system")
    assert page.status_code == 200
    assert "last seen" in page.text
    assert "(not running)" not in page.text
    health = (await client.get("/health")).json()
    assert health["worker"]["ok"] is True
    assert health["redis"]["ok"] is True
    assert health["database"] == {"engine": get_settings().database_engine, "ok": True}


async def test_it_runs_a_job_the_web_app_enqueued(app: Any, run_worker: Any) -> None:
    await WorkerHeartbeat.delete().where(WorkerHeartbeat.worker == worker_name())
    assert await app.state.queue.enqueue("record_heartbeat") is True
    await run_worker(with_cron=False)
    assert await WorkerHeartbeat.exists().where(WorkerHeartbeat.worker == worker_name())


async def test_it_keeps_serving_every_page_when_redis_stops(
    app: Any, client: Client, cast: Cast, private_redis: Any
) -> None:
    settings = dataclasses.replace(get_settings(), redis_url=private_redis.url)
    real_queue, app.state.queue = app.state.queue, Queue(settings)
    try:
        await client.force_login(cast.admin)
        up = await client.get("/admin/system")
        assert "down: jobs wait" not in up.text

        private_redis.stop()
        for path in ("/", "/admin/users", "/admin/users/new", "/admin/system", "/health"):
            response = await client.get(path)
            assert response.status_code == 200, path
        down = await client.get("/admin/system")
        assert "down: jobs wait in the database" in down.text
        assert (await client.get("/health")).json()["redis"]["ok"] is False
        assert (await client.http.head("/health")).status_code == 200  # monitors: still up

        # Enqueueing gives up quickly instead of hanging the request.
        started = time.monotonic()
        assert await app.state.queue.enqueue("record_heartbeat") is False
        assert time.monotonic() - started < 2
    finally:
        await app.state.queue.close()
        app.state.queue = real_queue
