"""The build, top to bottom: load → check → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .check import check_site
from .config import load_config
from .json_schema import schema_files
from .load import load_briefs
from .model import Brief, Site, SiteConfig
from .problems import Location, Problem, error, has_errors, sort_problems
from .publish import publish_files, publish_problems
from .render import collect_assets, render_site
from .search import SearchFailed, index_site, pagefind_executable, skipped_warning
from .write import output_problems, remove_stale_staging, write_site


@dataclass(frozen=True)
class CheckResult:
    config: SiteConfig
    briefs: tuple[Brief, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not has_errors(list(self.problems))


@dataclass(frozen=True)
class BuildResult:
    out: Path
    problems: tuple[Problem, ...]
    briefs: int = 0
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    written: bool = False
    drafts: tuple[str, ...] = field(default=())
    checked: CheckResult | None = None  # the loaded and checked model, for callers that rebuild incrementally

    @property
    def ok(self) -> bool:
        return self.written


def check_project(project: Path, base_url: str | None = None) -> CheckResult:
    """Stages 1–2: load every brief and collect all problems, without writing anything."""
    config, problems = load_config(project)
    if base_url is not None:
        config = replace(config, base_url=base_url.rstrip("/") + "/" if base_url else "")
    briefs = load_briefs(project, problems)
    located = {p.location for p in problems if p.is_error}  # one error per place: the loader's says it first
    problems += [p for p in check_site(briefs, config) if not (p.is_error and p.location in located)]
    return CheckResult(config, tuple(briefs), tuple(sort_problems(problems)))


def build_project(
    project: Path,
    out: Path | None = None,
    drafts: bool = False,
    base_url: str | None = None,
    search: bool = True,
    publish: bool = True,
) -> BuildResult:
    """Build the site into out (default: project/site); write nothing if any error is found.

    search=False leaves out the Pagefind index and the search box; publish=False the feed, sitemap and data
    files (the preview shows pages only: both are for publishing).
    """
    started = time.perf_counter()
    out = out if out is not None else project / "site"
    if not out.is_absolute():
        out = Path.cwd() / out
    checked = check_project(project, base_url)
    problems = list(checked.problems) + output_problems(project, out)
    if has_errors(problems):
        return BuildResult(out, tuple(problems), checked=checked)
    briefs = tuple(b for b in checked.briefs if drafts or not b.draft)
    site = Site(checked.config, briefs)
    assets = collect_assets(project)
    pagefind = pagefind_executable() if search else None
    problems += (publish_problems(site, out) if publish else []) + (
        [] if pagefind or not search else [skipped_warning(out)]
    )
    pages = 0

    def files() -> object:
        nonlocal pages
        for page in render_site(project, site, assets, search=pagefind is not None):
            pages += 1
            yield page.path, page.html.encode("utf-8")
        for asset in assets.values():
            yield f"assets/{asset.published_name}", asset.data
        yield from schema_files(site.config)
        if publish:
            yield from publish_files(site)

    def index(staged: Path) -> None:
        if pagefind is not None:
            index_site(staged, pagefind)

    remove_stale_staging(out)
    try:
        count = write_site(out, files(), before_swap=index)  # type: ignore[arg-type]
    except SearchFailed as exc:
        failed = error(
            Location(str(out)), f"search indexing failed: {exc}", "nothing was written; see Pagefind's message"
        )
        return BuildResult(out, (*problems, failed))
    skipped = tuple(b.slug for b in checked.briefs if b.draft and not drafts)
    return BuildResult(
        out, tuple(problems), len(briefs), pages, count, time.perf_counter() - started, True, skipped, checked
    )
