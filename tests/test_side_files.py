"""A leftover read-only PATH-shm beside a writable database (issue 14, finding 9).

It made every change fail with "read-only for you ... ask for write access to the file and
its folder" (both writable) while `check` said OK. Tests run as root, where modes do not
bind, so the commands run with root's override powers dropped (`setpriv`), as in
test_robustness_files.py; they skip with a reason where that is not possible.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cpft_tracker.store import side_file_advice
from tests.conftest import BUNDLED_REPORT
from tests.robustness_support import ROOT, assert_one_line_error, base_env, cli

pytestmark = pytest.mark.sqlite_only(reason="the SQLite file's -shm and -wal companions")

DROP_ROOT_POWERS = [
    "setpriv",
    "--bounding-set=-dac_override,-dac_read_search,-fowner,-linux_immutable",
    "--",
]

LEAVE_SHM = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT count(*) FROM actions").fetchone()
os._exit(0)  # gone without closing: PATH-shm stays behind
"""


@pytest.fixture
def plain_user(tmp_path: Path) -> list[str]:
    """A command prefix under which file modes bind."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: file modes cannot be made to bind")
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0o444)
    proc = subprocess.run(
        [*DROP_ROOT_POWERS, sys.executable, "-c", f"open({str(probe)!r}, 'a')"], capture_output=True
    )
    probe.unlink()
    if proc.returncode == 0:
        pytest.skip("setpriv cannot drop root's override powers here")
    return DROP_ROOT_POWERS


def run(prefix: list[str], args: list[str], db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "cpft_tracker", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=base_env(db),
        timeout=120,
        cwd=str(ROOT),
    )


@pytest.fixture
def stale_shm(db_path: Path) -> Path:
    """A plan whose PATH-shm was left behind read-only (mode 0400)."""
    assert cli(["import", str(BUNDLED_REPORT)], base_env(db_path)).returncode == 0
    subprocess.run([sys.executable, "-c", LEAVE_SHM, str(db_path)], check=True, timeout=60)
    shm = Path(f"{db_path}-shm")
    assert shm.exists()
    shm.chmod(0o400)
    return shm


def test_a_change_names_the_read_only_shm_file_and_what_to_do(
    db_path: Path, stale_shm: Path, plain_user: list[str]
) -> None:
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    proc = run(plain_user, ["note", "CPFT-01", "Paper to board"], db_path)
    line = assert_one_line_error(
        proc, f"its shared-memory file {stale_shm} is read-only for you", "nothing was changed"
    )
    assert f"chmod 600 {stale_shm}" in line
    assert "write access to the file and its folder" not in line  # the old, misleading advice
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def test_check_reports_the_read_only_shm_file(
    db_path: Path, stale_shm: Path, plain_user: list[str]
) -> None:
    proc = run(plain_user, ["check"], db_path)
    assert_one_line_error(proc, "failed its check (journal files)", str(stale_shm))
    assert "Journal files:" in proc.stdout and "PROBLEM" in proc.stdout
    stale_shm.chmod(0o600)
    assert run(plain_user, ["note", "CPFT-01", "Paper to board"], db_path).returncode == 0
    fixed = run(plain_user, ["check"], db_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr


def test_someone_elses_shm_file_may_be_deleted_once_nobody_uses_the_tracker(
    tmp_path: Path,
) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to give the file to another user")
    shm = tmp_path / "plan.db-shm"
    shm.write_bytes(b"")
    os.chown(shm, 65534, -1)
    advice = side_file_advice(shm)
    assert "when nobody is using the tracker, delete" in advice and str(shm) in advice
    wal = tmp_path / "plan.db-wal"
    wal.write_bytes(b"")
    os.chown(wal, 65534, -1)
    assert "do not delete it" in side_file_advice(wal)
