"""Filling a page's form in with a kept form's fields (house/web/refill.py)."""

from __future__ import annotations

from house.web.refill import fill_form

NOTE = '<p id="kept">Check and send again.</p>'
MISSING = '<p id="kept">Not here.</p>'
PAGE = """<html><body><header><form method="post" action="/logout">
<input type="hidden" name="_csrf_token" value="fresh"><button>Sign out</button></form></header>
<main id="main" class="page">
<form method="get" action="/houses/1/violations"><input name="q" value=""></form>
<form method="post" action="/chores/7/check"><input type="hidden" name="row" value="1"></form>
<form method="post" action="/chores/7/check"><input type="hidden" name="row" value="2">
<input name="note" value=""></form>
<form method="post" action="/houses/1/violations" novalidate>
<input type="hidden" name="_csrf_token" value="fresh">
<input type="hidden" name="form_token" value="new-token">
<input type="hidden" name="_page" value="/houses/1/violations/new">
<input type="hidden" name="version" value="4">
<select name="stay"><option value="">Choose</option><option value="5">Dev</option>
<option value="6" selected>Sam</option></select>
<select name="rule"><option value="1" selected>1</option><option value="2">2</option></select>
<input id="f-day" name="occurred_on" type="date" value="2026-01-01">
<input name="line" value="first"><input name="line" value="second">
<textarea name="description" rows="4" required></textarea>
<label><input type="checkbox" name="notify" value="yes" checked> Tell them</label>
<label><input type="checkbox" name="copy"> Copy</label>
<input type="radio" name="severity" value="minor" checked>
<input type="radio" name="severity" value="major">
<input type="password" name="password" value="">
<input type="file" name="photo">
<button type="submit" name="go" value="1">Record</button>
</form></main></body></html>"""


def _fill(action: str, fields: list[tuple[str, str]]) -> str:
    return fill_form(PAGE, action, fields, note=NOTE, missing_note=MISSING)


def _form(html: str, action: str) -> str:
    start = html.index(f'<form method="post" action="{action}"')
    return html[start : html.index("</form>", start)]


def test_it_fills_each_kind_of_field_by_name() -> None:
    html = _fill(
        "/houses/1/violations",
        [
            ("stay", "5"),
            ("occurred_on", "2026-02-03"),
            ("line", "one"),
            ("line", "two"),
            ("description", 'A <b>"bold"</b> & claim\nsecond line'),
            ("copy", "on"),
            ("severity", "major"),
            ("version", "3"),
        ],
    )
    form = _form(html, "/houses/1/violations")
    assert '<option value="5" selected>Dev</option>' in form
    assert '<option value="6">Sam</option>' in form
    assert '<option value="1" selected>' in form  # a select not sent is left as it was
    assert 'name="occurred_on" type="date" value="2026-02-03"' in form
    assert 'name="line" value="one"><input name="line" value="two"' in form
    assert '>A &lt;b&gt;"bold"&lt;/b&gt; &amp; claim\nsecond line</textarea>' in form
    assert 'name="notify" value="yes">' in form  # not sent: unticked
    assert 'name="copy" checked>' in form
    assert 'value="minor">' in form
    assert 'value="major" checked>' in form
    assert 'name="version" value="3"' in form  # the version the person saw
    assert html.index(NOTE) < html.index('action="/houses/1/violations" novalidate')
    assert html.count(NOTE) == 1


def test_it_leaves_the_pages_own_tokens_passwords_and_files_as_rendered() -> None:
    html = _fill(
        "/houses/1/violations",
        [
            ("_csrf_token", "old"),
            ("form_token", "old-token"),
            ("_page", "//evil.example"),
            ("password", "secret"),
            ("photo", "x.jpg"),
        ],
    )
    form = _form(html, "/houses/1/violations")
    assert 'name="_csrf_token" value="fresh"' in form
    assert 'name="form_token" value="new-token"' in form
    assert 'name="_page" value="/houses/1/violations/new"' in form
    assert "secret" not in html
    assert "old" not in html
    assert "evil" not in html
    assert "x.jpg" not in html


def test_it_picks_the_form_whose_hidden_fields_match_among_forms_to_one_address() -> None:
    html = _fill("/chores/7/check", [("row", "2"), ("note", "redo the sink")])
    assert html.index(NOTE) < html.index('value="2">') < html.index('value="redo the sink"')
    assert html.index('value="1">') < html.index(NOTE)


def test_it_says_so_at_the_top_when_the_form_is_not_on_the_page() -> None:
    html = _fill("/beds/9/admit", [("stay", "5")])
    assert html.index('<main id="main" class="page">') < html.index(MISSING)
    assert NOTE not in html
    assert html.replace(MISSING, "") == PAGE
    # A GET form to the same address is never the one.
    assert MISSING in _fill("/houses/1/violations/search", [("q", "x")])
    assert 'name="q" value=""' in _fill("/houses/1/violations", [("q", "dev")])
