"""The user-facing error type.

Library code raises `MLBaselineError` for anything the user can fix: bad data, a bad option
value, a missing or broken run. The CLI prints its message as one line, `Error: ...`, and exits
with code 1; any other exception is a bug and is reported as such. Ctrl-C and SIGTERM stop any
command as KeyboardInterrupt (`Terminated` for SIGTERM), which the CLI reports in one line too.
"""

from __future__ import annotations

from typing import Any


class MLBaselineError(Exception):
    """A problem with the user's data, options or project state, explained in one line."""


class Terminated(KeyboardInterrupt):
    """SIGTERM (`timeout`, a cancelled CI job, `docker stop`), raised by the command line's
    handler. A KeyboardInterrupt, so that everything Ctrl-C cleans up is cleaned up for it too;
    the library itself never installs a signal handler."""


SHOWN_VALUE_CHARS = 40  # a value quoted in a message: enough to recognise it, never a page


def shown(value: object) -> str:
    """Return a value as messages quote it: its repr, cut to SHOWN_VALUE_CHARS characters."""
    text = repr(value)
    if len(text) <= SHOWN_VALUE_CHARS:
        return text
    return f"{text[: SHOWN_VALUE_CHARS - 1]}… ({len(text):,} characters)"


def spelling_key(text: str) -> str:
    """Return `text` as hints compare it, case and surrounding spaces aside: a column or a
    label spelled `LOW ` is taken for `low` ("did you mean", labels alike, a likely typo)."""
    return text.strip().casefold()


def spellings_alike(counts: dict[Any, int]) -> str | None:
    """Return the text values of `counts` (value: rows) that differ only in case or
    surrounding spaces, as messages say them ("'yes'/'Yes ' and 'no'/'No'"), or None. Each
    group lists its most frequent spelling first."""
    groups: dict[str, list[str]] = {}
    for value in counts:
        if isinstance(value, str):
            groups.setdefault(spelling_key(value), []).append(value)
    alike = [
        "/".join(shown(v) for v in sorted(spellings, key=lambda v: (-counts[v], v)))
        for _, spellings in sorted(groups.items())
        if len(spellings) > 1
    ]
    if not alike:
        return None
    return f"{', '.join(alike[:-1])} and {alike[-1]}" if len(alike) > 1 else alike[0]
