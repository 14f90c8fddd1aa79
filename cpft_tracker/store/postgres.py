"""The PostgreSQL backend (issue 12): a ``postgresql://`` URL given as ``--db`` or ``CPFT_TRACKER_DB``.

The store's classes (views, reads, writes, loading, audit) run unchanged over a connection
that behaves like ``sqlite3``'s for what they use (:class:`PgConnection`): their SQL is
written once, with ``?`` placeholders, and :func:`translate` turns the few SQLite-only
phrases into PostgreSQL's (the dialect's constants are matched by name, not guessed):

- ``?`` -> ``%s`` (and a literal ``%`` -> ``%%``);
- ``x IN (...) COLLATE NOCASE`` -> ``x COLLATE nocase IN (...)``; ``nocase`` is an ICU
  collation this backend creates (case-insensitive, like SQLite's NOCASE, but for every
  alphabet), so the columns declared ``COLLATE NOCASE`` keep their meaning as they are;
- ``x IN (SELECT value FROM json_each(?))`` (``in_list``) -> ``json_array_elements_text``;
- ``FIRST_CHANGES_AFTER`` and ``FIRST_CHANGES_OF`` (SQLite's bare column beside ``min()``) -> ``DISTINCT ON``;
- ``instr(x, part)`` -> ``strpos(x, part)`` (both 1-based, 0 when absent);
- ``COLLATE BINARY`` (``CODEPOINTS``: code point order, as Python sorts) -> ``COLLATE "C"``;
- ``casefold(x)`` is a SQL function made by the migration (``lower``, Unicode-aware);
- an INSERT into a table with an ``id`` gets ``RETURNING id`` (``cursor.lastrowid``).

The write transaction (``BEGIN IMMEDIATE`` in SQLite) is ``BEGIN`` then ``LOCK TABLE events
IN EXCLUSIVE MODE``: writers queue behind each other (up to ``lock_timeout``, 60 s) while
readers go on; the event id and chain hash are read under that lock, so the hash chain is
computed exactly as on SQLite. Triggers (PL/pgSQL) refuse UPDATE and DELETE on events and
DELETE on actions and reports, in the database. psycopg is imported only here, and this
module only when a PostgreSQL URL is used.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from cpft_tracker.errors import DatabaseMissing, DatabaseProblem
from cpft_tracker.store import periods as _periods
from cpft_tracker.store import sqlite_dialect as sq

URL_SCHEMES = ("postgresql://", "postgres://")
CONNECT_TIMEOUT_S = 10
LOCK_TIMEOUT_MS = 60_000


def is_url(value: object) -> bool:
    """Whether ``value`` names a PostgreSQL database (a ``postgresql://`` URL)."""
    return isinstance(value, str | DatabaseURL) and str(getattr(value, "url", value)).startswith(
        URL_SCHEMES
    )


def mask(url: str) -> str:
    """The URL with its password (if any) shown as ``***``: what messages show."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "postgresql://…"
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    netloc = f"{parts.username or ''}:***@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


class DatabaseURL:
    """A PostgreSQL database named by URL, standing where a database path stands (``store.path``).

    ``str()`` is the URL with the password masked, so no message can show it; ``.url`` is the
    real one, given only to the driver.
    """

    def __init__(self, url: str) -> None:
        self.url = url

    def __str__(self) -> str:
        return mask(self.url)

    def __repr__(self) -> str:
        return f"DatabaseURL({mask(self.url)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DatabaseURL) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)

    @property
    def name(self) -> str:
        return urlsplit(self.url).path.lstrip("/") or "postgres"

    def exists(self) -> bool:
        """Whether a plan is there (its migrations table); True when that cannot be asked, so
        that opening it says what is wrong."""
        try:
            conn = connect(self)
        except DatabaseProblem:
            return True
        except DatabaseMissing:
            return False
        try:
            return bool(applied_migrations(conn))
        except DatabaseProblem:
            return True
        finally:
            conn.close()

    def expanduser(self) -> DatabaseURL:
        return self


# ---------------------------------------------------------------------------
# Schema
# ---------------------------------------------------------------------------

NOCASE_COLLATION = (
    "CREATE COLLATION IF NOT EXISTS nocase"
    " (provider = icu, locale = 'und-u-ks-level2', deterministic = false)"
)

REFUSE_FUNCTION = """CREATE OR REPLACE FUNCTION cpft_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$"""

# The protective triggers: same names as SQLite's, the same refusals, in PostgreSQL's words.
PG_TRIGGERS: dict[str, str] = {
    "events_are_append_only_update": "CREATE TRIGGER events_are_append_only_update BEFORE UPDATE"
    " ON events FOR EACH ROW EXECUTE FUNCTION cpft_refuse('the audit trail cannot be changed')",
    "events_are_append_only_delete": "CREATE TRIGGER events_are_append_only_delete BEFORE DELETE"
    " ON events FOR EACH ROW EXECUTE FUNCTION cpft_refuse('the audit trail cannot be changed')",
    "events_are_never_truncated": "CREATE TRIGGER events_are_never_truncated BEFORE TRUNCATE"
    " ON events FOR EACH STATEMENT EXECUTE FUNCTION cpft_refuse('the audit trail cannot be changed')",
    "actions_are_never_deleted": "CREATE TRIGGER actions_are_never_deleted BEFORE DELETE"
    " ON actions FOR EACH ROW EXECUTE FUNCTION cpft_refuse('actions are retired, never deleted')",
    "reports_are_never_deleted": "CREATE TRIGGER reports_are_never_deleted BEFORE DELETE"
    " ON reports FOR EACH ROW EXECUTE FUNCTION cpft_refuse('reports are never deleted')",
}


def _pg_statement(statement: str) -> str | None:
    """One SQLite schema statement in PostgreSQL's words (None: replaced by PG_TRIGGERS)."""
    if statement.lstrip().startswith("CREATE TRIGGER"):
        return None
    return statement.replace(
        "id INTEGER PRIMARY KEY", "id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
    )


def _pg_list(statements: Sequence[str]) -> list[str]:
    return [s for s in (_pg_statement(x) for x in statements) if s is not None]


def _fill_field_periods(conn: PgConnection) -> None:
    """m012's back-fill (``periods.backfill``), the same Python as SQLite's."""
    from cpft_tracker.store import periods

    periods.backfill(conn)


# Every SQLite migration, by the same name, as PostgreSQL statements. The later ones are the
# very lists sqlite_dialect runs (M003_REVIEW, M004_MERGE, M005_CHAIN, M007_...), run as they are.
# A callable in a list is run with the connection (m012's back-fill from the audit trail).
PG_MIGRATIONS: list[tuple[str, list[Any]]] = [
    (
        "m001_initial",
        [
            NOCASE_COLLATION,
            "CREATE OR REPLACE FUNCTION casefold(text) RETURNS text LANGUAGE sql IMMUTABLE"
            " AS 'SELECT lower($1)'",
            *_pg_list(sq.M001_INITIAL),
            REFUSE_FUNCTION,
            PG_TRIGGERS["events_are_append_only_update"],
            PG_TRIGGERS["events_are_append_only_delete"],
            PG_TRIGGERS["events_are_never_truncated"],
            PG_TRIGGERS["actions_are_never_deleted"],
            PG_TRIGGERS["reports_are_never_deleted"],
        ],
    ),
    (
        "m002_progress_index",
        [
            "CREATE INDEX IF NOT EXISTS actions_figures ON actions"
            "(quality_statement, status, owner_id, retired, due, report_id, created_at)"
        ],
    ),
    ("m003_review", _pg_list(sq.M003_REVIEW)),
    ("m004_merge", _pg_list(sq.M004_MERGE)),
    # a new PostgreSQL database has no events yet: nothing to chain but the column
    ("m005_chain", _pg_list(sq.M005_CHAIN)),
    ("m007_reminder_claims", _pg_list(sq.M007_REMINDER_CLAIMS)),
    ("m006_team", ["ALTER TABLE events ADD COLUMN occurred_on TEXT"]),
    ("m008_plan_order", _pg_list(sq.M008_PLAN_ORDER)),
    ("m009_tracked_figures", _pg_list(sq.M009_TRACKED_FIGURES)),
    ("m010_due_covering", _pg_list(sq.M010_DUE_COVERING)),
    ("m011_event_changes", _pg_list(sq.M011_EVENT_CHANGES)),
    (
        "m012_field_periods",
        [
            _periods.CREATE_TABLE.replace(" WITHOUT ROWID", ""),
            _periods.CREATE_ZONE,
            _fill_field_periods,
            _periods.CREATE_INDEX,
        ],
    ),
]

MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS _cpft_migrations (
    id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    migration_set TEXT NOT NULL,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    UNIQUE (migration_set, name)
)"""

# check on PostgreSQL: each protective trigger, enabled, and the SQL it was made with
# (PostgreSQL's own rendering of it, compared with what this module made it with).
TRIGGERS_SQL = (
    "SELECT t.tgname, CASE WHEN t.tgenabled = 'D' THEN 'disabled: ' ELSE '' END"
    " || pg_get_triggerdef(t.oid) FROM pg_trigger t"
    " JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
    " AND c.relname IN ('events', 'actions', 'reports')"
)


def _norm(statement: str) -> str:
    return sq.normalised_sql(statement.replace("public.", "").replace('"', ""))


def trigger_sql(conn: Any) -> dict[str, str]:
    """The protective triggers for ``check`` (see ``AuditReads.trigger_sql``)."""
    found: dict[str, str] = {}
    for name, definition in conn.execute(sq.TRIGGERS_SQL).fetchall():
        made = PG_TRIGGERS.get(str(name))
        if made is not None and _norm(definition) == _norm(made):
            found[str(name)] = sq.PROTECTIVE_TRIGGERS.get(str(name), made)
        else:
            found[str(name)] = str(definition)
    return found


# check's two SQLite PRAGMAs. PostgreSQL keeps its pages itself ("ok"). Its foreign keys hold
# unless a superuser switched triggers off (session_replication_role = replica): like SQLite's
# foreign_key_check, one row (the table's name first) for each row that points at nothing,
# every foreign key of the plan's schema asked in turn (query_to_xml runs each count).
# ``%%`` because psycopg reads ``%`` as a placeholder.
FOREIGN_KEY_CHECK = (
    "SELECT t.tbl, NULL, t.parent, NULL FROM ("
    " SELECT c.conrelid::regclass::text AS tbl, c.confrelid::regclass::text AS parent,"
    " (xpath('/row/n/text()', query_to_xml(format("
    "'SELECT count(*) AS n FROM %%s ch WHERE ch.%%I IS NOT NULL AND NOT EXISTS"
    " (SELECT 1 FROM %%s p WHERE p.%%I = ch.%%I)',"
    " c.conrelid::regclass, a.attname, c.confrelid::regclass, pa.attname, a.attname),"
    " false, true, '')))[1]::text::int AS n"
    " FROM pg_constraint c"
    " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
    " JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]"
    " WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace"
    ") t, generate_series(1, t.n) ORDER BY 1"
)
_PRAGMAS = {
    "PRAGMA integrity_check(20)": "SELECT 'ok'",
    "PRAGMA foreign_key_check": FOREIGN_KEY_CHECK,
}

_FIRST_CHANGES_AFTER_PG = (
    "SELECT DISTINCT ON (action_id, field) action_id, field, old, id FROM events"  # noqa: S608 - our SQL only
    f" WHERE {sq.HAPPENED_AFTER} AND action_id IS NOT NULL ORDER BY action_id, field, id"
)

_FIRST_CHANGES_OF_PG = (
    "SELECT DISTINCT ON (field, action_id) action_id, field, old, id FROM events"  # noqa: S608 - our SQL only
    " WHERE field IN (SELECT value FROM json_each(?))"
    f" AND {sq.HAPPENED_AFTER} AND action_id IS NOT NULL ORDER BY field, action_id, id"
)

_INSTR = re.compile(r"\binstr\(")
_IN_LIST = re.compile(r"([\w.]+) IN \(SELECT value FROM json_each\(\?\)\)")
_IN_NOCASE = re.compile(r"([\w.]+) IN \(([^()]*)\) COLLATE NOCASE")
_INSERT_WITH_ID = re.compile(r"^\s*INSERT INTO (reports|owners|actions|reminders)\b", re.I)


def _in_list(m: re.Match[str]) -> str:
    column = m.group(1)
    cast = "::bigint" if column.endswith("id") else ""
    return f"{column} IN (SELECT v{cast} FROM json_array_elements_text(?::json) AS j(v))"  # noqa: S608 - a column name from code


@functools.lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """The store's SQLite SQL (``?`` placeholders) in PostgreSQL's words (see the module doc)."""
    if sql in _PRAGMAS:
        return _PRAGMAS[sql]
    sql = sql.replace(sq.FIRST_CHANGES_AFTER, _FIRST_CHANGES_AFTER_PG)
    sql = sql.replace(sq.FIRST_CHANGES_OF, _FIRST_CHANGES_OF_PG)
    sql = sql.replace(sq.TRIGGERS_SQL, TRIGGERS_SQL)
    sql = sql.replace(" NOT INDEXED", "")
    sql = sql.replace(sq.CODEPOINTS, 'COLLATE "C"')
    sql = _INSTR.sub("strpos(", sql)  # list --search: SQLite's instr(text, part) is strpos
    sql = _IN_LIST.sub(_in_list, sql)
    sql = _IN_NOCASE.sub(r"\1 COLLATE nocase IN (\2)", sql)
    sql = sql.replace("%", "%%").replace("?", "%s")
    return sql


# ---------------------------------------------------------------------------
# A connection that behaves like sqlite3's for what the store uses
# ---------------------------------------------------------------------------


class Row(tuple[Any, ...]):
    """A row read by index or by column name, ``dict(row)``-able (like ``sqlite3.Row``)."""

    _names: tuple[str, ...] = ()
    _index: dict[str, int] = {}  # noqa: RUF012

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override,unused-ignore]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: Any) -> Any:
    desc = cursor.description
    if desc is None:
        return None
    names = tuple(d.name for d in desc)
    cls = type("Row", (Row,), {"_names": names, "_index": {n: i for i, n in enumerate(names)}})
    return lambda values: cls(values)


# A streamed read is fetched this many rows at a time (one FETCH each): a few MB of rows at most.
STREAM_ROWS = 2_000
_stream_names = itertools.count(1)


class PgCursor:
    """The part of ``sqlite3.Cursor`` the store uses, over a psycopg cursor.

    By default a client-side cursor: psycopg receives the whole result before handing over
    its first row, right for the many small queries. ``streamed=True`` (the store's
    ``streaming_cursor()``, for the big reads it takes row by row: the plan, every event)
    is a server-side cursor instead: ``DECLARE`` then ``FETCH`` of :data:`STREAM_ROWS` rows at
    a time, so the client holds one batch, whatever the size of the plan. Inside a
    transaction (the read snapshot, REPEATABLE READ READ ONLY, or a write) it reads that
    transaction's snapshot and ends with it; outside one it is declared ``WITH HOLD`` (the
    server keeps the result for this connection until it is closed). Other queries may run
    on the connection between two batches (a board page reads each block's latest updates
    while the plan streams), which psycopg's ``stream()`` would not allow.
    """

    def __init__(self, owner: PgConnection, *, streamed: bool = False) -> None:
        self._owner = owner
        self._streamed = streamed
        self._cur = self._new_cursor(_row_factory)
        self.lastrowid: int | None = None

    def _new_cursor(self, row_factory: Any) -> Any:
        if not self._streamed:
            return self._owner.raw.cursor(row_factory=row_factory)
        cur = self._owner.raw.cursor(
            f"cpft_stream_{next(_stream_names)}",
            row_factory=row_factory,
            withhold=not self._owner.in_transaction,
        )
        cur.itersize = STREAM_ROWS
        return cur

    @property
    def streamed(self) -> bool:
        """Whether rows come from a server-side cursor, a batch at a time (see the class doc)."""
        return self._streamed

    @property
    def row_factory(self) -> Any:
        return self._cur.row_factory

    @row_factory.setter
    def row_factory(self, value: Any) -> None:
        from psycopg.rows import tuple_row

        self._cur.row_factory = _row_factory if value is not None else tuple_row

    @property
    def description(self) -> Any:
        return self._cur.description

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PgCursor:
        text = translate(sql)
        if self._streamed:  # DECLARE (psycopg closes the one before if executed again)
            with self._owner.errors():
                self._cur.execute(text, list(params))
            return self
        returning = bool(_INSERT_WITH_ID.match(sql)) and "RETURNING" not in sql.upper()
        if returning:
            text += " RETURNING id"
        with self._owner.errors():
            self._cur.execute(text, list(params))
            if returning:
                row = self._cur.fetchone()
                self.lastrowid = int(row[0]) if row else None
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> PgCursor:
        with self._owner.errors():
            self._cur.executemany(translate(sql), [list(r) for r in rows])
        return self

    def fetchone(self) -> Any:
        with self._owner.errors():
            return self._cur.fetchone()

    def fetchmany(self, size: int) -> list[Any]:
        with self._owner.errors():
            return self._cur.fetchmany(size)

    def fetchall(self) -> list[Any]:
        with self._owner.errors():
            return self._cur.fetchall()

    def __iter__(self) -> Iterator[Any]:
        with self._owner.errors():
            yield from self._cur

    def close(self) -> None:
        """Close the cursor (a server-side one: ``CLOSE``, if its transaction is still open).

        Never raises: this runs in ``finally`` blocks, where a failure (a connection lost, a
        query still in flight after a Ctrl-C) must not replace the reason the read stopped;
        a cursor the server still has ends with its transaction or the connection.
        """
        with contextlib.suppress(Exception):
            self._cur.close()


class PgConnection:
    """A psycopg connection (autocommit; transactions begun and ended by the store) that the
    store's classes use as they use ``sqlite3.Connection``. Every driver error becomes one
    plain DatabaseProblem (``translate_error``)."""

    def __init__(self, raw: Any, where: DatabaseURL) -> None:
        self.raw = raw
        self.where = where

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        import psycopg

        try:
            yield
        except psycopg.Error as exc:
            raise translate_error(exc, self.where) from None

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self.raw.info.transaction_status != TransactionStatus.IDLE)

    def cursor(self, *, streamed: bool = False) -> PgCursor:
        """A cursor; ``streamed=True``: a server-side one, read a batch at a time (``PgCursor``)."""
        return PgCursor(self, streamed=streamed)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PgCursor:
        return self.cursor().execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> PgCursor:
        return self.cursor().executemany(sql, rows)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.raw.close()


class ReadOnlyRole(DatabaseProblem):
    """The server refused a change: this database role may only read the plan."""


def translate_error(exc: Exception, where: DatabaseURL) -> DatabaseProblem:
    """One plain line for a PostgreSQL error (the URL shown with its password masked)."""
    import psycopg
    import psycopg.errors as pe

    diag = getattr(exc, "diag", None)
    text = " ".join(str((diag.message_primary if diag is not None else None) or exc).split())
    if isinstance(exc, pe.InsufficientPrivilege):
        return ReadOnlyRole(
            f"You may only read the action plan at {where} (this database role has no right to "
            "change it), so nothing was changed. Ask the plan's keeper for a role that may write."
        )
    if isinstance(exc, pe.RaiseException) and (
        "audit trail cannot be changed" in text or "never deleted" in text
    ):
        return DatabaseProblem(f"Refused: {text}. The action plan keeps everything.")
    if isinstance(exc, pe.LockNotAvailable | pe.QueryCanceled | pe.DeadlockDetected):
        return DatabaseProblem(
            f"The database {where} is busy with another long-running change. Nothing was changed; "
            "try again in a minute."
        )
    if isinstance(exc, pe.DiskFull):
        return DatabaseProblem(
            f"The PostgreSQL server of {where} is out of disk space, so nothing was changed."
        )
    if isinstance(exc, psycopg.OperationalError):
        return DatabaseProblem(
            f"Lost the connection to the PostgreSQL database {where} ({text}). Nothing was "
            "half-saved; try again."
        )
    return DatabaseProblem(f"The database {where} reported a problem: {text}. Nothing was changed.")


def connect(where: DatabaseURL) -> PgConnection:
    """Connect (``connect_timeout``; the password from the URL, PGPASSWORD or ~/.pgpass, as libpq does)."""
    try:
        import psycopg
    except ImportError:
        raise DatabaseProblem(
            "A PostgreSQL database needs the PostgreSQL driver: pip install 'cpft-tracker[postgresql]'."
        ) from None
    try:
        raw = psycopg.connect(
            where.url,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name="cpft-tracker",
            options=f"-c lock_timeout={LOCK_TIMEOUT_MS} -c statement_timeout=0",
        )
    except psycopg.Error as exc:
        reason = " ".join(str(exc).replace(where.url, str(where)).split())
        # libpq's message can quote the connection string; never let a password through
        parts = urlsplit(where.url)
        if parts.password:
            reason = reason.replace(parts.password, "***")
        if "does not exist" in reason and "database" in reason:
            raise DatabaseMissing(
                f"No PostgreSQL database {where.name} on that server ({where}). Create it "
                f"(createdb {where.name}) or check the URL given with --db or CPFT_TRACKER_DB."
            ) from None
        raise DatabaseProblem(
            f"Cannot connect to the PostgreSQL database {where}: {reason}. Check the URL, the "
            "server and the password (in the URL, PGPASSWORD or ~/.pgpass)."
        ) from None
    return PgConnection(raw, where)


def applied_migrations(conn: PgConnection) -> list[str]:
    """Names of this project's migrations recorded in the database, in order."""
    has = conn.execute("SELECT to_regclass('_cpft_migrations') IS NOT NULL").fetchone()[0]
    if not has:
        return []
    rows = conn.execute(
        "SELECT name FROM _cpft_migrations WHERE migration_set = ? ORDER BY id", [sq.MIGRATION_SET]
    ).fetchall()
    return [r[0] for r in rows]


