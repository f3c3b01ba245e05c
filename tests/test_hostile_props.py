"""Property-based: random and mutated notes files are accepted or reported as located problems, never a crash."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.config import load_config
from briefgen.pipeline import check_project
from briefgen.problems import Problem
from tests.conftest import FIXTURES

VALID = (FIXTURES / "minimal/content/sample-brief/notes.yaml").read_text("utf-8")
ARTICLE = (FIXTURES / "minimal/content/sample-brief/article.md").read_text("utf-8")
LOCATED = re.compile(r"^content/sample-brief/(notes\.yaml|article\.md):\d+:\d+$")
SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

# Pieces hostile or careless notes are made of: YAML syntax, tricky scalars, markup and odd characters.
TOKENS = [
    ":",
    ": ",
    "- ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "#",
    "'",
    '"',
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "<<: ",
    "!!binary ",
    "!!omap [a: 1]",
    "!!pairs [a: 1]",
    "!!python/object:os.system ",
    "!foo ",
    "? ",
    "|",
    ">",
    "---",
    "...",
    "~",
    "null",
    "true",
    "no",
    "2022-13-45",
    "2024-02-29",
    "1e999",
    "0x1F",
    "9" * 5000,
    "\\0",
    "\\e",
    "\\u202e",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\x85",
    "\u2028",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "../../etc",
    "con",
    "é",
    "😀",
    "id",
    "quote",
    "status",
    "verdict",
    "sources",
    "url",
    "claims",
    "title",
    "published",
    "true",
    "unverified",
]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


def _check(tmp_path: Path, notes: bytes, article: str = ARTICLE) -> list[Problem]:
    """Load and check one brief; every problem must be located in the brief's files."""
    folder = tmp_path / "content/sample-brief"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "notes.yaml").write_bytes(notes)
    (folder / "article.md").write_text(article, "utf-8")
    result = check_project(tmp_path)
    for problem in result.problems:
        assert LOCATED.match(str(problem.location)) or problem.location.path == "briefgen.toml", problem.format()
        assert problem.message and "\n" not in problem.format().split("\n    hint: ")[0]
    return list(result.problems)


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(TOKENS), TEXT), max_size=60))
def test_random_notes_are_accepted_or_located(tmp_path: Path, pieces: list[str]) -> None:
    _check(tmp_path, "".join(pieces).encode("utf-8"))


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_are_accepted_or_located(tmp_path: Path, data: bytes) -> None:
    _check(tmp_path, data)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """The valid notes with a few lines deleted, duplicated, re-indented, cut or spliced with hostile pieces."""
    lines = VALID.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "cut", "insert", "value"]))
        line = lines[at]
        if action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, line)
        elif action == "indent":
            lines[at] = draw(st.sampled_from([" ", "  ", "\t"])) + line
        elif action == "dedent":
            lines[at] = line.lstrip()
        elif action == "cut":
            lines[at] = line[: draw(st.integers(0, len(line)))]
        elif action == "insert":
            lines.insert(at, draw(st.one_of(st.sampled_from(TOKENS), TEXT)))
        elif ":" in line:
            key = line.split(":", 1)[0]
            value = draw(st.one_of(st.sampled_from(TOKENS), TEXT))
            lines[at] = f"{key}: {value}"
        if not lines:
            lines = [""]
    return "\n".join(lines)


@SETTINGS
@given(mutated())
def test_mutated_notes_are_accepted_or_located(tmp_path: Path, notes: str) -> None:
    problems = _check(tmp_path, notes.encode("utf-8"))
    if notes == VALID:
        assert not [p for p in problems if p.is_error]


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(TOKENS), TEXT), max_size=30), st.booleans())
def test_random_articles_are_accepted_or_located(tmp_path: Path, pieces: list[str], front: bool) -> None:
    body = "".join(pieces)
    article = ARTICLE.split("---\n", 2)
    text = f"---{article[1]}---\n{body}" if front else body
    _check(tmp_path, VALID.encode("utf-8"), text)


def test_the_fixture_itself_has_no_problems(tmp_path: Path) -> None:
    assert [p for p in _check(tmp_path, VALID.encode("utf-8")) if p.is_error] == []
    assert load_config(tmp_path)[1] == []
