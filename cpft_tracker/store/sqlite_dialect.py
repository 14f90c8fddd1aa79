"""Everything SQLite-specific in SQL text, in one place.

The schema (with the triggers that keep the audit trail append-only), placeholders, the
write lock, the upsert, case-insensitive comparison, a list passed as one parameter, and
the two queries that rely on SQLite's own behaviour. The reads, writes and loading modules
build their SQL from these; a second backend (PostgreSQL, issue 12) provides a module with
the same names and its own connection module, and the rest stays as it is.

Dates are ISO text (``YYYY-MM-DD``) and timestamps ISO UTC text, compared as strings, and
date arithmetic is done in Python and passed as parameters: no date functions are needed.
"""

from __future__ import annotations

from collections.abc import Sequence

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
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


def m002_progress_index(db: Any) -> None:
    """An index that holds every column the progress figures count (issue 10).

    Its order is the order they are grouped in (statement, status, owner, retired), so
    ``progress`` reads this small index in order and never the action rows themselves
    (their requirement and context text is most of the file); ``created_at`` and
    ``report_id`` make it cover the as-of rebuild and ``--report`` too.
    """
    db.execute(
        "CREATE INDEX IF NOT EXISTS actions_figures ON actions"
        "(quality_statement, status, owner_id, retired, due, report_id, created_at)"
    )


# Plain SQL that PostgreSQL runs as it is (a PostgreSQL backend runs this same list).
M003_REVIEW = [
    # which rule of extract/review.py took it, and how sure the extractor was
    "ALTER TABLE actions ADD COLUMN rule TEXT",
    "ALTER TABLE actions ADD COLUMN confidence TEXT",
    # accepted: tracked; awaiting: a candidate a person should look at first; rejected:
    # not a requirement (and retired). Actions from before this version were all tracked.
    "ALTER TABLE actions ADD COLUMN review TEXT NOT NULL DEFAULT 'accepted'"
    " CHECK (review IN ('accepted', 'awaiting', 'rejected'))",
    # why it deserves a look (set at import for the awaiting ones)
    "ALTER TABLE actions ADD COLUMN review_reason TEXT",
    # the progress figures count accepted actions only: m002's index with review in it
    "DROP INDEX IF EXISTS actions_figures",
    "CREATE INDEX actions_review_figures ON actions"
    "(quality_statement, status, owner_id, retired, review, due, report_id, created_at)",
]


def m003_review(db: Any) -> None:
    """Why each action was taken and how sure, and its review state (issue 11 item 3)."""
    for statement in M003_REVIEW:
        db.execute(statement)


# Plain SQL that PostgreSQL runs as it is (issue 11 item 2, issue 13): possible duplicates and
# merges of actions, and owners merged into another owner.
M004_MERGE = [
    # the refs of the other actions that may state the same requirement, as a JSON list
    # ('["CPFT-14"]'); NULL when never worked out (actions imported before this migration)
    "ALTER TABLE actions ADD COLUMN possible_duplicates TEXT",
    # the ref of the action this one was merged into (it is then retired "merged into <ref>")
    "ALTER TABLE actions ADD COLUMN merged_into TEXT",
    "CREATE INDEX actions_merged_into ON actions(merged_into)",
    # an owner merged into another ('owners merge A INTO B') keeps its row, pointing there
    "ALTER TABLE owners ADD COLUMN merged_into INTEGER REFERENCES owners(id)",
]


def m004_merge(db: Any) -> None:
    """Possible duplicates and merges of actions; owners merged into another (``M004_MERGE``)."""
    for statement in M004_MERGE:
        db.execute(statement)


def _trigger_name(statement: str) -> str:
    return statement.split()[2]


# The triggers that keep the audit trail append-only and actions and reports undeletable,
# by name, with the SQL they were created with. ``check`` compares each trigger's SQL as
# stored in the database (whitespace and case aside) with this, so a trigger that keeps its
# name but no longer refuses anything is caught.
PROTECTIVE_TRIGGERS: dict[str, str] = {
    _trigger_name(s): s for s in M001_INITIAL if s.startswith("CREATE TRIGGER")
}

# The triggers' SQL as the database stores it (sqlite_master), for check.
TRIGGERS_SQL = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"


