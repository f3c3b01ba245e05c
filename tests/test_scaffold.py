"""`briefgen new --article`: the proposed claims, once uncommented and decided, check and build."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import briefgen
from briefgen.config import load_config
from briefgen.json_schema import schema_text
from briefgen.markdown import parse_article
from briefgen.scaffold import claims_section
from tests.conftest import ROOT, run_cli
from tests.test_schema import notes_data, validator

SEED = ROOT / "seeds/000_87f9bf6137a3843a.txt"
ENGLISH = Path(__file__).resolve().parent / "fixtures/articles/harbour-report.txt"
CANDIDATE_LINE = re.compile(r"^  # (- id: |  [a-z_]+:)", re.MULTILINE)


def accept_all_candidates(notes: str) -> str:
    """What a writer does: uncomment the candidates, drop the `[]`, decide a status and write a verdict."""
    text = CANDIDATE_LINE.sub(lambda m: "  " + m.group(1), notes)
    text = text.replace("\n  []\n", "\n", 1)
    text = re.sub(r"status:  # .*", "status: unverified", text)
    text = text.replace('verdict: ""', 'verdict: "Not yet checked against sources."')
    return text.replace("draft: true", "draft: false")


@pytest.mark.parametrize(("article", "language"), [(SEED, "nb"), (ENGLISH, "en")])
def test_scaffolded_candidates_check_and_build_once_accepted(project: Path, article: Path, language: str) -> None:
    result = run_cli("new", "scaffolded", str(project), "--article", str(article), check=True)
    assert "Created" in result.stdout
    folder = project / "content/scaffolded"
    notes = (folder / "notes.yaml").read_text("utf-8")
    assert f"language: {language}" in (folder / "article.md").read_text("utf-8")

    proposed = yaml.safe_load(notes)["claims"]
    assert proposed == []  # every candidate is commented out until the writer accepts it
    count = len(CANDIDATE_LINE.findall(notes)) // 6
    assert count >= 5
    assert not [p for p in briefgen.check(project) if p.is_error]  # a fresh scaffold checks clean

    (folder / "notes.yaml").write_text(accept_all_candidates(notes), "utf-8")
    claims = yaml.safe_load((folder / "notes.yaml").read_text("utf-8"))["claims"]
    assert len(claims) == count and len({c["id"] for c in claims}) == count
    assert (
        list(validator("notes", load_config(project)[0]).iter_errors(notes_data(project, "content/scaffolded"))) == []
    )
    problems = briefgen.check(project)
    assert not [p.format() for p in problems if p.is_error]  # every quote is found verbatim in the article
    built = briefgen.build(project)
    assert built.written, [p.format() for p in built.problems]
    for claim in claims:
        page = project / "site/scaffolded" / claim["id"] / "index.html"
        assert page.is_file(), claim["id"]


def test_an_undecided_candidate_is_an_error_naming_its_status(project: Path) -> None:
    run_cli("new", "scaffolded", str(project), "--article", str(ENGLISH), check=True)
    notes = project / "content/scaffolded/notes.yaml"
    text = CANDIDATE_LINE.sub(lambda m: "  " + m.group(1), notes.read_text("utf-8")).replace("\n  []\n", "\n", 1)
    notes.write_text(text, "utf-8")
    fields = {p.field.rsplit(".", 1)[-1] for p in briefgen.check(project) if p.is_error}
    assert fields == {"status", "verdict"}


def test_new_points_notes_at_a_schema_written_into_the_project(project: Path) -> None:
    (project / "briefgen.toml").write_text('rating_scale = "faktisk"\n')
    run_cli("new", "plain", str(project), check=True)
    notes = project / "content/plain/notes.yaml"
    first = notes.read_text("utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    schema_file = (notes.parent / match.group(1)).resolve()  # relative to notes.yaml, as yaml-language-server reads it
    assert schema_file == (project / ".briefgen/schema/notes.schema.json").resolve()
    config, _ = load_config(project)
    assert schema_file.read_text("utf-8") == schema_text("notes", config)
    assert "helt-sant" in schema_file.read_text("utf-8")
    jsonschema.Draft7Validator.check_schema(yaml.safe_load(schema_file.read_text("utf-8")))
    assert "short-kebab-name" in notes.read_text("utf-8")  # without an article: the commented example claim
    assert not [p for p in briefgen.check(project) if p.is_error and "content/plain" in p.location.path]


def test_markdown_article_keeps_its_markup_and_quotes_still_match(project: Path, tmp_path: Path) -> None:
    article = tmp_path / "story.md"
    article.write_text(
        "The **ministry** said on Monday that 43 tanks were captured.\n\nNothing else happened here at all.\n"
    )
    run_cli("new", "markdown-story", str(project), "--article", str(article), check=True)
    folder = project / "content/markdown-story"
    assert "The **ministry** said" in (folder / "article.md").read_text("utf-8")
    notes = folder / "notes.yaml"
    assert '#   quote: "The ministry said on Monday that 43 tanks were captured."' in notes.read_text("utf-8")
    notes.write_text(accept_all_candidates(notes.read_text("utf-8")), "utf-8")
    assert not [p.format() for p in briefgen.check(project) if p.is_error]


WORDS = st.sampled_from(
    [
        "The",
        "ministry",
        "said",
        "on",
        "Monday",
        "43",
        "tanks",
        "Ifølge",
        "SBU",
        "sier",
        "fem",
        "måneder",
        "«Nei»",
        '"quoted"',
        "#",
        ":",
        "- ",
        "*x*",
        "[a]",
        "Dr.",
        "\\",
        "'",
        "–",
        "?",
        ".",
        "\n",
        "\n\n",
        "2024-03-01",
        "&x",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=60).map(" ".join))
def test_claims_section_is_always_valid_yaml_before_and_after_uncommenting(body: str) -> None:
    blocks = list(parse_article(body).blocks)
    section = claims_section(blocks, ("true", "unverified"), "2024-01-01")
    assert yaml.safe_load(section) == {"claims": []}
    proposed = len(re.findall(r"  # candidate \d+, score", section))
    if not proposed:
        assert "short-kebab-name" in section  # nothing check-worthy: the documented example instead
        return
    accepted = yaml.safe_load(accept_all_candidates(section))["claims"]
    assert len(accepted) == proposed
    for claim in accepted:
        assert claim["status"] == "unverified" and claim["quote"].strip()
