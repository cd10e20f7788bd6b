"""Corrections (docs/corrections.md): applied while the extracted value still matches,
stale when a new edition changed it, unknown and invalid ones refused with a warning, a
malformed file a usage error naming the line."""

import csv
import io
import os
import subprocess
import sys
import tomllib

import pytest

from conftest import GUIDE_PDF, ROOT
from pipeline.outputs.emit import practices_csv
from pipeline.outputs.report.safe import correction_block, toml_string
from pipeline.review.corrections import CorrectionsError, apply_corrections, load_corrections, parse_corrections
from pipeline.review.diff import diff_guides

FIRST = "future-industry-platform"
INSTITUTION = "Future Industry Platform State Treasury Foundation"


def fix(practice, field, was, value, **more):
    return {"practice": practice, "field": field, "was": was, "value": value, "by": None, "note": None, "guide": None, "line": 1, **more}


def practice(guide, practice_id):
    return next(p for p in guide.practices if p.id == practice_id)


def test_matching_correction_is_applied_listed_and_marked_in_provenance(guide):
    entry = fix(FIRST, "institution", INSTITUTION, "Future Industry Platform Foundation", by="a.steward@example.eu", note="name as registered")
    corrected = apply_corrections(guide, [entry])
    p = practice(corrected, FIRST)
    assert p.institution == "Future Industry Platform Foundation"
    assert [c.model_dump() for c in p.corrections] == [{
        "field": "institution", "was": INSTITUTION, "value": "Future Industry Platform Foundation",
        "by": "a.steward@example.eu", "note": "name as registered",
    }]
    assert [s.corrected for s in p.provenance["institution"]] == [True]
    assert p.model_dump(mode="json")["provenance"]["institution"][0]["corrected"] is True
    assert "corrected" not in p.model_dump(mode="json")["provenance"]["title"][0]  # written only when true
    assert [w.code for w in p.warnings] == [w.code for w in practice(guide, FIRST).warnings]
    # nothing else moved
    assert [q.model_dump() for q in corrected.practices if q.id != FIRST] == [q.model_dump() for q in guide.practices if q.id != FIRST]
    assert practice(guide, FIRST).institution == INSTITUTION  # the input guide is not modified


def test_numbers_compare_as_numbers_and_lists_by_index(guide):
    entries = [
        fix("centr-tec-programme-2nd-edition", "budgets.0.amount", 1300000, 1350000),  # TOML integer against 1300000.0
        fix("access-innovation", "contacts.0.email", "Bryony.Chipp@westyorks-ca.gov.uk", "b.chipp@westyorks-ca.gov.uk"),  # as printed
        fix("access-innovation", "location.country_code", "gb", "IE"),
        fix(FIRST, "period.ongoing", True, False),
        fix(FIRST, "period.end", "", "2023-12"),
    ]
    corrected = apply_corrections(guide, entries)
    centr = practice(corrected, "centr-tec-programme-2nd-edition")
    assert [b.amount for b in centr.budgets] == [1350000.0, 2000000.0, 5000000.0]
    assert [s.corrected for s in centr.provenance["budgets[0]"]] == [True]
    assert not any(s.corrected for s in centr.provenance["budgets[1]"])
    access = practice(corrected, "access-innovation")
    assert (access.contacts[0].email, access.location.country_code) == ("b.chipp@westyorks-ca.gov.uk", "IE")
    assert [c.field for c in access.corrections] == ["contacts.0.email", "location.country_code"]
    first = practice(corrected, FIRST)
    assert (first.period.start, first.period.end, first.period.ongoing) == ("2019-02", "2023-12", False)
    assert [s.corrected for s in first.provenance["period"]] == [True]
    assert [(c.was, c.value) for c in first.corrections] == [(True, False), (None, "2023-12")]


def test_empty_was_fills_a_value_that_was_not_found(guide):
    corrected = apply_corrections(guide, [fix(FIRST, "sections.challenges", "", "Finding trainers was hard.")])
    p = practice(corrected, FIRST)
    assert p.sections.challenges == "Finding trainers was hard."
    assert [(c.field, c.was) for c in p.corrections] == [("sections.challenges", None)]


