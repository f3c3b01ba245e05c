"""Publishing extras beside the pages: feeds, sitemap, robots.txt and machine-readable data, in a fixed order.

The site-level files (sitemap.xml, feed.xml, claimreview.json) are joined from small per-brief fragments,
each already serialised, so that a build can make them without holding every brief in memory: a worker
that renders a brief also makes its fragments, and a cached brief keeps them.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .data import brief_data, feed_head, feed_items, to_json
from .feeds import SITEMAP, _xml, fallback_date, feed_entry, robots, sitemap_head, sitemap_urls
from .feeds import feed_head as atom_head
from .model import Brief, SiteConfig
from .problems import Location, Problem, warning
from .write import Content

SITEMAP_LIMIT = 50_000  # addresses in one sitemap file (sitemaps.org protocol)
_SLOT = "briefgen-fragments"  # where the fragments go in a document's skeleton
_XML_GAP = b"\n  "  # between two children of the root, as ET.indent() puts it


@dataclass(frozen=True)
class Fragments:
    """What one brief adds to the site-level files, serialised as it appears in them."""

    slug: str
    published: dt.date
    last_changed: dt.date
    sitemap: bytes  # its <url> entries
    feed: bytes  # its Atom <entry>
    claimreview: bytes  # its DataFeedItems, joined (b"" without claims)


def _element_text(element: ET.Element) -> bytes:
    """A child of a document's root, serialised as it appears in the indented document (without its tail)."""
    holder = ET.Element("x")
    holder.append(element)
    ET.indent(holder)
    element.tail = None
    return ET.tostring(element, encoding="unicode").encode("utf-8")


def _list_layout() -> tuple[int, int, bytes]:
    """How to_json() lays out a list that is the value of a top-level key: where an item starts and how
    much follows the last one (in {"k": [0]}), and what separates two items — whatever its format."""
    one, two = to_json({"k": [0]}), to_json({"k": [0, 0]})
    start = one.rindex(b"0")
    return start, len(one) - start - 1, two[start + 1 : two.rindex(b"0")]


_START, _AFTER, _JSON_GAP = _list_layout()


def _item_text(item: object) -> bytes:
    """An item of a list that is the value of a top-level key, as to_json() writes it there."""
    return to_json({"k": [item]})[_START:-_AFTER]


def brief_fragments(config: SiteConfig, brief: Brief) -> Fragments:
    """The brief's fragments of sitemap.xml, feed.xml and claimreview.json (those need a base_url)."""
    if not config.base_url:
        return Fragments(brief.slug, brief.published, brief.last_changed, b"", b"", b"")
    return Fragments(
        brief.slug,
        brief.published,
        brief.last_changed,
        _XML_GAP.join(_element_text(url) for url in sitemap_urls(config, brief)),
        _element_text(feed_entry(config, brief)),
        _JSON_GAP.join(_item_text(item) for item in feed_items(config, brief)),
    )


def _document(root: ET.Element, parts: Sequence[bytes]) -> list[bytes]:
    """The indented XML document of root with the serialised parts appended as its last children, in pieces."""
    parts = [p for p in parts if p]
    if not parts:
        return [_xml(root)]
    ET.SubElement(root, _SLOT)
    head, tail = _xml(root).split(f"<{_SLOT} />".encode(), 1)
    return [head, *_separated(parts, _XML_GAP), tail]


def _json_feed(head: dict[str, object], items: Sequence[bytes]) -> list[bytes]:
    """to_json() of head with "dataFeedElement": the serialised items (its last key), in pieces."""
    items = [i for i in items if i]
    if not items:
        return [to_json({**head, "dataFeedElement": []})]
    skeleton = to_json({**head, "dataFeedElement": [0]})
    at = skeleton.rindex(b"0")  # the placeholder item: only brackets and white space follow it
    return [skeleton[:at], *_separated(items, _JSON_GAP), skeleton[at + 1 :]]


def _separated(parts: Sequence[bytes], gap: bytes) -> list[bytes]:
    """The parts with gap between each two (what gap.join(parts) would make, unjoined)."""
    pieces = [gap] * (2 * len(parts) - 1)
    pieces[::2] = parts
    return pieces


def newest_first(fragments: Iterable[Fragments]) -> list[Fragments]:
    return sorted(fragments, key=lambda f: (f.published, f.slug), reverse=True)


def site_files(config: SiteConfig, fragments: Sequence[Fragments]) -> list[tuple[str, Content]]:
    """robots.txt always; sitemap.xml, feed.xml and claimreview.json when base_url makes their addresses absolute."""
    files: list[tuple[str, Content]] = [("robots.txt", robots(config))]
    if not config.base_url:
        return files
    newest = max((f.last_changed for f in fragments), default=None)
    by_date = newest_first(fragments)
    files += sitemap_files(config, newest, sorted(fragments, key=lambda f: f.slug))
    feed = _document(atom_head(config, newest or fallback_date()), [f.feed for f in by_date])
    claimreview = _json_feed(feed_head(config, newest), [f.claimreview for f in by_date])
    return [*files, ("feed.xml", feed), ("claimreview.json", claimreview)]


def sitemap_files(
    config: SiteConfig, newest: dt.date | None, by_slug: Sequence[Fragments]
) -> list[tuple[str, Content]]:
    """sitemap.xml; above SITEMAP_LIMIT addresses (the protocol's limit per file), a sitemap index in
    sitemap.xml and the addresses in sitemap-1.xml, sitemap-2.xml, … (whole briefs each, in slug order)."""
    head = sitemap_head(config, newest)
    chunks: list[list[Fragments]] = [[]]
    count = len(head)
    for fragment in by_slug:
        urls = fragment.sitemap.count(b"<url>")
        if count + urls > SITEMAP_LIMIT and chunks[-1]:
            chunks.append([])
            count = 0
        chunks[-1].append(fragment)
        count += urls
    if len(chunks) == 1:
        return [("sitemap.xml", _document(head, [f.sitemap for f in by_slug]))]
    files: list[tuple[str, Content]] = []
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP})
    for number, chunk in enumerate(chunks, start=1):
        root = head if number == 1 else ET.Element("urlset", {"xmlns": SITEMAP})
        files.append((f"sitemap-{number}.xml", _document(root, [f.sitemap for f in chunk])))
        updated = max(f.last_changed for f in chunk) if number > 1 else newest
        entry = ET.SubElement(index, "sitemap")
        ET.SubElement(entry, "loc").text = f"{config.base_url}sitemap-{number}.xml"
        if updated is not None:
            ET.SubElement(entry, "lastmod").text = updated.isoformat()
    return [("sitemap.xml", _xml(index)), *files]


def brief_file(config: SiteConfig, brief: Brief) -> tuple[str, bytes]:
    """<slug>/brief.json: the brief as data, written with its pages."""
    return f"{brief.slug}/brief.json", to_json(brief_data(config, brief))


def publish_warnings(config: SiteConfig, out: Path) -> list[Problem]:
    """What a build without base_url leaves out (its addresses would not be absolute)."""
    if config.base_url:
        return []
    return [
        warning(
            Location(str(out)),
            "no base_url: sitemap.xml, feed.xml and claimreview.json were left out",
            'set base_url = "https://your.site/" in briefgen.toml or pass --base-url to briefgen build',
        )
    ]
