"""The store's interface (``PlanStore``), what it hands back (``Change``, ``ImportResult``) and takes (``Filters``).

Backend-neutral: no SQL here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from cpft_tracker.records import FrozenRecord, Record

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any, Protocol

    from cpft_tracker.extract import Requirement
else:  # at run time PlanStore is a plain class: nothing checks isinstance against it
    Protocol = object


class Change(Record):
    """One field of one action changed (or that would change)."""

    __slots__ = ("ref", "field", "old", "new")

    def __init__(self, ref: str, field: str, old: str | None, new: str | None) -> None:
        self.ref = ref
        self.field = field
        self.old = old
        self.new = new


class ImportResult(Record):
    """What an import did (or, with --dry-run, would do).

    ``possible_duplicates``: (later ref, earlier ref): two tracked actions of the report that
    may state the same requirement, at least one of them added by this import (issue 11 item 2).
    """

    __slots__ = (
        "report",
        "report_created",
        "added",
        "already_there",
        "back_in_source",
        "no_longer_in_source",
        "possible_duplicates",
    )

    def __init__(
        self,
        report: str,
        report_created: bool,
        added: list[dict[str, Any]] | None = None,
        already_there: list[dict[str, Any]] | None = None,
        back_in_source: list[dict[str, Any]] | None = None,
        no_longer_in_source: list[dict[str, Any]] | None = None,
        possible_duplicates: list[tuple[str, str]] | None = None,
    ) -> None:
        self.report = report
        self.report_created = report_created
        self.added: list[dict[str, Any]] = [] if added is None else added
        self.already_there: list[dict[str, Any]] = [] if already_there is None else already_there
        self.back_in_source: list[dict[str, Any]] = [] if back_in_source is None else back_in_source
        self.no_longer_in_source: list[dict[str, Any]] = (
            [] if no_longer_in_source is None else no_longer_in_source
        )
        self.possible_duplicates: list[tuple[str, str]] = (
            [] if possible_duplicates is None else possible_duplicates
        )


class Filters(Record):
    """The filters that ``list`` and ``export`` share.

    ``overdue_on``: an ISO date, the actions overdue on that day; ``due_before``: an ISO
    date, exclusive; ``review``: only these review states (empty: any); ``search``: text
    found (case-insensitively) in the title, the requirement or a note of the action.
    """

    __slots__ = (
        "status",
        "owner",
        "unassigned",
        "overdue_on",
        "due_before",
        "report",
        "quality_statement",
        "include_retired",
        "review",
        "search",
    )

    def __init__(
        self,
        status: list[str] | None = None,
        owner: str | None = None,
        unassigned: bool = False,
        overdue_on: str | None = None,
        due_before: str | None = None,
        report: str | None = None,
        quality_statement: str | None = None,
        include_retired: bool = True,
        review: list[str] | None = None,
        search: str | None = None,
    ) -> None:
        self.status: list[str] = [] if status is None else status
        self.owner = owner
        self.unassigned = unassigned
        self.overdue_on = overdue_on
        self.due_before = due_before
        self.report = report
        self.quality_statement = quality_statement
        self.include_retired = include_retired
        self.review: list[str] = [] if review is None else review
        self.search = search


# The orders ``list --sort`` offers (``PlanSort.field``).
SORT_FIELDS: tuple[str, ...] = ("ref", "due", "status", "owner", "rag", "updated")


class PlanSort(FrozenRecord):
    """An order for the plan other than report then document order (``list --sort``).

    ``ref``: by report prefix, then number; ``due``: soonest first, no due date last;
    ``status``: in workflow order; ``owner``: by name, unassigned last; ``rag``: red, amber,
    green, blue, retired (``today`` and ``amber_until``, ISO dates, say where amber starts);
    ``updated``: most recently changed first. Ties keep document order.
    """

    __slots__ = ("field", "today", "amber_until")
    field: str
    today: str
    amber_until: str

    def __init__(self, field: str, today: str = "", amber_until: str = "") -> None:
        self._set("field", field)
        self._set("today", today)
        self._set("amber_until", amber_until)


class PlanStore(Protocol):
    """The narrow interface every backend implements: business operations, not generic SQL.

    ``cpft_tracker.store.Store`` (SQLite) is the one implementation today; a PostgreSQL
    backend (issue 12) implements the same methods with the same behaviour, so commands,
    ``asof``, ``progress``, ``plan`` and ``remind`` need not know which one they hold.

    ``if_unchanged_since`` (an action's version, the id of its latest event): refuse with
    ChangedSince, inside the transaction, when any action named has a newer version.
    ``occurred_on`` (ISO date): when the change happened (``--on``), stored in
    ``events.occurred_on``; ``--as-of`` goes by it (``sqlite_dialect.HAPPENED_AFTER``).

    Rules every implementation keeps: each write method is ONE transaction that appends one
    audit event per changed field (who, when in UTC, field, old, new, note), chained by
    ``store/chain.py`` to the event before it, and changes nothing when it raises; nothing is ever deleted; readers see a consistent plan.
    Action rows are dicts with the keys of ``reads.ACTION_FIELDS`` (or those asked for).
    """

    path: Path

    # -- opening --------------------------------------------------------------
    @property
    def schema_version(self) -> int: ...
    def close(self) -> None: ...
    def write(self) -> AbstractContextManager[Any]: ...
    def read_snapshot(self) -> None: ...
    def end_snapshot(self) -> None: ...

    # -- the plan: now, or as it stood at a UTC cut-off (from the audit trail) ----
    def iter_plan(
        self,
        filters: Filters | None = None,
        *,
        cutoff: str | None = None,
        columns: Iterable[str] | None = None,
        limit: int | None = None,
        sort: PlanSort | None = None,
    ) -> Iterator[dict[str, Any]]: ...
    def count_plan(
        self, filters: Filters | None = None, *, cutoff: str | None = None, limit: int | None = None
    ) -> int: ...
    def any_plan(self, filters: Filters | None = None, *, cutoff: str | None = None) -> bool: ...
    def progress_counts(
        self,
        filters: Filters | None = None,
        *,
        cutoff: str | None = None,
        today: str,
        amber_until: str,
        soon_until: str,
    ) -> list[tuple[Any, ...]]: ...
    def progress_counts_awaiting(
        self,
        filters: Filters | None = None,
        *,
        cutoff: str,
        today: str,
        amber_until: str,
        soon_until: str,
    ) -> tuple[list[tuple[Any, ...]], int]: ...

    def snapshot_reminders(
        self, filters: Filters | None = None, *, cutoff: str | None = None, due_until: str
    ) -> None: ...
    def iter_reminders(
        self,
        filters: Filters | None = None,
        *,
        cutoff: str | None = None,
        due_until: str,
        due_before: str | None = None,
    ) -> Iterator[dict[str, Any]]: ...
    def count_reminders(
        self,
        filters: Filters | None = None,
        *,
        cutoff: str | None = None,
        due_until: str,
        overdue_before: str,
    ) -> tuple[int, int, int, int]: ...

    # -- reads ------------------------------------------------------------------
    def counts(self) -> dict[str, int]: ...
    def actions(
        self, filters: Filters | None = None, *, columns: Iterable[str] | None = None
    ) -> list[dict[str, Any]]: ...
    def action(self, ref: str) -> dict[str, Any]: ...
    def actions_by_refs(self, refs: Iterable[str]) -> list[dict[str, Any]]: ...
    def history(self, ref: str | None = None, limit: int | None = None) -> list[dict[str, Any]]: ...
    def merged_from(self, ref: str) -> list[dict[str, Any]]: ...
    def reports(self) -> list[dict[str, Any]]: ...
    def owners(self) -> list[dict[str, Any]]: ...
    def owner(self, name: str) -> dict[str, Any] | None: ...
    def nearest_owner(self, name: str, *, typo: bool = False) -> str | None: ...
    def owner_emails(self) -> dict[str, str | None]: ...
    def setting(self, key: str, default: str | None = None) -> str | None: ...
    def reminded_actions(self, recipient: str, kind: str, since: str, until: str) -> set[int]: ...

    # -- the audit trail ---------------------------------------------------------
    def action_events_between(
        self, start: str, end: str, fields: Sequence[str]
    ) -> list[dict[str, Any]]: ...
    def latest_updates(self, cutoff: str | None = None) -> Mapping[int, dict[str, Any]]: ...

    # -- the audit trail checked whole (check, restore, the board paper's chain head) --
    def iter_events(self) -> Iterator[dict[str, Any]]: ...
    def chain_head(self) -> tuple[int, str | None] | None: ...
    def trigger_sql(self) -> dict[str, str]: ...
    def action_histories(
        self,
    ) -> Iterator[tuple[int, dict[str, Any] | None, list[dict[str, Any]]]]: ...
    def audit_state(self) -> dict[str, list[dict[str, Any]]]: ...

    # -- audited writes (each one transaction with its events) -------------------
    def assign(
        self,
        refs: Sequence[str],
        owner: str,
        *,
        by: str,
        email: str | None = None,
        note: str | None = None,
        new_owner: bool = False,
        if_unchanged_since: int | None = None,
    ) -> list[Change]: ...
    def unassign(
        self, refs: Sequence[str], *, by: str, note: str | None = None
    ) -> list[Change]: ...
    def set_due(
        self,
        refs: Sequence[str],
        due: str | None,
        *,
        by: str,
        note: str | None = None,
        if_unchanged_since: int | None = None,
    ) -> list[Change]: ...
    def set_status(
        self,
        refs: Sequence[str],
        status: str,
        *,
        by: str,
        note: str | None = None,
        evidence: str | None = None,
        if_unchanged_since: int | None = None,
        occurred_on: str | None = None,
    ) -> list[Change]: ...
    def add_note(
        self,
        ref: str,
        text: str,
        *,
        by: str,
        if_unchanged_since: int | None = None,
        occurred_on: str | None = None,
    ) -> Change: ...
    def add_evidence(
        self,
        ref: str,
        text: str,
        *,
        by: str,
        if_unchanged_since: int | None = None,
        occurred_on: str | None = None,
    ) -> Change: ...
    def set_text_field(
        self,
        refs: Sequence[str],
        column: str,
        value: str | None,
        *,
        by: str,
        note: str | None = None,
        if_unchanged_since: int | None = None,
    ) -> list[Change]: ...
    def retire(self, refs: Sequence[str], reason: str, *, by: str) -> list[Change]: ...
    def reinstate(
        self, refs: Sequence[str], *, by: str, note: str | None = None
    ) -> list[Change]: ...
    def accept(self, refs: Sequence[str], *, by: str, note: str | None = None) -> list[Change]: ...
    def reject(self, refs: Sequence[str], reason: str, *, by: str) -> list[Change]: ...
    def merge(
        self, source: str, target: str, *, by: str, note: str | None = None
    ) -> list[Change]: ...
    def rename_owner(
        self, old: str, new: str, *, by: str, note: str | None = None
    ) -> list[Change]: ...
    def merge_owners(
        self, source: str, target: str, *, by: str, note: str | None = None
    ) -> list[Change]: ...
    def set_owner_email(
        self, name: str, email: str | None, *, by: str, note: str | None = None
    ) -> list[Change]: ...
    def set_setting(self, key: str, value: str, *, by: str) -> Change | None: ...
    def record_restore(self, source: str, note: str, *, by: str) -> None: ...
    def record_reminders(
        self, action_ids: Sequence[int], recipient: str, kind: str, *, sent_on: str, at: str
    ) -> None: ...
    def claim_reminder(
        self, recipient: str, kind: str, day: str, *, run: str, at: str, stale_before: str
    ) -> bool: ...
    def finish_reminder_claim(
        self, recipient: str, kind: str, day: str, *, run: str, state: str
    ) -> None: ...

    # -- import and plan load (many changes, one transaction) ---------------------
    def import_report(
        self,
        *,
        name: str,
        requirements: Sequence[Requirement],
        source_file: str,
        source_sha256: str,
        by: str,
        prefix: str | None = None,
        dry_run: bool = False,
        note: str | None = None,
    ) -> ImportResult: ...
    def apply_plan(
        self,
        edits: Sequence[dict[str, Any]],
        *,
        by: str,
        note: str | None = None,
        expect_versions: Mapping[str, int | None] | None = None,
    ) -> list[Change]: ...
    def events_after(self, version: int) -> list[dict[str, Any]]: ...
    def last_event_id_at(self, at: str) -> int: ...
