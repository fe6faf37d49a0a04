"""Drug screens and CM: what must be unique (a panel name per house, a substance per panel
and per screen's results, one random draw per house and day, one selection per draw and
resident, one screen per selection, one CM earning per screen and per meeting, one prize
draw per entry and number), the indexes the daily lists read by, and the default list of
substances (data an admin then edits). Portable to both engines."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from house.db import ddl_migration

ID = "2026-11-26T02:29:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "screens and CM uniqueness, indexes, default substances"

SUBSTANCES = [
    ("alcohol", "Alcohol (EtG, breath)", 10),
    ("amphetamine", "Amphetamine", 20),
    ("methamphetamine", "Methamphetamine", 30),
    ("mdma", "MDMA (ecstasy)", 40),
    ("cocaine", "Cocaine", 50),
    ("opiates", "Opiates", 60),
    ("oxycodone", "Oxycodone", 70),
    ("fentanyl", "Fentanyl", 80),
    ("heroin", "Heroin (6-MAM)", 90),
    ("buprenorphine", "Buprenorphine", 100),
    ("methadone", "Methadone", 110),
    ("benzodiazepines", "Benzodiazepines", 120),
    ("barbiturates", "Barbiturates", 130),
    ("thc", "THC (cannabis)", 140),
    ("synthetic_cannabinoids", "Synthetic cannabinoids", 150),
    ("ketamine", "Ketamine", 160),
    ("pcp", "PCP", 170),
    ("kratom", "Kratom", 180),
    ("xylazine", "Xylazine", 190),
]

FORWARDS = [
    "CREATE UNIQUE INDEX panel_name ON panel (house, name)",
    "CREATE UNIQUE INDEX panel_substance_once ON panel_substance (panel, substance)",
    "CREATE UNIQUE INDEX screen_result_once ON screen_result (screen, substance)",
    "CREATE INDEX screen_house ON screen (house, collected_at)",
    "CREATE INDEX screen_resident ON screen (resident, collected_at)",
    "CREATE INDEX prescription_resident ON prescription (resident)",
    "CREATE UNIQUE INDEX random_draw_day ON random_draw (house, day)",
    "CREATE UNIQUE INDEX draw_selection_once ON draw_selection (draw, resident)",
    "CREATE INDEX draw_selection_day ON draw_selection (house, day)",
    "CREATE INDEX draw_selection_resident ON draw_selection (resident, day)",
    "CREATE UNIQUE INDEX draw_selection_screen ON draw_selection (screen) WHERE screen IS NOT NULL",
    "CREATE UNIQUE INDEX cm_entry_screen ON cm_entry (screen) WHERE screen IS NOT NULL",
    "CREATE UNIQUE INDEX cm_entry_meeting ON cm_entry (outside_meeting)"
    " WHERE outside_meeting IS NOT NULL",
    "CREATE INDEX cm_entry_resident ON cm_entry (resident, id)",
    "CREATE UNIQUE INDEX cm_prize_draw_once ON cm_prize_draw (entry, number)",
    *[
        f"INSERT INTO substance (code, name, active, sort_order) VALUES ('{c}', '{n}', TRUE, {o})"
        for c, n, o in SUBSTANCES
    ],
]
BACKWARDS = [
    "DELETE FROM substance WHERE code IN (" + ", ".join(f"'{c}'" for c, _, _ in SUBSTANCES) + ")",
    "DROP INDEX IF EXISTS cm_prize_draw_once",
    "DROP INDEX IF EXISTS cm_entry_resident",
    "DROP INDEX IF EXISTS cm_entry_meeting",
    "DROP INDEX IF EXISTS cm_entry_screen",
    "DROP INDEX IF EXISTS draw_selection_screen",
    "DROP INDEX IF EXISTS draw_selection_resident",
    "DROP INDEX IF EXISTS draw_selection_day",
    "DROP INDEX IF EXISTS draw_selection_once",
    "DROP INDEX IF EXISTS random_draw_day",
    "DROP INDEX IF EXISTS prescription_resident",
    "DROP INDEX IF EXISTS screen_resident",
    "DROP INDEX IF EXISTS screen_house",
    "DROP INDEX IF EXISTS screen_result_once",
    "DROP INDEX IF EXISTS panel_substance_once",
    "DROP INDEX IF EXISTS panel_name",
]


async def forwards() -> MigrationManager:
    return ddl_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
