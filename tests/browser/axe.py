"""axe-core on every page the browser tests see; any violation fails the test.

Nothing is added to the pages a test drives: no script and no request interception (which
turns off Chromium's cache: a no-script test once measured a link before the CSS had
arrived). Instead:

1. Every context the test opens (`browser.new_context`, so the `phone` fixture and
   `new_page` too) is watched. Each page is copied, with its URL and window size, as the
   server sent it (what a page is before any script runs; read from the response, so a
   test that moves on at once loses nothing), as its DOM stands after each htmx request
   has been swapped in, and last as its DOM stands when the context closes (or the test
   ends). Reading a page changes nothing on it.
2. After the test, each distinct copy is opened in a checking page that is not the test's
   (in a context of its own, kept for the session): script on, as axe is a script and a
   page of a no-script context cannot run it; the same window size and touch settings; the
   page's own URL, the app's CSS from static/ and its Content-Security-Policy; and no other
   request, so none of the page's scripts runs there: the DOM stays the one the test saw,
   with script or without. axe-core (node_modules, pinned in package.json) runs there with
   its default rules (WCAG 2.x A and AA, and best practices).
3. The violations are listed by page, rule and element, and fail the test.

Only the checking context intercepts requests (to serve the copy); the test's never do.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from playwright.async_api import Error as PlaywrightError

from house.app import STATIC_DIRECTORIES
from house.settings import ROOT
from house.web.security import CSP

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Options of a context that change layout or media queries; the checking context copies them.
LAYOUT_OPTIONS = (
    "is_mobile",
    "has_touch",
    "device_scale_factor",
    "color_scheme",
    "reduced_motion",
    "forced_colors",
    "locale",
)
# Tokens that differ on every copy of the same page (hidden; nothing axe looks at), in the
# served page and in a DOM read (which writes the attribute's quotes as &quot;).
TOKENS = re.compile(
    r'((?:name="(?:_csrf_token|form_token)" value="|x-csrftoken(?:"|&quot;): (?:"|&quot;)))'
    r'[^"&]*'
)
# After htmx's answer arrives, the swap and settle take a few frames more.
AFTER_HTMX = 0.15
# The DOM with its URL and window size, once htmx has finished any swap in progress.
READ_PAGE = """async () => {
  for (let i = 0; i < 100 && document.querySelector(
      '.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added'); i++) {
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  const doctype = document.doctype ? '<!doctype html>' : '';
  return [location.href, doctype + document.documentElement.outerHTML,
          window.innerWidth, window.innerHeight];
}"""
# The copy as its DOM reads (for the DOM reads of the same page still to come), and what axe
# finds on it.
RUN_AXE = """async () => {
  const dom = (document.doctype ? '<!doctype html>' : '') + document.documentElement.outerHTML;
  const result = await axe.run(document, {resultTypes: ['violations']});
  return [dom, result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map(n => ({
      target: n.target.join(' '), html: n.html.slice(0, 200), why: n.failureSummary})),
  }))];
}"""


@dataclass(frozen=True)
class Copy:
    """One page as the test saw it."""

    url: str
    html: str
    width: int
    height: int
    script: bool
    layout: tuple[tuple[str, Any], ...]


class AxeChecker:
    """Checking pages (one per set of layout options, kept for the session) that open copies
    and run axe on them."""

    def __init__(self, new_context: Callable[..., Awaitable[Any]]) -> None:
        self._new_context = new_context
        self._pages: dict[tuple[tuple[str, Any], ...], tuple[Any, list[Copy]]] = {}
        # What axe found on each page already checked this session (the same sign-in page
        # comes back in every test, with only its CSRF token changed).
        self._checked: dict[Copy, list[dict[str, Any]]] = {}

    async def _page(self, layout: tuple[tuple[str, Any], ...]) -> tuple[Any, list[Copy]]:
        if layout not in self._pages:
            context = await self._new_context(**dict(layout), java_script_enabled=True)
            showing: list[Copy] = []
            await context.add_init_script(path=str(AXE_JS))
            await context.route("**/*", lambda route: _serve(route, showing[-1]))
            self._pages[layout] = (await context.new_page(), showing)
        return self._pages[layout]

    async def violations(self, copies: list[Copy]) -> str:
        """The copies checked; their violations as a readable list ("" if none)."""
        found: dict[str, dict[str, Any]] = {}
        for copy in copies:
            for violation in await self._run(copy):
                found.setdefault(_where(copy), {}).setdefault(violation["id"], violation)
        return _report(found, len(copies))

    async def _run(self, copy: Copy) -> list[dict[str, Any]]:
        if _same(copy) not in self._checked:
            page, showing = await self._page(copy.layout)
            showing[:] = [copy]
            await page.set_viewport_size({"width": copy.width, "height": copy.height})
            await page.goto(_without_fragment(copy.url), wait_until="load")
            dom, violations = await page.evaluate(RUN_AXE)
            self._checked[_same(copy)] = violations
            # A page read again unchanged (last of all, say) is that DOM: not checked twice.
            self._checked.setdefault(_same(replace(copy, html=dom)), violations)
        return self._checked[_same(copy)]

    async def close(self) -> None:
        for page, _ in self._pages.values():
            await page.context.close()


class AxeWatch:
    """Copies the pages of the contexts a test opens (`copies`, in the order seen)."""

    def __init__(self, new_context: Callable[..., Awaitable[Any]]) -> None:
        self._new_context = new_context
        self._copies: dict[Copy, None] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._open: list[Any] = []

    @property
    def copies(self) -> list[Copy]:
        return list(self._copies)

    async def new_context(self, **options: Any) -> Any:
        """browser.new_context, watched."""
        context = await self._new_context(**options)
        seen = _Seen(
            self,
            script=options.get("java_script_enabled", True),
            layout=tuple(sorted((k, v) for k, v in options.items() if k in LAYOUT_OPTIONS)),
        )
        context.on("page", seen.watch_page)
        close = context.close

        async def close_after_the_last_copies(**kwargs: Any) -> None:
            await self.copied()
            for page in context.pages:
                await seen.read(page)
            await close(**kwargs)

        context.close = close_after_the_last_copies
        self._open.append(context)
        context.on("close", lambda _: self._open.remove(context))
        return context

    def add(self, copy: Copy) -> None:
        if copy.url.startswith(("http://", "https://")):
            self._copies.setdefault(copy)

    def spawn(self, copying: Awaitable[None]) -> None:
        task = asyncio.ensure_future(copying)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def copied(self) -> None:
        """Wait for the copies under way."""
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def finish(self) -> None:
        """The last copies of the contexts the test left open (closed now)."""
        for context in list(self._open):
            with contextlib.suppress(PlaywrightError):
                await context.close()
        await self.copied()


class _Seen:
    """How the pages of one watched context are copied. (A plain class: Playwright marks
    the handlers it is given, so their owner cannot be frozen.)"""

    def __init__(self, owner: AxeWatch, script: bool, layout: tuple[tuple[str, Any], ...]):
        self.owner, self.script, self.layout = owner, script, layout

    def watch_page(self, page: Any) -> None:
        def served(response: Any) -> None:
            if response.request.is_navigation_request() and response.frame == page.main_frame:
                self.owner.spawn(self.keep_served(page, response))

        def after_htmx(request: Any) -> None:
            if request.resource_type in ("fetch", "xhr"):
                self.owner.spawn(self.read(page, delay=AFTER_HTMX))

        page.on("response", served)
        page.on("requestfinished", after_htmx)

    async def keep_served(self, page: Any, response: Any) -> None:
        """A page as the server sent it: the DOM a page has before any script runs, read from
        the response so that a test that moves on at once cannot lose it."""
        if not response.headers.get("content-type", "").startswith("text/html"):
            return
        if 300 <= response.status < 400:
            return
        with contextlib.suppress(PlaywrightError):  # left before it arrived: never shown
            html = await response.text()
            size = page.viewport_size or {"width": 1280, "height": 720}
            self.owner.add(Copy(response.url, html, size["width"], size["height"], *self.key))

    async def read(self, page: Any, delay: float = 0) -> None:
        """The page's DOM as it stands (after htmx's swaps, and last of all)."""
        if delay:
            await asyncio.sleep(delay)
        with contextlib.suppress(PlaywrightError):  # gone to the next page, or closed
            url, html, width, height = await page.evaluate(READ_PAGE)
            self.owner.add(Copy(url, html, width, height, *self.key))

    @property
    def key(self) -> tuple[bool, tuple[tuple[str, Any], ...]]:
        return self.script, self.layout


async def _serve(route: Any, copy: Copy) -> None:
    """The copy for the page itself, the app's own CSS and icons from disk, nothing else."""
    request = route.request
    if request.is_navigation_request():
        await route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"content-security-policy": CSP},
            body=copy.html,
        )
        return
    file = _static_file(urlsplit(request.url).path)
    if file is None:
        await route.abort()
    else:
        await route.fulfill(path=str(file))


