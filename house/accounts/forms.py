"""Parsing the accounts forms; each form names its own fields (no mass assignment)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from house.accounts.tables import User
from house.lib.forms import (
    FormResult,
    choice_field,
    id_list_field,
    text_field,
    version_field,
)
from house.lib.text import is_email, normalise_email

ROLE_LABELS = {
    User.Role.admin: "Admin (runs the organisation)",
    User.Role.manager: "House manager",
    User.Role.resident: "Resident",
    User.Role.case_manager: "Case manager (outside agency)",
}


def parse_login(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    email = text_field(result, data, "email", label="your email", max_length=254)
    password = data.get("password")
    password = password if isinstance(password, str) else ""
    if not password:
        result.errors["password"] = "Enter your password."
    result.values["password"] = password[:1024]
    result.values["email"] = normalise_email(email)
    return result


def _role_and_houses(
    result: FormResult, data: Mapping[str, Any], house_values: list[str], house_ids: Iterable[int]
) -> None:
    text_field(result, data, "name", label="a name", max_length=120)
    choice_field(
        result, data, "role", choices=[r.value for r in User.Role], message="Choose a role."
    )
    id_list_field(
        result, house_values, "houses", allowed=house_ids, message="Choose houses from the list."
    )


def parse_invite(
    data: Mapping[str, Any], house_values: list[str], house_ids: Iterable[int]
) -> FormResult:
    result = FormResult()
    email = normalise_email(text_field(result, data, "email", label="an email", max_length=254))
    if "email" not in result.errors and not is_email(email):
        result.errors["email"] = "Enter an email address like name@example.org."
    result.values["email"] = email
    _role_and_houses(result, data, house_values, house_ids)
    return result


def parse_user_edit(
    data: Mapping[str, Any], house_values: list[str], house_ids: Iterable[int]
) -> FormResult:
    result = FormResult()
    _role_and_houses(result, data, house_values, house_ids)
    version_field(result, data)
    return result


def parse_new_password(data: Mapping[str, Any]) -> FormResult:
    result = FormResult()
    password = data.get("password")
    password = password if isinstance(password, str) else ""
    confirm = data.get("password_confirm")
    confirm = confirm if isinstance(confirm, str) else ""
    if not password:
        result.errors["password"] = "Choose a password."
    elif password != confirm:
        result.errors["password_confirm"] = "The two passwords are not the same."
    result.values["password"] = password[:1024]
    return result
