"""Looking after the database file: consistent backups and health checks.

Functions here take an open :class:`~cpft_tracker.store.Store`; they never print. The CLI
(``cli_maintenance.py``) turns their results into a short report and an exit code.

* :func:`backup` copies the database with SQLite's online backup API, so the copy is a
  consistent snapshot even while other people are writing. The copy is written to a
  private temporary file (mode 0600) next to the target, checked, and only then moved into
  place: a failed backup never leaves a half-written file and never destroys an older one.
* :func:`check` runs ``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check``, compares
  the schema version with this version of cpft-tracker and confirms the triggers that keep
  the audit trail append-only and actions undeletable are still there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cpft_tracker.errors import TrackerError
from cpft_tracker.store import MIGRATIONS, SCHEMA_VERSION, Store, translate_sqlite_error
from cpft_tracker.store.sharing import match_database, shared_gid, shared_warnings

# The triggers m001_initial creates; ``check`` reports any that are missing.
PROTECTIVE_TRIGGERS: tuple[str, ...] = (
    "events_are_append_only_update",
    "events_are_append_only_delete",
    "actions_are_never_deleted",
    "reports_are_never_deleted",
)


class BackupProblem(TrackerError):
    """A backup that could not be made (target exists, folder missing, disk full...)."""


# ---------------------------------------------------------------------------
# Backup
# ---------------------------------------------------------------------------


@dataclass
class BackupResult:
    """Where a backup went and what it holds."""

    path: Path
    size: int
    actions: int
    events: int
    replaced: bool


def backup_target(target: Path, *, now: dt.datetime | None = None) -> Path:
    """The file a backup goes to: ``target`` itself, or a dated file inside it if it is a folder."""
    if target.is_dir():
        moment = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        return target / f"cpft-tracker-{moment}.db"
    return target


def backup(store: Store, target: Path, *, force: bool = False) -> BackupResult:
    """Copy the database to ``target`` with SQLite's online backup API.

    Consistent while others write (the copy is one read snapshot). The copy is readable by
    its owner only (by the group too, 0660, when the database is shared: ``init --group``), uses a rollback journal (one self-contained file, readable from
    read-only media) and passes ``PRAGMA quick_check`` before it is moved into place.
    Refuses to overwrite an existing file unless ``force``.
    """
    target = backup_target(Path(target).expanduser())
    if _same_file(target, store.path):
        raise BackupProblem(
            f"{target} is the database itself. Give a different file name for the backup, "
            "e.g. tracker-backup.db."
        )
    if not target.parent.is_dir():
        raise BackupProblem(
            f"The folder {target.parent} does not exist, so no backup was made. "
            "Create it or choose another folder."
        )
    existed = target.exists() or target.is_symlink()
    if existed and not force:
        raise BackupProblem(
            f"{target} already exists, so no backup was made. Give a new file name, "
            "or add --force to replace it."
        )
    if existed and target.is_dir():
        raise BackupProblem(f"{target} is a folder. Give a file name for the backup.")
    reserved = False
    if not existed:
        # Claim the name now (O_EXCL) so two backups at once cannot overwrite each other.
        reserved = _create_private(target, exclusive=True, what="the backup")
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        _create_private(tmp, exclusive=False, what="the backup")
        counts = _copy_into(store, tmp)
        os.chmod(tmp, 0o600)
        match_database(store.path, tmp)  # a shared plan's backup is the group's too (0660)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        for suffix in ("-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{tmp}{suffix}").unlink()
        if reserved:
            with contextlib.suppress(OSError):
                target.unlink()
        raise
    _fsync_dir(target.parent)
    return BackupResult(
        path=target,
        size=target.stat().st_size,
        actions=counts[0],
        events=counts[1],
        replaced=existed,
    )


def _copy_into(store: Store, tmp: Path) -> tuple[int, int]:
    """Run the online backup into ``tmp`` and check the copy; returns (actions, events)."""
    try:
        dest = sqlite3.connect(str(tmp), isolation_level=None)
    except sqlite3.Error as exc:
        raise BackupProblem(
            f"Cannot write the backup {tmp.parent}: {exc}. Choose another folder."
        ) from None
    try:
        try:
            store.conn.backup(dest)  # all pages in one step: one consistent snapshot
        except sqlite3.DatabaseError as exc:
            raise _backup_error(exc, store.path, tmp) from None
        try:
            dest.execute("PRAGMA journal_mode = DELETE")
            verdict = dest.execute("PRAGMA quick_check").fetchone()[0]
            counts = dest.execute(
                "SELECT (SELECT count(*) FROM actions), (SELECT count(*) FROM events)"
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            raise _backup_error(exc, store.path, tmp) from None
        if verdict != "ok":
            raise BackupProblem(
                f"The copy of {store.path} failed its check ({verdict}), so no backup was made. "
                "Run 'cpft-tracker check' on the database."
            )
        return int(counts[0]), int(counts[1])
    finally:
        dest.close()


def _backup_error(exc: sqlite3.DatabaseError, source: Path, tmp: Path) -> TrackerError:
    name = getattr(exc, "sqlite_errorname", "")
    if name == "SQLITE_FULL" or name.startswith("SQLITE_IOERR"):
        return BackupProblem(
            f"Could not write the backup in {tmp.parent} ({exc}): the disk may be full. "
            "No backup was made; free some space or choose another folder."
        )
    return translate_sqlite_error(exc, source)


def _create_private(path: Path, *, exclusive: bool, what: str) -> bool:
    """Create ``path`` empty and readable by its owner only; True when it was created."""
    flags = os.O_CREAT | os.O_WRONLY | os.O_TRUNC
    if exclusive:
        flags |= os.O_EXCL
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise BackupProblem(
            f"{path} already exists, so no backup was made. Give a new file name, "
            "or add --force to replace it."
        ) from None
    except PermissionError:
        raise BackupProblem(
            f"Cannot create {what} {path}: permission denied. Choose a folder you can write to."
        ) from None
    except OSError as exc:
        raise BackupProblem(
            f"Cannot create {what} {path}: {exc.strerror}. Choose another folder."
        ) from None
    os.close(fd)
    os.chmod(path, 0o600)
    return True


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (best effort: not every filesystem allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------
# Check
# ---------------------------------------------------------------------------


@dataclass
class Finding:
    """One line of the check report."""

    name: str
    ok: bool
    detail: str


@dataclass
class CheckReport:
    """What ``check`` found: a line per check, and the overall verdict."""

    path: Path
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every check passed (warnings do not count)."""
        return all(f.ok for f in self.findings)

    @property
    def problems(self) -> list[Finding]:
        """The checks that failed."""
        return [f for f in self.findings if not f.ok]

    def as_dict(self) -> dict[str, object]:
        """The report as plain data, for ``check --format json``."""
        return {
            "database": str(self.path),
            "ok": self.ok,
            "checks": [{"name": f.name, "ok": f.ok, "detail": f.detail} for f in self.findings],
            "warnings": list(self.warnings),
        }


