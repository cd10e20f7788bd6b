"""Command line: `guide-extract run`, `guide-extract schema`, `guide-extract diff`,
`guide-extract load`."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from pathlib import Path

from flows import settings
from pipeline.errors import MAX_TIMEOUT, Limits, UsageError, env_number, positive_number
from pipeline.terminal import printable


def _number(integer: bool = False, zero: bool = False, maximum: float | None = None):
    """An argparse type: a finite number above zero (or at least zero); NaN, infinities
    and negative values are usage errors (exit 2)."""

    def parse(text: str):
        try:
            return positive_number(text, integer=integer, zero=zero, maximum=maximum)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parse.__name__ = "whole number" if integer else "number"
    return parse


def _edition_date(text: str) -> str:
    from pipeline.outputs.catalogue.load import parse_edition_date

    try:
        return parse_edition_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _check_out(out: Path) -> None:
    """--out must be a folder we can write into; found out before any guide is read."""
    import tempfile

    from pipeline.outputs.emit import write_reason

    try:
        if out.exists() and not out.is_dir():
            raise UsageError(f"--out {out}: not a folder")
        nearest = out  # nothing is created here: the folder appears with the first result
        while not nearest.exists() and nearest != nearest.parent:
            nearest = nearest.parent
        if not nearest.is_dir():
            raise UsageError(f"--out {out}: {nearest} is a file, not a folder")
        Path(tempfile.mkdtemp(prefix=".guide-extract-probe-", dir=nearest)).rmdir()
    except OSError as error:
        raise UsageError(f"--out {out}: cannot write there: {write_reason(error)}") from None


def _check_model() -> None:
    import importlib.util

    from pipeline.values.model_choice import MODEL_SETTING, model_name  # not spaCy: a cached guide never needs it

    try:
        name = model_name()
        found = importlib.util.find_spec(name) is not None
    except (RuntimeError, ImportError, ValueError) as error:
        raise UsageError(str(error)) from None
    if not found:
        raise UsageError(f"environment variable {MODEL_SETTING}: no installed spaCy model package is named {name!r}")


def _inputs(paths: list[str]) -> list[Path]:
    """The PDFs to read: files as named, folders' PDFs in name order. A folder with no
    PDF is a usage error naming the folder."""
    if not paths:
        if not Path("raw").is_dir():
            raise UsageError("raw: no such folder (give PDF files or folders, or put the PDFs in raw/)")
        paths = ["raw"]
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            inside = sorted(path.glob("*.pdf"))
            if not inside:
                hint = " (give PDF files or folders, or put the PDFs in raw/)" if item == "raw" and len(paths) == 1 else ""
                raise UsageError(f"{path}: no PDF in this folder{hint}")
            found.extend(inside)
        else:
            found.append(path)
    return found


def _check_files(inputs: list[Path], limits: Limits) -> None:
    """The cheap checks of the admission stage, before Prefect starts (a typo must not
    cost a server start): when no input is a PDF worth opening (missing, not a PDF, over
    the limits, cut short) the run is refused, one line per file. When some are, the
    batch runs and each bad one is that guide's failure, as it always was."""
    from pipeline.errors import GuideError
    from pipeline.read.pdf_file import check_file

    refused = []
    for path in inputs:
        try:
            check_file(path, limits)
        except GuideError as error:
            refused.append(f"{printable(path)}: {printable(error)}")
    if len(refused) == len(inputs):
        raise UsageError("\n".join(refused))


def _cluster(args: argparse.Namespace):
    """Settle the Dask options before anything starts: the number of local workers (at
    most one per core, with a notice), or the existing scheduler, checked now (a wrong
    address fails at once) and the TLS settings to reach it with (returned; else None)."""
    if not (args.workers or args.dask_address):
        return None
    import dask

    from flows.dask_cluster import capped_workers, check_scheduler

    logging.getLogger("distributed").setLevel(logging.ERROR)
    # The flow keeps each guide's stages on one worker (a preference, so that a lost worker
    # is replaced); work stealing would move them and their pages' words to idle workers.
    dask.config.set({"distributed.scheduler.work-stealing": False})
    if args.dask_address:
        security, warning = check_scheduler(args.dask_address)
        if warning:
            print(f"guide-extract: warning: {printable(warning)}", file=sys.stderr)
        return security
    args.workers, notice = capped_workers(args.workers)
    if notice:
        print(f"guide-extract: notice: {notice}", file=sys.stderr)
    return None


