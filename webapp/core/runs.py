"""What every background solve (matching runs, planning runs) shares: who runs it, and when a
run left "running" counts as interrupted."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

# A run still "running" after this long was interrupted (its process died, perhaps on another
# machine); it is marked failed so that it no longer blocks new runs.
STALE_RUN_AFTER = timedelta(minutes=30)


def run_owner() -> str:
    """This process, as stored on the run it solves ("host:pid")."""
    return f"{socket.gethostname()}:{os.getpid()}"


def owner_is_dead(owner: str) -> bool:
    """True when the run's process was on this machine and no longer exists."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
