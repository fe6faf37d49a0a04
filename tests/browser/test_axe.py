"""The accessibility check itself (axe.py, run after every browser test): it copies each
page a test sees, without script or with, again after an htmx swap, and reports a violation
by page, rule and element."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.axe import AxeChecker, AxeWatch
from tests.browser.conftest import PHONE, sign_in
from tests.browser.test_bed_board import _house_with_beds
from tests.cast import Cast

pytestmark = pytest.mark.browser


def _watch_of_its_own(browser: Any) -> AxeWatch:
    """Not the test's own watch (which would fail these tests for the violation they make on
    purpose): one on the browser's unwatched new_context."""
    return AxeWatch(partial(type(browser).new_context, browser))


async def test_it_checks_each_page_seen_without_script_and_names_a_violation(
    browser: Any, live_server: str, cast: Cast, axe_checker: AxeChecker
) -> None:
    watch = _watch_of_its_own(browser)
    context = await watch.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False, base_url=live_server
    )
    page = await context.new_page()
    await sign_in(page, cast.manager_a.email, cast.manager_a.password)
    await page.goto("/inbox")  # at once: the home page is kept all the same
    await context.close()  # and the last page once more, as its DOM stands
    copies = watch.copies
    assert [urlsplit(c.url).path for c in copies] == ["/login", "/", "/inbox", "/inbox"]
    assert [(c.script, c.width, c.height) for c in copies] == [(False, 360, 740)] * 4
    assert '<html lang="en">' in copies[1].html
    assert await axe_checker.violations(copies) == ""  # the app's pages pass

    broken = replace(copies[1], html=copies[1].html.replace('<html lang="en">', "<html>"))
    report = await axe_checker.violations([copies[0], broken])
    assert report.splitlines()[:3] == [
        "axe-core found 1 violation(s) on 1 of 2 page copies:",
        "/ (360x740, script off):",
        "  html-has-lang (serious): <html> element must have a lang attribute "
        "<https://dequeuniversity.com/rules/axe/4.14/html-has-lang?application=axeAPI>",
    ]
    assert report.splitlines()[3].strip() == "html  <html>"


async def test_it_copies_a_page_again_after_an_htmx_swap(
    browser: Any, live_server: str, axe_checker: AxeChecker
) -> None:
    setup = await _house_with_beds()
    watch = _watch_of_its_own(browser)
    context = await watch.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, base_url=live_server
    )
    page = await context.new_page()
    await sign_in(page, setup["manager"].email, setup["manager"].password)
    await page.goto(f"/houses/{setup['house']}/board")
    await page.locator(f"#bed-{setup['free_bed']} a").tap()
    await page.get_by_role("button", name=f"Admit {setup['applicant']}").wait_for()
    await watch.copied()
    board = [c for c in watch.copies if c.url.endswith("/board")]
    assert [f"Admit {setup['applicant']}" in c.html for c in board] == [False, True]
    assert {(c.script, c.layout) for c in board} == {
        (True, (("has_touch", True), ("is_mobile", True)))
    }
    await context.close()
    assert await axe_checker.violations(watch.copies) == ""


async def test_it_checks_a_copy_with_the_apps_css(
    browser: Any, live_server: str, cast: Cast, axe_checker: AxeChecker
) -> None:
    watch = _watch_of_its_own(browser)
    context = await watch.new_context(viewport=PHONE, base_url=live_server)
    page = await context.new_page()
    await page.goto("/login")
    await context.close()
    served = watch.copies[0]
    assert await axe_checker.violations([served]) == ""
    # Grey hint text on the top bar's blue: a contrast axe can only see with the CSS.
    faint = '<div class="topbar"><span class="hint">faint</span></div>'
    report = await axe_checker.violations(
        [replace(served, html=served.html.replace('<main id="main" class="page">', faint))]
    )
    assert "color-contrast (serious)" in report
    assert '<span class="hint">faint</span>' in report
