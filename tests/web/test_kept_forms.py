"""A form sent after the session ended is kept for its person, and only for them.

The scene: a manager opens "Record a violation", types, is away past the idle limit, and
sends. The form must come back filled in after they sign in again on that browser, with
"You were signed out; check and send again", never saved for them, never to anyone else.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any
from urllib.parse import quote

import pytest

from house.lib import clock
from house.system import jobs as system_jobs
from house.violations.tables import Violation
from house.web import kept
from house.web.tables import KeptForm
from tests.client import Client
from tests.violations.scene import Scene, make_scene, violation_form

NOTE = "You were signed out; check and send again."
TYPED = 'Guest stayed until 23:10 <script>alert("x")</script> & said "{{7*7}}" — ok 🙂'


@pytest.fixture
async def scene() -> Scene:
    return await make_scene()


def _page(scene: Scene) -> str:
    return f"/houses/{scene.house}/violations/new"


def _sent(scene: Scene, **changes: str) -> dict[str, str]:
    fields = {"description": TYPED, "severity": "major", "_page": _page(scene), **changes}
    return violation_form(scene, **fields)


async def _signed_out_with_form(client: Client, scene: Scene, **changes: str) -> Any:
    """Sign in, open the form, stay away past the idle limit, send it."""
    await client.login(scene.manager)
    assert (await client.get(_page(scene))).status_code == 200
    clock.advance(dt.timedelta(minutes=31))
    return await client.post(f"/houses/{scene.house}/violations", _sent(scene, **changes))


async def _violations(scene: Scene) -> int:
    return await Violation.count().where(Violation.stay == scene.stay)


async def test_it_keeps_the_form_and_brings_it_back_filled_in_after_sign_in(
    client: Client, scene: Scene, frozen_clock: object
) -> None:
    sent = await _signed_out_with_form(client, scene)
    assert sent.status_code == 303
    # Sign-in leads back to the form's page, not to the address that only saves.
    assert sent.headers["location"] == "/login?next=" + quote(_page(scene), safe="/")
    assert client.http.cookies.get(kept.kept_cookie_name())
    assert await _violations(scene) == 0

    row = await KeptForm.select().where(KeptForm.user == scene.manager.id).first()
    assert row is not None
    sealed = base64.urlsafe_b64decode(row["sealed"] + "==")
    assert b"Guest stayed" not in sealed
    assert "Guest" not in row["sealed"]
    assert (row["page"], row["action"]) == (_page(scene), f"/houses/{scene.house}/violations")

    login = await client.get(sent.headers["location"])
    assert "You were signed out after 30 minutes without activity." in login.text
    assert "What you sent is kept for 30 minutes" in login.text

    signed_in = await client.login(scene.manager)
    assert signed_in.headers["location"] == _page(scene) + "#kept"
    page = await client.get(_page(scene))
    assert page.status_code == 200
    assert NOTE in page.text
    assert page.text.index(NOTE) < page.text.index(f'action="/houses/{scene.house}/violations"')
    # What was typed, escaped, in its fields; nothing was saved for them.
    assert '23:10 &lt;script&gt;alert("x")&lt;/script&gt; &amp; said' in page.text
    assert "<script>alert" not in page.text
    assert f'<option value="{scene.stay}" selected>' in page.text
    assert 'value="major" checked' in page.text
    assert 'value="Living room"' in page.text
    assert await _violations(scene) == 0
    # Shown once: the kept form is gone, and so is its cookie.
    assert await KeptForm.count().where(KeptForm.user == scene.manager.id) == 0
    assert not client.http.cookies.get(kept.kept_cookie_name())
    again = await client.get(_page(scene))
    assert NOTE not in again.text
    assert "Guest stayed" not in again.text

    # Checked and sent again (with the page's fresh one-time token): recorded once.
    token = again.text.split('name="form_token" value="')[1].split('"')[0]
    send = await client.post(f"/houses/{scene.house}/violations", _sent(scene, form_token=token))
    assert send.status_code == 303
    assert await _violations(scene) == 1


async def test_it_gives_nothing_to_another_person_signing_in_on_that_browser(
    client: Client, scene: Scene, frozen_clock: object
) -> None:
    await _signed_out_with_form(client, scene)
    assert await KeptForm.count().where(KeptForm.user == scene.manager.id) == 1

    other = await client.login(scene.other_manager)  # works in the same house
    assert other.headers["location"] == "/"
    page = await client.get(_page(scene))
    assert NOTE not in page.text
    assert "Guest stayed" not in page.text
    # Discarded, not waiting: the manager signing in afterwards gets nothing either.
    assert await KeptForm.count().where(KeptForm.user == scene.manager.id) == 0
    await client.post("/logout", {})
    back = await client.login(scene.manager)
    assert back.headers["location"] == "/"
    assert "Guest stayed" not in (await client.get(_page(scene))).text


async def test_it_gives_nothing_to_the_same_person_on_another_browser(
    app: object, client: Client, scene: Scene, frozen_clock: object
) -> None:
    await _signed_out_with_form(client, scene)
    async with Client(app) as laptop:
        signed_in = await laptop.login(scene.manager)
        assert signed_in.headers["location"] == "/"
        assert "Guest stayed" not in (await laptop.get(_page(scene))).text
    # Still waiting for the browser it was sent from.
    assert (await client.login(scene.manager)).headers["location"] == _page(scene) + "#kept"
    assert "Guest stayed" in (await client.get(_page(scene))).text


async def test_it_forgets_a_kept_form_after_30_minutes(
    client: Client, scene: Scene, frozen_clock: object
) -> None:
    await _signed_out_with_form(client, scene)
    clock.advance(dt.timedelta(minutes=31))
    signed_in = await client.login(scene.manager)
    assert signed_in.headers["location"] == "/"
    assert "Guest stayed" not in (await client.get(_page(scene))).text
    # The worker's sweep deletes forms past their time, and only those.
    await _signed_out_with_form(client, scene)
    await system_jobs.forget_kept_forms({})
    assert await KeptForm.count().where(KeptForm.user == scene.manager.id) == 1
    clock.advance(dt.timedelta(minutes=30, seconds=1))
    await system_jobs.forget_kept_forms({})
    assert await KeptForm.count().where(KeptForm.user == scene.manager.id) == 0


async def test_it_knows_who_it_was_when_another_request_ended_the_session_first(
    client: Client, scene: Scene, frozen_clock: object
) -> None:
    await client.login(scene.manager)
    clock.advance(dt.timedelta(minutes=31))
    # Another tab (or the idle warning's question) found the session ended first.
    assert (await client.get("/session")).status_code == 303
    assert client.http.cookies.get(kept.signed_out_cookie_name())
    clock.advance(dt.timedelta(minutes=5))
    sent = await client.post(f"/houses/{scene.house}/violations", _sent(scene))
    assert sent.status_code == 303
    assert await KeptForm.count().where(KeptForm.user == scene.manager.id) == 1
    assert (await client.login(scene.manager)).headers["location"] == _page(scene) + "#kept"


async def test_it_keeps_nothing_for_a_browser_nobody_timed_out_on(
    client: Client, scene: Scene, frozen_clock: object
) -> None:
    before = await KeptForm.count()
    never = await client.post(f"/houses/{scene.house}/violations", _sent(scene))
    assert never.status_code == 303
    assert never.headers["location"] == "/login?next=" + quote(_page(scene), safe="/")
    # Signed out by hand: nothing is kept either.
    await client.login(scene.manager)
    await client.post("/logout", {})
    by_hand = await client.post(f"/houses/{scene.house}/violations", _sent(scene))
    assert by_hand.status_code == 303
    # A forged or stale signed-out cookie names nobody.
    name = kept.signed_out_cookie_name()
    forged = kept.signed_out_value(scene.manager.id, clock.now())[:-4] + "AAAA"
    client.http.cookies.set(name, forged, domain="house.test")
    assert (await client.post(f"/houses/{scene.house}/violations", _sent(scene))).status_code == 303
    stale = kept.signed_out_value(scene.manager.id, clock.now() - dt.timedelta(minutes=31))
    client.http.cookies.set(name, stale, domain="house.test")
    assert (await client.post(f"/houses/{scene.house}/violations", _sent(scene))).status_code == 303
    assert await KeptForm.count() == before
    assert kept.read_signed_out(forged, clock.now()) is None
    assert kept.read_signed_out(stale, clock.now()) is None
    fresh = kept.signed_out_value(scene.manager.id, clock.now())
    assert kept.read_signed_out(fresh, clock.now()) == scene.manager.id


async def test_it_keeps_nothing_of_a_sign_out_after_the_session_ended(
    client: Client, scene: Scene, frozen_clock: object
) -> None:
    await client.login(scene.manager)
    clock.advance(dt.timedelta(minutes=31))
    out = await client.post("/logout", {"_page": _page(scene)})
    assert out.status_code == 303
    assert await KeptForm.count().where(KeptForm.user == scene.manager.id) == 0
    assert not client.http.cookies.get(kept.kept_cookie_name())


async def test_it_never_keeps_passwords_tokens_or_files(
    client: Client, scene: Scene, frozen_clock: object
) -> None:
    await client.login(scene.manager)
    clock.advance(dt.timedelta(minutes=31))
    fields = {**_sent(scene), "new_password": "hunter2-hunter2", "Password": "x"}
    files = {"photo": ("slip.jpg", b"\xff\xd8\xff" + b"0" * 100, "image/jpeg")}
    csrf = await client.csrf_token()
    sent = await client.http.post(
        f"/houses/{scene.house}/violations",
        data={**fields, "_csrf_token": csrf},
        files=files,
    )
    assert sent.status_code == 303
    token = client.http.cookies.get(kept.kept_cookie_name())
    await client.login(scene.manager)
    restored = await kept.take(token, scene.manager.id, clock.now())
    assert restored is not None
    names = {name for name, _ in restored.fields}
    assert "description" in names
    assert "stay" in names
    assert not names & {"new_password", "Password", "_csrf_token", "form_token", "_page", "photo"}
    assert dict(restored.fields)["description"] == TYPED


async def test_it_keeps_nothing_of_a_form_too_large_and_still_sends_to_sign_in(
    client: Client, scene: Scene, frozen_clock: object
) -> None:
    before = await KeptForm.count()
    huge = await _signed_out_with_form(client, scene, description="x" * (kept.MAX_BYTES + 1))
    assert huge.status_code == 303
    assert huge.headers["location"] == "/login?next=" + quote(_page(scene), safe="/")
    many = [(f"f{i}", "1") for i in range(kept.MAX_FIELDS + 1)]
    await client.login(scene.manager)
    clock.advance(dt.timedelta(minutes=31))
    assert (await client.post(f"/houses/{scene.house}/violations", many)).status_code == 303
    await client.login(scene.manager)
    clock.advance(dt.timedelta(minutes=31))
    body = await client.post(
        f"/houses/{scene.house}/violations", {**_sent(scene), "description": "y" * 2_000_000}
    )
    assert body.status_code in (303, 413)  # the body cap answers first, or sign-in
    assert await KeptForm.count() == before
    assert not client.http.cookies.get(kept.kept_cookie_name())
    # Up to the cap, a long statement is kept whole.
    long = "z" * 10_001
    assert (await _signed_out_with_form(client, scene, description=long)).status_code == 303
    token = client.http.cookies.get(kept.kept_cookie_name())
    await client.login(scene.manager)
    restored = await kept.take(token, scene.manager.id, clock.now())
    assert restored is not None
    assert dict(restored.fields)["description"] == long


@pytest.mark.parametrize(
    "page",
    ["//evil.example/x", "https://evil.example/", "javascript:alert(1)", "/no/such/page", ""],
)
async def test_it_sends_a_form_naming_a_foreign_or_unknown_page_to_its_own_address_page(
    client: Client, scene: Scene, page: str
) -> None:
    sent = await client.post(f"/houses/{scene.house}/violations", _sent(scene, _page=page))
    assert sent.status_code == 303
    # POST /houses/<id>/violations saves; GET there is the house's list of violations.
    assert sent.headers["location"] == "/login?next=" + quote(
        f"/houses/{scene.house}/violations", safe="/"
    )


async def test_it_answers_htmx_after_sign_out_with_a_redirect_to_sign_in(
    client: Client, scene: Scene, frozen_clock: object
) -> None:
    await client.login(scene.manager)
    clock.advance(dt.timedelta(minutes=31))
    htmx = {
        "HX-Request": "true",
        "HX-Current-URL": f"https://house.test{_page(scene)}",
        "x-csrftoken": await client.csrf_token(),
    }
    fields = {k: v for k, v in _sent(scene).items() if k != "_page"}
    sent = await client.post(f"/houses/{scene.house}/violations", fields, headers=htmx)
    assert sent.status_code == 401
    assert sent.headers["hx-redirect"] == "/login?next=" + quote(_page(scene), safe="/")
    assert "Nothing to show here" not in sent.text
    assert (await client.login(scene.manager)).headers["location"] == _page(scene) + "#kept"
    assert "Guest stayed until 23:10" in (await client.get(_page(scene))).text


async def test_it_does_not_send_the_bells_poll_to_sign_in(client: Client, scene: Scene) -> None:
    poll = await client.get("/inbox/count", headers={"HX-Request": "true"})
    assert poll.status_code == 204
    assert "hx-redirect" not in poll.headers
    # Opened as a page, it is a sign-in route like any other.
    assert (await client.get("/inbox/count")).status_code == 303


def test_it_keeps_each_fields_values_in_order_and_refuses_too_much() -> None:
    from litestar.datastructures import FormMultiDict, UploadFile

    form = FormMultiDict(
        [
            ("a", "1"),
            ("a", "2"),
            ("_csrf_token", "t"),
            ("form_token", "o"),
            ("file", UploadFile(content_type="image/png", filename="x.png")),
            ("b", "3"),
        ]
    )
    fields = kept.kept_fields(form)
    assert fields is not None  # each name's values in the order sent (the fill needs no more)
    assert sorted(fields, key=lambda f: f[0]) == [("a", "1"), ("a", "2"), ("b", "3")]
    assert kept.kept_fields(FormMultiDict([("t", "x" * kept.MAX_BYTES)])) is None
    assert json.dumps(kept.kept_fields(FormMultiDict([("t", "x" * 1000)])))
