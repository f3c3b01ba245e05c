"""Getting the spare generation ready after a build, in the background, so that the next edit finds it ready.

A build writes into the spare generation (trees.py) and exchanges it with the live site. After a cold build
there is no spare, and after a build that rendered every brief again (a template, the config, briefgen's
code) the spare is the generation before, stale in every brief: the next build would first have to link
the whole site again, at a few milliseconds per brief. So a build that leaves the spare missing or stale in
more than a few briefs starts a detached process (as `git gc --auto` does) that takes the cache lock and
links the spare from the live site (Trees.relink). What it replaces is renamed into a trash folder and
deleted after the lock is released. A build that starts meanwhile waits for the lock and then finds the
spare ready; the live site is only read.

BRIEFGEN_BACKGROUND=0 turns this off; BRIEFGEN_BACKGROUND=foreground does the work inside the build.

    python -m briefgen.spare PROJECT OUT    # the job itself (what the build starts)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .cache import open_cache
from .trees import LiveChanged, Trees

ENV = "BRIEFGEN_BACKGROUND"
FEW = 16  # a build links this many brief folders itself at no visible cost
PACKAGE_ROOT = Path(__file__).resolve().parent.parent

_jobs: list[subprocess.Popen[bytes]] = []


def behind(trees: Trees) -> int:
    """How many brief folders the spare generation lacks or holds stale (all of them, and one, when it has none)."""
    live = trees.live()
    if trees.spare is None or live is None:
        return 0
    spare = trees.manifest(trees.spare)
    if spare is None:
        return len(live.units) + 1
    lacking = sum(1 for unit, key in live.units.items() if spare.units.get(unit) != key)
    return lacking + sum(1 for unit in spare.units if unit not in live.units)


class Trash:
    """A folder beside the spare to rename things into (one rename, however big), deleted when the lock is free."""

    def __init__(self, beside: Path) -> None:
        self.left = sorted(beside.glob("trash-*"))  # by runs that were killed or are still deleting theirs
        self.folder = beside / f"trash-{os.getpid()}-{time.time_ns()}"
        self.count = 0

    def put(self, path: Path) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        os.rename(path, self.folder / str(self.count))
        self.count += 1

    def empty(self) -> None:
        for folder in [*self.left, self.folder]:
            shutil.rmtree(folder, ignore_errors=True)  # another run may be deleting the same leftovers


def relink(trees: Trees, linked: Callable[[str], None] | None = None) -> Trash | None:
    """Bring the spare up to the live site (the caller holds the cache lock); the trash to empty afterwards."""
    if trees.spare is None or trees.live() is None:
        return None
    trash = Trash(trees.spare.parent)
    trees.relink(trash.put, linked)
    return trash


def catch_up(project: Path, out: Path, linked: Callable[[str], None] | None = None) -> tuple[int, Trash | None]:
    """Under the cache lock, bring the spare generation up to the live site: how many brief folders it was
    behind when the lock was free (0: nothing was done), and the trash to empty once the lock is released."""
    with open_cache(project, True) as cache:
        trees = Trees(out, cache)
        before = behind(trees)
        return before, relink(trees, linked) if before else None


def prepare(project: Path, out: Path, linked: Callable[[str], None] | None = None, nice: int = 0) -> int:
    """The job: catch_up(), then delete the trash (nobody waits for that: at a lower priority given nice)."""
    before, trash = catch_up(project, out, linked)
    if trash is not None:
        if nice:
            os.nice(nice)
        trash.empty()
    return before


def after_build(trees: Trees, project: Path) -> None:
    """Called by a build under the cache lock, after it swapped a new generation in: get the spare ready."""
    mode = os.environ.get(ENV, "1").strip().lower()
    if trees.cache is None or mode in {"0", "off", "no", "false"} or behind(trees) <= FEW:
        return
    try:
        if mode != "foreground":
            start(project.absolute(), trees.out.absolute())
            return
        trash = relink(trees)
        if trash is not None:
            trash.empty()
    except (OSError, LiveChanged):
        return  # the site is built; the next build links what the spare lacks itself


def start(project: Path, out: Path) -> subprocess.Popen[bytes]:
    """Start the job detached: its own session, no terminal, nothing inherited; the build does not wait for it."""
    reap()
    paths = [os.fspath(PACKAGE_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    job = subprocess.Popen(
        [sys.executable, "-m", "briefgen.spare", os.fspath(project), os.fspath(out)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd="/",
        env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
        start_new_session=True,
        close_fds=True,
    )
    _jobs.append(job)
    return job


def reap() -> None:
    """Collect the jobs this process started that have ended (a long-running caller leaves no zombies)."""
    _jobs[:] = [job for job in _jobs if job.poll() is None]


def wait(timeout: float | None = None) -> list[int]:
    """Wait for every job this process started; their exit codes."""
    codes = [job.wait(timeout) for job in _jobs]
    _jobs.clear()
    return codes


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m briefgen.spare PROJECT OUT", file=sys.stderr)
        return 2
    try:
        prepare(Path(argv[0]), Path(argv[1]), nice=10)  # deleting comes after the user's own work
    except Exception:  # noqa: BLE001 - nobody reads a detached job's output; the manifests stay truthful
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
