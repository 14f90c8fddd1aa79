"""The committed descriptions of the commands (``cpft_tracker/cli/spec.py``, written by
``make cli-spec``): current, and a command built from one is the command built from its typer
declarations -- the same help at every width, the same parameters, the same errors and exit
codes -- so running a command need not import typer (issue 10, bench/NOTES.md).
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import click
import pytest
from click.testing import CliRunner

from cpft_tracker.cli import COMMANDS, convert, group, load, spec_writer, toplevel
from cpft_tracker.cli.spec import SPECS

REGENERATE = "Run 'make cli-spec' and commit cpft_tracker/cli/spec.py."


def test_the_committed_spec_is_current() -> None:
    """Fails when a command, its shared declarations or the converter changed since
    ``make cli-spec`` (the command still runs, but imports typer to describe itself)."""
    now = spec_writer.describe_all()
    stale = sorted(
        name or "(the top-level options)" for name in now if SPECS.get(name) != now[name]
    )
    gone = sorted(name for name in SPECS if name not in now)
    assert not stale and not gone, f"cli/spec.py is stale for {stale + gone}. {REGENERATE}"
    for name, entry in SPECS.items():
        target = COMMANDS[name][0] if name else "cpft_tracker.cli.toplevel:main_options"
        assert convert.is_current(entry, target), f"{name}: {REGENERATE}"


def _from_typer(name: str) -> click.Command:
    """The command as its typer declarations give it, now (what a stale spec falls back to)."""
    return convert.build(name, convert.describe(name, load(COMMANDS[name][0])))


def _commands(command: click.Command, path: str) -> list[tuple[str, click.Command]]:
    found = [(path, command)]
    for sub_name, sub in getattr(command, "commands", {}).items():
        found += _commands(sub, f"{path} {sub_name}")
    return found


def _parameter(param: click.Parameter) -> tuple[Any, ...]:
    """What a user can see or feel of a parameter."""
    return (
        type(param).__name__,
        param.name,
        param.opts,
        param.secondary_opts,
        repr(param.type),
        param.required,
        param.default,
        param.multiple,
        param.nargs,
        param.envvar,
        param.metavar,
        param.is_eager,
        param.callback is None,
        getattr(param, "is_flag", None),
        getattr(param, "show_envvar", None),
        getattr(param, "show_default", None),
        getattr(param, "help", None),
    )


@pytest.mark.parametrize("name", list(COMMANDS))
def test_built_from_the_spec_is_built_from_typer(name: str) -> None:
    fast = convert.build(name, SPECS[name]["node"])
    slow = _from_typer(name)
    fast_all, slow_all = _commands(fast, name), _commands(slow, name)
    assert [p for p, _ in fast_all] == [p for p, _ in slow_all]
    runner = CliRunner()
    for (path, a), (_, b) in zip(fast_all, slow_all, strict=True):
        assert type(a) is type(b), path
        assert (a.help, a.short_help, a.no_args_is_help) == (
            b.help,
            b.short_help,
            b.no_args_is_help,
        )
        assert [_parameter(p) for p in a.params] == [_parameter(p) for p in b.params], path
        words = path.split()[1:]
        for width in (40, 80, 120):
            shown = [
                runner.invoke(
                    c, [*words, "--help"], prog_name=f"cpft-tracker {name}", terminal_width=width
                )
                for c in (fast, slow)
            ]
            assert shown[0].exit_code == shown[1].exit_code == 0, path
            assert shown[0].output == shown[1].output, (path, width)


def test_the_top_level_options_from_the_spec_are_typers() -> None:
    fast, _ = convert.build_parameters(SPECS[""]["node"])
    slow, _ = convert.parameters(toplevel.main_options, "cpft-tracker")
    assert [_parameter(p) for p in fast] == [_parameter(p) for p in slow]


# command lines a user gets wrong: the same message and exit code either way
BAD = [
    ["list", "--window", "abc"],
    ["list", "--overdu"],
    ["list", "--limit"],
    ["assign", "CPFT-01"],
    ["status"],
    ["note", "CPFT-01", "-chased"],
    ["history", "--limit", "-3"],
    ["status", "CPFT-01", "done", "--if-unchanged-since", "-1"],
    ["remind", "--smtp-port", "x"],
    ["plan"],
    ["plan", "nothing"],
    ["owners", "rename"],
    ["export", "--format", "yaml"],
    ["--db", "", "list"],
    ["completion"],
    ["lst"],
]


def _run_all(app: click.Command, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str, str]]:
    runner = CliRunner()
    done = []
    for words in BAD:
        monkeypatch.setattr(group, "_built", {})
        result = runner.invoke(app, words, prog_name="cpft-tracker")
        done.append((result.exit_code, result.stdout, result.stderr))
    return done


def test_bad_usage_reads_the_same_from_the_spec_and_from_typer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast = _run_all(group.app, monkeypatch)
    monkeypatch.setattr("cpft_tracker.cli.spec.SPECS", {})  # every command described from typer
    slow = _run_all(group._app(), monkeypatch)
    for words, a, b in zip(BAD, fast, slow, strict=True):
        assert a == b, words
        assert a[0] == 2 and a[2].startswith("Error: ") or a[0] == 0, (words, a)


def test_a_stale_description_is_read_from_typer_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone edited a command and did not run make cli-spec: it still runs as declared."""
    entry = dict(SPECS["list"])
    entry["sources"] = {**entry["sources"], "cli/reading.py": -2}
    node = dict(entry["node"])
    node["params"] = node["params"][:1]  # what an outdated spec would wrongly say
    entry["node"] = node
    monkeypatch.setitem(SPECS, "list", entry)
    assert not convert.is_current(entry, COMMANDS["list"][0])
    assert group.description("list") == convert.describe("list", load(COMMANDS["list"][0]))
    assert convert.is_current(SPECS["show"], COMMANDS["show"][0])
    assert group.description("show") == SPECS["show"]["node"]


