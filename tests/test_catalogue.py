"""The catalogue on real databases: SQLite files and a PostgreSQL server the tests start
themselves. Editions, history, reloads, a load that fails half-way, bad input, and the
example queries of docs/catalogue-guide.md."""

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
TABLES = ["guides", "practices", "practice_versions", "budgets", "metrics", "guide_practices", "practice_countries"]
HEAD = "0004"  # the newest migration


@pytest.fixture(scope="session")
def postgres():
    bin_dir = binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not found (scripts/test installs Debian's postgresql when root)")
    server = Server(bin_dir).start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])  # a PostgreSQL server is slow
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


def undated(data: dict) -> dict:
    """The edition with no date or version of its own (the committed sample's PDF states
    when it was made): such editions are placed in load order."""
    data["metadata"] = {**data.get("metadata", {}), "publication_date": None, "version": None}
    return data


def write(folder, data):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "guide.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def load(url, *paths, cwd=ROOT, env=None):
    """`guide-extract load PATH... [--db URL]`; options may be among the paths."""
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


OLDER = "; an earlier edition than the catalogue's latest, kept as history"
LATEST = "; now the series' latest edition"
UNDATED = "; no edition date or version: placed by load order (give --edition-date)"


def counts_line(path, added, changed, unchanged, withdrawn, note=""):
    return f"{path}: {added} added, {changed} changed, {unchanged} unchanged, {withdrawn} withdrawn (series {SERIES}{note})\n"



def downgraded(db: str, revision: str):
    """The catalogue at `db` taken back to an older revision by its own migrations (as a
    catalogue made by an older version); the engine, to look at it and dispose of."""
    from alembic import command
    from alembic.config import Config

    from pipeline.outputs.catalogue.load import MIGRATIONS

    engine = create_engine(db)  # without the loader's foreign-key pragma: SQLite rebuilds `guides`
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    return engine

def test_editions_keep_history_and_reloads_change_nothing(db, tmp_path):
    first = write(tmp_path / "edition-1", undated(sample()))
    second = write(tmp_path / "edition-2", undated(second_edition()))

    done = load(db, first)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", counts_line(first / "guide.json", 26, 0, 0, 0))
    before = snapshot(db)
    again = load(db, first)
    assert (again.returncode, again.stdout) == (0, counts_line(first / "guide.json", 0, 0, 26, 0))
    assert snapshot(db) == before

    done = load(db, second)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", counts_line(second / "guide.json", 1, 1, 23, 2, LATEST + UNDATED))
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
    assert load(db, second).stdout == counts_line(second / "guide.json", 0, 0, 25, 0, UNDATED)
    done = load(db, first)
    assert done.stdout == counts_line(first / "guide.json", 0, 0, 26, 0, OLDER + UNDATED)
    assert snapshot(db) == latest

    # a withdrawn practice that comes back is no longer withdrawn
    third = undated(second_edition())
    third["source"]["sha256"] = hashlib.sha256(b"third edition").hexdigest()
    third["practices"].append(next(p for p in sample()["practices"] if p["id"] == "skills-for-growth"))
    done = load(db, write(tmp_path / "edition-3", third))
    assert done.stdout == counts_line(tmp_path / "edition-3" / "guide.json", 1, 0, 25, 0, LATEST + UNDATED)
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
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [(HEAD,)]


def readme_queries() -> dict[str, str]:
    """The SQL blocks of docs/catalogue-guide.md, by the line above each."""
    text = (ROOT / "docs" / "catalogue-guide.md").read_text(encoding="utf-8")
    return {m.group(1).strip(): m.group(2) for m in re.finditer(r"\n([^\n]+):\n\n```sql\n(.*?)```", text, re.S)}


def with_totals(data: dict) -> dict:
    """The result as extraction now writes it: each practice's `budget_total` counted from
    its budgets (the committed sample predates the field until it is regenerated)."""
    from pipeline.values.totals import budget_total

    for practice in data["practices"]:
        practice["budget_total"] = budget_total(practice["budgets"])
    return data


