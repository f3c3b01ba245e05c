"""briefgen in other people's tools: `check --format json`, the GitHub problem matcher, the pre-commit hook."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import yaml

from tests.conftest import ROOT, run_cli
from tests.test_build import BROKEN


def broken(project: Path) -> Path:
    for case in ("unknown-status", "bad-url"):
        BROKEN[case][0](project)
    (project / "content/orphan").mkdir()
    (project / "content/orphan/article.md").write_text(
        "---\ntitle: x\n---\nText.\n"
    )  # no notes: a problem without a line
    return project


def test_check_json_is_the_documented_shape(project: Path) -> None:
    result = run_cli("check", str(broken(project)), "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert set(report) == {"ok", "problems"} and report["ok"] is False
    keys = {"path", "line", "column", "severity", "field", "message", "hint"}
    assert all(set(p) == keys for p in report["problems"])
    assert {p["field"] for p in report["problems"] if p["severity"] == "error"} >= {
        "claims[opposition-vote].status",
        "claims[opposition-vote].sources[0].url",
    }
    status = next(p for p in report["problems"] if p["field"] == "claims[opposition-vote].status")
    assert (status["path"], status["line"], status["column"]) == ("content/sample-brief/notes.yaml", 23, 13)
    clean = json.loads(run_cli("check", str(ROOT / "tests/fixtures/minimal"), "--format", "json").stdout)
    assert clean == {"ok": True, "problems": []}


def test_problem_matcher_reads_every_problem_line_once_and_no_hint(project: Path) -> None:
    matchers = json.loads((ROOT / ".github/problem-matcher.json").read_text())["problemMatcher"]
    patterns = [(m["owner"], m["pattern"][0]) for m in matchers]
    output = run_cli("check", str(broken(project))).stderr
    report = json.loads(run_cli("check", str(project), "--format", "json").stdout)["problems"]
    found = []
    for line in output.splitlines():
        hits = [(owner, re.match(p["regexp"], line), p) for owner, p in patterns]
        hits = [(owner, m, p) for owner, m, p in hits if m]
        if ": error: " in line or ": warning: " in line:
            assert len(hits) == 1, line
            _, match, pattern = hits[0]
            found.append(
                (
                    match.group(pattern["file"]),
                    int(match.group(pattern["line"])) if "line" in pattern else 0,
                    int(match.group(pattern["column"])) if "column" in pattern else 0,
                    match.group(pattern["severity"]),
                    match.group(pattern["message"]),
                )
            )
        else:
            assert hits == [], line  # hint lines and the summary are not problems
    assert found == [(p["path"], p["line"], p["column"], p["severity"], p["message"]) for p in report]
    assert found, "the broken project reports problems"


def test_pre_commit_hook_runs_briefgen_check_on_content_changes() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "briefgen-check"
    assert hook["entry"] == "briefgen check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert hook["entry"].split()[0] in scripts
    files = re.compile(hook["files"])
    for path in ("content/x/notes.yaml", "content/x/article.md", "briefgen.toml"):
        assert files.search(path), path
    for path in ("README.md", "briefgen.toml.bak", "site/index.html", "templates/base.html"):
        assert not files.search(path), path
