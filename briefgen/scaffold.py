"""`briefgen new`: a new brief folder with an article and a commented notes.yaml to fill in."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from .json_schema import modeline, write_project_schemas
from .load import RESERVED_NAMES, SLUG
from .markdown import parse_article, plain_text
from .model import SiteConfig
from .names import ARTICLE_FILE, CONTENT_DIR, NOTES_FILE
from .problems import Location, Problem, error
from .propose import claim_id, detect_language, propose
from .quotes import find
from .sources import SourceError, read_text

NOTES_TEMPLATE = """\
{modeline}
# Fact-check notes for {slug}. Format: see the README ("Content format").
title: "Fact-check: {title}"
summary: |
  Write the finding in two or three sentences.
reviewers:
  - Your Name
published: {today}
# updated: {today}
draft: true          # shown by `briefgen serve`, left out of `briefgen build` until you set false
tags: []
{claims}corrections: []
"""

EXAMPLE_CLAIMS = """\
claims:
  # One entry per checkable claim, in article order. Copy the quote verbatim from article.md.
  # - id: short-kebab-name
  #   quote: "the exact words of the article"
  #   claim: "A restatement in 75 characters or fewer"
  #   status: unverified   # one of: {statuses}
  #   verdict: |
  #     What the evidence says, naming the sources.
  #   sources:
  #     - url: https://…
  #       title: "…"
  #       publisher: "…"
  #       published: YYYY-MM-DD
  #       accessed: {today}
  #       excerpt: "what the source says that matters"
  []
"""

CANDIDATES_HEAD = """\
claims:
  # Candidate claims found in the article, most check-worthy first ({count} proposed by `briefgen new`).
  # To check one: uncomment its lines (remove '# '), delete the `[]` line at the end of this list,
  # choose its status, write the verdict and add sources. Each quote is verbatim from article.md:
  # shorten it if you like, but keep the words exact. Statuses: {statuses}.
  # A source has url, title and publisher (required), and published, accessed, archive_url, excerpt.
"""

CANDIDATE = """\
  #
  # - id: {id}  # candidate {rank}, score {score}: {reasons}
  #   quote: {quote}
  #   claim: ""  # optional restatement, 75 characters or fewer
  #   status:  # {statuses}
  #   verdict: ""
  #   sources: []
"""

ARTICLE_TEMPLATE = """\
---
title: "{title}"
publisher: "Publisher name"
published: {today}
# url: https://…   (the article's real address; never guess it)
# author: "…"
{language}
---
{body}
"""

_MARKDOWN_START = re.compile(r"^(\s*)([#>*+=|]|-(?=\s)|\d+[.)]\s|```|~~~)")


def text_to_markdown(text: str) -> str:
    """Plain text → Markdown paragraphs, escaping what Markdown would read as syntax."""
    paragraphs = [" ".join(line.strip() for line in block.splitlines()) for block in re.split(r"\n\s*\n", text)]
    escaped = [_MARKDOWN_START.sub(lambda m: m.group(1) + "\\" + m.group(2), p) for p in paragraphs if p.strip()]
    return "\n\n".join(escaped) + "\n"


def claims_section(blocks: list[str], statuses: tuple[str, ...], today: str) -> str:
    """The `claims:` block of a new notes.yaml: the article's candidate claims, commented out and ranked."""
    listed = ", ".join(statuses)
    candidates = [c for c in propose(blocks) if find(plain_text(_one_line(c.quote)), blocks)]
    if not candidates:
        return EXAMPLE_CLAIMS.format(statuses=listed, today=today)
    taken: set[str] = set()
    parts = [CANDIDATES_HEAD.format(count=len(candidates), statuses=listed)]
    for rank, candidate in enumerate(candidates, 1):
        taken.add(ident := claim_id(candidate.quote, taken))
        parts.append(
            CANDIDATE.format(
                id=ident,
                rank=rank,
                score=candidate.score,
                reasons=_one_line("; ".join(candidate.reasons)),
                quote=json.dumps(_one_line(candidate.quote), ensure_ascii=False),
                statuses=f"one of: {listed}" if listed else "a key of the rating scale",
            )
        )
    return "".join(parts) + "  []\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def new_brief(
    project: Path,
    slug: str,
    article_file: Path | None = None,
    statuses: tuple[str, ...] = (),
    config: SiteConfig | None = None,
) -> tuple[Path | None, list[Problem]]:
    """Create content/<slug>/ with article.md and notes.yaml; never overwrite an existing brief.

    With an article, notes.yaml proposes the article's check-worthy sentences as commented-out claims.
    The JSON Schemas are (re)written into PROJECT/.briefgen/schema/, where notes.yaml's first line points,
    so that editors validate and complete it offline.
    """
    here = Location(f"{CONTENT_DIR}/{slug}")
    if not SLUG.match(slug) or slug in RESERVED_NAMES:
        return None, [
            error(
                here,
                f"'{slug}' cannot be a brief name",
                "use lower-case letters, digits and single hyphens, e.g. 2022-09-10-kharkiv",
            )
        ]
    folder = project / CONTENT_DIR / slug
    if folder.exists():
        return None, [
            error(
                here,
                f"brief '{slug}' already exists; nothing was changed",
                "choose another name, or edit the existing files",
            )
        ]
    body = "Paste the article text here, exactly as published.\n"
    title = slug.replace("-", " ").capitalize()
    statuses = statuses or (config.scale.keys if config else ())
    today = dt.date.today().isoformat()
    claims = EXAMPLE_CLAIMS.format(statuses=", ".join(statuses), today=today)
    language = "# language: en"
    if article_file is not None:
        try:
            text = read_text(article_file, str(article_file))
        except SourceError as exc:
            return None, [error(exc.location, exc.message, exc.hint)]
        if text.startswith("---\n"):
            body = text.split("\n---\n", 1)[-1]
        else:
            body = text_to_markdown(text) if article_file.suffix.lower() not in (".md", ".markdown") else text
        blocks = list(parse_article(body).blocks)
        claims = claims_section(blocks, statuses, today)
        detected = detect_language(" ".join(blocks))
        language = f"language: {detected}" if detected else language
    folder.mkdir(parents=True)
    (folder / ARTICLE_FILE).write_text(
        ARTICLE_TEMPLATE.format(title=title.replace('"', "'"), today=today, body=body, language=language), "utf-8"
    )
    (folder / NOTES_FILE).write_text(
        NOTES_TEMPLATE.format(
            modeline=modeline(), slug=slug, title=title.replace('"', "'"), today=today, claims=claims
        ),
        "utf-8",
    )
    write_project_schemas(project, config)
    return folder, []
