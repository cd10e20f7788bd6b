"""Command line: `guide-extract run [PDF|DIR ...] [--out DIR]`, `guide-extract schema`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from flows import settings
from pipeline.errors import Limits


def _inputs(paths: list[str]) -> list[Path]:
    if not paths:
        return sorted(Path("raw").glob("*.pdf"))
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        found.extend(sorted(path.glob("*.pdf")) if path.is_dir() else [path])
    return found


def _run(args: argparse.Namespace) -> int:
    inputs = _inputs(args.pdfs)
    if not inputs:
        print("guide-extract: error: no PDF to read (give files, or put them in raw/)", file=sys.stderr)
        return 2
    settings.apply(debug=args.debug)
    from flows.guide_flow import extract_guide  # Prefect is imported only when a run needs it
    from pipeline.errors import GuideError, Limits

    failed = 0
    for path in inputs:
        try:
            guide = extract_guide(path, Path(args.out), args.password, Limits(args.max_mb, args.max_pages))
        except GuideError as error:
            failed += 1
            print(f"guide-extract: error: {path}: {error}", file=sys.stderr)
            continue
        except Exception as error:  # a bug or an unforeseen input: still one line, still the next input
            if args.debug:
                raise
            failed += 1
            reason = str(error).splitlines()[0] if str(error) else ""
            print(f"guide-extract: error: {path}: internal error {error.__class__.__name__}: {reason} (rerun with --debug)", file=sys.stderr)
            continue
        warned = sum(len(p.warnings) for p in guide.practices)
        print(
            f"{path}: {len(guide.practices)} practices in {len(guide.themes)} themes, "
            f"{warned} practice warnings, {len(guide.warnings)} document warnings -> {Path(args.out) / path.stem}"
        )
    return 1 if failed else 0


def _schema(_: argparse.Namespace) -> int:
    from pipeline.emit import schema_json

    sys.stdout.write(schema_json())
    return 0


def _diff(args: argparse.Namespace) -> int:
    from pipeline.diff import DiffError, as_text, diff_guides, load

    try:
        result = diff_guides(load(Path(args.old)), load(Path(args.new)))
    except DiffError as error:
        print(f"guide-extract: error: {error}", file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(as_text(result))
    return 0 if result["equal"] else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="guide-extract", description="Good-practice guide PDFs to validated data.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="extract guides")
    run.add_argument("pdfs", nargs="*", help="PDF files or folders (default: every PDF in raw/)")
    run.add_argument("--out", default="output", help="output folder (default: output/)")
    run.add_argument("--password", default=None, help="password of an encrypted PDF")
    run.add_argument("--debug", action="store_true", help="show tracebacks and Prefect's log")
    run.add_argument("--max-mb", type=float, default=Limits.max_mb, help="refuse larger files (default %(default)s)")
    run.add_argument("--max-pages", type=int, default=Limits.max_pages, help="refuse longer PDFs (default %(default)s)")
    run.set_defaults(handler=_run)
    schema = commands.add_parser("schema", help="print the JSON Schema of guide.json")
    schema.set_defaults(handler=_schema)
    diff = commands.add_parser("diff", help="compare two results (guide.json files or output folders)")
    diff.add_argument("old")
    diff.add_argument("new")
    diff.add_argument("--json", action="store_true", help="machine-readable output")
    diff.set_defaults(handler=_diff)
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
