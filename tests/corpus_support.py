"""A generated project of many briefs (copies of the minimal fixture's brief with their own dates and titles)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

SAMPLE = "sample-brief"


def add_brief(project: Path, slug: str, number: int, draft: bool = False) -> Path:
    """A copy of the sample brief at content/<slug>, published on a day that depends on number."""
    source = project / "content" / SAMPLE
    target = project / "content" / slug
    target.mkdir(parents=True, exist_ok=True)
    notes = (source / "notes.yaml").read_text("utf-8")
    day = dt.date(2023, 1, 1) + dt.timedelta(days=number // 3)  # three briefs a day: ties broken by slug
    notes = notes.replace("published: 2024-03-02", f"published: {day.isoformat()}", 1)
    notes = notes.replace(
        'title: "Fact-check: the budget report"', f'title: "Fact-check {number}: the budget report"', 1
    )
    if draft:
        notes = "draft: true\n" + notes
    (target / "notes.yaml").write_text(notes, "utf-8")
    (target / "article.md").write_bytes((source / "article.md").read_bytes())
    return target


def make_corpus(project: Path, briefs: int, drafts: int = 0) -> list[str]:
    """Add briefs (the last `drafts` of them drafts) to the project; return their slugs."""
    slugs = [f"brief-{number:04d}" for number in range(briefs)]
    for number, slug in enumerate(slugs):
        add_brief(project, slug, number, draft=number >= briefs - drafts)
    return slugs
