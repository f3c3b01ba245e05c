"""The default content: an honest brief of the seed article that builds with zero warnings."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from briefgen.checks import CLAIM_REVIEWED_MAX, HTTP_URL
from briefgen.markdown import plain_text
from briefgen.model import Brief
from briefgen.pipeline import check_project
from briefgen.quotes import normalise
from briefgen.ratings import DEFAULT
from tests.conftest import ROOT, run_cli

SEED = ROOT / "seeds/000_87f9bf6137a3843a.txt"
METHODOLOGY = ROOT / "content/methodology.md"

# Hosts that never hold real evidence: reserved example domains, local names, reserved TLDs.
PLACEHOLDER_HOST = re.compile(
    r"(^|\.)(example\.(com|org|net)|localhost|[^.]+\.(test|example|invalid|localhost)|(www\.)?example)$", re.IGNORECASE
)
# Sites that only republish other outlets' text: a source on one of them must name the original publisher.
REPUBLISHERS = ("d1softballnews.com", "milthink.com", "movatter.jp", "arainbowatnight.com", "rivaltimes.com")


def _brief() -> Brief:
    (brief,) = check_project(ROOT).briefs
    return brief


def test_default_project_checks_with_zero_problems() -> None:
    assert check_project(ROOT).problems == ()


def test_every_quote_is_in_the_seed_file_and_every_claim_is_sourced() -> None:
    seed = normalise(SEED.read_text("utf-8")).text
    brief = _brief()
    assert len(brief.claims) >= 15
    for claim in brief.claims:
        assert normalise(plain_text(claim.quote)).text in seed, claim.id
        assert claim.status
        if claim.status != "unverified":
            assert claim.sources, claim.id
            assert all(HTTP_URL.match(source.url) for source in claim.sources), claim.id


def test_article_body_is_the_seed_text_without_cross_links_and_footer() -> None:
    def lines(text: str) -> list[str]:
        return [line.strip().removeprefix("## ") for line in text.splitlines() if line.strip()]

    body = _brief().article.body
    seed = [
        line
        for line in lines(SEED.read_text("utf-8"))
        if not (line.startswith("[ ") and line.endswith(" ]")) and not line.startswith("Hold deg oppdatert.")
    ]
    assert lines(body) == seed


def test_restated_claims_are_short_and_never_carry_a_rating_label() -> None:
    labels = {rating.label("en").lower() for rating in DEFAULT.ratings} | {
        rating.label("nb").lower() for rating in DEFAULT.ratings
    }
    for claim in _brief().claims:
        assert claim.claim, f"{claim.id}: give a short English restatement"
        assert len(claim.claim) <= CLAIM_REVIEWED_MAX, claim.id
        words = claim.claim.lower()
        assert not [label for label in labels if re.search(rf"\b{re.escape(label)}\b", words)], claim.id


def test_every_source_is_complete_and_on_a_real_host() -> None:
    for claim in _brief().claims:
        for source in claim.sources:
            host = urlsplit(source.url).hostname or ""
            assert host and "." in host, (claim.id, source.url)
            assert not PLACEHOLDER_HOST.search(host), (claim.id, source.url)
            assert source.title.strip() and source.publisher.strip(), (claim.id, source.url)
            assert source.excerpt and source.excerpt.strip(), (claim.id, source.url)
            assert source.accessed is not None, (claim.id, source.url)


def test_a_republished_copy_names_its_original_publisher() -> None:
    for claim in _brief().claims:
        for source in claim.sources:
            host = (urlsplit(source.url).hostname or "").removeprefix("www.")
            if host in REPUBLISHERS:
                assert re.search(r"\b(republished by|via|through)\b", source.publisher), (claim.id, source.publisher)


def test_unverified_verdicts_say_what_was_searched() -> None:
    unverified = [claim for claim in _brief().claims if claim.status == "unverified"]
    assert unverified
    for claim in unverified:
        assert "searched" in claim.verdict, claim.id


def test_summary_says_the_headline_was_supplied_by_the_reviewer() -> None:
    assert "supplied by the reviewer" in " ".join(_brief().summary.split())


def test_methodology_page_has_the_report_an_error_section(tmp_path: Path) -> None:
    text = METHODOLOGY.read_text("utf-8")
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert "Report an error" in headings
    assert not re.search(r"^# ", text, re.MULTILINE), "the template already gives the page its <h1>"
    site = tmp_path / "site"
    run_cli("build", str(ROOT), "--out", str(site), check=True)
    page = (site / "methodology/index.html").read_text("utf-8")
    assert '<h2 id="report-an-error">Report an error</h2>' in page
    assert page.index("Report an error") < page.index('id="ratings"')
    assert page.count('id="report-an-error"') == 1, "the built-in section gives way to the methodology's own"
    brief = (site / "dagsavisen-2022-09-10-kharkiv/index.html").read_text("utf-8")
    assert 'href="../methodology/#report-an-error"' in brief


def test_default_site_builds_without_warnings(tmp_path: Path) -> None:
    result = run_cli("build", str(ROOT), "--out", str(tmp_path / "site"), check=True)
    assert result.stderr == ""
    assert (tmp_path / "site/dagsavisen-2022-09-10-kharkiv/index.html").is_file()
