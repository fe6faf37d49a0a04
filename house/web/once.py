"""One-time form tokens: a form posted twice (a double tap, a flaky network) acts once.

The form carries a random `form_token`. The first successful submission stores the token's
hash with the page it led to, in the same transaction as the change; a repeat finds it and
is sent to that page instead of doing the change again. Two posts at the same moment: the
database's unique index lets one commit, and the other's whole transaction rolls back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from house.db import is_unique_violation, write_transaction
from house.web.tables import FormSubmission

FIELD = "form_token"


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_from(data: Any) -> str | None:
    token = data.get(FIELD)
    if isinstance(token, str) and 16 <= len(token) <= 64:
        return token
    return None


async def earlier_result(token: str) -> str | None:
    row = (
        await FormSubmission.select(FormSubmission.result_url)
        .where(FormSubmission.token_hash == _hash(token))
        .first()
    )
    return str(row["result_url"]) if row else None


async def once(
    token: str, change: Callable[[], Awaitable[str]], now: dt.datetime
) -> tuple[str, bool]:
    """Run `change` (which returns the URL to show next) unless this token already ran.

    Returns (url, True) for a change made now, (url, False) for a repeat.
    """
    if (url := await earlier_result(token)) is not None:
        return url, False
    try:
        async with write_transaction():
            url = await change()
            await FormSubmission.insert(
                FormSubmission(token_hash=_hash(token), result_url=url[:300], created_at=now)
            )
    except Exception as exc:
        if is_unique_violation(exc) and (earlier := await earlier_result(token)) is not None:
            return earlier, False
        raise
    return url, True
