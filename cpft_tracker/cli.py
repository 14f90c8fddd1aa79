"""The command line: parse, call the core, render, and map errors to one plain line and an exit code.

No SQL here. Exit codes: 0 done; 1 a problem the message explains; 2 a command line
that cannot be read (unknown option, a date or status that cannot be read);
3 reminder emails that could not be sent.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any

import click

# Start-up (issue 7, measured in bench/RESULTS.md): typer 0.16 imports rich, rich.pretty
# (attrs), rich.markdown (markdown_it, pygments) and rich.traceback at import time when rich
# is installed, only to format help and errors, which this app does not use
# (rich_markup_mode=None, pretty_exceptions_enable=False). That costs ~60 ms on every
# command. Hide rich while typer is imported, so typer takes its "no rich" path; rich is then
# importable again and render.py imports it only when a table is drawn. Side effect: option
# help shows "[default: table]" as click prints it, not rich's escaped "\[default: table]".
if "rich" not in sys.modules:
    sys.modules["rich"] = None  # type: ignore[assignment]  # `import rich` raises ImportError
    try:
        import typer
    finally:
        del sys.modules["rich"]
import typer
from typer.core import TyperGroup

from cpft_tracker import __version__
from cpft_tracker.errors import TrackerError, UsageProblem


class TrackerGroup(TyperGroup):
    """Runs a command and turns every failure into one plain line on stderr and an exit code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; never show a traceback for a user's mistake."""
        require_values(self)
        code = run_safely(
            lambda: super(TrackerGroup, self).main(
                args=args,
                prog_name=prog_name or "cpft-tracker",
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
        )
        if standalone_mode:
            sys.exit(code)
        return code


def require_values(group: click.Group) -> None:
    """Make every required argument and option of ``group`` (and its sub-groups) refuse a missing value.

    typer 0.16 hands click ``default=None`` for a required parameter. Click 8.3 and later
    (sqlite-utils 4.2 needs click>=8.3.1) read an explicit default of None as a value, so
    ``note CPFT-01`` without its TEXT, ``show`` without REF or ``retire REF`` without
    --reason reached the command with None and failed with "Something unexpected went
    wrong". Here None counts as missing again, so click reports "Missing argument 'TEXT'"
    and exits 2, as it does on click 8.2.
    """
    for command in group.commands.values():
        if isinstance(command, click.Group):
            require_values(command)
        for param in command.params:
            if param.required and not getattr(param, "_none_is_missing", False):
                original = param.value_is_missing
                setattr(  # noqa: B010  (an instance attribute: mypy refuses assigning a method)
                    param,
                    "value_is_missing",
                    lambda value, original=original: value is None or original(value),
                )
                setattr(param, "_none_is_missing", True)  # noqa: B010


def run_safely(call: Any) -> int:
    """Call the click main in non-standalone mode and map any exception to an exit code."""
    try:
        rv = call()
        return rv if isinstance(rv, int) else 0
    except TrackerError as exc:
        fail(exc.message)
        return exc.exit_code
    except click.exceptions.NoArgsIsHelpError as exc:  # bare `cpft-tracker`: show the help
        print(exc.format_message() if exc.ctx is None else exc.ctx.get_help())
        return 0
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "cpft-tracker"
        text = exc.format_message().replace("\n", " ").strip()
        param = getattr(exc, "param", None)
        if (
            isinstance(exc, click.MissingParameter)
            and isinstance(param, click.Argument)
            and param.nargs == -1
            and exc.ctx is not None
        ):
            # `assign CPFT-01`: click gives the one word to OWNER and reports REF... missing
            wanted = [
                p.make_metavar(exc.ctx)
                for p in exc.ctx.command.params
                if isinstance(p, click.Argument)
            ]
            text = f"Missing argument: give {' '.join(wanted)} (one or more action references, e.g. CPFT-01"
            text += f", then {' '.join(wanted[1:])})." if len(wanted) > 1 else ")."
        if not text.endswith("."):
            text += "."
        option = getattr(exc, "option_name", None)
        if isinstance(exc, click.NoSuchOption) and option and not option.startswith("--"):
            # e.g. a note "- chased again" or an owner "-2+3": text, not an option
            fail(
                f"{text} If '{option}' is text rather than an option, put -- before it, "
                f'e.g. {where} REF -- "{option} ...".'
            )
            return 2
        fail(f"{text} Run '{where} --help' to see how to use it.")
        return 2
    except click.ClickException as exc:
        fail(exc.format_message())
        return exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        fail("Stopped. Nothing was half-saved: each change is saved whole or not at all.")
        return 130
    except BrokenPipeError:
        # the reader of our output (e.g. `head`) went away: not an error for the user
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return 0
    except sqlite3.DatabaseError as exc:
        from cpft_tracker.store import translate_sqlite_error

        fail(translate_sqlite_error(exc, Path(_state.get("db_path") or "the database")).message)
        return 1
    except Exception as exc:  # a bug, not the user's fault: still one line, no traceback
        if os.environ.get("CPFT_TRACKER_DEBUG"):
            raise
        fail(
            f"Something unexpected went wrong ({type(exc).__name__}: {exc}). Nothing was half-saved. "
            "Run again with CPFT_TRACKER_DEBUG=1 and send the output to the cpft-tracker maintainers."
        )
        return 1


def fail(text: str) -> None:
    """Print one error line on stderr."""
    print(f"Error: {' '.join(str(text).split())}", file=sys.stderr)


app = typer.Typer(
    cls=TrackerGroup,
    name="cpft-tracker",
    help="Track the improvement actions a CQC report requires: owners, due dates, statuses, evidence and BRAG progress.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state: dict[str, Any] = {"db": None, "db_path": None}


def _version(value: bool) -> None:
    if value:
        print(f"cpft-tracker {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help="The database file. Default: $CPFT_TRACKER_DB, else your user data folder.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Track the improvement actions a CQC report requires.

    Typical month: import the report, assign owners and due dates, move statuses with notes,
    complete with evidence, then print progress for the board.
    """
    _state["db"] = db


# ---------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------


def db_path() -> Path:
    """The database path in use: --db, else CPFT_TRACKER_DB, else the per-user data folder."""
    from cpft_tracker.store import resolve_db_path

    path = resolve_db_path(_state.get("db"))
    _state["db_path"] = str(path)
    return path


def open_store(*, create: bool = False, readonly: bool = False) -> Any:
    """Open the database (read commands refuse to create one)."""
    from cpft_tracker.store import Store

    return Store.open(db_path(), create=create, readonly=readonly)


def today_date() -> Any:
    """Today's local date (CPFT_TRACKER_TODAY overrides it for tests and rehearsals)."""
    from cpft_tracker.dates import today

    return today()


def window_days(store: Any, option: int | None) -> int:
    """The BRAG warning window: --window, else the stored setting, else 14 days."""
    from cpft_tracker.models import DEFAULT_WINDOW_DAYS

    if option is not None:
        if option < 0:
            raise UsageProblem("--window must be zero or more days, e.g. --window 14.")
        return option
    stored = store.setting("warning_window_days")
    return int(stored) if stored and stored.isdigit() else DEFAULT_WINDOW_DAYS


def parse_status(text: str) -> str:
    """A status from the command line, or a usage error that lists the statuses."""
    from cpft_tracker.models import STATUSES, normalise_status

    status = normalise_status(text)
    if status is None:
        raise UsageProblem(f"'{text}' is not a status. Use one of: {', '.join(STATUSES)}.")
    return status


def parse_quality_statement(text: str) -> str | None:
    """A quality statement from the command line ('none' clears it)."""
    from cpft_tracker.quality_statements import NAMES, match_name

    if text.strip().lower() in ("none", "-", ""):
        return None
    name = match_name(text)
    if name is None:
        raise UsageProblem(
            f"'{text}' is not a CQC well-led quality statement. Use one of: {'; '.join(NAMES)} (or 'none')."
        )
    return name


def say(text: str) -> None:
    """A message for the person at the terminal (stderr)."""
    print(text, file=sys.stderr)


def report_changes(changes: list[Any], nothing: str) -> None:
    """Tell the user what changed, one line per change (stderr)."""
    from cpft_tracker.render import describe_event

    if not changes:
        say(nothing)
        return
    for c in changes:
        say(f"{c.ref}: {describe_event({'field': c.field, 'old': c.old, 'new': c.new})}")


def check_by(value: str | None) -> str | None:
    """--by as given; a blank one is refused, not silently replaced by the login name in the audit trail."""
    if value is not None and not value.strip():
        raise UsageProblem(
            "--by is empty. Give the name of who is making the change, e.g. --by 'Jane Smith', "
            "or leave --by out to use $CPFT_TRACKER_USER or your login name."
        )
    return value


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
UnassignedFilter = Annotated[bool, typer.Option("--unassigned", help="Only actions with no owner.")]
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
        help="Amber warning window in days (default: the 'window' setting, else 14).",
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


def resolve_as_of(as_of: str | None) -> tuple[Any, Any]:
    """(the --as-of date or None, the date that counts as today): the one reading of --as-of."""
    from cpft_tracker.asof import parse_as_of

    real_today = today_date()
    day = parse_as_of(as_of, today=real_today)
    return day, day or real_today


def build_filters(
    *,
    today: Any,
    status: list[str] | None = None,
    owner: str | None = None,
    unassigned: bool = False,
    overdue: bool = False,
    due_before: str | None = None,
    report: str | None = None,
    quality_statement: str | None = None,
) -> Any:
    """Turn the shared filter options into store Filters (values checked, dates read)."""
    from cpft_tracker.dates import parse_date
    from cpft_tracker.store import Filters

    def one_line(value: str | None) -> str | None:
        # names are stored with their spaces collapsed: match them the same way
        return " ".join(value.split()) if value is not None else None

    return Filters(
        status=[parse_status(s) for s in status or []],
        owner=one_line(owner),
        unassigned=unassigned,
        overdue_on=today.isoformat() if overdue else None,
        due_before=parse_date(due_before, base=today).isoformat() if due_before else None,
        report=one_line(report),
        quality_statement=parse_quality_statement(quality_statement) if quality_statement else None,
    )


def plan_view(
    store: Any, *, as_of: str | None, window: int | None, columns: Any = None, **filter_options: Any
) -> tuple[Any, Any, int, list[dict[str, Any]]]:
    """What list, export and progress show: (the --as-of date or None, today, the BRAG window,
    the filtered actions as they stood then). One reading of --as-of, filters and window."""
    from cpft_tracker.asof import plan_actions

    as_of_day, today = resolve_as_of(as_of)
    filters = build_filters(today=today, **filter_options)
    win = window_days(store, window)
    return as_of_day, today, win, plan_actions(store, filters, as_of_day, columns=columns)


def check_format(value: str, allowed: tuple[str, ...]) -> str:
    """A --format value, or a usage error listing the formats."""
    fmt = value.strip().lower()
    if fmt not in allowed:
        raise UsageProblem(f"'{value}' is not a format here. Use one of: {', '.join(allowed)}.")
    return fmt


def write_output(text: str | Iterable[str], output: str | None) -> None:
    """Data to stdout, or to a file with -o (written whole, then moved into place).

    ``text`` may be the pieces of the data as they are produced (an export): they are
    written as they come, so the whole document is never held at once.
    """
    from cpft_tracker.render import write_stdout, write_stdout_chunks

    if output is None or output == "-":
        if isinstance(text, str):
            write_stdout(text)
        else:
            write_stdout_chunks(text)
        return
    target = Path(output)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            if isinstance(text, str):
                fh.write(text)
            else:
                for piece in text:
                    fh.write(piece)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise TrackerError(
            f"Cannot write {target}: {exc.strerror}. Choose a folder you can write to."
        ) from None
    except BaseException:  # e.g. Ctrl-C while writing: no half-written temporary file left
        tmp.unlink(missing_ok=True)
        raise
    say(f"Wrote {target}.")


# ---------------------------------------------------------------------------
# Commands: the database
# ---------------------------------------------------------------------------


@app.command()
def init() -> None:
    """Create the action plan database, or upgrade it to this version. Safe to run twice."""
    store = open_store(create=True)
    say(f"Database ready at {store.path} (schema version {store.schema_version}).")


@app.command()
def info(fmt: Format = "table") -> None:
    """Show which database is in use, its schema version and what it holds."""
    import json

    fmt = check_format(fmt, ("table", "json"))
    store = open_store()
    data = {"database": str(store.path), "schema_version": store.schema_version, **store.counts()}
    if fmt == "json":
        print(json.dumps(data, indent=2))
        return
    for key, value in data.items():
        print(f"{key.replace('_', ' ').capitalize() + ':':<18}{value}")


# ---------------------------------------------------------------------------
# Commands: import
# ---------------------------------------------------------------------------


def bundled_report() -> Path:
    """The CQC report shipped with cpft-tracker (the 17 July 2025 well-led assessment of CPFT)."""
    name = "cqc-cpft-well-led-assessment-2025-07-17.txt"
    try:
        from importlib.resources import files

        candidate = Path(str(files("cpft_tracker.bundled").joinpath(name)))
        if candidate.exists():
            return candidate
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "data" / name


@app.command("import")
def import_(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILE...", help="Report files: .txt, .html or .pdf.", show_default=False
        ),
    ] = None,
    report: Annotated[
        str | None,
        typer.Option(
            "--report",
            metavar="NAME",
            help="Name of the report (default: its title, else the file name).",
        ),
    ] = None,
    prefix: Annotated[
        str | None,
        typer.Option(
            "--prefix",
            metavar="LETTERS",
            help="Reference prefix for new reports, e.g. WL gives WL-01.",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be added; change nothing.")
    ] = False,
    include_should: Annotated[
        bool,
        typer.Option("--include-should", help="Also import advisory 'should' recommendations."),
    ] = False,
    example: Annotated[
        bool,
        typer.Option(
            "--example",
            help="Import the bundled example: CQC's 17 July 2025 well-led report on CPFT.",
        ),
    ] = False,
    by: By = None,
) -> None:
    """Extract every must/needs requirement from CQC report files and add each as an action.

    Importing the same file again adds nothing and keeps owners, dates, statuses and notes;
    a revised report adds only its new requirements and flags the ones it no longer has.
    """
    import hashlib  # here, not at the top: only import needs it (start-up, issue 7)
    import re

    from cpft_tracker.documents import read_document
    from cpft_tracker.extract import document_title, extract_requirements
    from cpft_tracker.store import who

    paths = list(files or [])
    if example:
        paths.insert(0, bundled_report())
    if not paths:
        raise UsageProblem(
            "Give a report file to import, e.g. cpft-tracker import report.txt (or --example)."
        )
    if report and len(paths) > 1:
        raise UsageProblem("--report names one report: import one file at a time when you use it.")
    if prefix is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,7}", prefix):
        raise UsageProblem(
            "--prefix takes 1 to 8 letters or digits starting with a letter, e.g. --prefix WL."
        )
    documents = [
        read_document(Path(p)) for p in paths
    ]  # read them all first: a bad file changes nothing
    store = None if dry_run and not db_path().exists() else open_store(create=not dry_run)
    added_any = False
    for doc in documents:
        requirements = extract_requirements(doc.text, include_should=include_should)
        name = " ".join((report or document_title(doc.text) or doc.path.stem).split())
        sha = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        if store is None:
            from cpft_tracker.store import ImportResult, derive_prefix

            result = ImportResult(report=name, report_created=True)
            for i, req in enumerate(requirements, start=1):
                result.added.append(
                    {
                        "ref": f"{prefix or derive_prefix(name)}-{i:02d}",
                        "requirement": req.text,
                        "keyword": req.keyword,
                        "matched": req.matched,
                        "title": req.title,
                        "section": req.section,
                        "quality_statement": req.quality_statement,
                        "line": req.line,
                    }
                )
        else:
            result = store.import_report(
                name=name,
                requirements=requirements,
                source_file=doc.path.name,
                source_sha256=sha,
                by=who(by),
                prefix=prefix,
                dry_run=dry_run,
            )
        added_any = added_any or bool(result.added)
        if dry_run:
            from cpft_tracker.render import print_import_preview

            print_import_preview(result)
        if not requirements and not result.no_longer_in_source:
            say(
                f"Found no must/needs requirements in {doc.path.name}, so nothing was imported. "
                "Check it is the full text of a CQC report."
            )
            continue
        summary = (
            f"{'Would import' if dry_run else 'Imported'} '{name}' from {doc.path.name}: "
            f"{len(result.added)} {'would be ' if dry_run else ''}added, {len(result.already_there)} already there"
        )
        if result.back_in_source:
            summary += f", {len(result.back_in_source)} back in the report"
        if result.no_longer_in_source:
            summary += (
                f", {len(result.no_longer_in_source)} no longer in the report (kept, flagged)"
            )
        say(summary + ".")
    if dry_run:
        say("Dry run: nothing was changed.")
    elif store is not None and added_any:
        say(
            "Next: give each action an owner (cpft-tracker assign REF... OWNER) and a due date (cpft-tracker due REF... DATE)."
        )


# ---------------------------------------------------------------------------
# Commands: reading
# ---------------------------------------------------------------------------


@app.command("list")
def list_(
    status: StatusFilter = None,
    owner: OwnerFilter = None,
    unassigned: UnassignedFilter = False,
    overdue: OverdueFilter = False,
    due_before: DueBeforeFilter = None,
    report: ReportFilter = None,
    quality_statement: QualityStatementFilter = None,
    window: Window = None,
    as_of: AsOf = None,
    fmt: Format = "table",
) -> None:
    """List actions with their BRAG rating, status, due date and owner."""
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
    )
    if fmt == "json":
        render.write_stdout_chunks(render.actions_json_chunks(actions, today=today, window=win))
    elif fmt == "csv":
        render.write_stdout_chunks(render.actions_csv_lines(actions, today=today, window=win))
    else:
        if not actions and as_of_day:
            say(f"No actions match as the plan stood at {describe_as_of(as_of_day)}.")
            return
        if not actions:
            say("No actions match. Run 'cpft-tracker list' without filters to see them all.")
            return
        render.print_actions_table(actions, today=today, window=win)
        at = f" as the plan stood at {describe_as_of(as_of_day)}" if as_of_day else ""
        say(f"{len(actions)} action{'s' if len(actions) != 1 else ''}{at}.")


