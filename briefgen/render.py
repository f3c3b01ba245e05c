"""Stage 3, render: the model → HTML pages through jinja2 (autoescape on, StrictUndefined)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

import jinja2
import jinja2.compiler
import jinja2.nodes
from markupsafe import Markup, escape

from . import markdown
from .claimreview import claim_review, claim_url, script_json
from .i18n import strings
from .markdown import Highlight, ParsedArticle, parse_article, plain_text
from .model import Brief, Claim, Rating, Site, SiteConfig, Source
from .quotes import find

BUILTIN_TEMPLATES = next(
    (p for p in (Path(__file__).parent / "templates", Path(__file__).parent.parent / "templates") if p.is_dir()),
    Path(__file__).parent / "templates",
)

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "nb": [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ],
}


def format_date(value: dt.date, language: str) -> str:
    month = _MONTHS.get(language, _MONTHS["en"])[value.month - 1]
    return f"{value.day}. {month} {value.year}" if language == "nb" else f"{value.day} {month} {value.year}"


def template_dirs(project: Path) -> list[Path]:
    """The project's own templates/ first, then the built-in ones: a file of the same name overrides."""
    own = project / "templates"
    dirs = [own] if own.is_dir() and own.resolve() != BUILTIN_TEMPLATES.resolve() else []
    return [*dirs, BUILTIN_TEMPLATES]


def _escape_text() -> Callable[[str], str] | None:
    """markupsafe's C escaper of text, which its escape() wraps in two Python calls (markupsafe >= 3)."""
    try:
        from markupsafe._speedups import _escape_inner
    except ImportError:  # pragma: no cover - depends on the installed markupsafe
        return None
    return _escape_inner


_ESCAPE_TEXT = _escape_text()


def escape_output(value: object) -> str:
    """What `{{ value }}` writes, as escape(value) does, without the Markup wrapper: page output is only joined."""
    if type(value) is str and _ESCAPE_TEXT is not None:
        return _ESCAPE_TEXT(value)
    return escape(value)


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Compiles `{{ … }}` output to environment.escape_output(…) in place of escape(…): the same text, faster."""

    def _output_child_pre(self, node: jinja2.nodes.Expr, frame: jinja2.compiler.Frame, finalize: Any) -> None:
        if not frame.eval_ctx.volatile and frame.eval_ctx.autoescape and finalize.src is None:
            self.write("environment.escape_output(")
        else:
            super()._output_child_pre(node, frame, finalize)


class _Environment(jinja2.Environment):
    """The environment of one renderer: templates never change while it lives (auto_reload is off), so a
    template is looked up once per name, not in the locked LRU cache at every include."""

    code_generator_class = _CodeGenerator
    escape_output = staticmethod(escape_output)

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._loaded: dict[tuple[str, str | None], jinja2.Template] = {}

    def get_template(
        self,
        name: str | jinja2.Template,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        if globals is not None or not isinstance(name, str):
            return super().get_template(name, parent, globals)
        key = (name, parent)
        template = self._loaded.get(key)
        if template is None:
            template = self._loaded[key] = super().get_template(name, parent)
        return template


def environment_options(project: Path) -> dict[str, Any]:
    """The settings of the one jinja2 environment: autoescaping, strict about undefined names, project
    templates first (tests hold the fast environment to a stock jinja2 one made with the same settings)."""
    return {
        "loader": jinja2.FileSystemLoader([str(d) for d in template_dirs(project)]),
        "autoescape": True,
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
        "auto_reload": False,  # a renderer lives for one build (the preview makes a new one when templates change)
    }


def make_environment(project: Path, compiled: Path | None = None) -> jinja2.Environment:
    """The one jinja2 environment (environment_options()), with the markdown filter.

    compiled: a folder (in the build cache) where compiled templates are kept between builds, keyed by
    their source; compiling them takes longer than rendering a brief. (Templates are code either way:
    jinja2 templates can run Python, so a project's templates/ is trusted like its cache.)
    """
    bytecode = jinja2.FileSystemBytecodeCache(os.fspath(compiled)) if compiled else None
    env = _Environment(bytecode_cache=bytecode, **environment_options(project))
    env.filters["markdown"] = markdown.render
    return env


@dataclass(frozen=True)
class Asset:
    """A static file: its name in templates/assets, the fingerprinted name it is published under, its bytes."""

    name: str
    published_name: str
    data: bytes


def minify_css(text: str) -> str:
    """Drop comments and needless white space from a stylesheet (strings in it keep their single spaces)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*([{};,])\s*", r"\1", text).replace(";}", "}").strip() + "\n"


