"""A form sent after its person's session ended: kept for them alone, for a short time.

A session that reaches its limit ends, but the tab may still show a form with minutes of
typing in it. What happens when that form is sent:

1. Who it was. The request that finds the session past its limit knows (the row names the
   user) and leaves a signed cookie for KEEP_FOR, so any later request from that browser
   knows too, whichever came first (the idle warning's question, another tab).
2. Keeping (`keep_sent_form`, an app-level guard that runs before the route's own): a
   POST, PUT, PATCH or DELETE from a signed-out browser to a route that needs sign-in keeps
   the form's text fields, never files, passwords, the CSRF or one-time tokens, at most
   MAX_FIELDS fields and MAX_BYTES in all (a larger form is not kept at all). They are
   sealed with AES-GCM under a key made from SECRET_KEY and a random token that only the
   browser's cookie carries (a copy of the database cannot read them, nor can anyone
   without that browser), bound to the user id, the form's page and its address. Then the
   usual refusal: sign in, and afterwards the form's page (never the POST-only address).
3. Signing in on that browser (`claim`): as the same person, they are taken to the form's
   page; as anyone else, the kept form is deleted and nothing is shown.
4. The page, once (`take`), has the form filled in under "You were signed out; check and
   send again". Nothing is ever sent for the person.

A form is kept for KEEP_FOR; older ones are never given back and are deleted at the next
keep and by the worker (every five minutes).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler

from house.db import write_transaction
from house.lib import clock
from house.lib.text import local_path
from house.settings import get_settings
from house.web.access import current_user, handler_rules
from house.web.once import FIELD as ONCE_FIELD
from house.web.pages import is_page, nearest_page
from house.web.render import address_in_bar, is_htmx
from house.web.tables import KeptForm

KEEP_FOR = dt.timedelta(minutes=30)
MAX_FIELDS = 200
MAX_BYTES = 64 * 1024  # of the fields as JSON: a long statement fits many times over
PAGE_FIELD = "_page"  # every form names the page it is on (templates/_macros/forms.html)
NOT_KEPT = "not_kept"  # route opt: posts to it are never kept (the idle warning's own)
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The page's own tokens, never kept; nor is any field whose name says password.
NEVER_KEPT = frozenset({"_csrf_token", ONCE_FIELD, PAGE_FIELD})
SIGNED_OUT_VERSION = "v1"
_SIGNED_OUT = re.compile(r"^v1\.(\d{1,18})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass(frozen=True)
class Kept:
    page: str
    action: str
    fields: list[tuple[str, str]]


def signed_out_cookie_name() -> str:
    return "__Host-signed-out" if get_settings().secure_cookies else "signed-out"


def kept_cookie_name() -> str:
    return "__Host-kept" if get_settings().secure_cookies else "kept"


def _mac(purpose: str, message: str) -> bytes:
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"{purpose}|{message}".encode(), hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def signed_out_value(user_id: int, now: dt.datetime) -> str:
    """The cookie naming whose session ended on this browser, and when (signed)."""
    body = f"{SIGNED_OUT_VERSION}.{user_id}.{int(now.timestamp())}"
    return f"{body}.{_b64(_mac('signed-out', body))}"


def read_signed_out(raw: str | None, now: dt.datetime) -> int | None:
    """The user a signed-out cookie names, if this app signed it less than KEEP_FOR ago."""
    match = _SIGNED_OUT.match(raw or "")
    if match is None:
        return None
    user_id, at, signature = match.groups()
    body = f"{SIGNED_OUT_VERSION}.{user_id}.{at}"
    if not hmac.compare_digest(signature, _b64(_mac("signed-out", body))):
        return None
    age = now.timestamp() - int(at)
    return int(user_id) if 0 <= age <= KEEP_FOR.total_seconds() else None


def is_token(raw: str | None) -> bool:
    """Whether a kept-form cookie has the shape of one (the sign-in page's note)."""
    return bool(raw and _TOKEN.match(raw))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _sealer(token: str) -> AESGCM:
    return AESGCM(_mac("kept-form", token))


def _bound(user_id: int, page: str, action: str) -> bytes:
    return json.dumps([user_id, page, action]).encode()


def kept_fields(form: Any) -> list[tuple[str, str]] | None:
    """The fields of a form worth keeping (each name's values in the order sent); None
    when there are too many or too much (the caller keeps nothing rather than a part)."""
    fields = [
        (str(name), value)
        for name, value in form.multi_items()
        if isinstance(value, str)  # files are UploadFile: never kept
        and name not in NEVER_KEPT
        and "password" not in str(name).lower()
    ]
    if len(fields) > MAX_FIELDS or len(json.dumps(fields).encode()) > MAX_BYTES:
        return None
    return fields


async def keep(
    user_id: int,
    page: str,
    action: str,
    fields: list[tuple[str, str]],
    now: dt.datetime,
    *,
    replaces: str | None = None,
) -> str:
    """Keep a form for `user_id`; returns the browser's token (its cookie). A form this
    browser kept before (`replaces`, its old token) and every expired one are deleted."""
    token = secrets.token_urlsafe(32)
    nonce = secrets.token_bytes(12)
    sealed = nonce + _sealer(token).encrypt(
        nonce, json.dumps(fields).encode(), _bound(user_id, page, action)
    )
    async with write_transaction():
        gone = KeptForm.created_at < now - KEEP_FOR
        await KeptForm.delete().where(
            gone | (KeptForm.token_hash == _hash(replaces)) if replaces else gone
        )
        await KeptForm.insert(
            KeptForm(
                token_hash=_hash(token),
                user=user_id,
                page=page,
                action=action,
                sealed=_b64(sealed),
                created_at=now,
            )
        )
    return token


async def _row(token: str | None, now: dt.datetime) -> dict[str, Any] | None:
    if token is None or not is_token(token):
        return None
    row: dict[str, Any] | None = (
        await KeptForm.select()
        .where(KeptForm.token_hash == _hash(token), KeptForm.created_at >= now - KEEP_FOR)
        .first()
    )
    return row


async def _forget(token: str) -> None:
    async with write_transaction():
        await KeptForm.delete().where(KeptForm.token_hash == _hash(token))


async def claim(token: str | None, user_id: int, now: dt.datetime) -> str | None:
    """At sign-in: the kept form's page when this browser kept one for `user_id`. Kept for
    anyone else, it is deleted (another person signing in here never gets it)."""
    row = await _row(token, now)
    if row is None or token is None:
        return None
    if row["user"] != user_id:
        await _forget(token)
        return None
    return str(row["page"])


async def take(token: str | None, user_id: int, now: dt.datetime) -> Kept | None:
    """The kept form of `user_id` on this browser, unsealed and deleted (shown once)."""
    row = await _row(token, now)
    if row is None or token is None:
        return None
    await _forget(token)
    if row["user"] != user_id:
        return None
    raw = base64.urlsafe_b64decode(row["sealed"] + "=" * (-len(row["sealed"]) % 4))
    try:
        plain = _sealer(token).decrypt(
            raw[:12], raw[12:], _bound(user_id, row["page"], row["action"])
        )
    except InvalidTag:  # another SECRET_KEY since: it cannot be read, so it is gone
        return None
    fields = [(str(n), str(v)) for n, v in json.loads(plain)]
    return Kept(page=row["page"], action=row["action"], fields=fields)


async def delete_expired(now: dt.datetime) -> None:
    async with write_transaction():
        await KeptForm.delete().where(KeptForm.created_at < now - KEEP_FOR)


def form_page(request: Request[Any, Any, Any], sent: str | None) -> str:
    """The page a form was on: htmx names it (HX-Current-URL), a plain form says it in
    PAGE_FIELD; failing a page of this site there, the address the form was sent to if it
    is a page too, else the nearest page above it."""
    page = local_path(address_in_bar(request) if is_htmx(request) else sent)
    for candidate in (page, request.url.path):
        if candidate and is_page(request.app, urlsplit(candidate).path):
            return candidate
    return nearest_page(request.app, request.url.path)


async def keep_sent_form(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """App-level guard: a form sent to a sign-in route by a signed-out browser is kept (for
    the person whose session ended there, if any) and answered with the sign-in refusal."""
    if current_user(connection) is not None or connection.scope.get("method") not in UNSAFE:
        return
    if "public" in handler_rules(handler) or handler.opt.get(NOT_KEPT):
        return
    if not isinstance(connection, Request):
        return
    try:
        form = await connection.form()
    except HTTPException:  # too large or malformed: nothing to keep
        form = None
    sent = form.get(PAGE_FIELD) if form is not None else None
    page = form_page(connection, sent if isinstance(sent, str) else None)
    connection.scope["house_form_page"] = page  # type: ignore[typeddict-unknown-key]
    now = clock.now()
    session = connection.scope.get("house_session")
    who = getattr(session, "timed_out_user", None) or read_signed_out(
        connection.cookies.get(signed_out_cookie_name()), now
    )
    fields = kept_fields(form) if form is not None and who else None
    if who and fields is not None:
        token = await keep(
            who,
            page,
            connection.url.path,
            fields,
            now,
            replaces=connection.cookies.get(kept_cookie_name()),
        )
        connection.scope["house_kept_token"] = token  # type: ignore[typeddict-unknown-key]
    raise NotAuthorizedException("Sign in to continue.")
