"""Publishing extras: sitemap, robots.txt, the Atom feed, brief.json, the ClaimReview DataFeed, search, reproducibility."""

from __future__ import annotations

import importlib
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefgen import publish
from briefgen.data import article_text
from briefgen.markdown import parse_article
from briefgen.pipeline import build_project
from briefgen.quotes import normalise
from briefgen.search import pagefind_executable
from tests.conftest import ROOT, run_cli, snapshot
from tests.corpus_support import make_corpus

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://example.org/briefs/"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
build_module = importlib.import_module("briefgen.pipeline")  # the module; `briefgen.build` is the API function
needs_pagefind = pytest.mark.skipif(pagefind_executable() is None, reason="pagefind[bin] is not installed")


@pytest.fixture
def site(project: Path) -> Path:
    result = build_project(project)
    assert result.written, [p.format() for p in result.problems]
    return project / "site"


def test_sitemap_lists_every_page_under_base_url(site: Path) -> None:
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    locs = [url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")]
    assert locs == [
        BASE,
        f"{BASE}methodology/",
        f"{BASE}sample-brief/",
        f"{BASE}sample-brief/budget-size/",
        f"{BASE}sample-brief/opposition-vote/",
        f"{BASE}sample-brief/unemployment/",
    ]
    for loc in locs:
        assert loc is not None
        relative = loc.removeprefix(BASE)
        assert (site / relative / "index.html").is_file()
    lastmods = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root}
    assert lastmods[f"{BASE}sample-brief/"] == "2024-03-02"


