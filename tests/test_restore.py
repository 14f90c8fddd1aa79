"""`restore BACKUP` (issue 14, finding 1): a crash leaves PATH-wal behind; the restore must not apply it.

Real files, real processes: the crash is a subprocess that commits in WAL mode and dies
(``os._exit``) before SQLite can checkpoint, exactly what a SIGKILL or a power cut leaves.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_REPORT, setup_cli
from tests.robustness_support import ROOT, assert_one_line_error, base_env, cli

pytestmark = pytest.mark.sqlite_only(
    reason="restore puts a backup file back in place of the SQLite file and its -wal"
)

NOW = "2026-03-10T08:30:00Z"

CRASH = """
import os, sys
from pathlib import Path
from cpft_tracker.store import Store
store = Store.open(Path(sys.argv[1]))
store.set_status(["CPFT-01", "CPFT-02"], "in-progress", by="Night Shift")
store.add_note("CPFT-03", "written after the backup", by="Night Shift")
os._exit(0)  # gone before any checkpoint: the commits are only in PATH-wal
"""

HOLD = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE actions SET updated_at = updated_at WHERE id = 1")
print("holding", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export_json(db: Path) -> dict[str, object]:
    env = {**base_env(db), "CPFT_TRACKER_NOW": NOW}
    proc = cli(["export", "--format", "json"], env)
    assert proc.returncode == 0, proc.stderr
    data: dict[str, object] = json.loads(proc.stdout)
    return data


def crash_after_commits(db: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", CRASH, str(db)],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        env=base_env(db),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    wal = Path(f"{db}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the crash left its commits in the -wal


@pytest.fixture
def crashed(db_path: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A plan, its backup bk.db, then more commits and a crash that leaves PATH-wal."""
    setup_cli("import", str(BUNDLED_REPORT))  # the environment base_env(db_path) gives
    setup_cli("assign", "CPFT-01", "Jane Smith")
    backup = tmp_path / "bk.db"
    setup_cli("backup", str(backup))
    crash_after_commits(db_path)
    return db_path, backup


def test_copying_the_backup_over_the_file_applies_the_old_wal(crashed: tuple[Path, Path]) -> None:
    """The finding: what docs/faults.md said to do shows the newer, post-crash plan."""
    db, backup = crashed
    db.rename(db.with_name("plan.damaged"))
    shutil.copyfile(backup, db)
    statuses = {a["ref"]: a["status"] for a in export_json(db)["actions"]}  # type: ignore[attr-defined]
    assert statuses["CPFT-02"] == "in-progress"  # not what the backup holds


def test_restore_after_a_crash_gives_the_backup_and_keeps_the_replaced_pair(
    crashed: tuple[Path, Path],
) -> None:
    """A crash's leftover -wal holds whole commits: the plan it replaces passes its check, so it
    is kept as PATH.before-restore-STAMP (not called damaged), with every change it held."""
    db, backup = crashed
    wanted = export_json(backup)
    backup_bytes = digest(backup)
    wal_bytes = digest(Path(f"{db}-wal"))
    _, backup_check = 0, json.loads(cli(["check", "--format", "json"], base_env(backup)).stdout)

    proc = cli(["restore", str(backup)], base_env(db))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout.splitlines()[-1].split() == ["Result:", "OK"]
    assert f"Restored {db} from {backup} (14 actions" in proc.stderr

    assert export_json(db) == wanted
    checked = cli(["check", "--format", "json"], base_env(db))
    assert checked.returncode == 0, checked.stdout
    head = json.loads(checked.stdout)["chain_head"]
    # the backup's history, whole, then one event saying it was restored
    assert head["event"] == backup_check["chain_head"]["event"] + 1
    history = cli(["history", "--limit", "1"], base_env(db))
    assert "restored from backup" in history.stdout
    assert digest(backup) == backup_bytes  # the backup itself was not touched

    assert not list(db.parent.glob("tracker.db.damaged-*"))
    [damaged] = sorted(db.parent.glob("tracker.db.before-restore-*[0-9]"))
    assert Path(f"{damaged}-wal").exists()  # side by side, under the names SQLite looks for
    assert digest(Path(f"{damaged}-wal")) == wal_bytes
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    assert f"The file it replaced passed its check and was kept as {damaged}, with " in proc.stderr
    conn = sqlite3.connect(str(damaged))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert dict(
            conn.execute("SELECT ref, status FROM actions WHERE ref IN ('CPFT-01','CPFT-02')")
        ) == {
            "CPFT-01": "in-progress",
            "CPFT-02": "in-progress",
        }
        assert (
            conn.execute(
                "SELECT count(*) FROM events WHERE new = 'written after the backup'"
            ).fetchone()[0]
            == 1
        )
    finally:
        conn.close()
    assert not list(db.parent.glob(".tracker.db.restore-*"))
    assert not list(db.parent.glob(".tracker.db.check-*"))  # the copy it checked is gone


