"""The admin's System page and the /health endpoint for monitoring."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, head
from litestar.di import NamedDependency
from litestar.response import Template

from house.lib import clock
from house.outbox import services as outbox
from house.queue import Queue
from house.settings import get_settings
from house.system.services import SystemStatus, database_status
from house.web.access import admin_only, public
from house.web.render import page


async def current_status(queue: NamedDependency[Queue]) -> SystemStatus:
    database_ok, last_seen = await database_status()
    redis_ok, queued = await queue.status()
    return SystemStatus(
        database_engine=get_settings().database_engine,
        database_ok=database_ok,
        redis_ok=redis_ok,
        jobs_queued=queued,
        worker_last_seen=last_seen,
        now=clock.now(),
    )


class SystemController(Controller):
    @get("/admin/system", guards=[admin_only], name="system:status")
    async def status(
        self, request: Request[Any, Any, Any], queue: NamedDependency[Queue]
    ) -> Template:
        return page(
            request,
            "system/status.html",
            partial="system/partials/status.html",
            status=await current_status(queue),
            failed_emails=await outbox.failed_count(),
            unconfirmed_emails=await outbox.unconfirmed_count(clock.now()),
        )

    @get("/health", guards=[public], name="system:health")
    async def health(self, queue: NamedDependency[Queue]) -> Response[dict[str, object]]:
        status = await current_status(queue)
        return Response(content=status.as_json(), status_code=status.http_status)

    # Monitors that ask with HEAD get GET's status without the body (Litestar answers a
    # GET-only route's HEAD with 405, which reads as "down").
    @head("/health", guards=[public], name="system:health_head", media_type="application/json")
    async def health_head(self, queue: NamedDependency[Queue]) -> Response[None]:
        status = await current_status(queue)
        return Response(content=None, status_code=status.http_status)
