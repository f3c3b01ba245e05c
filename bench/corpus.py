"""A deterministic synthetic corpus of fact-check briefs, in briefgen's, Hugo's and Pelican's formats.

    python bench/corpus.py N [--out bench/_corpus]   →  bench/_corpus/N/{briefgen,hugo,pelican}/

Each brief: an article of about 600 words (with a heading or two), 8 claims whose quotes are
sentences of that article (so `briefgen check` passes), 2 sources per claim. The same briefs go to
Hugo (one page per brief, the claims in front matter) and Pelican (one article per brief, the claims
as Markdown after the article), with templates that show the same things as briefgen's brief page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "_corpus"
STATUSES = ("true", "mostly-true", "mixed", "misleading", "false", "unverified")
CLAIMS_PER_BRIEF = 8
SOURCES_PER_CLAIM = 2
WORDS = [
    "council",
    "budget",
    "minister",
    "report",
    "figures",
    "percent",
    "million",
    "increase",
    "decrease",
    "agency",
    "statement",
    "official",
    "river",
    "bridge",
    "housing",
    "school",
    "hospital",
    "election",
    "voters",
    "survey",
    "police",
    "court",
    "prices",
    "energy",
    "grid",
    "wind",
    "farm",
    "harbour",
    "railway",
    "station",
    "airport",
    "museum",
    "library",
    "union",
    "workers",
    "strike",
    "wages",
    "inflation",
    "export",
    "import",
    "fishing",
    "quota",
    "forest",
    "coast",
    "island",
    "village",
    "county",
    "region",
    "municipality",
    "mayor",
    "opposition",
    "committee",
    "hearing",
    "proposal",
    "plan",
    "funding",
    "deficit",
    "surplus",
    "tax",
    "reform",
    "pension",
    "health",
    "care",
    "nurses",
    "doctors",
    "patients",
    "waiting",
    "list",
    "emergency",
    "ward",
    "teachers",
    "pupils",
    "exam",
    "results",
    "data",
    "office",
    "analysis",
    "trend",
    "decade",
    "record",
    "year",
    "month",
    "week",
    "morning",
    "evening",
    "spring",
    "summer",
    "autumn",
    "winter",
    "north",
    "south",
    "east",
    "west",
    "central",
    "local",
    "national",
    "european",
    "global",
    "new",
    "old",
    "large",
    "small",
    "higher",
    "lower",
    "rising",
    "falling",
    "stable",
    "first",
    "second",
    "third",
]
VERBS = [
    "said",
    "reported",
    "announced",
    "claimed",
    "showed",
    "found",
    "confirmed",
    "denied",
    "estimated",
    "warned",
    "promised",
]
NAMES = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Berg",
    "Haugen",
]
OUTLETS = ("The Example Gazette", "Northern Courier", "Coastal Times", "Daily Ledger", "Evening Post")


@dataclass(frozen=True)
class Source:
    url: str
    title: str
    publisher: str
    published: dt.date
    accessed: dt.date
    excerpt: str


@dataclass(frozen=True)
class Claim:
    id: str
    quote: str
    claim: str
    status: str
    verdict: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Brief:
    slug: str
    title: str
    summary: str
    published: dt.date
    tags: tuple[str, ...]
    article_title: str
    publisher: str
    article_published: dt.date
    article_url: str
    paragraphs: tuple[str, ...]  # "## heading" lines are headings
    claims: tuple[Claim, ...]


def _sentence(rng: random.Random, number: int) -> str:
    """A plain sentence (no Markdown syntax), unique within its brief thanks to its number."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 15))]
    verb = rng.choice(VERBS)
    name = rng.choice(NAMES)
    at = rng.randint(2, len(words) - 2)
    text = " ".join([name, *words[:at], verb, *words[at:]])
    return f"{text} {number}.{rng.randint(0, 9)} percent."


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def make_brief(index: int, seed: int) -> Brief:
    rng = random.Random(seed * 1_000_003 + index)
    published = dt.date(2015, 1, 1) + dt.timedelta(days=index % 3650)
    sentences = [_sentence(rng, number) for number in range(36)]
    paragraphs: list[str] = []
    for start in range(0, len(sentences), 4):
        if start in (12, 24):
            paragraphs.append("## " + _words(rng, 4).capitalize())
        part = sentences[start : start + 4]
        if start == 8:  # some inline Markdown outside the quoted sentences
            part = [*part[:-1], f"**{_words(rng, 2)}** and *{_words(rng, 2)}* [link](https://example.org/{index})."]
        paragraphs.append(" ".join(part))
    quoted = sorted(rng.sample([i for i in range(36) if i != 11], CLAIMS_PER_BRIEF))
    claims = []
    for number, at in enumerate(quoted, start=1):
        sources = tuple(
            Source(
                url=f"https://source{k}.example.org/{index}/{number}",
                title=_words(rng, 6).capitalize(),
                publisher=rng.choice(OUTLETS),
                published=published - dt.timedelta(days=rng.randint(1, 30)),
                accessed=published,
                excerpt=_words(rng, 18).capitalize() + ".",
            )
            for k in range(SOURCES_PER_CLAIM)
        )
        claims.append(
            Claim(
                id=f"claim-{number}",
                quote=sentences[at],
                claim=f"Claim {number}: " + _words(rng, 5),
                status=rng.choice(STATUSES),
                verdict=f"{_words(rng, 30).capitalize()}.\n\nThe **{_words(rng, 2)}** {_words(rng, 20)}.\n",
                sources=sources,
            )
        )
    slug = f"{published.isoformat()}-brief-{index:05d}"
    return Brief(
        slug=slug,
        title=f"Fact-check {index}: " + _words(rng, 6),
        summary=f"{_words(rng, 25).capitalize()}.\n",
        published=published,
        tags=tuple(sorted({rng.choice(WORDS) for _ in range(3)})),
        article_title=_words(rng, 7).capitalize(),
        publisher=rng.choice(OUTLETS),
        article_published=published - dt.timedelta(days=1),
        article_url=f"https://news.example.org/{index}/article",
        paragraphs=tuple(paragraphs),
        claims=tuple(claims),
    )


