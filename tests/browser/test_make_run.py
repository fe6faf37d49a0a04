"""`make run` as a newcomer uses it: scripts/run.sh on a fresh SQLite file with its own
worker and local mail sink. The demo manager records a positive screen on a phone; within
60 seconds it is in their inbox (the bell) and in the local mail log, with no clinical
detail in the email."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from redis import Redis

from house.demo import DEMO_PASSWORD
from tests.browser.conftest import ARTIFACTS, PHONE, sign_in
from tests.conftest import REDIS_URL, free_port

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
MANAGER = "maple.manager@demo.house"


def _other_redis_db() -> str:
    """A Redis database of its own: run.sh's worker must not take the tests' jobs."""
    parts = urlsplit(REDIS_URL)
    return urlunsplit(parts._replace(path="/14"))


@pytest.fixture
def make_run(redis_available: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port, redis_url, mail_log = free_port(), _other_redis_db(), tmp_path / "mail.log"
    Redis.from_url(redis_url).flushdb()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "VENV": str(Path(sys.executable).parent.parent),
        "PORT": str(port),
        "HOUSE_VAR_DIR": str(tmp_path / "var"),
        "REDIS_URL": redis_url,
        "MAIL_SINK_PORT": str(free_port()),
        "MAIL_LOG": str(mail_log),
    }
    log = ARTIFACTS / "make-run.log"
    ARTIFACTS.mkdir(exist_ok=True)
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["scripts/run.sh"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{base_url}/health", timeout=1) as response,  # noqa: S310
            ):
                if response.status == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"make run did not start; see {log}")
            time.sleep(0.2)
        yield base_url, mail_log
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        Redis.from_url(redis_url).flushdb()


async def _mail_to(mail_log: Path, address: str) -> list[str]:
    text = await asyncio.to_thread(lambda: mail_log.read_text() if mail_log.exists() else "")
    return [entry for entry in text.split("=== ") if f"To: {address}" in entry]


async def test_a_positive_screen_reaches_the_inbox_and_the_mail_log_within_a_minute(
    browser: Any, make_run: tuple[str, Path]
) -> None:
    base_url, mail_log = make_run
    context = await browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, base_url=base_url
    )
    page = await context.new_page()
    try:
        await sign_in(page, MANAGER, DEMO_PASSWORD)
        await page.wait_for_timeout(3_000)  # the worker's start-up sweep raises demo alerts
        before = len(await _mail_to(mail_log, MANAGER))
        await page.goto("/")
        unread_before = await _unread(page)
        await page.click("a[href$='/screens']")
        await page.click("text=Record a screen")
        await page.select_option("#f-resident", index=1)
        await page.check("input[name=method][value=urine_cup]")
        await page.check("input[name=reason][value=random]")
        await page.check(".result-row:has-text('Cocaine') input[value=positive]")
        await page.click("#screen-form button.primary")
        await page.wait_for_selector(".flash")
        assert "Screen saved." in await page.locator(".flash").inner_text()
        saved = time.monotonic()

        while time.monotonic() - saved < 60:
            await page.goto("/")
            if (
                await _unread(page) > unread_before
                and len(await _mail_to(mail_log, MANAGER)) > before
            ):
                break
            await page.wait_for_timeout(2_000)
        assert await _unread(page) > unread_before, "not in the inbox within 60 s"
        new_mail = (await _mail_to(mail_log, MANAGER))[before:]
        assert new_mail, "not in the mail log within 60 s"
        assert "Subject: Maple House: 1 item needs attention" in new_mail[-1]
        assert "ocaine" not in new_mail[-1]
        assert "positive" not in new_mail[-1].lower()
        await page.goto("/inbox")
        assert "a positive screen" in await page.locator(".inbox-row").first.inner_text()
        (ARTIFACTS / "screens").mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "screens" / "make-run-inbox-390.png"))
    finally:
        await context.close()


async def _unread(page: Any) -> int:
    count = page.locator("#inbox-badge .bell-count")
    return int(await count.inner_text()) if await count.count() else 0
