"""The bed board: a house's rooms and beds, the waitlist, and admitting or moving from a bed.

From a free bed a manager admits or moves someone in two taps with htmx (tap the bed: its
cell becomes the choices; tap a name: the cell shows them). Without script the same links
and forms work as full pages (post/redirect/get).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from house.beds import services as beds
from house.beds.access import get_bed_for_user
from house.beds.tables import Bed, BedAssignment
from house.houses.access import get_house_for_user
from house.lib import clock
from house.lib.dates import house_today, parse_date
from house.lib.errors import DomainError
from house.residents import services as stays
from house.residents.access import get_stay_for_user
from house.web.access import require_user, staff_only
from house.web.render import FORM_ERROR_STATUS, is_partial, page, read_form, redirect

CONFLICT_STATUS = 409


async def _bed_context(bed: dict[str, Any], house: dict[str, Any]) -> dict[str, Any]:
    """A bed with its occupant, plus who could be admitted to it or moved into it."""
    data = await beds.board(bed["house"])
    this = next(b for b in data["beds"] if b["id"] == bed["id"])
    history = (
        await BedAssignment.select(
            BedAssignment.start_on,
            BedAssignment.end_on,
            BedAssignment.stay.resident.preferred_name.as_alias("name"),  # type: ignore[union-attr]
        )
        .where(BedAssignment.bed == bed["id"])
        .order_by(BedAssignment.start_on, ascending=False)
    )
    return {
        "bed": {**bed, "occupant": this["occupant"]},
        "house": house,
        "waitlist": data["waitlist"],
        "movers": [r for r in data["residents"] if r["bed"] != bed["id"]],
        "history": history,
        "today": house_today(clock.now(), house["timezone"]),
        "states": Bed.State,
    }


class BoardController(Controller):
    guards = [staff_only]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/houses/{house_id:int}/board", name="beds:board")
    async def board(self, request: Request[Any, Any, Any], house_id: FromPath[int]) -> Template:
        house = await get_house_for_user(require_user(request), house_id)
        # The menu without counts: the board is the busiest page; home has the counts.
        return page(
            request, "beds/board.html", house=house, waiting={}, **await beds.board(house_id)
        )

    @get("/beds/{bed_id:int}", name="beds:detail")
    async def bed(self, request: Request[Any, Any, Any], bed_id: FromPath[int]) -> Template:
        user = require_user(request)
        bed = await get_bed_for_user(user, bed_id)
        house = await get_house_for_user(user, bed["house"])
        return page(
            request,
            "beds/bed.html",
            partial="beds/partials/choose.html",
            errors={},
            **await _bed_context(bed, house),
        )

    @post("/beds/{bed_id:int}/admit", name="beds:admit")
    async def admit(self, request: Request[Any, Any, Any], bed_id: FromPath[int]) -> Any:
        return await self._place(request, bed_id, admit=True)

    @post("/beds/{bed_id:int}/move", name="beds:move")
    async def move(self, request: Request[Any, Any, Any], bed_id: FromPath[int]) -> Any:
        return await self._place(request, bed_id, admit=False)

    async def _place(self, request: Request[Any, Any, Any], bed_id: int, *, admit: bool) -> Any:
        """Admit a waitlisted stay to this bed, or move a current resident into it."""
        user = require_user(request)
        bed = await get_bed_for_user(user, bed_id)
        house = await get_house_for_user(user, bed["house"])
        data = await read_form(request)
        errors: dict[str, str] = {}
        raw_stay = data.get("stay", "")
        if not isinstance(raw_stay, str) or not raw_stay.isdigit() or len(raw_stay) > 12:
            errors["stay"] = "Choose a person from the list."
        else:
            # Another house's stay is a 404 here, exactly as in a path.
            await get_stay_for_user(user, int(raw_stay))
        today = house_today(clock.now(), house["timezone"])
        raw_on = data.get("on") or today.isoformat()
        on = parse_date(raw_on) if isinstance(raw_on, str) else None
        if on is None:
            errors["on"] = "Enter a date like 2026-11-24."
        status = FORM_ERROR_STATUS
        if not errors and on is not None:
            try:
                if admit:
                    await stays.admit(
                        actor_id=user.id,
                        stay_id=int(raw_stay),
                        bed_id=bed_id,
                        on=on,
                        today=today,
                        now=clock.now(),
                    )
                else:
                    await stays.move(
                        actor_id=user.id,
                        stay_id=int(raw_stay),
                        to_bed_id=bed_id,
                        on=on,
                        today=today,
                        now=clock.now(),
                    )
            except stays.BedTaken as exc:
                if is_partial(request):
                    # Someone was quicker: show the board as it is now, with who took the bed.
                    return await self._board_region(request, house, CONFLICT_STATUS, exc.message)
                errors["bed"] = exc.message
                status = CONFLICT_STATUS
            except DomainError as exc:
                errors[exc.field or "form"] = exc.message
            else:
                return await self._placed(request, bed, house)
        context = await _bed_context(bed, house)
        return page(
            request,
            "beds/bed.html",
            partial="beds/partials/choose.html",
            status_code=status,
            errors=errors,
            typed={"stay": raw_stay, "on": raw_on},
            **context,
        )

    async def _placed(
        self, request: Request[Any, Any, Any], bed: dict[str, Any], house: dict[str, Any]
    ) -> Template | Redirect:
        if not is_partial(request):
            return redirect(request, f"/houses/{house['id']}/board", flash="Saved.")
        return await self._board_region(request, house, 200, "")

    async def _board_region(
        self, request: Request[Any, Any, Any], house: dict[str, Any], status: int, conflict: str
    ) -> Template:
        """The whole board region (a move changes two beds, an admission the waitlist)."""
        return page(
            request,
            "beds/partials/board.html",
            status_code=status,
            re_target="#board",
            re_swap="outerHTML",
            house=house,
            conflict=conflict,
            **await beds.board(house["id"]),
        )

    @post("/beds/{bed_id:int}/state", name="beds:state")
    async def set_state(self, request: Request[Any, Any, Any], bed_id: FromPath[int]) -> Any:
        user = require_user(request)
        bed = await get_bed_for_user(user, bed_id)
        house = await get_house_for_user(user, bed["house"])
        data = await read_form(request)
        state = data.get("state", "")
        reason = data.get("reason", "")
        errors: dict[str, str] = {}
        if state not in {s.value for s in Bed.State}:
            errors["state"] = "Choose a state from the list."
        elif not isinstance(reason, str) or len(reason) > 200:
            errors["reason"] = "Use at most 200 characters."
        else:
            try:
                await beds.set_bed_state(
                    actor_id=user.id,
                    bed_id=bed_id,
                    state=str(state),
                    reason=str(reason),
                    now=clock.now(),
                )
            except DomainError as exc:
                errors[exc.field or "form"] = exc.message
            else:
                return redirect(request, f"/beds/{bed_id}", flash="Bed updated.")
        return page(
            request,
            "beds/bed.html",
            status_code=FORM_ERROR_STATUS,
            errors=errors,
            typed={"state": state, "reason": reason},
            **await _bed_context(bed, house),
        )