def test_readme_example_queries(db, tmp_path):
    queries = readme_queries()
    assert list(queries) == [
        "Total budget by theme (each current practice counted once, per currency)",
        "Practices withdrawn in the latest edition of each guide",
        "The history of one practice's first budget amount",
        "Practices in a country, including those that name several (here Portugal)",
        "Who wrote each edition of a guide, and under which licence",
    ]
    editions = [with_totals(sample()), with_totals(second_edition())]
    for data in editions:  # two practices in Portugal among other countries; the second is withdrawn by edition 2
        located(data, "centr-tec-programme-2nd-edition", "Spain, Portugal and France", ["ES", "PT", "FR"])
        if any(p["id"] == "iot-catalan-alliance" for p in data["practices"]):
            located(data, "iot-catalan-alliance", "Spain and Portugal", ["ES", "PT"])
    editions[0]["metadata"] = copy.deepcopy(METADATA)
    editions[1]["metadata"] = {**METADATA, "authors": ["Jan Nowak"], "licence": None, "publication_date": "2023-11-30"}
    first, second = write(tmp_path / "edition-1", editions[0]), write(tmp_path / "edition-2", editions[1])
    assert load(db, first, "--edition-date", "2021").returncode == 0
    assert load(db, second, "--edition-date", "2023").returncode == 0
    by_theme, withdrawn, history, in_portugal, authors = queries.values()
    themes = {t["number"]: t["title"] for t in sample()["themes"]}
    # one total per practice: '73,46 million euro: 65% (47,5 million) ...; 35% (25,5 million)
    # ... per project of 200k Euro' counts 73,460,000 once, not 146,660,000
    assert [(n, t, cur, round(total, 2), k) for n, t, cur, total, k in query(db, by_theme)] == [
        (1, themes[1], "EUR", 19197732.5, 3),
        (1, themes[1], "GBP", 7100000.0, 1),
        (2, themes[2], "EUR", 83860000.0, 4),
        (2, themes[2], "GBP", 146130000.0, 2),
        (3, themes[3], "EUR", 770000.0, 1),
        (4, themes[4], "EUR", 13384000.0, 3),
    ]
    assert query(db, withdrawn) == [
        (SERIES, "iot-catalan-alliance", "IoT Catalan Alliance"),
        (SERIES, "skills-for-growth", "Skills for Growth"),
    ]
    assert [(v, f, float(a)) for v, f, a in query(db, history)] == [
        (1, "smarty-good-practice-guide.pdf", 7057734.0),
        (2, "smarty-good-practice-guide-2.pdf", 7100000.0),
    ]
    assert query(db, "SELECT id, budget_total, budget_total_currency FROM practices WHERE id IN "
                     "('incentives-for-the-creation-of-highly-specialised-competence', 'digital-apprenticeships-in-england') ORDER BY id") == [
        ("digital-apprenticeships-in-england", None, None),
        ("incentives-for-the-creation-of-highly-specialised-competence", 73460000.0, "EUR"),
    ]
    assert query(db, in_portugal) == [(SERIES, "centr-tec-programme-2nd-edition", "Centr@tec Programme 2nd edition", "ES")]
    assert query(db, authors) == [
        (1, "smarty-good-practice-guide.pdf", "SMARTY project - Interreg Europe; Ana Pérez", "CC BY 4.0", "2023-06-27"),
        (2, "smarty-good-practice-guide-2.pdf", "Jan Nowak", None, "2023-11-30"),
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


@pytest.mark.slow  # Prefect or PostgreSQL
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


@pytest.mark.slow  # Prefect
def test_run_with_db_stores_the_edition_date(prefect_harness, tmp_path):
    from flows.guide_flow import extract_guides

    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    [outcome] = extract_guides([GUIDE_PDF], tmp_path / "out", db=url, edition_date="2021-06")
    assert outcome.loaded == f"26 added, 0 changed, 0 unchanged, 0 withdrawn (series {SERIES})"
    assert query(url, "SELECT file, edition, edition_date, loaded_order FROM guides") == [
        ("smarty-good-practice-guide.pdf", 1, "2021-06", 1)
    ]


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
    data["metadata"].update(authors=["Ana\x00'; DROP TABLE guides; --", "B"], licence="CC\x00 BY")
    done = load(db, write(tmp_path / "hostile", data))
    assert (done.returncode, done.stderr) == (0, "")
    assert query(db, "SELECT title, institution FROM practices WHERE id = 'access-innovation'") == [
        ("Access'); DROP TABLE practices; -- \ufffd Innovation", "=HYPERLINK(\"http://evil.example\")")
    ]
    assert query(db, "SELECT raw FROM budgets WHERE practice_id = 'access-innovation'") == [("£7,057,734.00\ufffd'",)]
    assert query(db, "SELECT title FROM guides") == [("SMARTY Interreg Good Practice Guide\ufffd",)]
    assert query(db, "SELECT authors, licence FROM guides") == [("Ana\ufffd'; DROP TABLE guides; --; B", "CC\ufffd BY")]
    assert query(db, "SELECT COUNT(*) FROM practices") == [(26,)]
    again = load(db, tmp_path / "hostile")
    assert again.stdout.endswith(": 0 added, 0 changed, 26 unchanged, 0 withdrawn (series smarty-interreg-good-practice-guide)\n")


@pytest.mark.slow  # Prefect or PostgreSQL
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


# ---------------------------------------------------------------- edition order


def third_edition() -> dict:
    """After the second: a changed budget again, a withdrawn practice back, one dropped."""
    data = second_edition()
    data["source"] = {**data["source"], "file": "smarty-good-practice-guide-3.pdf",
                      "sha256": hashlib.sha256(b"third edition").hexdigest()}
    by_id = {p["id"]: p for p in data["practices"]}
    by_id["access-innovation"]["budgets"][0].update(raw="£7,200,000.00", amount=7200000.0)
    data["practices"] = [p for p in data["practices"] if p["id"] != "regional-data-spaces"]
    data["practices"].append(next(p for p in sample()["practices"] if p["id"] == "skills-for-growth"))
    return data


def facts(url) -> dict:
    """Every table without what records the act of loading (when, in which order)."""
    out = snapshot(url)
    out["guides"] = [{k: v for k, v in row.items() if k not in ("loaded_at", "loaded_order")} for row in out["guides"]]
    for table in out.values():
        for row in table:
            if isinstance(row.get("data"), str):
                row["data"] = json.loads(row["data"])
    return out


DATES = {"first": "2021-06", "second": "2023", "third": "2024-02-29"}


def test_loading_editions_in_either_order_gives_the_same_catalogue(db, tmp_path):
    """Newer then older used to make the older one 'latest' and withdraw nothing."""
    first, second = SAMPLE.parent, write(tmp_path / "edition-2", second_edition())
    done = [load(db, first, "--edition-date", DATES["first"]), load(db, second, "--edition-date", DATES["second"])]
    assert [d.stdout for d in done] == [
        counts_line(first / "guide.json", 26, 0, 0, 0), counts_line(second / "guide.json", 1, 1, 23, 2, LATEST)
    ]
    in_order = facts(db)

    other = db.replace("catalogue.sqlite", "reversed.sqlite") if db.startswith("sqlite") else db_for(db, "reversed")
    done = [load(other, second, "--edition-date", DATES["second"]), load(other, first, "--edition-date", DATES["first"])]
    assert [d.stdout for d in done] == [
        counts_line(second / "guide.json", 25, 0, 0, 0), counts_line(first / "guide.json", 0, 0, 26, 0, OLDER)
    ]
    assert facts(other) == in_order
    # what the catalogue says, exactly: the second edition is the latest
    newer, older = second_edition()["source"]["sha256"], sample()["source"]["sha256"]
    for url in (db, other):
        assert query(url, "SELECT sha256, edition, edition_date FROM guides ORDER BY edition") == [
            (older, 1, "2021-06"), (newer, 2, "2023")
        ]
        assert query(url, "SELECT id, withdrawn_in FROM practices WHERE withdrawn ORDER BY id") == [
            ("iot-catalan-alliance", newer), ("skills-for-growth", newer)
        ]
        assert query(url, "SELECT raw, amount FROM budgets WHERE practice_id = 'access-innovation' ORDER BY position") == [
            ("£7,100,000.00", 7100000.0)
        ]
        assert query(url, "SELECT version, guide_sha256 FROM practice_versions WHERE practice_id = 'access-innovation' "
                          "ORDER BY version") == [(1, older), (2, newer)]
        assert query(url, "SELECT first_guide, last_guide FROM practices WHERE id = 'regional-data-spaces'") == [(newer, newer)]
        assert query(url, "SELECT first_guide, last_guide FROM practices WHERE id = 'skills-for-growth'") == [(older, older)]


def db_for(url: str, suffix: str) -> str:
    """A second empty PostgreSQL catalogue beside `url`."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = f"{parsed.database}_{suffix}"
    engine = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def test_every_order_of_three_editions_gives_the_same_catalogue(db, tmp_path):
    """The publication date in the guide's metadata orders editions as --edition-date does."""
    import itertools

    from pipeline.outputs.catalogue import load_guide, open_catalogue
    from schemas import Guide

    editions = {"first": sample(), "second": second_edition(), "third": third_edition()}
    editions["third"]["metadata"]["publication_date"] = DATES["third"]  # the guide says when it was published
    results = []
    for number, order in enumerate(itertools.permutations(editions)):
        url = f"sqlite:///{tmp_path / f'{number}.sqlite'}" if db.startswith("sqlite") else db_for(db, str(number))
        engine = open_catalogue(url)
        for name in order:
            load_guide(engine, Guide.model_validate(editions[name]), None if name == "third" else DATES[name])
        results.append(facts(url))
    assert len(results) == 6 and all(result == results[0] for result in results)
    shas = [editions[n]["source"]["sha256"] for n in ("first", "second", "third")]
    assert query(url, "SELECT sha256, edition, edition_date FROM guides ORDER BY edition") == [
        (shas[0], 1, "2021-06"), (shas[1], 2, "2023"), (shas[2], 3, "2024-02-29")
    ]
    assert query(url, "SELECT id, withdrawn_in FROM practices WHERE withdrawn ORDER BY id") == [
        ("iot-catalan-alliance", shas[1]), ("regional-data-spaces", shas[2])
    ]
    assert query(url, "SELECT version, guide_sha256 FROM practice_versions WHERE practice_id = 'access-innovation' "
                      "ORDER BY version") == [(1, shas[0]), (2, shas[1]), (3, shas[2])]
    assert query(url, "SELECT amount FROM budgets WHERE practice_id = 'access-innovation' ORDER BY position") == [(7200000.0,)]
    assert query(url, "SELECT first_guide, last_guide, withdrawn FROM practices WHERE id = 'skills-for-growth'") == [
        (shas[0], shas[2], False)
    ]


def test_an_older_catalogue_is_upgraded_in_place(db, tmp_path):
    """A catalogue at the first migration (editions in load order, no record of which
    practices each edition had) gains the new columns and table, reconstructed."""
    first = write(tmp_path / "edition-1", undated(sample()))
    second = write(tmp_path / "edition-2", undated(second_edition()))
    assert load(db, first).returncode == 0 and load(db, second).returncode == 0
    before = snapshot(db)
    engine = downgraded(db, "0001")
    with engine.connect() as connection:
        assert "guide_practices" not in inspect(connection).get_table_names()
        assert "loaded_order" not in [c["name"] for c in inspect(connection).get_columns("guides")]
    engine.dispose()
    done = load(db, second)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", counts_line(second / "guide.json", 0, 0, 25, 0, UNDATED))
    # the guide JSON was never kept: the first edition's metadata waits for its next load
    first_sha = sample()["source"]["sha256"]
    for row in before["guides"]:
        if row["sha256"] == first_sha:
            row.update(document_metadata=None, authors=None, licence=None)
    assert snapshot(db) == before
    assert query(db, "SELECT version_num FROM alembic_version") == [(HEAD,)]


def test_edition_date_is_checked_before_anything_is_loaded(tmp_path):
    url = f"sqlite:///{tmp_path / 'db' / 'c.sqlite'}"
    for date, reason in [("2023-13", "not a real date: '2023-13'"), ("June 2023", "not a date of the form YYYY, YYYY-MM or YYYY-MM-DD: 'June 2023'")]:
        done = load(url, SAMPLE, "--edition-date", date)
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr.endswith(f"guide-extract load: error: argument --edition-date: {reason}\n")
    second = write(tmp_path / "edition-2", second_edition())
    done = load(url, SAMPLE, second, "--edition-date", "2023")
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "guide-extract: error: --edition-date names the date of one edition, and 2 results were given\n"
    )
    assert not (tmp_path / "db").exists()


