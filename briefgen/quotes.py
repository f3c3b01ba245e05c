"""Finding a claim's quote in the article: normalised, verbatim matching and a closest-passage hint."""

from __future__ import annotations

import difflib
import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_DROP = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}
_FOLD = {
    **{c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u02ba"},
    **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2039\u203a\u2032\u02bc`\u00b4"},
    **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"},
    "\u2026": "...",
}


@dataclass(frozen=True)
class Normalised:
    """Text with typographic variants folded and whitespace collapsed; `origin[i]` is the index in the source."""

    text: str
    origin: Sequence[int]


_SPECIAL = re.compile("\\s+|[" + re.escape("".join(sorted(_DROP | set(_FOLD)))) + "]")


_NOT_NORMAL = re.compile(r"[^\S ]| {2}|^ | $|[" + re.escape("".join(sorted(_DROP | set(_FOLD)))) + "]")


@lru_cache(maxsize=4096)  # an article's paragraphs are matched against every quote, in check and render alike
def normalise(source: str) -> Normalised:
    """Fold quotes, dashes, soft hyphens and whitespace so that a pasted quote still matches."""
    if not _NOT_NORMAL.search(source):  # most paragraphs: nothing to fold, no character-by-character copy
        return Normalised(source, range(len(source)))
    out: list[str] = []
    origin: list[int] = []
    pending_space = -1
    done = 0  # source[:done] is handled; plain runs between special characters are copied whole

    def plain(start: int, end: int) -> None:
        nonlocal pending_space
        if start >= end:
            return
        if pending_space >= 0:
            out.append(" ")
            origin.append(pending_space)
            pending_space = -1
        out.append(source[start:end])
        origin.extend(range(start, end))

    for special in _SPECIAL.finditer(source):
        plain(done, special.start())
        done = special.end()
        char = special.group()
        if char in _DROP:
            continue
        if char[0].isspace():
            if out and pending_space < 0:
                pending_space = special.start()
            continue
        if pending_space >= 0:
            out.append(" ")
            origin.append(pending_space)
            pending_space = -1
        folded = _FOLD[char]
        out.append(folded)
        origin.extend([special.start()] * len(folded))
    plain(done, len(source))
    return Normalised("".join(out), origin)


@dataclass(frozen=True)
class Match:
    """Where a quote stands: in which text block, and its [start, end) in that block's source text."""

    block: int
    start: int
    end: int


def find(quote: str, blocks: list[str]) -> Match | None:
    """The first block containing the quote, after normalising both sides; None when it is absent."""
    needle = normalise(quote).text
    if not needle:
        return None
    for number, block in enumerate(blocks):
        hay = normalise(block)
        at = hay.text.find(needle)
        if at >= 0:
            end = hay.origin[at + len(needle) - 1] + 1
            return Match(number, hay.origin[at], end)
    return None


def spans_blocks(quote: str, blocks: list[str]) -> bool:
    """True when the quote occurs only if paragraphs are joined: it crosses a paragraph break."""
    needle = normalise(quote).text
    return bool(needle) and needle in normalise(" ".join(blocks)).text


_SENTENCE = re.compile(r"(?<=[.!?:])\s+")


def closest_passage(quote: str, blocks: list[str], limit: int = 160, compared: int = 200) -> str:
    """The passage of the article most like the quote, to show as a hint when the quote is not found.

    Candidates (sentences, and windows of the quote's length) are ranked by shared words first, and only
    the best `compared` of them are compared letter by letter, so a long article cannot make this slow.
    """
    needle = normalise(quote).text
    if not needle:
        return ""
    words = len(needle.split())
    wanted = {word.lower() for word in needle.split()}
    ranked: list[tuple[int, int, str]] = []  # (shared words, -order, candidate)
    for block in blocks:
        for sentence in _SENTENCE.split(normalise(block).text):
            tokens = sentence.split()
            hits = [token.lower() in wanted for token in tokens]
            ranked.append((sum(hits), -len(ranked), sentence))
            if len(tokens) > words:  # of this sentence's windows, the ones sharing the most words
                shared = top = sum(hits[:words])
                starts = [0]
                for i in range(1, len(tokens) - words + 1):
                    shared += hits[i + words - 1] - hits[i - 1]
                    if shared > top:
                        top, starts = shared, [i]
                    elif shared == top and len(starts) < 8:
                        starts.append(i)
                ranked += [(top, -len(ranked) - n, " ".join(tokens[i : i + words])) for n, i in enumerate(starts)]
    best, best_ratio = "", 0.0
    for _, _, candidate in sorted(heapq.nlargest(compared, ranked), key=lambda item: -item[1]):
        matcher = difflib.SequenceMatcher(None, needle, candidate, autojunk=False)
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = candidate, ratio
    if best_ratio < 0.4:
        return ""
    return best if len(best) <= limit else best[: limit - 1] + "…"