def _task_runner(args: argparse.Namespace, security):
    """The Dask runner, made once the run's API is chosen (its workers inherit it)."""
    if args.dask_address:
        from flows.dask_runner import remote_runner

        return remote_runner(args.dask_address, security)
    if args.workers:
        from flows.dask_runner import local_runner

        return local_runner(args.workers)
    return None


class _Progress:
    """A progress bar on a terminal; nothing when the output is a file or a pipe."""

    def __init__(self, total: int):
        self.bar = None
        self.ocr_tasks: dict[str, int] = {}
        if sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.task = self.bar.add_task("guides", total=total, visible=total > 1)

    def __enter__(self):
        from pipeline.read import ocr_hooks

        ocr_hooks.notice_hook = self.notice
        if self.bar:
            ocr_hooks.progress_hook = self.ocr_page
            self.bar.start()
        return self

    def __exit__(self, *exc):
        from pipeline.read import ocr_hooks

        ocr_hooks.notice_hook = None
        if self.bar:
            ocr_hooks.progress_hook = None
            self.bar.stop()

    @staticmethod
    def notice(file: str, message: str) -> None:
        """One line before a long OCR run that may surprise (a live bar prints it above itself)."""
        sys.stderr.write(f"guide-extract: note: {printable(file)}: {message}\n")
        sys.stderr.flush()

    def ocr_page(self, file: str, done: int, total: int) -> None:
        """One more page read by OCR (called from the flow's worker threads)."""
        if file not in self.ocr_tasks:
            self.ocr_tasks[file] = self.bar.add_task(f"OCR {file}", total=total)
        self.bar.update(self.ocr_tasks[file], completed=done, visible=done < total)

    def done(self, outcome) -> None:
        if self.bar:
            self.bar.update(self.task, advance=1, description=printable(outcome.file))


def _summary(outcomes) -> str:
    header = ("file", "pages", "practices", "warnings", "status", "seconds")
    rows = [
        (printable(o.file), str(o.pages), str(o.practices), str(o.practice_warnings + o.document_warnings), o.status, f"{o.seconds:.1f}")
        for o in outcomes
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i in (0, 4) else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in [header, *rows]]
    return "\n".join(lines)


def corrections_line(counts: dict[str, int] | None) -> str:
    """What the corrections file did to one guide: a stale or unknown correction is a fix
    someone made that no longer lands, and must not go unnoticed in a run's output."""
    counts = counts or {}
    return "corrections: " + ", ".join(f"{counts.get(k, 0)} {k}" for k in ("applied", "stale", "unknown", "invalid"))


def _use_vocabulary(path: str | None) -> bool:
    """Put a user's vocabulary in force for this run (and its worker processes); True
    after printing the error when the file cannot be used."""
    import os

    from pipeline.cards.vocabulary import ENV, VocabularyError, check_vocabulary

    if path:
        os.environ[ENV] = str(Path(path).resolve())
    try:
        check_vocabulary()
    except VocabularyError as error:
        print(f"guide-extract: error: {printable(error)}", file=sys.stderr)
        return True
    return False


def _without_heartbeats():
    """The run's flow sends no heartbeats, unless the user set their frequency. Prefect's
    heartbeat thread sleeps in whole seconds and the flow waits for it to wake before it
    returns: up to a second at the end of every run (measured, bench/RESULTS.md). Its
    events serve automations that detect crashed runs of deployments; these runs are
    started by hand, and a crash is seen by whoever started them."""
    import contextlib

    if any(name in os.environ for name in ("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY")):
        return contextlib.nullcontext()
    from prefect.context import SettingsContext, get_settings_context

    # What Prefect's `temporary_settings` enters, but the settings copied with the one value
    # changed: `temporary_settings` builds them anew from every source (environment,
    # profiles, .env and TOML files, 54 nested models), 30 ms of a new process's CPU
    # (bench/RESULTS.md), for a value no source can express (None: no heartbeat).
    context = get_settings_context()
    current = context.settings
    quiet = current.model_copy(update={"flows": current.flows.model_copy(update={"heartbeat_frequency": None})})
    return SettingsContext(profile=context.profile, settings=quiet)


