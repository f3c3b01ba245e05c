"""Feeds for crawlers and readers: sitemap.xml, robots.txt and an Atom feed (RFC 4287) of the briefs.

All addresses are absolute under base_url; XML is built with ElementTree, so it is well-formed and escaped.
Dates come from the content only, never from the clock: two builds of the same content give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import xml.etree.ElementTree as ET
from html import escape, unescape

from .data import brief_url, newest_first, scorecard
from .i18n import strings
from .markdown import render
from .model import Brief, Site, SiteConfig

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def claims_total(config: SiteConfig, brief: Brief) -> str:
    """The claim count in words ("3 claims checked"), in the site's language."""
    t = strings(config.language)
    return t["claim_count_one"] if len(brief.claims) == 1 else t["claims_count"].format(n=len(brief.claims))


def scorecard_text(config: SiteConfig, brief: Brief) -> str:
    """The scorecard in words, e.g. "3 claims checked: True 2, Mixed 1"."""
    total = claims_total(config, brief)
    counts = ", ".join(f"{label} {n}" for _, label, n in scorecard(config, brief))
    return f"{total}: {counts}" if counts else total


def _xml(root: ET.Element) -> bytes:
    """The document as UTF-8 bytes; its root carries the default namespace as a plain xmlns attribute."""
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def fallback_date() -> dt.date:
    """The date of an empty site: SOURCE_DATE_EPOCH when set (reproducible builds), else 1970-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    seconds = int(epoch) if epoch.isdigit() else 0
    return dt.datetime.fromtimestamp(seconds, dt.UTC).date()


def last_changed(site: Site) -> dt.date:
    return max((b.last_changed for b in site.briefs), default=fallback_date())


def feed_head(config: SiteConfig, updated: dt.date) -> ET.Element:
    """The Atom feed's root with everything but its entries."""
    from . import __version__  # the package is initialised by the time a feed is built

    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: config.language})
    _sub(feed, "id", config.base_url)
    _sub(feed, "title", config.title)
    _sub(feed, "updated", _timestamp(updated))
    author = _sub(feed, "author")
    _sub(author, "name", config.publisher.name or config.title)
    if config.publisher.url:
        _sub(author, "uri", config.publisher.url)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=f"{config.base_url}feed.xml")
    _sub(feed, "link", rel="alternate", type="text/html", href=config.base_url)
    _sub(feed, "generator", "briefgen", version=__version__)
    return feed


def feed_entry(config: SiteConfig, brief: Brief) -> ET.Element:
    """One brief's entry in the Atom feed: its summary and scorecard, as text and HTML."""
    url = brief_url(config, brief)
    entry = ET.Element("entry")
    _sub(entry, "id", url)
    _sub(entry, "title", brief.title)
    _sub(entry, "updated", _timestamp(brief.last_changed))
    _sub(entry, "published", _timestamp(brief.published))
    _sub(entry, "link", rel="alternate", type="text/html", href=url)
    for reviewer in brief.reviewers:
        _sub(_sub(entry, "author"), "name", reviewer)
    for tag in brief.tags:
        _sub(entry, "category", term=tag)
    score = scorecard_text(config, brief)
    _sub(entry, "summary", f"{plain(brief.summary)}\n\n{score}", type="text")
    items = "".join(f"<li>{escape(label)}: {n}</li>" for _, label, n in scorecard(config, brief))
    html = f"{render(brief.summary)}<p>{escape(claims_total(config, brief))}</p>\n<ul>{items}</ul>\n"
    _sub(entry, "content", html, type="html")
    return entry


def atom_feed(site: Site) -> bytes:
    """The Atom feed of every brief, newest first: its summary and scorecard, as text and HTML."""
    feed = feed_head(site.config, last_changed(site))
    feed.extend(feed_entry(site.config, brief) for brief in newest_first(site))
    return _xml(feed)


def plain(markdown_text: str) -> str:
    """Markdown as one plain-text paragraph: tags stripped, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", str(render(markdown_text)))
    return " ".join(unescape(text).split())


def sitemap_head(config: SiteConfig, updated: dt.date | None) -> ET.Element:
    """The sitemap's root with the index and methodology pages (updated: None for a site without briefs)."""
    urlset = ET.Element("urlset", {"xmlns": SITEMAP})
    urlset.append(sitemap_url(config.base_url, updated))
    urlset.append(sitemap_url(f"{config.base_url}methodology/", None))
    return urlset


def sitemap_url(loc: str, lastmod: dt.date | None) -> ET.Element:
    url = ET.Element("url")
    _sub(url, "loc", loc)
    if lastmod is not None:
        _sub(url, "lastmod", lastmod.isoformat())
    return url


def sitemap_urls(config: SiteConfig, brief: Brief) -> list[ET.Element]:
    """A brief's entries in the sitemap: its page, then each claim page."""
    url = brief_url(config, brief)
    claims = sorted(brief.claims, key=lambda c: c.id)
    return [sitemap_url(url, brief.last_changed)] + [sitemap_url(f"{url}{c.id}/", brief.last_changed) for c in claims]


def sitemap(site: Site) -> bytes:
    """Every page a search engine should know: the index, methodology, each brief and each claim page."""
    urlset = sitemap_head(site.config, last_changed(site) if site.briefs else None)
    for brief in sorted(site.briefs, key=lambda b: b.slug):
        urlset.extend(sitemap_urls(site.config, brief))
    return _xml(urlset)


def base_path(config: SiteConfig) -> str:
    """The path part of base_url ("/briefs/"), or "/" without one."""
    return re.sub(r"^https?://[^/]+", "", config.base_url) or "/"


def robots(config: SiteConfig) -> bytes:
    """robots.txt: crawl everything but the search index, and here is the sitemap (crawlers read it at the root only)."""
    lines = ["User-agent: *", f"Disallow: {base_path(config)}pagefind/"]
    if config.base_url:
        lines += ["", f"Sitemap: {config.base_url}sitemap.xml"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def feed_files(site: Site) -> list[tuple[str, bytes]]:
    """robots.txt always; sitemap.xml and feed.xml when base_url makes their addresses absolute."""
    files = [("robots.txt", robots(site.config))]
    if site.config.base_url:
        files += [("sitemap.xml", sitemap(site)), ("feed.xml", atom_feed(site))]
    return files
