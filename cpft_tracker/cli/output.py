"""What commands tell the person (stderr) and how data is written (stdout or -o FILE)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cpft_tracker.errors import (
    TrackerError,
)


def say(text: str) -> None:
    """A message for the person at the terminal (stderr).

    Messages often quote people's text (a note, a name, a reason): control characters and bidi
    overrides in it are shown, never obeyed by the terminal (issue 14, finding 5).
    """
    from cpft_tracker.textsafe import visible

    print(visible(text, multiline=True), file=sys.stderr)


def show_line(text: str) -> None:
    """One line of data for people on stdout (owners, reports), made terminal-safe."""
    from cpft_tracker.textsafe import visible

    print(visible(text))


def report_changes(changes: list[Any], nothing: str) -> None:
    """Tell the user what changed, one line per change (stderr)."""
    from cpft_tracker.render import describe_event

    if not changes:
        say(nothing)
        return
    for c in changes:
        say(f"{c.ref}: {describe_event({'field': c.field, 'old': c.old, 'new': c.new})}")


def write_output(text: str | Iterable[str], output: str | None) -> None:
    """Data to stdout, or to a file with -o (written whole, then moved into place).

    ``text`` may be the pieces of the data as they are produced (an export): they are
    written as they come, so the whole document is never held at once.
    """
    from cpft_tracker.render import write_stdout, write_stdout_chunks

    if output is None or output == "-":
        if isinstance(text, str):
            write_stdout(text)
        else:
            write_stdout_chunks(text)
        return
    target = Path(output)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            if isinstance(text, str):
                fh.write(text)
            else:
                for piece in text:
                    fh.write(piece)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise TrackerError(
            f"Cannot write {target}: {exc.strerror}. Choose a folder you can write to."
        ) from None
    except BaseException:  # e.g. Ctrl-C while writing: no half-written temporary file left
        tmp.unlink(missing_ok=True)
        raise
    say(f"Wrote {target}.")
