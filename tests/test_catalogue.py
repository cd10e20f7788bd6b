"""The catalogue on real databases: SQLite files and a PostgreSQL server the tests start
themselves. Editions, history, reloads, a load that fails half-way, bad input, and the
README's example queries."""

import copy
import hashlib
import json
import os
import re
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, inspect, text

from conftest import GUIDE_PDF, ROOT
from postgres_server import Server, binaries

SAMPLE = ROOT / "output" / "smarty-good-practice-guide" / "guide.json"
SERIES = "smarty-interreg-good-practice-guide"
TABLES = ["guides", "practices", "practice_versions", "budgets", "metrics"]


@pytest.fixture(scope="session")
def postgres():
    bin_dir = binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not found (scripts/test installs Debian's postgresql when root)")
    server = Server(bin_dir).start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """An empty catalogue URL on each kind of database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalogue.sqlite'}"
    server = request.getfixturevalue("postgres")
    name = "t_" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:12]
    return server.create_database(name)


def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def second_edition() -> dict:
    """The sample as its next edition: one practice's budget changed, two practices
    dropped, one added; same title, another file."""
    data = sample()
    data["source"] = {**data["source"], "file": "smarty-good-practice-guide-2.pdf",
                      "sha256": hashlib.sha256(b"second edition").hexdigest()}
    by_id = {p["id"]: p for p in data["practices"]}
    changed = by_id["access-innovation"]
    changed["budgets"][0].update(raw="£7,100,000.00", amount=7100000.0)
    data["practices"] = [p for p in data["practices"] if p["id"] not in ("iot-catalan-alliance", "skills-for-growth")]
    added = copy.deepcopy(by_id["future-industry-platform"])
    added.update(id="regional-data-spaces", title="Regional data spaces", number=len(data["practices"]) + 1)
    added["metrics"] = [{"raw": "40 SMEs joined", "value": 40.0, "unit": "SMEs"}]
    data["practices"].append(added)
    return data


def write(folder, data):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "guide.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def load(url, *paths, cwd=ROOT, env=None):
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", "load", *map(str, paths), *(["--db", url] if url else [])],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=300,
    )


def snapshot(url) -> dict:
    """Every row of every catalogue table, in key order (loaded_at included)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            out = {}
            for table in TABLES:
                keys = [c["name"] for c in inspect(connection).get_columns(table)]
                rows = connection.execute(text(f"SELECT * FROM {table} ORDER BY {', '.join(keys[:3])}")).mappings()
                out[table] = [dict(r) for r in rows]
            return out
    finally:
        engine.dispose()


def query(url, sql):
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql))]
    finally:
        engine.dispose()


def counts_line(path, added, changed, unchanged, withdrawn, note=""):
    return f"{path}: {added} added, {changed} changed, {unchanged} unchanged, {withdrawn} withdrawn (series {SERIES}{note})\n"