def test_a_sitemap_above_the_protocols_limit_is_split_under_a_sitemap_index(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_corpus(project, 5)  # 6 briefs of 4 pages each, and the index and methodology: 26 addresses
    whole = build_project(project, project / "whole", search=False, cache=False, jobs=1)
    assert whole.written
    monkeypatch.setattr(publish, "SITEMAP_LIMIT", 10)
    assert build_project(project, search=False, cache=False, jobs=1).written
    site = project / "site"
    index = ET.parse(site / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [entry.findtext(f"{SITEMAP}loc") for entry in index]
    assert parts == [f"{BASE}sitemap-{n}.xml" for n in (1, 2, 3)]
    urls: list[ET.Element] = []
    for part in parts:
        assert part is not None
        root = ET.parse(site / part.removeprefix(BASE)).getroot()
        assert root.tag == f"{SITEMAP}urlset" and 0 < len(root) <= 10
        assert [entry.findtext(f"{SITEMAP}lastmod") for entry in index if entry.findtext(f"{SITEMAP}loc") == part] == [
            max(url.findtext(f"{SITEMAP}lastmod") or "" for url in root)
        ]
        urls += list(root)
    unsplit = ET.parse(project / "whole" / "sitemap.xml").getroot()

    def entries(found: list[ET.Element]) -> list[tuple[str | None, str | None]]:
        return [(url.findtext(f"{SITEMAP}loc"), url.findtext(f"{SITEMAP}lastmod")) for url in found]

    assert entries(urls) == entries(list(unsplit))  # the same addresses, in the same order
    assert f"Sitemap: {BASE}sitemap.xml" in (site / "robots.txt").read_text()


def test_robots_points_at_the_sitemap_and_keeps_crawlers_out_of_the_index(site: Path) -> None:
    robots = (site / "robots.txt").read_text()
    assert f"Sitemap: {BASE}sitemap.xml" in robots.splitlines()
    assert "Disallow: /briefs/pagefind/" in robots.splitlines()


def test_atom_feed_has_every_element_rfc_4287_requires(site: Path) -> None:
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == BASE
    assert feed.findtext(f"{ATOM}title") == "Minimal fixture"
    assert RFC3339.match(feed.findtext(f"{ATOM}updated") or "")
    self_links = [link.get("href") for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_links == [f"{BASE}feed.xml"]
    feed_authors = feed.findall(f"{ATOM}author")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    for entry in entries:
        assert entry.findtext(f"{ATOM}id") == f"{BASE}sample-brief/"
        assert entry.findtext(f"{ATOM}title") == "Fact-check: the budget report"
        assert RFC3339.match(entry.findtext(f"{ATOM}updated") or "")
        links = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        assert [link.get("href") for link in links] == [f"{BASE}sample-brief/"]
        assert feed_authors or entry.findall(f"{ATOM}author"), "RFC 4287 4.1.1: a feed or each entry needs an author"
        assert all(a.findtext(f"{ATOM}name") for a in entry.findall(f"{ATOM}author"))
        summary = entry.findtext(f"{ATOM}summary") or ""
        assert "Two of the article's claims hold up" in summary
        assert "3 claims checked: True 1, Mostly true 1, Unverified 1" in summary
        content = entry.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html"
        assert "<li>Mostly true: 1</li>" in (content.text or "")
    assert feed.findtext(f"{ATOM}updated") == "2024-03-02T00:00:00Z"


def test_feed_escapes_markup_in_titles(project: Path) -> None:
    notes = project / "content/sample-brief/notes.yaml"
    notes.write_text(notes.read_text().replace('"Fact-check: the budget report"', '"Budget <b>&</b> ]]> report"'))
    build_project(project)
    feed = ET.parse(project / "site/feed.xml").getroot()
    assert feed.findtext(f"{ATOM}entry/{ATOM}title") == "Budget <b>&</b> ]]> report"


def test_claimreview_datafeed_has_the_fields_aggregators_read(site: Path) -> None:
    feed = json.loads((site / "claimreview.json").read_text())
    assert feed["@context"] == "https://schema.org" and feed["@type"] == "DataFeed"
    reviews = [review for element in feed["dataFeedElement"] for review in element["item"]]
    assert [r["url"] for r in reviews] == [
        f"{BASE}sample-brief/budget-size/",
        f"{BASE}sample-brief/opposition-vote/",
        f"{BASE}sample-brief/unemployment/",
    ]
    for element in feed["dataFeedElement"]:
        assert element["@type"] == "DataFeedItem" and element["dateCreated"] == "2024-03-02"
    for review in reviews:
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] and len(review["claimReviewed"]) <= 75
        assert review["reviewRating"]["@type"] == "Rating" and review["reviewRating"]["alternateName"]
        assert review["url"].startswith(BASE)
        assert review["author"]["name"] == "Fixture Desk"
        assert review["datePublished"] == "2024-03-02"
        claim = review["itemReviewed"]
        assert claim["@type"] == "Claim" and claim["author"]["name"] and claim["datePublished"] == "2024-03-01"
    assert [r["reviewRating"]["alternateName"] for r in reviews] == ["True", "Mostly true", "Unverified"]
    page = (site / "sample-brief/budget-size/index.html").read_text()
    embedded = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])  # type: ignore[index]
    assert embedded == reviews[0], "the feed states exactly what the claim page states"


def test_brief_json_anchors_every_quote_with_web_annotation_selectors(site: Path, project: Path) -> None:
    data = json.loads((site / "sample-brief/brief.json").read_text())
    assert data["format"] == "briefgen-brief/1" and data["url"] == f"{BASE}sample-brief/"
    assert [c["status"] for c in data["claims"]] == ["true", "mostly-true", "unverified"]
    assert data["scorecard"] == [
        {"status": "true", "label": "True", "count": 1},
        {"status": "mostly-true", "label": "Mostly true", "count": 1},
        {"status": "unverified", "label": "Unverified", "count": 1},
    ]
    body = (project / "content/sample-brief/article.md").read_text().split("---\n", 2)[2]
    text = data["article"]["text"]
    assert text == article_text(parse_article(body).blocks)
    assert text.split("\n\n")[1] == "Reactions", "headings are blocks too, and formatting is gone"
    for claim in data["claims"]:
        quote, position = claim["target"]["selector"]
        assert claim["target"]["source"] == "https://news.example.org/2024/03/01/budget"
        assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        assert text[:start].endswith(quote["prefix"]) and text[end:].startswith(quote["suffix"])
        assert len(quote["prefix"]) == min(32, start) and len(quote["suffix"]) == min(32, len(text) - end)
        assert normalise(quote["exact"]).text == normalise(claim["quote"].replace("**", "")).text
        assert claim["sources"] or claim["status"] == "unverified"
    vote = data["claims"][1]["target"]["selector"][0]
    assert vote["exact"] == "The opposition called the plan “reckless” — and voted against it."
    assert vote["prefix"].endswith("mayor said.\n\nReactions\n\n")


