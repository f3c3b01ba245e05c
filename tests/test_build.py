"""End to end: `briefgen build` on fixture projects, good and broken; output written atomically or not at all."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.pipeline import build_project
from tests.conftest import run_cli, snapshot


def test_build_writes_the_site_and_reports(project: Path) -> None:
    result = run_cli("build", str(project), check=True)
    assert "Built 1 brief, 7 pages" in result.stdout
    site = project / "site"
    assert (site / "sample-brief/budget-size/index.html").is_file()
    assert (site / "index.html").read_text().count("sample-brief/") >= 1
    assert result.stderr == ""


def test_build_in_current_folder_and_out_option(project: Path, tmp_path: Path) -> None:
    run_cli("build", "--out", str(tmp_path / "public"), cwd=project, check=True)
    assert (tmp_path / "public/index.html").is_file()
    assert not (project / "site").exists()


def test_check_writes_nothing(project: Path) -> None:
    result = run_cli("check", str(project))
    assert result.returncode == 0 and "OK: 1 brief checked, 0 errors, 0 warnings." in result.stderr
    assert not (project / "site").exists()


def _replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / "content/sample-brief" / name
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))

    return apply


BROKEN = {
    "yaml-syntax": (_replace("notes.yaml", "tags: [budget]", "tags: [budget"), "notes.yaml:7:", "YAML syntax error"),
    "missing-field": (
        _replace("notes.yaml", 'reviewers: ["Jo Checker"]\n', ""),
        "notes.yaml:1:1",
        "missing required field 'reviewers'",
    ),
    "wrong-type": (_replace("notes.yaml", "tags: [budget]", "tags: {a: b}"), "notes.yaml:6:7", "'tags' must be a list"),
    "unknown-status": (
        _replace("notes.yaml", "status: mostly-true", "status: sort-of"),
        "notes.yaml:23:13",
        "unknown status 'sort-of'",
    ),
    "duplicate-id": (
        _replace("notes.yaml", "id: unemployment", "id: budget-size"),
        "notes.yaml:29:9",
        "duplicate claim id",
    ),
    "bad-date": (
        _replace("notes.yaml", "published: 2024-03-02", "published: 2024-13-45"),
        "notes.yaml:5:12",
        "not a real date",
    ),
    "bad-url": (
        _replace("notes.yaml", "https://council.example.org/votes/2024-02-27", "ftp://council.example.org/votes"),
        "notes.yaml:26:14",
        "'ftp:'",
    ),
    "quote-not-in-article": (
        _replace("notes.yaml", "Unemployment fell to 3.1 percent", "Unemployment fell to 3.4 percent"),
        "notes.yaml:30:12",
        "does not appear verbatim",
    ),
    "article-front-matter": (
        _replace("article.md", 'publisher: "The Example Gazette"\n', ""),
        "article.md:2:1",
        "missing required field 'article.publisher'",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_input_fails_with_location_and_leaves_site_untouched(project: Path, case: str) -> None:
    run_cli("build", str(project), check=True)
    before = snapshot(project / "site")
    mutate, location, fragment = BROKEN[case]
    mutate(project)
    result = run_cli("build", str(project))
    assert result.returncode == 1, result.stderr
    line = next(line for line in result.stderr.splitlines() if ": error: " in line)
    assert location in line and fragment in line, result.stderr
    assert "hint:" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project / "site") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site")]


def test_all_problems_are_reported_not_just_the_first(project: Path) -> None:
    for mutate, _, _ in (BROKEN["unknown-status"], BROKEN["bad-url"], BROKEN["quote-not-in-article"]):
        mutate(project)
    result = run_cli("check", str(project))
    assert result.returncode == 1
    assert result.stderr.count(": error: ") == 3


@pytest.mark.parametrize("out", [".", "content", "templates", "content/sub"])
def test_output_folder_must_not_be_the_project_or_its_sources(project: Path, out: str) -> None:
    (project / "templates").mkdir(exist_ok=True)
    before = snapshot(project)
    result = run_cli("build", str(project), "--out", str(project / out))
    assert result.returncode == 1 and "output folder cannot" in result.stderr
    assert snapshot(project) == before


def test_refuses_to_replace_a_folder_it_did_not_make(project: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete")
    result = run_cli("build", str(project), "--out", str(precious))
    assert result.returncode == 1 and "not made by briefgen" in result.stderr
    assert (precious / "thesis.txt").read_text() == "do not delete"


def test_rebuild_replaces_stale_pages(project: Path) -> None:
    build_project(project)
    assert (project / "site/sample-brief/unemployment/index.html").exists()
    notes = project / "content/sample-brief/notes.yaml"
    notes.write_text(notes.read_text().replace("id: unemployment", "id: jobless-rate"))
    assert build_project(project).written
    assert not (project / "site/sample-brief/unemployment").exists()
    assert (project / "site/sample-brief/jobless-rate/index.html").exists()


def test_failure_while_writing_keeps_previous_site(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_project(project)
    before = snapshot(project / "site")
    import briefgen.write as write

    def explode(folder: Path, files: object) -> int:
        (folder / "half.html").write_text("half")
        raise OSError("disk full")

    monkeypatch.setattr(write, "write_files", explode)
    notes = project / "content/sample-brief/notes.yaml"  # a change: an unchanged rebuild would write nothing
    notes.write_text(notes.read_text().replace("Fact-check: the budget report", "A changed title"))
    with pytest.raises(OSError):
        build_project(project)
    assert snapshot(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_drafts_are_left_out_unless_asked(project: Path) -> None:
    notes = project / "content/sample-brief/notes.yaml"
    notes.write_text(notes.read_text().replace("tags: [budget]", "tags: [budget]\ndraft: true"))
    result = run_cli("build", str(project), check=True)
    assert "1 draft left out" in result.stdout
    assert not (project / "site/sample-brief").exists()
    run_cli("build", str(project), "--drafts", check=True)
    assert (project / "site/sample-brief/index.html").exists()


def test_new_scaffolds_a_brief_from_a_seed_and_refuses_to_overwrite(project: Path) -> None:
    seed = Path(__file__).resolve().parent.parent / "seeds/000_87f9bf6137a3843a.txt"
    result = run_cli("new", "seed-brief", str(project), "--article", str(seed), check=True)
    assert "Created" in result.stdout
    article = (project / "content/seed-brief/article.md").read_text()
    assert "Izium har vært under russisk kontroll i fem måneder" in article
    assert "\\– For å oppnå" not in article
    again = run_cli("new", "seed-brief", str(project))
    assert again.returncode == 1 and "already exists" in again.stderr
    check = run_cli("check", str(project))
    assert "Traceback" not in check.stderr


def test_version_and_usage_errors() -> None:
    assert run_cli("--version").stdout.startswith("briefgen ")
    assert run_cli("frobnicate").returncode == 2


def test_public_api_returns_problems_as_values(project: Path) -> None:
    import briefgen

    BROKEN["unknown-status"][0](project)
    problems = briefgen.check(project)
    assert [p.field for p in problems if p.is_error] == ["claims[opposition-vote].status"]
    result = briefgen.build(project)
    assert not result.written and result.problems
    assert os.path.exists(project / "content")
