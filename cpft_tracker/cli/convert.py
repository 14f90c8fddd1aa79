"""The commands as declared for typer, run as click 8 commands: no pydantic at run time.

Why (issue 10, bench/NOTES.md): typer 0.29 validates every parameter it processes with a
pydantic ``TypeAdapter`` (``typer.core._TyperParameter.process_value``), so every command
paid ``import pydantic`` (~80-110 ms of CPU) plus ~2 ms an option, and there is no public
switch to avoid it. The commands are still declared for typer -- ``Annotated[...,
typer.Option(...)]`` / ``typer.Argument(...)`` signatures, docstrings as help, ``typer.Typer``
sub-groups -- and this module reads those declarations (the public classes of
``typer.models``) and builds the same command with click 8's own ``Option`` and
``Argument``. Nothing in typer or click is patched or subclassed beyond documented click
methods (``format_options``, ``get_help_record``).

It supports exactly the kinds of parameter our commands use, and refuses any other when the
command is built (``Unsupported``; ``tests/test_cli_help.py`` builds every command):

- options of type ``str``, ``int``, ``float``, ``bool`` (a flag, or ``--x/--no-x``), each
  optionally ``| None``, and ``list[str] | None`` (repeatable), with ``metavar``, ``help``,
  ``envvar``, ``show_envvar``, ``show_default``, ``min``, ``is_eager`` and a ``callback``
  that takes the value only;
- arguments of type ``str``, ``Path`` (optionally ``| None``), ``list[str]`` and
  ``list[Path] | None`` (any number), with ``metavar``, ``help`` and ``show_default``;
- one ``typer.Context`` parameter (it receives click's context: ``invoked_subcommand``).

Values reach the function as typer would pass them: ``Path`` for paths, a ``list`` for a
repeatable option or an any-number argument, and ``None`` when such a one with default
``None`` was not given.

``--help`` keeps typer's layout (an "Arguments:" section, then "Options:", defaults, env vars
and ranges in brackets); the usage line is click's (``REF... OWNER``, not typer's
``{REF...}... {OWNER}``) and an argument's help no longer shows a Python type
(``<list[str]>``).
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from pathlib import Path
from types import NoneType, UnionType
from typing import Any

import click
import typer
from typer.models import ArgumentInfo, DefaultPlaceholder, OptionInfo, ParameterInfo


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
_OPTION_DEFAULTS = vars(OptionInfo())
_ARGUMENT_DEFAULTS = vars(ArgumentInfo())

_SCALARS: dict[Any, click.ParamType] = {
    str: click.STRING,
    int: click.INT,
    float: click.FLOAT,
    bool: click.BOOL,
    Path: click.STRING,  # made a Path when the function is called (no file-system checks)
}


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


def _value(setting: Any, default: Any = None) -> Any:
    """A typer setting that may still be its ``DefaultPlaceholder``."""
    if isinstance(setting, DefaultPlaceholder):
        return setting.value
    return default if setting is None else setting


def _scalar(annotation: Any, where: str) -> tuple[Any, bool]:
    """(the type, whether ``None`` is allowed) of ``T`` or ``T | None``."""
    if isinstance(annotation, UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [a for a in typing.get_args(annotation) if a is not NoneType]
        if len(members) == 1 and len(typing.get_args(annotation)) == 2:
            return members[0], True
        raise Unsupported(f"{where}: a union other than T | None ({annotation})")
    return annotation, False


def _read_annotation(annotation: Any, where: str) -> tuple[Any, bool, bool]:
    """(the element type, is it a list, may it be None) for a parameter's type."""
    base, optional = _scalar(annotation, where)
    if typing.get_origin(base) is list:
        (element,) = typing.get_args(base)
        if element not in (str, Path):
            raise Unsupported(f"{where}: a list of {element} (only str and Path)")
        return element, True, optional
    if base not in _SCALARS:
        raise Unsupported(f"{where}: the type {base!r}")
    return base, False, optional


def _check_fields(
    info: ParameterInfo, allowed: set[str], defaults: dict[str, Any], where: str
) -> None:
    for field, value in vars(info).items():
        if field not in allowed and value != defaults.get(field):
            raise Unsupported(f"{where}: typer's {field}={value!r} is not supported here")


def _value_callback(callback: Callable[..., Any] | None, where: str) -> Any:
    """typer calls a parameter callback with the value alone (ours take only that)."""
    if callback is None:
        return None
    if len(inspect.signature(callback).parameters) != 1:
        raise Unsupported(f"{where}: a callback must take the value only")
    return lambda ctx, param, value: callback(value)


