"""One plan for a team (issue 12): no lost updates from a stale spreadsheet, versions for scripts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BUNDLED_REPORT, PgDatabase, both_backends, run_cli, setup_cli

LEAD = {"CPFT_TRACKER_USER": "Gov Lead"}
COLLEAGUE = {"CPFT_TRACKER_USER": "Jo Colleague", "CPFT_TRACKER_NOW": "2026-11-10T14:03:00Z"}


def cli(*args: str, env: dict[str, str] | None = None, code: int = 0) -> str:
    proc = run_cli(*args, env={"CPFT_TRACKER_TODAY": "2026-11-20", **(env or {})})
    assert "Traceback" not in proc.stderr
    assert proc.returncode == code, proc.stderr
    return proc.stderr


def setup(*args: str, env: dict[str, str] | None = None) -> None:
    """``cli`` for a fixture's set-up: the same command, run in this process."""
    setup_cli(*args, env={"CPFT_TRACKER_TODAY": "2026-11-20", **(env or {})})


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
    if isinstance(db, PgDatabase):
        return db.snapshot().encode()
    return b"".join(p.read_bytes() for p in sorted(db.parent.glob(db.name + "*")))


@pytest.fixture
def plan(db_path: Path) -> Path:
    """The bundled report imported on 1 November 2026; CPFT-05 due 31 Dec 2026."""
    setup("import", str(BUNDLED_REPORT), env={**LEAD, "CPFT_TRACKER_NOW": "2026-11-01T09:00:00Z"})
    setup("due", "CPFT-05", "31/12/2026", env={**LEAD, "CPFT_TRACKER_NOW": "2026-11-02T09:00:00Z"})
    return db_path


@pytest.fixture
def stale(plan: Path, tmp_path: Path) -> Path:
    """The issue's story: a template, then a colleague moves CPFT-05's due date and status."""
    target = tmp_path / "stale.csv"
    setup("plan", "template", "-o", str(target), env={"CPFT_TRACKER_NOW": "2026-11-03T09:00:00Z"})
    setup("due", "CPFT-05", "28 Feb 2027", env=COLLEAGUE)
    setup("status", "CPFT-05", "in-progress", env=COLLEAGUE)
    edit(target, "CPFT-05", "due", "31/01/2027")
    return target


