"""A plain command line runs from its description without click (cli/direct.py): the values it
reads are click's, every line it does not read is left to click, and what a person sees is the
same either way."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import click
import pytest

from cpft_tracker.cli import COMMANDS, direct, group, main
from cpft_tracker.cli.spec import SPECS
from cpft_tracker.errors import TrackerError
from tests.conftest import BUNDLED_REPORT, PG_MODE, setup_cli

SAMPLE = {"str": "x y", "path": "some.file", "int": "3", "float": "2.5"}


def _leaf_commands() -> list[str]:
    return [n for n in COMMANDS if "commands" not in SPECS[n]["node"]]


def _lines(name: str) -> list[list[str]]:
    """Command lines for ``name``: its arguments filled, then each option in its forms."""
    node = SPECS[name]["node"]
    arguments: list[str] = []
    for p in node["params"]:
        if p["kind"] == "argument":
            arguments += ["CPFT-01", "CPFT-02"] if p["list"] else [SAMPLE[p["type"]]]
    lines = [[name, *arguments], [name]]
    if arguments:
        lines.append([name, "--", *arguments])
        lines.append([name, *arguments[:-1]])  # one argument short
        lines.append([name, *arguments, "extra"])
    else:
        lines.append([name, "extra"])
    for p in node["params"]:
        if p["kind"] != "option":
            continue
        for decl in p["decls"]:
            if p["type"] == "bool" and not p["list"]:
                for flag in decl.split("/"):
                    lines.append([name, flag, *arguments])
                    lines.append([name, *arguments, flag])
                    lines.append([name, f"{flag}=yes", *arguments])
                continue
            value = SAMPLE[p["type"]]
            lines.append([name, decl, value, *arguments])
            lines.append([name, *arguments, decl, value])
            lines.append([name, decl, "-1", *arguments])
            lines.append([name, decl, "", *arguments])
            lines.append([name, *arguments, decl])  # no value
            lines.append([name, decl, value, decl, "4", *arguments])  # repeated: last, or both
            if decl.startswith("--"):
                lines.append([name, f"{decl}={value}", *arguments])
                lines.append([name, f"{decl}=", *arguments])
            if p["type"] in ("int", "float"):
                lines.append([name, decl, "three", *arguments])
                lines.append([name, decl, " 7 ", *arguments])
    lines += [[name, "--help"], [name, "-h"], [name, "--no-such-option"], [name, "-x"]]
    return lines


ALL_LINES = [
    [*top, *line]
    for name in _leaf_commands()
    for line in _lines(name)
    for top in ([], ["--db", "plan.db"], ["--db=plan.db"])
]


def _click_reads(args: list[str]) -> Any:
    """The top-level and the command's values as click parses them (after the callbacks),
    what an option callback refused (``--by ''``), or None when click refuses the line or
    answers it itself (help)."""
    at = next(i for i, word in enumerate(args) if word in COMMANDS)  # after the top options
    name, rest = args[at], args[at + 1 :]
    try:
        top = group.app.make_context("cpft-tracker", [*args[:at], name])
        command = group.build_command(name)
        sub = command.make_context(name, list(rest), parent=top)
    except TrackerError as refused:
        return type(refused), refused.message
    except (click.exceptions.ClickException, click.exceptions.Exit, Exception):
        return None
    return dict(top.params), dict(sub.params)


def _with_callbacks(found: Any) -> Any:
    """What ``cli/direct.py`` makes of the values it read once the callbacks have run."""
    top, top_values, node, values = found
    top_values, values = dict(top_values), dict(values)
    try:
        direct._callbacks(top, top_values)
        direct._callbacks(node, values)
    except TrackerError as refused:
        return type(refused), refused.message
    return top_values, values


def test_every_line_read_without_click_has_clicks_values(monkeypatch: Any) -> None:
    monkeypatch.delenv("_CPFT_TRACKER_COMPLETE", raising=False)
    for name in ("CPFT_TRACKER_REMIND_WITHIN", "CPFT_TRACKER_SMTP_PORT"):
        monkeypatch.delenv(name, raising=False)
    read = refused = 0
    for args in ALL_LINES:
        found = direct.read_line(args)
        clicks = _click_reads(args)
        if found is None:
            refused += 1
            continue
        read += 1
        assert clicks is not None, f"read without click, but click refuses: {args}"
        assert _with_callbacks(found) == clicks, args
    # the plain lines are most of them: the test would pass vacuously if nothing were read
    assert read > 1000 and refused > 1000, (read, refused)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["progress", "--help"],
        ["progress", "-h"],
        ["progress", "--format"],
        ["progress", "--formt", "json"],
        ["progress", "--window", "-3"],
        ["progress", "--window", "abc"],
        ["list", "--overdue=yes"],
        ["list", "--limit", "-1"],
        ["--version"],
        ["--db"],
        ["--", "progress"],
        ["--db", "x.db"],
        ["plan", "template"],
        ["owners"],
        ["show"],
        ["show", "CPFT-01", "CPFT-02"],
        ["note", "CPFT-01", "-chased"],
        ["nosuchcommand"],
        ["list", "-o", "x.csv"],  # not an option of list
    ],
)
def test_lines_click_must_read_are_left_to_it(args: list[str]) -> None:
    assert direct.plain_call(args) is None


def test_an_environment_variable_or_shell_completion_leaves_the_line_to_click(
    monkeypatch: Any,
) -> None:
    assert direct.plain_call(["remind", "--format", "json"]) is not None
    monkeypatch.setenv("CPFT_TRACKER_REMIND_WITHIN", "7")
    assert direct.plain_call(["remind", "--format", "json"]) is None
    monkeypatch.delenv("CPFT_TRACKER_REMIND_WITHIN")
    monkeypatch.setenv("_CPFT_TRACKER_COMPLETE", "bash_complete")
    assert direct.plain_call(["progress"]) is None


def test_a_stale_description_leaves_the_line_to_click(monkeypatch: Any) -> None:
    monkeypatch.setattr(direct, "is_current", lambda entry, target: False)
    assert direct.plain_call(["progress", "--format", "json"]) is None


@pytest.fixture
def first_ref(db_path: Any) -> str:
    """A plan from the bundled report with an owner on its first action; that action's ref."""
    import json

    setup_cli("import", str(BUNDLED_REPORT))
    ref = str(json.loads(setup_cli("list", "--format", "json"))["actions"][0]["ref"])
    setup_cli("assign", ref, "Director of Nursing")
    setup_cli("due", ref, "01/05/2026")
    return ref