def q(text: str) -> str:
    """A YAML/TOML-safe double-quoted scalar (JSON strings are both)."""
    return json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: str) -> str:
    return "|\n" + "".join(f"{indent}{line}\n" if line else "\n" for line in text.rstrip("\n").split("\n"))


def article_text(brief: Brief) -> str:
    return "\n\n".join(brief.paragraphs) + "\n"


# ---------------------------------------------------------------- briefgen


def briefgen_files(brief: Brief) -> dict[str, str]:
    article = (
        "---\n"
        f"title: {q(brief.article_title)}\n"
        f"publisher: {q(brief.publisher)}\n"
        f"published: {brief.article_published.isoformat()}\n"
        f"url: {brief.article_url}\n"
        "language: en\n"
        "---\n\n" + article_text(brief)
    )
    lines = [
        f"title: {q(brief.title)}",
        f"summary: {_block(brief.summary, '  ')}".rstrip("\n"),
        'reviewers: ["Bench Checker"]',
        f"published: {brief.published.isoformat()}",
        f"tags: [{', '.join(brief.tags)}]",
        "claims:",
    ]
    for claim in brief.claims:
        lines += [
            f"  - id: {claim.id}",
            f"    quote: {q(claim.quote)}",
            f"    claim: {q(claim.claim)}",
            f'    status: "{claim.status}"',
            f"    verdict: {_block(claim.verdict, '      ')}".rstrip("\n"),
            "    sources:",
        ]
        for source in claim.sources:
            lines += [
                f"      - url: {source.url}",
                f"        title: {q(source.title)}",
                f"        publisher: {q(source.publisher)}",
                f"        published: {source.published.isoformat()}",
                f"        accessed: {source.accessed.isoformat()}",
                f"        excerpt: {q(source.excerpt)}",
            ]
    return {
        f"content/{brief.slug}/article.md": article,
        f"content/{brief.slug}/notes.yaml": "\n".join(lines) + "\n",
    }


BRIEFGEN_TOML = """title = "Bench briefs"
base_url = "https://bench.example.org/"
language = "en"

[publisher]
name = "Bench fact-check desk"
url = "https://bench.example.org/"
"""

# ---------------------------------------------------------------- Hugo

HUGO_CONFIG = """baseURL = "https://bench.example.org/"
languageCode = "en"
title = "Bench briefs"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
"""

