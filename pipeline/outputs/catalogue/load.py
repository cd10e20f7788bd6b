"""Load extraction results into the catalogue: one transaction per guide, practices
upserted by (series, id) with every distinct content kept as a version.

A reload of the same result writes nothing: a practice's content is the canonical JSON of
its contract data (sorted keys), and only a different content hash is a change.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import Engine, and_, create_engine, event, func, select
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from pipeline import strict_json
from pipeline.outputs.catalogue.schema import (
    budgets,
    guide_practices,
    guides,
    metrics,
    practice_countries,
    practice_versions,
    practices,
)
from schemas import SCHEMA_VERSION, Guide, Location, Practice

DEFAULT_URL = "sqlite:///output/catalogue.sqlite"
_INT32 = 2**31
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class CatalogueError(Exception):
    """A load that cannot be done; str(error) is one line for a person."""


class ResultError(CatalogueError):
    """An input that is not a result this tool can load (a usage error)."""


class DatabaseError(CatalogueError):
    """The database cannot be reached, or refused the load (rolled back)."""


@dataclass(frozen=True)
class LoadCounts:
    series: str
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    older: bool = False  # an earlier edition than the catalogue's latest: history only
    became_latest: bool = False  # this edition replaced another as the series' latest
    latest_moved: bool = False  # another edition than this one is now the latest
    undated: bool = False  # no date or version: placed by load order among several editions

    def line(self) -> str:
        text = f"{self.added} added, {self.changed} changed, {self.unchanged} unchanged, {self.withdrawn} withdrawn"
        notes = [
            note for flag, note in (
                (self.older, "an earlier edition than the catalogue's latest, kept as history"),
                (self.became_latest, "now the series' latest edition"),
                (self.latest_moved, "the series' latest edition is now another one"),
                (self.undated, "no edition date or version: placed by load order (give --edition-date)"),
            ) if flag
        ]
        return f"{text} (series {self.series}{''.join('; ' + n for n in notes)})"


# ---------------------------------------------------------------- inputs


def result_files(paths: list[str | Path]) -> list[Path]:
    """guide.json files named by PATHs: a result folder, a guide.json, or a folder of
    result folders. A path that is none of these is a ResultError."""
    found: list[Path] = []
    for item in paths:
        try:
            found.extend(_results_at(Path(item)))
        except OSError as error:  # an unreadable folder
            raise ResultError(f"{item}: cannot be read ({error.strerror or type(error).__name__})") from None
    return found


def _results_at(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if (path / "guide.json").is_file():
        return [path / "guide.json"]
    if path.is_dir() and (inner := sorted(p / "guide.json" for p in path.iterdir() if (p / "guide.json").is_file())):
        return inner
    if not path.exists():
        raise ResultError(f"{path}: no such file or folder")
    raise ResultError(f"{path}: not a result (no guide.json in it or in its sub-folders)")


def read_result(path: Path) -> Guide:
    path = Path(path)
    if path.is_dir():
        path = path / "guide.json"
    try:
        data = strict_json.loads(Path(path).read_text(encoding="utf-8"))
    except strict_json.JSONRefused as error:  # NaN, 1e400, a 70-bit integer, deep nesting
        raise ResultError(f"{path}: not a result ({error})") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ResultError(f"{path}: not a result (cannot read JSON: {type(error).__name__})") from None
    if not isinstance(data, dict) or "source" not in data or not isinstance(data.get("practices"), list):
        raise ResultError(f"{path}: not a result (a guide.json has source and practices)")
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ResultError(
            f"{path}: a result of contract version {str(version)[:20]!r}, this tool loads version {SCHEMA_VERSION}; "
            "extract the PDF again with guide-extract run"
        )
    try:
        guide = Guide.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ResultError(f"{path}: not a valid result ({where}: {first['msg']})") from None
    # the catalogue's whole-number columns are 32-bit on PostgreSQL (INTEGER)
    counted = [("source.pages", guide.source.pages)] + [
        (f"practices.{i}.{name}", value) for i, p in enumerate(guide.practices)
        for name, value in (("number", p.number), ("theme.number", p.theme.number if p.theme else None))
    ]
    for where, value in counted:
        if value is not None and not -_INT32 <= value < _INT32:
            raise ResultError(f"{path}: not a valid result ({where}: {value} is larger than the catalogue holds)")
    ids = [p.id for p in guide.practices]
    if len(set(ids)) != len(ids):
        twice = next(i for i in ids if ids.count(i) > 1)
        raise ResultError(f"{path}: not a valid result (practice id {twice!r} appears twice)")
    return guide


# ---------------------------------------------------------------- database


def parse_edition_date(text: str) -> str:
    """A --edition-date: YYYY, YYYY-MM or YYYY-MM-DD, a real date; ValueError otherwise."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
    if not match:
        raise ValueError(f"not a date of the form YYYY, YYYY-MM or YYYY-MM-DD: {text!r}")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"not a real date: {text!r}") from None
    return match.group(0)


