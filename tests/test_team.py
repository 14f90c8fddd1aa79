"""One plan for a team (issue 12): no lost updates from a stale spreadsheet, versions for scripts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_REPORT, run_cli

LEAD = {"CPFT_TRACKER_USER": "Gov Lead"}
COLLEAGUE = {"CPFT_TRACKER_USER": "Jo Colleague", "CPFT_TRACKER_NOW": "2026-11-10T14:03:00Z"}


def cli(*args: str, env: dict[str, str] | None = None, code: int = 0) -> str:
    proc = run_cli(*args, env={"CPFT_TRACKER_TODAY": "2026-11-20", **(env or {})})
    assert "Traceback" not in proc.stderr
    assert proc.returncode == code, proc.stderr
    return proc.stderr


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))


def edit(path: Path, ref: str, column: str, value: str) -> None:
    rows = rows_of(path)
    col = rows[0].index(column)
    for row in rows[1:]:
        if row[0] == ref:
            row[col] = value
    write_rows(path, rows)


def action(ref: str) -> dict:
    out = run_cli("list", "--format", "json")
    return next(a for a in json.loads(out.stdout)["actions"] if a["ref"] == ref)


def history(ref: str) -> list[dict]:
    return json.loads(run_cli("history", ref, "--format", "json").stdout)["events"]


def db_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(db.parent.glob(db.name + "*")))


@pytest.fixture
def plan(db_path: Path) -> Path:
    """The bundled report imported on 1 November 2026; CPFT-05 due 31 Dec 2026."""
    cli("import", str(BUNDLED_REPORT), env={**LEAD, "CPFT_TRACKER_NOW": "2026-11-01T09:00:00Z"})
    cli("due", "CPFT-05", "31/12/2026", env={**LEAD, "CPFT_TRACKER_NOW": "2026-11-02T09:00:00Z"})
    return db_path


@pytest.fixture
def stale(plan: Path, tmp_path: Path) -> Path:
    """The issue's story: a template, then a colleague moves CPFT-05's due date and status."""
    target = tmp_path / "stale.csv"
    cli("plan", "template", "-o", str(target), env={"CPFT_TRACKER_NOW": "2026-11-03T09:00:00Z"})
    cli("due", "CPFT-05", "28 Feb 2027", env=COLLEAGUE)
    cli("status", "CPFT-05", "in-progress", env=COLLEAGUE)
    edit(target, "CPFT-05", "due", "31/01/2027")
    return target


def test_the_template_carries_each_actions_version(plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    cli("plan", "template", "-o", str(target))
    rows = rows_of(target)
    assert rows[0][-1] == "version (do not edit)"
    by_ref = {r[0]: r for r in rows[1:]}
    assert int(by_ref["CPFT-05"][-1]) == action("CPFT-05")["version"] == history("CPFT-05")[0]["id"]


def test_a_stale_spreadsheet_is_a_listed_conflict_and_changes_nothing(
    stale: Path, plan: Path
) -> None:
    fixed = {"CPFT_TRACKER_NOW": "2026-11-20T09:00:00Z"}
    before, export = db_bytes(plan), run_cli("export", "--format", "json", env=fixed).stdout
    proc = run_cli("plan", "load", str(stale), env={**LEAD, "CPFT_TRACKER_TODAY": "2026-11-20"})
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "Row 6 CPFT-05 due: yours 2027-01-31, theirs 2027-02-28 "
        "(changed by Jo Colleague, 2026-11-10 14:03 UTC)",
        "Error: stale.csv was not loaded: 1 cell you changed was also changed by someone else "
        "since the file was written (listed above). Nothing was changed. Run 'cpft-tracker plan "
        "load stale.csv --theirs' to keep their values and apply the rest of your edits, or "
        "'--mine' to put yours over theirs.",
    ]
    assert db_bytes(plan) == before
    assert run_cli("export", "--format", "json", env=fixed).stdout == export


def test_mine_applies_and_the_audit_trail_says_so(stale: Path) -> None:
    err = cli(
        "plan",
        "load",
        str(stale),
        "--mine",
        env={**LEAD, "CPFT_TRACKER_NOW": "2026-11-11T09:00:00Z"},
    )
    assert (
        "Row 6 CPFT-05 due: yours 2027-01-31, theirs 2027-02-28" in err and "applied yours" in err
    )
    assert "Row 6 CPFT-05: due: 2027-02-28 -> 2027-01-31\n" in err
    now = action("CPFT-05")
    assert (now["due"], now["status"]) == (
        "2027-01-31",
        "in-progress",
    )  # the status is NOT reverted
    newest = history("CPFT-05")[0]
    assert (newest["field"], newest["by"], newest["old"], newest["new"]) == (
        "due",
        "Gov Lead",
        "2027-02-28",
        "2027-01-31",
    )
    assert newest["note"] == (
        "plan load stale.csv --mine: replaced Jo Colleague's change of 2026-11-10 14:03 UTC"
    )


def test_theirs_keeps_theirs_and_applies_the_rest(stale: Path) -> None:
    edit(stale, "CPFT-02", "owner", "Director of Nursing")
    err = cli("plan", "load", str(stale), "--theirs", env=LEAD)
    assert "kept theirs" in err
    assert (action("CPFT-05")["due"], action("CPFT-05")["status"]) == ("2027-02-28", "in-progress")
    assert action("CPFT-02")["owner"] == "Director of Nursing"
    assert history("CPFT-02")[0]["note"] == "plan load stale.csv"


def test_theirs_and_mine_together_are_refused(stale: Path) -> None:
    assert "not both" in cli("plan", "load", str(stale), "--theirs", "--mine", code=2)


def test_the_same_value_as_theirs_is_no_conflict(stale: Path, plan: Path) -> None:
    edit(stale, "CPFT-05", "due", "28/02/2027")
    assert cli("plan", "load", str(stale)) == "No changes: stale.csv matches the plan.\n"


def test_a_fresh_template_applies_exactly_the_edited_cells(plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    cli("plan", "template", "-o", str(target))
    edit(target, "CPFT-02", "title", "A clearer title")
    edit(target, "CPFT-03", "due", "1 March 2027")
    before = {
        a["ref"]: a for a in json.loads(run_cli("list", "--format", "json").stdout)["actions"]
    }
    err = cli("plan", "load", str(target), env=LEAD)
    assert err.splitlines()[-1] == "Loaded plan.csv: 2 changes to 2 actions, saved together."
    after = {a["ref"]: a for a in json.loads(run_cli("list", "--format", "json").stdout)["actions"]}
    changed = {
        (ref, k)
        for ref in before
        for k in before[ref]
        if k not in ("updated_at", "version", "rag") and before[ref][k] != after[ref][k]
    }
    assert changed == {("CPFT-02", "title"), ("CPFT-03", "due")}


def test_stale_cells_of_other_rows_are_not_reverted(plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    cli("plan", "template", "-o", str(target))
    cli("assign", "CPFT-07", "Medical Director", env=COLLEAGUE)
    cli("retitle", "CPFT-03", "Colleague's title", env=COLLEAGUE)
    edit(target, "CPFT-03", "due", "1 March 2027")  # the same row, another cell
    err = cli("plan", "load", str(target), env=LEAD)
    assert "Loaded plan.csv: 1 change to 1 action" in err
    assert action("CPFT-07")["owner"] == "Medical Director"
    assert (action("CPFT-03")["title"], action("CPFT-03")["due"]) == (
        "Colleague's title",
        "2027-03-01",
    )


def test_a_file_without_versions_never_reverts_changes_made_after_it_was_saved(
    plan: Path, tmp_path: Path
) -> None:
    target = tmp_path / "old.csv"
    cli("plan", "template", "-o", str(target))
    rows = [r[:-1] for r in rows_of(target)]  # as an older cpft-tracker wrote it: no version column
    write_rows(target, rows)
    edit(target, "CPFT-05", "due", "31/01/2027")
    saved = int(
        dt.datetime(2026, 11, 5, tzinfo=dt.UTC).timestamp()
    )  # before the colleague's change
    os.utime(target, (saved, saved))
    cli("due", "CPFT-05", "28 Feb 2027", env=COLLEAGUE)
    proc = run_cli("plan", "load", str(target))
    assert proc.returncode == 1
    assert "Warning: old.csv has no version column" in proc.stderr
    assert "Row 6 CPFT-05 due: yours 2027-01-31, theirs 2027-02-28" in proc.stderr
    assert action("CPFT-05")["due"] == "2027-02-28"


def test_an_edited_version_cell_is_a_bad_row(plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    cli("plan", "template", "-o", str(target))
    edit(target, "CPFT-05", "version (do not edit)", "latest")
    err = cli("plan", "load", str(target), code=1)
    assert "Row 6 (CPFT-05): the version 'latest' is not one cpft-tracker wrote" in err
