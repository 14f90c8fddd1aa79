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

from collections.abc import Mapping, Sequence
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


@dataclass
class Replay:
    """The state the audit trail describes, built one event at a time (oldest first)."""

    actions: dict[int, _Action] = field(default_factory=dict)
    owners: dict[str, dict[str, Any]] = field(default_factory=dict)  # casefolded name ->
    settings: dict[str, Any] = field(default_factory=dict)
    reports: dict[int, Any] = field(default_factory=dict)  # report id -> source file
    # (action id, field, event id, event's old, history's value) for each first break
    jumps: list[tuple[int, str, int, Any, Any]] = field(default_factory=list)
    _jumped: set[tuple[int, str]] = field(default_factory=set)

    def feed(self, event: Mapping[str, Any]) -> None:
        """Apply one event."""
        name = str(event.get("field") or "")
        action_id = event.get("action_id")
        old, new = _text(event.get("old")), _text(event.get("new"))
        if action_id is not None:
            state = self.actions.setdefault(int(action_id), _Action())
            if name == "created":
                state.created = True
                if old is not None:  # the imported title (recorded since issue 14)
                    state.values["title"] = old
            elif name in ACTION_FIELDS:
                before = state.values[name]
                if (
                    before is not UNKNOWN
                    and before != old
                    and (action_id, name) not in self._jumped
                ):
                    self._jumped.add((int(action_id), name))
                    self.jumps.append((int(action_id), name, int(event["id"]), old, before))
                state.values[name] = new
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
            replayed = self.actions.get(int(row["id"]))
            if replayed is None or not replayed.created:
                out.append(f"{ref} has no 'created' event: it was added outside cpft-tracker")
                continue
            for name, (_, label) in ACTION_FIELDS.items():
                want = replayed.values[name]
                have = _text(int(row[name]) if name == "in_source" else row[name])
                if want is not UNKNOWN and have != want:
                    out.append(
                        f"{ref}'s {label} is {shown(have)} but its history says {shown(want)}"
                    )
        for action_id, name, event_id, old, before in self.jumps:
            ref = refs.get(action_id, f"action {action_id}")
            out.append(
                f"{ref}'s {ACTION_FIELDS[name][1]} was {shown(old)} when event {event_id} changed it, "
                f"but its history before says {shown(before)}"
            )
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