def database_url(given: str | None = None) -> str:
    return given or os.environ.get("GUIDE_EXTRACT_DB") or DEFAULT_URL


def masked(url: str) -> str:
    """The URL as typed, with everything between the user name's ':' and the last '@'
    starred: a password may itself hold '@' or ':' unencoded, so the parser's idea of
    where it ends cannot be trusted for a URL that is refused."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    at = rest.rfind("@")
    colon = rest.find(":", 0, at) if at > 0 else -1
    if colon < 0:
        return url
    return f"{scheme}{sep}{rest[:colon]}:***{rest[at:]}"


def shown(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return masked(url)
    return url if parsed.password is None else parsed.render_as_string(hide_password=True)


_URL_FORMS = "sqlite:///FILE or postgresql+psycopg://USER@HOST/DB"


def parse_url(url: str):
    """SQLAlchemy's URL for `url`; ResultError (with the password masked) for a string
    that is not one, a port that is not a number, or an unencoded '@' in the user name
    or password (the parser would take the password's tail for the host)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ResultError(f"{masked(url)!r} is not a database URL ({_URL_FORMS})") from None
    except ValueError:  # SQLAlchemy's int() of the port
        raise ResultError(f"{masked(url)}: the port is not a number") from None
    if parsed.host and "@" in parsed.host:
        raise ResultError(f"{masked(url)}: the user name or password holds an '@'; write it as %40")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise ResultError(f"{masked(url)}: the port {parsed.port} is not between 1 and 65535")
    return parsed


def _sqlite_transactions(engine: Engine) -> None:
    """pysqlite opens transactions lazily and never around DDL; take the write lock at
    BEGIN instead, so one guide's load is one transaction, and enforce foreign keys."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@functools.cache
def engine_for(url: str) -> Engine:
    """One engine per URL and process; ResultError for a URL that is not one."""
    parsed = parse_url(url)
    if parsed.drivername == "postgres" or parsed.drivername.startswith("postgres+"):
        # the scheme many hosts hand out; SQLAlchemy dropped the alias and advises postgresql://
        parsed = parsed.set(drivername="postgresql" + parsed.drivername.removeprefix("postgres"))
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # `data` is stored as the canonical text itself: its SHA-256 is `content_sha256`
        engine = create_engine(parsed, connect_args={"timeout": 60}, json_serializer=canonical)
        _sqlite_transactions(engine)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # the driver this package ships
    try:
        return create_engine(parsed, pool_pre_ping=True, json_serializer=canonical)
    except (ArgumentError, ImportError) as error:
        raise ResultError(f"{shown(url)}: unsupported database URL ({error})") from None


def _one_line(error: BaseException) -> str:
    """The first line of a driver's message; it may quote values from a PDF, so control
    characters (terminal escapes) are replaced."""
    text = str(getattr(error, "orig", None) or error)
    line = (text.strip().splitlines() or [type(error).__name__])[0]
    return "".join(ch if ch.isprintable() else "?" for ch in line)


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration (idempotent)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # two first loads at once: one creates, one waits
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)", {"key": _lock_key("migrations")})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_catalogue(url: str) -> Engine:
    """The engine of a reachable, up-to-date catalogue; DatabaseError if it cannot be."""
    from alembic.util.exc import CommandError

    engine = engine_for(url)
    try:
        migrate(engine)
    except SQLAlchemyError as error:
        raise DatabaseError(f"{shown(url)}: cannot use the database ({_one_line(error)})") from None
    except CommandError as error:  # its alembic_version names a migration this code does not have
        raise DatabaseError(
            f"{shown(url)}: the catalogue was made by a newer guide-extract ({_one_line(error)}); upgrade guide-extract"
        ) from None
    return engine


# ---------------------------------------------------------------- the load


def series_of(guide: Guide) -> str:
    """The slug of the guide's title (its file name without one): editions share it."""
    name = guide.title or Path(guide.source.file).stem
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:160].strip("-")
    # a title with no Latin letters still gets a series of its own
    return slug or "guide-" + hashlib.sha256(name.encode()).hexdigest()[:16]