def check(store: Store) -> CheckReport:
    """Check the database: integrity, foreign keys, schema version and the audit-trail triggers."""
    report = CheckReport(path=store.path)
    conn = store.conn
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    if rows == ["ok"]:
        report.findings.append(Finding("integrity", True, "ok"))
    else:
        more = f" (and {len(rows) - 3} more)" if len(rows) > 3 else ""
        report.findings.append(Finding("integrity", False, "; ".join(rows[:3]) + more))

    try:
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as exc:
        report.findings.append(Finding("foreign keys", False, str(exc)))
    else:
        if not broken:
            report.findings.append(Finding("foreign keys", True, "ok"))
        else:
            tables = sorted({str(r[0]) for r in broken})
            report.findings.append(
                Finding(
                    "foreign keys",
                    False,
                    f"{len(broken)} row(s) point at missing records (in {', '.join(tables)})",
                )
            )

    try:
        applied = store.applied_migrations()
    except sqlite3.DatabaseError as exc:
        report.findings.append(Finding("schema", False, str(exc)))
    else:
        known = [name for name, _ in MIGRATIONS]
        version = len(applied)
        if applied == known:
            report.findings.append(
                Finding("schema", True, f"version {version} (this cpft-tracker: {SCHEMA_VERSION})")
            )
        elif version > SCHEMA_VERSION or any(n not in known for n in applied):
            report.findings.append(
                Finding(
                    "schema",
                    False,
                    f"version {version}, newer than this cpft-tracker ({SCHEMA_VERSION}): upgrade it",
                )
            )
        else:
            report.findings.append(
                Finding(
                    "schema",
                    False,
                    f"version {version}, older than this cpft-tracker ({SCHEMA_VERSION}): run init",
                )
            )

    try:
        present = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    except sqlite3.DatabaseError as exc:
        report.findings.append(Finding("audit trail protection", False, str(exc)))
    else:
        missing = [t for t in PROTECTIVE_TRIGGERS if t not in present]
        if missing:
            report.findings.append(
                Finding(
                    "audit trail protection", False, f"missing trigger(s): {', '.join(missing)}"
                )
            )
        else:
            report.findings.append(
                Finding(
                    "audit trail protection",
                    True,
                    "events append-only, actions and reports undeletable",
                )
            )

    report.warnings.extend(_permission_warnings(store.path))
    return report


def _permission_warnings(path: Path) -> list[str]:
    if shared_gid(path) is not None:  # a plan a group shares (init --group): 0660 is right
        return shared_warnings(path)
    warnings = []
    for candidate in _db_files(path):
        try:
            mode = stat.S_IMODE(candidate.stat().st_mode)
        except OSError:
            continue
        if mode & 0o077:
            warnings.append(
                f"{candidate} can be read by other users (mode {mode:04o}); it holds names and "
                f"email addresses. Run: chmod 600 {candidate}"
            )
    return warnings


def _db_files(path: Path) -> Iterator[Path]:
    yield path
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{path}{suffix}")
        if extra.exists():
            yield extra
