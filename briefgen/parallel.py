"""Each brief loaded, checked and rendered once, by worker processes that write its files themselves.

A worker writes a brief's pages and brief.json straight into the tree being built and sends back only
an Outcome: its problems, its entry on the index page and its fragments of the site-level files. The
main process never holds the briefs (unless a caller asks for the model: then the work is done here).
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .checks import check_brief
from .config import site_config
from .keys import content_digest
from .load import load_brief
from .model import Brief
from .problems import Problem, has_errors
from .publish import Fragments, brief_file, brief_fragments
from .render import Asset, Renderer
from .write import write_new

SERIAL_BELOW = 48  # fewer briefs than this: no worker processes (starting them costs more than it saves)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Context:
    """What every worker needs (sent to spawned workers, so it is picklable)."""

    project: Path
    base_url: str | None  # --base-url, in place of briefgen.toml's
    assets: dict[str, Asset]
    tree: Path | None  # where to write the brief's files (None: load and check only)
    drafts: bool  # drafts are on the site
    search: bool  # pages have a search box
    publish: bool  # write <slug>/brief.json and make the brief's fragments of the site-level files
    model: bool  # send the loaded brief back
    compiled: Path | None = None  # where compiled templates are kept between builds (in the cache)


@dataclass(frozen=True)
class Outcome:
    """What processing one brief gave."""

    slug: str
    loaded: tuple[Problem, ...]  # the loader's problems
    checked: tuple[Problem, ...]  # check_brief()'s
    draft: bool = False
    published: dt.date | None = None  # for the index's order
    on_site: bool = False  # no errors of its own and not a left-out draft: its files were made
    item: str = ""  # its entry on the index page
    fragments: Fragments | None = None
    pages: int = 0
    files: int = 0
    brief: Brief | None = None  # only when the context asks for the model
    digest: str = ""  # of the brief's files as read (keys.content_digest)


class _Worker:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.config, _ = site_config(context.project, context.base_url)
        self.renderer = Renderer(context.project, self.config, context.assets, context.search, context.compiled)


_worker: _Worker | None = None


def start_worker(context: Context) -> None:
    global _worker
    _worker = _Worker(context)
    gc.freeze()  # modules and compiled templates live as long as the worker: the collector need not scan them


def process(folder: str) -> Outcome:
    """Load, check and render one brief, writing its files into the context's tree."""
    worker = _worker
    assert worker is not None, "start_worker() runs first"
    context = worker.context
    slug = os.path.basename(folder)
    read = content_digest(folder)  # before loading: a later change makes the next build read it again
    loaded: list[Problem] = []
    brief = load_brief(Path(folder), context.project, loaded)
    if brief is None:
        return Outcome(slug, tuple(loaded), (), digest=read)
    checked = check_brief(brief, worker.config)
    kept = brief if context.model else None
    if has_errors(loaded) or has_errors(checked) or (brief.draft and not context.drafts):
        return Outcome(slug, tuple(loaded), tuple(checked), brief.draft, brief=kept, digest=read)
    renderer = worker.renderer
    pages = list(renderer.brief_pages(brief))
    files = 0
    if context.tree is not None:
        made = ((page.path, page.html.encode("utf-8")) for page in pages)
        files = write_new(context.tree, made)
        if context.publish:
            files += write_new(context.tree, [brief_file(worker.config, brief)])
    return Outcome(
        slug,
        tuple(loaded),
        tuple(checked),
        brief.draft,
        brief.published,
        True,
        renderer.brief_item(brief),
        brief_fragments(worker.config, brief) if context.publish else None,
        len(pages),
        files,
        kept,
        read,
    )


def run(folders: Sequence[str], context: Context, jobs: int, progress: Progress | None = None) -> Iterator[Outcome]:
    """Process the briefs, in worker processes when there are enough of them; outcomes in any order."""
    total = len(folders)
    if jobs <= 1 or total < SERIAL_BELOW or context.model:
        start_worker(context)
        for done, folder in enumerate(folders, start=1):
            yield process(folder)
            if progress:
                progress(done, total)
        return
    # fork is fastest; a process with other threads (the preview server) must not fork, so it spawns
    method = "fork" if threading.active_count() == 1 else "spawn"
    pool = multiprocessing.get_context(method).Pool(min(jobs, total), start_worker, (context,))
    try:
        chunk = max(1, min(32, total // (jobs * 8)))
        for done, outcome in enumerate(pool.imap_unordered(process, folders, chunksize=chunk), start=1):
            yield outcome
            if progress:
                progress(done, total)
        pool.close()
    finally:
        pool.terminate()
        pool.join()
