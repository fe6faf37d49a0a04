"""The home page: one per role, each showing what that person has today."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template
from piccolo.query.functions.aggregate import Count

from house.accounts.tables import User
from house.cm.rules import dollars
from house.cm.services import my_summary as cm_summary
from house.houses.services import round_counts
from house.houses.tables import House
from house.lib import clock
from house.residents.services import home_of
from house.rules.services import my_rules
from house.violations.tables import Appeal
from house.web.access import require_user, signed_in
from house.web.render import page


class HomeController(Controller):
    @get("/", guards=[signed_in], name="home")
    async def home(self, request: Request[Any, Any, Any]) -> Template:
        user = require_user(request)
        if user.is_admin:
            counts = (
                await User.select(User.role, Count(User.id, alias="n"))
                .where(User.is_active.eq(True))
                .group_by(User.role)
            )
            houses = await House.select(House.id, House.name).order_by(House.name)
            return page(
                request,
                "home/admin.html",
                counts={row["role"]: row["n"] for row in counts},
                houses=houses,
                pending_appeals=await Appeal.count().where(
                    Appeal.decision == Appeal.Decision.pending
                ),
            )
        if user.role == User.Role.resident:
            return page(
                request,
                "home/resident.html",
                home=await home_of(user.id),
                rules=await my_rules(user.id),
                cm=await cm_summary(user.id),
                dollars=dollars,
            )
        houses = []
        if user.house_ids:
            houses = (
                await House.select(House.id, House.name, House.address, House.timezone)
                .where(House.id.is_in(list(user.house_ids)))
                .order_by(House.name)
            )
        return page(
            request,
            f"home/{user.role}.html",
            houses=houses,
            round=await round_counts(houses, clock.now()),
        )
