"""Stage 2, check: everything that can be wrong with loaded briefs, collected as Problems."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from .markdown import ParsedArticle, parse_article, plain_text
from .model import Brief, Claim, SiteConfig, Source
from .problems import Location, Problem, error, warning
from .quotes import closest_passage, find, spans_blocks

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HTTP_URL = re.compile(r"^https?://[^\s/?#<>\"']+[^\s<>\"']*$", re.IGNORECASE)
CLAIM_REVIEWED_MAX = 75
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
# Names Windows cannot use for a folder; a claim's id names the folder of its page.
DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)})


def _url_problem(url: str, where: Location, field: str) -> Problem | None:
    if HTTP_URL.match(url):
        return None
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    reason = (
        f"uses the unsafe scheme '{scheme}:'"
        if scheme and scheme not in ("http", "https")
        else "is not an http(s) address"
    )
    return error(
        where,
        f"'{field}' {reason}: {url[:80]!r}",
        "give the full address starting with https:// (copy it from the browser's address bar)",
        field,
    )


def check_sources(claim: Claim, field: str) -> Iterator[Problem]:
    for index, source in enumerate(claim.sources):
        prefix = f"{field}.sources[{index}]"
        yield from _check_source(source, prefix)


def _check_source(source: Source, prefix: str) -> Iterator[Problem]:
    if source.url:
        problem = _url_problem(source.url, source.where.get("url", source.location), f"{prefix}.url")
        if problem:
            yield problem
    if source.archive_url:
        problem = _url_problem(
            source.archive_url, source.where.get("archive_url", source.location), f"{prefix}.archive_url"
        )
        if problem:
            yield problem
    if source.published and source.accessed and source.accessed < source.published:
        yield warning(
            source.where.get("accessed", source.location),
            f"'{prefix}.accessed' is before its publication date",
            "check both dates",
            f"{prefix}.accessed",
        )


def check_quote(claim: Claim, article: ParsedArticle, field: str) -> Iterator[Problem]:
    where = claim.where.get("quote", claim.location)
    if not claim.quote:
        return
    quote = plain_text(claim.quote)
    if not quote.strip():
        yield error(where, f"'{field}.quote' has no text", "paste the claim's words from the article", f"{field}.quote")
        return
    blocks = list(article.blocks)
    if find(quote, blocks):
        return
    if spans_blocks(quote, blocks):
        yield error(
            where,
            f"quote of claim '{claim.id}' runs across two paragraphs of the article",
            "quote one paragraph at a time; split it into two claims or shorten it",
            f"{field}.quote",
        )
        return
    nearest = closest_passage(quote, blocks)
    hint = (
        f'the closest passage in the article is: "{nearest}"' if nearest else "copy the words exactly from article.md"
    )
    yield error(where, f"quote of claim '{claim.id}' does not appear verbatim in the article", hint, f"{field}.quote")


def check_claim(claim: Claim, brief: Brief, config: SiteConfig, field: str) -> Iterator[Problem]:
    if claim.id and not KEBAB.match(claim.id):
        suggestion = re.sub(r"[^a-z0-9]+", "-", claim.id.lower()).strip("-") or "my-claim"
        yield error(
            claim.where.get("id", claim.location),
            f"claim id '{claim.id}' is not kebab-case",
            f"use lower-case letters, digits and hyphens, e.g. '{suggestion}'",
            f"{field}.id",
        )
    elif claim.id in DEVICE_NAMES:
        yield error(
            claim.where.get("id", claim.location),
            f"claim id '{claim.id}' is a reserved device name on Windows",
            f"the claim's page lives in a folder named after its id; use e.g. '{claim.id}-claim'",
            f"{field}.id",
        )
    rating = config.scale.get(claim.status) if claim.status else None
    if claim.status and rating is None:
        close = difflib.get_close_matches(claim.status, config.scale.keys, n=1)
        hint = (f"did you mean '{close[0]}'? " if close else "") + f"the scale has: {', '.join(config.scale.keys)}"
        yield error(
            claim.where.get("status", claim.location), f"unknown status '{claim.status}'", hint, f"{field}.status"
        )
    if rating is not None and rating.needs_sources and not claim.sources:
        yield error(
            claim.where.get("sources", claim.location),
            f"claim '{claim.id}' has status '{claim.status}' but no sources",
            "add at least one source under 'sources:', or use a status that needs none (e.g. unverified) and say why in the verdict",
            f"{field}.sources",
        )
    yield from check_sources(claim, field)
    restated = claim.restated
    where = claim.where.get("claim", claim.location) if claim.claim else claim.where.get("quote", claim.location)
    if len(restated) > CLAIM_REVIEWED_MAX:
        hint = (
            "ClaimReview's claimReviewed should be short; add a 'claim:' restatement"
            if not claim.claim
            else "shorten the restatement"
        )
        yield warning(
            where,
            f"restated claim of '{claim.id}' is {len(restated)} characters (over {CLAIM_REVIEWED_MAX})",
            hint,
            f"{field}.claim",
        )
    if rating is not None and restated:
        label = rating.label(config.language).lower()
        if re.search(rf"\b{re.escape(label)}\b", restated.lower()):
            yield warning(
                where,
                f"restated claim of '{claim.id}' contains its rating '{label}'",
                "Google's guidelines ask that claimReviewed states the claim, not the verdict"
                + ("" if claim.claim else "; add a 'claim:' restatement without it"),
                f"{field}.claim",
            )


def check_brief(brief: Brief, config: SiteConfig) -> list[Problem]:
    """Every problem of one loaded brief: ids, statuses, sources, URLs and quotes anchored in the article."""
    problems: list[Problem] = []
    article = parse_article(brief.article.body)
    if brief.article.url:
        problem = _url_problem(brief.article.url, brief.article.where.get("url", brief.article.location), "article.url")
        if problem:
            problems.append(problem)
    if brief.article.language and not LANGUAGE_TAG.match(brief.article.language):
        problems.append(
            error(
                brief.article.where.get("language", brief.article.location),
                f"'article.language' is not a language tag: {brief.article.language[:40]!r}",
                "use a BCP 47 tag such as en, nb or pt-BR",
                "article.language",
            )
        )
    seen: dict[str, Location] = {}
    for index, claim in enumerate(brief.claims):
        field = f"claims[{claim.id or index}]"
        if claim.id in seen:
            first = seen[claim.id]
            problems.append(
                error(
                    claim.where.get("id", claim.location),
                    f"duplicate claim id '{claim.id}' (first used at line {first.line})",
                    "each claim needs its own id; rename one",
                    f"{field}.id",
                )
            )
        elif claim.id:
            seen[claim.id] = claim.where.get("id", claim.location)
        problems += check_claim(claim, brief, config, field)
        if brief.article.body.strip():  # an article without text is reported once, by the loader
            problems += check_quote(claim, article, field)
    if brief.updated and brief.updated < brief.published:
        problems.append(
            warning(
                brief.where.get("updated", brief.location),
                "'updated' is before 'published'",
                "check both dates",
                "updated",
            )
        )
    if not brief.claims and brief.where:
        problems.append(
            warning(
                brief.where.get("claims", brief.location),
                "this brief has no claims",
                "add claims under 'claims:'",
                "claims",
            )
        )
    return problems


def check_config(config: SiteConfig) -> list[Problem]:
    """Warnings for a site that would break Google's fact-check markup guidelines."""
    problems = []
    if not config.base_url:
        problems.append(
            warning(
                config.where.get("base_url", config.location),
                "no base_url in briefgen.toml",
                'ClaimReview needs absolute URLs: add base_url = "https://your.site/"',
                "base_url",
            )
        )
    if not config.publisher.name:
        problems.append(
            warning(
                config.where.get("publisher", config.location),
                "no [publisher] name in briefgen.toml",
                'ClaimReview names the reviewing organisation: add [publisher] name = "…" and url = "…"',
                "publisher.name",
            )
        )
    return problems


def check_site(briefs: list[Brief], config: SiteConfig) -> list[Problem]:
    problems = check_config(config)
    for brief in briefs:
        problems += check_brief(brief, config)
    return problems
