"""Issue 14, 'Done when': a direct SQL edit of an action or of the events table makes `check`
exit 1 and name what disagrees.

One edit per test, made as an insider would (the sqlite3 shell on the real file, dropping
the protective triggers where they would stop it), then the real `check` as a subprocess.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import db_execute
from tests.robustness_support import assert_one_line_error, base_env, cli
from tests.test_audit_chain import (  # noqa: F401 (plan is a fixture)
    behind_the_guard,
    check_json,
    plan,
    rows,
    sql,
)

UPDATE_GUARD = "events_are_append_only_update"
DELETE_GUARD = "events_are_append_only_delete"


def _owner_id(db: Path, name: str) -> int:
    [(owner_id,)] = rows(db, f"SELECT id FROM owners WHERE name = '{name}'")  # noqa: S608
    return int(owner_id)


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (
            "status = 'complete'",
            "CPFT-02's status is 'complete' but its history says 'not-started'",
        ),
        ("owner_id = {jane}", "CPFT-02's owner is"),
        ("due = '2030-01-01'", "CPFT-02's due date is '2030-01-01' but its history says nothing"),
        ("evidence = 'forged minutes'", "CPFT-02's evidence is 'forged minutes'"),
        ("retired = 'not needed'", "CPFT-02's retired reason is 'not needed'"),
        ("title = 'Something else entirely'", "CPFT-02's title is 'Something else entirely'"),
    ],
    ids=["status", "owner_id", "due", "evidence", "retired", "title"],
)
def test_an_update_of_one_column_of_an_action_is_named(plan: Path, edit: str, named: str) -> None:  # noqa: F811
    edit = edit.format(jane=_owner_id(plan, "Jane Smith"))
    sql(plan, f"UPDATE actions SET {edit} WHERE ref = 'CPFT-02'")  # noqa: S608
    proc = cli(["check"], base_env(plan))
    assert_one_line_error(proc, "failed its check", "history")
    assert named in " ".join(proc.stdout.split()), proc.stdout
    code, data = check_json(plan)
    assert code == 1
    assert any(line.startswith(named) for line in data["disagreements"]), data["disagreements"]


def test_an_update_of_an_events_new_value_is_named(plan: Path) -> None:  # noqa: F811
    [(target,)] = rows(plan, "SELECT id FROM events WHERE field = 'due'")
    behind_the_guard(
        plan,
        UPDATE_GUARD,
        f"UPDATE events SET new = '2099-12-31' WHERE id = {target}",  # noqa: S608
    )
    proc = cli(["check"], base_env(plan))
    assert_one_line_error(proc, "failed its check", "audit chain")
    out = " ".join(proc.stdout.split())
    assert f"broken at event(s) {target}:" in out
    # and the replay names the action whose row no longer matches the edited history
    assert "CPFT-03's due date is '2026-03-31' but its history says '2099-12-31'" in out
    code, data = check_json(plan)
    assert code == 1 and data["broken_links"] == [target]


def test_deleting_the_newest_event_is_named_by_the_replay(plan: Path) -> None:  # noqa: F811
    """The documented limit: the chain still holds (nothing after it), the replay does not."""
    [(newest, field)] = rows(plan, "SELECT id, field FROM events ORDER BY id DESC LIMIT 1")
    assert field == "due"  # the fixture's last change: CPFT-03 due 31/03/2026
    behind_the_guard(
        plan,
        DELETE_GUARD,
        f"DELETE FROM events WHERE id = {newest}",  # noqa: S608
    )
    code, data = check_json(plan)
    assert code == 1
    assert data["broken_links"] == []
    assert data["disagreements"] == [
        "CPFT-03's due date is '2026-03-31' but its history says nothing"
    ]
    assert data["chain_head"]["event"] == newest - 1


def test_deleting_the_newest_note_is_seen_only_against_a_published_head(plan: Path) -> None:  # noqa: F811
    """A note changes no row, so only a published chain head shows that it went."""
    assert cli(["note", "CPFT-02", "Discussed at board"], base_env(plan)).returncode == 0
    code, before = check_json(plan)
    assert code == 0
    published = before["chain_head"]
    behind_the_guard(
        plan,
        DELETE_GUARD,
        f"DELETE FROM events WHERE id = {published['event']}",  # noqa: S608
    )
    code, after = check_json(plan)
    assert code == 0  # the documented limit (docs/faults.md)
    assert after["chain_head"] != published
    assert after["chain_head"]["event"] < published["event"]


def test_a_forged_event_with_a_plausible_hash_is_named(plan: Path) -> None:  # noqa: F811
    """An INSERT that also moves the row: the link breaks, whatever hash the forger chose."""
    [(head,)] = rows(plan, "SELECT hash FROM events ORDER BY id DESC LIMIT 1")
    last = rows(plan, "SELECT max(id) FROM events")[0][0]
    # the next id given, as the tool gives it (PostgreSQL's identity does not follow given ids)
    db_execute(
        plan,
        f"INSERT INTO events (id, action_id, at, by, field, old, new, hash) VALUES ({last + 1}, "  # noqa: S608
        "2, '2026-01-05T09:00:00Z', 'Test Lead', 'status', 'not-started', 'complete', ?)",
        [head],  # the previous event's hash: as plausible as a forger can make it
    )
    db_execute(plan, "UPDATE actions SET status = 'complete' WHERE id = 2")
    proc = cli(["check"], base_env(plan))
    assert_one_line_error(proc, "failed its check", "audit chain")
    assert f"broken at event(s) {last + 1}:" in " ".join(proc.stdout.split())