def test_without_base_url_the_absolute_files_are_left_out_with_a_warning(project: Path) -> None:
    config = project / "briefgen.toml"
    config.write_text(config.read_text().replace('base_url = "https://example.org/briefs/"\n', ""))
    result = build_project(project)
    assert result.written
    messages = [p.message for p in result.problems]
    assert "no base_url: sitemap.xml, feed.xml and claimreview.json were left out" in messages
    site = project / "site"
    assert not (site / "sitemap.xml").exists() and not (site / "feed.xml").exists()
    assert not (site / "claimreview.json").exists()
    assert "Sitemap" not in (site / "robots.txt").read_text()
    assert json.loads((site / "sample-brief/brief.json").read_text())["url"] == "sample-brief/"
    assert "application/atom+xml" not in (site / "index.html").read_text()


def test_pages_carry_sharing_cards_a_favicon_and_the_feed(site: Path) -> None:
    brief = (site / "sample-brief/index.html").read_text()
    score = "3 claims checked: True 1, Mostly true 1, Unverified 1"
    assert f'<meta property="og:description" content="Fact-check: the budget report. {score}">' in brief
    assert '<meta property="og:site_name" content="Minimal fixture">' in brief
    assert '<meta property="og:type" content="article">' in brief
    assert f'<meta property="og:url" content="{BASE}sample-brief/">' in brief
    assert '<meta name="twitter:card" content="summary">' in brief
    assert f'<meta name="twitter:description" content="Fact-check: the budget report. {score}">' in brief
    assert f'<link rel="canonical" href="{BASE}sample-brief/">' in brief
    icon = re.search(r'<link rel="icon" href="\.\./(assets/favicon\.[0-9a-f]{10}\.svg)" type="image/svg\+xml">', brief)
    assert icon and (site / icon[1]).read_bytes().startswith(b"<svg")
    assert 'type="application/atom+xml" title="Minimal fixture" href="../feed.xml"' in brief
    claim = (site / "sample-brief/unemployment/index.html").read_text()
    assert '<meta property="og:description" content="Unverified: Unemployment fell to 3.1% last year">' in claim


@needs_pagefind
def test_search_index_is_built_with_filters_for_rating_and_tag(site: Path) -> None:
    index = (site / "index.html").read_text()
    assert 'role="search"' in index and 'id="search"' in index
    assert '<script src="pagefind/pagefind-ui.js" defer></script>' in index
    assert (site / "pagefind/pagefind-ui.js").is_file() and (site / "pagefind/pagefind-ui.css").is_file()
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 4, "the brief and its three claim pages"
    brief = (site / "sample-brief/index.html").read_text()
    assert "data-pagefind-body" in brief
    assert '<span data-pagefind-filter="Rating">Mostly true</span>' in brief
    assert '<span data-pagefind-filter="Tags">budget</span>' in brief
    assert "data-pagefind-body" not in (site / "methodology/index.html").read_text()


def test_without_pagefind_the_site_builds_without_search_and_says_so(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module, "pagefind_executable", lambda: None)
    result = build_project(project)
    assert result.written
    assert any("search was skipped" in p.message and not p.is_error for p in result.problems)
    site = project / "site"
    assert not (site / "pagefind").exists()
    assert "pagefind" not in (site / "index.html").read_text()


