"""A plain command line run straight from its committed description, without importing click.

Why (issue 10, bench/NOTES.md "the start-up round, click"): ``import click`` is ~23 ms of CPU
(it imports ``inspect``, ``uuid``, ``gettext`` ...), a quarter of ``progress --format json``
and more than the rest of our start-up. Most command lines are plain: known options with
their values, flags, arguments, nothing to explain. For those, this module reads the values
from the command's description in ``cli/spec.py`` (the same data ``convert.build`` makes
click's parameters from) and calls the command as click would: the top-level option
callbacks, ``main_options``, the command's option callbacks, then the command, through the
one error mapping (``cli/errors.run_safely``).

Anything else goes to click (``cli/group.py``), untouched, by returning None before anything
has run: ``--help`` / ``-h`` anywhere, an unknown or misspelt option, a missing or extra value
or argument, a value that starts with ``-``, a number that does not read or is below its
minimum, an option whose environment variable is set, ``--`` before the command, shell
completion (``_CPFT_TRACKER_COMPLETE``), a sub-group (``plan``, ``owners``), a command that
takes click's context, a description that is not current (typer is read then), or more than
one option callback (whose order click would decide). So every message, help text and exit
code is click's as before; only the happy path is ours. ``tests/test_cli_direct.py`` checks
the values read here equal click's for every command over many command lines, and that
refused lines are left to click.

The values read follow click 8's parser: options in any order and between arguments,
``--name=value`` for a long option, the last of a repeated single-value option, a repeatable
one in order, ``--x/--no-x`` flags, arguments after ``--`` taken as they are, and one
any-number argument taking what the single ones before and after it leave. Numbers are read
with ``int``/``float``, as click's types do; defaults are cast as click casts them.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Sequence

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any

PROG = "cpft-tracker"
TOP = "cpft_tracker.cli.toplevel:main_options"
HELP_NAMES = ("-h", "--help")
_CAST: dict[str, Callable[[Any], Any]] = {"str": str, "path": str, "int": int, "float": float}


class NotPlain(Exception):  # noqa: N818  (a signal inside this module, never shown)
    """This command line is for click: it is refused, explained or helped there."""


def function_at(target: str | Callable[..., Any]) -> Callable[..., Any]:
    """The function a description names ("module:attribute"), importing its module (a
    description made there and then for a function in hand holds the function itself)."""
    if callable(target):
        return target
    module, _, attribute = target.partition(":")
    found: Callable[..., Any] = getattr(importlib.import_module(module), attribute)
    return found


def calling(function: Callable[..., Any], node: dict[str, Any]) -> Callable[..., Any]:
    """The command's function called with the values as typer passes them: ``Path`` for a
    path, a ``list`` for a repeatable option or an any-number argument, ``None`` for such a
    one with default ``None`` that was not given (click hands over tuples and strings)."""
    shapes = [(p["name"], p["type"] == "path", p["list"], p["default"]) for p in node["params"]]
    context = node["context"]

    def call(**values: Any) -> Any:
        from pathlib import Path

        for name, is_path, is_list, default in shapes:
            value = values.get(name)
            if value is None:
                continue
            if is_list:
                value = None if default is None and len(value) == 0 else list(value)
                if value is not None and is_path:
                    value = [Path(v) for v in value]
            elif is_path:
                value = Path(value)
            values[name] = value
        if context is not None:
            import click

            values[context] = click.get_current_context()
        return function(**values)

    call.__doc__ = function.__doc__
    return call


def checksum(relative: str) -> int:
    """The CRC-32 of a file under cpft_tracker/ (-1 if it cannot be read: never current)."""
    import zlib

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        with open(os.path.join(root, relative), "rb") as handle:
            return zlib.crc32(handle.read())
    except OSError:
        return -1


def is_current(entry: dict[str, Any], target: str) -> bool:
    """Was this committed description read from the files as they are now, for ``target``?"""
    if entry.get("target") != target:
        return False
    return all(checksum(path) == crc for path, crc in entry["sources"].items())


def _default(spec: dict[str, Any]) -> Any:
    """The value click gives a parameter that was not on the command line."""
    default = spec["default"]
    if spec["list"]:
        return () if default is None else tuple(_cast(spec, v) for v in default)
    return None if default is None else _cast(spec, default)


def _cast(spec: dict[str, Any], value: Any) -> Any:
    """A value as click's type for the parameter gives it; NotPlain where click would refuse."""
    if spec["kind"] == "option" and spec["type"] == "bool":
        return bool(value)
    try:
        cast = _CAST[spec["type"]](value)
    except (KeyError, ValueError, TypeError, OverflowError):
        raise NotPlain from None
    if spec.get("min") is not None and cast < spec["min"]:
        raise NotPlain
    return cast


