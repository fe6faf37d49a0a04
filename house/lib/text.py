"""Normalising what people type."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# Bidirectional overrides and isolates, zero-width characters and other invisible format
# characters: they can disguise what a name or note says.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


def clean_line(value: str) -> str:
    """One line of text: NFC, invisible and control characters removed, spaces folded."""
    value = unicodedata.normalize("NFC", value)
    value = _INVISIBLE.sub("", value)
    value = _CONTROL.sub("", value).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return " ".join(value.split())


def clean_text(value: str) -> str:
    """Several lines of text: each line cleaned as by `clean_line`, at most one blank line
    between paragraphs, none at the ends."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    lines = [clean_line(line) for line in value.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


def natural_key(value: str) -> tuple[tuple[int, int, str], ...]:
    """A sort key that puts "Bed 2" before "Bed 10": runs of digits compare as numbers."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"([0-9]+)", value)
    )


def lines_of(value: str) -> list[str]:
    """The non-empty lines of a setting such as a house's consequence ladder."""
    return [line.strip() for line in value.splitlines() if line.strip()]


def normalise_email(value: str) -> str:
    return clean_line(value).lower()


def is_email(value: str) -> bool:
    return len(value) <= 254 and EMAIL.match(value) is not None


def local_path(value: str | None) -> str | None:
    """`value` if it is a path on this site (what may follow sign-in, or a form's page),
    else None: no scheme, no host, no backslash, no control or space characters (browsers
    drop a tab in "/\t/evil.example", making it "//evil.example")."""
    if not value or len(value) > 300 or not value.startswith("/"):
        return None
    if "\\" in value or any(ord(c) < 33 or ord(c) == 127 for c in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith("//"):
        return None
    return value
