"""The shared options and the readers of their values: --db, --by, --format, --as-of, --window, the
filters of list/export/progress, and opening the store. Every command module imports from here.
"""

from __future__ import annotations

from pathlib import Path

from cpft_tracker.errors import (
    UsageProblem,
)

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any

_state: dict[str, Any] = {"db": None, "db_path": None}

MAX_LIMIT = 1_000_000  # the largest --limit


def db_path() -> Path:
    """The database path in use: --db, else CPFT_TRACKER_DB, else the per-user data folder."""
    from cpft_tracker.store import resolve_db_path

    path = resolve_db_path(_state.get("db"))
    _state["db_path"] = str(path)
    return path


def open_store(*, create: bool = False, readonly: bool = False, group: int | None = None) -> Any:
    """Open the database (read commands refuse to create one); ``group``: a new one is the group's."""
    from cpft_tracker.store import Store

    return Store.open(db_path(), create=create, readonly=readonly, group=group)


def checked_window(days: int | str, name: str) -> int:
    """A look-ahead window given as --window, remind --within or 'settings window', or the one
    usage error all three give: one range (models.MAX_WINDOW_DAYS), one message."""
    from cpft_tracker.models import MAX_WINDOW_DAYS

    text = str(days).strip()
    number = int(text) if text.lstrip("-").isdigit() else None
    if number is None or not 0 <= number <= MAX_WINDOW_DAYS:
        raise UsageProblem(
            f"{name} must be a whole number of days from 0 to {MAX_WINDOW_DAYS} (the look-ahead "
            f"window), e.g. {name} 14 (not '{days}')."
        )
    return number


def today_date() -> Any:
    """Today's local date (CPFT_TRACKER_TODAY overrides it for tests and rehearsals)."""
    from cpft_tracker.dates import today

    return today()


def window_days(store: Any, option: int | None) -> int:
    """The look-ahead window: --window, else the 'window' setting, else 14 days. One window:
    amber (due within it), 'due in the next N days' and remind's default --within."""
    from cpft_tracker.models import DEFAULT_WINDOW_DAYS

    if option is not None:
        # before: --window 3000000 overflowed the date arithmetic (issue 14, finding 11)
        return checked_window(option, "--window")
    stored = store.setting("warning_window_days")
    return int(stored) if stored and stored.isdigit() else DEFAULT_WINDOW_DAYS


def parse_status(text: str) -> str:
    """A status from the command line, or a usage error that lists the statuses."""
    from cpft_tracker.models import STATUS_WORDS, normalise_status

    status = normalise_status(text)
    if status is None:
        raise UsageProblem(f"'{text}' is not a status. Use one of: {STATUS_WORDS}.")
    return status


def parse_quality_statement(text: str) -> str | None:
    """A quality statement from the command line ('none' clears it)."""
    from cpft_tracker.quality_statements import NAMES, match_name

    if text.strip().lower() in ("none", "-", ""):
        return None
    name = match_name(text)
    if name is None:
        raise UsageProblem(
            f"'{text}' is not a CQC well-led quality statement. Use one of: {'; '.join(NAMES)} (or 'none')."
        )
    return name


def check_by(value: str | None) -> str | None:
    """--by as given; a blank one is refused, not silently replaced by the login name in the audit
    trail, and so is one holding a control character or bidi override (exit 2)."""
    if value is None:
        return None
    if not value.strip():
        raise UsageProblem(
            "--by is empty. Give the name of who is making the change, e.g. --by 'Jane Smith', "
            "or leave --by out to use $CPFT_TRACKER_USER or your login name."
        )
    from cpft_tracker.textsafe import check_by as plain_name

    # a control character could disguise who made the change (issue 14, finding 5)
    return plain_name(value)


def parse_on(text: str | None) -> str | None:
    """An ``--on`` date as ISO text (None when not given); a date in the future is refused."""
    if text is None:
        return None
    from cpft_tracker.dates import parse_date

    today = today_date()
    day = parse_date(text, base=today)
    if day > today:
        raise UsageProblem(
            f"--on {text} is in the future ({day.isoformat()}): record what has happened, "
            f"on a date up to today ({today.isoformat()})."
        )
    return str(day.isoformat())


def parse_sort(value: str | None, today: Any, window: int) -> Any:
    """--sort FIELD as a store PlanSort (None for the default order), or a usage error."""
    import datetime as dt

    from cpft_tracker.store import SORT_FIELDS, PlanSort

    if value is None:
        return None
    field = value.strip().lower()
    field = {"brag": "rag", "updated_at": "updated", "reference": "ref"}.get(field, field)
    if field not in SORT_FIELDS:
        raise UsageProblem(
            f"'{value}' cannot be used with --sort. Use one of: {', '.join(SORT_FIELDS)}."
        )
    amber_until = (today + dt.timedelta(days=window)).isoformat()
    return PlanSort(field, today=today.isoformat(), amber_until=amber_until)


def check_limit(value: int | None, what: str = "actions") -> int | None:
    """--limit N as given, or a usage error when it is below 1."""
    if value is not None and value < 1:
        raise UsageProblem(f"--limit must be 1 or more {what}, e.g. --limit 20 (not {value}).")
    return value


def resolve_as_of(as_of: str | None) -> tuple[Any, Any]:
    """(the --as-of date or None, the date that counts as today): the one reading of --as-of."""
    from cpft_tracker.asof import parse_as_of

    real_today = today_date()
    day = parse_as_of(as_of, today=real_today)
    return day, day or real_today


