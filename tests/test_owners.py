"""Typos become data no more (issue 13): "did you mean", --new-owner, owners rename/merge/email."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpft_tracker.cli import app
from cpft_tracker.suggest import nearest, nearest_ref
from tests.conftest import BUNDLED_REPORT, db_snapshot, json_actions, run_cli


def invoke(runner: CliRunner, *args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in (result.stdout + result.stderr)
    return result


@pytest.fixture
def plan(runner: CliRunner) -> None:
    assert invoke(runner, "import", str(BUNDLED_REPORT)).exit_code == 0
    result = invoke(
        runner, "assign", "CPFT-01", "CPFT-02", "Director of Nursing", "--email", "dn@nhs.net"
    )
    assert result.exit_code == 0, result.stderr
    assert invoke(runner, "assign", "CPFT-03", "Medical Director").exit_code == 0


def owners_of(runner: CliRunner) -> dict[str, str | None]:
    return {a["ref"]: a["owner"] for a in json_actions(runner)}


def events_of(runner: CliRunner, ref: str) -> list[dict]:
    return json.loads(invoke(runner, "history", ref, "--format", "json").stdout)["events"]


def test_a_name_close_to_an_owner_is_refused_with_the_name_it_resembles(
    plan: None, runner: CliRunner, db_path: Path
) -> None:
    before = db_snapshot(db_path)
    result = invoke(runner, "assign", "CPFT-04", "Director of Nursng")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: No owner called 'Director of Nursng'. Did you mean 'Director of Nursing'? "
        "To add a new owner, repeat with --new-owner.\n"
    )
    assert db_snapshot(db_path) == before
    again = invoke(runner, "assign", "CPFT-04", "Director of Nursng", "--new-owner")
    assert again.exit_code == 0, again.stderr
    assert owners_of(runner)["CPFT-04"] == "Director of Nursng"
    # a name that is not close to anyone is a new owner, as before; the same name in
    # another case is the same owner
    assert invoke(runner, "assign", "CPFT-05", "Chief Executive").exit_code == 0
    assert invoke(runner, "assign", "CPFT-06", "director of nursing").exit_code == 0
    assert owners_of(runner)["CPFT-06"] == "Director of Nursing"


def test_a_new_email_for_an_existing_owner_is_said_aloud(plan: None, runner: CliRunner) -> None:
    result = invoke(runner, "assign", "CPFT-04", "Director of Nursing", "--email", "new@nhs.net")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "Director of Nursing's email address changed from dn@nhs.net to new@nhs.net "
        "on all their 3 actions."
    )
    emails = {a["ref"]: a["owner_email"] for a in json_actions(runner)}
    assert emails["CPFT-01"] == emails["CPFT-04"] == "new@nhs.net"
    assert any(
        e["field"] == "owner_email" and e["new"] == "new@nhs.net"
        for e in events_of(runner, "CPFT-01")
    )
    same = invoke(runner, "assign", "CPFT-05", "Director of Nursing", "--email", "new@nhs.net")
    assert "email address changed" not in same.stderr


def test_list_owner_that_matches_nothing_suggests_the_nearest(
    plan: None, runner: CliRunner
) -> None:
    result = invoke(runner, "list", "--owner", "Director of Nurse")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: No owner called 'Director of Nurse'. Did you mean 'Director of Nursing'? "
        "Run 'cpft-tracker owners' to see the owners.\n"
    )
    assert result.stdout == ""
    far = invoke(runner, "list", "--owner", "Nobody Like Them", "--format", "json")
    assert far.exit_code == 1 and "Did you mean" not in far.stderr
    # an owner with nothing matching the other filters is not an error
    fine = invoke(runner, "list", "--owner", "Medical Director", "--status", "complete")
    assert fine.exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["show", "CPFT-1"],
        ["history", "CPFT-1"],
        ["note", "CPFT-1", "text"],
        ["status", "CPFT-1", "in-progress"],
        ["assign", "CPFT-1", "Medical Director"],
        ["due", "cpft1", "+30d"],
        ["retire", "CPFT 01", "--reason", "x"],
        ["merge", "CPFT-1", "INTO", "CPFT-02"],
    ],
)
def test_an_unknown_ref_suggests_the_nearest_in_every_command(
    plan: None, runner: CliRunner, db_path: Path, args: list[str]
) -> None:
    before = db_snapshot(db_path)
    result = invoke(runner, *args)
    assert result.exit_code == 1
    wrong = args[1]
    assert result.stderr == (
        f"Error: No action with reference {wrong}. Did you mean CPFT-01? "
        "Run 'cpft-tracker list' to see the references.\n"
    )
    assert db_snapshot(db_path) == before


def test_nearest_helpers() -> None:
    refs = ["CPFT-01", "CPFT-10", "WL-03"]
    assert nearest_ref("CPFT-1", refs) == "CPFT-01"
    assert nearest_ref("cpft 010", refs) == "CPFT-10"
    assert nearest_ref("WL3", refs) == "WL-03"
    assert nearest_ref("ZZZZZZ", refs) is None
    # a letter typed for a digit: O for 0, l or I for 1
    assert nearest_ref("CPFT-O1", refs + ["CPFT-14"]) == "CPFT-01"
    assert nearest_ref("CPFT-l0", refs) == "CPFT-10"
    assert nearest("director of nurse", ["Director of Nursing", "Medical Director"]) == (
        "Director of Nursing"
    )


def test_owners_bare_still_lists(plan: None, runner: CliRunner) -> None:
    result = run_cli("owners")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Director of Nursing <dn@nhs.net>: 2 actions",
        "Medical Director (no email address): 1 action",
    ]


def test_owners_rename_keeps_every_actions_history(plan: None, runner: CliRunner) -> None:
    result = invoke(runner, "owners", "rename", "Director of Nursing", "Chief Nurse")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "Renamed Director of Nursing to Chief Nurse on 2 actions.\n"
    owners = owners_of(runner)
    assert owners["CPFT-01"] == owners["CPFT-02"] == "Chief Nurse"
    for ref in ("CPFT-01", "CPFT-02"):
        changes = [(e["field"], e["old"], e["new"]) for e in events_of(runner, ref)]
        assert ("owner", "Director of Nursing", "Chief Nurse") in changes
        assert ("owner", None, "Director of Nursing") in changes  # the first assignment, kept
    emails = {a["ref"]: a["owner_email"] for a in json_actions(runner)}
    assert emails["CPFT-01"] == "dn@nhs.net"
    assert "Chief Nurse <dn@nhs.net>: 2 actions" in invoke(runner, "owners").stdout


def test_owners_rename_refusals(plan: None, runner: CliRunner, db_path: Path) -> None:
    before = db_snapshot(db_path)
    taken = invoke(runner, "owners", "rename", "Medical Director", "director of nursing")
    assert taken.exit_code == 1
    assert taken.stderr == (
        "Error: There is already an owner called 'Director of Nursing'. To give Medical Director's "
        "actions to them, run: cpft-tracker owners merge 'Medical Director' INTO 'Director of Nursing'.\n"
    )
    typo = invoke(runner, "owners", "rename", "Director of Nursng", "X")
    assert typo.stderr == (
        "Error: No owner called 'Director of Nursng'. Did you mean 'Director of Nursing'? "
        "Run 'cpft-tracker owners' to see the owners.\n"
    )
    assert db_snapshot(db_path) == before


def test_owners_merge_moves_every_action_and_keeps_history(plan: None, runner: CliRunner) -> None:
    invoke(runner, "assign", "CPFT-04", "Director of Nursng", "--new-owner")
    result = invoke(runner, "owners", "merge", "Director of Nursng", "INTO", "Director of Nursing")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "Merged Director of Nursng into Director of Nursing: 1 action moved to Director of Nursing.\n"
    )
    assert owners_of(runner)["CPFT-04"] == "Director of Nursing"
    changes = [(e["field"], e["old"], e["new"]) for e in events_of(runner, "CPFT-04")]
    assert ("owner", "Director of Nursng", "Director of Nursing") in changes
    assert ("owner", None, "Director of Nursng") in changes
    listed = invoke(runner, "owners").stdout
    assert "Nursng" not in listed and "Director of Nursing <dn@nhs.net>: 3 actions" in listed
    # info counts the owners as owners lists them
    assert json.loads(invoke(runner, "info", "--format", "json").stdout)["owners"] == 2
    # the merged-away name now means the owner it was merged into
    invoke(runner, "assign", "CPFT-05", "Director of Nursng")
    assert owners_of(runner)["CPFT-05"] == "Director of Nursing"
    same = invoke(runner, "owners", "merge", "Director of Nursing", "into", "director of nursing")
    assert same.exit_code == 1
    word = invoke(runner, "owners", "merge", "A", "TO", "B")
    assert word.exit_code == 2 and word.stderr.startswith("Error: Write the word INTO")
    forgotten = invoke(runner, "owners", "merge", "Director of Nursng", "Director of Nursing")
    assert forgotten.exit_code == 2
    assert forgotten.stderr == (
        "Error: Say which way round with the word INTO: 'cpft-tracker owners merge \"Director of "
        'Nursng" INTO "Director of Nursing"\' gives Director of Nursng\'s actions to Director of '
        'Nursing; \'cpft-tracker owners merge "Director of Nursing" INTO "Director of Nursng"\' '
        "is the other way round.\n"
    )


def test_owners_email_changes_it_on_all_their_actions(
    plan: None, runner: CliRunner, db_path: Path
) -> None:
    result = invoke(runner, "owners", "email", "director of nursing", "lead@nhs.net")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "Director of Nursing's email address changed from dn@nhs.net to lead@nhs.net on all their 2 actions.\n"
    )
    emails = {a["ref"]: a["owner_email"] for a in json_actions(runner)}
    assert emails["CPFT-01"] == emails["CPFT-02"] == "lead@nhs.net"
    for ref in ("CPFT-01", "CPFT-02"):
        assert any(
            e["field"] == "owner_email" and e["old"] == "dn@nhs.net" and e["new"] == "lead@nhs.net"
            for e in events_of(runner, ref)
        )
    before = db_snapshot(db_path)
    bad = invoke(runner, "owners", "email", "Director of Nursing", "not-an-address")
    assert bad.exit_code == 2
    unknown = invoke(runner, "owners", "email", "Director of Nurse", "x@nhs.net")
    assert unknown.exit_code == 1 and "Did you mean 'Director of Nursing'?" in unknown.stderr
    assert db_snapshot(db_path) == before
    cleared = invoke(runner, "owners", "email", "Medical Director", "none")
    assert cleared.stderr == "No change: that is already the owner's email address.\n"


def test_the_plan_as_it_stood_before_a_rename_shows_the_old_name_and_address(
    runner: CliRunner,
) -> None:
    def at(when: str, *args: str):
        env = {"CPFT_TRACKER_NOW": when, "CPFT_TRACKER_TODAY": when[:10]}
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code == 0, result.stderr
        return result

    at("2026-01-05T09:00:00Z", "import", str(BUNDLED_REPORT))
    at("2026-01-06T09:00:00Z", "assign", "CPFT-01", "Director of Nursing", "--email", "dn@nhs.net")
    at("2026-02-10T09:00:00Z", "owners", "rename", "Director of Nursing", "Chief Nurse")
    at("2026-02-11T09:00:00Z", "owners", "email", "Chief Nurse", "cn@nhs.net")
    then = at("2026-02-12T09:00:00Z", "list", "--as-of", "2026-01-31", "--format", "json")
    first = json.loads(then.stdout)["actions"][0]
    assert (first["owner"], first["owner_email"]) == ("Director of Nursing", "dn@nhs.net")
    mid = at("2026-02-12T09:00:00Z", "list", "--as-of", "2026-02-10", "--format", "json")
    first = json.loads(mid.stdout)["actions"][0]
    assert (first["owner"], first["owner_email"]) == ("Chief Nurse", "dn@nhs.net")
    now = json.loads(at("2026-02-12T09:00:00Z", "list", "--format", "json").stdout)["actions"][0]
    assert (now["owner"], now["owner_email"]) == ("Chief Nurse", "cn@nhs.net")


def test_names_with_other_numbers_are_other_owners(runner: CliRunner) -> None:
    assert invoke(runner, "import", str(BUNDLED_REPORT)).exit_code == 0
    assert invoke(runner, "assign", "CPFT-01", "Ward 1 Manager").exit_code == 0
    result = invoke(runner, "assign", "CPFT-02", "Ward 2 Manager")
    assert result.exit_code == 0, result.stderr
    assert invoke(runner, "assign", "CPFT-03", "Ward 1 Manger").exit_code == 1


def test_plan_load_suggests_the_nearest_ref(plan: None, runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("ref,title\r\nCPFT-1,A better title\r\n", encoding="utf-8")
    result = invoke(runner, "plan", "load", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Row 2 (CPFT-1): there is no action CPFT-1. Did you mean CPFT-01? "
        "Check the reference against 'cpft-tracker list'."
    )


def test_plan_load_refuses_a_typo_of_an_owner_unless_new_owner(
    plan: None, runner: CliRunner, tmp_path: Path, db_path: Path
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("ref,owner\r\nCPFT-04,Director of Nursng\r\n", encoding="utf-8")
    before = db_snapshot(db_path)
    result = invoke(runner, "plan", "load", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Row 2 (CPFT-04): there is no owner called 'Director of Nursng': did you mean "
        "'Director of Nursing'? (if it is a new owner, run plan load again with --new-owner)."
    )
    assert db_snapshot(db_path) == before
    again = invoke(runner, "plan", "load", str(path), "--new-owner")
    assert again.exit_code == 0, again.stderr
    assert owners_of(runner)["CPFT-04"] == "Director of Nursng"
