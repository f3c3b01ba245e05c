"""Publishing extras beside the pages: feeds, sitemap, robots.txt and machine-readable data, in a fixed order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .data import data_files
from .feeds import feed_files
from .model import Site
from .problems import Location, Problem, warning


def publish_files(site: Site) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of every extra file: robots.txt, sitemap.xml, feed.xml, claimreview.json, <slug>/brief.json."""
    yield from feed_files(site)
    yield from data_files(site)


def publish_problems(site: Site, out: Path) -> list[Problem]:
    """What a build without base_url leaves out (its addresses would not be absolute)."""
    if site.config.base_url:
        return []
    return [
        warning(
            Location(str(out)),
            "no base_url: sitemap.xml, feed.xml and claimreview.json were left out",
            'set base_url = "https://your.site/" in briefgen.toml or pass --base-url to briefgen build',
        )
    ]
