"""Commands that look after the database: ``init``, ``info``, ``settings``, ``backup``, ``restore``, ``check``.

The work is done in :mod:`cpft_tracker.store` and :mod:`cpft_tracker.maintenance`; here we
parse, call it and report.
"""

from __future__ import annotations

import json
from pathlib import Path

from cpft_tracker.cli.options import check_format, checked_window, db_path, open_store
from cpft_tracker.cli.output import say, show_line
from cpft_tracker.errors import (
    DatabaseMissing,
    DatabaseProblem,
    TrackerError,
    UsageProblem,
)

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:  # the declarations: read by cli/convert.py and mypy, not imported to run
    from typing import Annotated

    import typer

    from cpft_tracker.cli.declarations import By


def _restore_advice() -> str:
    """How to put the plan back from a backup, for the kind of database it is."""
    from cpft_tracker.store.connection import is_postgres

    if is_postgres(db_path()):
        return (
            "restore the database from your latest backup with pg_restore (ask the person who "
            "looks after the PostgreSQL server)"
        )
    return (
        "restore the database from your latest backup with 'cpft-tracker restore BACKUP' "
        "(it keeps the damaged file for investigation)"
    )


def _sqlite_only(command: str) -> None:
    """Refuse (one line) a command that works on SQLite files only, when the plan is in PostgreSQL."""
    from cpft_tracker.store.connection import is_postgres

    if is_postgres(db_path()):
        raise UsageProblem(
            f"'{command}' works on SQLite files. For a plan in PostgreSQL use pg_dump and pg_restore, "
            "or 'cpft-tracker copy --to FILE.db' for a copy of the whole plan as an SQLite file."
        )


def init(
    group: Annotated[
        str | None,
        typer.Option(
            "--group",
            metavar="NAME",
            help="Share the plan with this Unix group: its members can read and change it "
            "(the database, its -wal/-shm files and backups get mode 0660 and the group).",
        ),
    ] = None,
) -> None:
    """Create the action plan database, or upgrade it to this version. Safe to run twice.

    Without --group the database is readable by you only. With --group NAME the members
    of that Unix group share it: the folder is checked (and made, mode 2770) and the tool
    says plainly if a member's umask or the folder's permissions would lock others out.
    See docs/team.md.

    Example: cpft-tracker init
    """
    if group is None:
        store = open_store(create=True)
        say(f"Database ready at {store.path} (schema version {store.schema_version}).")
        return
    from cpft_tracker.store.connection import is_postgres
    from cpft_tracker.store.sharing import find_group, share

    if is_postgres(db_path()):
        raise UsageProblem(
            "--group shares an SQLite file with a Unix group. A plan in PostgreSQL is shared "
            "through database roles instead: see docs/postgresql.md."
        )
    if not group.strip():
        raise UsageProblem(
            "--group is empty. Give the Unix group to share the plan with, e.g. --group cpft."
        )
    path = db_path()
    sharing = share(path, group)
    store = open_store(create=True, group=find_group(group))
    for line in sharing.done:
        say(line)
    for warning in sharing.warnings:
        say(f"Warning: {warning}")
    say(
        f"Database ready at {store.path} (schema version {store.schema_version}), shared with "
        f"group {sharing.group}: members set CPFT_TRACKER_DB={store.path}"
    )


def info(
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="table or json.")
    ] = "table",
) -> None:
    """Show which database is in use, its schema version and what it holds.

    Example: cpft-tracker info --format json
    """
    import json

    fmt = check_format(fmt, ("table", "json"))
    store = open_store()
    data = {"database": str(store.path), "schema_version": store.schema_version, **store.counts()}
    if fmt == "json":
        print(json.dumps(data, indent=2))
        return
    for key, value in data.items():
        show_line(f"{key.replace('_', ' ').capitalize() + ':':<18}{value}")


SETTINGS: dict[str, tuple[str, str, str]] = {
    "window": (
        "warning_window_days",
        "the look-ahead window in days: amber, 'due in the next', remind",
        "14",
    ),
    "provider": (
        "provider_name",
        "the trust or provider the board paper names, if the report titles do not",
        "from the report titles",
    ),
}
MAX_PROVIDER_LENGTH = 200


def _checked_setting(key: str, value: str) -> str:
    """A setting's new value as stored, or a UsageProblem saying what to give instead."""
    from cpft_tracker.textsafe import visible

    if key == "window":
        return str(checked_window(value, "settings window"))
    name = " ".join(value.split(" ")).strip()
    if len(name) > MAX_PROVIDER_LENGTH or visible(name) != name:
        raise UsageProblem(
            f"The provider is a name of up to {MAX_PROVIDER_LENGTH} characters on one line, "
            "e.g. 'Cambridgeshire and Peterborough NHS Foundation Trust'."
        )
    name = " ".join(name.split())  # doubled spaces made single
    return name  # '' clears it: the board paper names the provider from the report titles