@app.command()
def show(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The action reference, e.g. CPFT-01.")],
    window: Window = None,
) -> None:
    """Show one action in full: the requirement verbatim, where it came from, its state and history."""
    from cpft_tracker import render

    store = open_store(readonly=True)
    action = store.action(ref)
    render.print_action(
        action, store.history(ref), today=today_date(), window=window_days(store, window)
    )


@app.command()
def history(
    ref: Annotated[
        str | None, typer.Argument(metavar="[REF]", help="One action; leave out for all.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", metavar="N", help="Show the newest N events.")
    ] = None,
    fmt: Format = "table",
) -> None:
    """Show the audit trail, newest first: who changed what and when."""
    import json

    from cpft_tracker import render

    fmt = check_format(fmt, ("table", "json"))
    if limit is not None and limit < 1:
        raise UsageProblem(f"--limit must be 1 or more events, e.g. --limit 20 (not {limit}).")
    store = open_store(readonly=True)
    events = store.history(ref, limit=limit)
    if fmt == "json":
        render.write_stdout(
            json.dumps({"schema_version": 1, "events": events}, ensure_ascii=False, indent=2) + "\n"
        )
        return
    render.print_history(events)


@app.command()
def owners() -> None:
    """List owners, their email addresses and how many tracked actions each holds."""
    store = open_store(readonly=True)
    rows = store.owners()
    if not rows:
        say("No owners yet. Assign one with: cpft-tracker assign REF... OWNER --email ADDRESS")
        return
    for row in rows:
        email = f" <{row['email']}>" if row["email"] else " (no email address)"
        print(f"{row['name']}{email}: {row['actions']} action{'s' if row['actions'] != 1 else ''}")


