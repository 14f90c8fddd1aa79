"""Possible duplicates and `merge REF INTO REF` (issue 11 item 2), through the real CLI."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from cpft_tracker.cli import app
from tests.conftest import BUNDLED_REPORT, json_actions


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
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE actions SET possible_duplicates = NULL")  # as imported before m004
    conn.commit()
    conn.close()
    invoke(runner, "import", str(BUNDLED_REPORT))
    by_ref = {a["ref"]: a for a in json_actions(runner)}
    assert by_ref["CPFT-10"]["possible_duplicates"] == ["CPFT-14"]
    history = invoke(runner, "history", "CPFT-10").stdout
    assert "possible duplicates: CPFT-14" in history
