"""Statuses and the BRAG rules. Pure: no database, no terminal.

BRAG is derived from an action's data, never typed, so it cannot go stale:

- **blue**: complete (evidence recorded);
- **red**: off track: past its due date and not complete, or blocked;
- **amber**: at risk: due between today and today + the warning window (both
  included), or with no owner or no due date yet;
- **green**: on track.

Retired actions are no longer tracked: they have no BRAG rating (``None``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any

STATUSES: tuple[str, ...] = ("not-started", "in-progress", "blocked", "complete")
RAGS: tuple[str, ...] = ("blue", "green", "amber", "red")
DEFAULT_WINDOW_DAYS = 14
# The look-ahead window's range, for the 'window' setting, --window and remind --within alike
# (ten years: bounded so no date arithmetic can overflow; issue 14, finding 11).
MAX_WINDOW_DAYS = 3650
KEYWORDS: tuple[str, ...] = ("must", "needs", "should")


# The other words a status may be given by (on the command line and in a plan file), in the
# order of STATUSES. The one place they are defined: normalise_status reads them, and
# STATUS_WORDS (status --help, the "is not a status" messages, the README) lists them.
STATUS_ALIASES: dict[str, str] = {
    "open": "not-started",
    "started": "in-progress",
    "done": "complete",
    "completed": "complete",
}


def _status_words() -> str:
    words = []
    for status in STATUSES:
        also = [alias for alias, meant in STATUS_ALIASES.items() if meant == status]
        words.append(f"{status} (or {', '.join(also)})" if also else status)
    return f"{', '.join(words[:-1])} or {words[-1]}"


# "not-started (or open), in-progress (or started), blocked or complete (or done, completed)"
STATUS_WORDS = _status_words()


def normalise_status(text: str) -> str | None:
    """The canonical status a user meant ("In progress", "in_progress", "done"), or None:
    any case, spaces or underscores for the hyphen, or one of STATUS_ALIASES."""
    value = "-".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    value = STATUS_ALIASES.get(value, value)
    return value if value in STATUSES else None


def rag(
    *,
    status: str,
    due: str | None,
    owner: str | None,
    today: dt.date,
    window_days: int = DEFAULT_WINDOW_DAYS,
    retired: str | None = None,
) -> str | None:
    """The BRAG rating of one action on ``today``, by the rules in this module's docstring."""
    if retired:
        return None
    if status == "complete":
        return "blue"
    if status == "blocked":
        return "red"
    due_date = dt.date.fromisoformat(due) if due else None
    if due_date is not None and due_date < today:
        return "red"
    if owner is None or owner == "" or due_date is None:
        return "amber"
    if due_date <= today + dt.timedelta(days=window_days):
        return "amber"
    return "green"


def rag_of(
    action: Mapping[str, Any], today: dt.date, window_days: int = DEFAULT_WINDOW_DAYS
) -> str | None:
    """``rag`` for an action row (a mapping with status, due, owner, retired)."""
    return rag(
        status=action["status"],
        due=action.get("due"),
        owner=action.get("owner"),
        today=today,
        window_days=window_days,
        retired=action.get("retired"),
    )


def is_overdue(action: Mapping[str, Any], today: dt.date) -> bool:
    """Past its due date, not complete and still tracked."""
    due = action.get("due")
    return bool(
        due
        and action["status"] != "complete"
        and not action.get("retired")
        and dt.date.fromisoformat(due) < today
    )


def days_overdue(action: Mapping[str, Any], today: dt.date) -> int | None:
    """Days past due (positive), days left (negative or zero), or None without a due date."""
    due = action.get("due")
    if not due:
        return None
    return (today - dt.date.fromisoformat(due)).days


def ref_order(ref: str) -> tuple[str, int, str]:
    """Sort key of an action reference: by prefix, then number (CPFT-9 before CPFT-10)."""
    head, _, tail = ref.rpartition("-")
    return (head.upper(), int(tail), ref) if tail.isdigit() else (ref.upper(), 0, ref)


# The extractor's rules: name -> what it means, as `show` explains them (the names are
# stored with each action; keep them stable). extract/review.py uses this table.
EXTRACTION_RULES = {
    "leadin_bullet": "a list item under a lead-in such as 'Action the trust MUST take'",
    "notice_item": "an area listed under a notice's 'must improve … by <date>' lead-in",
    "breach_row": "a breach in the 'Action we have told the provider to take' table of a report "
    "with no MUST list",
    "must": "'must' with the provider (or its staff) as the subject",
    "should": "'should' (advisory) with the provider as the subject",
    "need_to": "'needs to <do>'",
    "need_to_be": "'needs to be <done>'",
    "be_needed": "'<something> was needed'",
    "needs_object": "'needs <something>' ('the trust needs an engagement plan')",
    "needing": "'<something> needing <something>'",
    "in_need_of": "'in need of'",
    "there_is_a_need": "'there is a need to/for'",
    "told_to": "'we have told the provider to <improve something>'",
}
