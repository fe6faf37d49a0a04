"""Publishing versions of a house's rules, copying them, and residents signing them.

Rules are never edited in place: publishing writes a new version (the next number for the
house) with its rules, and older versions stay readable with their signatures. A signature
is for one version; a new version needs signing again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.query.functions.aggregate import Max

from house.audit.services import record_access
from house.db import refuse_duplicates, write_transaction
from house.houses.tables import House
from house.lib.errors import DomainError, NotFound
from house.residents.tables import Stay
from house.rules.tables import Rule, RuleSet, RuleSignature


async def current_version(house_id: int) -> dict[str, Any] | None:
    """The newest version of a house's rules with its rules in order, or None."""
    rule_set: dict[str, Any] | None = (
        await RuleSet.select(
            RuleSet.id,
            RuleSet.version,
            RuleSet.created_at,
            RuleSet.note,
            RuleSet.created_by.name.as_alias("created_by_name"),
        )
        .where(RuleSet.house == house_id)
        .order_by(RuleSet.version, ascending=False)
        .first()
    )
    if rule_set is not None:
        rule_set["rules"] = (
            await Rule.select().where(Rule.rule_set == rule_set["id"]).order_by(Rule.number)
        )
    return rule_set


async def publish(
    *, actor_id: int, house_id: int, rules: list[dict[str, Any]], note: str, now: dt.datetime
) -> int:
    """Publish `rules` as the house's next version. Returns the version number."""
    if not rules:
        raise DomainError("A house needs at least one rule.")
    numbers = [r["number"] for r in rules]
    if len(set(numbers)) != len(numbers):
        raise DomainError("Two rules have the same number.")
    with refuse_duplicates(
        "Someone published these rules at the same moment. Check the new version."
    ):
        async with write_transaction():
            row = (
                await RuleSet.select(Max(RuleSet.version, alias="v"))
                .where(RuleSet.house == house_id)
                .first()
            )
            version = int((row or {}).get("v") or 0) + 1
            created = await RuleSet.insert(
                RuleSet(
                    house=house_id,
                    version=version,
                    created_at=now,
                    created_by=actor_id,
                    note=note,
                )
            ).returning(RuleSet.id)
            await Rule.insert(
                *[
                    Rule(
                        rule_set=created[0]["id"],
                        number=r["number"],
                        text=r["text"],
                        category=r["category"],
                        consequence=r["consequence"],
                    )
                    for r in sorted(rules, key=lambda r: r["number"])
                ]
            )
            await record_access(
                actor_id=actor_id,
                action="rules_published",
                at=now,
                record=f"rule_set:{created[0]['id']}",
                detail=f"house:{house_id} v{version}",
            )
    return version


async def copy_rules(*, actor_id: int, from_house: int, to_house: int, now: dt.datetime) -> int:
    """Publish another house's current rules as this house's next version."""
    if from_house == to_house:
        raise DomainError("Choose another house to copy from.", field="source")
    source = await current_version(from_house)
    if source is None:
        raise DomainError("That house has no rules yet.", field="source")
    rules = [
        {k: r[k] for k in ("number", "text", "category", "consequence")} for r in source["rules"]
    ]
    return await publish(
        actor_id=actor_id,
        house_id=to_house,
        rules=rules,
        note=f"copied from version {source['version']} of another house",
        now=now,
    )


async def signing_status(house_id: int, rule_set_id: int | None) -> list[dict[str, Any]]:
    """Current residents of a house with when they signed `rule_set_id` (None: not yet)."""
    residents = (
        await Stay.select(Stay.resident, Stay.resident.preferred_name.as_alias("name"))
        .where(Stay.house == house_id, Stay.status == Stay.Status.active)
        .order_by(Stay.resident.preferred_name)
    )
    signed = {}
    if rule_set_id is not None:
        signed = {
            row["resident"]: row["signed_at"]
            for row in await RuleSignature.select(
                RuleSignature.resident, RuleSignature.signed_at
            ).where(RuleSignature.rule_set == rule_set_id)
        }
    for row in residents:
        row["signed_at"] = signed.get(row["resident"])
    return residents


async def unsigned_version(house_id: int, resident_id: int) -> int | None:
    """The number of the house's current rules version when the house requires a signature
    before admission and this person has not signed it; None when nothing stands in the way."""
    house = await House.select(House.require_signed_rules).where(House.id == house_id).first()
    if house is None or not house["require_signed_rules"]:
        return None
    version = (
        await RuleSet.select(RuleSet.id, RuleSet.version)
        .where(RuleSet.house == house_id)
        .order_by(RuleSet.version, ascending=False)
        .first()
    )
    if version is None:
        return None
    signed = await RuleSignature.exists().where(
        RuleSignature.rule_set == version["id"], RuleSignature.resident == resident_id
    )
    return None if signed else int(version["version"])


async def my_rules(user_id: int) -> dict[str, Any] | None:
    """For a signed-in resident: the current rules of the house they live in (or, before
    moving in, of the house they applied to) and whether they signed them."""
    stay = (
        await Stay.select(
            Stay.house,
            Stay.resident,
            Stay.status,
            Stay.house.name.as_alias("house_name"),
            Stay.house.timezone.as_alias("timezone"),
            Stay.resident.legal_name.as_alias("legal_name"),
        )
        .where(
            Stay.resident.user == user_id,
            Stay.status.is_in([Stay.Status.active, Stay.Status.waitlist]),
        )
        # "active" sorts before "waitlist": the house they live in comes first.
        .order_by(Stay.status)
        .first()
    )
    if stay is None:
        return None
    version = await current_version(stay["house"])
    signature = None
    if version is not None:
        signature = (
            await RuleSignature.select(RuleSignature.signed_at, RuleSignature.name_typed)
            .where(
                RuleSignature.rule_set == version["id"], RuleSignature.resident == stay["resident"]
            )
            .first()
        )
    return {**stay, "version": version, "signature": signature}


async def sign(*, user_id: int, rule_set_id: int, name_typed: str, now: dt.datetime) -> None:
    """Sign the current version of the resident's house rules (once)."""
    mine = await my_rules(user_id)
    if mine is None or mine["version"] is None:
        raise NotFound()
    if mine["version"]["id"] != rule_set_id:
        raise DomainError(
            "The rules changed while you were reading. Read the new version and sign it."
        )
    with refuse_duplicates("You have already signed this version."):
        async with write_transaction():
            await RuleSignature.insert(
                RuleSignature(
                    rule_set=rule_set_id,
                    resident=mine["resident"],
                    user=user_id,
                    name_typed=name_typed,
                    signed_at=now,
                )
            )
            await record_access(
                actor_id=user_id,
                action="rules_signed",
                at=now,
                record=f"rule_set:{rule_set_id}",
            )


async def versions(house_id: int) -> list[dict[str, Any]]:
    """Every published version of a house's rules, newest first, with who published it."""
    rows: list[dict[str, Any]] = (
        await RuleSet.select(
            RuleSet.version,
            RuleSet.created_at,
            RuleSet.note,
            RuleSet.created_by.name.as_alias("created_by_name"),
        )
        .where(RuleSet.house == house_id)
        .order_by(RuleSet.version, ascending=False)
    )
    return rows


async def other_houses(house_id: int) -> list[dict[str, Any]]:
    """The houses rules can be copied from (every other house), by name."""
    rows: list[dict[str, Any]] = (
        await House.select(House.id, House.name).where(House.id != house_id).order_by(House.name)
    )
    return rows
