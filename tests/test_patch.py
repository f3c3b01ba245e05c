"""`briefgen build` after editing briefs only: their parts of the live site are replaced, and the result is
byte for byte the site a clean serial build gives — or, when it could not be, the normal build runs."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from briefgen import publish, stamp
from briefgen.patch import patch_build
from briefgen.pipeline import BuildResult, build_project
from tests.conftest import FIXTURES, run_cli, snapshot
from tests.corpus_support import make_corpus

SAMPLE_NOTES = "content/sample-brief/notes.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    make_corpus(project, 5)
    time.sleep(stamp.RACY_NS / 1e9)  # the stamp trusts the site's inputs only when they are older than this
    build(project)
    return project


def build(project: Path, *args: str) -> str:
    return run_cli("build", "--no-search", *args, str(project), check=True).stdout


def clean(project: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "reference"
    shutil.rmtree(out, ignore_errors=True)
    run_cli("build", "--no-search", "--no-cache", "--jobs", "1", "--out", str(out), str(project), check=True)
    return snapshot(out)


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text("utf-8")
    assert old in text, (relative, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def patched(
    project: Path, out: Path | None = None, drafts: bool = False, base_url: str | None = None
) -> BuildResult | None:
    """What the patch path makes of the project's edits, run in this process as `briefgen build --no-search` would."""
    started = (time.perf_counter(), time.time_ns())
    out = out or project / "site"
    found = stamp.changes(project, out, stamp.options(out, drafts, base_url, None))
    assert found is not None and found.changed, "the stamp sees only briefs changed"
    return patch_build(project, out, found, drafts, base_url, None, started)


def test_edits_are_patched_into_the_site_byte_for_byte(project: Path, tmp_path: Path) -> None:
    site = project / "site"
    untouched = (site / "brief-0002" / "index.html").stat().st_ino
    edit(project, SAMPLE_NOTES, "Two of the article's claims hold up", "Two claims hold up")  # summary: index, feed
    edit(project, SAMPLE_NOTES, "status: mostly-true", "status: misleading")  # scorecard, ClaimReview
    result = patched(project)
    assert result is not None and result.written and result.cached == 5
    assert result.briefs == 6 and result.pages == sum(1 for _ in site.rglob("*.html"))
    assert snapshot(site) == clean(project, tmp_path)
    assert (site / "brief-0002" / "index.html").stat().st_ino == untouched  # hard-linked, not written again
    assert "Two claims hold up" in (site / "index.html").read_text("utf-8")
    assert "Two claims hold up" in (site / "feed.xml").read_text("utf-8")

    # a second edit elsewhere: the spare generation first catches up with the first one
    edit(project, "content/brief-0003/notes.yaml", "The council's minutes record the vote.", "Minutes: vote recorded.")
    edit(project, "content/brief-0001/article.md", "the mayor said", "the mayor told reporters")
    assert patched(project) is not None
    assert snapshot(site) == clean(project, tmp_path)
    assert "Built 6 briefs" in build(project)  # nothing changed since: the stamp answers
    assert snapshot(site) == clean(project, tmp_path)


def test_the_cli_patches_and_reports_like_a_build(project: Path, tmp_path: Path) -> None:
    edit(project, SAMPLE_NOTES, "One opposition member abstained.", "One member of the opposition abstained.")
    out = build(project)
    assert "Built 6 briefs, " in out and "(5 cached)" in out
    assert snapshot(project / "site") == clean(project, tmp_path)


@pytest.mark.parametrize(
    ("relative", "old", "new"),
    [
        (SAMPLE_NOTES, "published: 2024-03-02", "published: 2024-03-05"),  # moves on the index and in the feed
        ("content/brief-0002/notes.yaml", "published: 2023-01-01", "published: 2022-12-01"),
        (SAMPLE_NOTES, "tags: [budget]", "draft: true\ntags: [budget]"),  # leaves the site
    ],
)
def test_edits_that_move_a_brief_take_the_normal_build(
    project: Path, tmp_path: Path, relative: str, old: str, new: str
) -> None:
    edit(project, relative, old, new)
    assert patched(project) is None
    assert snapshot(project / "site") != clean(project, tmp_path)  # nothing was patched...
    build(project)
    assert snapshot(project / "site") == clean(project, tmp_path)  # ...the normal build did it