def other_tables(conn: PgConnection) -> list[str]:
    """Tables in the current schema that are not ours (a database that is not a plan)."""
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    ).fetchall()
    return [r[0] for r in rows]


# ---------------------------------------------------------------------------
# Roles: an upgrade changes no one's rights
# ---------------------------------------------------------------------------

# The rights on the plan's tables a role can hold (DELETE and TRUNCATE are never needed:
# the triggers refuse them); a new table gets, for each role, those it holds on ``actions``.
TABLE_RIGHTS = ("SELECT", "INSERT", "UPDATE")

_PLAN_TABLES = (
    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    " UNION SELECT viewname FROM pg_views WHERE schemaname = current_schema()"
)

# Who holds what on ``actions`` besides its owner (grantee 0 is PUBLIC).
_RIGHTS_ON_ACTIONS = (
    "SELECT a.grantee = 0, coalesce(r.rolname, ''), a.privilege_type"
    " FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a"
    " LEFT JOIN pg_roles r ON r.oid = a.grantee"
    " WHERE c.oid = to_regclass('actions') AND a.grantee <> c.relowner"
    " ORDER BY 2, 3"
)


def plan_tables(conn: PgConnection) -> set[str]:
    """The tables and views in the plan's schema."""
    return {str(r[0]) for r in conn.execute(_PLAN_TABLES).fetchall()}