HUGO_BASEOF = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title>
<link rel="canonical" href="{{ .Permalink }}">
{{ block "head" . }}{{ end }}
</head>
<body>
<header class="site-header"><a class="site-title" href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav><ul><li><a href="{{ "/" | relURL }}">All briefs</a></li><li><a href="{{ "/methodology/" | relURL }}">Methodology</a></li></ul></nav></header>
<main id="main">{{ block "main" . }}{{ end }}</main>
<footer class="site-footer"><p>Bench fact-check desk</p></footer>
</body>
</html>
"""

HUGO_SINGLE = """{{ define "title" }}{{ .Title }} · {{ .Site.Title }}{{ end }}
{{ define "head" }}{{ $ld := dict "@context" "https://schema.org" "@type" "Article" "headline" .Title "url" .Permalink }}<script type="application/ld+json">{{ $ld | jsonify | safeJS }}</script>{{ end }}
{{ define "main" }}
<article class="brief">
<h1>{{ .Title }}</h1>
<div class="summary">{{ .Params.summary | markdownify }}</div>
<p class="byline">Reviewed by {{ delimit .Params.reviewers ", " }} · <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
<div class="scorecard"><p>{{ len .Params.claims }} claims</p><ul>
{{ range $status, $items := (group_by_status .Params.claims) }}{{ end }}
</ul></div>
<section class="claims"><h2>Claims</h2>
{{ range $i, $c := .Params.claims }}
<article class="claim-card" id="claim-{{ $c.id }}" data-status="{{ $c.status }}">
<p class="claim-number">Claim {{ add $i 1 }}</p>
<h3>{{ $c.claim }}</h3>
<p class="claim-rating"><span class="badge" data-status="{{ $c.status }}">{{ $c.status }}</span></p>
<figure><blockquote>{{ $c.quote }}</blockquote><figcaption>Claimed by {{ $.Params.publisher }}</figcaption></figure>
<h4>Verdict</h4><div class="verdict">{{ $c.verdict | markdownify }}</div>
<h4>Sources</h4><ol class="sources">
{{ range $j, $s := $c.sources }}<li id="claim-{{ $c.id }}-source-{{ add $j 1 }}"><span>{{ $s.publisher }}</span>: <a href="{{ $s.url }}">{{ $s.title }}</a>, <time>{{ $s.published }}</time>; accessed <time>{{ $s.accessed }}</time>.
<blockquote class="excerpt">{{ $s.excerpt }}</blockquote></li>
{{ end }}</ol>
<script type="application/ld+json">{{ dict "@context" "https://schema.org" "@type" "ClaimReview" "claimReviewed" $c.claim "url" (printf "%s%s/" $.Permalink $c.id) "reviewRating" (dict "@type" "Rating" "alternateName" $c.status) | jsonify | safeJS }}</script>
</article>
{{ end }}
</section>
<section class="article"><h2>Article</h2>
<p class="article-meta"><cite>{{ .Params.article_title }}</cite> · {{ .Params.publisher }} · <a href="{{ .Params.article_url }}">Read the original</a></p>
<div class="article-text">{{ .Content }}</div>
</section>
<footer class="brief-footer"><p>Tags: {{ delimit .Params.tags ", " }}</p></footer>
</article>
{{ end }}
""".replace("{{ range $status, $items := (group_by_status .Params.claims) }}{{ end }}\n", "")

HUGO_INDEX = """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<ol class="brief-list">
{{ range .Site.RegularPages.ByDate.Reverse }}
<li class="brief-item"><article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p class="byline"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .Params.publisher }}</p>
<div class="summary">{{ .Params.summary | markdownify }}</div>
<p class="scorecard-total">{{ len .Params.claims }} claims</p></article></li>
{{ end }}
</ol>
{{ end }}
"""


def hugo_page(brief: Brief) -> str:
    front = {
        "title": brief.title,
        "date": brief.published.isoformat(),
        "slug": brief.slug,
        "url": f"/{brief.slug}/",
        "summary": brief.summary,
        "reviewers": ["Bench Checker"],
        "tags": list(brief.tags),
        "article_title": brief.article_title,
        "publisher": brief.publisher,
        "article_url": brief.article_url,
        "claims": [
            {
                "id": c.id,
                "quote": c.quote,
                "claim": c.claim,
                "status": c.status,
                "verdict": c.verdict,
                "sources": [
                    {
                        "url": s.url,
                        "title": s.title,
                        "publisher": s.publisher,
                        "published": s.published.isoformat(),
                        "accessed": s.accessed.isoformat(),
                        "excerpt": s.excerpt,
                    }
                    for s in c.sources
                ],
            }
            for c in brief.claims
        ],
    }
    return json.dumps(front, ensure_ascii=False, indent=1) + "\n\n" + article_text(brief)


# ---------------------------------------------------------------- Pelican

PELICAN_CONF = """AUTHOR = "Bench Checker"
SITENAME = "Bench briefs"
SITEURL = "https://bench.example.org"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = "theme"
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
DIRECT_TEMPLATES = ["index"]
DEFAULT_PAGINATION = False
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
PAGE_SAVE_AS = ""
DRAFT_SAVE_AS = ""
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
STATIC_PATHS = []
RELATIVE_URLS = True
"""

PELICAN_BASE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ SITENAME }}{% endblock %}</title>
{% block head %}{% endblock %}
</head>
<body>
<header class="site-header"><a class="site-title" href="{{ SITEURL }}/">{{ SITENAME }}</a>
<nav><ul><li><a href="{{ SITEURL }}/">All briefs</a></li><li><a href="{{ SITEURL }}/methodology/">Methodology</a></li></ul></nav></header>
<main id="main">{% block content %}{% endblock %}</main>
<footer class="site-footer"><p>Bench fact-check desk</p></footer>
</body>
</html>
"""

