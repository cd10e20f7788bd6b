"""Folders and files of this user only: the Prefect home a run or `guide-extract server`
uses (its database, result cache, logs, server record and auth string) and the result
cache wherever it is set.

Prefect's result cache holds the stages' results, the decrypted words of an encrypted
guide among them (with --cache-encrypted), and its database every run's parameters and
logs: another user of the machine must read none of it. So each folder is this user's,
mode 0700 (checked on every use, tightened when it is looser), created under umask 077;
a symbolic link or a folder or file owned by another user id is refused, never
followed (it may have been planted to redirect what is written there). Files are opened
with O_NOFOLLOW and checked on the open descriptor, not by name, so nothing can be
swapped in between the check and the use.

Linux and other POSIX systems only (mode bits and O_NOFOLLOW), as the rest of flows/.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


class PrivateError(Exception):
    """A folder or file that is not, and cannot be made, this user's only (one line)."""


def prefect_home() -> Path:
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def storage_path() -> Path:
    """Where Prefect keeps cached stage results (its own settings' names and default)."""
    chosen = os.environ.get("PREFECT_RESULTS_LOCAL_STORAGE_PATH") or os.environ.get("PREFECT_LOCAL_STORAGE_PATH")
    return Path(chosen).expanduser() if chosen else prefect_home() / "storage"


@contextlib.contextmanager
def private_umask():
    """New files and folders made meanwhile (here or by a child started meanwhile) are
    this user's only."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def _refusal(path: Path, error: OSError) -> PrivateError:
    import errno

    if error.errno == errno.ELOOP:
        return PrivateError(f"{path}: is a symbolic link; refusing to follow it")
    if error.errno == errno.ENOTDIR:
        return PrivateError(f"{path}: not a folder")
    return PrivateError(f"{path}: {error.strerror or error}")


def _check_owner(path: Path, status: os.stat_result) -> None:
    if status.st_uid != os.getuid():
        raise PrivateError(f"{path}: owned by user id {status.st_uid}, not by you (user id {os.getuid()}); refusing to use it")


def private_dir(path: Path) -> Path:
    """`path` as a folder of this user only: made 0700 when missing (its parents as usual),
    else checked (a real folder, ours) and tightened to 0700."""
    path = Path(path)
    if not os.path.lexists(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        with private_umask(), contextlib.suppress(FileExistsError):
            os.mkdir(path, 0o700)
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):  # (the open below refuses one swapped in meanwhile)
            raise PrivateError(f"{path}: is a symbolic link; refusing to follow it")
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as error:
        raise _refusal(path, error) from None
    try:
        status = os.fstat(fd)
        _check_owner(path, status)
        if stat.S_IMODE(status.st_mode) & 0o077:
            os.fchmod(fd, stat.S_IMODE(status.st_mode) & 0o700)
    finally:
        os.close(fd)
    return path


def open_private(path: Path, flags: int = os.O_RDONLY) -> int:
    """A descriptor on `path` (created 0600 with O_CREAT), never through a symbolic link,
    refused when another user owns it, tightened to 0600 when it is looser."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as error:
        raise _refusal(path, error) from None
    try:
        status = os.fstat(fd)
        _check_owner(path, status)
        if not stat.S_ISREG(status.st_mode):
            raise PrivateError(f"{path}: not a regular file; refusing to use it")
        if stat.S_IMODE(status.st_mode) & 0o077:
            os.fchmod(fd, 0o600)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_private(path: Path) -> str | None:
    """The text of one of our files, or None when there is none."""
    try:
        fd = open_private(path)
    except PrivateError:
        if not os.path.lexists(path):
            return None
        raise
    with os.fdopen(fd, encoding="utf-8") as handle:
        return handle.read()


def write_private(path: Path, text: str) -> None:
    """Replace `path` by a 0600 file holding `text`, atomically (a reader sees the old or
    the new text, and a planted link at `path` is replaced, not followed)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(partial)
    fd = open_private(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
        raise


def secure_home() -> Path:
    """The Prefect home and the result cache, made or checked as this user's only, with
    the files directly in the home (database, logs, records) tightened to 0600. What is
    deeper is unreachable to others through its 0700 folders."""
    home = private_dir(prefect_home())
    for entry in os.scandir(home):
        status = entry.stat(follow_symlinks=False)
        if status.st_uid != os.getuid() or stat.S_ISLNK(status.st_mode):
            continue  # refused when it is used, not here: it may be of no concern to us
        wanted = 0o700 if stat.S_ISDIR(status.st_mode) else 0o600
        if stat.S_IMODE(status.st_mode) & 0o077:
            os.chmod(entry.path, stat.S_IMODE(status.st_mode) & wanted)  # not a link: checked above, in our 0700 home
    private_dir(storage_path())
    return home
