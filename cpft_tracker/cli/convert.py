"""The commands as declared for typer, run as click 8 commands: no pydantic, no typer at run time.

Why (issue 10, bench/NOTES.md): typer 0.29 validates every parameter it processes with a
pydantic ``TypeAdapter`` (``typer.core._TyperParameter.process_value``), so every command
paid ``import pydantic`` (~80-110 ms of CPU) plus ~2 ms an option, and there is no public
switch to avoid it; ``import typer`` alone is ~37 ms more. The commands are still declared
for typer -- ``Annotated[..., typer.Option(...)]`` / ``typer.Argument(...)`` signatures,
docstrings as help, ``typer.Typer`` sub-groups -- and this module turns them into click 8
commands in two steps:

1. :func:`describe` reads a declaration (the public classes of ``typer.models``) into a
   *description*: plain data (dicts, lists, strings, numbers) naming each click parameter's
   settings and the function to call. It imports typer.
2. :func:`build` makes the click 8 ``Option``/``Argument``/``Command``/``Group`` from a
   description. It imports click only.

The descriptions of every command are generated once and committed as ``cli/spec.py``
(``make cli-spec`` writes it: ``cli/spec_writer.py``), each with a checksum of the source files
it was read from. A command whose description is current is built from it (``cli/group.py``):
its module is imported without typer (the declarations are annotations, strings under
``from __future__ import annotations``; ``typer`` and the shared declarations of
``cli/declarations.py`` are imported only under ``TYPE_CHECKING``). A command whose files
changed since (or that is not in the spec) is described from its typer declarations there and
then, through the same :func:`build`: never wrong, only slower, and
``tests/test_cli_spec.py`` fails until ``make cli-spec`` is run. A plain command line (known
options with their values, nothing to explain) is not built at all: ``cli/direct.py`` reads
its values from the same description and calls the function without importing click.

Nothing in typer or click is patched or subclassed beyond documented click methods
(``format_help``, ``format_options``, ``list_commands``, ``get_help_record``).

It supports exactly the kinds of parameter our commands use, and refuses any other when the
command is described (``Unsupported``; ``tests/test_cli_convert.py`` builds every command):

- options of type ``str``, ``int``, ``float``, ``bool`` (a flag, or ``--x/--no-x``), each
  optionally ``| None``, and ``list[str] | None`` (repeatable), with ``metavar``, ``help``,
  ``envvar``, ``show_envvar``, ``show_default``, ``min``, ``is_eager`` and a ``callback``
  (a module-level function) that takes the value only;
- arguments of type ``str``, ``Path`` (optionally ``| None``), ``list[str]`` and
  ``list[Path] | None`` (any number), with ``metavar``, ``help`` and ``show_default``;
- defaults that are ``None``, a bool, a number or a string;
- one ``typer.Context`` parameter (it receives click's context: ``invoked_subcommand``);
- a sub-group: a ``typer.Typer``, or a function that returns one (``owners_app``,
  ``plan_app``: declared in a function so that importing the module does not import typer).

Values reach the function as typer would pass them: ``Path`` for paths, a ``list`` for a
repeatable option or an any-number argument, and ``None`` when such a one with default
``None`` was not given.

``--help`` keeps typer's layout (an "Arguments:" section, then "Options:", defaults, env vars
and ranges in brackets); the usage line is click's (``REF... OWNER``, not typer's
``{REF...}... {OWNER}``) and an argument's help no longer shows a Python type
(``<list[str]>``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

# how a description's function is found and called, and whether it is current: shared with
# cli/direct.py, which runs a plain command line from the same description without click
from cpft_tracker.cli.direct import calling, checksum, function_at
from cpft_tracker.cli.direct import is_current as is_current

if TYPE_CHECKING:
    import typer
    from typer.models import ParameterInfo


class Unsupported(TypeError):
    """A declaration this converter does not handle: add it here, with a test, or declare
    the parameter with what is supported (see the module docstring)."""


# The OptionInfo / ArgumentInfo fields we read; any other field set to something other than
# typer's default is refused (it would be silently ignored otherwise).
_OPTION_FIELDS = {
    "default",
    "param_decls",
    "metavar",
    "help",
    "envvar",
    "show_envvar",
    "show_default",
    "min",
    "is_eager",
    "callback",
}
_ARGUMENT_FIELDS = {"default", "param_decls", "metavar", "help", "show_default"}

# a described parameter's type -> its click type ("path": made a Path when the function is
# called, no file-system checks)
_TYPES: dict[str, click.ParamType] = {
    "str": click.STRING,
    "int": click.INT,
    "float": click.FLOAT,
    "bool": click.BOOL,
    "path": click.STRING,
}
_LITERALS = (type(None), bool, int, float, str)

CONTEXT = {"help_option_names": ["-h", "--help"]}


class HelpedArgument(click.Argument):
    """A click argument with a help line (click's own arguments have none), as typer shows it."""

    def __init__(
        self, *args: Any, help: str | None = None, show_default: bool | str = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.help = help
        self.show_default = show_default

    def get_help_record(self, ctx: click.Context) -> tuple[str, str]:
        """(the metavar, the help with ``[required]``): the row in the "Arguments:" section."""
        extra = []
        default = None if self.required else self.get_default(ctx, call=False)
        if self.show_default and default not in (None, ()):
            extra.append(f"default: {default}")
        if self.required:
            extra.append("required")
        text = self.help or ""
        if extra:
            text = f"{text}  [{'; '.join(extra)}]" if text else f"[{'; '.join(extra)}]"
        return self.make_metavar(ctx), text


def _format_arguments_then_options(
    command: click.Command, ctx: click.Context, formatter: click.HelpFormatter
) -> None:
    """typer's help layout: the arguments with their help, then the options."""
    rows: dict[str, list[tuple[str, str]]] = {"argument": [], "option": []}
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is not None and param.param_type_name in rows:
            rows[param.param_type_name].append(record)
    for title, kind in (("Arguments", "argument"), ("Options", "option")):
        if rows[kind]:
            with formatter.section(title):
                formatter.write_dl(rows[kind])


def _format_help(
    command: click.Command, ctx: click.Context, formatter: click.HelpFormatter
) -> None:
    """click's ``format_help`` without click 8.5's own "Positional arguments:" section (the
    arguments are in ours, as typer shows them, whatever click 8 release is installed)."""
    command.format_usage(ctx, formatter)
    command.format_help_text(ctx, formatter)
    command.format_options(ctx, formatter)
    command.format_epilog(ctx, formatter)


class DeclaredCommand(click.Command):
    """A command built from a typer declaration; help in typer's layout."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """As click's, keeping the words as typed for a usage error's message (cli/errors.py:
        ``merge CPFT-01 CPFT-02`` is told the right form, not "Missing argument")."""
        from cpft_tracker.cli.errors import TYPED

        ctx.meta[TYPED] = list(args)
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Usage, the help text, "Arguments:" and "Options:", the epilog."""
        _format_help(self, ctx, formatter)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The "Arguments:" section (typer's), then "Options:"."""
        _format_arguments_then_options(self, ctx, formatter)


class DeclaredGroup(click.Group):
    """A sub-group (``plan``, ``owners``) built from a ``typer.Typer``; help in typer's layout."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Usage, the help text, "Options:" and "Commands:", the epilog."""
        _format_help(self, ctx, formatter)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """ "Options:" (and "Arguments:"), then the subcommands, as typer shows them."""
        _format_arguments_then_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The subcommands in the order they are declared (typer's order; click sorts them)."""
        return list(self.commands)


# -- building: a description -> click 8 (click only) ---------------------------------------


def _callback(target: str | None) -> Any:
    """typer calls a parameter callback with the value alone (ours take only that)."""
    if target is None:
        return None
    function = function_at(target)
    return lambda ctx, param, value: function(value)


def build_parameter(spec: dict[str, Any]) -> click.Parameter:
    """The click ``Option`` or ``Argument`` a parameter's description gives."""
    extra: dict[str, Any] = {} if spec["required"] else {"default": spec["default"]}
    if spec["kind"] == "argument":
        return HelpedArgument(
            [spec["name"]],
            type=click.STRING,
            nargs=-1 if spec["list"] else 1,
            required=spec["required"],
            metavar=spec["metavar"],
            help=spec["help"],
            show_default=spec["show_default"],
            **extra,
        )
    flag = spec["type"] == "bool" and not spec["list"]
    kind = _TYPES[spec["type"]] if spec["min"] is None else click.IntRange(min=spec["min"])
    # a required one gets no default at all: click 8.3+ takes default=None as a value given
    return click.Option(
        [spec["name"], *spec["decls"]],
        type=None if flag else kind,
        is_flag=True if flag else None,
        multiple=spec["list"],
        required=spec["required"],
        metavar=spec["metavar"],
        help=spec["help"],
        envvar=spec["envvar"],
        show_envvar=spec["show_envvar"],
        show_default=spec["show_default"],
        is_eager=spec["is_eager"],
        callback=_callback(spec["callback"]),
        **extra,
    )


def build_parameters(node: dict[str, Any]) -> tuple[list[click.Parameter], Any]:
    """A described command's click parameters, and the callback that calls its function."""
    if node["function"] is None:
        return [], None
    params = [build_parameter(p) for p in node["params"]]
    return params, calling(function_at(node["function"]), node)


def build(name: str, node: dict[str, Any]) -> click.Command:
    """The click 8 command (or group, with its subcommands) a description gives."""
    params, callback = build_parameters(node)
    if "commands" not in node:
        return DeclaredCommand(
            name,
            params=params,
            callback=callback,
            help=node["help"],
            short_help=node["short_help"],
            context_settings=dict(CONTEXT),
        )
    result = DeclaredGroup(
        name,
        params=params,
        callback=callback,
        help=node["help"],
        invoke_without_command=node["invoke_without_command"],
        no_args_is_help=node["no_args_is_help"],
        context_settings=dict(CONTEXT),
    )
    for sub_name, sub in node["commands"]:
        result.add_command(build(sub_name, sub), sub_name)
    return result


# -- describing: a typer declaration -> a description (imports typer) -----------------------


def _target(function: Any) -> Any:
    """ "module:attribute" for a module-level function (what a committed description names);
    any other function (one defined inside another) is kept as it is."""
    module = getattr(function, "__module__", None)
    name = getattr(function, "__name__", "")
    if module is None or getattr(importlib.import_module(module), name, None) is not function:
        return function
    return f"{module}:{name}"


def _type_checking_blocks(function: Any) -> tuple[Any, str, list[Any]]:
    """``function``'s module, its source file and the top-level ``if TYPE_CHECKING:`` blocks
    of that file (none when the module has no .py source)."""
    import ast
    import sys

    module = sys.modules[function.__module__]
    source_file = getattr(module, "__file__", None) or ""
    if not source_file.endswith(".py"):
        return module, source_file, []
    with open(source_file, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), source_file)
    blocks = [
        node
        for node in tree.body
        if isinstance(node, ast.If)
        and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
    ]
    return module, source_file, blocks


def declaration_namespace(function: Any) -> dict[str, Any]:
    """The names ``function``'s annotations are read with: its module's globals and what the
    module imports or defines under ``if TYPE_CHECKING:`` (typer and the shared declarations,
    kept out of the run-time imports)."""
    import ast

    module, source_file, blocks = _type_checking_blocks(function)
    namespace = dict(vars(module))
    for node in blocks:
        block = ast.Module(body=node.body, type_ignores=[])
        exec(compile(block, source_file, "exec"), namespace)  # noqa: S102 - our own source
    return namespace


def declared_modules(function: Any) -> list[str]:
    """The cpft_tracker modules whose source a function's declaration is read from: its own,
    and those its module imports from under ``if TYPE_CHECKING:``."""
    import ast

    module, _, blocks = _type_checking_blocks(function)
    found = [module.__name__]
    for node in blocks:
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith(
                "cpft_tracker"
            ):
                found.append(str(inner.module))
    return found


def _value(setting: Any, default: Any = None) -> Any:
    """A typer setting that may still be its ``DefaultPlaceholder``."""
    from typer.models import DefaultPlaceholder

    if isinstance(setting, DefaultPlaceholder):
        return setting.value
    return default if setting is None else setting


def _scalar(annotation: Any, where: str) -> tuple[Any, bool]:
    """(the type, whether ``None`` is allowed) of ``T`` or ``T | None``."""
    import typing
    from types import NoneType, UnionType

    if isinstance(annotation, UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [a for a in typing.get_args(annotation) if a is not NoneType]
        if len(members) == 1 and len(typing.get_args(annotation)) == 2:
            return members[0], True
        raise Unsupported(f"{where}: a union other than T | None ({annotation})")
    return annotation, False


def _read_annotation(annotation: Any, where: str) -> tuple[str, bool]:
    """(the element type's name, is it a list) for a parameter's type."""
    import typing
    from pathlib import Path

    names = {str: "str", int: "int", float: "float", bool: "bool", Path: "path"}
    base, _ = _scalar(annotation, where)
    if typing.get_origin(base) is list:
        (element,) = typing.get_args(base)
        if element not in (str, Path):
            raise Unsupported(f"{where}: a list of {element} (only str and Path)")
        return names[element], True
    if base not in names:
        raise Unsupported(f"{where}: the type {base!r}")
    return names[base], False


def _check_fields(info: ParameterInfo, allowed: set[str], where: str) -> None:
    from typer.models import ArgumentInfo, OptionInfo

    defaults = vars(OptionInfo() if isinstance(info, OptionInfo) else ArgumentInfo())
    for field, value in vars(info).items():
        if field not in allowed and value != defaults.get(field):
            raise Unsupported(f"{where}: typer's {field}={value!r} is not supported here")


def _describe_callback(callback: Callable[..., Any] | None, where: str) -> str | None:
    import inspect

    if callback is None:
        return None
    if len(inspect.signature(callback).parameters) != 1:
        raise Unsupported(f"{where}: a callback must take the value only")
    return _target(callback)


def _describe_option(
    name: str, annotation: Any, info: Any, default: Any, where: str
) -> dict[str, Any]:
    _check_fields(info, _OPTION_FIELDS, where)
    element, is_list = _read_annotation(annotation, where)
    decls = list(info.param_decls or ())
    if info.default is not ...:  # Annotated style: Option("--name", "-n") puts "--name" here
        decls.insert(0, str(info.default))
    flag = element == "bool" and not is_list
    if not decls:
        dashed = name.replace("_", "-")
        decls = [f"--{dashed}/--no-{dashed}" if flag else f"--{dashed}"]
    if is_list and element != "str":
        raise Unsupported(f"{where}: a repeatable option of {element}")
    if info.min is not None and element != "int":
        raise Unsupported(f"{where}: min= on a {element}")
    return {
        "kind": "option",
        "name": name,
        "decls": decls,
        "type": element,
        "list": is_list,
        "min": None if info.min is None else int(info.min),
        "metavar": info.metavar,
        "help": info.help,
        "envvar": info.envvar,
        "show_envvar": info.show_envvar,
        "show_default": info.show_default,
        "is_eager": info.is_eager,
        "callback": _describe_callback(info.callback, where),
    }


def _describe_argument(
    name: str, annotation: Any, info: Any, default: Any, where: str
) -> dict[str, Any]:
    _check_fields(info, _ARGUMENT_FIELDS, where)
    element, is_list = _read_annotation(annotation, where)
    if element not in ("str", "path") or info.default is not ...:
        raise Unsupported(f"{where}: an argument of {element} (only str and Path)")
    return {
        "kind": "argument",
        "name": name,
        "type": element,
        "list": is_list,
        "metavar": info.metavar,
        "help": info.help,
        "show_default": info.show_default,
    }


def describe_parameters(function: Callable[..., Any], where: str) -> dict[str, Any]:
    """``function``'s typer declarations as a description: its parameters, the function."""
    import inspect
    import typing

    import typer
    from typer.models import ArgumentInfo, OptionInfo, ParameterInfo

    hints = typing.get_type_hints(
        function, globalns=declaration_namespace(function), include_extras=True
    )
    params: list[dict[str, Any]] = []
    context: str | None = None
    for name, sig in inspect.signature(function).parameters.items():
        here = f"{where}: parameter {name!r}"
        hint = hints.get(name, sig.annotation)
        if hint is typer.Context:
            context = name
            continue
        if typing.get_origin(hint) is not typing.Annotated:
            raise Unsupported(f"{here}: not declared with Annotated[..., typer.Option/Argument]")
        annotation, *extras = typing.get_args(hint)
        infos = [e for e in extras if isinstance(e, ParameterInfo)]
        if len(infos) != 1 or isinstance(sig.default, ParameterInfo):
            raise Unsupported(f"{here}: one typer.Option or typer.Argument in Annotated")
        info = infos[0]
        if isinstance(info, OptionInfo):
            param = _describe_option(name, annotation, info, sig.default, here)
        elif isinstance(info, ArgumentInfo):
            param = _describe_argument(name, annotation, info, sig.default, here)
        else:
            raise Unsupported(f"{here}: {type(info).__name__}")
        required = sig.default is inspect.Parameter.empty
        if not required and not isinstance(sig.default, _LITERALS):
            raise Unsupported(f"{here}: a default of {type(sig.default).__name__}")
        param["required"] = required
        param["default"] = None if required else sig.default
        params.append(param)
    return {
        "function": _target(function),
        "params": params,
        "context": context,
    }


def describe_command(
    function: Callable[..., Any], short_help: str | None = None, where: str = ""
) -> dict[str, Any]:
    """The description of one typer-declared function (its docstring is the help)."""
    import inspect

    node = describe_parameters(function, where or function.__name__)
    node.update(help=inspect.getdoc(function), short_help=short_help)
    return node


def describe_group(name: str, app: typer.Typer) -> dict[str, Any]:
    """The description of a ``typer.Typer`` sub-group (``plan``, ``owners``) and its commands.

    Each subcommand's summary in the group's --help is its first paragraph whole, never cut
    with "..." as click's short help would cut it.
    """
    import inspect

    info = app.info
    registered = app.registered_callback
    node: dict[str, Any] = {"function": None, "params": [], "context": None}
    help_text = _value(info.help)
    invoke_without = bool(_value(info.invoke_without_command, False))
    if registered is not None and registered.callback is not None:
        node = describe_parameters(registered.callback, name)
        help_text = _value(registered.help) or help_text or inspect.getdoc(registered.callback)
        invoke_without = bool(_value(registered.invoke_without_command, False))
    if app.registered_groups:
        raise Unsupported(f"{name}: a typer group inside a group")
    commands = []
    for registered_command in app.registered_commands:
        function = registered_command.callback
        if function is None:
            raise Unsupported(f"{name}: a command without a function")
        sub_name = registered_command.name or function.__name__.replace("_", "-")
        doc = _value(registered_command.help) or inspect.getdoc(function) or ""
        short = _value(registered_command.short_help) or " ".join(doc.split("\n\n")[0].split())
        commands.append([sub_name, describe_command(function, short, f"{name} {sub_name}")])
    node.update(
        help=help_text,
        invoke_without_command=invoke_without,
        no_args_is_help=bool(_value(info.no_args_is_help, False)),
        commands=commands,
    )
    return node


def typer_app(obj: Any) -> typer.Typer | None:
    """The ``typer.Typer`` a ``COMMANDS`` entry names (itself, or what the function that
    declares it returns), or None for a command function."""
    import typing

    import typer

    if isinstance(obj, typer.Typer):
        return obj
    hints = typing.get_type_hints(obj, globalns=declaration_namespace(obj))
    if hints.get("return") is typer.Typer:
        app = obj()
        if not isinstance(app, typer.Typer):
            raise Unsupported(f"{obj!r} is declared to return a typer.Typer")
        return app
    return None


def describe(name: str, obj: Any) -> dict[str, Any]:
    """The description of a ``COMMANDS`` entry's object: a command function or a sub-group."""
    app = typer_app(obj)
    if app is not None:
        return describe_group(name, app)
    return describe_command(obj, where=name)


# -- the committed descriptions (cli/spec.py) -----------------------------------------------


def source_checksums(node: dict[str, Any], target: str) -> dict[str, int]:
    """{file under cpft_tracker/: its CRC-32} for every file a description was read from:
    the module ``target`` names, the modules of its functions and callbacks, what they import
    under TYPE_CHECKING from cpft_tracker, and this converter."""
    import sys

    modules = {__name__, target.partition(":")[0]}
    for part in _parts(node):
        if part["function"] is not None:
            modules.update(declared_modules(function_at(part["function"])))
        modules.update(
            str(p["callback"]).partition(":")[0] for p in part["params"] if p.get("callback")
        )
    found = {}
    for module in sorted(modules):
        importlib.import_module(module)
        path = sys.modules[module].__file__ or ""
        relative = module.split(".", 1)[1].replace(".", "/")
        relative += "/__init__.py" if path.endswith("__init__.py") else ".py"
        found[relative] = checksum(relative)
    return found


def _parts(node: dict[str, Any]) -> list[dict[str, Any]]:
    """A description and the descriptions of its subcommands."""
    return [node, *(part for _, sub in node.get("commands", []) for part in _parts(sub))]


# -- the old one-step interface (tests, and any caller that has a function in hand) --------


def command(
    name: str, function: Callable[..., Any], short_help: str | None = None, where: str = ""
) -> click.Command:
    """The click command for one typer-declared function (its docstring is the help)."""
    return build(name, describe_command(function, short_help, where or name))


def group(name: str, app: typer.Typer) -> click.Group:
    """The click group for a ``typer.Typer`` sub-group and its commands."""
    built = build(name, describe_group(name, app))
    assert isinstance(built, click.Group)
    return built


def parameters(function: Callable[..., Any], where: str) -> tuple[list[click.Parameter], Any]:
    """click parameters for ``function``'s typer declarations, and the callback that calls it."""
    return build_parameters(describe_parameters(function, where))
