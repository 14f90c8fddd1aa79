"""Writing output files (exports, plan templates, backups) so that nobody else can redirect or read them.

INTERFACE CONTRACT:

    write_file(target, data, *, force=False, mode=0o600) -> Path
    output_file(target, *, force=False, mode=0o600, text=True) -> context manager -> file object
    output_path(target, *, force=False, mode=0o600) -> context manager -> Path of a private,
        empty temporary file (for writers that need a path, such as SQLite's backup)

The rules, the same for every file cpft-tracker writes:

* The data goes to a temporary file in the target's own folder, under an unpredictable name
  (``.NAME.tmp-<random>``), created with ``O_CREAT | O_EXCL | O_NOFOLLOW``: a file or symbolic
  link planted there by someone else makes the creation fail instead of being followed.
* The temporary file is mode 0600 (or the ``mode`` given, e.g. 0640 for a plan shared with a
  group) whatever the umask, written, fsynced and then renamed over the target, so readers see
  the old file or the new one, never half of one.
* An existing file's mode is never widened: the result gets the stricter of the existing and
  the requested mode (their intersection). Re-exporting over a 0600 file leaves it 0600.
* An existing target is replaced only with ``force=True``; without it the message names
  ``--force``. Without ``force`` the final step is a hard link, which fails if a file appeared
  in the meantime, so two writers cannot overwrite each other either.
* A target that is a symbolic link is refused, with or without ``force``: writing through a
  link in a shared folder is how a planted link redirects a write, and replacing the link
  itself would surprise whoever made it. The message gives the path the link points to, so
  the user can write there directly.
* A target that is a folder, a device or a FIFO is refused (use stdout to write to a pipe).

Every refusal is a ``TrackerError`` whose message is one plain line saying what to do. The
temporary file is removed on every failure, including Ctrl-C.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from cpft_tracker.errors import TrackerError

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import IO, Any

DEFAULT_MODE = 0o600


class OutputRefused(TrackerError):
    """An output file that cannot or must not be written; the message says what to do."""


def temp_name(target: Path) -> Path:
    """An unpredictable temporary name next to ``target``."""
    return target.with_name(f".{target.name}.tmp-{secrets.token_hex(8)}")


def refuse_odd_target(target: Path) -> None:
    """Refuse, before any work, a target we would never write: a link, a device, a folder."""
    _final_mode(target, 0o600)


def _final_mode(target: Path, mode: int) -> tuple[bool, int]:
    """(whether ``target`` exists, the mode the new file gets); refuses links and odd files."""
    mode &= 0o777
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return False, mode
    except NotADirectoryError:
        raise OutputRefused(
            f"Cannot write {target}: part of that path is a file, not a folder. "
            "Choose another path."
        ) from None
    except PermissionError:
        raise OutputRefused(
            f"Cannot write {target}: permission denied. Choose a folder you can write to."
        ) from None
    if stat.S_ISLNK(st.st_mode):
        try:
            points_to = os.path.realpath(target)
        except OSError:
            points_to = os.readlink(target)
        raise OutputRefused(
            f"{target} is a symbolic link (to {points_to}); cpft-tracker does not write through "
            "links. Give the real path instead, or remove the link."
        )
    if stat.S_ISDIR(st.st_mode):
        raise OutputRefused(f"{target} is a folder. Give a file name to write to.")
    if not stat.S_ISREG(st.st_mode):
        raise OutputRefused(
            f"{target} is not an ordinary file (it is a device, pipe or socket). Give a file "
            "name, or leave out -o to write to the screen or a pipe."
        )
    return True, mode & stat.S_IMODE(st.st_mode)


def _refuse_existing(target: Path) -> OutputRefused:
    return OutputRefused(
        f"{target} already exists, so it was not replaced. Give a new file name, "
        "or add --force to replace it."
    )


def _os_error(target: Path, exc: OSError) -> OutputRefused:
    if exc.errno == errno.ENOENT:
        return OutputRefused(
            f"The folder {target.parent} does not exist, so {target.name} was not written. "
            "Create the folder or choose another one."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputRefused(
            f"Cannot write {target}: {exc.strerror or 'permission denied'}. "
            "Choose a folder you can write to."
        )
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputRefused(
            f"The disk holding {target.parent} is full, so {target.name} was not written. "
            "Free some space and try again."
        )
    if exc.errno == errno.EEXIST:
        return OutputRefused(
            f"Cannot write {target}: a temporary file of the same name appeared in "
            f"{target.parent} (someone else may be writing there). Try again, or choose a "
            "folder only you can write to."
        )
    if exc.errno == errno.ELOOP:
        return OutputRefused(
            f"Cannot write {target}: a symbolic link is in the way. Give the real path instead."
        )
    reason = exc.strerror or str(exc) or type(exc).__name__
    return OutputRefused(f"Cannot write {target}: {reason}. Choose another folder or file name.")


def _create_temp(target: Path, mode: int) -> tuple[Path, int]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    tmp = temp_name(target)
    try:
        fd = os.open(tmp, flags, 0o600)
    except OSError as exc:
        raise _os_error(target, exc) from None
    try:
        os.fchmod(fd, mode)  # exactly this mode, whatever the umask
    except OSError as exc:
        os.close(fd)
        _unlink(tmp)
        raise _os_error(target, exc) from None
    return tmp, fd


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: not every filesystem allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _move_into_place(tmp: Path, target: Path, *, force: bool, mode: int) -> None:
    """Rename ``tmp`` over ``target`` (``force``) or link it there only if nothing is there yet."""
    existed, final = _final_mode(target, mode)  # again: the target may have changed meanwhile
    if existed and not force:
        raise _refuse_existing(target)
    if final != mode:  # the existing file was made stricter meanwhile: follow it
        os.chmod(tmp, final)
    if force:
        os.replace(tmp, target)
    else:
        try:
            os.link(tmp, target, follow_symlinks=False)
        except FileExistsError:
            raise _refuse_existing(target) from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            os.replace(tmp, target)  # no hard links on this file system
        else:
            _unlink(tmp)
    fsync_folder(target.parent)


@contextlib.contextmanager
def output_path(
    target: Path | str, *, force: bool = False, mode: int = DEFAULT_MODE
) -> Iterator[Path]:
    """A private, empty temporary file next to ``target``; moved into place when the block ends.

    For writers that need a path rather than a file object (SQLite's backup API). SQLite's own
    ``-journal`` file for it gets the same unpredictable name plus ``-journal`` and is removed.
    """
    target = Path(target)
    existed, final = _final_mode(target, mode)
    if existed and not force:
        raise _refuse_existing(target)
    tmp, fd = _create_temp(target, final)
    os.close(fd)
    try:
        yield tmp
        try:
            fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            raise _os_error(target, exc) from None
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            _move_into_place(tmp, target, force=force, mode=final)
        except OSError as exc:
            raise _os_error(target, exc) from None
    finally:
        _unlink(tmp)
        for suffix in ("-journal", "-wal", "-shm"):
            _unlink(Path(f"{tmp}{suffix}"))


@contextlib.contextmanager
def output_file(
    target: Path | str,
    *,
    force: bool = False,
    mode: int = DEFAULT_MODE,
    text: bool = True,
    encoding: str = "utf-8",
    newline: str = "",
) -> Iterator[IO[Any]]:
    """A file object writing to a private temporary file; on success it is fsynced and moved into place.

    On any error (including Ctrl-C) the temporary file is removed and ``target`` is untouched.
    """
    target = Path(target)
    existed, final = _final_mode(target, mode)
    if existed and not force:
        raise _refuse_existing(target)
    tmp, fd = _create_temp(target, final)
    try:
        fh: IO[Any]
        if text:
            fh = os.fdopen(fd, "w", encoding=encoding, newline=newline)
        else:
            fh = os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        _unlink(tmp)
        raise
    try:
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _move_into_place(tmp, target, force=force, mode=final)
    except OSError as exc:
        raise _os_error(target, exc) from None
    finally:
        _unlink(tmp)


def write_file(
    target: Path | str,
    data: str | bytes,
    *,
    force: bool = False,
    mode: int = DEFAULT_MODE,
    encoding: str = "utf-8",
) -> Path:
    """Write ``data`` to ``target`` atomically and privately (see the module rules); returns the path."""
    target = Path(target)
    with output_file(
        target, force=force, mode=mode, text=isinstance(data, str), encoding=encoding
    ) as fh:
        fh.write(data)
    return target
