"""The group behind ``cpft-tracker``: a click 8 group that builds only the invoked command.

Imported only when a command line is not plain (``cpft_tracker.cli.main``): ``--help``, a
bare ``cpft-tracker`` and ``--version`` are answered by ``cli/help.py`` without it, and a plain
command line (known options and values, nothing to explain) runs through ``cli/direct.py``
without click; this group reads the rest (help, mistakes, sub-groups) as before. The commands
are declared for typer and built as click 8 commands by ``cli/convert.py`` (typer 0.29's
own parameter processing imports pydantic: bench/NOTES.md, issue 10), from their committed
descriptions in ``cli/spec.py`` (``make cli-spec``), so that running one does not import typer.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from cpft_tracker.cli import COMMANDS, HELP, convert
from cpft_tracker.cli.direct import TOP, is_current
from cpft_tracker.cli.errors import Escaped, run_safely
from cpft_tracker.cli.options import _state


def description(name: str) -> dict[str, Any]:
    """The description of a ``COMMANDS`` entry ("" for the top-level options): the committed
    one in ``cli/spec.py`` when it was read from the files as they are now, else one read
    from the typer declarations there and then (imports typer: slower, never wrong)."""
    try:
        from cpft_tracker.cli.spec import SPECS
    except ImportError:  # not generated yet (make cli-spec)
        SPECS = {}
    target = COMMANDS[name][0] if name else TOP
    entry = SPECS.get(name)
    if entry is not None and is_current(entry, target):
        return dict(entry["node"])
    if not name:
        from cpft_tracker.cli.toplevel import main_options

        return convert.describe_parameters(main_options, "cpft-tracker")
    from cpft_tracker.cli import load

    return convert.describe(name, load(target))


def build_command(name: str) -> click.Command:
    """The click command for one ``COMMANDS`` entry, built from its description (its module
    imported); done for the invoked command only, not all 27."""
    if name not in _built:
        _built[name] = convert.build(name, description(name))
    return _built[name]


_built: dict[str, click.Command] = {}


class TrackerGroup(click.Group):
    """The top-level group: commands come from ``COMMANDS`` and are built only when invoked
    (Click's "lazily loading subcommands" pattern); every failure becomes one plain line on
    stderr and an exit code.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, in the order --help lists them (nothing is imported)."""
        return [*COMMANDS, *(n for n in super().list_commands(ctx) if n not in COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command called ``cmd_name``, built now (its module imported), or None."""
        if cmd_name in COMMANDS:
            return build_command(cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        """As click's, with a "Did you mean ...?" drawn from the table (no command is built)."""
        try:
            found = super().resolve_command(ctx, args)
            # for a usage error click raises without a context ("Option '--owner' requires an
            # argument"): the command whose --help to point at
            _state["command_path"] = f"{ctx.command_path} {found[0]}"
            return found
        except click.UsageError as exc:
            from difflib import get_close_matches

            matches = get_close_matches(args[0], list(COMMANDS)) if args else []
            if matches and "Did you mean" not in exc.message:
                suggestions = ", ".join(f"{m!r}" for m in matches)
                message = f"{exc.message.rstrip('.')}. Did you mean {suggestions}?"
                raise click.UsageError(message, ctx=exc.ctx) from None
            raise

    def format_commands(self, ctx: click.Context, formatter: Any) -> None:
        """The Commands section of --help from the table's summaries: listing imports no command.

        Each summary (the first paragraph of the docstring) whole, wrapped in its column by
        click's formatter: never cut with "..." as click's short help would cut it.
        """
        rows = [(name, summary) for name, (_, summary) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        """As click's; a Ctrl-C while the command line is read goes to our error mapping too
        (click would turn it into "Aborted!")."""
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt as exc:
            raise Escaped(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; Ctrl-C and a closed pipe go to our one error mapping, not click's."""
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
        _state.pop("command_path", None)
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


def _app() -> TrackerGroup:
    params, callback = convert.build_parameters(description(""))
    return TrackerGroup(
        "cpft-tracker",
        params=params,
        callback=callback,
        help=HELP,
        no_args_is_help=True,
        context_settings=dict(convert.CONTEXT),
    )


app = _app()