def test_restore_over_a_plan_that_fails_its_check_keeps_it_as_damaged(
    crashed: tuple[Path, Path],
) -> None:
    db, backup = crashed
    conn = sqlite3.connect(str(db), isolation_level=None)
    conn.execute("UPDATE actions SET status = 'complete' WHERE ref = 'CPFT-04'")  # no event
    conn.close()
    assert cli(["check"], base_env(db)).returncode == 1
    proc = cli(["restore", str(backup)], base_env(db))
    assert proc.returncode == 0, proc.stderr
    assert not list(db.parent.glob("tracker.db.before-restore-*"))
    [damaged] = sorted(db.parent.glob("tracker.db.damaged-*[0-9]"))
    assert f"The file it replaced failed its check (history) and was kept as {damaged}" in (
        proc.stderr
    )
    kept = sqlite3.connect(str(damaged))
    try:  # kept as it was, for investigation
        assert kept.execute("SELECT status FROM actions WHERE ref = 'CPFT-04'").fetchone() == (
            "complete",
        )
    finally:
        kept.close()
    assert cli(["check"], base_env(db)).returncode == 0
    assert not list(db.parent.glob(".tracker.db.check-*"))


def _unchanged(db: Path) -> tuple[str, list[str]]:
    return digest(db), sorted(p.name for p in db.parent.iterdir())


def test_restore_refuses_while_someone_is_writing(crashed: tuple[Path, Path]) -> None:
    db, backup = crashed
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=str(ROOT),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        before = _unchanged(db)
        proc = cli(["restore", str(backup)], base_env(db))
        assert_one_line_error(proc, f"The database {db} is in use", "nothing was changed")
        assert _unchanged(db) == before
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    assert cli(["restore", str(backup)], base_env(db)).returncode == 0  # once they have finished


def test_restore_refuses_a_backup_that_fails_its_check(crashed: tuple[Path, Path]) -> None:
    db, backup = crashed
    conn = sqlite3.connect(str(backup), isolation_level=None)
    conn.execute("UPDATE actions SET status = 'complete' WHERE ref = 'CPFT-04'")
    conn.close()
    before = _unchanged(db)
    tampered = digest(backup)
    proc = cli(["restore", str(backup)], base_env(db))
    line = assert_one_line_error(
        proc, f"The backup {backup} failed its check", "nothing was changed"
    )
    assert "CPFT-04's status is 'complete' but its history says 'not-started'" in line
    assert _unchanged(db) == before
    assert digest(backup) == tampered


@pytest.mark.parametrize(
    ("make", "phrase"),
    [
        (lambda p: None, "There is no backup at"),
        (lambda p: p.write_text("not a database\n"), "is not a cpft-tracker backup"),
        (lambda p: p.mkdir(), "is not a backup file"),
    ],
    ids=["missing", "text-file", "folder"],
)
def test_restore_refuses_what_is_not_a_backup(
    crashed: tuple[Path, Path], tmp_path: Path, make: object, phrase: str
) -> None:
    db, _ = crashed
    target = tmp_path / "other.db"
    make(target)  # type: ignore[operator]
    before = _unchanged(db)
    assert_one_line_error(cli(["restore", str(target)], base_env(db)), phrase)
    assert _unchanged(db) == before


def test_restore_refuses_the_database_itself(crashed: tuple[Path, Path]) -> None:
    db, _ = crashed
    assert_one_line_error(cli(["restore", str(db)], base_env(db)), "is the database itself")


def test_restore_when_the_database_is_gone(crashed: tuple[Path, Path]) -> None:
    db, backup = crashed
    for extra in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        extra.unlink()
    proc = cli(["restore", str(backup)], base_env(db))
    assert proc.returncode == 0, proc.stderr
    assert "kept as" not in proc.stderr
    assert export_json(db) == export_json(backup)


def test_a_backup_from_before_the_chain_is_upgraded_in_the_copy_not_in_place(
    crashed: tuple[Path, Path],
) -> None:
    db, backup = crashed
    guard = "events_are_append_only_update"
    conn = sqlite3.connect(str(backup), isolation_level=None)
    trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [guard]).fetchone()[0]
    for statement in (
        f"DROP TRIGGER {guard}",
        "ALTER TABLE events DROP COLUMN hash",
        trigger,
        "DELETE FROM _sqlite_migrations WHERE name = 'm005_chain'",
        "VACUUM",
    ):
        conn.execute(statement)
    conn.close()
    old_bytes = digest(backup)
    proc = cli(["restore", str(backup)], base_env(db))
    assert proc.returncode == 0, proc.stderr
    assert digest(backup) == old_bytes
    checked = cli(["check", "--format", "json"], base_env(db))
    assert checked.returncode == 0, checked.stdout
    assert json.loads(checked.stdout)["broken_links"] == []
