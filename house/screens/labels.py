"""How the parts of a screen read on a page (an outcome's words are in outcomes.py)."""

from __future__ import annotations

RESULT_LABELS = {
    "negative": "Negative",
    "positive": "Positive",
    "expected_positive": "Expected (prescribed)",
}
METHOD_LABELS = {
    "urine_cup": "Urine cup",
    "lab_urine": "Lab urine",
    "oral_fluid": "Oral fluid",
    "breath": "Breath alcohol",
}
REASON_LABELS = {
    "random": "Random",
    "routine": "Routine",
    "scheduled": "Scheduled",
    "suspicion": "Suspicion",
    "return_from_pass": "Return from pass",
    "intake": "Intake",
}
LAB_LABELS = {
    "": "",
    "pending": "Sent to lab",
    "confirmed": "Lab confirmed",
    "overturned": "Lab overturned",
}
SELECTION_LABELS = {
    "selected": "Drawn today",
    "screened": "Drawn, screened",
    "excused": "Drawn, excused",
    "missed": "Drawn, missed",
}