def normalised_sql(statement: str | None) -> str:
    """SQL text compared without regard to whitespace or case (for the trigger check)."""
    return " ".join((statement or "").split()).casefold()


# The hash chain (issue 14): one more column on events. Plain SQL, the same in PostgreSQL.
M005_CHAIN = ["ALTER TABLE events ADD COLUMN hash TEXT"]

# The last event: the next one's id is one more, and its hash is chained to this one's.
CHAIN_TIP = "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1"

# Every event, every column, oldest first: what check walks the chain over.
ALL_EVENTS = "SELECT * FROM events ORDER BY id"

# What check replays one action at a time (``AuditReads.action_histories``): every action
# (its owner by name) in id order, and beside it every action's events grouped by action,
# oldest first, read through events_action (action_id, id). Plain SQL, the same in PostgreSQL.
AUDIT_ACTIONS = (
    "SELECT a.id, a.ref, a.status, o.name AS owner, a.due, a.evidence, a.retired,"
    " a.in_source, a.title, a.quality_statement"
    " FROM actions a LEFT JOIN owners o ON o.id = a.owner_id ORDER BY a.id"
)
ACTION_EVENTS = (
    "SELECT action_id, id, field, old, new FROM events"
    " WHERE action_id IS NOT NULL ORDER BY action_id, id"
)


def m005_chain(db: Any) -> None:
    """A tamper-evident audit trail: each event's hash covers the event before it (issue 14).

    Adds ``events.hash`` and computes the chain once for the events already there, oldest
    first. The append-only trigger is dropped for that one UPDATE (inside the migration's
    transaction, so nobody else sees it gone) and recreated with its original SQL.
    (PostgreSQL: ``DROP TRIGGER ... ON events``; the rest is the same.)
    """
    from cpft_tracker.store import chain

    for statement in M005_CHAIN:
        db.execute(statement)
    guard = "events_are_append_only_update"
    # Put back only what was there: a trigger that was already missing stays missing, so
    # check still reports it.
    present = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [guard]
    ).fetchone()
    if present:
        db.execute(f"DROP TRIGGER {guard}")
    prev: str | None = None
    last = 0
    while True:
        cur = db.execute("SELECT * FROM events WHERE id > ? ORDER BY id LIMIT 5000", [last])
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        if not rows:
            break
        updates = []
        for event in rows:
            event.pop("hash", None)
            prev = chain.event_hash(prev, event)
            updates.append((prev, event["id"]))
        db.conn.executemany("UPDATE events SET hash = ? WHERE id = ?", updates)
        last = int(rows[-1]["id"])
    if present:
        db.execute(present[0])  # as it was, so check compares what was there before


M007_REMINDER_CLAIMS = [
    """CREATE TABLE reminder_claims (
        recipient TEXT NOT NULL COLLATE NOCASE,
        kind TEXT NOT NULL,
        day TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'released')),
        run TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        PRIMARY KEY (recipient, kind, day)
    )""",
]


def m007_reminder_claims(db: Any) -> None:
    """One claim per (recipient, kind of reminder, day), taken before a reminder is sent (issue 14,
    finding 3): reminders are sent with no lock held, and two overlapping runs never both send."""
    for statement in M007_REMINDER_CLAIMS:
        db.execute(statement)


def m006_team(db: Any) -> None:
    """When a change happened, kept beside when it was recorded (issue 13, ``--on DATE``).

    ``events.occurred_on``: the ISO date a status change, note or evidence happened, when
    the person said so with ``--on``; NULL means it happened when it was recorded (``at``).
    ``--as-of`` goes by it. Plain SQL that PostgreSQL reads the same.
    """
    db.execute("ALTER TABLE events ADD COLUMN occurred_on TEXT")


# Plain SQL that PostgreSQL runs as it is. The plan in its own order (report, place in the
# report, id) with the columns ``--overdue`` tests: ``list --overdue --limit 50`` walks this
# index in plan order and stops at the 50th match, reading no action row to test it (before,
# SQLite found every overdue action through ``actions_due`` and sorted them all: 448 ms CPU
# at 100,000 actions, bench/NOTES.md). Whole-plan reads (``export``) walk it too, with no sort.
M008_PLAN_ORDER = [
    "CREATE INDEX actions_plan_order ON actions"
    "(report_id, position, id, due, status, retired, review)",
]


