"""Rendering plain-text emails from templates/emails/ (no HTML: nothing to escape or track)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from house.settings import ROOT


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Plain text goes out as text/plain, so there is no markup to escape.
    return Environment(  # noqa: S701
        loader=FileSystemLoader(ROOT / "templates" / "emails"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render_email(template: str, **context: Any) -> tuple[str, str]:
    """(subject, body) from templates/emails/<name>.txt; its first line is the subject."""
    text = _environment().get_template(f"{template}.txt").render(**context)
    subject, _, body = text.partition("\n")
    return subject.removeprefix("Subject:").strip(), body.lstrip("\n")
