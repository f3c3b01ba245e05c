"""The generated JSON Schemas agree with the loader and checker: valid content passes, broken content fails
on the same field the checker names."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import briefgen
from briefgen.config import KNOWN_KEYS, RATING_KEYS, load_config
from briefgen.json_schema import NAMES, schema_for, schema_text
from briefgen.model import SiteConfig
from briefgen.schema import ARTICLE, CLAIM, CONFIG, NOTES, PUBLISHER, RATING, SOURCE, Shape
from briefgen.sources import InvalidDate, parse_yaml, split_front_matter
from tests.conftest import FIXTURES, ROOT, run_cli
from tests.test_build import BROKEN, _replace

BRIEF = "content/sample-brief"


def to_json(value: Any) -> Any:
    """Loaded YAML → JSON values, as an editor sees the YAML text: dates become YYYY-MM-DD strings."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, InvalidDate):
        return str(value)
    return value


def validator(name: str, config: SiteConfig | None = None) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(schema_for(name, config), format_checker=jsonschema.FormatChecker())


def notes_data(project: Path, brief: str = BRIEF) -> Any:
    return to_json(parse_yaml((project / brief / "notes.yaml").read_text("utf-8"), "notes.yaml"))


def article_data(project: Path, brief: str = BRIEF) -> Any:
    data, _, _ = split_front_matter((project / brief / "article.md").read_text("utf-8"), "article.md")
    return to_json(data)


def checker_field(error: jsonschema.ValidationError, data: Any, prefix: str = "") -> str:
    """A schema error's place written as the checker names fields: claims[<id>].sources[0].url."""
    path = list(error.absolute_path)
    key: list[str] = []
    if error.validator == "required":
        key = [next(name for name in error.validator_value if name not in error.instance)]
    if error.validator == "additionalProperties":
        key = [next(name for name in error.instance if name not in error.schema["properties"])]
    parts: list[str] = [prefix] if prefix else []
    node = data
    for step in path:
        if isinstance(step, int):
            item = node[step]
            label = item.get("id") if parts == ["claims"] and isinstance(item, dict) else None
            parts[-1] += f"[{label if isinstance(label, str) else step}]"
        else:
            parts.append(str(step))
        node = node[step]
    return ".".join(parts + key)


def schema_fields(project: Path) -> set[str]:
    config, _ = load_config(project)
    fields = set()
    notes = notes_data(project)
    fields |= {checker_field(e, notes) for e in validator("notes", config).iter_errors(notes)}
    article = article_data(project)
    fields |= {checker_field(e, article, "article") for e in validator("article", config).iter_errors(article)}
    return fields


def error_fields(project: Path) -> set[str]:
    return {p.field for p in briefgen.check(project) if p.is_error}


def test_every_schema_is_a_valid_draft7_schema_with_docs_on_every_field() -> None:
    for name in NAMES:
        schema = schema_for(name)
        jsonschema.Draft7Validator.check_schema(schema)
        assert json.loads(schema_text(name)) == schema

    def documented(node: dict[str, Any], shape: Shape) -> None:
        assert node["description"] == shape.description
        assert list(node["properties"]) == list(shape.names)
        assert node["required"] == [f.name for f in shape.fields if f.required]
        for field in shape.fields:
            assert node["properties"][field.name]["description"] == field.description

    notes = schema_for("notes")
    documented(notes, NOTES)
    documented(notes["properties"]["claims"]["items"], CLAIM)
    documented(notes["properties"]["claims"]["items"]["properties"]["sources"]["items"], SOURCE)
    documented(schema_for("article"), ARTICLE)
    config = schema_for("config")
    documented(config, CONFIG)
    documented(config["properties"]["ratings"]["items"], RATING)
    assert config["properties"]["publisher"]["properties"]["name"]["description"] == PUBLISHER.fields[0].description


def test_config_keys_are_declared_once() -> None:
    config = schema_for("config")
    assert tuple(config["properties"]) == KNOWN_KEYS
    assert tuple(config["properties"]["ratings"]["items"]["properties"]) == RATING_KEYS


def test_fixture_sites_are_valid() -> None:
    for project in (FIXTURES / "minimal", ROOT):
        config, _ = load_config(project)
        for notes in sorted((project / "content").glob("*/notes.yaml")):
            brief = notes.parent.relative_to(project).as_posix()
            assert list(validator("notes", config).iter_errors(notes_data(project, brief))) == [], notes
            assert list(validator("article", config).iter_errors(article_data(project, brief))) == [], notes
        toml = tomllib.loads((project / "briefgen.toml").read_text("utf-8"))
        assert list(validator("config", config).iter_errors(toml)) == []


SCHEMA_CATCHES = ["missing-field", "wrong-type", "unknown-status", "bad-date", "bad-url", "article-front-matter"]
ONLY_THE_CHECKER = ["duplicate-id", "quote-not-in-article"]  # need the whole brief or the article text