def canonical(data) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _columns(practice: Practice, data: dict, content: str) -> dict:
    return {
        "number": practice.number,
        "title": practice.title,
        "summary": practice.summary,
        "theme_number": practice.theme.number if practice.theme else None,
        "theme_title": practice.theme.title if practice.theme else None,
        "institution": practice.institution,
        "location": practice.location.raw,
        "country": practice.location.country,
        "country_code": practice.location.country_code,
        "period_start": practice.period.start,
        "period_end": practice.period.end,
        "ongoing": practice.period.ongoing,
        "budget_total": practice.budget_total.amount if practice.budget_total else None,
        "budget_total_currency": practice.budget_total.currency if practice.budget_total else None,
        "content_sha256": content,
        "data": data,
    }


def countries(location: Location) -> list[str]:
    """Every country a location names, in printed order, each once; a result written
    before `country_codes` existed has only its first, `country_code`."""
    codes = location.country_codes or ([location.country_code] if location.country_code else [])
    return list(dict.fromkeys(codes))


def _values(connection: Connection, series: str, practice: Practice) -> None:
    """The budgets, metrics and countries rows of a practice's current version."""
    key = {"series": series, "practice_id": practice.id}
    for table in (budgets, metrics, practice_countries):
        connection.execute(table.delete().where(table.c.series == series, table.c.practice_id == practice.id))
    rows = [
        {**key, "position": i, "raw": m.raw, "amount": m.amount, "currency": m.currency, "role": m.role, "qualifier": m.qualifier}
        for i, m in enumerate(practice.budgets, 1)
    ]
    if rows:
        connection.execute(budgets.insert(), rows)
    rows = [
        {**key, "position": i, "raw": m.raw, "value": m.value, "unit": m.unit, "qualifier": m.qualifier, "scale": m.scale}
        for i, m in enumerate(practice.metrics, 1)
    ]
    if rows:
        connection.execute(metrics.insert(), rows)
    rows = [{**key, "position": i, "country_code": code} for i, code in enumerate(countries(practice.location), 1)]
    if rows:
        connection.execute(practice_countries.insert(), rows)


def _version(connection: Connection, series: str, practice_id: str, content: str, guide_sha: str, data: dict) -> None:
    known = connection.execute(
        select(practice_versions.c.version).where(
            practice_versions.c.series == series,
            practice_versions.c.practice_id == practice_id,
            practice_versions.c.content_sha256 == content,
        )
    ).first()
    if known:
        return
    latest = connection.execute(
        select(func.max(practice_versions.c.version)).where(
            practice_versions.c.series == series, practice_versions.c.practice_id == practice_id
        )
    ).scalar()
    connection.execute(
        practice_versions.insert().values(
            series=series, practice_id=practice_id, version=(latest or 0) + 1,
            content_sha256=content, guide_sha256=guide_sha, data=data,
        )
    )


def document_metadata(guide: Guide) -> dict:
    """`guides.document_metadata`, `authors` and `licence`: the metadata as in guide.json
    (NULs replaced, as everywhere), with the two plain columns most queries want."""
    data = _without_nul(guide.metadata.model_dump(mode="json"))
    return {
        "document_metadata": data,
        "authors": "; ".join(data["authors"]) or None,
        "licence": data["licence"],
    }


