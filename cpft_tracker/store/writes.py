"""Audited writes: every change is one transaction and one audit event per changed field.

All changes to an action's columns go through ``_set`` (owners through ``_set_owner``),
which skips unchanged values and records old and new values in the events table.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from cpft_tracker.errors import NotFound, RuleBroken, UsageProblem
from cpft_tracker.models import STATUSES
from cpft_tracker.store import chain, periods
from cpft_tracker.store import sqlite_dialect as dialect
from cpft_tracker.store.interface import Change
from cpft_tracker.store.reads import PlanReads
from cpft_tracker.store.values import (
    _clean_text,
    _ref_list,
    _text,
    check_email,
    clean_name,
    now_utc,
)

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any

# How a rejected candidate's retirement reads ("not a requirement: describes a meeting").
NOT_A_REQUIREMENT = "not a requirement"


class AuditedWrites(PlanReads):
    """Changes to owners, due dates, statuses, notes, evidence, titles, retirement and settings."""

    def _event(
        self,
        *,
        at: str,
        by: str,
        field: str,
        old: Any = None,
        new: Any = None,
        note: str | None = None,
        action_id: int | None = None,
        report_id: int | None = None,
        subject: str | None = None,
        occurred_on: str | None = None,
    ) -> None:
        """Append one event to the audit trail, chained to the one before (inside ``write()``).

        The only INSERT INTO events: its id is the next one and its hash covers the previous
        event's hash (``chain.py``), both read inside the same write transaction, so two
        writers can never chain onto the same event.
        """
        tip = self.conn.execute(dialect.CHAIN_TIP).fetchone()
        event: dict[str, Any] = {
            "id": (int(tip[0]) + 1) if tip else 1,
            "action_id": action_id,
            "report_id": report_id,
            "subject": subject,
            "at": at,
            "by": by,
            "field": field,
            "old": _text(old),
            "new": _text(new),
            "note": note,
        }
        # a column added later (m006_team) is part of the hash when it holds a value (chain.py)
        hashed = {**event, "occurred_on": occurred_on} if occurred_on is not None else event
        event["hash"] = chain.event_hash(tip[1] if tip else None, hashed)
        self.conn.execute(
            "INSERT INTO events (id, action_id, report_id, subject, at, by, field, old, new, note, hash, occurred_on)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [*event.values(), occurred_on],
        )
        # the derived as-of table, in the same transaction (periods.py)
        periods.record(
            self.conn,
            action_id=action_id,
            field=field,
            old=event["old"],
            at=at,
            occurred_on=occurred_on,
        )

    def _owner_id(
        self, name: str, email: str | None, at: str, by: str, note: str | None = None
    ) -> int:
        row = self.owner(name)
        if row is None:
            cur = self.conn.execute(
                "INSERT INTO owners (name, email, created_at) VALUES (?, ?, ?)", [name, email, at]
            )
            self._event(at=at, by=by, field="owner added", new=name, subject=name, note=note)
            if email:
                self._event(at=at, by=by, field="owner_email", new=email, subject=name, note=note)
            return int(cur.lastrowid or 0)
        if email and email != row["email"]:
            self._change_owner_email(row, email, at=at, by=by, note=note)
        return int(row["id"])

    def _owner_actions(self, owner_id: int) -> list[dict[str, Any]]:
        """Every action (tracked or retired) an owner holds, with the fields ``_set`` needs."""
        rows = self.conn.execute(
            "SELECT a.id, a.ref, o.name AS owner FROM actions a JOIN owners o ON o.id = a.owner_id"
            " WHERE a.owner_id = ? ORDER BY a.report_id, a.position, a.id",
            [owner_id],
        )
        return [dict(r) for r in rows]

    def _change_owner_email(
        self, owner: dict[str, Any], email: str | None, *, at: str, by: str, note: str | None
    ) -> list[Change]:
        """An owner's address changed: the owner's event, and one on each of their actions."""
        old = owner["email"]
        self.conn.execute("UPDATE owners SET email = ? WHERE id = ?", [email, owner["id"]])
        self._event(
            at=at, by=by, field="owner_email", old=old, new=email, note=note, subject=owner["name"]
        )
        changes = []
        for action in self._owner_actions(owner["id"]):
            self.conn.execute("UPDATE actions SET updated_at = ? WHERE id = ?", [at, action["id"]])
            self._event(
                at=at,
                by=by,
                field="owner_email",
                old=old,
                new=email,
                note=note or f"{owner['name']}'s email address",
                action_id=action["id"],
            )
            changes.append(Change(action["ref"], "owner_email", old, email))
        return changes

    def _set(
        self,
        action: dict[str, Any],
        column: str,
        value: Any,
        *,
        at: str,
        by: str,
        note: str | None = None,
        event_value: Any = None,
        old_value: Any = None,
        event_field: str | None = None,
        occurred_on: str | None = None,
    ) -> Change | None:
        """Change one column of one action and record it; nothing when the value is unchanged."""
        old = old_value if old_value is not None else action.get(column)
        new = event_value if event_value is not None else value
        if _text(old) == _text(new):
            return None
        self.conn.execute(
            f"UPDATE actions SET {column} = ?, updated_at = ? WHERE id = ?",  # noqa: S608 - column from code
            [value, at, action["id"]],
        )
        name = event_field or column
        self._event(
            at=at,
            by=by,
            field=name,
            old=old,
            new=new,
            note=note,
            action_id=action["id"],
            occurred_on=occurred_on,
        )
        return Change(action["ref"], name, _text(old), _text(new))

    def _set_owner(
        self,
        action: dict[str, Any],
        owner_id: int,
        name: str,
        *,
        at: str,
        by: str,
        note: str | None,
    ) -> Change | None:
        """Give an action an owner; the audit event records owner names, not ids."""
        return self._set(
            action,
            "owner_id",
            owner_id,
            at=at,
            by=by,
            note=note,
            event_value=name,
            old_value=action["owner"],
            event_field="owner",
        )

    def _unset_owner(
        self, action: dict[str, Any], *, at: str, by: str, note: str | None
    ) -> Change | None:
        """Take the owner off an action; the audit event records the owner's name."""
        return self._set(
            action,
            "owner_id",
            None,
            at=at,
            by=by,
            note=note,
            old_value=action["owner"],
            event_field="owner",
        )

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
    ) -> list[Change]:
        """Give one owner to one or many actions (refused if any changed after ``if_unchanged_since``).

        A name that is not an owner yet but is close to one ("Director of Nursng") is
        refused as a likely typo (NotFound, "Did you mean ...?") unless ``new_owner``.
        """
        owner = clean_name(owner)
        email = check_email(email) if email else None
        at = now_utc()
        changes: list[Change] = []
        with self.write():
            actions = self.actions_by_refs(refs)
            self.check_unchanged_since(actions, if_unchanged_since)
            if not new_owner and self.owner(owner) is None:
                near = self.nearest_owner(owner, typo=True)
                if near is not None:
                    raise NotFound(
                        f"No owner called '{owner}'. Did you mean '{near}'? "
                        "To add a new owner, repeat with --new-owner."
                    )
            owner_id = self._owner_id(owner, email, at, by)
            stored_name = self.conn.execute(
                "SELECT name FROM owners WHERE id = ?", [owner_id]
            ).fetchone()[0]
            for action in actions:
                if action["owner"] == stored_name:
                    continue
                c = self._set_owner(action, owner_id, stored_name, at=at, by=by, note=note)
                if c:
                    changes.append(c)
        return changes

    def unassign(self, refs: Sequence[str], *, by: str, note: str | None = None) -> list[Change]:
        """Take the owner off actions."""
        at = now_utc()
        with self.write():
            return [
                c
                for a in self.actions_by_refs(refs)
                if a["owner"] is not None and (c := self._unset_owner(a, at=at, by=by, note=note))
            ]

    def set_due(
        self,
        refs: Sequence[str],
        due: str | None,
        *,
        by: str,
        note: str | None = None,
        if_unchanged_since: int | None = None,
    ) -> list[Change]:
        """Set (or with None clear) the due date of actions; ``due`` is an ISO date."""
        at = now_utc()
        with self.write():
            actions = self.actions_by_refs(refs)
            self.check_unchanged_since(actions, if_unchanged_since)
            return [c for a in actions if (c := self._set(a, "due", due, at=at, by=by, note=note))]

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
    ) -> list[Change]:
        """Move actions to a status; ``complete`` needs evidence, given now or recorded earlier.

        ``occurred_on`` (ISO date): when it happened, if not today (``--on``), kept beside
        when it was recorded; ``--as-of`` goes by it.
        """
        if status not in STATUSES:
            raise UsageProblem(f"'{status}' is not a status. Use one of: {', '.join(STATUSES)}.")
        evidence = _clean_text(evidence) if evidence is not None else None
        at = now_utc()
        changes: list[Change] = []
        with self.write():
            actions = self.actions_by_refs(refs)
            self.check_unchanged_since(actions, if_unchanged_since)
            self.check_occurred_on(
                actions, ("status", "evidence") if evidence else ("status",), occurred_on
            )
            if status == "complete" and not evidence:
                lacking = [a["ref"] for a in actions if not a["evidence"]]
                if lacking:
                    raise RuleBroken(
                        f"{', '.join(lacking)} cannot be marked complete without evidence. "
                        'Add it with --evidence "what shows it is done" (CQC closes actions on evidence).'
                    )
            for action in actions:
                if action["retired"]:
                    raise RuleBroken(
                        f"{action['ref']} is retired ({action['retired']}). "
                        f"Run 'cpft-tracker reinstate {action['ref']}' first if it should be tracked again."
                    )
                if evidence:
                    combined = (
                        f"{action['evidence']}\n{evidence}" if action["evidence"] else evidence
                    )
                    c = self._set(
                        action,
                        "evidence",
                        combined,
                        at=at,
                        by=by,
                        note=note if status == action["status"] else None,
                        occurred_on=occurred_on,
                    )
                    if c:
                        changes.append(c)
                c = self._set(
                    action, "status", status, at=at, by=by, note=note, occurred_on=occurred_on
                )
                if c:
                    changes.append(c)
                elif note and not evidence:
                    self._event(
                        at=at,
                        by=by,
                        field="note",
                        new=note,
                        action_id=action["id"],
                        occurred_on=occurred_on,
                    )
                    changes.append(Change(action["ref"], "note", None, note))
        return changes

    def add_note(
        self,
        ref: str,
        text: str,
        *,
        by: str,
        if_unchanged_since: int | None = None,
        occurred_on: str | None = None,
    ) -> Change:
        """A dated progress note on an action (``occurred_on``: when it happened, if not today)."""
        text = _clean_text(text)
        if not text:
            raise UsageProblem(
                'The note is empty. Write what happened, e.g. "Paper to board on 3 March".'
            )
        at = now_utc()
        with self.write():
            action = self.action(ref)
            self.check_unchanged_since([action], if_unchanged_since)
            self.check_occurred_on([action], (), occurred_on)
            self.conn.execute("UPDATE actions SET updated_at = ? WHERE id = ?", [at, action["id"]])
            self._event(
                at=at,
                by=by,
                field="note",
                new=text,
                action_id=action["id"],
                occurred_on=occurred_on,
            )
        return Change(action["ref"], "note", None, text)

    def add_evidence(
        self,
        ref: str,
        text: str,
        *,
        by: str,
        if_unchanged_since: int | None = None,
        occurred_on: str | None = None,
    ) -> Change:
        """Record evidence of completion on an action (appended to what is there)."""
        text = _clean_text(text)
        if not text:
            raise UsageProblem(
                'The evidence is empty. Say what shows the action is done, e.g. "Board minutes 3 March, item 7".'
            )
        at = now_utc()
        with self.write():
            action = self.action(ref)
            self.check_unchanged_since([action], if_unchanged_since)
            self.check_occurred_on([action], ("evidence",), occurred_on)
            combined = f"{action['evidence']}\n{text}" if action["evidence"] else text
            change = self._set(action, "evidence", combined, at=at, by=by, occurred_on=occurred_on)
        assert change is not None
        return change

    def set_text_field(
        self,
        refs: Sequence[str],
        column: str,
        value: str | None,
        *,
        by: str,
        note: str | None = None,
        if_unchanged_since: int | None = None,
    ) -> list[Change]:
        """Correct the title or the quality statement of actions (audited)."""
        if column not in ("title", "quality_statement"):
            raise ValueError(column)
        at = now_utc()
        with self.write():
            actions = self.actions_by_refs(refs)
            self.check_unchanged_since(actions, if_unchanged_since)
            return [
                c for a in actions if (c := self._set(a, column, value, at=at, by=by, note=note))
            ]

    def retire(self, refs: Sequence[str], reason: str, *, by: str) -> list[Change]:
        """Stop tracking actions, with a reason; they stay in history and exports."""
        reason = _clean_text(reason)
        if not reason:
            raise UsageProblem('Give the reason for retiring, e.g. --reason "merged into CPFT-03".')
        at = now_utc()
        with self.write():
            return [
                c
                for a in self.actions_by_refs(refs)
                if (c := self._set(a, "retired", reason, at=at, by=by))
            ]

    def reinstate(self, refs: Sequence[str], *, by: str, note: str | None = None) -> list[Change]:
        """Track retired actions again. A merged one is taken back out of the action it was
        merged into (an event on both)."""
        at = now_utc()
        changes: list[Change] = []
        with self.write():
            for a in self.actions_by_refs(refs):
                target = a["merged_into"]
                if target:
                    self._set(a, "merged_into", None, at=at, by=by, note=note)
                    row = self.conn.execute(
                        "SELECT id FROM actions WHERE ref = ?", [target]
                    ).fetchone()
                    if row is not None:
                        self.conn.execute(
                            "UPDATE actions SET updated_at = ? WHERE id = ?", [at, row["id"]]
                        )
                        self._event(
                            at=at,
                            by=by,
                            field="unmerged",
                            old=a["ref"],
                            note=note,
                            action_id=row["id"],
                        )
                c = self._set(a, "retired", None, at=at, by=by, note=note)
                if c:
                    changes.append(c)
        return changes

    def merge(self, source: str, target: str, *, by: str, note: str | None = None) -> list[Change]:
        """Merge action ``source`` into ``target``, in one transaction (issue 11 item 2).

        The target keeps its own requirement and gains the source's (``merged_from``), and
        its history shows the source's events too; the source is retired as "merged into
        <target>" and points there (``merged_into``); nothing is deleted. Actions merged into
        the source before follow it to the target. The pair stops being possible duplicates.
        Refused (RuleBroken, nothing changed) for one action into itself, into a retired
        action, or a source already retired; NotFound for an unknown reference.
        """
        at = now_utc()
        changes: list[Change] = []

        def keep(change: Change | None) -> None:
            if change is not None:
                changes.append(change)

        with self.write():
            src = self.action(source)
            dst = self.action(target)
            s_ref, d_ref = src["ref"], dst["ref"]
            if src["id"] == dst["id"]:
                raise RuleBroken(
                    f"{s_ref} cannot be merged into itself. Name the action to retire first, then "
                    f"the one that keeps both, e.g. cpft-tracker merge CPFT-14 INTO CPFT-10."
                )
            if dst["retired"]:
                then = (
                    f"Merge into {dst['merged_into']} instead."
                    if dst["merged_into"]
                    else f"Run 'cpft-tracker reinstate {d_ref}' first if it should be tracked again."
                )
                raise RuleBroken(
                    f"{d_ref} is retired ({dst['retired']}), so it cannot take in {s_ref}. {then}"
                )
            if src["retired"]:
                if src["merged_into"]:
                    raise RuleBroken(f"{s_ref} is already merged into {src['merged_into']}.")
                raise RuleBroken(
                    f"{s_ref} is retired ({src['retired']}). Run 'cpft-tracker reinstate {s_ref}' "
                    "first if it should be merged instead."
                )
            followers = [
                dict(r)
                for r in self.conn.execute(
                    "SELECT id, ref, retired, merged_into FROM actions WHERE merged_into = ?",
                    [s_ref],
                )
            ]
            reason = f"merged into {d_ref}"
            keep(self._set(src, "merged_into", d_ref, at=at, by=by, note=note))
            keep(self._set(src, "retired", reason, at=at, by=by, note=note))
            for follower in followers:  # merged into the source before: now into the target
                keep(
                    self._set(
                        follower, "merged_into", d_ref, at=at, by=by, note=f"{s_ref} {reason}"
                    )
                )
                keep(self._set(follower, "retired", reason, at=at, by=by, note=f"{s_ref} {reason}"))
            group = {s_ref, d_ref, *(f["ref"] for f in followers)}
            for action, why in ((src, reason), (dst, f"{s_ref} {reason}")):
                stored = json.loads(action["possible_duplicates"] or "[]")
                refs = [r for r in stored if r not in group]
                if len(refs) != len(stored):  # the pair is settled: neither names the other now
                    keep(
                        self._set(
                            action, "possible_duplicates", _ref_list(refs), at=at, by=by, note=why
                        )
                    )
            self.conn.execute("UPDATE actions SET updated_at = ? WHERE id = ?", [at, dst["id"]])
            self._event(at=at, by=by, field="merged", new=s_ref, note=note, action_id=dst["id"])
            if dst.get("review") == "awaiting":  # a person has judged it: it is a requirement
                keep(self._set(dst, "review", "accepted", at=at, by=by, note=f"{s_ref} {reason}"))
            changes.append(Change(d_ref, "merged", None, s_ref))
        return changes

    # -- owners (issue 13): each one transaction, audited on the owner and on every action ----

    def _known_owner(self, name: str) -> dict[str, Any]:
        row = self.owner(name)
        if row is None:
            raise self.unknown_owner(" ".join(name.split()))
        return row

    def rename_owner(self, old: str, new: str, *, by: str, note: str | None = None) -> list[Change]:
        """Rename an owner; every action they hold records the change of owner name."""
        new = clean_name(new)
        at = now_utc()
        with self.write():
            row = self._known_owner(old)
            if row["name"] == new:
                return []
            taken = self.conn.execute(
                f"SELECT id, name, merged_into FROM owners WHERE name = ? {dialect.NOCASE}",  # noqa: S608
                [new],
            ).fetchone()
            if taken is not None and taken["id"] != row["id"]:
                if taken["merged_into"] is None:
                    raise RuleBroken(
                        f"There is already an owner called '{taken['name']}'. To give {row['name']}'s "
                        f"actions to them, run: cpft-tracker owners merge '{row['name']}' INTO '{taken['name']}'."
                    )
                raise RuleBroken(
                    f"The name '{taken['name']}' was merged into another owner and stays reserved "
                    "for it. Choose another name."
                )
            self.conn.execute("UPDATE owners SET name = ? WHERE id = ?", [new, row["id"]])
            self._event(
                at=at,
                by=by,
                field="owner renamed",
                old=row["name"],
                new=new,
                note=note,
                subject=new,
            )
            if row["email"]:  # the address is kept under the new name (and the as-of views follow)
                moved = f"owner renamed from {row['name']} to {new}"
                for name, before, after in (
                    (row["name"], row["email"], None),
                    (new, None, row["email"]),
                ):
                    self._event(
                        at=at,
                        by=by,
                        field="owner_email",
                        old=before,
                        new=after,
                        note=moved,
                        subject=name,
                    )
            why = note or f"owner renamed from {row['name']}"
            return [Change("", "owner renamed", row["name"], new)] + [
                c
                for a in self._owner_actions(row["id"])
                if (
                    c := self._set(
                        a,
                        "owner_id",
                        row["id"],
                        at=at,
                        by=by,
                        note=why,
                        event_value=new,
                        old_value=row["name"],
                        event_field="owner",
                    )
                )
            ]

    def merge_owners(
        self, source: str, target: str, *, by: str, note: str | None = None
    ) -> list[Change]:
        """Give every action of owner ``source`` to owner ``target`` and retire the name.

        The source's name stays, pointing at the target (``owners.merged_into``): assigning to
        it later gives the target, and ``owners`` no longer lists it. Nothing is deleted.
        Gives the owners' change first (ref ""), then one per action moved.
        """
        at = now_utc()
        with self.write():
            src = self._known_owner(source)
            dst = self._known_owner(target)
            if src["id"] == dst["id"]:
                raise RuleBroken(
                    f"'{source}' and '{target}' are the same owner ({dst['name']}): nothing to merge."
                )
            why = note or f"owner {src['name']} merged into {dst['name']}"
            changes = [Change("", "owner merged", src["name"], dst["name"])] + [
                c
                for a in self._owner_actions(src["id"])
                if (c := self._set_owner(a, dst["id"], dst["name"], at=at, by=by, note=why))
            ]
            self.conn.execute(
                "UPDATE owners SET merged_into = ? WHERE id = ? OR merged_into = ?",
                [dst["id"], src["id"], src["id"]],
            )
            self._event(
                at=at,
                by=by,
                field="owner merged",
                old=src["name"],
                new=dst["name"],
                note=note,
                subject=src["name"],
            )
        return changes

    def set_owner_email(
        self, name: str, email: str | None, *, by: str, note: str | None = None
    ) -> list[Change]:
        """Change (or with None clear) an owner's email address, on all their actions.

        Gives the owner's change first (ref ""), then one per action; nothing when unchanged.
        """
        email = check_email(email) if email else None
        at = now_utc()
        with self.write():
            row = self._known_owner(name)
            if row["email"] == email:
                return []
            return [
                Change("", "owner_email", row["email"], email),
                *self._change_owner_email(row, email, at=at, by=by, note=note),
            ]

    # -- review (issue 11 item 3): is a candidate a requirement? -------------------------

    def accept(self, refs: Sequence[str], *, by: str, note: str | None = None) -> list[Change]:
        """Accept candidates as requirements: they are tracked and counted from now on.

        One transaction; one ``review`` event for each action accepted. Accepting a
        rejected one also takes back its "not a requirement" retirement. Actions already
        accepted are left alone (no change returned for them); an unknown ref changes nothing.
        """
        at = now_utc()
        changes: list[Change] = []
        with self.write():
            for action in self.actions_by_refs(refs):
                c = self._set(action, "review", "accepted", at=at, by=by, note=note)
                if c is None:
                    continue
                changes.append(c)
                if (action["retired"] or "").startswith(NOT_A_REQUIREMENT):
                    self._set(action, "retired", None, at=at, by=by, note="accepted in review")
        return changes

    def reject(self, refs: Sequence[str], reason: str, *, by: str) -> list[Change]:
        """Reject candidates: not requirements. Retired as "not a requirement: REASON".

        One transaction; for each action rejected a ``review`` event (with the reason as
        its note) and its retirement. They stay rejected when the report is imported again
        (re-import leaves existing actions alone). Already rejected ones are left alone.
        """
        reason = _clean_text(reason)
        if not reason:
            raise UsageProblem(
                'Give the reason it is not a requirement, e.g. --reason "describes what staff said".'
            )
        at = now_utc()
        changes: list[Change] = []
        with self.write():
            for action in self.actions_by_refs(refs):
                c = self._set(action, "review", "rejected", at=at, by=by, note=reason)
                if c is None:
                    continue
                changes.append(c)
                if not action["retired"]:
                    self._set(action, "retired", f"{NOT_A_REQUIREMENT}: {reason}", at=at, by=by)
        return changes

    def record_reminders(
        self, action_ids: Sequence[int], recipient: str, kind: str, *, sent_on: str, at: str
    ) -> None:
        """Record that a reminder about these actions went to ``recipient`` (inside ``write()``).

        Not an audit event: reminders are a log of their own (the ``reminders`` table).
        """
        self.conn.executemany(
            "INSERT INTO reminders (action_id, recipient, kind, sent_on, sent_at) VALUES (?, ?, ?, ?, ?)",
            [(aid, recipient, kind, sent_on, at) for aid in action_ids],
        )

    def record_restore(self, source: str, note: str, *, by: str) -> None:
        """Record in the audit trail that this plan was put in place from a backup (``restore``)."""
        at = now_utc()
        with self.write():
            self._event(at=at, by=by, field="restored from backup", new=source, note=note)

    def claim_reminder(
        self, recipient: str, kind: str, day: str, *, run: str, at: str, stale_before: str
    ) -> bool:
        """Claim the reminder to ``recipient`` (this kind) on ``day`` for ``run`` (inside ``write()``).

        False when another run holds it and claimed it at or after ``stale_before`` (it is
        sending now). A claim that was sent or released, or one older than that (its run
        died), is taken over. Not an audit event: claims are bookkeeping of the reminders log.
        """
        row = self.conn.execute(
            "SELECT state, run, claimed_at FROM reminder_claims"
            " WHERE recipient = ? AND kind = ? AND day = ?",
            [recipient, kind, day],
        ).fetchone()
        if row is not None and row[0] == "sending" and row[1] != run and row[2] >= stale_before:
            return False
        self.conn.execute(dialect.UPSERT_REMINDER_CLAIM, [recipient, kind, day, run, at])
        return True

    def finish_reminder_claim(
        self, recipient: str, kind: str, day: str, *, run: str, state: str
    ) -> None:
        """Mark this run's claim ``sent`` or ``released`` (inside ``write()``)."""
        if state not in ("sent", "released"):
            raise ValueError(f"not a finished claim state: {state}")
        self.conn.execute(
            "UPDATE reminder_claims SET state = ?"
            " WHERE recipient = ? AND kind = ? AND day = ? AND run = ?",
            [state, recipient, kind, day, run],
        )

    def set_setting(self, key: str, value: str, *, by: str) -> Change | None:
        """Store a setting, recorded in the audit trail."""
        at = now_utc()
        with self.write():
            old = self.setting(key)
            if old == value:
                return None
            self.conn.execute(dialect.UPSERT_SETTING, [key, value])
            self._event(at=at, by=by, field=f"setting {key}", old=old, new=value)
        return Change("", key, old, value)
