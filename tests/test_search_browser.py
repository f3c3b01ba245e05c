"""Static search in a real browser: the site served over loopback HTTP under a sub-path, Pagefind's UI on the index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from briefgen.search import pagefind_executable
from tests.conftest import run_cli
from tests.test_deploy import serve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(pagefind_executable() is None, reason="pagefind[bin] is not installed"),
]


def test_typing_a_word_of_a_claim_finds_its_brief(project: Path, tmp_path: Path, browser: Any, artifacts: Path) -> None:
    www = tmp_path / "www"
    www.mkdir()
    with serve(www) as origin:
        base = f"{origin}/briefs/"
        run_cli("build", str(project), "--base-url", base, "--out", str(www / "briefs"), "-q", check=True)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "requestfailed",
            lambda request: (
                errors.append(f"failed: {request.url}") if "ERR_ABORTED" not in (request.failure or "") else None
            ),
        )
        try:
            page.goto(base)
            box = page.locator(".pagefind-ui__search-input")
            box.wait_for(timeout=15_000)
            box.fill("Unemployment")
            results = page.locator(".pagefind-ui__result")
            results.first.wait_for(timeout=15_000)
            # Pagefind draws results one by one as their fragments load: wait until the claim's result is there too.
            page.wait_for_function(
                """() => [...document.querySelectorAll('.pagefind-ui__result-link')]
                    .some(a => a.getAttribute('href') === '/briefs/sample-brief/unemployment/')""",
                timeout=15_000,
            )
            titles = page.locator(".pagefind-ui__result-title").all_inner_texts()
            hrefs = [link.get_attribute("href") for link in page.locator(".pagefind-ui__result-link").all()]
            assert any("Fact-check: the budget report" in title for title in titles), titles
            assert "/briefs/sample-brief/" in hrefs, hrefs
            assert "/briefs/sample-brief/unemployment/" in hrefs, hrefs
            filters = page.locator(".pagefind-ui__filter-panel").inner_text()
            assert "Rating" in filters and "Tags" in filters
            page.screenshot(path=str(artifacts / "search-results.png"), full_page=True)
            page.locator(".pagefind-ui__result-link", has_text="Fact-check: the budget report").first.click()
            page.wait_for_url(f"{base}sample-brief/**")
            assert page.locator("h1").first.inner_text() == "Fact-check: the budget report"
            assert errors == []
        finally:
            page.close()