def build_filters(
    *,
    today: Any,
    status: list[str] | None = None,
    owner: str | None = None,
    unassigned: bool = False,
    overdue: bool = False,
    due_before: str | None = None,
    report: str | None = None,
    quality_statement: str | None = None,
    search: str | None = None,
    review: list[str] | None = None,
) -> Any:
    """Turn the shared filter options into store Filters (values checked, dates read).

    ``review``: only actions in these review states (progress and the board paper count
    the accepted ones: TRACKED).
    """
    from cpft_tracker.dates import parse_date
    from cpft_tracker.store import Filters

    def one_line(value: str | None) -> str | None:
        # names are stored with their spaces collapsed: match them the same way
        return " ".join(value.split()) if value is not None else None

    return Filters(
        status=[parse_status(s) for s in status or []],
        owner=one_line(owner),
        unassigned=unassigned,
        overdue_on=today.isoformat() if overdue else None,
        due_before=parse_date(due_before, base=today).isoformat() if due_before else None,
        report=one_line(report),
        quality_statement=parse_quality_statement(quality_statement) if quality_statement else None,
        search=search if search and search.strip() else None,
        review=list(review or []),
        # "what still needs an owner": a retired action needs none
        include_retired=not unassigned,
    )


# The review states progress and the board paper count: candidates awaiting review are
# counted apart ("2 actions awaiting review"), rejected ones are not requirements at all.
TRACKED = ["accepted"]
UNTRACKED = ["awaiting", "rejected"]  # the others: what --since says was settled in review


def plan_view(
    store: Any,
    *,
    as_of: str | None,
    window: int | None,
    columns: Any = None,
    sort: str | None = None,
    limit: int | None = None,
    **filter_options: Any,
) -> tuple[Any, Any, int, list[dict[str, Any]]]:
    """What list, export and progress show: (the --as-of date or None, today, the BRAG window,
    the filtered actions as they stood then). One reading of --as-of, filters, window, --sort
    and --limit."""
    from cpft_tracker.asof import plan_actions

    as_of_day, today = resolve_as_of(as_of)
    filters = build_filters(today=today, **filter_options)
    win = window_days(store, window)
    order = parse_sort(sort, today, win)
    rows = plan_actions(
        store, filters, as_of_day, columns=columns, limit=check_limit(limit), sort=order
    )
    if filters.owner is not None and store.owner(filters.owner) is None and not rows:
        # a name that is no owner (a typo?) and matches nothing: say so, with the nearest one
        raise store.unknown_owner(filters.owner)
    if filters.report is not None and not rows:
        check_report(store, filters.report)
    return as_of_day, today, win, rows


def check_report(store: Any, wanted: str) -> None:
    """``--report NAME`` that is no report's name or reference prefix: say so (it used to
    print "No actions match" as if the report were empty), with the nearest one if any."""
    from cpft_tracker.errors import NotFound
    from cpft_tracker.suggest import nearest

    names = [r["name"] for r in store.reports()] + [r["prefix"] for r in store.reports()]
    if any(wanted.casefold() == (n or "").casefold() for n in names):
        return
    near = nearest(wanted, [n for n in names if n])
    hint = f" Did you mean '{near}'?" if near else ""
    raise NotFound(
        f"No report called '{wanted}'.{hint} Run 'cpft-tracker reports' to see the report names "
        "and their reference prefixes."
    )


# -o FILE: the format each file extension means (export, plan template).
OUTPUT_EXTENSIONS: dict[str, str] = {
    ".json": "json",
    ".csv": "csv",
    ".md": "markdown",
    ".html": "html",
    ".xlsx": "xlsx",
}
FORMAT_NAMES = {"md": "markdown"}  # --format aliases


def output_format(
    fmt: str | None, output: str | None, allowed: tuple[str, ...], default: str
) -> str:
    """The format to write: --format, else the -o file's extension, else ``default``.

    A known extension that disagrees with --format is refused (``-o board.html --format
    json``); without --format, an extension that names none of ``allowed`` is refused with
    the ones it could be.
    """
    from pathlib import PurePath

    chosen = check_format(fmt, allowed) if fmt is not None else None
    chosen = FORMAT_NAMES.get(chosen, chosen) if chosen else None
    if output is None or output == "-":
        return chosen or default
    name = PurePath(output).name
    suffix = PurePath(output).suffix.lower()
    by_name = OUTPUT_EXTENSIONS.get(suffix)
    usable = {e: f for e, f in OUTPUT_EXTENSIONS.items() if f in allowed}
    if by_name is not None and chosen is not None and by_name != chosen:
        wanted = next((e for e, f in usable.items() if f == chosen), None)
        rename = f", or name the file {PurePath(name).stem}{wanted}" if wanted else ""
        raise UsageProblem(
            f"-o {name} is a {suffix} file but --format is {fmt}. Leave out --format "
            f"(the file name picks it){rename}."
        )
    if chosen is not None:
        return chosen
    if not suffix and len(usable) == 1:  # -o plan: the one format this writes
        return next(iter(usable.values()))
    if by_name is None or by_name not in allowed:
        exts = list(usable)
        example = f"{PurePath(name).stem or 'plan'}{exts[0]}"
        if len(exts) == 1:
            raise UsageProblem(
                f"This writes {usable[exts[0]]} only: end the file name with {exts[0]} "
                f"(e.g. -o {example}), not {name}."
            )
        known = ", ".join(exts[:-1]) + f" or {exts[-1]}"
        raise UsageProblem(
            f"Cannot tell the format to write from the name {name}. End it with {known} "
            f"(e.g. -o {example}), or give --format."
        )
    return by_name


def check_format(value: str, allowed: tuple[str, ...]) -> str:
    """A --format value, or a usage error listing the formats."""
    fmt = value.strip().lower()
    if fmt not in allowed:
        raise UsageProblem(f"'{value}' is not a format here. Use one of: {', '.join(allowed)}.")
    return fmt