def _option_names(params: list[dict[str, Any]]) -> dict[str, tuple[dict[str, Any], Any]]:
    """Each option string -> (its parameter, the flag value it sets, or ... for a value)."""
    names: dict[str, tuple[dict[str, Any], Any]] = {}
    for spec in params:
        if spec["kind"] != "option":
            continue
        flag = spec["type"] == "bool" and not spec["list"]
        for decl in spec["decls"]:
            if flag and "/" in decl:
                on, _, off = decl.partition("/")
                names[on.strip()] = (spec, True)
                names[off.strip()] = (spec, False)
            elif flag:
                if spec["default"] not in (False, None):
                    raise NotPlain  # a flag that is on by default: click's flag_value rules
                names[decl] = (spec, True)
            else:
                names[decl] = (spec, ...)
    return names


def read_values(node: dict[str, Any], args: Sequence[str]) -> dict[str, Any]:
    """The values click would pass the command for ``args`` (before callbacks), or NotPlain."""
    params = node["params"]
    names = _option_names(params)
    given: dict[str, Any] = {}
    positional: list[str] = []
    rest = list(args)
    while rest:
        token = rest.pop(0)
        if token == "--":
            positional += rest
            break
        if token[:1] != "-" or len(token) == 1:
            positional.append(token)
            continue
        name, equals, attached = token.partition("=") if token[:2] == "--" else (token, "", "")
        if name not in names:
            raise NotPlain  # unknown, misspelt, -h/--help, -oFILE, -o=FILE: click says
        spec, flag_value = names[name]
        if flag_value is not ...:
            if equals:
                raise NotPlain  # "--overdue=yes": click says a flag takes no value
            given[spec["name"]] = flag_value
            continue
        if equals:
            value = attached
        elif rest and rest[0][:1] != "-":
            value = rest.pop(0)
        else:
            raise NotPlain  # no value, or one that looks like an option: click decides
        if spec["list"]:
            given[spec["name"]] = (*given.get(spec["name"], ()), _cast(spec, value))
        else:
            given[spec["name"]] = _cast(spec, value)
    values: dict[str, Any] = {}
    for spec in params:
        if spec["kind"] != "option":
            continue
        if spec["name"] in given:
            values[spec["name"]] = given[spec["name"]]
            continue
        if spec["envvar"] is not None and spec["envvar"] in os.environ:
            raise NotPlain  # click reads and checks the environment variable
        if spec["required"]:
            raise NotPlain
        values[spec["name"]] = _default(spec)
    values.update(_arguments([p for p in params if p["kind"] == "argument"], positional))
    return values


