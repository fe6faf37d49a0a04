"""The wiring between concepts that may not import each other: who listens to what.

Called once by every process that changes data (the web app, the worker, the command line,
the tests) before it does.
"""

from __future__ import annotations

from house.cm import services as cm
from house.events.services import listen


def install() -> None:
    """Register every listener (safe to call more than once)."""
    # Contingency management earns from screens and verified meetings, which know nothing
    # of it: a screen recorded or corrected, or a meeting verified, is announced here.
    listen("screen_recorded", cm.screen_recorded)
    listen("meeting_verified", cm.meeting_verified)