def test_a_failing_indexer_fails_the_build_and_keeps_the_old_site(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_project(project)
    before = snapshot(project / "site")
    monkeypatch.setattr(build_module, "pagefind_executable", lambda: Path(shutil.which("false") or "/bin/false"))
    result = build_project(project)
    assert not result.written
    assert any(p.is_error and p.message.startswith("search indexing failed") for p in result.problems)
    assert snapshot(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_two_builds_of_the_default_site_are_byte_identical(tmp_path: Path) -> None:
    first = build_project(ROOT, tmp_path / "one")
    second = build_project(ROOT, tmp_path / "two")
    assert first.written and second.written
    a, b = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    if pagefind_executable() is not None:
        assert any(name.startswith("pagefind/filter/") for name in a), "filters are what Pagefind used to shuffle"


def test_check_links_passes_on_a_good_site_and_lists_external_links(project: Path) -> None:
    result = run_cli("check", "--links", str(project))
    assert result.returncode == 0, result.stderr
    assert "OK:" in result.stderr and "0 errors" in result.stderr
    assert "https://council.example.org/minutes/2024-02-27" in result.stdout
    assert not (project / "site").exists(), "the check builds into a temporary folder"


def test_check_links_reports_broken_links_and_fragments_with_their_place(project: Path) -> None:
    templates = project / "templates"
    templates.mkdir()
    base = (ROOT / "templates/base.html").read_text()
    marker = '<main id="main" class="wrap">\n'
    assert marker in base
    broken = marker + '<a href="{{ root }}nowhere/">x</a> <a href="{{ root }}methodology/#no-such-id">y</a>\n'
    (templates / "base.html").write_text(base.replace(marker, broken))
    result = run_cli("check", "--links", "--format", "json", str(project))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    messages = {(p["path"], p["message"]) for p in report["problems"]}
    assert ("index.html", "broken link 'nowhere/': it leads to no file of the site") in messages
    assert (
        "sample-brief/budget-size/index.html",
        "broken link '../../methodology/#no-such-id': it names #no-such-id, which is no id on that page",
    ) in messages
    assert all(p["line"] > 0 for p in report["problems"])
    assert "https://council.example.org/votes/2024-02-27" in report["external_links"]


@needs_pagefind
def test_pagefind_bundle_is_rewritten_in_one_order_whatever_order_pagefind_chose(site: Path) -> None:
    from briefgen import search

    bundle = site / "pagefind"
    canonical = snapshot(bundle)
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    language = "en"
    meta_path = bundle / f"pagefind.{entry['languages'][language]['hash']}.pf_meta"
    meta = search._unpack(meta_path)
    assert [name for name, _ in meta[3]] == ["Rating", "Tags"]
    shuffled = []
    for name, short in reversed(meta[3]):  # what another run of Pagefind may write: other orders, other names
        path = bundle / "filter" / f"{short}.pf_filter"
        index = search._unpack(path)
        assert [v[0] for v in index[1]] == sorted(v[0] for v in index[1])
        path.unlink()
        _, packed = search._pack([index[0], list(reversed(index[1]))])
        (bundle / "filter" / f"{language}_shuffled{len(shuffled)}.pf_filter").write_bytes(packed)
        shuffled.append([name, f"{language}_shuffled{len(shuffled)}"])
    meta[3] = shuffled
    meta_path.unlink()
    (bundle / "pagefind.en_shuffled.pf_meta").write_bytes(search._pack(meta)[1])
    entry["languages"][language]["hash"] = "en_shuffled"
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry))
    assert snapshot(bundle) != canonical
    search.canonicalise_bundle(bundle)
    assert snapshot(bundle) == canonical


def test_cbor_round_trips_what_pagefind_writes() -> None:
    from briefgen import cbor

    value = ["1.5.2", [["en_3a8f8ed", 216], ["x", 70000]], {"k": [True, None, -3, b"\x00"]}, 2**40]
    assert cbor.decode(cbor.encode(value)) == value
    assert cbor.encode(23) == b"\x17" and cbor.encode(24) == b"\x18\x18" and cbor.encode(-1) == b"\x20"
    with pytest.raises(cbor.CborError):
        cbor.decode(b"\x9f\xff")  # indefinite-length array: not something Pagefind writes


def test_no_search_leaves_the_index_out_without_a_warning(project: Path) -> None:
    result = run_cli("build", str(project), "--no-search", check=True)
    assert result.stderr == ""
    assert not (project / "site/pagefind").exists()
    assert "pagefind" not in (project / "site/index.html").read_text()
