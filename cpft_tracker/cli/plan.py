"""``plan template`` / ``plan load``: edit the plan in a spreadsheet (a typer sub-group)."""

from __future__ import annotations

from pathlib import Path

from cpft_tracker.cli.options import open_store, plan_view
from cpft_tracker.cli.output import check_output, say, write_output

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:  # the declarations: read by cli/convert.py and mypy, not imported to run
    from typing import Annotated

    import typer

    from cpft_tracker.cli.declarations import (
        By,
        Force,
        NoBom,
        OwnerFilter,
        ReportFilter,
    )


def plan_template(
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to this file, e.g. plan.csv."),
    ] = None,
    owner: OwnerFilter = None,
    report: ReportFilter = None,
    force: Force = False,
    no_bom: NoBom = False,
) -> None:
    """Write every action (ref, title, owner, email, due, status, evidence) as a CSV to edit in Excel.

    Change the owner, owner_email, due, status, evidence or title cells, save as CSV and
    run 'cpft-tracker plan load FILE'. The requirement column is for reading only. An
    existing FILE is replaced only with --force.

    Example: cpft-tracker plan template -o plan.csv --owner "Director of Nursing"
    """
    from cpft_tracker.cli.options import output_format
    from cpft_tracker.plan import template_csv

    check_output(output, force=force)
    output_format(None, output, ("csv",), "csv")  # -o plan.csv: a CSV file name
    store = open_store(readonly=True)
    *_, rows = plan_view(store, as_of=None, window=None, owner=owner, report=report)
    to_file = output not in (None, "-")
    write_output(template_csv(rows, bom=to_file and not no_bom), output, force=force)
    if output not in (None, "-"):
        say(
            f"{len(rows)} action{'s' if len(rows) != 1 else ''}. Edit the file, save it as CSV, "
            f"then run: cpft-tracker plan load {output}"
        )


def plan_load(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The edited plan CSV.")],
    new_owner: Annotated[
        bool,
        typer.Option(
            "--new-owner",
            help="Owner names close to an existing owner's are new owners, not typos.",
        ),
    ] = False,
    theirs: Annotated[
        bool,
        typer.Option(
            "--theirs",
            help="Where someone else changed a cell you also changed, keep their value; apply the rest.",
        ),
    ] = False,
    mine: Annotated[
        bool,
        typer.Option(
            "--mine",
            help="Where someone else changed a cell you also changed, put yours over theirs (audited).",
        ),
    ] = False,
    by: By = None,
) -> None:
    """Apply the cells you changed in a plan CSV in one go: all of them, or (if any row is wrong) none.

    Only the cells you edited are applied: each row remembers the version of the action it
    was written from, so a colleague's change since then is never reverted. A cell you
    changed that someone else also changed since is a conflict: every one is listed and
    nothing is changed, unless you say which wins with --theirs or --mine. Each change is
    recorded in the audit trail (note: plan load FILE). Every bad row is listed with its
    row number.

    Example: cpft-tracker plan load plan.csv --by "Jane Smith"
    """
    from cpft_tracker.errors import UsageProblem
    from cpft_tracker.plan import PlanConflicts, PlanRejected, load_plan
    from cpft_tracker.render import describe_event
    from cpft_tracker.store import who

    if theirs and mine:
        raise UsageProblem("Give --theirs or --mine, not both: say which value wins in a conflict.")
    store = open_store()
    try:
        result = load_plan(
            store,
            file,
            by=who(by),
            prefer="theirs" if theirs else "mine" if mine else None,
            new_owners=new_owner,
        )
    except PlanRejected as exc:
        for problem in exc.problems:
            say(problem)
        raise
    except PlanConflicts as exc:
        for warning in exc.warnings:
            say(f"Warning: {warning}")
        for conflict in exc.conflicts:
            say(conflict.describe())
        raise
    for warning in result.warnings:
        say(f"Warning: {warning}")
    for conflict in result.settled:
        kept = "kept theirs" if theirs else "applied yours"
        say(f"{conflict.describe()}: {kept}")
    edits, changes = result.edits, result.changes
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


def plan_app() -> typer.Typer:
    """The ``plan`` group as declared for typer: built only when cli/convert.py reads it
    (``make cli-spec``, or a stale cli/spec.py), so that importing this module to run a
    command does not import typer."""
    import typer

    app = typer.Typer(
        name="plan",
        help="Edit the plan in a spreadsheet: write a template, then load the edited file.\n\n"
        "Example: cpft-tracker plan template -o plan.csv, edit it in Excel, then "
        "cpft-tracker plan load plan.csv",
        no_args_is_help=True,
        add_completion=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.command(
        "template",
        short_help="Write every action (ref, title, owner, email, due, status, evidence) as a CSV to edit in Excel.",
    )(plan_template)
    app.command(
        "load",
        short_help="Apply an edited plan CSV in one go: every change is saved, or (if any row is wrong) none.",
    )(plan_load)
    return app