@app.command()
def reports() -> None:
    """List the imported reports with their reference prefix and number of actions."""
    store = open_store(readonly=True)
    rows = store.reports()
    if not rows:
        say("No reports yet. Import one with: cpft-tracker import REPORT.txt")
        return
    for row in rows:
        print(
            f"{row['prefix']}: {row['name']} ({row['actions']} actions, from {row['source_file']})"
        )


@app.command("quality-statements")
def quality_statements() -> None:
    """List the CQC well-led quality statements an action can fall under."""
    from cpft_tracker.quality_statements import NAMES

    for name in NAMES:
        print(name)


# ---------------------------------------------------------------------------
# Commands: changing actions (each one transaction with audit events)
# ---------------------------------------------------------------------------


@app.command()
def assign(
    refs: Refs,
    owner: Annotated[
        str,
        typer.Argument(
            metavar="OWNER", help="The owner: a person or post, e.g. 'Director of Nursing'."
        ),
    ],
    email: Annotated[
        str | None,
        typer.Option("--email", metavar="ADDRESS", help="The owner's email, for reminders."),
    ] = None,
    note: Note = None,
    by: By = None,
) -> None:
    """Give one or many actions an owner (and record their email for reminders)."""
    from cpft_tracker.store import who

    store = open_store()
    changes = store.assign(refs, owner, email=email, note=note, by=who(by))
    report_changes(changes, f"No change: already owned by {owner}.")


