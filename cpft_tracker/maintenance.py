"""Looking after the database file: consistent backups, safe restores and health checks.

Functions here take an open :class:`~cpft_tracker.store.Store`; they never print. The CLI
(``cli_maintenance.py``) turns their results into a short report and an exit code.

* :func:`backup` copies the database with SQLite's online backup API, so the copy is a
  consistent snapshot even while other people are writing. The copy is written to a
  private temporary file (mode 0600) next to the target, checked, and only then moved into
  place: a failed backup never leaves a half-written file and never destroys an older one.
* :func:`restore` puts a backup back: a checked private copy renamed into place while
  nobody has the database open, the replaced file kept with its ``-wal``/``-shm`` beside it.
* :func:`check` runs ``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check``, compares
  the schema version with this version of cpft-tracker, confirms the triggers that keep
  the audit trail append-only and actions undeletable are still there with their own SQL,
  walks the audit trail's hash chain (``store/chain.py``) and replays the events to name
  every action, owner, setting or report whose row its history does not explain
  (``replay.py``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import heapq
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cpft_tracker import safefiles
from cpft_tracker.errors import TrackerError
from cpft_tracker.store import MIGRATIONS, SCHEMA_VERSION, Store, chain, translate_sqlite_error
from cpft_tracker.store import sqlite_dialect as dialect
from cpft_tracker.store.sharing import (
    SHARED_FILE_MODE,
    match_database,
    shared_gid,
    shared_warnings,
)

# The triggers m001_initial creates; ``check`` reports any that are missing or changed.
PROTECTIVE_TRIGGERS: tuple[str, ...] = tuple(dialect.PROTECTIVE_TRIGGERS)

# How many disagreements and broken links a report lists (all are counted).
LISTED = 50


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


def backup(store: Store, target: Path | str, *, force: bool = False) -> BackupResult:
    """Copy the database to ``target`` with SQLite's online backup API.

    Consistent while others write (the copy is one read snapshot). The copy is readable by
    its owner only (by the group too, 0660, when the database is shared: ``init --group``), uses a rollback journal (one self-contained file, readable from
    read-only media) and passes ``PRAGMA quick_check`` before it is moved into place.
    Refuses to overwrite an existing file unless ``force``.
    """
    if isinstance(target, str) and target.endswith(("/", os.sep)):
        # `backup backups/` names a folder; Path() would drop the slash and make a FILE there
        folder = Path(target).expanduser()
        if not folder.is_dir():
            raise BackupProblem(
                f"The folder {folder} does not exist, so no backup was made. "
                f"Create it first (mkdir -p {folder}), or give a file name such as {folder}.db."
            )
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
    from cpft_tracker.safefiles import output_path

    existed = target.exists() or target.is_symlink()
    # A private temporary file (O_EXCL|O_NOFOLLOW, 0600, an unpredictable name) next to the
    # target, checked, then moved into place; without force a hard link, so two backups at
    # once cannot overwrite each other (issue 14, finding 7).
    mode = SHARED_FILE_MODE if shared_gid(store.path) is not None else 0o600
    with output_path(target, force=force, mode=mode) as tmp:
        counts = _copy_into(store, tmp)
        match_database(store.path, tmp)  # a shared plan's backup is the group's too
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


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


# ---------------------------------------------------------------------------
# Restore
# ---------------------------------------------------------------------------

# The files SQLite keeps beside a database: the write-ahead log, its shared-memory index, and
# a rollback journal. They belong to that file and move with it.
SIDE_FILES = ("-wal", "-shm", "-journal")


class RestoreProblem(TrackerError):
    """A backup that cannot be put in place (missing, damaged, the database in use...)."""


@dataclass
class RestoreResult:
    """What ``restore`` put in place and where the file it replaced went."""

    path: Path
    backup: Path
    actions: int
    events: int
    chain_head: tuple[int, str | None] | None
    kept: list[Path] = field(default_factory=list)  # the replaced file, then its side files
    # why the replaced file was named .damaged- (its failed checks); "" when it passed its check
    # and None when it could not be checked (both named .before-restore-)
    replaced_problems: str | None = ""


def restore(
    path: Path, backup_file: Path, *, by: str, now: dt.datetime | None = None
) -> RestoreResult:
    """Put ``backup_file`` in place of the database at ``path``, safely (issue 14, finding 1).

    1. The backup is copied to a private file next to the database and checked there
       (integrity, foreign keys, schema, the audit chain and its replay: ``check``); it is
       upgraded there if it is older. The backup itself is never changed. Nothing else is
       touched if it fails.
    2. The database is held (``store.sole_use``) so that nobody can read or write it
       meanwhile; if anyone has it open, nothing is done.
    3. The database and its ``-wal``/``-shm``/``-journal`` files are moved aside TOGETHER as
       ``PATH.before-restore-YYYYmmdd-HHMMSS`` when it passes ``check`` (a healthy plan
       replaced, e.g. to undo a mistaken import), else ``PATH.damaged-YYYYmmdd-HHMMSS``
       (+ the same suffixes), so the file still opens with every commit its ``-wal`` held,
       and no old ``-wal`` is ever applied on top of the backup (what copying the backup
       over the file did). Which it is was checked just before the database was held.
    4. The checked copy is renamed over ``PATH`` (atomic), and the restore is recorded in
       its audit trail.
    """
    from cpft_tracker.store import SQLITE_HEADER, sole_use

    path = Path(path).expanduser()
    source = Path(backup_file).expanduser()
    if not source.exists():
        raise RestoreProblem(
            f"There is no backup at {source}. Check the path; nothing was changed."
        )
    if not source.is_file():
        raise RestoreProblem(
            f"{source} is not a backup file (it is a folder or a device). Give the backup's file name; "
            "nothing was changed."
        )
    if _same_file(source, path):
        raise RestoreProblem(
            f"{source} is the database itself, not a backup of it. Give the backup's file name; "
            "nothing was changed."
        )
    if path.is_dir():
        raise RestoreProblem(
            f"{path} is a folder, not a database file. Give the database's file name."
        )
    if not path.parent.is_dir():
        raise RestoreProblem(
            f"The folder {path.parent} does not exist. Check --db (or CPFT_TRACKER_DB); nothing was changed."
        )
    try:
        with source.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise RestoreProblem(
            f"Cannot read the backup {source}: {exc.strerror}. Nothing was changed."
        ) from None
    if header != SQLITE_HEADER:
        raise RestoreProblem(
            f"{source} is not a cpft-tracker backup (it is not an SQLite file). Give the backup's file name; "
            "nothing was changed."
        )
    wal = Path(f"{source}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise RestoreProblem(
            f"The backup {source} has a -wal file beside it ({wal}), so it is not complete on its own. "
            f"Run 'cpft-tracker --db {source} check' once (that folds the -wal in), then restore again; "
            "nothing was changed."
        )

    staged = _stage_copy(source, path)
    try:
        counts, head = _verify_staged(staged, source)
        kept: list[Path] = []
        problems: str | None = ""
        if path.exists() or path.is_symlink():
            with sole_use(path):
                problems = _replaced_problems(path)
                word = "damaged" if problems else "before-restore"
                kept = _move_aside(path, now or dt.datetime.now(), word)
                os.replace(staged, path)
        else:
            os.replace(staged, path)
    except BaseException:
        for extra in (staged, *(Path(f"{staged}{s}") for s in SIDE_FILES)):
            with contextlib.suppress(OSError):
                extra.unlink()
        raise
    safefiles.fsync_folder(path.parent)
    result = RestoreResult(
        path=path,
        backup=source,
        actions=counts[0],
        events=counts[1],
        chain_head=head,
        kept=kept,
        replaced_problems=problems,
    )
    store = Store.open(path)
    try:
        held = f" (chain head: event {head[0]})" if head else ""
        aside = f"; the replaced file was kept as {kept[0]}" if kept else ""
        store.record_restore(str(source), f"restored from {source}{held}{aside}", by=by)
    finally:
        store.close()
    return result


def _stage_copy(source: Path, path: Path) -> Path:
    """A private copy of ``source`` next to ``path`` (same filesystem, so the rename is atomic)."""
    import secrets

    staged = path.with_name(f".{path.name}.restore-{secrets.token_hex(6)}")
    try:
        fd = os.open(
            staged, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600
        )
    except PermissionError:
        raise RestoreProblem(
            f"Cannot write in {path.parent}: permission denied, so nothing was changed. "
            "Ask for write access to the folder."
        ) from None
    except OSError as exc:
        raise RestoreProblem(
            f"Cannot write in {path.parent}: {exc.strerror}. Nothing was changed."
        ) from None
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while chunk := src.read(1 << 20):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(staged, 0o600)
    except OSError as exc:
        with contextlib.suppress(OSError):
            staged.unlink()
        if exc.errno == errno.ENOSPC:
            raise RestoreProblem(
                f"The disk holding {path} is full, so nothing was changed. Free some space and try again."
            ) from None
        raise RestoreProblem(
            f"Could not copy the backup {source}: {exc.strerror}. Nothing was changed."
        ) from None
    return staged


def _verify_staged(
    staged: Path, source: Path
) -> tuple[tuple[int, int], tuple[int, str | None] | None]:
    """Check the staged copy as ``check`` would; (actions, events) and its chain head, or RestoreProblem."""
    from cpft_tracker.errors import DatabaseProblem

    try:
        store = Store.open(staged, readonly=True)
    except DatabaseProblem as exc:
        why = exc.message.replace(str(staged), str(source))
        raise RestoreProblem(
            f"The backup {source} cannot be used: {why.rstrip('.')}. Nothing was changed."
        ) from None
    try:
        report = check(store)
        counts = store.counts()
    finally:
        store.close()
    if not report.ok:
        problems = "; ".join(f"{f.name}: {f.detail}" for f in report.problems)
        raise RestoreProblem(
            f"The backup {source} failed its check ({problems}), so it was not put in place and nothing "
            "was changed. Try an earlier backup."
        )
    return (counts["actions"], counts["events"]), report.chain_head


def _replaced_problems(path: Path) -> str | None:
    """What ``check`` finds wrong with the database about to be replaced: "" when it passes,
    the failed checks' names when not, None when it could not be checked (then it is not
    called damaged). Checked on a private copy of the file and its -wal/-journal, taken while
    the database is held (``sole_use``: nobody is writing, and SQLite must not open ``path``
    itself in this process), so the file kept is exactly as it was: opening it would fold its
    -wal in or upgrade it."""
    import secrets

    probe = path.with_name(f".{path.name}.check-{secrets.token_hex(6)}")
    try:
        try:
            for suffix in ("", "-wal", "-journal"):
                original = Path(f"{path}{suffix}")
                if suffix and not original.exists():
                    continue
                flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
                fd = os.open(f"{probe}{suffix}", flags, 0o600)
                with os.fdopen(fd, "wb") as out, original.open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        except OSError:  # the copy could not be made (a full disk...): not known to be damaged
            return None
        try:
            store = Store.open(probe, readonly=True)
        except (TrackerError, sqlite3.Error):  # not a database, damaged, from a newer version
            return "it does not open as a cpft-tracker database"
        try:
            report = check(store)
        finally:
            store.close()
        return ", ".join(f.name for f in report.problems)
    except Exception as exc:  # noqa: BLE001 - a damaged file may fail in any way: never block the restore
        return f"its check could not finish: {type(exc).__name__}"
    finally:
        for suffix in ("", *SIDE_FILES):
            with contextlib.suppress(OSError):
                Path(f"{probe}{suffix}").unlink()


def _move_aside(path: Path, now: dt.datetime, word: str = "damaged") -> list[Path]:
    """Move ``path`` and its side files to ``PATH.WORD-STAMP`` (+ suffixes), WORD ``damaged``
    or ``before-restore``; what moved, db first.

    The database is linked to its new name first (the live name keeps a file until the
    backup replaces it), then each side file is renamed beside it.
    """
    stamp = now.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.{word}-{stamp}")
    n = 2
    while any(Path(f"{aside}{s}").exists() for s in ("", *SIDE_FILES)):
        aside = path.with_name(f"{path.name}.{word}-{stamp}-{n}")
        n += 1
    try:
        os.link(path, aside)
    except OSError:  # a filesystem without hard links: rename (the live name is empty briefly)
        os.rename(path, aside)
    kept = [aside]
    for suffix in SIDE_FILES:
        extra = Path(f"{path}{suffix}")
        if extra.exists():
            os.rename(extra, f"{aside}{suffix}")
            kept.append(Path(f"{aside}{suffix}"))
    return kept


# ---------------------------------------------------------------------------
# Check
# ---------------------------------------------------------------------------


CHECK_SCHEMA_VERSION = 1  # check --format json (docs/json-schemas.md)


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
    chain_head: tuple[int, str | None] | None = None  # (event id, hash) of the last event
    events: int = 0
    broken_links: list[int] = field(default_factory=list)  # event ids whose hash is wrong
    disagreements: list[str] = field(default_factory=list)  # rows their history does not explain

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
        head = self.chain_head
        return {
            "schema_version": CHECK_SCHEMA_VERSION,
            "database": str(self.path),
            "ok": self.ok,
            "checks": [{"name": f.name, "ok": f.ok, "detail": f.detail} for f in self.findings],
            "warnings": list(self.warnings),
            "chain_head": None if head is None else {"event": head[0], "hash": head[1]},
            "events": self.events,
            "broken_links": list(self.broken_links),
            "disagreements": list(self.disagreements),
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
        broken, in_tables = 0, set()  # counted as read: a broken row is not held
        for r in conn.execute("PRAGMA foreign_key_check"):
            broken += 1
            in_tables.add(str(r[0]))
    except sqlite3.DatabaseError as exc:
        report.findings.append(Finding("foreign keys", False, str(exc)))
    else:
        if not broken:
            report.findings.append(Finding("foreign keys", True, "ok"))
        else:
            tables = sorted(in_tables)
            report.findings.append(
                Finding(
                    "foreign keys",
                    False,
                    f"{broken} row(s) point at missing records (in {', '.join(tables)})",
                )
            )

    try:
        applied = store.applied_migrations()
    except sqlite3.DatabaseError as exc:
        report.findings.append(Finding("schema", False, str(exc)))
    else:
        known = [name for name, _ in MIGRATIONS]
        version = len(applied)
        # Every migration this version knows is applied, none it does not know: the order they
        # ran in does not matter (each only adds), so a plan upgraded step by step is as good.
        if sorted(applied) == sorted(known):
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

    _check_triggers(store, report)
    _check_trail(store, report)
    if getattr(store, "backend", "sqlite") == "sqlite":  # files of their own only on SQLite
        _check_side_files(store, report)
        report.warnings.extend(_permission_warnings(store.path))
    return report


def _check_triggers(store: Store, report: CheckReport) -> None:
    """Each protective trigger is there AND still has the SQL it was created with."""
    try:
        present = store.trigger_sql()
    except sqlite3.DatabaseError as exc:
        report.findings.append(Finding("audit trail protection", False, str(exc)))
        return
    missing = [t for t in PROTECTIVE_TRIGGERS if t not in present]
    changed = [
        t
        for t in PROTECTIVE_TRIGGERS
        if t in present
        and dialect.normalised_sql(present[t])
        != dialect.normalised_sql(dialect.PROTECTIVE_TRIGGERS[t])
    ]
    problems = []
    if missing:
        problems.append(f"missing trigger(s): {', '.join(missing)}")
    if changed:
        problems.append(f"trigger(s) changed from what cpft-tracker made: {', '.join(changed)}")
    if problems:
        report.findings.append(Finding("audit trail protection", False, "; ".join(problems)))
    else:
        report.findings.append(
            Finding(
                "audit trail protection",
                True,
                "events append-only, actions and reports undeletable",
            )
        )


def _check_trail(store: Store, report: CheckReport) -> None:
    """Walk the hash chain, then replay the events against the plan, one action at a time.

    Two streamed passes over the trail: the chain in event order (feeding the owners',
    settings' and reports' events to a :class:`~cpft_tracker.replay.Replay`), then each
    action's own events beside its row (``Store.action_histories``). What is held is one
    action's history and the first :data:`LISTED` lines found (all are counted), so the
    memory check needs does not grow with the plan (issue 10). Read in one snapshot.
    """
    from cpft_tracker.replay import Replay, action_disagreements

    replay = Replay()

    def fed() -> Iterator[dict[str, object]]:
        for event in store.iter_events():
            if event.get("action_id") is None:
                replay.feed(event)
            yield event

    try:
        store.read_snapshot()
        verdict = chain.verify(fed(), keep=LISTED)
        rows = _Listed()
        jumps: list[tuple[int, str]] = []  # a max-heap (negated ids) of the first LISTED
        n_jumps = 0
        actions = 0
        for action_id, row, events in store.action_histories():
            lines, breaks = action_disagreements(action_id, row, events)
            actions += row is not None
            rows.extend(lines)
            for event_id, line in breaks:
                n_jumps += 1
                if len(jumps) < LISTED:
                    heapq.heappush(jumps, (-event_id, line))
                elif -jumps[0][0] > event_id:
                    heapq.heapreplace(jumps, (-event_id, line))
        state = store.audit_state()
        head = store.chain_head()
    except sqlite3.DatabaseError as exc:
        report.findings.append(Finding("audit chain", False, str(exc)))
        return
    report.chain_head = head
    report.events = verdict.events
    report.broken_links = verdict.broken
    if verdict.ok:
        detail = f"{verdict.events} event(s), every link intact"
        report.findings.append(Finding("audit chain", True, detail))
    else:
        ids = ", ".join(str(i) for i in verdict.broken[:10])
        more = f" and {verdict.broken_count - 10} more" if verdict.broken_count > 10 else ""
        report.findings.append(
            Finding(
                "audit chain",
                False,
                f"broken at event(s) {ids}{more}: changed, inserted or re-hashed outside cpft-tracker",
            )
        )
    # The order Replay.disagreements gives: every row's lines, the breaks by event id, the rest.
    others = replay.others(state)
    found = [*rows.kept, *(line for _, line in sorted((-i, line) for i, line in jumps)), *others]
    total = rows.count + n_jumps + len(others)
    report.disagreements = found[:LISTED]
    if not total:
        report.findings.append(
            Finding("history", True, f"{actions} action(s) agree with their history")
        )
    else:
        shown = "; ".join(found[:5])
        more = f" (and {total - 5} more)" if total > 5 else ""
        report.findings.append(Finding("history", False, shown + more))


class _Listed:
    """The first :data:`LISTED` lines given, and how many were given."""

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.count = 0

    def extend(self, lines: list[str]) -> None:
        self.count += len(lines)
        room = LISTED - len(self.kept)
        if room > 0:
            self.kept.extend(lines[:room])


def _check_side_files(store: Store, report: CheckReport) -> None:
    """A -shm or -wal file we may not write beside a database we may write (finding 9)."""
    from cpft_tracker.store import side_file_advice, unwritable_side_file

    side = unwritable_side_file(store.path)
    if side is None:
        report.findings.append(Finding("journal files", True, "ok"))
    else:
        report.findings.append(
            Finding("journal files", False, f"changes will fail: {side_file_advice(side)}")
        )


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
