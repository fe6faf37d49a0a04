"""The bed board: a house's rooms and beds, the waitlist, and what can be done from a bed:
admit or move someone in, reserve it, mark it out of service or put it back in service.

From a bed nobody sleeps in a manager acts in two taps with htmx (tap the bed: its cell
becomes the choices; tap one: the board shows the result). Without script the same links
and forms work as full pages (post/redirect/get). An occupied bed leads to its resident.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from house.beds import services as beds
from house.beds.access import get_bed_for_user, get_rw_bed_for_user
from house.beds.forms import parse_place, parse_state
from house.beds.placements import services as placements
from house.beds.placements.views import ROUTES as PLACEMENT_ROUTES
from house.beds.setup.views import ROUTES as SETUP_ROUTES
from house.houses.access import get_house_for_user
from house.lib import clock
from house.lib.dates import house_today
from house.lib.errors import DomainError
from house.lib.forms import FormResult
from house.residents.access import get_rw_stay_for_user
from house.web.access import require_user, staff_only
from house.web.render import (
    CONFLICT_STATUS,
    FORM_ERROR_STATUS,
    is_partial,
    page,
    read_form,
    redirect,
)

CHOOSE = "beds/partials/choose.html"  # the bed's choices: what htmx swaps into its cell


async def _bed_context(bed: dict[str, Any], house: dict[str, Any]) -> dict[str, Any]:
    """A bed with its occupant, plus who could be admitted to it or moved into it."""
    data = await beds.board(bed["house"])
    this = next(b for b in data["beds"] if b["id"] == bed["id"])
    return {
        "bed": {**bed, "occupant": this["occupant"]},
        "house": house,
        "waitlist": data["waitlist"],
        "movers": [r for r in data["residents"] if r["bed"] != bed["id"]],
        "history": await placements.history_of_bed(bed["id"]),
        "today": house_today(clock.now(), house["timezone"]),
    }


async def _bed_and_house(
    request: Request[Any, Any, Any], bed_id: int, *, write: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The bed (404 unless in the user's houses; 403 if `write` and the user may only read)
    and its house."""
    user = require_user(request)
    bed = await (get_rw_bed_for_user if write else get_bed_for_user)(user, bed_id)
    return bed, await get_house_for_user(user, bed["house"])


async def _bed_page(
    request: Request[Any, Any, Any],
    bed: dict[str, Any],
    house: dict[str, Any],
    form: FormResult,
    status_code: int = 200,
    *,
    partial: str | None = None,
) -> Template:
    """The bed's page (for htmx, `partial` of it), with what was typed and its errors."""
    return page(
        request,
        "beds/bed.html",
        partial=partial,
        status_code=status_code,
        errors=form.errors,
        typed=form.typed,
        **await _bed_context(bed, house),
    )


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
        bed, house = await _bed_and_house(request, bed_id)
        return await _bed_page(request, bed, house, FormResult(), partial=CHOOSE)

    @post("/beds/{bed_id:int}/admit", name="beds:admit")
    async def admit(self, request: Request[Any, Any, Any], bed_id: FromPath[int]) -> Any:
        return await self._place(request, bed_id, admit=True)

    @post("/beds/{bed_id:int}/move", name="beds:move")
    async def move(self, request: Request[Any, Any, Any], bed_id: FromPath[int]) -> Any:
        return await self._place(request, bed_id, admit=False)

    async def _place(self, request: Request[Any, Any, Any], bed_id: int, *, admit: bool) -> Any:
        """Admit a waitlisted stay to this bed, or move a current resident into it.

        The bed and the chosen stay must be in the user's houses (404 otherwise); then
        `_answer` runs the placement."""
        user = require_user(request)
        bed, house = await _bed_and_house(request, bed_id, write=True)
        today = house_today(clock.now(), house["timezone"])
        form = parse_place(await read_form(request), today)
        if "stay" in form.values:
            # Another house's stay is a 404 here, exactly as in a path.
            await get_rw_stay_for_user(user, form.values["stay"])

        async def change() -> None:
            when: dict[str, Any] = {"on": form.values["on"], "today": today, "now": clock.now()}
            if admit:
                await placements.admit(
                    actor_id=user.id, stay_id=form.values["stay"], bed_id=bed_id, **when
                )
            else:
                await placements.move(
                    actor_id=user.id, stay_id=form.values["stay"], to_bed_id=bed_id, **when
                )

        return await self._answer(request, bed, house, form, change, "Saved.")

    async def _answer(
        self,
        request: Request[Any, Any, Any],
        bed: dict[str, Any],
        house: dict[str, Any],
        form: FormResult,
        change: Callable[[], Awaitable[None]],
        flash: str,
    ) -> Any:
        """Run one change to a bed (parsed into `form`) and answer as the board expects.

        1. Success: the board (for htmx the whole board region: a move changes two beds, an
           admission the waitlist, any change the counts); without script the board page
           with `flash`.
        2. Someone was quicker (BedTaken, BedChanged): 409, for htmx the board as it is now
           with what happened; without script the bed's page with the message.
        3. Any other refusal: the bed's choices again (in place for htmx) with the message
           by its field and what was typed.
        """
        if form.ok:
            try:
                await change()
            except (placements.BedTaken, beds.BedChanged) as exc:
                if is_partial(request):
                    return await self._board_region(request, house, CONFLICT_STATUS, exc.message)
                form.errors[exc.field or "bed"] = exc.message
                return await _bed_page(request, bed, house, form, CONFLICT_STATUS, partial=CHOOSE)
            except DomainError as exc:
                form.errors[exc.field or "form"] = exc.message
            else:
                return await self._placed(request, house, flash)
        return await _bed_page(request, bed, house, form, FORM_ERROR_STATUS, partial=CHOOSE)

    async def _placed(
        self, request: Request[Any, Any, Any], house: dict[str, Any], flash: str
    ) -> Template | Redirect:
        if not is_partial(request):
            return redirect(request, f"/houses/{house['id']}/board", flash=flash)
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
        """Reserve a free bed (with a note), mark it out of service (with a reason) or put
        it back in service; answered by `_answer` like a placement."""
        user = require_user(request)
        bed, house = await _bed_and_house(request, bed_id, write=True)
        form = parse_state(await read_form(request))

        async def change() -> None:
            await beds.set_bed_state(
                actor_id=user.id,
                bed_id=bed_id,
                state=form.values["state"],
                note=form.values["reason"],
                version=form.values["version"],
                now=clock.now(),
            )

        state = beds.STATE_WORDS.get(form.values.get("state", ""), "")
        flash = f"{bed['room_label']} · {bed['label']}: {state}."
        return await self._answer(request, bed, house, form, change, flash)


ROUTES = [BoardController, *SETUP_ROUTES, *PLACEMENT_ROUTES]
