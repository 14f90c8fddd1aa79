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
PLAN_FIELDS = ("id", "ref", "title", "owner", "owner_email", "due", "status", "evidence", "retired")


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
    from cpft_tracker.models import STATUSES, normalise_status
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
                    f"status '{cells['status']}' is not a status (use one of: {', '.join(STATUSES)})"
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


def load_plan(
    store: Store, path: Path, *, by: str, new_owners: bool = False
) -> tuple[list[dict[str, Any]], list[Change]]:
    """Read, check and apply a plan file in one transaction: (the edits, the changes made).

    Raises PlanRejected listing every bad row (the database is unchanged), or BadDocument.
    ``new_owners``: owner names close to an existing owner's are new owners, not typos.
    """
    name = path.name
    try:
        data = path.read_bytes()
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
    # only the fields a plan file can change (and ``retired``): not the requirement texts
    current = {a["ref"].upper(): a for a in store.iter_plan(columns=PLAN_FIELDS)}
    owners = [] if new_owners else [o["name"] for o in store.owners()]
    edits, problems = plan_edits(rows, current, store.owner_emails(), owners)
    if problems:
        raise PlanRejected(name, problems)
    changes = store.apply_plan(edits, by=by, note=f"from plan file {name}")
    return edits, changes
