"""The build cache in PROJECT/.briefgen-cache/ (git-ignored, safe to delete): what each brief gave last time.

What a brief produces (its problems, its files, its entry on the index page, its fragments of the site-level
files) depends only on its own two files and on the site's inputs (briefgen.toml, templates, methodology,
briefgen's own code, the build's options). A brief's *key* hashes both: an unchanged key means an unchanged
outcome, so the brief is neither loaded nor rendered again. Each record also keeps the stat signature of the
brief's files, so that an unchanged brief is not even read. Records are JSON (never pickle: a cache folder
may come with a project from anywhere), in shards, so one edit rewrites one small shard.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2

from .keys import Signature, content_digest, digest, signature
from .model import SiteConfig
from .names import CACHE_DIR
from .parallel import Outcome
from .problems import Location, Problem, Severity
from .publish import Fragments
from .render import template_dirs

FORMAT = 1
SHARDS = 64
RACY_NS = 2_000_000_000  # trust a stat signature only for files older than this when they were last read
CODE = Path(__file__).resolve().parent


def inputs_key(project: Path, config: SiteConfig, options: Sequence[object]) -> str:
    """Hash of everything besides a brief's own files that its outcome depends on."""
    from . import __version__  # the package is initialised by the time a build runs

    parts: list[bytes | str] = [__version__, repr(config), repr(list(options))]
    for path in sorted(CODE.glob("*.py")):
        parts += [path.name, path.read_bytes()]
    for base in template_dirs(project):
        for path in sorted(base.rglob("*")):
            if path.is_file():
                parts += [str(base), path.relative_to(base).as_posix(), path.read_bytes()]
    methodology = project / "content" / "methodology.md"
    parts.append(methodology.read_bytes() if methodology.is_file() else b"-")
    return digest(*parts)


@dataclass(frozen=True)
class Record:
    """A brief's cached outcome, with what its files were when it was made."""

    signature: Signature
    recorded_ns: int  # when the signature was taken; files changed around then are read again
    digest: str  # of the brief's files
    key: str  # digest + the site's inputs: equal keys, equal outcomes
    outcome: Outcome

    def trusted(self, sig: Signature) -> bool:
        """True when the files are those the record was made from (same stat, and not changed around then)."""
        if self.signature != sig:
            return False
        changed = max(sig[i] for i in (1, 2, 5, 6))
        return changed < self.recorded_ns - RACY_NS


# ---------------------------------------------------------------- records as JSON


def _problem_to(problem: Problem) -> list[Any]:
    where = problem.location
    return [where.path, where.line, where.column, problem.message, problem.hint, problem.severity.value, problem.field]


def _problem_from(row: list[Any]) -> Problem:
    path, line, column, message, hint, severity, field = row
    return Problem(Location(str(path), int(line), int(column)), str(message), str(hint), Severity(severity), str(field))


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _record_to(record: Record) -> list[Any]:
    o = record.outcome
    f = o.fragments
    texts = [part.decode("utf-8") for part in (f.sitemap, f.feed, f.claimreview)] if f else []
    fragments = [_date(f.published), _date(f.last_changed), *texts] if f else None
    return [
        list(record.signature),
        record.recorded_ns,
        record.digest,
        record.key,
        [_problem_to(p) for p in o.loaded],
        [_problem_to(p) for p in o.checked],
        o.draft,
        _date(o.published),
        o.on_site,
        o.item,
        fragments,
        o.pages,
        o.files,
    ]


def _record_from(slug: str, row: list[Any]) -> Record:
    sig, recorded, digest_, key, loaded, checked, draft, published, on_site, item, fragments, pages, files = row
    made = None
    if fragments is not None:
        day, changed, sitemap, feed, claimreview = fragments
        day_, changed_ = dt.date.fromisoformat(day), dt.date.fromisoformat(changed)
        parts = [str(text).encode("utf-8") for text in (sitemap, feed, claimreview)]
        made = Fragments(slug, day_, changed_, *parts)
    outcome = Outcome(
        slug,
        tuple(_problem_from(p) for p in loaded),
        tuple(_problem_from(p) for p in checked),
        bool(draft),
        dt.date.fromisoformat(published) if published else None,
        bool(on_site),
        str(item),
        made,
        int(pages),
        int(files),
        digest=str(digest_),
    )
    return Record(tuple(int(v) for v in sig), int(recorded), str(digest_), str(key), outcome)


