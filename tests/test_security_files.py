"""Issue 14, findings 7 and 8: the files cpft-tracker writes cannot be redirected by a planted link
and never give other users more access than the database has.

Real files in a temporary folder; the attacker's symlinks are planted the way another user of a
shared folder would plant them.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cpft_tracker import safefiles
from cpft_tracker.errors import TrackerError
from cpft_tracker.safefiles import OutputRefused, output_file, output_path, write_file


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file elsewhere that the attacker wants overwritten."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    path = folder / "passwd"
    path.write_text("root:x:0:0\n")
    return path


def test_a_link_planted_at_the_old_predictable_temp_name_is_not_followed(
    tmp_path: Path, victim: Path
) -> None:
    """Before: export -o wrote .NAME.tmp-PID without O_EXCL/O_NOFOLLOW, following a planted link."""
    target = tmp_path / "board.md"
    (tmp_path / f".board.md.tmp-{os.getpid()}").symlink_to(victim)
    write_file(target, "# Board paper\n")
    assert target.read_text() == "# Board paper\n"
    assert victim.read_text() == "root:x:0:0\n"


def test_a_link_planted_at_the_exact_temp_name_makes_the_write_fail_not_follow(
    tmp_path: Path, victim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even an attacker who guesses the random name cannot redirect the write: O_EXCL|O_NOFOLLOW."""
    monkeypatch.setattr(safefiles.secrets, "token_hex", lambda n: "guessed")
    target = tmp_path / "board.md"
    (tmp_path / ".board.md.tmp-guessed").symlink_to(victim)
    with pytest.raises(OutputRefused) as caught:
        write_file(target, "# Board paper\n")
    assert caught.value.message == (
        f"Cannot write {target}: a temporary file of the same name appeared in {tmp_path} "
        "(someone else may be writing there). Try again, or choose a folder only you can write to."
    )
    assert victim.read_text() == "root:x:0:0\n"
    assert not target.exists()


@pytest.mark.parametrize("mask", [0o022, 0o000])
def test_a_new_file_is_0600_whatever_the_umask(tmp_path: Path, mask: int) -> None:
    """Before: exports followed the umask (0644, or 0666 with umask 000)."""
    old = os.umask(mask)
    try:
        path = write_file(tmp_path / "plan.csv", "ref,owner,email\n")
    finally:
        os.umask(old)
    assert mode_of(path) == 0o600


def test_re_exporting_over_a_0600_file_keeps_it_0600(tmp_path: Path, umask: None) -> None:
    """Before: re-exporting over a file set to 0600 made it 0644."""
    path = tmp_path / "board.json"
    path.write_text("{}")
    path.chmod(0o600)
    write_file(path, '{"version": 1}', force=True, mode=0o640)
    assert path.read_text() == '{"version": 1}'
    assert mode_of(path) == 0o600


def test_a_group_mode_is_kept_but_never_widened(tmp_path: Path, umask: None) -> None:
    shared = write_file(tmp_path / "shared.csv", "a\n", mode=0o640)
    assert mode_of(shared) == 0o640
    opened_up = tmp_path / "old.csv"
    opened_up.write_text("old\n")
    opened_up.chmod(0o644)
    write_file(opened_up, "new\n", force=True)
    assert mode_of(opened_up) == 0o600  # the stricter of 0644 and 0600


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    path = tmp_path / "board.md"
    path.write_text("keep me\n")
    with pytest.raises(TrackerError) as caught:
        write_file(path, "new\n")
    assert caught.value.message == (
        f"{path} already exists, so it was not replaced. Give a new file name, "
        "or add --force to replace it."
    )
    assert path.read_text() == "keep me\n"
    write_file(path, "new\n", force=True)
    assert path.read_text() == "new\n"


@pytest.mark.parametrize("force", [False, True])
def test_a_target_that_is_a_link_is_refused_even_with_force(
    tmp_path: Path, victim: Path, force: bool
) -> None:
    link = tmp_path / "board.md"
    link.symlink_to(victim)
    with pytest.raises(OutputRefused) as caught:
        write_file(link, "x", force=force)
    assert caught.value.message == (
        f"{link} is a symbolic link (to {victim}); cpft-tracker does not write through links. "
        "Give the real path instead, or remove the link."
    )
    assert victim.read_text() == "root:x:0:0\n" and link.is_symlink()


def test_a_fifo_or_a_folder_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputRefused) as caught:
        write_file(fifo, "x", force=True)
    assert "is not an ordinary file" in caught.value.message
    with pytest.raises(OutputRefused) as caught:
        write_file(tmp_path, "x", force=True)
    assert caught.value.message == f"{tmp_path} is a folder. Give a file name to write to."


def test_a_missing_folder_is_one_plain_line(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "board.md"
    with pytest.raises(OutputRefused) as caught:
        write_file(target, "x")
    assert caught.value.message == (
        f"The folder {target.parent} does not exist, so board.md was not written. "
        "Create the folder or choose another one."
    )


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "board.md"
    path.write_text("old\n")
    with pytest.raises(KeyboardInterrupt), output_file(path, force=True) as fh:
        fh.write("half of the new")
        raise KeyboardInterrupt
    assert path.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["board.md"]


@pytest.mark.sqlite_only(reason="an SQLite backup file written through output_path")
def test_a_backup_written_through_output_path_is_private_and_whole(
    tmp_path: Path, umask: None
) -> None:
    src = sqlite3.connect(tmp_path / "plan.db")
    src.execute("CREATE TABLE t (x)")
    src.execute("INSERT INTO t VALUES ('Renée')")
    src.commit()
    target = tmp_path / "backup.db"
    with output_path(target) as tmp:
        assert mode_of(tmp) == 0o600 and tmp.stat().st_size == 0
        dest = sqlite3.connect(tmp)
        src.backup(dest)
        dest.close()
    src.close()
    assert mode_of(target) == 0o600
    check = sqlite3.connect(target)
    assert check.execute("SELECT x FROM t").fetchall() == [("Renée",)]
    check.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.db", "plan.db"]
