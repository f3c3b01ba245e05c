"""ClaimReview JSON-LD: one per claim page, saying exactly what the page shows; none on brief or index pages."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from briefgen.checks import CLAIM_REVIEWED_MAX
from briefgen.pipeline import check_project
from tests.conftest import run_cli
from tests.sites import PROJECTS, brief_pages, build_sites, claim_pages

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_sites(tmp_path_factory.mktemp("claimreview-sites"))


class _Visible(HTMLParser):
    """The text a reader sees (no <script>, <style> or <head>), and the <time datetime> values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.times: list[str] = []
        self.links: list[str] = []
        self.h1: list[str] = []
        self._skip = 0
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "head"):
            self._skip += 1
        if tag == "time" and values.get("datetime"):
            self.times.append(values["datetime"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skip -= 1
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)
            if self._in_h1:
                self.h1.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def visible(html: str) -> _Visible:
    parser = _Visible()
    parser.feed(html)
    return parser


def reviews(html: str) -> list[dict[str, Any]]:
    return [data for data in map(json.loads, JSONLD.findall(html)) if data.get("@type") == "ClaimReview"]


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_every_claim_page_has_one_complete_claimreview_matching_the_page(sites: dict[str, Path], name: str) -> None:
    site = sites[name]
    checked = check_project(PROJECTS[name])
    config = checked.config
    briefs = {brief.slug: brief for brief in checked.briefs}
    pages = claim_pages(site)
    assert len(pages) == sum(len(b.claims) for b in briefs.values() if not b.draft)
    for page in pages:
        html = page.read_text("utf-8")
        found = reviews(html)
        assert len(found) == 1, f"{page}: {len(found)} ClaimReviews"
        review = found[0]
        brief = briefs[page.parent.parent.name]
        claim = next(c for c in brief.claims if c.id == page.parent.name)
        rating = config.scale.get(claim.status)
        assert rating is not None
        seen = visible(html)

        assert review["@context"] == "https://schema.org"
        assert review["claimReviewed"] == claim.restated
        assert len(review["claimReviewed"]) <= CLAIM_REVIEWED_MAX
        assert " ".join(seen.h1).strip() == claim.restated, "the page's headline is the claim reviewed"

        rating_data = review["reviewRating"]
        assert rating_data["@type"] == "Rating"
        assert rating_data["alternateName"] == rating.label(config.language)
        assert rating_data["alternateName"] in seen.text
        assert rating_data["alternateName"].lower() not in review["claimReviewed"].lower()
        if rating.value is None:
            assert set(rating_data) == {"@type", "alternateName"}
        else:
            assert (rating_data["ratingValue"], rating_data["bestRating"], rating_data["worstRating"]) == (
                rating.value,
                5,
                1,
            )

        assert review["url"] == f"{config.base_url}{page.parent.relative_to(site).as_posix()}/"
        assert review["url"].startswith(config.base_url) and config.base_url.startswith("http")

        author = review["author"]
        assert author["@type"] == "Organization"
        assert author["name"] == config.publisher.name and author["name"] in seen.text
        assert author["url"] == (config.publisher.url or config.base_url)

        assert review["datePublished"] == brief.published.isoformat() in seen.times

        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"]["name"] == brief.claimant_of(claim)
        assert item["author"]["name"] in seen.text
        assert item["datePublished"] == brief.article.published.isoformat() in seen.times
        if brief.article.url:
            assert item["appearance"]["url"] == brief.article.url in seen.links
        else:
            assert "appearance" not in item
        assert "firstAppearance" not in item, "the page does not say where the claim first appeared"


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_brief_and_index_pages_carry_no_claimreview(sites: dict[str, Path], name: str) -> None:
    site = sites[name]
    pages = [site / "index.html", site / "methodology/index.html", *brief_pages(site)]
    assert len(pages) >= 3
    for page in pages:
        assert reviews(page.read_text("utf-8")) == [], page


def test_default_site_claimreview_has_absolute_urls_on_its_base(sites: dict[str, Path]) -> None:
    page = next(p for p in claim_pages(sites["default"]) if p.parent.name == "regrouping-statement-wording")
    (review,) = reviews(page.read_text("utf-8"))
    assert review["url"] == "http://127.0.0.1:8000/dagsavisen-2022-09-10-kharkiv/regrouping-statement-wording/"
    assert review["itemReviewed"]["author"]["name"] == "Russian Ministry of Defence"
    assert review["inLanguage"] == "en"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_check_warns_with_file_and_line_where_google_guidelines_break(project: Path) -> None:
    notes = project / "content/sample-brief/notes.yaml"
    _edit(notes, 'claim: "The opposition voted against the plan"', 'claim: "' + "y" * 90 + '"')
    _edit(notes, 'claim: "The council approved a 4.2 million euro budget"', 'claim: "True: the budget passed"')
    _edit(project / "briefgen.toml", 'base_url = "https://example.org/briefs/"', "")
    _edit(project / "briefgen.toml", 'name = "Fixture Desk"', "")
    result = run_cli("check", str(project))
    out = result.stdout + result.stderr
    lines = notes.read_text("utf-8").splitlines()
    long_line = next(i for i, line in enumerate(lines, 1) if "y" * 90 in line)
    label_line = next(i for i, line in enumerate(lines, 1) if "True: the budget passed" in line)
    assert re.search(rf"content/sample-brief/notes\.yaml:{long_line}:\d+: warning: .*90 characters", out), out
    assert re.search(rf"content/sample-brief/notes\.yaml:{label_line}:\d+: warning: .*contains its rating", out), out
    assert re.search(r"briefgen\.toml:\d+:\d+: warning: no base_url", out), out
    assert re.search(r"briefgen\.toml:\d+:\d+: warning: no \[publisher\] name", out), out


def test_check_warns_when_an_unrestated_quote_contains_the_label(project: Path) -> None:
    notes = project / "content/sample-brief/notes.yaml"
    text = notes.read_text("utf-8")
    assert 'claim: "The council approved a 4.2 million euro budget"\n' in text
    _edit(notes, '    claim: "The council approved a 4.2 million euro budget"\n', "")
    article = project / "content/sample-brief/article.md"
    _edit(article, "the mayor said.", "the mayor said. It is true.")
    _edit(notes, 'quote: "approved a budget of 4.2 million euros on Tuesday"', 'quote: "It is true."')
    problems = [p for p in check_project(project).problems if "contains its rating" in p.message]
    assert problems and problems[0].location.line > 1