def test_editions_keep_history_and_reloads_change_nothing(db, tmp_path):
    first = SAMPLE.parent
    second = write(tmp_path / "edition-2", second_edition())

    done = load(db, first)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", counts_line(first / "guide.json", 26, 0, 0, 0))
    before = snapshot(db)
    again = load(db, first)
    assert (again.returncode, again.stdout) == (0, counts_line(first / "guide.json", 0, 0, 26, 0))
    assert snapshot(db) == before

    done = load(db, second)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", counts_line(second / "guide.json", 1, 1, 23, 2))
    assert query(db, "SELECT COUNT(*) FROM practices") == [(27,)]
    assert query(db, "SELECT id, withdrawn_in FROM practices WHERE withdrawn ORDER BY id") == [
        ("iot-catalan-alliance", second_edition()["source"]["sha256"]),
        ("skills-for-growth", second_edition()["source"]["sha256"]),
    ]
    # the withdrawn practices keep their content and values
    assert query(db, "SELECT raw, amount FROM budgets WHERE practice_id = 'iot-catalan-alliance'") == [("60K €", 60000.0)]
    # the catalogue row shows the latest version; every version is kept
    assert query(db, "SELECT raw, amount, currency FROM budgets WHERE practice_id = 'access-innovation'") == [
        ("£7,100,000.00", 7100000.0, "GBP")
    ]
    history = query(db, "SELECT v.version, g.file, v.data FROM practice_versions v JOIN guides g ON g.sha256 = v.guide_sha256 "
                        "WHERE v.practice_id = 'access-innovation' ORDER BY v.version")
    assert [(v, f) for v, f, _ in history] == [(1, "smarty-good-practice-guide.pdf"), (2, "smarty-good-practice-guide-2.pdf")]
    data = [json.loads(d) if isinstance(d, str) else d for _, _, d in history]
    assert [d["budgets"][0]["amount"] for d in data] == [7057734.0, 7100000.0]
    assert query(db, "SELECT COUNT(*) FROM practice_versions") == [(28,)]
    if db.startswith("sqlite"):  # `data` is the canonical JSON its hash was taken of
        stored = query(db, "SELECT data, content_sha256 FROM practices")
        assert [hashlib.sha256(d.encode()).hexdigest() for d, _ in stored] == [c for _, c in stored]
    assert query(db, "SELECT first_guide, last_guide FROM practices WHERE id = 'regional-data-spaces'") == [
        (second_edition()["source"]["sha256"],) * 2
    ]
    assert query(db, "SELECT sha256, edition, practice_count FROM guides ORDER BY edition") == [
        (sample()["source"]["sha256"], 1, 26), (second_edition()["source"]["sha256"], 2, 25)
    ]

    # the second edition again, then the first again: nothing changes
    latest = snapshot(db)
    assert load(db, second).stdout == counts_line(second / "guide.json", 0, 0, 25, 0)
    done = load(db, first)
    assert done.stdout == counts_line(
        first / "guide.json", 0, 0, 26, 0, "; an earlier edition than the catalogue's latest, kept as history"
    )
    assert snapshot(db) == latest

    # a withdrawn practice that comes back is no longer withdrawn
    third = second_edition()
    third["source"]["sha256"] = hashlib.sha256(b"third edition").hexdigest()
    third["practices"].append(next(p for p in sample()["practices"] if p["id"] == "skills-for-growth"))
    done = load(db, write(tmp_path / "edition-3", third))
    assert done.stdout == counts_line(tmp_path / "edition-3" / "guide.json", 1, 0, 25, 0)
    assert query(db, "SELECT id FROM practices WHERE withdrawn") == [("iot-catalan-alliance",)]


def _failing_trigger(url: str, practice_id: str) -> None:
    """A real trigger that refuses the first version of one practice, so the load fails
    after it has already changed, withdrawn and added rows of the same guide."""
    engine = create_engine(url)
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql(
                f"CREATE TRIGGER refuse BEFORE INSERT ON practice_versions WHEN NEW.practice_id = '{practice_id}' "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"
            )
        else:
            connection.exec_driver_sql(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"IF NEW.practice_id = '{practice_id}' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF; "
                "RETURN NEW; END $$"
            )
            connection.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE INSERT ON practice_versions FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
    engine.dispose()


def test_a_load_that_fails_half_way_leaves_the_catalogue_as_it_was(db, tmp_path):
    assert load(db, SAMPLE).returncode == 0
    before = snapshot(db)
    _failing_trigger(db, "regional-data-spaces")  # the last practice of the second edition
    edition = write(tmp_path / "edition-2", second_edition())
    done = load(db, edition)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"guide-extract: error: {edition / 'guide.json'}: the load into ")
    assert "failed and was rolled back" in done.stderr and "refused by the test trigger" in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert snapshot(db) == before


