"""The stamp of a build: when none of its inputs changed since, a rebuild has nothing to do.

`briefgen build` checks the stamp before anything else: one listing of content/ and a stat of every
brief's two files, of briefgen.toml, the templates and briefgen's own code. Same stats, same options and
the same output folder: the site is already what a build would make, and the stamp holds the summary
(and the warnings) to print. Any difference, and the normal (incremental) build runs.

A stat cannot tell a file changed within the clock's granularity of the build reading it, so a file
changed within two seconds before the build that wrote the stamp (or after it started) is "racy". A
racy brief is still trusted when its bytes hash to what the build read (the stamp keeps those digests:
saving a brief and building at once is the common case); any other racy input means a normal build.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .keys import content_digest
from .names import ARTICLE_FILE, CACHE_DIR, CONTENT_DIR, MARKER, NOTES_FILE
from .problems import Location, Problem, Severity

STAMP_FILE = "stamp.json"
BUILTIN_TEMPLATES = next(  # as render.py finds them (a test holds the two equal)
    (p for p in (Path(__file__).parent / "templates", Path(__file__).parent.parent / "templates") if p.is_dir()),
    Path(__file__).parent / "templates",
)
RACY_NS = 2_000_000_000
CODE = Path(__file__).resolve().parent


def options(out: Path, drafts: bool, base_url: str | None, search: str | None) -> list[Any]:
    """The build options that change the site (jobs and caching do not); search: the indexer, if one runs."""
    return [os.fspath(out), drafts, base_url, search]


def _files_under(folder: Path) -> list[str]:
    found = []
    for top, _, names in os.walk(folder):
        found += [os.path.join(top, name) for name in names]
    return sorted(found)


@dataclass(frozen=True)
class Snapshot:
    """The stat of every input, digested: the site's inputs together, each brief folder apart."""

    key: str  # the options, briefgen.toml, templates, briefgen's code, content/'s listing and its other files
    newest: int  # when the newest of those changed
    briefs: dict[str, int]  # brief folder → when its files last changed
    stats: dict[str, str]  # brief folder → digest of its files' stats


def snapshot(project: Path, out: Path, options: list[Any]) -> Snapshot:
    """A digest of every input's stat and of the options, with the newest change times."""
    digest = hashlib.blake2b(repr(options).encode(), digest_size=16)

    def add(path: str) -> int:
        try:
            st = os.lstat(path)  # one system call for the common case; a symbolic link is followed below
            if stat.S_ISLNK(st.st_mode):
                digest.update(f"{path}->{os.path.realpath(path)}\n".encode("utf-8", "surrogateescape"))
                st = os.stat(path)
        except OSError:
            digest.update(f"{path}:-\n".encode("utf-8", "surrogateescape"))
            return 0
        digest.update(
            f"{path}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_mode}\n".encode(
                "utf-8", "surrogateescape"
            )
        )
        return max(st.st_mtime_ns, st.st_ctime_ns)

    project_dir = os.fspath(project)
    newest = add(os.path.join(project_dir, "briefgen.toml"))
    for folder in [project / "templates", BUILTIN_TEMPLATES]:
        for path in _files_under(folder):
            newest = max(newest, add(path))
    for path in sorted(os.listdir(CODE)):
        if path.endswith(".py"):
            newest = max(newest, add(os.path.join(CODE, path)))
    content = os.path.join(project_dir, CONTENT_DIR)
    try:
        entries = sorted(os.scandir(content), key=lambda e: e.name)
    except OSError:
        entries = []
    briefs: dict[str, int] = {}
    stats: dict[str, str] = {}
    for entry in entries:
        kind = "l" if entry.is_symlink() else "d" if entry.is_dir() else "f"
        digest.update(f"{entry.name}/{kind}\n".encode("utf-8", "surrogateescape"))
        if kind == "f":
            newest = max(newest, add(entry.path))
            continue
        briefs[entry.name], stats[entry.name] = _brief_stat(entry.path)
    return Snapshot(digest.hexdigest(), newest, briefs, stats)