def _static_file(path: str) -> Path | None:
    """The file the app would serve for a /static/ stylesheet or icon (not its scripts)."""
    if not (path.startswith("/static/") and path.endswith((".css", ".svg"))):
        return None
    for directory in map(Path, STATIC_DIRECTORIES):
        file = (directory / path.removeprefix("/static/")).resolve()
        if file.is_relative_to(directory.resolve()) and file.is_file():
            return file
    return None


def _same(copy: Copy) -> Copy:
    """The copy without its tokens: the same for another sight of the same page."""
    return replace(copy, html=TOKENS.sub(r"\1", copy.html))


def _without_fragment(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(fragment=""))


def _where(copy: Copy) -> str:
    parts = urlsplit(copy.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    script = "script on" if copy.script else "script off"
    return f"{path} ({copy.width}x{copy.height}, {script})"


def _report(found: dict[str, dict[str, Any]], pages: int) -> str:
    if not found:
        return ""
    count = sum(len(v) for v in found.values())
    lines = [f"axe-core found {count} violation(s) on {len(found)} of {pages} page copies:"]
    for where, violations in found.items():
        lines.append(f"{where}:")
        for v in violations.values():
            lines.append(f"  {v['id']} ({v['impact']}): {v['help']} <{v['url']}>")
            for node in v["nodes"][:5]:
                why = " ".join(node["why"].split())
                lines.append(f"    {node['target']}  {node['html']}\n      {why}")
            if len(v["nodes"]) > 5:
                lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)