@app.command()
def unassign(refs: Refs, note: Note = None, by: By = None) -> None:
    """Take the owner off one or many actions."""
    from cpft_tracker.store import who

    store = open_store()
    report_changes(
        store.unassign(refs, note=note, by=who(by)), "No change: those actions had no owner."
    )


@app.command()
def due(
    refs: Refs,
    date: Annotated[
        str,
        typer.Argument(
            metavar="DATE",
            help="31/03/2026, 2026-03-31, '31 March 2026', '31 Mar 26', +30d, +6w, +3m, or 'none' to clear.",
        ),
    ],
    note: Note = None,
    by: By = None,
) -> None:
    """Set the due date of one or many actions (UK dates: day first)."""
    from cpft_tracker.dates import parse_date
    from cpft_tracker.store import who

    value = None if date.strip().lower() in ("none", "clear") else parse_date(date).isoformat()
    store = open_store()
    report_changes(
        store.set_due(refs, value, note=note, by=who(by)), "No change: already due then."
    )


@app.command()
def status(
    refs: Refs,
    new_status: Annotated[
        str, typer.Argument(metavar="STATUS", help="not-started, in-progress, blocked or complete.")
    ],
    note: Note = None,
    evidence: Annotated[
        str | None,
        typer.Option(
            "--evidence", metavar="TEXT", help="What shows it is done (needed for complete)."
        ),
    ] = None,
    by: By = None,
) -> None:
    """Move one or many actions to a status. 'complete' needs evidence, given now or recorded earlier."""
    from cpft_tracker.store import who

    value = parse_status(new_status)
    store = open_store()
    changes = store.set_status(refs, value, note=note, evidence=evidence, by=who(by))
    report_changes(changes, f"No change: already {value}.")


