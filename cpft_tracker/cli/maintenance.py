"""Commands that look after the database: ``init``, ``info``, ``settings``, ``backup``, ``restore``, ``check``.

The work is done in :mod:`cpft_tracker.store` and :mod:`cpft_tracker.maintenance`; here we
parse, call it and report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cpft_tracker.cli.options import (
    By,
    check_format,
    db_path,
    open_store,
)
from cpft_tracker.cli.output import say, show_line
from cpft_tracker.errors import (
    DatabaseMissing,
    DatabaseProblem,
    TrackerError,
    UsageProblem,
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
    from cpft_tracker.store.sharing import find_group, share

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
    "window": ("warning_window_days", "the amber warning window in days, for BRAG", "14"),
}


def settings(
    name: Annotated[
        str | None, typer.Argument(metavar="[NAME]", help="The setting, e.g. window.")
    ] = None,
    value: Annotated[
        str | None, typer.Argument(metavar="[VALUE]", help="Its new value, e.g. 21.")
    ] = None,
    by: By = None,
) -> None:
    """Show the settings, or change one: 'cpft-tracker settings window 21' (amber warning window).

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
    days = value.strip()
    if not days.isdigit() or int(days) > 365:
        raise UsageProblem(
            f"The window is a whole number of days from 0 to 365, e.g. 14 (not '{value}')."
        )
    from cpft_tracker.store import who

    store = open_store()
    change = store.set_setting(stored_key, str(int(days)), by=who(by))
    if change is None:
        say(f"No change: {key} is already {int(days)}.")
    else:
        say(f"{key}: {change.old or default} -> {change.new} ({what}).")


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
    """Put a backup in place of the database, keeping the damaged file and its -wal beside it.

    Checks the backup first (integrity, the audit chain and its history) and refuses while
    anyone has the database open. The file it replaces is kept, with its -wal and -shm
    files, as PATH.damaged-YYYYmmdd-HHMMSS; then the restored plan is checked.

    Example: cpft-tracker restore plan-backup.db
    """
    from cpft_tracker.maintenance import check as run_check
    from cpft_tracker.maintenance import restore as put_back
    from cpft_tracker.store import who

    path = db_path()
    result = put_back(path, backup_file, by=who(by))
    events = f"{result.events} audit events"
    if result.chain_head:
        events += f" up to event {result.chain_head[0]}"
    say(f"Restored {path} from {result.backup} ({result.actions} actions, {events}).")
    if result.kept:
        beside = [p.name for p in result.kept[1:]]
        with_files = f", with {' and '.join(beside)} beside it" if beside else ""
        say(
            f"The file it replaced was kept as {result.kept[0]}{with_files}: to look at it, "
            f"use --db {result.kept[0]} (it opens with every change it held)."
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
            advice += (
                ". If this is your action plan, restore it from your latest backup with "
                "'cpft-tracker restore BACKUP' (it keeps the damaged file for investigation)"
            )
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
        f"{path} failed its check ({names}). Stop making changes and restore the database from "
        "your latest backup with 'cpft-tracker restore BACKUP' (it keeps the damaged file for "
        "investigation)."
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
