"""plan template / plan load: the Excel round trip, one transaction, every bad row listed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpft_tracker.cli import app
from cpft_tracker.plan import plan_cell, read_cell
from cpft_tracker.store import Store
from tests.board_helpers import GOV, add_report, at, dump, open_store

HEADER = "ref,title,owner,owner_email,due,status,evidence,requirement (read only)"


@pytest.fixture
def plan(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    store = open_store(db_path)
    at(monkeypatch, "2026-02-01T09:00:00Z")
    add_report(
        store,
        "L",
        [("Board assurance framework", GOV), ("=SUM(A1)", None), ("Estates survey", None)],
    )
    at(monkeypatch, "2026-02-02T09:00:00Z")
    store.assign(["L-01"], "Alice Smith", email="alice@nhs.net", by="Gov Lead")
    store.set_due(["L-01"], "2026-03-31", by="Gov Lead")
    at(monkeypatch, "2026-03-01T09:00:00Z")
    monkeypatch.setenv("CPFT_TRACKER_TODAY", "2026-03-01")
    return store


def template(runner: CliRunner, tmp_path: Path) -> Path:
    target = tmp_path / "plan.csv"
    result = runner.invoke(app, ["plan", "template", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    return target


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def write_rows(
    path: Path, rows: list[list[str]], *, encoding: str = "utf-8-sig", newline: str = "\r\n"
) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def test_template_exact(plan: Store, runner: CliRunner, tmp_path: Path) -> None:
    target = template(runner, tmp_path)
    assert target.read_bytes().decode("utf-8") == (
        f"\ufeff{HEADER},version (do not edit)\r\n"
        "L-01,Board assurance framework,Alice Smith,alice@nhs.net,2026-03-31,not-started,,"
        "The trust must board assurance framework (L 1).,8\r\n"
        "L-02,'=SUM(A1),,,,not-started,,The trust must =sum(a1) (L 2).,3\r\n"
        "L-03,Estates survey,,,,not-started,,The trust must estates survey (L 3).,4\r\n"
    )


def test_loading_the_template_unchanged_changes_nothing(
    plan: Store, runner: CliRunner, tmp_path: Path
) -> None:
    before = dump(plan)
    result = runner.invoke(app, ["plan", "load", str(template(runner, tmp_path))])
    assert (result.exit_code, result.stderr) == (0, "No changes: plan.csv matches the plan.\n")
    assert dump(plan) == before


@pytest.mark.parametrize("value", ["=x", "'=x", "''", "-1", "@", "'", "plain", "O'Brien", "\tx"])
def test_cells_round_trip(value: str) -> None:
    assert read_cell(plan_cell(value)) == value
    assert not plan_cell(value).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_good_edits_are_applied_audited_and_reported(
    plan: Store, runner: CliRunner, tmp_path: Path
) -> None:
    path = template(runner, tmp_path)
    rows = rows_of(path)
    rows[1][2:7] = [
        "Bob Jones",
        "bob@nhs.net",
        "30/04/2026",
        "In progress",
        "",
    ]  # L-01: Excel-style date
    rows[2][1] = "'=SUM(A1) but reworded"  # still neutralised on load: the apostrophe is ours
    rows[3][2:7] = ["Carol White", "", "31 Mar 26", "done", "Survey report, board 3 March"]
    write_rows(path, rows)
    result = runner.invoke(app, ["plan", "load", str(path), "--by", "Gov Lead"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "Row 2 L-01: owner: Alice Smith -> Bob Jones; owner email set to bob@nhs.net; "
        "due: 2026-03-31 -> 2026-04-30; status: not-started -> in-progress\n"
        "Row 3 L-02: title: =SUM(A1) -> =SUM(A1) but reworded\n"
        "Row 4 L-03: owner set to Carol White; due set to 2026-03-31; evidence set to Survey report, "
        "board 3 March; status: not-started -> complete\n"
        "Loaded plan.csv: 9 changes to 3 actions, saved together.\n"
    )
    l1, l2, l3 = plan.actions()
    assert (l1["owner"], l1["owner_email"], l1["due"], l1["status"]) == (
        "Bob Jones",
        "bob@nhs.net",
        "2026-04-30",
        "in-progress",
    )
    assert l2["title"] == "=SUM(A1) but reworded"
    assert (l3["status"], l3["evidence"]) == ("complete", "Survey report, board 3 March")
    newest = plan.history("L-03")[0]
    assert (newest["field"], newest["by"], newest["note"], newest["at"]) == (
        "status",
        "Gov Lead",
        "plan load plan.csv",
        "2026-03-01T09:00:00.000000Z",
    )


def test_a_bad_file_lists_every_bad_row_and_changes_nothing(
    plan: Store, runner: CliRunner, tmp_path: Path
) -> None:
    before = dump(plan)
    path = tmp_path / "plan.csv"
    write_rows(
        path,
        [
            HEADER.split(","),
            [
                "L-01",
                "Board assurance framework",
                "Bob Jones",
                "",
                "2026-05-01",
                "in-progress",
                "",
                "",
            ],  # good
            ["L-02", "", "", "not-an-email", "31/02/2026", "finished", "", ""],
            ["L-03", "Estates survey", "", "", "", "complete", "", ""],
            ["L-99", "Ghost", "", "", "", "not-started", "", ""],
            ["L-01", "Board assurance framework", "", "", "", "not-started", "", ""],
            ["", "No ref here", "", "", "", "", "", ""],
            ["", "", "", "", "", "", "", ""],  # a blank row is fine
        ],
    )
    result = runner.invoke(app, ["plan", "load", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (
        "Row 3 (L-02): the title is empty (write a short title, or copy it back from the template); "
        "owner_email 'not-an-email' is not an email address (give one, e.g. jane.smith@nhs.net); "
        "due: '31/02/2026' is not a real date. Use a date such as 2026-03-31, 31/03/2026, 31 March 2026, "
        "31 Mar 26 or +30d / +6w / +3m; status 'finished' is not a status "
        "(use one of: not-started (or open), in-progress (or started), blocked or complete "
        "(or done, completed)).\n"
        "Row 4 (L-03): complete needs evidence: say what shows it is done in the evidence column.\n"
        "Row 5 (L-99): there is no action L-99. Check the reference against 'cpft-tracker list'.\n"
        "Row 6 (L-01): L-01 is already on row 2. Keep one row per action.\n"
        "Row 7: no ref. Put the action's reference (e.g. CPFT-01) in the ref column.\n"
        "Error: plan.csv was not loaded: 5 rows have a problem (listed above). Nothing was changed. "
        "Correct the file and run 'cpft-tracker plan load plan.csv' again.\n"
    )
    assert dump(plan) == before


def test_excel_resaved_cp1252_semicolons_lf_and_fewer_columns(
    plan: Store, runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "from-excel.csv"
    write_rows(
        path,
        [["Ref", "Owner", "Due"], ["L-03", "Zoë Brontë", "01/06/2026"]],
        encoding="cp1252",
        newline="\n",
    )
    path.write_bytes(path.read_bytes().replace(b",", b";"))
    result = runner.invoke(app, ["plan", "load", str(path)])
    assert result.exit_code == 0, result.stderr
    l3 = plan.action("L-03")
    assert (l3["owner"], l3["due"], l3["title"]) == ("Zoë Brontë", "2026-06-01", "Estates survey")


def test_clearing_owner_and_due_and_refusing_to_drop_evidence(
    plan: Store, runner: CliRunner, tmp_path: Path
) -> None:
    plan.add_evidence("L-01", "Paper A", by="x")
    path = tmp_path / "plan.csv"
    write_rows(path, [["ref", "owner", "due"], ["L-01", "", "none"]])
    assert runner.invoke(app, ["plan", "load", str(path)]).exit_code == 0
    assert (plan.action("L-01")["owner"], plan.action("L-01")["due"]) == (None, None)
    write_rows(path, [["ref", "evidence"], ["L-01", ""]])
    result = runner.invoke(app, ["plan", "load", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Row 2 (L-01): the evidence is empty; evidence cannot be removed"
    )
    assert plan.action("L-01")["evidence"] == "Paper A"


def test_retired_status_and_conflicting_emails(
    plan: Store, runner: CliRunner, tmp_path: Path
) -> None:
    plan.retire(["L-02"], "merged", by="x")
    path = tmp_path / "plan.csv"
    write_rows(
        path,
        [
            ["ref", "owner", "owner_email", "status"],
            ["L-01", "Alice Smith", "alice@trust.nhs.uk", "not-started"],
            ["L-02", "", "", "in-progress"],
            ["L-03", "alice smith", "alice.smith@nhs.net", "not-started"],
        ],
    )
    result = runner.invoke(app, ["plan", "load", str(path)])
    assert result.exit_code == 1
    assert "Row 3 (L-02): L-02 is retired, so its status cannot change" in result.stderr
    assert (
        # only edited cells count: both rows give Alice a new address, and they disagree
        "Row 4 (L-03): alice smith has email alice@trust.nhs.uk on row 2 but alice.smith@nhs.net here "
        "(one address per owner)."
    ) in result.stderr


def test_files_that_cannot_be_plans(plan: Store, runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["plan", "load", str(tmp_path / "nope.csv")])
    assert (missing.exit_code, missing.stderr) == (
        1,
        f"Error: There is no file {tmp_path / 'nope.csv'}. Check the name and folder.\n",
    )
    no_ref = tmp_path / "x.csv"
    no_ref.write_text("title,owner\nA,B\n", encoding="utf-8")
    result = runner.invoke(app, ["plan", "load", str(no_ref)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: x.csv has no 'ref' column")


def test_a_date_problem_in_the_last_place_ends_with_one_full_stop(
    plan: Store, runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "plan.csv"
    write_rows(path, [["ref", "due"], ["L-01", "31/02/2026"]])
    result = runner.invoke(app, ["plan", "load", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Row 2 (L-01): due: '31/02/2026' is not a real date. Use a date such as 2026-03-31, "
        "31/03/2026, 31 March 2026, 31 Mar 26 or +30d / +6w / +3m."
    )


def test_a_file_without_a_ref_column_is_not_told_to_overwrite_itself(
    plan: Store, runner: CliRunner, tmp_path: Path
) -> None:
    # the export someone loads by mistake used to get "Start from 'cpft-tracker plan template
    # -o board.json'": following that advice replaces their export with a plan template
    export = tmp_path / "board.json"
    export.write_text('{"schema_version": 1, "actions": []}\n', encoding="utf-8")
    result = runner.invoke(app, ["plan", "load", str(export)])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: board.json has no 'ref' column, so its rows cannot be matched to actions. Load a CSV "
        "made with 'cpft-tracker plan template -o plan.csv', keeping its first row (the column names).\n"
    )


def test_a_folder_is_not_a_plan_file(plan: Store, runner: CliRunner, tmp_path: Path) -> None:
    before = dump(plan)
    result = runner.invoke(app, ["plan", "load", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {tmp_path} is a folder, not a plan file. Give the CSV file, "
        "e.g. cpft-tracker plan load plan.csv.\n",
    )
    assert dump(plan) == before
