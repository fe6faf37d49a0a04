"""Rendering emails from templates/emails/: the one Jinja environment every email uses.

`.txt` templates are plain text (nothing escaped: they go out as text/plain); `.html`
templates are autoescaped.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from house.lib import datewords
from house.settings import ROOT


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(ROOT / "templates" / "emails"),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )
    datewords.install(env)  # dates through the same filters as pages
    return env


def render_email(template: str, **context: Any) -> tuple[str, str]:
    """(subject, body) from templates/emails/<name>.txt; its first line is the subject."""
    text = _environment().get_template(f"{template}.txt").render(**context)
    subject, _, body = text.partition("\n")
    return subject.removeprefix("Subject:").strip(), body.lstrip("\n")


def render_text_and_html(template: str, **context: Any) -> tuple[str, str]:
    """(text, html) of templates/emails/<template>.txt and .html."""
    env = _environment()
    return (
        env.get_template(f"{template}.txt").render(**context),
        env.get_template(f"{template}.html").render(**context),
    )


def house_label(name: str) -> str:
    """ "House Elm" for Elm; a name that says house already stays as it is ("Maple House")."""
    return name if "house" in name.lower().split() else f"House {name}"
