"""Text from people made safe to show on a terminal or in a text format, and a check for ``--by``.

INTERFACE CONTRACT (pure functions, no I/O):

    visible(text, *, multiline=False) -> str    # for terminals, tables, messages, Markdown, CSV
    check_by(name) -> str                       # a --by name, or UsageProblem (exit 2)
    UNSAFE: frozenset[str]                      # every character visible() never lets through

Notes, evidence, retire reasons, ``--by`` names and imported report text are stored exactly as
given (JSON gives them back exactly). When they are *shown*, a terminal would obey the control
characters in them: ESC starts sequences that clear the screen, set the window title or plant a
hyperlink; CR and backspace overwrite what was printed (``--by $'mallory\\e[2K\\rAlice'`` showed
"Alice"); bidi overrides reorder what the eye reads. ``visible`` turns each of them into text that
shows what was there:

* C0 controls, DEL and C1 controls become ``\\x1b``-style escapes (``\\r`` for CR). With
  ``multiline=True`` (a note shown on its own lines) line breaks and tabs are kept and CRLF
  becomes one line break; with ``multiline=False`` (a table cell, a one-line message) a line
  break or tab becomes one space.
* Bidi embeddings, overrides, isolates and marks (U+202A-U+202E, U+2066-U+2069, U+200E,
  U+200F, U+061C), the line and paragraph separators U+2028/U+2029 and lone surrogates
  (which cannot even be encoded for output) become ``<U+202E>``.
* Everything else, including every printable character, is unchanged.

A backslash typed by a person is left alone, so the text ``\\x1b`` typed literally looks the
same as an ESC made visible; that is a display ambiguity only, never an escape the terminal obeys.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from cpft_tracker.errors import UsageProblem

TYPE_CHECKING = False  # typing is for mypy only, not imported to run (ARCHITECTURE.md)
if TYPE_CHECKING:
    from typing import Any

# Bidi formatting characters: embeddings and overrides, isolates, and the implicit marks.
BIDI = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)
# Characters that end a line on some terminals and in some editors.
SEPARATORS = frozenset(["\u2028", "\u2029"])
CONTROLS = frozenset([chr(c) for c in range(0x20)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)])
SURROGATES = range(0xD800, 0xE000)
UNSAFE = CONTROLS | BIDI | SEPARATORS


def _compile_unsafe(text: str) -> re.Match[str] | None:
    """``_unsafe_search`` at its first call: compiles the pattern (~0.6 ms, which a command
    that shows no text, such as ``progress --format json``, need not pay) and takes its place."""
    global _unsafe_search
    _unsafe_search = re.compile(
        "[\x00-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
    ).search
    return _unsafe_search(text)


# One search finds whether a string needs any work (most text from people does not).
_unsafe_search: Callable[[str], re.Match[str] | None] = _compile_unsafe

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
MAX_BY_LENGTH = 200


def _shown(ch: str) -> str:
    code = ord(ch)
    if ch in _SHORT:
        return _SHORT[ch]
    if ch in CONTROLS:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


def is_unsafe(ch: str) -> bool:
    """Whether ``visible`` would replace ``ch``."""
    return ch in UNSAFE or ord(ch) in SURROGATES


def visible(text: str | None, *, multiline: bool = False) -> str:
    """``text`` with control characters, bidi controls and separators made visible (see the module)."""
    if not text:
        return ""
    if _unsafe_search(text) is None:
        return text
    if multiline:
        text = text.replace("\r\n", "\n")
    out: list[str] = []
    for ch in text:
        if not is_unsafe(ch):
            out.append(ch)
        elif ch in "\n\t":
            out.append(ch if multiline else " ")
        else:
            out.append(_shown(ch))
    return "".join(out)


def visible_values(row: Mapping[str, Any], *, multiline: bool = False) -> dict[str, Any]:
    """``row`` with every string value passed through ``visible`` (other values unchanged)."""
    return {k: visible(v, multiline=multiline) if isinstance(v, str) else v for k, v in row.items()}


def check_by(name: str | None) -> str:
    """A ``--by`` name as given (ends trimmed), or UsageProblem saying what is wrong with it."""
    cleaned = (name or "").strip()
    if not cleaned:
        raise UsageProblem(
            "--by is empty. Give the name of the person making the change, e.g. --by 'Sam Jones'."
        )
    bad = next((ch for ch in cleaned if is_unsafe(ch)), None)
    if bad is not None:
        raise UsageProblem(
            f"--by holds a control character ({_describe(bad)}), which could disguise who made "
            "the change. Type the name as plain text, e.g. --by 'Sam Jones'."
        )
    if len(cleaned) > MAX_BY_LENGTH:
        raise UsageProblem(
            f"--by is {len(cleaned):,} characters long; a name has at most {MAX_BY_LENGTH}. "
            "Give the person's name, e.g. --by 'Sam Jones'."
        )
    return cleaned


def _describe(ch: str) -> str:
    names = {"\x1b": "ESC", "\r": "carriage return", "\n": "line break", "\t": "tab", "\x07": "BEL"}
    return f"{names[ch]}, U+{ord(ch):04X}" if ch in names else f"U+{ord(ch):04X}"
