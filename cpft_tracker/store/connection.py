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
from typing import Self

from cpft_tracker.errors import DatabaseMissing, DatabaseProblem
from cpft_tracker.store.sharing import create_shared_file, no_access, put_companions_right
from cpft_tracker.store.sqlite_dialect import (
    BEGIN_WRITE,
    MIGRATION_SET,
    MIGRATIONS,
    register_functions,
)

APP_NAME = "cpft-tracker"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 60_000


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
    """``--db PATH``, else ``CPFT_TRACKER_DB``, else the per-user data directory."""
    chosen = option or os.environ.get("CPFT_TRACKER_DB") or None
    return Path(chosen).expanduser() if chosen else default_db_path()


class StoreConnection:
    """An open action-plan database: the connection, migrations and the write transaction."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self._snapshot = False  # a read transaction begun by read_snapshot()

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
        path = Path(path)
        try:
            if path.is_dir():
                raise DatabaseProblem(
                    f"{path} is a folder, not a database file. Give a file name with --db, e.g. --db {path / 'tracker.db'}."
                )
            exists = path.exists() and path.stat().st_size > 0
        except PermissionError:
            raise no_access(path) from None
        if not exists and not create:
            raise DatabaseMissing(
                f"No action plan database at {path}. Run 'cpft-tracker init' or import a report "
                "first, or point --db (or CPFT_TRACKER_DB) at your database."
            )
        if exists:
            _check_header(path)
        elif group is not None:
            try:
                create_shared_file(path, group)
            except OSError as exc:
                raise DatabaseProblem(
                    f"Cannot create the database {path}: {exc.strerror}. Check the folder's group and mode."
                ) from None
        else:
            _create_private_file(path)
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
        return store

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in this database, in order."""
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

    # -- transactions --------------------------------------------------------

    def read_snapshot(self) -> None:
        """Read everything from now on from one snapshot of the plan (a read transaction).

        A view of the plan may be read more than once (a board paper's figures, then its
        tables): inside one read transaction a colleague's change committed in between
        cannot make them disagree. Ended by ``write()`` or ``close()``.
        """
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN")
            self._snapshot = True

    def end_snapshot(self) -> None:
        """End the read transaction begun by ``read_snapshot`` (if any)."""
        if self._snapshot:
            self._snapshot = False
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front (BEGIN IMMEDIATE) so writers wait for each other."""
        conn = self.conn
        self.end_snapshot()
        try:
            conn.execute(BEGIN_WRITE)
        except sqlite3.DatabaseError as exc:
            raise translate_sqlite_error(exc, self.path) from None
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise translate_sqlite_error(exc, self.path) from None


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
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
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
    except PermissionError:
        raise DatabaseProblem(
            f"Cannot create the database {path}: permission denied. Choose a folder you can write to with --db."
        ) from None
    except OSError as exc:
        raise DatabaseProblem(
            f"Cannot create the database {path}: {exc.strerror}. Choose another place with --db."
        ) from None


def translate_sqlite_error(exc: sqlite3.DatabaseError, path: Path) -> DatabaseProblem:
    """A plain-English DatabaseProblem for an SQLite error."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text or "attempt to write" in text:
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