EXTRA: dict[str, Callable[[Path], None]] = {
    "blank-summary": _replace("notes.yaml", "Two of the article's claims hold up; one could not be verified.", " "),
    "source-without-title": _replace("notes.yaml", '        title: "Roll call"\n', ""),
    "unsafe-archive-url": _replace(
        "notes.yaml",
        '        title: "Roll call"\n',
        '        title: "Roll call"\n        archive_url: "javascript:x"\n',
    ),
    "bad-claim-id": _replace("notes.yaml", "id: unemployment", "id: Unemployment Rate"),
    "draft-not-boolean": _replace("notes.yaml", "tags: [budget]", "tags: [budget]\ndraft: maybe"),
    "article-date": _replace("article.md", "published: 2024-03-01", "published: 2024-02-30"),
}


@pytest.mark.parametrize("case", SCHEMA_CATCHES + sorted(EXTRA))
def test_broken_content_fails_the_schema_on_the_field_the_checker_names(project: Path, case: str) -> None:
    mutate = BROKEN[case][0] if case in BROKEN else EXTRA[case]
    mutate(project)
    checker = error_fields(project)
    assert checker, "the mutation should be an error for the checker"
    assert schema_fields(project) == checker


@pytest.mark.parametrize("case", ONLY_THE_CHECKER)
def test_what_only_the_checker_can_see(project: Path, case: str) -> None:
    BROKEN[case][0](project)
    assert error_fields(project) and schema_fields(project) == set()


def test_status_enum_follows_the_configured_scale_and_allows_yaml_booleans(project: Path) -> None:
    status = schema_for("notes")["properties"]["claims"]["items"]["properties"]["status"]
    assert status["enum"] == ["true", True, "mostly-true", "mixed", "misleading", "false", False, "unverified"]
    assert status["enumDescriptions"][0].startswith("True: The claim is accurate")
    assert len(status["markdownEnumDescriptions"]) == len(status["enum"])

    _replace("notes.yaml", "status: mostly-true", "status: false")(project)
    assert schema_fields(project) == set() == error_fields(project)

    toml = project / "briefgen.toml"
    toml.write_text('language = "nb"\nrating_scale = "faktisk"\n' + toml.read_text())
    config, _ = load_config(project)
    faktisk = schema_for("notes", config)["properties"]["claims"]["items"]["properties"]["status"]
    assert faktisk["enum"] == ["helt-sant", "delvis-sant", "ikke-sikkert", "delvis-feil", "helt-feil"]
    assert faktisk["enumDescriptions"][0] == "Helt sant: Påstanden er helt riktig."
    # `status: true` is no key of this scale: both the schema and the checker reject it
    assert "claims[budget-size].status" in schema_fields(project) & error_fields(project)


def test_unknown_keys_are_schema_errors_and_checker_warnings(project: Path) -> None:
    _replace("notes.yaml", "tags: [budget]", "tags: [budget]\ntagz: [x]")(project)
    assert schema_fields(project) == {"tagz"}
    assert [p.field for p in briefgen.check(project)] == ["tagz"]


def test_config_schema_rejects_what_config_py_rejects(project: Path) -> None:
    toml = project / "briefgen.toml"
    for line, field in [
        ('rating_scale = "nope"', "rating_scale"),
        ('language = "de"', "language"),
        ('report_error_url = "ftp://x"', "report_error_url"),
        ('[[ratings]]\nkey = "ok"\nvalue = 9', "ratings"),
        ('[[ratings]]\nkey = "ok"\ncolour = "red"', "ratings"),
    ]:
        text = (FIXTURES / "minimal/briefgen.toml").read_text().replace("[publisher]", f"{line}\n\n[publisher]")
        if line.startswith("[["):
            text += f"\n{line}\n"
        toml.write_text(text)
        _, problems = load_config(project)
        assert field in {p.field.split(".")[0] for p in problems if p.is_error}, line
        errors = list(validator("config").iter_errors(tomllib.loads(text)))
        assert errors and {str(e.absolute_path[0]) for e in errors} == {field}, (line, errors)


def test_schema_command_prints_each_schema_for_the_project(project: Path) -> None:
    (project / "briefgen.toml").write_text('rating_scale = "faktisk"\n')
    for name in NAMES:
        result = run_cli("schema", name, str(project), check=True)
        config, _ = load_config(project)
        assert json.loads(result.stdout) == schema_for(name, config)
    assert "ikke-sikkert" in run_cli("schema", cwd=project, check=True).stdout
    assert run_cli("schema", "nonsense").returncode == 2
    written = run_cli("schema", "--write", str(project), check=True)
    assert "Wrote 3 schemas" in written.stderr
    assert (project / ".briefgen/schema/notes.schema.json").read_text() == schema_text("notes", config)


def test_build_publishes_the_schemas(project: Path) -> None:
    result = briefgen.build(project)
    assert result.written
    config, _ = load_config(project)
    for name in NAMES:
        assert (project / f"site/schema/{name}.schema.json").read_text("utf-8") == schema_text(name, config)
