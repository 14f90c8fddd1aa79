"""Due dates as governance staff write them -> ISO dates (``YYYY-MM-DD``).

Accepted: ``2026-03-31``, ``31/03/2026`` and ``31-03-2026`` (day first: this is the UK),
``31/03/26``, ``31 March 2026``, ``31 Mar 26``, ``March 31 2026``, ``today``,
``tomorrow`` and relative ``+30d``, ``+6w``, ``+3m``, ``+1y``.
Anything else, and impossible dates such as ``31/02/2026``, raise ``UsageProblem``
with a message that shows an accepted form.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re

from cpft_tracker.errors import UsageProblem

ACCEPTED = "2026-03-31, 31/03/2026, 31 March 2026, 31 Mar 26 or +30d / +6w / +3m"

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


@functools.cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    """The date forms, compiled at the first date read (~0.5 ms a command that reads none,
    such as ``progress``, need not pay): relative, ISO, numeric, day month, month day."""
    return (
        re.compile(r"^([+-])\s*(\d{1,4})\s*([dwmy])$"),
        re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
        re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$"),
        re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{2}|\d{4})$"),
        re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{2}|\d{4})$"),
    )


def today() -> dt.date:
    """Today's local date. ``CPFT_TRACKER_TODAY`` (ISO date) overrides it, for tests and rehearsals."""
    forced = os.environ.get("CPFT_TRACKER_TODAY")
    if forced:
        return dt.date.fromisoformat(forced)
    return dt.date.today()


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _build(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise UsageProblem(
            f"'{original}' is not a real date. Use a date such as {ACCEPTED}."
        ) from None


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` plus whole months, keeping the day where the month allows (31 Jan + 1m = 28/29 Feb)."""
    from dateutil.relativedelta import relativedelta

    result: dt.date = start + relativedelta(months=months)
    return result


def parse_date(text: str, *, base: dt.date | None = None) -> dt.date:
    """Read a date the way a UK governance team writes it; raise UsageProblem otherwise."""
    original = text
    value = " ".join(text.strip().lower().split())
    if not value:
        raise UsageProblem(f"No date given. Use a date such as {ACCEPTED}.")
    start = base or today()
    if value == "today":
        return start
    if value == "tomorrow":
        return start + dt.timedelta(days=1)
    if value == "yesterday":
        return start - dt.timedelta(days=1)
    relative, iso, numeric, day_month, month_day = _patterns()
    if m := relative.match(value):
        # "+30d" from today, "-30d" before it (for --since: "what moved in the last 30 days")
        n, unit = int(m.group(2)) * (-1 if m.group(1) == "-" else 1), m.group(3)
        if unit == "d":
            return start + dt.timedelta(days=n)
        if unit == "w":
            return start + dt.timedelta(weeks=n)
        if unit == "m":
            return add_months(start, n)
        return add_months(start, 12 * n)
    if m := iso.match(value):
        return _build(int(m.group(1)), int(m.group(2)), int(m.group(3)), original)
    if m := numeric.match(value):
        return _build(_year(m.group(3)), int(m.group(2)), int(m.group(1)), original)
    m = day_month.match(value)
    if m and m.group(2) in _MONTHS:
        return _build(_year(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)), original)
    m = month_day.match(value)
    if m and m.group(1) in _MONTHS:
        return _build(_year(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)), original)
    raise UsageProblem(f"Cannot read '{original}' as a date. Use a date such as {ACCEPTED}.")


def parse_iso_date(text: str) -> str:
    """The ISO string of a user-written date."""
    return parse_date(text).isoformat()
