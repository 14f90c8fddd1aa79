"""Damaged and unusual database files: one clear line, exit code 1, nothing overwritten.

Issue 6. Each case runs real ``cpft-tracker`` subprocesses (a read, writes, an import,
``backup`` and ``check``) against the file and checks the exit code, that stderr is one
plain ``Error:`` line with no traceback, and that the file is byte-for-byte unchanged.

Tests run as root here, where file modes do not stop writes; the read-only cases drop
the capabilities that let root ignore them (``setpriv``), and are skipped with a reason
where that is not possible. The full-disk cases use a file-size limit (``RLIMIT_FSIZE``)
and, where mounting is allowed, a tiny tmpfs in a private mount namespace.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_REPORT, db_snapshot
from tests.robustness_support import (
    ROOT,
    assert_one_line_error,
    base_env,
    big_report,
    count,
    integrity,
    sha256,
)

pytestmark = pytest.mark.sqlite_only(
    reason="damaged, truncated, read-only, full-disk and loose-umask SQLite files and their -wal"
)

DROP_ROOT_POWERS = [
    "setpriv",
    "--bounding-set=-dac_override,-dac_read_search,-fowner,-linux_immutable",
    "--",
]


def _run(
    args: list[str],
    env: dict[str, str],
    *,
    prefix: list[str] | None = None,
    preexec: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "cpft_tracker", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        cwd=str(ROOT),
        preexec_fn=preexec,
    )


def _make_db(path: Path) -> list[str]:
    """A real action plan at ``path`` (bundled report, one owner), checkpointed; returns refs."""
    env = base_env(path)
    assert _run(["import", str(BUNDLED_REPORT)], env).returncode == 0
    conn = sqlite3.connect(str(path))
    refs = [r[0] for r in conn.execute("SELECT ref FROM actions ORDER BY id")]
    conn.close()
    assert (
        _run(["assign", refs[0], "Jane Smith", "--email", "jane.smith@nhs.net"], env).returncode
        == 0
    )
    return refs


def _commands(refs: list[str], tmp: Path) -> list[list[str]]:
    ref = refs[0] if refs else "WL-01"
    return [
        ["list", "--format", "json"],
        ["status", ref, "in-progress"],
        ["note", ref, "a note"],
        ["import", str(BUNDLED_REPORT), "--report", "Another"],
        ["backup", str(tmp / "copy.db")],
        ["check"],
    ]


def _assert_untouched_by(
    db: Path, commands: list[list[str]], env: dict[str, str], *phrases: str, **kw: object
) -> list[str]:
    before = sha256(db)
    lines = []
    for args in commands:
        proc = _run(args, env, **kw)  # type: ignore[arg-type]
        lines.append(assert_one_line_error(proc, *phrases))
        assert sha256(db) == before, args
    assert not (db.parent / "copy.db").exists()
    return lines


# ---------------------------------------------------------------------------
# Not a database, damaged, from the future
# ---------------------------------------------------------------------------


def test_a_text_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("Minutes of the quality committee, 3 March.\n", encoding="utf-8")
    lines = _assert_untouched_by(
        db, _commands([], tmp_path), base_env(db), "not a cpft-tracker database"
    )
    assert all(str(db) in line for line in lines)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]  # no -wal, -shm, copy


@pytest.mark.parametrize("keep", ["first-1000-bytes", "first-half"])
def test_a_truncated_database_is_reported_as_damaged_and_left_alone(
    tmp_path: Path, keep: str
) -> None:
    real = tmp_path / "real.db"
    refs = _make_db(real)
    data = real.read_bytes()
    db = tmp_path / "cut.db"
    db.write_bytes(data[:1000] if keep == "first-1000-bytes" else data[: len(data) // 2])
    lines = _assert_untouched_by(db, _commands(refs, tmp_path), base_env(db), "damaged")
    assert "restore" in lines[-1].lower()  # check says what to do


def _future_db(path: Path, journal_mode: str) -> list[str]:
    refs = _make_db(path)
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('cpft_tracker', 'm999_from_the_future', '2030-01-01')"
    )
    conn.execute(f"PRAGMA journal_mode = {journal_mode}")
    conn.close()
    return refs


@pytest.mark.parametrize("journal_mode", ["wal", "delete"])
def test_a_database_from_a_newer_version_is_refused_and_left_alone(
    tmp_path: Path, journal_mode: str
) -> None:
    db = tmp_path / "future.db"
    refs = _future_db(db, journal_mode)
    lines = _assert_untouched_by(
        db, _commands(refs, tmp_path), base_env(db), "newer version of cpft-tracker"
    )
    assert all("upgrade cpft-tracker" in line.lower() for line in lines)
    assert not Path(f"{db}-wal").exists()


# ---------------------------------------------------------------------------
# Read-only file and folder
# ---------------------------------------------------------------------------


def _can_drop_root_powers(tmp_path: Path) -> bool:
    if os.geteuid() != 0:
        return True  # not root: modes already apply
    if shutil.which("setpriv") is None:
        return False
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0o444)
    proc = subprocess.run(
        [*DROP_ROOT_POWERS, sys.executable, "-c", f"open({str(probe)!r}, 'a')"],
        capture_output=True,
    )
    probe.chmod(0o644)
    probe.unlink()
    return proc.returncode != 0


@pytest.fixture
def as_plain_user(tmp_path: Path) -> list[str]:
    """A command prefix that makes file modes bind (drops root's override powers)."""
    if not _can_drop_root_powers(tmp_path):
        pytest.skip("running as root without setpriv: cannot make a file read-only for the test")
    return DROP_ROOT_POWERS if os.geteuid() == 0 else []


def test_a_read_only_database_file_refuses_changes_but_still_reads(
    tmp_path: Path, as_plain_user: list[str]
) -> None:
    db = tmp_path / "plan.db"
    refs = _make_db(db)
    db.chmod(0o444)
    env = base_env(db)
    before = sha256(db)
    dump = db_snapshot(db)
    try:
        for args in (
            ["status", refs[1], "in-progress"],
            ["note", refs[1], "x"],
            ["import", str(BUNDLED_REPORT), "--report", "Another"],
            ["assign", refs[2], "Raj Patel"],
        ):
            proc = _run(args, env, prefix=as_plain_user)
            assert_one_line_error(proc, "read-only", str(db))
        reader = _run(["list", "--format", "json"], env, prefix=as_plain_user)
        assert reader.returncode == 0, reader.stderr
        assert len(json.loads(reader.stdout)["actions"]) == len(refs)
        checked = _run(["check"], env, prefix=as_plain_user)
        assert checked.returncode == 0, checked.stderr
        backup = _run(["backup", str(tmp_path / "copy.db")], env, prefix=as_plain_user)
        assert backup.returncode == 0, backup.stderr
    finally:
        db.chmod(0o600)
    assert sha256(db) == before
    assert db_snapshot(db) == dump


def test_a_read_only_folder_refuses_changes_and_leaves_the_file_alone(
    tmp_path: Path, as_plain_user: list[str]
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    db = folder / "plan.db"
    refs = _make_db(db)
    before = sha256(db)
    folder.chmod(0o555)
    try:
        for args in (
            ["status", refs[1], "in-progress"],
            ["note", refs[1], "x"],
            ["list", "--format", "json"],
        ):
            proc = _run(args, base_env(db), prefix=as_plain_user)
            assert_one_line_error(proc, str(db))
            assert sha256(db) == before
        # a new database cannot be created there either
        new = folder / "new.db"
        proc = _run(["import", str(BUNDLED_REPORT)], base_env(new), prefix=as_plain_user)
        assert_one_line_error(proc, "permission denied", str(new))
    finally:
        folder.chmod(0o755)
    assert sha256(db) == before
    assert not (folder / "new.db").exists()


# ---------------------------------------------------------------------------
# Full disk
# ---------------------------------------------------------------------------


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.slow
def test_a_full_disk_keeps_every_saved_change_including_those_still_in_the_wal(
    tmp_path: Path,
) -> None:
    db = tmp_path / "plan.db"
    refs = _make_db(db)
    env = base_env(db)
    # Another user's session has committed a note that is still only in the -wal file.
    other = sqlite3.connect(str(db), isolation_level=None)
    try:
        other.execute("PRAGMA wal_autocheckpoint = 0")
        other.execute(
            "INSERT INTO events (action_id, at, by, field, new)"
            " SELECT id, '2025-03-03T09:00:00Z', 'Other User', 'note', 'kept in the wal'"
            " FROM actions WHERE ref = ?",
            [refs[0]],
        )
        wal = Path(f"{db}-wal")
        assert wal.stat().st_size > 0
        dump = db_snapshot(db)
        limit = max(wal.stat().st_size, db.stat().st_size) + 8192
        huge = big_report(tmp_path / "huge.txt", 3000, title="Huge")
        for args in (
            ["import", str(huge), "--report", "Huge"],
            ["status", *refs, "in-progress", "--note", "x" * 60_000],
        ):
            proc = _run(args, env, preexec=_file_size_limit(limit))
            assert_one_line_error(proc, "disk", str(db), "nothing was changed")
            assert db_snapshot(db) == dump
    finally:
        other.close()
    assert integrity(db) == ("ok", [])
    assert count(db, "SELECT count(*) FROM events WHERE new = 'kept in the wal'") == 1
    assert count(db, "SELECT count(*) FROM reports WHERE name = 'Huge'") == 0
    # once there is room again, the next run works
    again = _run(["status", refs[1], "in-progress"], env)
    assert again.returncode == 0, again.stderr


TMPFS_SCRIPT = r"""
import json, os, subprocess, sys
mnt, db_src, report = sys.argv[1], sys.argv[2], sys.argv[3]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs", mnt], check=True)
try:
    db = os.path.join(mnt, "plan.db")
    with open(db_src, "rb") as f, open(db, "wb") as g:
        g.write(f.read())
    os.chmod(db, 0o600)
    fd = os.open(os.path.join(mnt, "filler"), os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    env = dict(os.environ, CPFT_TRACKER_DB=db)
    before = open(db, "rb").read()
    out = []
    for args in (["import", report, "--report", "Huge"], ["note", sys.argv[4], "x"],
                 ["list", "--format", "json"]):
        p = subprocess.run([sys.executable, "-m", "cpft_tracker", *args], env=env,
                           capture_output=True, text=True)
        out.append({"args": args, "rc": p.returncode, "stderr": p.stderr, "stdout": p.stdout,
                    "same": open(db, "rb").read() == before})
    os.remove(os.path.join(mnt, "filler"))
    p = subprocess.run([sys.executable, "-m", "cpft_tracker", "note", sys.argv[4], "room again"],
                       env=env, capture_output=True, text=True)
    out.append({"args": ["after"], "rc": p.returncode, "stderr": p.stderr, "stdout": "", "same": False})
    print(json.dumps(out))
finally:
    subprocess.run(["umount", "-l", mnt])
"""


@pytest.mark.slow
def test_a_really_full_filesystem_gives_one_clear_line(tmp_path: Path) -> None:
    if shutil.which("unshare") is None:
        pytest.skip("no unshare: cannot mount a tiny filesystem here")
    trial = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if trial.returncode != 0:
        pytest.skip("not allowed to create a mount namespace for a tiny tmpfs")
    db = tmp_path / "plan.db"
    refs = _make_db(db)
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    huge = big_report(tmp_path / "huge.txt", 3000, title="Huge")
    proc = subprocess.run(
        [
            "unshare",
            "-m",
            sys.executable,
            "-c",
            TMPFS_SCRIPT,
            str(mnt),
            str(db),
            str(huge),
            refs[0],
        ],
        capture_output=True,
        text=True,
        env=base_env(db),
        cwd=str(ROOT),
        timeout=300,
    )
    if proc.returncode != 0 and "mount" in proc.stderr:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()[:200]}")
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    for r in results[:-1]:
        fake = subprocess.CompletedProcess(r["args"], r["rc"], r["stdout"], r["stderr"])
        assert_one_line_error(fake, "disk")
        assert r["same"], r["args"]
    assert results[-1]["rc"] == 0, results[-1]["stderr"]


# ---------------------------------------------------------------------------
# Private files
# ---------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_and_its_wal_files_are_private_even_with_a_loose_umask(
    tmp_path: Path,
) -> None:
    db = tmp_path / "plan.db"
    env = base_env(db)

    def loose() -> None:
        os.umask(0o000)

    assert _run(["import", str(BUNDLED_REPORT)], env, preexec=loose).returncode == 0
    assert _mode(db) == 0o600
    # keep a connection open so the -wal and -shm files stay while a change is made
    holder = sqlite3.connect(str(db))
    try:
        holder.execute("SELECT count(*) FROM actions").fetchone()
        ref = holder.execute("SELECT ref FROM actions LIMIT 1").fetchone()[0]
        assert _run(["note", ref, "private"], env, preexec=loose).returncode == 0
        for suffix in ("-wal", "-shm"):
            extra = Path(f"{db}{suffix}")
            assert extra.exists()
            assert _mode(extra) == 0o600, (suffix, oct(_mode(extra)))
    finally:
        holder.close()
    backup = _run(["backup", str(tmp_path / "copy.db")], env, preexec=loose)
    assert backup.returncode == 0, backup.stderr
    assert _mode(tmp_path / "copy.db") == 0o600


