"""``import`` takes only CQC reports (issue 11 item 4): a licence, a page about something
else or this tool's own board report is refused with one line, the database unchanged;
``--force`` imports it anyway."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cpft_tracker.cli import app
from tests.conftest import BUNDLED_REPORT, db_state, json_actions, run_cli
from tests.test_extract_document import GARDEN_PAGE, MIT


def _one_line_refusal(stderr: str, name: str) -> None:
    assert stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    assert stderr.startswith(f"Error: {name} does not look like a CQC report: "), stderr
    assert stderr.rstrip().endswith("if it is one, import it anyway with --force."), stderr


def test_a_licence_is_refused_and_the_database_is_unchanged(
    runner: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["import", str(BUNDLED_REPORT)]).exit_code == 0
    before = db_state(db_path)
    licence = tmp_path / "LICENSE.txt"
    licence.write_text(MIT, encoding="utf-8")
    result = run_cli("import", str(licence))
    assert result.returncode == 1
    assert result.stdout == ""
    _one_line_refusal(result.stderr, "LICENSE.txt")
    assert "does not look like a CQC report: it is a software licence. Nothing" in result.stderr
    assert db_state(db_path) == before
    assert len(json_actions(runner)) == 14


def test_no_database_is_made_for_a_refused_file(db_path: Path, tmp_path: Path) -> None:
    page = tmp_path / "tomatoes.html"
    page.write_text(GARDEN_PAGE, encoding="utf-8")
    result = run_cli("import", str(page))
    assert result.returncode == 1
    _one_line_refusal(result.stderr, "tomatoes.html")
    assert not db_path.exists()


def test_one_refused_file_among_several_imports_none(
    runner: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    licence = tmp_path / "LICENSE.txt"
    licence.write_text(MIT, encoding="utf-8")
    result = runner.invoke(app, ["import", str(BUNDLED_REPORT), str(licence)])
    assert result.exit_code == 1
    _one_line_refusal(result.stderr, "LICENSE.txt")
    assert not db_path.exists()


def test_this_tools_own_html_board_report_is_refused(
    runner: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["import", str(BUNDLED_REPORT)]).exit_code == 0
    board = tmp_path / "board.html"
    result = runner.invoke(app, ["export", "--format", "html", "--output", str(board)])
    assert result.exit_code == 0, result.stderr
    before = db_state(db_path)
    result = run_cli("import", str(board))
    assert result.returncode == 1
    _one_line_refusal(result.stderr, "board.html")
    assert "made by cpft-tracker" in result.stderr
    assert db_state(db_path) == before


def test_force_imports_it_anyway_and_says_so_in_the_history(
    runner: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    licence = tmp_path / "LICENSE.txt"
    licence.write_text(MIT, encoding="utf-8")
    result = runner.invoke(app, ["import", "--force", str(licence), "--report", "Licence"])
    assert result.exit_code == 0, result.stderr
    actions = json_actions(runner)
    assert actions and {a["report"] for a in actions} == {"Licence"}
    history = runner.invoke(app, ["history", "--format", "json"])
    events = json.loads(history.stdout)["events"]
    imported = [e for e in events if e["field"] == "report imported"]
    assert (
        imported[0]["note"] == "imported with --force: it is a software licence, not a CQC report"
    )


def test_dry_run_refuses_too(runner: CliRunner, db_path: Path, tmp_path: Path) -> None:
    licence = tmp_path / "LICENSE.txt"
    licence.write_text(MIT, encoding="utf-8")
    result = runner.invoke(app, ["import", "--dry-run", str(licence)])
    assert result.exit_code == 1
    _one_line_refusal(result.stderr, "LICENSE.txt")


def test_the_bundled_report_and_a_pasted_excerpt_still_import(
    runner: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["import", str(BUNDLED_REPORT)])
    assert result.exit_code == 0, result.stderr
    assert len(json_actions(runner)) == 14
    excerpt = tmp_path / "actions.txt"
    excerpt.write_text(
        "Actions from the inspection\n\nThe trust must review its complaints process.\n\n"
        "Leaders must publish a workforce plan.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", str(excerpt), "--report", "Excerpt"])
    assert result.exit_code == 0, result.stderr
    assert len(json_actions(runner, "--report", "Excerpt")) == 2
