from enum import StrEnum

from piccolo.columns import Boolean, Date, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from house.accounts.tables import User
from house.houses.tables import House
from house.residents.tables import Resident, Stay


class Substance(Table):
    """What a screen can test for. Data, not code: the migration seeds the usual list and an
    admin edits it (a substance is retired, never deleted, once a result names it)."""

    id = Serial(primary_key=True)
    code = Varchar(length=40, unique=True)  # stable, e.g. "fentanyl"
    name = Varchar(length=80)
    active = Boolean(default=True)
    sort_order = Integer(default=100)


class Panel(Table):
    """A named set of substances a house tests for, e.g. "12-panel cup" or "Breath"."""

    id = Serial(primary_key=True)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    name = Varchar(length=80)  # unique with the house
    active = Boolean(default=True)
    created_at = Timestamptz()


class PanelSubstance(Table):
    id = Serial(primary_key=True)
    panel = ForeignKey(Panel, null=False, on_delete=OnDelete.restrict)
    substance = ForeignKey(Substance, null=False, on_delete=OnDelete.restrict)


class Prescription(Table):
    """A medication the resident disclosed. A positive for its substance while it is current
    is recorded as expected, never counted as use. Corrections are amendments."""

    id = Serial(primary_key=True)
    resident = ForeignKey(Resident, null=False, on_delete=OnDelete.restrict)
    substance = ForeignKey(Substance, null=False, on_delete=OnDelete.restrict)
    medication = Varchar(length=120)
    prescriber = Varchar(length=120, default="")
    starts_on = Date()
    ends_on = Date(null=True, default=None)  # None: ongoing
    recorded_by = ForeignKey(User, null=False, on_delete=OnDelete.restrict)
    recorded_at = Timestamptz()
    version = Integer(default=1)


class Screen(Table):
    """One drug or alcohol screen. Never deleted: corrections are amendments (Amendment rows
    with table_name "screen"), lab confirmation is a status on the row."""

    class Method(StrEnum):
        urine_cup = "urine_cup"
        lab_urine = "lab_urine"
        oral_fluid = "oral_fluid"
        breath = "breath"

    class Reason(StrEnum):
        random = "random"
        routine = "routine"  # not drawn: the default when none is chosen
        scheduled = "scheduled"
        suspicion = "suspicion"
        return_from_pass = "return_from_pass"  # noqa: S105 - a reason, not a password
        intake = "intake"

    class Outcome(StrEnum):
        negative = "negative"
        positive = "positive"
        expected_positive = "expected_positive"
        dilute = "dilute"
        invalid = "invalid"
        refused = "refused"
        missed = "missed"

    class Lab(StrEnum):
        none = ""
        pending = "pending"
        confirmed = "confirmed"
        overturned = "overturned"

    id = Serial(primary_key=True)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    stay = ForeignKey(Stay, null=False, on_delete=OnDelete.restrict)
    resident = ForeignKey(Resident, null=False, on_delete=OnDelete.restrict)
    collected_at = Timestamptz()
    # The staff member who collected it; None for a "missed" written by the worker.
    collected_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    method = Varchar(length=20, choices=Method, null=True, default=None)  # None: refused/missed
    reason = Varchar(length=20, choices=Reason)
    observed = Boolean(default=False)
    specimen_id = Varchar(length=60, default="")
    panel = ForeignKey(Panel, null=True, default=None, on_delete=OnDelete.restrict)
    outcome = Varchar(length=20, choices=Outcome)
    # Breath alcohol in thousandths (g/dL x 1000: 80 is 0.080); None unless a breath test.
    breath_milli = Integer(null=True, default=None)
    lab = Varchar(length=12, choices=Lab, default=Lab.none)
    lab_sent_on = Date(null=True, default=None)
    lab_resolved_on = Date(null=True, default=None)
    lab_reference = Varchar(length=60, default="")
    note = Text(default="")
    recorded_at = Timestamptz()
    recorded_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    version = Integer(default=1)


class ScreenResult(Table):
    """The result for one substance of a screen's panel (unique per screen and substance)."""

    class Result(StrEnum):
        negative = "negative"
        positive = "positive"
        expected_positive = "expected_positive"  # covered by a current prescription

    id = Serial(primary_key=True)
    screen = ForeignKey(Screen, null=False, on_delete=OnDelete.restrict)
    substance = ForeignKey(Substance, null=False, on_delete=OnDelete.restrict)
    result = Varchar(length=20, choices=Result, default=Result.negative)
    prescription = ForeignKey(Prescription, null=True, default=None, on_delete=OnDelete.restrict)


class RandomDraw(Table):
    """One house's random selection for one day (unique per house and day), stored so that
    anyone auditing it can redraw it: the seed, the eligible residents in the order drawn
    from, how many were wanted, and who came out."""

    id = Serial(primary_key=True)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    day = Date()
    drawn_at = Timestamptz()
    drawn_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)  # None: job
    seed = Varchar(length=64)
    eligible = Text(default="[]")  # JSON list of resident ids, sorted
    excluded = Text(default="{}")  # JSON {resident id: why} (weekly cap, screened lately)
    wanted = Integer(default=0)
    selected = Text(default="[]")  # JSON list of resident ids, in draw order
    algorithm = Varchar(length=40, default="sha256-shuffle-v1")


class DrawSelection(Table):
    """A resident drawn for a screen on the draw's day: selected -> screened, or excused (a
    manager, with a reason), or missed (the end-of-day sweep writes a "missed" screen)."""

    class Status(StrEnum):
        selected = "selected"
        screened = "screened"
        excused = "excused"
        missed = "missed"

    id = Serial(primary_key=True)
    draw = ForeignKey(RandomDraw, null=False, on_delete=OnDelete.restrict)
    house = ForeignKey(House, null=False, on_delete=OnDelete.restrict)
    resident = ForeignKey(Resident, null=False, on_delete=OnDelete.restrict)
    stay = ForeignKey(Stay, null=False, on_delete=OnDelete.restrict)
    day = Date()
    status = Varchar(length=10, choices=Status, default=Status.selected)
    screen = ForeignKey(Screen, null=True, default=None, on_delete=OnDelete.restrict)
    excuse_reason = Varchar(length=300, default="")
    decided_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.restrict)
    decided_at = Timestamptz(null=True, default=None)
