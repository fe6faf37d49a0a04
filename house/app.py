"""create_app(): the one place that wires routes, templates, middleware and lifespan."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.plugins.htmx import HTMXPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from house import registry
from house.accounts.session_views import SessionController, idle_limits
from house.accounts.views import AuthController, InviteController, UserAdminController
from house.alerts.views import ROUTES as ALERT_ROUTES
from house.beds.views import ROUTES as BED_ROUTES
from house.chores.views import ROUTES as CHORE_ROUTES
from house.cli import HouseCLIPlugin
from house.cm.views import ROUTES as CM_ROUTES
from house.db import close_database, open_database
from house.home.views import HomeController
from house.lib import clock, datewords
from house.meetings.views import ROUTES as MEETING_ROUTES
from house.queue import Queue
from house.reports.views import ROUTES as REPORT_ROUTES
from house.rules.views import HouseRulesController, MyRulesController
from house.screens.views import ROUTES as SCREEN_ROUTES
from house.settings import ROOT, get_settings
from house.system.views import SystemController
from house.violations.views import ROUTES as VIOLATION_ROUTES
from house.web.access import declared_rule_required, public
from house.web.errors import handle_http_error, handle_server_error
from house.web.kept import keep_sent_form
from house.web.render import form_page_field
from house.web.security import MAX_FORM_BODY, AuditedCSRFMiddleware, add_security_headers
from house.web.sessions import NO_SESSION, SessionMiddleware, csrf_cookie_name

STATIC_DIRECTORIES: list[Path | os.PathLike[Any] | str] = [
    ROOT / "static",
    ROOT / "node_modules" / "htmx.org" / "dist",
]


def days_since(value: dt.datetime | None) -> int:
    """Whole days from a stored time to now (for "free for N days")."""
    return max(0, (clock.now() - value).days) if value else 0


def configure_templates(engine: JinjaTemplateEngine) -> None:
    env = engine.engine
    if not env.autoescape:  # Litestar turns it on; refuse to run if that ever changes
        raise RuntimeError("Jinja autoescape must be on")
    env.trim_blocks = True
    env.lstrip_blocks = True
    datewords.install(env)
    env.filters["days_since"] = days_since
    env.globals["form_page"] = form_page_field
    env.globals["idle_limits"] = idle_limits


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    await open_database()
    registry.install()
    app.state.queue = Queue(get_settings())
    try:
        yield
    finally:
        await app.state.queue.close()
        await close_database()


def provide_queue(state: State) -> Queue:
    queue: Queue = state.queue
    return queue


def create_app() -> Litestar:
    settings = get_settings()
    csrf = CSRFConfig(
        secret=settings.secret_key,
        cookie_name=csrf_cookie_name(),
        cookie_secure=settings.secure_cookies,
        cookie_httponly=True,
        cookie_samesite="lax",
        header_name="x-csrftoken",
    )
    static = create_static_files_router(
        path="/static",
        directories=STATIC_DIRECTORIES,
        guards=[public],
        include_in_schema=False,
        name="static",
        opt={NO_SESSION: True},
    )
    exception_handlers: dict[Any, Any] = {
        HTTPException: handle_http_error,
        Exception: handle_server_error,
    }
    return Litestar(
        route_handlers=[
            AuthController,
            SessionController,
            InviteController,
            HomeController,
            UserAdminController,
            SystemController,
            *BED_ROUTES,
            HouseRulesController,
            MyRulesController,
            *VIOLATION_ROUTES,
            *CHORE_ROUTES,
            *MEETING_ROUTES,
            *SCREEN_ROUTES,
            *CM_ROUTES,
            *ALERT_ROUTES,
            *REPORT_ROUTES,
            static,
        ],
        # Then, before the route's own rule: a form sent after sign-out is kept.
        guards=[declared_rule_required, keep_sent_form],
        middleware=[SessionMiddleware(), DefineMiddleware(AuditedCSRFMiddleware, config=csrf)],
        before_send=[add_security_headers],
        exception_handlers=exception_handlers,
        template_config=TemplateConfig(
            directory=ROOT / "templates",
            engine=JinjaTemplateEngine,
            engine_callback=configure_templates,
        ),
        dependencies={"queue": Provide(provide_queue, sync_to_thread=False)},
        lifespan=[lifespan],
        plugins=[HouseCLIPlugin(), HTMXPlugin()],
        request_max_body_size=MAX_FORM_BODY,
        openapi_config=None,
        debug=False,
    )
