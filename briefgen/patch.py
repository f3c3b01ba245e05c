"""A few briefs edited, nothing else: the next generation is the live site with their parts replaced.

When the build stamp shows that only some briefs' own files changed since the last build (no brief added
or removed; the same settings, templates and code), those briefs are loaded, checked and rendered, and
everything else comes from the live site as it is: the other briefs' folders are hard-linked, and in the
site-level files (index.html, sitemap.xml, feed.xml, claimreview.json) each edited brief's old entry is
replaced by its new one, found byte for byte. That gives the very bytes a full build would write as long
as the briefs keep their places and the files' heads stay the same, so this path is taken only then: the
same publication date (the order) and date of last change (the heads' "updated"), still on the site,
no errors, and no HTML template of the project's own (one could use the index's entries otherwise than
by printing them). In any other case patch_build returns None and the normal build runs.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from .cache import Record, compiled_templates, inputs_key, load_records, open_cache, save_records
from .config import site_config
from .keys import digest, signature
from .names import CONTENT_DIR
from .parallel import Context, Outcome, process, start_worker
from .pipeline import BuildResult, key_of_site
from .problems import Problem, has_errors, sort_problems
from .render import collect_assets, template_dirs
from .search import SearchFailed, index_step
from .stamp import Stamped, problem_from, save
from .trees import LiveChanged, Target, Trees
from .write import file_contains, remove_stale_staging


def patch_build(
    project: Path,
    out: Path,
    stamped: Stamped,
    drafts: bool,
    base_url: str | None,
    pagefind: Path | None,
    started: tuple[float, int],
) -> BuildResult | None:
    """Rebuild only the briefs the stamp found changed, or None when a full build is needed.

    started: when the build started (time.perf_counter(), time.time_ns()), before the stamp took the stats.
    """
    config, problems = site_config(project, base_url)
    if has_errors(problems) or not config.base_url or _has_own_html_templates(project):
        return None
    with open_cache(project, True) as cache:
        assert cache is not None
        indexer = os.fspath(pagefind) if pagefind else None
        inputs = inputs_key(project, config, [drafts, indexer, True])
        trees = Trees(out, cache)
        live = trees.live()
        records, _ = load_records(cache, stamped.changed, inputs)
        old = [records.get(slug) for slug in stamped.changed]
        read = stamped.read
        if (
            live is None
            or live.site != _site(inputs, stamped.shown, read)  # so its units are those of the briefs read
            or not all(r and r.digest == read.get(r.outcome.slug) and r.outcome.on_site for r in old)
        ):
            return None
        before = [r for r in old if r is not None]
        remove_stale_staging(out)
        try:
            trees.relink()  # the spare generation: what the live site is (usually but the last edit away)
        except LiveChanged:
            return None
        target = trees.target()
        if target.fresh or target.manifest.site != live.site:
            trees.abandon(target)
            return None
        try:
            outcomes = _patch(project, stamped, (drafts, base_url), before, inputs, trees, target, pagefind)
        except SearchFailed:
            outcomes = None  # the normal build runs Pagefind again and reports it
        except BaseException:
            trees.abandon(target)
            raise
        if outcomes is None:
            trees.abandon(target)
            return None
        save_records(cache, records | {r.outcome.slug: r for r in outcomes}, set(stamped.changed))
        after = [r.outcome for r in outcomes]
        result = _result(out, stamped, [r.outcome for r in before], after, started[0])
        now = dict(read) | {o.slug: o.digest for o in after}
        summary = stamped.summary | {
            "pages": result.pages,
            "files": result.files,
            "problems": [p.as_dict() for p in result.problems],
        }
        save(cache, stamped.now, started[1], out, summary, now, list(stamped.shown))
        return result


def _has_own_html_templates(project: Path) -> bool:
    return any(path.suffix == ".html" for folder in template_dirs(project)[:-1] for path in folder.rglob("*"))


def _site(inputs: str, shown: tuple[str, ...], read: dict[str, str]) -> str:
    """The key of the generation with these briefs on the site (as the pipeline makes it)."""
    return key_of_site(inputs, {slug: read.get(slug, "") for slug in shown})


def _patch(
    project: Path,
    stamped: Stamped,
    options: tuple[bool, str | None],
    before: list[Record],
    inputs: str,
    trees: Trees,
    target: Target,
    pagefind: Path | None,
) -> list[Record] | None:
    """Render the changed briefs into the target, splice the site-level files and swap; None if it cannot."""
    changed = [r.outcome.slug for r in before]
    trees.begin(target, changed, [])
    drafts, base_url = options
    assets, compiled = collect_assets(project), compiled_templates(trees.cache)
    start_worker(Context(project, base_url, assets, target.folder, drafts, bool(pagefind), True, False, compiled))
    made: list[Record] = []
    for slug in changed:
        folder = os.fspath(project / CONTENT_DIR / slug)
        sig, recorded = signature(folder), time.time_ns()  # before reading: a later change is seen next time
        outcome = process(folder)
        made.append(Record(sig, recorded, outcome.digest, digest(inputs, outcome.digest), outcome))
    replacements: dict[str, list[tuple[bytes, bytes]]] = {}
    sitemap_parts = _sitemap_parts(trees)
    for old, new in zip((r.outcome for r in before), (r.outcome for r in made), strict=True):
        if not _same_place(old, new, bool(sitemap_parts)):
            return None
        assert old.fragments is not None and new.fragments is not None
        for path, parts in [
            ("index.html", (old.item.encode("utf-8"), new.item.encode("utf-8"))),
            (
                _sitemap_file(trees.out, sitemap_parts, old.fragments.sitemap),
                (old.fragments.sitemap, new.fragments.sitemap),
            ),
            ("feed.xml", (old.fragments.feed, new.fragments.feed)),
            ("claimreview.json", (old.fragments.claimreview, new.fragments.claimreview)),
        ]:
            if parts[0] != parts[1]:
                replacements.setdefault(path, []).append(parts)
    if not trees.splice(target, replacements):
        return None
    read = dict(stamped.read) | {r.outcome.slug: r.digest for r in made}
    units = target.manifest.units | {r.outcome.slug: r.key for r in made}
    trees.complete(target, _site(inputs, stamped.shown, read), units, before_swap=index_step(pagefind))
    return made


def _sitemap_parts(trees: Trees) -> list[str]:
    """The parts of the live site's sitemap when it is split (publish.sitemap_files), else none."""
    live = trees.live()
    return sorted(path for path in (live.files if live else ()) if re.fullmatch(r"sitemap-\d+\.xml", path))


