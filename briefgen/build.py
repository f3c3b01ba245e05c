"""The build, top to bottom: load → check → render → write."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import write
from .check import check_config, check_site
from .config import site_config
from .json_schema import schema_files
from .load import brief_folders, load_briefs
from .model import Brief, SiteConfig
from .parallel import Context, Progress, run
from .problems import Location, Problem, error, has_errors, sort_problems
from .publish import publish_warnings
from .publish import site_files as site_files_of
from .render import Renderer, collect_assets
from .search import SearchFailed, index_site, pagefind_executable, skipped_warning
from .write import output_problems, remove_stale_staging, stage_folder, swap_into_place


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
    config, problems = site_config(project, base_url)
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
    *,
    jobs: int | None = None,
    model: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the site into out (default: project/site); write nothing if any error is found.

    search=False leaves out the Pagefind index and the search box; publish=False the feed, sitemap and data
    files (the preview shows pages only: both are for publishing). Each brief is loaded, checked and rendered
    once, by `jobs` worker processes (default: one per core) that write its files into the staging folder;
    model=True does the work in this process and keeps the checked model (BuildResult.checked).
    progress(done, total) follows the briefs.
    """
    started = time.perf_counter()
    out = out if out is not None else project / "site"
    if not out.is_absolute():
        out = Path.cwd() / out
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)

    # load: the site's settings and the list of brief folders
    config, problems = site_config(project, base_url)
    folders = brief_folders(project, problems)
    refused = output_problems(project, out)
    pagefind = pagefind_executable() if search else None
    assets = collect_assets(project)
    staged: Path | None = None
    if not has_errors(problems + refused):
        remove_stale_staging(out)
        staged = stage_folder(out)
    try:
        # load → check → render each brief, its files written into the staging folder
        context = Context(project, base_url, assets, staged, drafts, pagefind is not None, publish, model)
        found = {o.slug: o for o in run([os.fspath(f) for f in folders], context, jobs, progress)}
        outcomes = [found[folder.name] for folder in folders]
        problems += [p for o in outcomes for p in o.loaded]
        located = {p.location for p in problems if p.is_error}  # one error per place: the loader's says it first
        checks = check_config(config) + [p for o in outcomes for p in o.checked]
        problems += [p for p in checks if not (p.is_error and p.location in located)]
        checked = None
        if model:
            briefs = tuple(o.brief for o in outcomes if o.brief is not None)
            checked = CheckResult(config, briefs, tuple(sort_problems(problems)))
        problems = sort_problems(problems) + refused
        if staged is None or has_errors(problems):
            if staged is not None:
                shutil.rmtree(staged, ignore_errors=True)
            return BuildResult(out, tuple(problems), checked=checked)

        # the site's own files, from the briefs' entries and fragments; then one swap into place
        shown = [o for o in outcomes if o.on_site]
        problems += (publish_warnings(config, out) if publish else []) + (
            [] if pagefind or not search else [skipped_warning(out)]
        )
        renderer = Renderer(project, config, assets, pagefind is not None)
        entries = [o.item for o in sorted(shown, key=lambda o: (o.published, o.slug), reverse=True)]
        site_pages = list(renderer.site_pages_of(entries))
        site_files = [(page.path, page.html.encode("utf-8")) for page in site_pages]
        site_files += [(f"assets/{asset.published_name}", asset.data) for asset in assets.values()]
        site_files += list(schema_files(config))
        if publish:
            site_files += site_files_of(config, [o.fragments for o in shown if o.fragments is not None])
        count = write.write_files(staged, site_files) + sum(o.files for o in shown)
        if pagefind is not None:
            index_site(staged, pagefind)
        swap_into_place(staged, out)
    except SearchFailed as exc:
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
        failed = error(
            Location(str(out)), f"search indexing failed: {exc}", "nothing was written; see Pagefind's message"
        )
        return BuildResult(out, (*problems, failed))
    except BaseException:
        if staged is not None:
            shutil.rmtree(staged, ignore_errors=True)
        raise
    pages = sum(o.pages for o in shown) + len(site_pages)
    skipped = tuple(o.slug for o in outcomes if o.draft and not drafts)
    return BuildResult(
        out, tuple(problems), len(shown), pages, count, time.perf_counter() - started, True, skipped, checked
    )
