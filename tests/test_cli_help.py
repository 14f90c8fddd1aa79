"""Every command explains itself: a docstring (the --help text) and help on every option."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cpft_tracker.cli import COMMANDS, app


def all_commands():
    """Every command, through the group's own list/get (the top level builds them on demand)."""
    root = app
    stack = [("", root)]
    while stack:
        prefix, cmd = stack.pop()
        if hasattr(cmd, "list_commands"):
            ctx = cmd.make_context(prefix or "cpft-tracker", [], resilient_parsing=True)
            for name in cmd.list_commands(ctx):
                stack.append((f"{prefix} {name}".strip(), cmd.get_command(ctx, name)))
        else:
            yield prefix, cmd


def test_every_command_has_help_text_and_every_option_is_described() -> None:
    commands = list(all_commands())
    assert len(commands) >= 15
    for name, cmd in commands:
        assert cmd.help and len(cmd.help.strip()) > 20, f"'{name}' has no docstring"
        for param in cmd.params:
            if param.param_type_name == "option" and param.name not in ("help",):
                assert getattr(param, "help", None), f"option {param.opts} of '{name}' has no help"


def test_help_runs_for_every_command(runner: CliRunner) -> None:
    for name, _ in all_commands():
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert "Usage: cpft-tracker" in result.stdout


def test_bare_command_shows_help(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 0
    assert "import" in result.stdout and "status" in result.stdout


def test_the_command_table_summaries_are_the_commands_own_help() -> None:
    """--help lists the table's summaries: each must be the first paragraph of that command's help."""
    root = app
    ctx = root.make_context("cpft-tracker", [], resilient_parsing=True)
    assert root.list_commands(ctx) == list(COMMANDS)
    for name, (_, summary) in COMMANDS.items():
        cmd = root.get_command(ctx, name)
        assert cmd is not None and cmd.help, name
        first = " ".join(cmd.help.split("\n\n")[0].split())
        assert first == summary, name


def test_help_lists_every_command_without_importing_any_command_module() -> None:
    code = (
        "import sys\n"
        "from cpft_tracker.cli import main\n"
        "sys.argv = ['cpft-tracker', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('cpft_tracker'))\n"
        "print('LOADED', ' '.join(loaded), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    for name in COMMANDS:
        assert f"  {name} " in result.stdout, name
    loaded = result.stderr.split("LOADED", 1)[1].split()
    commands = {target.split(":")[0] for target, _ in COMMANDS.values()}
    assert not commands & set(loaded), loaded
    assert "cpft_tracker.store" not in loaded and "rich" not in " ".join(loaded)


@pytest.mark.parametrize("columns", ["20", "52", "60", "70", "79", "80", "120"])
def test_help_without_click_is_the_groups_help(columns: str) -> None:
    """`--help`, `-h` and a bare command are answered without typer or click: the same bytes
    the click group that runs the commands prints."""
    env = {**os.environ, "COLUMNS": columns}
    by_click = subprocess.run(
        [sys.executable, "-c", "from cpft_tracker.cli.group import app; app()", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert by_click.returncode == 0 and "Commands:" in by_click.stdout
    for args in (["--help"], ["-h"], []):
        code = (
            "import sys\n"
            "from cpft_tracker.cli import main\n"
            "main()\n"
            "print('typer' in sys.modules or 'click' in sys.modules, file=sys.stderr)\n"
        )
        fast = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60, env=env
        )
        assert fast.returncode == 0, fast.stderr
        assert fast.stdout == by_click.stdout, args
        assert fast.stderr.strip() == "False"


def test_only_the_invoked_command_module_is_imported(tmp_path) -> None:
    code = (
        "import sys\n"
        "from cpft_tracker.cli import main\n"
        "sys.argv = ['cpft-tracker', '--db', sys.argv[1], 'info']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', ' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "none.db")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    loaded = set(result.stderr.split("LOADED", 1)[1].split())
    assert "cpft_tracker.cli.maintenance" in loaded
    others = {t.split(":")[0] for t, _ in COMMANDS.values()} - {"cpft_tracker.cli.maintenance"}
    assert not others & loaded, sorted(others & loaded)


def test_every_command_has_an_example_in_its_help(runner: CliRunner) -> None:
    """Each command's --help ends with an example to copy (issue 13)."""
    for name, cmd in all_commands():
        assert "Example: cpft-tracker " in (cmd.help or ""), f"'{name}' has no example"
    for name in COMMANDS:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example: cpft-tracker" in result.stdout, name


@pytest.mark.parametrize("columns", ["50", "80", "120"])
def test_help_never_cuts_a_command_description(columns: str) -> None:
    """Every summary is shown whole (wrapped), at the top level and in the plan group."""
    env = {**os.environ, "COLUMNS": columns}
    for args in ([], ["plan"], ["owners"]):
        out = subprocess.run(
            [sys.executable, "-m", "cpft_tracker", *args, "--help"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout
        assert "..." not in out.split("Commands:")[1]
        flat = "".join(out.split())  # wrapping may break at a space or after a hyphen
        summaries = [s for _, s in COMMANDS.values()] if not args else []
        for summary in summaries:
            assert "".join(summary.split()) in flat
