"""Plan files: the action plan as a CSV to edit in Excel, and loading the edited file back.

``plan template`` writes one row per action with the columns in :data:`PLAN_COLUMNS`.
``plan load`` reads the edited file (UTF-8 with or without BOM, or Windows-1252 as older
Excel saves it; CRLF or LF; comma, or semicolon/tab where Excel's locale chose one) and
applies every change in ONE transaction, or nothing at all when any row is bad.

Column rules on load:

- ``ref`` is required; rows with every cell blank are skipped; unknown columns are ignored,
  and so is ``requirement (read only)``. Leave a column out to leave that field alone.
- ``title``: must not be blank. ``owner``: blank takes the owner off. ``owner_email``:
  blank leaves the address as it is (an address cannot be cleared from a plan file).
- ``due``: ISO or UK forms (31/03/2026, 31 Mar 2026); blank or ``none`` clears it.
- ``status``: not-started, in-progress, blocked or complete (``done`` etc. accepted);
  complete needs evidence; a retired action's status cannot move.
- ``evidence``: the whole evidence text; it may be edited but not emptied.

Formula neutralisation and the round trip: a cell the template writes is prefixed with an
apostrophe when its text starts with ``= + - @``, tab or carriage return (so a spreadsheet
shows it as text, never runs it) AND when it starts with an apostrophe itself. On load a
leading apostrophe is therefore always ours: exactly one is removed, so ``'=x`` reads back
as ``=x`` and a stored ``'quoted`` (written ``''quoted``) reads back as ``'quoted``.
(Excel itself never saves the apostrophe someone types to force text, so a value typed
as ``'=x`` in Excel arrives as ``=x``, which is what they meant.)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpft_tracker.errors import BadDocument, TrackerError, UsageProblem

if TYPE_CHECKING:
    from cpft_tracker.store import Change, Store

PLAN_COLUMNS: tuple[str, ...] = (
    "ref",
    "title",
    "owner",
    "owner_email",
    "due",
    "status",
    "evidence",
    "requirement (read only)",
    "version (do not edit)",
)
EDITABLE = ("title", "owner", "owner_email", "due", "status", "evidence")
NEUTRALISE_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_ALIASES = {
    "reference": "ref",
    "action": "ref",
    "email": "owner_email",
    "owner_e_mail": "owner_email",
    "due_date": "due",
    "requirement_read_only": "requirement",
    "requirement_(read_only)": "requirement",
    "version_(do_not_edit)": "version",
}


class PlanRejected(TrackerError):
    """A plan file with bad rows: ``problems`` lists every one; nothing was changed."""

    def __init__(self, name: str, problems: list[str]) -> None:
        count = len(problems)
        super().__init__(
            f"{name} was not loaded: {count} row{'s have' if count != 1 else ' has'} a problem (listed above). "
            f"Nothing was changed. Correct the file and run 'cpft-tracker plan load {name}' again."
        )
        self.problems = problems


@dataclass
class PlanRow:
    """One data row of a plan file: its spreadsheet row number and its cells by column name."""

    number: int
    cells: dict[str, str] = field(default_factory=dict)


# -- writing --------------------------------------------------------------------


def plan_cell(value: Any) -> str:
    """A template cell: text a spreadsheet will never run, and that reads back to the same value."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(NEUTRALISE_STARTS) else text


def read_cell(text: str) -> str:
    """The value a plan-file cell stands for: our one leading apostrophe removed, line ends made LF."""
    value = text[1:] if text.startswith("'") else text
    return value.replace("\r\n", "\n")


# The action fields ``plan_edits`` compares a plan file with (``load_plan`` reads no others).
PLAN_FIELDS = (
    "id",
    "ref",
    "title",
    "owner",
    "owner_email",
    "due",
    "status",
    "evidence",
    "retired",
    "version",
)