# ---------------------------------------------------------------- countries and the guide's metadata

METADATA = {
    "authors": ["SMARTY project - Interreg Europe", "Ana Pérez"],
    "publication_date": "2023-06-27",
    "version": "2nd edition",
    "licence": "CC BY 4.0",
    "document_type": "good practice guide",
    "keywords": ["industry 4.0", "SMEs"],
    "provenance": [{"page": 1, "bbox": [56.5, 700.0, 320.25, 712.0], "confidence": None}],  # as guide.json writes it
}


def located(data: dict, practice_id: str, raw: str, codes: list[str], code: str | None = None) -> dict:
    """The practice placed in `codes` (the first is `country_code` unless `code` is given:
    a result written before `country_codes` existed has only `country_code`)."""
    practice = next(p for p in data["practices"] if p["id"] == practice_id)
    practice["location"] = {"raw": raw, "country": raw.split(",")[0], "country_code": code or (codes[0] if codes else None),
                            "country_codes": codes}
    return data


def countries_of(url) -> list[tuple]:
    return query(url, "SELECT practice_id, position, country_code FROM practice_countries "
                      "WHERE practice_id IN ('centr-tec-programme-2nd-edition', 'iot-catalan-alliance', 'access-innovation') "
                      "ORDER BY practice_id, position")


