"""The built site deploys as-is: served by a real HTTP server at a domain root and under a sub-path,
every page, asset, feed address and fragment reachable from the index resolves."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import pytest

from briefgen.linkcheck import page_links
from tests.conftest import run_cli


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve folder over loopback HTTP on a free port; yields the origin, e.g. http://127.0.0.1:41234."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def fetch(url: str) -> tuple[int, str, bytes]:
    assert url.startswith("http://127.0.0.1:"), url  # loopback only
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, "", b""


def crawl(origin: str, starts: list[str]) -> tuple[dict[str, bytes], list[str]]:
    """Fetch every same-origin address reachable from starts; (pages fetched, broken links and fragments)."""
    queue = list(starts)
    fetched: dict[str, bytes] = {}
    ids: dict[str, set[str]] = {}
    wanted_fragments: list[tuple[str, str, str]] = []
    broken: list[str] = []
    while queue:
        url = queue.pop()
        if url in fetched:
            continue
        status, kind, body = fetch(url)
        fetched[url] = body
        if status != 200:
            broken.append(f"{url}: HTTP {status}")
            continue
        links: list[str] = []
        if kind == "text/html":
            parsed = page_links(body.decode("utf-8"))
            ids[url] = parsed.ids
            links = [link.url for link in parsed.links]
        elif url.endswith(".xml"):
            for element in ET.fromstring(body).iter():
                tag = element.tag.rsplit("}", 1)[-1]
                if tag == "loc" and element.text:
                    links.append(element.text)
                elif tag == "link" and element.get("href"):
                    links.append(str(element.get("href")))
        for link in links:
            target, fragment = urldefrag(urljoin(url, link))
            if not target.startswith(origin + "/"):
                assert not link.startswith("http://127.0.0.1"), f"{url} links {link} on another origin"
                continue
            queue.append(target)
            if fragment and not fragment.startswith(":~:"):
                wanted_fragments.append((url, target, fragment))
    for page, target, fragment in wanted_fragments:
        if target in ids and fragment not in ids[target]:
            broken.append(f"{page}: #{fragment} is no id on {target}")
    return fetched, broken


@pytest.mark.parametrize("prefix", ["/briefs/", "/"], ids=["sub-path", "root"])
def test_default_site_served_over_http_has_no_broken_link(tmp_path: Path, prefix: str) -> None:
    www = tmp_path / "www"
    www.mkdir()
    out = www / "briefs" if prefix == "/briefs/" else tmp_path / "site"
    with serve(www if prefix == "/briefs/" else out) as origin:
        base = f"{origin}{prefix}"
        run_cli("build", "--base-url", base, "--out", str(out), "-q", check=True)
        fetched, broken = crawl(origin, [base, f"{base}404.html", f"{base}sitemap.xml", f"{base}feed.xml"])
        claimreview = json.loads(fetch(f"{base}claimreview.json")[2])
        robots = fetch(f"{base}robots.txt")[2].decode()
    assert broken == []
    pages = {url for url in fetched if url.endswith("/")}
    assert f"{base}dagsavisen-2022-09-10-kharkiv/" in pages
    assert f"{base}dagsavisen-2022-09-10-kharkiv/regrouping-announcement/" in pages
    assert f"{base}methodology/" in pages
    assert len(pages) == 25, sorted(pages)  # index, methodology, the brief and its 22 claim pages
    assets = [url for url in fetched if "/assets/" in url]
    assert any(url.endswith(".css") for url in assets) and any(url.endswith(".svg") for url in assets)
    if any("/pagefind/" in url for url in fetched):
        assert f"{base}pagefind/pagefind-ui.js" in fetched
    index = fetched[base].decode()
    assert f'<link rel="canonical" href="{base}">' in index
    not_found = fetched[f"{base}404.html"].decode()
    assert f'href="{prefix}assets/style.' in not_found, "404.html works at any depth"
    for element in claimreview["dataFeedElement"]:
        for review in element["item"]:
            assert review["url"] in fetched, "every ClaimReview url is a page of the site"
    assert f"Sitemap: {base}sitemap.xml" in robots
