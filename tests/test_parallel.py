"""A parallel build writes exactly what a serial build writes, and what the whole-site functions make."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from briefgen import parallel
from briefgen.data import data_files
from briefgen.feeds import feed_files
from briefgen.json_schema import schema_files
from briefgen.model import Site
from briefgen.names import MARKER
from briefgen.pipeline import build_project, check_project
from briefgen.render import collect_assets, render_site
from tests.conftest import snapshot
from tests.corpus_support import make_corpus

BRIEFS = parallel.SERIAL_BELOW + 12


def reference(project: Path, drafts: bool = False) -> dict[str, bytes]:
    """The site as the whole-site functions make it from every brief in memory (the serial build of before)."""
    checked = check_project(project)
    site = Site(checked.config, tuple(b for b in checked.briefs if drafts or not b.draft))
    assets = collect_assets(project)
    files = {page.path: page.html.encode("utf-8") for page in render_site(project, site, assets)}
    files |= {f"assets/{a.published_name}": a.data for a in assets.values()}
    files |= dict(schema_files(site.config)) | dict(feed_files(site)) | dict(data_files(site))
    return files | {MARKER: b""}


@pytest.fixture
def corpus(project: Path) -> Path:
    make_corpus(project, BRIEFS, drafts=3)
    return project


@pytest.mark.parametrize("drafts", [False, True])
def test_a_parallel_build_equals_a_serial_build_byte_for_byte(corpus: Path, tmp_path: Path, drafts: bool) -> None:
    serial = build_project(corpus, tmp_path / "serial", drafts=drafts, search=False, jobs=1)
    two = build_project(corpus, tmp_path / "two", drafts=drafts, search=False, jobs=2)
    assert serial.written and two.written
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "serial") == reference(corpus, drafts)
    assert (two.briefs, two.pages, two.files, two.drafts) == (serial.briefs, serial.pages, serial.files, serial.drafts)
    assert serial.briefs == BRIEFS + 1 - (0 if drafts else 3)  # the fixture's own brief, and the drafts or not
    assert len(serial.drafts) == (0 if drafts else 3)


def test_workers_spawn_when_the_process_has_threads(corpus: Path, tmp_path: Path) -> None:
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)  # a thread, as the preview server has: forking is unsafe then
    waiting.start()
    try:
        spawned = build_project(corpus, tmp_path / "spawned", search=False, jobs=2)
    finally:
        stop.set()
        waiting.join()
    assert spawned.written
    assert snapshot(tmp_path / "spawned") == reference(corpus)


def test_an_error_in_one_brief_writes_nothing_and_reports_what_check_reports(corpus: Path, tmp_path: Path) -> None:
    notes = corpus / "content/brief-0007/notes.yaml"
    notes.write_text(notes.read_text("utf-8").replace("status: true", "status: bogus", 1), "utf-8")
    result = build_project(corpus, tmp_path / "site", search=False, jobs=2)
    assert not result.written and not (tmp_path / "site").exists()
    assert not list(tmp_path.glob(".site.new-*"))
    assert result.problems == check_project(corpus).problems
    assert any(p.is_error and "brief-0007" in p.location.path for p in result.problems)


def test_the_model_is_kept_when_asked_for(corpus: Path, tmp_path: Path) -> None:
    result = build_project(corpus, tmp_path / "site", drafts=True, search=False, publish=False, model=True)
    assert result.checked is not None and result.written
    assert result.checked == check_project(corpus)
    assert build_project(corpus, tmp_path / "other", search=False, jobs=2).checked is None
