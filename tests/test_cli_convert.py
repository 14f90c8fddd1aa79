"""The commands are declared for typer and run on click 8 (``cpft_tracker/cli/convert.py``):
every command builds, values reach the functions as typer passed them, a declaration the
converter does not know is refused when the command is built, and running a command never
imports pydantic (typer 0.29's parameter processing did: ~100 ms of every command, issue 10).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import click
import pytest
import typer
from click.testing import CliRunner

from cpft_tracker.cli import COMMANDS, convert
from cpft_tracker.cli.group import build_command
from tests.conftest import BUNDLED_REPORT, run_cli


def test_every_command_in_the_table_builds_as_a_click_8_command() -> None:
    for name in COMMANDS:
        command = build_command(name)
        assert isinstance(command, click.Command), name
        subcommands = getattr(command, "commands", {})
        for sub in [command, *subcommands.values()]:
            assert sub.help and "Example: cpft-tracker" in (sub.help or command.help or ""), name
            for param in sub.params:
                assert isinstance(param, click.Parameter), (name, param)


# What a real run imports: the command line in a subprocess, sys.modules looked at after it.
WATCH = (
    "import sys\n"
    "from cpft_tracker.cli import main\n"
    "sys.argv = ['cpft-tracker', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\nelse:\n    code = 0\n"
    "print('EXIT', code, 'PYDANTIC', 'pydantic' in sys.modules,"
    " 'ADAPTERS', 'typer._adapters' in sys.modules, 'TYPER', 'typer' in sys.modules,"
    " file=sys.stderr)\n"
)


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--overdue", "--format", "json"],
        ["progress", "--format", "json"],
        ["show", "CPFT-01"],
        ["status", "CPFT-01", "in-progress", "--note", "started"],
        ["list", "--window", "abc"],  # a usage error too
        ["owners"],
        ["plan", "template"],
    ],
)
def test_running_a_command_does_not_import_pydantic_or_typer(
    db_path: Path, args: list[str]
) -> None:
    for setup in (["init"], ["import", str(BUNDLED_REPORT)], ["accept", "CPFT-01"]):
        done = run_cli(*setup)
        assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [sys.executable, "-c", WATCH, *args], capture_output=True, text=True, timeout=120
    )
    last = done.stderr.strip().splitlines()[-1]
    expected = 2 if "abc" in args else 0
    # nor typer: the command is built from its committed description (cli/spec.py)
    assert last == f"EXIT {expected} PYDANTIC False ADAPTERS False TYPER False", done.stderr


def test_values_reach_the_function_as_typer_passed_them() -> None:
    seen: dict[str, Any] = {}

    def files_and_filters(
        files: Annotated[
            list[Path] | None, typer.Argument(metavar="FILE...", help="Files.")
        ] = None,
        status: Annotated[
            list[str] | None, typer.Option("--status", metavar="STATUS", help="Repeat.")
        ] = None,
        window: Annotated[int | None, typer.Option("--window", min=0, help="Days.")] = None,
        pager: Annotated[bool, typer.Option("--pager/--no-pager", help="Page.")] = True,
    ) -> None:
        seen.update(files=files, status=status, window=window, pager=pager)

    runner = CliRunner()
    command = convert.command("try", files_and_filters)
    assert runner.invoke(command, []).exit_code == 0
    assert seen == {"files": None, "status": None, "window": None, "pager": True}
    done = runner.invoke(
        command,
        [
            "a.txt",
            "b.pdf",
            "--status",
            "blocked",
            "--status",
            "complete",
            "--window",
            "3",
            "--no-pager",
        ],
    )
    assert done.exit_code == 0, done.output
    assert seen == {
        "files": [Path("a.txt"), Path("b.pdf")],
        "status": ["blocked", "complete"],
        "window": 3,
        "pager": False,
    }
    refused = runner.invoke(command, ["--window", "-1"])
    assert refused.exit_code == 2 and "x>=0" in refused.output


def test_a_flag_and_a_number_from_the_environment() -> None:
    seen: dict[str, Any] = {}

    def mail(
        ssl: Annotated[
            bool, typer.Option("--ssl", envvar="TRY_SSL", show_envvar=True, help="TLS.")
        ] = False,
        port: Annotated[int | None, typer.Option("--port", envvar="TRY_PORT", help="Port.")] = None,
        timeout: Annotated[float, typer.Option("--timeout", help="Seconds.")] = 30.0,
    ) -> None:
        seen.update(ssl=ssl, port=port, timeout=timeout)

    command = convert.command("try", mail)
    done = CliRunner().invoke(command, [], env={"TRY_SSL": "1", "TRY_PORT": "465"})
    assert done.exit_code == 0, done.output
    assert seen == {"ssl": True, "port": 465, "timeout": 30.0}
    shown = CliRunner().invoke(command, ["--help"]).output
    assert "[env var: TRY_SSL]" in shown and "[default: 30.0]" in shown


def test_the_help_keeps_typers_arguments_section() -> None:
    def note(
        ref: Annotated[str, typer.Argument(metavar="REF", help="The action reference.")],
        text: Annotated[str, typer.Argument(metavar="TEXT", help="The progress note.")],
    ) -> None:
        """Add a note.

        Example: cpft-tracker note CPFT-01 "chased"
        """

    shown = CliRunner().invoke(convert.command("note", note), ["--help"]).output
    assert shown.startswith("Usage: note [OPTIONS] REF TEXT\n")
    arguments = shown.split("Arguments:\n", 1)[1].split("\n\n")[0]
    assert arguments == (
        "  REF   The action reference.  [required]\n  TEXT  The progress note.  [required]"
    )
    assert "Positional arguments" not in shown and "Example: cpft-tracker note" in shown


def _when(when: Annotated[datetime, typer.Option("--when", help="A time.")]) -> None:
    """A datetime option."""


def _prompted(name: Annotated[str, typer.Option("--name", prompt=True, help="Asked.")]) -> None:
    """An option that prompts."""


def _old_style(name: str = typer.Option("x", "--name", help="Default style.")) -> None:
    """An option declared as a default value."""


def _plain(name: str) -> None:
    """A parameter with no typer declaration."""


def _two_argument_callback(value: str, other: str) -> str:
    return value


def _callback(
    name: Annotated[str, typer.Option("--name", callback=_two_argument_callback, help="Checked.")],
) -> None:
    """A callback that wants more than the value."""


def _tuple(pair: Annotated[tuple[str, str], typer.Option("--pair", help="Two.")]) -> None:
    """A tuple option."""


@pytest.mark.parametrize(
    ("function", "words"),
    [
        (_when, "the type"),
        (_prompted, "prompt"),
        (_old_style, "Annotated"),
        (_plain, "Annotated"),
        (_callback, "callback"),
        (_tuple, "the type"),
    ],
)
def test_a_declaration_it_does_not_support_is_refused_when_built(function: Any, words: str) -> None:
    with pytest.raises(convert.Unsupported, match=words):
        convert.command("try", function)
