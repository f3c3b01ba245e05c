"""Rebuilds for the live preview: everything through build_project, or only the briefs that changed.

A full rebuild is build_project(drafts=True), the same story as `briefgen build --drafts`, with its atomic
swap. After a good one the preview keeps the checked model (BuildResult.checked) and one Renderer. A change
confined to the notes.yaml / article.md of briefs that already exist then reloads and re-checks only those
briefs (load_brief, check_brief), renders their pages and the site pages that list every brief (the index)
with the same Renderer — views of unchanged briefs reused — and replaces just those files in the output.
Anything else (briefgen.toml, templates/ and its assets, content/methodology.md, a brief folder added or
removed) is a full rebuild. While files are being replaced, the server holds back requests for them
(`Publisher.hold`), so a page is never served half-written nor older than one already shown.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol, TypeVar

import jinja2

from .checks import check_brief
from .load import load_brief
from .model import Brief, Site, SiteConfig
from .names import ARTICLE_FILE, CONTENT_DIR, NOTES_FILE
from .pipeline import BuildResult, build_project
from .problems import Location, Problem, error, has_errors, relative_path, sort_problems
from .render import BriefView, Page, Renderer, collect_assets

BRIEF_FILES = (NOTES_FILE, ARTICLE_FILE)
T = TypeVar("T")
SITE_KEY = ""


class Publisher(Protocol):
    """Where a rebuild reports to: the preview server."""

    def hold(self, prefixes: Collection[str]) -> None:
        """Requests for output paths starting with any of these wait until released."""

    def publish(self, urls: Collection[str], release: Collection[str]) -> None:
        """These pages changed (URL paths, '*' for all); stop holding these prefixes."""

    def settle(self) -> None:
        """Give browsers showing the pages just published a moment to fetch them before more work starts."""


@dataclass(frozen=True)
class Outcome:
    """What one rebuild did."""

    ok: bool
    problems: tuple[Problem, ...]
    full: bool
    pages: int
    seconds: float


def url_of(page_path: str) -> str:
    """The address a page is shown at: 'slug/index.html' → '/slug/'."""
    return "/" + (page_path[: -len("index.html")] if page_path.endswith("index.html") else page_path)


def affected_briefs(project: Path, paths: Iterable[Path], known: Collection[str]) -> frozenset[str] | None:
    """The slugs of existing briefs whose own files changed, or None when the whole site must be rebuilt."""
    slugs: set[str] = set()
    for path in paths:
        try:
            parts = path.relative_to(project).parts
        except ValueError:
            return None
        if len(parts) == 3 and parts[0] == CONTENT_DIR and parts[2] in BRIEF_FILES:
            slug = parts[1]
            if slug not in known or not (project / CONTENT_DIR / slug).is_dir():
                return None
            slugs.add(slug)
        elif len(parts) > 3 and parts[0] == CONTENT_DIR:
            continue  # files deeper in a brief folder are not read by the build
        else:
            return None
    return frozenset(slugs)


def problem_key(problem: Problem) -> str:
    """The brief a problem belongs to (its slug), or SITE_KEY for the rest."""
    parts = PurePosixPath(problem.location.path).parts
    return parts[1] if len(parts) >= 2 and parts[0] == CONTENT_DIR else SITE_KEY


def exception_problem(exc: Exception, project: Path) -> Problem:
    """A build that raised instead of reporting: a template mistake, or a bug in briefgen."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = Location(relative_path(Path(exc.filename), project) if exc.filename else str(exc.name), exc.lineno)
        return error(where, f"template syntax error: {exc.message}", "fix the template; see the Jinja documentation")
    if isinstance(exc, jinja2.TemplateError):
        return error(
            Location("templates/"), f"template error: {exc}", "a template uses a name or filter that does not exist"
        )
    return error(
        Location("briefgen"),
        f"internal error: {type(exc).__name__}: {exc}",
        "this is a bug in briefgen, not in your content; please report it (README, 'Reporting bugs')",
    )


class PreviewRenderer(Renderer):
    """The site's Renderer, remembering the view of each brief until that brief is reloaded."""

    def __init__(self, project: Path, config: SiteConfig) -> None:
        super().__init__(project, config, collect_assets(project))
        self._views: dict[str, tuple[Brief, BriefView]] = {}
        self._items: dict[str, tuple[Brief, str]] = {}

    def view(self, brief: Brief) -> BriefView:
        return _kept(self._views, brief, super().view)

    def index_view(self, brief: Brief) -> BriefView:
        return self.view(brief)  # the preview keeps every brief's view anyway

    def brief_item(self, brief: Brief) -> str:
        return _kept(self._items, brief, super().brief_item)


def _kept(store: dict[str, tuple[Brief, T]], brief: Brief, make: Callable[[Brief], T]) -> T:
    """What make(brief) gave for this very Brief (a reloaded brief is a new object), made once."""
    known = store.get(brief.slug)
    if known is not None and known[0] is brief:
        return known[1]
    value = make(brief)
    store[brief.slug] = (brief, value)
    return value


def replace_file(path: Path, data: bytes) -> bool:
    """Atomically put data at path unless it already holds exactly that; True when written."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.new")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True


def remove_stale(folder: Path, keep: set[Path]) -> None:
    """Delete files under folder that are not in keep, then the folders left empty."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and path not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


