"""`briefgen check --links`: build into a temporary folder, then check that every internal link resolves.

Internal links are relative ones and absolute ones under base_url (canonical, feed and sitemap addresses);
each must name a file of the built site, and its #fragment an id on that page. External links are listed,
never fetched.
"""

from __future__ import annotations

import re
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .config import load_config
from .pipeline import build_project
from .problems import Location, Problem, error

LINK_ATTRIBUTES = {"a": "href", "area": "href", "link": "href", "script": "src", "img": "src", "iframe": "src"}
SITE = "http://site.invalid/"  # a stand-in origin to resolve relative links against


@dataclass(frozen=True)
class Link:
    url: str
    line: int
    column: int


class PageLinks(HTMLParser):
    """The links (with line and column) and the ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(str(values[name]))
        wanted = LINK_ATTRIBUTES.get(tag)
        if tag == "meta" and values.get("property") == "og:url":
            wanted = "content"
        url = values.get(wanted) if wanted else None
        if url is not None:
            line, column = self.getpos()
            self.links.append(Link(url.strip(), line, column + 1))


def page_links(html: str) -> PageLinks:
    parser = PageLinks()
    parser.feed(html)
    parser.close()
    return parser


@dataclass(frozen=True)
class LinkReport:
    problems: tuple[Problem, ...]
    external: tuple[str, ...]
    pages: int
    links: int


def _page_url(relative: str) -> str:
    """The address a file is served at, relative to the site root: slug/index.html → slug/."""
    return re.sub(r"(^|/)index\.html$", r"\1", relative)


def _target(folder: Path, path: str) -> Path | None:
    """The file a site path is served from (a folder serves its index.html), or None."""
    if ".." in Path(path).parts:
        return None
    candidate = folder / path
    if path == "" or path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def check_site_links(folder: Path, base_url: str) -> LinkReport:
    """Every internal link and fragment of the built site in folder, resolved against its files."""
    base_path = urlsplit(base_url).path if base_url else "/"
    pages = {p.relative_to(folder).as_posix(): page_links(p.read_text("utf-8")) for p in sorted(folder.rglob("*.html"))}
    documents: list[tuple[str, list[Link]]] = [(name, parsed.links) for name, parsed in pages.items()]
    for xml_name in ("sitemap.xml", "feed.xml"):
        if (folder / xml_name).is_file():
            documents.append((xml_name, _xml_links(folder / xml_name)))
    problems: list[Problem] = []
    external: set[str] = set()
    count = 0
    for name, links in documents:
        here = urljoin(SITE, _page_url(name))
        for link in links:
            count += 1
            url = link.url
            if base_url and url.startswith(base_url):
                url = SITE + url[len(base_url) :]
            elif url.startswith("/") and not url.startswith("//"):
                if not url.startswith(base_path):
                    problems.append(_broken(name, link, f"is outside the site's base path {base_path}"))
                    continue
                url = SITE + url[len(base_path) :]
            resolved = urljoin(here, url)
            if not resolved.startswith(SITE):
                if urlsplit(resolved).scheme in ("http", "https", "mailto", "ftp"):
                    external.add(link.url)
                else:
                    problems.append(_broken(name, link, "uses an unsupported scheme"))
                continue
            parts = urlsplit(resolved)
            path = unquote(parts.path[len(urlsplit(SITE).path) :])
            target = _target(folder, path)
            if target is None:
                problems.append(_broken(name, link, "leads to no file of the site"))
                continue
            fragment = unquote(parts.fragment)
            if fragment and not fragment.startswith(":~:") and target.suffix == ".html":
                ids = pages[target.relative_to(folder).as_posix()].ids
                if fragment not in ids:
                    problems.append(_broken(name, link, f"names #{fragment}, which is no id on that page"))
    return LinkReport(tuple(problems), tuple(sorted(external)), len(pages), count)


def _xml_links(path: Path) -> list[Link]:
    links = []
    for element in ET.parse(path).iter():  # noqa: S314 - our own build output, not untrusted input
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "loc" and element.text:
            links.append(Link(element.text.strip(), 0, 0))
        elif tag == "link" and element.get("href"):
            links.append(Link(str(element.get("href")), 0, 0))
    return links


def _broken(page: str, link: Link, why: str) -> Problem:
    return error(
        Location(page, link.line, link.column),
        f"broken link {link.url!r}: it {why}",
        "fix the template or content that makes this link",
    )


def check_links(project: Path, base_url: str | None = None) -> tuple[tuple[Problem, ...], LinkReport | None]:
    """Build the project into a temporary folder and check its links; (build problems, report or None)."""
    with tempfile.TemporaryDirectory(prefix="briefgen-links-") as temp:
        # cache=False: a throwaway build must not replace what the cache keeps for the real site
        result = build_project(project, Path(temp) / "site", base_url=base_url, cache=False)
        if not result.written:
            return result.problems, None
        effective = base_url.rstrip("/") + "/" if base_url else load_config(project)[0].base_url
        return result.problems, check_site_links(result.out, effective)
