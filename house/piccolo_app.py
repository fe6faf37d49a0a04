"""The one Piccolo app; its migrations live in the top-level migrations/ folder."""

from piccolo.conf.apps import AppConfig

from house.accounts.tables import HouseMembership, Invite, LoginFailure, Session, User
from house.alerts.tables import Alert, AlertPreference, AlertProfile, Delivery
from house.amendments.tables import Amendment
from house.audit.tables import AuditEvent
from house.beds.tables import Bed, BedAssignment, Room
from house.chores.tables import Chore, ChoreAssignment, ChoreRotation
from house.cm.tables import CmEntry, CmPrizeDraw
from house.events.tables import AlertEvent
from house.houses.tables import House
from house.meetings.tables import Attendance, HouseMeeting, OutsideMeeting
from house.outbox.tables import OutboxEmail
from house.residents.tables import EmergencyContact, Resident, Stay
from house.rules.tables import Rule, RuleSet, RuleSignature
from house.screens.tables import (
    DrawSelection,
    Panel,
    PanelSubstance,
    Prescription,
    RandomDraw,
    Screen,
    ScreenResult,
    Substance,
)
from house.settings import ROOT
from house.system.tables import WorkerHeartbeat
from house.violations.tables import Appeal, Violation
from house.web.tables import FormSubmission, KeptForm

APP_CONFIG = AppConfig(
    app_name="house",
    migrations_folder_path=str(ROOT / "migrations"),
    table_classes=[
        House,
        User,
        HouseMembership,
        Session,
        Invite,
        LoginFailure,
        AuditEvent,
        WorkerHeartbeat,
        OutboxEmail,
        Resident,
        EmergencyContact,
        Stay,
        Room,
        Bed,
        BedAssignment,
        Amendment,
        FormSubmission,
        KeptForm,
        RuleSet,
        Rule,
        RuleSignature,
        Violation,
        Appeal,
        Chore,
        ChoreRotation,
        ChoreAssignment,
        HouseMeeting,
        Attendance,
        OutsideMeeting,
        Substance,
        Panel,
        PanelSubstance,
        Prescription,
        Screen,
        ScreenResult,
        RandomDraw,
        DrawSelection,
        CmEntry,
        CmPrizeDraw,
        Alert,
        AlertEvent,
        Delivery,
        AlertPreference,
        AlertProfile,
    ],
    migration_dependencies=[],
    commands=[],
)
