"""Reads for checking the audit trail: every event, the chain head, the state it should explain.

``check`` (``maintenance.py``) walks the chain (``chain.verify``) over :meth:`iter_events`
and replays the events (``cpft_tracker.replay``) against :meth:`audit_state`; the SQL for
both is here, so ``check`` holds none.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cpft_tracker.store import sqlite_dialect as dialect
from cpft_tracker.store.loading import PlanLoading


class AuditReads(PlanLoading):
    """The audit trail read whole, and the rows its replay must agree with."""

    def iter_events(self) -> Iterator[dict[str, Any]]:
        """Every event, every column (``hash`` included), oldest first, streamed."""
        cur = self.streaming_cursor()
        cur.row_factory = None
        try:
            cur.execute(dialect.ALL_EVENTS)
            names = [d[0] for d in cur.description]
            for row in cur:
                yield dict(zip(names, row, strict=True))
        finally:
            cur.close()

    def chain_head(self) -> tuple[int, str | None] | None:
        """The last event's id and hash (None when the trail is empty): what a board paper publishes."""
        row = self.conn.execute(dialect.CHAIN_TIP).fetchone()
        return (int(row[0]), row[1]) if row else None

    def trigger_sql(self) -> dict[str, str]:
        """Each trigger in the database, by name, with its SQL as stored.

        PostgreSQL: each trigger that is enabled and still exactly as ``postgres.PG_TRIGGERS``
        made it is given with the SQLite SQL of the same name (what ``check`` compares with);
        a changed or disabled one is given as the server shows it (so check reports it changed).
        """
        if self.backend == "postgresql":
            from cpft_tracker.store import postgres

            return postgres.trigger_sql(self.conn)
        return {str(r[0]): str(r[1] or "") for r in self.conn.execute(dialect.TRIGGERS_SQL)}

    def audit_state(self) -> dict[str, list[dict[str, Any]]]:
        """What the audit trail must explain: actions (owner by name), owners, settings, reports."""
        queries = {
            "actions": (
                "SELECT a.id, a.ref, a.status, o.name AS owner, a.due, a.evidence, a.retired,"
                " a.in_source, a.title, a.quality_statement"
                " FROM actions a LEFT JOIN owners o ON o.id = a.owner_id ORDER BY a.id"
            ),
            "owners": "SELECT name, email FROM owners ORDER BY id",
            "settings": "SELECT key, value FROM settings ORDER BY key",
            "reports": "SELECT id, name, source_file FROM reports ORDER BY id",
        }
        return {name: [dict(r) for r in self.conn.execute(sql)] for name, sql in queries.items()}
