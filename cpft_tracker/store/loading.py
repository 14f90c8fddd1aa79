"""Import of extracted requirements and load of an edited plan file: many changes in one transaction."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from cpft_tracker.errors import ChangedSince, RuleBroken, UsageProblem
from cpft_tracker.models import STATUSES
from cpft_tracker.store import sqlite_dialect as dialect
from cpft_tracker.store.interface import Change, ImportResult
from cpft_tracker.store.values import (
    _clean_text,
    _ref_list,
    check_email,
    clean_name,
    derive_prefix,
    now_utc,
)
from cpft_tracker.store.writes import AuditedWrites

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any

    from cpft_tracker.extract import Requirement


def _note(edit: Mapping[str, Any], name: str, default: str | None) -> str | None:
    """The audit note for one field of a plan edit: its own (``edit["notes"]``), else the load's."""
    notes = edit.get("notes") or {}
    return notes.get(name, default)


def _by_ref(reason: str, ref_at: dict[int, str]) -> str:
    """A review reason with the positions it names ("#14") given as refs ("CPFT-14")."""
    return re.sub(r"#(\d+)", lambda m: ref_at.get(int(m.group(1)), m.group(0)), reason)


class PlanLoading(AuditedWrites):
    """Reports imported into actions, and edited plan files applied."""

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
    ) -> ImportResult:
        """Add each new requirement of a report as an action, in one transaction.

        The report is identified by its name; each requirement by the fingerprint of
        its sentence. Requirements already there are left alone (owners, dates,
        statuses and notes kept); ones missing from this version are flagged
        ``in_source = 0``, never deleted. ``note`` goes on the report's import event
        (e.g. why a file that did not look like a report was imported with --force).
        """
        from cpft_tracker.extract import fingerprint, needs_review

        at = now_utc()
        # the new ones that deserve a human look wait for review (not counted until accepted)
        flagged = dict(needs_review(requirements))
        ref_at: dict[int, str] = {}  # position -> ref, to name "#14" in the reasons by ref
        awaiting: list[tuple[int | None, dict[str, Any]]] = []
        with self.write():
            report = self.conn.execute("SELECT * FROM reports WHERE name = ?", [name]).fetchone()
            result = ImportResult(report=name, report_created=report is None)
            if report is None:
                chosen_prefix = self._free_prefix(prefix or derive_prefix(name))
                if dry_run or not requirements:  # nothing to track: do not create an empty report
                    report_id = None
                else:
                    cur = self.conn.execute(
                        "INSERT INTO reports (name, prefix, source_file, source_sha256, imported_at, updated_at)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        [name, chosen_prefix, source_file, source_sha256, at, at],
                    )
                    report_id = cur.lastrowid
                    self._event(
                        at=at,
                        by=by,
                        field="report imported",
                        new=source_file,
                        report_id=report_id,
                        subject=name,
                        note=note,
                    )
                existing: dict[str, dict[str, Any]] = {}
                next_number = 1
            else:
                report_id = report["id"]
                chosen_prefix = report["prefix"]
                existing = {
                    row["fingerprint"]: dict(row)
                    for row in self.conn.execute(
                        "SELECT id, ref, fingerprint, in_source, title, requirement, review,"
                        " review_reason FROM actions WHERE report_id = ?",
                        [report_id],
                    )
                }
                next_number = self._next_number(report_id, chosen_prefix)
                if not dry_run and report["source_sha256"] != source_sha256:
                    self.conn.execute(
                        "UPDATE reports SET source_file = ?, source_sha256 = ?, updated_at = ? WHERE id = ?",
                        [source_file, source_sha256, at, report_id],
                    )
                    self._event(
                        at=at,
                        by=by,
                        field="report re-imported",
                        new=source_file,
                        report_id=report_id,
                        subject=name,
                        note=note,
                    )

            seen: set[str] = set()
            ref_of: dict[str, str] = {}  # fingerprint -> ref, for the possible duplicates
            for req in requirements:
                fp = fingerprint(req.text)
                if fp in seen:
                    continue  # the same sentence twice in one report is one action
                seen.add(fp)
                item: dict[str, Any] = {
                    "requirement": req.text,
                    "title": req.title,
                    "keyword": req.keyword,
                    "matched": req.matched,
                    "section": req.section,
                    "quality_statement": req.quality_statement,
                    "line": req.line,
                    "rule": req.rule,
                    "confidence": req.confidence,
                    "review": "awaiting" if req.position in flagged else "accepted",
                    "review_reason": flagged.get(req.position),
                }
                if fp in existing:
                    row = existing[fp]
                    item["ref"] = ref_at[req.position] = ref_of[fp] = row["ref"]
                    item["review"], item["review_reason"] = row["review"], row["review_reason"]
                    if not row["in_source"]:
                        result.back_in_source.append(item)
                        if not dry_run:
                            self._set(row, "in_source", 1, at=at, by=by, note="back in the report")
                    else:
                        result.already_there.append(item)
                    continue
                ref = f"{chosen_prefix}-{next_number:02d}"
                next_number += 1
                item["ref"] = ref_at[req.position] = ref_of[fp] = ref
                result.added.append(item)
                if dry_run:
                    if item["review"] == "awaiting":
                        awaiting.append((None, item))
                    continue
                cur = self.conn.execute(
                    """INSERT INTO actions (ref, report_id, fingerprint, requirement, title, context, section,
                           line, position, keyword, matched, quality_statement, status, in_source,
                           created_at, updated_at, rule, confidence, review)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'not-started', 1, ?, ?, ?, ?, ?)""",
                    [
                        ref,
                        report_id,
                        fp,
                        req.text,
                        req.title,
                        req.context,
                        req.section,
                        req.line,
                        req.position,
                        req.keyword,
                        req.matched,
                        req.quality_statement,
                        at,
                        at,
                        req.rule,
                        req.confidence,
                        item["review"],
                    ],
                )
                self._event(
                    at=at,
                    by=by,
                    field="created",
                    old=req.title,  # the title it was imported with: check's replay starts from it
                    new=ref,
                    action_id=cur.lastrowid,
                    note=f"imported from {source_file}",
                )
                if item["review"] == "awaiting":
                    awaiting.append((cur.lastrowid, item))
            self._record_duplicates(
                report_id,
                requirements,
                ref_of,
                {item["ref"] for item in result.added},
                result,
                at=at,
                by=by,
                dry_run=dry_run,
            )
            for fp, row in existing.items():
                if fp not in seen and row["in_source"]:
                    result.no_longer_in_source.append(
                        {
                            "ref": row["ref"],
                            "title": row["title"],
                            "requirement": row["requirement"],
                        }
                    )
                    if not dry_run:
                        self._set(
                            row, "in_source", 0, at=at, by=by, note=f"no longer in {source_file}"
                        )
            for action_id, item in awaiting:  # "#14" -> "CPFT-14", now every ref is known
                item["review_reason"] = _by_ref(item["review_reason"], ref_at)
                if action_id is not None:
                    self.conn.execute(
                        "UPDATE actions SET review_reason = ? WHERE id = ?",
                        [item["review_reason"], action_id],
                    )
        return result

    def _record_duplicates(
        self,
        report_id: int | None,
        requirements: Sequence[Requirement],
        ref_of: dict[str, str],
        added: set[str],
        result: ImportResult,
        *,
        at: str,
        by: str,
        dry_run: bool,
    ) -> None:
        """Store each action's possible duplicates (the refs of the others) and list the new pairs.

        An action added now gets the refs the extractor gives; one already there gets them
        only if it never had any worked out (imported before m004), else just the refs of the
        actions added now: so a pair settled by ``merge`` (or a retired action) is not brought
        back by importing the report again.
        """
        from cpft_tracker.extract import fingerprint

        ref_at = {r.position: ref_of[fingerprint(r.text)] for r in requirements}
        others: dict[str, set[str]] = {}
        pairs: list[tuple[str, str]] = []
        for req in requirements:
            me = ref_at[req.position]
            for pos in req.possible_duplicates:
                other = ref_at.get(pos)
                if other is None or other == me:
                    continue
                others.setdefault(me, set()).add(other)
                if pos < req.position:
                    pairs.append((me, other))
        if not others:
            return
        rows: dict[str, dict[str, Any]] = {}
        if report_id is not None:
            rows = {
                r["ref"]: dict(r)
                for r in self.conn.execute(
                    "SELECT id, ref, retired, possible_duplicates FROM actions WHERE report_id = ?",
                    [report_id],
                )
            }
        retired = {ref for ref, row in rows.items() if row["retired"]}
        result.possible_duplicates.extend(
            (a, b)
            for a, b in dict.fromkeys(pairs)
            if (a in added or b in added) and not {a, b} & retired
        )
        if dry_run:
            return
        for me, refs in others.items():
            row = rows.get(me)
            if row is None or row["retired"]:
                continue
            refs -= retired
            if me in added:
                if refs:
                    self.conn.execute(
                        "UPDATE actions SET possible_duplicates = ? WHERE id = ?",
                        [_ref_list(refs), row["id"]],
                    )  # part of its creation: the "created" event covers it
                continue
            stored = json.loads(row["possible_duplicates"]) if row["possible_duplicates"] else None
            wanted = refs if stored is None else set(stored) | (refs & added)
            if wanted and wanted != set(stored or ()):
                self._set(
                    row,
                    "possible_duplicates",
                    _ref_list(wanted),
                    at=at,
                    by=by,
                    note="found by the import",
                )

    def _free_prefix(self, wanted: str) -> str:
        taken = {r[0].upper() for r in self.conn.execute("SELECT prefix FROM reports")}
        if wanted.upper() not in taken:
            return wanted
        n = 2
        while f"{wanted}{n}".upper() in taken:
            n += 1
        return f"{wanted}{n}"

    def _next_number(self, report_id: int, prefix: str) -> int:
        numbers = [0]
        for (ref,) in self.conn.execute("SELECT ref FROM actions WHERE report_id = ?", [report_id]):
            tail = ref.rsplit("-", 1)[-1]
            if tail.isdigit():
                numbers.append(int(tail))
        return max(numbers) + 1

    def apply_plan(
        self,
        edits: Sequence[dict[str, Any]],
        *,
        by: str,
        note: str | None = None,
        expect_versions: Mapping[str, int | None] | None = None,
    ) -> list[Change]:
        """Apply the edits of a plan file in ONE transaction: every change, or (on any error) none.

        Each edit is ``{"ref": ..., <field>: <target value>, ...}`` with only the fields to change,
        already read and checked (``plan.plan_edits``): ``title``, ``owner`` (None takes the
        owner off), ``owner_email``, ``due`` (ISO or None), ``evidence``, ``status``.
        Audited like ``assign``/``due``/``status``; the rules (complete needs evidence, a
        retired action's status cannot move) are checked again here, raising RuleBroken.
        An edit may carry ``notes``: ``{field: note}`` for the audit note of those fields
        (else ``note``). ``expect_versions`` (ref -> version): the versions the edits were
        worked out against; if any action has moved on since, ChangedSince and nothing is done.
        """
        at = now_utc()
        changes: list[Change] = []
        if not edits:
            return changes

        def keep(change: Change | None) -> None:
            if change is not None:
                changes.append(change)

        with self.write():
            found = {a["ref"].upper(): a for a in self.actions_by_refs([e["ref"] for e in edits])}
            for ref_, version in (expect_versions or {}).items():
                action = found.get(ref_.upper())
                if action is not None and action["version"] != version:
                    raise ChangedSince(
                        f"{action['ref']} was changed by someone else while the file was being loaded, "
                        "so nothing was changed. Run the same 'plan load' again."
                    )
            for edit in edits:
                action = found[edit["ref"].strip().upper()]
                ref = action["ref"]

                if "title" in edit:
                    title = clean_name(edit["title"], "title")
                    keep(
                        self._set(
                            action, "title", title, at=at, by=by, note=_note(edit, "title", note)
                        )
                    )
                    action["title"] = title
                if "owner" in edit or "owner_email" in edit:
                    name = edit["owner"] if "owner" in edit else action["owner"]
                    if name is None:
                        if action["owner"] is not None:
                            keep(
                                self._unset_owner(
                                    action, at=at, by=by, note=_note(edit, "owner", note)
                                )
                            )
                            action["owner"] = None
                    else:
                        name = clean_name(name)
                        email = (
                            check_email(edit["owner_email"]) if edit.get("owner_email") else None
                        )
                        before = self.conn.execute(
                            f"SELECT email FROM owners WHERE name = ? {dialect.NOCASE}",  # noqa: S608
                            [name],
                        ).fetchone()
                        owner_id = self._owner_id(
                            name, email, at, by, _note(edit, "owner_email", note)
                        )
                        stored = self.conn.execute(
                            "SELECT name FROM owners WHERE id = ?", [owner_id]
                        ).fetchone()[0]
                        old_email = before["email"] if before is not None else None
                        if action["owner"] != stored:
                            keep(
                                self._set_owner(
                                    action,
                                    owner_id,
                                    stored,
                                    at=at,
                                    by=by,
                                    note=_note(edit, "owner", note),
                                )
                            )
                            action["owner"] = stored
                        if email and email != old_email:
                            changes.append(Change(ref, "owner_email", old_email, email))
                if "due" in edit:
                    keep(
                        self._set(
                            action, "due", edit["due"], at=at, by=by, note=_note(edit, "due", note)
                        )
                    )
                    action["due"] = edit["due"]
                if "evidence" in edit:
                    value = _clean_text(edit["evidence"] or "") or None
                    keep(
                        self._set(
                            action,
                            "evidence",
                            value,
                            at=at,
                            by=by,
                            note=_note(edit, "evidence", note),
                        )
                    )
                    action["evidence"] = value
                if "status" in edit and edit["status"] != action["status"]:
                    status = edit["status"]
                    if status not in STATUSES:
                        raise UsageProblem(
                            f"{ref}: '{status}' is not a status. Use one of: {', '.join(STATUSES)}."
                        )
                    if action["retired"]:
                        raise RuleBroken(
                            f"{ref} is retired; reinstate it before changing its status."
                        )
                    if status == "complete" and not action["evidence"]:
                        raise RuleBroken(f"{ref} cannot be marked complete without evidence.")
                    keep(
                        self._set(
                            action, "status", status, at=at, by=by, note=_note(edit, "status", note)
                        )
                    )
                    action["status"] = status
        return changes