PELICAN_ARTICLE = """{% extends "base.html" %}
{% block title %}{{ article.title }} · {{ SITENAME }}{% endblock %}
{% block head %}<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Article", "headline": {{ article.title|tojson }}}</script>{% endblock %}
{% block content %}
<article class="brief">
<h1>{{ article.title }}</h1>
<div class="summary">{{ article.summary }}</div>
<p class="byline">Reviewed by {{ article.author }} · <time datetime="{{ article.date.isoformat() }}">{{ article.locale_date }}</time></p>
<p class="article-meta"><cite>{{ article.article_title }}</cite> · {{ article.publisher }} · <a href="{{ article.article_url }}">Read the original</a></p>
<div class="article-text">{{ article.content }}</div>
<footer class="brief-footer"><p>Tags: {% for tag in article.tags %}{{ tag }} {% endfor %}</p></footer>
</article>
{% endblock %}
"""

PELICAN_INDEX = """{% extends "base.html" %}
{% block content %}
<h1>{{ SITENAME }}</h1>
<ol class="brief-list">
{% for article in articles %}
<li class="brief-item"><article><h2><a href="{{ SITEURL }}/{{ article.url }}">{{ article.title }}</a></h2>
<p class="byline"><time datetime="{{ article.date.isoformat() }}">{{ article.locale_date }}</time> · {{ article.publisher }}</p>
<div class="summary">{{ article.summary }}</div></article></li>
{% endfor %}
</ol>
{% endblock %}
"""


def pelican_page(brief: Brief) -> str:
    meta = [
        f"Title: {brief.title}",
        f"Date: {brief.published.isoformat()}",
        f"Slug: {brief.slug}",
        "Author: Bench Checker",
        f"Tags: {', '.join(brief.tags)}",
        f"Summary: {brief.summary.strip()}",
        f"Article_title: {brief.article_title}",
        f"Publisher: {brief.publisher}",
        f"Article_url: {brief.article_url}",
    ]
    claims = ["", "## Claims", ""]
    for number, claim in enumerate(brief.claims, start=1):
        claims += [
            f"### Claim {number}: {claim.claim}",
            "",
            f"**{claim.status}**",
            "",
            f"> {claim.quote}",
            "",
            claim.verdict.rstrip("\n"),
            "",
        ]
        for s in claim.sources:
            claims.append(
                f"1. {s.publisher}: [{s.title}]({s.url}), {s.published.isoformat()}; "
                f"accessed {s.accessed.isoformat()}. *{s.excerpt}*"
            )
        claims.append("")
    return "\n".join(meta) + "\n\n" + article_text(brief) + "\n".join(claims)


# ---------------------------------------------------------------- writing


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def generate(n: int, out: Path, seed: int = 7, peers: bool = True) -> Path:
    """Write N briefs under out/<N>/ (briefgen/, and hugo/ and pelican/ when peers); return out/<N>."""
    root = out / str(n)
    if root.exists():
        shutil.rmtree(root)
    bg, hugo, pelican = root / "briefgen", root / "hugo", root / "pelican"
    _write(bg, {"briefgen.toml": BRIEFGEN_TOML})
    if peers:
        _write(
            hugo,
            {
                "hugo.toml": HUGO_CONFIG,
                "layouts/_default/baseof.html": HUGO_BASEOF,
                "layouts/_default/single.html": HUGO_SINGLE,
                "layouts/index.html": HUGO_INDEX,
            },
        )
        _write(
            pelican,
            {
                "pelicanconf.py": PELICAN_CONF,
                "theme/templates/base.html": PELICAN_BASE,
                "theme/templates/article.html": PELICAN_ARTICLE,
                "theme/templates/index.html": PELICAN_INDEX,
            },
        )
    for index in range(n):
        brief = make_brief(index, seed)
        _write(bg, briefgen_files(brief))
        if peers:
            _write(hugo, {f"content/briefs/{brief.slug}.md": hugo_page(brief)})
            _write(pelican, {f"content/{brief.slug}.md": pelican_page(brief)})
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="number of briefs")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where corpora go (default: bench/_corpus)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--briefgen-only", action="store_true", help="skip the Hugo and Pelican copies")
    args = parser.parse_args()
    started = time.perf_counter()
    root = generate(args.n, args.out, args.seed, peers=not args.briefgen_only)
    print(f"{args.n} briefs in {root} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
