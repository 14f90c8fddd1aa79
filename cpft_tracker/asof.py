"""The plan as it stood at the end of a date, rebuilt from the audit trail, and the shared filters.

``--as-of DATE`` means one thing everywhere (``list``, ``export``, ``progress``, ``remind``):
the plan as it stood at the END of that local date, with that date as "today" for BRAG
and overdue. Every command gets its rows through :func:`plan_actions`, so current and
past views are filtered by the same rules (in SQL for the plan now, in Python for a rebuilt
one: :func:`matches` and ``Store.actions`` are kept in step by a test).

How the rebuild works (one query, ``store/views.py``, rows streamed from the cursor): of the
events recorded at or after the UTC instant the local date ended, take for each (action,
field) the oldest only (its ``old`` is the value at the cut-off, which is where undoing all of
them newest first would end), and put those values back over every action as it is now:

- ``created`` after the cut-off: the action did not exist yet (so is left out);
- ``owner``, ``due``, ``status``, ``evidence``, ``retired``, ``title``,
  ``quality_statement``, ``review``: the field goes back to the event's ``old`` value;
- ``in_source``: back to ``old`` (``'1'``/``'0'``);
- ``owner_email`` (events with no action): the owner's address goes back to ``old``;
- ``note`` and anything else: no state to undo.

``updated_at`` of a rebuilt action is its last event before the cut-off. Settings (the
BRAG warning window) are not rebuilt: the current setting, or ``--window``, applies.
Events are undone in the order they were written (id); the audit trail's clock is UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

from cpft_tracker.errors import UsageProblem
from cpft_tracker.store.values import UNDOABLE_FIELDS as _UNDOABLE

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any

    from cpft_tracker.store import Filters, PlanSort, PlanStore

# Action fields whose events carry the value in force before the change in ``old``.
# (Defined with the query that rebuilds them, ``store/views.py``.)
UNDOABLE_FIELDS = frozenset(_UNDOABLE)


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

    try:
        day = parse_date(text, base=today)
    except UsageProblem as exc:
        if not str(exc).startswith("Cannot read"):
            raise  # "'31/02/2026' is not a real date…"
        raise UsageProblem(
            f"Cannot read '{text}' as a date for {option}. Use a date up to today, such as "
            "31/03/2026, 2026-03-31, 31 March 2026, yesterday or -30d (30 days ago)."
        ) from None
    if day > today:
        raise UsageProblem(
            f"{option} {text} is in the future ({day.isoformat()}): the plan can only be shown as it stood on "
            f"a date up to today ({today.isoformat()}). To look ahead, use --window DAYS."
        )
    return day


def actions_as_of(
    store: PlanStore, day: dt.date, columns: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """Every action as it stood at the end of local ``day``, in report then document order.

    Rows have the same keys as ``Store.actions()``. Actions created later are left out.
    With ``columns`` (as for ``Store.actions``) only those fields are read and rebuilt
    (rows also carry ``id`` and ``created_at``, and ``owner`` with ``owner_email``).
    A list, for callers that want one; :func:`plan_actions` streams the same rows.
    """
    wanted = None if columns is None else list(dict.fromkeys([*columns, "id", "created_at"]))
    if wanted is not None and "owner_email" in wanted and "owner" not in wanted:
        wanted.append("owner")  # an address is the owner's address then
    return list(store.iter_plan(cutoff=cutoff_utc(day), columns=wanted))


def matches(
    action: Mapping[str, Any],
    f: Filters,
    prefixes: Mapping[int, str],
    notes: Mapping[int, Iterable[str]] | None = None,
) -> bool:
    """Whether one action row passes the shared ``list``/``export`` filters.

    The same rules as the SQL they replace: owner and report compared without regard to
    case; ``due_before`` is exclusive and leaves out actions with no due date; overdue
    means due before that day, not complete and not retired; ``search`` is found, casefolded,
    in the title, the requirement or one of ``notes`` (the action's note texts, by id).
    """
    if f.search is not None:
        needle = " ".join(f.search.split()).casefold()
        texts = [action.get("title") or "", action.get("requirement") or ""]
        texts += list((notes or {}).get(action["id"], ()))
        if not any(needle in text.casefold() for text in texts):
            return False
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
    if f.review and action.get("review", "accepted") not in f.review:
        return False
    return f.include_retired or not action.get("retired")


def filter_actions(
    rows: Iterable[dict[str, Any]], filters: Filters | None, prefixes: Mapping[int, str]
) -> list[dict[str, Any]]:
    """The rows that pass ``filters`` (all of them when ``filters`` is None), order kept."""
    if filters is None:
        return list(rows)
    return [r for r in rows if matches(r, filters, prefixes)]


class PlanRows(list["dict[str, Any]"]):
    """The actions of one view of the plan, read from the database each time they are iterated.

    What :func:`plan_actions` returns: it behaves like the list it replaced (iterate it,
    ``len``, truth, indexing, ``in``, ``==`` with a list) without holding the rows: each
    iteration streams them from the cursor, ``len`` is counted in SQL (or remembered from
    an iteration), and ``progress.summarise`` asks it for its figures counted in SQL
    (:meth:`figure_counts`). All of it is read from one snapshot of the database
    (``Store.read_snapshot``), so two readings cannot disagree.

    A ``list`` subclass so that callers typed for the list keep working; the list itself
    stays empty. Code that reads a list's storage directly (``json.dumps(rows)``) would see
    nothing: go through iteration (``list(rows)``) for that.
    """

    def __init__(
        self,
        store: PlanStore,
        filters: Filters | None,
        as_of: dt.date | None,
        columns: Iterable[str] | None,
        limit: int | None = None,
        sort: PlanSort | None = None,
    ) -> None:
        super().__init__()
        self.limit = limit
        self.order = sort  # (not .sort: that is the list method)
        self.store = store
        self.filters = filters
        self.as_of = as_of
        self.cutoff = cutoff_utc(as_of) if as_of is not None else None
        self.columns = None if columns is None else list(columns)
        self._len: int | None = None
        # how many of this view's actions await review then (``filters`` with review
        # ``awaiting``, no retired one), when ``figure_counts`` counted them as of a date
        self.awaiting_review: int | None = None
        self._any: bool | None = None  # truth, asked once: one snapshot, one answer
        store.read_snapshot()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        n = 0
        rows = self.store.iter_plan(
            self.filters,
            cutoff=self.cutoff,
            columns=self.columns,
            limit=self.limit,
            sort=self.order,
        )
        for row in rows:
            n += 1
            yield row
        self._len = n

    def __len__(self) -> int:
        if self._len is None:
            self._len = self.store.count_plan(self.filters, cutoff=self.cutoff, limit=self.limit)
        return self._len

    def __bool__(self) -> bool:
        if self._len is not None:
            return self._len > 0
        if self.limit is not None and self.limit <= 0:
            return False
        if self._any is None:
            self._any = self.store.any_plan(self.filters, cutoff=self.cutoff)
        return self._any

    def __eq__(self, other: object) -> bool:
        if isinstance(other, list | tuple):
            return list(iter(self)) == list(iter(other))
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __getitem__(self, index: Any) -> Any:
        return list(iter(self))[index]

    def __contains__(self, item: object) -> bool:
        return any(row == item for row in self)

    def __reversed__(self) -> Iterator[dict[str, Any]]:
        return reversed(list(iter(self)))

    def __repr__(self) -> str:
        return f"PlanRows(filters={self.filters!r}, as_of={self.as_of!r}, columns={self.columns!r})"

    def figure_counts(
        self, today: dt.date, window: int, soon_days: int
    ) -> list[tuple[Any, ...]] | None:
        """These actions counted in SQL for the progress figures (``Store.progress_counts``).

        None with a ``limit`` (the first N actions are counted from the rows instead).
        As of a date, the same rebuild also counts the actions then awaiting review
        (:attr:`awaiting_review`; see :func:`awaiting_review`).
        """
        if self.limit is not None:
            return None
        dates = {
            "today": today.isoformat(),
            "amber_until": (today + dt.timedelta(days=window)).isoformat(),
            "soon_until": (today + dt.timedelta(days=soon_days)).isoformat(),
        }
        if self.cutoff is not None:
            rows, self.awaiting_review = self.store.progress_counts_awaiting(
                self.filters, cutoff=self.cutoff, **dates
            )
        else:
            rows = self.store.progress_counts(self.filters, cutoff=None, **dates)
        self._len = sum(r[4] for r in rows)
        return rows


def plan_actions(
    store: PlanStore,
    filters: Filters | None = None,
    as_of: dt.date | None = None,
    *,
    columns: Iterable[str] | None = None,
    limit: int | None = None,
    sort: PlanSort | None = None,
) -> PlanRows:
    """THE entry point for every view of the plan: the actions now, or at the end of ``as_of``, filtered.

    ``list``, ``export``, ``progress``, ``plan template`` and ``remind`` call this, so a
    filter or an as-of date means the same everywhere. Pair it with
    ``today = as_of or dates.today()`` for BRAG and overdue.

    Filtered in SQL either way (``Store.iter_plan``): only matching rows are read, and a
    rebuilt plan is rebuilt in the same query. :func:`matches` is the same filters read in
    Python (``tests/test_asof.py`` checks every filter against both, now and as of dates).

    ``columns``: read only these fields (see ``Store.actions``); ``limit``: the first so
    many only (``list --limit``); ``sort``: another order (``list --sort``). Returns a
    :class:`PlanRows`: streamed, not a list.
    """
    return PlanRows(store, filters, as_of, columns, limit, sort)


def awaiting_review(
    store: PlanStore, filters: Filters | None = None, as_of: dt.date | None = None
) -> int:
    """How many actions of this view (now, or at the end of ``as_of``) await review.

    Those are not counted in progress until accepted; retired ones are not awaiting.
    (``PlanRows.figure_counts`` counts the same as of a date in its own rebuild.)
    """
    from cpft_tracker.store.interface import Filters as _Filters

    f = (filters or _Filters()).replace(review=["awaiting"], include_retired=False)
    return store.count_plan(f, cutoff=cutoff_utc(as_of) if as_of is not None else None)


def describe_as_of(day: dt.date) -> str:
    """'the end of 31 March 2026', for headings and messages."""
    return f"the end of {day.day} {day:%B %Y}"