def test_the_template_carries_each_actions_version(plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    cli("plan", "template", "-o", str(target))
    rows = rows_of(target)
    assert rows[0][-1] == "version (do not edit)"
    by_ref = {r[0]: r for r in rows[1:]}
    assert int(by_ref["CPFT-05"][-1]) == action("CPFT-05")["version"] == history("CPFT-05")[0]["id"]


@both_backends
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


@both_backends
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


@both_backends
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


# -- --if-unchanged-since VERSION (scripts) and --on DATE (when it happened) ----------


def open_plan(db: Path, *, create: bool = False) -> Any:
    """The Store of this test's plan, on either backend (``db_path``)."""
    from cpft_tracker.store import Store
    from cpft_tracker.store.postgres import DatabaseURL

    where = DatabaseURL(db.url) if isinstance(db, PgDatabase) else db
    return Store.open(where, create=create)  # type: ignore[arg-type]


@pytest.fixture
def small(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two actions made on 1 December 2026; CPFT-01 then given a due date (its version 4)."""
    from tests.board_helpers import GOV, add_report, at

    store = open_plan(db_path, create=True)
    at(monkeypatch, "2026-12-01T09:00:00Z")
    add_report(store, "CPFT", [("Board assurance framework", GOV), ("Risk register", GOV)])
    at(monkeypatch, "2026-12-02T09:00:00Z")
    store.set_due(["CPFT-01"], "2027-03-31", by="Gov Lead")
    store.close()
    monkeypatch.setenv("CPFT_TRACKER_TODAY", "2027-01-10")
    monkeypatch.setenv("CPFT_TRACKER_NOW", "2027-01-10T10:00:00Z")
    return db_path


def invoke(runner: Any, *args: str) -> Any:
    from cpft_tracker.cli import app

    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.stderr, result.stderr
    return result


@both_backends
@pytest.mark.parametrize(
    "command",
    [
        ["status", "CPFT-01", "in-progress"],
        ["due", "CPFT-01", "30/04/2027"],
        ["assign", "CPFT-01", "Medical Director"],
        ["note", "CPFT-01", "Paper drafted"],
        ["evidence", "CPFT-01", "Board minutes item 7"],
        ["retitle", "CPFT-01", "A better title"],
    ],
)
def test_if_unchanged_since_refuses_a_stale_version_in_one_line(
    small: Path, runner: Any, command: list[str]
) -> None:
    from tests.conftest import db_snapshot

    version = json_version(runner, "CPFT-01")
    assert version == 4
    ok = invoke(runner, *command, "--if-unchanged-since", str(version))
    assert ok.exit_code == 0, ok.stderr
    before = db_snapshot(small)
    stale = invoke(runner, *command, "--if-unchanged-since", str(version))
    assert stale.exit_code == 1
    assert stale.stderr.count("\n") == 1
    newer = json_version(runner, "CPFT-01")
    assert stale.stderr == (
        f"Error: CPFT-01 was changed by Test Lead at 2027-01-10 10:00 UTC ({command[0].replace('assign', 'owner').replace('retitle', 'title')}; "
        f"version {newer}, newer than {version}), so nothing was changed. Run 'cpft-tracker show "
        "CPFT-01' and try again with its new version.\n"
    )
    assert db_snapshot(small) == before


def json_version(runner: Any, ref: str) -> int:
    out = invoke(runner, "list", "--format", "json")
    return int(next(a for a in json.loads(out.stdout)["actions"] if a["ref"] == ref)["version"])


@both_backends
def test_show_prints_the_version(small: Path, runner: Any) -> None:
    assert "Version:           4\n" in invoke(runner, "show", "CPFT-01").stdout


@both_backends
def test_on_records_when_it_happened_and_as_of_goes_by_it(small: Path, runner: Any) -> None:
    done = invoke(
        runner, "status", "CPFT-01", "complete", "--evidence", "Board minutes", "--on", "03/01/2027"
    )
    assert done.exit_code == 0, done.stderr

    def complete_on(day: str) -> int:
        out = invoke(runner, "progress", "--format", "json", "--as-of", day)
        return int(json.loads(out.stdout)["complete"])

    assert complete_on("02/01/2027") == 0
    assert complete_on("03/01/2027") == 1
    events = json.loads(invoke(runner, "history", "CPFT-01", "--format", "json").stdout)["events"]
    assert [(e["field"], e["at"], e["occurred_on"]) for e in events[:2]] == [
        ("status", "2027-01-10T10:00:00.000000Z", "2027-01-03"),
        ("evidence", "2027-01-10T10:00:00.000000Z", "2027-01-03"),
    ]
    table = invoke(runner, "history", "CPFT-01").stdout
    assert "Happened" in table.splitlines()[0]
    assert "2027-01-10 10:00:00  2027-01-03  Test Lead" in table
    assert "2026-12-02 09:00:00  2026-12-02  Gov Lead" in table  # recorded = happened
    checked = invoke(runner, "check")  # the hash chain covers when it happened too
    assert checked.exit_code == 0, checked.stdout + checked.stderr


@both_backends
def test_on_for_notes_and_evidence(small: Path, runner: Any) -> None:
    assert invoke(runner, "note", "CPFT-02", "Met the lead", "--on", "5 Jan 2027").exit_code == 0
    assert invoke(runner, "evidence", "CPFT-02", "Minutes", "--on", "2027-01-06").exit_code == 0
    events = json.loads(invoke(runner, "history", "CPFT-02", "--format", "json").stdout)["events"]
    assert [(e["field"], e["occurred_on"]) for e in events[:2]] == [
        ("evidence", "2027-01-06"),
        ("note", "2027-01-05"),
    ]
    out = invoke(runner, "list", "--format", "json", "--as-of", "05/01/2027").stdout
    assert next(a for a in json.loads(out)["actions"] if a["ref"] == "CPFT-02")["evidence"] is None


@both_backends
@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["status", "CPFT-01", "in-progress", "--on", "11/01/2027"],
            2,
            "Error: --on 11/01/2027 is in the future (2027-01-11): record what has happened, "
            "on a date up to today (2027-01-10).\n",
        ),
        (
            ["note", "CPFT-01", "x", "--on", "30/11/2026"],
            1,
            "Error: CPFT-01 was only added on 2026-12-01, so nothing can have happened to it on "
            "2026-11-30. Give a date with --on from 2026-12-01 to today.\n",
        ),
        (
            ["status", "CPFT-01", "blocked", "--on", "2026-12-01"],
            1,
            "Error: CPFT-01's status was last changed on 2027-01-10 (by Test Lead), after 2026-12-01, "
            "so a change cannot be recorded as happening on 2026-12-01. Give --on 2027-01-10 or "
            "later, or leave --on out.\n",
        ),
    ],
)
def test_on_refuses_what_cannot_have_happened(
    small: Path, runner: Any, args: list[str], code: int, message: str
) -> None:
    from tests.conftest import db_snapshot

    assert invoke(runner, "status", "CPFT-01", "in-progress").exit_code == 0
    before = db_snapshot(small)
    result = invoke(runner, *args)
    assert (result.exit_code, result.stderr) == (code, message)
    assert db_snapshot(small) == before


@both_backends
def test_an_older_database_gets_occurred_on(small: Path, runner: Any) -> None:
    if isinstance(small, PgDatabase):
        import psycopg

        with psycopg.connect(small.url, autocommit=True) as conn:
            conn.execute("DROP INDEX IF EXISTS events_changes")  # m011 indexes the column
            conn.execute("ALTER TABLE events DROP COLUMN occurred_on")
            conn.execute(
                "DELETE FROM _cpft_migrations WHERE name IN ('m006_team', 'm011_event_changes')"
            )
    else:
        import sqlite3

        raw = sqlite3.connect(small)
        raw.execute("DROP INDEX IF EXISTS events_changes")  # m011 indexes the column
        raw.execute("ALTER TABLE events DROP COLUMN occurred_on")
        raw.execute(
            "DELETE FROM _sqlite_migrations WHERE name IN ('m006_team', 'm011_event_changes')"
        )
        raw.commit()
        raw.close()
    assert (
        invoke(runner, "note", "CPFT-01", "after the upgrade", "--on", "2027-01-09").exit_code == 0
    )
    events = json.loads(invoke(runner, "history", "CPFT-01", "--format", "json").stdout)["events"]
    assert (events[0]["occurred_on"], events[1]["occurred_on"]) == ("2027-01-09", None)


def test_a_version_from_another_database_is_a_bad_row(plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    cli("plan", "template", "-o", str(target))
    edit(target, "CPFT-05", "version (do not edit)", "999999")
    err = cli("plan", "load", str(target), code=1)
    assert "Row 6 (CPFT-05): the version 999999 is newer than the action's" in err


def test_a_new_owner_email_from_a_load_carries_the_loads_note(plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    cli("plan", "template", "-o", str(target))
    edit(target, "CPFT-04", "owner", "Chief Nurse")
    edit(target, "CPFT-04", "owner_email", "chief.nurse@nhs.net")
    cli("plan", "load", str(target))
    events = json.loads(run_cli("history", "--format", "json").stdout)["events"]
    email = next(e for e in events if e["field"] == "owner_email")
    assert (email["new"], email["note"]) == ("chief.nurse@nhs.net", "plan load plan.csv")


@both_backends
def test_progress_since_lists_a_note_by_when_it_happened(small: Path, runner: Any) -> None:
    assert invoke(runner, "note", "CPFT-02", "Met the lead", "--on", "04/01/2027").exit_code == 0

    def notes(since: str, as_of: str) -> list[str]:
        out = invoke(runner, "progress", "--format", "json", "--since", since, "--as-of", as_of)
        return [n["text"] for n in json.loads(out.stdout)["since"]["notes"]]

    assert notes("02/01/2027", "05/01/2027") == ["Met the lead"]  # happened then, typed on the 10th
    assert notes("05/01/2027", "09/01/2027") == []


@both_backends
def test_a_change_between_reading_and_applying_a_plan_file_applies_nothing(
    small: Path,
) -> None:
    from cpft_tracker.errors import ChangedSince
    from tests.conftest import db_snapshot

    store = open_plan(small)
    read = store.action("CPFT-01")["version"]
    store.set_due(["CPFT-01"], "2027-05-31", by="Jo Colleague")  # in between
    before = db_snapshot(small)
    with pytest.raises(
        ChangedSince, match="changed by someone else while the file was being loaded"
    ):
        store.apply_plan(
            [
                {"ref": "CPFT-01", "row": 2, "title": "New"},
                {"ref": "CPFT-02", "row": 3, "title": "X"},
            ],
            by="Gov Lead",
            expect_versions={"CPFT-01": read, "CPFT-02": store.action("CPFT-02")["version"]},
        )
    assert db_snapshot(small) == before
    store.close()
