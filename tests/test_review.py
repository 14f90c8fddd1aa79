"""Review before it counts (issue 11 item 3): each action records why it was taken and how
sure the extractor was; the doubtful ones wait for a person (``review``, ``accept``,
``reject``) and are not counted until accepted."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from cpft_tracker.cli import app
from tests.conftest import BUNDLED_REPORT, db_snapshot, is_pg, json_actions, run_cli

# The bundled report's summary and detail both ask for more co-production: the extractor
# flags them as possibly the same, so they wait for review; the other 12 are confident.
AWAITING = ["CPFT-10", "CPFT-14"]


def _import(runner: CliRunner) -> str:
    result = runner.invoke(app, ["import", str(BUNDLED_REPORT)])
    assert result.exit_code == 0, result.stderr
    return result.stderr


def test_each_action_records_why_it_was_taken_and_how_sure(runner: CliRunner) -> None:
    _import(runner)
    actions = {a["ref"]: a for a in json_actions(runner)}
    assert len(actions) == 14
    first = actions["CPFT-01"]
    assert (first["matched"], first["rule"], first["confidence"]) == ("must ensure", "must", "high")
    assert (first["review"], first["review_reason"]) == ("accepted", None)
    assert sorted(r for r, a in actions.items() if a["review"] == "awaiting") == AWAITING
    assert actions["CPFT-10"]["review_reason"] == "may state the same thing as CPFT-14"
    assert actions["CPFT-14"]["review_reason"] == "may state the same thing as CPFT-10"
    assert {a["review"] for a in actions.values()} == {"accepted", "awaiting"}
    assert all(a["rule"] and a["confidence"] in ("high", "medium", "low") for a in actions.values())


def test_show_and_csv_carry_them(runner: CliRunner) -> None:
    _import(runner)
    # the labels are aligned to the longest one shown, so compare with the spacing collapsed
    shown = " ".join(runner.invoke(app, ["show", "CPFT-10"]).stdout.split())
    assert (
        "Taken because: 'needing': '<something> needing <something>' (medium confidence)" in shown
    )
    assert "Review: awaiting review (may state the same thing as CPFT-14)" in shown
    text = runner.invoke(app, ["export", "--format", "csv"]).stdout
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["review"] for r in rows].count("awaiting") == 2
    assert rows[0]["rule"] == "must" and rows[0]["matched"] == "must ensure"


def test_import_names_the_ones_to_look_at_and_the_next_command(
    runner: CliRunner, db_path: Path
) -> None:
    err = _import(runner)
    # a new SQLite plan says where it is (a mistyped --db starts one); a PostgreSQL one is
    # created by whoever runs the server
    new = "" if is_pg(db_path) else f"This is a new plan, at {db_path}.\n"
    assert (
        "2 need a human look before they count in progress:\n"
        "  CPFT-10: may state the same thing as CPFT-14\n"
        "  CPFT-14: may state the same thing as CPFT-10\n"
        f"{new}"
        "Next: run cpft-tracker review to accept or reject them"
    ) in err
    again = _import(runner)
    assert "need a human look" not in again
    assert "This is a new plan" not in again
    assert "2 actions still await review: run cpft-tracker review." in again


def test_a_dry_run_names_them_too_and_changes_nothing(runner: CliRunner, db_path: Path) -> None:
    result = runner.invoke(app, ["import", "--dry-run", str(BUNDLED_REPORT)])
    assert result.exit_code == 0
    assert "2 would need a human look before they count in progress:\n" in result.stderr
    assert "  CPFT-10: may state the same thing as CPFT-14\n" in result.stderr
    assert not db_path.exists()


def _events(runner: CliRunner, ref: str) -> list[dict]:
    result = runner.invoke(app, ["history", ref, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["events"]


def test_accept_and_reject_for_scripts_are_audited(runner: CliRunner) -> None:
    _import(runner)
    result = runner.invoke(app, ["accept", "CPFT-10", "--by", "Jo Lead"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "CPFT-10: accepted: tracked and counted in progress.\n"
    [event] = [e for e in _events(runner, "CPFT-10") if e["field"] != "created"]
    assert (event["field"], event["old"], event["new"], event["by"]) == (
        "review",
        "awaiting",
        "accepted",
        "Jo Lead",
    )
    result = runner.invoke(app, ["reject", "CPFT-14", "--reason", "the same as CPFT-10"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "CPFT-14: rejected: not a requirement (retired).\n"
    actions = {a["ref"]: a for a in json_actions(runner)}
    assert actions["CPFT-10"]["review"] == "accepted" and actions["CPFT-10"]["retired"] is None
    assert actions["CPFT-14"]["review"] == "rejected"
    assert actions["CPFT-14"]["retired"] == "not a requirement: the same as CPFT-10"
    review = [e for e in _events(runner, "CPFT-14") if e["field"] == "review"]
    assert [(e["old"], e["new"], e["note"]) for e in review] == [
        ("awaiting", "rejected", "the same as CPFT-10")
    ]


def test_accept_of_an_accepted_one_says_so(runner: CliRunner, db_path: Path) -> None:
    _import(runner)
    before = db_snapshot(db_path)
    result = runner.invoke(app, ["accept", "cpft-01"])
    assert result.exit_code == 0
    assert result.stderr == "CPFT-01: already accepted; nothing changed.\n"
    assert db_snapshot(db_path) == before


def test_an_unknown_ref_is_a_plain_error_and_changes_nothing(
    runner: CliRunner, db_path: Path
) -> None:
    _import(runner)
    before = db_snapshot(db_path)
    for args in (
        ["accept", "CPFT-10", "CPFT-99"],
        ["reject", "CPFT-10", "NOPE-1", "--reason", "x"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: No action"), (
            result.stderr
        )
        assert db_snapshot(db_path) == before
    result = runner.invoke(app, ["reject", "CPFT-10", "--reason", "  "])
    assert result.exit_code == 2 and result.stderr.startswith("Error: Give the reason")
    assert db_snapshot(db_path) == before


def test_a_rejected_candidate_stays_rejected_when_the_report_is_imported_again(
    runner: CliRunner,
) -> None:
    _import(runner)
    assert runner.invoke(app, ["reject", "CPFT-14", "--reason", "duplicate"]).exit_code == 0
    again = runner.invoke(app, ["import", str(BUNDLED_REPORT)])
    assert again.exit_code == 0 and "0 added, 14 already there" in again.stderr
    actions = {a["ref"]: a for a in json_actions(runner)}
    assert len(actions) == 14
    assert actions["CPFT-14"]["review"] == "rejected"
    assert actions["CPFT-14"]["retired"] == "not a requirement: duplicate"
    assert actions["CPFT-10"]["review"] == "awaiting"


def test_accept_takes_a_rejection_back(runner: CliRunner) -> None:
    _import(runner)
    assert runner.invoke(app, ["reject", "CPFT-14", "--reason", "duplicate"]).exit_code == 0
    assert runner.invoke(app, ["accept", "CPFT-14"]).exit_code == 0
    a = {a["ref"]: a for a in json_actions(runner)}["CPFT-14"]
    assert (a["review"], a["retired"]) == ("accepted", None)


def test_review_refuses_without_a_terminal(db_path: Path) -> None:
    assert run_cli("import", str(BUNDLED_REPORT)).returncode == 0
    before = db_snapshot(db_path)
    result = run_cli("review", input="a\n")
    assert result.returncode == 1
    assert result.stderr == (
        "Error: review asks questions, so it needs a terminal. In a script use "
        "'cpft-tracker accept REF...' or 'cpft-tracker reject REF... --reason TEXT' "
        '(cpft-tracker list --format json shows which are "awaiting").\n'
    )
    assert db_snapshot(db_path) == before


def _progress(runner: CliRunner, *args: str) -> dict:
    result = runner.invoke(app, ["progress", "--format", "json", *args])
    assert result.exit_code == 0 and result.stderr == "", result.stderr
    return json.loads(result.stdout)


WAITING = "2 actions awaiting review (not counted above): run cpft-tracker review."


def test_progress_counts_only_tracked_actions_and_says_how_many_await_review(
    runner: CliRunner,
) -> None:
    runner.invoke(
        app, ["import", str(BUNDLED_REPORT)], env={"CPFT_TRACKER_NOW": "2026-01-05T09:00:00Z"}
    )
    figures = _progress(runner)
    assert (figures["total"], figures["awaiting_review"], figures["retired"]) == (12, 2, 0)
    assert sum(g["total"] for g in figures["by_status"]) == 12
    screen = runner.invoke(app, ["progress"])
    assert "Complete  0 of 12 (0.0%)" in screen.stdout
    assert screen.stderr == WAITING + "\n"

    env = {"CPFT_TRACKER_NOW": "2026-01-07T09:00:00Z"}
    assert runner.invoke(app, ["accept", "CPFT-10"], env=env).exit_code == 0
    assert runner.invoke(app, ["reject", "CPFT-14", "--reason", "dup"], env=env).exit_code == 0
    figures = _progress(runner)
    # the rejected one is not a requirement: neither tracked nor counted as retired
    assert (figures["total"], figures["awaiting_review"], figures["retired"]) == (13, 0, 0)
    assert runner.invoke(app, ["progress"]).stderr == ""
    # as the plan stood before the review, both were still waiting
    before = _progress(runner, "--as-of", "2026-01-06")
    assert (before["total"], before["awaiting_review"]) == (12, 2)


def test_the_board_paper_says_how_many_await_review(runner: CliRunner) -> None:
    _import(runner)
    paper = runner.invoke(app, ["export", "--format", "markdown"]).stdout
    assert "| Actions tracked | 12 |" in paper
    assert f"\n{WAITING}\n" in paper
    assert "| CPFT-10 |" not in paper and "| CPFT-01 |" in paper
    html = runner.invoke(app, ["export", "--format", "html"]).stdout
    assert f'<p id="awaiting">{WAITING}</p>' in html
    assert "<strong>0 of 12</strong> tracked actions complete" in html
    # json and csv are for scripts: every action, with its review state
    assert len(json_actions(runner)) == 14
    assert runner.invoke(app, ["accept", "CPFT-10", "CPFT-14"]).exit_code == 0
    paper = runner.invoke(app, ["export", "--format", "markdown"]).stdout
    assert "awaiting review" not in paper and "| Actions tracked | 14 |" in paper


def test_list_marks_the_ones_awaiting_review(runner: CliRunner) -> None:
    _import(runner)
    lines = runner.invoke(app, ["list"], env={"COLUMNS": "200"}).stdout.splitlines()
    marked = [line.split()[0] for line in lines if "[awaiting review]" in line]
    assert marked == AWAITING
