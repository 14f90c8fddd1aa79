"""A whole plan copied from one database into another, empty one (``copy --to``): SQLite to
PostgreSQL and back. Every table, every row, ids and audit-chain hashes as they are."""

from __future__ import annotations

from typing import Any

from cpft_tracker.errors import RuleBroken

# In the order their references allow (owners' own merged_into is set once all are there).
# ``field_periods`` (derived from the events, periods.py) is copied as it is, with the zone its
# dated keys were computed in.
TABLES = (
    "reports",
    "owners",
    "actions",
    "events",
    "settings",
    "reminders",
    "reminder_claims",
    "field_periods",
    "field_periods_zone",
)
COUNTED = ("reports", "owners", "actions", "events", "settings")
BATCH = 5_000


def _columns(store: Any, table: str) -> list[str]:
    cur = store.conn.cursor()
    cur.execute(f"SELECT * FROM {table} LIMIT 0")  # noqa: S608 - a table name from code
    names = [d[0] for d in cur.description]
    cur.close()
    return names


def is_empty(store: Any) -> bool:
    """Whether ``store`` holds no plan yet (no report, owner, action, event or setting)."""
    return all(
        store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 0  # noqa: S608
        for t in COUNTED
    )


def copy_plan(source: Any, target: Any) -> dict[str, int]:
    """Copy every row of every table of ``source`` into the empty ``target``, in ONE transaction.

    Refused (RuleBroken, nothing written) when ``target`` already holds a plan. Gives the number
    of rows copied per table. The source is read from one snapshot.
    """
    counts: dict[str, int] = {}
    source.read_snapshot()
    try:
        with target.write():
            if not is_empty(target):
                raise RuleBroken(
                    f"{target.path} already holds a plan, so nothing was copied. Copy into a new, "
                    "empty database (copy never merges two plans)."
                )
            for table in TABLES:
                names = _columns(source, table)
                wanted = [n for n in names if n in set(_columns(target, table))]
                cols = ", ".join(wanted)
                marks = ", ".join("?" for _ in wanted)
                insert = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608
                merged_at = wanted.index("merged_into") if table == "owners" else None
                later: list[tuple[Any, Any]] = []
                cur = source.streaming_cursor()  # PostgreSQL: a batch at a time
                cur.row_factory = None
                cur.execute(f"SELECT {cols} FROM {table} ORDER BY 1")  # noqa: S608
                n = 0
                while True:
                    rows = [list(r) for r in cur.fetchmany(BATCH)]
                    if not rows:
                        break
                    if merged_at is not None:
                        for row in rows:
                            if row[merged_at] is not None:
                                later.append((row[merged_at], row[0]))
                                row[merged_at] = None
                    target.conn.executemany(insert, rows)
                    n += len(rows)
                cur.close()
                if later:
                    target.conn.executemany("UPDATE owners SET merged_into = ? WHERE id = ?", later)
                counts[table] = n
            if target.backend == "postgresql":  # new rows after the copy get the next ids
                for table in ("reports", "owners", "actions", "events", "reminders"):
                    target.conn.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                        f" coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                    )
    finally:
        source.end_snapshot()
    return counts
