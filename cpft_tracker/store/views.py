"""The plan as ONE query: now or as it stood at a cut-off, filtered, streamed, counted.

Every view of the plan (``list``, ``export``, ``progress``, ``remind``, ``plan template``)
is one ``SELECT`` whose rows are handed out one at a time from the cursor
(:meth:`PlanViews.iter_plan`), counted in SQL (:meth:`PlanViews.count_plan`) or reduced
to progress figures in SQL (:meth:`PlanViews.progress_counts`): nothing holds every
action in memory.

**The plan now** reads ``actions`` joined to its report and owner; the filters are SQL
over its columns (owner and report names matched with Python's ``casefold`` by finding
their few ids first: SQLite's NOCASE folds ASCII only).

**The plan at a cut-off** (``--as-of``) is rebuilt in the same query from
``field_periods`` (``periods.py``: the value each (action, field) had over each span of
cut-offs, derived from the audit trail and kept by every write) when it can be trusted
(``periods.usable``) and the view needs no ``updated_at``, version or email; else from the
audit trail: for each (action, field) changed at or after the cut-off, the OLDEST such event
holds in ``old`` the value in force then (``dialect.FIRST_CHANGES_AFTER``); those are
pivoted to one row per action (``ch``) and put back over the current values. An action
created after the cut-off is left out; ``updated_at`` is its last event before the first
event after the cut-off; an owner's email is rebuilt from the (few) owner events in Python
as rows stream past. ``asof.py`` documents which fields are rebuilt and how; its
``matches`` is the Python reading of the filters, which these SQL filters equal (tested).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence

from cpft_tracker.errors import DatabaseProblem
from cpft_tracker.store import periods
from cpft_tracker.store import sqlite_dialect as dialect
from cpft_tracker.store.connection import StoreConnection
from cpft_tracker.store.interface import SORT_FIELDS, Filters, PlanSort
from cpft_tracker.store.values import UNDOABLE_FIELDS, day_ending_at

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any

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
    # the action's version: the id of its latest audit event (events_action index: one seek)
    "version": "(SELECT max(ev.id) FROM events ev WHERE ev.action_id = a.id)",
    "report_id": "a.report_id",
    "fingerprint": "a.fingerprint",
    "rule": "a.rule",
    "confidence": "a.confidence",
    "review": "a.review",
    "review_reason": "a.review_reason",
    "possible_duplicates": "a.possible_duplicates",  # JSON list of refs, or NULL (m004)
    "merged_into": "a.merged_into",  # the ref it was merged into, or NULL (m004)
}


def _check_names(names: Sequence[str]) -> None:
    unknown = [n for n in names if n not in ACTION_FIELDS]
    if unknown:
        raise ValueError(f"not action fields: {', '.join(map(repr, unknown))}")


def _select_list(names: Sequence[str]) -> str:
    """The SELECT list of these action fields: SQL from ACTION_FIELDS only (others refused)."""
    _check_names(names)
    return ", ".join(f"{ACTION_FIELDS[n]} AS {n}" for n in names)


ACTION_COLUMNS = _select_list(list(ACTION_FIELDS))
ACTION_FROM = (
    "actions a JOIN reports r ON r.id = a.report_id LEFT JOIN owners o ON o.id = a.owner_id"
)
PLAN_ORDER = "report_id, position, id"
# What ``remind`` reads of each action (``iter_reminders``), with the plan order's fields.
REMINDER_FIELDS = (
    "id",
    "ref",
    "title",
    "due",
    "status",
    "report",
    "owner",
    "owner_email",
    "report_id",
    "position",
)

_PIVOTED = (*UNDOABLE_FIELDS, "in_source")


# One row per action changed at or after the cut-off (and not created since), with for each
# rebuilt field ``<f>_x``: NULL when the field did not change since, else the value then
# (the oldest such event's ``old``) marked: ``'v' || old``, or ``'n'`` for NULL. One
# aggregate per field, not two (a flag and a value): the pivot is most of the rebuild's own
# work after the index walk (bench/NOTES.md, "progress --as-of at scale"). Plain SQL (CASE,
# max, coalesce, ||, substr) that PostgreSQL reads the same; what is SQLite's own is in the
# dialect (``FIRST_CHANGES_AFTER``/``_OF``, ``casefold``, ``in_list``, ``placeholders``).
# From the trail, the actions created since (``gone``: their ``created`` event happened
# after the cut-off) are found first, from that field's events only, and their events are
# left out of the pivot: they are not in the plan then, whatever else changed. From
# ``field_periods`` (``firsts`` is ``periods.VALUES_AT``) neither is needed.
def _as_of_cte(pivoted: Sequence[str], firsts: str | None) -> str:
    if firsts == periods.VALUES_AT:  # no period of an action holds a cut-off before it was
        # created (periods.py): the actions created since have no row here, and ``p`` leaves
        # them out by their created_at
        gone, keep = "", ""
    else:
        gone = f"gone AS ({dialect.CREATED_AFTER})"
        if firsts is None:
            return gone
        gone += ", "
        keep = " WHERE NOT EXISTS (SELECT 1 FROM gone WHERE gone.action_id = firsts.action_id)"
    return (
        f"{gone}firsts AS ({firsts}), "  # noqa: S608 - our SQL only
        "ch AS (SELECT action_id"
        + "".join(
            f", max(CASE WHEN field = '{f}' THEN coalesce('v' || old, 'n') END) AS {f}_x"
            for f in pivoted
        )
        + f" FROM firsts{keep} GROUP BY action_id)"
    )


# The fields that need every event after the cut-off, not only their own field's: an action
# with any event since (a note too) is ``touched``, and then its ``updated_at``, ``version``
# and owner's email are worked out again.
_NEEDS_EVERY_EVENT = frozenset({"touched", "updated_at", "version", "owner_email"})


def _fields_read(f: Filters, sort: PlanSort | None) -> list[str]:
    """What these filters and this sort read of a rebuilt plan ``p`` (``_where_rebuilt``, ``_sort_sql``)."""
    read: list[str] = []
    if f.status:
        read.append("status")
    if f.owner is not None or f.unassigned:
        read.append("owner")
    if f.overdue_on:
        read += ["due", "status", "retired"]
    if f.due_before:
        read.append("due")
    if f.report is not None:
        read.append("report_id")
    if f.quality_statement is not None:
        read.append("quality_statement")
    if f.review:
        read.append("review")
    if not f.include_retired:
        read.append("retired")
    if f.search is not None:
        read += ["id", "title", "requirement"]
    if sort is not None:
        read += {
            "ref": ["report_id", "ref"],
            "due": ["due"],
            "status": ["status"],
            "owner": ["owner"],
            "updated": ["updated_at"],
        }.get(sort.field, ["retired", "status", "due", "owner"])
    return read


_ORDER_FIELDS = ("report_id", "position", "id")


def _as_of_expr(name: str, with_ch: bool = True) -> str:
    """The SQL of one field as it stood at the cut-off (over a, r, o and ch)."""
    current = ACTION_FIELDS[name]
    if not with_ch:  # no field rebuilt: the value now
        return current
    if name in UNDOABLE_FIELDS:
        x = f"ch.{name}_x"
        return (
            f"CASE WHEN {x} IS NULL THEN {current} WHEN {x} = 'n' THEN NULL ELSE substr({x}, 2) END"
        )
    if name == "in_source":  # old '0' is out of the source; anything else (NULL too) is in it
        x = "ch.in_source_x"
        return f"CASE WHEN {x} IS NULL THEN {current} WHEN {x} = 'v0' THEN 0 ELSE 1 END"
    if name == "updated_at":  # one ``?``: the first event after the cut-off
        return (
            f"CASE WHEN ch.action_id IS NULL THEN {current} ELSE coalesce((SELECT e.at FROM"  # noqa: S608
            " events e WHERE e.action_id = a.id AND e.id < ? ORDER BY e.id DESC LIMIT 1),"
            " a.created_at) END"
        )
    if name == "version":  # one ``?``: its latest event before the first one after the cut-off
        return (
            f"CASE WHEN ch.action_id IS NULL THEN {current} ELSE (SELECT max(ev.id) FROM"  # noqa: S608
            " events ev WHERE ev.action_id = a.id AND ev.id < ?) END"
        )
    return current


def _as_of_plan(
    names: Sequence[str], first: int, with_ch: bool, no_gone: bool = False
) -> tuple[str, list[Any]]:
    """``p``: the rebuilt plan's fields ``names`` (and ``touched``), and the parameters of
    its ``?`` in order but the last (the cut-off that leaves out actions created since).

    Joins the report only when ``report`` is asked for (every action has its report: a
    foreign key, never deleted), and ``ch`` only when some field is rebuilt (``with_ch``)."""
    cols: list[str] = []
    params: list[Any] = []
    for n in names:
        if n == "touched":
            continue
        cols.append(f"{_as_of_expr(n, with_ch)} AS {n}")
        if n in ("updated_at", "version"):
            params.append(first)
    source = (
        ACTION_FROM if "report" in names else "actions a LEFT JOIN owners o ON o.id = a.owner_id"
    )
    if with_ch:
        source += " LEFT JOIN ch ON ch.action_id = a.id"
    touched = ", ch.action_id IS NOT NULL AS touched" if "touched" in names else ""
    return (
        (
            "p AS (SELECT "  # noqa: S608 - our SQL only
            + ", ".join(cols)
            + f"{touched} FROM {source}"  # noqa: S608
            " WHERE a.created_at < ?"
            + (
                ")"  # created_at is the created event's at (periods.usable): gone is the same
                if no_gone
                else " AND NOT EXISTS (SELECT 1 FROM gone WHERE gone.action_id = a.id))"
            )
        ),
        params,
    )


def _as_of_sql(
    names: Sequence[str], cutoff: str, first: int, periods_read: bool = False
) -> tuple[str, list[Any]]:
    """The ``WITH`` of a plan rebuilt at UTC ``cutoff`` with the fields ``names``, and its parameters.

    ``periods_read`` (``periods.usable``): the values then of the fields ``names`` rebuild
    are read from ``field_periods`` by a range at the cut-off (``periods.VALUES_AT``), and
    the actions created since are left out by their ``created_at`` alone. Else, or when a name needs every event
    since (``_NEEDS_EVERY_EVENT``: whether an action was touched at all, a note too), from
    the trail: only the events of those fields (``FIRST_CHANGES_OF``, an index walk) or
    every event (``FIRST_CHANGES_AFTER``); a view that rebuilds no field (a count of the
    plan) reads only the ``created`` rows. Fields not in ``names`` are not in ``p``: SQL that
    reads one fails instead of reading the value now.
    """
    wanted = list(dict.fromkeys(n for n in ACTION_FIELDS if n in names or n in _ORDER_FIELDS))
    every = bool(_NEEDS_EVERY_EVENT & set(names))
    pivoted = [f for f in _PIVOTED if every or f in wanted]
    day = day_ending_at(cutoff)
    if periods_read and not every:  # one range over field_periods: no gone, no walk
        plan_names = [*wanted, *(["touched"] if "touched" in names else [])]
        plan, plan_params = _as_of_plan(plan_names, first, bool(pivoted), no_gone=True)
        if not pivoted:  # a count of the plan: the actions created before the cut-off
            return f"WITH {plan}", [*plan_params, cutoff]
        cte = _as_of_cte(pivoted, periods.VALUES_AT)
        params: list[Any] = [json.dumps(pivoted), cutoff, cutoff]
        return f"WITH {cte}, {plan}", [*params, *plan_params, cutoff]
    params = [cutoff, day]  # gone
    firsts: str | None = None
    if every:
        firsts = dialect.FIRST_CHANGES_AFTER
        params += [cutoff, day]
    elif pivoted:
        firsts = dialect.FIRST_CHANGES_OF
        params += [json.dumps(pivoted), cutoff, day]
    plan_names = [*wanted, *(["touched"] if "touched" in names else [])]
    plan, plan_params = _as_of_plan(plan_names, first, firsts is not None)
    return f"WITH {_as_of_cte(pivoted, firsts)}, {plan}", [*params, *plan_params, cutoff]


def _search_sql(table: str, *, rebuilt: bool = False) -> str:
    """``Filters.search``: the text in the title, the requirement or a note (casefolded, no wildcards).

    A note is a ``note`` event's text or the note kept with any change; as of a cut-off,
    only notes recorded before it (one more parameter: the cut-off).
    """
    fold = dialect.casefold
    before = " AND e.at < ?" if rebuilt else ""
    kept_note = fold("coalesce(e.note, '')")
    in_texts = (
        f"(instr({fold(f'{table}.title')}, ?) > 0 OR instr({fold(f'{table}.requirement')}, ?) > 0"
    )
    in_notes = (
        f"e.action_id = {table}.id{before} AND ((e.field = 'note' AND instr({fold('e.new')}, ?) > 0)"
        f" OR instr({kept_note}, ?) > 0)"
    )
    return f"{in_texts} OR EXISTS (SELECT 1 FROM events e WHERE {in_notes}))"  # noqa: S608 - our SQL only


def _search_params(text: str, cutoff: str | None) -> list[Any]:
    """The parameters of ``_search_sql``: the casefolded text for each place it is looked for."""
    needle = " ".join(text.split()).casefold()
    return [needle, needle, *([cutoff] if cutoff is not None else []), needle, needle]


_STATUS_ORDER = "CASE {t}.status WHEN 'not-started' THEN 0 WHEN 'in-progress' THEN 1 WHEN 'blocked' THEN 2 WHEN 'complete' THEN 3 ELSE 4 END"


def _sort_sql(sort: PlanSort, table: str) -> tuple[str, list[Any]]:
    """The ORDER BY keys of a ``PlanSort`` over the plan now (``a``) or rebuilt (``p``), and their parameters."""
    if sort.field not in SORT_FIELDS:
        raise ValueError(f"not a sort field: {sort.field!r}")
    t = table
    owner = "o.name" if t == "a" else "p.owner"
    no_due = f"({t}.due IS NULL OR {t}.due = '')"
    retired = f"coalesce({t}.retired, '') != ''"
    if sort.field == "ref":
        prefix = f"(SELECT rp.prefix FROM reports rp WHERE rp.id = {t}.report_id)"  # noqa: S608
        return f"{prefix}, length({t}.ref), {t}.ref", []
    if sort.field == "due":
        return f"{no_due}, {t}.due", []
    if sort.field == "status":
        return _STATUS_ORDER.format(t=t), []
    if sort.field == "owner":
        return f"{owner} IS NULL, {dialect.casefold(owner)}", []
    if sort.field == "updated":
        return f"{t}.updated_at DESC", []
    # rag, by models.rag: retired last; blue (complete); red (blocked, past due); amber
    # (no owner or due date, or due within the window); green
    rank = (
        f"CASE WHEN {retired} THEN 4 WHEN {t}.status = 'complete' THEN 3"
        f" WHEN {t}.status = 'blocked' THEN 0 WHEN NOT {no_due} AND {t}.due < ? THEN 0"
        f" WHEN {owner} IS NULL OR {owner} = '' OR {no_due} THEN 1"
        f" WHEN {t}.due <= ? THEN 1 ELSE 2 END"
    )
    return rank, [sort.today, sort.amber_until]


# The temporary table of ``snapshot_reminders`` (``reminders`` is the table of reminders sent).
_KEPT_REMINDERS = "remind_selection"


def _reminder_key(filters: Filters | None, cutoff: str, due_until: str) -> tuple[str, str, str]:
    """What a kept reminder selection was made for (``Filters`` holds lists: its text stands in)."""
    return repr(filters or Filters()), cutoff, due_until


def _plain_day(text: Any) -> bool:
    """An ISO date 'YYYY-MM-DD' (year 1000 on) that is a real day: then text order is date order."""
    try:
        return type(text) is str and dt.date.fromisoformat(text).isoformat() == text and text >= "1"
    except ValueError:
        return False


# The progress figures' counts by due date, in one pass: all, no due date, overdue (before
# today), due within the amber window, due soon. Their parameters: today, today, the amber
# window's end, today, the soon window's end.
_DUE_SUMS = (
    "count(*), count(CASE WHEN due IS NULL OR due = '' THEN 1 END),"
    " count(CASE WHEN due != '' AND due < ? THEN 1 END),"
    " count(CASE WHEN due >= ? AND due <= ? THEN 1 END),"
    " count(CASE WHEN due >= ? AND due <= ? THEN 1 END)"
)


class PlanViews(StoreConnection):
    """The plan now or at a cut-off: streamed, counted, and its progress figures, in SQL."""

    # Whether ``--as-of`` may read ``field_periods`` (``periods.usable`` decides each time);
    # False: every rebuild from the audit trail (the reference, for the tests and bench).
    periods_read = True

    # -- the query ---------------------------------------------------------------

    def _ids(self, filters: Filters) -> tuple[list[int] | None, list[int] | None]:
        """The owner and report ids the name filters mean (matched with ``casefold``)."""
        owner_ids = report_ids = None
        if filters.owner is not None:
            wanted = filters.owner.casefold()
            owner_ids = [
                i
                for i, name in self.conn.execute("SELECT id, name FROM owners")
                if name.casefold() == wanted
            ]
        if filters.report is not None:
            wanted = filters.report.casefold()
            report_ids = [
                i
                for i, name, prefix in self.conn.execute("SELECT id, name, prefix FROM reports")
                if wanted in (name.casefold(), prefix.casefold())
            ]
        return owner_ids, report_ids

    def _where_now(self, f: Filters) -> tuple[list[str], list[Any]]:
        """The filters as SQL over the current tables (indexes on due, status, owner usable)."""
        owner_ids, report_ids = self._ids(f)
        where: list[str] = []
        params: list[Any] = []
        if f.status:
            where.append(f"a.status IN ({dialect.placeholders(f.status)})")
            params.extend(f.status)
        if owner_ids is not None:
            where.append(dialect.in_list("a.owner_id"))
            params.append(json.dumps(owner_ids))
        if f.unassigned:
            where.append("a.owner_id IS NULL")
        if f.overdue_on:
            where.append("a.due < ? AND a.status != 'complete' AND a.retired IS NULL")
            params.append(f.overdue_on)
        if f.due_before:
            where.append("a.due < ?")
            params.append(f.due_before)
        if report_ids is not None:
            where.append(dialect.in_list("a.report_id"))
            params.append(json.dumps(report_ids))
        if f.quality_statement is not None:
            where.append("a.quality_statement = ?")
            params.append(f.quality_statement)
        if f.review:
            where.append(f"a.review IN ({dialect.placeholders(f.review)})")
            params.extend(f.review)
        if not f.include_retired:
            where.append("a.retired IS NULL")
        if f.search is not None:
            where.append(_search_sql("a"))
            params.extend(_search_params(f.search, None))
        return where, params

    def _where_rebuilt(self, f: Filters, cutoff: str) -> tuple[list[str], list[Any]]:
        """The filters as SQL over the rebuilt plan ``p`` (the owner is a name from the trail)."""
        _, report_ids = self._ids(f)
        where: list[str] = []
        params: list[Any] = []
        if f.status:
            where.append(f"p.status IN ({dialect.placeholders(f.status)})")
            params.extend(f.status)
        if f.owner is not None:
            where.append(f"{dialect.casefold('p.owner')} = ?")
            params.append(f.owner.casefold())
        if f.unassigned:
            where.append("p.owner IS NULL")
        if f.overdue_on:
            where.append(
                "p.due != '' AND p.due < ? AND p.status != 'complete' AND coalesce(p.retired, '') = ''"
            )
            params.append(f.overdue_on)
        if f.due_before:
            where.append("p.due != '' AND p.due < ?")
            params.append(f.due_before)
        if report_ids is not None:
            where.append(dialect.in_list("p.report_id"))
            params.append(json.dumps(report_ids))
        if f.quality_statement is not None:
            where.append("p.quality_statement = ?")
            params.append(f.quality_statement)
        if f.review:
            where.append(f"p.review IN ({dialect.placeholders(f.review)})")
            params.extend(f.review)
        if not f.include_retired:
            where.append("coalesce(p.retired, '') = ''")
        if f.search is not None:
            where.append(_search_sql("p", rebuilt=True))
            params.extend(_search_params(f.search, cutoff))
        return where, params

    def _plan_sql(
        self,
        names: Sequence[str],
        filters: Filters | None,
        cutoff: str | None,
        *,
        ordered: bool = True,
        sort: PlanSort | None = None,
        bare: bool = False,
    ) -> tuple[str, list[Any]]:
        """The SELECT of the plan's ``names`` (now, or at UTC ``cutoff``), filtered, and its parameters.

        ``bare``: the plan now from ``actions`` alone, without its report and owner (for
        counting: every action has its report, a foreign key, and the owner is an outer
        join, so the count is the same; SQLite then reads the index only).
        """
        _check_names([n for n in names if n != "touched"])  # refused before any SQL is run
        f = filters or Filters()
        if cutoff is None:
            where, params = self._where_now(f)
            source = "actions a" if bare else ACTION_FROM
            sql = f"SELECT {_select_list(names)} FROM {source}"  # noqa: S608 - ACTION_FIELDS only
            order = "a.report_id, a.position, a.id"
        else:
            where, params = self._where_rebuilt(f, cutoff)
            read = [*names, *_fields_read(f, sort)]
            first = None  # the oldest event recorded since: only updated_at and version read it
            if "updated_at" in read or "version" in read:
                first = self.conn.execute(
                    "SELECT min(id) FROM events WHERE at >= ?", [cutoff]
                ).fetchone()[0]
            with_sql, with_params = _as_of_sql(
                read, cutoff, first or 0, self.periods_read and periods.usable(self.conn, cutoff)
            )
            params = [*with_params, *params]
            sql = (
                f"{with_sql} SELECT "  # noqa: S608 - names checked above
                + ", ".join(f"p.{n} AS {n}" for n in names)
                + " FROM p"
            )
            order = "p.report_id, p.position, p.id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        if ordered and sort is not None:
            keys, sort_params = _sort_sql(sort, "a" if cutoff is None else "p")
            sql += f" ORDER BY {keys}, {order}"
            params.extend(sort_params)
        elif ordered:
            sql += f" ORDER BY {order}"
        return sql, params

    # -- streamed rows ---------------------------------------------------------

    def iter_plan(
        self,
        filters: Filters | None = None,
        *,
        cutoff: str | None = None,
        columns: Iterable[str] | None = None,
        limit: int | None = None,
        sort: PlanSort | None = None,
    ) -> Iterator[dict[str, Any]]:
        """The actions matching ``filters`` (now, or as they stood at UTC ``cutoff``), one at a time.

        In report then document order, or in the order ``sort`` names (then document order). ``columns``: only these fields (names from
        ``ACTION_FIELDS``); the filters still apply in full. ``limit``: the first so many
        only (SQLite keeps just those while sorting). Rows come from the cursor as they
        are read, so a caller that writes them out holds one at a time.
        """
        names = list(ACTION_FIELDS) if columns is None else list(dict.fromkeys(columns))
        emails: dict[str, str | None] | None = None
        query = names
        if cutoff is not None and "owner_email" in names:
            emails = self._owner_emails_at(cutoff)
        if emails is not None:
            query = [*names, *(["owner"] if "owner" not in names else []), "touched"]
        if limit is not None and cutoff is None:
            # the first N ids first, then only their rows: with the LIMIT on the full SELECT,
            # SQLite computed every column (the version subquery included) of every matching
            # row before sorting (list --overdue --limit 50 at 100,000: see bench/NOTES.md)
            ids_sql, params = self._plan_sql(["id"], filters, None, sort=sort)
            params.append(max(0, int(limit)))
            order = "a.report_id, a.position, a.id"
            if sort is not None:
                keys, sort_params = _sort_sql(sort, "a")
                order = f"{keys}, {order}"
                params.extend(sort_params)
            sql = (
                f"SELECT {_select_list(query)} FROM {ACTION_FROM}"  # noqa: S608 - ACTION_FIELDS only
                f" WHERE a.id IN ({ids_sql} LIMIT ?) ORDER BY {order}"
            )
        else:
            sql, params = self._plan_sql(query, filters, cutoff, sort=sort)
            if limit is not None:
                sql += " LIMIT ?"
                params.append(max(0, int(limit)))
        cur = self.streaming_cursor()  # PostgreSQL: a server-side cursor, a batch at a time
        cur.row_factory = None  # plain tuples zipped with the names: 3x faster than sqlite3.Row
        try:
            cur.execute(sql, params)
            with_in_source = "in_source" in names
            for values in cur:
                row = dict(zip(query, values, strict=True))
                if with_in_source:
                    row["in_source"] = bool(row["in_source"])
                if emails is not None:
                    owner = row["owner"]
                    if row.pop("touched"):
                        row["owner_email"] = emails.get(owner.casefold()) if owner else None
                    elif (
                        owner
                    ):  # the owner's email may have changed since, even if the action did not
                        row["owner_email"] = emails.get(owner.casefold(), row["owner_email"])
                    if "owner" not in names:
                        del row["owner"]
                yield row
        finally:
            cur.close()

    # -- the JSON and CSV exports made in SQL (SQLite) ------------------------------

    def export_rows(
        self,
        filters: Filters | None,
        *,
        fields: Sequence[str],
        keys: Sequence[str] = (),
        csv: bool = False,
        today: dt.date,
        amber_until: dt.date,
    ) -> Iterator[tuple[Any, ...]] | None:
        """The plan now, each action's export record (JSON: ``keys``) or CSV cells, made by SQLite.

        JSON rows: (action id, ok, the record's text before ``latest_update_on``'s value,
        that update's ``occurred_on``, its ``at``, the text after). CSV rows: (action id, ok,
        ``occurred_on``, ``at``, then each field's text but ``latest_update_on``'s). The
        caller puts in the local day the update happened (``board.event_day``) and writes a
        row whose ``ok`` is 0 the Python way (``export_row``). In plan order; the same
        records as ``render.export_records`` with the latest updates now
        (``store/exporting.py``). None on PostgreSQL, for fields ``exporting`` has no SQL
        for, and when a due date in the plan is not a plain ISO date (BRAG compares them as
        text here; Python parses them).
        """
        if self.backend != "sqlite":
            return None
        from cpft_tracker.store import exporting

        for (due,) in self.conn.execute("SELECT DISTINCT due FROM actions"):  # the index only
            if due is not None and due != "" and not _plain_day(due):
                return None
        where, params = self._where_now(filters or Filters())
        where_sql = " AND ".join(where) if where else "1"
        source = (
            f"{ACTION_FROM}{exporting.LATEST_JOIN} WHERE {where_sql}"  # noqa: S608 - our SQL only
            " ORDER BY a.report_id, a.position, a.id"
        )
        if csv:
            cells = exporting.csv_sql(fields)
            if cells is None:
                return None
            sql = (
                f"SELECT a.id, {exporting.ROW_OK}, le.occurred_on, le.at, "  # noqa: S608
                + ", ".join(cells)
                + f" FROM {source}"
            )
        else:
            record = exporting.record_sql(fields, keys)
            if record is None:
                return None
            before, after = record
            sql = (
                f"SELECT a.id, {exporting.ROW_OK}, {before}, le.occurred_on, le.at,"  # noqa: S608
                f" {after} FROM {source}"
            )
        days = {":today": today, ":amber_until": amber_until}
        for name, day in days.items():  # ISO dates made here: digits and dashes only
            sql = sql.replace(name, f"'{day.isoformat()}'")
        return self._export_stream(sql, params)

    def _export_stream(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        cur = self.streaming_cursor()
        cur.row_factory = None
        try:
            cur.execute(sql, params)
            yield from cur
        finally:
            cur.close()

    def export_row(self, action_id: int) -> dict[str, Any]:
        """One action's full row as ``iter_plan`` gives it (for a row ``export_rows`` leaves to Python)."""
        cur = self.conn.cursor()
        cur.row_factory = None
        try:
            values = cur.execute(
                f"SELECT {ACTION_COLUMNS} FROM {ACTION_FROM} WHERE a.id = ?",  # noqa: S608 - our SQL only
                [action_id],
            ).fetchone()
        finally:
            cur.close()
        row = dict(zip(ACTION_FIELDS, values, strict=True))
        row["in_source"] = bool(row["in_source"])
        return row

    # -- reminders: grouped by owner in SQL --------------------------------------

    # The arguments whose selection this read snapshot keeps (``snapshot_reminders``), or None.
    _kept_reminders: tuple[str, str, str] | None = None

    def snapshot_reminders(
        self, filters: Filters | None = None, *, cutoff: str | None = None, due_until: str
    ) -> None:
        """``read_snapshot()``, with ``remind``'s selection at ``cutoff`` rebuilt only ONCE in it.

        The plan rebuilt at a cut-off is most of ``remind --as-of``'s time, and
        ``count_reminders`` and ``iter_reminders`` (the header, the digest or JSON, the
        escalations, ``--send``'s emails: two to five reads) each rebuilt it. Here the
        selection (``_reminder_sql``: the few fields ``remind`` reads and each owner's key)
        is written once into a temporary table of this connection, which those two read,
        for these same arguments, until the snapshot ends (other arguments still rebuild).
        PostgreSQL refuses CREATE in a READ ONLY transaction but lets one write a temporary
        table, so the empty table is made first, outside the snapshot, and filled inside it:
        the kept rows are the snapshot's. Where the table cannot be made (already inside a
        transaction, or a server that allows no temporary table) nothing is kept and each
        read rebuilds, as before. The plan now (no ``cutoff``) is read from its indexes
        each time: nothing is kept.
        """
        if cutoff is None or self.conn.in_transaction:
            self.read_snapshot()
            return
        sel, params = self._reminder_sql(filters, cutoff, due_until, True)
        try:  # the columns' types from the query itself; LIMIT 0 runs none of it
            self.conn.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {_KEPT_REMINDERS} AS"  # noqa: S608 - our SQL only
                f" SELECT * FROM ({sel}) AS sel LIMIT 0",
                params,
            )
        except (sqlite3.Error, DatabaseProblem):
            self.read_snapshot()
            return
        self.read_snapshot()
        sel, params = self._reminder_sql(filters, cutoff, due_until, True)  # in the snapshot
        self.conn.execute(f"DELETE FROM {_KEPT_REMINDERS}")  # noqa: S608 - our SQL only
        self.conn.execute(f"INSERT INTO {_KEPT_REMINDERS} SELECT * FROM ({sel}) AS sel", params)  # noqa: S608
        self._kept_reminders = _reminder_key(filters, cutoff, due_until)

    def end_snapshot(self) -> None:
        """End the read snapshot (``StoreConnection.end_snapshot``); a kept selection goes with it."""
        self._kept_reminders = None
        super().end_snapshot()

    def _reminder_source(
        self, filters: Filters | None, cutoff: str | None, due_until: str, with_touched: bool
    ) -> tuple[str, list[Any]]:
        """``sel`` (``_reminder_sql``), from the kept selection when this snapshot has it."""
        if cutoff is not None and self._kept_reminders == _reminder_key(filters, cutoff, due_until):
            return f"SELECT * FROM {_KEPT_REMINDERS}", []  # noqa: S608 - our SQL only
        return self._reminder_sql(filters, cutoff, due_until, with_touched)

    def _reminder_sql(
        self, filters: Filters | None, cutoff: str | None, due_until: str, with_touched: bool
    ) -> tuple[str, list[Any]]:
        """The plan's actions with a due date on or before ``due_until``, each with its owner's
        key (the casefolded name; NULL for none): ``sel``, the inner query of both reads below."""
        names = [*REMINDER_FIELDS, *(["touched"] if with_touched else [])]
        inner, params = self._plan_sql(names, filters, cutoff, ordered=False)
        okey = (
            f"CASE WHEN owner IS NULL OR owner = '' THEN NULL ELSE {dialect.casefold('owner')} END"
        )
        sql = (
            f"SELECT {', '.join(names)}, {okey} AS okey FROM ({inner}) AS plan"  # noqa: S608 - our SQL only
            " WHERE due IS NOT NULL AND due != '' AND due <= ?"
        )
        return sql, [*params, due_until]

    def iter_reminders(
        self,
        filters: Filters | None = None,
        *,
        cutoff: str | None = None,
        due_until: str,
        due_before: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """The actions with a due date up to ``due_until``, grouped by owner, one at a time (``remind``).

        Owners come furthest behind first (by their earliest due date), then by casefolded
        name; the actions with no owner last; an owner's actions by due date, then ref
        (casefolded), then document order: ``remind.select``'s order, made in SQL so that
        only the row in hand is held. Owners are grouped by casefolded name (on PostgreSQL
        by its ``lower``). Each row carries ``okey`` (its owner's key, None for none) and its
        group's ``group_owner`` and ``group_email``: those of the group's first action in
        document order, as ``select`` takes them. ``due_before``: only the actions due before
        that date (the escalations), their groups' names still taken from the whole group.
        """
        emails = self._owner_emails_at(cutoff) if cutoff is not None else None
        sel, params = self._reminder_source(filters, cutoff, due_until, emails is not None)
        first = "OVER (PARTITION BY okey ORDER BY report_id, position, id)"
        group_cols = (
            "min(due) OVER (PARTITION BY okey) AS group_due,"
            f" first_value(owner) {first} AS group_owner,"
            f" first_value(owner_email) {first} AS group_email"
            + (f", first_value(touched) {first} AS group_touched" if emails is not None else "")
        )
        names = ["id", "ref", "title", "due", "status", "report", "okey"]
        sql = f"SELECT *, {group_cols} FROM ({sel}) AS sel"  # noqa: S608 - our SQL only
        if due_before is not None:
            sql = f"SELECT * FROM ({sql}) AS grouped WHERE due < ?"  # noqa: S608 - our SQL only
            params.append(due_before)
        sql = (
            f"SELECT {', '.join(names)}, group_owner, group_email"  # noqa: S608 - our SQL only
            + (", group_touched" if emails is not None else "")
            + f" FROM ({sql}) AS ordered ORDER BY okey IS NULL, group_due, okey {dialect.CODEPOINTS},"
            f" due, {dialect.casefold('ref')} {dialect.CODEPOINTS}, report_id, position, id"
        )
        cur = self.streaming_cursor()  # PostgreSQL: a server-side cursor, a batch at a time
        cur.row_factory = None
        try:
            cur.execute(sql, params)
            for values in cur:
                row = dict(zip([*names, "group_owner", "group_email"], values, strict=False))
                if emails is not None:  # the owner's email as it stood (as iter_plan rebuilds it)
                    owner, touched = row["group_owner"], values[-1]
                    if touched:
                        row["group_email"] = emails.get(owner.casefold()) if owner else None
                    elif owner:
                        row["group_email"] = emails.get(owner.casefold(), row["group_email"])
                yield row
        finally:
            cur.close()

    def count_reminders(
        self,
        filters: Filters | None = None,
        *,
        cutoff: str | None = None,
        due_until: str,
        overdue_before: str,
    ) -> tuple[int, int, int, int]:
        """What ``iter_reminders`` gives, counted in SQL: how many are due before
        ``overdue_before`` (overdue), how many are not, how many owners, how many with no owner."""
        sel, params = self._reminder_source(filters, cutoff, due_until, False)
        sql = (
            "SELECT count(CASE WHEN due < ? THEN 1 END), count(CASE WHEN due >= ? THEN 1 END),"  # noqa: S608
            f" count(DISTINCT okey), count(CASE WHEN okey IS NULL THEN 1 END) FROM ({sel}) AS sel"
        )
        row = self.conn.execute(sql, [overdue_before, overdue_before, *params]).fetchone()
        return int(row[0]), int(row[1]), int(row[2]), int(row[3])

    def actions(
        self, filters: Filters | None = None, *, columns: Iterable[str] | None = None
    ) -> list[dict[str, Any]]:
        """The actions now matching ``filters``, in report then document order, as a list.

        (``iter_plan`` gives the same rows one at a time.) The filters mean exactly what
        ``asof.matches`` means for a rebuilt row (tested in ``tests/test_asof.py``).
        """
        return list(self.iter_plan(filters, columns=columns))

    def _owner_emails_at(self, cutoff: str) -> dict[str, str | None] | None:
        """Every owner's email address at UTC ``cutoff``, keyed by the casefolded name.

        None when nothing was recorded since: the rows' current addresses stand as they are.
        """
        if (
            self.conn.execute("SELECT 1 FROM events WHERE at >= ? LIMIT 1", [cutoff]).fetchone()
            is None
        ):
            return None
        emails = {
            name.casefold(): email
            for name, email in self.conn.execute("SELECT name, email FROM owners")
        }
        rows = self.conn.execute(
            "SELECT old, subject FROM events WHERE at >= ? AND action_id IS NULL"
            " AND field = 'owner_email' ORDER BY id DESC",
            [cutoff],
        )
        for old, subject in rows:  # newest first: the oldest change after the cut-off wins
            if subject:
                emails[subject.casefold()] = old
        return emails

    # -- counted in SQL ----------------------------------------------------------

    def count_plan(
        self, filters: Filters | None = None, *, cutoff: str | None = None, limit: int | None = None
    ) -> int:
        """How many actions ``iter_plan`` would give."""
        sql, params = self._plan_sql(["id"], filters, cutoff, ordered=False, bare=True)
        if limit is not None:
            sql += " LIMIT ?"
            params.append(max(0, int(limit)))
        return int(self.conn.execute(f"SELECT count(*) FROM ({sql}) AS plan", params).fetchone()[0])  # noqa: S608

    def any_plan(self, filters: Filters | None = None, *, cutoff: str | None = None) -> bool:
        """Whether ``iter_plan`` would give any action (stops at the first one found)."""
        sql, params = self._plan_sql(["id"], filters, cutoff, ordered=False, bare=True)
        return bool(self.conn.execute(f"SELECT EXISTS ({sql})", params).fetchone()[0])  # noqa: S608

    def progress_counts(
        self,
        filters: Filters | None = None,
        *,
        cutoff: str | None = None,
        today: str,
        amber_until: str,
        soon_until: str,
    ) -> list[tuple[Any, ...]]:
        """The plan's actions counted in SQL for the progress figures, a few hundred rows for any size.

        One row per ``(quality_statement, owner, status, retired)`` with how many actions
        it has and, of those, how many have no due date, are past due (before ``today``),
        due from ``today`` to ``amber_until`` (the warning window) and from ``today`` to
        ``soon_until`` (30 days): ``progress.counted_in_sql`` makes the BRAG, overdue and
        due-soon figures from these by the rules of ``models.rag`` (tested against it).
        The plan now is counted from the ``actions_tracked_figures`` index (m002, m003, m009) in its
        own order: no sort, no action row read; owners are named afterwards from their ids.
        """
        sums = _DUE_SUMS
        dates = [today, today, amber_until, today, soon_until]
        f = filters or Filters()
        if cutoff is None:
            where, params = self._where_now(f)
            sql = (
                f"SELECT quality_statement, status, owner_id, retired, {sums} FROM actions a"  # noqa: S608
                + (" WHERE " + " AND ".join(where) if where else "")
                + " GROUP BY quality_statement, status, owner_id, retired"
            )
            cur = self.conn.cursor()
            cur.row_factory = None
            rows = cur.execute(sql, [*dates, *params]).fetchall()
            names = dict(self.conn.execute("SELECT id, name FROM owners").fetchall())
            return [
                (qs, names.get(o) if o is not None else None, s, *rest) for qs, s, o, *rest in rows
            ]
        names_sql = ["quality_statement", "owner", "status", "due", "retired"]
        inner, params = self._plan_sql(names_sql, f, cutoff, ordered=False)
        sql = (
            f"SELECT quality_statement, owner, status, retired, {sums} FROM ({inner}) AS plan"  # noqa: S608
            " GROUP BY quality_statement, owner, status, retired"
        )
        cur = self.conn.cursor()
        cur.row_factory = None
        return cur.execute(sql, [*dates, *params]).fetchall()

    def progress_counts_awaiting(
        self,
        filters: Filters | None = None,
        *,
        cutoff: str,
        today: str,
        amber_until: str,
        soon_until: str,
    ) -> tuple[list[tuple[Any, ...]], int]:
        """``progress_counts`` at ``cutoff``, and how many actions then await review, from ONE rebuild.

        The count is ``count_plan`` of ``filters`` with review ``awaiting`` and no retired
        action (what ``asof.awaiting_review`` counts, and what ``progress`` shows beside the
        figures): the plan rebuilt at the cut-off, with every review state and retired
        action, is read once (``plan``, a CTE read twice: both engines keep it) and each
        count keeps its own rows. Two rebuilds before: the awaiting count was a third of
        ``progress --as-of``'s time.
        """
        sums = _DUE_SUMS
        dates = [today, today, amber_until, today, soon_until]
        f = filters or Filters()
        names_sql = ["quality_statement", "owner", "status", "due", "retired", "review"]
        inner, params = self._plan_sql(
            names_sql, f.replace(review=[], include_retired=True), cutoff, ordered=False
        )
        counted: list[str] = []
        counted_params: list[Any] = []
        if f.review:
            counted.append(f"review IN ({dialect.placeholders(f.review)})")
            counted_params.extend(f.review)
        if not f.include_retired:
            counted.append("coalesce(retired, '') = ''")
        where = (" WHERE " + " AND ".join(counted)) if counted else ""
        sql = (
            f"WITH plan AS ({inner})"  # noqa: S608 - our SQL only
            f" SELECT 1, quality_statement, owner, status, retired, {sums} FROM plan{where}"
            " GROUP BY quality_statement, owner, status, retired"
            " UNION ALL SELECT 0, NULL, NULL, NULL, NULL, count(*), 0, 0, 0, 0 FROM plan"
            " WHERE review = 'awaiting' AND coalesce(retired, '') = ''"
        )
        cur = self.conn.cursor()
        cur.row_factory = None
        rows = cur.execute(sql, [*params, *dates, *counted_params]).fetchall()
        awaiting = sum(int(r[5]) for r in rows if not r[0])
        return [tuple(r[1:]) for r in rows if r[0]], awaiting