def test_stale_correction_is_not_applied_and_names_old_and_new(guide):
    corrected = apply_corrections(guide, [fix(FIRST, "institution", "Future Industry Platform", "X Foundation", line=7)])
    p = practice(corrected, FIRST)
    assert p.institution == INSTITUTION and p.corrections == []
    [stale] = [w for w in p.warnings if w.code == "correction_stale"]
    assert (stale.field, stale.practice, stale.page) == ("institution", FIRST, 5)
    assert stale.message == (
        "The correction of 'institution' (line 7) was made for 'Future Industry Platform'; the guide now reads "
        f"'{INSTITUTION}'. It was not applied: check it and update its 'was'."
    )


def test_unknown_practice_and_field_are_guide_warnings(guide):
    corrected = apply_corrections(guide, [
        fix("no-such-practice", "institution", "a", "b", line=1),
        fix(FIRST, "contacts.3.email", "a@b.eu", "c@d.eu", line=9),
        fix(FIRST, "id", FIRST, "other", line=15),
        fix(FIRST, "contacts", "x", "y", line=21),
    ])
    assert corrected.practices == guide.practices
    unknown = [w for w in corrected.warnings if w.code == "correction_unknown"]
    assert [(w.practice, w.field, w.message) for w in unknown] == [
        (None, "institution", "The correction at line 1 is for practice 'no-such-practice', which this guide does not have."),
        (FIRST, "contacts.3.email", "The correction at line 9 cannot be applied: the practice has no 'contacts.3.email'."),
        (FIRST, "id", "The correction at line 15 cannot be applied: 'id' is not a field that can be corrected."),
        (FIRST, "contacts", "The correction at line 21 cannot be applied: 'contacts' is not a single value; name one inside it (e.g. contacts.0)."),
    ]


@pytest.mark.parametrize(("field", "was", "value", "reason"), [
    ("contacts.0.email", "joanna.labedzka@itee.lukasiewicz.gov.pl", "Joanna Labedzka", "Value error, email must be one lower-case address"),
    ("location.country_code", "PL", "Poland", "String should match pattern '^[A-Z]{2}$'"),
    ("period.start", "2019-02", "Feb 2019", "String should match pattern '^\\d{4}(-(0[1-9]|1[0-2]))?$'"),
    ("websites.0", "https://przemyslprzyszlosci.gov.pl", "przemyslprzyszlosci.gov.pl", "Value error, not a full URL: 'przemyslprzyszlosci.gov.pl'"),
    ("title", "Future Industry Platform", "Two\nlines", "String should match pattern '^[^\\n]*$'"),
])
def test_invalid_value_is_refused_with_a_warning(guide, field, was, value, reason):
    corrected = apply_corrections(guide, [fix(FIRST, field, was, value)])
    p = practice(corrected, FIRST)
    assert p.model_dump(exclude={"warnings"}) == practice(guide, FIRST).model_dump(exclude={"warnings"})
    [invalid] = [w for w in p.warnings if w.code == "correction_invalid"]
    assert invalid.field == field
    assert invalid.message == f"The correction of '{field}' (line 1) to {value!r} is not a valid value ({reason}); it was not applied."


def test_empty_value_is_refused(guide):
    corrected = apply_corrections(guide, [fix(FIRST, "institution", INSTITUTION, "")])
    p = practice(corrected, FIRST)
    assert p.institution == INSTITUTION
    assert [(w.code, w.field) for w in p.warnings if w.code.startswith("correction")] == [("correction_invalid", "institution")]


def test_correction_for_another_guide_is_left_alone(guide):
    assert apply_corrections(guide, [fix(FIRST, "institution", INSTITUTION, "X", guide="other-guide.pdf")]) == guide
    applied = apply_corrections(guide, [fix(FIRST, "institution", INSTITUTION, "X", guide="smarty-good-practice-guide")])
    assert practice(applied, FIRST).institution == "X"


