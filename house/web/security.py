"""Security headers on every response, CSRF with audited failures, request ids."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import PermissionDeniedException
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import Message, Receive, Scope, Send

from house.audit.services import record_access
from house.lib import clock

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "strict-transport-security": "max-age=63072000; includeSubDomains",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}
MAX_FORM_BODY = 1_000_000


def request_id_of(scope: Scope | dict[str, Any]) -> str:
    rid = scope.get("request_id")
    if not isinstance(rid, str):
        rid = str(uuid.uuid4())
        scope["request_id"] = rid  # type: ignore[typeddict-unknown-key]
    return rid


async def add_security_headers(message: Message, scope: Scope) -> None:
    """A before_send hook: runs for every response, routed or not (404s included)."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in HEADERS.items():
        headers[name] = value
    headers["x-request-id"] = request_id_of(scope)
    # Signed-in pages must not stay in a shared phone's cache; static assets may.
    if not str(scope.get("path", "")).startswith("/static/"):
        headers["cache-control"] = "no-store"


class AuditedCSRFMiddleware(CSRFMiddleware):
    """Litestar's double-submit CSRF check, with each failure written to the audit log."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except PermissionDeniedException as exc:
            if "CSRF" in str(exc.detail):
                user = scope.get("user")
                await record_access(
                    actor_id=getattr(user, "id", None),
                    action="csrf_failed",
                    at=clock.now(),
                    record=f"path:{str(scope.get('path', ''))[:110]}",
                    request_id=request_id_of(scope),
                )
            raise
