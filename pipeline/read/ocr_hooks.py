"""What OCR tells the command line as it goes, set by the command line (flows/cli.py).
Apart from ocr.py, which imports numpy, PIL and the image work, so that a run sets them
without importing that; a cached guide's run never reads a page."""

from __future__ import annotations

from typing import Callable

# (file name, pages done, pages to do); set by the command line to draw a progress bar
progress_hook: Callable[[str, int, int], None] | None = None
# (file name, one line): what OCR is about to do that a user should know before it
# starts (reading pages that have a text layer); set by the command line
notice_hook: Callable[[str, str], None] | None = None


def notice(file: str, message: str) -> None:
    if notice_hook is not None:
        notice_hook(file, message)
