"""Reads: one action or a few by reference, the audit trail, reports, owners, settings.

The plan itself (now or as it stood at a date, streamed, counted) is in ``views.py``.
``events_to_undo`` and ``last_event_at_before`` are the step-by-step reading of the audit
trail that ``tests/test_asof.py`` checks the one-query rebuild against.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence

from cpft_tracker.errors import ChangedSince, NotFound, RuleBroken, UsageProblem
from cpft_tracker.store import sqlite_dialect as dialect
from cpft_tracker.store.values import day_ending_at, local_day
from cpft_tracker.store.views import ACTION_COLUMNS, ACTION_FROM, PlanViews

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any


def _action_dict(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    d["in_source"] = bool(d["in_source"])
    return d


# The action ids read together by ``LatestUpdates``: one query per block; two blocks kept.
UPDATES_BLOCK = 2048
_EVENT_NAMES = ("id", "at", "by", "field", "old", "new", "note", "occurred_on")


class LatestUpdates(Mapping[int, "dict[str, Any]"]):
    """``Store.latest_updates``: each action's latest update, read a block of ids at a time.

    ``updates[action_id]`` reads the block of ``UPDATES_BLOCK`` ids around it (the same two
    queries ``latest_updates`` always ran, over an id range) and keeps the last two blocks,
    so reading in plan order holds a few thousand actions' events at a time. Iterating and
    ``len`` ask the database. Read through the store's connection: inside its read
    snapshot (``read_snapshot``) it sees what the rows of that view saw.
    """

    def __init__(self, conn: Any, cutoff: str | None) -> None:
        self._conn = conn
        self.conn = conn  # whose database, and as of when (``render``'s export made in SQL asks)
        self.cutoff = cutoff
        self._cut = ""
        self._params: list[Any] = []
        if cutoff is not None:
            self._cut = " AND at < ?"
            self._params.append(cutoff)
        self._blocks: dict[int, dict[int, dict[str, Any]]] = {}

    def _picks(self, extra: str = "", params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """(action id, latest, blocked, noted) event ids, in action id order.

        Two grouped queries, one per field (speed, issue 10): the notes' newest id is read
        from the ``events_changes`` index alone (field, action_id, id, at: no event row, and
        notes are most of the trail), and only the status changes are read as rows (for
        ``new`` and ``note``). One query over both fields read every note's row and grouped
        in a temporary B-tree: 73-89 ms at 10,000 actions against 10 + 14 ms. The same picks:
        latest = the newer of the two, noted = the newest note or status change with a note.
        """
        where = f"action_id IS NOT NULL{self._cut}{extra} GROUP BY action_id"
        args = [*self._params, *params]
        notes: dict[Any, Any] = dict(
            self._conn.execute(
                f"SELECT action_id, max(id) FROM events WHERE field = 'note' AND {where}",  # noqa: S608 - fixed text
                args,
            ).fetchall()
        )
        picks: list[tuple[Any, ...]] = []
        for action_id, latest, blocked, noted in self._conn.execute(
            "SELECT action_id, max(id),"  # noqa: S608 - fixed text
            " max(CASE WHEN new = 'blocked' THEN id END),"
            " max(CASE WHEN note IS NOT NULL THEN id END)"
            f" FROM events WHERE field = 'status' AND {where}",
            args,
        ).fetchall():
            note = notes.pop(action_id, None)
            if note is not None:
                latest = max(latest, note)
                noted = note if noted is None else max(noted, note)
            picks.append((action_id, latest, blocked, noted))
        picks.extend((action_id, note, None, note) for action_id, note in notes.items())
        picks.sort(key=lambda p: p[0])
        return picks

    def _block(self, number: int) -> dict[int, dict[str, Any]]:
        found = self._blocks.get(number)
        if found is not None:
            return found
        low = number * UPDATES_BLOCK
        picked = self._picks(" AND action_id >= ? AND action_id < ?", [low, low + UPDATES_BLOCK])
        ids = sorted({i for row in picked for i in row[1:] if i is not None})
        events: dict[int, dict[str, Any]] = {}
        if ids:
            cur = self._conn.cursor()
            cur.row_factory = None  # plain tuples zipped with the names (as iter_plan reads)
            try:
                cur.execute(
                    f"SELECT {', '.join(_EVENT_NAMES)} FROM events"  # noqa: S608 - fixed text
                    f" WHERE {dialect.in_list('id')}",
                    [json.dumps(ids)],
                )
                for values in cur:
                    events[int(values[0])] = dict(zip(_EVENT_NAMES, values, strict=True))
            finally:
                cur.close()
        block = {
            int(action_id): {
                "latest": events.get(latest) if latest else None,
                "blocked": events.get(blocked) if blocked else None,
                "noted": events.get(noted) if noted else None,
            }
            for action_id, latest, blocked, noted in picked
        }
        if len(self._blocks) >= 2:
            del self._blocks[next(iter(self._blocks))]  # the older block
        self._blocks[number] = block
        return block

    def __getitem__(self, action_id: int) -> dict[str, Any]:
        if not isinstance(action_id, int) or isinstance(action_id, bool):
            raise KeyError(action_id)
        return self._block(action_id // UPDATES_BLOCK)[action_id]

    def get(self, action_id: Any, default: Any = None) -> Any:
        """``updates.get(id)``, asked once per exported action: Mapping.get's way through
        ``__getitem__`` and its KeyError, without the exception for an action with none."""
        if type(action_id) is not int and (
            not isinstance(action_id, int) or isinstance(action_id, bool)
        ):
            return default
        return self._block(action_id // UPDATES_BLOCK).get(action_id, default)

    def __iter__(self) -> Iterator[int]:
        return iter([int(row[0]) for row in self._picks()])

    def __len__(self) -> int:
        return len(self._picks())


class PlanReads(PlanViews):
    """Reads of single actions, the audit trail, reports, owners and settings."""

    # -- reads ---------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """How many reports, actions, owners and events the database holds (owners as
        ``owners`` lists them: not those merged into another)."""
        row = self.conn.execute(
            """SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM actions),
                      (SELECT count(*) FROM actions WHERE retired IS NULL),
                      (SELECT count(*) FROM owners WHERE merged_into IS NULL),
                      (SELECT count(*) FROM events)"""
        ).fetchone()
        return {
            "reports": row[0],
            "actions": row[1],
            "actions_tracked": row[2],
            "owners": row[3],
            "events": row[4],
        }

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
                f"No action with reference {listed}.{self._did_you_mean_ref(missing)} "
                "Run 'cpft-tracker list' to see the references."
            )
        seen: set[str] = set()
        ordered = []
        for r in wanted:
            if r.upper() not in seen:
                seen.add(r.upper())
                ordered.append(found[r.upper()])
        return ordered

    def _did_you_mean_ref(self, missing: Sequence[str]) -> str:
        """ " Did you mean CPFT-01?" for mistyped references (empty when nothing is close)."""
        from cpft_tracker.suggest import nearest_ref

        refs = [r[0] for r in self.conn.execute("SELECT ref FROM actions")]
        found = [near for m in missing if (near := nearest_ref(m, refs))]
        return f" Did you mean {', '.join(dict.fromkeys(found))}?" if found else ""

    def owner(self, name: str) -> dict[str, Any] | None:
        """The owner called ``name`` (without regard to case), or None: ``id``, ``name``, ``email``,
        ``actions`` (how many tracked actions they hold). A name merged into another owner
        (``owners merge``) gives that owner."""
        row = self.conn.execute(
            f"SELECT id, merged_into FROM owners WHERE name = ? {dialect.NOCASE}",  # noqa: S608
            # the name as it is stored (clean_name: control characters, NUL included, become
            # spaces), so a lookup never sends PostgreSQL a NUL it would refuse
            [" ".join("".join(ch if ch.isprintable() else " " for ch in name).split())],
        ).fetchone()
        seen: set[int] = set()
        while row is not None and row["merged_into"] is not None and row["id"] not in seen:
            seen.add(row["id"])
            row = self.conn.execute(
                "SELECT id, merged_into FROM owners WHERE id = ?", [row["merged_into"]]
            ).fetchone()
        if row is None:
            return None
        found = self.conn.execute(
            """SELECT o.id, o.name, o.email, count(a.id) AS actions
               FROM owners o LEFT JOIN actions a ON a.owner_id = o.id AND a.retired IS NULL
               WHERE o.id = ? GROUP BY o.id, o.name, o.email""",
            [row["id"]],
        ).fetchone()
        return dict(found)

    def nearest_owner(self, name: str, *, typo: bool = False) -> str | None:
        """The name of the owner most like ``name``, or None. With ``typo``, only one that a new
        owner called ``name`` is likely a mistyping of (``suggest.likely_typo_of``)."""
        from cpft_tracker.suggest import likely_typo_of, nearest

        names = [
            r[0] for r in self.conn.execute("SELECT name FROM owners WHERE merged_into IS NULL")
        ]
        name = " ".join(name.split())
        return likely_typo_of(name, names) if typo else nearest(name, names)

    def unknown_owner(self, name: str) -> NotFound:
        """The error for an owner name that is not an owner, with the nearest one if any."""
        near = self.nearest_owner(name)
        hint = f" Did you mean '{near}'?" if near else ""
        return NotFound(
            f"No owner called '{name}'.{hint} Run 'cpft-tracker owners' to see the owners."
        )

    def history(self, ref: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """The audit trail, newest first, for one action (with those merged into it) or all.

        Each event has ``merged_from``: the ref of the action merged into ``ref`` it belongs
        to, else None.
        """
        sql = (
            "SELECT e.id, e.at, e.occurred_on, e.by, e.field, e.old, e.new, e.note, e.subject, a.ref AS ref,"
            " r.name AS report FROM events e LEFT JOIN actions a ON a.id = e.action_id"
            " LEFT JOIN reports r ON r.id = coalesce(e.report_id, a.report_id)"
        )
        params: list[Any] = []
        own = None
        if ref is not None:
            action = self.action(ref)
            own = action["ref"]
            ids = [action["id"], *(a["id"] for a in self.merged_from(own))]
            sql += f" WHERE {dialect.in_list('e.action_id')}"
            params.append(json.dumps(ids))
        sql += " ORDER BY e.id DESC"
        if limit:
            sql += " LIMIT ?"
            params.append(limit)
        events = [dict(row) for row in self.conn.execute(sql, params)]
        for e in events:  # an event of an action merged into this one is marked with its ref
            e["merged_from"] = e["ref"] if own is not None and e["ref"] != own else None
        return events

    def merged_from(self, ref: str) -> list[dict[str, Any]]:
        """The actions merged into the action ``ref`` (exactly as stored), in document order."""
        rows = self.conn.execute(
            f"SELECT {ACTION_COLUMNS} FROM {ACTION_FROM} WHERE a.merged_into = ?"  # noqa: S608
            " ORDER BY a.report_id, a.position, a.id",
            [ref],
        ).fetchall()
        return [_action_dict(row) for row in rows]

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
        """Owners with how many tracked actions each holds (not those merged into another)."""
        rows = self.conn.execute(
            """SELECT o.name, o.email, count(a.id) AS actions
               FROM owners o LEFT JOIN actions a ON a.owner_id = o.id AND a.retired IS NULL
               WHERE o.merged_into IS NULL
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
            "SELECT id, action_id, subject, field, old FROM events"  # noqa: S608 - our SQL only
            f" WHERE {dialect.HAPPENED_AFTER} ORDER BY id DESC",
            [cutoff, day_ending_at(cutoff)],
        ).fetchall()

    def action_events_between(
        self, start: str, end: str, fields: Sequence[str]
    ) -> list[dict[str, Any]]:
        """Action events of the given fields that happened between two cut-offs, oldest first, with the ref.

        Recorded in [start, end) UTC, or, for an event given a date with ``--on``, dated after
        the day ``start`` ends and up to the day ``end`` ends.
        """
        after = dialect.happened_after("e")
        rows = self.conn.execute(
            "SELECT e.id, e.at, e.occurred_on, e.by, e.field, e.old, e.new, e.note, a.ref, a.title"  # noqa: S608
            " FROM events e JOIN actions a ON a.id = e.action_id"
            f" WHERE {after} AND NOT {after} AND {dialect.in_list('e.field')}"
            " ORDER BY e.id",
            [start, day_ending_at(start), end, day_ending_at(end), json.dumps(list(fields))],
        ).fetchall()
        return [dict(r) for r in rows]

    def latest_updates(self, cutoff: str | None = None) -> LatestUpdates:
        """For each action, the events a board paper tells its story from (before UTC ``cutoff``).

        A read-only mapping keyed by action id: ``latest`` (its newest note or status
        change), ``blocked`` (its newest change of status to blocked) and ``noted`` (its
        newest event carrying a note: a progress note, or a note given with a status
        change); each an event dict (``at``, ``by``, ``field``, ``old``, ``new``, ``note``,
        ``occurred_on``) or None. Actions with none are absent.

        Read as it is asked for, a block of action ids at a time (issue 10): a board page
        asks in plan order, which is nearly id order, so it holds one block of events, not
        every action's (at 100,000 actions the whole dict was ~100 MB).
        """
        return LatestUpdates(self.conn, cutoff)

    def owner_emails(self) -> dict[str, str | None]:
        """Every owner's email address now, keyed by the casefolded owner name."""
        return {
            name.casefold(): email
            for name, email in self.conn.execute("SELECT name, email FROM owners")
        }

    def events_after(self, version: int) -> list[dict[str, Any]]:
        """Every action event, and every owner-email change, recorded after event ``version``, oldest first.

        What ``plan load`` rebuilds an action as it was at a version from (and tells who changed what since).
        """
        rows = self.conn.execute(
            "SELECT id, action_id, subject, at, by, field, old, new FROM events"
            " WHERE id > ? AND (action_id IS NOT NULL OR field = 'owner_email') ORDER BY id",
            [version],
        ).fetchall()
        return [dict(r) for r in rows]

    def last_event_id_at(self, at: str) -> int:
        """The id of the last event recorded at or before UTC ``at`` (0 when none): the plan's version then."""
        row = self.conn.execute("SELECT max(id) FROM events WHERE at <= ?", [at]).fetchone()
        return int(row[0] or 0)

    def check_unchanged_since(self, actions: Iterable[dict[str, Any]], version: int | None) -> None:
        """Refuse (ChangedSince) when an action's version is newer than ``version``: someone changed it since.

        Called inside the write transaction, with the actions as just read, so nothing can slip in between.
        """
        if version is None:
            return
        for action in actions:
            if (action.get("version") or 0) > version:
                last = self.conn.execute(
                    "SELECT at, by, field FROM events WHERE id = ?", [action["version"]]
                ).fetchone()
                when = str(last["at"]).replace("T", " ")[:16]
                raise ChangedSince(
                    f"{action['ref']} was changed by {last['by']} at {when} UTC ({last['field']}; "
                    f"version {action['version']}, newer than {version}), so nothing was changed. "
                    f"Run 'cpft-tracker show {action['ref']}' and try again with its new version."
                )

    def check_occurred_on(
        self, actions: Iterable[dict[str, Any]], fields: Sequence[str], occurred_on: str | None
    ) -> None:
        """Refuse (RuleBroken) a change said to have happened (``--on``) before the action existed,
        or before the last change of one of these fields: the trail of each field stays in order,
        so ``--as-of`` reads it right."""
        if occurred_on is None:
            return
        for action in actions:
            created = local_day(action["created_at"])
            if created > occurred_on:
                raise RuleBroken(
                    f"{action['ref']} was only added on {created}, so nothing can have happened to it "
                    f"on {occurred_on}. Give a date with --on from {created} to today."
                )
            rows = [
                self.conn.execute(
                    "SELECT at, occurred_on, by, field FROM events WHERE action_id = ? AND field = ?"
                    " ORDER BY id DESC LIMIT 1",
                    [action["id"], name],
                ).fetchone()
                for name in fields
            ]
            for row in filter(None, rows):
                happened = row["occurred_on"] or local_day(row["at"])
                if happened > occurred_on:
                    raise RuleBroken(
                        f"{action['ref']}'s {row['field']} was last changed on {happened} (by {row['by']}), "
                        f"after {occurred_on}, so a change cannot be recorded as happening on "
                        f"{occurred_on}. Give --on {happened} or later, or leave --on out."
                    )

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
