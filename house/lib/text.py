"""Normalising what people type."""

from __future__ import annotations

import re
import unicodedata

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