def _register(connection: Connection, guide: Guide, series: str, edition_date: str | None) -> None:
    """The guide's row: new ones get the next load order (and, for now, the next edition
    number, which the rebuild corrects); a known one takes a date given now, and the
    practice count and metadata of a newer extraction of the same PDF."""
    sha = guide.source.sha256
    date = edition_date or _published(guide)
    version = guide.metadata.version
    described = document_metadata(guide)
    current = connection.execute(select(guides).where(guides.c.sha256 == sha)).mappings().first()
    if current is None:
        top = connection.execute(
            select(func.max(guides.c.edition), func.max(guides.c.loaded_order)).where(guides.c.series == series)
        ).one()
        connection.execute(
            guides.insert().values(
                sha256=sha, file=_without_nul(guide.source.file), title=_without_nul(guide.title), series=series,
                edition=(top[0] or 0) + 1, pages=guide.source.pages, practice_count=len(guide.practices),
                schema_version=guide.schema_version, loaded_at=dt.datetime.now(dt.timezone.utc),
                edition_date=date, edition_version=_without_nul(version)[:200] if version else None,
                loaded_order=max(top[0] or 0, top[1] or 0) + 1, **described,
            )
        )
        return
    changes = {}
    if current["practice_count"] != len(guide.practices):  # the same PDF extracted again by newer code
        changes["practice_count"] = len(guide.practices)
    if date and current["edition_date"] != date:
        changes["edition_date"] = date
    if version and current["edition_version"] != _without_nul(version)[:200]:
        changes["edition_version"] = _without_nul(version)[:200]
    # a catalogue upgraded from before these columns has them null until this load
    changes.update({key: value for key, value in described.items() if current[key] != value})
    if changes:
        connection.execute(guides.update().where(guides.c.sha256 == sha).values(**changes))


def _published(guide: Guide) -> str | None:
    """The guide's own publication date, when it is one a key can be made of."""
    try:
        return parse_edition_date(guide.metadata.publication_date) if guide.metadata.publication_date else None
    except ValueError:
        return None


def edition_key(date: str | None, version: str | None, loaded_order: int | None, sha256: str) -> tuple:
    """Where an edition sits in its series: by date (a year before any month of it), then
    by the numbers in its version; editions with neither come after the dated ones, in
    the order they were loaded. Ties of date and version fall to the SHA-256, so the
    order never depends on the order of loading when the editions say when they are."""
    day = tuple(int(part) for part in date.split("-")) if date else None
    numbers = tuple(int(n) for n in re.findall(r"\d+", version or "")[:6]) or None
    placed = day is not None or numbers is not None
    return (day is None, day or (), numbers is None, numbers or (), 0 if placed else (loaded_order or 0), sha256)


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"guide-extract:{name}".encode()).digest()[:8], "big", signed=True)


def _lock_series(connection: Connection, series: str) -> None:
    """Two loads of one series at once would both see a practice as new; PostgreSQL
    serialises them on the series (SQLite's BEGIN IMMEDIATE already has)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)", {"key": _lock_key(f"series:{series}")})


def _without_nul(data):
    """PostgreSQL refuses NUL in text and jsonb; a PDF string may carry one. Replaced on
    every database alike, so a practice's content hash does not depend on where it is."""
    if isinstance(data, str):
        return data.replace("\x00", "\ufffd")
    if isinstance(data, list):
        return [_without_nul(v) for v in data]
    if isinstance(data, dict):
        return {_without_nul(k): _without_nul(v) for k, v in data.items()}
    return data


def _contents(guide: Guide) -> list[tuple[Practice, dict, str]]:
    contents = []
    for practice in guide.practices:
        text = canonical(practice.model_dump(mode="json"))
        if "\\u0000" in text:
            practice = Practice.model_validate(_without_nul(json.loads(text)))
            text = canonical(practice.model_dump(mode="json"))
        data = json.loads(text)
        contents.append((practice, data, hashlib.sha256(canonical(data).encode()).hexdigest()))
    return contents


