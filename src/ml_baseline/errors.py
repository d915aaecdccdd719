"""The user-facing error type.

Library code raises `MLBaselineError` for anything the user can fix: bad data, a bad option
value, a missing or broken run. The CLI prints its message as one line, `Error: ...`, and exits
with code 1; any other exception is a bug and is reported as such.
"""

from __future__ import annotations


class MLBaselineError(Exception):
    """A problem with the user's data, options or project state, explained in one line."""
