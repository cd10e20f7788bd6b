"""The manual says what the program does: README's synopsis and docs/usage.md's help
screens are the program's own `--help` (at 80 columns), and every help screen lists its
exit codes."""

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

COMMANDS = ["run", "load", "diff", "server", "schema"]


def help_text(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "flows.cli", *args, "--help"], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "COLUMNS": "80"}, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def usage(command: str) -> str:
    return help_text(command).split("\n\n", 1)[0]


def test_readme_synopsis_is_the_help_usage():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n(usage: guide-extract run .*?)\n```", readme, re.S).group(1)
    assert block == "\n".join(usage(c) for c in COMMANDS)
    usage_doc = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    assert f"## Synopsis\n\n```\n{block}\n```" in usage_doc


@pytest.mark.parametrize("command", COMMANDS)
def test_usage_doc_has_each_help_screen_and_it_lists_exit_codes(command):
    text = help_text(command)
    assert "\nexit codes:\n  0  " in text
    usage_doc = (ROOT / "docs" / "usage.md").read_text(encoding="utf-8")
    assert f"### `guide-extract {command} --help`\n\n```\n{text.rstrip()}\n```" in usage_doc


def test_top_help_points_to_the_commands_exit_codes():
    assert help_text().rstrip().endswith("exit codes: see each command's --help (guide-extract COMMAND --help);\n"
                                         "2 for a usage error everywhere. Manual: docs/usage.md")


def test_readme_is_short_and_links_resolve():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 120
    for name in re.findall(r"`(docs/[a-z-]+\.md)`", readme):
        assert (ROOT / name).is_file(), name
