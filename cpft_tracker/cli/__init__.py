"""The command line: the table of commands and the entry point.

Layout (see ARCHITECTURE.md): ``group.py`` (the click group that builds only the invoked
command, through ``convert.py``: commands are declared for typer and run on click 8), ``options.py`` (the shared options and their readers), ``output.py``
(messages and data out), ``errors.py`` (exceptions -> one line and an exit code) are the
core; every other module here is one command group and imports only the core, never another
command module. ``COMMANDS`` names each command's function and its one-line summary.
``help.py`` answers ``--help``/``--version`` from this table without importing typer or click.

Exit codes: 0 done; 1 a problem the message explains; 2 a command line that cannot be
read (unknown option, a date or status that cannot be read); 3 reminder emails that could
not be sent.
"""

from __future__ import annotations

import importlib
import sys

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any

HELP = "Track the improvement actions a CQC report requires: owners, due dates, statuses, evidence and BRAG progress."

# name -> ("module:attribute", the one-line summary --help lists). The summary is the first
# paragraph of the command's docstring (tests/test_cli_help.py checks they agree). The
# attribute is a command function, or a typer.Typer for a command group (plan, owners).
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
        "cpft_tracker.cli.owners:owners_app",
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
    "review": (
        "cpft_tracker.cli.review:review",
        "Walk the actions awaiting review one by one: accept, reject, retitle or skip each.",
    ),
    "accept": (
        "cpft_tracker.cli.review:accept",
        "Accept candidates as requirements: from now on they are tracked and counted in progress.",
    ),
    "reject": (
        "cpft_tracker.cli.review:reject",
        'Reject candidates that are not requirements: retired as "not a requirement: REASON".',
    ),
    "merge": (
        "cpft_tracker.cli.actions:merge",
        "Join two actions that state the same thing: merge CPFT-14 INTO CPFT-10.",
    ),
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
        "Show the settings, or change one: the look-ahead window or the provider's name.",
    ),
    "backup": (
        "cpft_tracker.cli.maintenance:backup",
        "Copy the database to PATH, safely, even while others are making changes.",
    ),
    "restore": (
        "cpft_tracker.cli.maintenance:restore",
        "Put a backup in place of the database, keeping the file it replaces and its -wal beside it.",
    ),
    "check": (
        "cpft_tracker.cli.maintenance:check",
        "Check the database: integrity, foreign keys, schema version and audit-trail protection.",
    ),
    "copy": (
        "cpft_tracker.cli.maintenance:copy",
        "Copy the whole plan, with its history, into a new empty database (SQLite or PostgreSQL).",
    ),
    "remind": (
        "cpft_tracker.cli.remind:remind",
        "List overdue and soon-due actions by owner, and (with --send) email each owner their own list.",
    ),
    "plan": (
        "cpft_tracker.cli.plan:plan_app",
        "Edit the plan in a spreadsheet: write a template, then load the edited file.",
    ),
    "completion": (
        "cpft_tracker.cli.completion:completion",
        "Print the shell completion script for bash, zsh or fish (commands, options, refs, owners, statuses).",
    ),
}


def load(target: str) -> Any:
    """The object a ``COMMANDS`` entry names ("module:attribute"), importing its module."""
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


STOPPED = "Stopped. Nothing was half-saved: each change is saved whole or not at all."


def main() -> None:
    """Console-script entry point.

    Ctrl-C (issue 14, finding 11): while the command is still starting (importing typer, click and
    the command's module) a Ctrl-C is noted and acted on once that is done, so it can never
    interrupt an import half-way and print a traceback; from then on it is a KeyboardInterrupt
    that ``cli/errors.py`` turns into the "Stopped" line and exit code 130. Once the command
    has finished, Ctrl-C is ignored while Python shuts down, so the exit code is the command's.
    """
    if sys.argv[1:2] == ["__complete"]:  # the shell completion script asking (cli/completion.py)
        from cpft_tracker.cli.completion import answer

        answer(sys.argv[2:])
        return
    noted: list[int] = []
    try:
        import signal

        ours = signal.getsignal(signal.SIGINT) is signal.default_int_handler
        if ours:
            signal.signal(signal.SIGINT, lambda signum, frame: noted.append(signum))
        from cpft_tracker.cli.help import answer_without_typer

        try:
            if answer_without_typer(sys.argv[1:]):
                sys.stdout.flush()
                return
        except BrokenPipeError:  # `cpft-tracker --help | head -1`: the reader went away
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
        from cpft_tracker.cli import errors  # imported before Ctrl-C is live
        from cpft_tracker.cli.direct import plain_call

        # a plain command line runs from its description without click (cli/direct.py);
        # anything else (help, a mistake, a sub-group) is read by the click group
        plain = plain_call(sys.argv[1:])
        if plain is None:
            from cpft_tracker.cli.group import app
        if ours:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        if noted:
            raise KeyboardInterrupt
        try:
            if plain is not None:
                sys.exit(errors.run_safely(plain))
            app()
        finally:
            # The command is over: its change saved whole or not at all, its messages written.
            # A Ctrl-C now, while Python shuts down, would make a finished command exit as
            # "killed by SIGINT" (a script would think its note failed and add it again).
            if ours:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        print(f"Error: {STOPPED}", file=sys.stderr)
        sys.exit(130)


def __getattr__(name: str) -> Any:
    """``app``, ``build_command`` and ``TrackerGroup`` live in cli/group.py (imported on first use)."""
    if name in ("app", "build_command", "TrackerGroup"):
        from cpft_tracker.cli import group as module

        return getattr(module, name)
    raise AttributeError(f"module 'cpft_tracker.cli' has no attribute {name!r}")
