"""A plan shared by a Unix group on one server: the database's files, their group and modes.

``init --group NAME`` makes the database, its ``-wal`` and ``-shm`` files and backups
readable and writable by the group (mode 0660, group NAME) in a folder the group can
write (mode 2770: setgid, so every file made in it gets the group). Without ``--group``
the database is private (0600), as before. A database is "shared" when its file is
group read-write; then every opening puts right a ``-wal``/``-shm`` file a member made
with the wrong group or mode (possible only when the folder lost its setgid bit).

File-system work only (no SQL). POSIX only: on Windows there are no Unix groups.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from cpft_tracker.errors import DatabaseProblem, NotFound, TrackerError
from cpft_tracker.records import Record

SHARED_FILE_MODE = 0o660
SHARED_FOLDER_MODE = 0o2770
COMPANIONS = ("-wal", "-shm", "-journal")


class Sharing(Record):
    """What ``init --group`` did and what the person should know (warnings)."""

    __slots__ = ("group", "folder", "done", "warnings")

    def __init__(
        self,
        group: str,
        folder: Path,
        done: list[str] | None = None,
        warnings: list[str] | None = None,
    ) -> None:
        self.group = group
        self.folder = folder
        self.done: list[str] = [] if done is None else done
        self.warnings: list[str] = [] if warnings is None else warnings


def _user() -> str:
    import pwd

    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return str(os.geteuid())


def _group_name(gid: int) -> str:
    import grp

    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def find_group(name: str) -> int:
    """The id of the Unix group ``name``; NotFound (one plain line) when there is none."""
    if os.name != "posix":
        raise TrackerError(
            "--group needs a Unix server (Linux or macOS): Windows has no Unix groups."
        )
    import grp

    try:
        return grp.getgrnam(name.strip()).gr_gid
    except KeyError:
        raise NotFound(
            f"There is no Unix group '{name}' on this server. Check the spelling (getent group), "
            f"or ask an administrator to create it: sudo groupadd {name.strip() or 'NAME'}."
        ) from None


def _member(gid: int) -> bool:
    return os.geteuid() == 0 or gid == os.getegid() or gid in os.getgroups()


def _listed_member(gid: int) -> bool:
    """Whether the login is listed in the group (it may not be effective until the next login)."""
    import grp

    try:
        return _user() in grp.getgrgid(gid).gr_mem
    except KeyError:
        return False


def _mode_text(mode: int) -> str:
    return stat.filemode(mode)


def share(path: Path, group: str) -> Sharing:
    """Prepare ``path``'s folder (and the file, if it exists) for group ``group``, before the database is made.

    Creates the folder (2770, the group) when it is missing; puts right a folder of ours;
    refuses (DatabaseProblem) a folder that is not ours and would lock members out.
    """
    gid = find_group(group)
    name = group.strip()
    user = _user()
    if not _member(gid):
        if _listed_member(gid):
            raise TrackerError(
                f"You ({user}) were added to group {name} after this login began, so it does not apply "
                f"yet. Log out and in again (or run 'newgrp {name}'), then run this again."
            )
        raise TrackerError(
            f"You ({user}) are not in group {name}, so you cannot share a plan with it. Ask an "
            f"administrator to add you (sudo usermod -aG {name} {user}), log in again, and run this again."
        )
    folder = path.parent
    result = Sharing(group=name, folder=folder)
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
            os.chown(folder, -1, gid)
            os.chmod(folder, SHARED_FOLDER_MODE)
        except OSError as exc:
            raise DatabaseProblem(
                f"Cannot create the folder {folder}: {exc.strerror}. Ask an administrator to make it: "
                f"sudo install -d -g {name} -m 2770 {folder}"
            ) from None
        result.done.append(f"Made the folder {folder} for group {name} (drwxrws---).")
    else:
        info = folder.stat()
        ok = info.st_gid == gid and info.st_mode & 0o070 == 0o070
        setgid = bool(info.st_mode & stat.S_ISGID)
        if not (ok and setgid):
            if info.st_uid == os.geteuid() or os.geteuid() == 0:
                os.chown(folder, -1, gid)
                os.chmod(folder, (info.st_mode & 0o7777) | 0o070 | stat.S_ISGID)
                result.done.append(
                    f"Gave the folder {folder} to group {name} "
                    f"({_mode_text(folder.stat().st_mode)}): members can make the database's "
                    "-wal and -shm files there, and every file made in it is the group's."
                )
            elif not ok:
                raise DatabaseProblem(
                    f"The folder {folder} is {_mode_text(info.st_mode)}, group {_group_name(info.st_gid)}: "
                    f"members of {name} could not write the database's -wal and -shm files there, so "
                    f"they would be locked out. Ask its owner to run "
                    f"'chgrp {name} {folder} && chmod 2770 {folder}', then run init again."
                )
            else:
                result.warnings.append(
                    f"The folder {folder} has no setgid bit, so a file a member makes there gets that "
                    f"member's own group; cpft-tracker puts its own files right, but ask its owner to run "
                    f"'chmod g+s {folder}'."
                )
        if info.st_mode & 0o002:
            result.warnings.append(
                f"The folder {folder} can be written by everyone on this server, not only group {name}: "
                f"ask its owner to run 'chmod o-rwx {folder}'."
            )
    blocked = _unreachable(folder, gid)
    if blocked is not None:
        result.warnings.append(
            f"Members of {name} cannot reach {folder}: {blocked} is {_mode_text(blocked.stat().st_mode)}. "
            "Put the plan in a folder every member can reach, such as /srv/cpft-tracker, "
            "and point CPFT_TRACKER_DB at it."
        )
    for suffix in ("", *COMPANIONS):
        existing = Path(f"{path}{suffix}")
        if existing.exists():
            try:
                os.chown(existing, -1, gid)
                os.chmod(existing, SHARED_FILE_MODE)
            except PermissionError:
                raise DatabaseProblem(
                    f"{existing} belongs to someone else, so it cannot be given to group {name}. "
                    f"Ask its owner to run 'chgrp {name} {existing} && chmod 660 {existing}', then try again."
                ) from None
            if suffix == "":
                result.done.append(
                    f"Gave the existing database {path} to group {name} (-rw-rw----)."
                )
    mask = os.umask(0)
    os.umask(mask)
    if mask & 0o040:  # group read taken away
        result.warnings.append(
            f"Your umask is {mask:04o}: files you make yourself (exports, plan templates) will not be "
            f"readable by group {name}. cpft-tracker sets the database's and backups' modes itself; "
            "to share the rest, put 'umask 007' in your ~/.profile (every member)."
        )
    return result


def _unreachable(folder: Path, gid: int) -> Path | None:
    """The first folder above ``folder`` that members of ``gid`` cannot pass through, if any."""
    for above in folder.resolve().parents:
        try:
            info = above.stat()
        except OSError:
            return None
        if info.st_mode & 0o001:
            continue
        if info.st_gid == gid and info.st_mode & 0o010:
            continue
        return above
    return None


def create_shared_file(path: Path, gid: int) -> None:
    """Create the empty database file 0660 for group ``gid``."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, SHARED_FILE_MODE)
    os.close(fd)
    os.chown(path, -1, gid)
    os.chmod(path, SHARED_FILE_MODE)