# ---------------------------------------------------------------------------
# Two connections in one process (remind --send records on one, reads on the other)
# ---------------------------------------------------------------------------


def test_a_change_made_while_another_command_closes_the_plan_is_kept(tmp_path: Path) -> None:
    """`remind --send` opens the plan twice. Opening it the second time must not cost the first
    connection its lock on the file: when it did, a `list` finishing meanwhile deleted the
    write-ahead log, and the reminders recorded after that were lost (each owner reminded
    again the next run). Here: a second open, a `list` in another process, then a note on
    the first connection; a fresh process must see the note."""
    from cpft_tracker.store import Store

    db = tmp_path / "tracker.db"
    refs = _make_db(db)
    env = base_env(db)
    writer = Store.open(db)
    reader = Store.open(db, readonly=True)
    try:
        listed = _run(["list", "--format", "json"], env)  # opens and closes the plan
        assert listed.returncode == 0, listed.stderr
        writer.add_note(refs[0], "recorded while a colleague's list finished", by="Test Lead")
        shown = _run(["history", refs[0]], env)
        assert shown.returncode == 0, shown.stderr
        assert "recorded while a colleague's list finished" in shown.stdout
    finally:
        reader.close()
        writer.close()
    assert integrity(db) == ("ok", [])
    # and the header is still checked when no connection of this process has the file
    other = tmp_path / "notes.txt"
    other.write_text("not a database\n", encoding="utf-8")
    with pytest.raises(Exception, match="not an SQLite file"):
        Store.open(other)
