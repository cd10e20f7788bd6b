"""The result folder of each input: a safe name inside --out, derived from the file name.

A file name is as hostile as the PDF's text: it may hold separators, control characters,
only dots, or be longer than a file system allows. Ordinary names are kept as they are
(`guide.pdf` -> `guide`); anything else is cleaned, and a short hash of the input's path
keeps names unique when a name had to be shortened or two inputs of one run share it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

MAX_CHARS = 80
MAX_BYTES = 160  # UTF-8; staging names add ~30 bytes and file systems allow 255
# Control characters (C0, DEL, C1), bidi overrides and isolates, lone surrogates of
# undecodable bytes, path separators and characters other systems refuse in names.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff/\\:*?\"<>|]+")


def _hash(path: Path) -> str:
    where = str(Path(path).absolute()).encode("utf-8", "surrogateescape")
    return hashlib.sha256(where).hexdigest()[:8]


def _stem(path: Path) -> str:
    name = Path(path).name
    return name[:-4] if name.lower().endswith(".pdf") else name


def _fits(name: str) -> bool:
    return len(name) <= MAX_CHARS and len(name.encode("utf-8")) <= MAX_BYTES


def folder_name(path: Path) -> str:
    """The cleaned name alone; `folder_names` adds the hash where it must."""
    name = _UNSAFE.sub("-", _stem(path))
    name = re.sub(r"\s+", " ", name).strip(" .-")
    if not name:
        return f"guide-{_hash(path)}"
    if not _fits(name):
        keep = name
        while not _fits(f"{keep}-{'0' * 8}"):
            keep = keep[:-1]
        name = f"{keep.rstrip(' .-')}-{_hash(path)}"
    return name


def folder_names(paths: list[Path]) -> list[str]:
    """One folder name per input, unique in the run (compared without case, as some file
    systems do): the first input keeps its name, a different file with the same name gets
    its path's hash appended. The same file given twice keeps one name."""
    owners: dict[str, str] = {}
    names = []
    for path in paths:
        where = str(Path(path).absolute())
        name = folder_name(path)
        if owners.setdefault(name.casefold(), where) != where:
            base = name[: MAX_CHARS - 9] if len(name) > MAX_CHARS - 9 else name
            name = f"{base}-{_hash(path)}"
            counter = 2
            while owners.setdefault(name.casefold(), where) != where:
                name, counter = f"{base}-{_hash(path)}-{counter}", counter + 1
        names.append(name)
    return names
