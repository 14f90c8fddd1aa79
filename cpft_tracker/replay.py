"""Replay the audit trail and compare it with the plan: what ``check`` says when they disagree.

Pure (no database, no terminal): fed the events oldest first, a :class:`Replay` rebuilds
what each action, owner, setting and report should hold now, then names every row that
disagrees with its own history (issue 14: ``sqlite3 plan.db "update actions set
status='complete' ..."`` leaves no event, so the row and its history part ways).

What the history fixes, per action (its ``created`` event starts it at the import's
defaults): status (not-started), owner (none), due date, evidence, retired (none) and the
"in the report" flag (1); each later event moves the field from ``old`` to ``new``. An
event whose ``old`` is not what the history before it says is named too: that is a change
made behind the tool's back and later overwritten by a real one. The title starts from
the one the ``created`` event records in ``old`` (imports since issue 14); for actions
imported before that, and for the quality statement (which no event records), they are
checked from their first recorded change on. Owners' email addresses, settings and a report's source
file are replayed the same way. Fields this version does not know are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cpft_tracker.textsafe import visible

UNKNOWN = object()

# field -> (value when the action is created, how a person calls it)
ACTION_FIELDS: dict[str, tuple[Any, str]] = {
    "status": ("not-started", "status"),
    "owner": (None, "owner"),
    "due": (None, "due date"),
    "evidence": (None, "evidence"),
    "retired": (None, "retired reason"),
    "in_source": ("1", "'in the report' flag"),
    "title": (UNKNOWN, "title"),
    "quality_statement": (UNKNOWN, "quality statement"),
}


def shown(value: Any) -> str:
    """A value in a message: quoted, on one line, at most 60 characters; None is 'nothing'."""
    if value is None:
        return "nothing"
    text = visible(str(value))
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'"


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass
class _Action:
    created: bool = False
    values: dict[str, Any] = field(
        default_factory=lambda: {name: default for name, (default, _) in ACTION_FIELDS.items()}
    )
    jumped: set[str] = field(default_factory=set)  # fields whose first break is already named

    def apply(self, event: Mapping[str, Any]) -> tuple[str, int, Any, Any] | None:
        """Apply one of this action's events; a first break (field, event id, old, history's
        value) when the event's ``old`` is not what the history before it says."""
        name = str(event.get("field") or "")
        old, new = _text(event.get("old")), _text(event.get("new"))
        if name == "created":
            self.created = True
            if old is not None:  # the imported title (recorded since issue 14)
                self.values["title"] = old
            return None
        if name not in ACTION_FIELDS:
            return None
        before = self.values[name]
        self.values[name] = new
        if before is not UNKNOWN and before != old and name not in self.jumped:
            self.jumped.add(name)
            return (name, int(event["id"]), old, before)
        return None

    def row_lines(self, ref: str, row: Mapping[str, Any]) -> list[str]:
        """What the action's row holds that this history does not explain."""
        if not self.created:
            return [f"{ref} has no 'created' event: it was added outside cpft-tracker"]
        out = []
        for name, (_, label) in ACTION_FIELDS.items():
            want = self.values[name]
            have = _text(int(row[name]) if name == "in_source" else row[name])
            if want is not UNKNOWN and have != want:
                out.append(f"{ref}'s {label} is {shown(have)} but its history says {shown(want)}")
        return out


def jump_line(ref: str, name: str, event_id: int, old: Any, before: Any) -> str:
    """The line for a change made behind the tool's back and later overwritten by a real one."""
    return (
        f"{ref}'s {ACTION_FIELDS[name][1]} was {shown(old)} when event {event_id} changed it, "
        f"but its history before says {shown(before)}"
    )


def action_disagreements(
    action_id: int, row: Mapping[str, Any] | None, events: Iterable[Mapping[str, Any]]
) -> tuple[list[str], list[tuple[int, str]]]:
    """One action replayed alone from its own events (oldest first), as :class:`Replay` would.

    ``row`` is the action as ``Store.action_histories()`` gives it (None: events for an
    action id with no row). Returns the lines for the row, and (event id, line) for each
    first break: :meth:`Replay.disagreements` lists those after every row's, by event id.
    An action's replay depends on its own events only, so ``check`` replays the plan one
    action at a time and holds one action's history, whatever the size of the plan.
    """
    state = _Action()
    breaks = [b for b in (state.apply(event) for event in events) if b is not None]
    ref = f"action {action_id}" if row is None else str(row["ref"])
    lines = [] if row is None else state.row_lines(ref, row)
    return lines, [(b[1], jump_line(ref, *b)) for b in breaks]


