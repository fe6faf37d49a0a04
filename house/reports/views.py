"""The weekly summary page for a house's staff: the week resident by resident (what the
Monday email leaves out), with a week picker. Every view writes its audit row first."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Template

from house.houses.access import get_house_for_user
from house.lib import clock
from house.reports import services
from house.web.access import require_user, staff_only
from house.web.render import page, request_id


class WeeklySummaryController(Controller):
    path = "/houses/{house_id:int}/reports"
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/weekly", name="reports:weekly")
    async def weekly(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        user = require_user(request)
        house = await get_house_for_user(user, house_id)
        now = clock.now()
        summary = await services.house_week(house, request.query_params.get("week"), now)
        await services.record_summary_viewed(
            actor_id=user.id,
            house_id=house_id,
            summary=summary,
            now=now,
            request_id=request_id(request),
        )
        return page(request, "reports/weekly.html", house=house, **summary)


ROUTES: list[Any] = [WeeklySummaryController]
