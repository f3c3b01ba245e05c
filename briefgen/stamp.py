"""The stamp of a build: when none of its inputs changed since, a rebuild has nothing to do.

`briefgen build` checks the stamp before anything else: one listing of content/ and a stat of every
brief's two files, of briefgen.toml, the templates and briefgen's own code. Same stats, same options and
the same output folder: the site is already what a build would make, and the stamp holds the summary
(and the warnings) to print. Any difference, or any file changed within two seconds before the build
that wrote the stamp (or after it started), and the normal (incremental) build runs.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .problems import Location, Problem, Severity
from .write import MARKER

CACHE_DIR = ".briefgen-cache"  # the build cache (cache.py); this module is imported before the pipeline is
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


def snapshot(project: Path, out: Path, options: list[Any]) -> tuple[str, int]:
    """A digest of every input's stat and of the options, and the newest modification time seen."""
    digest = hashlib.blake2b(repr(options).encode(), digest_size=16)
    newest = 0

    def add(path: str) -> None:
        nonlocal newest
        try:
            st = os.stat(path)
        except OSError:
            digest.update(f"{path}:-\n".encode("utf-8", "surrogateescape"))
            return
        newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
        digest.update(
            f"{path}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_mode}\n".encode(
                "utf-8", "surrogateescape"
            )
        )

    project_dir = os.fspath(project)
    add(os.path.join(project_dir, "briefgen.toml"))
    for folder in [project / "templates", BUILTIN_TEMPLATES]:
        for path in _files_under(folder):
            add(path)
    for path in sorted(os.listdir(CODE)):
        if path.endswith(".py"):
            add(os.path.join(CODE, path))
    content = os.path.join(project_dir, "content")
    try:
        entries = sorted(os.scandir(content), key=lambda e: e.name)
    except OSError:
        entries = []
    for entry in entries:
        kind = "l" if entry.is_symlink() else "d" if entry.is_dir() else "f"
        digest.update(f"{entry.name}/{kind}\n".encode("utf-8", "surrogateescape"))
        if kind == "f":
            add(entry.path)
        else:
            for name in ("notes.yaml", "article.md"):
                inner = f"{entry.path}/{name}"
                add(inner)
                if os.path.islink(inner):
                    digest.update(f"{inner}->{os.path.realpath(inner)}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest(), newest


def tree_identity(out: Path) -> str:
    try:
        top, marker = os.stat(out), os.stat(out / MARKER)
    except OSError:
        return ""
    return f"{top.st_dev}:{top.st_ino}:{marker.st_ino}:{marker.st_mtime_ns}"


def save(cache: Path, key: str, started_ns: int, out: Path, summary: dict[str, Any]) -> None:
    """Stamp a successful build whose inputs were `key` when it started."""
    data = {"key": key, "started_ns": started_ns, "tree": tree_identity(out), "summary": summary}
    temporary = cache / f".{STAMP_FILE}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(data), "utf-8")
    os.replace(temporary, cache / STAMP_FILE)


def unchanged(project: Path, out: Path, options: list[Any]) -> dict[str, Any] | None:
    """The stamped build's summary when nothing it depended on changed since; else None."""
    try:
        data = json.loads((project / CACHE_DIR / STAMP_FILE).read_text("utf-8"))
        key, started, tree, summary = data["key"], int(data["started_ns"]), data["tree"], data["summary"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not tree or tree != tree_identity(out):
        return None
    now, newest = snapshot(project, out, options)
    if now != key or newest >= started - RACY_NS:
        return None
    return summary if isinstance(summary, dict) else None


def problem_from(data: dict[str, Any]) -> Problem:
    """A Problem saved with Problem.as_dict()."""
    where = Location(str(data["path"]), int(data["line"]), int(data["column"]))
    return Problem(where, str(data["message"]), str(data["hint"]), Severity(data["severity"]), str(data["field"]))
