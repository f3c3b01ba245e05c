"""Stage 2: semantic checks, above all quotes anchored verbatim in the article."""

from __future__ import annotations

from pathlib import Path

from briefgen.pipeline import check_project
from briefgen.problems import Severity
from briefgen.quotes import closest_passage, find, normalise


def edit(project: Path, old: str, new: str, name: str = "notes.yaml") -> None:
    path = project / "content/sample-brief" / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def errors(project: Path) -> list:
    return [p for p in check_project(project).problems if p.severity is Severity.ERROR]


def test_minimal_fixture_is_clean(project: Path) -> None:
    assert check_project(project).problems == ()


def test_normalise_folds_typography_and_whitespace() -> None:
    assert normalise("“Hi”\u00a0 —\nsoft\u00adware…").text == '"Hi" - software...'


def test_quote_matches_across_markdown_formatting_and_typography() -> None:
    blocks = ["The council approved a budget of 4.2 million euros.", "He said “no” — twice."]
    assert find("budget of 4.2   million", blocks) is not None
    match = find('He said "no" - twice', blocks)
    assert match is not None and match.block == 1


def test_quote_not_in_article_is_an_error_with_closest_passage(project: Path) -> None:
    edit(
        project,
        "approved a budget of 4.2 million euros on Tuesday",
        "approved a budget of 4.5 million euros on Tuesday",
    )
    (problem,) = errors(project)
    assert str(problem.location) == "content/sample-brief/notes.yaml:9:12"
    assert "does not appear verbatim" in problem.message
    assert "approved a budget of 4.2 million euros on Tuesday" in problem.hint


def test_quote_across_paragraphs_is_refused(project: Path) -> None:
    edit(project, "Unemployment fell to 3.1 percent last year", "voted against it. Unemployment fell")
    (problem,) = errors(project)
    assert "across two paragraphs" in problem.message


def test_unknown_status_suggests_the_closest(project: Path) -> None:
    edit(project, "status: mostly-true", "status: mostly-tru")
    (problem,) = errors(project)
    assert problem.location.line == 23 and "unknown status 'mostly-tru'" in problem.message
    assert "did you mean 'mostly-true'" in problem.hint


def test_duplicate_ids_and_non_kebab_ids(project: Path) -> None:
    edit(project, "id: opposition-vote", "id: budget-size")
    edit(project, "id: unemployment", "id: Unemployment_Rate")
    found = {p.message for p in errors(project)}
    assert any("duplicate claim id 'budget-size' (first used at line 8)" in m for m in found)
    assert any("not kebab-case" in m for m in found)


def test_unsafe_and_relative_urls_are_errors(project: Path) -> None:
    edit(project, "https://council.example.org/votes/2024-02-27", "javascript:alert(1)")
    edit(project, "https://council.example.org/minutes/2024-02-27", "council.example.org/minutes")
    found = errors(project)
    assert any("unsafe scheme 'javascript:'" in p.message for p in found)
    assert any("not an http(s) address" in p.message for p in found)


def test_sources_required_unless_status_needs_none(project: Path) -> None:
    edit(project, "status: unverified", "status: false")
    (problem,) = errors(project)
    assert "no sources" in problem.message


def test_long_restated_claim_and_label_in_claim_warn(project: Path) -> None:
    edit(project, 'claim: "The opposition voted against the plan"', 'claim: "' + "x" * 80 + '"')
    edit(
        project,
        'claim: "The council approved a 4.2 million euro budget"',
        'claim: "True: the council approved the budget"',
    )
    warnings = [p for p in check_project(project).problems if p.severity is Severity.WARNING]
    assert any("80 characters" in p.message for p in warnings)
    assert any("contains its rating 'true'" in p.message for p in warnings)


def test_missing_base_url_and_publisher_warn(project: Path) -> None:
    (project / "briefgen.toml").write_text('title = "No base"\n')
    messages = [p.message for p in check_project(project).problems]
    assert "no base_url in briefgen.toml" in messages
    assert "no [publisher] name in briefgen.toml" in messages


def test_closest_passage_finds_the_near_miss() -> None:
    blocks = ["Izium har vært under russisk kontroll i fem måneder, og en større gruppe."]
    assert closest_passage("Izium har vært under russisk kontroll i seks måneder", blocks).startswith(
        "Izium har vært under russisk kontroll i fem"
    )
