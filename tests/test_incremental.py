"""Incremental, parallel, cached builds give byte for byte the site a clean serial build gives."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import briefgen.parallel as parallel
from briefgen import cache, render, stamp
from briefgen.pipeline import BuildResult, build_project
from briefgen.progress import ProgressBar
from tests.conftest import FIXTURES, ROOT, run_cli, snapshot

_spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
assert _spec and _spec.loader
corpus = importlib.util.module_from_spec(_spec)
sys.modules["bench_corpus"] = corpus
_spec.loader.exec_module(corpus)


@pytest.fixture
def site_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The minimal fixture plus six generated briefs; worker processes even for so few briefs."""
    monkeypatch.setattr(parallel, "SERIAL_BELOW", 2)
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    for index in range(6):
        for relative, text in corpus.briefgen_files(corpus.make_brief(index, seed=3)).items():
            path = project / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
    return project


def clean_build(project: Path, tmp_path: Path) -> dict[str, bytes]:
    """The reference: no cache, one process, a new folder."""
    out = tmp_path / "reference"
    if out.exists():
        shutil.rmtree(out)
    result = build_project(project, out, search=False, cache=False, jobs=1)
    assert result.written, [p.format() for p in result.problems]
    return snapshot(out)


def fast_build(project: Path) -> BuildResult:
    result = build_project(project, search=False, jobs=2)
    assert result.written, [p.format() for p in result.problems]
    return result


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text("utf-8")
    assert old in text, (relative, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def brief_dirs(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "content").iterdir() if p.is_dir())


def change_article(project: Path) -> None:
    edit(project, "content/sample-brief/article.md", "the mayor said", "the mayor told reporters")


def change_claim_id(project: Path) -> None:
    edit(project, "content/sample-brief/notes.yaml", "id: unemployment", "id: jobless-rate")


def add_brief(project: Path) -> None:
    for relative, text in corpus.briefgen_files(corpus.make_brief(40, seed=3)).items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(text, "utf-8")


def rename_brief(project: Path) -> None:
    first = brief_dirs(project)[0]
    os.rename(project / "content" / first, project / "content" / f"renamed-{first}")


def delete_brief(project: Path) -> None:
    shutil.rmtree(project / "content" / brief_dirs(project)[1])


def change_template(project: Path) -> None:
    (project / "templates" / "partials").mkdir(parents=True, exist_ok=True)
    builtin = (ROOT / "templates" / "partials" / "status_badge.html").read_text("utf-8")
    (project / "templates" / "partials" / "status_badge.html").write_text(builtin.replace("badge", "badge2"), "utf-8")


def change_config(project: Path) -> None:
    edit(project, "briefgen.toml", 'title = "', 'title = "Renamed ')


def make_draft(project: Path) -> None:
    edit(project, "content/sample-brief/notes.yaml", "tags: [budget]", "tags: [budget]\ndraft: true")


def same_size_same_mtime(project: Path) -> None:
    """An edit that keeps the file's size and modification time (only its ctime tells)."""
    path = project / "content/sample-brief/notes.yaml"
    stat = path.stat()
    edit(project, "content/sample-brief/notes.yaml", "Jo Checker", "Jo Chucker")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


STEPS: list[Callable[[Path], None]] = [
    change_article,
    change_claim_id,
    add_brief,
    rename_brief,
    delete_brief,
    change_template,
    change_config,
    make_draft,
    same_size_same_mtime,
]


def test_every_rebuild_equals_a_clean_serial_build(site_project: Path, tmp_path: Path) -> None:
    first = fast_build(site_project)
    assert first.cached == 0 and first.briefs == 7
    assert snapshot(site_project / "site") == clean_build(site_project, tmp_path)
    again = fast_build(site_project)
    assert again.cached == 7 and again.pages == first.pages
    for step in STEPS:
        step(site_project)
        fast_build(site_project)
        assert snapshot(site_project / "site") == clean_build(site_project, tmp_path), step.__name__


def test_no_stale_page_survives_renames_and_deletes(site_project: Path) -> None:
    fast_build(site_project)
    first = brief_dirs(site_project)[0]
    assert (site_project / "site" / first / "index.html").exists()
    for _ in range(3):  # through both the live tree and the spare generation
        rename_brief(site_project)
        fast_build(site_project)
        assert not (site_project / "site" / first).exists()
        first = brief_dirs(site_project)[0]
    change_claim_id(site_project)
    fast_build(site_project)
    assert not (site_project / "site/sample-brief/unemployment").exists()
    assert (site_project / "site/sample-brief/jobless-rate/index.html").exists()


def test_unchanged_rebuild_writes_nothing(site_project: Path) -> None:
    fast_build(site_project)
    before = {p: p.stat().st_ino for p in (site_project / "site").rglob("*")}
    result = fast_build(site_project)
    assert result.cached == result.briefs
    assert {p: p.stat().st_ino for p in (site_project / "site").rglob("*")} == before


