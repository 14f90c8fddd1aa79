"""Reads for checking the audit trail: every event, the chain head, the state it should explain.

``check`` (``maintenance.py``) walks the chain (``chain.verify``) over :meth:`iter_events`,
replays each action's events against its row, one action at a time, over
:meth:`action_histories`, and the other events against :meth:`audit_state`
(``cpft_tracker.replay``); the SQL for all three is here, so ``check`` holds none. Each is
streamed or small: what check holds does not grow with the plan (issue 10).
"""

from __future__ import annotations

from collections.abc import Iterator

from cpft_tracker.store import sqlite_dialect as dialect
from cpft_tracker.store.loading import PlanLoading

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any


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

    def action_histories(
        self,
    ) -> Iterator[tuple[int, dict[str, Any] | None, list[dict[str, Any]]]]:
        """Each action with its own events, in action id order, streamed: (id, row, events).

        ``row`` has the action's fields as the audit trail records them (owner by name;
        None for events whose action id has no row), ``events`` its events oldest first
        (action_id, id, field, old, new). Two streamed reads merged on the action id, so
        one action's history is held at a time, whatever the size of the plan.
        """
        actions = self.streaming_cursor()
        events = self.streaming_cursor()
        try:
            actions.row_factory = None
            events.row_factory = None
            actions.execute(dialect.AUDIT_ACTIONS)
            names = [d[0] for d in actions.description]
            events.execute(dialect.ACTION_EVENTS)
            event_names = [d[0] for d in events.description]
            rows, trail = iter(actions), iter(events)
            row, event = next(rows, None), next(trail, None)
            while row is not None or event is not None:
                # the smaller of the next row's id and the next event's action id
                if row is not None and (event is None or row[0] <= event[0]):
                    key = row[0]
                else:
                    assert event is not None
                    key = event[0]
                history = []
                while event is not None and event[0] == key:
                    history.append(dict(zip(event_names, event, strict=True)))
                    event = next(trail, None)
                if row is not None and row[0] == key:
                    yield int(key), dict(zip(names, row, strict=True)), history
                    row = next(rows, None)
                else:
                    yield int(key), None, history
        finally:
            events.close()
            actions.close()

    def audit_state(self) -> dict[str, list[dict[str, Any]]]:
        """What the audit trail must explain besides the actions: owners, settings, reports.

        A few rows each (the actions are read one at a time by :meth:`action_histories`).
        """
        queries = {
            "owners": "SELECT name, email FROM owners ORDER BY id",
            "settings": "SELECT key, value FROM settings ORDER BY key",
            "reports": "SELECT id, name, source_file FROM reports ORDER BY id",
        }
        return {name: [dict(r) for r in self.conn.execute(sql)] for name, sql in queries.items()}
