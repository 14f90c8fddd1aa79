"""`backup PATH` and `check`: a consistent private copy while others write, and a health report.

Issue 6. Driven through the real CLI as a subprocess, the way cron runs them.
"""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cpft_tracker.store import SCHEMA_VERSION
from tests.conftest import (
    BUNDLED_REPORT,
    db_execute,
    db_rows,
    db_snapshot,
    db_state,
    db_write_behind_the_tools_back,
    is_pg,
    migrations_table,
    setup_cli,
)
from tests.robustness_support import (
    ROOT,
    assert_one_line_error,
    base_env,
    cli,
    count,
    integrity,
    sha256,
)


@pytest.fixture
def plan(db_path: Path) -> list[str]:
    """The bundled report imported, with an owner and a note; returns the refs."""
    setup_cli("import", str(BUNDLED_REPORT))  # the environment base_env(db_path) gives
    refs = [r[0] for r in db_rows(db_path, "SELECT ref FROM actions ORDER BY id")]
    setup_cli("assign", refs[0], "Jane Smith", "--email", "jane.smith@nhs.net")
    setup_cli("note", refs[0], "Paper to board")
    return refs


BACKUP = "backup copies the SQLite file (on PostgreSQL it says to use pg_dump or copy)"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------------------
# backup
# ---------------------------------------------------------------------------


@pytest.mark.sqlite_only(reason=BACKUP)
def test_backup_makes_a_private_exact_copy_and_says_where(
    db_path: Path, tmp_path: Path, plan: list[str]
) -> None:
    target = tmp_path / "backups" / "plan-2025-03-31.db"
    target.parent.mkdir()
    proc = cli(["backup", str(target)], base_env(db_path))
    assert proc.returncode == 0, proc.stderr
    assert str(target) in proc.stderr
    assert proc.stdout == ""
    assert _mode(target) == 0o600
    assert db_snapshot(target) == db_snapshot(db_path)
    assert integrity(target) == ("ok", [])
    assert not Path(f"{target}-wal").exists()  # one self-contained file
    # the copy is itself a working action plan
    copy = cli(["--db", str(target), "check"], base_env(db_path))
    assert copy.returncode == 0, copy.stderr
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temp files left


@pytest.mark.sqlite_only(reason=BACKUP)
def test_backup_refuses_to_overwrite_unless_forced(
    db_path: Path, tmp_path: Path, plan: list[str]
) -> None:
    target = tmp_path / "copy.db"
    target.write_text("last week's backup")
    env = base_env(db_path)
    assert_one_line_error(cli(["backup", str(target)], env), "already exists", "--force")
    assert target.read_text() == "last week's backup"
    forced = cli(["backup", str(target), "--force"], env)
    assert forced.returncode == 0, forced.stderr
    assert "Replaced" in forced.stderr
    assert db_snapshot(target) == db_snapshot(db_path)
    assert _mode(target) == 0o600


@pytest.mark.sqlite_only(reason=BACKUP)
def test_backup_into_a_folder_makes_a_dated_file(
    db_path: Path, tmp_path: Path, plan: list[str]
) -> None:
    folder = tmp_path / "nightly"
    folder.mkdir()
    proc = cli(["backup", str(folder)], base_env(db_path))
    assert proc.returncode == 0, proc.stderr
    made = list(folder.iterdir())
    assert len(made) == 1 and made[0].name.startswith("cpft-tracker-") and made[0].suffix == ".db"
    assert str(made[0]) in proc.stderr
    assert db_snapshot(made[0]) == db_snapshot(db_path)


@pytest.mark.parametrize("where", ["itself", "missing-folder"])
@pytest.mark.sqlite_only(reason=BACKUP)
def test_backup_refuses_impossible_targets(
    db_path: Path, tmp_path: Path, plan: list[str], where: str
) -> None:
    before = sha256(db_path)
    target = db_path if where == "itself" else tmp_path / "no" / "such" / "copy.db"
    line = assert_one_line_error(cli(["backup", str(target)], base_env(db_path)))
    assert ("database itself" if where == "itself" else "does not exist") in line
    assert sha256(db_path) == before
    assert not (tmp_path / "no").exists()


@pytest.mark.sqlite_only(reason=BACKUP)
def test_backup_without_a_database_says_how_to_make_one(db_path: Path, tmp_path: Path) -> None:
    assert_one_line_error(
        cli(["backup", str(tmp_path / "copy.db")], base_env(db_path)), "cpft-tracker init"
    )
    assert not (tmp_path / "copy.db").exists()
    assert not db_path.exists()


WRITER = r"""
import sys
from pathlib import Path
from cpft_tracker.store import Store
store = Store.open(Path(sys.argv[1]))
ref = sys.argv[2]
for i in range(int(sys.argv[3])):
    store.add_note(ref, f"seq {i}", by="writer")
"""


