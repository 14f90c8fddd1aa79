"""The errors cpft-tracker raises, each with a message a governance lead can act on.

The core raises these; the CLI (``cli/errors.py``) catches them in one place, prints
``Error: <message>`` on one line to stderr and exits with ``exit_code``.
Messages are plain English and say what to do next.
"""

from __future__ import annotations


class TrackerError(Exception):
    """Something the user can fix: the message says what is wrong and what to do."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageProblem(TrackerError):
    """A value on the command line that cannot be read (a date, a status): exit code 2."""

    exit_code = 2


class DatabaseMissing(TrackerError):
    """A read command was pointed at a database that does not exist yet."""


class DatabaseProblem(TrackerError):
    """The database file is damaged, read-only, locked, full or from a newer version."""


class NotFound(TrackerError):
    """An action reference, owner or report that is not in the database."""


class BadDocument(TrackerError):
    """A report file that is missing, unreadable, empty or of a kind we cannot read."""


class RuleBroken(TrackerError):
    """A change the rules do not allow, such as completing an action without evidence."""


class FileExists(TrackerError):
    """An output file (-o) that is already there: nothing is written over without --force."""


class ChangedSince(TrackerError):
    """Someone changed an action after the version the change was based on (a lost update refused)."""


class DeliveryFailed(TrackerError):
    """One or more reminder emails could not be sent (exit code 3)."""

    exit_code = 3
