"""Reminders: who is overdue or due soon, grouped by owner; the messages; the record of what was sent.

Pure where it can be: ``select`` and the ``compose_*`` / ``*_text`` functions take plain
data and return plain data or text (no typer, no rich, no SQL). ``actions_as_of`` and the
``already_sent`` / ``record_sent`` helpers are the only parts that read or write the store
(through its business methods ``reminded_actions`` / ``record_reminders``, never SQL);
SMTP delivery lives in ``mailer.py``.

Safety: owner names, email addresses and titles come from people. Nothing they type reaches
a mail header except as a display name of an ``email.headerregistry.Address`` built by
``mailer.address``, which keeps only letters, digits, spaces and ``- ' &`` (so it can never
decode to address syntax); subjects hold counts only;
addresses are re-checked with ``store.check_email`` before a message is built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from cpft_tracker.models import DEFAULT_WINDOW_DAYS, days_overdue
from cpft_tracker.records import FrozenRecord, Record

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from email.message import EmailMessage
    from typing import Any

    from cpft_tracker.store import Store

JSON_SCHEMA_VERSION = 1
# The action fields ``select`` reads (``actions_as_of`` reads no others).
REMIND_FIELDS = ("id", "ref", "title", "due", "status", "report", "owner", "owner_email", "retired")
# The look-ahead window (``settings window``, as progress and the board paper use it).
DEFAULT_WITHIN_DAYS = DEFAULT_WINDOW_DAYS
UNASSIGNED = "unassigned"
KIND_OWNER = "owner"
KIND_ESCALATION = "escalation"


# ---------------------------------------------------------------------------
# Selection
# ---------------------------------------------------------------------------


class Item(FrozenRecord):
    """One action that needs chasing, as of a date."""

    __slots__ = ("action_id", "ref", "title", "due", "status", "days", "report")
    action_id: int
    ref: str
    title: str
    due: dt.date
    status: str
    days: int  # days past due: positive = overdue, 0 = due today, negative = days left
    report: str | None

    def __init__(
        self,
        action_id: int,
        ref: str,
        title: str,
        due: dt.date,
        status: str,
        days: int,
        report: str | None = None,
    ) -> None:
        self._set("action_id", action_id)
        self._set("ref", ref)
        self._set("title", title)
        self._set("due", due)
        self._set("status", status)
        self._set("days", days)
        self._set("report", report)

    @property
    def overdue(self) -> bool:
        """Past its due date."""
        return self.days > 0

    @property
    def days_left(self) -> int | None:
        """Days until due (0 = today), or None when overdue."""
        return None if self.overdue else -self.days


class Group(Record):
    """One owner's actions (owner None = the unassigned group), most overdue first."""

    __slots__ = ("owner", "email", "items")
    owner: str | None
    email: str | None
    items: list[Item]

    def __init__(
        self, owner: str | None, email: str | None, items: list[Item] | None = None
    ) -> None:
        self.owner = owner
        self.email = email
        self.items = [] if items is None else items

    @property
    def overdue(self) -> list[Item]:
        """The overdue items."""
        return [i for i in self.items if i.overdue]

    @property
    def due_soon(self) -> list[Item]:
        """The items not yet overdue."""
        return [i for i in self.items if not i.overdue]


class Selection(Record):
    """Everything ``remind`` reports on one date."""

    __slots__ = ("as_of", "within", "groups")
    as_of: dt.date
    within: int
    groups: list[Group]  # owners, most overdue first; the unassigned group (if any) last

    def __init__(self, as_of: dt.date, within: int, groups: list[Group]) -> None:
        self.as_of = as_of
        self.within = within
        self.groups = groups

    @property
    def items(self) -> list[Item]:
        """Every selected item."""
        return [i for g in self.groups for i in g.items]

    @property
    def overdue_count(self) -> int:
        """How many selected actions are overdue."""
        return sum(1 for i in self.items if i.overdue)

    @property
    def due_soon_count(self) -> int:
        """How many selected actions are due within the window but not overdue."""
        return sum(1 for i in self.items if not i.overdue)

    def owner_groups(self) -> list[Group]:
        """The groups that have an owner."""
        return [g for g in self.groups if g.owner is not None]

    def unassigned(self) -> Group | None:
        """The unassigned group, if any."""
        return next((g for g in self.groups if g.owner is None), None)

    def escalations(self, after_days: int) -> list[Group]:
        """Per owner, the actions overdue by more than ``after_days`` (for the governance lead)."""
        out = []
        for g in self.groups:
            items = [i for i in g.items if i.days > after_days]
            if items:
                out.append(Group(g.owner, g.email, items))
        return out


