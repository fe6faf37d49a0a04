"""The sweep runs on the real arq worker (cron every minute) and raises each alert once; a
screen's event is processed by the `process_alert_events` job; the number of queries of a
sweep does not grow with the number of residents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from house.alerts import jobs
from house.alerts import services as alerts
from house.events import services as emitted
from house.events.tables import AlertEvent
from house.lib import clock
from house.residents.tables import Resident
from house.worker import FUNCTIONS, make_cron_jobs
from tests.alerts.sweep_setup import TODAY, WEDNESDAY, alert_house, alerts_of


@pytest.fixture(autouse=True)
def wednesday() -> Iterator[None]:
    clock.freeze(WEDNESDAY)
    yield
    clock.freeze(None)


def test_it_registers_the_sweep_every_minute_and_the_events_job() -> None:
    names = {f.name for f in FUNCTIONS}
    assert {"sweep_alerts", "process_alert_events"} <= names
    (sweep,) = [c for c in make_cron_jobs() if c.name == "cron:sweep_alerts"]
    assert sweep.minute is None
    assert sweep.second == 40
    assert jobs.crons()[0] is not jobs.crons()[0]


async def test_it_raises_a_milestone_once_on_the_real_worker(run_worker: Any) -> None:
    house = await alert_house(residents=1)
    resident = house.residents[0]["resident"]
    await Resident.update({Resident.sobriety_date: TODAY - dt.timedelta(days=90)}).where(
        Resident.id == resident
    )
    await run_worker()
    sober = (TODAY - dt.timedelta(days=90)).isoformat()
    assert [a["key"] for a in await alerts_of(house.id)] == [
        f"milestone:resident:{resident}:{sober}:90"
    ]
    clock.freeze(WEDNESDAY + dt.timedelta(minutes=1))
    await run_worker()
    assert len(await alerts_of(house.id)) == 1


async def test_it_processes_an_event_with_the_enqueued_job(run_worker: Any) -> None:
    from arq.connections import RedisSettings, create_pool

    from tests.conftest import REDIS_URL

    house = await alert_house(residents=1)
    resident = house.residents[0]
    await Resident.update({Resident.sobriety_date: None}).where(Resident.id == resident["resident"])
    # An appeal-like event for a record that raises nothing must still be marked processed.
    await emitted.record_event("screen", "screen:0", house.id, clock.now())
    pool = await create_pool(RedisSettings.from_dsn(REDIS_URL))
    try:
        await pool.enqueue_job("process_alert_events")
    finally:
        await pool.aclose()
    await run_worker(with_cron=False)
    assert (
        await AlertEvent.count().where(
            AlertEvent.house == house.id, AlertEvent.processed_at.is_null()
        )
        == 0
    )


async def _sweep_queries(queries: Any) -> int:
    await alerts.sweep(clock.now())  # raise whatever this data raises
    with queries() as counted:
        await alerts.sweep(clock.now())
    count: int = counted.count
    return count


async def _busy_house(residents: int) -> None:
    """Residents who match most rules: milestones today, behind on meetings (weekday set to
    Wednesday), a pending-free week."""
    house = await alert_house(residents=residents)
    from house.houses.tables import House

    await House.update({House.alert_meetings_weekday: 3}).where(House.id == house.id)
    await Resident.update({Resident.sobriety_date: TODAY - dt.timedelta(days=30)}).where(
        Resident.id.is_in([r["resident"] for r in house.residents])
    )


async def test_it_sweeps_in_the_same_number_of_queries_for_3_and_30_residents(
    queries: Any,
) -> None:
    await _busy_house(3)
    small = await _sweep_queries(queries)
    await _busy_house(30)
    large = await _sweep_queries(queries)
    assert small == large
    assert small <= 20


async def test_it_looks_up_raised_keys_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many keys at once go to the database in batches (PostgreSQL takes at most 32,767
    parameters in a query); each alert is still raised once."""
    monkeypatch.setattr(alerts, "KEY_BATCH", 2)
    house = await alert_house(residents=3)
    for days, resident in zip((30, 60, 90), house.residents, strict=True):
        await Resident.update({Resident.sobriety_date: TODAY - dt.timedelta(days=days)}).where(
            Resident.id == resident["resident"]
        )
    await alerts.sweep(clock.now())
    assert len(await alerts_of(house.id, "milestone")) == 3
    tried: list[str] = []
    real_raise = alerts.raise_alert

    async def raise_alert(spec: emitted.AlertSpec, now: dt.datetime) -> int | None:
        tried.append(spec.key)
        return await real_raise(spec, now)

    monkeypatch.setattr(alerts, "raise_alert", raise_alert)
    await alerts.sweep(clock.now())
    assert tried == []  # every batch of keys was looked up: nothing is tried again
    assert len(await alerts_of(house.id, "milestone")) == 3
