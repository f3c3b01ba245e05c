"""The content contract as data: every field of notes.yaml, article front matter and briefgen.toml.

The loader reads files through these shapes, and `briefgen schema` turns the same shapes into JSON
Schema, so the contract is written down exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from .i18n import LANGUAGES
from .ratings import PRESETS


class Kind(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    DATE = "date"
    BOOL = "bool"
    URL = "url"
    ID = "id"
    STATUS = "status"
    TEXT_LIST = "text-list"
    OBJECT_LIST = "object-list"
    OBJECT = "object"
    CHOICE = "choice"  # one of Field.choices
    WHOLE_NUMBER = "whole-number"  # an integer within Field.bounds
    COLOUR = "colour"  # #rrggbb
    CONTACT = "contact"  # an http(s) or mailto: address
    TEXT_BY_LANGUAGE = "text-by-language"  # text, or a table of texts keyed by language code


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    description: str
    required: bool = False
    shape: Shape | None = None
    choices: tuple[str, ...] = ()
    bounds: tuple[int, int] | None = None


@dataclass(frozen=True)
class Shape:
    name: str
    description: str
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @cached_property  # read for every key of every mapping the loader reads
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


SOURCE = Shape(
    "source",
    "A document that supports the verdict.",
    (
        Field("url", Kind.URL, "Address of the source (http or https).", required=True),
        Field("title", Kind.TEXT, "Title of the page or document, as published.", required=True),
        Field("publisher", Kind.TEXT, "Who published it (outlet, agency, institution).", required=True),
        Field("published", Kind.DATE, "When the source was published (YYYY-MM-DD)."),
        Field("accessed", Kind.DATE, "When the reviewer read it (YYYY-MM-DD)."),
        Field("archive_url", Kind.URL, "An archived copy (e.g. the Wayback Machine)."),
        Field("excerpt", Kind.TEXT, "A short quote or paraphrase of what the source says that matters."),
    ),
)

CLAIM = Shape(
    "claim",
    "One checkable statement of the article and its verdict.",
    (
        Field("id", Kind.ID, "Kebab-case name, unique in the brief; used in the claim's URL.", required=True),
        Field("quote", Kind.TEXT, "The claim's words, verbatim from the article.", required=True),
        Field("claim", Kind.TEXT, "A short restatement (75 characters or fewer) used as ClaimReview's claimReviewed."),
        Field("claimant", Kind.TEXT, "Who made the claim; defaults to the article's publisher."),
        Field(
            "claimant_type",
            Kind.TEXT,
            "What the claimant is: person or organization (default), for ClaimReview's itemReviewed author.",
        ),
        Field("status", Kind.STATUS, "The verdict: a key of the site's rating scale.", required=True),
        Field("verdict", Kind.MARKDOWN, "The reasoning, in Markdown, naming the evidence.", required=True),
        Field("sources", Kind.OBJECT_LIST, "The evidence; at least one unless the status needs none.", shape=SOURCE),
    ),
)

CORRECTION = Shape(
    "correction",
    "A change made after publication.",
    (
        Field("date", Kind.DATE, "When the correction was made (YYYY-MM-DD).", required=True),
        Field("note", Kind.MARKDOWN, "What was changed and why.", required=True),
    ),
)

NOTES = Shape(
    "notes",
    "The fact-check notes of one brief (content/<slug>/notes.yaml).",
    (
        Field("title", Kind.TEXT, "Headline of the brief.", required=True),
        Field("summary", Kind.MARKDOWN, "The finding in a few sentences (Markdown).", required=True),
        Field("reviewers", Kind.TEXT_LIST, "Names of the people who checked the claims.", required=True),
        Field("published", Kind.DATE, "When the brief was published (YYYY-MM-DD).", required=True),
        Field("updated", Kind.DATE, "When the brief was last changed (YYYY-MM-DD)."),
        Field("draft", Kind.BOOL, "A draft is shown in the preview but left out of `briefgen build`."),
        Field("tags", Kind.TEXT_LIST, "Topics, for readers and search."),
        Field("claims", Kind.OBJECT_LIST, "The claims checked, in article order.", required=True, shape=CLAIM),
        Field("corrections", Kind.OBJECT_LIST, "Corrections log, oldest first.", shape=CORRECTION),
    ),
)

ARTICLE = Shape(
    "article",
    "Front matter of the article under review (content/<slug>/article.md).",
    (
        Field("title", Kind.TEXT, "The article's headline.", required=True),
        Field("publisher", Kind.TEXT, "Who published the article.", required=True),
        Field("published", Kind.DATE, "When the article was published (YYYY-MM-DD).", required=True),
        Field("url", Kind.URL, "The article's address, when known. Never guess it."),
        Field("author", Kind.TEXT, "The article's byline."),
        Field("language", Kind.TEXT, "Language of the article text (BCP 47, e.g. nb, en)."),
    ),
)

PUBLISHER = Shape(
    "publisher",
    "The organisation that publishes the fact-checks, named in ClaimReview's author.",
    (
        Field("name", Kind.TEXT, "Name of the fact-checking organisation."),
        Field("url", Kind.URL, "The organisation's home page (http or https)."),
    ),
)

RATING = Shape(
    "rating",
    "One step of a custom rating scale ([[ratings]] in briefgen.toml).",
    (
        Field("key", Kind.ID, "Kebab-case name used as `status:` in notes.yaml, e.g. mostly-true.", required=True),
        Field(
            "label",
            Kind.TEXT_BY_LANGUAGE,
            'The label readers see: text, or a table by language, e.g. { en = "True", nb = "Sant" }.',
        ),
        Field(
            "definition",
            Kind.TEXT_BY_LANGUAGE,
            "What the rating means, shown on the methodology page: text or a table by language.",
        ),
        Field("colour", Kind.COLOUR, "Badge colour as #rrggbb."),
        Field(
            "value",
            Kind.WHOLE_NUMBER,
            "ClaimReview ratingValue from 1 (worst) to 5 (best); leave out for a status that is no judgement of truth.",
            bounds=(1, 5),
        ),
        Field(
            "needs_sources",
            Kind.BOOL,
            "Whether a claim with this status needs a source (default: true when value is given).",
        ),
    ),
)

CONFIG = Shape(
    "config",
    "Site settings (briefgen.toml); every key is optional.",
    (
        Field("title", Kind.TEXT, "The site's title."),
        Field("base_url", Kind.URL, "Where the site is published (absolute http(s) address); ClaimReview needs it."),
        Field("language", Kind.CHOICE, "Language of the site's own words (UI strings).", choices=LANGUAGES),
        Field("publisher", Kind.OBJECT, "The fact-checking organisation.", shape=PUBLISHER),
        Field(
            "rating_scale",
            Kind.CHOICE,
            "A built-in rating scale; ignored when [[ratings]] is given.",
            choices=tuple(PRESETS),
        ),
        Field("ratings", Kind.OBJECT_LIST, "Your own rating scale, best first; replaces rating_scale.", shape=RATING),
        Field("report_error_url", Kind.CONTACT, "Where readers report an error: an http(s) or mailto: address."),
    ),
)
