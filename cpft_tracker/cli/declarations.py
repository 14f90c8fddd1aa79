"""The shared declarations of the command line's options and arguments, for typer.

``Annotated[..., typer.Option(...)]`` aliases that the command modules use in their signatures
(``by: By = None``). Imported at run time only when a command is described from its typer
declarations (``cli/convert.py``); the command modules import them under ``TYPE_CHECKING``,
so that running a command whose description in ``cli/spec.py`` is current imports neither this
module nor typer. The readers of the values (``check_by``, ``parse_on``, ...) are in
``cli/options.py``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cpft_tracker.cli.options import check_by

By = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="NAME",
        callback=check_by,
        help="Who is making the change (default: $CPFT_TRACKER_USER, else your login name).",
    ),
]


Note = Annotated[
    str | None, typer.Option("--note", metavar="TEXT", help="A note to keep with the change.")
]


IfUnchangedSince = Annotated[
    int | None,
    typer.Option(
        "--if-unchanged-since",
        metavar="VERSION",
        min=0,
        help="Refuse (exit 1) if the action was changed after this version "
        "('show REF' and 'list --format json' give it).",
    ),
]


On = Annotated[
    str | None,
    typer.Option(
        "--on",
        metavar="DATE",
        help="When it happened, if not today (e.g. 03/01/2027); kept beside when it was recorded.",
    ),
]


Refs = Annotated[
    list[str], typer.Argument(metavar="REF...", help="One or more action references, e.g. CPFT-01.")
]


Format = Annotated[
    str, typer.Option("--format", "-f", metavar="FORMAT", help="table, json or csv.")
]


StatusFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--status", metavar="STATUS", help="Only actions with this status (repeat for several)."
    ),
]


OwnerFilter = Annotated[
    str | None, typer.Option("--owner", metavar="NAME", help="Only this owner's actions.")
]


UnassignedFilter = Annotated[
    bool,
    typer.Option(
        "--unassigned", help="Only actions with no owner (retired ones, needing none, left out)."
    ),
]


OverdueFilter = Annotated[
    bool, typer.Option("--overdue", help="Only actions past their due date and not complete.")
]


DueBeforeFilter = Annotated[
    str | None,
    typer.Option("--due-before", metavar="DATE", help="Only actions due before this date."),
]


ReportFilter = Annotated[
    str | None,
    typer.Option(
        "--report", metavar="NAME", help="Only actions from this report (name or reference prefix)."
    ),
]


QualityStatementFilter = Annotated[
    str | None,
    typer.Option(
        "--quality-statement",
        "--qs",
        metavar="NAME",
        help="Only actions under this CQC quality statement.",
    ),
]


Window = Annotated[
    int | None,
    typer.Option(
        "--window",
        metavar="DAYS",
        help="Look-ahead window in days, for this command only: amber and 'due in the next' "
        "(default: the 'window' setting, else 14).",
    ),
]


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="The plan as it stood at the end of this date, rebuilt from the audit trail "
        "(that date counts as today).",
    ),
]


SearchFilter = Annotated[
    str | None,
    typer.Option(
        "--search",
        metavar="TEXT",
        help="Only actions with TEXT (any case) in their title, requirement or notes.",
    ),
]


Sort = Annotated[
    str | None,
    typer.Option(
        "--sort",
        metavar="FIELD",
        help="Order by ref, due (soonest first), status, owner, rag (red first) or updated "
        "(newest first). Default: report, then the order in the report.",
    ),
]


Limit = Annotated[
    int | None,
    typer.Option("--limit", "-n", metavar="N", help="Show only the first N actions."),
]


Wide = Annotated[
    bool,
    typer.Option(
        "--wide", help="One line per row, nothing wrapped (wider than the terminal if need be)."
    ),
]


Pager = Annotated[
    bool,
    typer.Option(
        "--pager/--no-pager",
        help="On a terminal, show output longer than the screen through $PAGER (default: less). "
        "Never when piped.",
    ),
]


NoBom = Annotated[
    bool,
    typer.Option(
        "--no-bom",
        help="Write a CSV file without the byte-order mark Excel uses to read UTF-8 "
        "(CSV on stdout never has one).",
    ),
]


Force = Annotated[bool, typer.Option("--force", help="Replace the -o file if it already exists.")]