def select(
    actions: Iterable[Mapping[str, Any]], *, as_of: dt.date, within: int = DEFAULT_WITHIN_DAYS
) -> Selection:
    """Tracked, not complete actions overdue on ``as_of`` or due within ``within`` days of it.

    Actions without a due date are left out (``list --unassigned`` / BRAG amber shows them).
    """
    by_owner: dict[str | None, Group] = {}
    for a in actions:
        if a.get("retired") or a.get("status") == "complete" or not a.get("due"):
            continue
        days = days_overdue(a, as_of)
        if days is None or days < -within:
            continue
        owner = a.get("owner") or None
        key = owner.casefold() if owner else None
        group = by_owner.setdefault(key, Group(owner, a.get("owner_email") or None))
        group.items.append(
            Item(
                action_id=int(a["id"]),
                ref=str(a["ref"]),
                title=str(a.get("title") or ""),
                due=dt.date.fromisoformat(str(a["due"])),
                status=str(a["status"]),
                days=days,
                report=a.get("report"),
            )
        )
    for g in by_owner.values():
        g.items.sort(key=lambda i: (-i.days, i.ref.casefold()))
    owned = sorted(
        (g for k, g in by_owner.items() if k is not None),
        key=lambda g: (-g.items[0].days, (g.owner or "").casefold()),
    )
    groups = owned + ([by_owner[None]] if None in by_owner else [])
    return Selection(as_of=as_of, within=within, groups=groups)


# ---------------------------------------------------------------------------
# As of a past date: the seam to asof.py
# ---------------------------------------------------------------------------


def actions_as_of(store: Store, day: dt.date | None) -> Iterable[dict[str, Any]]:
    """The tracked (not retired) actions now, or as they stood at the end of ``day``.

    The one seam to ``cpft_tracker.asof``: ``--as-of`` means what it means for ``list``,
    ``export`` and ``progress`` (the audit trail rewound to the end of that local date).
    """
    from cpft_tracker.asof import plan_actions
    from cpft_tracker.models import STATUSES
    from cpft_tracker.store import Filters

    # Only what ``select`` reads, and never a complete one: rows stream from the cursor.
    open_ones = Filters(status=[s for s in STATUSES if s != "complete"], include_retired=False)
    return plan_actions(store, open_ones, as_of=day, columns=REMIND_FIELDS)


# ---------------------------------------------------------------------------
# Streamed from the store: what the command runs (``select`` is the same reading in Python)
# ---------------------------------------------------------------------------


class Counts(FrozenRecord):
    """How many actions ``remind`` reports, counted in SQL before any is written out."""

    __slots__ = ("overdue", "due_soon", "owners", "unassigned")
    overdue: int
    due_soon: int
    owners: int
    unassigned: int

    def __init__(self, overdue: int, due_soon: int, owners: int, unassigned: int) -> None:
        self._set("overdue", overdue)
        self._set("due_soon", due_soon)
        self._set("owners", owners)
        self._set("unassigned", unassigned)

    @property
    def total(self) -> int:
        """Every selected action."""
        return self.overdue + self.due_soon


class Selected(FrozenRecord):
    """The actions ``remind`` reports on one date, read from the store each time (never held).

    Memory (issue 10): ``select`` held every selected action (``remind`` peaked at 335 MB at
    1,000,000 actions). This reads the same actions in the same order grouped by owner in
    SQL (``Store.iter_reminders``), so a writer holds the row in hand and ``--send`` one
    owner's actions at a time. ``tests/test_remind_stream.py`` checks the output against
    ``select`` and the functions that format a ``Selection``, on both backends.
    """

    __slots__ = ("store", "day", "as_of", "within")
    store: Store
    day: dt.date | None  # --as-of (the plan rebuilt at the end of that date), None for now
    as_of: dt.date
    within: int

    def __init__(self, store: Store, day: dt.date | None, as_of: dt.date, within: int) -> None:
        self._set("store", store)
        self._set("day", day)
        self._set("as_of", as_of)
        self._set("within", within)

    def _where(self) -> dict[str, Any]:
        from cpft_tracker.asof import cutoff_utc
        from cpft_tracker.models import STATUSES
        from cpft_tracker.store import Filters

        open_ones = Filters(status=[s for s in STATUSES if s != "complete"], include_retired=False)
        return {
            "filters": open_ones,
            "cutoff": cutoff_utc(self.day) if self.day is not None else None,
            "due_until": (self.as_of + dt.timedelta(days=self.within)).isoformat(),
        }

    def snapshot(self) -> None:
        """Begin the read snapshot every count and row comes from (``Store.snapshot_reminders``:
        with ``--as-of`` the plan is rebuilt once in it, not for each read)."""
        self.store.snapshot_reminders(**self._where())

    def counts(self) -> Counts:
        """The figures of the digest's second line and of the JSON's ``counts``."""
        return Counts(
            *self.store.count_reminders(**self._where(), overdue_before=self.as_of.isoformat())
        )

    def heads(self, *, overdue_by: int | None = None) -> Iterator[tuple[Group, Iterator[Item]]]:
        """Each group (its ``items`` left empty) with its items as they stream, in ``select``'s order.

        ``overdue_by``: only the actions overdue by more than so many days (the escalations).
        Take each group's items before the next group.
        """
        import itertools

        due_before = None
        if overdue_by is not None:
            due_before = (self.as_of - dt.timedelta(days=overdue_by)).isoformat()
        rows = self.store.iter_reminders(**self._where(), due_before=due_before)
        for key, group_rows in itertools.groupby(rows, key=lambda row: row["okey"]):
            first = next(group_rows)
            head = Group(
                first["group_owner"] if key is not None else None, first["group_email"] or None
            )
            yield head, map(self._item, itertools.chain((first,), group_rows))  # noqa: B031 - one use: the first row, then the rest

    def groups(self, *, overdue_by: int | None = None) -> Iterator[Group]:
        """Each group with its items, one group at a time."""
        for head, items in self.heads(overdue_by=overdue_by):
            head.items.extend(items)
            yield head

    def _item(self, row: Mapping[str, Any]) -> Item:
        due = dt.date.fromisoformat(str(row["due"]))
        return Item(
            action_id=int(row["id"]),
            ref=str(row["ref"]),
            title=str(row["title"] or ""),
            due=due,
            status=str(row["status"]),
            days=(self.as_of - due).days,
            report=row["report"],
        )


