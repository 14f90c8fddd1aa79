"""The one place that turns an exception into one plain line on stderr and an exit code.

Exit codes: 0 done; 1 a problem the message explains; 2 a command line that cannot be read
(unknown option, missing argument, a date or status that cannot be read); 3 reminder emails
that could not be sent; 130 stopped with Ctrl-C.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from pathlib import Path

# The commands run on click 8 (cli/convert.py builds them from their typer declarations), so
# the usage errors are click's; a plain command line runs without importing click at all
# (cli/direct.py), so click's classes are named only when click is loaded (an exception of
# click's cannot be raised before). A command may still raise typer's own Exit, Abort or
# BadParameter (typer 0.29 has its own copy of click): they are mapped the same way, without
# importing typer for that (a command that raises one has imported it).
from cpft_tracker.cli.options import _state
from cpft_tracker.errors import (
    TrackerError,
)

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any

TYPED = "cpft_tracker.typed"  # a command context's meta: its command line as typed
STOPPED = "Stopped. Nothing was half-saved: each change is saved whole or not at all."


def _typer(name: str, *also: type[BaseException]) -> Any:
    """The classes for an except clause: ``also`` and typer's exception class ``name`` if typer
    is imported (nothing of typer's if not: () catches nothing). One flat tuple: a tuple inside
    an except clause's tuple is a TypeError when the clause is reached."""
    return _loaded("typer", name, *also)


def _click(name: str, *also: type[BaseException]) -> Any:
    """As ``_typer``, for click's exception class ``name`` (``exceptions.X`` or ``X``)."""
    return _loaded("click", name, *also)


def _loaded(module_name: str, name: str, *also: type[BaseException]) -> Any:
    module = sys.modules.get(module_name)
    found: Any = module
    for part in name.split("."):
        found = getattr(found, part, None) if found is not None else None
    return (*also, found) if found is not None else also


class Escaped(Exception):  # noqa: N818  (a carrier, not an error of its own)
    """Ctrl-C or a closed pipe inside a command, carried past click's own handling to ours.

    click turns KeyboardInterrupt into "Aborted!" and a closed pipe into exit 1;
    ``TrackerGroup.invoke`` wraps them in this so ``run_safely`` says what it always said.
    """

    def __init__(self, original: BaseException) -> None:
        super().__init__(str(original))
        self.original = original


def _during_ctrl_c(exc: BaseException) -> bool:
    """Was this error raised while a Ctrl-C was being handled (cleaning up after it)?

    Then the Ctrl-C is what the user did and what they should read, not the cleanup's error
    (e.g. "Lost the connection" from a PostgreSQL driver still busy with the stopped query).
    """
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return True
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return False


def run_safely(call: Any) -> int:
    """Call the click main in non-standalone mode and map any exception to an exit code."""
    try:
        rv = call()
        return rv if isinstance(rv, int) else 0
    except TrackerError as exc:
        if _during_ctrl_c(exc):
            fail(STOPPED)
            return 130
        fail(exc.message)
        return exc.exit_code
    except Escaped as exc:
        if isinstance(exc.original, BrokenPipeError):
            # the reader of our output (e.g. `head`) went away: not an error for the user
            try:
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            except OSError:
                pass
            return 0
        fail(STOPPED)
        return 130
    except _typer("Exit") as exc:  # `raise typer.Exit(1)` in a command: that exit code, no message
        return exc.exit_code
    except _typer("BadParameter") as exc:
        fail(
            f"{exc.format_message()} Run '{_state.get('command_path') or 'cpft-tracker'} --help' to see how to use it."
        )
        return 2
    except _click("exceptions.NoArgsIsHelpError") as exc:  # bare `cpft-tracker`: show the help
        print(exc.format_message() if exc.ctx is None else exc.ctx.get_help())
        return 0
    except _click("UsageError") as exc:
        import click

        where = (
            exc.ctx.command_path
            if exc.ctx is not None
            else str(_state.get("command_path") or "cpft-tracker")
        )
        text = exc.format_message().replace("\n", " ").strip()
        typed = exc.ctx.meta.get(TYPED) if exc.ctx is not None else None
        if (
            typed is not None
            and type(exc) in (click.UsageError, click.MissingParameter)
            and "INTO" in [p.metavar for p in exc.ctx.command.params]
        ):
            # `merge CPFT-01 CPFT-02`, `merge CPFT-01 INTO`: the right form, which way round
            fail(into_problem(where, positional_words(exc.ctx.command, typed)))
            return 2
        if isinstance(exc, click.NoSuchOption):
            # our words, whatever click 8 release is installed (8.5: "No such option '-x'.
            # (Did you mean one of: '--a', '--b'?)")
            text = f"No such option: {exc.option_name}."
            if exc.possibilities:
                text += f" Did you mean {' or '.join(exc.possibilities)}?"
        param = getattr(exc, "param", None)
        if (
            isinstance(exc, click.MissingParameter)
            and param is not None
            and param.param_type_name == "argument"
            and param.nargs == -1
            and exc.ctx is not None
        ):
            # `assign CPFT-01`: click gives the one word to OWNER and reports REF... missing
            wanted = [
                p.metavar or (p.name or "").upper()
                for p in exc.ctx.command.params
                if p.param_type_name == "argument"
            ]
            text = f"Missing argument: give {' '.join(wanted)} (one or more action references, e.g. CPFT-01"
            text += f", then {' '.join(wanted[1:])})." if len(wanted) > 1 else ")."
        if isinstance(exc, click.BadParameter) and param is not None:
            text = plain_number_problem(exc.message, param) or text
        if isinstance(exc, click.MissingParameter) and exc.ctx is not None:
            example = example_of(exc.ctx.command.help or "")
            if example and example not in text:
                text = f"{text.rstrip('.')}. For example: {example}"
        if not text.endswith((".", "?")):
            text += "."
        option = getattr(exc, "option_name", None)
        arguments = [
            p.metavar or (p.name or "").upper()
            for p in (exc.ctx.command.params if exc.ctx is not None else [])
            if p.param_type_name == "argument"
        ]
        if (
            isinstance(exc, click.NoSuchOption)
            and option
            and not option.startswith("--")
            and arguments
        ):
            # e.g. a note "- chased again" or an owner "-2+3": text, not an option; the
            # example names the command's own arguments (list has none: no such hint)
            lead = "".join(f"{a} " for a in arguments[:-1])
            fail(
                f"{text} If '{option}' is text rather than an option, put -- before it, "
                f'e.g. {where} {lead}-- "{option} ...".'
            )
            return 2
        fail(f"{text} Run '{where} --help' to see how to use it.")
        return 2
    except _click("ClickException") as exc:
        fail(exc.format_message())
        return exc.exit_code
    except _typer("Abort", *_click("Abort"), KeyboardInterrupt):
        fail(STOPPED)
        return 130
    except BrokenPipeError:
        # the reader of our output (e.g. `head`) went away: not an error for the user
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return 0
    except sqlite3.DatabaseError as exc:
        if _during_ctrl_c(exc):
            fail(STOPPED)
            return 130
        from cpft_tracker.store import translate_sqlite_error

        fail(translate_sqlite_error(exc, Path(_state.get("db_path") or "the database")).message)
        return 1
    except Exception as exc:  # a bug, not the user's fault: still one line, no traceback
        if _during_ctrl_c(exc):
            fail(STOPPED)
            return 130
        if os.environ.get("CPFT_TRACKER_DEBUG"):
            raise
        fail(
            f"Something unexpected went wrong ({type(exc).__name__}: {exc}). Nothing was half-saved. "
            "Run again with CPFT_TRACKER_DEBUG=1 and send the output to the cpft-tracker maintainers."
        )
        return 1


# the words click uses for a number it cannot read, and what a person calls it
_NUMBER_WORDS = {"a valid integer": "a whole number", "a valid float": "a number"}
_TYPICAL = {"DAYS": "14", "PORT": "587", "SECONDS": "30", "VERSION": "57", "N": "20"}


def plain_number_problem(message: str, param: Any) -> str | None:
    """``--window abc``: "--window takes a whole number, e.g. --window 14" instead of click's
    "Invalid value for '--window': 'abc' is not a valid integer"; None when the problem is not
    a number's (the message is kept)."""
    if param.param_type_name != "option" or not param.opts:
        return None
    name = max(param.opts, key=len)
    envvar = f" (or {param.envvar})" if isinstance(param.envvar, str) else ""
    for words, plain in _NUMBER_WORDS.items():
        if words in message:
            typical = _TYPICAL.get(param.metavar or "", "14")
            return f"{name}{envvar} takes {plain}, e.g. {name} {typical}"
    least = re.search(r"not in the range x>=(-?\d+)", message)
    if least:
        return f"{name}{envvar} must be {least.group(1)} or more"
    return None


def positional_words(command: Any, args: list[str]) -> list[str]:
    """The words of a command line that are arguments, not options or their values (what
    the user typed for ``REF INTO REF``, before click decided which is missing)."""
    takes_value = {
        opt
        for p in command.params
        if p.param_type_name == "option" and not p.is_flag
        for opt in (*p.opts, *p.secondary_opts)
    }
    words: list[str] = []
    skip = literal = False
    for word in args:
        if literal:
            words.append(word)
        elif skip:
            skip = False
        elif word == "--":
            literal = True
        elif word in takes_value:
            skip = True
        elif not (word.startswith("-") and len(word) > 1):
            words.append(word)
    return words


def _ref_order(ref: str) -> tuple[str, int, str]:
    """CPFT-2 before CPFT-10 (a ref's prefix, then its number)."""
    prefix, _, number = ref.upper().rpartition("-")
    return (prefix, int(number), ref) if number.isdigit() else (ref.upper(), 0, ref)


def into_problem(command_path: str, words: list[str]) -> str:
    """What to say when ``merge REF INTO REF`` (or ``owners merge A INTO B``) was typed
    otherwise: ``words`` are the arguments as typed. One line that shows the right form and
    which way round it works (the one after INTO keeps both; the one before is merged away).
    Of two refs typed without INTO, the form shown keeps the earlier one, as ``import``'s
    "CPFT-14 may repeat CPFT-10" does."""
    owners = command_path.split()[-2:-1] == ["owners"]

    def q(name: str) -> str:
        return f'"{name}"' if owners else name

    def typed(gone: str, kept: str) -> str:
        return f"'{command_path} {q(gone)} INTO {q(kept)}'"

    def form(gone: str, kept: str) -> str:
        if owners:
            return f"{typed(gone, kept)} gives {gone}'s actions to {kept}"
        return f"{typed(gone, kept)} keeps {kept} (both sentences and histories) and retires {gone}"

    example = ("Director of Nursng", "Director of Nursing") if owners else ("CPFT-14", "CPFT-10")
    things = "owners" if owners else "references"
    thing = "owner" if owners else "action"
    after = "who takes the actions" if owners else "that keeps both"
    before = "to merge away" if owners else "to retire"
    at = [i for i, w in enumerate(words) if w.strip().upper() == "INTO"]
    named = [w for w in words if w.strip().upper() != "INTO"]
    if not at and len(words) == 3 and (owners or not any(c.isdigit() for c in words[1])):
        # `merge CPFT-14 to CPFT-10`: the middle word is not INTO
        return f"Write the word INTO between the two {things}, e.g. {form(words[0], words[2])}."
    if len(named) == 2:
        if owners:
            gone, kept = named
        else:
            kept, gone = sorted(named, key=_ref_order)
        return (
            f"Say which way round with the word INTO: {form(gone, kept)}; "
            f"{typed(kept, gone)} is the other way round."
        )
    if len(named) == 1:
        if at and at[0] < words.index(named[0]):  # `merge INTO CPFT-10`
            return f"Name the {thing} {before} before INTO, e.g. {form(example[0], named[0])}."
        if at:  # `merge CPFT-14 INTO`
            return f"Name the {thing} {after} after INTO, e.g. {form(named[0], example[1])}."
        return f"Say which {thing} {named[0]} is merged into, with the word INTO, e.g. {form(named[0], example[1])}."
    if not named:
        return f"Give two {things} with the word INTO between them, e.g. {form(*example)}."
    # three or more: one merge at a time, into the one after INTO (else the earliest ref)
    if len(at) == 1 and at[0] == len(words) - 2:
        into, others = words[-1], named[:-1]
    else:
        ordered = named if owners else sorted(named, key=_ref_order)
        into, others = ordered[0], ordered[1:]
    steps = ", then ".join(typed(g, into) for g in others)
    return f"Merge two at a time, into the {thing} after INTO: {steps}."


def example_of(help_text: str) -> str | None:
    """The "Example: cpft-tracker ..." line of a command's docstring, if it has one."""
    found = re.search(r"^\s*Example: (cpft-tracker .+)$", help_text, re.MULTILINE)
    return found.group(1).strip().rstrip(".") if found else None


def fail(text: str) -> None:
    """Print one error line on stderr, ending with one full stop or question mark (people's
    text in it shown, never obeyed by the terminal)."""
    from cpft_tracker.textsafe import visible

    print(f"Error: {visible(sentence(str(text)))}", file=sys.stderr)


def sentence(text: str) -> str:
    """``text`` on one line, ending with exactly one '.' or '?' (never '?.', '..' or ':.')."""
    line = " ".join(text.split())
    body = line.rstrip(".?:!")
    return body + ("?" if "?" in line[len(body) :] else ".")