def m008_plan_order(db: Any) -> None:
    """An index in the plan's own order, so a limited list stops early (issue 10)."""
    for statement in M008_PLAN_ORDER:
        db.execute(statement)


# Plain SQL that PostgreSQL runs as it is. m003's figures index with the review state FIRST:
# progress counts the tracked (accepted) actions and says how many await review, so each
# count reads only its own part of the index (review = ?), in the order it groups, instead of
# every action's entry (the bench plans have ~92% awaiting review: bench/NOTES.md).
M009_TRACKED_FIGURES = [
    "DROP INDEX IF EXISTS actions_review_figures",
    "CREATE INDEX actions_tracked_figures ON actions"
    "(review, quality_statement, status, owner_id, retired, due, report_id, created_at)",
]


def m009_tracked_figures(db: Any) -> None:
    """The progress figures' index led by the review state (issue 10)."""
    for statement in M009_TRACKED_FIGURES:
        db.execute(statement)


# Plain SQL that PostgreSQL runs as it is. m001's index on the due date, with the columns
# "overdue" tests after it: whether anything is overdue (``list --overdue`` asks before it
# draws) walks the due dates from the oldest, and the oldest are mostly complete; with the
# status and retirement in the index it reads no action row to pass them (at 1,000,000
# actions ~220,000 complete rows were read: 300 ms; bench/NOTES.md).
M010_DUE_COVERING = [
    "DROP INDEX IF EXISTS actions_due",
    "CREATE INDEX actions_due ON actions(due, status, retired, review)",
]


def m010_due_covering(db: Any) -> None:
    """The due-date index with what "overdue" tests (issue 10)."""
    for statement in M010_DUE_COVERING:
        db.execute(statement)


# Plain SQL that PostgreSQL runs as it is. The audit trail by field, then action, then order
# written, with what ``--as-of`` reads of each event: the rebuild asks, for the fields a view
# shows or filters on, for the oldest change of each (action, field) after the cut-off
# (``FIRST_CHANGES_OF``), and reads this index in its own order: no event row, no note, no
# sort (before, every event row was scanned and grouped: ~2.5 s CPU for ``progress --as-of``
# at 100,000 actions; bench/NOTES.md).
M011_EVENT_CHANGES = [
    "CREATE INDEX events_changes ON events(field, action_id, id, at, occurred_on, old)",
]


def m011_event_changes(db: Any) -> None:
    """The audit trail indexed by field and action, for the as-of rebuild (issue 10)."""
    for statement in M011_EVENT_CHANGES:
        db.execute(statement)


def m012_field_periods(db: Any) -> None:
    """Each (action, field)'s value over each span of cut-offs, for ``--as-of`` (issue 10).

    ``field_periods`` is derived data (``periods.py``): filled here from the whole audit
    trail (this back-fill is also how it is rebuilt), then kept by every write
    (``AuditedWrites._event``). Plain SQL but ``WITHOUT ROWID``, which PostgreSQL's twin
    leaves out.
    """
    from cpft_tracker.store import periods

    db.execute(periods.CREATE_TABLE)
    db.execute(periods.CREATE_ZONE)
    periods.backfill(db.conn)
    db.execute(periods.CREATE_INDEX)


# The ordered list of migrations this version knows. Append only.
MIGRATIONS: list[tuple[str, Any]] = [
    ("m001_initial", m001_initial),
    ("m002_progress_index", m002_progress_index),
    ("m003_review", m003_review),
    ("m004_merge", m004_merge),
    ("m005_chain", m005_chain),
    ("m007_reminder_claims", m007_reminder_claims),
    ("m006_team", m006_team),
    ("m008_plan_order", m008_plan_order),
    ("m009_tracked_figures", m009_tracked_figures),
    ("m010_due_covering", m010_due_covering),
    ("m011_event_changes", m011_event_changes),
    ("m012_field_periods", m012_field_periods),
]
SCHEMA_VERSION = len(MIGRATIONS)


# ---------------------------------------------------------------------------
# SQL fragments
# ---------------------------------------------------------------------------

PARAMSTYLE = "qmark"  # every query in the store is written with ``?`` placeholders

# Take the write lock when the transaction starts, so writers queue (busy timeout) instead of
# failing half-way with "database is locked" when two try to upgrade a read lock.
BEGIN_WRITE = "BEGIN IMMEDIATE"

