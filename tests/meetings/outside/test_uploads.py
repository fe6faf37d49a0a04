"""Slip photos: only real JPEG/PNG/HEIC, at most 8 MB, no markup, no metadata, random names."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pillow_heif
import pytest
from PIL import Image

from house.db import write_transaction
from house.lib import clock
from house.meetings.outside import services as outside_services
from house.meetings.outside import uploads
from house.meetings.tables import OutsideMeeting
from house.settings import ROOT, SettingsError, get_settings, load_settings
from tests.cast import Cast
from tests.client import Client
from tests.meetings.outside.kit import (
    image_bytes,
    meeting_form,
    post_meeting,
    resident_in_house,
    stored_files,
)


async def _stored_row(resident: int) -> dict[str, Any]:
    row = await OutsideMeeting.select().where(OutsideMeeting.resident == resident).first()
    assert row is not None
    return row


async def test_it_stores_a_jpeg_without_its_exif_and_gps(client: Client, cast: Cast) -> None:
    person, ids, _, _ = await resident_in_house()
    await client.force_login(person)
    sent = image_bytes(gps=True)
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(0x8825)  # the GPS block is there
    response = await post_meeting(client, meeting_form(), ("IMG_0042.JPG", sent, "image/jpeg"))
    assert response.status_code == 303
    row = await _stored_row(ids["resident"])
    path = get_settings().upload_dir / row["photo"]
    stored = path.read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert b"Exif" not in stored
    assert b"PhoneCo" not in stored
    assert path.stat().st_mode & 0o077 == 0  # readable by the app alone
    assert row["photo"] != "IMG_0042.JPG"


async def test_it_turns_a_photo_upright_and_caps_its_long_side() -> None:
    sideways = image_bytes(size=(3000, 1000), orientation=6)
    clean = uploads.clean_photo(sideways)
    image = Image.open(io.BytesIO(clean.data))
    assert image.size == (round(uploads.MAX_SIDE / 3), uploads.MAX_SIDE)  # now upright
    assert clean.extension == "jpg"


async def test_it_keeps_a_png_as_png_without_its_text_chunks() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at 40.4461N 79.9822W")
    out = io.BytesIO()
    Image.new("RGBA", (30, 20), (1, 2, 3, 128)).save(out, format="PNG", pnginfo=info)
    clean = uploads.clean_photo(out.getvalue())
    assert clean.extension == "png"
    assert clean.content_type == "image/png"
    image = Image.open(io.BytesIO(clean.data))
    assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (30, 20))
    assert b"40.4461N" not in clean.data
    assert "Comment" not in image.info


async def test_it_accepts_a_heic_photo_and_stores_a_jpeg(client: Client, cast: Cast) -> None:
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="HEIF")
    heic = out.getvalue()
    assert heic[4:12] == b"ftypheic"  # this machine's pillow_heif can write HEIC
    person, ids, _, _ = await resident_in_house()
    await client.force_login(person)
    response = await post_meeting(client, meeting_form(), ("IMG_1.HEIC", heic, "image/heic"))
    assert response.status_code == 303
    row = await _stored_row(ids["resident"])
    assert row["photo"].endswith(".jpg")
    assert row["photo_type"] == "image/jpeg"
    stored = Image.open(get_settings().upload_dir / row["photo"])
    assert (stored.format, stored.size) == ("JPEG", (64, 48))


REFUSED: list[tuple[str, bytes, str, str]] = [
    (
        "notes.png",
        b"hello, this is a text file and not a picture",
        "image/png",
        "JPEG, PNG or HEIC",
    ),
    (
        "slip.gif",
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00;",
        "image/gif",
        "JPEG, PNG or HEIC",
    ),
    (
        "slip.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"></svg>',
        "image/svg+xml",
        "JPEG, PNG or HEIC",
    ),
    (
        "slip.png",
        image_bytes("PNG") + b"<script>alert(document.cookie)</script>",
        "image/png",
        "web page code",
    ),
    ("slip.jpg", image_bytes() + b"<?php system($_GET['c']); ?>", "image/jpeg", "web page code"),
    ("slip.png", image_bytes("PNG").replace(b"IEND", b"<HTML>", 1), "image/png", "web page code"),
    ("slip.jpg", image_bytes(size=(400, 300))[:600], "image/jpeg", "could not be read"),
    ("slip.png", image_bytes("PNG")[:40], "image/png", "could not be read"),
    (
        "slip.jpg",
        b"\xff\xd8\xff" + b"\x00" * 9 * uploads.MB,
        "image/jpeg",
        "The photo is 9.0 MB; the limit is 8 MB.",
    ),
    ("empty.jpg", b"", "image/jpeg", "The photo is empty"),
]


@pytest.mark.parametrize(
    ("name", "data", "content_type", "message"), REFUSED, ids=lambda v: str(v)[:20]
)
async def test_it_refuses_a_bad_photo_by_the_field_and_keeps_the_form(
    client: Client, cast: Cast, name: str, data: bytes, content_type: str, message: str
) -> None:
    person, ids, _, _ = await resident_in_house()
    await client.force_login(person)
    before = stored_files()
    response = await post_meeting(client, meeting_form(), (name, data, content_type))
    assert response.status_code == 422
    assert 'id="f-photo-error"' in response.text
    assert message in response.text
    assert 'value="Tuesday Night Big Book"' in response.text
    assert 'value="555-201-3344"' in response.text
    assert await OutsideMeeting.count().where(OutsideMeeting.resident == ids["resident"]) == 0
    assert stored_files() == before


async def test_it_answers_a_body_far_over_the_limit_with_a_friendly_413(
    client: Client, cast: Cast
) -> None:
    person, ids, _, _ = await resident_in_house()
    await client.force_login(person)
    huge = b"\xff\xd8\xff" + b"\x00" * (uploads.MAX_BODY + 1)
    response = await post_meeting(client, meeting_form(), ("big.jpg", huge, "image/jpeg"))
    assert response.status_code == 413
    assert "That photo is too large" in response.text
    assert "at most 8 MB" in response.text
    assert await OutsideMeeting.count().where(OutsideMeeting.resident == ids["resident"]) == 0


async def test_it_never_uses_the_sent_file_name(client: Client, cast: Cast) -> None:
    person, ids, _, _ = await resident_in_house()
    await client.force_login(person)
    folder = get_settings().upload_dir
    target = (folder / ".." / ".." / "etc" / "x.png").resolve()
    before = stored_files()
    response = await post_meeting(
        client, meeting_form(), ("../../etc/x.png", image_bytes("PNG"), "image/png")
    )
    assert response.status_code == 303
    row = await _stored_row(ids["resident"])
    assert stored_files() - before == {row["photo"]}
    assert "/" not in row["photo"]
    assert ".." not in row["photo"]
    assert row["photo"].endswith(".png")
    assert not target.exists()
    assert not (folder / "x.png").exists()


async def test_it_reads_only_names_it_made() -> None:
    for name in ("../secret_key", "/etc/passwd", "..\\x.png", "a" * 32 + ".svg", ""):
        with pytest.raises(FileNotFoundError):
            uploads.read(name)


async def test_it_removes_the_photo_when_the_row_is_not_written(cast: Cast) -> None:
    person, ids, house, _ = await resident_in_house()
    stay = await outside_services.my_stay(person.id)
    assert stay is not None
    form = meeting_form()
    values = {
        "held_at": clock.now(),
        "name": form["name"],
        "fellowship": "aa",
        "format": "online",
        "location": "",
        "chair_name": "",
        "chair_phone": "",
    }
    before = stored_files()
    slip = await outside_services.keep_photo(uploads.clean_photo(image_bytes()))
    assert stored_files() - before == {slip[0]}

    async def fails_after_writing() -> None:
        async with write_transaction():
            await outside_services.log_meeting(
                user_id=person.id, stay=stay, values=values, photo=slip, now=clock.now()
            )
            raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        await fails_after_writing()
    await outside_services.drop_unlogged_photo(slip[0])
    assert stored_files() == before
    assert await OutsideMeeting.count().where(OutsideMeeting.resident == ids["resident"]) == 0
    assert house == stay["house"]


def test_it_keeps_uploads_outside_the_web_root(tmp_path: Path) -> None:
    settings = load_settings({"HOUSE_VAR_DIR": str(tmp_path)})
    assert settings.upload_dir == tmp_path.resolve() / "uploads"
    assert get_settings().upload_dir.is_relative_to(Path(get_settings().var_dir))
    chosen = load_settings(
        {"HOUSE_VAR_DIR": str(tmp_path), "HOUSE_UPLOAD_DIR": str(tmp_path / "s")}
    )
    assert chosen.upload_dir == tmp_path.resolve() / "s"
    for public in (ROOT / "static", ROOT / "static" / "uploads"):
        with pytest.raises(SettingsError, match="HOUSE_UPLOAD_DIR"):
            load_settings({"HOUSE_VAR_DIR": str(tmp_path), "HOUSE_UPLOAD_DIR": str(public)})
