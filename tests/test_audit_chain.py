"""The tamper-evident audit trail (issue 14, finding 2): a hash chain, and `check` that replays it.

Every attack here is made the way an insider would make it: `sqlite3`-style SQL on the real
file, then the real CLI as a subprocess.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cpft_tracker.store import chain
from cpft_tracker.store.sqlite_dialect import PROTECTIVE_TRIGGERS
from tests.conftest import (
    BUNDLED_REPORT,
    db_dicts,
    db_rows,
    db_write_behind_the_tools_back,
    is_pg,
    setup_cli,
)
from tests.robustness_support import assert_one_line_error, base_env, cli

GUARD = "events_are_append_only_update"


@pytest.fixture
def plan(db_path: Path) -> Path:
    """The bundled report imported; CPFT-01 assigned with an email; a note on CPFT-01."""
    for args in (
        ["import", str(BUNDLED_REPORT)],
        ["assign", "CPFT-01", "Jane Smith", "--email", "jane.smith@nhs.net"],
        ["note", "CPFT-01", "Paper to board"],
        ["due", "CPFT-03", "31/03/2026"],
    ):
        setup_cli(*args)  # the environment base_env(db_path) gives: this plan, Test Lead
    return db_path


def sql(db: Path, *statements: str) -> None:
    """Run statements on the database as the sqlite3 shell (or psql, as a superuser with the
    triggers off) would: no cpft-tracker involved."""
    db_write_behind_the_tools_back(db, *statements)


def rows(db: Path, query: str) -> list[tuple[Any, ...]]:
    return db_rows(db, query)


def behind_the_guard(db: Path, guard: str, statement: str) -> None:
    """``statement`` on the audit trail past its guard: on SQLite the trigger dropped and made
    again around it; on PostgreSQL a superuser with the triggers off (the same effect)."""
    if is_pg(db):
        sql(db, statement)
    else:
        sql(db, f"DROP TRIGGER {guard}", statement, PROTECTIVE_TRIGGERS[guard])


def check_json(db: Path) -> tuple[int, dict[str, Any]]:
    proc = cli(["check", "--format", "json"], base_env(db))
    return proc.returncode, json.loads(proc.stdout)


def test_every_event_is_chained_and_check_prints_the_head(plan: Path) -> None:
    events = db_dicts(plan, "SELECT * FROM events ORDER BY id")
    prev = None
    for event in events:
        assert event["hash"] == chain.event_hash(prev, event)
        prev = event["hash"]
    proc = cli(["check"], base_env(plan))
    assert proc.returncode == 0, proc.stderr
    assert f"Audit chain head: {prev} (event {events[-1]['id']})" in " ".join(proc.stdout.split())
    code, data = check_json(plan)
    assert code == 0
    assert data["schema_version"] == 1
    assert data["chain_head"] == {"event": events[-1]["id"], "hash": prev}
    assert data["events"] == len(events)
    assert data["broken_links"] == [] and data["disagreements"] == []


def test_a_direct_edit_of_an_action_is_named(plan: Path) -> None:
    """The finding: this left no event, showed Blue, and check said OK."""
    sql(plan, "update actions set status='complete', evidence=NULL where ref='CPFT-02'")
    proc = cli(["check"], base_env(plan))
    assert_one_line_error(proc, "failed its check", "history")
    assert "CPFT-02's status is 'complete' but its history says 'not-started'" in proc.stdout
    code, data = check_json(plan)
    assert code == 1
    assert data["disagreements"] == [
        "CPFT-02's status is 'complete' but its history says 'not-started'"
    ]
    assert data["broken_links"] == []


def test_a_direct_edit_later_overwritten_by_a_real_change_is_still_named(plan: Path) -> None:
    sql(plan, "update actions set due='2099-01-01' where ref='CPFT-03'")
    assert cli(["due", "CPFT-03", "30/04/2026"], base_env(plan)).returncode == 0
    code, data = check_json(plan)
    assert code == 1
    [line] = data["disagreements"]
    assert line.startswith("CPFT-03's due date was '2099-01-01' when event ")
    assert line.endswith("but its history before says '2026-03-31'")


def test_an_owners_email_changed_behind_the_tools_back_is_named(plan: Path) -> None:
    sql(plan, "update owners set email='attacker@evil.example' where name='Jane Smith'")
    code, data = check_json(plan)
    assert code == 1
    assert data["disagreements"] == [
        "owner 'Jane Smith''s email is 'attacker@evil.example' but its history says "
        "'jane.smith@nhs.net'"
    ]


def test_rewriting_who_made_a_change_with_the_triggers_dropped_and_recreated_is_caught(
    plan: Path,
) -> None:
    [(target,)] = rows(plan, "SELECT id FROM events WHERE field = 'note'")
    behind_the_guard(plan, GUARD, f"UPDATE events SET by = 'Somebody Else' WHERE id = {target}")  # noqa: S608
    proc = cli(["check"], base_env(plan))
    assert_one_line_error(proc, "failed its check", "audit chain")
    assert f"broken at event(s) {target}:" in proc.stdout
    code, data = check_json(plan)
    assert code == 1 and data["broken_links"] == [target]
    assert [c["name"] for c in data["checks"] if not c["ok"]] == ["audit chain"]


def test_an_event_slipped_in_is_caught(plan: Path) -> None:
    last = rows(plan, "SELECT max(id) FROM events")[0][0]
    # the next id given, as the tool gives it (PostgreSQL's identity does not follow given ids)
    sql(
        plan,
        f"INSERT INTO events (id, action_id, at, by, field, old, new, hash) VALUES ({last + 1}, "  # noqa: S608
        "2, '2025-01-01T00:00:00Z', 'x', 'status', 'not-started', 'complete', '" + "a" * 64 + "')",
        "UPDATE actions SET status = 'complete' WHERE id = 2",
    )
    code, data = check_json(plan)
    assert code == 1
    assert data["broken_links"] == [last + 1]


def test_an_event_deleted_from_the_middle_is_caught(plan: Path) -> None:
    [(target,)] = rows(plan, "SELECT id FROM events WHERE field = 'note'")
    behind_the_guard(
        plan,
        "events_are_append_only_delete",
        f"DELETE FROM events WHERE id = {target}",  # noqa: S608
    )
    code, data = check_json(plan)
    assert code == 1 and data["broken_links"] == [target + 1]


def test_a_do_nothing_trigger_with_the_right_name_fails(plan: Path) -> None:
    if is_pg(plan):
        sql(
            plan,
            "CREATE FUNCTION let_it_be() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RETURN NEW; END $$",
            f"DROP TRIGGER {GUARD} ON events",
            f"CREATE TRIGGER {GUARD} BEFORE UPDATE ON events FOR EACH ROW"
            " EXECUTE FUNCTION let_it_be()",
        )
    else:
        sql(
            plan,
            f"DROP TRIGGER {GUARD}",
            f"CREATE TRIGGER {GUARD} BEFORE UPDATE ON events BEGIN SELECT 1; END",
        )
    proc = cli(["check"], base_env(plan))
    assert_one_line_error(proc, "failed its check", "audit trail protection")
    assert f"trigger(s) changed from what cpft-tracker made: {GUARD}" in proc.stdout


@pytest.mark.sqlite_only(
    reason="SQLite keeps a trigger's SQL as typed; PostgreSQL keeps only its own rendering"
)
def test_the_same_trigger_laid_out_differently_passes(plan: Path) -> None:
    sql(plan, f"DROP TRIGGER {GUARD}", " ".join(PROTECTIVE_TRIGGERS[GUARD].split()).lower())
    code, data = check_json(plan)
    assert code == 0, data


def _as_before_the_chain(db: Path) -> None:
    """Turn a current plan into one written before m005_chain (schema 2, no hashes)."""
    sql(
        db,
        f"DROP TRIGGER {GUARD}",
        "ALTER TABLE events DROP COLUMN hash",
        PROTECTIVE_TRIGGERS[GUARD],
        "DELETE FROM _sqlite_migrations WHERE name = 'm005_chain'",
    )


PRE_CHAIN = "an SQLite file written before the chain migration (no PostgreSQL plan predates it)"


@pytest.mark.sqlite_only(reason=PRE_CHAIN)
def test_an_existing_plan_gets_its_chain_computed_once(plan: Path) -> None:
    head = rows(plan, "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1")[0]
    _as_before_the_chain(plan)
    assert "hash" not in [r[1] for r in rows(plan, "PRAGMA table_info(events)")]
    code, data = check_json(plan)  # opening it migrates it
    assert code == 0, data
    # the chain is a function of the events alone: the same head as when written live
    assert data["chain_head"] == {"event": head[0], "hash": head[1]}
    assert rows(plan, f"SELECT sql FROM sqlite_master WHERE name = '{GUARD}'") == [  # noqa: S608
        (PROTECTIVE_TRIGGERS[GUARD],)
    ]
    # and it goes on from there
    assert cli(["note", "CPFT-02", "after the upgrade"], base_env(plan)).returncode == 0
    code, data = check_json(plan)
    assert code == 0 and data["chain_head"]["event"] == head[0] + 1


@pytest.mark.sqlite_only(reason=PRE_CHAIN)
def test_the_upgrade_does_not_put_back_a_trigger_someone_dropped(plan: Path) -> None:
    _as_before_the_chain(plan)
    sql(plan, f"DROP TRIGGER {GUARD}")
    code, data = check_json(plan)
    assert code == 1
    assert [c["detail"] for c in data["checks"] if not c["ok"]] == [f"missing trigger(s): {GUARD}"]


def test_the_board_paper_carries_the_chain_head(plan: Path) -> None:
    _, data = check_json(plan)
    head = f"Audit chain head: {data['chain_head']['hash']} (event {data['chain_head']['event']})"
    md = cli(["export", "--format", "markdown"], base_env(plan))
    assert md.returncode == 0, md.stderr
    assert head + "." in md.stdout.splitlines()
    html = cli(["export", "--format", "html"], base_env(plan))
    assert f'<p class="meta" id="chain">{head}.</p>' in html.stdout


def test_every_kind_of_change_keeps_the_plan_agreeing_with_its_history(
    db_path: Path, tmp_path: Path
) -> None:
    """No false alarms: each write command, a plan file and a revised report, then check is OK."""
    env = base_env(db_path)
    revised = tmp_path / "revised.txt"
    lines = BUNDLED_REPORT.read_text(encoding="utf-8").splitlines()
    must = [i for i, line in enumerate(lines) if " must " in line]
    revised.write_text(
        "\n".join(line for i, line in enumerate(lines) if i != must[0])
        + "\n- The trust must publish its improvement plan on its website.\n",
        encoding="utf-8",
    )
    steps = [
        ["import", str(BUNDLED_REPORT)],
        ["assign", "CPFT-01", "CPFT-02", "Jane Smith", "--email", "jane.smith@nhs.net"],
        ["assign", "CPFT-03", "jane smith", "--email", "jane.s@nhs.net"],
        ["unassign", "CPFT-02"],
        ["due", "CPFT-01", "CPFT-04", "31/03/2026"],
        ["due", "CPFT-04", "none"],
        ["status", "CPFT-01", "in-progress", "--note", "kick-off held"],
        ["status", "CPFT-01", "in-progress", "--note", "still going"],
        ["evidence", "CPFT-05", "Board minutes 3 March"],
        ["status", "CPFT-05", "complete"],
        ["status", "CPFT-06", "complete", "--evidence", "Audit report"],
        ["note", "CPFT-07", "Paper to board"],
        ["retitle", "CPFT-08", "Stabilise the board"],
        ["classify", "CPFT-08", "governance"],
        ["retire", "CPFT-09", "--reason", "merged into CPFT-08"],
        ["reinstate", "CPFT-09"],
        ["retire", "CPFT-10", "--reason", "duplicate"],
        ["reject", "CPFT-11", "--reason", "describes, does not require"],
        ["accept", "CPFT-11"],
        ["merge", "CPFT-14", "INTO", "CPFT-12"],
        ["owners", "rename", "Jane Smith", "Jane Smith-Jones"],
        ["owners", "email", "Jane Smith-Jones", "jane.sj@nhs.net"],
        ["assign", "CPFT-13", "Ward Manager", "--new-owner"],
        ["owners", "merge", "Ward Manager", "INTO", "Jane Smith-Jones"],
        ["settings", "window", "21"],
        ["plan", "template", "-o", str(tmp_path / "plan.csv")],
        ["import", str(revised)],
    ]
    for args in steps:
        proc = cli(args, env)
        assert proc.returncode == 0, (args, proc.stderr)
    template = (tmp_path / "plan.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "plan.csv").write_text(
        template.replace("not-started", "in-progress", 1), encoding="utf-8-sig"
    )
    proc = cli(["plan", "load", str(tmp_path / "plan.csv")], env)
    assert proc.returncode == 0, proc.stderr
    fields = {f for (f,) in rows(db_path, "SELECT DISTINCT field FROM events")}
    assert {
        "created",
        "owner added",
        "owner_email",
        "owner",
        "due",
        "status",
        "note",
        "evidence",
        "title",
        "quality_statement",
        "retired",
        "in_source",
        "report re-imported",
        "setting warning_window_days",
    } <= fields, fields
    code, data = check_json(db_path)
    assert code == 0, data