class Preview:
    """The preview's build state; used by one builder thread only."""

    def __init__(self, project: Path, out: Path) -> None:
        self.project = project
        self.out = out
        self.config: SiteConfig | None = None
        self.briefs: dict[str, Brief] = {}
        self.problems: dict[str, list[Problem]] = {}
        self.renderer: PreviewRenderer | None = None
        self.dirty: set[str] = set()
        self.stale = True  # the output does not match the content: the next rebuild must be full

    @property
    def known(self) -> frozenset[str]:
        return frozenset(self.briefs) if not self.stale else frozenset()

    def all_problems(self) -> tuple[Problem, ...]:
        return tuple(sort_problems([p for problems in self.problems.values() for p in problems]))

    def rebuild(
        self, changed: Collection[Path], publisher: Publisher, interrupted: Callable[[], bool] = lambda: False
    ) -> Outcome:
        """Rebuild what the changed paths affect and report it to the publisher.

        interrupted() tells whether another save is already queued: then the index, which lists every brief,
        is left to that next rebuild, so the page being edited is never kept waiting behind it.
        """
        started = time.perf_counter()
        slugs = affected_briefs(self.project, changed, self.known)
        try:
            if slugs is None or self.renderer is None or self.config is None:
                return self._full(publisher, started, self._stylesheets(changed))
            return self._briefs(slugs, publisher, started, interrupted)
        except Exception as exc:  # noqa: BLE001 - a preview reports a crashed build in the page and keeps running
            self.stale, self.renderer = True, None
            problem = exception_problem(exc, self.project)
            return Outcome(False, (problem,), True, 0, time.perf_counter() - started)

    def _remember(self, result: BuildResult) -> None:
        checked = result.checked
        assert checked is not None, "build_project returns the checked model"
        self.config = checked.config
        self.briefs = {b.slug: b for b in checked.briefs}
        self.problems = {}
        for problem in result.problems:
            self.problems.setdefault(problem_key(problem), []).append(problem)

    def _stylesheets(self, changed: Collection[Path]) -> tuple[str, ...]:
        """The names in templates/assets of the changed files when all are stylesheets there, else ()."""
        assets = self.project / "templates" / "assets"
        names = []
        for path in changed:
            if path.suffix != ".css" or not path.is_relative_to(assets):
                return ()
            names.append(path.relative_to(assets).as_posix())
        return tuple(names) if not self.stale else ()

    def _full(self, publisher: Publisher, started: float, stylesheets: tuple[str, ...] = ()) -> Outcome:
        """build_project, then tell browsers: new stylesheets when only they changed, else every page."""
        self.renderer = None
        result = build_project(
            self.project, self.out, drafts=True, search=False, publish=False, model=True
        )  # search, feeds and data are for publishing
        self._remember(result)
        self.stale = not result.written
        if result.written:
            self.dirty.clear()
            assert self.config is not None
            self.renderer = PreviewRenderer(self.project, self.config)
            assets = self.renderer.assets
            if stylesheets and all(name in assets for name in stylesheets):
                publisher.publish([f"/assets/{assets[name].published_name}" for name in stylesheets], ())
            else:
                publisher.publish(["*"], ())
        return Outcome(result.written, result.problems, True, result.pages, time.perf_counter() - started)

    def warm(self, interrupted: Callable[[], bool]) -> None:
        """Work out the view and index entry of every brief ahead of the first small rebuild, stopping when a change comes in."""
        if self.renderer is None:
            return
        for brief in self.briefs.values():
            if interrupted():
                return
            self.renderer.brief_item(brief)

    def _briefs(
        self, slugs: frozenset[str], publisher: Publisher, started: float, interrupted: Callable[[], bool]
    ) -> Outcome:
        assert self.renderer is not None and self.config is not None
        for slug in slugs:
            problems: list[Problem] = []
            brief = load_brief(self.project / CONTENT_DIR / slug, self.project, problems)
            if brief is not None:
                problems += check_brief(brief, self.config)
                self.briefs[slug] = brief
            else:
                self.briefs.pop(slug, None)
            self.problems[slug] = problems
        self.dirty |= slugs
        found = self.all_problems()
        if has_errors(found):
            return Outcome(False, found, False, 0, time.perf_counter() - started)
        dirty = sorted(self.dirty)
        site_paths = ("index.html", "methodology/index.html", "404.html")
        publisher.hold([f"{slug}/" for slug in dirty] + list(site_paths))
        pages = self._write_briefs(dirty)
        self.dirty.clear()
        publisher.publish([url_of(p.path) for p in pages], [f"{slug}/" for slug in dirty])
        publisher.settle()
        if interrupted():  # the next rebuild renders the index from every brief, this one's included
            publisher.publish([], site_paths)
            return Outcome(True, found, False, len(pages), time.perf_counter() - started)
        site = Site(self.config, tuple(sorted(self.briefs.values(), key=lambda b: b.slug)))
        changed = [p for p in self.renderer.site_pages(site) if replace_file(self.out / p.path, p.html.encode("utf-8"))]
        publisher.publish([url_of(p.path) for p in changed], site_paths)
        return Outcome(True, found, False, len(pages) + len(changed), time.perf_counter() - started)

    def _write_briefs(self, slugs: list[str]) -> list[Page]:
        """Render and write the pages of these briefs; remove their pages that no longer exist."""
        assert self.renderer is not None
        written: list[Page] = []
        for slug in slugs:
            brief = self.briefs.get(slug)
            pages = list(self.renderer.brief_pages(brief)) if brief is not None else []
            for page in pages:
                replace_file(self.out / page.path, page.html.encode("utf-8"))
            remove_stale(self.out / slug, {self.out / page.path for page in pages})
            written += pages
        return written
