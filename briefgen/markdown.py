"""The one Markdown parser: CommonMark, raw HTML off, only safe links, quotes marked in the article."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from html import escape
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from .quotes import Match

SAFE_SCHEMES = ("http:", "https:", "mailto:")

# Defence in depth: whatever the parser emits passes an allow-list sanitiser (ammonia, via nh3) too.
_TAGS = {"p", "a", "em", "strong", "s", "del", "code", "pre", "blockquote", "ul", "ol", "li", "hr", "br"}
_TAGS |= {"h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "mark", "span"}
_ATTRIBUTES = {
    "a": {"href", "title", "aria-describedby"},
    "mark": {"class", "data-status", "id"},
    "span": {"class", "id"},
    "code": {"class"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
}


_CLEAN_OPTIONS: dict[str, Any] = {
    "tags": _TAGS,
    "attributes": _ATTRIBUTES,
    "url_schemes": {scheme.rstrip(":") for scheme in SAFE_SCHEMES},
    "link_rel": None,
    "filter_style_properties": {"text-align"},
    "strip_comments": True,
}
# One sanitiser, built once (nh3.Cleaner, where the installed nh3 has it): nh3.clean() builds one per call.
_clean: Callable[[str], str] = (
    nh3.Cleaner(**_CLEAN_OPTIONS).clean if hasattr(nh3, "Cleaner") else partial(nh3.clean, **_CLEAN_OPTIONS)
)


def sanitise(html: str) -> Markup:
    """HTML reduced to the elements, attributes and URL schemes briefgen's Markdown can produce."""
    return Markup(_clean(html))  # noqa: S704 - the output of an allow-list sanitiser


def _validate_link(url: str) -> bool:
    """Allow http(s), mailto and relative links; refuse javascript:, data:, vbscript: and the rest."""
    lowered = "".join(url.split()).lower()
    if ":" not in lowered.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return True
    return lowered.startswith(SAFE_SCHEMES)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.disable(["image", "html_block", "html_inline"])
    md.validateLink = _validate_link  # type: ignore[method-assign]
    return md


@lru_cache(maxsize=256)  # a brief's summary is shown on its page, in the index and in the feed: rendered once
def render(text: str) -> Markup:
    """Render user Markdown to safe HTML (no raw HTML, no images, no unsafe links)."""
    return sanitise(parser().render(text))


def heading_id(text: str) -> str:
    """The id a heading gets on a document page: its words, lower-case, joined by hyphens."""
    return "-".join(re.findall(r"\w+", text.lower()))


def render_document(text: str) -> tuple[Markup, frozenset[str]]:
    """Render a standalone page's Markdown with an id on every heading; return the HTML and the ids."""
    md = parser()
    tokens = md.parse(text)
    ids: set[str] = set()
    for opening, inline in itertools.pairwise(tokens):
        if opening.type == "heading_open" and inline.type == "inline":
            base = heading_id(inline.content) or "section"
            unique, n = base, 2
            while unique in ids:
                unique, n = f"{base}-{n}", n + 1
            ids.add(unique)
            opening.attrSet("id", unique)
    return Markup(md.renderer.render(tokens, md.options, {})), frozenset(ids)  # noqa: S704 - text is escaped by the renderer


@lru_cache(maxsize=256)  # a quote is looked up in check, render and data alike
def plain_text(text: str) -> str:
    """The text of inline Markdown with its formatting removed (e.g. `**Izium** fell` → `Izium fell`)."""
    tokens = parser().parseInline(text)
    return "".join(_inline_text(child) for token in tokens for child in (token.children or []))


def _inline_text(token: Token) -> str:
    if token.type in ("text", "code_inline"):
        return token.content
    if token.type in ("softbreak", "hardbreak"):
        return "\n"
    return ""


@dataclass(frozen=True)
class ParsedArticle:
    tokens: list[Token]
    inline_indexes: tuple[int, ...]
    blocks: tuple[str, ...]


@lru_cache(maxsize=64)  # check, render and data each need the parsed article; parse it once (callers never mutate it)
def parse_article(body: str) -> ParsedArticle:
    """Parse the article once; `blocks[i]` is the plain text of the i-th paragraph or heading."""
    tokens = parser().parse(body)
    indexes = tuple(i for i, token in enumerate(tokens) if token.type == "inline")
    blocks = tuple("".join(_inline_text(child) for child in (tokens[i].children or [])) for i in indexes)
    return ParsedArticle(tokens, indexes, blocks)


@dataclass(frozen=True)
class Highlight:
    """A quoted passage to mark in the article and the claim it belongs to."""

    claim_id: str
    status: str
    match: Match


def _mark_open(highlight: Highlight, with_id: bool) -> Token:
    token = Token("html_inline", "", 0)
    claim = escape(highlight.claim_id)
    id_attr = f' id="quote-{claim}"' if with_id else ""
    token.content = (
        f'<mark class="quote" data-status="{escape(highlight.status)}"{id_attr}>'
        f'<a href="#claim-{claim}" aria-describedby="label-{claim}">'
    )
    return token


def _html(content: str) -> Token:
    token = Token("html_inline", "", 0)
    token.content = content
    return token


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _mark_children(children: list[Token], highlights: list[Highlight]) -> list[Token]:
    """Wrap the quoted parts of one block's text tokens in <mark><a> elements, splitting tokens as needed."""
    spans = sorted(highlights, key=lambda h: (h.match.start, -h.match.end))
    started: set[str] = set()
    out: list[Token] = []
    offset = 0
    for child in children:
        length = len(_inline_text(child))
        begin, finish = offset, offset + length
        offset = finish
        covering = [h for h in spans if h.match.start < finish and h.match.end > begin]
        if not covering or child.type not in ("text", "code_inline"):
            out.append(child)
            continue
        cuts = sorted(
            {begin, finish} | {p for h in covering for p in (h.match.start, h.match.end) if begin < p < finish}
        )
        for left, right in itertools.pairwise(cuts):
            inside = [h for h in covering if h.match.start <= left and h.match.end >= right]
            piece = child.content[left - begin : right - begin]
            if child.type == "code_inline":
                piece_token = Token("code_inline", "code", 0)
                piece_token.content = piece
            else:
                piece_token = _text(piece)
            if not inside:
                out.append(piece_token)
                continue
            owner = inside[0]
            for extra in inside[1:]:
                if extra.claim_id not in started:
                    started.add(extra.claim_id)
                    out.append(_html(f'<span class="quote-anchor" id="quote-{escape(extra.claim_id)}"></span>'))
            first = owner.claim_id not in started
            started.add(owner.claim_id)
            out += [_mark_open(owner, first), piece_token, _html("</a></mark>")]
    return out


def render_article(article: ParsedArticle, highlights: list[Highlight]) -> Markup:
    """Render the article with every quoted passage marked and linked to its claim card."""
    by_block: dict[int, list[Highlight]] = {}
    for highlight in highlights:
        by_block.setdefault(highlight.match.block, []).append(highlight)
    tokens = list(article.tokens)
    for block, marks in by_block.items():
        index = article.inline_indexes[block]
        original = tokens[index]
        marked = Token("inline", "", 0)
        marked.content = original.content
        marked.map = original.map
        marked.children = _mark_children(list(original.children or []), marks)
        tokens[index] = marked
    md = parser()
    return sanitise(md.renderer.render(tokens, md.options, {}))
