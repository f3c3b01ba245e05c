"""The spare generation is made ready in the background after a build, so that the next edit links nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefgen import cache, spare, trees
from briefgen.keys import digest
from briefgen.names import MARKER
from briefgen.pipeline import BuildResult, build_project
from briefgen.trees import LiveChanged, Trees
from tests.conftest import ROOT, snapshot
from tests.test_incremental import change_article, change_claim_id, change_template, clean_build
from tests.test_incremental import site_project as site_project  # the fixture, used below


class Killed(Exception):
    """Stands in for a job killed midway."""


@pytest.fixture
def project(site_project: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Seven briefs; a job after a build that leaves the spare more than two briefs behind; none left running."""
    monkeypatch.setattr(spare, "FEW", 2)
    monkeypatch.delenv(spare.ENV, raising=False)
    yield site_project
    spare.wait(timeout=120)


def build(project: Path, **options: bool) -> BuildResult:
    result = build_project(project, search=False, jobs=2, **options)  # type: ignore[arg-type]
    assert result.written, [p.format() for p in result.problems]
    return result


def quiet_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> BuildResult:
    """A build that starts no job."""
    with monkeypatch.context() as patch:
        patch.setenv(spare.ENV, "0")
        return build(project)


def trees_of(project: Path) -> Trees:
    """The trees as a new process finds them (manifests read from disk)."""
    return Trees(project / "site", project / ".briefgen-cache")


