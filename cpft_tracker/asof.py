"""The plan as it stood at the end of a date, rebuilt from the audit trail, and the shared filters.

``--as-of DATE`` means one thing everywhere (``list``, ``export``, ``progress``, ``remind``):
the plan as it stood at the END of that local date, with that date as "today" for BRAG
and overdue. Every command gets its rows through :func:`plan_actions`, so current and
past views are filtered by the same rules (in SQL for the plan now, in Python for a rebuilt
one: :func:`matches` and ``Store.actions`` are kept in step by a test).

How the rebuild works (no query per action): read every action as it is now (one query);
of the events recorded at or after the UTC instant the local date ended, read for each
(action, field) the oldest only (one grouped query: its ``old`` is the value at the cut-off,
which is where undoing all of them newest first would end); and put those values back:

- ``created`` after the cut-off: the action did not exist yet (so is left out);
- ``owner``, ``due``, ``status``, ``evidence``, ``retired``, ``title``,
  ``quality_statement``: the field goes back to the event's ``old`` value;
- ``in_source``: back to ``old`` (``'1'``/``'0'``);
- ``owner_email`` (events with no action): the owner's address goes back to ``old``;
- ``note`` and anything else: no state to undo.

``updated_at`` of a rebuilt action is its last event before the cut-off. Settings (the
BRAG warning window) are not rebuilt: the current setting, or ``--window``, applies.
Events are undone in the order they were written (id); the audit trail's clock is UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from cpft_tracker.errors import UsageProblem

if TYPE_CHECKING:
    from cpft_tracker.store import Filters, Store

# Action fields whose events carry the value in force before the change in ``old``.
UNDOABLE_FIELDS = frozenset(
    {"owner", "due", "status", "evidence", "retired", "title", "quality_statement"}
)


def cutoff_utc(day: dt.date) -> str:
    """The UTC instant the local ``day`` ends (local midnight that starts the next day), as event text.

    Events strictly before it are in force at the end of ``day``. Uses the machine's local
    time zone, so British Summer Time is handled (end of 1 July 2025 = 2025-07-01T23:00:00Z).
    """
    next_midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0))
    return next_midnight.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_as_of(text: str | None, *, today: dt.date, option: str = "--as-of") -> dt.date | None:
    """Read an ``--as-of`` value (UK date forms); None when not given. Refuses future dates."""
    if text is None or not text.strip():
        return None
    from cpft_tracker.dates import parse_date

    day = parse_date(text, base=today)
    if day > today:
        raise UsageProblem(
            f"{option} {text} is in the future ({day.isoformat()}): the plan can only be shown as it stood on "
            f"a date up to today ({today.isoformat()}). To look ahead, use --window DAYS."
        )
    return day


def actions_as_of(
    store: Store, day: dt.date, columns: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """Every action as it stood at the end of local ``day``, in report then document order.

    Rows have the same keys as ``Store.actions()``. Actions created later are left out.
    With ``columns`` (as for ``Store.actions``) only those fields are read and rebuilt
    (rows also carry ``id`` and ``created_at``, which the rebuild needs): a field that is
    not read has nothing to put back, and ``owner_email`` and ``updated_at`` (the costly
    ones) are worked out only when asked for.
    """
    cutoff = cutoff_utc(day)
    wanted = None if columns is None else list(dict.fromkeys([*columns, "id", "created_at"]))
    with_email = wanted is None or "owner_email" in wanted
    with_updated = wanted is None or "updated_at" in wanted
    if wanted is not None and with_email and "owner" not in wanted:
        wanted.append("owner")  # an address is the owner's address then
    rows = store.actions(columns=wanted)
    first_id, changes = store.first_changes_after(cutoff)
    if first_id is None:
        return [r for r in rows if r["created_at"] < cutoff]
    by_id = {r["id"]: r for r in rows}
    emails = store.owner_emails() if with_email else {}  # casefolded name -> email now
    gone: set[int] = set()
    touched: set[int] = set()
    # Per (action, field) only the oldest event after the cut-off is given: its ``old``
    # is the value then (undoing every later event newest first ends at the same value).
    for action_id, field, old, subject in changes:
        if action_id is None:  # newest first: the oldest change of an owner's email wins
            if field == "owner_email" and subject:
                emails[subject.casefold()] = old
            continue
        row = by_id.get(action_id)
        if row is None:
            continue
        touched.add(action_id)
        if field == "created":
            gone.add(action_id)
        elif field in UNDOABLE_FIELDS:
            if field in row:  # not read (``columns``): nothing to put back
                row[field] = old
        elif field == "in_source":
            if field in row:
                row["in_source"] = old != "0"
    # events are appended in time order, so "before the cut-off" = before the oldest undone event
    last_change = store.last_event_at_before(first_id) if touched and with_updated else {}
    out: list[dict[str, Any]] = []
    for r in rows:
        if r["id"] in gone or r["created_at"] >= cutoff:
            continue
        if r["id"] in touched:
            if with_email:
                owner = r["owner"]
                r["owner_email"] = emails.get(owner.casefold()) if owner else None
            if with_updated:
                r["updated_at"] = last_change.get(r["id"], r["created_at"])
        elif with_email and r["owner"]:
            # the owner's email may have changed since even if the action did not
            r["owner_email"] = emails.get(r["owner"].casefold(), r["owner_email"])
        out.append(r)
    return out


def matches(action: Mapping[str, Any], f: Filters, prefixes: Mapping[int, str]) -> bool:
    """Whether one action row passes the shared ``list``/``export`` filters.

    The same rules as the SQL they replace: owner and report compared without regard to
    case; ``due_before`` is exclusive and leaves out actions with no due date; overdue
    means due before that day, not complete and not retired.
    """
    if f.status and action["status"] not in f.status:
        return False
    owner = action.get("owner")
    if f.owner is not None and (owner is None or owner.casefold() != f.owner.casefold()):
        return False
    if f.unassigned and owner is not None:
        return False
    due = action.get("due")
    if f.overdue_on and not (
        due and due < f.overdue_on and action["status"] != "complete" and not action.get("retired")
    ):
        return False
    if f.due_before and not (due and due < f.due_before):
        return False
    if f.report is not None:
        wanted = f.report.casefold()
        prefix = prefixes.get(action["report_id"], "")
        if action["report"].casefold() != wanted and prefix.casefold() != wanted:
            return False
    if f.quality_statement is not None and action.get("quality_statement") != f.quality_statement:
        return False
    return f.include_retired or not action.get("retired")


def filter_actions(
    rows: Iterable[dict[str, Any]], filters: Filters | None, prefixes: Mapping[int, str]
) -> list[dict[str, Any]]:
    """The rows that pass ``filters`` (all of them when ``filters`` is None), order kept."""
    if filters is None:
        return list(rows)
    return [r for r in rows if matches(r, filters, prefixes)]


# The fields ``matches`` reads: a rebuilt plan read with ``columns`` also reads these to filter.
FILTER_FIELDS = ("status", "owner", "due", "retired", "report", "report_id", "quality_statement")


def plan_actions(
    store: Store,
    filters: Filters | None = None,
    as_of: dt.date | None = None,
    *,
    columns: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """THE entry point for every view of the plan: the actions now, or at the end of ``as_of``, filtered.

    ``list``, ``export``, ``progress`` and ``remind --as-of`` call this, so a filter or an
    as-of date means the same everywhere. Pair it with ``today = as_of or dates.today()``
    for BRAG and overdue.

    The plan now is filtered in SQL (``Store.actions(filters)``: only the matching rows
    are read); a rebuilt plan can only be filtered after the rebuild, with :func:`matches`.
    The two mean the same (``tests/test_asof.py`` checks every filter against both).

    ``columns``: read only these fields (see ``Store.actions``); rows may carry a few more
    (what a rebuild and its filtering need). The same rows are selected either way.
    """
    if as_of is None:
        return store.actions(filters, columns=columns)
    if filters is not None and columns is not None:
        columns = [*columns, *FILTER_FIELDS]
    rows = actions_as_of(store, as_of, columns)
    if filters is None:
        return rows
    prefixes = {r["id"]: r["prefix"] for r in store.reports()} if filters.report is not None else {}
    return filter_actions(rows, filters, prefixes)


def describe_as_of(day: dt.date) -> str:
    """'the end of 31 March 2026', for headings and messages."""
    return f"the end of {day.day} {day:%B %Y}"
