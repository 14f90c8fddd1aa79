"""Commands for the board: ``progress`` (the screen and its JSON) and ``export`` (json, csv,
markdown board-paper section, html board report). The figures come from ``progress.py``, the
views from ``asof.py``, the products from ``cpft_tracker.board`` and ``cpft_tracker.render``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from cpft_tracker.cli.options import (
    TRACKED,
    UNTRACKED,
    build_filters,
    check_format,
    open_store,
    output_format,
    plan_view,
    resolve_as_of,
    today_date,
)
from cpft_tracker.cli.output import check_output, paged, say, write_output
from cpft_tracker.errors import (
    UsageProblem,
)

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:  # the declarations: read by cli/convert.py and mypy, not imported to run
    from typing import Annotated, Any

    import typer

    from cpft_tracker.cli.declarations import (
        AsOf,
        DueBeforeFilter,
        Force,
        Format,
        NoBom,
        OverdueFilter,
        OwnerFilter,
        Pager,
        QualityStatementFilter,
        ReportFilter,
        StatusFilter,
        UnassignedFilter,
        Wide,
        Window,
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
            f"'{value}' cannot be used with --group-by. Use one of: {', '.join(GROUPINGS)}."
        )
    return [_GROUPING_ALIASES[key]]


def _since_day(since: str | None, as_of_day: Any, today: Any) -> Any:
    """The --since date (None when not given): a date before the --as-of date (or today)."""
    from cpft_tracker.asof import parse_as_of

    since_day = parse_as_of(since, today=today_date(), option="--since")
    if since_day is not None and since_day >= today:
        raise UsageProblem(
            f"--since {since} must be a date before {today.isoformat()} "
            f"({'the --as-of date' if as_of_day else 'today'}), e.g. the date of the last board report."
        )
    return since_day


def _changes_since(
    store: Any,
    rows: Iterable[dict[str, Any]],
    since_day: Any,
    today: Any,
    *,
    report: str | None,
    review: list[str] | None = None,
    as_of_day: Any = None,
    whole_plan: bool = True,
) -> dict[str, Any]:
    """What changed among ``rows`` (the plan shown: now, or at the end of ``as_of_day``)
    after the end of ``since_day``, from the plan rebuilt then and the audit trail in between
    (``progress.changes_since``). ``review``: the review states the plan shown counts
    (TRACKED for the board: then what was settled in review is listed too, unless the plan
    shown is filtered by more than its report: ``whole_plan`` false)."""
    from cpft_tracker.asof import cutoff_utc, plan_actions
    from cpft_tracker.progress import CHANGES_FIELDS, changes_since

    filters = build_filters(today=today, report=report, review=review)
    before = plan_actions(store, filters, since_day, columns=CHANGES_FIELDS)
    refs = {r["ref"] for r in rows}
    notes = [
        e
        for e in store.action_events_between(
            cutoff_utc(since_day), cutoff_utc(today), ["note", "status"]
        )
        if e["ref"] in refs
    ]
    untracked: dict[str, Any] = {}
    if review == TRACKED and whole_plan:  # the tracked plan: what was settled in review
        others = build_filters(today=today, report=report, review=UNTRACKED)
        columns = (*CHANGES_FIELDS, "review")
        untracked = {
            "untracked_before": plan_actions(store, others, since_day, columns=columns),
            "untracked_after": plan_actions(store, others, as_of_day, columns=columns),
        }
    return changes_since(before, rows, notes, since=since_day, today=today, **untracked)


def progress(
    by: Annotated[
        str | None,
        typer.Option(
            "--group-by",
            "--by",
            metavar="GROUPING",
            help="Show only one table: quality-statement, owner or status. (--by is the old "
            "name; on the commands that change things --by names who is making the change.)",
        ),
    ] = None,
    as_of: AsOf = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Also show what moved after the end of this date (01/03/2026, or -30d for 30 "
            "days ago): completed, newly overdue, new owners, changed due dates, notes.",
        ),
    ] = None,
    report: ReportFilter = None,
    window: Window = None,
    fmt: Format = "table",
    wide: Wide = False,
    pager: Pager = True,
) -> None:
    """Show progress for the board: % complete, BRAG counts, overdue, and tables by statement, owner, status.

    Retired actions are not counted (they are shown as a separate number), nor are those
    awaiting review (it says how many). --format json gives the same figures for scripts
    (see docs/json-schemas.md); --format csv one row per table entry.

    Example: cpft-tracker progress --since 01/03/2026 --group-by owner
    """
    import json

    from cpft_tracker.asof import awaiting_review, describe_as_of
    from cpft_tracker.board import awaiting_line, long_date
    from cpft_tracker.progress import CHANGES_FIELDS, SUMMARY_FIELDS, summarise
    from cpft_tracker.render import print_progress, progress_csv_lines, utc_now_iso, write_stdout

    fmt = check_format(fmt, ("table", "json", "csv"))
    groupings = _grouping(by)
    store = open_store(readonly=True)
    as_of_day, today = resolve_as_of(as_of)
    since_day = _since_day(since, as_of_day, today)
    fields = SUMMARY_FIELDS if since_day is None else CHANGES_FIELDS  # only what is shown
    _, _, win, rows = plan_view(
        store, as_of=as_of, window=window, columns=fields, report=report, review=TRACKED
    )
    filters = build_filters(today=today, report=report, review=TRACKED)
    figures: dict[str, Any] = summarise(rows, today=today, window=win, generated_at=utc_now_iso())
    counted = getattr(rows, "awaiting_review", None)  # as of a date: counted with the figures
    figures["awaiting_review"] = (
        counted if counted is not None else awaiting_review(store, filters, as_of_day)
    )
    figures["since"] = None
    if since_day is not None:
        figures["since"] = _changes_since(
            store, rows, since_day, today, report=report, review=TRACKED, as_of_day=as_of_day
        )
    if fmt == "json":
        write_stdout(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "csv":
        write_stdout("".join(progress_csv_lines(figures, groupings)))
        return
    waiting = awaiting_line(figures)
    if not rows:
        say("No actions yet" + (f" at {describe_as_of(as_of_day)}" if as_of_day else "") + ".")
        if waiting:
            say(waiting)
        return
    position = (
        f"Action plan progress: as it stood at {describe_as_of(as_of_day)}"
        if as_of_day
        else f"Action plan progress on {long_date(today)}"
    )
    with paged(pager, wide=wide):
        print_progress(
            figures, position=position, groupings=groupings, since=figures["since"], wide=wide
        )
    if waiting:
        say(waiting)


def export(
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="json (the default), csv, markdown (a board-paper section), html (a board "
            "report) or xlsx (an Excel workbook). Default: from the -o file's extension "
            "(.json .csv .md .html .xlsx), else json.",
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to a file, not stdout (an existing file only with --force).",
        ),
    ] = None,
    force: Force = False,
    no_bom: NoBom = False,
    status: StatusFilter = None,
    owner: OwnerFilter = None,
    unassigned: UnassignedFilter = False,
    overdue: OverdueFilter = False,
    due_before: DueBeforeFilter = None,
    report: ReportFilter = None,
    quality_statement: QualityStatementFilter = None,
    window: Window = None,
    as_of: AsOf = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Add what changed after the end of this date (e.g. the last board meeting, or "
            "-30d for 30 days ago): completed, blocked, overdue, due dates moved, new, retired "
            "and merged actions.",
        ),
    ] = None,
) -> None:
    """Export actions for scripts and board papers (the same filters as 'list').

    json and csv are for scripts and spreadsheets (every action, with its review state);
    markdown is a board-paper section, html a self-contained report for a browser
    (summary, BRAG chart, a table per quality statement, overdue actions first) and xlsx
    an Excel workbook (a summary sheet, one row per action with BRAG fills and filters).
    The board formats name the provider and the report, and give each action's latest
    update; --since adds what changed since a date. They count and list tracked actions
    only, and say how many await review. With -o the file name picks the format. A CSV
    file starts with the byte-order mark Excel needs (--no-bom to leave it out); CSV on
    stdout has none.

    Example: cpft-tracker export -o board.html --overdue
    """
    from cpft_tracker import render

    check_output(output, force=force)
    fmt = output_format(fmt, output, ("json", "csv", "markdown", "md", "html", "xlsx"), "json")
    board_paper = fmt not in ("json", "csv")  # counts, and lists, tracked actions only
    if fmt == "xlsx" and output in (None, "-") and sys.stdout.isatty():
        raise UsageProblem(
            "An Excel workbook is a binary file and cannot be shown in the terminal. "
            "Write it to a file: cpft-tracker export --format xlsx -o board.xlsx"
        )
    if since is not None and fmt == "csv":
        raise UsageProblem(
            "--since does not fit a CSV file (one row per action). "
            "Use --format json, markdown, html or xlsx for what changed."
        )
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
        review=TRACKED if board_paper else None,
    )
    since_day = _since_day(since, as_of_day, today)
    changes = (
        _changes_since(
            store,
            actions,
            since_day,
            today,
            report=report,
            review=TRACKED if board_paper else None,
            as_of_day=as_of_day,
            whole_plan=not any((status, owner, unassigned, overdue, due_before, quality_statement)),
        )
        if since_day is not None
        else None
    )
    text: str | bytes | Iterable[str]
    if fmt in ("json", "csv"):
        from cpft_tracker.asof import cutoff_utc
        from cpft_tracker.board import BoardStory

        cutoff = cutoff_utc(as_of_day) if as_of_day is not None else None
        updates = BoardStory(updates=store.latest_updates(cutoff))  # latest update, blocked reason
    if fmt == "json":
        text = render.actions_json_chunks(
            actions, today=today, window=win, since=changes, story=updates
        )
    elif fmt == "csv":
        bom = output not in (None, "-") and not no_bom  # Excel needs it; a pipe does not
        text = render.actions_csv_lines(actions, today=today, window=win, bom=bom, story=updates)
    else:
        from cpft_tracker import board
        from cpft_tracker.asof import awaiting_review
        from cpft_tracker.progress import summarise

        generated_at = render.utc_now_iso()
        figures = summarise(actions, today=today, window=win, generated_at=generated_at)
        view = getattr(actions, "filters", None)  # the PlanRows' filters: the same view
        counted = getattr(actions, "awaiting_review", None)  # as of a date: with the figures
        figures["awaiting_review"] = (
            counted if counted is not None else awaiting_review(store, view, as_of_day)
        )
        story = _board_story(store, actions, as_of_day)
        story.since = changes
        # streamed (issue 10): the rows are read once and only each drawn row is kept
        make: Any = board.html_report_chunks if fmt == "html" else board.markdown_report_chunks
        if fmt == "xlsx":
            from cpft_tracker.workbook import xlsx_report

            make = xlsx_report
        text = make(
            actions,
            figures,
            today=today,
            window=win,
            generated_at=generated_at,
            as_of=as_of_day,
            story=story,
            chain_head=store.chain_head(),
        )
    write_output(text, output, force=force)


def _board_story(store: Any, actions: Iterable[dict[str, Any]], as_of_day: Any) -> Any:
    """What the board paper says beyond the figures: the reports its actions come from (or,
    with none, every report imported by then) and each action's latest update."""
    from cpft_tracker.asof import cutoff_utc
    from cpft_tracker.board import BoardStory

    cutoff = cutoff_utc(as_of_day) if as_of_day is not None else None
    reports = [r for r in store.reports() if cutoff is None or r["imported_at"] < cutoff]
    shown = {r["report"] for r in actions}
    if shown:
        reports = [r for r in reports if r["name"] in shown]
    return BoardStory(
        reports=reports,
        updates=store.latest_updates(cutoff),
        provider_setting=store.setting("provider_name") or None,
    )
