"""Connection, opening and migrations: where the database is, opening it safely, the schema, transactions.

Start-up matters (every command opens the database), so ``sqlite_utils`` is imported
only when a migration is actually pending; an up-to-date database is opened with the
standard ``sqlite3`` module alone.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from cpft_tracker.errors import DatabaseMissing, DatabaseProblem
from cpft_tracker.store.sharing import create_shared_file, no_access, put_companions_right
from cpft_tracker.store.sqlite_dialect import (
    BEGIN_WRITE,
    MIGRATION_SET,
    MIGRATIONS,
    register_functions,
)

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any, Self

APP_NAME = "cpft-tracker"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 60_000

# The database files this process has open through SQLite, by (device, inode): how many
# connections. POSIX locks belong to the process, and closing ANY descriptor of a file drops
# every lock the process holds on it, SQLite's own included ("How To Corrupt An SQLite
# Database File", 2.2). Reading the header of a file a connection of ours has open (a second
# Store on the same plan: remind --send records on one and reads the plan on another) took
# away that connection's lock; another command closing the plan then thought it was the last,
# checkpointed and deleted the write-ahead log, and what our connection committed after that
# went into the deleted file: reminders sent and never recorded, so sent again the next
# morning. The header is therefore read only while no connection of ours has the file open.
_OPEN_FILES: dict[tuple[int, int], int] = {}


def default_db_path() -> Path:
    """The per-user data directory (XDG on Linux, Application Support on macOS, AppData on Windows)."""
    if os.name == "nt":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif os.uname().sysname == "Darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_NAME / "tracker.db"


def resolve_db_path(option: str | None) -> Path:
    """``--db PATH``, else ``CPFT_TRACKER_DB``, else the per-user data directory.

    A ``postgresql://`` URL gives a ``postgres.DatabaseURL`` (it stands where the path stands;
    its ``str()`` masks the password).
    """
    chosen = option or os.environ.get("CPFT_TRACKER_DB") or None
    if chosen and chosen.startswith(("postgresql://", "postgres://")):
        from cpft_tracker.store.postgres import DatabaseURL

        return DatabaseURL(chosen)  # type: ignore[return-value]
    return Path(chosen).expanduser() if chosen else default_db_path()


def is_postgres(path: object) -> bool:
    """Whether ``path`` (a store's ``path``) is a PostgreSQL database, not an SQLite file."""
    return type(path).__name__ == "DatabaseURL"


class StoreConnection:
    """An open action-plan database: the connection, migrations and the write transaction."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self._file_key: tuple[int, int] | None = None  # its entry in _OPEN_FILES
        self._snapshot = False  # a read transaction begun by read_snapshot()
        self.backend = "postgresql" if is_postgres(path) else "sqlite"

    @classmethod
    def _open_postgres(cls, where: Any, *, create: bool, readonly: bool) -> Self:
        """Open the PostgreSQL database ``where`` (a DatabaseURL), migrating it when it may."""
        from cpft_tracker.store import postgres

        conn = postgres.connect(where)
        store = cls(where, conn)  # type: ignore[arg-type]
        try:
            applied = postgres.applied_migrations(conn)
            known = [name for name, _ in MIGRATIONS]
            if [n for n in applied if n not in known] or len(applied) > len(known):
                raise DatabaseProblem(
                    f"The database {where} was written by a newer version of cpft-tracker "
                    f"(schema {len(applied)}; this version knows {len(known)}). "
                    "Upgrade cpft-tracker (pip install -U cpft-tracker) and try again; the database was not changed."
                )
            if not applied:
                if postgres.other_tables(conn):
                    raise DatabaseProblem(
                        f"{where} is a PostgreSQL database, but not a cpft-tracker one. "
                        "Point --db at your action plan database, or at a new, empty one."
                    )
                if not create:
                    raise DatabaseMissing(
                        f"No action plan database at {where} (that PostgreSQL database has no plan yet). Run 'cpft-tracker init' "
                        "or import a report first, or point --db (or CPFT_TRACKER_DB) at your plan."
                    )
            if len(applied) < len(known):
                from cpft_tracker.store.values import now_utc

                postgres.migrate(conn, now_utc())
        except BaseException:
            conn.close()
            raise
        return store

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path, *, create: bool = False, readonly: bool = False, group: int | None = None
    ) -> Self:
        """Open (and with ``create`` make) the database at ``path``, applying pending migrations.

        ``group``: a new database is made for this Unix group (0660; ``sharing.share`` has
        prepared its folder), else for its owner only (0600).

        Raises DatabaseMissing when it does not exist and ``create`` is false, and
        DatabaseProblem for a file that is not SQLite, is damaged, read-only for a
        write, or was written by a newer version of cpft-tracker.
        """
        if isinstance(path, str) and path.startswith(("postgresql://", "postgres://")):
            path = resolve_db_path(path)  # a URL given as text, as on the command line
        if is_postgres(path):
            return cls._open_postgres(path, create=create, readonly=readonly)
        path = Path(path)
        # Only a regular file or a new path (issue 14, finding 6): os.stat never blocks, where
        # opening a FIFO would wait forever, and a device must never be chmodded or written.
        size = _regular_file_size(path)
        exists = bool(size)
        if not exists and not create:
            raise DatabaseMissing(
                f"No action plan database at {path}. Run 'cpft-tracker init' or import a report "
                "first, or point --db (or CPFT_TRACKER_DB) at your database."
            )
        if exists and _file_key(path) not in _OPEN_FILES:
            _check_header(path)  # never while a connection of ours has it open: see _OPEN_FILES
        elif size is None and group is not None:
            try:
                create_shared_file(path, group)
            except OSError as exc:
                raise DatabaseProblem(
                    f"Cannot create the database {path}: {exc.strerror}. Check the folder's group and mode."
                ) from None
        elif size is None:
            _create_private_file(path)
        # an existing empty file becomes the database as it is: it is not ours to chmod
        try:
            conn = sqlite3.connect(
                str(path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise DatabaseProblem(
                f"Cannot open the database {path}: {exc}. Check the path and its permissions."
            ) from None
        store = cls(path, conn)
        try:
            conn.row_factory = sqlite3.Row
            register_functions(conn)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            # migrate (and refuse a newer schema) BEFORE switching to WAL, so a refused
            # database is left byte-for-byte as it was
            store._migrate(allow_write=True)
            if not readonly:
                mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
                if mode != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
            put_companions_right(path)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise translate_sqlite_error(exc, path) from None
        except BaseException:
            conn.close()
            raise
        key = _file_key(path)
        if key is not None:
            _OPEN_FILES[key] = _OPEN_FILES.get(key, 0) + 1
            store._file_key = key
        return store

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()
        key, self._file_key = self._file_key, None
        if key is not None:
            left = _OPEN_FILES.get(key, 1) - 1
            if left > 0:
                _OPEN_FILES[key] = left
            else:
                _OPEN_FILES.pop(key, None)

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in this database, in order."""
        if self.backend == "postgresql":
            from cpft_tracker.store import postgres

            return postgres.applied_migrations(self.conn)  # type: ignore[arg-type]
        has_table = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
        ).fetchone()
        if not has_table:
            return []
        rows = self.conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
            [MIGRATION_SET],
        ).fetchall()
        return [r[0] for r in rows]

    @property
    def schema_version(self) -> int:
        """How many of this project's migrations the database has."""
        return len(self.applied_migrations())

    def _migrate(self, *, allow_write: bool) -> None:
        applied = self.applied_migrations()
        known = [name for name, _ in MIGRATIONS]
        unknown = [name for name in applied if name not in known]
        if unknown or len(applied) > len(known):
            raise DatabaseProblem(
                f"The database {self.path} was written by a newer version of cpft-tracker "
                f"(schema {len(applied)}; this version knows {len(known)}). "
                "Upgrade cpft-tracker (pip install -U cpft-tracker) and try again; the database was not changed."
            )
        if len(applied) == len(known):
            return
        if not applied:
            others = self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
            if others:
                raise DatabaseProblem(
                    f"{self.path} is an SQLite database, but not a cpft-tracker one. "
                    "Point --db at your action plan database, or at a new file."
                )
        if not allow_write:
            raise DatabaseProblem(
                f"The database {self.path} needs upgrading before it can be read. "
                "Run 'cpft-tracker init' to upgrade it."
            )
        import sqlite_utils

        migrations = sqlite_utils.Migrations(MIGRATION_SET)
        for name, fn in MIGRATIONS:
            migrations(name=name)(fn)
        db = sqlite_utils.Database(self.conn, execute_plugins=False)
        with self.write():
            # re-check inside the write lock: another process may have just migrated
            if len(self.applied_migrations()) < len(known):
                migrations.apply(db)

    def streaming_cursor(self) -> Any:
        """A cursor for a big read taken row by row (the whole plan, every event).

        SQLite's cursors step through the result as it is read. On PostgreSQL a plain
        cursor receives the whole result first, so this is a server-side cursor read a
        batch at a time (``postgres.PgCursor``, ``streamed``): the client holds one batch.
        """
        if self.backend == "postgresql":
            return self.conn.cursor(streamed=True)  # type: ignore[call-overload]
        return self.conn.cursor()

    # -- transactions --------------------------------------------------------

    def read_snapshot(self) -> None:
        """Read everything from now on from one snapshot of the plan (a read transaction).

        A view of the plan may be read more than once (a board paper's figures, then its
        tables): inside one read transaction a colleague's change committed in between
        cannot make them disagree. Ended by ``write()`` or ``close()``.
        """
        if not self.conn.in_transaction:
            self.conn.execute(
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                if self.backend == "postgresql"
                else "BEGIN"
            )
            self._snapshot = True

    def end_snapshot(self) -> None:
        """End the read transaction begun by ``read_snapshot`` (if any)."""
        if self._snapshot:
            self._snapshot = False
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front (BEGIN IMMEDIATE) so writers wait for each other.

        PostgreSQL: BEGIN, then an EXCLUSIVE lock on events (readers go on; writers queue).
        """
        conn = self.conn
        self.end_snapshot()
        try:
            if self.backend == "postgresql":
                conn.execute("BEGIN")
                try:
                    conn.execute("LOCK TABLE events IN EXCLUSIVE MODE")
                except BaseException:
                    abandon(conn)
                    raise
            else:
                conn.execute(BEGIN_WRITE)
        except sqlite3.DatabaseError as exc:
            raise translate_sqlite_error(exc, self.path) from None
        try:
            yield conn
        except BaseException:
            abandon(conn)
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            abandon(conn)
            raise translate_sqlite_error(exc, self.path) from None


def abandon(conn: Any) -> None:
    """Roll back the open transaction, if any, keeping the reason it failed as the reason.

    A ROLLBACK can itself fail: after a Ctrl-C in the middle of a PostgreSQL query the driver
    still has that query in flight ("another command is already in progress"), and a broken
    connection cannot send anything. Its error must not replace the real one (the user would
    read "Lost the connection" for a Ctrl-C). The connection is then closed, which ends the
    transaction unsaved on both SQLite and the server.
    """
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except Exception:
        with contextlib.suppress(Exception):
            conn.close()


# SQLite's locking protocol on Unix (os_unix.c): every connection holds a read lock on the
# SHARED range of the database file while it reads, and (in WAL mode) for as long as it is
# open; writers add PENDING and RESERVED. A write lock on all three is held only when no
# other connection, in any process, has the database open.
_PENDING_BYTE = 0x40000000
_LOCK_BYTES = 2 + 510  # PENDING, RESERVED, then SHARED_FIRST .. SHARED_FIRST + SHARED_SIZE


@contextlib.contextmanager
def sole_use(path: Path) -> Iterator[None]:
    """Hold ``path`` so that no SQLite connection anywhere can read or write it meanwhile.

    Raises DatabaseProblem at once (no waiting) when anyone has it open. For replacing the
    file (``restore``): do not open ``path`` with SQLite in this process while holding it
    (POSIX locks belong to the process, and closing any descriptor of the file drops them).
    Where ``fcntl`` is missing (Windows), nothing is held.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except PermissionError:
        raise DatabaseProblem(
            f"The database {path} is read-only for you, so it cannot be replaced. "
            "Ask for write access to the file and its folder; nothing was changed."
        ) from None
    except OSError as exc:
        raise DatabaseProblem(
            f"Cannot open the database {path} ({exc.strerror}), so it was not replaced."
        ) from None
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, _LOCK_BYTES, _PENDING_BYTE, os.SEEK_SET)
        except OSError:
            raise DatabaseProblem(
                f"The database {path} is in use: someone is making changes or has cpft-tracker "
                "(or another program) reading it. Ask everyone to finish and close it, then try "
                "again; nothing was changed."
            ) from None
        yield
    finally:
        os.close(fd)


