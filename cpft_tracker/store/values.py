"""Values the store writes, checked and made plain: the clock, who is acting, names, emails, prefixes.

Pure functions (no database): every backend uses the same rules.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable

from cpft_tracker.errors import UsageProblem
from cpft_tracker.models import ref_order

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any


def now_utc() -> str:
    """The current UTC time as sortable ISO text. ``CPFT_TRACKER_NOW`` overrides it (tests, rehearsals)."""
    forced = os.environ.get("CPFT_TRACKER_NOW")
    if forced:
        moment = dt.datetime.fromisoformat(forced.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
    else:
        moment = dt.datetime.now(dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


# Fields whose events carry the value in force before the change in ``old`` (asof.py, the
# as-of rebuild in views.py, and field_periods in periods.py all put these back).
UNDOABLE_FIELDS = (
    "owner",
    "due",
    "status",
    "evidence",
    "retired",
    "title",
    "quality_statement",
    "review",
)


def day_ending_at(cutoff: str) -> str:
    """The local ISO date whose end is the UTC instant ``cutoff`` (as ``asof.cutoff_utc`` makes it)."""
    moment = dt.datetime.fromisoformat(cutoff.replace("Z", "+00:00"))
    return (moment - dt.timedelta(microseconds=1)).astimezone().date().isoformat()


def local_day(at: str) -> str:
    """The local ISO date of a UTC event time (when it happened, for an event without ``--on``)."""
    moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().date().isoformat()


def who(by: str | None) -> str:
    """Who is making a change: ``--by``, else ``CPFT_TRACKER_USER``, else the OS login name."""
    for candidate in (by, os.environ.get("CPFT_TRACKER_USER")):
        if candidate and candidate.strip():
            return " ".join(candidate.split())
    import getpass  # here: it imports termios and pwd, and only a change asks who

    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers and services
        return "unknown"


# (matched with re.match, compiled at the first address checked: ~0.3 ms a read need not pay)
EMAIL_PATTERN = r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"


def check_email(address: str) -> str:
    """A single plain email address, or UsageProblem. Refuses anything that could inject a mail header."""
    value = address.strip()
    if not re.match(EMAIL_PATTERN, value) or len(value) > 254:
        raise UsageProblem(
            f"'{address}' is not an email address cpft-tracker can send to. "
            "Give one plain address such as jane.smith@nhs.net."
        )
    return value


def clean_name(name: str, what: str = "owner") -> str:
    """A person's or team's name on one line, without control characters."""
    value = " ".join("".join(ch if ch.isprintable() else " " for ch in name).split())
    if not value:
        raise UsageProblem(f"The {what} name is empty. Give a name such as 'Director of Nursing'.")
    return value


_STOP_WORDS = {
    "and",
    "of",
    "the",
    "for",
    "nhs",
    "report",
    "from",
    "to",
    "in",
    "at",
    "on",
    "a",
    "an",
}


def derive_prefix(name: str) -> str:
    """A short reference prefix from a report's name: initials of its capitalised words (max 4)."""
    head = re.split(r"\s[—–-]\s|:|\(", name, maxsplit=1)[0]
    words = re.findall(r"[A-Za-z][A-Za-z']*", head)
    initials = "".join(w[0] for w in words if w[0].isupper() and w.lower() not in _STOP_WORDS)
    if len(initials) < 2:
        initials = "".join(w[0] for w in words if w.lower() not in _STOP_WORDS)
    prefix = initials.upper()[:4]
    return prefix if len(prefix) >= 2 else "ACT"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def _clean_text(value: str) -> str:
    """Free text from a person: NUL bytes removed, trailing space trimmed; line breaks kept."""
    return value.replace("\x00", "").strip()


def _ref_list(refs: Iterable[str]) -> str:
    """Refs as the stored JSON list (``possible_duplicates``), in ref order."""
    return json.dumps(sorted(set(refs), key=ref_order))
