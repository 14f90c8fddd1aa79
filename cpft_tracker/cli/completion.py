"""``cpft-tracker completion bash|zsh|fish``: shell completion for commands, options, refs,
owners, statuses and the values options take.

The script a shell loads calls ``cpft-tracker __complete SHELL WORD...`` (the words typed
after ``cpft-tracker``, the last one being completed), answered by :func:`answer` straight
from ``main()``: command names from the ``COMMANDS`` table (typer is not imported), options
and arguments from the one command being completed (built as when it runs), refs, owners
and reports by one small read of the database (nothing when there is none). A shell is
told to complete file names itself by the one word ``__files__``.
"""

from __future__ import annotations

import re
import sys

from cpft_tracker.errors import UsageProblem

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:  # the declarations: read by cli/convert.py and mypy, not imported to run
    from typing import Annotated, Any

    import typer

SHELLS = ("bash", "zsh", "fish")
FILES = "__files__"  # "complete a file name here": the shell does that itself

BASH = """# cpft-tracker completion for bash: eval "$(cpft-tracker completion bash)" in ~/.bashrc
_cpft_tracker_complete() {
    local IFS=$'\\n'
    local words=("${COMP_WORDS[@]:1:COMP_CWORD}")
    local out
    out=$(cpft-tracker __complete bash "${words[@]}" 2>/dev/null)
    if [[ "$out" == "__files__" ]]; then
        COMPREPLY=($(compgen -f -- "${COMP_WORDS[COMP_CWORD]}"))
        return
    fi
    COMPREPLY=($out)
}
complete -o default -F _cpft_tracker_complete cpft-tracker
"""

ZSH = """#compdef cpft-tracker
# cpft-tracker completion for zsh: eval "$(cpft-tracker completion zsh)" in ~/.zshrc
# (after compinit), or save it as _cpft-tracker in a folder on $fpath.
_cpft_tracker() {
    local out
    local -a items
    out=$(cpft-tracker __complete zsh "${(@)words[2,CURRENT]}" 2>/dev/null)
    if [[ "$out" == "__files__" ]]; then
        _files
        return
    fi
    items=("${(@f)out}")
    (( ${#items} )) && [[ -n "$out" ]] && compadd -U -- "${items[@]}"
}
if (( $+functions[compdef] )); then
    compdef _cpft_tracker cpft-tracker
fi
"""

FISH = """# cpft-tracker completion for fish:
#   cpft-tracker completion fish > ~/.config/fish/completions/cpft-tracker.fish
function __cpft_tracker_complete
    set -l words (commandline -opc) (commandline -ct)
    set -e words[1]
    set -l out (cpft-tracker __complete fish $words 2>/dev/null)
    if test "$out" = "__files__"
        __fish_complete_path (commandline -ct)
    else
        printf '%s\\n' $out
    end
end
complete -c cpft-tracker -f -a '(__cpft_tracker_complete)'
"""

SCRIPTS = {"bash": BASH, "zsh": ZSH, "fish": FISH}


def completion(
    shell: Annotated[str, typer.Argument(metavar="SHELL", help="bash, zsh or fish.")],
) -> None:
    """Print the shell completion script for bash, zsh or fish (commands, options, refs, owners, statuses).

    Load it from your shell's start-up file. bash: add eval "$(cpft-tracker completion
    bash)" to ~/.bashrc. zsh: add eval "$(cpft-tracker completion zsh)" to ~/.zshrc after
    compinit. fish: save it as ~/.config/fish/completions/cpft-tracker.fish. Refs, owners
    and reports come from the database in use (--db or $CPFT_TRACKER_DB).

    Example: cpft-tracker completion bash >> ~/.bashrc
    """
    name = shell.strip().lower()
    if name not in SCRIPTS:
        raise UsageProblem(
            f"'{shell}' is not a shell cpft-tracker completes. Use one of: bash, zsh, fish."
        )
    sys.stdout.write(SCRIPTS[name])


# -- answering the shell ------------------------------------------------------------


def answer(args: list[str]) -> None:
    """``__complete SHELL WORD...``: one candidate a line on stdout; never an error."""
    if not args or args[0] not in SHELLS:
        return
    shell, words = args[0], args[1:] or [""]
    try:
        found = candidates(words)
    except Exception:  # noqa: BLE001 - a shell asking for candidates gets none, never a traceback
        found = []
    if shell == "bash" and found != [FILES]:
        found = [re.sub(r"([^\w@%+=:,./-])", r"\\\1", c) for c in found]
    if found:
        sys.stdout.write("\n".join(found) + "\n")


def _matching(items: list[str], current: str) -> list[str]:
    """The items that start with what is typed (any case), in order, once each."""
    typed = current.casefold()
    return list(dict.fromkeys(i for i in items if i.casefold().startswith(typed)))