def test_one_edit_processes_one_brief(site_project: Path) -> None:
    fast_build(site_project)
    change_article(site_project)
    assert fast_build(site_project).cached == 6
    edit(site_project, "content/sample-brief/article.md", "told reporters", "said again")
    assert fast_build(site_project).cached == 6


def test_a_crash_mid_build_keeps_the_site_and_the_next_build_is_right(
    site_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_build(site_project)
    change_article(site_project)
    fast_build(site_project)  # now there is a spare generation
    before = snapshot(site_project / "site")
    change_claim_id(site_project)
    real = parallel.process

    def crash(folder: str) -> parallel.Outcome:
        real(folder)
        (parallel._worker.context.tree or tmp_path).joinpath("stray.html").write_text("stray")  # type: ignore[union-attr]
        raise RuntimeError("killed")

    monkeypatch.setattr(parallel, "process", crash)
    with pytest.raises(RuntimeError):
        build_project(site_project, search=False, jobs=1)
    assert snapshot(site_project / "site") == before
    monkeypatch.setattr(parallel, "process", real)
    fast_build(site_project)
    assert snapshot(site_project / "site") == clean_build(site_project, tmp_path)


def test_errors_write_nothing_and_fixing_them_builds(site_project: Path, tmp_path: Path) -> None:
    fast_build(site_project)
    before = snapshot(site_project / "site")
    edit(site_project, "content/sample-brief/notes.yaml", "status: mostly-true", "status: sort-of")
    result = build_project(site_project, search=False, jobs=2)
    assert not result.written and any("unknown status" in p.message for p in result.problems)
    assert snapshot(site_project / "site") == before
    again = build_project(site_project, search=False, jobs=2)  # the problems come from the cache, the same
    assert [p.format() for p in again.problems] == [p.format() for p in result.problems]
    edit(site_project, "content/sample-brief/notes.yaml", "status: sort-of", "status: mostly-true")
    fast_build(site_project)
    assert snapshot(site_project / "site") == clean_build(site_project, tmp_path)


def test_cache_can_be_deleted_or_damaged(site_project: Path, tmp_path: Path) -> None:
    fast_build(site_project)
    change_article(site_project)
    fast_build(site_project)
    for shard in (site_project / ".briefgen-cache").glob("briefs.*.json"):
        shard.write_text("{not json")
    manifests = list((site_project / ".briefgen-cache" / "trees").glob("manifest-*.json"))
    assert len(manifests) == 2  # the live site's and the spare generation's
    for manifest in manifests:
        manifest.write_text("[]")
    change_claim_id(site_project)
    fast_build(site_project)
    assert snapshot(site_project / "site") == clean_build(site_project, tmp_path)
    for shard in list((site_project / ".briefgen-cache").glob("briefs.*.json"))[::2]:
        shard.unlink()
    edit(site_project, "content/sample-brief/article.md", "told reporters", "said again")
    fast_build(site_project)
    assert snapshot(site_project / "site") == clean_build(site_project, tmp_path)
    shutil.rmtree(site_project / ".briefgen-cache")
    delete_brief(site_project)
    fast_build(site_project)
    assert snapshot(site_project / "site") == clean_build(site_project, tmp_path)


def test_after_a_template_change_one_edit_renders_one_brief(site_project: Path, tmp_path: Path) -> None:
    fast_build(site_project)
    change_template(site_project)
    assert fast_build(site_project).cached == 0
    change_article(site_project)  # the spare generation is behind on every brief: linked from the live site
    assert fast_build(site_project).cached == 6
    assert snapshot(site_project / "site") == clean_build(site_project, tmp_path)


def test_with_search_and_drafts_each_rebuild_equals_a_clean_build(site_project: Path, tmp_path: Path) -> None:
    """Pagefind's index (when installed) is made again on the whole tree; a stale one never survives."""
    pytest.importorskip("pagefind_bin", reason="the pagefind-bin wheel is not installed")
    reference = tmp_path / "reference-search"

    def both(drafts: bool) -> None:
        assert build_project(site_project, drafts=drafts, jobs=2).written
        if reference.exists():
            shutil.rmtree(reference)
        assert build_project(site_project, reference, drafts=drafts, cache=False, jobs=1).written
        assert snapshot(site_project / "site") == snapshot(reference)

    both(False)
    make_draft(site_project)
    both(False)
    both(True)
    change_claim_id(site_project)
    both(True)
    assert build_project(site_project, search=False, jobs=2).written  # no index: none is left behind
    assert not (site_project / "site" / "pagefind").exists()
    both(False)


def test_a_new_base_url_and_none_rebuild_right(site_project: Path, tmp_path: Path) -> None:
    fast_build(site_project)
    edit(site_project, "briefgen.toml", "https://example.org/briefs/", "https://example.com/")
    fast_build(site_project)
    assert snapshot(site_project / "site") == clean_build(site_project, tmp_path)
    edit(site_project, "briefgen.toml", 'base_url = "https://example.com/"', "")
    fast_build(site_project)
    assert not (site_project / "site" / "feed.xml").exists()
    assert snapshot(site_project / "site") == clean_build(site_project, tmp_path)


def test_cli_flags_and_summary(project: Path) -> None:
    first = run_cli("build", str(project), "--jobs", "2", check=True)
    assert "Built 1 brief, 7 pages in " in first.stdout and "(0 cached)" in first.stdout
    assert "\r" not in first.stderr  # no progress bar when stderr is not a terminal
    second = run_cli("build", str(project), check=True)
    assert "(1 cached)" in second.stdout
    third = run_cli("build", str(project), "--no-cache", check=True)
    assert "(0 cached)" in third.stdout
    assert run_cli("build", str(project), "--jobs", "0").returncode == 2


def test_the_progress_bar_draws_on_a_terminal_only() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert not ProgressBar.wanted(io.StringIO()) and ProgressBar.wanted(Terminal())
    shown = Terminal()
    bar = ProgressBar(shown)
    for done in range(1, 4):
        bar(done, 3)
    bar.clear()
    assert "3/3 briefs" in shown.getvalue() and shown.getvalue().endswith("\r\x1b[K")


def _age_stamp(project: Path) -> None:
    """Pretend the stamped build ran a minute ago (a stamp is not trusted for files changed just before it)."""
    path = project / ".briefgen-cache" / stamp.STAMP_FILE
    data = json.loads(path.read_text())
    data["started_ns"] += 60_000_000_000
    path.write_text(json.dumps(data))


def test_stamp_answers_unchanged_rebuilds_and_nothing_else(site_project: Path, tmp_path: Path) -> None:
    fast_build(site_project)
    out = site_project / "site"
    options = stamp.options(out, False, None, None)
    assert stamp.unchanged(site_project, out, options) is None  # files changed within 2 s of the build
    _age_stamp(site_project)
    summary = stamp.unchanged(site_project, out, options)
    assert summary is not None and summary["briefs"] == 7 and summary["folders"] == 7
    assert stamp.unchanged(site_project, out, stamp.options(out, True, None, None)) is None  # --drafts
    assert stamp.unchanged(site_project, out, stamp.options(out, False, "https://x.org/", None)) is None
    assert stamp.unchanged(site_project, out, stamp.options(out, False, None, "/usr/bin/pagefind")) is None
    same_size_same_mtime(site_project)
    assert stamp.unchanged(site_project, out, options) is None
    fast_build(site_project)
    _age_stamp(site_project)
    for step in (change_template, add_brief, change_config):
        step(site_project)
        assert stamp.unchanged(site_project, out, options) is None, step.__name__
    fast_build(site_project)
    _age_stamp(site_project)
    shutil.rmtree(out)
    assert stamp.unchanged(site_project, out, options) is None
    fast_build(site_project)
    assert snapshot(out) == clean_build(site_project, tmp_path)


def test_the_cli_answers_an_unchanged_rebuild_from_the_stamp(project: Path) -> None:
    run_cli("build", str(project), "--no-search", check=True)
    _age_stamp(project)
    before = {p: p.stat().st_mtime_ns for p in (project / ".briefgen-cache").rglob("*") if p.is_file()}
    again = run_cli("build", str(project), "--no-search", check=True)
    assert "Built 1 brief, 7 pages in " in again.stdout and "(1 cached)" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in (project / ".briefgen-cache").rglob("*") if p.is_file()} == before


