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
    """A message for the person at the terminal (stderr)."""
    print(text, file=sys.stderr)


def report_changes(changes: list[Any], nothing: str) -> None:
    """Tell the user what changed, one line per change (stderr)."""
    from cpft_tracker.render import describe_event

    if not changes:
        say(nothing)
        return
    for c in changes:
        say(f"{c.ref}: {describe_event({'field': c.field, 'old': c.old, 'new': c.new})}")


def write_output(text: str | bytes | Iterable[str], output: str | None) -> None:
    """Data to stdout, or to a file with -o (written whole, then moved into place).

    ``text`` may be the pieces of the data as they are produced (an export): they are
    written as they come, so the whole document is never held at once. ``bytes`` (an
    .xlsx workbook) are written as they are.
    """
    from cpft_tracker.render import write_stdout, write_stdout_chunks

    if output is None or output == "-":
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        elif isinstance(text, str):
            write_stdout(text)
        else:
            write_stdout_chunks(text)
        return
    target = Path(output)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        binary = isinstance(text, bytes)
        with tmp.open("wb") if binary else tmp.open("w", encoding="utf-8", newline="") as fh:
            if isinstance(text, str | bytes):
                fh.write(text)  # type: ignore[arg-type]
            else:
                for piece in text:
                    fh.write(piece)  # type: ignore[arg-type]
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
