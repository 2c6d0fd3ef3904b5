"""The README is a front door that works as written: short, no links out of the repository
and none that lead nowhere, its code the recipes' own code, and its shell lines answering
against the server `make run` starts."""

import re
import subprocess

from tests.clients.conftest import DemoServer
from tests.support.server import ROOT

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
FENCED = re.compile(r"```(\w+)\n(.*?)```", re.S)


def test_the_readme_is_a_short_front_door_that_names_nothing_outside_the_repository() -> None:
    text = README.read_text()
    assert len(text.splitlines()) <= 220
    for document in (README, *DOCS):
        assert "../shared" not in document.read_text(), document
        assert not re.search(r"\bissue \d+", document.read_text()), document


def test_every_relative_link_in_the_readme_and_docs_leads_to_a_file() -> None:
    for document in (README, *DOCS):
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", document.read_text()):
            assert (document.parent / target).exists(), f"{document.name} links to {target}"


def test_each_code_block_that_names_a_recipe_is_that_recipe_s_code() -> None:
    named = [block for _, block in FENCED.findall(README.read_text()) if block.startswith("// ")]
    assert len(named) >= 2
    for block in named:
        first, *lines = block.splitlines()
        source = (ROOT / first.removeprefix("// ").strip()).read_text().splitlines()
        position = 0
        for line in filter(str.strip, lines):
            found = [i for i, candidate in enumerate(source[position:], position) if candidate == line]
            assert found, f"{first}: {line!r} is not in the recipe (in this order)"
            position = found[0] + 1


def test_the_shell_lines_answer_against_the_demo_server(demo_server: DemoServer) -> None:
    [shell] = [block for language, block in FENCED.findall(README.read_text()) if language == "sh" and "curl" in block]
    script = shell.replace("http://127.0.0.1:8000", demo_server.base_url)
    done = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=demo_server.env, capture_output=True, text=True, timeout=60
    )
    assert '"viewer":{"name":"Sam Rivera"}' in done.stdout, done.stdout + done.stderr
    assert "event: next" in done.stdout and '"meetingUpdated"' in done.stdout, done.stdout
