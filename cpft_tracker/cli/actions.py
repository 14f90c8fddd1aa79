"""Commands that change actions, each one transaction with its audit events: ``assign``,
``unassign``, ``due``, ``status``, ``note``, ``evidence``, ``retitle``, ``classify``, ``retire``,
``reinstate``, ``merge``.
"""

from __future__ import annotations

from cpft_tracker.cli.options import (
    open_store,
    parse_on,
    parse_quality_statement,
    parse_status,
)
from cpft_tracker.cli.output import report_changes, say
from cpft_tracker.errors import (
    UsageProblem,
)

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:  # the declarations: read by cli/convert.py and mypy, not imported to run
    from typing import Annotated

    import typer

    from cpft_tracker.cli.declarations import (
        By,
        IfUnchangedSince,
        Note,
        On,
        Refs,
    )
    from cpft_tracker.models import STATUS_WORDS  # the help lists the statuses from models.py


def assign(
    refs: Refs,
    owner: Annotated[
        str,
        typer.Argument(
            metavar="OWNER", help="The owner: a person or post, e.g. 'Director of Nursing'."
        ),
    ],
    email: Annotated[
        str | None,
        typer.Option("--email", metavar="ADDRESS", help="The owner's email, for reminders."),
    ] = None,
    new_owner: Annotated[
        bool,
        typer.Option(
            "--new-owner",
            help="OWNER is a new owner, even though the name is close to an existing one.",
        ),
    ] = False,
    note: Note = None,
    if_unchanged_since: IfUnchangedSince = None,
    by: By = None,
) -> None:
    """Give one or many actions an owner (and record their email for reminders).

    A new name close to an existing owner's ("Director of Nursng") is refused as a likely
    typo, with the name it resembles; give --new-owner if it really is someone else.

    Example: cpft-tracker assign CPFT-01 CPFT-02 "Director of Nursing" --email dn@example.nhs.uk
    """
    from cpft_tracker.store import check_email, who

    store = open_store()
    before = store.owner(owner)
    changes = store.assign(
        refs,
        owner,
        email=email,
        note=note,
        by=who(by),
        new_owner=new_owner,
        if_unchanged_since=if_unchanged_since,
    )
    report_changes(changes, f"No change: already owned by {owner}.")
    if email and before is not None and before["email"] != check_email(email):
        after = store.owner(owner)
        held = after["actions"] if after else 0
        was = f"from {before['email']} " if before["email"] else ""
        say(
            f"{before['name']}'s email address changed {was}to {check_email(email)} "
            f"on all their {held} action{'s' if held != 1 else ''}."
        )


def unassign(refs: Refs, note: Note = None, by: By = None) -> None:
    """Take the owner off one or many actions.

    Example: cpft-tracker unassign CPFT-03
    """
    from cpft_tracker.store import who

    store = open_store()
    report_changes(
        store.unassign(refs, note=note, by=who(by)), "No change: those actions had no owner."
    )


def due(
    refs: Refs,
    date: Annotated[
        str,
        typer.Argument(
            metavar="DATE",
            help="31/03/2026, 2026-03-31, '31 March 2026', '31 Mar 26', +30d, +6w, +3m, or 'none' to clear.",
        ),
    ],
    note: Note = None,
    if_unchanged_since: IfUnchangedSince = None,
    by: By = None,
) -> None:
    """Set the due date of one or many actions (UK dates: day first).

    Example: cpft-tracker due CPFT-01 CPFT-02 31/03/2026
    """
    from cpft_tracker.dates import parse_date, today
    from cpft_tracker.store import who

    day = None if date.strip().lower() in ("none", "clear") else parse_date(date)
    value = day.isoformat() if day is not None else None
    store = open_store()
    changes = store.set_due(
        refs, value, note=note, by=who(by), if_unchanged_since=if_unchanged_since
    )
    report_changes(changes, "No change: already due then.")
    if changes and day is not None and day < today():
        # "31/03/2020" typed for 2027: saved as asked, but said, since it makes it overdue now
        first = changes[0].ref
        say(
            f"Note: {day.day} {day:%b %Y} is in the past, so an action not yet complete shows as "
            f"overdue. If that was a slip, set the right date: cpft-tracker due {first} DATE."
        )


def status(
    refs: Refs,
    new_status: Annotated[str, typer.Argument(metavar="STATUS", help=f"{STATUS_WORDS}.")],
    note: Note = None,
    evidence: Annotated[
        str | None,
        typer.Option(
            "--evidence", metavar="TEXT", help="What shows it is done (needed for complete)."
        ),
    ] = None,
    on: On = None,
    if_unchanged_since: IfUnchangedSince = None,
    by: By = None,
) -> None:
    """Move one or many actions to a status. 'complete' needs evidence, given now or recorded earlier.

    Example: cpft-tracker status CPFT-01 in-progress --note "Audit booked for May"
    """
    from cpft_tracker.store import who

    value = parse_status(new_status)
    occurred_on = parse_on(on)
    store = open_store()
    changes = store.set_status(
        refs,
        value,
        note=note,
        evidence=evidence,
        by=who(by),
        if_unchanged_since=if_unchanged_since,
        occurred_on=occurred_on,
    )
    report_changes(changes, f"No change: already {value}.")
    if changes and value == "blocked" and not note:
        first = changes[0].ref
        say(
            f"Say what it is waiting for, so the board paper can: cpft-tracker note {first} "
            "'Waiting for …' (or give --note with the status)."
        )


