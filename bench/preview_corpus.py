"""A deterministic generated project of N briefs (default 1,000) for the live-preview benchmark.

    python bench/preview_corpus.py OUT_DIR [--briefs 1000]

Every brief has an article of a few paragraphs and three claims quoted verbatim from it, so the
project checks clean and builds; the same N always gives byte-identical files.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

TOPICS = ("budget", "schools", "transport", "housing", "health", "energy", "water", "police", "parks", "taxes")
STATUSES = ("true", "mostly-true", "mixed", "misleading", "false", "unverified")
WORDS = tuple(
    [
        "council",
        "residents",
        "report",
        "figures",
        "minister",
        "office",
        "week",
        "plan",
        "city",
        "county",
        "agency",
        "survey",
        "growth",
        "decline",
        "percent",
        "million",
        "vote",
        "members",
        "district",
        "funding",
        "program",
        "analysis",
        "statement",
        "official",
        "data",
        "year",
        "month",
    ]
)


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def article_text(index: int) -> tuple[str, list[str]]:
    """The article.md of brief number index, and the three sentences its claims quote."""
    rng = random.Random(index)
    topic = TOPICS[index % len(TOPICS)]
    quotes = [f"The {topic} figure for district {index} rose by {n + 2} percent in {2000 + n}" for n in range(3)]
    paragraphs = []
    for n, quote in enumerate(quotes):
        paragraphs.append(f"{_sentence(rng, 14)} {quote}, the office said. {_sentence(rng, 18)}")
        if n == 1:
            paragraphs.append(f"## {topic.title()} in detail\n\n{_sentence(rng, 22)} {_sentence(rng, 16)}")
    front = (
        "---\n"
        f'title: "Report on {topic} number {index}"\n'
        'publisher: "The Example Gazette"\n'
        f"published: 2023-{1 + index % 12:02d}-{1 + index % 28:02d}\n"
        f"url: https://news.example.org/{topic}/{index}\n"
        "language: en\n"
        "---\n"
    )
    return front + "\n\n".join(paragraphs) + "\n", quotes


def notes_text(index: int, quotes: list[str]) -> str:
    """The notes.yaml of brief number index: three claims, each with one source."""
    rng = random.Random(10_000 + index)
    lines = [
        f'title: "Fact-check: {TOPICS[index % len(TOPICS)]} report {index}"',
        "summary: |",
        f"  {_sentence(rng, 16)}",
        'reviewers: ["Jo Checker"]',
        f"published: 2023-{1 + index % 12:02d}-{1 + index % 28:02d}",
        f"tags: [{TOPICS[index % len(TOPICS)]}]",
        "claims:",
    ]
    for n, quote in enumerate(quotes):
        lines += [
            f"  - id: claim-{n + 1}",
            f'    quote: "{quote}"',
            f"    status: {STATUSES[(index + n) % len(STATUSES)]}",
            "    verdict: |",
            f"      {_sentence(rng, 20)}",
            "    sources:",
            f"      - url: https://stats.example.org/{index}/{n}",
            f'        title: "Statistics table {index}.{n}"',
            '        publisher: "Statistics Office"',
        ]
    return "\n".join(lines) + "\n"


def slug(index: int) -> str:
    return f"brief-{index:04d}"


def generate(out: Path, briefs: int = 1000) -> Path:
    """Write a project of `briefs` briefs into out (which must not exist or be empty); return out."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "briefgen.toml").write_text(
        'title = "Preview benchmark"\nbase_url = "https://example.org/"\n\n[publisher]\nname = "Bench Desk"\n'
        'url = "https://example.org/"\n',
        encoding="utf-8",
    )
    for index in range(briefs):
        folder = out / "content" / slug(index)
        folder.mkdir(parents=True, exist_ok=True)
        article, quotes = article_text(index)
        (folder / "article.md").write_text(article, encoding="utf-8")
        (folder / "notes.yaml").write_text(notes_text(index, quotes), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--briefs", type=int, default=1000)
    args = parser.parse_args()
    generate(args.out, args.briefs)
    print(f"Wrote {args.briefs} briefs into {args.out}")


if __name__ == "__main__":
    main()