def settings(
    name: Annotated[
        str | None, typer.Argument(metavar="[NAME]", help="The setting: window or provider.")
    ] = None,
    value: Annotated[
        str | None,
        typer.Argument(metavar="[VALUE]", help="Its new value, e.g. 21 ('' clears provider)."),
    ] = None,
    by: By = None,
) -> None:
    """Show the settings, or change one: the look-ahead window or the provider's name.

    window (days, default 14) is the one look-ahead window: an action due within it is
    amber, progress and the board paper count those "due in the next N days", and
    remind lists them (--window and remind --within override it once). provider names
    the trust in the board paper when the report titles do not ('' clears it).

    Example: cpft-tracker settings window 21
    """
    if name is None:
        store = open_store(readonly=True)
        for key, (stored_key, what, default) in SETTINGS.items():
            show_line(
                f"{key} = {store.setting(stored_key) or default}    {what} (default {default})"
            )
        return
    key = name.strip().lower()
    if key not in SETTINGS:
        raise UsageProblem(f"There is no setting '{name}'. Settings: {', '.join(SETTINGS)}.")
    stored_key, what, default = SETTINGS[key]
    if value is None:
        store = open_store(readonly=True)
        show_line(store.setting(stored_key) or default)
        return
    new = _checked_setting(key, value)
    from cpft_tracker.store import who

    store = open_store()
    if new == "" and store.setting(stored_key) is None:
        say(f"No change: {key} is not set.")
        return
    change = store.set_setting(stored_key, new, by=who(by))
    if change is None:
        say(f"No change: {key} is already {new}.")
    else:
        say(f"{key}: {change.old or default} -> {change.new or default} ({what}).")


def backup(
    path: Annotated[
        str,
        typer.Argument(
            metavar="PATH",
            help="The backup file to create (or a folder: a dated file is made inside it).",
            show_default=False,
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace PATH if it already exists.")
    ] = False,
) -> None:
    """Copy the database to PATH, safely, even while others are making changes.

    Uses SQLite's online backup, so the copy is consistent. The copy is readable by you
    only. To restore it: cpft-tracker restore BACKUP (never copy it over the database file).

    Example: cpft-tracker backup plan-backup.db
    """
    from cpft_tracker.maintenance import backup as make_backup

    _sqlite_only("backup")
    store = open_store(readonly=True)
    try:
        result = make_backup(store, path, force=force)
    finally:
        store.close()
    verb = "Replaced" if result.replaced else "Wrote"
    say(
        f"{verb} backup {result.path} ({result.actions} actions, {result.events} audit events, "
        f"{_size(result.size)}) of {store.path}."
    )


def restore(
    backup_file: Annotated[
        Path,
        typer.Argument(
            metavar="BACKUP",
            help="The backup file to put in place (made by 'cpft-tracker backup').",
            show_default=False,
        ),
    ],
    by: By = None,
) -> None:
    """Put a backup in place of the database, keeping the file it replaces and its -wal beside it.

    Checks the backup first (integrity, the audit chain and its history) and refuses while
    anyone has the database open. The file it replaces is kept, with its -wal and -shm
    files, beside it as <database>.before-restore-YYYYmmdd-HHMMSS when it passes its check,
    else as <database>.damaged-YYYYmmdd-HHMMSS; then the restored plan is checked.

    Example: cpft-tracker restore plan-backup.db
    """
    from cpft_tracker.maintenance import check as run_check
    from cpft_tracker.maintenance import restore as put_back
    from cpft_tracker.store import who

    _sqlite_only("restore")
    path = db_path()
    result = put_back(path, backup_file, by=who(by))
    events = f"{result.events} audit events"
    if result.chain_head:
        events += f" up to event {result.chain_head[0]}"
    say(f"Restored {path} from {result.backup} ({result.actions} actions, {events}).")
    if result.kept:
        beside = [p.name for p in result.kept[1:]]
        with_files = f", with {' and '.join(beside)} beside it" if beside else ""
        verdict = (
            "could not be checked"
            if result.replaced_problems is None
            else f"failed its check ({result.replaced_problems})"
            if result.replaced_problems
            else "passed its check"
        )
        say(
            f"The file it replaced {verdict} and was kept as {result.kept[0]}{with_files}: "
            f"to look at it, use --db {result.kept[0]} (it opens with every change it held)."
        )
    store = open_store(readonly=True)
    try:
        report = run_check(store)
    finally:
        store.close()
    _print_report(report, "table")
    if not report.ok:
        names = ", ".join(f.name for f in report.problems)
        raise TrackerError(
            f"The restored database {path} failed its check ({names}). Restore an earlier backup."
        )


def check(
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="table or json.")
    ] = "table",
) -> None:
    """Check the database: integrity, foreign keys, schema version and audit-trail protection.

    Also walks the audit trail's hash chain (naming each event changed outside
    cpft-tracker), replays the trail to name each action whose row disagrees with its
    history, and prints the chain head ("Audit chain head: HASH (event N)") to publish.
    Exits 1 with advice if anything is wrong (e.g. restore from your latest backup).

    Example: cpft-tracker check
    """
    from cpft_tracker.maintenance import CheckReport, Finding
    from cpft_tracker.maintenance import check as run_check

    fmt = check_format(fmt, ("table", "json"))
    path = db_path()
    try:
        store = open_store(readonly=True)
    except DatabaseMissing:
        raise
    except DatabaseProblem as exc:
        report = CheckReport(path=path, findings=[Finding("open", False, exc.message)])
        _print_report(report, fmt)
        advice = ". ".join(
            part for part in exc.message.rstrip(".").split(". ") if "cpft-tracker check" not in part
        )
        if not any(w in exc.message for w in ("newer version", "read-only", "permission")):
            advice += f". If this is your action plan, {_restore_advice()}"
        raise TrackerError(f"{path} failed its check: {advice}.") from None
    try:
        report = run_check(store)
    finally:
        store.close()
    _print_report(report, fmt)
    for warning in report.warnings:
        say(f"Warning: {warning}")
    if report.ok:
        return
    names = ", ".join(f.name for f in report.problems)
    if [f.name for f in report.problems] == ["journal files"]:
        detail = report.problems[0].detail.removeprefix("changes will fail: ")
        raise TrackerError(
            f"{path} failed its check (journal files): changes to it will fail because {detail}. "
            "The database itself is fine."
        )
    if [f.name for f in report.problems] == ["schema"]:
        advice = report.problems[0].detail.split(": ")[-1]
        raise TrackerError(
            f"{path} failed its check (schema: {report.problems[0].detail}). "
            f"To fix it, {advice}; the database was not changed."
        )
    raise TrackerError(
        f"{path} failed its check ({names}). Stop making changes and {_restore_advice()}."
    )


