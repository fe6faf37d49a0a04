"""The house rules' alert rule: a resident who has not signed the current rules in time."""

from __future__ import annotations

import datetime as dt

from house.events.alerts import MANAGERS_AND_RESIDENT, AlertRule, Houses, alert_spec, name_of
from house.events.services import AlertSpec
from house.lib.dates import day_start
from house.residents.alerts import active_stays
from house.rules.tables import RuleSet, RuleSignature

RULES_SIGN_WITHIN = dt.timedelta(hours=48)


async def rules_unsigned(now: dt.datetime, by_house: Houses) -> list[AlertSpec]:
    """An active resident who has not signed the house's current rules 48 h after the
    later of their admission (start of that day, house time) and the version's creation.
    Three queries."""
    versions = await RuleSet.select(
        RuleSet.id, RuleSet.house, RuleSet.version, RuleSet.created_at
    ).order_by(RuleSet.version)
    current = {row["house"]: row for row in versions}  # the last one wins: the newest
    if not current:
        return []
    stays = await active_stays(list(current))
    signed = {
        (row["rule_set"], row["resident"])
        for row in await RuleSignature.select(RuleSignature.rule_set, RuleSignature.resident).where(
            RuleSignature.rule_set.is_in([row["id"] for row in current.values()])
        )
    }
    specs = []
    for stay in stays:
        rule_set = current[stay["house"]]
        if stay["admitted_on"] is None or (rule_set["id"], stay["resident"]) in signed:
            continue
        admitted = day_start(stay["admitted_on"], by_house[stay["house"]]["timezone"])
        if now < max(admitted, rule_set["created_at"]) + RULES_SIGN_WITHIN:
            continue
        specs.append(
            alert_spec(
                "rules_unsigned",
                stay,
                f"resident:{stay['resident']}",
                f"{name_of(stay)}: house rules version {rule_set['version']} unsigned",
                MANAGERS_AND_RESIDENT,
                about=f"resident:{stay['resident']}:v{rule_set['id']}",
            )
        )
    return specs


RULES = [AlertRule("rules_unsigned", sweep=rules_unsigned)]