def shared_gid(path: Path) -> int | None:
    """The group a database is shared with (its file is group read-write), else None."""
    if os.name != "posix":
        return None
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_gid if info.st_mode & 0o060 == 0o060 else None


def match_database(database: Path, made: Path) -> None:
    """Give a file made from a shared database (a backup, made 0660) the database's group."""
    gid = shared_gid(database)
    if gid is None:
        return
    with contextlib.suppress(OSError):
        os.chown(made, -1, gid)


def put_companions_right(path: Path) -> None:
    """A shared database's ``-wal``/``-shm`` files made by us: the database's group, mode 0660.

    (SQLite gives them the database's mode; the group comes from the folder's setgid bit, and
    without it from whoever opened the database first.) Other people's files are left alone.
    """
    gid = shared_gid(path)
    if gid is None:
        return
    me = os.geteuid()
    for suffix in COMPANIONS:
        companion = Path(f"{path}{suffix}")
        try:
            info = companion.stat()
        except OSError:
            continue
        if info.st_uid == me and (info.st_gid != gid or info.st_mode & 0o660 != 0o660):
            with contextlib.suppress(OSError):
                os.chown(companion, -1, gid)
                os.chmod(companion, SHARED_FILE_MODE)


def shared_warnings(path: Path) -> list[str]:
    """What would lock a member of a shared plan out, for ``check`` (empty when all is well)."""
    gid = shared_gid(path)
    if gid is None:
        return []
    name = _group_name(gid)
    warnings: list[str] = []
    for suffix in ("", *COMPANIONS):
        item = Path(f"{path}{suffix}")
        try:
            info = item.stat()
        except OSError:
            continue
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o007:
            warnings.append(
                f"{item} can be read by everyone on this server (mode {mode:04o}), not only group "
                f"{name}; it holds names and email addresses. Run: chmod 660 {item}"
            )
        if info.st_gid != gid or mode & 0o060 != 0o060:
            warnings.append(
                f"{item} is group {_group_name(info.st_gid)}, mode {mode:04o}: other members of {name} "
                f"would be locked out. Its owner runs: chgrp {name} {item} && chmod 660 {item}"
            )
    try:
        folder = path.parent.stat()
    except OSError:
        folder = None
    if folder is not None:
        if folder.st_gid != gid or folder.st_mode & 0o070 != 0o070:
            warnings.append(
                f"The folder {path.parent} is {_mode_text(folder.st_mode)}, group "
                f"{_group_name(folder.st_gid)}: members of {name} cannot make the database's -wal and "
                f"-shm files there. Its owner runs: chgrp {name} {path.parent} && chmod 2770 {path.parent}"
            )
        elif not folder.st_mode & stat.S_ISGID:
            warnings.append(
                f"The folder {path.parent} has no setgid bit, so files members make there get their own "
                f"group. Its owner runs: chmod g+s {path.parent}"
            )
    mask = os.umask(0)
    os.umask(mask)
    if mask & 0o040:  # group read taken away
        warnings.append(
            f"Your umask is {mask:04o}: files you make yourself (exports, plan templates) will not be "
            f"readable by group {name} (the database's own files are looked after). Put 'umask 007' in "
            "your ~/.profile."
        )
    return warnings