def _arguments(specs: list[dict[str, Any]], words: list[str]) -> dict[str, Any]:
    """The arguments as click's ``_unpack_args`` shares the words out: the single ones before
    an any-number one from the front, those after it from the back, the rest to it; without
    an any-number one, optional ones not given take their default."""
    star = [i for i, spec in enumerate(specs) if spec["list"]]
    if len(star) > 1:
        raise NotPlain
    singles = len(specs) - len(star)
    values: dict[str, Any] = {}
    if not star and len(words) < singles:  # `history`, `settings NAME`: the rest not given
        for spec in specs[len(words) :]:
            if spec["required"]:
                raise NotPlain  # a missing argument: click's message
            values[spec["name"]] = _default(spec)
        specs = specs[: len(words)]
        singles = len(words)
    if len(words) < singles or (not star and len(words) > singles):
        raise NotPlain  # a missing argument or an extra one: click's message
    cut = star[0] if star else len(specs)
    for i, spec in enumerate(specs[:cut]):
        values[spec["name"]] = _cast(spec, words[i])
    if star:
        after = specs[cut + 1 :]
        middle = words[cut : len(words) - len(after)]
        spec = specs[cut]
        if spec["required"] and not middle:
            raise NotPlain
        values[spec["name"]] = tuple(_cast(spec, w) for w in middle)
        for spec, word in zip(after, words[len(words) - len(after) :], strict=True):
            values[spec["name"]] = _cast(spec, word)
    return values


def _split_top(args: Sequence[str], node: dict[str, Any]) -> tuple[dict[str, Any], str, list[str]]:
    """The top-level options' values, the command's name and the words after it."""
    params = [p for p in node["params"] if p["kind"] == "option"]
    names = _option_names(params)
    i = 0
    while i < len(args) and args[i][:1] == "-":
        name, equals, _ = args[i].partition("=")
        spec, flag_value = names.get(name, (None, None))
        if spec is None or flag_value is not ... or spec["is_eager"]:
            raise NotPlain  # --version, --help, --, an unknown option: click
        i += 1 if equals else 2
    if i >= len(args):
        raise NotPlain
    return read_values(node, args[:i]), args[i], list(args[i + 1 :])


def _callbacks(node: dict[str, Any], values: dict[str, Any]) -> None:
    """Each option callback with its value, as click calls them (its return is the value)."""
    for spec in node["params"]:
        if spec.get("callback"):
            values[spec["name"]] = function_at(spec["callback"])(values[spec["name"]])


def read_line(
    args: Sequence[str],
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]] | None:
    """For a plain command line: the top-level description and its values, the command's
    description and its values (before callbacks, as click's parser leaves them); None when
    click must read the line."""
    if "_CPFT_TRACKER_COMPLETE" in os.environ or any(a in HELP_NAMES for a in args):
        return None
    from cpft_tracker.cli import COMMANDS

    try:
        from cpft_tracker.cli.spec import SPECS
    except ImportError:
        return None
    top = SPECS.get("")
    if top is None or not is_current(top, TOP):
        return None
    try:
        top_values, name, words = _split_top(args, top["node"])
        entry = SPECS.get(name)
        if name not in COMMANDS or entry is None or not is_current(entry, COMMANDS[name][0]):
            return None
        node = dict(entry["node"], name=name)
        if "commands" in node or node["context"] is not None or node["function"] is None:
            return None
        if sum(1 for p in node["params"] if p.get("callback")) > 1:
            return None
        values = read_values(node, words)
    except NotPlain:
        return None
    return top["node"], top_values, node, values


def plain_call(args: Sequence[str]) -> Callable[[], Any] | None:
    """What runs ``cpft-tracker ARGS`` without click, or None when click must read them."""
    found = read_line(args)
    if found is None:
        return None
    top, top_values, node, values = found

    def run() -> Any:
        from cpft_tracker.cli.options import _state

        _state.pop("command_path", None)
        try:
            _callbacks(top, top_values)
            command = calling(function_at(node["function"]), node)  # imported, as click builds it
            _state["command_path"] = f"{PROG} {node['name']}"
            calling(function_at(top["function"]), top)(**top_values)
            _callbacks(node, values)
            return command(**values)
        except EOFError:
            # click's main: a blank line on stderr, then Abort ("Stopped", 130 in run_safely)
            sys.stderr.write("\n")
            sys.stderr.flush()
            raise KeyboardInterrupt from None
        except Exception as exc:
            click = sys.modules.get("click")  # imported by the command if it raises click's
            if click is not None and isinstance(exc, click.exceptions.Exit):
                return exc.exit_code  # click's main in non-standalone mode returns it
            raise

    return run