# ---------------------------------------------------------------------------
# Words and dates
# ---------------------------------------------------------------------------


def one_line(text: str | None) -> str:
    """Text from a person on one line: line breaks, tabs and other control characters become spaces."""
    if not text:
        return ""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in str(text)).split())


def uk_date(day: dt.date) -> str:
    """24 Feb 2026."""
    return f"{day.day} {day:%b %Y}"


def long_date(day: dt.date) -> str:
    """Tuesday 24 February 2026."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def plural(n: int, word: str) -> str:
    """``1 action``, ``2 actions``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def when_text(item: Item) -> str:
    """``14 days overdue``, ``due today``, ``3 days left``."""
    if item.overdue:
        return f"{plural(item.days, 'day')} overdue"
    if item.days == 0:
        return "due today"
    return f"{plural(-item.days, 'day')} left"


def next_time(every: int, as_of: dt.date) -> str:
    """When the owner hears again: worded from ``--every``, never from a guess at the cron schedule.

    Before (issue 13, 'Time'): "tomorrow", even in a reminder sent on a Friday by a weekday
    cron job. cpft-tracker does not know when it is run next, only that an action is not
    repeated to the same person within ``every`` days.
    """
    if every <= 1:
        return "at the next reminder run"
    return f"at the first reminder run from {long_date(as_of + dt.timedelta(days=every))}"


def due_next(within: int) -> str:
    """'due in the next 14 days' ('due today' for 0): the look-ahead window, worded as
    ``progress`` and the board paper word it."""
    return "due today" if within == 0 else f"due in the next {plural(within, 'day')}"


def _counts_text(items: Sequence[Item], within: int) -> str:
    overdue = sum(1 for i in items if i.overdue)
    soon = len(items) - overdue
    parts = []
    if overdue:
        parts.append(f"{overdue} overdue")
    if soon:
        parts.append(f"{soon} {due_next(within)}")
    return ", ".join(parts) or "none"


def _item_lines(item: Item, indent: str = "  ") -> list[str]:
    return [
        f"{indent}{item.ref}  {when_text(item)} (due {uk_date(item.due)}), {item.status}",
        f"{indent}  {one_line(item.title)}",
    ]


def _owner_heading(group: Group) -> str:
    if group.owner is None:
        return "Unassigned (no owner yet)"
    name = one_line(group.owner)
    return f"{name} <{group.email}>" if group.email else f"{name} (no email address)"


# ---------------------------------------------------------------------------
# The digest (stdout, for cron's MAILTO) and JSON
# ---------------------------------------------------------------------------


def digest_text(
    selection: Selection, *, escalate_after: int | None = None, escalate_to: str | None = None
) -> str:
    """The plain-text digest: empty string when there is nothing to report."""
    if not selection.groups:
        return ""
    lines = [
        f"CQC improvement actions overdue or {due_next(selection.within)}, "
        f"as of {long_date(selection.as_of)}",
        f"{selection.overdue_count} overdue, {selection.due_soon_count} due soon, "
        f"{plural(len(selection.owner_groups()), 'owner')}"
        + (f", {len(selection.unassigned().items)} unassigned" if selection.unassigned() else ""),  # type: ignore[union-attr]
    ]
    for group in selection.groups:
        lines += ["", _owner_heading(group)]
        for item in group.items:
            lines += _item_lines(item)
    if escalate_after is not None and escalate_to:
        escalated = sum(len(g.items) for g in selection.escalations(escalate_after))
        if escalated:
            lines += [
                "",
                f"{plural(escalated, 'action')} overdue by more than "
                f"{plural(escalate_after, 'day')}: escalated to {escalate_to}.",
            ]
    return "\n".join(lines) + "\n"