def _load(connection: Connection, guide: Guide, edition_date: str | None = None) -> LoadCounts:
    """Record the guide and what it contains, then rebuild the series in edition order:
    the catalogue is a function of the set of editions loaded, not of the order they
    came in."""
    series = series_of(guide)
    _lock_series(connection, series)
    sha = guide.source.sha256
    before_latest = _latest(connection, series)
    before = {
        row.id: row
        for row in connection.execute(
            select(practices.c.id, practices.c.content_sha256, practices.c.withdrawn).where(practices.c.series == series)
        )
    }
    _register(connection, guide, series, edition_date)
    contents = _contents(guide)
    connection.execute(guide_practices.delete().where(guide_practices.c.guide_sha256 == sha))
    if contents:
        connection.execute(guide_practices.insert(), [
            {"guide_sha256": sha, "series": series, "practice_id": p.id, "content_sha256": content} for p, _, content in contents
        ])
    for practice, data, content in contents:
        if practice.id not in before:  # a first row, so that its versions have a practice
            connection.execute(practices.insert().values(
                series=series, id=practice.id, first_guide=sha, last_guide=sha, withdrawn=False, withdrawn_in=None,
                **_columns(practice, data, content),
            ))
            _values(connection, series, practice)
        _version(connection, series, practice.id, content, sha, data)
    order = _rebuild(connection, series)
    latest = order[-1]
    row = connection.execute(select(guides.c.edition_date, guides.c.edition_version).where(guides.c.sha256 == sha)).one()
    undated = len(order) > 1 and edition_key(row.edition_date, row.edition_version, 0, sha)[0:3:2] == (True, True)
    if latest != sha:
        return LoadCounts(series, unchanged=len(contents), older=True, undated=undated,
                          latest_moved=before_latest not in (None, latest))
    after = {
        row.id: row
        for row in connection.execute(
            select(practices.c.id, practices.c.content_sha256, practices.c.withdrawn).where(practices.c.series == series)
        )
    }
    added = changed = unchanged = 0
    for practice, _, _ in contents:
        old = before.get(practice.id)
        if old is None or old.withdrawn:
            added += 1  # new, or back in this edition after being withdrawn
        elif old.content_sha256 != after[practice.id].content_sha256:
            changed += 1
        else:
            unchanged += 1
    withdrawn = sum(1 for pid, old in before.items() if not old.withdrawn and after[pid].withdrawn)
    return LoadCounts(series, added, changed, unchanged, withdrawn, undated=undated,
                      became_latest=before_latest not in (None, sha))


def _latest(connection: Connection, series: str) -> str | None:
    return connection.execute(
        select(guides.c.sha256).where(guides.c.series == series).order_by(guides.c.edition.desc()).limit(1)
    ).scalar()


