"""Everything SQLite-specific in SQL text: the schema (with its triggers), placeholders.

A second backend provides its own module like this one (and its own connection module);
the reads, writes and loading modules stay as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MIGRATION_SET = "cpft_tracker"

# ---------------------------------------------------------------------------
# Schema: one function per migration. Never edit a released migration; add one.
# ---------------------------------------------------------------------------

M001_INITIAL = [
    """CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        prefix TEXT NOT NULL UNIQUE COLLATE NOCASE,
        source_file TEXT,
        source_sha256 TEXT,
        imported_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE owners (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        email TEXT,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE actions (
        id INTEGER PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE COLLATE NOCASE,
        report_id INTEGER NOT NULL REFERENCES reports(id),
        fingerprint TEXT NOT NULL,
        requirement TEXT NOT NULL,
        title TEXT NOT NULL,
        context TEXT NOT NULL,
        section TEXT,
        line INTEGER,
        position INTEGER,
        keyword TEXT NOT NULL CHECK (keyword IN ('must', 'needs', 'should')),
        matched TEXT,
        quality_statement TEXT,
        owner_id INTEGER REFERENCES owners(id),
        due TEXT,
        status TEXT NOT NULL DEFAULT 'not-started'
            CHECK (status IN ('not-started', 'in-progress', 'blocked', 'complete')),
        evidence TEXT,
        retired TEXT,
        in_source INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (report_id, fingerprint)
    )""",
    "CREATE INDEX actions_owner ON actions(owner_id)",
    "CREATE INDEX actions_due ON actions(due)",
    "CREATE INDEX actions_status ON actions(status)",
    """CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        action_id INTEGER REFERENCES actions(id),
        report_id INTEGER REFERENCES reports(id),
        subject TEXT,
        at TEXT NOT NULL,
        by TEXT NOT NULL,
        field TEXT NOT NULL,
        old TEXT,
        new TEXT,
        note TEXT
    )""",
    "CREATE INDEX events_action ON events(action_id, id)",
    "CREATE INDEX events_at ON events(at)",
    """CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE reminders (
        id INTEGER PRIMARY KEY,
        action_id INTEGER NOT NULL REFERENCES actions(id),
        recipient TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'owner',
        sent_on TEXT NOT NULL,
        sent_at TEXT NOT NULL
    )""",
    "CREATE INDEX reminders_lookup ON reminders(action_id, recipient, sent_on)",
    """CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END""",
    """CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
       BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END""",
    """CREATE TRIGGER actions_are_never_deleted BEFORE DELETE ON actions
       BEGIN SELECT RAISE(ABORT, 'actions are retired, never deleted'); END""",
    """CREATE TRIGGER reports_are_never_deleted BEFORE DELETE ON reports
       BEGIN SELECT RAISE(ABORT, 'reports are never deleted'); END""",
]


def m001_initial(db: Any) -> None:
    """Reports, owners, actions, the append-only events table, settings and sent reminders."""
    for statement in M001_INITIAL:
        db.execute(statement)


# The ordered list of migrations this version knows. Append only.
MIGRATIONS: list[tuple[str, Any]] = [("m001_initial", m001_initial)]
SCHEMA_VERSION = len(MIGRATIONS)


def _in_clause(values: Sequence[Any]) -> str:
    return ",".join("?" for _ in values)