def _run(args: argparse.Namespace) -> int:
    # Everything that can be checked without Prefect is checked first: a typo is refused
    # at once, not after a server start.
    try:
        inputs = _inputs(args.pdfs)
        limits = Limits.from_env(args.max_mb, args.max_pages, args.timeout)
        _check_files(inputs, limits)
    except UsageError as error:
        for line in str(error).splitlines():
            print(f"guide-extract: error: {printable(line)}", file=sys.stderr)
        return 2
    if args.edition_date and (not args.db or len(inputs) != 1):
        print("guide-extract: error: --edition-date names the date of one edition: give one PDF and --db", file=sys.stderr)
        return 2
    if _use_vocabulary(args.vocabulary):
        return 2
    try:
        env_number("GUIDE_EXTRACT_MAX_STREAM_MB", 1)  # read by pipeline/read/bounded_streams.py
        for name, zero in (("GUIDE_EXTRACT_PROCESSES", True), ("GUIDE_EXTRACT_OCR_WORKERS", True), ("GUIDE_EXTRACT_OCR_DPI", False)):
            env_number(name, 1, integer=True, zero=zero)  # read by pipeline/parallel.py and pipeline/read/
        _check_out(Path(args.out))
        _check_model()
    except UsageError as error:
        print(f"guide-extract: error: {printable(error)}", file=sys.stderr)
        return 2
    corrections = None
    if args.corrections:
        from pipeline.review.corrections import CorrectionsError, file_sha256, load_checked

        try:  # checked now; the run passes path and hash, and each task reads it (cached)
            corrections = (str(Path(args.corrections)), file_sha256(Path(args.corrections)))
            load_checked(*corrections)
        except CorrectionsError as error:
            print(f"guide-extract: error: {printable(error)}", file=sys.stderr)
            return 2
    if args.db:  # a catalogue that cannot be used fails the run before any extraction
        from pipeline.outputs.catalogue import CatalogueError, ResultError, open_catalogue

        try:
            open_catalogue(args.db)
        except CatalogueError as error:
            print(f"guide-extract: error: {printable(error)}", file=sys.stderr)
            return 2 if isinstance(error, ResultError) else 1
    if args.ocr != "never":  # the cache key names Tesseract's models: asked now, answered during the imports
        from pipeline.read.tesseract import start_listing

        start_listing()
    settings.apply(debug=args.debug)
    from flows import server
    from flows.dask_cluster import ClusterError
    from flows.private import PrivateError

    try:
        remote = _cluster(args)
    except ClusterError as error:
        print(f"guide-extract: error: --dask-address {printable(error)}", file=sys.stderr)
        return 1
    try:
        if server.choose_api() == "temporary":
            server.start_temporary_server()
    except PrivateError as error:
        print(f"guide-extract: error: Prefect home: {printable(error)}", file=sys.stderr)
        return 1
    except Exception as error:
        if args.debug:
            raise
        print(f"guide-extract: error: no Prefect API: {printable((str(error).splitlines() or [type(error).__name__])[0])}", file=sys.stderr)
        return 1
    from pydantic import SecretStr

    from flows.guide_flow import CorrectionsFile, extract_guides  # Prefect is imported only when a run needs it

    flow = extract_guides
    runner = _task_runner(args, remote)
    if runner is not None:
        flow = extract_guides.with_options(task_runner=runner)
    from pipeline.parallel import processes

    # two guides per worker process: while one is in the stages that run in this process
    # (layout, fields, checks, report), another keeps the worker busy
    in_flight = args.in_flight or max(2, 2 * (args.workers or processes()))
    try:
        with _Progress(len(inputs)) as progress, _without_heartbeats():
            password = SecretStr(args.password) if args.password else None  # masked in Prefect's records
            outcomes = flow(
                inputs, Path(args.out), password, limits, args.refresh, in_flight, on_done=progress.done,
                db=SecretStr(args.db) if args.db else None, cache_encrypted=args.cache_encrypted, ocr=args.ocr,
                corrections=CorrectionsFile(path=corrections[0], sha256=corrections[1]) if corrections else None, copy_pdf=args.copy_pdf,
                edition_date=args.edition_date,
            )
    except Exception as error:  # Prefect itself failed (a server that cannot start, a lost cluster)
        if _terminated(error):
            return 128 + signal.SIGTERM  # as the shell says it; the exit handlers stop what the run started
        if args.debug:
            raise
        print(f"guide-extract: error: the run failed: {printable((str(error).splitlines() or [type(error).__name__])[0])}", file=sys.stderr)
        return 1
    for path, outcome in zip(inputs, outcomes):
        if outcome.status == "ok":
            print(
                f"{printable(path)}: {outcome.practices} practices in {outcome.themes} themes, {outcome.practice_warnings} "
                f"practice warnings, {outcome.document_warnings} document warnings -> {printable(outcome.out)}"
            )
            if outcome.corrections or args.corrections:
                print(f"{printable(path)}: {corrections_line(outcome.corrections)}")
            if outcome.loaded:
                print(f"{printable(path)}: catalogue: {outcome.loaded}")
        else:
            print(f"guide-extract: error: {printable(path)}: {printable(outcome.reason)}", file=sys.stderr)
    if len(inputs) > 1:
        print(_summary(outcomes))
    return 0 if all(o.status == "ok" for o in outcomes) else 1


