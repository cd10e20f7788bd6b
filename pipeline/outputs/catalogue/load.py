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
from pipeline.outputs.catalogue.schema import budgets, guides, metrics, practice_versions, practices
from schemas import SCHEMA_VERSION, Guide, Practice

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

    def line(self) -> str:
        text = f"{self.added} added, {self.changed} changed, {self.unchanged} unchanged, {self.withdrawn} withdrawn"
        note = "; an earlier edition than the catalogue's latest, kept as history" if self.older else ""
        return f"{text} (series {self.series}{note})"


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
        "content_sha256": content,
        "data": data,
    }


def _values(connection: Connection, series: str, practice: Practice) -> None:
    """The budgets and metrics rows of a practice's current version."""
    key = {"series": series, "practice_id": practice.id}
    connection.execute(budgets.delete().where(budgets.c.series == series, budgets.c.practice_id == practice.id))
    connection.execute(metrics.delete().where(metrics.c.series == series, metrics.c.practice_id == practice.id))
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


def _guide_row(connection: Connection, guide: Guide, series: str) -> tuple[int, int]:
    """This guide's edition number and the series' latest, registering the guide if new."""
    row = connection.execute(select(guides.c.edition).where(guides.c.sha256 == guide.source.sha256)).first()
    latest = connection.execute(select(func.max(guides.c.edition)).where(guides.c.series == series)).scalar() or 0
    if row is None:
        connection.execute(
            guides.insert().values(
                sha256=guide.source.sha256, file=_without_nul(guide.source.file), title=_without_nul(guide.title), series=series,
                edition=latest + 1, pages=guide.source.pages, practice_count=len(guide.practices),
                schema_version=guide.schema_version, loaded_at=dt.datetime.now(dt.timezone.utc),
            )
        )
        return latest + 1, latest + 1
    current = connection.execute(select(guides).where(guides.c.sha256 == guide.source.sha256)).mappings().one()
    if current["practice_count"] != len(guide.practices):  # the same PDF extracted again by newer code
        connection.execute(
            guides.update().where(guides.c.sha256 == guide.source.sha256).values(practice_count=len(guide.practices))
        )
    return row.edition, latest


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


def _load(connection: Connection, guide: Guide) -> LoadCounts:
    series = series_of(guide)
    _lock_series(connection, series)
    sha = guide.source.sha256
    edition, latest = _guide_row(connection, guide, series)
    contents = []
    for practice in guide.practices:
        text = canonical(practice.model_dump(mode="json"))
        if "\\u0000" in text:
            practice = Practice.model_validate(_without_nul(json.loads(text)))
            text = canonical(practice.model_dump(mode="json"))
        data = json.loads(text)
        contents.append((practice, data, hashlib.sha256(canonical(data).encode()).hexdigest()))
    if edition < latest:
        # an earlier edition loaded after a later one: its contents become history only
        for practice, data, content in contents:
            exists = connection.execute(
                select(practices.c.id).where(practices.c.series == series, practices.c.id == practice.id)
            ).first()
            if exists:
                _version(connection, series, practice.id, content, sha, data)
        return LoadCounts(series, unchanged=len(contents), older=True)

    existing = {
        row.id: row
        for row in connection.execute(
            select(practices.c.id, practices.c.content_sha256, practices.c.withdrawn, practices.c.last_guide).where(
                practices.c.series == series
            )
        )
    }
    added = changed = unchanged = withdrawn = 0
    for practice, data, content in contents:
        old = existing.get(practice.id)
        columns = _columns(practice, data, content)
        if old is None:
            connection.execute(
                practices.insert().values(
                    series=series, id=practice.id, first_guide=sha, last_guide=sha, withdrawn=False, withdrawn_in=None, **columns
                )
            )
            _version(connection, series, practice.id, content, sha, data)
            _values(connection, series, practice)
            added += 1
            continue
        where = and_(practices.c.series == series, practices.c.id == practice.id)
        if old.content_sha256 != content:
            connection.execute(practices.update().where(where).values(last_guide=sha, withdrawn=False, withdrawn_in=None, **columns))
            _version(connection, series, practice.id, content, sha, data)
            _values(connection, series, practice)
        elif old.withdrawn or old.last_guide != sha:
            connection.execute(practices.update().where(where).values(last_guide=sha, withdrawn=False, withdrawn_in=None))
        if old.withdrawn:
            added += 1  # back in this edition after being withdrawn
        elif old.content_sha256 != content:
            changed += 1
        else:
            unchanged += 1
    present = {p.id for p in guide.practices}
    for practice_id, old in existing.items():
        if practice_id not in present and not old.withdrawn:
            connection.execute(
                practices.update()
                .where(practices.c.series == series, practices.c.id == practice_id)
                .values(withdrawn=True, withdrawn_in=sha)
            )
            withdrawn += 1
    return LoadCounts(series, added, changed, unchanged, withdrawn)


def load_guide(engine: Engine, guide: Guide) -> LoadCounts:
    """Load one guide in one transaction: all of it, or (on any error) none of it."""
    try:
        with engine.begin() as connection:
            return _load(connection, guide)
    except SQLAlchemyError as error:
        raise DatabaseError(
            f"the load into {engine.url.render_as_string(hide_password=True)} failed and was rolled back "
            f"({_one_line(error)})"
        ) from None