def template_csv(actions: Iterable[Mapping[str, Any]], *, bom: bool = True) -> Iterator[str]:
    """The plan file, line by line as the actions stream past (``"".join`` for the whole text).

    UTF-8 with BOM (for Excel; ``bom=False`` for a pipe), CRLF rows, one row per action,
    cells neutralised.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")

    def line(cells: Sequence[Any]) -> str:
        buf.seek(0)
        buf.truncate()
        writer.writerow(cells)
        return buf.getvalue()

    yield ("\ufeff" if bom else "") + line(PLAN_COLUMNS)
    for a in actions:
        yield line(
            [
                plan_cell(v)
                for v in (
                    a["ref"],
                    a["title"],
                    a.get("owner"),
                    a.get("owner_email"),
                    a.get("due"),
                    a["status"],
                    a.get("evidence"),
                    a["requirement"],
                    a.get("version"),
                )
            ]
        )


# -- reading --------------------------------------------------------------------


def decode(data: bytes, name: str) -> str:
    """Text of a plan file as Excel may save it: UTF-8 (BOM or not), UTF-16 with BOM, or Windows-1252."""
    from cpft_tracker.documents import not_utf8

    if data.startswith(b"\xef\xbb\xbf"):
        # The file says it is UTF-8: never guess another encoding, never store "Ren\ufffde"
        # (issue 14, finding 11)
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise not_utf8(data, exc.start + 3, name) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise BadDocument(
                f"Cannot read {name}: it is marked as UTF-16 text but is cut short or damaged "
                "(it ends half-way through a character). In Excel use File > Save As > "
                "'CSV UTF-8 (Comma delimited)' and load that file."
            ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise BadDocument(
            f"{name} is not a text CSV file cpft-tracker can read. In Excel use File > Save As > "
            "'CSV UTF-8 (Comma delimited)' and load that file."
        ) from None


def _column_name(header: str) -> str:
    key = "_".join(header.strip().lstrip("\ufeff").lower().split())
    return _ALIASES.get(key, key)


def read_plan(text: str, name: str) -> list[PlanRow]:
    """The data rows of a plan file, keyed by column name. Raises BadDocument without a ref column."""
    first = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first:
        delimiter = ";" if ";" in first else ("\t" if "\t" in first else ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise BadDocument(
            f"{name} is empty. Make one with 'cpft-tracker plan template -o {name}'."
        ) from None
    columns = [_column_name(h) for h in header]
    if "ref" not in columns:
        raise BadDocument(
            f"{name} has no 'ref' column, so its rows cannot be matched to actions. Load a CSV "
            "made with 'cpft-tracker plan template -o plan.csv', keeping its first row (the column names)."
        )
    rows: list[PlanRow] = []
    try:
        for number, values in enumerate(reader, start=2):
            cells = {
                col: values[i] if i < len(values) else "" for i, col in enumerate(columns) if col
            }
            rows.append(PlanRow(number, cells))
    except csv.Error as exc:
        raise BadDocument(
            f"{name} cannot be read as CSV near row {reader.line_num}: {exc}."
        ) from None
    return rows


def _norm(value: str | None) -> str:
    return " ".join((value or "").split())


def plan_edits(
    rows: Sequence[PlanRow],
    current: Mapping[str, Mapping[str, Any]],
    emails: Mapping[str, str | None],
    owners: Sequence[str] = (),
) -> tuple[list[dict[str, Any]], list[str]]:
    """Compare a plan file with the plan: (the edits to make, every problem found).

    ``current`` maps upper-case refs to action rows; ``emails`` casefolded owner names to
    their address. Each edit holds ``ref``, ``row`` and only the fields that change.
    ``owners``: the owners' names; an owner cell naming someone new whose name is close to
    one of them is a problem (a likely typo), as for ``assign`` without ``--new-owner``.
    """
    from cpft_tracker.dates import parse_date
    from cpft_tracker.models import STATUS_WORDS, normalise_status
    from cpft_tracker.store import check_email

    edits: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    owner_email_rows: dict[str, tuple[str, int]] = {}
    for row in rows:
        cells = {k: read_cell(v) for k, v in row.cells.items()}
        ref = cells.get("ref", "").strip()
        if not ref and not any(cells.get(k, "").strip() for k in EDITABLE):
            continue  # an empty row
        where = f"Row {row.number}" + (f" ({ref})" if ref else "")
        wrong: list[str] = []
        if not ref:
            problems.append(
                f"{where}: no ref. Put the action's reference (e.g. CPFT-01) in the ref column."
            )
            continue
        action = current.get(ref.upper())
        if action is None:
            from cpft_tracker.suggest import nearest_ref

            near = nearest_ref(ref, [a["ref"] for a in current.values()])
            hint = f" Did you mean {near}?" if near else ""
            problems.append(
                f"{where}: there is no action {ref}.{hint} Check the reference against 'cpft-tracker list'."
            )
            continue
        if ref.upper() in seen:
            problems.append(
                f"{where}: {ref} is already on row {seen[ref.upper()]}. Keep one row per action."
            )
            continue
        seen[ref.upper()] = row.number
        edit: dict[str, Any] = {"ref": action["ref"], "row": row.number}

        if "title" in cells:
            title = _norm(cells["title"])
            if not title:
                wrong.append(
                    "the title is empty (write a short title, or copy it back from the template)"
                )
            elif title != _norm(action["title"]):
                edit["title"] = title

        owner = action.get("owner")
        if "owner" in cells:
            wanted = _norm(cells["owner"]) or None
            if (wanted or "").casefold() != (owner or "").casefold():
                edit["owner"] = wanted
                if wanted and owners and wanted.casefold() not in emails:
                    from cpft_tracker.suggest import likely_typo_of

                    near = likely_typo_of(wanted, owners)
                    if near:
                        wrong.append(
                            f"there is no owner called '{wanted}': did you mean '{near}'? "
                            "(if it is a new owner, run plan load again with --new-owner)"
                        )
            owner = (
                wanted
                if (wanted or "").casefold() != (action.get("owner") or "").casefold()
                else owner
            )
        if cells.get("owner_email", "").strip():
            address = cells["owner_email"].strip()
            try:
                address = check_email(address)
            except UsageProblem:
                wrong.append(
                    f"owner_email '{address}' is not an email address (give one, e.g. jane.smith@nhs.net)"
                )
            else:
                if owner is None:
                    wrong.append(
                        "owner_email is given but the action has no owner (add the owner, or clear the email)"
                    )
                else:
                    key = owner.casefold()
                    other = owner_email_rows.get(key)
                    if other and other[0].casefold() != address.casefold():
                        wrong.append(
                            f"{owner} has email {other[0]} on row {other[1]} but {address} here "
                            "(one address per owner)"
                        )
                    owner_email_rows.setdefault(key, (address, row.number))
                    if address != (emails.get(key) or ""):
                        edit["owner_email"] = address

        if "due" in cells:
            text = cells["due"].strip()
            try:
                due = None if text.lower() in ("", "none", "-") else parse_date(text).isoformat()
            except UsageProblem as exc:
                wrong.append(f"due: {exc.message}")
            else:
                if due != action.get("due"):
                    edit["due"] = due

        evidence = action.get("evidence")
        if "evidence" in cells:
            text = cells["evidence"].strip()
            if not text and evidence:
                wrong.append(
                    "the evidence is empty; evidence cannot be removed from a plan file "
                    "(copy it back from the template, or edit it)"
                )
            elif text and text != (evidence or "").strip():
                edit["evidence"] = text
                evidence = text

        status = action["status"]
        if "status" in cells:
            value = normalise_status(cells["status"]) if cells["status"].strip() else None
            if value is None:
                wrong.append(
                    f"status '{cells['status']}' is not a status (use one of: {STATUS_WORDS})"
                )
            elif value != status:
                if action.get("retired"):
                    wrong.append(
                        f"{action['ref']} is retired, so its status cannot change "
                        f"(run 'cpft-tracker reinstate {action['ref']}' first)"
                    )
                elif value == "complete" and not evidence:
                    wrong.append(
                        "complete needs evidence: say what shows it is done in the evidence column"
                    )
                else:
                    edit["status"] = value
        if wrong:
            problems.append(f"{where}: " + "; ".join(w.rstrip(".") for w in wrong) + ".")
        elif len(edit) > 2:
            edits.append(edit)
    return edits, problems


# -- what the person changed, and what others changed since -------------------

# The audit-trail field each plan column's changes are recorded under.
_EVENT_FIELD = {
    "title": "title",
    "owner": "owner",
    "due": "due",
    "status": "status",
    "evidence": "evidence",
}


@dataclass
class Conflict:
    """A cell the person changed whose field someone else also changed since the file's version."""

    row: int
    ref: str
    field: str
    theirs: str | None
    yours: str | None
    by: str
    at: str

    def describe(self) -> str:
        """One line: 'Row 3 CPFT-05 due: yours 2026-12-31, theirs 2027-02-28 (Jo Bloggs, 2027-01-02 14:03 UTC)'."""
        when = self.at.replace("T", " ")[:16] + " UTC"
        return (
            f"Row {self.row} {self.ref} {self.field.replace('_', ' ')}: yours {self.yours or '(blank)'}, "
            f"theirs {self.theirs or '(blank)'} (changed by {self.by}, {when})"
        )


