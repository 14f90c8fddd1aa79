"""Possible duplicates and `merge REF INTO REF` (issue 11 item 2), through the real CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpft_tracker.cli import app
from tests.conftest import (
    BUNDLED_REPORT,
    db_execute,
    db_snapshot,
    json_actions,
    run_cli,
    setup_cli,
)


def invoke(runner: CliRunner, *args: str, env: dict[str, str] | None = None):
    result = runner.invoke(app, list(args), env=env)
    assert "Traceback" not in (result.stdout + result.stderr)
    return result


def imported(runner: CliRunner) -> None:
    result = invoke(runner, "import", str(BUNDLED_REPORT))
    assert result.exit_code == 0, result.stderr


# -- possible duplicates ---------------------------------------------------------------


def test_import_says_which_actions_may_repeat_another(runner: CliRunner) -> None:
    result = invoke(runner, "import", str(BUNDLED_REPORT))
    assert result.exit_code == 0, result.stderr
    assert (
        "CPFT-14 may repeat CPFT-10: check, then 'cpft-tracker merge CPFT-14 INTO CPFT-10'."
        in result.stderr.splitlines()
    )
    assert result.stderr.count("may repeat") == 1
    # importing it again: nothing new, so nothing new to check
    again = invoke(runner, "import", str(BUNDLED_REPORT))
    assert "0 added, 14 already there" in again.stderr
    assert "may repeat" not in again.stderr


def test_a_dry_run_names_the_possible_duplicates_too(runner: CliRunner, db_path: Path) -> None:
    result = invoke(runner, "import", str(BUNDLED_REPORT), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "CPFT-14 may repeat CPFT-10" in result.stderr
    assert not db_path.exists()


def test_possible_duplicates_in_list_json_export_csv_and_show(runner: CliRunner) -> None:
    imported(runner)
    by_ref = {a["ref"]: a for a in json_actions(runner)}
    assert by_ref["CPFT-10"]["possible_duplicates"] == ["CPFT-14"]
    assert by_ref["CPFT-14"]["possible_duplicates"] == ["CPFT-10"]
    assert all(
        a["possible_duplicates"] == [] for r, a in by_ref.items() if r not in ("CPFT-10", "CPFT-14")
    )

    exported = json.loads(invoke(runner, "export", "--format", "json").stdout)["actions"]
    assert {a["ref"]: a["possible_duplicates"] for a in exported}["CPFT-14"] == ["CPFT-10"]

    rows = list(
        csv.DictReader(
            io.StringIO(invoke(runner, "export", "--format", "csv").stdout.lstrip("\ufeff"))
        )
    )
    cells = {r["ref"]: r["possible_duplicates"] for r in rows}
    assert cells["CPFT-10"] == "CPFT-14" and cells["CPFT-01"] == ""

    shown = invoke(runner, "show", "CPFT-10").stdout
    assert (
        "Possible duplicates: CPFT-14 (check, then 'cpft-tracker merge CPFT-14 INTO CPFT-10')"
        in shown
    )


def test_an_older_database_gets_its_duplicates_at_the_next_import(
    runner: CliRunner, db_path: Path
) -> None:
    imported(runner)
    db_execute(db_path, "UPDATE actions SET possible_duplicates = NULL")  # as imported before m004
    invoke(runner, "import", str(BUNDLED_REPORT))
    by_ref = {a["ref"]: a for a in json_actions(runner)}
    assert by_ref["CPFT-10"]["possible_duplicates"] == ["CPFT-14"]
    history = invoke(runner, "history", "CPFT-10").stdout
    assert "possible duplicates: CPFT-14" in history


# -- merge REF INTO REF ------------------------------------------------------------------


def test_merge_keeps_both_sentences_and_both_histories(runner: CliRunner) -> None:
    imported(runner)
    invoke(runner, "note", "CPFT-14", "Carers forum met the lead")
    result = invoke(runner, "merge", "CPFT-14", "INTO", "CPFT-10", "--note", "same finding")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "CPFT-14 merged into CPFT-10: CPFT-10 keeps both requirement sentences and both "
        "histories; CPFT-14 is retired as 'merged into CPFT-10'."
    )
    by_ref = {a["ref"]: a for a in json_actions(runner)}
    assert by_ref["CPFT-14"]["retired"] == "merged into CPFT-10"
    assert by_ref["CPFT-10"]["retired"] is None
    # both were waiting for review as possible duplicates: merging settles that, so the
    # action kept is tracked and counted in progress
    assert by_ref["CPFT-10"]["review"] == "accepted"
    progress = json.loads(invoke(runner, "progress", "--format", "json").stdout)
    assert progress["awaiting_review"] == 0
    assert (
        by_ref["CPFT-10"]["possible_duplicates"] == [] == by_ref["CPFT-14"]["possible_duplicates"]
    )

    shown = invoke(runner, "show", "CPFT-10").stdout
    assert by_ref["CPFT-10"]["requirement"] in shown
    assert by_ref["CPFT-14"]["requirement"] in shown
    assert "Also, from CPFT-14 (merged into this action; " in shown
    assert "section People's experience of this service, line 43" in shown
    assert "[from CPFT-14, merged] note: Carers forum met the lead" in shown
    assert "CPFT-14 merged into this action" in shown

    events = json.loads(invoke(runner, "history", "CPFT-10", "--format", "json").stdout)["events"]
    marked = {(e["ref"], e["field"]) for e in events if e["merged_from"] == "CPFT-14"}
    assert ("CPFT-14", "note") in marked and ("CPFT-14", "created") in marked
    assert any(
        e["ref"] == "CPFT-10" and e["field"] == "merged" and e["new"] == "CPFT-14" for e in events
    )
    assert "[from CPFT-14, merged]" in invoke(runner, "history", "CPFT-10").stdout
    # the retired one's own history says where it went
    assert "retired: merged into CPFT-10" in invoke(runner, "show", "CPFT-14").stdout


def test_reimport_after_a_merge_adds_nothing_and_keeps_it_merged(
    runner: CliRunner, db_path: Path
) -> None:
    imported(runner)
    invoke(runner, "merge", "CPFT-14", "INTO", "CPFT-10")
    before = json_actions(runner)
    again = run_cli("import", str(BUNDLED_REPORT), env={"CPFT_TRACKER_DB": str(db_path)})
    assert again.returncode == 0, again.stderr
    assert "0 added, 14 already there" in again.stderr
    assert "may repeat" not in again.stderr
    assert json_actions(runner) == before
    tracked = json_actions(runner, "--status", "not-started")
    assert "CPFT-14" in {a["ref"] for a in tracked}  # listed, but retired
    assert {a["ref"]: a["retired"] for a in tracked}["CPFT-14"] == "merged into CPFT-10"


def test_a_merged_action_follows_its_target_when_that_is_merged(runner: CliRunner) -> None:
    imported(runner)
    invoke(runner, "merge", "CPFT-14", "INTO", "CPFT-10")
    result = invoke(runner, "merge", "CPFT-10", "INTO", "CPFT-09")
    assert result.exit_code == 0, result.stderr
    by_ref = {a["ref"]: a for a in json_actions(runner)}
    assert by_ref["CPFT-14"]["retired"] == by_ref["CPFT-10"]["retired"] == "merged into CPFT-09"
    shown = invoke(runner, "show", "CPFT-09").stdout
    assert "Also, from CPFT-10" in shown and "Also, from CPFT-14" in shown


def test_merge_refusals_change_nothing(runner: CliRunner, db_path: Path) -> None:
    imported(runner)
    invoke(runner, "retire", "CPFT-03", "--reason", "not a requirement")
    cases = [
        (["CPFT-10", "INTO", "cpft-10"], 1, "Error: CPFT-10 cannot be merged into itself."),
        (
            ["CPFT-14", "INTO", "CPFT-03"],
            1,
            "Error: CPFT-03 is retired (not a requirement), so it cannot take in CPFT-14.",
        ),
        (["CPFT-03", "INTO", "CPFT-10"], 1, "Error: CPFT-03 is retired (not a requirement)."),
        (["CPFT-14", "INTO", "CPFT-99"], 1, "Error: No action with reference CPFT-99."),
        (["CPFT-99", "INTO", "CPFT-10"], 1, "Error: No action with reference CPFT-99."),
        (
            ["CPFT-14", "ONTO", "CPFT-10"],
            2,
            "Error: Write the word INTO between the two references",
        ),
    ]
    before = db_snapshot(db_path)
    for args, code, start in cases:
        result = invoke(runner, "merge", *args)
        assert result.exit_code == code, (args, result.stderr)
        assert result.stderr.startswith(start), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert db_snapshot(db_path) == before
    invoke(runner, "merge", "CPFT-14", "INTO", "CPFT-10")
    again = invoke(runner, "merge", "CPFT-14", "INTO", "CPFT-09")
    assert again.exit_code == 1
    assert again.stderr == "Error: CPFT-14 is already merged into CPFT-10.\n"
    into_merged = invoke(runner, "merge", "CPFT-09", "INTO", "CPFT-14")
    assert into_merged.stderr.startswith("Error: CPFT-14 is retired (merged into CPFT-10)")
    assert "Merge into CPFT-10 instead." in into_merged.stderr


MERGE_WRONGLY = [
    # INTO forgotten: the right form, which way round (the earlier ref keeps both)
    (
        ["CPFT-10", "CPFT-14"],
        "Error: Say which way round with the word INTO: 'cpft-tracker merge CPFT-14 INTO CPFT-10' "
        "keeps CPFT-10 (both sentences and histories) and retires CPFT-14; "
        "'cpft-tracker merge CPFT-10 INTO CPFT-14' is the other way round.",
    ),
    (
        ["CPFT-14", "INTO"],
        "Error: Name the action that keeps both after INTO, e.g. 'cpft-tracker merge CPFT-14 INTO "
        "CPFT-10' keeps CPFT-10 (both sentences and histories) and retires CPFT-14.",
    ),
    (
        ["CPFT-09", "CPFT-14", "CPFT-10"],
        "Error: Merge two at a time, into the action after INTO: 'cpft-tracker merge CPFT-10 INTO "
        "CPFT-09', then 'cpft-tracker merge CPFT-14 INTO CPFT-09'.",
    ),
    (
        ["CPFT-14", "CPFT-10", "INTO", "CPFT-09"],
        "Error: Merge two at a time, into the action after INTO: 'cpft-tracker merge CPFT-14 INTO "
        "CPFT-09', then 'cpft-tracker merge CPFT-10 INTO CPFT-09'.",
    ),
    (["CPFT-14", "CPFT-10", "INTO"], "Error: Say which way round with the word INTO: "),
    (["CPFT-14"], "Error: Say which action CPFT-14 is merged into, with the word INTO, e.g. "),
    ([], "Error: Give two references with the word INTO between them, e.g. "),
]


@pytest.mark.parametrize(("args", "message"), MERGE_WRONGLY)
def test_merge_typed_otherwise_shows_the_right_form(
    runner: CliRunner, db_path: Path, args: list[str], message: str
) -> None:
    imported(runner)
    before = db_snapshot(db_path)
    result = invoke(runner, "merge", *args, "--note", "same finding")
    assert result.exit_code == 2
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "Missing argument" not in result.stderr
    assert db_snapshot(db_path) == before


def test_merge_without_into_from_a_script(db_path: Path) -> None:
    """The same line from a real process, whichever way the command line is read (two words
    go to click, three are read straight from the command's description)."""
    setup_cli("import", str(BUNDLED_REPORT))
    before = db_snapshot(db_path)
    for args, message in (MERGE_WRONGLY[0], MERGE_WRONGLY[2]):
        done = run_cli("merge", *args)
        assert (done.returncode, done.stdout, done.stderr) == (2, "", message + "\n")
    assert db_snapshot(db_path) == before


@pytest.mark.sqlite_only(
    reason="an SQLite file written at schema 2 (no PostgreSQL plan predates m004)"
)
def test_a_database_of_schema_2_is_upgraded_and_keeps_its_plan(
    db_path: Path, runner: CliRunner
) -> None:
    """A plan written before m004 opens, gains the new columns, and its actions read as before."""
    import sqlite_utils

    from cpft_tracker.store.sqlite_dialect import MIGRATION_SET, m001_initial, m002_progress_index

    db = sqlite_utils.Database(db_path)
    migrations = sqlite_utils.Migrations(MIGRATION_SET)
    migrations(name="m001_initial")(m001_initial)
    migrations(name="m002_progress_index")(m002_progress_index)
    migrations.apply(db)
    db.conn.close()
    imported(runner)
    assert invoke(runner, "info").exit_code == 0
    by_ref = {a["ref"]: a for a in json_actions(runner)}
    assert by_ref["CPFT-14"]["possible_duplicates"] == ["CPFT-10"]
    assert invoke(runner, "merge", "CPFT-14", "INTO", "CPFT-10").exit_code == 0


def test_reinstating_a_merged_action_takes_it_back_out(runner: CliRunner) -> None:
    imported(runner)
    invoke(runner, "merge", "CPFT-14", "INTO", "CPFT-10")
    result = invoke(runner, "reinstate", "CPFT-14", "--note", "not the same after all")
    assert result.exit_code == 0, result.stderr
    by_ref = {a["ref"]: a for a in json_actions(runner)}
    assert by_ref["CPFT-14"]["retired"] is None
    shown = invoke(runner, "show", "CPFT-10").stdout
    assert "Also, from CPFT-14" not in shown
    assert "CPFT-14 taken back out of this action (reinstated)" in shown
    assert "taken back out of CPFT-10" in invoke(runner, "show", "CPFT-14").stdout
    # and it can be merged again
    assert invoke(runner, "merge", "CPFT-14", "INTO", "CPFT-10").exit_code == 0


def test_a_merged_action_needs_no_owner(runner: CliRunner) -> None:
    # "list --unassigned" is what still needs an owner: the action merged away needs none
    imported(runner)
    assert invoke(runner, "merge", "CPFT-14", "INTO", "CPFT-10").exit_code == 0
    result = invoke(runner, "list", "--unassigned", "--format", "json")
    refs = [a["ref"] for a in json.loads(result.stdout)["actions"]]
    assert "CPFT-14" not in refs and "CPFT-10" in refs and len(refs) == 13
