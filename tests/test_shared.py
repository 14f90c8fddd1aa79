"""A plan shared by a Unix group on one server (issue 12, item 2), with real Unix users.

As root, a fixture makes a group, two members (each with their own primary group, as
useradd makes them), a viewer and someone outside the group, and runs the real command
as each of them with ``runuser``. Without root those tests are skipped (the reason is
given); the plain errors are checked either way.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_REPORT, ROOT, run_cli

pytestmark = pytest.mark.sqlite_only(
    reason="init --group: an SQLite file, its -wal/-shm and backups shared by a Unix group"
)

needs_root = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0,
    reason="needs root to create Unix users and a group (useradd/groupadd) and run commands as them",
)


@dataclass
class Team:
    group: str
    viewers: str
    alice: str  # members of the group (alice also runs the viewers' copy)
    bob: str
    carol: str  # not in the group
    vera: str  # a read-only viewer
    folder: Path  # where the plan lives
    db: Path

    def run(
        self, user: str, *args: str, umask: str = "022", db: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """cpft-tracker as ``user`` (a real login: its own uid, groups and umask)."""
        python = _python()
        env = [
            f"CPFT_TRACKER_DB={db or self.db}",
            f"PYTHONPATH={python[1]}",
            "PYTHONDONTWRITEBYTECODE=1",
            "NO_COLOR=1",
            "COLUMNS=100",
            "CPFT_TRACKER_TODAY=2026-11-20",
        ]
        script = f'umask {umask}; exec "$@"'
        return subprocess.run(
            [
                "runuser",
                "-u",
                user,
                "--",
                "env",
                "-i",
                "PATH=/usr/bin:/bin",
                *env,
                "sh",
                "-c",
                script,
                "sh",
            ]
            + [python[0], "-m", "cpft_tracker", *args],
            capture_output=True,
            text=True,
            timeout=120,
            cwd="/",
        )


def _python() -> tuple[str, str]:
    """An interpreter every user can run, and the path to our code and its dependencies.

    The venv's interpreter may live under a folder only root can enter (/root/.pyenv):
    then the system's python3 of the same version runs the venv's packages.
    """
    site = next(p for p in sys.path if p.endswith("site-packages") and ".venv" in p)
    for candidate in (
        sys.executable,
        f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}",
    ):
        real = os.path.realpath(candidate)
        if all(os.stat(p).st_mode & 0o001 for p in Path(real).parents) and os.access(real, os.X_OK):
            return real, f"{ROOT}:{site}"
    pytest.skip("no Python interpreter here that other users may run")


def _sh(*cmd: str) -> None:
    subprocess.run(cmd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def team() -> Iterator[Team]:
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("needs root to create Unix users and a group")
    if not shutil.which("useradd") or not shutil.which("runuser"):
        pytest.skip("needs useradd and runuser")
    tag = uuid.uuid4().hex[:6]
    group, viewers = f"cpft{tag}", f"cpftv{tag}"
    users = {name: f"cpfu{name[0]}{tag}" for name in ("alice", "bob", "carol", "vera")}
    base = Path(f"/tmp/cpft-shared-{tag}")
    made_groups: list[str] = []
    made_users: list[str] = []
    try:
        for g in (group, viewers):
            _sh("groupadd", g)
            made_groups.append(g)
        memberships = {"alice": f"{group},{viewers}", "bob": group, "carol": "", "vera": viewers}
        for name, login in users.items():
            extra = ["-G", memberships[name]] if memberships[name] else []
            _sh("useradd", "-M", "-s", "/bin/sh", *extra, login)
            made_users.append(login)
        base.mkdir()
        os.chmod(base, 0o755)
        folder = base / "plan"
        folder.mkdir()  # alice's own folder, not yet the group's: init --group puts it right
        shutil.chown(folder, user=users["alice"])
        os.chmod(folder, 0o755)
        yield Team(group, viewers, *users.values(), folder, folder / "tracker.db")  # type: ignore[arg-type]
    finally:
        for login in made_users:
            subprocess.run(["userdel", login], capture_output=True)
        for g in made_groups:
            subprocess.run(["groupdel", g], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def mode(path: Path) -> str:
    return stat.filemode(path.stat().st_mode)


def group_of(path: Path) -> str:
    import grp

    return grp.getgrgid(path.stat().st_gid).gr_name


@needs_root
def test_two_members_share_one_plan(team: Team) -> None:
    init = team.run(team.alice, "init", "--group", team.group)
    assert init.returncode == 0, init.stderr
    assert f"Gave the folder {team.folder} to group {team.group} (drwxrwsr-x)" in init.stderr
    assert init.stderr.endswith(
        f"shared with group {team.group}: members set CPFT_TRACKER_DB={team.db}\n"
    )
    assert (mode(team.db), group_of(team.db)) == ("-rw-rw----", team.group)
    assert group_of(team.folder) == team.group and mode(team.folder)[6] == "s"

    steps = [
        (team.alice, ["import", str(BUNDLED_REPORT)]),
        (team.bob, ["assign", "CPFT-01", "Director of Nursing"]),
        (team.bob, ["status", "CPFT-01", "in-progress", "--note", "started"]),
        (team.alice, ["due", "CPFT-01", "31/03/2027"]),
        (team.bob, ["list"]),
        (team.alice, ["backup", str(team.folder / "backup.db")]),
        (team.bob, ["history", "CPFT-01"]),
    ]
    for user, args in steps:
        proc = team.run(user, *args, umask="077")  # a strict umask locks no one out
        assert proc.returncode == 0, (user, args, proc.stderr)
        assert "permission" not in proc.stderr.lower()
    history = team.run(team.alice, "history", "CPFT-01").stdout
    assert team.bob in history and team.alice in history  # who() is each login's name
    backup = team.folder / "backup.db"
    assert (mode(backup), group_of(backup)) == ("-rw-rw----", team.group)
    for companion in team.folder.glob("tracker.db-*"):
        assert (mode(companion), group_of(companion)) == ("-rw-rw----", team.group)


@needs_root
def test_companion_files_are_the_groups_even_without_setgid(team: Team) -> None:
    """If the folder loses its setgid bit, a member's -wal/-shm would get their own group:
    opening the plan puts them right while the member holds it open."""
    if not team.db.exists():
        assert team.run(team.alice, "init", "--group", team.group).returncode == 0
    os.chmod(team.folder, 0o770)  # no setgid
    try:
        python, path = _python()
        code = (
            "import os, grp; from pathlib import Path; from cpft_tracker.store import Store;"
            f"s = Store.open(Path('{team.db}')); s.set_setting('warning_window_days', '21', by='x');"
            "print(*sorted((p.name, oct(p.stat().st_mode & 0o777), grp.getgrgid(p.stat().st_gid).gr_name)"
            f" for p in Path('{team.folder}').glob('tracker.db-*')))"
        )
        proc = subprocess.run(
            [
                "runuser",
                "-u",
                team.bob,
                "--",
                "env",
                f"PYTHONPATH={path}",
                "PYTHONDONTWRITEBYTECODE=1",
            ]
            + ["sh", "-c", 'umask 077; exec "$@"', "sh", python, "-c", code],
            capture_output=True,
            text=True,
            timeout=60,
            cwd="/",
        )
        assert proc.returncode == 0, proc.stderr
        assert f"('tracker.db-shm', '0o660', '{team.group}')" in proc.stdout
        assert f"('tracker.db-wal', '0o660', '{team.group}')" in proc.stdout
    finally:
        os.chmod(team.folder, 0o2770)


@needs_root
def test_someone_outside_the_group_is_refused_plainly(team: Team) -> None:
    if not team.db.exists():
        assert team.run(team.alice, "init", "--group", team.group).returncode == 0
    os.chmod(team.folder, 0o2770)
    listing = team.run(team.carol, "list")
    assert listing.returncode == 1
    assert listing.stderr == (
        f"Error: You ({team.carol}) cannot open {team.db}: it is shared with group {team.group}, "
        f"and you are not in that group. Ask an administrator to add you (sudo usermod -aG "
        f"{team.group} {team.carol}), then log in again.\n"
    )
    joining = team.run(team.carol, "init", "--group", team.group)
    assert joining.returncode == 1
    assert joining.stderr == (
        f"Error: You ({team.carol}) are not in group {team.group}, so you cannot share a plan with it. "
        f"Ask an administrator to add you (sudo usermod -aG {team.group} {team.carol}), log in again, "
        "and run this again.\n"
    )


@needs_root
def test_a_folder_others_own_that_would_lock_members_out_is_refused(team: Team) -> None:
    locked = team.folder.parent / "locked"
    locked.mkdir(exist_ok=True)
    os.chmod(locked, 0o755)  # root's, group root: members could not write -wal/-shm here
    proc = team.run(team.alice, "init", "--group", team.group, db=locked / "tracker.db")
    assert proc.returncode == 1
    assert proc.stderr == (
        f"Error: The folder {locked} is drwxr-xr-x, group root: members of {team.group} could not "
        "write the database's -wal and -shm files there, so they would be locked out. Ask its owner "
        f"to run 'chgrp {team.group} {locked} && chmod 2770 {locked}', then run init again.\n"
    )
    assert not (locked / "tracker.db").exists()


@needs_root
def test_a_viewer_reads_a_copy_and_cannot_write(team: Team) -> None:
    """The read-only set-up of docs/team.md: a copy made by cron, readable by the viewers' group."""
    if not team.db.exists():
        assert team.run(team.alice, "init", "--group", team.group).returncode == 0
        assert team.run(team.alice, "import", str(BUNDLED_REPORT)).returncode == 0
    view = team.folder.parent / "view"
    view.mkdir(exist_ok=True)
    shutil.chown(view, user=team.alice, group=team.viewers)
    os.chmod(view, 0o2750)
    copy = view / "tracker.db"
    made = team.run(team.alice, "backup", str(copy), "--force")
    assert made.returncode == 0, made.stderr
    _sh("runuser", "-u", team.alice, "--", "chgrp", team.viewers, str(copy))
    _sh("runuser", "-u", team.alice, "--", "chmod", "0640", str(copy))
    for args in (["list"], ["progress"], ["export", "--format", "json"]):
        proc = team.run(team.vera, *args, db=copy)
        assert proc.returncode == 0, (args, proc.stderr)
    refused = team.run(team.vera, "status", "CPFT-01", "blocked", db=copy)
    assert refused.returncode == 1
    assert "read-only for you, so nothing was changed" in refused.stderr
    assert team.run(team.vera, "list").returncode == 1  # the live plan is not hers