def rights_on_actions(conn: PgConnection) -> list[tuple[str | None, str]]:
    """(role, right) for every right on ``actions`` held by a role other than its owner
    (role None: PUBLIC), among TABLE_RIGHTS."""
    return [
        (None if public else str(role), str(right))
        for public, role, right in conn.execute(_RIGHTS_ON_ACTIONS).fetchall()
        if right in TABLE_RIGHTS
    ]


def extend_rights(conn: PgConnection, tables: Sequence[str]) -> None:
    """Give every role on each new table the rights it holds on ``actions``.

    The board's read-only role (docs/postgresql.md) is granted SELECT on the tables that are
    there when it is set up; a later migration that adds a table would otherwise leave the
    board unable to read the plan after an upgrade. Run inside the migration's transaction,
    by the role that made the tables (their owner, so it may grant on them).
    """
    from psycopg import sql

    rights = rights_on_actions(conn)
    for table in sorted(tables):
        for role, right in rights:
            grantee = sql.SQL("PUBLIC") if role is None else sql.Identifier(role)
            statement = sql.SQL("GRANT {} ON TABLE {} TO {}").format(
                sql.SQL(right), sql.Identifier(table), grantee
            )
            with conn.errors():
                conn.raw.execute(statement)


def migrate(conn: PgConnection, at: str) -> None:
    """Apply every pending migration, each with its record, in ONE transaction (under the write lock).

    The tables the migrations add are granted, to each role, the rights it holds on
    ``actions`` (``extend_rights``): a board's read-only role still reads after an upgrade.
    A role that may not upgrade the plan is told to ask its keeper.
    """
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT pg_advisory_xact_lock(727274)")  # two first opens: one migrates
        conn.execute(MIGRATIONS_TABLE)
        done = set(applied_migrations(conn))
        before = plan_tables(conn)
        for name, statements in PG_MIGRATIONS:
            if name in done:
                continue
            for statement in statements:
                if callable(statement):
                    statement(conn)
                else:
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO _cpft_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
                [sq.MIGRATION_SET, name, at],
            )
        extend_rights(conn, sorted(plan_tables(conn) - before))
        conn.execute("COMMIT")
    except ReadOnlyRole:
        _roll_back_quietly(conn)
        raise DatabaseProblem(
            f"The action plan at {conn.where} needs upgrading to this version of cpft-tracker, "
            "and this database role may not upgrade it, so nothing was changed. Ask the plan's "
            "keeper to run 'cpft-tracker init' with their role."
        ) from None
    except BaseException:
        _roll_back_quietly(conn)
        raise


def _roll_back_quietly(conn: PgConnection) -> None:
    """ROLLBACK, never letting its own failure (a Ctrl-C mid-query leaves the driver busy; a
    lost connection cannot send) replace the reason the upgrade stopped. The server ends an
    unfinished transaction unsaved when the connection goes."""
    with contextlib.suppress(Exception):
        if conn.in_transaction:
            conn.execute("ROLLBACK")
