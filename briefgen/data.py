"""Machine-readable data: <slug>/brief.json (with W3C Web Annotation selectors) and the ClaimReview DataFeed.

Positions in brief.json count Unicode code points in the article's plain text: the text of its
paragraphs and headings (Markdown formatting removed), joined by a blank line ("\\n\\n").
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from .claimreview import claim_review, claim_url
from .markdown import parse_article, plain_text
from .model import Brief, Claim, Site, SiteConfig, Source
from .quotes import find

FORMAT = "briefgen-brief/1"
CONTEXT_CHARS = 32  # prefix and suffix length of a TextQuoteSelector, as annotation tools use
BLOCK_SEPARATOR = "\n\n"


def to_json(data: Any) -> bytes:
    """Stable JSON bytes: fixed key order, UTF-8, compact (Python's C encoder: an indent would be 10× slower), a final newline."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def brief_url(config: SiteConfig, brief: Brief) -> str:
    """The brief page's address: absolute under base_url, or relative to the site root without one."""
    return f"{config.base_url}{brief.slug}/"


def article_text(blocks: tuple[str, ...]) -> str:
    """The article's plain text that selector positions count in."""
    return BLOCK_SEPARATOR.join(blocks)


def quote_selectors(quote: str, blocks: tuple[str, ...]) -> list[dict[str, Any]] | None:
    """A TextQuoteSelector and a TextPositionSelector for the quote in the article, or None if it is absent."""
    match = find(plain_text(quote), list(blocks))
    if match is None:
        return None
    offset = sum(len(block) + len(BLOCK_SEPARATOR) for block in blocks[: match.block])
    start, end = offset + match.start, offset + match.end
    text = article_text(blocks)
    return [
        {
            "type": "TextQuoteSelector",
            "exact": text[start:end],
            "prefix": text[max(0, start - CONTEXT_CHARS) : start],
            "suffix": text[end : end + CONTEXT_CHARS],
        },
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def _source(source: Source) -> dict[str, Any]:
    return {
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "published": _date(source.published),
        "accessed": _date(source.accessed),
        "archive_url": source.archive_url,
        "excerpt": source.excerpt,
    }


def _claim(config: SiteConfig, brief: Brief, claim: Claim, blocks: tuple[str, ...]) -> dict[str, Any]:
    rating = config.scale.get(claim.status)
    selectors = quote_selectors(claim.quote, blocks)
    return {
        "id": claim.id,
        "url": claim_url(config, brief, claim),
        "quote": claim.quote,
        "claim": claim.restated,
        "claimant": brief.claimant_of(claim),
        "status": claim.status,
        "label": rating.label(config.language) if rating else claim.status,
        "rating_value": rating.value if rating else None,
        "verdict": claim.verdict,
        "sources": [_source(s) for s in claim.sources],
        "target": (
            {"source": brief.article.url or brief_url(config, brief), "selector": selectors} if selectors else None
        ),
    }


def scorecard(config: SiteConfig, brief: Brief) -> list[tuple[str, str, int]]:
    """(status, label, count) for each status of the scale that the brief uses, in scale order."""
    counts = {key: sum(1 for c in brief.claims if c.status == key) for key in config.scale.keys}
    return [(r.key, r.label(config.language), counts[r.key]) for r in config.scale.ratings if counts[r.key]]


def brief_data(config: SiteConfig, brief: Brief) -> dict[str, Any]:
    """Everything a brief page states, as data: the brief, its article, claims, statuses and sources."""
    blocks = parse_article(brief.article.body).blocks
    article = brief.article
    return {
        "format": FORMAT,
        "url": brief_url(config, brief),
        "slug": brief.slug,
        "title": brief.title,
        "summary": brief.summary,
        "reviewers": list(brief.reviewers),
        "published": _date(brief.published),
        "updated": _date(brief.updated),
        "tags": list(brief.tags),
        "language": config.language,
        "scorecard": [{"status": k, "label": label, "count": n} for k, label, n in scorecard(config, brief)],
        "article": {
            "title": article.title,
            "publisher": article.publisher,
            "published": _date(article.published),
            "url": article.url,
            "author": article.author,
            "language": article.language,
            "text": article_text(blocks),
        },
        "claims": [_claim(config, brief, claim, blocks) for claim in brief.claims],
        "corrections": [{"date": _date(c.date), "note": c.note} for c in brief.corrections],
    }


def newest_first(site: Site) -> list[Brief]:
    return sorted(site.briefs, key=lambda b: (b.published, b.slug), reverse=True)


def feed_items(config: SiteConfig, brief: Brief) -> list[dict[str, Any]]:
    """A brief's DataFeedItems in the ClaimReview feed: one per claim."""
    items = []
    for claim in brief.claims:
        item: dict[str, Any] = {
            "@type": "DataFeedItem",
            "url": claim_url(config, brief, claim),
            "dateCreated": _date(brief.published),
        }
        if brief.updated:
            item["dateModified"] = _date(brief.updated)
        item["item"] = [claim_review(config, brief, claim)]
        items.append(item)
    return items


def feed_head(config: SiteConfig, newest: dt.date | None) -> dict[str, Any]:
    """The DataFeed without its elements (newest: the latest change of any brief, None without briefs)."""
    feed: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": config.title,
        "url": config.base_url,
    }
    if newest is not None:
        feed["dateModified"] = newest.isoformat()
    return feed


def claimreview_feed(site: Site) -> dict[str, Any]:
    """A schema.org DataFeed of every ClaimReview of the site, as fact-check aggregators ingest it."""
    config = site.config
    items = [item for brief in newest_first(site) for item in feed_items(config, brief)]
    newest = max((b.last_changed for b in site.briefs), default=None)
    return {**feed_head(config, newest), "dataFeedElement": items}


def data_files(site: Site) -> list[tuple[str, bytes]]:
    """<slug>/brief.json for every brief; claimreview.json when base_url makes its URLs absolute."""
    files = [(f"{brief.slug}/brief.json", to_json(brief_data(site.config, brief))) for brief in site.briefs]
    if site.config.base_url:
        files.append(("claimreview.json", to_json(claimreview_feed(site))))
    return files
