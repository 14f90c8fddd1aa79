"""Review before it counts (issue 11 item 3): ``review`` walks the candidates awaiting a
person's look on a terminal; ``accept`` and ``reject`` do the same for scripts. Each
decision is one transaction with its audit event, kept even if the walk is stopped.
"""

from __future__ import annotations

import sys

from cpft_tracker.cli.options import open_store
from cpft_tracker.cli.output import say
from cpft_tracker.errors import TrackerError, UsageProblem

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:  # the declarations: read by cli/convert.py and mypy, not imported to run
    from typing import Annotated, Any

    import typer

    from cpft_tracker.cli.declarations import (
        By,
        Note,
        Refs,
        ReportFilter,
    )

    Reason = Annotated[
        str,
        typer.Option(
            "--reason", metavar="TEXT", help="Why it is not a requirement (kept in its history)."
        ),
    ]


def accept(refs: Refs, note: Note = None, by: By = None) -> None:
    """Accept candidates as requirements: from now on they are tracked and counted in progress.

    Example: cpft-tracker accept CPFT-03 CPFT-04
    """
    from cpft_tracker.store import who

    store = open_store()
    changes = store.accept(refs, note=note, by=who(by))
    _report(refs, changes, "accepted: tracked and counted in progress", "accepted")


def reject(refs: Refs, reason: Reason, by: By = None) -> None:
    """Reject candidates that are not requirements: retired as "not a requirement: REASON".

    They stay rejected when the report is imported again; 'cpft-tracker accept REF'
    takes a rejection back.

    Example: cpft-tracker reject CPFT-05 --reason "A description of good practice"
    """
    from cpft_tracker.store import who

    store = open_store()
    changes = store.reject(refs, reason, by=who(by))
    _report(refs, changes, "rejected: not a requirement (retired)", "rejected")


def _report(refs: list[str], changes: list[Any], done: str, state: str) -> None:
    changed = {c.ref.upper() for c in changes}
    for c in changes:
        say(f"{c.ref}: {done}.")
    seen: set[str] = set()
    for ref in refs:
        key = ref.strip().upper()
        if key not in changed and key not in seen:
            seen.add(key)
            say(f"{key}: already {state}; nothing changed.")


# -- the walk on a terminal ----------------------------------------------------------

CHOICES = "[a]ccept  [r]eject  re[t]itle  [s]kip  [q]uit"
_ANSWERS = {
    "a": "accept",
    "accept": "accept",
    "r": "reject",
    "reject": "reject",
    "t": "retitle",
    "retitle": "retitle",
    "title": "retitle",
    "s": "skip",
    "skip": "skip",
    "": "skip",
    "q": "quit",
    "quit": "quit",
}


def _ask(prompt: str) -> str | None:
    """One answer typed at the terminal; None at end of input (Ctrl-D)."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        sys.stderr.write("\n")
        return None
    return line.strip()


def review(report: ReportFilter = None, by: By = None) -> None:
    """Walk the actions awaiting review one by one: accept, reject, retitle or skip each.

    Shows each one's requirement highlighted in its paragraph and why it was taken. Every
    answer is saved at once (one audited change), so quitting keeps what was decided.
    Needs a terminal; in scripts use 'cpft-tracker accept REF...' and
    'cpft-tracker reject REF... --reason TEXT'.

    Example: cpft-tracker review --report CPFT
    """
    from cpft_tracker.render import print_review_candidate
    from cpft_tracker.store import Filters, clean_name, who

    if not sys.stdin.isatty():
        raise TrackerError(
            "review asks questions, so it needs a terminal. In a script use "
            "'cpft-tracker accept REF...' or 'cpft-tracker reject REF... --reason TEXT' "
            '(cpft-tracker list --format json shows which are "awaiting").'
        )
    store = open_store()
    filters = Filters(review=["awaiting"], include_retired=False, report=report)
    refs = [a["ref"] for a in store.actions(filters, columns=["ref"])]
    if not refs:
        say("Nothing awaits review." + (f" (report {report})" if report else ""))
        return
    actor = who(by)
    done = {"accepted": 0, "rejected": 0, "retitled": 0, "skipped": 0}
    stop = False
    for number, ref in enumerate(refs, start=1):
        if stop:
            break
        action = store.action(ref)
        if action["review"] != "awaiting" or action["retired"]:
            continue  # decided by someone else meanwhile
        print_review_candidate(action, number=number, total=len(refs))
        while True:
            answer = _ask(f"{CHOICES} > ")
            choice = "quit" if answer is None else _ANSWERS.get(answer.lower())
            if choice is None:
                say("Type a, r, t, s or q (and Enter).")
                continue
            if choice == "quit":
                stop = True
                break
            if choice == "skip":
                done["skipped"] += 1
                break
            if choice == "accept":
                store.accept([ref], by=actor)
                say(f"{ref}: accepted: tracked and counted in progress.")
                done["accepted"] += 1
                break
            if choice == "reject":
                reason = _ask("Why is it not a requirement? (Enter to go back) > ")
                if not reason:
                    continue
                store.reject([ref], reason, by=actor)
                say(f"{ref}: rejected: not a requirement ({reason}).")
                done["rejected"] += 1
                break
            title = _ask("New title (Enter keeps it) > ")
            if not title:
                continue
            try:
                store.set_text_field([ref], "title", clean_name(title, "title"), by=actor)
            except UsageProblem as exc:
                say(str(exc))
                continue
            say(f"{ref}: title is now: {title.strip()}")
            done["retitled"] += 1
    _finish(store, done, filters)


def _finish(store: Any, done: dict[str, int], filters: Any) -> None:
    left = store.count_plan(filters)
    parts = ", ".join(f"{n} {what}" for what, n in done.items())
    say(
        f"Reviewed: {parts}. "
        + (
            f"{left} still await{'s' if left == 1 else ''} review (cpft-tracker review)."
            if left
            else "Nothing else awaits review."
        )
    )
