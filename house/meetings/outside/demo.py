"""Demo data for outside meetings (called by house/demo.py inside its one transaction).

Each demo resident with a login has logs this week and last in every state (waiting,
verified, rejected with a reason); Jordan's newest has a generated slip photo, stored
through uploads.py like any other.
"""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image, ImageDraw

from house.meetings.outside import services, uploads
from house.meetings.tables import OutsideMeeting
from house.residents.tables import Stay

# (hours ago, name, fellowship, format, location, chair, phone, verdict or None)
LOGS = [
    (3, "Noon Serenity", "aa", "in_person", "Grace Church basement", "Lee M.", "555-0101", None),
    (
        27,
        "Tuesday Night Big Book",
        "aa",
        "in_person",
        "St. Mark's hall",
        "Pat C.",
        "555-0134",
        "verified",
    ),
    (
        8 * 24,
        "Clean and Serene",
        "na",
        "in_person",
        "Community Center, room 4",
        "Dee R.",
        "555-0199",
        "verified",
    ),
    (9 * 24, "SMART Recovery online", "smart", "online", "Zoom", "Jo K.", "555-0177", "rejected"),
    (10 * 24, "Refuge Recovery sitting", "refuge", "in_person", "Dharma Hall", "", "", None),
]
REJECT_REASON = "The chair's number did not answer; bring the signed slip next time."


def _slip_photo() -> uploads.CleanPhoto:
    """A small picture of a signed slip, made here (no file ships with the app)."""
    image = Image.new("RGB", (480, 320), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 470, 310), outline=(60, 60, 60), width=3)
    draw.text((30, 40), "MEETING ATTENDANCE SLIP", fill=(20, 20, 20))
    draw.text((30, 100), "Meeting: Noon Serenity (AA)", fill=(20, 20, 20))
    draw.text((30, 150), "Chair: Lee M.   555-0101", fill=(20, 20, 20))
    draw.line((30, 250, 300, 240), fill=(20, 40, 140), width=3)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return uploads.clean_photo(out.getvalue())


async def load(house_ids: list[int], users: dict[str, int], now: dt.datetime) -> None:
    """`users` maps the demo emails (house/demo.py PEOPLE) to user ids."""
    managers = {
        house_ids[0]: users["maple.manager@demo.house"],
        house_ids[1]: users["cedar.manager@demo.house"],
    }
    residents = {user_id: email for email, user_id in users.items()}
    stays = (
        await Stay.select(
            Stay.id,
            Stay.house,
            Stay.resident,
            Stay.admitted_on,
            Stay.resident.user.as_alias("user"),
            Stay.house.timezone.as_alias("timezone"),
            Stay.house.outside_meetings_required.as_alias("required"),
        )
        .where(
            Stay.house.is_in(house_ids),
            Stay.status == Stay.Status.active,
            Stay.resident.user.is_not_null(),
        )
        .order_by(Stay.id)
    )
    for stay in stays:
        if stay["user"] not in residents:
            continue
        for i, (hours, name, fellowship, form, location, chair, phone, verdict) in enumerate(LOGS):
            held_at = now - dt.timedelta(hours=hours)
            if stay["admitted_on"] and held_at.date() < stay["admitted_on"]:
                continue
            photo = (
                _slip_photo()
                if (i == 0 and residents[stay["user"]] == "jordan@demo.house") or not chair
                else None
            )
            url = await services.log_meeting(
                user_id=stay["user"],
                stay=stay,
                values={
                    "held_at": held_at,
                    "name": name,
                    "fellowship": fellowship,
                    "format": form,
                    "location": location,
                    "chair_name": chair,
                    "chair_phone": phone,
                },
                photo=await services.keep_photo(photo),
                now=held_at + dt.timedelta(hours=2),
            )
            if verdict:
                await services.review(
                    actor_id=managers[stay["house"]],
                    meeting_id=int(url.rsplit("-", 1)[-1]),
                    verdict=OutsideMeeting.Status(verdict),
                    reason=REJECT_REASON if verdict == "rejected" else "",
                    now=held_at + dt.timedelta(hours=20),
                )
