"""``cpft-tracker remind``: the overdue digest for cron, and per-owner reminder emails.

Thin: reads options (each SMTP setting also from an environment variable), calls
``remind`` and ``mailer``, prints, and maps the outcome to an exit code:
0 done (or nothing to report), 1 --fail-if-overdue and something is overdue,
2 a setting that cannot be used, 3 one or more emails could not be sent.
"""

from __future__ import annotations

from cpft_tracker.cli.options import (
    check_format,
    checked_window,
    open_store,
    today_date,
    window_days,
)
from cpft_tracker.cli.output import say
from cpft_tracker.errors import (
    DeliveryFailed,
    UsageProblem,
)

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:  # the declarations: read by cli/convert.py and mypy, not imported to run
    from typing import Annotated

    import typer

ENV = "CPFT_TRACKER_"
MAX_DAYS = 3650  # ten years: the most --every and --escalate-after mean (--within: the window's)


def _opt(
    *names: str, env: str | None = None, metavar: str | None = None, help: str
) -> typer.models.OptionInfo:
    import typer

    return typer.Option(
        *names,
        envvar=f"{ENV}{env}" if env else None,
        show_envvar=bool(env),
        metavar=metavar,
        help=help,
    )


def remind(
    within: Annotated[
        int | None,
        _opt(
            "--within",
            metavar="DAYS",
            env="REMIND_WITHIN",
            help="Also list actions due within this many days "
            "(default: the look-ahead window, the 'window' setting, else 14).",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        _opt("--as-of", metavar="DATE", help="Report as the plan stood at the end of this date."),
    ] = None,
    fmt: Annotated[
        str, _opt("--format", "-f", metavar="FORMAT", help="text (the digest) or json.")
    ] = "text",
    fail_if_overdue: Annotated[
        bool,
        _opt(
            "--fail-if-overdue",
            help="Exit with code 1 when any action is overdue (for monitoring).",
        ),
    ] = False,
    send: Annotated[
        bool, _opt("--send", help="Email each owner their own list, through SMTP.")
    ] = False,
    dry_run: Annotated[
        bool,
        _opt("--dry-run", help="Print the emails that would be sent; send and record nothing."),
    ] = False,
    every: Annotated[
        int,
        _opt(
            "--every",
            metavar="DAYS",
            env="REMIND_EVERY",
            help="Remind the same person about the same action at most once in this many days.",
        ),
    ] = 1,
    escalate_after: Annotated[
        int | None,
        _opt(
            "--escalate-after",
            metavar="DAYS",
            env="ESCALATE_AFTER",
            help="Actions overdue by more than this many days also go, in one summary, to --escalate-to.",
        ),
    ] = None,
    escalate_to: Annotated[
        str | None,
        _opt(
            "--escalate-to",
            metavar="ADDRESS",
            env="ESCALATE_TO",
            help="The governance lead's email address, for escalations.",
        ),
    ] = None,
    smtp_host: Annotated[
        str, _opt("--smtp-host", metavar="HOST", env="SMTP_HOST", help="The mail server.")
    ] = "localhost",
    smtp_port: Annotated[
        int | None,
        _opt(
            "--smtp-port",
            metavar="PORT",
            env="SMTP_PORT",
            help="Its port (default 25; 587 with --starttls; 465 with --ssl).",
        ),
    ] = None,
    sender: Annotated[
        str | None,
        _opt(
            "--from",
            metavar="ADDRESS",
            env="SMTP_FROM",
            help="The sender, e.g. 'Governance Team <governance@trust.nhs.uk>'.",
        ),
    ] = None,
    starttls: Annotated[
        bool,
        _opt(
            "--starttls",
            env="SMTP_STARTTLS",
            help="Upgrade the connection with STARTTLS (usually port 587).",
        ),
    ] = False,
    use_ssl: Annotated[
        bool,
        _opt("--ssl", env="SMTP_SSL", help="Connect over TLS from the start (usually port 465)."),
    ] = False,
    smtp_user: Annotated[
        str | None,
        _opt(
            "--smtp-user",
            metavar="NAME",
            env="SMTP_USER",
            help="Log in as this user; the password is read from CPFT_TRACKER_SMTP_PASSWORD only.",
        ),
    ] = None,
    smtp_timeout: Annotated[
        float,
        _opt(
            "--smtp-timeout",
            metavar="SECONDS",
            env="SMTP_TIMEOUT",
            help="How long to wait for the mail server.",
        ),
    ] = 30.0,
) -> None:
    """List overdue and soon-due actions by owner, and (with --send) email each owner their own list.

    Made for cron: prints a plain-text digest on stdout, and nothing at all when nothing
    is overdue or due soon. With --send, each owner with an email address gets one
    message (plain text and HTML); each reminder is recorded, so running twice in a day
    sends nothing new (--every sets how often the same action is repeated). Exit codes:
    0 done, 1 something is overdue with --fail-if-overdue, 2 a bad option, 3 an email
    could not be sent (the others are still sent). Settings can come from environment
    variables (shown below); the SMTP password only ever comes from
    CPFT_TRACKER_SMTP_PASSWORD. See docs/reminders.md.

    Example: cpft-tracker remind --send
    """
    from cpft_tracker import remind as r
    from cpft_tracker.asof import parse_as_of
    from cpft_tracker.dates import parse_date
    from cpft_tracker.mailer import SmtpSettings
    from cpft_tracker.render import utc_now_iso, write_stdout, write_stdout_chunks

    fmt = check_format(fmt, ("text", "json"))
    # bounded, so no date arithmetic can overflow (issue 14, finding 11)
    if within is not None:
        within = checked_window(within, "--within")
    if not 1 <= every <= MAX_DAYS:
        raise UsageProblem(
            f"--every must be a whole number of days from 1 to {MAX_DAYS}, e.g. --every 3 to "
            "repeat a reminder every third day."
        )
    # checked even without --send: --smtp-timeout 0, -1, nan or inf is a usage error
    SmtpSettings(timeout=smtp_timeout).check_timeout()
    if (escalate_after is None) != (escalate_to is None):
        raise UsageProblem("Give --escalate-after DAYS and --escalate-to ADDRESS together.")
    if escalate_after is not None and not 0 <= escalate_after <= MAX_DAYS:
        raise UsageProblem(
            f"--escalate-after must be a whole number of days from 0 to {MAX_DAYS}, "
            "e.g. --escalate-after 14."
        )
    escalate_address = _checked(escalate_to, "--escalate-to") if escalate_to else None
    today = today_date()
    if as_of and parse_date(as_of, base=today) > today:
        raise UsageProblem(
            f"--as-of {as_of} is in the future. Give a date up to today; to look ahead, use --within DAYS."
        )
    day = parse_as_of(as_of, today=today)
    delivering = send or dry_run
    if send and day is not None and day != today:
        raise UsageProblem(
            "--as-of looks back at a past plan; it cannot be used with --send. "
            "Use --dry-run to see what would have been sent."
        )
    settings = None
    from_address, from_name = "", None
    if delivering:
        from_address, from_name = _sender(sender, required=send)
        settings = SmtpSettings(
            host=smtp_host.strip(),
            port=smtp_port,
            starttls=starttls,
            ssl=use_ssl,
            user=smtp_user or None,
            timeout=smtp_timeout,
        )
        if send:
            settings.check()

    store = open_store(readonly=not send)
    if send and not dry_run:
        with (
            store.write()
        ):  # fail now, before any email, if the database cannot record what is sent
            pass
    as_of_day = day or today
    if within is None:  # the one look-ahead window, as progress and the board paper use it
        within = window_days(store, None)
    # Memory (issue 10): the actions are read from the store grouped by owner and written as
    # they come, never all held. With --send the plan is read on a second, read-only
    # connection, so one snapshot serves the emails and the digest while reminders are
    # recorded on the first. With --as-of the plan is rebuilt once for all of its reads.
    reader = open_store(readonly=True) if send else store
    selected = r.Selected(reader, day, as_of_day, within)
    selected.snapshot()
    counts = selected.counts()

    deliveries: list[r.Delivery] = []
    fatal = None
    if delivering and counts.total:
        from cpft_tracker.mailer import Mailer

        bad_address: list[r.Delivery] = []

        def no_address(group: r.Group) -> None:
            say(
                f"No email address for {r.one_line(group.owner)} ({r.plural(len(group.items), 'action')}): "
                f"add one with cpft-tracker assign {group.items[0].ref} '{r.one_line(group.owner)}' --email ADDRESS"
            )

        def unassigned(group: r.Group) -> None:
            say(
                f"{r.plural(len(group.items), 'action')} with no owner, so no one was reminded: "
                f"{', '.join(i.ref for i in group.items)}. Give each an owner with cpft-tracker assign."
            )

        def bad(group: r.Group, address: str) -> None:
            bad_address.append(
                r.Delivery(
                    r.Outgoing(r.KIND_OWNER, address, group.owner, [group], []),
                    "failed",
                    "the stored address is not one cpft-tracker can send to; correct it with "
                    f"cpft-tracker assign {group.items[0].ref} '{r.one_line(group.owner)}' "
                    "--email ADDRESS",
                )
            )

        separator = "\n" + "-" * 72 + "\n\n"
        previews = 0

        def preview(text: str) -> None:  # --dry-run: each email shown as it is made
            nonlocal previews
            write_stdout((separator if previews else "") + text)
            previews += 1

        messages = r.plan_streamed(
            selected,
            escalate_after=escalate_after,
            escalate_to=escalate_address,
            no_address=no_address,
            unassigned=unassigned,
            bad_address=bad,
        )
        assert settings is not None
        with Mailer(settings) as mailer:
            deliveries, fatal = r.deliver(
                store,
                messages,
                mailer=mailer,
                sender=from_address or "cpft-tracker@example.invalid",
                sender_name=from_name,
                today=today,
                within=within,
                every=every,
                after_days=escalate_after,
                dry_run=dry_run,
                # JSON shows no preview: none is kept
                preview=(preview if fmt != "json" else lambda _text: None) if dry_run else None,
            )
        deliveries += bad_address

    # stdout: the data, written as it is read
    if fmt == "json":
        write_stdout_chunks(
            r.json_chunks(
                selected,
                counts,
                generated_at=utc_now_iso(),
                escalate_after=escalate_after,
                escalate_to=escalate_address,
                delivery=[d.as_json() for d in deliveries] if delivering else None,
            )
        )
    elif not dry_run:
        write_stdout_chunks(
            r.digest_chunks(
                selected, counts, escalate_after=escalate_after, escalate_to=escalate_address
            )
        )

    # stderr: what happened
    sent = [d for d in deliveries if d.status == "sent"]
    failed = [d for d in deliveries if d.status == "failed"]
    would = [d for d in deliveries if d.status == "would-send"]
    if sent:
        say(
            f"Sent {r.plural(len(sent), 'reminder')}: {', '.join(d.outgoing.recipient for d in sent)}."
        )
    if dry_run and counts.total:
        say(
            f"Dry run: {r.plural(len(would), 'email')} would be sent; nothing was sent or recorded."
        )
    for d in failed:
        who = f" ({r.one_line(d.outgoing.name)})" if d.outgoing.name else ""
        say(f"Not sent to {d.outgoing.recipient}{who}: {d.reason}.")
    if fatal:
        done = (
            f"{len(sent)} {'reminder was' if len(sent) == 1 else 'reminders were'} sent before that."
            if sent
            else ""
        )
        raise DeliveryFailed(f"{fatal} {done or 'No reminders were sent.'}")
    if failed:
        raise DeliveryFailed(
            f"{r.plural(len(failed), 'reminder')} could not be sent (listed above). They were not recorded, "
            "so the next run will try them again."
        )
    if fail_if_overdue and counts.overdue:
        say(f"{r.plural(counts.overdue, 'action')} overdue.")
        import click  # here: ~20 ms of every remind's start, and only this exit needs it

        raise click.exceptions.Exit(1)


def _checked(address: str, option: str) -> str:
    from cpft_tracker.store import check_email

    try:
        return check_email(address)
    except UsageProblem:
        raise UsageProblem(
            f"{option} '{address}' is not an email address. Give one plain address such as governance@trust.nhs.uk."
        ) from None


def _sender(value: str | None, *, required: bool) -> tuple[str, str | None]:
    """--from as (address, display name); 'Name <addr>' and a bare address are both accepted."""
    from email.utils import parseaddr

    if not value or not value.strip():
        if required:
            raise UsageProblem(
                "Give the sender address with --from (or CPFT_TRACKER_SMTP_FROM), "
                "e.g. --from 'Governance Team <governance@trust.nhs.uk>'."
            )
        return "", None
    if "\r" in value or "\n" in value:
        raise UsageProblem(
            "--from must be on one line, e.g. --from 'Governance Team <governance@trust.nhs.uk>'."
        )
    name, address = parseaddr(value)
    try:
        return _checked(address, "--from"), (name.strip() or None)
    except UsageProblem:
        raise UsageProblem(
            f"--from '{value}' is not an email address. Give one such as 'Governance Team <governance@trust.nhs.uk>'."
        ) from None
