"""Redis stops while a manager records 200 positive screens: every post still succeeds (the
change and its AlertEvent are in the database; the enqueue is dropped), and once Redis is
back two start-up sweeps of a real arq worker raise each alert once and send each email
once, counted at the real SMTP server."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from house.alerts.tables import Alert, Delivery
from house.events.tables import AlertEvent
from house.queue import Queue
from house.screens.tables import Screen
from house.settings import get_settings
from tests.alerts.delivery_helpers import email_ids
from tests.client import Client
from tests.screens.scene import Scene, make_scene, screen_form

SCREENS = 200


async def _record_positive_screens(client: Client, scene: Scene) -> None:
    """SCREENS positives for cocaine (not prescribed), Rae and Ned in turn, through the
    screen form as a manager sends it."""
    cocaine = f"result-{scene.codes['cocaine']}"
    for i in range(SCREENS):
        who = scene.rae if i % 2 else scene.ned
        form = screen_form(
            scene,
            resident=str(who["resident"]),
            specimen_id=f"CUP-{i:04d}",
            **{cocaine: "positive"},
        )
        response = await client.post(f"/houses/{scene.house}/screens", form)
        assert response.status_code == 303, (i, response.status_code, response.text[:500])
        assert response.headers["location"].startswith("/screens/")


async def _alerts(keys: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await Alert.select(Alert.id, Alert.key).where(
        Alert.key.is_in(keys)
    )
    return rows


async def test_it_delivers_every_alert_once_after_redis_comes_back(
    app: Any, client: Client, private_redis: Any, run_worker: Any, smtp_server: Any
) -> None:
    scene = await make_scene()
    settings = dataclasses.replace(get_settings(), redis_url=private_redis.url)
    real_queue, app.state.queue = app.state.queue, Queue(settings)
    try:
        await client.force_login(scene.manager)
        private_redis.stop()
        await _record_positive_screens(client, scene)
        assert await app.state.queue.status() == (False, None)  # it was down all along
        private_redis.start()  # empty: nothing the web app tried to queue survived
        assert (await app.state.queue.status())[0] is True  # the web app reconnects by itself
    finally:
        await app.state.queue.close()
        app.state.queue = real_queue

    screens = await Screen.select(Screen.id, Screen.outcome).where(Screen.house == scene.house)
    assert len(screens) == SCREENS
    assert {s["outcome"] for s in screens} == {Screen.Outcome.positive}
    records = [f"screen:{s['id']}" for s in screens]
    waiting = await AlertEvent.count().where(
        AlertEvent.record.is_in(records), AlertEvent.processed_at.is_null()
    )
    assert waiting == SCREENS  # stored with the screens, waiting for a sweep
    keys = [f"screen_result:{record}" for record in records]
    assert await _alerts(keys) == []

    await run_worker(redis_url=private_redis.url)
    # The first sweep raises every alert and enqueues its emails at once; the second one
    # (what the next minute's cron does) must find nothing to send twice.
    assert len(await _alerts(keys)) == SCREENS
    await run_worker(redis_url=private_redis.url)

    alerts = await _alerts(keys)
    assert sorted(a["key"] for a in alerts) == sorted(keys)  # each alert once
    alert_ids = [a["id"] for a in alerts]
    deliveries = await Delivery.select(
        Delivery.id, Delivery.alert, Delivery.user, Delivery.channel, Delivery.status
    ).where(Delivery.alert.is_in(alert_ids))
    assert len(deliveries) == 2 * SCREENS  # the manager's inbox and email row, once each
    by_alert: dict[int, set[tuple[int, str, str]]] = {}
    for d in deliveries:
        by_alert.setdefault(d["alert"], set()).add((d["user"], d["channel"], d["status"]))
    manager = scene.manager.id
    assert by_alert == {
        alert_id: {(manager, "inbox", "sent"), (manager, "email", "queued")}
        for alert_id in alert_ids
    }

    delivered = [d["id"] for d in deliveries if d["channel"] == Delivery.Channel.email]
    emails = {str(e) for e in await email_ids(delivered)}
    assert len(emails) == SCREENS
    received = [m for m in smtp_server.messages if m["X-House-Email"] in emails]
    assert Counter(m["X-House-Email"] for m in received) == Counter(dict.fromkeys(emails, 1))
    assert {m["To"] for m in received} == {scene.manager.email}