def no_access(path: Path) -> DatabaseProblem:
    """The plain message when the database (or its folder) cannot be read by this login."""
    import pwd

    user = _user()
    try:
        info = path.stat()
        gid = info.st_gid if info.st_mode & 0o060 == 0o060 else None
        if gid is None:
            try:
                owner = pwd.getpwuid(info.st_uid).pw_name
            except KeyError:
                owner = str(info.st_uid)
            return DatabaseProblem(
                f"You ({user}) cannot open {path}: it is private to {owner}. To share a plan, its "
                "owner runs 'cpft-tracker init --group NAME' (see docs/team.md)."
            )
    except PermissionError:  # the folder keeps us out
        try:
            folder = path.parent.stat()
        except OSError:
            folder = None
        gid = folder.st_gid if folder is not None and folder.st_mode & 0o010 else None
    except OSError:
        gid = None
    if gid is not None and gid not in os.getgroups() and gid != os.getegid():
        name = _group_name(gid)
        if _listed_member(gid):
            return DatabaseProblem(
                f"You ({user}) cannot open {path} yet: it is shared with group {name}, which you "
                f"joined after this login began. Log out and in again (or run 'newgrp {name}')."
            )
        return DatabaseProblem(
            f"You ({user}) cannot open {path}: it is shared with group {name}, and you are not "
            f"in that group. Ask an administrator to add you (sudo usermod -aG {name} {user}), "
            "then log in again."
        )
    return DatabaseProblem(
        f"You do not have permission to read {path}. Ask whoever manages the file for access."
    )
