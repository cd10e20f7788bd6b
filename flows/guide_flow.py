"""The guide-extract flow: PDFs -> pages -> layout -> segments -> practices -> values ->
contract -> checks -> report -> files. One Prefect task per stage (the stages live in
`pipeline/`); guides of a batch run concurrently on the flow's task runner, which is a
thread pool by default and a Dask cluster with `--workers N` or `--dask-address`.

Stage results are cached by Prefect under the input file's SHA-256 and the code version,
so a rerun on an unchanged guide skips straight to writing (`--refresh` bypasses).

    guide-extract run raw/*.pdf            # the command line
    python -m flows.guide_flow raw/*.pdf   # the flow, directly
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import sys
import time
from collections import deque
from pathlib import Path
from typing import Generic, TypeVar

from prefect import Flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NONE as NO_CACHE
from prefect.futures import PrefectFuture, as_completed
from prefect.logging import get_run_logger
from prefect.states import State
from pydantic_core import to_jsonable_python
from pydantic import BaseModel, SecretStr

from pipeline.review.checks import run_checks
from pipeline.review.corrections import CorrectionsError, apply_corrections, correction_counts, entries_of, read_checked
from pipeline.fields.document import front_text, guide_dict, parse_all
from pipeline.outputs.emit import render, write_atomic
from pipeline.outputs.names import folder_names
from pipeline.errors import GuideError, Limits, gave_up
from pipeline.read.pdf_file import admit, is_encrypted, sha256_of
from pipeline.layout.regions import layout_pages
from pipeline.model import DocumentDraft, ExtractedPdf, PageLayout
from pipeline.outputs.report import render_report
from pipeline.cards.segment import segment
from pipeline.review.validate import validate_guide
from pipeline.cards.vocabulary import vocabulary_fingerprint
from pipeline.version import code_version
from schemas import Guide

T = TypeVar("T")


class Carried(Generic[T]):
    """Stage data handed from task to task. Prefect walks every argument of a task looking
    for futures, which for tens of thousands of words costs seconds per hand-over; this
    plain wrapper is a leaf to it, and the typed model travels inside untouched."""

    __slots__ = ("value",)

    def __init__(self, value: T):
        self.value = value


class Parsed(BaseModel):
    themes: list[dict]
    practices: list[dict]


class Outcome(BaseModel):
    """One input of a batch: what was written, or why not."""

    file: str
    status: str  # "ok" or "failed"
    reason: str | None = None
    pages: int = 0
    themes: int = 0
    practices: int = 0
    practice_warnings: int = 0
    document_warnings: int = 0
    seconds: float = 0.0
    out: str | None = None
    loaded: str | None = None  # the catalogue's counts, with --db
    corrections: dict[str, int] | None = None  # applied / stale / unknown / invalid, with --corrections


def _cache_key(context, parameters) -> str | None:
    key = parameters["source_key"]
    return f"{context.task.name}-{key}" if key else None  # None: not cached


# Only stages that cost more to compute than to load are cached: extraction (pdfplumber),
# values (spaCy) and pictures (rendering). Their results persist, pickled, on local disk,
# except for an encrypted guide (its decrypted text), unless the user asks for it.
_cached = dict(cache_key_fn=_cache_key, persist_result=True)
_uncached = dict(cache_policy=NO_CACHE)


def _secret(password: SecretStr | str | None) -> str | None:
    """The password travels as a SecretStr (Prefect shows it masked); only the reading
    code sees its value."""
    if isinstance(password, SecretStr):
        return password.get_secret_value() or None
    return password or None


@task(name="admit", **_uncached)
def admit_task(path: Path, password: SecretStr | None, limits: Limits) -> None:
    admit(path, _secret(password), limits)


@task(name="extract-pages", **_cached)
def extract_task(path: Path, password: SecretStr | None, limits: Limits, source_key: str | None, ocr: str = "auto") -> Carried[ExtractedPdf]:
    from pipeline.read.extract import extract_pdf  # as the values and pictures: not imported for a cached guide

    pdf = extract_pdf(path, _secret(password), limits, ocr)
    get_run_logger().info("%s: %d pages, %d words", pdf.file, len(pdf.pages), sum(len(p.words) for p in pdf.pages))
    return Carried(pdf)


@task(name="layout", **_uncached)
def layout_task(pdf: Carried[ExtractedPdf]) -> Carried[list[PageLayout]]:
    return Carried(layout_pages(pdf.value.pages))


@task(name="segment", **_uncached)
def segment_task(pdf: Carried[ExtractedPdf], pages: Carried[list[PageLayout]]) -> Carried[DocumentDraft]:
    draft = segment(pages.value, pdf.value.metadata_title, pdf.value.info)
    get_run_logger().info("%d themes, %d practices", len(draft.themes), len(draft.practices))
    return Carried(draft)


@task(name="parse-practices", **_uncached)
def parse_task(draft: Carried[DocumentDraft]) -> Carried[Parsed]:
    themes, practices = parse_all(draft.value)
    return Carried(Parsed(themes=themes, practices=practices))


@task(name="values", **_cached)
def values_task(parsed: Carried[Parsed], source_key: str | None) -> Carried[Parsed]:
    from pipeline.values.enrich import enrich_all  # spaCy is imported only when values run

    # a deep copy: the parsed practices may be shared with other tasks or the cache
    practices = enrich_all(copy.deepcopy(parsed.value.practices))
    get_run_logger().info(
        "%d budget amounts, %d metrics", sum(len(p["budgets"]) for p in practices), sum(len(p["metrics"]) for p in practices)
    )
    return Carried(Parsed(themes=parsed.value.themes, practices=practices))


@task(name="validate", **_uncached)
def validate_task(pdf: Carried[ExtractedPdf], draft: Carried[DocumentDraft], parsed: Carried[Parsed]) -> Carried[Guide]:
    source = {"file": pdf.value.file, "sha256": pdf.value.sha256, "pages": len(pdf.value.pages), "ocr_pages": pdf.value.ocr_pages}
    return Carried(validate_guide(guide_dict(draft.value, source, parsed.value.themes, parsed.value.practices, pdf.value.warnings)))


class CorrectionsFile(BaseModel):
    """A corrections file by reference: its path and the SHA-256 the command line checked.
    As a flow parameter its entries would be sent to the Prefect API with the run (and a
    large file refused there); the flow reads the text once and hands it to the tasks as
    stage data (`corrections_text`)."""

    path: str
    sha256: str


def corrections_text(source: CorrectionsFile | None) -> Carried[tuple[str, str, str | None, str | None]] | None:
    """(name, sha256, text, error) of the checked file, read here in the flow's process:
    a task on a worker of another machine (--dask-address) needs no copy of the file at
    the same path. Carried, like the stage data: Prefect neither walks nor stores it."""
    if source is None:
        return None
    try:
        return Carried((source.path, source.sha256, read_checked(source.path, source.sha256), None))
    except CorrectionsError as error:  # each guide's corrections stage reports it
        return Carried((source.path, source.sha256, None, str(error)))


@task(name="corrections", **_uncached)
def corrections_task(guide: Carried[Guide], source: Carried[tuple[str, str, str | None, str | None]] | None) -> Carried[Guide]:
    if source is None:
        return guide
    name, sha256, text, error = source.value
    try:
        if error:
            raise CorrectionsError(error)
        corrections = list(entries_of(text, name, sha256))
    except CorrectionsError as error:
        raise GuideError(str(error)) from None
    corrected = apply_corrections(guide.value, corrections)
    applied = sum(len(p.corrections) for p in corrected.practices)
    if corrections:
        get_run_logger().info("%d of %d corrections applied", applied, len(corrections))
    return Carried(corrected)


@task(name="checks", **_uncached)
def checks_task(guide: Carried[Guide], draft: Carried[DocumentDraft]) -> Carried[Guide]:
    checked = run_checks(guide.value, front_text(draft.value))
    for warning in checked.warnings:
        get_run_logger().info("%s: %s", warning.code, warning.message)
    return Carried(checked)


@task(name="pictures", **_cached)
def pictures_task(path: Path, parsed: Carried[Parsed], password: SecretStr | None, source_key: str | None) -> Carried[dict]:
    from pipeline.outputs.pictures import page_pictures  # PIL and numpy: not imported for a cached guide

    return Carried(page_pictures(path, parsed.value.practices, _secret(password)))


@task(name="report", **_uncached)
def report_task(guide: Carried[Guide], pictures: Carried[dict]) -> Carried[str]:
    return Carried(render_report(guide.value, pictures.value))


@task(name="write", **_uncached)
def write_task(guide: Carried[Guide], report: Carried[str], target: Path, pdf: Path | None = None) -> Outcome:
    guide, report = guide.value, report.value
    extra: dict = {"report.html": report}
    if pdf is not None and pdf.name not in extra:
        extra[pdf.name] = pdf  # copied beside report.html, whose page links name it
    written = write_atomic(target, render(guide, extra))
    create_table_artifact(
        key="practices",
        table=[
            {"id": p.id, "theme": p.theme.number if p.theme else None, "title": p.title, "warnings": len(p.warnings)}
            for p in guide.practices
        ],
        description=f"{guide.source.file}: {len(guide.practices)} practices",
    )
    return Outcome(
        file=guide.source.file, status="ok", pages=guide.source.pages, themes=len(guide.themes),
        practices=len(guide.practices), practice_warnings=sum(len(p.warnings) for p in guide.practices),
        document_warnings=len(guide.warnings), out=str(written), corrections=correction_counts(guide),
    )


@task(name="load-catalogue", **_uncached)
def load_task(guide: Carried[Guide], written: Outcome, db: SecretStr | str, edition_date: str | None = None) -> Outcome:
    from pipeline.outputs.catalogue import CatalogueError, load_guide
    from pipeline.outputs.catalogue.load import engine_for

    try:
        counts = load_guide(engine_for(_secret(db)), guide.value, edition_date)
    except CatalogueError as error:  # the files are written; the catalogue is as it was
        raise GuideError(f"written to {written.out}, but {error}") from None
    get_run_logger().info("catalogue: %s", counts.line())
    return written.model_copy(update={"loaded": counts.line()})


def _submit(path: Path, target: Path, password: SecretStr | None, limits: Limits, refresh: bool, cache_encrypted: bool, db: SecretStr | str | None = None,
            ocr: str = "auto", corrections: Carried | None = None, copy_pdf: bool = False, edition_date: str | None = None) -> list:
    """The stage chain of one guide as futures; nothing here waits."""
    try:
        # the content, the code, and the name (it is written into the results)
        key = f"{sha256_of(path)}-{code_version()}-{hashlib.sha256(path.name.encode('utf-8', 'surrogateescape')).hexdigest()[:8]}"
        key += f"-ocr-{ocr}"  # OCR modes read different words from one file
        if ocr != "never":  # and so do the Tesseract models installed (the accent reading's data)
            from pipeline.read.tesseract import reading_models

            key += f"-{reading_models()}"
        # the vocabulary in force (shipped file and --vocabulary) decides the practices
        key += "-" + hashlib.sha256(vocabulary_fingerprint().encode()).hexdigest()[:8]
    except (OSError, GuideError):
        key = f"unreadable-{time.time_ns()}"  # the admission check will say why
    if is_encrypted(path) and not cache_encrypted:
        key = None  # decrypted words and pictures are never written to Prefect's storage

    def stage(each_task, cached: bool = False):
        options: dict = {"timeout_seconds": limits.timeout}  # a hang becomes this guide's error
        if cached and key is None:
            options["persist_result"] = False
        elif cached and refresh:
            options["refresh_cache"] = True
        return each_task.with_options(**options)

    # Checked on every run, before any cached stage result may be used.
    admitted = stage(admit_task).submit(path, password, limits)
    pdf = stage(extract_task, cached=True).submit(path, password, limits, key, ocr, wait_for=[admitted])
    pages = stage(layout_task).submit(pdf)
    draft = stage(segment_task).submit(pdf, pages)
    parsed = stage(parse_task).submit(draft)
    valued = stage(values_task, cached=True).submit(parsed, key)
    pictures = stage(pictures_task, cached=True).submit(path, valued, password, key)  # beside validate and checks
    guide = stage(validate_task).submit(pdf, draft, valued)
    corrected = stage(corrections_task).submit(guide, corrections)
    checked = stage(checks_task).submit(corrected, draft)
    report = stage(report_task).submit(checked, pictures)
    written = stage(write_task).submit(checked, report, target, Path(path) if copy_pdf else None)
    chain = [admitted, pdf, pages, draft, parsed, pictures, valued, guide, corrected, checked, report, written]
    if db:  # after the write: a catalogue row always has its files
        chain.append(stage(load_task).submit(checked, written, db, edition_date))
    return chain


def _failure(path: Path, chain: list, seconds: float, limits: Limits) -> Outcome:
    for future in chain:
        state = future.state
        if state.is_failed() or state.is_crashed():
            error = state.result(raise_on_failure=False)
            if isinstance(error, TimeoutError):
                reason = gave_up(limits.timeout)
                return Outcome(file=path.name, status="failed", reason=reason, seconds=seconds)
            if isinstance(error, BaseException) and not type(error).__name__.startswith("Upstream"):
                kind = "" if isinstance(error, GuideError) else f"internal error {type(error).__name__}: "
                reason = (str(error).splitlines() or [""])[0]
                return Outcome(file=path.name, status="failed", reason=f"{kind}{reason}", seconds=seconds)
    return Outcome(file=path.name, status="failed", reason="the run did not finish", seconds=seconds)


class _Placement:
    """On a Dask cluster, every stage of one guide runs on the same worker, the one with
    the fewest guides in hand: the pages' words, tens of thousands of tuples, then never
    travel between workers, and each worker's spaCy pipeline and caches stay warm.
    (Left to itself the scheduler sees each stage's result as a few bytes, Prefect's state
    object, and spreads the stages of one guide over the workers.) The thread runner has
    one process: nothing to place."""

    def __init__(self):
        from prefect.context import FlowRunContext

        context = FlowRunContext.get()
        self.client = getattr(context.task_runner, "client", None) if context else None
        self.load: dict[str, int] = {}

    def choose(self) -> str | None:
        if self.client is None:
            return None
        workers = sorted(self.client.scheduler_info(n_workers=-1)["workers"])
        if not workers:
            return None
        return min(workers, key=lambda address: (self.load.get(address, 0), address))

    def on(self, worker: str | None):
        if worker is None:
            return contextlib.nullcontext()
        self.load[worker] = self.load.get(worker, 0) + 1
        import dask

        # a preference: should the worker leave the cluster, another takes its stages
        return dask.annotate(workers=[worker], allow_other_workers=True)

    def release(self, worker: str | None) -> None:
        if worker is not None:
            self.load[worker] -= 1


def _run_name() -> str:
    from prefect.runtime import flow_run

    paths = flow_run.parameters.get("paths") or []
    first = Path(paths[0]).name if paths else "nothing"
    return f"extract-{first}" + (f"-and-{len(paths) - 1}-more" if len(paths) > 1 else "")


class _GuideFlow(Flow):
    """Prefect's flow, with its parameters made JSON for the API by pydantic (which every
    parameter here is, or is a plain value of) rather than FastAPI's `jsonable_encoder`:
    importing FastAPI for that one call was a tenth of a new process's start-up
    (bench/RESULTS.md). What cannot be encoded is stored as Prefect stores it, a
    placeholder naming its type; a SecretStr stays masked either way."""

    def serialize_parameters(self, parameters: dict) -> dict:
        serialized = {}
        for key, value in parameters.items():
            if isinstance(value, (PrefectFuture, State)):
                serialized[key] = f"<{type(value).__name__}>"
                continue
            try:
                serialized[key] = to_jsonable_python(value)
            except Exception:  # as Prefect: unencodable values are not stored
                serialized[key] = f"<{type(value).__name__}>"
        return serialized

    def with_options(self, **options) -> "_GuideFlow":
        # Prefect's copy is a plain Flow, which encoded the parameters of every Dask run
        # (`run --workers`) with FastAPI again, importing it in the flow's process
        changed = super().with_options(**options)
        changed.__class__ = type(self)
        return changed


def extract_guides(
    paths: list[Path],
    out: Path = Path("output"),
    password: SecretStr | None = None,
    limits: Limits = Limits(),
    refresh: bool = False,
    in_flight: int = 4,
    on_done=None,
    db: SecretStr | str | None = None,  # a URL may hold a password: masked like --password
    cache_encrypted: bool = False,
    ocr: str = "auto",
    corrections: CorrectionsFile | None = None,
    copy_pdf: bool = False,
    edition_date: str | None = None,
) -> list[Outcome]:
    """Extract each guide; at most `in_flight` guides hold their pages in memory at once.
    `on_done(outcome)` is called as each guide finishes (the command line's progress).
    With `db` (an SQLAlchemy URL, a SecretStr from the command line: it may hold a password)
    each written guide is also loaded into that catalogue.
    The password is a SecretStr so that Prefect stores the run's parameters masked; the
    results of an encrypted guide are cached only with `cache_encrypted`.
    `corrections` names a corrections file (pipeline/review/corrections.py) by path and hash;
    `copy_pdf` puts each PDF beside its report; `edition_date` (with `db`) is when the
    edition was published, which orders the catalogue's editions."""
    if db:
        from pipeline.outputs.catalogue import open_catalogue

        open_catalogue(_secret(db))  # create or upgrade the schema once, before guides load concurrently
    checked_corrections = corrections_text(corrections)
    queue = deque(zip((Path(p) for p in paths), folder_names([Path(p) for p in paths])))
    placement = _Placement()
    active: dict = {}
    outcomes: dict[Path, Outcome] = {}
    while queue or active:
        while queue and len(active) < max(1, in_flight):
            path, name = queue.popleft()
            worker = placement.choose()
            with placement.on(worker):
                chain = _submit(path, Path(out) / name, password, limits, refresh, cache_encrypted, db, ocr, checked_corrections, copy_pdf, edition_date)
            active[chain[-1]] = (path, chain, time.perf_counter(), worker)
        done = next(as_completed(list(active)))
        path, chain, started, worker = active.pop(done)
        placement.release(worker)
        seconds = round(time.perf_counter() - started, 2)
        try:
            outcome = done.result().model_copy(update={"seconds": seconds})
        except Exception:  # the reason is on the stage that failed, not on the last one
            outcome = _failure(path, chain, seconds, limits)
        outcomes[path] = outcome
        if on_done is not None:
            on_done(outcome)
    return [outcomes[Path(p)] for p in paths]


extract_guides = _GuideFlow(extract_guides, name="guide-extract", flow_run_name=_run_name)  # as @flow(...) would


if __name__ == "__main__":
    for result in extract_guides([Path(arg) for arg in sys.argv[1:]]):
        print(result.model_dump_json())