def _sitemap_file(out: Path, parts: list[str], entries: bytes) -> str:
    """The live sitemap file that holds a brief's entries: sitemap.xml, or the part of a split one that does."""
    return next((path for path in parts if file_contains(out / path, entries)), "sitemap.xml")


def _same_place(old: Outcome, new: Outcome, split_sitemap: bool) -> bool:
    """True when the new outcome takes the old one's place in the site-level files, whose heads stay the same
    (and, in a sitemap split in parts, the parts' bounds: the same number of addresses)."""
    if not new.on_site or has_errors([*new.loaded, *new.checked]) or old.fragments is None or new.fragments is None:
        return False
    urls = new.fragments.sitemap.count(b"<url>") == old.fragments.sitemap.count(b"<url>")
    return (
        (urls or not split_sitemap)
        and new.published == old.published
        and new.fragments.last_changed == old.fragments.last_changed
        and bool(new.fragments.claimreview) == bool(old.fragments.claimreview)
    )


def _result(out: Path, stamped: Stamped, old: list[Outcome], new: list[Outcome], started: float) -> BuildResult:
    """The build's result: the stamped one with the changed briefs' pages, files and problems."""
    gone = [p.as_dict() for o in old for p in (*o.loaded, *o.checked)]
    problems: list[Problem] = [problem_from(p) for p in stamped.summary["problems"] if p not in gone]
    problems = sort_problems(problems + [p for o in new for p in (*o.loaded, *o.checked)])
    summary = stamped.summary
    pages = int(summary["pages"]) - sum(o.pages for o in old) + sum(o.pages for o in new)
    files = int(summary.get("files", 0)) - sum(o.files for o in old) + sum(o.files for o in new)
    return BuildResult(
        out,
        tuple(problems),
        int(summary["briefs"]),
        pages,
        files,
        time.perf_counter() - started,
        True,
        tuple(str(d) for d in summary["drafts"]),
        None,
        int(summary["folders"]) - len(new),
    )
