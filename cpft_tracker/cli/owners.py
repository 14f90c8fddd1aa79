"""``owners``: list the owners (the bare command), and ``owners rename``, ``owners merge``,
``owners email`` (a typer sub-group). Each change is one transaction, audited on the owner
and on every action they hold.
"""

from __future__ import annotations

from cpft_tracker.cli.options import open_store
from cpft_tracker.cli.output import say, show_line
from cpft_tracker.errors import UsageProblem

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:  # the declarations: read by cli/convert.py and mypy, not imported to run
    from typing import Annotated

    import typer

    from cpft_tracker.cli.declarations import By, Note

    OwnerName = Annotated[
        str, typer.Argument(metavar="NAME", help="An owner's name, as 'owners' lists it.")
    ]


def _actions(n: int) -> str:
    return f"{n} action{'s' if n != 1 else ''}"


def owners(ctx: typer.Context) -> None:
    """List owners, their email addresses and how many tracked actions each holds.

    Correct them with 'owners rename OLD NEW', 'owners merge A INTO B' (a typo made a second
    owner) and 'owners email NAME ADDRESS'; each keeps every action's history.

    Example: cpft-tracker owners
    """
    if ctx.invoked_subcommand is not None:
        return
    store = open_store(readonly=True)
    rows = store.owners()
    if not rows:
        say("No owners yet. Assign one with: cpft-tracker assign REF... OWNER --email ADDRESS")
        return
    for row in rows:
        email = f" <{row['email']}>" if row["email"] else " (no email address)"
        show_line(f"{row['name']}{email}: {_actions(row['actions'])}")


def owners_rename(
    old: OwnerName,
    new: Annotated[str, typer.Argument(metavar="NEW", help="The new name.")],
    note: Note = None,
    by: By = None,
) -> None:
    """Rename an owner on all their actions (each action's history shows the change).

    To join two owners that are the same person or post, use 'owners merge A INTO B'.

    Example: cpft-tracker owners rename "Head of Estates" "Director of Estates"
    """
    from cpft_tracker.store import who

    store = open_store()
    changes = store.rename_owner(old, new, note=note, by=who(by))
    if not changes:
        say(f"No change: the owner is already called {' '.join(new.split())}.")
        return
    first = changes[0]
    say(f"Renamed {first.old} to {first.new} on {_actions(len(changes) - 1)}.")


def owners_merge(
    source: Annotated[
        str, typer.Argument(metavar="A", help="The owner to merge away, e.g. a misspelling.")
    ],
    into: Annotated[str, typer.Argument(metavar="INTO", help="The word INTO.")],
    target: Annotated[str, typer.Argument(metavar="B", help="The owner who takes A's actions.")],
    note: Note = None,
    by: By = None,
) -> None:
    """Give all of owner A's actions to owner B and retire the name A.

    E.g. owners merge "Director of Nursng" INTO "Director of Nursing". A is no longer listed, and assigning to A's name later gives B. Each action's history
    shows the change of owner; nothing is deleted.

    Example: cpft-tracker owners merge "Director of Nursng" INTO "Director of Nursing"
    """
    from cpft_tracker.store import who

    if into.strip().upper() != "INTO" or target.strip().upper() == "INTO":
        from cpft_tracker.cli.errors import into_problem

        raise UsageProblem(into_problem("cpft-tracker owners merge", [source, into, target]))
    store = open_store()
    changes = store.merge_owners(source, target, note=note, by=who(by))
    first = changes[0]
    say(f"Merged {first.old} into {first.new}: {_actions(len(changes) - 1)} moved to {first.new}.")


def owners_email(
    name: OwnerName,
    address: Annotated[
        str,
        typer.Argument(metavar="ADDRESS", help="The new email address, or 'none' to clear it."),
    ],
    note: Note = None,
    by: By = None,
) -> None:
    """Change an owner's email address (for reminders) on all their actions.

    Example: cpft-tracker owners email "Director of Nursing" dn@example.nhs.uk
    """
    from cpft_tracker.store import who

    value = None if address.strip().lower() in ("none", "clear") else address
    store = open_store()
    changes = store.set_owner_email(name, value, note=note, by=who(by))
    if not changes:
        say("No change: that is already the owner's email address.")
        return
    first = changes[0]
    shown = store.owner(name)
    who_ = shown["name"] if shown else name
    was = f"from {first.old} " if first.old else ""
    now = first.new or "no address"
    say(f"{who_}'s email address changed {was}to {now} on all their {_actions(len(changes) - 1)}.")


def owners_app() -> typer.Typer:
    """The ``owners`` group as declared for typer: built only when cli/convert.py reads it
    (``make cli-spec``, or a stale cli/spec.py), so that importing this module to run a
    command does not import typer."""
    import typer

    app = typer.Typer(
        name="owners",
        add_completion=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback(invoke_without_command=True)(owners)
    app.command("rename")(owners_rename)
    app.command("merge")(owners_merge)
    app.command("email")(owners_email)
    return app
