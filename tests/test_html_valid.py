"""Every page of the default and the Norwegian site is valid HTML to the W3C Nu HTML checker (vnu.jar)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.sites import VNU, build_sites, html_pages


def _vnu_or_skip() -> list[str]:
    java = shutil.which("java")
    missing = [what for what, ok in (("java", java), (str(VNU), VNU.is_file())) if not ok]
    if missing:
        reason = f"{', '.join(missing)} missing: run bash tests/install.sh (npm ci installs vnu-jar)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    assert java is not None
    return [java, "-Xss8m", "-jar", str(VNU)]


def test_every_page_has_no_html_errors(tmp_path: Path) -> None:
    vnu = _vnu_or_skip()
    sites = build_sites(tmp_path)
    pages = [page for site in sites.values() for page in html_pages(site)]
    assert len(pages) >= 30
    result = subprocess.run(
        [*vnu, "--format", "json", "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = [
        f"{m.get('url', '?')}:{m.get('lastLine', '?')}: {m.get('message')} [{m.get('extract', '')!s}]"
        for m in report["messages"]
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0
