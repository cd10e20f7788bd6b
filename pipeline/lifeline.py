"""A process a run starts ends when the run ends, even when the run is killed.

A run ends its worker pool and its temporary Prefect server through exit handlers, but a
run killed outright (SIGKILL, the out-of-memory killer, a CI job's hard timeout) runs no
handler. Its children then lived on: the pool's workers wait on a queue whose write end
they hold themselves (so they never read its end), and the server serves on. Each such
process calls `end_with(run's pid)` as it starts: a daemon thread waits for that process
to exit and then ends this one. On Linux the wait is a pidfd (`os.pidfd_open`), which
becomes readable when the process exits and cannot be fooled by a reused pid; elsewhere
the thread looks once a second.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import threading
import time

# Set by a run for the processes it starts that cannot be handed an argument (the
# temporary server's application factory, flows/server.py).
RUN_PID = "GUIDE_EXTRACT_RUN_PID"


def end_with(pid: int, graceful: bool = False) -> None:
    """End this process once process `pid` has exited: at once (`os._exit`), or with
    SIGTERM to itself when `graceful` (a server that closes its database on SIGTERM).
    Never raises: a worker whose lifeline cannot be set up still works."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:  # gone already
        _end(graceful)
        return
    except (AttributeError, OSError):  # not Linux 5.3 or later
        fd = None
    threading.Thread(target=_wait, args=(pid, fd, graceful), name="guide-extract-lifeline", daemon=True).start()


def end_with_run_from_environment(graceful: bool = False) -> None:
    """`end_with` the pid in GUIDE_EXTRACT_RUN_PID, when set."""
    with contextlib.suppress(KeyError, ValueError):
        end_with(int(os.environ[RUN_PID]), graceful)


def _wait(pid: int, fd: int | None, graceful: bool) -> None:
    if fd is not None:
        select.select([fd], [], [])  # readable once the process has exited
    else:
        while _alive(pid):
            time.sleep(1)
    _end(graceful)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process has the number now
        return False
    return True


def _end(graceful: bool) -> None:
    if graceful:
        os.kill(os.getpid(), signal.SIGTERM)
    else:
        os._exit(1)
