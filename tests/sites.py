"""Built sites for the page tests: the default project and the Norwegian fixture, served on loopback."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefgen.pipeline import build_project
from tests.conftest import FIXTURES, ROOT

PROJECTS = {"default": ROOT, "nb": FIXTURES / "nb-site"}
AXE = ROOT / "node_modules/axe-core/axe.min.js"
VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


def build_sites(folder: Path) -> dict[str, Path]:
    """Build every test site into folder/<name>/ (never into a project's own site/)."""
    built = {}
    for name, project in PROJECTS.items():
        result = build_project(project, out=folder / name)
        assert result.ok, [str(p) for p in result.problems]
        built[name] = result.out
    return built


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def claim_pages(site: Path) -> list[Path]:
    """site/<slug>/<claim-id>/index.html"""
    return sorted(site.glob("*/*/index.html"))


def brief_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("*/index.html") if p.parent.name != "methodology")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve folder on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