def test_migrations_create_exactly_the_schema_and_rerun_as_a_no_op(db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from pipeline.outputs.catalogue import open_catalogue
    from pipeline.outputs.catalogue.schema import metadata

    engine = open_catalogue(db)
    open_catalogue(db)  # an up-to-date catalogue is left as it is
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [("0001",)]


def readme_queries() -> dict[str, str]:
    """The SQL blocks of the README's Catalogue section, by the heading line above each."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Catalogue", 1)[1].split("\n## ", 1)[0]
    return {m.group(1).strip(): m.group(2) for m in re.finditer(r"\n([^\n]+):\n\n```sql\n(.*?)```", section, re.S)}


def test_readme_example_queries(db, tmp_path):
    queries = readme_queries()
    assert list(queries) == [
        "Total budget by country (amounts of current practices, per currency)",
        "Practices withdrawn in the latest edition of each guide",
        "The history of one practice's first budget amount",
    ]
    assert load(db, SAMPLE, write(tmp_path / "edition-2", second_edition())).returncode == 0
    by_country, withdrawn, history = queries.values()
    assert [(c, cur, round(t, 2), n) for c, cur, t, n in query(db, by_country)] == [
        ("ES", "EUR", 26800000.0, 3),
        ("FI", "EUR", 2000000.0, 1),
        ("GB", "GBP", 153259000.0, 4),
        ("IT", "EUR", 149604000.0, 4),
        ("SI", "EUR", 14357732.5, 4),
    ]
    assert query(db, withdrawn) == [
        (SERIES, "iot-catalan-alliance", "IoT Catalan Alliance"),
        (SERIES, "skills-for-growth", "Skills for Growth"),
    ]
    assert [(v, f, float(a)) for v, f, a in query(db, history)] == [
        (1, "smarty-good-practice-guide.pdf", 7057734.0),
        (2, "smarty-good-practice-guide-2.pdf", 7100000.0),
    ]


def test_two_guides_never_share_a_practice_row(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    other = sample()
    other.update(title="Another Programme's Guide")
    other["source"] = {**other["source"], "file": "other.pdf", "sha256": hashlib.sha256(b"other").hexdigest()}
    other["practices"] = other["practices"][:3]
    done = load(url, SAMPLE, write(tmp_path / "other", other))
    assert done.returncode == 0
    assert done.stdout.splitlines()[1] == (
        f"{tmp_path / 'other' / 'guide.json'}: 3 added, 0 changed, 0 unchanged, 0 withdrawn (series another-programme-s-guide)"
    )
    assert query(url, "SELECT series, COUNT(*) FROM practices GROUP BY series ORDER BY series") == [
        ("another-programme-s-guide", 3), (SERIES, 26)
    ]


def test_default_database_and_environment(tmp_path):
    env = {**os.environ}
    env.pop("GUIDE_EXTRACT_DB", None)
    done = load(None, SAMPLE, cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert query(f"sqlite:///{tmp_path / 'output' / 'catalogue.sqlite'}", "SELECT COUNT(*) FROM practices") == [(26,)]
    elsewhere = tmp_path / "env.sqlite"
    done = load(None, SAMPLE, cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT), "GUIDE_EXTRACT_DB": f"sqlite:///{elsewhere}"})
    assert done.returncode == 0, done.stderr
    assert query(f"sqlite:///{elsewhere}", "SELECT COUNT(*) FROM guides") == [(1,)]


def test_bad_input_is_one_line_and_writes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'db' / 'c.sqlite'}"
    old = sample()
    old["schema_version"] = "0.9"
    cases = [
        (tmp_path / "nowhere", 2, "no such file or folder"),
        (ROOT / "raw", 2, "not a result (no guide.json in it or in its sub-folders)"),
        (GUIDE_PDF, 2, "not a result (cannot read JSON: UnicodeDecodeError)"),
        (write(tmp_path / "old", old), 2,
         "a result of contract version '0.9', this tool loads version 1.0; extract the PDF again with guide-extract run"),
    ]
    for path, code, reason in cases:
        done = load(url, SAMPLE, path)  # a good input before the bad one is not loaded either
        assert (done.returncode, done.stdout) == (code, "")
        shown = path / "guide.json" if path.name == "old" else path
        assert done.stderr == f"guide-extract: error: {shown}: {reason}\n"
    assert not (tmp_path / "db").exists()

    unreachable = f"postgresql+psycopg://nobody@/nodb?host={tmp_path / 'no-server'}&port=5432"
    done = load(unreachable, SAMPLE)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith(f"guide-extract: error: {unreachable}: cannot use the database (")
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr

    done = load("not a url", SAMPLE)
    assert (done.returncode, done.stderr) == (
        2, "guide-extract: error: 'not a url' is not a database URL (sqlite:///FILE or postgresql+psycopg://USER@HOST/DB)\n"
    )


def test_run_with_db_extracts_and_loads_in_one_flow(prefect_harness, postgres, tmp_path):
    from flows.guide_flow import extract_guides

    url = postgres.create_database("run_flow")
    [outcome] = extract_guides([GUIDE_PDF], tmp_path / "out", db=url)
    assert (outcome.status, outcome.practices) == ("ok", 26)
    assert outcome.loaded == f"26 added, 0 changed, 0 unchanged, 0 withdrawn (series {SERIES})"
    written = json.loads((tmp_path / "out" / "smarty-good-practice-guide" / "guide.json").read_text(encoding="utf-8"))
    assert written == sample()
    assert query(url, "SELECT sha256, file, pages, practice_count FROM guides") == [
        (sample()["source"]["sha256"], "smarty-good-practice-guide.pdf", 37, 26)
    ]
    # the catalogue holds what the committed result says
    assert load(url, SAMPLE).stdout == counts_line(SAMPLE, 0, 0, 26, 0)


def test_run_with_an_unreachable_db_fails_before_extracting(tmp_path):
    url = f"postgresql+psycopg://nobody@/nodb?host={tmp_path / 'no-server'}&port=5432"
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", str(GUIDE_PDF), "--out", str(tmp_path / "out"), "--db", url],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith(f"guide-extract: error: {url}: cannot use the database (")
    assert done.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_hostile_strings_load_as_plain_text(db, tmp_path):
    """Quotes and SQL in a practice are data (bound parameters); a NUL, which PostgreSQL
    refuses in text, becomes U+FFFD on every database alike."""
    data = sample()
    data["title"] = "SMARTY Interreg Good Practice Guide\x00"
    practice = data["practices"][1]
    practice["title"] = "Access'); DROP TABLE practices; -- \x00 Innovation"
    practice["institution"] = "=HYPERLINK(\"http://evil.example\")"
    practice["budgets"][0]["raw"] = "£7,057,734.00\x00'"
    done = load(db, write(tmp_path / "hostile", data))
    assert (done.returncode, done.stderr) == (0, "")
    assert query(db, "SELECT title, institution FROM practices WHERE id = 'access-innovation'") == [
        ("Access'); DROP TABLE practices; -- \ufffd Innovation", "=HYPERLINK(\"http://evil.example\")")
    ]
    assert query(db, "SELECT raw FROM budgets WHERE practice_id = 'access-innovation'") == [("£7,057,734.00\ufffd'",)]
    assert query(db, "SELECT title FROM guides") == [("SMARTY Interreg Good Practice Guide\ufffd",)]
    assert query(db, "SELECT COUNT(*) FROM practices") == [(26,)]
    again = load(db, tmp_path / "hostile")
    assert again.stdout.endswith(": 0 added, 0 changed, 26 unchanged, 0 withdrawn (series smarty-interreg-good-practice-guide)\n")


def test_two_loads_at_once_on_a_new_postgresql_catalogue(postgres):
    url = postgres.create_database("concurrent")
    command = [sys.executable, "-m", "flows.cli", "load", str(SAMPLE), "--db", url]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sorted(out for out, _ in outputs) == sorted([counts_line(SAMPLE, 26, 0, 0, 0), counts_line(SAMPLE, 0, 0, 26, 0)])
    assert query(url, "SELECT COUNT(*) FROM practice_versions") == [(26,)]


def test_a_catalogue_from_a_newer_version_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    assert load(url, SAMPLE).returncode == 0
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    engine.dispose()
    before = snapshot(url)
    done = load(url, SAMPLE)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"guide-extract: error: {url}: the catalogue was made by a newer guide-extract "
        "(Can't locate revision identified by '0099'); upgrade guide-extract\n"
    )
    assert snapshot(url) == before
