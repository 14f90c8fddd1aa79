"""Reads and as-of queries: actions (filtered in SQL), one action, the history, reports, owners.

The as-of queries give :mod:`cpft_tracker.asof` what it needs to rebuild the plan as it
stood at a date from the audit trail.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from cpft_tracker.errors import NotFound, UsageProblem
from cpft_tracker.store import sqlite_dialect as dialect
from cpft_tracker.store.connection import StoreConnection
from cpft_tracker.store.interface import Filters

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


def _action_dict(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    d["in_source"] = bool(d["in_source"])
    return d


class PlanReads(StoreConnection):
    """Reads of the plan and of its audit trail."""

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
            where.append(f"a.status IN ({dialect.placeholders(f.status)})")
            params.extend(f.status)
        if f.owner is not None:
            wanted = f.owner.casefold()
            ids = [
                i
                for i, name in self.conn.execute("SELECT id, name FROM owners")
                if name.casefold() == wanted
            ]
            where.append(dialect.in_list("a.owner_id"))
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
            where.append(dialect.in_list("a.report_id"))
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
            f"SELECT {ACTION_COLUMNS} FROM {ACTION_FROM} WHERE a.ref IN ({dialect.placeholders(wanted)}) {dialect.NOCASE}",  # noqa: S608
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
               GROUP BY o.id ORDER BY o.name COLLATE NOCASE"""  # sorted for people
        ).fetchall()
        return [dict(r) for r in rows]

    def reminded_actions(self, recipient: str, kind: str, since: str, until: str) -> set[int]:
        """Ids of the actions reminded to ``recipient`` (this kind) on ISO days ``since``..``until``."""
        rows = self.conn.execute(
            f"SELECT DISTINCT action_id FROM reminders WHERE recipient = ? {dialect.NOCASE}"  # noqa: S608
            " AND kind = ? AND sent_on >= ? AND sent_on <= ?",
            [recipient, kind, since, until],
        ).fetchall()
        return {int(r[0]) for r in rows}

    def setting(self, key: str, default: str | None = None) -> str | None:
        """A stored setting (e.g. the BRAG warning window)."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    # -- writes --------------------------------------------------------------
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
        changes = cur.execute(dialect.FIRST_CHANGES_AFTER, [cutoff]).fetchall()
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
            "SELECT e.id, e.at, e.by, e.field, e.old, e.new, e.note, a.ref, a.title"  # noqa: S608
            " FROM events e JOIN actions a ON a.id = e.action_id"
            f" WHERE e.at >= ? AND e.at < ? AND {dialect.in_list('e.field')}"
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