def _run(args: list[str], *, plain: bool, capsys: Any, monkeypatch: Any) -> tuple[int, str, str]:
    """``cpft-tracker ARGS`` in-process through main() (plain) or the click group."""
    monkeypatch.setattr(sys, "argv", ["cpft-tracker", *args])
    if not plain:
        monkeypatch.setattr(direct, "plain_call", lambda args: None)
    capsys.readouterr()
    with pytest.raises(SystemExit) as stopped:
        main()
    out, err = capsys.readouterr()
    code = stopped.value.code
    return (code if isinstance(code, int) else 0), out, err


@pytest.mark.parametrize(
    "args",
    [
        ["progress", "--format", "json"],
        ["list", "--format", "csv"],
        ["list", "--overdue", "--format", "json"],
        ["show", "CPFT-01"],
        ["show", "NOPE-99"],  # the store's error: exit 1, one line
        ["progress", "--format", "yaml"],  # the command's own usage check: exit 2
        ["progress", "--group-by", "colour"],
        ["list", "--as-of", "31/02/2026"],
        ["reports"],
        ["quality-statements"],
        ["note", "CPFT-01", "Chased the ward", "--by", " "],  # the --by callback refuses: exit 2
        ["note", "CPFT-01", "Chased the ward", "--by", "Jane Smith"],
        ["--db", "", "progress"],  # main_options refuses an empty --db
    ],
)
def test_a_plain_line_prints_what_the_click_group_prints(
    args: list[str], first_ref: str, capsys: Any, monkeypatch: Any
) -> None:
    args = [first_ref if a == "CPFT-01" else a for a in args]
    assert direct.plain_call(args) is not None
    plain = _run(args, plain=True, capsys=capsys, monkeypatch=monkeypatch)
    if args[0] == "note" and plain[0] == 0:  # a write: run the click path on its own copy
        return
    through_click = _run(args, plain=False, capsys=capsys, monkeypatch=monkeypatch)
    strip = "generated_at"
    assert [_without(x, strip) for x in plain[1:]] == [
        _without(x, strip) for x in through_click[1:]
    ]
    assert plain[0] == through_click[0]


def _without(text: str, key: str) -> str:
    return "\n".join(line for line in text.splitlines() if f'"{key}"' not in line)


def test_a_plain_read_imports_neither_click_nor_typer(first_ref: str) -> None:
    code = (
        "import sys\n"
        "sys.argv = ['cpft-tracker', 'progress', '--format', 'json']\n"
        "from cpft_tracker.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as stop:\n"
        "    print('EXIT', stop.code, 'CLICK', 'click' in sys.modules,"
        " 'TYPER', 'typer' in sys.modules, 'DATACLASSES', 'dataclasses' in sys.modules,"
        " 'TYPING', 'typing' in sys.modules, 'HTML', 'html' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert '"schema_version": 1' in done.stdout
    # the read path's architecture (ARCHITECTURE.md, "What a read command imports"): none of
    # these is imported to run it (together ~20 ms of a ~60 ms command). On PostgreSQL the
    # driver (psycopg) imports dataclasses and typing itself: only ours are held there.
    if PG_MODE:
        assert "EXIT 0 CLICK False TYPER False" in done.stderr and "HTML False" in done.stderr
    else:
        assert (
            "EXIT 0 CLICK False TYPER False DATACLASSES False TYPING False HTML False"
            in done.stderr
        )
