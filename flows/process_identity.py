"""Which process a recorded pid is now, and who listens on a local port, from /proc.

A pid file outlives its process; the kernel then gives the pid to any new process, of any
user. So a record holds what a pid cannot: the process's start time (clock ticks after
boot, /proc/PID/stat field 22, fixed for the life of the process) and its command line;
a process is the recorded one only when its start time, command line and user id all
match. Linux only (/proc), as the background server itself.
"""

from __future__ import annotations

import os


def start_time(pid: int) -> int | None:
    try:
        with open(f"/proc/{int(pid)}/stat", "rb") as handle:
            text = handle.read()
    except (OSError, ValueError):
        return None
    # the command name (field 2) is in parentheses and may itself hold spaces or ')'
    fields = text[text.rindex(b")") + 2:].split()
    return int(fields[19])  # field 22: field 3 is fields[0]


def command_line(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{int(pid)}/cmdline", "rb") as handle:
            raw = handle.read()
    except (OSError, ValueError):
        return None
    return [part.decode("utf-8", "surrogateescape") for part in raw.split(b"\0")[:-1]]


def owner(pid: int) -> int | None:
    try:
        return os.stat(f"/proc/{int(pid)}").st_uid
    except (OSError, ValueError):
        return None


def identity(pid: int, command: list[str] | None = None) -> dict | None:
    """What identifies process `pid` (with `command`, the command line it was started
    with, when it may not have replaced its parent's image yet)."""
    started = start_time(pid)
    if started is None:
        return None
    return {"pid": int(pid), "start_time": started, "uid": owner(pid), "cmdline": command or command_line(pid)}


def is_recorded_process(record: dict) -> bool:
    """True when the process with the record's pid is the one the record was made for,
    and it is this user's."""
    try:
        pid = int(record["pid"])
        wanted = (int(record["start_time"]), int(record["uid"]), list(record["cmdline"]))
    except (KeyError, TypeError, ValueError):
        return False
    now = identity(pid)
    return now is not None and wanted == (now["start_time"], now["uid"], now["cmdline"]) and now["uid"] == os.getuid()


def listener_uid(port: int) -> int | None:
    """The user id owning the socket listening on 127.0.0.1:`port` (or on every address),
    None when nothing listens there."""
    wanted = {f"0100007F:{port:04X}", f"00000000:{port:04X}"}
    wanted6 = {f"00000000000000000000000000000000:{port:04X}", f"0000000000000000FFFF00000100007F:{port:04X}"}
    for table, addresses in (("/proc/net/tcp", wanted), ("/proc/net/tcp6", wanted6)):
        try:
            with open(table) as handle:
                next(handle)
                for line in handle:
                    fields = line.split()
                    if fields[1] in addresses and fields[3] == "0A":  # 0A: LISTEN
                        return int(fields[7])
        except OSError:
            continue
    return None
