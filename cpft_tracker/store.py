"""The only module that opens the database: location, schema migrations, reads and audited writes.

Every change to an action is one SQLite transaction (``BEGIN IMMEDIATE``, so writers
queue behind each other instead of failing) that also appends an event to the audit
trail: who, when (UTC), which field, old value, new value, note. Nothing is deleted:
triggers refuse DELETE on actions and reports and any change to an event.

Start-up matters (every command opens the database), so ``sqlite_utils`` is imported
only when a migration is actually pending; an up-to-date database is opened with the
standard ``sqlite3`` module alone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpft_tracker.errors import DatabaseMissing, DatabaseProblem, NotFound, RuleBroken, UsageProblem
from cpft_tracker.models import STATUSES

if TYPE_CHECKING:
    from cpft_tracker.extract import Requirement

APP_NAME = "cpft-tracker"
MIGRATION_SET = "cpft_tracker"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 60_000

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


# ---------------------------------------------------------------------------
# Clock and identity
# ---------------------------------------------------------------------------


def now_utc() -> str:
    """The current UTC time as sortable ISO text. ``CPFT_TRACKER_NOW`` overrides it (tests, rehearsals)."""
    forced = os.environ.get("CPFT_TRACKER_NOW")
    if forced:
        moment = dt.datetime.fromisoformat(forced.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
    else:
        moment = dt.datetime.now(dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def who(by: str | None) -> str:
    """Who is making a change: ``--by``, else ``CPFT_TRACKER_USER``, else the OS login name."""
    for candidate in (by, os.environ.get("CPFT_TRACKER_USER")):
        if candidate and candidate.strip():
            return " ".join(candidate.split())
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers and services
        return "unknown"


# ---------------------------------------------------------------------------
# Location
# ---------------------------------------------------------------------------


def default_db_path() -> Path:
    """The per-user data directory (XDG on Linux, Application Support on macOS, AppData on Windows)."""
    if os.name == "nt":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif os.uname().sysname == "Darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_NAME / "tracker.db"


def resolve_db_path(option: str | None) -> Path:
    """``--db PATH``, else ``CPFT_TRACKER_DB``, else the per-user data directory."""
    chosen = option or os.environ.get("CPFT_TRACKER_DB") or None
    return Path(chosen).expanduser() if chosen else default_db_path()


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


@dataclass
class Change:
    """One field of one action changed (or that would change)."""

    ref: str
    field: str
    old: str | None
    new: str | None


@dataclass
class ImportResult:
    """What an import did (or, with --dry-run, would do)."""

    report: str
    report_created: bool
    added: list[dict[str, Any]] = field(default_factory=list)
    already_there: list[dict[str, Any]] = field(default_factory=list)
    back_in_source: list[dict[str, Any]] = field(default_factory=list)
    no_longer_in_source: list[dict[str, Any]] = field(default_factory=list)


# Every field of an action row, in order: name -> SQL (over ACTION_FROM).
ACTION_FIELDS: dict[str, str] = {
    "id": "a.id",
    "ref": "a.ref",
    "report": "r.name",
    "requirement": "a.requirement",
    "title": "a.title",
    "context": "a.context",
    "section": "a.section",
    "line": "a.line",
    "position": "a.position",
    "keyword": "a.keyword",
    "matched": "a.matched",
    "quality_statement": "a.quality_statement",
    "owner": "o.name",
    "owner_email": "o.email",
    "due": "a.due",
    "status": "a.status",
    "evidence": "a.evidence",
    "retired": "a.retired",
    "in_source": "a.in_source",
    "created_at": "a.created_at",
    "updated_at": "a.updated_at",
    "report_id": "a.report_id",
    "fingerprint": "a.fingerprint",
}


def _select_list(names: Sequence[str]) -> str:
    """The SELECT list of these action fields: SQL from ACTION_FIELDS only (others refused)."""
    unknown = [n for n in names if n not in ACTION_FIELDS]
    if unknown:
        raise ValueError(f"not action fields: {', '.join(map(repr, unknown))}")
    return ", ".join(f"{ACTION_FIELDS[n]} AS {n}" for n in names)


ACTION_COLUMNS = _select_list(list(ACTION_FIELDS))
ACTION_FROM = (
    "actions a JOIN reports r ON r.id = a.report_id LEFT JOIN owners o ON o.id = a.owner_id"
)

EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


def check_email(address: str) -> str:
    """A single plain email address, or UsageProblem. Refuses anything that could inject a mail header."""
    value = address.strip()
    if not EMAIL_RE.match(value) or len(value) > 254:
        raise UsageProblem(
            f"'{address}' is not an email address cpft-tracker can send to. "
            "Give one plain address such as jane.smith@nhs.net."
        )
    return value


def clean_name(name: str, what: str = "owner") -> str:
    """A person's or team's name on one line, without control characters."""
    value = " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())
    if not value:
        raise UsageProblem(f"The {what} name is empty. Give a name such as 'Director of Nursing'.")
    return value


@dataclass
class Filters:
    """The filters that ``list`` and ``export`` share."""

    status: list[str] = field(default_factory=list)
    owner: str | None = None
    unassigned: bool = False
    overdue_on: str | None = None  # ISO date: actions overdue on that day
    due_before: str | None = None  # ISO date, exclusive
    report: str | None = None
    quality_statement: str | None = None
    include_retired: bool = True


def _in_clause(values: Sequence[Any]) -> str:
    return ",".join("?" for _ in values)


class Store:
    """An open action-plan database."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, create: bool = False, readonly: bool = False) -> Store:
        """Open (and with ``create`` make) the database at ``path``, applying pending migrations.

        Raises DatabaseMissing when it does not exist and ``create`` is false, and
        DatabaseProblem for a file that is not SQLite, is damaged, read-only for a
        write, or was written by a newer version of cpft-tracker.
        """
        path = Path(path)
        if path.is_dir():
            raise DatabaseProblem(
                f"{path} is a folder, not a database file. Give a file name with --db, e.g. --db {path / 'tracker.db'}."
            )
        exists = path.exists() and path.stat().st_size > 0
        if not exists and not create:
            raise DatabaseMissing(
                f"No action plan database at {path}. Run 'cpft-tracker init' or import a report "
                "first, or point --db (or CPFT_TRACKER_DB) at your database."
            )
        if exists:
            _check_header(path)
        else:
            _create_private_file(path)
        try:
            conn = sqlite3.connect(
                str(path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise DatabaseProblem(
                f"Cannot open the database {path}: {exc}. Check the path and its permissions."
            ) from None
        store = cls(path, conn)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            # migrate (and refuse a newer schema) BEFORE switching to WAL, so a refused
            # database is left byte-for-byte as it was
            store._migrate(allow_write=True)
            if not readonly:
                mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
                if mode != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise translate_sqlite_error(exc, path) from None
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in this database, in order."""
        has_table = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
        ).fetchone()
        if not has_table:
            return []
        rows = self.conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
            [MIGRATION_SET],
        ).fetchall()
        return [r[0] for r in rows]

    @property
    def schema_version(self) -> int:
        """How many of this project's migrations the database has."""
        return len(self.applied_migrations())

    def _migrate(self, *, allow_write: bool) -> None:
        applied = self.applied_migrations()
        known = [name for name, _ in MIGRATIONS]
        unknown = [name for name in applied if name not in known]
        if unknown or len(applied) > len(known):
            raise DatabaseProblem(
                f"The database {self.path} was written by a newer version of cpft-tracker "
                f"(schema {len(applied)}; this version knows {len(known)}). "
                "Upgrade cpft-tracker (pip install -U cpft-tracker) and try again; the database was not changed."
            )
        if len(applied) == len(known):
            return
        if not applied:
            others = self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
            if others:
                raise DatabaseProblem(
                    f"{self.path} is an SQLite database, but not a cpft-tracker one. "
                    "Point --db at your action plan database, or at a new file."
                )
        if not allow_write:
            raise DatabaseProblem(
                f"The database {self.path} needs upgrading before it can be read. "
                "Run 'cpft-tracker init' to upgrade it."
            )
        import sqlite_utils

        migrations = sqlite_utils.Migrations(MIGRATION_SET)
        for name, fn in MIGRATIONS:
            migrations(name=name)(fn)
        db = sqlite_utils.Database(self.conn, execute_plugins=False)
        with self.write():
            # re-check inside the write lock: another process may have just migrated
            if len(self.applied_migrations()) < len(known):
                migrations.apply(db)

    # -- transactions --------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front (BEGIN IMMEDIATE) so writers wait for each other."""
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise translate_sqlite_error(exc, self.path) from None
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise translate_sqlite_error(exc, self.path) from None

    def _event(
        self,
        *,
        at: str,
        by: str,
        field: str,
        old: Any = None,
        new: Any = None,
        note: str | None = None,
        action_id: int | None = None,
        report_id: int | None = None,
        subject: str | None = None,
    ) -> None:
        self.conn.execute(
            "INSERT INTO events (action_id, report_id, subject, at, by, field, old, new, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [action_id, report_id, subject, at, by, field, _text(old), _text(new), note],
        )

    # -- reads ---------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """How many reports, actions, owners and events the database holds."""
        row = self.conn.execute(
            """SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM actions),
                      (SELECT count(*) FROM actions WHERE retired IS NULL),
                      (SELECT count(*) FROM owners), (SELECT count(*) FROM events)"""
        ).fetchone()
        return {
            "reports": row[0],
            "actions": row[1],
            "actions_tracked": row[2],
            "owners": row[3],
            "events": row[4],
        }

    def actions(
        self, filters: Filters | None = None, *, columns: Iterable[str] | None = None
    ) -> list[dict[str, Any]]:
        """Actions matching ``filters``, in report then document order.

        The filters mean exactly what ``asof.matches`` means for a rebuilt row (tested in
        ``tests/test_asof.py``): owner and report names are compared with Python's
        ``str.casefold`` (SQLite's NOCASE folds ASCII only, so "SIÂN" would miss "Siân"); the
        few matching owner and report ids are found first, then one ``SELECT`` filters by id.

        ``columns``: only these fields (names from ``ACTION_FIELDS``) in each row; the
        filters still apply in full. Speed (issue 7): ``progress`` needs five short fields,
        and reading the requirement and context text too (~570 characters an action) took
        twice as long at 10,000 actions.
        """
        names = list(ACTION_FIELDS) if columns is None else list(dict.fromkeys(columns))
        select = _select_list(names)  # unknown names refused before any SQL is run
        f = filters or Filters()
        where: list[str] = []
        params: list[Any] = []
        if f.status:
            where.append(f"a.status IN ({_in_clause(f.status)})")
            params.extend(f.status)
        if f.owner is not None:
            wanted = f.owner.casefold()
            ids = [
                i
                for i, name in self.conn.execute("SELECT id, name FROM owners")
                if name.casefold() == wanted
            ]
            where.append("a.owner_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(ids))
        if f.unassigned:
            where.append("a.owner_id IS NULL")
        if f.overdue_on:
            where.append("a.due < ? AND a.status != 'complete' AND a.retired IS NULL")
            params.append(f.overdue_on)
        if f.due_before:
            where.append("a.due < ?")
            params.append(f.due_before)
        if f.report is not None:
            wanted = f.report.casefold()
            ids = [
                i
                for i, name, prefix in self.conn.execute("SELECT id, name, prefix FROM reports")
                if wanted in (name.casefold(), prefix.casefold())
            ]
            where.append("a.report_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(ids))
        if f.quality_statement is not None:
            where.append("a.quality_statement = ?")
            params.append(f.quality_statement)
        if not f.include_retired:
            where.append("a.retired IS NULL")
        sql = f"SELECT {select} FROM {ACTION_FROM}"  # noqa: S608 - ACTION_FIELDS' SQL only
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.report_id, a.position, a.id"
        cur = self.conn.cursor()
        cur.row_factory = None  # plain tuples zipped with the names: 3x faster than sqlite3.Row
        cur.execute(sql, params)
        rows = [dict(zip(names, row, strict=True)) for row in cur]
        if "in_source" in names:
            for d in rows:
                d["in_source"] = bool(d["in_source"])
        return rows

    def action(self, ref: str) -> dict[str, Any]:
        """One action by its reference (case-insensitive), or NotFound."""
        return self.actions_by_refs([ref])[0]

    def actions_by_refs(self, refs: Iterable[str]) -> list[dict[str, Any]]:
        """Actions for references in the order given; NotFound names every unknown one."""
        wanted = [r.strip() for r in refs]
        if any(not r for r in wanted):
            raise UsageProblem(
                "An action reference is empty. Give one such as CPFT-01 (cpft-tracker list shows them)."
            )
        if not wanted:
            raise UsageProblem("Give at least one action reference, e.g. CPFT-01.")
        rows = self.conn.execute(
            f"SELECT {ACTION_COLUMNS} FROM {ACTION_FROM} WHERE a.ref IN ({_in_clause(wanted)}) COLLATE NOCASE",  # noqa: S608
            wanted,
        ).fetchall()
        found = {row["ref"].upper(): _action_dict(row) for row in rows}
        missing = [r for r in wanted if r.upper() not in found]
        if missing:
            listed = ", ".join(missing)
            raise NotFound(
                f"No action with reference {listed}. Run 'cpft-tracker list' to see the references."
            )
        seen: set[str] = set()
        ordered = []
        for r in wanted:
            if r.upper() not in seen:
                seen.add(r.upper())
                ordered.append(found[r.upper()])
        return ordered

    def history(self, ref: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """The audit trail, newest first, for one action or all."""
        sql = (
            "SELECT e.id, e.at, e.by, e.field, e.old, e.new, e.note, e.subject, a.ref AS ref,"
            " r.name AS report FROM events e LEFT JOIN actions a ON a.id = e.action_id"
            " LEFT JOIN reports r ON r.id = coalesce(e.report_id, a.report_id)"
        )
        params: list[Any] = []
        if ref is not None:
            action = self.action(ref)
            sql += " WHERE e.action_id = ?"
            params.append(action["id"])
        sql += " ORDER BY e.id DESC"
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        return [dict(row) for row in self.conn.execute(sql, params)]

    def reports(self) -> list[dict[str, Any]]:
        """The imported reports with their action counts."""
        rows = self.conn.execute(
            """SELECT r.id, r.name, r.prefix, r.source_file, r.imported_at, r.updated_at,
                      count(a.id) AS actions
               FROM reports r LEFT JOIN actions a ON a.report_id = r.id
               GROUP BY r.id ORDER BY r.id"""
        ).fetchall()
        return [dict(r) for r in rows]

    def owners(self) -> list[dict[str, Any]]:
        """Owners with how many tracked actions each holds."""
        rows = self.conn.execute(
            """SELECT o.name, o.email, count(a.id) AS actions
               FROM owners o LEFT JOIN actions a ON a.owner_id = o.id AND a.retired IS NULL
               GROUP BY o.id ORDER BY o.name COLLATE NOCASE"""
        ).fetchall()
        return [dict(r) for r in rows]

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting (e.g. the BRAG warning window)."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    # -- writes --------------------------------------------------------------

    def import_report(
        self,
        *,
        name: str,
        requirements: Sequence[Requirement],
        source_file: str,
        source_sha256: str,
        by: str,
        prefix: str | None = None,
        dry_run: bool = False,
    ) -> ImportResult:
        """Add each new requirement of a report as an action, in one transaction.

        The report is identified by its name; each requirement by the fingerprint of
        its sentence. Requirements already there are left alone (owners, dates,
        statuses and notes kept); ones missing from this version are flagged
        ``in_source = 0``, never deleted.
        """
        from cpft_tracker.extract import fingerprint

        at = now_utc()
        with self.write():
            report = self.conn.execute("SELECT * FROM reports WHERE name = ?", [name]).fetchone()
            result = ImportResult(report=name, report_created=report is None)
            if report is None:
                chosen_prefix = self._free_prefix(prefix or derive_prefix(name))
                if dry_run or not requirements:  # nothing to track: do not create an empty report
                    report_id = None
                else:
                    cur = self.conn.execute(
                        "INSERT INTO reports (name, prefix, source_file, source_sha256, imported_at, updated_at)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        [name, chosen_prefix, source_file, source_sha256, at, at],
                    )
                    report_id = cur.lastrowid
                    self._event(
                        at=at,
                        by=by,
                        field="report imported",
                        new=source_file,
                        report_id=report_id,
                        subject=name,
                    )
                existing: dict[str, dict[str, Any]] = {}
                next_number = 1
            else:
                report_id = report["id"]
                chosen_prefix = report["prefix"]
                existing = {
                    row["fingerprint"]: dict(row)
                    for row in self.conn.execute(
                        "SELECT id, ref, fingerprint, in_source, title, requirement FROM actions WHERE report_id = ?",
                        [report_id],
                    )
                }
                next_number = self._next_number(report_id, chosen_prefix)
                if not dry_run and report["source_sha256"] != source_sha256:
                    self.conn.execute(
                        "UPDATE reports SET source_file = ?, source_sha256 = ?, updated_at = ? WHERE id = ?",
                        [source_file, source_sha256, at, report_id],
                    )
                    self._event(
                        at=at,
                        by=by,
                        field="report re-imported",
                        new=source_file,
                        report_id=report_id,
                        subject=name,
                    )

            seen: set[str] = set()
            for req in requirements:
                fp = fingerprint(req.text)
                if fp in seen:
                    continue  # the same sentence twice in one report is one action
                seen.add(fp)
                item = {
                    "requirement": req.text,
                    "title": req.title,
                    "keyword": req.keyword,
                    "matched": req.matched,
                    "section": req.section,
                    "quality_statement": req.quality_statement,
                    "line": req.line,
                }
                if fp in existing:
                    row = existing[fp]
                    item["ref"] = row["ref"]
                    if not row["in_source"]:
                        result.back_in_source.append(item)
                        if not dry_run:
                            self._set(row, "in_source", 1, at=at, by=by, note="back in the report")
                    else:
                        result.already_there.append(item)
                    continue
                ref = f"{chosen_prefix}-{next_number:02d}"
                next_number += 1
                item["ref"] = ref
                result.added.append(item)
                if dry_run:
                    continue
                cur = self.conn.execute(
                    """INSERT INTO actions (ref, report_id, fingerprint, requirement, title, context, section,
                           line, position, keyword, matched, quality_statement, status, in_source,
                           created_at, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'not-started', 1, ?, ?)""",
                    [
                        ref,
                        report_id,
                        fp,
                        req.text,
                        req.title,
                        req.context,
                        req.section,
                        req.line,
                        req.position,
                        req.keyword,
                        req.matched,
                        req.quality_statement,
                        at,
                        at,
                    ],
                )
                self._event(
                    at=at,
                    by=by,
                    field="created",
                    new=ref,
                    action_id=cur.lastrowid,
                    note=f"imported from {source_file}",
                )
            for fp, row in existing.items():
                if fp not in seen and row["in_source"]:
                    result.no_longer_in_source.append(
                        {
                            "ref": row["ref"],
                            "title": row["title"],
                            "requirement": row["requirement"],
                        }
                    )
                    if not dry_run:
                        self._set(
                            row, "in_source", 0, at=at, by=by, note=f"no longer in {source_file}"
                        )
        return result

    def _free_prefix(self, wanted: str) -> str:
        taken = {r[0].upper() for r in self.conn.execute("SELECT prefix FROM reports")}
        if wanted.upper() not in taken:
            return wanted
        n = 2
        while f"{wanted}{n}".upper() in taken:
            n += 1
        return f"{wanted}{n}"

    def _next_number(self, report_id: int, prefix: str) -> int:
        numbers = [0]
        for (ref,) in self.conn.execute("SELECT ref FROM actions WHERE report_id = ?", [report_id]):
            tail = ref.rsplit("-", 1)[-1]
            if tail.isdigit():
                numbers.append(int(tail))
        return max(numbers) + 1

    def _owner_id(self, name: str, email: str | None, at: str, by: str) -> int:
        row = self.conn.execute(
            "SELECT id, name, email FROM owners WHERE name = ? COLLATE NOCASE", [name]
        ).fetchone()
        if row is None:
            cur = self.conn.execute(
                "INSERT INTO owners (name, email, created_at) VALUES (?, ?, ?)", [name, email, at]
            )
            self._event(at=at, by=by, field="owner added", new=name, subject=name)
            if email:
                self._event(at=at, by=by, field="owner_email", new=email, subject=name)
            return int(cur.lastrowid or 0)
        if email and email != row["email"]:
            self.conn.execute("UPDATE owners SET email = ? WHERE id = ?", [email, row["id"]])
            self._event(
                at=at, by=by, field="owner_email", old=row["email"], new=email, subject=row["name"]
            )
        return int(row["id"])

    def _set(
        self,
        action: dict[str, Any],
        column: str,
        value: Any,
        *,
        at: str,
        by: str,
        note: str | None = None,
        event_value: Any = None,
        old_value: Any = None,
        event_field: str | None = None,
    ) -> Change | None:
        """Change one column of one action and record it; nothing when the value is unchanged."""
        old = old_value if old_value is not None else action.get(column)
        new = event_value if event_value is not None else value
        if _text(old) == _text(new):
            return None
        self.conn.execute(
            f"UPDATE actions SET {column} = ?, updated_at = ? WHERE id = ?",  # noqa: S608 - column from code
            [value, at, action["id"]],
        )
        name = event_field or column
        self._event(at=at, by=by, field=name, old=old, new=new, note=note, action_id=action["id"])
        return Change(action["ref"], name, _text(old), _text(new))

    def _set_owner(
        self,
        action: dict[str, Any],
        owner_id: int,
        name: str,
        *,
        at: str,
        by: str,
        note: str | None,
    ) -> Change | None:
        """Give an action an owner; the audit event records owner names, not ids."""
        return self._set(
            action,
            "owner_id",
            owner_id,
            at=at,
            by=by,
            note=note,
            event_value=name,
            old_value=action["owner"],
            event_field="owner",
        )

    def assign(
        self,
        refs: Sequence[str],
        owner: str,
        *,
        by: str,
        email: str | None = None,
        note: str | None = None,
    ) -> list[Change]:
        """Give one owner to one or many actions."""
        owner = clean_name(owner)
        email = check_email(email) if email else None
        at = now_utc()
        changes: list[Change] = []
        with self.write():
            actions = self.actions_by_refs(refs)
            owner_id = self._owner_id(owner, email, at, by)
            stored_name = self.conn.execute(
                "SELECT name FROM owners WHERE id = ?", [owner_id]
            ).fetchone()[0]
            for action in actions:
                if action["owner"] == stored_name:
                    continue
                c = self._set_owner(action, owner_id, stored_name, at=at, by=by, note=note)
                if c:
                    changes.append(c)
        return changes

    def unassign(self, refs: Sequence[str], *, by: str, note: str | None = None) -> list[Change]:
        """Take the owner off actions."""
        at = now_utc()
        with self.write():
            return [
                c
                for a in self.actions_by_refs(refs)
                if a["owner"] is not None
                and (
                    c := self._set(
                        a,
                        "owner_id",
                        None,
                        at=at,
                        by=by,
                        note=note,
                        old_value=a["owner"],
                        event_field="owner",
                    )
                )
            ]

    def set_due(
        self, refs: Sequence[str], due: str | None, *, by: str, note: str | None = None
    ) -> list[Change]:
        """Set (or with None clear) the due date of actions; ``due`` is an ISO date."""
        at = now_utc()
        with self.write():
            return [
                c
                for a in self.actions_by_refs(refs)
                if (c := self._set(a, "due", due, at=at, by=by, note=note))
            ]

    def set_status(
        self,
        refs: Sequence[str],
        status: str,
        *,
        by: str,
        note: str | None = None,
        evidence: str | None = None,
    ) -> list[Change]:
        """Move actions to a status; ``complete`` needs evidence, given now or recorded earlier."""
        if status not in STATUSES:
            raise UsageProblem(f"'{status}' is not a status. Use one of: {', '.join(STATUSES)}.")
        evidence = _clean_text(evidence) if evidence is not None else None
        at = now_utc()
        changes: list[Change] = []
        with self.write():
            actions = self.actions_by_refs(refs)
            if status == "complete" and not evidence:
                lacking = [a["ref"] for a in actions if not a["evidence"]]
                if lacking:
                    raise RuleBroken(
                        f"{', '.join(lacking)} cannot be marked complete without evidence. "
                        'Add it with --evidence "what shows it is done" (CQC closes actions on evidence).'
                    )
            for action in actions:
                if action["retired"]:
                    raise RuleBroken(
                        f"{action['ref']} is retired ({action['retired']}). "
                        f"Run 'cpft-tracker reinstate {action['ref']}' first if it should be tracked again."
                    )
                if evidence:
                    combined = (
                        f"{action['evidence']}\n{evidence}" if action["evidence"] else evidence
                    )
                    c = self._set(
                        action,
                        "evidence",
                        combined,
                        at=at,
                        by=by,
                        note=note if status == action["status"] else None,
                    )
                    if c:
                        changes.append(c)
                c = self._set(action, "status", status, at=at, by=by, note=note)
                if c:
                    changes.append(c)
                elif note and not evidence:
                    self._event(at=at, by=by, field="note", new=note, action_id=action["id"])
                    changes.append(Change(action["ref"], "note", None, note))
        return changes

    def add_note(self, ref: str, text: str, *, by: str) -> Change:
        """A dated progress note on an action."""
        text = _clean_text(text)
        if not text:
            raise UsageProblem(
                'The note is empty. Write what happened, e.g. "Paper to board on 3 March".'
            )
        at = now_utc()
        with self.write():
            action = self.action(ref)
            self.conn.execute("UPDATE actions SET updated_at = ? WHERE id = ?", [at, action["id"]])
            self._event(at=at, by=by, field="note", new=text, action_id=action["id"])
        return Change(action["ref"], "note", None, text)

    def add_evidence(self, ref: str, text: str, *, by: str) -> Change:
        """Record evidence of completion on an action (appended to what is there)."""
        text = _clean_text(text)
        if not text:
            raise UsageProblem(
                'The evidence is empty. Say what shows the action is done, e.g. "Board minutes 3 March, item 7".'
            )
        at = now_utc()
        with self.write():
            action = self.action(ref)
            combined = f"{action['evidence']}\n{text}" if action["evidence"] else text
            change = self._set(action, "evidence", combined, at=at, by=by)
        assert change is not None
        return change

    def set_text_field(
        self,
        refs: Sequence[str],
        column: str,
        value: str | None,
        *,
        by: str,
        note: str | None = None,
    ) -> list[Change]:
        """Correct the title or the quality statement of actions (audited)."""
        if column not in ("title", "quality_statement"):
            raise ValueError(column)
        at = now_utc()
        with self.write():
            return [
                c
                for a in self.actions_by_refs(refs)
                if (c := self._set(a, column, value, at=at, by=by, note=note))
            ]

    def retire(self, refs: Sequence[str], reason: str, *, by: str) -> list[Change]:
        """Stop tracking actions, with a reason; they stay in history and exports."""
        reason = _clean_text(reason)
        if not reason:
            raise UsageProblem('Give the reason for retiring, e.g. --reason "merged into CPFT-03".')
        at = now_utc()
        with self.write():
            return [
                c
                for a in self.actions_by_refs(refs)
                if (c := self._set(a, "retired", reason, at=at, by=by))
            ]

    def reinstate(self, refs: Sequence[str], *, by: str, note: str | None = None) -> list[Change]:
        """Track retired actions again."""
        at = now_utc()
        with self.write():
            return [
                c
                for a in self.actions_by_refs(refs)
                if (c := self._set(a, "retired", None, at=at, by=by, note=note))
            ]

    def set_setting(self, key: str, value: str, *, by: str) -> Change | None:
        """Store a setting, recorded in the audit trail."""
        at = now_utc()
        with self.write():
            old = self.setting(key)
            if old == value:
                return None
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            self._event(at=at, by=by, field=f"setting {key}", old=old, new=value)
        return Change("", key, old, value)

    # -- as-of views, progress and plan files (issue 4) -------------------------

    def events_to_undo(self, cutoff: str) -> list[tuple[Any, ...]]:
        """Events recorded at or after UTC ``cutoff``, newest first, as plain tuples (for speed):
        ``(id, action_id, subject, field, old)``. Used to rebuild the plan as it stood before."""
        cur = self.conn.cursor()
        cur.row_factory = None
        return cur.execute(
            "SELECT id, action_id, subject, field, old FROM events WHERE at >= ? ORDER BY id DESC",
            [cutoff],
        ).fetchall()

    def first_changes_after(self, cutoff: str) -> tuple[int | None, list[tuple[Any, ...]]]:
        """What the plan's rebuild at UTC ``cutoff`` needs from the events recorded at or after it.

        Returns ``(first_id, changes)``: the id of the oldest such event (None when there are
        none), and for each (action, field) changed since, its OLDEST such event only, as
        ``(action_id, field, old)``: its ``old`` is the value in force at the cut-off, so the
        later events of that field need not be undone one by one. Events with no action
        (``owner_email`` and others) come as ``(None, field, old, subject)``, every one, newest
        first. One pass over the events table: with a cut-off months back, half the trail
        is after it, and reading it in rowid order beats an index walk that fetches each row.
        """
        cur = self.conn.cursor()
        cur.row_factory = None
        first = cur.execute("SELECT min(id) FROM events WHERE at >= ?", [cutoff]).fetchone()[0]
        if first is None:
            return None, []
        # A bare column next to min() takes its value from the row holding the minimum
        # (SQLite documents this). NOT INDEXED: scan the table, not an index (see above).
        changes = cur.execute(
            "SELECT action_id, field, old, min(id) FROM events NOT INDEXED"
            " WHERE at >= ? AND action_id IS NOT NULL GROUP BY action_id, field",
            [cutoff],
        ).fetchall()
        others = cur.execute(
            "SELECT NULL, field, old, subject FROM events"
            " WHERE at >= ? AND action_id IS NULL AND id >= ? ORDER BY id DESC",
            [cutoff, first],
        ).fetchall()
        return int(first), changes + others

    def action_events_between(
        self, start: str, end: str, fields: Sequence[str]
    ) -> list[dict[str, Any]]:
        """Action events of the given fields recorded in [start, end) UTC, oldest first, with the ref."""
        rows = self.conn.execute(
            "SELECT e.id, e.at, e.by, e.field, e.old, e.new, e.note, a.ref, a.title"
            " FROM events e JOIN actions a ON a.id = e.action_id"
            " WHERE e.at >= ? AND e.at < ? AND e.field IN (SELECT value FROM json_each(?))"
            " ORDER BY e.id",
            [start, end, json.dumps(list(fields))],
        ).fetchall()
        return [dict(r) for r in rows]

    def owner_emails(self) -> dict[str, str | None]:
        """Every owner's email address now, keyed by the casefolded owner name."""
        return {
            name.casefold(): email
            for name, email in self.conn.execute("SELECT name, email FROM owners")
        }

    def last_event_at_before(self, event_id: int) -> dict[int, str]:
        """For each action, the time of its last event written before event ``event_id``.

        (Its ``updated_at`` then.) Uses the covering index on (action_id, id), so it stays fast.
        """
        rows = self.conn.execute(
            "SELECT e.action_id, e.at FROM events e JOIN (SELECT action_id, max(id) AS id FROM events"
            " WHERE action_id IS NOT NULL AND id < ? GROUP BY action_id) m ON e.id = m.id",
            [event_id],
        )
        return {int(a): str(t) for a, t in rows}

    def apply_plan(
        self, edits: Sequence[dict[str, Any]], *, by: str, note: str | None = None
    ) -> list[Change]:
        """Apply the edits of a plan file in ONE transaction: every change, or (on any error) none.

        Each edit is ``{"ref": ..., <field>: <target value>, ...}`` with only the fields to change,
        already read and checked (``plan.plan_edits``): ``title``, ``owner`` (None takes the
        owner off), ``owner_email``, ``due`` (ISO or None), ``evidence``, ``status``.
        Audited like ``assign``/``due``/``status``; the rules (complete needs evidence, a
        retired action's status cannot move) are checked again here, raising RuleBroken.
        """
        at = now_utc()
        changes: list[Change] = []
        if not edits:
            return changes

        def keep(change: Change | None) -> None:
            if change is not None:
                changes.append(change)

        with self.write():
            found = {a["ref"].upper(): a for a in self.actions_by_refs([e["ref"] for e in edits])}
            for edit in edits:
                action = found[edit["ref"].strip().upper()]
                ref = action["ref"]
                if "title" in edit:
                    title = clean_name(edit["title"], "title")
                    keep(self._set(action, "title", title, at=at, by=by, note=note))
                    action["title"] = title
                if "owner" in edit or "owner_email" in edit:
                    name = edit["owner"] if "owner" in edit else action["owner"]
                    if name is None:
                        if action["owner"] is not None:
                            self.conn.execute(
                                "UPDATE actions SET owner_id = NULL, updated_at = ? WHERE id = ?",
                                [at, action["id"]],
                            )
                            self._event(
                                at=at,
                                by=by,
                                field="owner",
                                old=action["owner"],
                                new=None,
                                note=note,
                                action_id=action["id"],
                            )
                            changes.append(Change(ref, "owner", action["owner"], None))
                            action["owner"] = None
                    else:
                        name = clean_name(name)
                        email = (
                            check_email(edit["owner_email"]) if edit.get("owner_email") else None
                        )
                        before = self.conn.execute(
                            "SELECT email FROM owners WHERE name = ? COLLATE NOCASE", [name]
                        ).fetchone()
                        owner_id = self._owner_id(name, email, at, by)
                        stored = self.conn.execute(
                            "SELECT name FROM owners WHERE id = ?", [owner_id]
                        ).fetchone()[0]
                        old_email = before["email"] if before is not None else None
                        if action["owner"] != stored:
                            keep(self._set_owner(action, owner_id, stored, at=at, by=by, note=note))
                            action["owner"] = stored
                        if email and email != old_email:
                            changes.append(Change(ref, "owner_email", old_email, email))
                if "due" in edit:
                    keep(self._set(action, "due", edit["due"], at=at, by=by, note=note))
                    action["due"] = edit["due"]
                if "evidence" in edit:
                    value = _clean_text(edit["evidence"] or "") or None
                    keep(self._set(action, "evidence", value, at=at, by=by, note=note))
                    action["evidence"] = value
                if "status" in edit and edit["status"] != action["status"]:
                    status = edit["status"]
                    if status not in STATUSES:
                        raise UsageProblem(
                            f"{ref}: '{status}' is not a status. Use one of: {', '.join(STATUSES)}."
                        )
                    if action["retired"]:
                        raise RuleBroken(
                            f"{ref} is retired; reinstate it before changing its status."
                        )
                    if status == "complete" and not action["evidence"]:
                        raise RuleBroken(f"{ref} cannot be marked complete without evidence.")
                    keep(self._set(action, "status", status, at=at, by=by, note=note))
                    action["status"] = status
        return changes


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

_STOP_WORDS = {
    "and",
    "of",
    "the",
    "for",
    "nhs",
    "report",
    "from",
    "to",
    "in",
    "at",
    "on",
    "a",
    "an",
}


def derive_prefix(name: str) -> str:
    """A short reference prefix from a report's name: initials of its capitalised words (max 4)."""
    head = re.split(r"\s[—–-]\s|:|\(", name, maxsplit=1)[0]
    words = re.findall(r"[A-Za-z][A-Za-z']*", head)
    initials = "".join(w[0] for w in words if w[0].isupper() and w.lower() not in _STOP_WORDS)
    if len(initials) < 2:
        initials = "".join(w[0] for w in words if w.lower() not in _STOP_WORDS)
    prefix = initials.upper()[:4]
    return prefix if len(prefix) >= 2 else "ACT"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def _clean_text(value: str) -> str:
    """Free text from a person: NUL bytes removed, trailing space trimmed; line breaks kept."""
    return value.replace("\x00", "").strip()


def _action_dict(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    d["in_source"] = bool(d["in_source"])
    return d


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except PermissionError:
        raise DatabaseProblem(
            f"You do not have permission to read {path}. Ask whoever manages the file for access."
        ) from None
    except OSError as exc:
        raise DatabaseProblem(
            f"Cannot read {path}: {exc.strerror}. Check the file and try again."
        ) from None
    if header != SQLITE_HEADER:
        raise DatabaseProblem(
            f"{path} is not a cpft-tracker database (it is not an SQLite file). "
            "Check the --db path, or restore the file from a backup; it was not changed."
        )


def _create_private_file(path: Path) -> None:
    """Create the database file readable by its owner only (it holds names and email addresses)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
    except PermissionError:
        raise DatabaseProblem(
            f"Cannot create the database {path}: permission denied. Choose a folder you can write to with --db."
        ) from None
    except OSError as exc:
        raise DatabaseProblem(
            f"Cannot create the database {path}: {exc.strerror}. Choose another place with --db."
        ) from None


def translate_sqlite_error(exc: sqlite3.DatabaseError, path: Path) -> DatabaseProblem:
    """A plain-English DatabaseProblem for an SQLite error."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text or "attempt to write" in text:
        return DatabaseProblem(
            f"The database {path} is read-only for you, so nothing was changed. "
            "Ask for write access to the file and its folder, or work on a copy with --db."
        )
    if "locked" in text or "busy" in text:
        return DatabaseProblem(
            f"The database {path} is busy with another long-running change. Nothing was changed; try again in a minute."
        )
    if "disk is full" in text or "database or disk is full" in text or "no space" in text:
        return DatabaseProblem(
            f"The disk holding {path} is full, so nothing was changed. Free some space and try again."
        )
    if getattr(exc, "sqlite_errorname", "").startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return DatabaseProblem(
            f"Could not read or write {path} (disk I/O error): the disk may be full or failing, so "
            "nothing was changed. Free some space and try again; then run 'cpft-tracker check'."
        )
    if (
        "malformed" in text
        or "not a database" in text
        or "file is encrypted" in text
        or "corrupt" in text
    ):
        return DatabaseProblem(
            f"The database {path} is damaged ({exc}). Nothing was changed. Run 'cpft-tracker check' and "
            "restore it from a backup if needed."
        )
    if "unable to open" in text or "cannot open" in text:
        return DatabaseProblem(
            f"Cannot open the database {path}. Check that the folder exists and that you may write to it."
        )
    if "audit trail cannot be changed" in text or "never deleted" in text:
        return DatabaseProblem(f"Refused: {exc}. The action plan keeps everything.")
    return DatabaseProblem(f"The database {path} reported a problem: {exc}. Nothing was changed.")