def test_the_stamp_knows_where_the_cache_and_the_templates_are() -> None:
    assert stamp.BUILTIN_TEMPLATES == render.BUILTIN_TEMPLATES and stamp.CACHE_DIR == cache.CACHE_DIR


def test_stamp_trusts_a_brief_saved_just_before_the_build_when_its_bytes_are_what_the_build_read(
    site_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Save, then build at once: the next unchanged rebuild is still answered by the stamp, by content."""
    monkeypatch.setattr(stamp, "RACY_NS", 300_000_000)  # every other input is older than this window
    fast_build(site_project)
    time.sleep(0.5)
    edit(site_project, "content/sample-brief/notes.yaml", "Jo Checker", "Jo Chucker")
    fast_build(site_project)  # starts within the window of the edit: the brief is racy for this stamp
    out = site_project / "site"
    options = stamp.options(out, False, None, None)
    path = site_project / ".briefgen-cache" / stamp.STAMP_FILE
    saved = json.loads(path.read_text())
    assert list(saved["racy"]) == ["sample-brief"]
    summary = stamp.unchanged(site_project, out, options)
    assert summary is not None and summary["briefs"] == 7
    path.write_text(json.dumps({**saved, "racy": {"sample-brief": "0" * 32}}))  # the build read other bytes
    assert stamp.unchanged(site_project, out, options) is None
    path.write_text(json.dumps({**saved, "racy": {}}))
    assert stamp.unchanged(site_project, out, options) is None
