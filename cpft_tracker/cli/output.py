"""What commands tell the person (stderr) and how data is written (stdout or -o FILE)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any


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


def write_output(
    text: str | bytes | Iterable[str], output: str | None, *, force: bool = True
) -> None:
    """Data to stdout, or to a file with -o (written whole, then moved into place).

    ``text`` may be the pieces of the data as they are produced (an export): they are
    written as they come, so the whole document is never held at once. ``bytes`` (an
    .xlsx workbook) are written as they are. A file goes through ``safefiles`` (issue 14,
    findings 7 and 8): a private temporary file created with O_EXCL|O_NOFOLLOW in the
    target's folder, mode 0600 whatever the umask, never widening an existing file's mode,
    renamed into place; a target that is a link, a folder or a device is refused.
    ``force=False`` refuses to replace an existing file.
    """
    from cpft_tracker.render import write_stdout, write_stdout_chunks
    from cpft_tracker.safefiles import output_file

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
    with output_file(target, force=force, text=not isinstance(text, bytes)) as fh:
        if isinstance(text, str | bytes):
            fh.write(text)
        else:
            for piece in text:
                fh.write(piece)
    say(f"Wrote {target}.")