def _brief_stat(folder: str) -> tuple[int, str]:
    """When a brief's files last changed, and a digest of their stats (this runs for every brief: kept lean)."""
    values: list[object] = []
    changed = 0
    for path in (f"{folder}/{NOTES_FILE}", f"{folder}/{ARTICLE_FILE}"):
        try:
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                values.append(os.path.realpath(path))
                st = os.stat(path)
        except OSError:
            values.append(None)
            continue
        values.append((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode))
        changed = max(changed, st.st_mtime_ns, st.st_ctime_ns)
    return changed, hashlib.blake2b(repr(values).encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()


def tree_identity(out: Path) -> str:
    try:
        top, marker = os.stat(out), os.stat(out / MARKER)
    except OSError:
        return ""
    return f"{top.st_dev}:{top.st_ino}:{marker.st_ino}:{marker.st_mtime_ns}"


def save(
    cache: Path,
    now: Snapshot,
    started_ns: int,
    out: Path,
    summary: dict[str, Any],
    read: dict[str, str],
    shown: list[str],
) -> None:
    """Stamp a successful build that started at started_ns (now: the inputs' stats taken before it read them).

    read: the digest of each brief's files as the build read them; shown: the briefs on the site.
    """
    racy = {
        name: read[name] for name, changed in now.briefs.items() if changed >= started_ns - RACY_NS and name in read
    }
    data = {
        "key": now.key,
        "stats": now.stats,
        "started_ns": started_ns,
        "tree": tree_identity(out),
        "summary": summary,
        "racy": racy,
        "read": read,
        "shown": shown,
    }
    temporary = cache / f".{STAMP_FILE}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(data, separators=(",", ":")), "utf-8")
    os.replace(temporary, cache / STAMP_FILE)


@dataclass(frozen=True)
class Stamped:
    """The last build's stamp, against the inputs as they are now."""

    summary: dict[str, Any]  # what that build printed: counts and problems
    changed: tuple[str, ...]  # brief folders whose files changed since (nothing else did)
    now: Snapshot  # the inputs' stats, taken just now
    read: dict[str, str]  # brief folder → digest of its files as that build read them
    shown: tuple[str, ...]  # the brief folders on the site


def changes(project: Path, out: Path, options: list[Any]) -> Stamped | None:
    """What changed since the stamped build when only briefs' own files did; None when anything else did."""
    try:
        data = json.loads((project / CACHE_DIR / STAMP_FILE).read_text("utf-8"))
        key, started, tree, summary = data["key"], int(data["started_ns"]), data["tree"], data["summary"]
        stats = {str(name): str(value) for name, value in dict(data["stats"]).items()}
        racy = {str(name): str(value) for name, value in dict(data["racy"]).items()}
        read = {str(name): str(value) for name, value in dict(data["read"]).items()}
        shown = tuple(str(name) for name in data["shown"])
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not tree or tree != tree_identity(out) or not isinstance(summary, dict):
        return None
    now = snapshot(project, out, options)
    if now.key != key or now.newest >= started - RACY_NS:
        return None

    def racy_and_changed(name: str) -> bool:
        if now.briefs[name] < started - RACY_NS:
            return False
        return name not in racy or content_digest(os.path.join(project, CONTENT_DIR, name)) != racy[name]

    changed = tuple(name for name in now.briefs if now.stats[name] != stats.get(name) or racy_and_changed(name))
    return Stamped(summary, changed, now, read, shown)


def unchanged(project: Path, out: Path, options: list[Any]) -> dict[str, Any] | None:
    """The stamped build's summary when nothing it depended on changed since; else None."""
    found = changes(project, out, options)
    return found.summary if found is not None and not found.changed else None


def problem_from(data: dict[str, Any]) -> Problem:
    """A Problem saved with Problem.as_dict()."""
    where = Location(str(data["path"]), int(data["line"]), int(data["column"]))
    return Problem(where, str(data["message"]), str(data["hint"]), Severity(data["severity"]), str(data["field"]))