class PlanConflicts(TrackerError):
    """Cells changed in the file AND in the database since the file was written; nothing was changed."""

    def __init__(self, name: str, conflicts: list[Conflict], warnings: list[str]) -> None:
        n = len(conflicts)
        super().__init__(
            f"{name} was not loaded: {n} cell{'s' if n != 1 else ''} you changed "
            f"{'were' if n != 1 else 'was'} also changed by someone else since the file was written "
            f"(listed above). Nothing was changed. Run 'cpft-tracker plan load {name} --theirs' to keep "
            f"their values and apply the rest of your edits, or '--mine' to put yours over theirs."
        )
        self.conflicts = conflicts
        self.warnings = warnings


@dataclass
class PlanLoad:
    """What ``load_plan`` did: the edits, the changes made, conflicts settled, and warnings."""

    edits: list[dict[str, Any]]
    changes: list[Change]
    settled: list[Conflict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_UNREADABLE = object()  # a cell whose value cannot be read (plan_edits reports it)


def _value(column: str, text: str) -> Any:
    """A plan cell as the value it stands for, comparable with an action's field (casefolded owner)."""
    from cpft_tracker.dates import parse_date
    from cpft_tracker.models import normalise_status

    if column == "title":
        return _norm(text)
    if column == "owner":
        return (_norm(text) or "").casefold() or None
    if column == "owner_email":
        return text.strip() or None
    if column == "due":
        t = text.strip()
        if t.lower() in ("", "none", "-"):
            return None
        try:
            return parse_date(t).isoformat()
        except UsageProblem:
            return _UNREADABLE
    if column == "status":
        return (normalise_status(text) if text.strip() else None) or _UNREADABLE
    if column == "evidence":
        return text.strip() or None
    raise ValueError(column)


def _field_value(column: str, action: Mapping[str, Any], emails: Mapping[str, str | None]) -> Any:
    """An action's field as ``_value`` reads a cell (owner casefolded; the owner's email)."""
    if column == "owner":
        return (action.get("owner") or "").casefold() or None
    if column == "owner_email":
        owner = action.get("owner")
        return emails.get(owner.casefold()) if owner else None
    if column == "title":
        return _norm(action.get("title"))
    if column == "evidence":
        return (action.get("evidence") or "").strip() or None
    return action.get(column)


def _differs(
    column: str, text: str, action: Mapping[str, Any], emails: Mapping[str, str | None]
) -> bool:
    value = _value(column, text)
    if column == "owner_email" and value is None:
        return False  # a blank address leaves the address alone
    return value is _UNREADABLE or value != _field_value(column, action, emails)


def _rebuild(
    action: Mapping[str, Any],
    emails: Mapping[str, str | None],
    later: Sequence[Mapping[str, Any]],
    owner_later: Mapping[str, Sequence[Mapping[str, Any]]],
) -> tuple[dict[str, Any], dict[str, str | None], dict[str, Mapping[str, Any]]]:
    """The action and its owner's email as they were at a version, from the events after it.

    ``later``: the action's events after the version, oldest first; ``owner_later``: the
    owner_email events after it, by casefolded owner. Returns (the action then, the emails
    then, the LATEST event since for each plan column changed since).
    """
    base = dict(action)
    touched: dict[str, Mapping[str, Any]] = {}
    for column, event_field in _EVENT_FIELD.items():
        events = [e for e in later if e["field"] == event_field]
        if events:
            base[column] = events[0]["old"]
            touched[column] = events[-1]
    then = dict(emails)
    owner = base.get("owner")
    if owner and owner_later.get(owner.casefold()):
        changed = owner_later[owner.casefold()]
        then[owner.casefold()] = changed[0]["old"]
        touched["owner_email"] = changed[-1]
    return base, then, touched


def _version_of(text: str) -> int | None:
    t = text.strip().lstrip("'")
    if not t:
        return None
    if not t.isdigit():
        raise ValueError(t)
    return int(t)


def load_plan(
    store: Store,
    path: Path,
    *,
    by: str,
    prefer: str | None = None,
    name: str | None = None,
    new_owners: bool = False,
) -> PlanLoad:
    """Read, check and apply a plan file in one transaction: only the cells the person changed.

    Each row carries the version of the action it was written from (``plan template``).
    The cells that differ from the action AS IT WAS at that version (rebuilt from the audit
    trail) are the person's edits; only those are applied, so a colleague's later change to
    another cell is never reverted. An edited cell whose field was also changed after that
    version is a conflict: all are listed (PlanConflicts) and nothing is applied, unless
    ``prefer`` is ``"theirs"`` (those cells are left as they are now) or ``"mine"`` (the
    file's value is applied, the audit note says it replaced whose change).

    A file without a version column (an older template, or one made by hand) is read as
    if it were written when it was last saved (its modification time): cells that differ
    from the plan at that moment are applied, and a change recorded after it is never
    reverted without --mine (a warning says a fresh template is safer).

    ``new_owners``: owner names close to an existing owner's are new owners, not typos.

    Raises PlanRejected listing every bad row (the database is unchanged), PlanConflicts, or BadDocument.
    """
    import datetime as dt

    name = name or path.name
    try:
        data = path.read_bytes()
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise BadDocument(f"There is no file {path}. Check the name and folder.") from None
    except IsADirectoryError:
        raise BadDocument(
            f"{path} is a folder, not a plan file. Give the CSV file, e.g. cpft-tracker plan load plan.csv."
        ) from None
    except OSError as exc:
        raise BadDocument(
            f"Cannot read {path}: {exc.strerror}. Check the file is there and you can read it."
        ) from None
    rows = read_plan(decode(data, name), name)
    store.read_snapshot()  # the plan and its events read as of one moment
    # only the fields a plan file can change (and ``retired``): not the requirement texts
    current = {a["ref"].upper(): a for a in store.iter_plan(columns=PLAN_FIELDS)}
    emails = store.owner_emails()
    warnings: list[str] = []
    problems: list[str] = []
    saved_at = dt.datetime.fromtimestamp(mtime, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    file_version: int | None = None
    versions: dict[int, int] = {}  # row number -> version it was written from
    for row in rows:
        ref = read_cell(row.cells.get("ref", "")).strip().upper()
        if ref not in current:
            continue  # plan_edits reports it
        try:
            version = _version_of(read_cell(row.cells.get("version", "")))
        except ValueError as exc:
            problems.append(
                f"Row {row.number} ({current[ref]['ref']}): the version '{exc}' is not one cpft-tracker "
                "wrote (leave the version column as the template wrote it, or write a fresh template)."
            )
            continue
        if version is not None and version > (current[ref]["version"] or 0):
            problems.append(
                f"Row {row.number} ({current[ref]['ref']}): the version {version} is newer than the "
                f"action's ({current[ref]['version']}), so this file was written from another database "
                "(or before a backup was restored). Write a fresh template from this plan."
            )
            continue
        if version is None:
            if file_version is None:
                file_version = store.last_event_id_at(saved_at)
                which = (
                    "has no version column"
                    if "version" not in row.cells
                    else "has rows without a version"
                )
                warnings.append(
                    f"{name} {which} (an older template, or made by hand): it is compared with the plan "
                    f"as it stood when the file was last saved ({saved_at[:16].replace('T', ' ')} UTC), "
                    "so changes made since then are not reverted. Write a fresh template with "
                    "'cpft-tracker plan template' to be sure no one's work is undone."
                )
            version = file_version
        versions[row.number] = version
    if problems:
        raise PlanRejected(name, problems)
    later = store.events_after(min(versions.values())) if versions else []
    by_action: dict[int, list[dict[str, Any]]] = {}
    by_owner: list[dict[str, Any]] = []
    for e in later:
        if e["action_id"] is not None:
            by_action.setdefault(e["action_id"], []).append(e)
        elif e["field"] == "owner_email" and e["subject"]:
            by_owner.append(e)

    kept_rows: list[PlanRow] = []
    conflicts: list[Conflict] = []
    settled: list[Conflict] = []
    notes: dict[int, dict[str, str]] = {}
    base_note = f"plan load {name}"
    for row in rows:
        cells = {k: read_cell(v) for k, v in row.cells.items()}
        action = current.get(cells.get("ref", "").strip().upper())
        if action is None or row.number not in versions:
            kept_rows.append(row)  # no such action, or an empty row: plan_edits says what is wrong
            continue
        version = versions[row.number]
        owner_later: dict[str, list[dict[str, Any]]] = {}
        for e in by_owner:
            if e["id"] > version:
                owner_later.setdefault(e["subject"].casefold(), []).append(e)
        base, base_emails, touched = _rebuild(
            action,
            emails,
            [e for e in by_action.get(action["id"], []) if e["id"] > version],
            owner_later,
        )
        kept: dict[str, str] = {"ref": row.cells["ref"]}
        for column in EDITABLE:
            if column not in cells or not _differs(column, cells[column], base, base_emails):
                continue  # not edited: whatever the plan holds now stands
            since = touched.get(column)
            if since is not None and _differs(column, cells[column], action, emails):
                theirs = (
                    _field_value(column, action, emails)
                    if column != "owner"
                    else action.get("owner")
                )
                conflict = Conflict(
                    row.number,
                    action["ref"],
                    column,
                    None if theirs is None else str(theirs),
                    _shown(column, cells[column]),
                    since["by"],
                    since["at"],
                )
                if prefer is None:
                    conflicts.append(conflict)
                    continue
                settled.append(conflict)
                if prefer == "theirs":
                    continue
                when = since["at"].replace("T", " ")[:16]
                notes.setdefault(row.number, {})[column] = (
                    f"{base_note} --mine: replaced {since['by']}'s change of {when} UTC"
                )
            kept[column] = row.cells[column]
        if len(kept) > 1:
            kept_rows.append(PlanRow(row.number, kept))
    if conflicts:
        raise PlanConflicts(name, conflicts, warnings)
    owners = [] if new_owners else [o["name"] for o in store.owners()]
    edits, problems = plan_edits(kept_rows, current, emails, owners)
    if problems:
        raise PlanRejected(name, problems)
    for edit in edits:
        if edit["row"] in notes:
            edit["notes"] = notes[edit["row"]]
    expect = {current[e["ref"].upper()]["ref"]: current[e["ref"].upper()]["version"] for e in edits}
    changes = store.apply_plan(edits, by=by, note=base_note, expect_versions=expect)
    return PlanLoad(edits, changes, settled, warnings)


def _shown(column: str, text: str) -> str | None:
    """A cell as the person meant it, for a conflict line (dates as ISO when readable)."""
    value = _value(column, text)
    if value is _UNREADABLE:
        return text.strip() or None
    if column == "owner":
        return _norm(text) or None
    return None if value is None else str(value)