def _print_report(report: object, fmt: str) -> None:
    from cpft_tracker.maintenance import CheckReport

    assert isinstance(report, CheckReport)
    if fmt == "json":
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    labels = [("Database", str(report.path))]
    for f in report.findings:
        labels.append((f.name.capitalize(), f.detail if f.ok else f"PROBLEM: {f.detail}"))
    if report.chain_head is not None:
        event, digest = report.chain_head
        labels.append(("Audit chain head", f"{digest or '(no hash)'} (event {event})"))
    labels.append(("Result", "OK" if report.ok else "PROBLEMS FOUND"))
    width = max(len(k) for k, _ in labels) + 2
    for key, value in labels:
        show_line(f"{key + ':':<{width}}{value}")


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def copy(
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="URL_OR_PATH",
            help="The new, empty database: postgresql://user@host/dbname, or an SQLite file path.",
        ),
    ],
) -> None:
    """Copy the whole plan, with its history, into a new empty database (SQLite or PostgreSQL).

    Every table and every row is copied as it is, in one transaction: action and event ids,
    the audit trail and its chain hashes, owners, settings and reminders. So 'export' and
    'check' give the same on both sides. The plan copied is --db (or CPFT_TRACKER_DB); the
    target must hold no plan yet (an empty PostgreSQL database, or a new file). Moves a plan
    into PostgreSQL (copy --to postgresql://...) and back (--db postgresql://... copy --to plan.db).

    Example: cpft-tracker --db plan.db copy --to postgresql://tracker@db.example.nhs.uk/cpft
    """
    from cpft_tracker.store import Store, resolve_db_path
    from cpft_tracker.store.copying import copy_plan

    if not to.strip():
        raise UsageProblem(
            "--to is empty. Give the new database, e.g. --to postgresql://host/plan."
        )
    target_path = resolve_db_path(to)
    source = open_store()
    if str(target_path) == str(source.path):
        raise UsageProblem(
            f"--to names the plan being copied ({source.path}). Give another database."
        )
    target = Store.open(target_path, create=True)
    try:
        counts = copy_plan(source, target)
    finally:
        target.close()
        source.close()
    say(
        f"Copied {counts['actions']} actions, {counts['events']} audit events, {counts['owners']} "
        f"owners and {counts['reports']} reports from {source.path} to {target.path}. "
        f"Check it with: cpft-tracker --db '{target.path}' check"
    )