def test_an_edit_with_an_error_fails_and_leaves_the_site(project: Path) -> None:
    before = snapshot(project / "site")
    edit(project, SAMPLE_NOTES, "status: mostly-true", "status: mostly-ture")
    assert patched(project) is None
    result = run_cli("build", "--no-search", str(project))
    assert result.returncode == 1
    assert "notes.yaml:" in result.stderr and "mostly-ture" in result.stderr
    assert snapshot(project / "site") == before


def test_a_project_with_its_own_html_templates_is_built_normally(project: Path, tmp_path: Path) -> None:
    own = project / "templates"
    own.mkdir()
    shutil.copy(Path(__file__).parent.parent / "templates" / "index.html", own / "index.html")
    time.sleep(stamp.RACY_NS / 1e9)
    build(project)
    edit(project, SAMPLE_NOTES, "One opposition member abstained.", "One member of the opposition abstained.")
    assert patched(project) is None
    build(project)
    assert snapshot(project / "site") == clean(project, tmp_path)


def test_a_brief_added_or_a_setting_changed_is_not_only_briefs(project: Path) -> None:
    out = project / "site"
    options = stamp.options(out, False, None, None)
    os.mkdir(project / "content" / "new-brief")
    assert stamp.changes(project, out, options) is None
    os.rmdir(project / "content" / "new-brief")
    (project / "briefgen.toml").write_text((project / "briefgen.toml").read_text("utf-8") + "\n", "utf-8")
    assert stamp.changes(project, out, options) is None


def test_an_edit_is_patched_into_the_part_of_a_split_sitemap_that_holds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publish, "SITEMAP_LIMIT", 10)
    project = tmp_path / "split"
    shutil.copytree(FIXTURES / "minimal", project)
    make_corpus(project, 5)
    time.sleep(stamp.RACY_NS / 1e9)
    assert build_project(project, search=False, jobs=1).written
    site = project / "site"
    assert (site / "sitemap-3.xml").is_file()
    edit(
        project, "content/brief-0003/notes.yaml", "published: 2023-01-02", "published: 2023-01-02\nupdated: 2024-01-01"
    )
    assert patched(project) is None  # its addresses' lastmod changes the sitemap part's, and the feed's head
    assert build_project(project, search=False, jobs=1).written
    edit(project, "content/brief-0003/notes.yaml", "The council's minutes record the vote.", "Minutes: vote recorded.")
    edit(project, "content/brief-0001/notes.yaml", "status: mostly-true", "status: misleading")
    assert patched(project) is not None
    reference = tmp_path / "reference"
    assert build_project(project, reference, search=False, cache=False, jobs=1).written
    assert snapshot(site) == snapshot(reference)
    edit(project, "content/brief-0003/notes.yaml", "  - id: unemployment", "  - id: unemployment-rate")
    assert patched(project) is not None  # the same number of addresses: the parts keep their bounds
    shutil.rmtree(reference)
    assert build_project(project, reference, search=False, cache=False, jobs=1).written
    assert snapshot(site) == snapshot(reference)
    notes = project / "content/brief-0003/notes.yaml"
    notes.write_text(
        notes.read_text("utf-8")
        + '  - id: unemployment-again\n    quote: "Unemployment fell to 3.1 percent last year"\n'
        + '    claim: "Unemployment fell"\n    status: unverified\n    verdict: Not yet published.\n',
        "utf-8",
    )
    assert patched(project) is None  # one more address: the parts' bounds may move
    assert build_project(project, search=False, jobs=1).written  # (a valid edit: the normal build takes it)


def test_the_build_options_are_kept_when_patching(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    options = ["--drafts", "--base-url", "https://other.example/fact/", "--out", str(out)]
    edit(project, "content/brief-0004/notes.yaml", "published:", "draft: true\npublished:")
    time.sleep(stamp.RACY_NS / 1e9)
    build(project, *options)
    edit(project, "content/brief-0004/notes.yaml", "One opposition member abstained.", "A member abstained.")
    assert patched(project, out, drafts=True, base_url=options[2]) is not None
    reference = tmp_path / "reference"
    run_cli(
        "build",
        "--no-search",
        "--no-cache",
        "--jobs",
        "1",
        *options[:3],
        "--out",
        str(reference),
        str(project),
        check=True,
    )
    assert snapshot(out) == snapshot(reference)
    assert "https://other.example/fact/brief-0004/" in (out / "sitemap.xml").read_text("utf-8")