def collect_assets(project: Path) -> dict[str, Asset]:
    """Every file of templates/assets (the project's overriding the built-in), fingerprinted by content."""
    found: dict[str, Path] = {}
    for base in reversed(template_dirs(project)):
        folder = base / "assets"
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    found[path.relative_to(folder).as_posix()] = path
    assets = {}
    for name, path in sorted(found.items()):
        data = path.read_bytes()
        if name.endswith(".css"):
            data = minify_css(data.decode("utf-8")).encode("utf-8")
        stem, dot, suffix = name.rpartition(".")
        digest = hashlib.sha256(data).hexdigest()[:10]
        published = f"{stem}.{digest}.{suffix}" if dot and name not in ("favicon.ico",) else name
        assets[name] = Asset(name, published, data)
    return assets


@dataclass(frozen=True)
class ClaimView:
    """What a page shows of one claim."""

    claim: Claim
    number: int
    rating: Rating
    label: str
    quote: str
    anchored: bool
    verdict_html: Markup
    text_fragment_url: str | None
    sources: tuple[Source, ...]
    claimant: str


@dataclass(frozen=True)
class BriefView:
    brief: Brief
    claims: tuple[ClaimView, ...]
    article_html: Markup
    summary_html: Markup
    scorecard: tuple[tuple[Rating, str, int], ...]


def text_fragment(url: str, passage: str) -> str:
    """A link to a passage of a page: url#:~:text=start,end (or the whole passage when short)."""
    words = passage.split()

    def enc(part: list[str]) -> str:
        # "-" and "," are the directive's own syntax (prefix-, -suffix, start,end): always percent-encode them
        return url_quote(" ".join(part), safe="").replace("-", "%2D")

    base = url.split("#", 1)[0]
    if len(words) <= 8:
        return f"{base}#:~:text={enc(words)}"
    return f"{base}#:~:text={enc(words[:4])},{enc(words[-4:])}"


def _claim_view(
    brief: Brief, claim: Claim, number: int, config: SiteConfig, article: ParsedArticle
) -> tuple[ClaimView, Highlight | None]:
    rating = config.scale.get(claim.status)
    assert rating is not None, "check() guarantees every status is on the scale"
    quote = plain_text(claim.quote)
    match = find(quote, list(article.blocks))
    fragment = None
    if match and brief.article.url:
        passage = " ".join(article.blocks[match.block][match.start : match.end].split())
        fragment = text_fragment(brief.article.url, passage)
    view = ClaimView(
        claim,
        number,
        rating,
        rating.label(config.language),
        quote,
        match is not None,
        markdown.render(claim.verdict),
        fragment,
        claim.sources,
        brief.claimant_of(claim),
    )
    return view, (Highlight(claim.id, claim.status, match) if match else None)


def brief_view(brief: Brief, config: SiteConfig) -> BriefView:
    article = parse_article(brief.article.body)
    views: list[ClaimView] = []
    highlights: list[Highlight] = []
    for number, claim in enumerate(brief.claims, start=1):
        view, highlight = _claim_view(brief, claim, number, config, article)
        views.append(view)
        if highlight:
            highlights.append(highlight)
    order = {h.claim_id: (h.match.block, h.match.start) for h in highlights}
    views.sort(key=lambda v: order.get(v.claim.id, (1 << 30, v.number)))
    views = [ClaimView(**{**v.__dict__, "number": i}) for i, v in enumerate(views, start=1)]
    return BriefView(
        brief,
        tuple(views),
        markdown.render_article(article, highlights),
        markdown.render(brief.summary),
        scorecard(brief, config),
    )


def scorecard(brief: Brief, config: SiteConfig) -> tuple[tuple[Rating, str, int], ...]:
    """(rating, share of the bar, count) for every status the brief uses, in the scale's order."""
    counts = {r.key: 0 for r in config.scale.ratings}
    for claim in brief.claims:
        counts[claim.status] += 1
    total = max(len(brief.claims), 1)
    return tuple(
        (rating, f"{100 * counts[rating.key] / total:.4g}%", counts[rating.key])
        for rating in config.scale.ratings
        if counts[rating.key]
    )


def _brief_jsonld(config: SiteConfig, brief: Brief) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": brief.title,
        "datePublished": brief.published.isoformat(),
        "url": f"{config.base_url}{brief.slug}/",
    }
    return script_json(data)


@dataclass(frozen=True)
class Page:
    path: str  # relative to the output root, e.g. "slug/claim-id/index.html"
    html: str


