"""Small, database-free helpers for parsing form fields into values or messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from house.lib.text import clean_line, clean_text


@dataclass
class FormResult:
    """What a form parse produced: clean values, messages by field, and what was typed."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    typed: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def text_field(
    result: FormResult,
    data: Mapping[str, Any],
    name: str,
    *,
    label: str,
    max_length: int,
    required: bool = True,
    lines: bool = False,
) -> str:
    """A trimmed line of text (`lines=True`: keep line breaks), required unless told."""
    raw = data.get(name)
    raw = raw if isinstance(raw, str) else ""
    result.typed[name] = raw[: max_length * 2]
    value = clean_text(raw) if lines else clean_line(raw)
    if required and not value:
        result.errors[name] = f"Enter {label}."
    elif len(value) > max_length:
        result.errors[name] = f"Use at most {max_length} characters (you typed {len(value)})."
    result.values[name] = value
    return value


def long_text_field(
    result: FormResult,
    data: Mapping[str, Any],
    name: str,
    *,
    label: str,
    max_length: int,
    required: bool = True,
) -> str:
    """Like `text_field`, keeping line breaks (a description, a statement, minutes)."""
    return text_field(
        result, data, name, label=label, max_length=max_length, required=required, lines=True
    )


def choice_field(
    result: FormResult,
    data: Mapping[str, Any],
    name: str,
    *,
    choices: Iterable[str],
    message: str,
) -> str:
    raw = data.get(name)
    raw = raw if isinstance(raw, str) else ""
    result.typed[name] = raw[:50]
    if raw not in set(choices):
        result.errors[name] = message
    result.values[name] = raw
    return raw


def id_list_field(
    result: FormResult, values: list[str], name: str, *, allowed: Iterable[int], message: str
) -> list[int]:
    """Ids from a multi-select; any id not offered to this person is an error, not ignored."""
    allowed_set = set(allowed)
    ids: list[int] = []
    result.typed[name] = values[:50]
    for raw in values:
        if not raw.isdigit() or len(raw) > 12 or int(raw) not in allowed_set:
            result.errors[name] = message
            break
        ids.append(int(raw))
    result.values[name] = sorted(set(ids))
    return ids


def int_field(
    result: FormResult, data: Mapping[str, Any], name: str, *, low: int, high: int, message: str
) -> int:
    raw = data.get(name)
    raw = raw if isinstance(raw, str) else ""
    result.typed[name] = raw[:20]
    if not raw.isdigit() or not low <= int(raw) <= high:
        result.errors[name] = message
        result.values[name] = low
        return low
    result.values[name] = int(raw)
    return int(raw)


def version_field(result: FormResult, data: Mapping[str, Any]) -> int:
    """The hidden `version` of the record as the page showed it (for a versioned correction).
    A missing or bad one is the form's error, not a field's: the page is out of date."""
    version = int_field(
        result,
        data,
        "version",
        low=1,
        high=2**31 - 1,
        message="This form is out of date. Reload the page and try again.",
    )
    if "version" in result.errors:
        result.errors["form"] = result.errors.pop("version")
    return version
