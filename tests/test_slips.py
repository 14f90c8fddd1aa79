"""Slips a governance lead makes at the terminal that the tool accepts but says (the
newcomer's try of 2026-12-03): a due date already past, and "blocked" with no reason given."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cpft_tracker.cli import app
from tests.conftest import BUNDLED_REPORT, json_actions


def run(runner: CliRunner, *args: str) -> tuple[int, list[str]]:
    result = runner.invoke(app, list(args), env={"CPFT_TRACKER_TODAY": "2026-12-03"})
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stderr.splitlines()


def test_a_due_date_in_the_past_is_saved_and_said(runner: CliRunner, db_path: Path) -> None:
    assert run(runner, "import", str(BUNDLED_REPORT))[0] == 0
    code, lines = run(runner, "due", "CPFT-03", "31/03/2020")  # meant 2027
    assert code == 0
    assert lines == [
        "CPFT-03: due set to 2020-03-31",
        "Note: 31 Mar 2020 is in the past, so an action not yet complete shows as overdue. If "
        "that was a slip, set the right date: cpft-tracker due CPFT-03 DATE.",
    ]
    assert next(a for a in json_actions(runner) if a["ref"] == "CPFT-03")["due"] == "2020-03-31"
    # a date from today on says nothing more
    assert run(runner, "due", "CPFT-04", "3/12/2026")[1] == ["CPFT-04: due set to 2026-12-03"]
    # nothing changed, nothing more said
    assert run(runner, "due", "CPFT-03", "31/03/2020")[1] == ["No change: already due then."]


def test_blocked_without_a_reason_asks_for_one(runner: CliRunner, db_path: Path) -> None:
    assert run(runner, "import", str(BUNDLED_REPORT))[0] == 0
    code, lines = run(runner, "status", "CPFT-03", "blocked")
    assert code == 0
    assert lines == [
        "CPFT-03: status: not-started -> blocked",
        "Say what it is waiting for, so the board paper can: cpft-tracker note CPFT-03 "
        "'Waiting for …' (or give --note with the status).",
    ]
    code, lines = run(runner, "status", "CPFT-04", "blocked", "--note", "Waiting for the ICB")
    assert code == 0 and lines == ["CPFT-04: status: not-started -> blocked"]
