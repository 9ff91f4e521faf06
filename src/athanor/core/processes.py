"""Child processes that do not outlive their parent (Linux; elsewhere a no-op)."""

from __future__ import annotations

import contextlib
import ctypes
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux to SIGKILL the calling process when its parent dies, which a killed parent
    (SIGKILL leaves it no cleanup) cannot do itself. Call it first thing in a child, or as a
    ``preexec_fn``."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
