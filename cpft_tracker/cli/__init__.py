"""The command line: the app, the table of commands, and the entry point.

Layout (see ARCHITECTURE.md): ``options.py`` (the shared options and their readers),
``output.py`` (messages and data out), ``errors.py`` (exceptions -> one line and an exit
code) are the core; every other module here is one command group and imports only the
core, never another command module. ``COMMANDS`` names each command's function and its
one-line summary.

Exit codes: 0 done; 1 a problem the message explains; 2 a command line that cannot be
read (unknown option, a date or status that cannot be read); 3 reminder emails that could
not be sent.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from difflib import get_close_matches
from typing import Annotated, Any

import typer
import typer.main

# typer 0.29's own copy of click: the types of the commands and contexts it builds
from typer._click import Command, Context
from typer._click.exceptions import UsageError
from typer.core import TyperCommand, TyperGroup

from cpft_tracker import __version__
from cpft_tracker.cli.errors import Escaped, run_safely
from cpft_tracker.cli.options import _state

# name -> ("module:attribute", the one-line summary --help lists). The summary is the first
# paragraph of the command's docstring (tests/test_cli_help.py checks they agree). The
# attribute is a command function, or a typer.Typer for a command group (plan).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": (
        "cpft_tracker.cli.maintenance:init",
        "Create the action plan database, or upgrade it to this version. Safe to run twice.",
    ),
    "info": (
        "cpft_tracker.cli.maintenance:info",
        "Show which database is in use, its schema version and what it holds.",
    ),
    "import": (
        "cpft_tracker.cli.importing:import_",
        "Extract every must/needs requirement from CQC report files and add each as an action.",
    ),
    "list": (
        "cpft_tracker.cli.reading:list_",
        "List actions with their BRAG rating, status, due date and owner.",
    ),
    "show": (
        "cpft_tracker.cli.reading:show",
        "Show one action in full: the requirement verbatim, where it came from, its state and history.",
    ),
    "history": (
        "cpft_tracker.cli.reading:history",
        "Show the audit trail, newest first: who changed what and when.",
    ),
    "owners": (
        "cpft_tracker.cli.reading:owners",
        "List owners, their email addresses and how many tracked actions each holds.",
    ),
    "reports": (
        "cpft_tracker.cli.reading:reports",
        "List the imported reports with their reference prefix and number of actions.",
    ),
    "quality-statements": (
        "cpft_tracker.cli.reading:quality_statements",
        "List the CQC well-led quality statements an action can fall under.",
    ),
    "assign": (
        "cpft_tracker.cli.actions:assign",
        "Give one or many actions an owner (and record their email for reminders).",
    ),
    "unassign": ("cpft_tracker.cli.actions:unassign", "Take the owner off one or many actions."),
    "due": (
        "cpft_tracker.cli.actions:due",
        "Set the due date of one or many actions (UK dates: day first).",
    ),
    "status": (
        "cpft_tracker.cli.actions:status",
        "Move one or many actions to a status. 'complete' needs evidence, given now or recorded earlier.",
    ),
    "note": ("cpft_tracker.cli.actions:note", "Add a dated progress note to an action."),
    "evidence": (
        "cpft_tracker.cli.actions:evidence",
        "Record evidence of completion for an action (added to any evidence already there).",
    ),
    "retitle": (
        "cpft_tracker.cli.actions:retitle",
        "Correct an action's short title (the requirement itself is kept verbatim).",
    ),
    "classify": (
        "cpft_tracker.cli.actions:classify",
        "Correct the CQC quality statement one or many actions fall under.",
    ),
    "retire": (
        "cpft_tracker.cli.actions:retire",
        "Stop tracking actions, with a reason. They stay in history and exports; nothing is deleted.",
    ),
    "reinstate": ("cpft_tracker.cli.actions:reinstate", "Track retired actions again."),
    "export": (
        "cpft_tracker.cli.board:export",
        "Export actions for scripts and board papers (the same filters as 'list').",
    ),
    "progress": (
        "cpft_tracker.cli.board:progress",
        "Show progress for the board: % complete, BRAG counts, overdue, and tables by statement, owner, status.",
    ),
    "settings": (
        "cpft_tracker.cli.maintenance:settings",
        "Show the settings, or change one: 'cpft-tracker settings window 21' (amber warning window).",
    ),
    "backup": (
        "cpft_tracker.cli.maintenance:backup",
        "Copy the database to PATH, safely, even while others are making changes.",
    ),
    "check": (
        "cpft_tracker.cli.maintenance:check",
        "Check the database: integrity, foreign keys, schema version and audit-trail protection.",
    ),
    "remind": (
        "cpft_tracker.cli.remind:remind",
        "List overdue and soon-due actions by owner, and (with --send) email each owner their own list.",
    ),
    "plan": (
        "cpft_tracker.cli.plan:plan_app",
        "Edit the plan in a spreadsheet: write a template, then load the edited file.",
    ),
}


def load(target: str) -> Any:
    """The object a ``COMMANDS`` entry names ("module:attribute"), importing its module."""
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def build_command(name: str) -> Command:
    """The click command for one ``COMMANDS`` entry: its module imported, its function converted.

    typer turns a function into a click command by reading its signature (``inspect``,
    ``typing.get_type_hints``); done here for the invoked command only, not all 27.
    """
    if name not in _built:
        obj = load(COMMANDS[name][0])
        if not isinstance(obj, typer.Typer):
            one = typer.Typer(
                add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None
            )
            one.command(name)(obj)
            obj = one
        _built[name] = typer.main.get_command(obj)
    return _built[name]


_built: dict[str, Command] = {}


class TrackerGroup(TyperGroup):
    """The top-level group: commands come from ``COMMANDS`` and are built only when invoked
    (Click's "lazily loading subcommands" pattern); every failure becomes one plain line on
    stderr and an exit code.
    """

    def list_commands(self, ctx: Context) -> list[str]:
        """Every command name, in the order --help lists them (nothing is imported)."""
        return [*COMMANDS, *(n for n in super().list_commands(ctx) if n not in COMMANDS)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        """The command called ``cmd_name``, built now (its module imported), or None."""
        if cmd_name in COMMANDS:
            return build_command(cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: Context, args: list[str]) -> Any:
        """As typer's, with its "Did you mean ...?" drawn from the table (no command is built)."""
        try:
            return super().resolve_command(ctx, args)
        except UsageError as exc:
            matches = get_close_matches(args[0], list(COMMANDS)) if args else []
            if matches and "Did you mean" not in exc.message:
                suggestions = ", ".join(f"{m!r}" for m in matches)
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {suggestions}?"
            raise

    def format_commands(self, ctx: Context, formatter: Any) -> None:
        """The Commands section of --help from the table's summaries: listing imports no command.

        The same text click writes from each command's help: a stand-in command holding only
        the summary (the first paragraph of the docstring) gives click's own short help.
        """
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, TyperCommand(name=name, help=summary).get_short_help_str(limit))
            for name, (_, summary) in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: Context) -> Any:
        """Run the command; Ctrl-C and a closed pipe go to our one error mapping, not typer's."""
        try:
            return super().invoke(ctx)
        except (KeyboardInterrupt, BrokenPipeError) as exc:
            raise Escaped(exc) from None

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


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