def _option(name: str, annotation: Any, info: OptionInfo, default: Any, where: str) -> click.Option:
    _check_fields(info, _OPTION_FIELDS, _OPTION_DEFAULTS, where)
    element, is_list, _ = _read_annotation(annotation, where)
    decls = list(info.param_decls or ())
    if info.default is not ...:  # Annotated style: Option("--name", "-n") puts "--name" here
        decls.insert(0, str(info.default))
    flag = element is bool and not is_list
    if not decls:
        dashed = name.replace("_", "-")
        decls = [f"--{dashed}/--no-{dashed}" if flag else f"--{dashed}"]
    if is_list and element is not str:
        raise Unsupported(f"{where}: a repeatable option of {element}")
    kind = _SCALARS[element]
    if info.min is not None:
        if element is not int:
            raise Unsupported(f"{where}: min= on a {element}")
        kind = click.IntRange(min=int(info.min))
    required = default is inspect.Parameter.empty
    # a required one gets no default at all: click 8.3+ takes default=None as a value given
    extra: dict[str, Any] = {} if required else {"default": default}
    return click.Option(
        [name, *decls],
        type=None if flag else kind,
        is_flag=True if flag else None,
        multiple=is_list,
        required=required,
        metavar=info.metavar,
        help=info.help,
        envvar=info.envvar,
        show_envvar=info.show_envvar,
        show_default=info.show_default,
        is_eager=info.is_eager,
        callback=_value_callback(info.callback, where),
        **extra,
    )


def _argument(
    name: str, annotation: Any, info: ArgumentInfo, default: Any, where: str
) -> click.Argument:
    _check_fields(info, _ARGUMENT_FIELDS, _ARGUMENT_DEFAULTS, where)
    element, is_list, _ = _read_annotation(annotation, where)
    if element not in (str, Path) or info.default is not ...:
        raise Unsupported(f"{where}: an argument of {element} (only str and Path)")
    required = default is inspect.Parameter.empty
    extra: dict[str, Any] = {} if required else {"default": default}
    return HelpedArgument(
        [name],
        type=click.STRING,
        nargs=-1 if is_list else 1,
        required=required,
        metavar=info.metavar,
        help=info.help,
        show_default=info.show_default,
        **extra,
    )


def _calling(
    function: Callable[..., Any], shapes: dict[str, tuple[Any, bool, Any]], context: str | None
) -> Callable[..., Any]:
    """The click callback: the values as typer passes them (Path, list, None), then the call."""

    def call(**values: Any) -> Any:
        for name, (element, is_list, default) in shapes.items():
            value = values.get(name)
            if value is None:
                continue
            if is_list:
                value = None if default is None and len(value) == 0 else list(value)
                if value is not None and element is Path:
                    value = [Path(v) for v in value]
            elif element is Path:
                value = Path(value)
            values[name] = value
        if context is not None:
            values[context] = click.get_current_context()
        return function(**values)

    call.__doc__ = function.__doc__
    return call


def parameters(function: Callable[..., Any], where: str) -> tuple[list[click.Parameter], Any]:
    """click parameters for ``function``'s typer declarations, and the callback that calls it."""
    hints = typing.get_type_hints(function, include_extras=True)
    params: list[click.Parameter] = []
    shapes: dict[str, tuple[Any, bool, Any]] = {}
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
            params.append(_option(name, annotation, info, sig.default, here))
        elif isinstance(info, ArgumentInfo):
            params.append(_argument(name, annotation, info, sig.default, here))
        else:
            raise Unsupported(f"{here}: {type(info).__name__}")
        element, is_list, _ = _read_annotation(annotation, here)
        default = None if sig.default is inspect.Parameter.empty else sig.default
        shapes[name] = (element, is_list, default)
    return params, _calling(function, shapes, context)


CONTEXT = {"help_option_names": ["-h", "--help"]}


def command(
    name: str, function: Callable[..., Any], short_help: str | None = None, where: str = ""
) -> click.Command:
    """The click command for one typer-declared function (its docstring is the help)."""
    params, callback = parameters(function, where or name)
    return DeclaredCommand(
        name,
        params=params,
        callback=callback,
        help=inspect.getdoc(function),
        short_help=short_help,
        context_settings=dict(CONTEXT),
    )


def group(name: str, app: typer.Typer) -> click.Group:
    """The click group for a ``typer.Typer`` sub-group (``plan``, ``owners``) and its commands.

    Each subcommand's summary in the group's --help is its first paragraph whole, never cut
    with "..." as click's short help would cut it.
    """
    info = app.info
    registered = app.registered_callback
    callback: Any = None
    params: list[click.Parameter] = []
    help_text = _value(info.help)
    invoke_without = bool(_value(info.invoke_without_command, False))
    if registered is not None and registered.callback is not None:
        params, callback = parameters(registered.callback, name)
        help_text = _value(registered.help) or help_text or inspect.getdoc(registered.callback)
        invoke_without = bool(_value(registered.invoke_without_command, False))
    result = DeclaredGroup(
        name,
        params=params,
        callback=callback,
        help=help_text,
        invoke_without_command=invoke_without,
        no_args_is_help=bool(_value(info.no_args_is_help, False)),
        context_settings=dict(CONTEXT),
    )
    for registered_command in app.registered_commands:
        function = registered_command.callback
        if function is None:
            raise Unsupported(f"{name}: a command without a function")
        sub_name = registered_command.name or function.__name__.replace("_", "-")
        doc = _value(registered_command.help) or inspect.getdoc(function) or ""
        short = _value(registered_command.short_help) or " ".join(doc.split("\n\n")[0].split())
        result.add_command(command(sub_name, function, short, f"{name} {sub_name}"), sub_name)
    if app.registered_groups:
        raise Unsupported(f"{name}: a typer group inside a group")
    return result
