"""briefgen: static sites of fact-check briefs.

The public API, used by the CLI itself:

    briefgen.build(project_dir, out=None, drafts=False, base_url=None, search=True, jobs=None, cache=True) -> BuildResult
    briefgen.check(project_dir) -> list[Problem]
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .problems import BuildFailed, Location, Problem, Severity

# The pipeline (jinja2, markdown-it-py, PyYAML) is imported on first use, not with the package: a
# `briefgen build` that the build stamp answers (nothing changed) never needs it and starts twice as fast.
if TYPE_CHECKING:
    from .pipeline import BuildResult, CheckResult

__version__ = "0.1.0"
__all__ = [
    "BuildFailed",
    "BuildResult",
    "CheckResult",
    "Location",
    "Problem",
    "Severity",
    "__version__",
    "build",
    "check",
]


def build(
    project_dir: str | Path = ".",
    out: str | Path | None = None,
    drafts: bool = False,
    base_url: str | None = None,
    search: bool = True,
    jobs: int | None = None,
    cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> BuildResult:
    """Build the project's site; the result lists every problem and whether the site was written.

    jobs: worker processes (default: one per core; 1 builds in this process). cache: use and update
    PROJECT/.briefgen-cache/ (unchanged briefs are not processed again). progress(done, total) follows the briefs.
    """
    from .pipeline import build_project

    target = Path(out) if out is not None else None
    return build_project(
        Path(project_dir), target, drafts, base_url, search=search, jobs=jobs, cache=cache, progress=progress
    )


def check(project_dir: str | Path = ".") -> list[Problem]:
    """Load and check the project; return every problem (errors and warnings) as values."""
    from .pipeline import check_project

    return list(check_project(Path(project_dir)).problems)


def __getattr__(name: str) -> object:
    """BuildResult and CheckResult, from the pipeline, imported when first asked for."""
    if name in ("BuildResult", "CheckResult"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'briefgen' has no attribute {name!r}")