def _item_json(item: Item) -> dict[str, Any]:
    return {
        "ref": item.ref,
        "title": item.title,
        "report": item.report,
        "due": item.due.isoformat(),
        "status": item.status,
        "overdue": item.overdue,
        "days_overdue": item.days if item.overdue else None,
        "days_left": item.days_left,
    }


def _group_json(group: Group) -> dict[str, Any]:
    return {
        "owner": group.owner,
        "email": group.email,
        "actions": [_item_json(i) for i in group.items],
    }


def selection_json(
    selection: Selection,
    *,
    generated_at: str,
    escalate_after: int | None = None,
    escalate_to: str | None = None,
    delivery: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The documented JSON document (docs/remind-json.md)."""
    unassigned = selection.unassigned()
    escalation = None
    if escalate_after is not None and escalate_to:
        escalation = {
            "after_days": escalate_after,
            "to": escalate_to,
            "owners": [
                _group_json(g) for g in selection.escalations(escalate_after) if g.owner is not None
            ],
            "unassigned": [
                _item_json(i)
                for g in selection.escalations(escalate_after)
                if g.owner is None
                for i in g.items
            ],
        }
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "generated_at": generated_at,
        "as_of": selection.as_of.isoformat(),
        "within_days": selection.within,
        "counts": {
            "overdue": selection.overdue_count,
            "due_soon": selection.due_soon_count,
            "owners": len(selection.owner_groups()),
            "unassigned": len(unassigned.items) if unassigned else 0,
        },
        "owners": [_group_json(g) for g in selection.owner_groups()],
        "unassigned": [_item_json(i) for i in unassigned.items] if unassigned else [],
        "escalation": escalation,
        "delivery": delivery,
    }


def digest_chunks(
    selected: Selected,
    counts: Counts,
    *,
    escalate_after: int | None = None,
    escalate_to: str | None = None,
) -> Iterator[str]:
    """``digest_text`` of the same actions, written as it is read (nothing when there is nothing)."""
    if not counts.total:
        return
    yield (
        f"CQC improvement actions overdue or {due_next(selected.within)}, "
        f"as of {long_date(selected.as_of)}\n"
        f"{counts.overdue} overdue, {counts.due_soon} due soon, {plural(counts.owners, 'owner')}"
        + (f", {counts.unassigned} unassigned" if counts.unassigned else "")
    )
    escalating = escalate_after is not None and bool(escalate_to)
    escalated = 0
    for head, items in selected.heads():
        yield "\n\n" + _owner_heading(head)
        for item in items:
            if escalating and item.days > escalate_after:  # type: ignore[operator]
                escalated += 1
            yield "\n" + "\n".join(_item_lines(item))
    if escalated:
        yield (
            f"\n\n{plural(escalated, 'action')} overdue by more than "
            f"{plural(escalate_after, 'day')}: escalated to {escalate_to}."  # type: ignore[arg-type]
        )
    yield "\n"


def _json_at(value: Any, depth: int) -> str:
    """``value`` as it appears ``depth`` levels deep in ``json.dumps(doc, ensure_ascii=False, indent=2)``."""
    import json

    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)


def _item_at(item: Item, depth: int) -> str:
    from cpft_tracker.render import record_json  # the C string encoder: 2x json's own

    return record_json(_item_json(item)).replace("\n", "\n" + "  " * (depth - 2))


def _json_list(elements: Iterable[Iterable[str]], depth: int) -> Iterator[str]:
    """A list whose elements (each written at ``depth + 1``, in pieces) stream past."""
    pad = "\n" + "  " * (depth + 1)
    empty = True
    for element in elements:
        yield ("[" if empty else ",") + pad
        yield from element
        empty = False
    yield "[]" if empty else "\n" + "  " * depth + "]"


def _group_at(head: Group, items: Iterable[Item], depth: int) -> Iterator[str]:
    pad = "\n" + "  " * (depth + 1)
    yield (
        f'{{{pad}"owner": {_json_at(head.owner, 0)},{pad}"email": {_json_at(head.email, 0)},'
        f'{pad}"actions": '
    )
    yield from _json_list(([_item_at(i, depth + 2)] for i in items), depth + 1)
    yield "\n" + "  " * depth + "}"


def _owners_then_unassigned(
    heads: Iterator[tuple[Group, Iterator[Item]]], depth: int
) -> Iterator[str]:
    """``"owners": [...], "unassigned": [...]`` from one stream (the unassigned group comes last)."""
    unassigned: Iterable[Item] = ()

    def owned() -> Iterator[Iterator[str]]:
        nonlocal unassigned
        for head, items in heads:
            if head.owner is None:
                unassigned = items
                return
            yield _group_at(head, items, depth + 1)

    yield '"owners": '
    yield from _json_list(owned(), depth)
    yield ",\n" + "  " * depth + '"unassigned": '
    yield from _json_list(([_item_at(i, depth + 1)] for i in unassigned), depth)


def json_chunks(
    selected: Selected,
    counts: Counts,
    *,
    generated_at: str,
    escalate_after: int | None = None,
    escalate_to: str | None = None,
    delivery: list[dict[str, Any]] | None = None,
) -> Iterator[str]:
    """``selection_json`` of the same actions as the text of ``json.dumps(doc, ensure_ascii=False,
    indent=2) + "\\n"``, byte for byte, written as it is read (docs/remind-json.md)."""
    head = {
        "schema_version": JSON_SCHEMA_VERSION,
        "generated_at": generated_at,
        "as_of": selected.as_of.isoformat(),
        "within_days": selected.within,
        "counts": {
            "overdue": counts.overdue,
            "due_soon": counts.due_soon,
            "owners": counts.owners,
            "unassigned": counts.unassigned,
        },
    }
    yield "{" + ",".join(f"\n  {_json_at(k, 0)}: {_json_at(v, 1)}" for k, v in head.items())
    yield ",\n  "
    yield from _owners_then_unassigned(selected.heads(), 1)
    yield ',\n  "escalation": '
    if escalate_after is not None and escalate_to:
        yield f'{{\n    "after_days": {escalate_after},\n    "to": {_json_at(escalate_to, 0)},\n    '
        yield from _owners_then_unassigned(selected.heads(overdue_by=escalate_after), 2)
        yield "\n  }"
    else:
        yield "null"
    yield ',\n  "delivery": '
    if delivery is None:
        yield "null"
    else:  # one message's entry at a time (json.dumps of the list held a piece per ref)
        yield from _json_list(([_json_at(d, 2)] for d in delivery), 1)
    yield "\n}\n"


# ---------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------


class Outgoing(Record):
    """One email to send: to whom, why, and which actions it covers."""

    __slots__ = ("kind", "recipient", "name", "groups", "action_ids")
    kind: str  # KIND_OWNER or KIND_ESCALATION
    recipient: str  # a checked plain address
    name: str | None  # display name (owner), or None
    groups: list[Group]  # one group for an owner; several for an escalation
    action_ids: list[int]

    def __init__(
        self,
        kind: str,
        recipient: str,
        name: str | None,
        groups: list[Group],
        action_ids: list[int],
    ) -> None:
        self.kind = kind
        self.recipient = recipient
        self.name = name
        self.groups = groups
        self.action_ids = action_ids

    @property
    def refs(self) -> list[str]:
        """The references the message covers."""
        return [i.ref for g in self.groups for i in g.items]


def owner_subject(group: Group, within: int) -> str:
    """Counts only: never a name or a title in a header."""
    return f"CQC improvement actions: {_counts_text(group.items, within)}"


def escalation_subject(groups: Sequence[Group], after_days: int) -> str:
    """Counts only."""
    n = sum(len(g.items) for g in groups)
    return (
        f"Escalation: {plural(n, 'CQC improvement action')} overdue by more than "
        f"{plural(after_days, 'day')}"
    )


def owner_text(group: Group, *, as_of: dt.date, within: int, every: int) -> str:
    """The plain-text body an owner receives."""
    lines = [
        f"Dear {one_line(group.owner) or 'colleague'},",
        "",
        "These CQC improvement actions are assigned to you and need attention",
        f"(as of {long_date(as_of)}).",
    ]
    for heading, items in (
        ("Overdue", group.overdue),
        (due_next(within).capitalize(), group.due_soon),
    ):
        if items:
            lines += ["", f"{heading}:"]
            for item in items:
                lines += _item_lines(item)
    lines += [
        "",
        "When an action is done, send the evidence to the governance team so it can be closed.",
        "If the due date or the owner is wrong, tell the governance team.",
        "",
        f"You will be reminded again {next_time(every, as_of)} while these stay open.",
        "Sent by cpft-tracker for the governance team.",
    ]
    return "\n".join(lines) + "\n"


def escalation_text(groups: Sequence[Group], *, as_of: dt.date, after_days: int) -> str:
    """The plain-text summary the governance lead receives, grouped by owner."""
    n = sum(len(g.items) for g in groups)
    lines = [
        f"{plural(n, 'CQC improvement action')} overdue by more than {plural(after_days, 'day')} "
        f"as of {long_date(as_of)}, by owner, furthest behind first.",
    ]
    for group in groups:
        lines += ["", _owner_heading(group)]
        for item in group.items:
            lines += _item_lines(item)
    lines += ["", "Sent by cpft-tracker."]
    return "\n".join(lines) + "\n"


def _html_items(items: Sequence[Item]) -> str:
    import html  # here: only the HTML emails need it (~3 ms of a start)

    rows = "".join(
        "<tr>"
        f'<td style="padding:2px 8px">{html.escape(i.ref)}</td>'
        f'<td style="padding:2px 8px">{html.escape(when_text(i))}</td>'
        f'<td style="padding:2px 8px">{html.escape(uk_date(i.due))}</td>'
        f'<td style="padding:2px 8px">{html.escape(i.status)}</td>'
        f'<td style="padding:2px 8px">{html.escape(one_line(i.title))}</td>'
        "</tr>"
        for i in items
    )
    head = "".join(
        f'<th align="left" style="padding:2px 8px">{h}</th>'
        for h in ("Ref", "When", "Due", "Status", "Action")
    )
    return f"<table><tr>{head}</tr>{rows}</table>"


def _html_page(parts: Sequence[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html><body style="font-family:sans-serif">\n'
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


def owner_html(group: Group, *, as_of: dt.date, within: int, every: int) -> str:
    """The HTML alternative of ``owner_text``; every value escaped."""
    import html  # here: only the HTML emails need it (~3 ms of a start)

    parts = [
        f"<p>Dear {html.escape(one_line(group.owner) or 'colleague')},</p>",
        "<p>These CQC improvement actions are assigned to you and need attention "
        f"(as of {html.escape(long_date(as_of))}).</p>",
    ]
    for heading, items in (
        ("Overdue", group.overdue),
        (due_next(within).capitalize(), group.due_soon),
    ):
        if items:
            parts += [f"<h3>{html.escape(heading)}</h3>", _html_items(items)]
    parts += [
        "<p>When an action is done, send the evidence to the governance team so it can be closed. "
        "If the due date or the owner is wrong, tell the governance team.</p>",
        f"<p>You will be reminded again {html.escape(next_time(every, as_of))} while these stay "
        "open.<br>"
        "Sent by cpft-tracker for the governance team.</p>",
    ]
    return _html_page(parts)


def escalation_html(groups: Sequence[Group], *, as_of: dt.date, after_days: int) -> str:
    """The HTML alternative of ``escalation_text``."""
    import html  # here: only the HTML emails need it (~3 ms of a start)

    n = sum(len(g.items) for g in groups)
    parts = [
        f"<p>{html.escape(plural(n, 'CQC improvement action'))} overdue by more than "
        f"{html.escape(plural(after_days, 'day'))} as of {html.escape(long_date(as_of))}, "
        "by owner, furthest behind first.</p>"
    ]
    for group in groups:
        parts += [f"<h3>{html.escape(_owner_heading(group))}</h3>", _html_items(group.items)]
    parts.append("<p>Sent by cpft-tracker.</p>")
    return _html_page(parts)


def build_message(
    outgoing: Outgoing,
    *,
    sender: str,
    sender_name: str | None,
    as_of: dt.date,
    within: int,
    every: int,
    after_days: int | None = None,
) -> EmailMessage:
    """An EmailMessage (policy SMTP): plain text with an HTML alternative. Header-safe by construction."""
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime, make_msgid

    from cpft_tracker.mailer import address
    from cpft_tracker.store import check_email, now_utc

    recipient = check_email(outgoing.recipient)
    msg = EmailMessage(policy=SMTP)
    msg["From"] = address(one_line(sender_name), check_email(sender))
    msg["To"] = address(one_line(outgoing.name), recipient)
    if outgoing.kind == KIND_ESCALATION:
        assert after_days is not None
        subject = escalation_subject(outgoing.groups, after_days)
        text = escalation_text(outgoing.groups, as_of=as_of, after_days=after_days)
        body_html = escalation_html(outgoing.groups, as_of=as_of, after_days=after_days)
    else:
        group = outgoing.groups[0]
        subject = owner_subject(group, within)
        text = owner_text(group, as_of=as_of, within=within, every=every)
        body_html = owner_html(group, as_of=as_of, within=within, every=every)
    msg["Subject"] = one_line(subject)
    msg["Date"] = format_datetime(dt.datetime.fromisoformat(now_utc().replace("Z", "+00:00")))
    msg["Message-ID"] = make_msgid(domain=check_email(sender).rsplit("@", 1)[1])
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text)
    msg.add_alternative(body_html, subtype="html")
    return msg


def header_display_name(name: str | None) -> str:
    """A person's name made safe for a From/To display name (see ``mailer.display_name``)."""
    from cpft_tracker.mailer import display_name

    return display_name(one_line(name))


def dry_run_text(msg: EmailMessage) -> str:
    """How ``--dry-run`` shows a message: the address, the subject and the plain-text part.

    Only the address is shown on the To line (the name is in the greeting), so no text a
    person typed ever appears on a header-like line of the preview.
    """
    body = msg.get_body(preferencelist=("plain",))
    content = body.get_content() if body is not None else ""
    to = ", ".join(a.addr_spec for a in msg["To"].addresses)
    return f"To: {to}\nSubject: {msg['Subject']}\n\n{content.rstrip()}\n"


# ---------------------------------------------------------------------------
# Planning and recording (the reminders table)
# ---------------------------------------------------------------------------


def already_sent(
    store: Store, recipient: str, kind: str, *, today: dt.date, every: int
) -> set[int]:
    """Action ids reminded to ``recipient`` (this kind) less than ``every`` days before ``today``."""
    since = (today - dt.timedelta(days=every - 1)).isoformat()
    return store.reminded_actions(recipient, kind, since, today.isoformat())


def pending(outgoing: Outgoing, sent: set[int]) -> Outgoing | None:
    """``outgoing`` without the actions in ``sent``; None when nothing is left."""
    groups = []
    for g in outgoing.groups:
        items = [i for i in g.items if i.action_id not in sent]
        if items:
            groups.append(Group(g.owner, g.email, items))
    if not groups:
        return None
    return Outgoing(
        outgoing.kind,
        outgoing.recipient,
        outgoing.name,
        groups,
        [i.action_id for g in groups for i in g.items],
    )


def record_sent(store: Store, outgoing: Outgoing, *, today: dt.date, at: str) -> None:
    """Record one reminder row per action in a sent message (call inside ``store.write()``)."""
    store.record_reminders(
        outgoing.action_ids, outgoing.recipient, outgoing.kind, sent_on=today.isoformat(), at=at
    )


def plan(
    selection: Selection, *, escalate_after: int | None, escalate_to: str | None
) -> tuple[list[Outgoing], list[Group], list[tuple[Group, str]]]:
    """The messages the selection calls for, the owner groups with no address, and those with a bad one.

    Addresses are re-checked here: one that fails the check is never used.
    """
    from cpft_tracker.errors import TrackerError
    from cpft_tracker.store import check_email

    messages: list[Outgoing] = []
    no_address: list[Group] = []
    bad_address: list[tuple[Group, str]] = []
    for group in selection.owner_groups():
        if not group.email:
            no_address.append(group)
            continue
        try:
            address = check_email(group.email)
        except TrackerError:
            bad_address.append((group, group.email))
            continue
        messages.append(
            Outgoing(KIND_OWNER, address, group.owner, [group], [i.action_id for i in group.items])
        )
    if escalate_after is not None and escalate_to:
        groups = selection.escalations(escalate_after)
        if groups:
            messages.append(
                Outgoing(
                    KIND_ESCALATION,
                    check_email(escalate_to),
                    None,
                    groups,
                    [i.action_id for g in groups for i in g.items],
                )
            )
    return messages, no_address, bad_address


def plan_streamed(
    selected: Selected,
    *,
    escalate_after: int | None,
    escalate_to: str | None,
    no_address: Callable[[Group], None],
    unassigned: Callable[[Group], None],
    bad_address: Callable[[Group, str], None],
) -> Iterator[Outgoing]:
    """``plan`` of the store's selection, one owner's message at a time, as the groups stream past.

    The owners with no address, the unassigned group and the owners with a bad address go
    to the callbacks in ``plan``'s order; the escalation (one message, every escalated action
    held) comes last.
    """
    from cpft_tracker.errors import TrackerError
    from cpft_tracker.store import check_email

    for group in selected.groups():
        if group.owner is None:
            unassigned(group)
            continue
        if not group.email:
            no_address(group)
            continue
        try:
            address = check_email(group.email)
        except TrackerError:
            bad_address(group, group.email)
            continue
        yield Outgoing(
            KIND_OWNER, address, group.owner, [group], [i.action_id for i in group.items]
        )
    if escalate_after is not None and escalate_to:
        groups = list(selected.groups(overdue_by=escalate_after))
        if groups:
            yield Outgoing(
                KIND_ESCALATION,
                check_email(escalate_to),
                None,
                groups,
                [i.action_id for g in groups for i in g.items],
            )


# ---------------------------------------------------------------------------
# Delivery: check, send, record, one message at a time
# ---------------------------------------------------------------------------


class Sent(FrozenRecord):
    """What is kept of a planned message once it is dealt with: who, what kind, which refs."""

    __slots__ = ("recipient", "kind", "name", "refs")
    recipient: str
    kind: str
    name: str | None
    refs: list[str]

    def __init__(self, recipient: str, kind: str, name: str | None, refs: list[str]) -> None:
        self._set("recipient", recipient)
        self._set("kind", kind)
        self._set("name", name)
        self._set("refs", refs)

    @classmethod
    def of(cls, outgoing: Outgoing) -> Sent:
        """The message's particulars, without its actions (so a run holds one message at a time)."""
        return cls(outgoing.recipient, outgoing.kind, outgoing.name, outgoing.refs)


class Delivery(Record):
    """What happened to one planned message."""

    __slots__ = ("outgoing", "status", "reason", "preview")
    outgoing: Sent
    status: str  # "sent", "failed", "would-send" (dry run) or "already-sent" (nothing new for them)
    reason: str | None
    preview: str | None  # the dry-run text

    def __init__(
        self,
        outgoing: Outgoing | Sent,
        status: str,
        reason: str | None = None,
        preview: str | None = None,
    ) -> None:
        self.outgoing = Sent.of(outgoing) if isinstance(outgoing, Outgoing) else outgoing
        self.status, self.reason, self.preview = status, reason, preview

    def as_json(self) -> dict[str, Any]:
        """For the ``delivery`` list of the JSON document."""
        return {
            "recipient": self.outgoing.recipient,
            "kind": self.outgoing.kind,
            "owner": self.outgoing.name,
            "refs": self.outgoing.refs,
            "status": self.status,
            "reason": self.reason,
        }


def deliver(
    store: Store,
    messages: Iterable[Outgoing],
    *,
    mailer: Any,
    sender: str,
    sender_name: str | None,
    today: dt.date,
    within: int,
    every: int,
    after_days: int | None,
    dry_run: bool = False,
    preview: Callable[[str], None] | None = None,
) -> tuple[list[Delivery], str | None]:
    """Send each message that still has actions due a reminder; return what happened and any fatal error.

    Nothing slow happens inside a write transaction (issue 14, finding 3): the messages are
    composed first, with no transaction; then, for each, a short write transaction checks
    what is still due and claims the (recipient, kind, day) (``reminder_claims``); the
    message is sent with no lock held (``Mailer.send_claimed``, one deadline per SMTP
    exchange); a second short transaction records the reminders and marks the claim sent,
    or, when sending failed or was interrupted, releases it so the next run tries again.
    A second run that overlaps finds the claim (or the recorded reminders) and sends
    nothing again. A crash after the server accepted a message but before it was recorded
    leaves a claim that a run takes over once it is stale (older than two SMTP deadlines
    and a minute), so that message may be sent twice (at-least-once: a repeated reminder is
    better than a missing one).

    ``messages`` may be a stream: each is composed when its turn comes and only what
    ``Delivery`` keeps of it is held after. ``preview`` (dry run): called with each
    message's text as it is made, instead of keeping it on its ``Delivery``.
    """
    import uuid

    from cpft_tracker.mailer import Job
    from cpft_tracker.store import now_utc

    def compose(o: Outgoing) -> EmailMessage:
        return build_message(
            o,
            sender=sender,
            sender_name=sender_name,
            as_of=today,
            within=within,
            every=every,
            after_days=after_days,
        )

    if dry_run:
        results: list[Delivery] = []
        for outgoing in messages:
            todo = pending(
                outgoing,
                already_sent(store, outgoing.recipient, outgoing.kind, today=today, every=every),
            )
            if todo is None:
                results.append(Delivery(outgoing, "already-sent"))
                continue
            text = dry_run_text(compose(todo))
            if preview is not None:
                preview(text)
                results.append(Delivery(todo, "would-send"))
            else:
                results.append(Delivery(todo, "would-send", preview=text))
        return results, None

    run = uuid.uuid4().hex
    day = today.isoformat()
    timeout = float(getattr(getattr(mailer, "settings", None), "timeout", 30.0))
    stale_after = dt.timedelta(seconds=2 * timeout + 60)
    skipped: dict[int, str] = {}
    # each job's key: (its place, the message as planned, the message as claimed)
    jobs = (Job(compose(o), o.recipient, key=(i, o, o)) for i, o in enumerate(messages))

    def claim(job: Job) -> Job | None:
        index, outgoing, _ = job.key
        now = now_utc()
        stale_before = (
            (dt.datetime.fromisoformat(now.replace("Z", "+00:00")) - stale_after)
            .isoformat(timespec="microseconds")
            .replace("+00:00", "Z")
        )
        with store.write():
            todo = pending(
                outgoing,
                already_sent(store, outgoing.recipient, outgoing.kind, today=today, every=every),
            )
            if todo is None:
                skipped[index] = "already-sent"
                return None
            if not store.claim_reminder(
                todo.recipient, todo.kind, day, run=run, at=now, stale_before=stale_before
            ):
                skipped[index] = "being-sent"
                return None
        if todo.action_ids == outgoing.action_ids:
            return job
        return Job(compose(todo), todo.recipient, key=(index, outgoing, todo))  # composed outside

    def record(job: Job) -> None:
        _, _, todo = job.key
        with store.write():
            record_sent(store, todo, today=today, at=now_utc())
            store.finish_reminder_claim(todo.recipient, todo.kind, day, run=run, state="sent")

    def release(job: Job, reason: str) -> None:
        _, _, todo = job.key
        with store.write():
            store.finish_reminder_claim(todo.recipient, todo.kind, day, run=run, state="released")

    outcomes = mailer.iter_send_claimed(
        jobs, sender=sender, claim=claim, record=record, release=release
    )
    results = []
    fatal: str | None = None
    for outcome in outcomes:  # each message let go of as soon as it is dealt with
        index, outgoing, todo = outcome.job.key
        if outcome.status == "sent":
            results.append(Delivery(todo, "sent"))
        elif outcome.status == "already-claimed":
            why = skipped.get(index)
            reason = (
                "another cpft-tracker run was sending it at the same time"
                if why == "being-sent"
                else None
            )
            results.append(Delivery(outgoing, "already-sent", reason))
        elif outcome.fatal:
            fatal = fatal or outcome.reason
            results.append(
                Delivery(outgoing, "failed", "the mail server could not be used (see below)")
            )
        else:
            results.append(Delivery(outgoing, "failed", outcome.reason))
    return results, fatal
