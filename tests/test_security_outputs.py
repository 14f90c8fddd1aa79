"""Issue 14, findings 7 and 8, through the commands: every file cpft-tracker writes is private and
cannot be redirected.

``export -o``, ``plan template -o`` and ``backup`` go through ``safefiles``: a temporary file with
an unpredictable name, created O_EXCL|O_NOFOLLOW in the target's folder, mode 0600 whatever the
umask, renamed into place; an existing file's mode is never widened; a link is never followed.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpft_tracker.cli import app
from tests.conftest import BUNDLED_REPORT, setup_cli

WRITERS = [
    ("export", "--format", "json", "-o"),
    ("export", "--format", "csv", "-o"),
    ("export", "--format", "html", "-o"),
    ("export", "--format", "xlsx", "-o"),
    ("plan", "template", "-o"),
]


def _cli(*args: str, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    def set_umask() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run(
        [sys.executable, "-m", "cpft_tracker", *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        preexec_fn=set_umask,
        timeout=120,
    )


@pytest.fixture
def plan(db_path: Path) -> Path:
    setup_cli("import", str(BUNDLED_REPORT))
    return db_path


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


SQLITE_BACKUP = pytest.mark.sqlite_only(reason="backup writes a copy of the SQLite file")


@pytest.mark.parametrize("umask", [0o000, 0o022])
@pytest.mark.parametrize("writer", WRITERS, ids=" ".join)
def test_new_files_are_private_whatever_the_umask(
    plan: Path, tmp_path: Path, writer: tuple[str, ...], umask: int
) -> None:
    """Before: the umask decided (0644, or 0666 with umask 000) for files holding names and emails."""
    target = tmp_path / "out" / "plan-file"
    target.parent.mkdir()
    proc = _cli(*writer, str(target), umask=umask)
    assert proc.returncode == 0, proc.stderr
    assert _mode(target) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["plan-file"]  # no temporary file left


@pytest.mark.sqlite_only(reason="backup writes a copy of the SQLite file")
@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_backups_are_private_whatever_the_umask(plan: Path, tmp_path: Path, umask: int) -> None:
    target = tmp_path / "bk" / "plan-backup.db"
    target.parent.mkdir()
    proc = _cli("backup", str(target), umask=umask)
    assert proc.returncode == 0, proc.stderr
    assert _mode(target) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["plan-backup.db"]


@pytest.mark.parametrize("writer", WRITERS, ids=" ".join)
def test_rewriting_a_private_file_keeps_it_private(
    plan: Path, tmp_path: Path, writer: tuple[str, ...]
) -> None:
    """Before: re-exporting over a file set to 0600 made it 0644."""
    target = tmp_path / "board-file"
    target.write_text("last month")
    os.chmod(target, 0o600)
    writer = (*writer[:-1], "--force", writer[-1])  # replacing a file needs --force (issue 13)
    proc = _cli(*writer, str(target), umask=0o022)
    assert proc.returncode == 0, proc.stderr
    assert _mode(target) == 0o600
    assert target.read_bytes() != b"last month"
    # a file shared with a group keeps no more than it had, and no more than 0600
    os.chmod(target, 0o640)
    assert _cli(*writer, str(target), umask=0o000).returncode == 0
    assert _mode(target) == 0o600


@pytest.mark.sqlite_only(reason="backup writes a copy of the SQLite file")
def test_a_backup_forced_over_a_private_file_keeps_it_private(plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "old.db"
    target.write_text("old")
    os.chmod(target, 0o400)
    proc = _cli("backup", str(target), "--force", umask=0o000)
    assert proc.returncode == 0, proc.stderr
    assert _mode(target) == 0o400


@pytest.mark.parametrize(
    "writer", [*WRITERS, pytest.param(("backup",), marks=SQLITE_BACKUP)], ids=" ".join
)
def test_a_target_that_is_a_link_is_refused_and_what_it_points_to_is_untouched(
    plan: Path, tmp_path: Path, writer: tuple[str, ...]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "export.out"
    link.symlink_to(victim)
    args = [*writer, str(link)] + (["--force"] if writer == ("backup",) else [])
    proc = _cli(*args)
    assert proc.returncode == 1
    (line,) = proc.stderr.splitlines()
    assert line.startswith(f"Error: {link} is a symbolic link (to {victim})")
    assert victim.read_text() == "precious"
    assert link.is_symlink()


@pytest.mark.parametrize(
    "writer", [*WRITERS, pytest.param(("backup",), marks=SQLITE_BACKUP)], ids=" ".join
)
def test_a_link_planted_at_the_temporary_name_is_not_followed(
    plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: tuple[str, ...]
) -> None:
    """Before: the temporary name was .NAME.tmp-PID, opened without O_EXCL|O_NOFOLLOW, so another
    user's link there made the write land on the file it pointed to. Now the name cannot be guessed;
    here it is forced (the random part fixed) to show that even a correct guess is not followed."""
    import secrets

    monkeypatch.setattr(secrets, "token_hex", lambda n=8: "0" * (2 * n))
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / ("board.csv" if writer[0] == "plan" else "board.out")
    planted = tmp_path / f".{target.name}.tmp-{'0' * 16}"
    planted.symlink_to(victim)
    result = CliRunner().invoke(app, [*writer, str(target)])
    assert result.exit_code == 1, result.output
    assert "Error: Cannot write" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert victim.read_text() == "precious"
    assert not target.exists()
    assert planted.is_symlink()


def test_a_new_file_is_written_whole_or_not_at_all_and_stdout_is_unchanged(
    plan: Path, tmp_path: Path
) -> None:
    to_file = tmp_path / "plan.csv"
    # --no-bom: a CSV file otherwise starts with the byte-order mark Excel needs; stdout has none
    assert _cli("export", "--format", "csv", "--no-bom", "-o", str(to_file)).returncode == 0
    piped = _cli("export", "--format", "csv")
    assert piped.returncode == 0
    assert to_file.read_text(encoding="utf-8") == piped.stdout