class Renderer:
    """Renders pages of one site with one environment; templates are compiled once and reused."""

    def __init__(
        self,
        project: Path,
        config: SiteConfig,
        assets: Mapping[str, Asset],
        search: bool = False,
        compiled: Path | None = None,
    ) -> None:
        self.config = config
        self.search = search
        self.env = make_environment(project, compiled)
        self.assets = assets
        self.t = strings(config.language)
        methodology = project / "content" / "methodology.md"
        self.methodology_html: Markup | None
        heading_ids: frozenset[str]
        self.methodology_html, heading_ids = (
            markdown.render_document(methodology.read_text("utf-8")) if methodology.is_file() else (None, frozenset())
        )
        # "Report an error" links point at the methodology heading named like the UI string, or at the built-in section.
        self.report_anchor = markdown.heading_id(self.t["report_error"])
        self.builtin_report = self.report_anchor not in heading_ids

    def _common(self, root: str, canonical: str) -> dict[str, object]:
        def asset(name: str) -> str:
            return root + "assets/" + self.assets[name].published_name

        return {
            "config": self.config,
            "t": self.t,
            "lang": self.config.language,
            "root": root,
            "asset": asset,
            "canonical": (self.config.base_url + canonical) if self.config.base_url else "",
            "date": lambda d: format_date(d, self.config.language),
            "scale": self.config.scale,
            "report_error_url": self.config.report_error_url or f"{root}methodology/#{self.report_anchor}",
            "search": self.search,
        }

    def render(self, template: str, path: str, root: str, canonical: str, **context: object) -> Page:
        html = self.env.get_template(template).render(**self._common(root, canonical), **context)
        return Page(path, re.sub(r"\n\s*\n+", "\n", html))

    def view(self, brief: Brief) -> BriefView:
        """What the pages show of one brief (a preview may reuse views of unchanged briefs)."""
        return brief_view(brief, self.config)

    def index_view(self, brief: Brief) -> BriefView:
        """What the index shows of a brief: its summary and scorecard, without rendering the article again."""
        return BriefView(brief, (), Markup(""), markdown.render(brief.summary), scorecard(brief, self.config))

    def brief_pages(self, brief: Brief) -> Iterator[Page]:
        view = self.view(brief)
        yield self.render(
            "brief.html",
            f"{brief.slug}/index.html",
            "../",
            f"{brief.slug}/",
            view=view,
            jsonld=Markup(_brief_jsonld(self.config, brief)),  # noqa: S704 - script_json escapes <, >, &
        )
        for claim in view.claims:
            review = Markup(script_json(claim_review(self.config, brief, claim.claim)))  # noqa: S704 - script_json escapes <, >, &
            yield self.render(
                "claim.html",
                f"{brief.slug}/{claim.claim.id}/index.html",
                "../../",
                f"{brief.slug}/{claim.claim.id}/",
                view=view,
                item=claim,
                claimreview=review,
                claim_url=claim_url(self.config, brief, claim.claim),
            )

    def brief_item(self, brief: Brief) -> str:
        """The brief's entry on the index page (partials/brief_item.html); the index page only joins these,
        so a rebuild that keeps the entries of unchanged briefs renders the index of a large site cheaply."""
        view = self.index_view(brief)
        return self.env.get_template("partials/brief_item.html").render(**self._common("", ""), view=view)

    def site_pages(self, site: Site) -> Iterator[Page]:
        yield from self.site_pages_of([self.brief_item(b) for b in index_order(site.briefs)])

    def site_pages_of(self, entries: Iterable[str]) -> Iterator[Page]:
        """The index (joining the briefs' entries, in index_order), methodology and 404 pages."""
        items = [Markup(entry) for entry in entries]  # noqa: S704 - our own autoescaped HTML (brief_item)
        yield self.render("index.html", "index.html", "", "", items=items)
        yield self.render(
            "methodology.html",
            "methodology/index.html",
            "../",
            "methodology/",
            methodology_html=self.methodology_html,
            builtin_report=self.builtin_report,
            report_anchor=self.report_anchor,
        )
        base_path = re.sub(r"^https?://[^/]+", "", self.config.base_url) or "/"
        yield self.render("404.html", "404.html", base_path, "404.html")


def index_order(briefs: Iterable[Brief]) -> list[Brief]:
    """The index's order: newest first; briefs of the same day by slug, descending."""
    return sorted(briefs, key=lambda b: (b.published, b.slug), reverse=True)


def render_site(project: Path, site: Site, assets: Mapping[str, Asset], search: bool = False) -> Iterator[Page]:
    """Every page of the site, brief by brief, then the index, methodology and 404 pages (search: with a search box)."""
    renderer = Renderer(project, site.config, assets, search)
    for brief in site.briefs:
        yield from renderer.brief_pages(brief)
    yield from renderer.site_pages(site)