def test_corrected_value_flows_into_csv_and_diff(guide):
    corrected = apply_corrections(guide, [fix(FIRST, "institution", INSTITUTION, "Future Industry Platform Foundation")])
    rows = list(csv.DictReader(io.StringIO(practices_csv(corrected).removeprefix("\ufeff"))))
    assert list(rows[0])[-4:] == ["warnings", "corrections", "guide", "guide_sha256"]
    assert [(r["id"], r["institution"], r["corrections"]) for r in rows[:2]] == [
        (FIRST, "Future Industry Platform Foundation", "institution"), ("access-innovation", "Leeds City Region LEP", ""),
    ]
    result = diff_guides(guide.model_dump(mode="json"), corrected.model_dump(mode="json"))
    assert result["changed"] == [{"old": FIRST, "new": FIRST, "fields": [
        {"field": "corrections", "old": [], "new": [{"field": "institution", "was": INSTITUTION, "value": "Future Industry Platform Foundation", "by": None, "note": None}]},
        {"field": "institution", "old": INSTITUTION, "new": "Future Industry Platform Foundation"},
    ]}]


GOOD = '''# fixes checked on the 2023 edition
[[correction]]
practice = "future-industry-platform"
field = "institution"
was = "Future Industry Platform State Treasury Foundation"
value = "Future Industry Platform Foundation"
by = "a.steward@example.eu"

[[correction]]
practice = "centr-tec-programme-2nd-edition"
field = "budgets.0.amount"
was = 1300000
value = 1350000.0
note = "the printed total"
'''


def test_file_is_read_in_order_with_its_lines(tmp_path):
    path = tmp_path / "fixes.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_corrections(path) == [
        {"practice": FIRST, "field": "institution", "was": INSTITUTION, "value": "Future Industry Platform Foundation",
         "by": "a.steward@example.eu", "note": None, "guide": None, "line": 2},
        {"practice": "centr-tec-programme-2nd-edition", "field": "budgets.0.amount", "was": 1300000, "value": 1350000.0,
         "by": None, "note": "the printed total", "guide": None, "line": 9},
    ]


@pytest.mark.parametrize(("text", "message"), [
    (GOOD.replace('field = "budgets.0.amount"\n', ""), "fixes.toml: line 9: the correction has no 'field'"),
    (GOOD.replace("by = ", "author = "), "fixes.toml: line 2: unknown key 'author' (expected practice, field, was, value, by, note, guide)"),
    (GOOD.replace("was = 1300000", "was = [1300000]"), "fixes.toml: line 9: 'was' must be a string, number or true/false"),
    (GOOD.replace('field = "institution"', 'field = "Institution name"'),
     "fixes.toml: line 2: 'Institution name' is not a field path (e.g. institution, contacts.0.email)"),
    (GOOD + GOOD.split("\n\n")[0].split("\n", 1)[1] + "\n",
     "fixes.toml: line 15: repeats the correction of 'institution' of 'future-industry-platform' at line 2"),
    ('title = "fixes"\n' + GOOD, "fixes.toml: line 1: unknown key 'title' (each fix is a [[correction]] table)"),
])
def test_malformed_file_is_a_usage_error_naming_the_line(text, message):
    with pytest.raises(CorrectionsError) as raised:
        parse_corrections(text, "fixes.toml")
    assert str(raised.value) == message


def test_toml_syntax_error_names_line_and_column():
    with pytest.raises(CorrectionsError) as raised:
        parse_corrections(GOOD.replace('value = "Future Industry Platform Foundation"', 'value = "unclosed'), "fixes.toml")
    # the reason's wording is tomllib's and varies between Python versions
    assert str(raised.value).startswith("fixes.toml: line 6, column 18: not valid TOML: ")
    assert "\n" not in str(raised.value)


