"""Stage 3: pages rendered from the model."""

from __future__ import annotations

import json
import re
from pathlib import Path

from briefgen.markdown import render
from briefgen.model import Site
from briefgen.pipeline import check_project
from briefgen.render import collect_assets, render_site, text_fragment


def pages(project: Path) -> dict[str, str]:
    checked = check_project(project)
    site = Site(checked.config, checked.briefs)
    return {page.path: page.html for page in render_site(project, site, collect_assets(project))}


def test_site_has_index_brief_claim_methodology_and_404(project: Path) -> None:
    assert set(pages(project)) == {
        "index.html",
        "methodology/index.html",
        "404.html",
        "sample-brief/index.html",
        "sample-brief/budget-size/index.html",
        "sample-brief/opposition-vote/index.html",
        "sample-brief/unemployment/index.html",
    }


def test_brief_page_marks_each_quote_and_links_it_to_its_card(project: Path) -> None:
    html = pages(project)["sample-brief/index.html"]
    for claim_id, status in (
        ("budget-size", "true"),
        ("opposition-vote", "mostly-true"),
        ("unemployment", "unverified"),
    ):
        assert f'id="claim-{claim_id}" data-status="{status}"' in html
        assert f'<a href="#claim-{claim_id}"' in html
        assert f'id="quote-{claim_id}"' in html
        assert f'href="#quote-{claim_id}"' in html
    # a quote spanning **bold** Markdown is marked on both sides of the formatting
    assert re.search(
        r'<mark[^>]*id="quote-budget-size"[^>]*><a href="#claim-budget-size"[^>]*>approved a budget of </a></mark><strong><mark',
        html,
    )


def test_claim_page_carries_one_claimreview(project: Path) -> None:
    html = pages(project)["sample-brief/budget-size/index.html"]
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    reviews = [json.loads(b) for b in blocks if '"ClaimReview"' in b]
    assert len(reviews) == 1
    review = reviews[0]
    assert review["claimReviewed"] == "The council approved a 4.2 million euro budget"
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "True",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert review["url"] == "https://example.org/briefs/sample-brief/budget-size/"
    assert review["itemReviewed"]["appearance"]["url"] == "https://news.example.org/2024/03/01/budget"


def test_unverified_claimreview_has_no_numeric_rating(project: Path) -> None:
    html = pages(project)["sample-brief/unemployment/index.html"]
    review = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unverified"}


def test_markdown_is_safe() -> None:
    html = render(
        "<script>alert(1)</script> [x](javascript:alert(1)) [y](https://ok.example/) ![i](https://e.example/i.png)"
    )
    assert "<script>" not in html and "javascript:" not in html.replace("[x](javascript:alert(1))", "")
    assert '<a href="https://ok.example/">y</a>' in html
    assert "<img" not in html


def test_text_fragment_links_start_and_end_of_long_passages() -> None:
    assert text_fragment("https://a.example/x#top", "one two three") == "https://a.example/x#:~:text=one%20two%20three"
    long = "a b c d e f g h i j"
    assert text_fragment("https://a.example/x", long) == "https://a.example/x#:~:text=a%20b%20c%20d,g%20h%20i%20j"


def test_project_template_overrides_builtin_by_name(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/404.html").write_text(
        '{% extends "base.html" %}{% block content %}<p>Our own 404</p>{% endblock %}'
    )
    assert "Our own 404" in pages(project)["404.html"]


def test_assets_are_fingerprinted(project: Path) -> None:
    assets = collect_assets(project)
    assert re.fullmatch(r"style\.[0-9a-f]{10}\.css", assets["style.css"].published_name)


def test_text_fragment_encodes_its_own_syntax_characters() -> None:
    url = text_fragment("https://a.example/x", "Izium-regionene, for å styrke")
    assert url == "https://a.example/x#:~:text=Izium%2Dregionene%2C%20for%20%C3%A5%20styrke"


def test_a_person_claimant_is_a_person_in_claimreview(project: Path) -> None:
    notes = project / "content/sample-brief/notes.yaml"
    notes.write_text(
        notes.read_text().replace(
            '    claim: "The council approved a 4.2 million euro budget"\n',
            '    claim: "The council approved a 4.2 million euro budget"\n    claimant: "The mayor"\n    claimant_type: person\n',
        )
    )
    html = pages(project)["sample-brief/budget-size/index.html"]
    review = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "The mayor"}
    other = pages(project)["sample-brief/unemployment/index.html"]
    review = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', other, re.S).group(1))
    assert review["itemReviewed"]["author"]["@type"] == "Organization"
