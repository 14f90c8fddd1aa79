"""Commands for the board: ``progress`` (the screen and its JSON) and ``export`` (json, csv,
markdown board-paper section, html board report). The figures come from ``progress.py``, the
views from ``asof.py``, the products from ``cpft_tracker.board`` and ``cpft_tracker.render``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

import typer

from cpft_tracker.cli.options import (
    AsOf,
    DueBeforeFilter,
    Format,
    OverdueFilter,
    OwnerFilter,
    QualityStatementFilter,
    ReportFilter,
    StatusFilter,
    UnassignedFilter,
    Window,
    build_filters,
    check_format,
    open_store,
    plan_view,
    resolve_as_of,
    today_date,
)
from cpft_tracker.cli.output import say, write_output
from cpft_tracker.errors import (
    UsageProblem,
)

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


def export(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="json, csv, markdown (a board-paper section) or html (a board report).",
        ),
    ] = "json",
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to a file, not stdout."),
    ] = None,
    status: StatusFilter = None,
    owner: OwnerFilter = None,
    unassigned: UnassignedFilter = False,
    overdue: OverdueFilter = False,
    due_before: DueBeforeFilter = None,
    report: ReportFilter = None,
    quality_statement: QualityStatementFilter = None,
    window: Window = None,
    as_of: AsOf = None,
) -> None:
    """Export actions for scripts and board papers (the same filters as 'list').

    json and csv are for scripts and spreadsheets; markdown is a board-paper section and
    html a self-contained report for a browser (summary, BRAG chart, a table per quality
    statement, overdue actions first).
    """
    from cpft_tracker import render

    fmt = check_format(fmt, ("json", "csv", "markdown", "md", "html"))
    store = open_store(readonly=True)
    as_of_day, today, win, actions = plan_view(
        store,
        as_of=as_of,
        window=window,
        status=status,
        owner=owner,
        unassigned=unassigned,
        overdue=overdue,
        due_before=due_before,
        report=report,
        quality_statement=quality_statement,
    )
    text: str | Iterable[str]
    if fmt == "json":
        text = render.actions_json_chunks(actions, today=today, window=win)
    elif fmt == "csv":
        text = render.actions_csv_lines(actions, today=today, window=win)
    else:
        from cpft_tracker import board
        from cpft_tracker.progress import summarise

        generated_at = render.utc_now_iso()
        figures = summarise(actions, today=today, window=win, generated_at=generated_at)
        make = board.html_report if fmt == "html" else board.markdown_report
        text = make(
            actions,
            figures,
            today=today,
            window=win,
            generated_at=generated_at,
            as_of=as_of_day,
            chain_head=store.chain_head(),
        )
    write_output(text, output)
