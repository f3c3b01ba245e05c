"""The build, top to bottom: load → check → render → write."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import spare, stamp
from .cache import Record, Split, compiled_templates, inputs_key, load_records, open_cache, save_records, split
from .checks import check_config, check_site
from .config import site_config
from .json_schema import schema_files
from .keys import digest
from .load import brief_folders, load_briefs
from .model import Brief, SiteConfig
from .names import CONTENT_DIR
from .parallel import Context, Outcome, Progress, run
from .problems import Location, Problem, error, has_errors, sort_problems
from .publish import publish_warnings
from .publish import site_files as site_files_of
from .render import Renderer, collect_assets
from .search import SearchFailed, index_step, pagefind_executable, skipped_warning
from .trees import Manifest, Trees
from .write import Content, output_problems, remove_stale_staging


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
    cached: int = 0  # briefs answered from the cache: neither loaded nor rendered again

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
    cache: bool = True,
    model: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the site into out (default: project/site); write nothing if any error is found.

    search=False leaves out the Pagefind index and the search box; publish=False the feed, sitemap and data
    files (the preview shows pages only: both are for publishing). Each brief is loaded, checked and rendered
    once, by `jobs` worker processes (default: one per core) that write its files into the tree being built.
    With `cache`, briefs whose files and the site's inputs are unchanged are not processed again, and the
    tree being built is the previous generation, kept in PROJECT/.briefgen-cache/: only what changed is
    written. model=True does the work in this process, without the cache, and keeps the checked model
    (BuildResult.checked). progress(done, total) follows the briefs.
    """
    started, started_ns = time.perf_counter(), time.time_ns()
    out = out if out is not None else project / "site"
    if not out.is_absolute():
        out = Path.cwd() / out
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)

    # load: the site's settings and the list of brief folders
    config, problems = site_config(project, base_url)
    folders = brief_folders(project, problems)
    refused = output_problems(project, out)  # then nothing at all is written, not even the cache
    pagefind = pagefind_executable() if search else None
    assets = collect_assets(project)
    writing = not has_errors(problems + refused)

    with open_cache(project, cache and not model and not refused) as cache_dir:
        indexer = os.fspath(pagefind) if pagefind else None
        options = [drafts, indexer, publish]
        stamp_options = (drafts, base_url, indexer)
        inputs = inputs_key(project, config, options) if cache_dir else ""
        records, cached_slugs = load_records(cache_dir, inputs=inputs) if cache_dir else ({}, set())
        parts = split(records, folders, inputs) if cache_dir else Split({}, [os.fspath(f) for f in folders], {}, set())
        del records  # the briefs to process again need no old record: only the reused ones are kept (in parts)
        trees = Trees(out, cache_dir)
        live = trees.live()
        if writing:
            remove_stale_staging(out)
        if cache_dir and writing and not parts.todo and live is not None:
            outcomes = [parts.reused[f.name].outcome for f in folders]
            if live.site == site_key(inputs, outcomes):  # the live site is what this build would write
                save_records(
                    cache_dir, dict(parts.reused), parts.touched | {s for s in cached_slugs if s not in parts.reused}
                )
                result = _unchanged(out, config, problems, outcomes, drafts, started, publish, search, pagefind, live)
                if publish:  # (the stamp answers `briefgen build`, which always publishes)
                    _stamped(cache_dir, project, result, outcomes, stamp_options, started_ns)
                return result
        target = trees.target() if writing else None
        try:
            todo = list(parts.todo)
            if target is not None:
                # cached briefs whose files the target lacks: linked from the live site, else processed again
                held = target.manifest.units
                behind = {s: r.key for s, r in parts.reused.items() if r.outcome.on_site and held.get(s) != r.key}
                adopted = trees.adopt(target, behind)
                todo += [os.fspath(project / CONTENT_DIR / s) for s in sorted(behind) if s not in adopted]
                trees.begin(target, [os.path.basename(f) for f in todo], [])

            # load → check → render each brief that needs it, its files written into the target tree
            tree = target.folder if target is not None else None
            compiled = compiled_templates(cache_dir)
            context = Context(project, base_url, assets, tree, drafts, pagefind is not None, publish, model, compiled)
            processed = {o.slug: o for o in run(todo, context, jobs, progress)}
            outcomes = [processed.get(f.name) or parts.reused[f.name].outcome for f in folders]
            if cache_dir:
                kept = dict(parts.reused)
                for slug, o in processed.items():
                    sig, recorded = parts.signatures.get(slug) or (kept[slug].signature, kept[slug].recorded_ns)
                    kept[slug] = Record(sig, recorded, o.digest, digest(inputs, o.digest), o)
                gone = {slug for slug in cached_slugs if slug not in kept}
                save_records(cache_dir, kept, set(processed) | parts.touched | gone)
            problems = with_briefs(config, problems, outcomes)
            checked = None
            if model:
                briefs = tuple(o.brief for o in outcomes if o.brief is not None)
                checked = CheckResult(config, briefs, tuple(problems))
            problems = problems + refused
            if target is None or has_errors(problems):
                if target is not None:
                    trees.abandon(target)
                return BuildResult(out, tuple(problems), checked=checked)

            # the site's own files, from the briefs' entries and fragments; then one swap into place
            shown = [o for o in outcomes if o.on_site]
            problems += (publish_warnings(config, out) if publish else []) + (
                [] if pagefind or not search else [skipped_warning(out)]
            )
            units = {o.slug: digest(inputs, o.digest) if cache_dir else "" for o in shown}
            site = site_key(inputs, outcomes) if cache_dir else ""
            renderer = Renderer(project, config, assets, pagefind is not None, compiled)
            entries = [o.item for o in sorted(shown, key=lambda o: (o.published, o.slug), reverse=True)]
            site_files: list[tuple[str, Content]] = [
                (page.path, page.html.encode("utf-8")) for page in renderer.site_pages_of(entries)
            ]
            site_pages = sum(1 for path, _ in site_files if path.endswith(".html"))
            site_files += [(f"assets/{asset.published_name}", asset.data) for asset in assets.values()]
            site_files += list(schema_files(config))
            if publish:
                site_files += site_files_of(config, [o.fragments for o in shown if o.fragments is not None])

            trees.begin(target, [], [slug for slug in target.manifest.units if slug not in units])
            trees.finish(target, site, units, dict(site_files), before_swap=index_step(pagefind))
            spare.after_build(trees, project)  # the next build finds its tree ready
        except SearchFailed as exc:
            if target is not None:
                trees.abandon(target)
            failed = error(
                Location(str(out)), f"search indexing failed: {exc}", "nothing was written; see Pagefind's message"
            )
            return BuildResult(out, (*problems, failed))
        except BaseException:
            if target is not None:
                trees.abandon(target)
            raise
    pages = sum(o.pages for o in shown) + site_pages
    files = sum(o.files for o in shown) + len(site_files)
    skipped = tuple(o.slug for o in outcomes if o.draft and not drafts)
    cached = len(folders) - len(processed)
    seconds = time.perf_counter() - started
    result = BuildResult(out, tuple(problems), len(shown), pages, files, seconds, True, skipped, checked, cached)
    if cache_dir and publish:  # (the stamp answers `briefgen build`, which always publishes)
        _stamped(cache_dir, project, result, outcomes, stamp_options, started_ns)
    return result


