"""The renderer's jinja2 environment writes exactly what a stock jinja2 environment writes, only faster."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup, escape

from briefgen.model import Site
from briefgen.pipeline import check_project
from briefgen.render import Renderer, collect_assets, environment_options, escape_output, make_environment

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _stock(project: Path) -> jinja2.Environment:
    """make_environment()'s settings on jinja2's own Environment."""
    env = jinja2.Environment(**environment_options(project))
    env.filters.update(make_environment(project).filters)
    return env


def _pages(project: Path, stock: bool) -> dict[str, str]:
    checked = check_project(project)
    assert checked.ok, checked.problems
    renderer = Renderer(project, checked.config, collect_assets(project), search=True)
    if stock:
        renderer.env = _stock(project)
    pages = [page for brief in checked.briefs for page in renderer.brief_pages(brief)]
    pages += renderer.site_pages(Site(checked.config, checked.briefs))
    return {page.path: page.html for page in pages}


@pytest.mark.parametrize(
    "project", [ROOT, FIXTURES / "minimal", FIXTURES / "nb-site"], ids=["default", "minimal", "nb"]
)
def test_pages_are_those_of_a_stock_jinja2_environment(project: Path) -> None:
    fast, stock = _pages(project, stock=False), _pages(project, stock=True)
    assert len(fast) > 3
    assert fast == stock


def test_output_is_compiled_to_the_fast_escape() -> None:
    source = make_environment(ROOT).compile("{{ x }}{{ y|safe }}{% set z %}{{ x }}{% endset %}{{ z }}", raw=True)
    assert "environment.escape_output(" in source
    assert "escape(" not in source.replace("escape_output(", "")


@pytest.mark.parametrize("value", ["plain", "<a href='x'>&amp;\"</a>", Markup("<b>safe</b>"), 12, 1.5, None, ""])
def test_escape_output_writes_what_escape_writes(value: object) -> None:
    assert escape_output(value) == str(escape(value))


def test_templates_are_loaded_once_per_name_and_parent() -> None:
    env = make_environment(ROOT)
    assert env.get_template("partials/sources.html", "claim.html") is env.get_template(
        "partials/sources.html", "claim.html"
    )
    assert env.get_template("base.html") is env.get_template("base.html")
    with pytest.raises(jinja2.TemplateNotFound):
        env.get_template("no-such.html")