def files_under(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def assert_spare_is_live(project: Path, linked: bool = True) -> None:
    """The spare's manifest equals the live one, and so do its files: the live files themselves (hard links),
    or when not linked, files kept from before with the same bytes."""
    found = trees_of(project)
    assert found.spare is not None
    live, held = found.live(), found.manifest(found.spare)
    assert live is not None and held == live
    inodes = files_under(found.spare)
    assert inodes.pop(MARKER) != files_under(project / "site")[MARKER]  # its own marker: another tree
    if linked:
        assert inodes == {k: v for k, v in files_under(project / "site").items() if k != MARKER}
    else:
        assert snapshot(found.spare) == {**snapshot(project / "site"), MARKER: b""}
    assert not list(found.spare.parent.glob("trash-*"))


def assert_truthful(project: Path) -> None:
    """What the spare's saved manifest claims is there: the live key means the live files, a digest those bytes."""
    found = trees_of(project)
    assert found.spare is not None
    live, held = found.live(), found.manifest(found.spare)
    if held is None:
        return  # an unknown tree is never trusted
    assert live is not None
    for unit, key in held.units.items():
        if key:
            assert (found.spare / unit).is_dir(), unit
        if key and key == live.units.get(unit):
            assert snapshot(found.spare / unit) == snapshot(project / "site" / unit), unit
    for path, value in held.files.items():
        if value:
            assert digest((found.spare / path).read_bytes()) == value, path


@pytest.fixture
def links(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every brief folder a build links from the live site into the spare."""
    made: list[Path] = []
    real = trees.link_copy

    def counted(source: Path, target: Path, skip: str = "") -> None:
        made.append(source)
        real(source, target, skip)

    monkeypatch.setattr(trees, "link_copy", counted)
    return made


def test_after_a_cold_build_the_job_makes_the_spare_and_the_next_edit_links_nothing(
    project: Path, tmp_path: Path, links: list[Path]
) -> None:
    assert build(project).cached == 0
    assert spare.wait(timeout=120) == [0]
    assert_spare_is_live(project)
    links.clear()
    change_article(project)
    assert build(project).cached == 6
    assert links == []
    assert spare.wait(timeout=120) == []  # the spare is one brief behind now: the next build links it itself
    assert snapshot(project / "site") == clean_build(project, tmp_path)


def test_after_a_template_change_the_job_relinks_the_spare(
    project: Path, tmp_path: Path, links: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet_build(project, monkeypatch)
    change_article(project)
    quiet_build(project, monkeypatch)  # the spare is the generation before
    change_template(project)
    assert build(project).cached == 0  # every brief again: the spare is stale in all of them
    assert spare.wait(timeout=120) == [0]
    assert_spare_is_live(project)
    links.clear()
    change_claim_id(project)
    assert build(project).cached == 6
    assert links == []
    assert snapshot(project / "site") == clean_build(project, tmp_path)


def test_in_the_foreground_the_build_itself_makes_the_spare(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(spare.ENV, "foreground")
    build(project)
    assert spare._jobs == []
    assert_spare_is_live(project)


def test_no_job_when_turned_off_without_the_cache_for_the_preview_or_with_nothing_to_do(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[tuple[Path, Path]] = []
    monkeypatch.setattr(spare, "start", lambda project, out: started.append((project, out)))
    build_project(project, tmp_path / "preview", drafts=True, search=False, publish=False, model=True)
    build(project, cache=False)
    with monkeypatch.context() as patch:
        patch.setenv(spare.ENV, "0")
        build_project(project, tmp_path / "off", search=False)
    assert started == []
    build(project)
    assert started == [(project.absolute(), (project / "site").absolute())]
    spare.prepare(project, project / "site")
    build(project)  # nothing changed
    change_article(project)
    build(project)  # one brief: the spare is one behind
    assert len(started) == 1
    assert spare.prepare(project, project / "site") == 1  # (a job would link that one brief)


def touch_briefs(project: Path, count: int) -> None:
    """Change the bytes (not the pages) of the first generated briefs."""
    for folder in sorted(p for p in (project / "content").iterdir() if p.name != "sample-brief")[:count]:
        notes = folder / "notes.yaml"
        notes.write_text("# touched\n" + notes.read_text("utf-8"), "utf-8")


@pytest.mark.parametrize("state", ["missing", "stale", "behind"])
@pytest.mark.parametrize("killed_after", [1, 3, 6])
def test_a_job_killed_midway_leaves_truthful_manifests_and_the_next_build_is_right(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, state: str, killed_after: int
) -> None:
    quiet_build(project, monkeypatch)
    if state != "missing":
        change_article(project)
        quiet_build(project, monkeypatch)
    if state == "stale":
        change_template(project)  # every brief: the spare is replaced as a whole
        quiet_build(project, monkeypatch)
    if state == "behind":
        touch_briefs(project, 4)  # four of seven: the spare is brought up to date in place
        quiet_build(project, monkeypatch)
    found = trees_of(project)
    assert found.spare is not None
    before = trees.tree_id(found.spare)
    trash = spare.Trash(found.spare.parent)
    kill_at = min(killed_after, spare.behind(found))
    done: list[str] = []

    def linked(unit: str) -> None:
        assert_truthful(project)  # at every step, as a later build would read it
        done.append(unit)
        if len(done) == kill_at:
            raise Killed

    def discard(path: Path) -> None:
        assert_truthful(project)
        trash.put(path)

    with pytest.raises(Killed):
        found.relink(discard, linked, batch=2)
    assert (trees.tree_id(found.spare) == before) == (state == "behind")
    assert_truthful(project)
    change_claim_id(project)
    quiet_build(project, monkeypatch)
    assert snapshot(project / "site") == clean_build(project, tmp_path)
    assert spare.prepare(project, project / "site") > 0  # the next job also deletes the killed one's trash
    assert_spare_is_live(project, linked=False)


def test_a_brief_folder_half_linked_when_the_job_died_is_never_trusted(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet_build(project, monkeypatch)
    real = trees.link_copy

    def half(source: Path, target: Path, skip: str = "") -> None:
        target.mkdir(parents=True)
        first = next(p for p in sorted(source.rglob("*")) if p.is_file())
        os.link(first, target / first.name)
        raise Killed

    monkeypatch.setattr(trees, "link_copy", half)
    with pytest.raises(Killed):
        spare.prepare(project, project / "site")
    assert_truthful(project)
    monkeypatch.setattr(trees, "link_copy", real)
    change_article(project)
    quiet_build(project, monkeypatch)
    assert snapshot(project / "site") == clean_build(project, tmp_path)


def test_a_live_site_exchanged_midway_stops_the_job_and_it_claims_nothing_it_linked(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet_build(project, monkeypatch)
    found = trees_of(project)
    assert found.spare is not None
    change_article(project)

    calls: list[str] = []

    def meanwhile(unit: str) -> None:  # a build without the cache takes no lock
        calls.append(unit)
        if len(calls) == 1:
            build(project, cache=False)

    with pytest.raises(LiveChanged):
        found.relink(spare.Trash(found.spare.parent).put, meanwhile, batch=100)
    held = trees_of(project).manifest(found.spare)
    assert held is not None and held.units == {}
    change_claim_id(project)
    quiet_build(project, monkeypatch)
    assert snapshot(project / "site") == clean_build(project, tmp_path)


def run_build(project: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), spare.ENV: "0"}
    command = [sys.executable, "-m", "briefgen", "build", "-q", "--no-search", str(project)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_build_started_while_a_job_holds_the_lock_waits_and_is_right(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet_build(project, monkeypatch)
    change_template(project)
    quiet_build(project, monkeypatch)
    before = snapshot(project / "site")
    change_article(project)
    with cache.open_cache(project, True) as folder:
        assert folder is not None
        waiting = run_build(project)
        try:
            found = Trees(project / "site", folder)
            assert found.spare is not None

            def slow(unit: str) -> None:
                time.sleep(0.3)  # the job is busy linking while the build starts and waits for the lock

            found.relink(spare.Trash(found.spare.parent).put, slow, batch=2)
            assert waiting.poll() is None
            assert snapshot(project / "site") == before
        except BaseException:
            waiting.kill()
            raise
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, out + err
    assert snapshot(project / "site") == clean_build(project, tmp_path)


def test_the_job_is_detached_and_leaves_nothing_running(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    quiet_build(project, monkeypatch)
    with cache.open_cache(project, True):  # the job waits for the lock, as it would for a running build
        job = spare.start(project.absolute(), (project / "site").absolute())
        assert os.getsid(job.pid) == job.pid != os.getsid(0)  # its own session: no terminal's signals reach it
        assert [os.readlink(f"/proc/{job.pid}/fd/{n}") for n in range(3)] == ["/dev/null"] * 3
        assert os.readlink(f"/proc/{job.pid}/cwd") == "/"
        time.sleep(0.5)
        assert job.poll() is None
    assert spare.wait(timeout=120) == [0]
    assert_spare_is_live(project)
    assert not os.path.exists(f"/proc/{job.pid}")  # reaped: no zombie either