def guide_metadata(url) -> list[tuple]:
    rows = query(url, "SELECT sha256, authors, licence, document_metadata FROM guides ORDER BY edition")
    return [(sha, authors, licence, json.loads(m) if isinstance(m, str) else m) for sha, authors, licence, m in rows]


def test_every_country_of_a_practice_and_the_guides_metadata(db, tmp_path):
    """'Spain, Portugal and France' is three rows, in printed order; a practice with only
    a `country_code` is one; a newer extraction of the same PDF replaces both."""
    data = located(sample(), "centr-tec-programme-2nd-edition", "Spain, Portugal and France", ["ES", "PT", "FR"])
    located(data, "access-innovation", "West Yorkshire", [], code="GB")  # written before country_codes existed
    data["metadata"] = copy.deepcopy(METADATA)
    folder = write(tmp_path / "guide", data)
    done = load(db, folder)
    assert (done.returncode, done.stderr) == (0, "")
    assert countries_of(db) == [
        ("access-innovation", 1, "GB"),
        ("centr-tec-programme-2nd-edition", 1, "ES"), ("centr-tec-programme-2nd-edition", 2, "PT"),
        ("centr-tec-programme-2nd-edition", 3, "FR"),
        ("iot-catalan-alliance", 1, "ES"),
    ]
    assert query(db, "SELECT COUNT(*) FROM practice_countries") == [(28,)]  # 26 practices, one with three countries
    assert query(db, "SELECT p.id, p.country_code FROM practices p JOIN practice_countries c "
                     "ON c.series = p.series AND c.practice_id = p.id WHERE c.country_code = 'PT'") == [
        ("centr-tec-programme-2nd-edition", "ES")
    ]
    sha = data["source"]["sha256"]
    assert guide_metadata(db) == [(sha, "SMARTY project - Interreg Europe; Ana Pérez", "CC BY 4.0", METADATA)]
    before = snapshot(db)
    assert load(db, folder).stdout == counts_line(folder / "guide.json", 0, 0, 26, 0)
    assert snapshot(db) == before

    # the same PDF extracted again: other countries, other metadata
    located(data, "centr-tec-programme-2nd-edition", "Portugal and Italy", ["PT", "IT"])
    located(data, "iot-catalan-alliance", "somewhere", [])
    data["metadata"] = {**METADATA, "authors": [], "licence": None, "keywords": []}
    done = load(db, write(folder, data))
    assert done.stdout == counts_line(folder / "guide.json", 0, 2, 24, 0)
    assert countries_of(db) == [
        ("access-innovation", 1, "GB"),
        ("centr-tec-programme-2nd-edition", 1, "PT"), ("centr-tec-programme-2nd-edition", 2, "IT"),
    ]
    assert guide_metadata(db) == [(sha, None, None, {**METADATA, "authors": [], "licence": None, "keywords": []})]


