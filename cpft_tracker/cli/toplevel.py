"""The top-level options of ``cpft-tracker`` (``--db``, ``--version``), declared for typer.

Apart from ``cli/group.py`` so that a plain command line (``cli/direct.py``) can run them
without importing click; the group builds its options from the same description.
"""

from __future__ import annotations

from cpft_tracker.cli.options import _state

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:  # the declarations below are read from typer only when cli/spec.py is stale
    from typing import Annotated

    import typer


def _version(value: bool) -> None:
    if value:
        import click

        from cpft_tracker import __version__

        print(f"cpft-tracker {__version__}")
        raise click.exceptions.Exit(0)


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
    if db is not None and not db.strip():
        from cpft_tracker.errors import UsageProblem

        # before: `--db ''` quietly used the default database (issue 14, finding 11)
        raise UsageProblem(
            "--db is empty. Give the database file, e.g. --db plan.db, or leave --db out to "
            "use $CPFT_TRACKER_DB or your user data folder."
        )
    _state["db"] = db