def _shard(slug: str) -> int:
    return zlib.crc32(slug.encode("utf-8")) % SHARDS


def load_records(
    cache: Path, slugs: Iterable[str] | None = None, inputs: str | None = None
) -> tuple[dict[str, Record], set[str]]:
    """The cached records by slug, and the slugs of every record found (a missing, old or damaged shard gives
    none). slugs: only the shards that hold them. inputs: leave out records made with other site inputs
    (they cannot be reused: after a template change not one is, and they would double the memory a build needs)."""
    records: dict[str, Record] = {}
    found: set[str] = set()
    for shard in range(SHARDS) if slugs is None else sorted({_shard(slug) for slug in slugs}):
        try:
            data = json.loads((cache / f"briefs.{shard}.json").read_text("utf-8"))
            if data.get("format") != FORMAT:
                continue
            for slug, row in data["briefs"].items():
                if _shard(slug) != shard:
                    continue
                found.add(slug)
                if inputs is None or row[3] == digest(inputs, row[2]):
                    records[slug] = _record_from(slug, row)
        except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError):
            continue
    return records, found


def save_records(cache: Path, records: dict[str, Record], changed: set[str]) -> None:
    """Write the shards that hold a changed (or removed) slug."""
    for shard in sorted({_shard(slug) for slug in changed}):
        kept = {slug: _record_to(records[slug]) for slug in sorted(records) if _shard(slug) == shard}
        text = json.dumps({"format": FORMAT, "briefs": kept}, ensure_ascii=False, separators=(",", ":"))
        write_atomically(cache / f"briefs.{shard}.json", text)


def write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)


@contextmanager
def open_cache(project: Path, enabled: bool) -> Iterator[Path | None]:
    """The project's cache folder, locked against a concurrent build (None when caching is off)."""
    if not enabled:
        yield None
        return
    cache = project / CACHE_DIR
    cache.mkdir(exist_ok=True)
    ignore = cache / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# briefgen's build cache: safe to delete, never to commit\n*\n", "utf-8")
    with open(cache / "lock", "w", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield cache
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def compiled_templates(cache: Path | None) -> Path | None:
    """The cache's folder of compiled templates (jinja2's bytecode cache), made if need be."""
    if cache is None:
        return None
    # compiled code depends on jinja2 and on briefgen's code generator (render.py), not only on the source
    generator = digest(jinja2.__version__, (CODE / "render.py").read_bytes())
    folder = cache / "templates" / generator[:16]
    folder.mkdir(parents=True, exist_ok=True)
    for other in folder.parent.iterdir():  # made by another version: never read again
        if other != folder:
            shutil.rmtree(other) if other.is_dir() and not other.is_symlink() else other.unlink()
    return folder


@dataclass(frozen=True)
class Split:
    """The briefs whose cached outcome still holds, and the folders to process."""

    reused: dict[str, Record]
    todo: list[str]
    signatures: dict[str, tuple[Signature, int]]  # of the folders to process, taken before they are read
    touched: set[str]  # reused briefs whose record got a new signature (touched, same bytes)


def split(records: dict[str, Record], folders: Sequence[Path], inputs: str) -> Split:
    """Which briefs can keep their outcome: same files (by stat, else by bytes) and the same site inputs."""
    recorded = time.time_ns()
    reused: dict[str, Record] = {}
    todo: list[str] = []
    signatures: dict[str, tuple[Signature, int]] = {}
    touched: set[str] = set()
    for folder in folders:
        path = os.fspath(folder)
        slug = os.path.basename(path)
        sig = signature(path)
        old = records.get(slug)
        if old is not None and old.key == digest(inputs, old.digest):
            if old.trusted(sig):
                reused[slug] = old
                continue
            if old.digest == content_digest(path):
                reused[slug] = replace(old, signature=sig, recorded_ns=recorded)
                touched.add(slug)
                continue
        todo.append(path)
        signatures[slug] = (sig, recorded)
    return Split(reused, todo, signatures, touched)