def test_an_unknown_group_is_a_plain_error(tmp_path: Path) -> None:
    db = tmp_path / "plan" / "tracker.db"
    proc = run_cli("--db", str(db), "init", "--group", "no-such-group-xyz")
    assert proc.returncode == 1
    assert proc.stderr == (
        "Error: There is no Unix group 'no-such-group-xyz' on this server. Check the spelling "
        "(getent group), or ask an administrator to create it: sudo groupadd no-such-group-xyz.\n"
    )
    assert not db.exists()


def test_without_group_the_database_stays_private(tmp_path: Path) -> None:
    db = tmp_path / "tracker.db"
    assert run_cli("--db", str(db), "init").returncode == 0
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


@needs_root
def test_someone_elses_private_plan_is_named_private(team: Team) -> None:
    private = team.folder.parent / "private"
    private.mkdir(exist_ok=True)
    shutil.chown(private, user=team.alice)
    os.chmod(private, 0o755)
    db = private / "tracker.db"
    assert team.run(team.alice, "init", db=db).returncode == 0
    proc = team.run(team.bob, "list", db=db)
    assert (proc.returncode, proc.stderr) == (
        1,
        f"Error: You ({team.bob}) cannot open {db}: it is private to {team.alice}. To share a plan, "
        "its owner runs 'cpft-tracker init --group NAME' (see docs/team.md).\n",
    )


@needs_root
def test_check_tells_a_member_what_would_lock_others_out(team: Team) -> None:
    if not team.db.exists():
        assert team.run(team.alice, "init", "--group", team.group).returncode == 0
    os.chmod(team.folder, 0o2770)
    fine = team.run(team.bob, "check")
    assert fine.returncode == 0, fine.stderr
    assert "Warning" not in fine.stderr  # 0660 is right for a shared plan
    strict = team.run(team.bob, "check", umask="077")
    assert "Warning: Your umask is 0077: files you make yourself" in strict.stderr
    os.chmod(team.folder, 0o770)
    try:
        nosgid = team.run(team.bob, "check")
        assert f"Warning: The folder {team.folder} has no setgid bit" in nosgid.stderr
    finally:
        os.chmod(team.folder, 0o2770)
