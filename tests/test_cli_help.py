"""Every command explains itself: a docstring (the --help text) and help on every option."""

from __future__ import annotations

import typer.main
from typer.testing import CliRunner

from cpft_tracker.cli import app


def all_commands():
    root = typer.main.get_command(app)
    stack = [("", root)]
    while stack:
        prefix, cmd = stack.pop()
        sub = getattr(cmd, "commands", None)
        if sub:
            for name, child in sub.items():
                stack.append((f"{prefix} {name}".strip(), child))
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