@app.command()
def note(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The action reference.")],
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The progress note.")],
    by: By = None,
) -> None:
    """Add a dated progress note to an action."""
    from cpft_tracker.store import who

    store = open_store()
    change = store.add_note(ref, text, by=who(by))
    say(f"{change.ref}: note added.")


@app.command()
def evidence(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The action reference.")],
    text: Annotated[
        str,
        typer.Argument(
            metavar="TEXT", help="What shows the action is done, e.g. a paper and date."
        ),
    ],
    by: By = None,
) -> None:
    """Record evidence of completion for an action (added to any evidence already there)."""
    from cpft_tracker.store import who

    store = open_store()
    change = store.add_evidence(ref, text, by=who(by))
    say(f"{change.ref}: evidence recorded.")


@app.command()
def retitle(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The action reference.")],
    title: Annotated[str, typer.Argument(metavar="TITLE", help="The new short title.")],
    by: By = None,
) -> None:
    """Correct an action's short title (the requirement itself is kept verbatim)."""
    from cpft_tracker.store import clean_name, who

    if not "".join(ch for ch in title if ch.isprintable()).strip():
        raise UsageProblem(
            "The new title is empty. Write a short title that reads as an action, "
            'e.g. "Review board succession planning".'
        )
    value = clean_name(title, "title")
    store = open_store()
    report_changes(
        store.set_text_field([ref], "title", value, by=who(by)),
        "No change: that is already the title.",
    )


