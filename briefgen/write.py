"""Stage 4, write: files into a fresh folder beside the output, then one swap into place.

A failed or killed build leaves the previous output exactly as it was, and nothing outside the
output folder (and its temporary siblings) is ever written or deleted.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import itertools
import mmap
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .names import MARKER
from .problems import Location, Problem, error

_RENAME_EXCHANGE = 2


def output_problems(project: Path, out: Path) -> list[Problem]:
    """Refuse output folders whose replacement would destroy the user's work."""
    project, target = project.resolve(), out.resolve()
    here = Location(str(out), 1, 1)
    protected = {
        project: "the project folder",
        project / "content": "content/",
        project / "templates": "templates/",
        project / "seeds": "seeds/",
    }
    for folder, name in protected.items():
        if target == folder:
            return [
                error(
                    here, f"the output folder cannot be {name}", "build into site/ (the default) or another new folder"
                )
            ]
        if folder != project and target.is_relative_to(folder):
            return [
                error(
                    here,
                    f"the output folder cannot be inside {name}",
                    "build into site/ (the default) or another new folder",
                )
            ]
    if project.is_relative_to(target):
        return [
            error(
                here,
                "the output folder cannot contain the project",
                "build into site/ (the default) or another new folder",
            )
        ]
    if target.exists() and not target.is_dir():
        return [error(here, "the output path is a file, not a folder", "choose a folder name")]
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        return [
            error(
                here,
                f"'{out}' is not empty and was not made by briefgen; it would be replaced",
                "choose a new folder, or empty it first",
            )
        ]
    return []


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE) where the OS has it."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name or not hasattr(os, "fspath"):
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def stage_folder(out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))


Content = bytes | list[bytes]  # a file's bytes, or its parts in order (a big file is never joined in memory)


def write_new(folder: Path, files: Iterable[tuple[str, Content]]) -> int:
    """Write (relative path, content) pairs under folder as new files, never through an existing one (it may
    be a hard link into the live site); return how many were written."""
    count = 0
    made: set[str] = set()
    for relative, data in files:
        target = os.path.join(folder, relative)
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        with open(target, "xb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
        count += 1
    return count


@contextmanager
def _mapped(path: Path) -> Iterator[tuple[int, mmap.mmap] | None]:
    """The file open and mapped for reading (its descriptor and its map; it may be large), or None if empty."""
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            yield None
            return
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            yield handle.fileno(), data


def file_contains(path: Path, data: bytes) -> bool:
    """True when the file holds data."""
    with _mapped(path) as mapped:
        return mapped is not None and mapped[1].find(data) >= 0


def splice_file(source: Path, target: Path, replacements: list[tuple[bytes, bytes]]) -> bool:
    """Write source to target (a new file) with each old part replaced by its new one; False, writing
    nothing, unless every old part occurs exactly once. The unchanged spans are copied by the kernel."""
    with _mapped(source) as mapped:
        if mapped is None:
            return False
        fd, data = mapped
        spans = _spans(data, replacements)
        if spans is None:
            return False
        out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            done = 0
            for start, end, new in [*spans, (len(data), len(data), b"")]:
                _copy_range(fd, out, done, start - done, data)
                _write_all(out, new)
                done = end
        finally:
            os.close(out)
    return True


def _spans(data: mmap.mmap, replacements: list[tuple[bytes, bytes]]) -> list[tuple[int, int, bytes]] | None:
    """Where each old part stands in data (start, end, its new part), in order; None unless each occurs
    exactly once and no two overlap."""
    spans = []
    for old, new in replacements:
        at = data.find(old)
        if not old or at < 0 or data.find(old, at + 1) >= 0:
            return None
        spans.append((at, at + len(old), new))
    spans.sort()
    return None if any(a[1] > b[0] for a, b in itertools.pairwise(spans)) else spans


def _copy_range(source: int, target: int, offset: int, count: int, data: mmap.mmap) -> None:
    """Append count bytes of source from offset to target: in the kernel where it can, else through memory."""
    while count > 0:
        try:
            copied = os.copy_file_range(source, target, count, offset)
        except OSError:
            copied = 0
        if copied <= 0:
            _write_all(target, data[offset : offset + count])
            return
        offset, count = offset + copied, count - copied


def _write_all(target: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(target, view) :]


def write_files(folder: Path, files: Iterable[tuple[str, Content]]) -> int:
    """write_new(), then mark folder as an output tree made by briefgen."""
    count = write_new(folder, files)
    (folder / MARKER).write_bytes(b"")
    return count


def swap_into_place(staged: Path, out: Path) -> None:
    """Make staged the output folder; the old output is removed only after the new one is in place."""
    os.chmod(staged, 0o755)  # noqa: S103 - mkdtemp makes 0700; a published site must be readable by the web server
    if out.exists() and _exchange(staged, out):
        shutil.rmtree(staged)
        return
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, old / out.name)
        os.rename(staged, out)
        shutil.rmtree(old)
    else:
        os.rename(staged, out)


def write_site(out: Path, files: Iterable[tuple[str, bytes]], before_swap: Callable[[Path], None] | None = None) -> int:
    """Write every file into a staging folder, run before_swap on it, swap it in; on any failure the old output stays."""
    staged = stage_folder(out)
    try:
        count = write_files(staged, files)
        if before_swap is not None:
            before_swap(staged)
        swap_into_place(staged, out)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return count


def remove_stale_staging(out: Path) -> None:
    """Clear staging folders a killed build left behind (they are ours: named .<out>.new-*/.old-*)."""
    if not out.parent.is_dir():
        return
    for entry in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(entry, ignore_errors=True)
    for entry in out.parent.glob(f".{out.name}.old-*"):
        shutil.rmtree(entry, ignore_errors=True)