@dataclass
class Replay:
    """The state the audit trail describes, built one event at a time (oldest first)."""

    actions: dict[int, _Action] = field(default_factory=dict)
    owners: dict[str, dict[str, Any]] = field(default_factory=dict)  # casefolded name ->
    settings: dict[str, Any] = field(default_factory=dict)
    reports: dict[int, Any] = field(default_factory=dict)  # report id -> source file
    # (action id, field, event id, event's old, history's value) for each first break
    jumps: list[tuple[int, str, int, Any, Any]] = field(default_factory=list)

    def feed(self, event: Mapping[str, Any]) -> None:
        """Apply one event."""
        name = str(event.get("field") or "")
        action_id = event.get("action_id")
        old, new = _text(event.get("old")), _text(event.get("new"))
        if action_id is not None:
            jump = self.actions.setdefault(int(action_id), _Action()).apply(event)
            if jump is not None:
                self.jumps.append((int(action_id), *jump))
            return
        subject = _text(event.get("subject"))
        if name == "owner added" and subject is not None:
            self.owners.setdefault(subject.casefold(), {"name": subject, "email": None})
        elif name == "owner renamed" and old is not None and new is not None:
            # ``owners rename OLD NEW``: the same row under its new name (and its address,
            # moved by the owner_email events that follow)
            entry = self.owners.pop(old.casefold(), {"name": new, "email": None})
            entry["name"] = new
            self.owners[new.casefold()] = entry
        elif name == "owner_email" and subject is not None:
            if subject.casefold() not in self.owners and new is None:
                return  # the address taken off a name that was renamed away
            self.owners.setdefault(subject.casefold(), {"name": subject, "email": None})
            self.owners[subject.casefold()]["email"] = new
        elif name.startswith("setting "):
            self.settings[name.removeprefix("setting ")] = new
        elif name in ("report imported", "report re-imported") and event.get("report_id"):
            self.reports[int(event["report_id"])] = new

    def disagreements(self, state: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[str]:
        """Each row of ``state`` (``Store.audit_state()``) that its history does not explain."""
        out: list[str] = []
        refs: dict[int, str] = {}
        for row in state.get("actions", []):
            ref = str(row["ref"])
            refs[int(row["id"])] = ref
            out.extend(self.actions.get(int(row["id"]), _Action()).row_lines(ref, row))
        for action_id, name, event_id, old, before in self.jumps:
            out.append(
                jump_line(refs.get(action_id, f"action {action_id}"), name, event_id, old, before)
            )
        out.extend(self.others(state))
        return out

    def others(self, state: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[str]:
        """The owners, settings and reports of ``state`` that their history does not explain."""
        out: list[str] = []
        seen: set[str] = set()
        for row in state.get("owners", []):
            owner = str(row["name"])
            seen.add(owner.casefold())
            replayed_owner = self.owners.get(owner.casefold())
            if replayed_owner is None:
                out.append(f"owner {shown(owner)} has no 'owner added' event")
            elif _text(row["email"]) != replayed_owner["email"]:
                out.append(
                    f"owner {shown(owner)}'s email is {shown(row['email'])} but its history says "
                    f"{shown(replayed_owner['email'])}"
                )
        for key, replayed_owner in self.owners.items():
            if key not in seen:
                out.append(
                    f"owner {shown(replayed_owner['name'])} is in the audit trail but missing"
                )
        stored = {str(r["key"]): _text(r["value"]) for r in state.get("settings", [])}
        for key in sorted(set(stored) | set(self.settings)):
            if stored.get(key) != self.settings.get(key):
                out.append(
                    f"setting {shown(key)} is {shown(stored.get(key))} but its history says "
                    f"{shown(self.settings.get(key))}"
                )
        for row in state.get("reports", []):
            if int(row["id"]) not in self.reports:
                out.append(f"report {shown(row['name'])} has no 'report imported' event")
            elif _text(row["source_file"]) != self.reports[int(row["id"])]:
                out.append(
                    f"report {shown(row['name'])}'s source file is {shown(row['source_file'])} "
                    f"but its history says {shown(self.reports[int(row['id'])])}"
                )
        return out