def test_countries_follow_edition_order_and_stay_with_a_withdrawn_practice(db, tmp_path):
    """The countries are those of the latest edition that has the practice, whichever
    edition was loaded last; a withdrawn practice keeps its last countries."""
    from pipeline.outputs.catalogue import load_guide, open_catalogue
    from schemas import Guide

    first = located(sample(), "centr-tec-programme-2nd-edition", "Spain, Portugal and France", ["ES", "PT", "FR"])
    located(first, "iot-catalan-alliance", "Catalonia, Spain and Andorra", ["ES", "AD"])
    first["metadata"] = copy.deepcopy(METADATA)
    second = located(second_edition(), "centr-tec-programme-2nd-edition", "Portugal", ["PT"])  # drops iot-catalan-alliance
    second["metadata"] = {**METADATA, "authors": ["Jan Nowak"], "version": "3rd edition"}
    editions = [(first, "2021"), (second, "2023")]
    urls = [db, db.replace("catalogue.sqlite", "reversed.sqlite") if db.startswith("sqlite") else db_for(db, "reversed")]
    for url, order in zip(urls, (editions, editions[::-1])):
        engine = open_catalogue(url)
        for data, date in order:
            load_guide(engine, Guide.model_validate(data), date)
    assert facts(urls[1]) == facts(urls[0])
    for url in urls:
        assert countries_of(url) == [
            ("access-innovation", 1, "GB"),
            ("centr-tec-programme-2nd-edition", 1, "PT"),
            ("iot-catalan-alliance", 1, "ES"), ("iot-catalan-alliance", 2, "AD"),
        ]
        assert query(url, "SELECT id, withdrawn FROM practices WHERE id IN ('centr-tec-programme-2nd-edition', "
                          "'iot-catalan-alliance') ORDER BY id") == [
            ("centr-tec-programme-2nd-edition", False), ("iot-catalan-alliance", True)
        ]
        assert [(authors, m["version"]) for _, authors, _, m in guide_metadata(url)] == [
            ("SMARTY project - Interreg Europe; Ana Pérez", "2nd edition"), ("Jan Nowak", "3rd edition")
        ]