@app.command()
def classify(
    refs: Refs,
    statement: Annotated[
        str,
        typer.Argument(
            metavar="QUALITY_STATEMENT",
            help="A CQC well-led quality statement (see 'quality-statements'), or 'none'.",
        ),
    ],
    by: By = None,
) -> None:
    """Correct the CQC quality statement one or many actions fall under."""
    from cpft_tracker.store import who

    value = parse_quality_statement(statement)
    store = open_store()
    report_changes(
        store.set_text_field(refs, "quality_statement", value, by=who(by)),
        "No change: already under that quality statement.",
    )


@app.command()
def retire(
    refs: Refs,
    reason: Annotated[
        str, typer.Option("--reason", metavar="TEXT", help="Why it is no longer tracked.")
    ],
    by: By = None,
) -> None:
    """Stop tracking actions, with a reason. They stay in history and exports; nothing is deleted."""
    from cpft_tracker.store import who

    store = open_store()
    report_changes(store.retire(refs, reason, by=who(by)), "No change: already retired.")


@app.command()
def reinstate(refs: Refs, note: Note = None, by: By = None) -> None:
    """Track retired actions again."""
    from cpft_tracker.store import who

    store = open_store()
    report_changes(
        store.reinstate(refs, note=note, by=who(by)), "No change: those actions were not retired."
    )


# ---------------------------------------------------------------------------
# Commands: exports
# ---------------------------------------------------------------------------


@app.command()
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
            actions, figures, today=today, window=win, generated_at=generated_at, as_of=as_of_day
        )
    write_output(text, output)


import cpft_tracker.cli_board  # noqa: E402,F401  (registers progress, settings, plan)
import cpft_tracker.cli_maintenance  # noqa: E402,F401  (registers backup, check)
from cpft_tracker import cli_remind  # noqa: E402,F401  (registers commands)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
