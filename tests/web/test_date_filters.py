"""Dates and times read one way everywhere, in house time: every template goes through the
filters of house.lib.datewords (date, day, relday, time, datetime, iso)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from jinja2 import Environment

from house.lib import clock, datewords
from house.settings import ROOT
from tests.cast import Cast
from tests.client import Client
from tests.factories import make_house, make_inbox_item, make_user

TEMPLATES = ROOT / "templates"
# A template formatting a date itself, or the old filter.
SELF_FORMATTED = re.compile(r"strftime|isoformat|\|\s*localtime\b")
# An output expression whose value is a date, a time or a moment, by the project's names for
# them ("admitted_on", "created_at", "sobriety_date", "today", "week.monday", "prev_day").
DATE_NAME = re.compile(
    r"^(?:\w+_(?:at|on)|\w*date|day|today|week|monday|sunday|since|until|before"
    r"|(?:prev|next)_(?:day|week)|older|newer)$"
)
OUTPUT = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
CHAIN = re.compile(r"[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*")


def _unfiltered_dates(text: str) -> list[str]:
    """The `{{ ... }}` outputs of `text` that print a date-named value with no filter."""
    found = []
    for match in OUTPUT.finditer(text):
        expression = match.group(1)
        if "|" in expression:
            continue
        bare = re.sub(r"'[^']*'|\"[^\"]*\"", "", expression)  # string literals are not names
        bare = re.sub(r"\bif\b.*?\belse\b", " ", bare)  # a condition is not printed
        for chain in CHAIN.findall(bare):
            # What a form keeps of what was typed is text already.
            if ".typed." not in f".{chain}." and DATE_NAME.search(chain.split(".")[-1]):
                found.append(match.group(0))
    return found


def _problems(path: Path) -> list[str]:
    where = path.relative_to(TEMPLATES)
    return [f"{where}: {p}" for p in _problems_of_text(path.read_text(encoding="utf-8"))]


def test_the_check_catches_a_template_that_formats_a_date_itself() -> None:
    for bad in (
        '{{ s.collected_at.strftime("%H:%M") }}',
        "{{ week.monday.isoformat() }}",
        "{{ s.admitted_on }}",
        "since {{ person.sobriety_date }}",
        '{{ h.end_on or "now" }}',
        "{{ today }}",
        "{{ (typed or {}).get('on', today) }}",
        "{{ prev_day }}",
        '<a href="?before={{ older }}">',
        "{{ a.at|localtime(tz) }}",
    ):
        assert _problems_of_text(bad), bad
    for good in (
        "{{ s.admitted_on|date }}",
        '{{ h.end_on|date or "now" }}',
        "{{ a.at|datetime(house.timezone) }}",
        "{{ day_names[d] }}",
        "{{ house.name }}",
        "{{ week.required }}",
        "{{ house.meeting_day }}",
        "{{ form.typed.collected_on }}",
        '{{ "Change" if p.ends_on else "End it" }}',
    ):
        assert not _problems_of_text(good), good


def _problems_of_text(text: str) -> list[str]:
    return [m.group(0) for m in SELF_FORMATTED.finditer(text)] + _unfiltered_dates(text)


def test_no_template_formats_a_date_another_way() -> None:
    problems = [p for path in sorted(TEMPLATES.rglob("*.*")) for p in _problems(path)]
    assert problems == []


def test_a_raw_date_fails_to_render_outside_production() -> None:
    env = Environment(autoescape=True)
    datewords.install(env)
    day = dt.date(2026, 3, 3)
    assert env.from_string("{{ d|date }}").render(d=day) == "3 Mar 2026"
    assert env.from_string("{{ d|iso }}").render(d=day) == "2026-03-03"
    with pytest.raises(TypeError, match="without a date filter"):
        env.from_string("{{ d }}").render(d=day)


def test_the_words_of_each_filter() -> None:
    now = dt.datetime(2026, 3, 4, 5, 45, tzinfo=dt.UTC)  # 23:45 on the 3rd in Chicago
    chicago = "America/Chicago"
    moment = dt.datetime(2026, 3, 4, 5, 30, tzinfo=dt.UTC)  # 23:30 on the 3rd in Chicago
    today = dt.date(2026, 3, 3)
    assert datewords.date_words(today) == "3 Mar 2026"
    assert datewords.day_words(today, today) == "Tue 3 Mar"
    assert datewords.day_words(dt.date(2025, 12, 31), today) == "Wed 31 Dec 2025"
    assert [datewords.relday_words(today + dt.timedelta(days=n), today) for n in (-1, 0, 1, 2)] == [
        "yesterday",
        "today",
        "tomorrow",
        "Thu 5 Mar",
    ]
    assert datewords.time_words(moment, chicago) == "23:30"
    assert datewords.moment_words(moment, chicago, now) == "today at 23:30"
    assert datewords.moment_words(moment, "UTC", now) == "today at 05:30"
    later = now + dt.timedelta(days=3)
    assert datewords.moment_words(moment, chicago, later) == "Tue 3 Mar at 23:30"
    assert datewords.moment_words(moment, chicago, now, relative=False) == "Tue 3 Mar at 23:30"


async def test_it_shows_times_in_the_house_zone_around_midnight(
    client: Client, cast: Cast, frozen_clock: object
) -> None:
    """An alert raised at 23:30 in Tokyo (14:30 UTC) reads 23:30 of that day; the next
    morning it is "yesterday", while the same instant in Chicago is 08:30 of the 3rd."""
    tokyo = await make_house(timezone="Asia/Tokyo")
    chicago = await make_house(timezone="America/Chicago")
    manager = await make_user("manager", [tokyo, chicago])
    raised = dt.datetime(2026, 3, 3, 14, 30, tzinfo=dt.UTC)
    await make_inbox_item(tokyo, manager.id, summary="In Tokyo", created_at=raised)
    await make_inbox_item(chicago, manager.id, summary="In Chicago", created_at=raised)
    await client.force_login(manager)
    clock.freeze(dt.datetime(2026, 3, 3, 14, 45, tzinfo=dt.UTC))  # 23:45 in Tokyo
    page = (await client.get("/inbox")).text
    assert _row(page, "In Tokyo").endswith("today at 23:30")
    assert _row(page, "In Chicago").endswith("today at 08:30")
    clock.freeze(dt.datetime(2026, 3, 3, 15, 5, tzinfo=dt.UTC))  # 00:05 on the 4th in Tokyo
    page = (await client.get("/inbox")).text
    assert _row(page, "In Tokyo").endswith("yesterday at 23:30")
    assert _row(page, "In Chicago").endswith("today at 08:30")
    clock.freeze(dt.datetime(2026, 3, 10, 15, 5, tzinfo=dt.UTC))
    page = (await client.get("/inbox")).text
    assert _row(page, "In Tokyo").endswith("Tue 3 Mar at 23:30")
    assert "14:30" not in page  # never the stored UTC time


def _row(page: str, summary: str) -> str:
    """The row-sub line (house · kind · when) of the inbox row with `summary`."""
    start = page.index(summary)
    match = re.search(r'<span class="row-sub">([^<]*)</span>', page[start:])
    assert match, summary
    return match.group(1).strip()
