"""The home page: one per role, each showing what that person has today."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from house.cm.rules import dollars
from house.cm.services import my_summary as cm_summary
from house.home import services
from house.houses.services import houses_for
from house.lib import clock
from house.rules.services import my_rules
from house.web.access import require_user, signed_in
from house.web.render import page


class HomeController(Controller):
    @get("/", guards=[signed_in], name="home")
    async def home(self, request: Request[Any, Any, Any]) -> Template:
        user = require_user(request)
        if user.is_admin:
            return page(
                request,
                "home/admin.html",
                houses=await houses_for(user),
                **await services.admin_counts(),
            )
        if user.role == "resident":
            return page(
                request,
                "home/resident.html",
                home=await services.home_of(user.id),
                rules=await my_rules(user.id),
                cm=await cm_summary(user.id),
                dollars=dollars,
            )
        houses = await houses_for(user)
        return page(
            request,
            f"home/{user.role}.html",
            houses=houses,
            round=await services.round_counts(houses, clock.now()),
        )
