"""What a newcomer trips over: the README and docs against what the tool really does, and
the messages for the mistakes people make first (a number they mistype, a word they leave
out, a backup folder that is not there yet)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cpft_tracker.cli import COMMANDS, app
from tests.conftest import BUNDLED_REPORT, ROOT, db_snapshot, is_pg

README = (ROOT / "README.md").read_text(encoding="utf-8")
SCHEMAS = (ROOT / "docs" / "json-schemas.md").read_text(encoding="utf-8")


@pytest.fixture
def loaded(runner: CliRunner, db_path: Path) -> list[str]:
    """The bundled report imported; returns the refs."""
    assert runner.invoke(app, ["import", str(BUNDLED_REPORT)]).exit_code == 0
    result = runner.invoke(app, ["list", "--format", "json"])
    return [a["ref"] for a in json.loads(result.stdout)["actions"]]


def refused(runner: CliRunner, db_path: Path, args: list[str], code: int) -> str:
    """One 'Error: ...' line on stderr, exit ``code``, no traceback, the database unchanged."""
    before = db_snapshot(db_path)
    result = runner.invoke(app, args)
    assert result.exit_code == code, (result.stdout, result.stderr)
    err = result.stderr
    assert err.startswith("Error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err + result.stdout
    assert db_snapshot(db_path) == before
    return err


# -- the README's command table ---------------------------------------------------------


def test_the_readme_command_table_lists_every_command() -> None:
    table = README.split("### Commands", 1)[1].split("\n\n", 2)[1]
    first_cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    named = {m for cell in first_cells for m in re.findall(r"`([a-z-]+)", cell)}
    missing = sorted(set(COMMANDS) - named)
    assert not missing, f"README's command table does not list: {missing}"


# -- statuses: every word accepted is listed where statuses are -----------------------------


def test_every_status_word_accepted_is_listed_in_the_readme_help_and_the_error(
    runner: CliRunner, db_path: Path, loaded: list[str]
) -> None:
    from cpft_tracker.models import STATUS_ALIASES, STATUSES

    row = next(line for line in README.splitlines() if line.startswith("| `status REF"))
    for word in (*STATUSES, *STATUS_ALIASES):
        assert f"`{word}`" in row, word
    helped = " ".join(runner.invoke(app, ["status", "--help"]).stdout.split())
    listed = (
        "not-started (or open), in-progress (or started), blocked or complete (or done, completed)"
    )
    assert listed in helped
    assert refused(runner, db_path, ["status", loaded[0], "finished"], 2) == (
        f"Error: 'finished' is not a status. Use one of: {listed}.\n"
    )
    # and each alias does what the list says
    for alias, meant in STATUS_ALIASES.items():
        args = ["status", loaded[1], alias, "--evidence", "Board minutes, item 7"]
        assert runner.invoke(app, args).exit_code == 0
        shown = json.loads(runner.invoke(app, ["list", "--format", "json"]).stdout)["actions"]
        assert {a["ref"]: a["status"] for a in shown}[loaded[1]] == meant, alias


# -- JSON examples in the docs have the keys the tool prints --------------------------------


def json_blocks(text: str) -> list[Any]:
    """Every ```json block of a document that parses (the examples with … in them do)."""
    blocks = []
    for body in re.findall(r"```json\n(.*?)```", text, re.DOTALL):
        try:
            blocks.append(json.loads(body))
        except json.JSONDecodeError:  # pragma: no cover - a fragment, not a whole document
            continue
    return blocks


def example_with(text: str, key: str) -> dict[str, Any]:
    return next(b for b in json_blocks(text) if isinstance(b, dict) and key in b)


def test_readme_export_example_has_every_key_export_prints(
    runner: CliRunner, loaded: list[str]
) -> None:
    real = json.loads(runner.invoke(app, ["export", "--format", "json"]).stdout)
    doc = example_with(README, "actions")
    assert set(doc) == set(real)
    assert set(doc["actions"][0]) == set(real["actions"][0])


def test_json_schemas_examples_have_every_key_the_tool_prints(
    runner: CliRunner, loaded: list[str]
) -> None:
    export = json.loads(runner.invoke(app, ["export", "--format", "json"]).stdout)
    doc = example_with(SCHEMAS, "actions")
    assert set(doc) == set(export)
    assert set(doc["actions"][0]) == set(export["actions"][0])

    progress = json.loads(runner.invoke(app, ["progress", "--format", "json"]).stdout)
    doc = example_with(SCHEMAS, "percent_complete")
    assert set(doc) == set(progress)
    assert set(doc["by_owner"][0]) == set(progress["by_owner"][0])

    show = json.loads(runner.invoke(app, ["show", loaded[0], "--format", "json"]).stdout)
    doc = example_with(SCHEMAS, "history")
    assert set(doc) == set(show)
    assert set(doc["history"][0]) == set(show["history"][0])

    check = json.loads(runner.invoke(app, ["check", "--format", "json"]).stdout)
    doc = example_with(SCHEMAS, "checks")
    assert set(doc) == set(check)
    documented = [c["name"] for c in doc["checks"]]
    if is_pg(os.environ["CPFT_TRACKER_DB"]):  # no -wal/-shm files: that check is SQLite's only
        documented.remove("journal files")
    assert documented == [c["name"] for c in check["checks"]]


def test_remind_json_example_has_every_key_remind_prints(
    runner: CliRunner, loaded: list[str]
) -> None:
    runner.invoke(app, ["assign", loaded[0], "Director of Nursing", "--email", "dn@example.nhs.uk"])
    runner.invoke(app, ["due", loaded[0], "+3d"])
    real = json.loads(runner.invoke(app, ["remind", "--format", "json", "--dry-run"]).stdout)
    doc = example_with((ROOT / "docs" / "remind-json.md").read_text(encoding="utf-8"), "counts")
    assert set(doc) == set(real)
    assert set(doc["counts"]) == set(real["counts"])
    assert set(doc["owners"][0]["actions"][0]) == set(real["owners"][0]["actions"][0])
    assert set(doc["delivery"][0]) == set(real["delivery"][0])


# -- messages for the first mistakes -----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["progress", "--window", "abc"], "--window takes a whole number, e.g. --window 14"),
        (["list", "--limit", "x"], "--limit takes a whole number, e.g. --limit 20"),
        (
            ["status", "{ref}", "in-progress", "--if-unchanged-since", "abc"],
            "--if-unchanged-since takes a whole number, e.g. --if-unchanged-since 57",
        ),
        (
            ["status", "{ref}", "in-progress", "--if-unchanged-since", "-4"],
            "--if-unchanged-since must be 0 or more",
        ),
        (
            ["remind", "--smtp-port", "abc"],
            "--smtp-port (or CPFT_TRACKER_SMTP_PORT) takes a whole number, e.g. --smtp-port 587",
        ),
    ],
)
def test_a_number_that_cannot_be_read_is_named_in_plain_words(
    runner: CliRunner, db_path: Path, loaded: list[str], args: list[str], expected: str
) -> None:
    err = refused(runner, db_path, [a.format(ref=loaded[0]) for a in args], 2)
    assert expected in err
    assert "Input should be" not in err and "parse string" not in err


def test_merge_without_into_shows_how_it_is_written(
    runner: CliRunner, db_path: Path, loaded: list[str]
) -> None:
    err = refused(runner, db_path, ["merge", loaded[2], loaded[3]], 2)
    assert f"'cpft-tracker merge {loaded[3]} INTO {loaded[2]}' keeps {loaded[2]}" in err
    assert "Missing argument" not in err


@pytest.mark.sqlite_only(reason="backup writes a copy of the SQLite file")
def test_backup_into_a_folder_that_is_not_there_makes_no_file(
    runner: CliRunner, db_path: Path, loaded: list[str], tmp_path: Path
) -> None:
    # `backup backups/` used to write a FILE called backups (the slash was dropped)
    err = refused(runner, db_path, ["backup", f"{tmp_path / 'backups'}/"], 1)
    assert "does not exist" in err and "mkdir -p" in err
    assert not (tmp_path / "backups").exists()
    (tmp_path / "backups").mkdir()
    result = runner.invoke(app, ["backup", f"{tmp_path / 'backups'}/"])
    assert result.exit_code == 0, result.stderr
    assert [p.name.startswith("cpft-tracker-") for p in (tmp_path / "backups").iterdir()] == [True]


def test_architecture_names_every_module() -> None:
    layout = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    unnamed = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "cpft_tracker").rglob("*.py")
        if not re.search(rf"\b{re.escape(path.stem)}\.py", layout)
    )
    assert not unnamed, f"ARCHITECTURE.md does not name: {unnamed}"


@pytest.mark.parametrize("command", ["list", "export", "progress"])
def test_a_report_name_that_is_no_report_is_named_not_shown_as_empty(
    runner: CliRunner, db_path: Path, loaded: list[str], command: str
) -> None:
    # `list --report CPF` used to print "No actions match", as if the report had none
    err = refused(runner, db_path, [command, "--report", "CPF"], 1)
    assert "No report called 'CPF'. Did you mean 'CPFT'?" in err
    assert "cpft-tracker reports" in err
    result = runner.invoke(app, ["list", "--report", "cpft", "--format", "json"])
    assert len(json.loads(result.stdout)["actions"]) == len(loaded)


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["list", "--owner"], "cpft-tracker list --help"),
        (["status", "{ref}", "in-progress", "--note"], "cpft-tracker status --help"),
        (["remind", "--within"], "cpft-tracker remind --help"),
    ],
)
def test_an_option_without_its_value_points_at_its_own_command_help(
    runner: CliRunner, db_path: Path, loaded: list[str], args: list[str], where: str
) -> None:
    # it said "Run 'cpft-tracker --help'", whose page does not list the command's options
    err = refused(runner, db_path, [a.format(ref=loaded[0]) for a in args], 2)
    assert "requires an argument" in err and f"Run '{where}'" in err