def candidates(words: list[str]) -> list[str]:
    """What may come next: ``words`` are those after ``cpft-tracker``, the last being typed."""
    from cpft_tracker.cli import COMMANDS

    current, before = words[-1], words[:-1]
    db: str | None = None
    i = 0
    while i < len(before) and before[i].startswith("-"):  # --db PATH before the command
        if before[i] == "--db" and i + 1 < len(before):
            db = before[i + 1]
            i += 1
        elif before[i].startswith("--db="):
            db = before[i][5:]
        i += 1
    rest = before[i:]
    if not rest:
        if before and before[-1] == "--db":
            return [FILES]
        if current.startswith("-"):
            return _matching(["--db", "--version", "--help"], current)
        return _matching(list(COMMANDS), current)
    name, rest = rest[0], rest[1:]
    if name not in COMMANDS:
        return []
    from cpft_tracker.cli.group import build_command

    command: Any = build_command(name)
    if hasattr(command, "list_commands"):  # a group (plan): its subcommands first
        if not rest:
            return _matching(list(command.commands), current)
        command = command.commands.get(rest[0])
        rest = rest[1:]
        if command is None:
            return []
    return _for_command(command, name, rest, current, db)


def _for_command(
    command: Any, name: str, rest: list[str], current: str, db: str | None
) -> list[str]:
    """Options, option values and arguments of one command, after the words ``rest``."""
    options: dict[str, Any] = {}
    for param in command.params:
        if param.param_type_name == "option":
            for opt in [*param.opts, *param.secondary_opts]:
                options[opt] = param
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    previous = rest[-1] if rest else None
    if previous in options and not options[previous].is_flag:
        return _option_values(options[previous], name, current, db)
    if current.startswith("-"):
        return _matching([*options, "--help"], current)
    given = 0  # arguments already typed (options and their values skipped)
    skip = False
    for word in rest:
        if skip:
            skip = False
        elif word in options:
            skip = not options[word].is_flag
        elif not word.startswith("-"):
            given += 1
    return _argument_values(arguments, given, current, db)


def _argument_values(arguments: list[Any], given: int, current: str, db: str | None) -> list[str]:
    """What the next argument may be, after ``given`` of them (a REF... takes any number)."""
    found: list[str] = []
    position = 0
    for i, param in enumerate(arguments):
        if param.nargs == -1:
            found += _values_of(param.metavar or "", current, db)
            if given > position and i + 1 < len(arguments):  # or the one after the refs
                found += _values_of(arguments[i + 1].metavar or "", current, db)
            return found
        if position == given:
            return _values_of(param.metavar or "", current, db)
        position += 1
    return found


def _values_of(metavar: str, current: str, db: str | None) -> list[str]:
    """Candidates for an argument named like REF, OWNER, STATUS, FILE."""
    kind = metavar.strip("[].").upper()
    if kind == "REF":
        return _matching(_from_store(db, "refs"), current)
    if kind == "OWNER":
        return _matching(_from_store(db, "owners"), current)
    if kind == "STATUS":
        from cpft_tracker.models import STATUSES

        return _matching(list(STATUSES), current)
    if kind == "QUALITY_STATEMENT":
        from cpft_tracker.quality_statements import NAMES

        return _matching([*NAMES, "none"], current)
    if kind in ("FILE", "PATH"):
        return [FILES]
    return []


def _option_values(param: Any, command: str, current: str, db: str | None) -> list[str]:
    """Candidates for the value of an option: owners, statuses, formats, sort fields, files."""
    metavar = (param.metavar or "").upper()
    if param.name == "fmt":
        first = re.sub(r"\([^)]*\)", "", (param.help or "").split(". ")[0].rstrip("."))
        return _matching([w.strip() for w in re.split(r",| or ", first) if w.strip()], current)
    if param.name == "sort":
        from cpft_tracker.store import SORT_FIELDS

        return _matching(list(SORT_FIELDS), current)
    if command == "progress" and param.name == "by":
        from cpft_tracker.progress import GROUPINGS

        return _matching(list(GROUPINGS), current)
    if param.name == "report":
        return _matching(_from_store(db, "reports"), current)
    if param.name == "quality_statement":
        return _values_of("QUALITY_STATEMENT", current, db)
    if metavar in ("NAME",) and param.name == "owner":
        return _matching(_from_store(db, "owners"), current)
    return _values_of(metavar, current, db)


def _from_store(db: str | None, what: str) -> list[str]:
    """Refs, owner names or report prefixes from the database: [] when there is none."""
    from cpft_tracker.store import Store, resolve_db_path

    path = resolve_db_path(db)
    if not path.exists():
        return []
    store = Store.open(path, readonly=True)
    try:
        if what == "refs":
            return [row["ref"] for row in store.iter_plan(columns=["ref"])]
        if what == "owners":
            return [row["name"] for row in store.owners()]
        return [row["prefix"] for row in store.reports()]
    finally:
        store.close()
