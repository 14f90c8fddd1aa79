"""Commands for the board: ``progress``, ``settings`` and ``plan template`` / ``plan load``.

Registered onto ``cpft_tracker.cli.app`` by one import at the bottom of cli.py. Thin: the
figures come from ``progress.py``, the views from ``asof.py``, plan files from ``plan.py``
and the screens from ``board.py``; heavy imports stay inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cpft_tracker.cli import (
    AsOf,
    By,
    Format,
    OwnerFilter,
    ReportFilter,
    Window,
    app,
    build_filters,
    check_format,
    open_store,
    plan_view,
    resolve_as_of,
    say,
    today_date,
    write_output,
)
from cpft_tracker.errors import UsageProblem

# name a person types -> (settings key, what it is, default)
SETTINGS: dict[str, tuple[str, str, str]] = {
    "window": ("warning_window_days", "the amber warning window in days, for BRAG", "14"),
}

_GROUPING_ALIASES = {
    "quality-statement": "quality-statement",
    "quality-statements": "quality-statement",
    "qs": "quality-statement",
    "statement": "quality-statement",
    "owner": "owner",
    "owners": "owner",
    "status": "status",
    "statuses": "status",
}


def _grouping(value: str | None) -> list[str]:
    from cpft_tracker.progress import GROUPINGS

    if value is None:
        return list(GROUPINGS)
    key = "-".join(value.strip().lower().replace("_", " ").split())
    if key not in _GROUPING_ALIASES:
        raise UsageProblem(
            f"'{value}' cannot be used with --by. Use one of: {', '.join(GROUPINGS)}."
        )
    return [_GROUPING_ALIASES[key]]


@app.command()
def progress(
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="GROUPING",
            help="Show only one table: quality-statement, owner or status.",
        ),
    ] = None,
    as_of: AsOf = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Also show what moved after the end of this date: completed, newly overdue, "
            "new owners, changed due dates, notes.",
        ),
    ] = None,
    report: ReportFilter = None,
    window: Window = None,
    fmt: Format = "table",
) -> None:
    """Show progress for the board: % complete, BRAG counts, overdue, and tables by statement, owner, status.

    Retired actions are not counted (they are shown as a separate number). --format json
    gives the same figures for scripts (see docs/json-schemas.md).
    """
    import json

    from cpft_tracker.asof import cutoff_utc, describe_as_of, parse_as_of, plan_actions
    from cpft_tracker.board import long_date
    from cpft_tracker.progress import CHANGES_FIELDS, SUMMARY_FIELDS, changes_since, summarise
    from cpft_tracker.render import print_progress, utc_now_iso, write_stdout

    fmt = check_format(fmt, ("table", "json"))
    groupings = _grouping(by)
    store = open_store(readonly=True)
    as_of_day, today = resolve_as_of(as_of)
    since_day = parse_as_of(since, today=today_date(), option="--since")
    if since_day is not None and since_day >= today:
        raise UsageProblem(
            f"--since {since} must be a date before {today.isoformat()} "
            f"({'the --as-of date' if as_of_day else 'today'}), e.g. the date of the last board report."
        )
    fields = SUMMARY_FIELDS if since_day is None else CHANGES_FIELDS  # only what is shown
    _, _, win, rows = plan_view(store, as_of=as_of, window=window, columns=fields, report=report)
    filters = build_filters(today=today, report=report)
    figures: dict[str, Any] = summarise(rows, today=today, window=win, generated_at=utc_now_iso())
    figures["since"] = None
    if since_day is not None:
        before = plan_actions(store, filters, since_day, columns=fields)
        refs = {r["ref"] for r in rows}
        notes = [
            e
            for e in store.action_events_between(
                cutoff_utc(since_day), cutoff_utc(today), ["note", "status"]
            )
            if e["ref"] in refs
        ]
        figures["since"] = changes_since(before, rows, notes, since=since_day, today=today)
    if fmt == "json":
        write_stdout(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
        return
    if not rows:
        say("No actions yet" + (f" at {describe_as_of(as_of_day)}" if as_of_day else "") + ".")
        return
    position = (
        f"Action plan progress: as it stood at {describe_as_of(as_of_day)}"
        if as_of_day
        else f"Action plan progress on {long_date(today)}"
    )
    print_progress(figures, position=position, groupings=groupings, since=figures["since"])


@app.command()
def settings(
    name: Annotated[
        str | None, typer.Argument(metavar="[NAME]", help="The setting, e.g. window.")
    ] = None,
    value: Annotated[
        str | None, typer.Argument(metavar="[VALUE]", help="Its new value, e.g. 21.")
    ] = None,
    by: By = None,
) -> None:
    """Show the settings, or change one: 'cpft-tracker settings window 21' (amber warning window)."""
    if name is None:
        store = open_store(readonly=True)
        for key, (stored_key, what, default) in SETTINGS.items():
            print(f"{key} = {store.setting(stored_key) or default}    {what} (default {default})")
        return
    key = name.strip().lower()
    if key not in SETTINGS:
        raise UsageProblem(f"There is no setting '{name}'. Settings: {', '.join(SETTINGS)}.")
    stored_key, what, default = SETTINGS[key]
    if value is None:
        store = open_store(readonly=True)
        print(store.setting(stored_key) or default)
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


plan_app = typer.Typer(
    name="plan",
    help="Edit the plan in a spreadsheet: write a template, then load the edited file.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(plan_app, name="plan")


@plan_app.command("template")
def plan_template(
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to this file, e.g. plan.csv."),
    ] = None,
    owner: OwnerFilter = None,
    report: ReportFilter = None,
) -> None:
    """Write every action (ref, title, owner, email, due, status, evidence) as a CSV to edit in Excel.

    Change the owner, owner_email, due, status, evidence or title cells, save as CSV and
    run 'cpft-tracker plan load FILE'. The requirement column is for reading only.
    """
    from cpft_tracker.plan import template_csv

    store = open_store(readonly=True)
    *_, rows = plan_view(store, as_of=None, window=None, owner=owner, report=report)
    write_output(template_csv(rows), output)
    if output not in (None, "-"):
        say(
            f"{len(rows)} action{'s' if len(rows) != 1 else ''}. Edit the file, save it as CSV, "
            f"then run: cpft-tracker plan load {output}"
        )


@plan_app.command("load")
def plan_load(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The edited plan CSV.")],
    by: By = None,
) -> None:
    """Apply an edited plan CSV in one go: every change is saved, or (if any row is wrong) none.

    Each change is recorded in the audit trail. Every bad row is listed with its row number.
    """
    from cpft_tracker.plan import PlanRejected, load_plan
    from cpft_tracker.render import describe_event
    from cpft_tracker.store import who

    store = open_store()
    try:
        edits, changes = load_plan(store, file, by=who(by))
    except PlanRejected as exc:
        for problem in exc.problems:
            say(problem)
        raise
    if not changes:
        say(f"No changes: {file.name} matches the plan.")
        return
    rows = {e["ref"].upper(): e["row"] for e in edits}
    by_ref: dict[str, list[str]] = {}
    for c in changes:
        text = describe_event({"field": c.field, "old": c.old, "new": c.new})
        by_ref.setdefault(c.ref, []).append(text)
    for ref, texts in by_ref.items():
        say(f"Row {rows.get(ref.upper(), '?')} {ref}: {'; '.join(texts)}")
    say(
        f"Loaded {file.name}: {len(changes)} change{'s' if len(changes) != 1 else ''} "
        f"to {len(by_ref)} action{'s' if len(by_ref) != 1 else ''}, saved together."
    )
