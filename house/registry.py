"""The wiring between concepts that may not import each other: who listens to what, and
the alert rules every concept wrote.

Called once by every process that changes data (the web app, the worker, the command line,
the tests) before it does.
"""

from __future__ import annotations

from house.accounts import sessions
from house.alerts import inbox
from house.alerts import rules as alert_engine
from house.beds import alerts as beds
from house.chores import alerts as chores
from house.chores.leaving import hand_on_chores
from house.cm import services as cm
from house.events.alerts import AlertRule
from house.events.services import listen
from house.meetings import alerts as meetings
from house.residents import alerts as residents
from house.residents import names
from house.rules import alerts as house_rules
from house.screens import alerts as screens
from house.screens.random.leaving import withdraw_selections
from house.violations import alerts as violations

# Every alert rule, in the order a sweep runs them; each concept owns its rules' wording.
ALERT_RULES: list[AlertRule] = [
    *screens.RULES,
    *violations.RULES,
    *chores.RULES,
    *meetings.RULES,
    *house_rules.RULES,
    *beds.RULES,
    *residents.RULES,
]


def install() -> None:
    """Register every listener and the alert rules (safe to call more than once)."""
    # Contingency management earns from screens and verified meetings, which know nothing
    # of it: a screen recorded or corrected, or a meeting verified, is announced here.
    listen("screen_recorded", cm.screen_recorded)
    listen("meeting_verified", cm.meeting_verified)
    # A stay that ends leaves the house's future: its chores go to the others and its open
    # random selections are withdrawn, in the exit's transaction.
    listen("stay_exited", hand_on_chores)
    listen("stay_exited", withdraw_selections)
    # One name for a resident: an account renamed on People renames what they go by.
    listen("account_saved", names.account_saved)
    alert_engine.use(ALERT_RULES)
    # The bell's unread count comes with the session's houses, in one query.
    sessions.count_unread_with(inbox.unread_count_sql())