def site_key(inputs: str, outcomes: list[Outcome]) -> str:
    """Key of a whole generation: the site's inputs and the key of every brief on it."""
    return key_of_site(inputs, {o.slug: o.digest for o in outcomes if o.on_site})


def key_of_site(inputs: str, shown: dict[str, str]) -> str:
    """site_key() of the briefs on the site, given as slug → digest of their files."""
    return digest(inputs, json.dumps(sorted(shown.items())))


def _unchanged(
    out: Path,
    config: SiteConfig,
    problems: list[Problem],
    outcomes: list[Outcome],
    drafts: bool,
    started: float,
    publish: bool,
    search: bool,
    pagefind: Path | None,
    live: Manifest,
) -> BuildResult:
    """The result of a build that found the live site already up to date (it writes nothing)."""
    problems = with_briefs(config, problems, outcomes)
    problems += (publish_warnings(config, out) if publish else []) + (
        [] if pagefind or not search else [skipped_warning(out)]
    )
    shown = [o for o in outcomes if o.on_site]
    skipped = tuple(o.slug for o in outcomes if o.draft and not drafts)
    pages = sum(o.pages for o in shown) + sum(1 for path in live.files if path.endswith(".html"))
    files = sum(o.files for o in shown) + len(live.files)
    seconds = time.perf_counter() - started
    return BuildResult(out, tuple(problems), len(shown), pages, files, seconds, True, skipped, None, len(outcomes))


def with_briefs(config: SiteConfig, problems: list[Problem], outcomes: list[Outcome]) -> list[Problem]:
    """The site's problems and the briefs', sorted: one error per place (the loader's says it first)."""
    problems = problems + [p for o in outcomes for p in o.loaded]
    located = {p.location for p in problems if p.is_error}
    checks = check_config(config) + [p for o in outcomes for p in o.checked]
    return sort_problems(problems + [p for p in checks if not (p.is_error and p.location in located)])


def _stamped(
    cache: Path,
    project: Path,
    result: BuildResult,
    outcomes: list[Outcome],
    options: tuple[bool, str | None, str | None],
    started_ns: int,
) -> None:
    """Stamp a written site with the state of its inputs, so that an unchanged rebuild can skip everything."""
    drafts, base_url, search = options
    now = stamp.snapshot(project, result.out, stamp.options(result.out, drafts, base_url, search))
    summary = {
        "briefs": result.briefs,
        "pages": result.pages,
        "files": result.files,
        "folders": len(outcomes),
        "drafts": list(result.drafts),
        "problems": [p.as_dict() for p in result.problems],
    }
    read, shown = {o.slug: o.digest for o in outcomes}, [o.slug for o in outcomes if o.on_site]
    stamp.save(cache, now, started_ns, result.out, summary, read, shown)