def test_cli_refuses_a_malformed_file_with_exit_2_and_one_line(tmp_path):
    path = tmp_path / "fixes.toml"
    path.write_text(GOOD.replace('field = "budgets.0.amount"\n', ""), encoding="utf-8")
    for args, env in (([f"--corrections={path}"], {}), ([], {"GUIDE_EXTRACT_CORRECTIONS": str(path)})):
        done = subprocess.run(
            [sys.executable, "-m", "flows.cli", "run", str(GUIDE_PDF), "--out", str(tmp_path / "out"), *args],
            capture_output=True, text=True, cwd=ROOT, timeout=120, env={**os.environ, **env},
        )
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr == f"guide-extract: error: {path}: line 9: the correction has no 'field'\n"
    assert not (tmp_path / "out").exists()
    missing = subprocess.run([sys.executable, "-m", "flows.cli", "run", str(GUIDE_PDF), "--corrections", str(tmp_path / "nope.toml")],
                             capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert (missing.returncode, missing.stderr) == (2, f"guide-extract: error: {tmp_path / 'nope.toml'}: no such file\n")


@pytest.mark.parametrize("was", [
    'He said "yes" \\ then\nleft\ttoday\r\n', "a\x00b\x1fc\x7fd", "Łódź – “quoted” ‘x’ \u2028 \u2029 ]]> </script>", "", 1300000.0, 3, True,
])
def test_copied_block_parses_back_with_tomllib(was):
    block = correction_block("some-practice", "sections.about", was)
    parsed = tomllib.loads(block)
    assert parsed == {"correction": [{"practice": "some-practice", "field": "sections.about", "was": was, "value": ""}]}
    assert block.startswith("[[correction]]\n") and block.count("\n") == 7


def test_lone_surrogate_cannot_reach_toml():
    lone = "a\ud800b"
    assert tomllib.loads("x = " + toml_string(lone)) == {"x": "a\ufffdb"}


def test_report_shows_a_refused_correction_beside_the_value(guide):
    from pipeline.outputs.report import render_report

    stale = apply_corrections(guide, [fix(FIRST, "period.start", "2019-01", "2019-03")])
    html = render_report(stale, {})
    card = html[html.index(f'<article class="card" id="p-{FIRST}"'):]
    row = card[card.index("period.start</td>"):]
    row = row[: row.index("</tr>")]
    assert row.startswith('period.start</td><td>2019-02<div class="fix refused">a correction was not applied: '
                          '<a class="code" href="#code-correction_stale">correction_stale</a></div></td>')
    assert '<tr id="code-correction_stale"><td><code>correction_stale</code></td><td>1</td>' in html


def test_counts_of_applied_stale_unknown_and_invalid_for_the_terminal(guide):
    from flows.cli import corrections_line
    from pipeline.review.corrections import correction_counts

    corrected = apply_corrections(guide, [
        fix(FIRST, "institution", INSTITUTION, "Future Industry Platform Foundation", line=1),
        fix(FIRST, "summary", "not what the guide says", "x", line=5),
        fix("no-such-practice", "institution", "a", "b", line=9),
        fix(FIRST, "location.country_code", "PL", "Poland", line=13),
    ])
    assert correction_counts(corrected) == {"applied": 1, "stale": 1, "unknown": 1, "invalid": 1}
    assert corrections_line(correction_counts(corrected)) == "corrections: 1 applied, 1 stale, 1 unknown, 1 invalid"
    assert correction_counts(guide) is None
    assert corrections_line(None) == "corrections: 0 applied, 0 stale, 0 unknown, 0 invalid"


@pytest.mark.slow
def test_run_outcome_carries_the_correction_counts(prefect_harness, tmp_path):
    from flows.guide_flow import CorrectionsFile, extract_guides
    from pipeline.review.corrections import file_sha256

    fixes = tmp_path / "fixes.toml"
    fixes.write_text(
        f'[[correction]]\npractice = "{FIRST}"\nfield = "institution"\nwas = "{INSTITUTION}"\n'
        'value = "Future Industry Platform Foundation"\n\n'
        f'[[correction]]\npractice = "{FIRST}"\nfield = "summary"\nwas = "not what the guide says"\nvalue = "x"\n',
        encoding="utf-8",
    )
    [outcome] = extract_guides([GUIDE_PDF], tmp_path / "out", corrections=CorrectionsFile(path=str(fixes), sha256=file_sha256(fixes)))
    assert (outcome.status, outcome.corrections) == ("ok", {"applied": 1, "stale": 1, "unknown": 0, "invalid": 0})
