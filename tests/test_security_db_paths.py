"""Issue 14, finding 6 (and the ``--db ''`` slip of finding 11): only a regular file or a new path is
a database, and nothing that is not ours is chmodded.

Before: ``--db`` on a character device chmodded it to 0600 (as root this broke the machine's
/dev/null); on an existing empty file it forced 0600; on a FIFO ``init`` and ``import`` hung
forever. These tests never point at the real /dev/null: a device node of the same kind is made
in the test's own folder (root only; skipped otherwise).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_REPORT

FILE_KINDS = "what kind of file --db names (FIFO, device, folder, empty file, link) and its mode"

COMMANDS = [
    ("init",),
    ("import", str(BUNDLED_REPORT)),
    ("list",),
    ("note", "CPFT-01", "chased"),
    ("check",),
    ("backup", "copy.db"),
]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI as a subprocess; a hang fails the test (TimeoutExpired) instead of blocking it."""
    return subprocess.run(
        [sys.executable, "-m", "cpft_tracker", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        cwd=cwd,
        timeout=30,
    )


def _one_line(proc: subprocess.CompletedProcess[str], code: int = 1) -> str:
    assert proc.returncode == code, proc.stderr
    if proc.args[-1] == "check":  # check reports on stdout; its error line says what failed
        assert proc.stderr.startswith("Error: ")
        (problem,) = [ln for ln in proc.stdout.splitlines() if "PROBLEM: " in ln]
        return "Error: " + problem.split("PROBLEM: ", 1)[1]
    assert proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert line.startswith("Error: ")
    return line


@pytest.mark.sqlite_only(reason=FILE_KINDS)
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_fifo_is_refused_at_once_never_waited_on(tmp_path: Path, args: tuple[str, ...]) -> None:
    fifo = tmp_path / "plan.db"
    os.mkfifo(fifo, 0o644)
    line = _one_line(_cli("--db", str(fifo), *args, cwd=tmp_path))
    assert line == (
        f"Error: {fifo} is a pipe (FIFO), not a database file, so cpft-tracker left it alone. "
        "Give the path of your database file (or a new file name) with --db."
    )
    st = os.lstat(fifo)
    assert stat.S_ISFIFO(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.db"]  # no -wal, -shm, copy


@pytest.mark.sqlite_only(reason=FILE_KINDS)
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_character_device_is_refused_and_its_mode_is_left_alone(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    device = tmp_path / "null-like"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here ({exc}); needs root")
    os.chmod(device, 0o666)
    line = _one_line(_cli("--db", str(device), *args, cwd=tmp_path))
    assert line.startswith(f"Error: {device} is a device, not a database file")
    assert stat.S_IMODE(os.lstat(device).st_mode) == 0o666
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null-like"]


@pytest.mark.sqlite_only(reason=FILE_KINDS)
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_folder_is_refused(tmp_path: Path, args: tuple[str, ...]) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    line = _one_line(_cli("--db", str(folder), *args, cwd=tmp_path))
    assert line.startswith(f"Error: {folder} is a folder, not a database file.")
    assert list(folder.iterdir()) == []


@pytest.mark.sqlite_only(reason=FILE_KINDS)
def test_an_existing_empty_file_is_used_but_not_chmodded(tmp_path: Path) -> None:
    """Before: init forced an existing empty file (someone else's, perhaps shared) to 0600."""
    empty = tmp_path / "shared.db"
    empty.touch()
    os.chmod(empty, 0o640)
    proc = _cli("--db", str(empty), "init", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(os.stat(empty).st_mode) == 0o640
    assert _cli("--db", str(empty), "list", cwd=tmp_path).returncode == 0


@pytest.mark.sqlite_only(reason=FILE_KINDS)
def test_a_new_database_is_private(tmp_path: Path) -> None:
    new = tmp_path / "new.db"
    proc = subprocess.run(
        [sys.executable, "-m", "cpft_tracker", "--db", str(new), "init"],
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(0),
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(os.stat(new).st_mode) == 0o600


@pytest.mark.sqlite_only(reason=FILE_KINDS)
def test_a_link_to_nothing_is_refused_not_followed(tmp_path: Path) -> None:
    link = tmp_path / "plan.db"
    link.symlink_to(tmp_path / "elsewhere.db")
    line = _one_line(_cli("--db", str(link), "init", cwd=tmp_path))
    assert "symbolic link to a file that does not exist" in line
    assert not (tmp_path / "elsewhere.db").exists()


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_db_option_is_a_usage_error(tmp_path: Path, value: str, db_path: Path) -> None:
    """Before: `--db ''` silently used the default database."""
    line = _one_line(_cli("--db", value, "init", cwd=tmp_path), code=2)
    assert line.startswith("Error: --db is empty.")
    assert not db_path.exists()