def _schema(_: argparse.Namespace) -> int:
    from pipeline.outputs.emit import schema_json

    sys.stdout.write(schema_json())
    return 0


def _diff(args: argparse.Namespace) -> int:
    from pipeline.review.diff import DiffError, as_text, diff_guides, load

    try:
        result = diff_guides(load(Path(args.old)), load(Path(args.new)), layout=args.all)
    except DiffError as error:
        print(f"guide-extract: error: {printable(error)}", file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(as_text(result))
    return 0 if result["equal"] else 1


def _server(args: argparse.Namespace) -> int:
    from flows import server
    from flows.private import PrivateError

    settings.apply()
    try:
        return _server_action(server, args)
    except PrivateError as error:
        print(f"guide-extract: error: server: {printable(error)}", file=sys.stderr)
        return 1


def _server_action(server, args: argparse.Namespace) -> int:
    if args.action == "start":
        try:
            started, api = server.start(args.port or server.DEFAULT_PORT)
        except RuntimeError as error:
            print(f"guide-extract: error: server: {error}", file=sys.stderr)
            return 1
        print(f"{'started' if started else 'already running'}: {api} (UI at {api.removesuffix('/api')}, "
              f"auth string in {server.auth_file()}, log {server.log_file()})")
        return 0
    if args.action == "stop":
        outcome, pid = server.stop()
        if outcome == "stopped":
            print("stopped")
        elif outcome == "stale":
            print(f"the server record was stale (pid {pid} is gone or is another program now): removed it, stopped nothing")
        else:
            print("no server started by guide-extract is running")
        return 0
    state, record = server.status()
    if state == "running":
        print(f"running: {server.api_url(record['port'])} (pid {record['pid']}, auth string in {server.auth_file()}, log {server.log_file()})")
    elif state == "stale":
        print(f"stopped: the server record is stale (pid {record.get('pid')} is gone or is another program now); runs start a temporary Prefect server")
    else:
        print(f"{state}: runs start a temporary Prefect server (`guide-extract server start` saves that time)")
    return 0 if state == "running" else 3


def _load(args: argparse.Namespace) -> int:
    from pipeline.outputs.catalogue import (
        CatalogueError, ResultError, database_url, load_guide, open_catalogue, read_result, result_files,
    )

    url = database_url(args.db)
    try:  # every input is read and checked before the catalogue is touched
        results = [(path, read_result(path)) for path in result_files(args.paths)]
        if args.edition_date and len(results) != 1:
            raise ResultError(f"--edition-date names the date of one edition, and {len(results)} results were given")
        engine = open_catalogue(url)
    except CatalogueError as error:
        print(f"guide-extract: error: {printable(error)}", file=sys.stderr)
        return 2 if isinstance(error, ResultError) else 1
    failed = False
    for path, guide in results:
        try:
            counts = load_guide(engine, guide, args.edition_date)
        except CatalogueError as error:
            print(f"guide-extract: error: {printable(path)}: {printable(error)}", file=sys.stderr)
            failed = True
            continue
        except Exception as error:  # a bug; the transaction was rolled back
            print(f"guide-extract: error: {printable(path)}: internal error {type(error).__name__}: {printable((str(error).splitlines() or [''])[0])}", file=sys.stderr)
            failed = True
            continue
        print(f"{printable(path)}: {printable(counts.line())}")
    return 1 if failed else 0


# Each help screen ends with its exit codes (docs/usage.md lists the same).
EXIT_CODES = {
    "guide-extract": """exit codes: see each command's --help (guide-extract COMMAND --help);
2 for a usage error everywhere. Manual: docs/usage.md""",
    "run": """exit codes:
  0  every guide was extracted and written (and loaded, with --db)
  1  a guide failed (its line on stderr says why; the others were written),
     or Prefect or the catalogue could not be used
  2  usage error: a bad option, no PDF to read, a vocabulary, corrections or
     --out that cannot be used, a database URL that is not one; nothing was read""",
    "schema": """exit codes:
  0  the schema was printed""",
    "diff": """exit codes:
  0  no differences (layout-only changes do not count unless --all)
  1  differences, listed
  2  an input is not a result""",
    "server": """exit codes:
  0  started, already running, stopped; status: running
  1  the server could not be started
  3  status: not running""",
    "load": """exit codes:
  0  every result was loaded
  1  the database cannot be used, or a guide's load failed (rolled back; the
     others were loaded)
  2  usage error: a path that is not a result, a result of another contract
     version, a URL that is not one, a bad --edition-date; nothing was loaded""",
}


def main(argv: list[str] | None = None, program: bool = False) -> int:
    from pipeline.version import tool_version

    parser = argparse.ArgumentParser(
        prog="guide-extract", description="Good-practice guide PDFs to validated data.",
        epilog=EXIT_CODES["guide-extract"], formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"guide-extract {tool_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="extract guides", epilog=EXIT_CODES["run"], formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("pdfs", nargs="*", metavar="PDF|DIR", help="PDF files or folders (default: every PDF in raw/)")
    run.add_argument("--out", default="output", metavar="DIR", help="output folder (default: output/)")
    run.add_argument("--password", default=None, metavar="PW", help="password of encrypted PDFs")
    run.add_argument("--refresh", action="store_true", help="ignore cached stage results")
    run.add_argument(
        "--cache-encrypted", action="store_true",
        help="cache the decrypted results of encrypted PDFs too (the password is still checked on every run)",
    )
    run.add_argument("--workers", type=_number(integer=True, zero=True), default=0, metavar="N", help="run on a local Dask cluster of N worker processes")
    run.add_argument("--dask-address", default=None, metavar="tcp://HOST:PORT", help="run on the Dask cluster at tcp://HOST:PORT")
    run.add_argument("--in-flight", type=_number(integer=True, zero=True), default=0, metavar="N", help="guides held in memory at once (default: 2 per worker process)")
    run.add_argument("--max-mb", type=_number(), default=None, metavar="MB", help=f"refuse larger files (default {Limits.max_mb:g}, or GUIDE_EXTRACT_MAX_MB)")
    run.add_argument("--max-pages", type=_number(integer=True), default=None, metavar="N", help=f"refuse longer PDFs (default {Limits.max_pages}, or GUIDE_EXTRACT_MAX_PAGES)")
    run.add_argument("--timeout", type=_number(maximum=MAX_TIMEOUT), default=None, metavar="SECONDS", help=f"give up a guide when one of its stages runs longer than SECONDS (default {Limits.timeout:g}, or GUIDE_EXTRACT_TIMEOUT)")
    run.add_argument(
        "--ocr", choices=("auto", "always", "never"), default=os.environ.get("GUIDE_EXTRACT_OCR", "auto").lower(),
        help="read pages with Tesseract: auto = pages without a text layer (default, or $GUIDE_EXTRACT_OCR), always, never",
    )
    run.add_argument("--debug", action="store_true", help="show tracebacks and Prefect's log")
    run.add_argument(
        "--vocabulary", metavar="FILE", default=None,
        help="TOML file of extra label and heading wording (also GUIDE_EXTRACT_VOCABULARY)",
    )
    run.add_argument("--db", default=None, metavar="URL", help="also load each result into this catalogue (SQLAlchemy URL)")
    run.add_argument("--edition-date", type=_edition_date, default=None, metavar="YYYY[-MM[-DD]]",
                     help="with --db and one PDF: when this edition was published, which orders the series' editions")
    run.add_argument("--corrections", default=os.environ.get("GUIDE_EXTRACT_CORRECTIONS") or None, metavar="FILE",
                     help="apply a TOML file of corrections (docs/corrections.md; also GUIDE_EXTRACT_CORRECTIONS)")
    run.add_argument("--copy-pdf", action="store_true", help="copy each PDF into its result folder, so the report's page links open it")
    run.set_defaults(handler=_run)
    schema = commands.add_parser("schema", help="print the JSON Schema of guide.json", epilog=EXIT_CODES["schema"], formatter_class=argparse.RawDescriptionHelpFormatter)
    schema.set_defaults(handler=_schema)
    diff = commands.add_parser("diff", help="compare two results (guide.json files or output folders)", epilog=EXIT_CODES["diff"], formatter_class=argparse.RawDescriptionHelpFormatter)
    diff.add_argument("old", metavar="OLD", help="the earlier result: a guide.json or its folder")
    diff.add_argument("new", metavar="NEW", help="the later result")
    diff.add_argument("--json", action="store_true", help="machine-readable output")
    diff.add_argument("--all", action="store_true", help="also list layout-only changes (boxes, pages, numbering)")
    diff.set_defaults(handler=_diff)
    serve = commands.add_parser("server", help="a background Prefect server that runs reuse (start, stop, status)", epilog=EXIT_CODES["server"], formatter_class=argparse.RawDescriptionHelpFormatter)
    serve.add_argument("action", choices=["start", "stop", "status"])
    serve.add_argument("--port", type=int, default=None, help="port of the server to start (default 4200, or GUIDE_EXTRACT_SERVER_PORT)")
    serve.set_defaults(handler=_server)
    load = commands.add_parser("load", help="load results into the catalogue database", epilog=EXIT_CODES["load"], formatter_class=argparse.RawDescriptionHelpFormatter)
    load.add_argument("paths", nargs="+", metavar="PATH", help="result folders, guide.json files, or folders of result folders")
    load.add_argument("--db", default=None, metavar="URL",
                      help="SQLAlchemy URL (default: $GUIDE_EXTRACT_DB, else sqlite:///output/catalogue.sqlite)")
    load.add_argument("--edition-date", type=_edition_date, default=None, metavar="YYYY[-MM[-DD]]",
                      help="with one result: when this edition was published, which orders the series' editions "
                           "(default: the guide's own publication date; without either, the order of loading)")
    load.set_defaults(handler=_load)
    args = parser.parse_args(argv)
    program = program or argv is None  # the program, not a caller in Python
    if program and args.command == "run":
        _exit_on_termination()
    code = args.handler(args)
    if program and args.command == "run":
        _end_process(code)
    return code


def _terminated(error: BaseException) -> bool:
    """True when the flow failed because the run was sent SIGTERM. During the flow Prefect's
    own handler turns the signal into its TerminationSignal, which a library the signal
    happened to land in may wrap in an error of its own (pydantic's serialisation does),
    keeping only its name."""
    from prefect.exceptions import TerminationSignal

    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, TerminationSignal) or "TerminationSignal" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _exit_on_termination() -> None:
    """A run ended by SIGTERM or SIGHUP (a closed terminal, `kill`) exits as on Ctrl-C:
    through its exit handlers, which stop what it started (its temporary Prefect server,
    its Dask cluster, its worker pool) instead of leaving them running, orphaned, with the
    caller's output still open."""
    def end(number, _frame):
        raise SystemExit(128 + number)

    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, end)


def _end_process(code: int) -> None:
    """End a `run` without tearing down its heap object by object: that took 0.3-1 s
    after a run (hundreds of MB of Python objects: pages, spaCy, Prefect), longer than
    the run's own Prefect overhead. Everything the interpreter would do first is done:
    other threads are joined, exit handlers run (Prefect drains its log and event queues
    to the API, stops a temporary server; the worker pool is shut down), output flushed."""
    import atexit
    import os
    import threading

    threading._shutdown()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
