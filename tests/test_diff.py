"""`guide-extract diff`: long text shown word by word, layout-only changes (boxes, pages,
numbering) left out unless --all, guide-level warnings listed, and a summary of counts."""

import copy
import json
import subprocess
import sys

from conftest import ROOT
from pipeline.review.diff import as_text, diff_guides, word_diff

ABOUT = ("The aim of the programme is to support an action plan based on the adoption of new technologies "
         "for self-employed people and SMEs through a continuous and complete process.")


def guide() -> dict:
    return {
        "schema_version": "1.0", "title": "A guide", "source": {"file": "a.pdf", "sha256": "0" * 64, "pages": 12},
        "warnings": [],
        "practices": [
            {"id": "alpha", "number": 1, "title": "Alpha", "pages": [3, 4], "sections": {"about": ABOUT},
             "websites": ["https://example.org/" + "x" * 80 + "/one"], "institution": "Alpha Foundation",
             "provenance": {"title": [{"page": 3, "bbox": [10.0, 20.0, 30.0, 40.0]}]}, "contacts": []},
            {"id": "beta", "number": 2, "title": "Beta", "pages": [5], "sections": {"about": "Short."},
             "institution": "Beta Ltd", "contacts": [{"name": "B", "organisation": None, "email": "b@beta.eu"}]},
            {"id": "gamma", "number": 3, "title": "Gamma", "pages": [6], "institution": None, "contacts": []},
        ],
    }


def edited() -> dict:
    new = copy.deepcopy(guide())
    alpha, beta = new["practices"][0], new["practices"][1]
    alpha["sections"]["about"] = ABOUT.replace("an action plan", "a yearly action plan").replace("complete process", "complete cycle")
    alpha["websites"] = ["https://example.org/" + "x" * 80 + "/two"]  # differs after the 90th character
    alpha["pages"], alpha["number"] = [7, 8], 2  # moved: layout only
    alpha["provenance"]["title"][0]["bbox"] = [12.0, 20.0, 30.0, 40.0]
    beta.update(id="beta-renewed", title="Beta renewed", number=1)
    del new["practices"][2]
    new["practices"].append({"id": "delta", "number": 3, "title": "Delta", "pages": [9], "contacts": []})
    new["warnings"] = [{"code": "correction_unknown", "message": "The correction at line 4 is for practice 'omega', which this guide does not have.",
                        "practice": None, "page": None, "field": "institution"}]
    return new


EXPECTED = """\
+ warning correction_unknown: The correction at line 4 is for practice 'omega', which this guide does not have.
+ added   delta: Delta
- removed gamma: Gamma
~ renamed beta -> beta-renewed (matched by institution and contact)
* changed alpha:
    sections.about:
      … programme is to support [-an-] {+a yearly+} action plan based on …
      … a continuous and complete [-process.-] {+cycle.+}
    websites:
      [-["https://example.org/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/one"]-] {+["https://example.org/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/two"]+}
* changed beta -> beta-renewed:
    id: "beta" -> "beta-renewed"
    title: "Beta" -> "Beta renewed"
summary: practices 1 added, 1 removed, 1 renamed, 2 changed; 4 fields changed; guide warnings 1 added, 0 removed; 4 layout-only changes not shown (--all)
"""


def test_text_output_exactly():
    assert as_text(diff_guides(guide(), edited())) == EXPECTED


def test_all_lists_layout_changes_too():
    text = as_text(diff_guides(guide(), edited(), layout=True))
    assert text.splitlines()[5:8] == [
        "    number: 1 -> 2",
        "    pages: [3, 4] -> [7, 8]",
        "    provenance.title[0].bbox: [10.0, 20.0, 30.0, 40.0] -> [12.0, 20.0, 30.0, 40.0]",
    ]
    assert text.splitlines()[-1] == (
        "summary: practices 1 added, 1 removed, 1 renamed, 2 changed; 8 fields changed; guide warnings 1 added, 0 removed"
    )


def test_layout_only_changes_are_no_difference():
    new = copy.deepcopy(guide())
    new["practices"][0]["pages"] = [30]
    new["practices"][1]["number"] = 7
    new["source"]["pages"] = 13
    result = diff_guides(guide(), new)
    assert result["equal"] and as_text(result) == "no differences (3 layout-only changes not shown: --all)\n"
    assert as_text(diff_guides(guide(), guide())) == "no differences\n"


def test_word_diff_of_hostile_text_is_escaped():
    old = "A long paragraph about the partners and their plans for the next decade in the region."
    new = "A long paragraph about the partners \x1b[2J and their plans \u202efor the next decade in the region."
    assert word_diff(old, new) == [
        "… paragraph about the partners {+\\x1b[2J+} and their plans [-for-] {+\\u202efor+} the next decade in …"
    ]
    assert word_diff("one  two\nthree", "one two three") == ["(only spacing or line breaks changed)"]


def test_command_summary_guide_warnings_and_all(tmp_path):
    (tmp_path / "old.json").write_text(json.dumps(guide()), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(edited()), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "flows.cli", "diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (1, EXPECTED, "")
    done = subprocess.run([sys.executable, "-m", "flows.cli", "diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    result = json.loads(done.stdout)
    assert result["summary"] == {
        "practices_added": 1, "practices_removed": 1, "practices_renamed": 1, "practices_changed": 2, "fields_changed": 4,
        "guide_warnings_added": 1, "guide_warnings_removed": 0, "layout_changes_hidden": 4,
    }
    assert [w["code"] for w in result["guide_warnings"]["added"]] == ["correction_unknown"]
