"""What the outside-meeting tests share: a resident who can sign in, the form, real images."""

from __future__ import annotations

import datetime as dt
import io
import secrets
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from PIL import ExifTags, Image

from house.accounts.tables import User
from house.lib import clock
from house.settings import get_settings
from tests.client import Client
from tests.factories import Person, make_house, make_resident_in, make_user

CHICAGO = ZoneInfo("America/Chicago")


async def resident_in_house(
    house: int | None = None, name: str | None = None
) -> tuple[Person, dict[str, int], int, Person]:
    """(resident login, their ids, house, the house's manager): moved in 20 days ago."""
    house = house or await make_house()
    manager = await make_user(User.Role.manager, [house])
    person = await make_user(User.Role.resident, [house], name=name)
    ids = await make_resident_in(
        house,
        manager.id,
        user_id=person.id,
        preferred_name=name,
        admitted_on=clock.now().date() - dt.timedelta(days=20),
    )
    return person, ids, house, manager


def meeting_form(hours_ago: float = 3, **changes: str) -> dict[str, str]:
    when = (clock.now() - dt.timedelta(hours=hours_ago)).astimezone(CHICAGO)
    return {
        "held_on": when.date().isoformat(),
        "held_time": when.strftime("%H:%M"),
        "name": "Tuesday Night Big Book",
        "fellowship": "aa",
        "format": "in_person",
        "location": "St. Mark's parish hall",
        "chair_name": "Pat C.",
        "chair_phone": "555-201-3344",
        "form_token": secrets.token_urlsafe(24),
        **changes,
    }


async def post_meeting(
    client: Client,
    data: dict[str, str] | list[tuple[str, str]],
    photo: tuple[str, bytes, str] | None = None,
    *,
    csrf: bool = True,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST the form as a browser does: multipart, with an empty file part if no photo."""
    items = list(data.items()) if isinstance(data, dict) else list(data)
    if csrf:
        items.append(("_csrf_token", await client.csrf_token()))
    fields: dict[str, list[str]] = {}
    for key, value in items:
        fields.setdefault(key, []).append(value)
    files = {"photo": photo or ("", b"", "application/octet-stream")}
    return await client.http.post("/meetings/outside", data=fields, files=files, headers=headers)


def image_bytes(
    fmt: str = "JPEG",
    size: tuple[int, int] = (64, 48),
    *,
    gps: bool = False,
    orientation: int | None = None,
    color: tuple[int, int, int] = (40, 120, 200),
) -> bytes:
    """A real image; a JPEG may carry EXIF with GPS coordinates and an orientation."""
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    kwargs: dict[str, Any] = {}
    if gps or orientation:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "PhoneCo"
        if orientation:
            exif[ExifTags.Base.Orientation] = orientation
        if gps:
            ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
            ifd[ExifTags.GPS.GPSLatitudeRef] = "N"
            ifd[ExifTags.GPS.GPSLatitude] = (40.0, 26.0, 46.0)
            ifd[ExifTags.GPS.GPSLongitudeRef] = "W"
            ifd[ExifTags.GPS.GPSLongitude] = (79.0, 58.0, 56.0)
        kwargs["exif"] = exif
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def stored_files() -> set[str]:
    folder: Path = get_settings().upload_dir
    return {p.name for p in folder.iterdir()} if folder.exists() else set()
