"""A real browser: Playwright driving Debian's Chromium against the app on a loopback port.

The app runs as its own uvicorn process on the test database (plain http on 127.0.0.1, so
cookies are not Secure there, as on a laptop). Screenshots of failures go to
test-artifacts/failures/; the screenshot tests write test-artifacts/screens/. Every page a
test sees is checked with axe-core afterwards (the `axe` fixture, axe.py).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.axe import AxeChecker, AxeWatch
from tests.conftest import _missing, free_port

CHROMIUM = os.environ.get("HOUSE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextlib.contextmanager
def serve(name: str, **env: str) -> Iterator[str]:
    """The app in its own uvicorn process on a free port (its log in test-artifacts/)."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = ARTIFACTS / f"{name}.log"
    ARTIFACTS.mkdir(exist_ok=True)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "house.app:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
            ],
            env={**os.environ, "BASE_URL": base_url, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/health", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"the app did not start; see {log}")
        time.sleep(0.1)
    try:
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def live_server(database: None) -> Iterator[str]:
    with serve("live-server") as base_url:
        yield base_url


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    if not os.path.exists(CHROMIUM):  # noqa: ASYNC240 - once per session
        _missing("Chromium", f"{CHROMIUM} not found; apt-get install chromium, or `make setup`")
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture(scope="session")
async def axe_checker(browser: Any) -> AsyncIterator[AxeChecker]:
    checker = AxeChecker(browser.new_context)
    yield checker
    await checker.close()


@pytest.fixture(autouse=True)
async def axe(
    browser: Any,
    axe_checker: AxeChecker,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[AxeWatch]:
    """Every page a browser test sees is checked with axe-core after the test (axe.py says
    how, without touching the pages); a violation fails the test with the list."""
    watch = AxeWatch(browser.new_context)
    monkeypatch.setattr(browser, "new_context", watch.new_context)
    monkeypatch.setattr(browser, "new_page", _unwatched)
    yield watch
    await watch.finish()
    report = getattr(request.node, "report_call", None)
    if report is None or not report.passed:
        return  # failed or skipped already: the first failure is the one to read
    violations = await axe_checker.violations(watch.copies)
    if violations:
        pytest.fail(violations, pytrace=False)


async def _unwatched(**options: Any) -> None:
    raise TypeError("open pages through browser.new_context or new_page(): axe checks those")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@contextlib.asynccontextmanager
async def phone_at(
    browser: Any, base_url: str, request: pytest.FixtureRequest
) -> AsyncIterator[Any]:
    """A page in a phone-sized window (390x844, touch), script on; a screenshot if the test
    failed."""
    context = await browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, base_url=base_url
    )
    page = await context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        (ARTIFACTS / "failures").mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "failures" / f"{request.node.name}.png"))
    await context.close()


@pytest.fixture
async def phone(
    browser: Any, live_server: str, request: pytest.FixtureRequest
) -> AsyncIterator[Any]:
    async with phone_at(browser, live_server, request) as page:
        yield page


async def new_page(browser: Any, live_server: str, *, width: int, height: int, script: bool) -> Any:
    context = await browser.new_context(
        viewport={"width": width, "height": height},
        java_script_enabled=script,
        base_url=live_server,
    )
    return await context.new_page()


async def sign_in(page: Any, email: str, password: str) -> None:
    await page.goto("/login")
    await page.fill("#f-email", email)
    await page.fill("#f-password", password)
    await page.click("button[type=submit]")
    await page.wait_for_load_state()
