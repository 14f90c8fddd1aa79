"""``cpft-tracker --help``, a bare ``cpft-tracker`` and ``--version`` without typer or click.

Start-up (issue 10, bench/NOTES.md): ``import typer`` (0.29) costs ~45 ms of CPU, more than
the 60 ms target for ``--help`` leaves after Python's own ~30 ms. The top-level help is the
table in ``cli/__init__.py`` plus three options, so it is written here with the layout
click's ``HelpFormatter`` gives it (the same wrapping, columns and short-help cut).
``tests/test_cli_help.py`` compares this text with the click group's own (``cli/group.py``)
at many widths; any other command line goes to that group.
"""

from __future__ import annotations

import sys

# (the option as --help shows it, its help): main_options in cli/group.py
OPTIONS = (
    ("--db PATH", "The database file. Default: $CPFT_TRACKER_DB, else your user data folder."),
    ("--version", "Show the version and exit."),
    ("-h, --help", "Show this message and exit."),
)


def answer_without_typer(args: list[str]) -> bool:
    """Print the top-level help or the version and return True, or return False for the group."""
    if args in ([], ["--help"], ["-h"]):
        sys.stdout.write(top_help())
        return True
    if args == ["--version"]:
        from cpft_tracker import __version__

        print(f"cpft-tracker {__version__}")
        return True
    return False


def top_help(width: int | None = None) -> str:
    """The text ``cpft-tracker --help`` prints (click's layout: at most 78 columns, at least 50)."""
    import shutil

    from cpft_tracker.cli import COMMANDS, HELP

    if width is None:
        width = max(min(shutil.get_terminal_size().columns, 80) - 2, 50)
    out = ["Usage: cpft-tracker [OPTIONS] COMMAND [ARGS]...\n", "\n"]
    out.append(_wrap(HELP, width, "  ") + "\n")
    out += ["\n", "Options:\n", *_definitions(OPTIONS, width)]
    # each summary whole, wrapped in its column: never cut with "..." (issue 13)
    rows = [(name, summary) for name, (_, summary) in COMMANDS.items()]
    out += ["\n", "Commands:\n", *_definitions(rows, width)]
    return "".join(out)


def _wrap(text: str, width: int, indent: str = "") -> str:
    import textwrap

    return textwrap.TextWrapper(
        width, initial_indent=indent, subsequent_indent=indent, replace_whitespace=False
    ).fill(" ".join(text.expandtabs().split("\n")))


def _definitions(
    rows: list[tuple[str, str]] | tuple[tuple[str, str], ...], width: int
) -> list[str]:
    """click's ``HelpFormatter.write_dl`` at indent 2: names, then text in one wrapped column."""
    indent = 2
    first_col = min(max(len(name) for name, _ in rows), 30) + 2
    lines = []
    for name, text in rows:
        line = " " * indent + name
        if len(name) <= first_col - 2:
            line += " " * (first_col - len(name))
        else:
            line += "\n" + " " * (first_col + indent)
        wrapped = _wrap(text, max(width - first_col - 2, 10)).splitlines()
        lines.append(line + (wrapped[0] if wrapped else "") + "\n")
        lines += [" " * (first_col + indent) + more + "\n" for more in wrapped[1:]]
    return lines