def _regular_file_size(path: Path) -> int | None:
    """The size of the database file at ``path``, None when there is none yet.

    Refuses (one line) a folder, a device, a FIFO or a socket: nothing that is not an ordinary
    file is opened, let alone chmodded.
    """
    import stat

    try:
        st = os.stat(path)
    except FileNotFoundError:
        if path.is_symlink():
            raise DatabaseProblem(
                f"{path} is a symbolic link to a file that does not exist. Give the real path "
                "of the database with --db."
            ) from None
        return None
    except NotADirectoryError:
        raise DatabaseProblem(
            f"Cannot use {path} as the database: part of that path is a file, not a folder. "
            "Give another path with --db."
        ) from None
    except PermissionError:
        raise no_access(path) from None
    except OSError as exc:
        raise DatabaseProblem(
            f"Cannot use {path} as the database: {exc.strerror}. Give another path with --db."
        ) from None
    if stat.S_ISDIR(st.st_mode):
        raise DatabaseProblem(
            f"{path} is a folder, not a database file. Give a file name with --db, e.g. --db {path / 'tracker.db'}."
        )
    if not stat.S_ISREG(st.st_mode):
        kind = (
            "a device"
            if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "a pipe (FIFO)"
            if stat.S_ISFIFO(st.st_mode)
            else "a socket"
            if stat.S_ISSOCK(st.st_mode)
            else "not an ordinary file"
        )
        raise DatabaseProblem(
            f"{path} is {kind}, not a database file, so cpft-tracker left it alone. "
            "Give the path of your database file (or a new file name) with --db."
        )
    return st.st_size


