"""``field_periods``: each (action, field)'s value over a span of cut-offs, kept as the store writes.

DERIVED DATA, rebuilt from the audit trail by :func:`backfill` (what migration m012 runs);
the trail stays the record. ``--as-of`` reads it with a range instead of grouping the trail
(bench/NOTES.md, "Issue 10, as-of from field_periods").

The rule it keeps (``views``, ``dialect.happened_after``): the value of (action, field) at a
cut-off T is the ``old`` of the lowest-id event of that (action, field) that happened after T;
none: the value now. Give each event a KEY such that "it happened after T" <=> ``T <= key``
(text order; T as ``asof.cutoff_utc`` writes it):

- an event without ``--on``: its ``at`` (``at >= T``);
- an event recorded ``--on DAY``: the UTC instant the local DAY starts, in the machine's zone
  when written (``DAY > the local day ending at T`` <=> ``T <= that instant``): :func:`day_key`.

With an (action, field)'s events e1..en by id, event i is the answer exactly for
``max(key_1..key_i-1) < T <= key_i``: one row ``(from_key, until_key] = (that max, key_i)``
when ``key_i`` beats every earlier key, none otherwise, and appending an event never changes
a row already written. ``from_key`` is also never below the action's ``created`` key: before
that the action is not in the plan (``gone``), so no value is needed, and a read of the
values at T finds only actions that existed then. ``created`` itself has its rows too
(``from_key`` '' for the first: before anything); an action is gone at T when one of them has
``until_key >= T``.

An action is in the plan at T when its ``created_at < T`` (``views``: no ``gone`` set):
the trail's rule (its ``created`` event did not happen after T) says the same because every
action's ``created`` event is recorded, undated, at its ``created_at`` (``loading``). The
back-fill and :func:`record` check it; an action where it does not hold makes the table
unusable (below).

The zone: a day's key depends on the local time zone it was computed in.
``field_periods_zone`` holds the zone (:func:`zone`) every dated key was computed in: no row,
or NULL, while no key came from ``--on``; ``''`` (unusable) once keys of two zones were
written (a change recorded ``--on`` in another zone), or a day or a ``created`` event broke
the rules above. A read whose zone is not that one, or whose cut-off is not in
``cutoff_utc``'s form, rebuilds from the trail as before (``views``); so does every read
once the table is unusable, until it is rebuilt (:func:`rebuild`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time

from cpft_tracker.store.values import UNDOABLE_FIELDS

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

# The fields with periods: every field the as-of rebuild puts back (views._PIVOTED), and created.
FIELDS = ("created", *UNDOABLE_FIELDS, "in_source")

KEY_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # as now_utc and asof.cutoff_utc write instants
_CANONICAL = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")

# SQLite: one row per period, the key of its read (field, until_key, action_id) first, so a
# read at T is one range per field and no other row is read. WITHOUT ROWID: the table is its
# own covering index. PostgreSQL takes the same statement without that clause. The key's
# columns come first: SQLite 3.40's integrity_check misreads NOT NULL columns of a WITHOUT
# ROWID table whose key columns are not its first ones ("NULL value in ...").
CREATE_TABLE = (
    "CREATE TABLE field_periods (field TEXT NOT NULL, until_key TEXT NOT NULL,"
    " action_id INTEGER NOT NULL REFERENCES actions(id), from_key TEXT NOT NULL, old TEXT,"
    " PRIMARY KEY (field, until_key, action_id)) WITHOUT ROWID"
)
# What a write reads first: the (action, field)'s largest key so far, and its created key.
CREATE_INDEX = "CREATE INDEX field_periods_action ON field_periods(action_id, field, until_key)"
CREATE_ZONE = "CREATE TABLE field_periods_zone (zone TEXT)"

INSERT = (
    "INSERT INTO field_periods (action_id, field, old, from_key, until_key) VALUES (?, ?, ?, ?, ?)"
)
# What the back-fill reads: one field's events, and the created events, in (action, id)
# order: m011's ``events_changes`` (field, action_id, id, at, occurred_on, old) in its order.
_FIELD_EVENTS = (
    "SELECT action_id, old, at, occurred_on FROM events WHERE field = ?"
    " AND action_id IS NOT NULL ORDER BY action_id, id"
)
_CREATED_EVENTS = (
    "SELECT action_id, at, occurred_on FROM events WHERE field = 'created'"
    " AND action_id IS NOT NULL ORDER BY action_id, id"
)

# The read (views._as_of_sql): (action, field, old) at T for the fields in a JSON list (3
# parameters: list, T, T); no row of an action created after T. Plain SQL; ``json_each`` is
# translated on PostgreSQL.
VALUES_AT = (
    "SELECT action_id, field, old FROM field_periods"
    " WHERE field IN (SELECT value FROM json_each(?)) AND until_key >= ? AND from_key < ?"
)


def zone() -> str:
    """The machine's local time zone, as a text that differs when local days start at other instants.

    Its name (``TZ``, else what ``/etc/localtime`` points at), its abbreviations, and its UTC
    offset on 1 January and 1 July of 1990-2050. ~100 µs.
    """
    name = os.environ.get("TZ")
    if name is None:
        try:
            name = os.path.realpath("/etc/localtime")
        except OSError:
            name = ""
    offsets = []
    for year in range(1990, 2051):
        for month in (1, 7):
            secs = (dt.date(year, month, 1) - dt.date(1970, 1, 1)).days * 86400
            offsets.append(time.localtime(secs).tm_gmtoff // 60)
    return f"{name}|{'/'.join(time.tzname)}|{','.join(map(str, offsets))}"


def _local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone().date()


def day_key(day: str) -> str | None:
    """The first UTC instant of the local ``day`` (ISO date), as key text; None if not a date.

    Midnight local time, unless the zone skips it (a change of clock at midnight): then the
    first minute that is on ``day``.
    """
    try:
        date = dt.date.fromisoformat(day)
        moment = dt.datetime.combine(date, dt.time(0)).astimezone(dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None
    tick = dt.timedelta(microseconds=1)
    if not (_local_date(moment) >= date > _local_date(moment - tick)):
        moment = dt.datetime.combine(date, dt.time(0), tzinfo=dt.UTC) - dt.timedelta(hours=26)
        while _local_date(moment) < date:
            moment += dt.timedelta(minutes=1)
    return moment.strftime(KEY_FORMAT)


def canonical(cutoff: str) -> bool:
    """Whether a cut-off is in the form the keys compare with (``asof.cutoff_utc``'s)."""
    return bool(_CANONICAL.match(cutoff))


def event_key(at: str, occurred_on: str | None) -> str | None:
    """An event's key (None: a day that is not a date), in the machine's zone now."""
    if occurred_on is None:
        return at
    return day_key(occurred_on)


def _zone_row(conn: Any) -> tuple[bool, str | None]:
    row = conn.execute("SELECT zone FROM field_periods_zone").fetchone()
    return (row is not None, row[0] if row is not None else None)


def _note_zone(conn: Any, here: str, key: str | None) -> None:
    """A dated key computed in zone ``here`` (None: none could be): keep the zone, or mark it mixed."""
    exists, stored = _zone_row(conn)
    wanted = here if key is not None else ""
    if stored == wanted or stored == "":
        return
    if stored is not None:
        wanted = ""  # keys of two zones
    if exists:
        conn.execute("UPDATE field_periods_zone SET zone = ?", [wanted])
    else:
        conn.execute("INSERT INTO field_periods_zone (zone) VALUES (?)", [wanted])


def _mark_unusable(conn: Any) -> None:
    exists, stored = _zone_row(conn)
    if not exists:
        conn.execute("INSERT INTO field_periods_zone (zone) VALUES ('')")
    elif stored != "":
        conn.execute("UPDATE field_periods_zone SET zone = ''")


# An action whose created_at is not the ``at`` of an undated ``created`` event of its own.
CREATED_ELSEWHEN = (
    "SELECT 1 FROM events e JOIN actions a ON a.id = e.action_id WHERE e.field = 'created'"
    " AND (e.occurred_on IS NOT NULL OR e.at != a.created_at) LIMIT 1"
)


def record(
    conn: Any,
    *,
    action_id: int | None,
    field: str,
    old: str | None,
    at: str,
    occurred_on: str | None,
) -> None:
    """Write the period of one new event (inside its write transaction): one row or none."""
    if action_id is None or field not in FIELDS:
        return
    if field == "created":
        row = conn.execute("SELECT created_at FROM actions WHERE id = ?", [action_id]).fetchone()
        if occurred_on is not None or row is None or row[0] != at:
            _mark_unusable(conn)
            return
    key = at
    if occurred_on is not None:
        k = day_key(occurred_on)
        _note_zone(conn, zone(), k)
        if k is None:
            return  # the zone is marked mixed: reads rebuild from the trail
        key = k
    last, created = conn.execute(
        "SELECT max(CASE WHEN field = ? THEN until_key END),"
        " max(CASE WHEN field = 'created' THEN until_key END)"
        " FROM field_periods WHERE action_id = ? AND field IN (?, 'created')",
        [field, action_id, field],
    ).fetchone()
    floor = max(k for k in ("", last, None if field == "created" else created) if k is not None)
    if key > floor:
        conn.execute(INSERT, [action_id, field, old, floor, key])


def usable(conn: Any, cutoff: str) -> bool:
    """Whether a read at ``cutoff`` may use the periods (else it rebuilds from the trail)."""
    if not canonical(cutoff):
        return False
    _, stored = _zone_row(conn)
    return stored is None or stored == zone()


def _stream(conn: Any, sql: str, params: list[Any]) -> Iterator[tuple[Any, ...]]:
    """Rows of a big read a batch at a time (PostgreSQL: a server-side cursor)."""
    cur = conn.cursor(streamed=True) if hasattr(conn, "raw") else conn.cursor()
    cur.row_factory = None
    try:
        cur.execute(sql, params)
        while True:
            rows = cur.fetchmany(5000)
            if not rows:
                return
            yield from rows
    finally:
        cur.close()


def backfill(conn: Any) -> int:
    """Fill ``field_periods`` from the whole audit trail (m012; run on an empty table: the rebuild).

    One field at a time in (action, id) order, from m011's index ``events_changes``, beside
    the ``created`` events in the same order for each action's floor: nothing is held but a
    batch of rows. Gives how many rows it wrote.
    """
    here = zone()
    dated = bad = False
    written = 0
    batch: list[list[Any]] = []
    # SQLite: rows come in (field, action) order and the table is kept in (field, until_key)
    # order, so they are gathered in a temporary table first and put in sorted (one sort,
    # then appends) instead of each going to its own place in a growing tree.
    staged = not hasattr(conn, "raw")
    insert = INSERT
    if staged:
        conn.execute(
            "CREATE TEMP TABLE field_periods_fill (action_id INTEGER, field TEXT, old TEXT,"
            " from_key TEXT, until_key TEXT)"
        )
        insert = INSERT.replace("INTO field_periods", "INTO temp.field_periods_fill")

    def flush() -> None:
        nonlocal written
        if batch:
            conn.executemany(insert, batch)
            written += len(batch)
            batch.clear()

    for field in FIELDS:
        events = _stream(conn, _FIELD_EVENTS, [field])
        floors = iter(()) if field == "created" else _stream(conn, _CREATED_EVENTS, [])
        floor_of: tuple[int, str] | None = None  # (action, its largest created key)
        pending = next(floors, None)
        current = None
        top = ""
        for action_id, old, at, occurred_on in events:
            if action_id != current:
                current, top = action_id, ""
                while pending is not None and pending[0] <= action_id:
                    k = event_key(pending[1], pending[2]) or ""
                    if floor_of is None or floor_of[0] != pending[0]:
                        floor_of = (pending[0], k)
                    elif k > floor_of[1]:
                        floor_of = (pending[0], k)
                    pending = next(floors, None)
                if floor_of is not None and floor_of[0] == action_id:
                    top = floor_of[1]
            if occurred_on is not None:
                dated = True
            key = event_key(at, occurred_on)
            if key is None:
                bad = True
                continue
            if key > top:
                batch.append([action_id, field, old, top, key])
                top = key
                if len(batch) >= 5000:
                    flush()
        for stream in (events, floors):  # their cursors closed now, not when collected
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        flush()
    if staged:
        conn.execute(
            "INSERT INTO field_periods (action_id, field, old, from_key, until_key)"
            " SELECT action_id, field, old, from_key, until_key FROM temp.field_periods_fill"
            " ORDER BY field, until_key, action_id"
        )
        conn.execute("DROP TABLE temp.field_periods_fill")
    if conn.execute(CREATED_ELSEWHEN).fetchone() is not None:
        bad = True
    if dated or bad:
        conn.execute("INSERT INTO field_periods_zone (zone) VALUES (?)", ["" if bad else here])
    return written


def rebuild(conn: Any) -> int:
    """The table made again from the trail (inside a write transaction): what m012 made.

    Derived rows only: the trail is the record and is not touched.
    """
    conn.execute("DELETE FROM field_periods")
    conn.execute("DELETE FROM field_periods_zone")
    return backfill(conn)