# Names of owners and refs are unique without regard to (ASCII) case.
NOCASE = "COLLATE NOCASE"

UPSERT_SETTING = (
    "INSERT INTO settings (key, value) VALUES (?, ?)"
    " ON CONFLICT(key) DO UPDATE SET value = excluded.value"
)

# Take (or take over) the claim on one reminder; the caller has checked it is free or stale.
UPSERT_REMINDER_CLAIM = (
    "INSERT INTO reminder_claims (recipient, kind, day, state, run, claimed_at)"
    " VALUES (?, ?, ?, 'sending', ?, ?)"
    " ON CONFLICT(recipient, kind, day) DO UPDATE SET"
    " state = 'sending', run = excluded.run, claimed_at = excluded.claimed_at"
)


# An event that happened after a cut-off: recorded at or after the UTC instant (``?`` 1)
# or, when it says when it happened (``occurred_on``, ``--on DATE``), on a later date than
# the local day the cut-off ends (``?`` 2). Plain SQL.
def happened_after(table: str = "") -> str:
    """SQL true when an event happened after a cut-off (2 parameters: the instant, the local day).

    A CASE, not an OR, so that ``NOT happened_after()`` is right too (no NULL in between).
    """
    p = f"{table}." if table else ""
    return f"(CASE WHEN {p}occurred_on IS NULL THEN {p}at >= ? ELSE {p}occurred_on > ? END)"


HAPPENED_AFTER = happened_after()

# For each (action, field) changed after a cut-off, its OLDEST such event: a bare
# column next to min() takes its value from the row holding the minimum (SQLite documents
# this). Grouped by field first, so SQLite walks m011's covering index ``events_changes``
# (field, action_id, id, at, occurred_on, old) in its own order: no event row read, no sort
# (before m011 it scanned the table NOT INDEXED and sorted the groups: 0.63 s against 0.38 s
# in-process at 100,000 actions).
FIRST_CHANGES_AFTER = (
    "SELECT action_id, field, old, min(id) FROM events"  # noqa: S608 - our SQL only
    f" WHERE {HAPPENED_AFTER} AND action_id IS NOT NULL GROUP BY field, action_id"
)


# The actions created after a cut-off (their ``created`` event happened after it: 2
# parameters, HAPPENED_AFTER's), from that field's entries of ``events_changes`` only.
# Plain SQL.
CREATED_AFTER = (
    "SELECT action_id FROM events"  # noqa: S608 - our SQL only
    f" WHERE field = 'created' AND {HAPPENED_AFTER} AND action_id IS NOT NULL"
)


# The same for the fields named in a JSON list (ONE parameter, before the two of
# HAPPENED_AFTER) and each event's action only: walks m011's ``events_changes`` index in
# its own order (field, action, id), so each group's oldest event comes first and nothing
# is sorted. A view that shows no ``updated_at``, ``version`` or email reads only the fields
# it shows and filters on (a note, most of the trail, changes none of them).
FIRST_CHANGES_OF = (
    "SELECT action_id, field, old, min(id) FROM events"  # noqa: S608 - our SQL only
    " WHERE field IN (SELECT value FROM json_each(?))"
    f" AND {HAPPENED_AFTER} AND action_id IS NOT NULL GROUP BY field, action_id"
)


def placeholders(values: Sequence[Any]) -> str:
    """``?, ?, ?``: one placeholder per value, for ``IN (...)``."""
    return ",".join("?" for _ in values)


def in_list(column: str) -> str:
    """``column IN (<a JSON list given as ONE parameter>)``: any number of ids, one statement."""
    return f"{column} IN (SELECT value FROM json_each(?))"  # noqa: S608 - a column name from code


def casefold(expr: str) -> str:
    """SQL for Python's ``str.casefold`` of ``expr`` (registered on each connection by
    ``register_functions``): SQLite's ``lower`` and NOCASE fold ASCII only."""
    return f"casefold({expr})"


# Order text by code point, as Python's sorted() does (SQLite's BINARY; PostgreSQL's "C").
CODEPOINTS = "COLLATE BINARY"


def _casefold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def register_functions(conn: Any) -> None:
    """The SQL functions the store's queries use that SQLite lacks."""
    conn.create_function("casefold", 1, _casefold, deterministic=True)