def note(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The action reference.")],
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The progress note.")],
    on: On = None,
    if_unchanged_since: IfUnchangedSince = None,
    by: By = None,
) -> None:
    """Add a dated progress note to an action.

    Example: cpft-tracker note CPFT-01 "Chased estates about the fire doors"
    """
    from cpft_tracker.store import who

    occurred_on = parse_on(on)
    store = open_store()
    change = store.add_note(
        ref, text, by=who(by), if_unchanged_since=if_unchanged_since, occurred_on=occurred_on
    )
    say(f"{change.ref}: note added.")


def evidence(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The action reference.")],
    text: Annotated[
        str,
        typer.Argument(
            metavar="TEXT", help="What shows the action is done, e.g. a paper and date."
        ),
    ],
    on: On = None,
    if_unchanged_since: IfUnchangedSince = None,
    by: By = None,
) -> None:
    """Record evidence of completion for an action (added to any evidence already there).

    Example: cpft-tracker evidence CPFT-01 "Board minutes 12 March 2026, item 7"
    """
    from cpft_tracker.store import who

    occurred_on = parse_on(on)
    store = open_store()
    change = store.add_evidence(
        ref, text, by=who(by), if_unchanged_since=if_unchanged_since, occurred_on=occurred_on
    )
    say(f"{change.ref}: evidence recorded.")


def retitle(
    ref: Annotated[str, typer.Argument(metavar="REF", help="The action reference.")],
    title: Annotated[str, typer.Argument(metavar="TITLE", help="The new short title.")],
    if_unchanged_since: IfUnchangedSince = None,
    by: By = None,
) -> None:
    """Correct an action's short title (the requirement itself is kept verbatim).

    Example: cpft-tracker retitle CPFT-01 "Complete falls risk assessments on time"
    """
    from cpft_tracker.store import clean_name, who

    if not "".join(ch for ch in title if ch.isprintable()).strip():
        raise UsageProblem(
            "The new title is empty. Write a short title that reads as an action, "
            'e.g. "Review board succession planning".'
        )
    value = clean_name(title, "title")
    store = open_store()
    report_changes(
        store.set_text_field(
            [ref], "title", value, by=who(by), if_unchanged_since=if_unchanged_since
        ),
        "No change: that is already the title.",
    )


def classify(
    refs: Refs,
    statement: Annotated[
        str,
        typer.Argument(
            metavar="QUALITY_STATEMENT",
            help="A CQC well-led quality statement (see 'quality-statements'), or 'none'.",
        ),
    ],
    by: By = None,
) -> None:
    """Correct the CQC quality statement one or many actions fall under.

    Example: cpft-tracker classify CPFT-01 CPFT-02 "Freedom to speak up"
    """
    from cpft_tracker.store import who

    value = parse_quality_statement(statement)
    store = open_store()
    report_changes(
        store.set_text_field(refs, "quality_statement", value, by=who(by)),
        "No change: already under that quality statement.",
    )


def retire(
    refs: Refs,
    reason: Annotated[
        str, typer.Option("--reason", metavar="TEXT", help="Why it is no longer tracked.")
    ],
    by: By = None,
) -> None:
    """Stop tracking actions, with a reason. They stay in history and exports; nothing is deleted.

    Example: cpft-tracker retire CPFT-07 --reason "Same as CPFT-03"
    """
    from cpft_tracker.store import who

    store = open_store()
    report_changes(store.retire(refs, reason, by=who(by)), "No change: already retired.")


def reinstate(refs: Refs, note: Note = None, by: By = None) -> None:
    """Track retired actions again.

    Example: cpft-tracker reinstate CPFT-07
    """
    from cpft_tracker.store import who

    store = open_store()
    report_changes(
        store.reinstate(refs, note=note, by=who(by)), "No change: those actions were not retired."
    )


def merge(
    source: Annotated[
        str,
        typer.Argument(metavar="REF", help="The action to retire into the other, e.g. CPFT-14."),
    ],
    into: Annotated[str, typer.Argument(metavar="INTO", help="The word INTO.")],
    target: Annotated[
        str, typer.Argument(metavar="REF", help="The action that keeps both, e.g. CPFT-10.")
    ],
    note: Note = None,
    by: By = None,
) -> None:
    """Join two actions that state the same thing: merge CPFT-14 INTO CPFT-10.

    CPFT-10 keeps both requirement sentences (show lists each with where it came from) and
    both histories; CPFT-14 is retired as "merged into CPFT-10". Nothing is deleted, and
    importing the report again does not bring CPFT-14 back.

    Example: cpft-tracker merge CPFT-14 INTO CPFT-10
    """
    from cpft_tracker.store import who

    if into.strip().upper() != "INTO" or target.strip().upper() == "INTO":
        from cpft_tracker.cli.errors import into_problem

        raise UsageProblem(into_problem("cpft-tracker merge", [source, into, target]))
    store = open_store()
    changes = store.merge(source, target, note=note, by=who(by))
    kept, gone = changes[-1].ref, changes[-1].new
    say(
        f"{gone} merged into {kept}: {kept} keeps both requirement sentences and both histories; "
        f"{gone} is retired as 'merged into {kept}'."
    )