def test_a_0003_catalogue_gains_countries_from_data_and_metadata_at_the_next_load(db, tmp_path):
    from pipeline.outputs.catalogue import open_catalogue

    data = located(sample(), "centr-tec-programme-2nd-edition", "Spain, Portugal and France", ["ES", "PT", "FR"])
    located(data, "access-innovation", "West Yorkshire", [], code="GB")
    data["metadata"] = copy.deepcopy(METADATA)
    folder = write(tmp_path / "guide", data)
    assert load(db, folder).returncode == 0
    before = snapshot(db)
    engine = downgraded(db, "0003")
    with engine.connect() as connection:
        assert "practice_countries" not in inspect(connection).get_table_names()
        assert [c["name"] for c in inspect(connection).get_columns("guides")][-3:] == ["edition_date", "edition_version", "loaded_order"]
    engine.dispose()

    open_catalogue(db).dispose()  # the upgrade alone
    assert query(db, "SELECT version_num FROM alembic_version") == [(HEAD,)]
    assert countries_of(db) == [
        ("access-innovation", 1, "GB"),
        ("centr-tec-programme-2nd-edition", 1, "ES"), ("centr-tec-programme-2nd-edition", 2, "PT"),
        ("centr-tec-programme-2nd-edition", 3, "FR"),
        ("iot-catalan-alliance", 1, "ES"),
    ]
    upgraded = snapshot(db)
    assert upgraded["practice_countries"] == before["practice_countries"]
    assert guide_metadata(db) == [(data["source"]["sha256"], None, None, None)]
    assert [{**row, "document_metadata": None, "authors": None, "licence": None} for row in before["guides"]] == upgraded["guides"]

    done = load(db, folder)  # the next load fills the guide's metadata
    assert (done.returncode, done.stdout) == (0, counts_line(folder / "guide.json", 0, 0, 26, 0))
    assert snapshot(db) == before
