"""Stage 1: files → typed model objects with locations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefgen.load import load_briefs
from briefgen.problems import Problem, Severity
from briefgen.sources import LocatedDict, SourceError, parse_yaml, read_text


def load(project: Path) -> tuple[list, list[Problem]]:
    problems: list[Problem] = []
    return load_briefs(project, problems), problems


def test_minimal_fixture_loads_into_frozen_model(project: Path) -> None:
    briefs, problems = load(project)
    assert problems == []
    (brief,) = briefs
    assert brief.slug == "sample-brief"
    assert brief.article.publisher == "The Example Gazette"
    assert brief.article.published == dt.date(2024, 3, 1)
    assert [c.id for c in brief.claims] == ["budget-size", "opposition-vote", "unemployment"]
    assert brief.claims[0].status == "true"  # unquoted YAML boolean read as the status 'true'
    assert brief.claims[0].sources[0].published == dt.date(2024, 2, 27)
    assert brief.claims[2].sources == ()


def test_every_field_remembers_file_line_and_column(project: Path) -> None:
    (brief,), _ = load(project)
    where = brief.claims[1].where["status"]
    assert (where.path, where.line) == ("content/sample-brief/notes.yaml", 23)
    assert str(where) == "content/sample-brief/notes.yaml:23:13"
    assert brief.article.where["publisher"].line == 3


def test_yaml_booleans_false_become_status_false(project: Path) -> None:
    notes = project / "content/sample-brief/notes.yaml"
    notes.write_text(notes.read_text().replace("status: mostly-true", "status: false"))
    (brief,), _problems = load(project)
    assert brief.claims[1].status == "false"


def test_read_text_normalises_bom_and_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xef\xbb\xbftitle: a\r\nsummary: b\rend: c\n")
    assert read_text(path, "x.yaml") == "title: a\nsummary: b\nend: c\n"


def test_read_text_rejects_invalid_utf8_with_location(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"title: ok\nsummary: caf\xe9\n")
    try:
        read_text(path, "x.yaml")
    except SourceError as exc:
        assert str(exc.location) == "x.yaml:2:13"
        assert "UTF-8" in exc.message
    else:
        raise AssertionError("invalid UTF-8 was accepted")


def test_parse_yaml_reports_duplicate_keys_and_aliases() -> None:
    for text, line, fragment in (
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
        ("a: &x [1, 2]\nb: *x\n", 1, "aliases"),
        ("a: 1\n\tb: 2\n", 2, "YAML syntax error"),
    ):
        try:
            parse_yaml(text, "n.yaml")
        except SourceError as exc:
            assert exc.location.line == line, (text, exc.location)
            assert fragment in exc.message
        else:
            raise AssertionError(f"accepted: {text!r}")


def test_parse_yaml_returns_located_mappings() -> None:
    data = parse_yaml("title: x\nclaims:\n  - id: a\n", "n.yaml")
    assert isinstance(data, LocatedDict)
    assert data.key_locations["claims"].line == 2
    assert data["claims"].item_locations[0].line == 3


def test_wrong_types_and_missing_fields_are_located_problems(project: Path) -> None:
    notes = project / "content/sample-brief/notes.yaml"
    text = (
        notes.read_text()
        .replace('reviewers: ["Jo Checker"]', "reviewers: Jo Checker")
        .replace("published: 2024-03-02", "published: 2024-13-45")
    )
    notes.write_text(
        text.replace("summary: |\n  Two of the article's claims hold up; one could not be verified.\n", "")
    )
    _, problems = load(project)
    messages = {(p.field, p.location.line): p.message for p in problems}
    assert any(field == "reviewers" and "must be a list" in m for (field, _), m in messages.items())
    assert any(field == "published" and "not a real date" in m for (field, _), m in messages.items())
    assert any(field == "summary" and "missing required field" in m for (field, _), m in messages.items())
    assert all(p.severity is Severity.ERROR for p in problems)


def test_unknown_key_is_a_warning_naming_the_closest_known_key(project: Path) -> None:
    notes = project / "content/sample-brief/notes.yaml"
    notes.write_text(notes.read_text().replace("verdict: One opposition", "verdit: One opposition"))
    _, problems = load(project)
    warning = next(p for p in problems if "verdit" in p.message)
    assert warning.severity is Severity.WARNING
    assert "did you mean 'verdict'" in warning.hint
    assert any(p.field.endswith(".verdict") and "missing required" in p.message for p in problems)


def test_claimant_type_must_be_person_or_organization(project: Path) -> None:
    notes = project / "content/sample-brief/notes.yaml"
    notes.write_text(
        notes.read_text().replace("    status: mostly-true\n", "    claimant_type: robot\n    status: mostly-true\n")
    )
    _, problems = load(project)
    (problem,) = problems
    assert problem.field == "claims[opposition-vote].claimant_type"
    assert (problem.location.line, "person or organization") == (23, "person or organization")
    assert "person or organization" in problem.message
