"""Static search: Pagefind indexes the staged HTML into <out>/pagefind/ before the swap, so the swap stays atomic.

Pagefind comes from PyPI as `pagefind[bin]` (a dependency of briefgen); a `pagefind` binary on PATH also works.
Without either, the site is built without its search box and the build says so.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import cbor
from .cbor import CborError
from .problems import Location, Problem, warning

BUNDLE = "pagefind"
TIMEOUT_SECONDS = 600


class SearchFailed(Exception):
    """Pagefind ran but could not index the site."""


def pagefind_executable() -> Path | None:
    """The Pagefind binary shipped by the pagefind-bin wheel, else one on PATH, else None."""
    try:
        import pagefind_bin  # type: ignore[import-untyped,import-not-found,unused-ignore]

        found: Path = pagefind_bin.get_executable()
        return found
    except (ImportError, FileNotFoundError):
        pass
    on_path = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(on_path) if on_path else None


def skipped_warning(out: Path) -> Problem:
    return warning(
        Location(str(out)),
        "search was skipped: Pagefind is not installed, so the site has no search box",
        "install it with: pip install 'pagefind[bin]' (briefgen depends on it; a pagefind binary on PATH works too)",
    )


def index_step(executable: Path | None) -> Callable[[Path], None] | None:
    """What indexes a staged tree before it is swapped in: index_site with this Pagefind, or nothing."""
    return functools.partial(index_site, executable=executable) if executable else None


def index_site(folder: Path, executable: Path) -> None:
    """Run Pagefind over the built site in folder; its bundle goes to folder/pagefind/."""
    try:
        result = subprocess.run(
            [str(executable), "--site", str(folder), "--output-subdir", BUNDLE, "--quiet"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchFailed(f"could not run {executable}: {exc}") from exc
    if result.returncode != 0 or not (folder / BUNDLE / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise SearchFailed(f"pagefind exited {result.returncode}: " + " / ".join(detail))
    canonicalise_bundle(folder / BUNDLE)


# Pagefind 1.5 keeps filters in a hash map with a random seed, so the order of filters and of their values in
# filter/*.pf_filter, and the file names and the pf_meta that list them, change from run to run (its own
# source says "TODO: Change filter indexes to BTree to give them a stable hash"). canonicalise_bundle() rewrites
# those files with filters and values sorted by name, named the way Pagefind names them, so the bundle is the
# same bytes on every build. Everything else Pagefind writes is already stable for the same input folder.

MAGIC = b"pagefind_dcd"
_GZIP_HEADER = bytes.fromhex("1f8b08000000000000ff")  # deflate, no name, mtime 0, OS unknown: as Pagefind writes


def _full_hash(data: bytes) -> str:
    """Pagefind's content hash: the SHA-1 digest, each byte as unpadded hex."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())  # noqa: S324 - a file name, not security


def _unpack(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MAGIC):
        raise CborError(f"{path.name} is not a Pagefind index file")
    body = data[len(MAGIC) :]
    value = cbor.decode(body)
    if cbor.encode(value) != body:
        raise CborError(f"{path.name} does not round-trip")
    return value


def _pack(value: Any) -> tuple[bytes, bytes]:
    """(CBOR body, gzip file bytes) of an index value; the gzip header carries no time."""
    body = cbor.encode(value)
    payload = MAGIC + body
    deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    stream = deflate.compress(payload) + deflate.flush()
    trailer = struct.pack("<II", zlib.crc32(payload), len(payload) & 0xFFFFFFFF)
    return body, _GZIP_HEADER + stream + trailer


def _short_name(full: str, length: int, taken: set[str]) -> str:
    name = full[:length]
    while name in taken and len(name) < len(full):
        name = full[: len(name) + 1]
    taken.add(name)
    return name


def canonicalise_bundle(bundle: Path) -> None:
    """Rewrite the bundle's filter indexes and metadata in sorted order; leave it alone if its format is unknown."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text("utf-8"))
        plans = []
        for language, info in sorted(entry["languages"].items()):
            meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
            meta = _unpack(meta_path)
            filters = meta[3]
            if not all(isinstance(f, list) and len(f) == 2 and all(isinstance(p, str) for p in f) for f in filters):
                return
            indexes = []
            for name, short in filters:
                path = bundle / "filter" / f"{short}.pf_filter"
                index = _unpack(path)
                if index[0] != name or not isinstance(index[1], list):
                    return
                indexes.append((path, index))
            plans.append((language, info, meta_path, meta, indexes))
    except (OSError, KeyError, IndexError, TypeError, ValueError, EOFError, gzip.BadGzipFile):
        return
    for language, info, meta_path, meta, indexes in plans:
        taken: set[str] = set()
        listed = []
        for path, (name, values) in sorted(indexes, key=lambda pair: str(pair[1][0])):
            body, packed = _pack([name, sorted(values, key=lambda v: str(v[0]))])
            short = _short_name(f"{language}_{_full_hash(body)}", len(language) + 8, taken)
            path.unlink()
            (bundle / "filter" / f"{short}.pf_filter").write_bytes(packed)
            listed.append([name, short])
        meta[3] = listed
        body, packed = _pack(meta)
        info["hash"] = f"{language}_{_full_hash(body)[:10]}"
        meta_path.unlink()
        (bundle / f"pagefind.{info['hash']}.pf_meta").write_bytes(packed)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
