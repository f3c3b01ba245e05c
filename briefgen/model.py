"""The typed model of a briefgen site. Frozen data, no HTML, no YAML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .problems import Location

Where = Mapping[str, Location]
NOWHERE: Where = MappingProxyType({})


@dataclass(frozen=True)
class Source:
    url: str
    title: str
    publisher: str
    published: dt.date | None = None
    accessed: dt.date | None = None
    archive_url: str | None = None
    excerpt: str | None = None
    location: Location = Location("")
    where: Where = field(default_factory=lambda: NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Claim:
    id: str
    quote: str
    status: str
    verdict: str
    sources: tuple[Source, ...] = ()
    claim: str | None = None
    claimant: str | None = None
    location: Location = Location("")
    where: Where = field(default_factory=lambda: NOWHERE, compare=False, repr=False)
    claimant_is_person: bool = False

    @property
    def restated(self) -> str:
        """The claim as reviewed: the restatement when given, else the quote itself."""
        return self.claim or self.quote


@dataclass(frozen=True)
class Correction:
    date: dt.date
    note: str
    location: Location = Location("")


@dataclass(frozen=True)
class Article:
    title: str
    publisher: str
    published: dt.date
    body: str
    url: str | None = None
    author: str | None = None
    language: str | None = None
    location: Location = Location("")
    body_line: int = 1
    where: Where = field(default_factory=lambda: NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Brief:
    slug: str
    article: Article
    title: str
    summary: str
    reviewers: tuple[str, ...]
    published: dt.date
    claims: tuple[Claim, ...]
    updated: dt.date | None = None
    draft: bool = False
    tags: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()
    location: Location = Location("")
    where: Where = field(default_factory=lambda: NOWHERE, compare=False, repr=False)

    def claimant_of(self, claim: Claim) -> str:
        return claim.claimant or self.article.publisher

    @property
    def last_changed(self) -> dt.date:
        return self.updated or self.published


@dataclass(frozen=True)
class Rating:
    """One step of a rating scale."""

    key: str
    labels: Mapping[str, str]
    definitions: Mapping[str, str]
    colour: str
    value: int | None = None
    needs_sources: bool = True

    def label(self, language: str) -> str:
        return self.labels.get(language) or self.labels.get("en") or next(iter(self.labels.values()), self.key)

    def definition(self, language: str) -> str:
        return self.definitions.get(language) or self.definitions.get("en") or next(iter(self.definitions.values()), "")


@dataclass(frozen=True)
class RatingScale:
    name: str
    ratings: tuple[Rating, ...]

    def get(self, key: str) -> Rating | None:
        return next((r for r in self.ratings if r.key == key), None)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.ratings)

    @property
    def best(self) -> int | None:
        values = [r.value for r in self.ratings if r.value is not None]
        return max(values) if values else None

    @property
    def worst(self) -> int | None:
        values = [r.value for r in self.ratings if r.value is not None]
        return min(values) if values else None


@dataclass(frozen=True)
class Publisher:
    name: str = ""
    url: str = ""


@dataclass(frozen=True)
class SiteConfig:
    title: str
    base_url: str
    language: str
    publisher: Publisher
    scale: RatingScale
    report_error_url: str = ""
    location: Location = Location("briefgen.toml")
    where: Where = field(default_factory=lambda: NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    briefs: tuple[Brief, ...]
