"""schema.org ClaimReview for one claim, and JSON safe to put inside a <script> element."""

from __future__ import annotations

import json
from typing import Any

from .model import Brief, Claim, SiteConfig


def claim_url(config: SiteConfig, brief: Brief, claim: Claim) -> str:
    return f"{config.base_url}{brief.slug}/{claim.id}/"


def claim_review(config: SiteConfig, brief: Brief, claim: Claim) -> dict[str, Any]:
    """The ClaimReview of a claim page; it states exactly what the page shows."""
    rating = config.scale.get(claim.status)
    assert rating is not None, "check() guarantees every status is on the scale"
    review_rating: dict[str, Any] = {"@type": "Rating", "alternateName": rating.label(config.language)}
    if rating.value is not None:
        review_rating |= {
            "ratingValue": rating.value,
            "bestRating": config.scale.best,
            "worstRating": config.scale.worst,
        }
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": {"@type": "Person" if claim.claimant_is_person else "Organization", "name": brief.claimant_of(claim)},
        "datePublished": brief.article.published.isoformat(),
    }
    if brief.article.url:
        item["appearance"] = {"@type": "CreativeWork", "url": brief.article.url}
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim_url(config, brief, claim),
        "claimReviewed": claim.restated,
        "reviewRating": review_rating,
        "author": reviewer(config),
        "datePublished": brief.published.isoformat(),
        "itemReviewed": item,
        "inLanguage": config.language,
    }
    if brief.updated:
        review["dateModified"] = brief.updated.isoformat()
    return review


def reviewer(config: SiteConfig) -> dict[str, Any]:
    """The organisation that publishes the reviews: the site's publisher, its url or else the site's own."""
    author: dict[str, Any] = {"@type": "Organization", "name": config.publisher.name or config.title}
    if config.publisher.url or config.base_url:
        author["url"] = config.publisher.url or config.base_url
    return author


def script_json(data: Any) -> str:
    """JSON that cannot end its <script> element early or be read as HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # compact: the C encoder, and lighter pages
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
