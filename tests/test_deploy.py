"""The built site deploys as-is: served by a real HTTP server at a domain root and under a sub-path,
every page, asset, feed address and fragment reachable from the index resolves."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import time
import tomllib
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest
import yaml

from briefgen.linkcheck import page_links
from briefgen.pipeline import check_project
from tests.conftest import ROOT, run_cli
from tests.sites import serve as serve_folder

DEFAULT_PAGES = 3 + sum(len(brief.claims) for brief in check_project(ROOT).briefs)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve folder over loopback HTTP on a free port; yields the origin, e.g. http://127.0.0.1:41234."""
    with serve_folder(folder) as base:
        yield base.rstrip("/")


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
    assert len(pages) == DEFAULT_PAGES, sorted(pages)  # index, methodology, the brief and its claim pages
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_github_pages_workflow_builds_with_the_pages_address_and_deploys(tmp_path: Path) -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text())
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in build]
    assert uses[:3] == ["actions/checkout", "actions/setup-python", "actions/configure-pages"]
    assert "actions/upload-pages-artifact" in uses
    assert next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact"))["with"] == {
        "path": "site"
    }
    runs = [step["run"] for step in build if "run" in step]
    assert runs[0] == "pip install ."
    command = runs[1]
    assert command == 'briefgen build --base-url "${{ steps.pages.outputs.base_url }}/"'
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    # The build step as Actions would run it, with configure-pages' output for a project site:
    args = shlex.split(command.replace("${{ steps.pages.outputs.base_url }}", "https://org.github.io/briefs"))
    assert args[0] == "briefgen"
    run_cli(*args[1:], "--out", str(tmp_path / "site"), check=True)
    assert '<link rel="canonical" href="https://org.github.io/briefs/">' in (tmp_path / "site/index.html").read_text()


def test_netlify_recipe_builds_with_netlifys_url_and_caches_only_fingerprinted_assets(tmp_path: Path) -> None:
    config = tomllib.loads((ROOT / "netlify.toml").read_text())
    assert config["build"]["publish"] == "site"
    install, build = (part.strip() for part in config["build"]["command"].split("&&"))
    assert install == "pip install ."
    args = shlex.split(build.replace("$URL", "https://briefs.netlify.app"))
    assert args[:3] == ["briefgen", "build", "--base-url"]
    run_cli(*args[1:], "--out", str(tmp_path / "site"), check=True)
    assert "https://briefs.netlify.app/sitemap.xml" in (tmp_path / "site/robots.txt").read_text()
    assert [h["for"] for h in config["headers"]] == ["/assets/*"]
    assert "immutable" in config["headers"][0]["values"]["Cache-Control"]


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def test_nginx_recipe_serves_the_site_under_a_sub_path(tmp_path: Path) -> None:
    if NGINX is None:
        if os.environ.get("CI"):
            raise AssertionError("nginx is missing; tests/install.sh installs Debian's nginx-light")
        pytest.skip("nginx not found (apt-get install nginx-light); CI installs it")
    port = _free_port()
    www = tmp_path / "www"
    base = f"http://127.0.0.1:{port}/briefs/"
    run_cli("build", "--base-url", base, "--out", str(www / "briefs"), "-q", check=True)
    snippet = (ROOT / "deploy/nginx.conf").read_text()
    assert "listen 80;" in snippet and "root /var/www;" in snippet
    server = snippet.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("root /var/www;", f"root {www};")
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"user root;\ndaemon off;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{\ninclude /etc/nginx/mime.types;\ndefault_type application/octet-stream;\naccess_log off;\n{server}\n}}\n"
    )
    process = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(conf)], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        fetched, broken = crawl(f"http://127.0.0.1:{port}", [base, f"{base}sitemap.xml", f"{base}feed.xml"])
        assert broken == []
        assert len([url for url in fetched if url.endswith("/")]) == DEFAULT_PAGES
        assert fetch(f"{base}no-such-page/")[0] == 404  # fetch() drops error bodies; read this one raw:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            raw.sendall(b"GET /briefs/no-such-page/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            reply = b"".join(iter(lambda: raw.recv(65536), b"")).decode()
        assert reply.startswith("HTTP/1.1 404") and 'href="/briefs/assets/style.' in reply
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            raw.sendall(b"GET /briefs/dagsavisen-2022-09-10-kharkiv HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            reply = b"".join(iter(lambda: raw.recv(65536), b"")).decode()
        assert reply.startswith("HTTP/1.1 301") and "Location: /briefs/dagsavisen-2022-09-10-kharkiv/\r\n" in reply
        css = next(url for url in fetched if "/assets/style." in url)
        with urllib.request.urlopen(css, timeout=10) as response:
            assert "immutable" in response.headers["Cache-Control"]
        with urllib.request.urlopen(base, timeout=10) as response:
            assert response.headers.get("Cache-Control") is None, "HTML is never cached forever"
    finally:
        process.terminate()
        process.wait(timeout=20)