@pytest.mark.slow
@pytest.mark.sqlite_only(reason=BACKUP)
def test_backups_taken_while_someone_writes_are_consistent_snapshots(
    db_path: Path, tmp_path: Path, plan: list[str]
) -> None:
    env = base_env(db_path)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), plan[1], "400"],
        env=env,
        cwd=str(ROOT),
        stderr=subprocess.PIPE,
        text=True,
    )
    copies = []
    try:
        for i in range(6):
            target = tmp_path / f"during-{i}.db"
            proc = cli(["backup", str(target)], env)
            assert proc.returncode == 0, proc.stderr
            copies.append(target)
    finally:
        _, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    for copy in copies:
        assert integrity(copy) == ("ok", [])
        conn = sqlite3.connect(str(copy))
        seqs = sorted(
            int(r[0].split()[1])
            for r in conn.execute("SELECT new FROM events WHERE new LIKE 'seq %'")
        )
        conn.close()
        # a snapshot: notes 0..k-1 with no gaps (never half of a change, never a hole)
        assert seqs == list(range(len(seqs)))
    assert count(db_path, "SELECT count(*) FROM events WHERE new LIKE 'seq %'") == 400


# ---------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------


def test_check_reports_a_healthy_database(db_path: Path, plan: list[str]) -> None:
    before = db_snapshot(db_path)
    proc = cli(["check"], base_env(db_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert lines[0].split(":", 1)[1].strip() == str(db_path)
    assert "Integrity:" in proc.stdout and "Foreign keys:" in proc.stdout
    assert "Schema:" in proc.stdout and f"version {SCHEMA_VERSION}" in proc.stdout
    assert "Audit trail protection:" in proc.stdout
    assert lines[-1].split() == ["Result:", "OK"]
    as_json = json.loads(cli(["check", "--format", "json"], base_env(db_path)).stdout)
    assert as_json["ok"] is True
    assert [c["name"] for c in as_json["checks"]] == [
        "integrity",
        "foreign keys",
        "schema",
        "audit trail protection",
        "audit chain",
        "history",
        *([] if is_pg(db_path) else ["journal files"]),  # PostgreSQL has no -wal/-shm files
    ]
    assert db_snapshot(db_path) == before


def _damage_an_index(db: Path) -> None:
    conn = sqlite3.connect(str(db))
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'actions_status'"
    ).fetchone()[0]
    conn.close()
    with db.open("r+b") as fh:
        fh.seek((root - 1) * page_size + 8)
        fh.write(b"\xff" * 64)


def _orphan_event(db: Path) -> None:
    """An event for an action that does not exist: SQLite's foreign keys switched off on one
    connection; on PostgreSQL a superuser with the triggers (and so the foreign keys) off."""
    if is_pg(db):
        db_write_behind_the_tools_back(
            db,
            "INSERT INTO events (id, action_id, at, by, field, new) SELECT max(id) + 1, 9999,"
            " '2025-01-01', 'x', 'note', 'y' FROM events",
        )
        return
    conn = sqlite3.connect(str(db), isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(
        "INSERT INTO events (action_id, at, by, field, new) VALUES (9999, '2025-01-01', 'x', 'note', 'y')"
    )
    conn.close()


def _drop_trigger(db: Path) -> None:
    on = " ON events" if is_pg(db) else ""
    db_execute(db, f"DROP TRIGGER events_are_append_only_delete{on}")


def _future(db: Path) -> None:
    db_execute(
        db,
        f"INSERT INTO {migrations_table(db)} (migration_set, name, applied_at)"  # noqa: S608
        " VALUES ('cpft_tracker', 'm999_future', '2030-01-01')",
    )


@pytest.mark.parametrize(
    ("damage", "phrases"),
    [
        pytest.param(
            _damage_an_index,
            ("integrity", "restore", "backup"),
            marks=pytest.mark.sqlite_only(reason="bytes of a page of the SQLite file overwritten"),
        ),
        (_orphan_event, ("foreign keys", "restore", "backup")),
        (_drop_trigger, ("audit trail protection", "restore")),
        (_future, ("newer version", "upgrade")),
    ],
    ids=["damaged-page", "orphan-row", "missing-trigger", "newer-schema"],
)
def test_check_finds_each_problem_and_says_what_to_do(
    db_path: Path, plan: list[str], damage: object, phrases: tuple[str, ...]
) -> None:
    damage(db_path)  # type: ignore[operator]
    before = db_state(db_path)
    proc = cli(["check"], base_env(db_path))
    assert_one_line_error(proc, *phrases)
    assert "PROBLEM" in proc.stdout
    assert proc.stdout.splitlines()[-1].split(None, 1) == ["Result:", "PROBLEMS FOUND"]
    assert db_state(db_path) == before
    if "restore" in phrases:  # the advice fits the kind of database the plan is in
        on_postgresql = str(db_path).startswith("postgresql")
        assert ("pg_restore" in proc.stderr) is on_postgresql
        assert ("cpft-tracker restore BACKUP" in proc.stderr) is not on_postgresql


@pytest.mark.sqlite_only(reason="the database file's mode (0644)")
def test_check_warns_when_others_can_read_the_database(db_path: Path, plan: list[str]) -> None:
    db_path.chmod(0o644)
    proc = cli(["check"], base_env(db_path))
    assert proc.returncode == 0
    assert "Warning:" in proc.stderr and "chmod 600" in proc.stderr


def test_check_without_a_database_says_how_to_make_one(db_path: Path) -> None:
    assert_one_line_error(cli(["check"], base_env(db_path)), "No action plan database")
    assert not db_path.exists()
