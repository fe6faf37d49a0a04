"""Filling a rendered page's form in with what was sent (a form kept across a sign-out).

Pure: HTML in, HTML out. The form is the page's POST form whose action is the address the
kept form was sent to (when several share it, the one whose hidden fields match best). Its
fields take the kept values by name, in the order they were sent; password and file inputs
and the page's own tokens are left as rendered. A note goes right above the form, or at the
top of the page when the form is not on it (a form that only opens in place).
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

# The page's own, fresh values: never replaced by old ones.
NEVER_FILLED = frozenset({"_csrf_token", "form_token", "_page"})
NOT_TYPED = frozenset({"password", "file", "submit", "button", "reset", "image"})

Attrs = list[tuple[str, str | None]]


@dataclass
class _Tag:
    name: str
    attrs: Attrs
    start: int
    end: int
    select: str | None = None  # an <option>'s <select> name
    content_end: int | None = None  # a <textarea>'s closing tag

    def attr(self, key: str) -> str | None:
        return next((v for k, v in self.attrs if k == key), None)


@dataclass
class _Form:
    start: int
    action: str
    tags: list[_Tag] = field(default_factory=list)


class _Forms(HTMLParser):
    """The POST forms of a page, each with the tags of its fields and where they are."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self._form: _Form | None = None
        self._select: str | None = None
        self._textarea: _Tag | None = None
        self._line_starts = [0]
        for i, char in enumerate(html):
            if char == "\n":
                self._line_starts.append(i + 1)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: Attrs) -> None:
        start = self._offset()
        end = start + len(self.get_starttag_text() or "")
        if tag == "form":
            method = (dict(attrs).get("method") or "get").lower()
            self._form = _Form(start, dict(attrs).get("action") or "") if method == "post" else None
            return
        if self._form is None or tag not in ("input", "select", "option", "textarea"):
            return
        found = _Tag(tag, attrs, start, end, select=self._select if tag == "option" else None)
        self._form.tags.append(found)
        if tag == "select":
            self._select = found.attr("name")
        elif tag == "textarea":
            self._textarea = found

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.content_end = self._offset()
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def _tag_html(tag: _Tag, attrs: Attrs) -> str:
    parts = [k if v is None else f'{k}="{escape(v)}"' for k, v in attrs]
    return f"<{tag.name}{''.join(' ' + p for p in parts)}>"


def _with(attrs: Attrs, key: str, value: str | None, *, on: bool = True) -> Attrs:
    kept = [(k, v) for k, v in attrs if k != key]
    return [*kept, (key, value)] if on else kept


def _hidden_matches(form: _Form, sent: dict[str, list[str]]) -> int:
    return sum(
        1
        for t in form.tags
        if t.name == "input"
        and (t.attr("type") or "").lower() == "hidden"
        and t.attr("value") in sent.get(t.attr("name") or "", [])
    )


def _edits(form: _Form, sent: dict[str, list[str]]) -> list[tuple[int, int, str]]:
    queue = {name: deque(values) for name, values in sent.items()}
    edits: list[tuple[int, int, str]] = []
    for tag in form.tags:
        name = tag.select if tag.name == "option" else tag.attr("name")
        kind = (tag.attr("type") or "text").lower()
        if not name or name in NEVER_FILLED or (tag.name == "input" and kind in NOT_TYPED):
            continue
        if tag.name == "input" and kind in ("checkbox", "radio"):
            # A box not ticked is not sent at all: absent means unticked.
            on = (tag.attr("value") or "on") in sent.get(name, [])
            attrs = _with(tag.attrs, "checked", None, on=on)
        elif tag.name == "option":
            if name not in sent or tag.attr("value") is None:
                continue
            attrs = _with(tag.attrs, "selected", None, on=tag.attr("value") in sent[name])
        elif tag.name in ("input", "textarea") and queue.get(name):
            value = queue[name].popleft()
            if tag.name == "textarea" and tag.content_end is not None:
                edits.append((tag.end, tag.content_end, escape(value, quote=False)))
                continue
            attrs = _with(tag.attrs, "value", value)
        else:
            continue
        edits.append((tag.start, tag.end, _tag_html(tag, attrs)))
    return edits


def _at_top(html: str, note: str) -> str:
    start = html.find("<main")
    end = html.find(">", start) + 1 if start >= 0 else 0
    return html[:end] + note + html[end:]


def fill_form(
    html: str, action: str, fields: list[tuple[str, str]], *, note: str, missing_note: str
) -> str:
    """`html` with the POST form sent to `action` filled in with `fields` and `note` above
    it; when the page has no such form, `missing_note` at the top of <main>. (Both notes are
    ready HTML, made by the caller from its own words.)"""
    parser = _Forms(html)
    parser.feed(html)
    parser.close()
    candidates = [f for f in parser.forms if f.action == action]
    if not candidates:
        return _at_top(html, missing_note)
    sent: dict[str, list[str]] = defaultdict(list)
    for name, value in fields:
        sent[name].append(value)
    form = max(candidates, key=lambda f: _hidden_matches(f, sent))
    edits = [*_edits(form, sent), (form.start, form.start, note)]
    for start, end, text in sorted(edits, key=lambda e: e[0], reverse=True):
        html = html[:start] + text + html[end:]
    return html
