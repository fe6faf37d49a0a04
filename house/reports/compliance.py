"""The weekly summary email: each active manager of a house gets, once a week, the counts of
the week that just ended (Monday to Sunday, house dates) for the house as a whole, and a
link to the summary page, where the week is shown resident by resident behind sign-in.

1. A house is due from Monday 07:00 house time (SEND_AT; DST-proof: the wall clock of the
   house's zone decides, not a fixed offset). The email's key is
   `compliance:{user}:{house}:{this Monday}`: a key already in the outbox is skipped, so
   the cron may run every 15 minutes all week; a worker down on Monday still sends on any
   later day of that week, and the next Monday starts the next week's key.
2. Only the houses with a key still to queue are read further, in one query per kind of
   record across all of them (weekly.reports): the number of queries does not grow with
   houses or residents.
3. One bulk insert ON CONFLICT DO NOTHING: a second worker racing this one inserts nothing.

Email is not a private channel: the subject and the body carry no resident's name, no
outcome word and nothing clinical, only the house's counts (as alert emails carry no
detail). A house with nobody living there that week gets no email.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from house.accounts.tables import HouseMembership, User
from house.houses.tables import House
from house.lib.dates import at_local, house_today, week_start
from house.lib.datewords import date_words
from house.lib.emails import house_label, render_text_and_html
from house.outbox import services as outbox
from house.reports.weekly import Week, reports, totals, week_of
from house.settings import get_settings

SEND_AT = dt.time(7, 0)


def due_week(now: dt.datetime, timezone: str) -> Week | None:
    """The week to report on if the house's local time is past this week's Monday 07:00,
    else None."""
    this_monday = week_start(house_today(now, timezone))
    if now < at_local(this_monday, SEND_AT, timezone):
        return None
    return week_of(this_monday - dt.timedelta(days=7), timezone)


def email_key(user_id: int, house_id: int, week: Week) -> str:
    return f"compliance:{user_id}:{house_id}:{week.sent_in.isoformat()}"


def page_link(house_id: int, week: Week) -> str:
    """The week's summary page (sign-in first, then straight to it)."""
    base = get_settings().base_url.rstrip("/")
    return f"{base}/houses/{house_id}/reports/weekly?week={week.monday.isoformat()}"


def subject(house_name: str, week: Week) -> str:
    """No clinical detail and no name of a resident."""
    label = house_label(house_name)
    return f"{label}: weekly summary, week of {date_words(week.monday)}"


# Queueing ---------------------------------------------------------------------------------


async def _still_to_queue(
    now: dt.datetime,
) -> tuple[dict[int, dict[str, Any]], dict[int, Week], list[tuple[int, str, str]]]:
    """(houses by id, the week of each due house with a key still to queue, the
    (house, user email, key) of each email to queue). Three queries."""
    houses = {
        h["id"]: h
        for h in await House.select(
            House.id, House.name, House.timezone, House.outside_meetings_required
        )
    }
    due = {
        house_id: week
        for house_id, house in houses.items()
        if (week := due_week(now, house["timezone"])) is not None
    }
    if not due:
        return houses, {}, []
    managers = await HouseMembership.select(
        HouseMembership.house,
        HouseMembership.user,
        HouseMembership.user._.email.as_alias("email"),
    ).where(
        HouseMembership.house.is_in(sorted(due)),
        HouseMembership.user._.role == User.Role.manager,
        HouseMembership.user._.is_active.eq(True),
        # Not to someone invited who has not joined yet: the address may be a typo.
        HouseMembership.user._.password_hash != "",
    )
    wanted = {
        email_key(int(m["user"]), int(m["house"]), due[m["house"]]): (int(m["house"]), m["email"])
        for m in managers
    }
    if not wanted:
        return houses, {}, []
    queued = await outbox.queued_keys(sorted(wanted))
    emails = [(house, email, key) for key, (house, email) in wanted.items() if key not in queued]
    todo = {house: due[house] for house, _, _ in emails}
    return houses, todo, emails


async def queue_compliance(now: dt.datetime) -> list[int]:
    """Queue the weekly emails that are due and not queued yet (see the module's steps).
    Returns the ids of the OutboxEmail rows written (the job enqueues their sending)."""
    houses, todo, emails = await _still_to_queue(now)
    if not emails:
        return []
    by_house = await reports(todo, {h: int(houses[h]["outside_meetings_required"]) for h in todo})
    rendered: dict[int, tuple[str, str, str]] = {}
    for house_id, week in todo.items():
        rows = by_house.get(house_id)
        if not rows:
            continue  # nobody lived there that week
        name = houses[house_id]["name"]
        text, html = render_text_and_html(
            "compliance",
            house=house_label(name),
            monday=week.monday,
            sunday=week.sunday,
            counts=totals(rows),
            link=page_link(house_id, week),
        )
        rendered[house_id] = (subject(name, week), text, html)
    return await outbox.queue_emails(
        [
            outbox.Email(key, email, *rendered[house_id])
            for house_id, email, key in emails
            if house_id in rendered
        ],
        now,
    )


async def queue_compliance_emails(now: dt.datetime) -> int:
    """Queue the weekly compliance emails that are due; returns how many were queued."""
    return len(await queue_compliance(now))