def test_no_command_module_imports_typer_to_run() -> None:
    """Put ``import typer`` and the shared declarations under ``if TYPE_CHECKING:`` (see
    cli/reading.py): the annotations are strings, read by cli/convert.py only."""
    modules = sorted({target.split(":")[0] for target, _ in COMMANDS.values()})
    code = (
        "import importlib, sys\n"
        "for m in sys.argv[1:]:\n"
        "    importlib.import_module(m)\n"
        "    if 'typer' in sys.modules:\n"
        "        print(m)\n"
        "        break\n"
        "import cpft_tracker.cli.group\n"
        "print('typer' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *modules], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False", f"imports typer at run time: {done.stdout.split()[0]}"


@pytest.mark.parametrize(
    ("error", "words"),
    [
        ("sqlite3.OperationalError('disk I/O error')", "Error: "),
        ("RuntimeError('a bug')", "Error: Something unexpected went wrong (RuntimeError: a bug)"),
    ],
)
def test_an_error_past_typers_exceptions_is_still_one_line_without_typer(
    error: str, words: str
) -> None:
    """run_safely names typer's exceptions only when typer is loaded: an error that reaches the
    clauses after them (a disk error in the middle of a command, a bug) is still one plain
    line and exit 1, not a traceback."""
    code = (
        "import sqlite3, sys\n"
        "import cpft_tracker.cli.reading as reading\n"
        "def broken(**kwargs):\n"
        f"    raise {error}\n"
        "reading.open_store = broken\n"
        "from cpft_tracker.cli import main\n"
        "sys.argv = ['cpft-tracker', 'list']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "print('EXIT', code, 'TYPER', 'typer' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    lines = done.stderr.strip().splitlines()
    assert lines[-1] == "EXIT 1 TYPER False", done.stderr
    assert len(lines) == 2 and lines[0].startswith(words), done.stderr
