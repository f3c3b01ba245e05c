"""The default content: an honest brief of the seed article that builds with zero warnings."""

from __future__ import annotations

from pathlib import Path

from briefgen.build import check_project
from briefgen.check import HTTP_URL
from briefgen.markdown import plain_text
from briefgen.quotes import normalise
from tests.conftest import ROOT, run_cli

SEED = ROOT / "seeds/000_87f9bf6137a3843a.txt"


def test_default_project_checks_with_zero_problems() -> None:
    assert check_project(ROOT).problems == ()


def test_every_quote_is_in_the_seed_file_and_every_claim_is_sourced() -> None:
    seed = normalise(SEED.read_text("utf-8")).text
    (brief,) = check_project(ROOT).briefs
    assert len(brief.claims) >= 15
    for claim in brief.claims:
        assert normalise(plain_text(claim.quote)).text in seed, claim.id
        assert claim.status
        if claim.status != "unverified":
            assert claim.sources, claim.id
            assert all(HTTP_URL.match(source.url) for source in claim.sources), claim.id


def test_default_site_builds_without_warnings(tmp_path: Path) -> None:
    result = run_cli("build", str(ROOT), "--out", str(tmp_path / "site"), check=True)
    assert result.stderr == ""
    assert (tmp_path / "site/dagsavisen-2022-09-10-kharkiv/index.html").is_file()
