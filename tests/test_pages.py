"""Static properties of the built pages: weight, self-contained assets, overridable templates."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from briefgen.pipeline import build_project
from tests.conftest import FIXTURES
from tests.sites import build_sites, html_pages

BUDGET = 100 * 1024


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_sites(tmp_path_factory.mktemp("page-sites"))


def test_default_brief_page_with_its_css_is_under_100_kb(sites: dict[str, Path]) -> None:
    page = sites["default"] / "dagsavisen-2022-09-10-kharkiv/index.html"
    html = page.read_text("utf-8")
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert styles, "the page links its stylesheet"
    weight = page.stat().st_size + sum((page.parent / href).resolve().stat().st_size for href in styles)
    assert weight < BUDGET, f"{weight} bytes"


def test_pages_load_no_fonts_or_scripts_from_elsewhere(sites: dict[str, Path]) -> None:
    for site in sites.values():
        for page in html_pages(site):
            html = page.read_text("utf-8")
            for src in re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", html):
                assert not re.match(r"(https?:)?//", src), (page, src)  # only the site's own scripts (search box)
            for rel, href in re.findall(r'<link rel="([^"]+)" href="([^"]+)"', html):
                if rel in ("stylesheet", "icon", "preload", "modulepreload", "manifest"):
                    assert not re.match(r"(https?:)?//", href), (page, href)
        for css in (site / "assets").glob("*.css"):
            text = css.read_text("utf-8")
            assert "@import" not in text and "@font-face" not in text and "url(" not in text, css


def test_each_template_block_can_be_overridden_from_the_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "nb-site", project)
    (project / "templates/partials").mkdir(parents=True)
    (project / "templates/brief.html").write_text('{% extends "base.html" %}{% block content %}OWN BRIEF{% endblock %}')
    (project / "templates/partials/status_badge.html").write_text("<b>{{ rating.label(lang) }}</b>")
    result = build_project(project, out=tmp_path / "out")
    assert result.ok
    assert "OWN BRIEF" in (tmp_path / "out/bybudsjett-eksempelvik/index.html").read_text("utf-8")
    claim = (tmp_path / "out/bybudsjett-eksempelvik/nye-laerere/index.html").read_text("utf-8")
    assert "<b>Delvis feil</b>" in claim and 'class="badge"' not in claim