def _rebuild(connection: Connection, series: str) -> list[str]:
    """Replay the series' editions in edition order and make the tables say what that
    replay says: edition numbers, each practice's first and last edition, withdrawal,
    current content and values, and the numbering of its versions. Only rows that differ
    are written, so a reload writes nothing. Returns the editions in order."""
    rows = connection.execute(
        select(guides.c.sha256, guides.c.edition, guides.c.edition_date, guides.c.edition_version, guides.c.loaded_order)
        .where(guides.c.series == series)
    ).all()
    ordered = sorted(rows, key=lambda r: edition_key(r.edition_date, r.edition_version, r.loaded_order, r.sha256))
    order = [r.sha256 for r in ordered]
    if [r.edition for r in ordered] != list(range(1, len(order) + 1)):
        for r in ordered:  # two steps: (series, edition) is unique at every statement
            connection.execute(guides.update().where(guides.c.sha256 == r.sha256).values(edition=-r.edition))
        for number, r in enumerate(ordered, 1):
            connection.execute(guides.update().where(guides.c.sha256 == r.sha256).values(edition=number))
    position = {sha: i for i, sha in enumerate(order)}
    members = connection.execute(
        select(guide_practices.c.guide_sha256, guide_practices.c.practice_id, guide_practices.c.content_sha256)
        .where(guide_practices.c.series == series)
    ).all()
    members.sort(key=lambda m: (position[m.guide_sha256], m.practice_id))
    first: dict[str, str] = {}
    last: dict[str, tuple[str, str]] = {}
    seen: dict[str, list[tuple[str, str]]] = {}  # practice -> [(content, earliest edition)] in order
    for m in members:
        first.setdefault(m.practice_id, m.guide_sha256)
        last[m.practice_id] = (m.guide_sha256, m.content_sha256)
        contents = seen.setdefault(m.practice_id, [])
        if all(content != m.content_sha256 for content, _ in contents):
            contents.append((m.content_sha256, m.guide_sha256))
    current = {
        r.id: r
        for r in connection.execute(
            select(practices.c.id, practices.c.content_sha256, practices.c.first_guide, practices.c.last_guide,
                   practices.c.withdrawn, practices.c.withdrawn_in).where(practices.c.series == series)
        )
    }
    for practice_id, (last_guide, content) in last.items():
        at = position[last_guide]
        withdrawn_in = order[at + 1] if at + 1 < len(order) else None
        flags = {"first_guide": first[practice_id], "last_guide": last_guide,
                 "withdrawn": withdrawn_in is not None, "withdrawn_in": withdrawn_in}
        row = current[practice_id]
        where = and_(practices.c.series == series, practices.c.id == practice_id)
        if row.content_sha256 != content:
            data = _stored(connection, series, practice_id, content)
            practice = Practice.model_validate(data)
            connection.execute(practices.update().where(where).values(**flags, **_columns(practice, data, content)))
            _values(connection, series, practice)
        elif any(getattr(row, key) != value for key, value in flags.items()):
            connection.execute(practices.update().where(where).values(**flags))
        _renumber(connection, series, practice_id, seen[practice_id])
    return order


def _stored(connection: Connection, series: str, practice_id: str, content: str) -> dict:
    data = connection.execute(
        select(practice_versions.c.data).where(
            practice_versions.c.series == series, practice_versions.c.practice_id == practice_id,
            practice_versions.c.content_sha256 == content,
        )
    ).scalar_one()
    return json.loads(data) if isinstance(data, str) else data


def _renumber(connection: Connection, series: str, practice_id: str, wanted: list[tuple[str, str]]) -> None:
    """Versions 1, 2, ... in the order the editions first have each content, each naming
    the earliest edition with it; contents no edition has any more (the same PDF once
    extracted differently) keep their place after those."""
    where = and_(practice_versions.c.series == series, practice_versions.c.practice_id == practice_id)
    rows = connection.execute(
        select(practice_versions.c.version, practice_versions.c.content_sha256, practice_versions.c.guide_sha256)
        .where(where).order_by(practice_versions.c.version)
    ).all()
    placed = {content for content, _ in wanted}
    target = [*wanted, *((r.content_sha256, r.guide_sha256) for r in rows if r.content_sha256 not in placed)]
    if [(r.content_sha256, r.guide_sha256) for r in rows] == target:
        return
    connection.execute(practice_versions.update().where(where).values(version=-practice_versions.c.version))
    for number, (content, guide_sha) in enumerate(target, 1):
        connection.execute(
            practice_versions.update().where(where, practice_versions.c.content_sha256 == content)
            .values(version=number, guide_sha256=guide_sha)
        )


def load_guide(engine: Engine, guide: Guide, edition_date: str | None = None) -> LoadCounts:
    """Load one guide in one transaction: all of it, or (on any error) none of it.
    `edition_date` (YYYY, YYYY-MM or YYYY-MM-DD) places the edition in its series when the
    guide does not say when it was published."""
    try:
        with engine.begin() as connection:
            return _load(connection, guide, edition_date)
    except SQLAlchemyError as error:
        raise DatabaseError(
            f"the load into {engine.url.render_as_string(hide_password=True)} failed and was rolled back "
            f"({_one_line(error)})"
        ) from None
