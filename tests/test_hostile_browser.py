"""Every page built from the XSS cases of tests/hostile/, opened in headless Chromium: no injected script runs."""

from __future__ import annotations

import functools
import http.server
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.hostile_support import SHIPPED_SCRIPT, cases, materialise, run_case

XSS_CASES = [case for case in cases() if case.xss]

# Runs in the page: everything that could carry or run injected code.
INSPECT = """(shippedPattern) => {
  const handlers = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      if (attribute.name.toLowerCase().startsWith('on')) handlers.push(element.tagName + ' ' + attribute.name);
    }
  }
  // The site ships two scripts of its own, the search box's (index page only); Pagefind's widget is theirs to draw.
  const shipped = new RegExp(shippedPattern);
  const ours = e => e.closest('#search') !== null;
  const scripts = [...document.querySelectorAll('script')]
    .filter(s => s.type !== 'application/ld+json' && !shipped.test(s.getAttribute('src') || ''))
    .map(s => s.outerHTML.slice(0, 80));
  const urls = [...document.querySelectorAll('[href],[src],[action],[formaction]')].filter(e => !ours(e))
    .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || e.getAttribute('formaction') || '')
    .filter(u => /^\\s*(javascript|data|vbscript):/i.test(u.replace(/[\\u0000-\\u0020]/g, '')));
  const embedded = [...document.querySelectorAll('iframe,object,embed,img,svg,math,form,base')].filter(e => !ours(e)).map(e => e.tagName);
  return {handlers, scripts, urls, embedded, marker: window.__xss || null};
}"""


# Fires the events an injected handler would wait for, on every element, without navigating away.
POKE = """() => {
  for (const element of document.querySelectorAll('body *')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'focusin', 'animationstart']) {
      element.dispatchEvent(new Event(type, {bubbles: true}));
    }
  }
}"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[list[str]]:
    """Build every XSS case and serve each site on loopback at its base_url's path; yields every page's URL."""
    urls: list[str] = []
    servers: list[http.server.ThreadingHTTPServer] = []
    for case in XSS_CASES:
        project = materialise(case, tmp_path / case.name)
        outcome = run_case(case, project)
        assert outcome.code == 0, outcome.stderr
        base_path = tomllib.loads((project / "briefgen.toml").read_text())["base_url"].split("/", 3)[3]
        root = tmp_path / case.name / "www"
        (root / base_path).parent.mkdir(parents=True, exist_ok=True)
        (project / "site").rename(root / base_path)
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        urls += [base + p.relative_to(root).as_posix() for p in sorted(root.rglob("*.html"))]
    try:
        yield urls
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.mark.browser
def test_no_page_built_from_hostile_content_runs_injected_script(browser: Any, served: list[str]) -> None:
    pages = served
    assert len(pages) >= 5
    context = browser.new_context()
    # Nothing leaves the machine: any request off loopback is refused (and would show as a failed request).
    context.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1:") else route.abort()
    )
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    # A request cut short by moving on to the next page (net::ERR_ABORTED) is no failure of the page.
    page.on(
        "requestfailed",
        lambda request: failed.append(request.url) if "ERR_ABORTED" not in (request.failure or "") else None,
    )
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in pages:
        page.goto(path, wait_until="load")
        if page.locator("#search").count():  # the search box starts Pagefind's UI: let it render first
            page.wait_for_selector("#search input", state="attached", timeout=15_000)
        page.evaluate(POKE)
        found = page.evaluate(INSPECT, SHIPPED_SCRIPT.pattern)
        assert found == {"handlers": [], "scripts": [], "urls": [], "embedded": [], "marker": None}, path
    context.close()
    assert dialogs == [], f"an injected script opened a dialog: {dialogs}"
    failed = [url for url in failed if not url.endswith("/favicon.ico")]  # the only file a browser asks for unbidden
    assert failed == [], f"requests that failed (injected resources?): {failed}"
    assert [e for e in errors if "favicon.ico" not in e and "Failed to load resource" not in e] == [], errors


@pytest.mark.browser
def test_the_browser_check_sees_an_injected_script_when_there_is_one(browser: Any) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.set_content(
        '<p onmouseover="alert(\'hover\')">x</p><a href="javascript:void(0)">y</a><script>alert("run")</script>'
    )
    page.evaluate(POKE)
    found = page.evaluate(INSPECT, SHIPPED_SCRIPT.pattern)
    page.close()
    assert dialogs == ["run", "hover"]
    assert found["handlers"] == ["P onmouseover"] and found["urls"] == ["javascript:void(0)"] and found["scripts"]
