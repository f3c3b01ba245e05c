"""The pages in a real headless Chromium: axe-core finds no violations, quotes and cards link both ways,
nothing needs JavaScript or another host, and screenshots at 360 px and 1440 px land in tests/_artifacts/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.hostile_support import SHIPPED_SCRIPT
from tests.sites import AXE, build_sites, serve

pytestmark = pytest.mark.browser

PAGES = {
    "default": {
        "index": "",
        "brief": "dagsavisen-2022-09-10-kharkiv/",
        "claim": "dagsavisen-2022-09-10-kharkiv/isw-name/",
        "methodology": "methodology/",
    },
    "nb": {
        "index": "",
        "brief": "bybudsjett-eksempelvik/",
        "claim": "bybudsjett-eksempelvik/nye-laerere/",
        "methodology": "methodology/",
    },
}
CASES = [(site, kind) for site, pages in PAGES.items() for kind in pages]


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Both sites built into one folder (default/, nb/) and served on loopback."""
    folder = tmp_path_factory.mktemp("browser-sites")
    build_sites(folder)
    with serve(folder) as url:
        yield url


def _axe_or_skip() -> None:
    if not AXE.is_file():
        reason = f"{AXE} missing: run bash tests/install.sh (npm ci installs axe-core)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def _violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


@pytest.mark.parametrize(("site", "kind"), CASES)
def test_page_is_accessible_and_fits_phone_and_desktop(
    browser: Any, base_url: str, artifacts: Path, site: str, kind: str
) -> None:
    _axe_or_skip()
    url = f"{base_url}{site}/{PAGES[site][kind]}"
    # axe runs twice per page: the phone in light mode and the desktop in dark mode (contrast of both palettes).
    for width, scheme in ((360, "light"), (1440, "dark"), (1440, "light")):
        page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
        try:
            response = page.goto(url)
            assert response is not None and response.ok, url
            assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{url} scrolls sideways"
            suffix = "" if scheme == "light" else "-dark"
            page.screenshot(path=str(artifacts / f"{site}-{kind}-{width}{suffix}.png"), full_page=scheme == "light")
            if (width, scheme) != (1440, "light"):
                assert _violations(page) == [], f"{url} at {width} px, {scheme}"
        finally:
            page.close()


@pytest.mark.parametrize("site", sorted(PAGES))
def test_every_highlighted_passage_links_to_its_card_and_back(browser: Any, base_url: str, site: str) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        page.goto(f"{base_url}{site}/{PAGES[site]['brief']}")
        links = page.evaluate(
            """() => [...document.querySelectorAll('mark.quote > a')].map(a => {
                const id = a.getAttribute('href').slice(1);
                const card = document.getElementById(id);
                const back = card && card.querySelector('a[href^="#quote-"]');
                const target = back && document.getElementById(back.getAttribute('href').slice(1));
                return {id, card: !!card && card.classList.contains('claim-card'),
                        back: back && back.getAttribute('href'),
                        returns: !!target && (target.contains(a) || target.nextElementSibling?.contains(a)
                                              || target.closest('p') === a.closest('p'))};
            })"""
        )
        cards = page.evaluate("document.querySelectorAll('article.claim-card').length")
        assert links, "no highlighted passages"
        assert {link["id"] for link in links} == {
            f"claim-{i}" for i in page.evaluate("[...document.querySelectorAll('.claim-card')].map(c => c.id.slice(6))")
        }
        assert cards == len({link["id"] for link in links})
        for link in links:
            assert link["card"], f"{link['id']}: no claim card"
            assert link["back"] == "#quote-" + link["id"].removeprefix("claim-"), link
            assert link["returns"], f"{link['id']}: the card's link does not lead back to its passage"
        # Follow one pair of links as a reader would: passage → card → passage.
        first = page.locator("mark.quote > a").last
        card_id = first.get_attribute("href")
        assert card_id
        first.click()
        assert page.evaluate("location.hash") == card_id
        assert page.locator(card_id).is_visible() and _in_viewport(page, card_id)
        page.locator(f"{card_id} a[href^='#quote-']").click()
        quote_id = page.evaluate("location.hash")
        assert quote_id == "#quote-" + card_id.removeprefix("#claim-")
        assert _in_viewport(page, quote_id)
    finally:
        page.close()


def _in_viewport(page: Any, selector: str) -> bool:
    return bool(
        page.evaluate(
            "s => { const r = document.querySelector(s).getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }",
            selector,
        )
    )


@pytest.mark.parametrize(("site", "kind"), CASES)
def test_page_works_without_javascript_and_loads_nothing_from_elsewhere(
    browser: Any, base_url: str, site: str, kind: str
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    hosts: set[str] = set()
    context.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    try:
        page = context.new_page()
        page.goto(f"{base_url}{site}/{PAGES[site][kind]}")
        assert hosts == {urlsplit(base_url).netloc}
        # The only scripts are the site's own search box (index page): everything else is plain HTML and CSS.
        scripts = page.eval_on_selector_all(
            "script:not([type='application/ld+json'])", "els => els.map(e => e.getAttribute('src') || 'inline')"
        )
        if kind == "index":
            assert all(SHIPPED_SCRIPT.match(src) for src in scripts), scripts
        else:
            assert scripts == []
        assert page.locator("main h1").count() == 1 and page.locator("main h1").is_visible()
        styled = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert "system-ui" in styled, "the stylesheet did not load"
    finally:
        context.close()


def test_language_of_ui_and_of_foreign_article_text(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{base_url}nb/bybudsjett-eksempelvik/")
        assert page.get_attribute("html", "lang") == "nb"
        assert page.locator(".article-text").get_attribute("lang") is None
        assert page.locator("#claims-title").inner_text() == "Påstander"
        page.goto(f"{base_url}nb/ferry-tickets/")
        assert page.locator(".article-text").get_attribute("lang") == "en"
        assert page.locator(".claim-quote blockquote").first.get_attribute("lang") == "en"
        page.goto(f"{base_url}default/dagsavisen-2022-09-10-kharkiv/")
        assert page.get_attribute("html", "lang") == "en"
        assert page.locator(".article-text").get_attribute("lang") == "nb"
    finally:
        page.close()


def test_print_shows_each_sources_full_address(browser: Any, base_url: str, artifacts: Path) -> None:
    page = browser.new_page(viewport={"width": 800, "height": 1100})
    try:
        page.goto(f"{base_url}nb/bybudsjett-eksempelvik/")
        page.emulate_media(media="print")
        after = page.evaluate(
            "[...document.querySelectorAll('.sources li > a:first-of-type')].map(a => [a.href, getComputedStyle(a, '::after').content])"
        )
        assert after
        for href, content in after:
            assert href in content, (href, content)
        assert page.locator(".site-header nav").is_hidden()
        page.screenshot(path=str(artifacts / "nb-brief-print.png"), full_page=True)
    finally:
        page.close()


def test_index_lists_briefs_newest_first_with_scorecards(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{base_url}nb/")
        titles = page.locator(".brief-item h2").all_inner_texts()
        assert titles == [
            "Faktasjekk: stiger fergeprisene med en tredel?",
            "Faktasjekk: Eksempelvik Avis om bystyrets budsjett",
        ]
        assert page.locator(".brief-item time").first.get_attribute("datetime") == "2025-03-05"
        assert page.locator(".brief-item .scorecard-list").nth(1).inner_text().split("\n") == [
            "Helt sant: 1",
            "Ikke sikkert: 1",
            "Delvis feil: 1",
            "Helt feil: 1",
        ]
    finally:
        page.close()
