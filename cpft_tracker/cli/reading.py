"""Commands that read the plan: ``list``, ``show``, ``history``, ``reports``,
``quality-statements`` (``owners`` is a group of its own: cli/owners.py). Each opens the database read-only.
"""

from __future__ import annotations

from cpft_tracker.cli.options import (
    MAX_LIMIT,
    check_format,
    open_store,
    plan_view,
    today_date,
    window_days,
)
from cpft_tracker.cli.output import paged, say, show_line
from cpft_tracker.errors import (
    UsageProblem,
)

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:  # the declarations: read by cli/convert.py and mypy, not imported to run
    from typing import Annotated

    import typer

    from cpft_tracker.cli.declarations import (
        AsOf,
        DueBeforeFilter,
        Format,
        Limit,
        OverdueFilter,
        OwnerFilter,
        Pager,
        QualityStatementFilter,
        ReportFilter,
        SearchFilter,
        Sort,
        StatusFilter,
        UnassignedFilter,
        Wide,
        Window,
    )


def list_(
    status: StatusFilter = None,
    owner: OwnerFilter = None,
    unassigned: UnassignedFilter = False,
    overdue: OverdueFilter = False,
    due_before: DueBeforeFilter = None,
    report: ReportFilter = None,
    quality_statement: QualityStatementFilter = None,
    search: SearchFilter = None,
    sort: Sort = None,
    limit: Limit = None,
    window: Window = None,
    as_of: AsOf = None,
    fmt: Format = "table",
    wide: Wide = False,
    pager: Pager = True,
) -> None:
    """List actions with their BRAG rating, status, due date and owner.

    The table fits the terminal: long titles and owners wrap (on a narrow terminal the
    title goes on the lines under its action), nothing is cut; --wide puts each action on
    one line. On a terminal, a list longer than the screen is shown through a pager.

    Example: cpft-tracker list --overdue --sort due --limit 10
    """
    from cpft_tracker import render
    from cpft_tracker.asof import describe_as_of

    fmt = check_format(fmt, ("table", "json", "csv"))
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
        search=search,
        sort=sort,
        limit=limit,
    )
    if fmt == "json":
        render.write_stdout_chunks(render.actions_json_chunks(actions, today=today, window=win))
    elif fmt == "csv":
        # stdout: no byte-order mark (a pipe to cut or csv.DictReader would read it as text)
        render.write_stdout_chunks(
            render.actions_csv_lines(actions, today=today, window=win, bom=False)
        )
    else:
        if not actions and as_of_day:
            say(f"No actions match as the plan stood at {describe_as_of(as_of_day)}.")
            return
        if not actions:
            say("No actions match. Run 'cpft-tracker list' without filters to see them all.")
            return
        with paged(pager, wide=wide):
            render.print_actions_table(actions, today=today, window=win, wide=wide)
        at = f" as the plan stood at {describe_as_of(as_of_day)}" if as_of_day else ""
        retired = sum(1 for a in actions if a.get("retired"))
        # "14 actions (1 retired)": progress counts only the tracked ones, so say the difference
        also = f" ({retired} retired)" if retired else ""
        more = (
            f" (the first {limit}: --limit)" if limit is not None and len(actions) >= limit else ""
        )
        say(f"{len(actions)} action{'s' if len(actions) != 1 else ''}{also}{at}{more}.")


def show(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The action reference, e.g. CPFT-01.")],
    window: Window = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="table or json (the action and its history, see docs/json-schemas.md).",
        ),
    ] = "table",
) -> None:
    """Show one action in full: the requirement verbatim, where it came from, its state and history.

    Example: cpft-tracker show CPFT-01 --format json
    """
    from cpft_tracker import render

    fmt = check_format(fmt, ("table", "json"))
    store = open_store(readonly=True)
    action = store.action(ref)
    today, win = today_date(), window_days(store, window)
    if fmt == "json":
        render.write_stdout(render.action_json(action, store.history(ref), today=today, window=win))
        return
    render.print_action(
        action,
        store.history(ref),
        today=today,
        window=win,
        merged=store.merged_from(action["ref"]),
    )


def history(
    ref: Annotated[
        str | None, typer.Argument(metavar="[REF]", help="One action; leave out for all.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", metavar="N", help="Show the newest N events.")
    ] = None,
    fmt: Format = "table",
    pager: Pager = True,
) -> None:
    """Show the audit trail, newest first: who changed what and when.

    Example: cpft-tracker history CPFT-01 --limit 20
    """
    import json

    from cpft_tracker import render

    fmt = check_format(fmt, ("table", "json", "csv"))
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        # before: --limit 99999999999999999999 overflowed SQLite's integer (issue 14, finding 11)
        raise UsageProblem(
            f"--limit must be from 1 to {MAX_LIMIT:,} events, e.g. --limit 20 (not {limit}); "
            "leave it out to see every event."
        )
    store = open_store(readonly=True)
    events = store.history(ref, limit=limit)
    if fmt == "json":
        render.write_stdout(
            json.dumps({"schema_version": 1, "events": events}, ensure_ascii=False, indent=2) + "\n"
        )
        return
    if fmt == "csv":
        render.write_stdout_chunks(render.history_csv_lines(events))
        return
    with paged(pager):
        render.print_history(events)


def reports() -> None:
    """List the imported reports with their reference prefix and number of actions.

    Example: cpft-tracker reports
    """
    store = open_store(readonly=True)
    rows = store.reports()
    if not rows:
        say("No reports yet. Import one with: cpft-tracker import REPORT.txt")
        return
    for row in rows:
        show_line(
            f"{row['prefix']}: {row['name']} ({row['actions']} actions, from {row['source_file']})"
        )


def quality_statements() -> None:
    """List the CQC well-led quality statements an action can fall under.

    Example: cpft-tracker quality-statements
    """
    from cpft_tracker.quality_statements import NAMES

    for name in NAMES:
        print(name)
