"""`briefgen new`: a new brief folder with an article and a commented notes.yaml to fill in."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .load import ARTICLE_FILE, CONTENT_DIR, NOTES_FILE, RESERVED_NAMES, SLUG
from .problems import Location, Problem, error
from .sources import SourceError, read_text

NOTES_TEMPLATE = """\
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
corrections: []
"""

ARTICLE_TEMPLATE = """\
---
title: "{title}"
publisher: "Publisher name"
published: {today}
# url: https://…   (the article's real address; never guess it)
# author: "…"
# language: en
---
{body}
"""

_MARKDOWN_START = re.compile(r"^(\s*)([#>*+=|]|-(?=\s)|\d+[.)]\s|```|~~~)")


def text_to_markdown(text: str) -> str:
    """Plain text → Markdown paragraphs, escaping what Markdown would read as syntax."""
    paragraphs = [" ".join(line.strip() for line in block.splitlines()) for block in re.split(r"\n\s*\n", text)]
    escaped = [_MARKDOWN_START.sub(lambda m: m.group(1) + "\\" + m.group(2), p) for p in paragraphs if p.strip()]
    return "\n\n".join(escaped) + "\n"


def new_brief(
    project: Path, slug: str, article_file: Path | None = None, statuses: tuple[str, ...] = ()
) -> tuple[Path | None, list[Problem]]:
    """Create content/<slug>/ with article.md and notes.yaml; never overwrite an existing brief."""
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
    if article_file is not None:
        try:
            text = read_text(article_file, str(article_file))
        except SourceError as exc:
            return None, [error(exc.location, exc.message, exc.hint)]
        if text.startswith("---\n"):
            body = text.split("\n---\n", 1)[-1]
        else:
            body = text_to_markdown(text) if article_file.suffix.lower() not in (".md", ".markdown") else text
    today = dt.date.today().isoformat()
    folder.mkdir(parents=True)
    (folder / ARTICLE_FILE).write_text(
        ARTICLE_TEMPLATE.format(title=title.replace('"', "'"), today=today, body=body), "utf-8"
    )
    (folder / NOTES_FILE).write_text(
        NOTES_TEMPLATE.format(slug=slug, title=title.replace('"', "'"), today=today, statuses=", ".join(statuses)),
        "utf-8",
    )
    return folder, []
