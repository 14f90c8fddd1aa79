"""A governance lead's month on the bundled CQC report, driven through the real CLI."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from cpft_tracker.cli import app
from cpft_tracker.extract import extract_requirements
from tests.conftest import (
    BUNDLED_REPORT,
    both_backends,
    db_snapshot,
    is_pg,
    json_actions,
    run_cli,
)


def invoke(runner: CliRunner, *args: str, env: dict[str, str] | None = None):
    result = runner.invoke(app, list(args), env=env)
    assert "Traceback" not in (result.stdout + result.stderr)
    return result


@both_backends
def test_a_governance_leads_month(runner: CliRunner, db_path: Path) -> None:
    expected = extract_requirements(BUNDLED_REPORT.read_text(encoding="utf-8"))
    assert expected, "the bundled report has requirements"

    # Week 1: load the report.
    result = invoke(
        runner, "import", str(BUNDLED_REPORT), env={"CPFT_TRACKER_NOW": "2026-01-05T09:00:00Z"}
    )
    assert result.exit_code == 0, result.stderr
    assert f"{len(expected)} added, 0 already there" in result.stderr
    actions = json_actions(runner)
    assert [a["requirement"] for a in actions] == [r.text for r in expected]
    assert all(a["status"] == "not-started" and a["owner"] is None for a in actions)
    first, second, third = (a["ref"] for a in actions[:3])

    # Give owners and due dates, by reference in any case.
    result = invoke(
        runner,
        "assign",
        first.lower(),
        second,
        "Director of Nursing",
        "--email",
        "dn@example.nhs.uk",
        "--by",
        "Governance Lead",
        env={"CPFT_TRACKER_NOW": "2026-01-06T09:00:00Z"},
    )
    assert result.exit_code == 0, result.stderr
    assert f"{first}: owner set to Director of Nursing" in result.stderr
    result = invoke(
        runner, "due", first, second, "31/03/2026", env={"CPFT_TRACKER_NOW": "2026-01-06T09:05:00Z"}
    )
    assert result.exit_code == 0, result.stderr
    result = invoke(runner, "assign", third, "Chief Executive")
    assert result.exit_code == 0
    result = invoke(runner, "due", third, "30 Apr 26")
    assert result.exit_code == 0

    # Week 2: work starts; a note; one is blocked.
    assert (
        invoke(
            runner, "status", first, "in-progress", "--note", "Board development programme agreed"
        ).exit_code
        == 0
    )
    assert invoke(runner, "note", second, "Coaching provider shortlisted").exit_code == 0
    assert invoke(runner, "status", third, "blocked", "--note", "Waiting for ICB").exit_code == 0

    # Completing without evidence is refused, and changes nothing.
    before = db_snapshot(db_path)
    result = invoke(runner, "status", first, "complete")
    assert result.exit_code == 1
    assert "evidence" in result.stderr and result.stderr.count("\n") == 1
    assert db_snapshot(db_path) == before

    # Week 4: complete with evidence.
    result = invoke(
        runner,
        "status",
        first,
        "complete",
        "--evidence",
        "Board minutes 3 March 2026, item 7",
        "--by",
        "Governance Lead",
    )
    assert result.exit_code == 0, result.stderr

    by_ref = {a["ref"]: a for a in json_actions(runner)}
    assert by_ref[first]["status"] == "complete"
    assert by_ref[first]["evidence"] == "Board minutes 3 March 2026, item 7"
    assert by_ref[first]["rag"] == "blue"
    assert by_ref[first]["owner_email"] == "dn@example.nhs.uk"
    assert by_ref[second]["due"] == "2026-03-31"
    assert by_ref[third]["due"] == "2026-04-30"
    assert by_ref[third]["rag"] == "red"  # blocked is off track

    # show: the requirement verbatim, its paragraph, state and history.
    result = invoke(runner, "show", first)
    assert result.exit_code == 0
    flat = " ".join(result.stdout.split())
    assert " ".join(by_ref[first]["requirement"].split()) in flat
    assert "Board minutes 3 March 2026, item 7" in flat
    assert "status: in-progress -> complete" in flat
    assert "Governance Lead" in flat

    # history: newest first, who and what.
    result = invoke(runner, "history", first, "--format", "json")
    events = json.loads(result.stdout)["events"]
    assert [e["field"] for e in events][:3] == ["status", "evidence", "status"]
    assert events[-1]["field"] == "created"
    assert events[0]["by"] == "Governance Lead"
    assert [e["id"] for e in events] == sorted((e["id"] for e in events), reverse=True)
    owner_event = next(e for e in events if e["field"] == "owner")
    assert owner_event["old"] is None and owner_event["new"] == "Director of Nursing"
    assert owner_event["at"] == "2026-01-06T09:00:00.000000Z"

    # Filters.
    assert [a["ref"] for a in json_actions(runner, "--owner", "director of nursing")] == [
        first,
        second,
    ]
    assert [a["ref"] for a in json_actions(runner, "--status", "blocked")] == [third]
    assert len(json_actions(runner, "--unassigned")) == len(expected) - 3
    assert [a["ref"] for a in json_actions(runner, "--due-before", "1 April 2026")] == [
        first,
        second,
    ]

    # Re-import keeps everything.
    result = invoke(runner, "import", str(BUNDLED_REPORT))
    assert result.exit_code == 0
    assert f"0 added, {len(expected)} already there" in result.stderr
    again = {a["ref"]: a for a in json_actions(runner)}
    for ref in (first, second, third):
        for key in ("owner", "due", "status", "evidence"):
            assert again[ref][key] == by_ref[ref][key]

    # Export for the board paper.
    result = invoke(runner, "export", "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1
    assert len(doc["actions"]) == len(expected)
    assert set(doc["actions"][0]) >= {
        "ref",
        "report",
        "requirement",
        "title",
        "context",
        "section",
        "keyword",
        "quality_statement",
        "owner",
        "owner_email",
        "due",
        "status",
        "rag",
        "evidence",
        "retired",
        "in_source",
        "created_at",
        "updated_at",
        "version",
    }


@both_backends
def test_retired_actions_stay_visible_with_their_reason(runner: CliRunner, db_path: Path) -> None:
    invoke(runner, "import", str(BUNDLED_REPORT))
    ref = json_actions(runner)[0]["ref"]
    result = invoke(runner, "retire", ref, "--reason", "Merged into the leadership action")
    assert result.exit_code == 0
    exported = {a["ref"]: a for a in json.loads(invoke(runner, "export").stdout)["actions"]}
    assert exported[ref]["retired"] == "Merged into the leadership action"
    assert exported[ref]["rag"] is None
    assert "retired: Merged into the leadership action" in invoke(runner, "show", ref).stdout
    assert invoke(runner, "status", ref, "in-progress").exit_code == 1
    assert invoke(runner, "reinstate", ref).exit_code == 0
    assert {a["ref"]: a for a in json_actions(runner)}[ref]["retired"] is None
    # nothing was deleted: the action and both events are there
    fields = [
        e["field"]
        for e in json.loads(invoke(runner, "history", ref, "--format", "json").stdout)["events"]
    ]
    assert fields.count("retired") == 2


def test_titles_and_quality_statements_can_be_corrected(runner: CliRunner) -> None:
    invoke(runner, "import", str(BUNDLED_REPORT))
    ref = json_actions(runner)[0]["ref"]
    assert invoke(runner, "retitle", ref, "Stabilise the board").exit_code == 0
    assert invoke(runner, "classify", ref, "freedom to speak").exit_code == 0
    action = {a["ref"]: a for a in json_actions(runner)}[ref]
    assert action["title"] == "Stabilise the board"
    assert action["quality_statement"] == "Freedom to speak up"
    result = invoke(runner, "classify", ref, "leadership vibes")
    assert result.exit_code == 2
    assert "Shared direction and culture" in result.stderr


def test_dry_run_import_changes_nothing_and_shows_candidates(
    runner: CliRunner, db_path: Path
) -> None:
    result = invoke(runner, "import", "--dry-run", str(BUNDLED_REPORT))
    assert result.exit_code == 0
    assert "would be added" in result.stdout
    assert "Dry run: nothing was changed." in result.stderr
    assert not db_path.exists()
    invoke(runner, "import", str(BUNDLED_REPORT))
    before = db_snapshot(db_path)
    result = invoke(runner, "import", "--dry-run", str(BUNDLED_REPORT))
    assert "already there as" in result.stdout
    assert db_snapshot(db_path) == before


def test_revised_report_adds_new_and_flags_missing_requirements(
    runner: CliRunner, tmp_path: Path
) -> None:
    v1 = tmp_path / "report.txt"
    v1.write_text(
        "Inspection report\n\nThe trust must review its complaints process.\n\n"
        "Leaders must publish a workforce plan.\n",
        encoding="utf-8",
    )
    assert invoke(runner, "import", str(v1), "--report", "Acute wards 2026").exit_code == 0
    refs = {a["requirement"]: a["ref"] for a in json_actions(runner)}
    complaints = refs["The trust must review its complaints process."]
    invoke(runner, "assign", complaints, "Head of Patient Experience")

    v2 = tmp_path / "report-v2.txt"
    v2.write_text(
        "Inspection report\n\nThe   trust must review its\ncomplaints process.\n\n"
        "The trust must appoint a Freedom to Speak Up guardian.\n",
        encoding="utf-8",
    )
    result = invoke(runner, "import", str(v2), "--report", "Acute wards 2026")
    assert result.exit_code == 0
    assert "1 added, 1 already there, 1 no longer in the report" in result.stderr
    after = {a["requirement"]: a for a in json_actions(runner)}
    assert (
        after["The trust must review its complaints process."]["owner"]
        == "Head of Patient Experience"
    )
    assert after["Leaders must publish a workforce plan."]["in_source"] is False
    assert after["The trust must appoint a Freedom to Speak Up guardian."]["in_source"] is True


def test_import_names_the_report_and_refs_are_stable(runner: CliRunner) -> None:
    invoke(runner, "import", str(BUNDLED_REPORT))
    actions = json_actions(runner)
    refs = [a["ref"] for a in actions]
    assert len(set(refs)) == len(refs)
    prefix = refs[0].split("-")[0]
    assert refs == [f"{prefix}-{i:02d}" for i in range(1, len(refs) + 1)]
    assert "SERVICE PROVIDER" not in actions[0]["report"]


def test_database_is_created_private_and_info_reports_it(runner: CliRunner, db_path: Path) -> None:
    assert invoke(runner, "init").exit_code == 0
    if not is_pg(db_path):  # a file (a PostgreSQL database's rights are the server's roles)
        assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    assert invoke(runner, "init").exit_code == 0  # safe twice
    result = invoke(runner, "info", "--format", "json")
    info = json.loads(result.stdout)
    assert info["database"] == str(db_path)
    assert info["schema_version"] >= 1
    assert info["actions"] == 0


def test_db_option_wins_over_environment(
    runner: CliRunner, new_plan_location: Any, db_path: Path
) -> None:
    other = new_plan_location("other.db")
    assert invoke(runner, "--db", str(other), "import", str(BUNDLED_REPORT)).exit_code == 0
    assert other.exists() and not db_path.exists()


def test_real_subprocess_import_list_and_export(new_plan_location: Any) -> None:
    db = new_plan_location("cron.db")
    result = run_cli("--db", str(db), "import", "--example")
    assert result.returncode == 0, result.stderr
    assert "added" in result.stderr and result.stdout == ""
    result = run_cli("--db", str(db), "export", "--format", "json")
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    assert doc["actions"] and doc["schema_version"] == 1
    result = run_cli("--db", str(db), "list", env={"NO_COLOR": "1"})
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout  # piped: no colour codes
    assert doc["actions"][0]["ref"] in result.stdout
    result = run_cli("--db", str(db), "status", doc["actions"][0]["ref"], "finished")
    assert result.returncode == 2
    assert result.stderr.startswith("Error: 'finished' is not a status.")
    assert "Traceback" not in result.stderr


def test_python_dash_m_and_console_script_agree(tmp_path: Path) -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("cpft-tracker ")


def test_press_release_gives_no_actions_and_says_so(runner: CliRunner) -> None:
    from tests.conftest import BUNDLED_PRESS_RELEASE

    result = invoke(runner, "import", str(BUNDLED_PRESS_RELEASE))
    assert result.exit_code == 0
    assert "Found no must/needs requirements in cqc-cpft-press-release-2025.txt" in result.stderr
    assert "Imported" not in result.stderr
    assert json_actions(runner) == []
    assert invoke(runner, "reports").stderr.startswith("No reports yet")


@both_backends
def test_unassign_takes_the_owner_off_and_records_who_had_it(runner: CliRunner) -> None:
    invoke(runner, "import", str(BUNDLED_REPORT))
    ref = json_actions(runner)[0]["ref"]
    assert invoke(runner, "assign", ref, "Chief Nurse").exit_code == 0
    result = invoke(runner, "unassign", ref, "--note", "post vacant")
    assert result.exit_code == 0
    assert f"{ref}: owner cleared (was Chief Nurse)" in result.stderr
    assert {a["ref"]: a for a in json_actions(runner)}[ref]["owner"] is None
    event = json.loads(invoke(runner, "history", ref, "--format", "json").stdout)["events"][0]
    assert (event["field"], event["old"], event["new"], event["note"]) == (
        "owner",
        "Chief Nurse",
        None,
        "post vacant",
    )
    assert "No change" in invoke(runner, "unassign", ref).stderr
