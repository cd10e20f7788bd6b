"""Word-processor documents as agencies make them: python-docx writes the .docx, LibreOffice
Writer (headless) exports it to PDF the way its own "Export as PDF" does.

Each export gets its own LibreOffice profile folder: two exports sharing one profile (tests
run side by side, or another user's LibreOffice) block each other or fail silently.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def soffice() -> str:
    """The LibreOffice binary, or skip the test with the reason (scripts/test installs it)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip("LibreOffice Writer is not installed (apt-get install libreoffice-writer-nogui)")
    return found


def docx_to_pdf(docx: Path, out_dir: Path | None = None) -> Path:
    """Export `docx` to PDF with LibreOffice Writer; the PDF lands beside it (or in out_dir)."""
    out_dir = Path(out_dir or docx.parent)
    with tempfile.TemporaryDirectory(prefix="guide-extract-lo-") as profile:
        done = subprocess.run(
            [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out_dir), str(docx)],
            capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
        )
    pdf = out_dir / (docx.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"LibreOffice could not export {docx}: {done.stderr.strip() or done.stdout.strip()}")
    return pdf
