"""Hostile and broken input: the corpus in tests/hostile/, forced crashes, killed builds, untouched files."""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefgen import cli
from tests.conftest import ROOT, run_cli, snapshot
from tests.hostile_support import PROBLEM, Case, cases, located, materialise, page_hazards, run_case

CASES = cases()
SUMMARY = ("Build failed: ", "Problems found: ", "OK: ", "Built ")


def test_the_corpus_covers_at_least_40_cases() -> None:
    assert len(CASES) >= 40
    assert sum(case.xss for case in CASES) >= 1


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_case(case: Case, tmp_path: Path) -> None:
    project = materialise(case, tmp_path)
    outcome = run_case(case, project)
    report = f"{case.spec.get('description', '')}\n--- stderr:\n{outcome.stderr}"
    assert outcome.code == case.spec.get("exit", 1), report
    assert "Traceback" not in outcome.stderr + outcome.stdout
    for line in outcome.stderr.splitlines():  # one line per problem, its hint, and the summary: nothing else
        assert PROBLEM.match(line) or line.startswith("    hint: ") or line.startswith(SUMMARY), line
    problems = outcome.problems
    for kind in ("error", "warning"):
        found = [p for p in problems if p[1] == kind]
        expected = case.spec.get(kind, [])
        for entry in expected:
            at = entry["at"].replace("{project}", str(project))
            assert any(
                located(at, where) and entry["message"] in message and entry.get("hint", "") in hint
                for where, _, message, hint in found
            ), f"expected {kind} at {at}: {entry['message']!r}\n{report}"
        if kind == "error":
            assert len(found) == len(expected), f"one clear error each, got {len(found)}\n{report}"
            assert all(hint for *_, hint in found), f"every error has a hint\n{report}"
    site = project / "site"
    if outcome.code != 0:
        assert not site.exists(), "a failed build writes nothing"
        assert not [p for p in project.iterdir() if p.name.startswith(".site")]
        return
    for page in case.spec.get("page", []):
        html = (site / page["path"]).read_text("utf-8")
        for text in page.get("contains", []):
            assert text in html, f"{page['path']} lacks {text!r}"
        for text in page.get("absent", []):
            assert text not in html, f"{page['path']} has {text!r}"
    for path in sorted(site.rglob("*.html")):
        assert page_hazards(path.read_text("utf-8")) == [], path


def test_the_page_check_itself_finds_injected_script() -> None:
    assert page_hazards('<p onclick="x()">a</p>') == ["<p onclick=…>"]
    assert page_hazards("<script>alert(1)</script>") == ["<script> that is not JSON-LD"]
    assert page_hazards('<a href=" JavaScript:alert(1)">x</a>')
    assert page_hazards('<script type="application/ld+json">{"a": "</script><script>x</script>')
    assert page_hazards('<script type="application/ld+json">{"a": 1}</script><a href="https://x">ok</a>') == []


def test_an_internal_crash_prints_a_short_report_and_exits_3(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    render = importlib.import_module("briefgen.render")

    def explode(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("forced for the test")

    monkeypatch.setattr(render.Renderer, "brief_pages", explode)
    assert cli.run(["build", str(project)]) == cli.EXIT_CRASH
    err = capsys.readouterr().err
    assert err.startswith("briefgen: internal error: ZeroDivisionError: forced for the test\n")
    assert "Traceback" not in err and len(err.splitlines()) <= 5
    assert not (project / "site").exists()


def _large_project(project: Path, briefs: int) -> None:
    source = project / "content/sample-brief"
    for number in range(briefs):
        target = project / f"content/brief-{number:04d}"
        target.mkdir()
        for name in ("article.md", "notes.yaml"):
            (target / name).write_bytes((source / name).read_bytes())


def test_a_killed_build_leaves_the_previous_site_intact(project: Path) -> None:
    _large_project(project, 300)
    run_cli("build", str(project), "-q", check=True)
    site = project / "site"
    before = snapshot(site)
    notes = project / "content/sample-brief/notes.yaml"
    notes.write_text(notes.read_text().replace("Fact-check: the budget report", "A changed title"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # --no-cache: the whole site is written into a staging folder (a cached rebuild writes one brief into
    # the spare generation: test_incremental.py kills that one mid-build)
    command = [sys.executable, "-m", "briefgen", "build", str(project), "-q", "--no-cache"]
    process = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    staging: list[Path] = []
    while time.monotonic() < deadline and process.poll() is None:  # wait until it is writing into staging
        staging = [p for p in project.glob(".site.new-*") if any(p.rglob("*.html"))]
        if staging:
            break
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert staging, "the build finished before it could be killed while writing; make the project larger"
    assert snapshot(site) == before
    assert [p for p in project.glob(".site.*")], "the killed build left its staging folder behind"
    run_cli("build", str(project), "-q", check=True)
    assert not list(project.glob(".site.*")), "the next build clears what a killed build left"
    assert "A changed title" in (site / "sample-brief/index.html").read_text()


def _stat_everything(folder: Path, *skip: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file under folder but the skipped folders: its mtime, mode and bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if any(path == s or s in path.parents for s in skip) or not path.is_file():
            continue
        info = path.stat()
        found[path.relative_to(folder).as_posix()] = (info.st_mtime_ns, info.st_mode, path.read_bytes())
    return found


def test_a_build_touches_nothing_outside_its_output_folder(project: Path, tmp_path: Path) -> None:
    # Tests run as root, where a read-only tree would not stop writes: compare every file and mtime instead.
    (project / "templates").mkdir()
    (project / "content/methodology.md").write_text("# How we check\n")
    site, elsewhere = project / "site", tmp_path / "elsewhere"
    run_cli("build", str(project), "-q", check=True)  # so that the next build replaces a site
    cache = project / ".briefgen-cache"  # the build's own cache (README: safe to delete)
    before = _stat_everything(tmp_path, site, elsewhere, cache)
    time.sleep(0.01)
    run_cli("build", str(project), "-q", check=True)
    run_cli("build", str(project), "-q", "--out", str(elsewhere), check=True)
    assert (elsewhere / "index.html").is_file() and (site / "index.html").is_file()
    assert _stat_everything(tmp_path, site, elsewhere, cache) == before


def test_new_refuses_to_overwrite_an_existing_brief(project: Path) -> None:
    before = snapshot(project / "content")
    result = run_cli("new", "sample-brief", str(project))
    assert result.returncode == 1
    assert "brief 'sample-brief' already exists; nothing was changed" in result.stderr
    assert "hint:" in result.stderr
    assert snapshot(project / "content") == before