def _file_key(path: Path) -> tuple[int, int] | None:
    """The file's (device, inode), None when it cannot be looked at."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _check_header(path: Path) -> None:
    try:
        # O_NONBLOCK: should the path have become a FIFO since it was checked, never wait on it
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            header = fh.read(16)
    except PermissionError:
        raise no_access(path) from None
    except OSError as exc:
        raise DatabaseProblem(
            f"Cannot read {path}: {exc.strerror}. Check the file and try again."
        ) from None
    if header != SQLITE_HEADER:
        raise DatabaseProblem(
            f"{path} is not a cpft-tracker database (it is not an SQLite file). "
            "Check the --db path, or restore the file from a backup; it was not changed."
        )


def _create_private_file(path: Path) -> None:
    """Create the database file readable by its owner only (it holds names and email addresses)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL|O_NOFOLLOW: only a file this call creates is made private (never someone
        # else's file, a device or what a link points to)
        flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
        try:
            os.fchmod(fd, 0o600)  # whatever the umask
        finally:
            os.close(fd)
    except FileExistsError:
        raise DatabaseProblem(
            f"{path} appeared while cpft-tracker was creating it (someone else may be creating "
            "it too). Try again."
        ) from None
    except PermissionError:
        raise DatabaseProblem(
            f"Cannot create the database {path}: permission denied. Choose a folder you can write to with --db."
        ) from None
    except OSError as exc:
        raise DatabaseProblem(
            f"Cannot create the database {path}: {exc.strerror}. Choose another place with --db."
        ) from None


def _writable(path: Path) -> bool:
    """Whether we may write ``path``, asked without opening it.

    Never ``open``: closing a descriptor of a file drops every POSIX lock this process holds
    on it, SQLite's included (its -shm read marks, its lock on the database).
    """
    effective = os.access in os.supports_effective_ids
    return os.access(path, os.W_OK, effective_ids=effective)


def unwritable_side_file(path: Path) -> Path | None:
    """A ``-shm`` or ``-wal`` file beside a database we may write that we may NOT write (finding 9).

    Left behind by another user (or restored from a copy with the wrong mode), it makes every
    change fail with SQLite's "attempt to write a readonly database" although the database
    itself is writable. None when there is no such file (or the database is read-only anyway).
    """
    try:
        if not path.exists() or not _writable(path):
            return None
        for suffix in ("-shm", "-wal"):
            side = Path(f"{path}{suffix}")
            if side.exists() and not _writable(side):
                return side
    except OSError:
        return None
    return None


def side_file_advice(side: Path) -> str:
    """What is wrong with a read-only ``-shm``/``-wal`` file, whose it is, and what to do."""
    owner = ""
    mine = False
    try:
        info = side.stat()
        mine = info.st_uid == os.geteuid()
        import pwd

        owner = pwd.getpwuid(info.st_uid).pw_name
    except (OSError, KeyError, ImportError):
        pass
    whose = f" (owned by {owner})" if owner else ""
    if str(side).endswith("-shm"):
        fix = (
            f"run 'chmod 600 {side}'"
            if mine
            else f"when nobody is using the tracker, delete {side} (SQLite makes a new one), "
            f"or ask {owner or 'its owner'} to"
        )
        return f"its shared-memory file {side} is read-only for you{whose}. To fix it, {fix}"
    fix = (
        f"run 'chmod 600 {side}'"
        if mine
        else f"ask {owner or 'its owner'} to give you write access to it; do not delete it, it may "
        "hold saved changes"
    )
    return f"its write-ahead log {side} is read-only for you{whose}. To fix it, {fix}"


def translate_sqlite_error(exc: sqlite3.DatabaseError, path: Path) -> DatabaseProblem:
    """A plain-English DatabaseProblem for an SQLite error."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text or "attempt to write" in text:
        side = unwritable_side_file(path)
        if side is not None:
            return DatabaseProblem(
                f"The database {path} cannot be changed: {side_file_advice(side)}. Nothing was changed."
            )
        return DatabaseProblem(
            f"The database {path} is read-only for you, so nothing was changed. "
            "Ask for write access to the file and its folder, or work on a copy with --db."
        )
    if "locked" in text or "busy" in text:
        return DatabaseProblem(
            f"The database {path} is busy with another long-running change. Nothing was changed; try again in a minute."
        )
    if "disk is full" in text or "database or disk is full" in text or "no space" in text:
        return DatabaseProblem(
            f"The disk holding {path} is full, so nothing was changed. Free some space and try again."
        )
    if getattr(exc, "sqlite_errorname", "").startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return DatabaseProblem(
            f"Could not read or write {path} (disk I/O error): the disk may be full or failing, so "
            "nothing was changed. Free some space and try again; then run 'cpft-tracker check'."
        )
    if (
        "malformed" in text
        or "not a database" in text
        or "file is encrypted" in text
        or "corrupt" in text
    ):
        return DatabaseProblem(
            f"The database {path} is damaged ({exc}). Nothing was changed. Run 'cpft-tracker check' and "
            "restore it from a backup if needed."
        )
    if "unable to open" in text or "cannot open" in text:
        return DatabaseProblem(
            f"Cannot open the database {path}. Check that the folder exists and that you may write to it."
        )
    if "audit trail cannot be changed" in text or "never deleted" in text:
        return DatabaseProblem(f"Refused: {exc}. The action plan keeps everything.")
    return DatabaseProblem(f"The database {path} reported a problem: {exc}. Nothing was changed.")
