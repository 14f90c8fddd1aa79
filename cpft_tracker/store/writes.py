"""Audited writes: every change is one transaction and one audit event per changed field.

All changes to an action's columns go through ``_set`` (owners through ``_set_owner``),
which skips unchanged values and records old and new values in the events table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cpft_tracker.errors import RuleBroken, UsageProblem
from cpft_tracker.models import STATUSES
from cpft_tracker.store import sqlite_dialect as dialect
from cpft_tracker.store.interface import Change
from cpft_tracker.store.reads import PlanReads
from cpft_tracker.store.values import _clean_text, _text, check_email, clean_name, now_utc

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
        self.conn.execute(
            "INSERT INTO events (action_id, report_id, subject, at, by, field, old, new, note, occurred_on)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                action_id,
                report_id,
                subject,
                at,
                by,
                field,
                _text(old),
                _text(new),
                note,
                occurred_on,
            ],
        )

    def _owner_id(
        self, name: str, email: str | None, at: str, by: str, note: str | None = None
    ) -> int:
        row = self.conn.execute(
            f"SELECT id, name, email FROM owners WHERE name = ? {dialect.NOCASE}",  # noqa: S608
            [name],
        ).fetchone()
        if row is None:
            cur = self.conn.execute(
                "INSERT INTO owners (name, email, created_at) VALUES (?, ?, ?)", [name, email, at]
            )
            self._event(at=at, by=by, field="owner added", new=name, subject=name, note=note)
            if email:
                self._event(at=at, by=by, field="owner_email", new=email, subject=name, note=note)
            return int(cur.lastrowid or 0)
        if email and email != row["email"]:
            self.conn.execute("UPDATE owners SET email = ? WHERE id = ?", [email, row["id"]])
            self._event(
                at=at,
                by=by,
                field="owner_email",
                old=row["email"],
                new=email,
                subject=row["name"],
                note=note,
            )
        return int(row["id"])

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
        if_unchanged_since: int | None = None,
    ) -> list[Change]:
        """Give one owner to one or many actions (refused if any changed after ``if_unchanged_since``)."""
        owner = clean_name(owner)
        email = check_email(email) if email else None
        at = now_utc()
        changes: list[Change] = []
        with self.write():
            actions = self.actions_by_refs(refs)
            self.check_unchanged_since(actions, if_unchanged_since)
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
        """Track retired actions again."""
        at = now_utc()
        with self.write():
            return [
                c
                for a in self.actions_by_refs(refs)
                if (c := self._set(a, "retired", None, at=at, by=by, note=note))
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
