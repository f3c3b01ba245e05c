"""Output trees for incremental builds: the live site, a spare generation, and what each one holds.

A build never changes the live output folder. It brings a second, complete tree up to date and then
exchanges the two in one atomic rename (renameat2 RENAME_EXCHANGE), so a failed or killed build leaves
the site exactly as it was. The second tree is the previous generation, kept in the cache
(.briefgen-cache/trees/): bringing it up to date means writing only what differs between two
generations — after one edit, that brief's folder and the index — instead of the whole site.

A manifest per tree (found by the tree's device and inode numbers) records the key of the pages in each
brief folder ("units") and the digest of every other file. Entries about to change are marked unknown
("") and saved before the tree is touched, so a killed build can never leave a stale page that a later
build would trust; a tree without a manifest is never trusted at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import write
from .keys import content_key, digest
from .names import MARKER
from .write import stage_folder


@dataclass
class Manifest:
    site: str = ""  # key of the whole generation; equal keys, equal sites
    units: dict[str, str] = field(default_factory=dict)  # brief folder → key of its pages; "" = unknown
    files: dict[str, str] = field(default_factory=dict)  # any other file → digest of its bytes; "" = unknown

    def copy(self) -> Manifest:
        return Manifest(self.site, dict(self.units), dict(self.files))


@dataclass
class Target:
    """The tree a build writes into: a fresh staging folder, or the spare generation brought up to date."""

    folder: Path
    manifest: Manifest
    fresh: bool


def tree_id(folder: Path) -> str | None:
    """Identity of a tree made by briefgen: device and inode of the folder and of its marker file."""
    try:
        top, marker = os.stat(folder), os.stat(folder / MARKER)
    except OSError:
        return None
    return f"{top.st_dev}:{top.st_ino}:{marker.st_ino}"


def remove_tree(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def link_copy(source: Path, target: Path, skip: str = "") -> None:
    """Copy a folder as hard links: no file data is copied (skip: a top-level file to leave out)."""
    for folder, _, names in os.walk(source):
        relative = os.path.relpath(folder, source)
        into = target if relative == "." else target / relative
        into.mkdir(parents=True, exist_ok=True)
        for name in names:
            if name != skip or relative != ".":
                os.link(os.path.join(folder, name), into / name)


def clone(source: Path, target: Path) -> None:
    """Copy a tree as hard links; the marker is a new file, so the copy is a new tree."""
    link_copy(source, target, skip=MARKER)
    (target / MARKER).write_bytes(b"")


REPLACE_RATIO = 40  # linking a brief folder costs ~50 times renaming one away (measured: 2.9 and 0.06 ms)


class LiveChanged(RuntimeError):
    """The live site was exchanged while the spare generation was being linked from it."""


class Trees:
    """The live output folder, its spare generation and their manifests (saved in the cache)."""

    def __init__(self, out: Path, cache: Path | None) -> None:
        self.out = out
        self.cache = cache
        self.spare: Path | None = None
        self.manifests: dict[str, Manifest] = {}
        if cache is None:
            return
        self.spare = cache / "trees" / hashlib.sha256(str(out).encode()).hexdigest()[:16] / "spare"
        try:
            if os.stat(cache).st_dev != os.stat(out.parent).st_dev:  # an exchange needs one filesystem
                self.spare = None
        except OSError:
            self.spare = None

    def _files(self, ident: str) -> list[tuple[int, Path]]:
        """The saved versions of a tree's manifest, newest first.

        Each save is a new file (manifest-ID.N.json) and the older ones are then deleted: renaming over
        an existing file makes ext4 flush it to disk, which would cost more than the whole rebuild.
        """
        assert self.cache is not None
        stem = f"manifest-{ident.replace(':', '-')}."
        found = []
        for path in (self.cache / "trees").glob(f"{stem}*.json"):
            number = path.name[len(stem) : -len(".json")]
            if number.isdigit():
                found.append((int(number), path))
        return sorted(found, reverse=True)

    def manifest(self, folder: Path) -> Manifest | None:
        """What the tree at folder holds, or None when it is not a tree briefgen knows."""
        ident = tree_id(folder)
        if ident is None or self.cache is None:
            return None
        if ident not in self.manifests:
            saved = self._files(ident)
            if not saved:
                return None
            try:  # only the newest counts: a damaged one means an unknown tree
                data = json.loads(saved[0][1].read_text("utf-8"))
                self.manifests[ident] = Manifest(str(data["site"]), dict(data["units"]), dict(data["files"]))
            except (OSError, ValueError, TypeError, KeyError, AttributeError):
                return None
        return self.manifests[ident]

    def live(self) -> Manifest | None:
        return self.manifest(self.out)

    def _prune(self) -> None:
        """Forget trees that are neither the live site nor the spare."""
        if self.cache is None:
            return
        keep = {tree_id(self.out), tree_id(self.spare) if self.spare else None}
        for path in (self.cache / "trees").glob("manifest-*.json"):
            if path.name[len("manifest-") :].split(".", 1)[0].replace("-", ":") not in keep:
                path.unlink()
        self.manifests = {k: v for k, v in self.manifests.items() if k in keep}

    def _record(self, folder: Path, manifest: Manifest | None) -> None:
        """Save (or, given None, forget) the manifest of the tree at folder."""
        ident = tree_id(folder)
        if ident is None or self.cache is None:
            return
        (self.cache / "trees").mkdir(parents=True, exist_ok=True)
        saved = self._files(ident)
        if manifest is None:
            self.manifests.pop(ident, None)
        else:
            self.manifests[ident] = manifest.copy()
            data: dict[str, Any] = {"site": manifest.site, "units": manifest.units, "files": manifest.files}
            number = saved[0][0] + 1 if saved else 1
            stem = f"manifest-{ident.replace(':', '-')}.{number}"
            temporary = self.cache / "trees" / f".{stem}.tmp"
            temporary.write_text(json.dumps(data, separators=(",", ":")), "utf-8")
            os.rename(temporary, self.cache / "trees" / f"{stem}.json")  # a new name: no flush to disk
        for _, path in saved:
            path.unlink()

    def target(self) -> Target:
        """A tree to build the next generation in: the spare (made from the live site if need be), else a fresh one."""
        if self.spare is not None:
            known = self.manifest(self.spare)
            if known is not None:
                return Target(self.spare, known.copy(), fresh=False)
            if os.path.lexists(self.spare):
                remove_tree(self.spare)
            live = self.live()
            if live is not None:
                self.spare.parent.mkdir(parents=True, exist_ok=True)
                clone(self.out, self.spare)
                self._record(self.spare, live)
                return Target(self.spare, live.copy(), fresh=False)
        return Target(stage_folder(self.out), Manifest(), fresh=True)

    def begin(self, target: Target, changing: Iterable[str], removing: Iterable[str]) -> None:
        """Mark the brief folders about to be rewritten or removed as unknown (saved first), then delete them:
        a brief is rewritten into an empty folder (files are never written through: they may be linked)."""
        if target.fresh:
            return
        changing, removing = list(changing), list(removing)
        for unit in [*changing, *removing]:
            target.manifest.units[unit] = ""
            prefix = unit + "/"
            for path in [p for p in target.manifest.files if p.startswith(prefix)]:
                target.manifest.files[path] = ""
        self._record(target.folder, target.manifest)
        for unit in [*changing, *removing]:
            remove_tree(target.folder / unit)
        for unit in removing:
            del target.manifest.units[unit]

    def adopt(self, target: Target, wanted: dict[str, str]) -> set[str]:
        """Bring brief folders of the target up to date from the live site where it holds the wanted key.

        They are hard-linked, not rendered: after a change that touched every brief (a template, the
        config), the spare generation catches up with the live site at the cost of a link per file.
        """
        live = self.live()
        if live is None:
            return set()
        units = {unit for unit, key in wanted.items() if key and live.units.get(unit) == key}
        if not units:
            return units
        self.begin(target, units, [])
        for unit in sorted(units):
            link_copy(self.out / unit, target.folder / unit)
            target.manifest.units[unit] = wanted[unit]
        self._record(target.folder, target.manifest)
        return units

    def relink(
        self,
        discard: Callable[[Path], None] = remove_tree,
        linked: Callable[[str], None] | None = None,
        batch: int = 256,
        replace: bool | None = None,
    ) -> int:
        """Make the spare generation what the live site is, by hard links; returns how many brief folders it linked.

        What the spare holds in vain is handed to discard (which may rename it out of the way, to be
        deleted later), or the whole spare when it is unknown or almost nothing in it is still current
        (replace=None decides; True or False forces). Every entry about to go is marked unknown first, and
        linked brief folders are recorded a batch at a time, so a killed run leaves a manifest that claims
        only what is there. linked(unit) is called after each brief folder. The live site is only read;
        if it is exchanged meanwhile (a build without the cache takes no lock), LiveChanged is raised.
        """
        live, ident = self.live(), tree_id(self.out)
        if self.spare is None or live is None:
            return 0
        known = self.manifest(self.spare)
        stale = {u for u, key in known.units.items() if not key or live.units.get(u) != key} if known else set()
        current = len(known.units) - len(stale) if known else 0
        if known is None or (replace if replace is not None else current * REPLACE_RATIO < len(stale)):
            if os.path.lexists(self.spare):
                discard(self.spare)
            self.spare.mkdir(parents=True)
            (self.spare / MARKER).write_bytes(b"")
            known, stale = Manifest(), set()
            self._record(self.spare, known)
            self._prune()
        manifest = known.copy()
        gone = [
            p
            for p, value in manifest.files.items()
            if not value or live.files.get(p) != value or p.split("/", 1)[0] in stale
        ]
        if stale or gone:
            for unit in stale:
                manifest.units[unit] = ""
            for path in gone:
                manifest.files[path] = ""
            self._record(self.spare, manifest)
        for path in gone:
            if os.path.lexists(self.spare / path) and path.split("/", 1)[0] not in stale:
                os.unlink(self.spare / path)
            del manifest.files[path]
        for unit in stale:
            del manifest.units[unit]
        keep = {*manifest.units, *(p.split("/", 1)[0] for p in manifest.files), MARKER}
        for name in sorted(os.listdir(self.spare)):
            if name not in keep:
                discard(self.spare / name)
        if stale or gone:
            self._record(self.spare, manifest)

        missing = sorted(u for u, key in live.units.items() if key and u not in manifest.units)
        for start in range(0, len(missing), batch):
            for unit in missing[start : start + batch]:
                link_copy(self.out / unit, self.spare / unit)
                if linked is not None:
                    linked(unit)
            if tree_id(self.out) != ident:
                raise LiveChanged(self.out)
            manifest.units.update((u, live.units[u]) for u in missing[start : start + batch])
            self._record(self.spare, manifest)
        for path, value in live.files.items():
            if value and path not in manifest.files:
                if os.path.lexists(self.spare / path):
                    os.unlink(self.spare / path)  # linked by a run that was killed before it recorded it
                (self.spare / path).parent.mkdir(parents=True, exist_ok=True)
                os.link(self.out / path, self.spare / path)
                manifest.files[path] = value
        if tree_id(self.out) != ident:
            raise LiveChanged(self.out)
        manifest.site = live.site
        self._record(self.spare, manifest)
        return len(missing)

    def finish(
        self,
        target: Target,
        site: str,
        units: dict[str, str],
        files: dict[str, write.Content],
        before_swap: Callable[[Path], None] | None = None,
    ) -> int:
        """Write the files that differ, record the manifest, run before_swap on the tree and swap it in.

        Returns how many files were written. Anything else at the tree's top (what a search indexer wrote
        into an earlier generation) is deleted first: nothing the manifest does not know survives.
        """
        manifest = target.manifest
        if not target.fresh:
            known = {*units, *(path.split("/", 1)[0] for path in files), MARKER}
            for name in os.listdir(target.folder):
                if name not in known:
                    remove_tree(target.folder / name)
        digests = {path: content_key(data) for path, data in files.items()}
        stale = [p for p in manifest.files if p not in digests]
        changed = {p: data for p, data in files.items() if manifest.files.get(p) != digests[p]}
        if not target.fresh:
            for path in [*stale, *changed]:
                manifest.files[path] = ""
            self._record(target.folder, manifest)
            for path in [*stale, *changed]:
                if os.path.lexists(target.folder / path):
                    os.unlink(target.folder / path)  # never write into a file: it may be linked to the live site
            for path in stale:
                del manifest.files[path]
        count = write.write_files(target.folder, changed.items())
        manifest.files.update(digests)
        self.complete(target, site, units, before_swap)
        return count

    def complete(
        self, target: Target, site: str, units: dict[str, str], before_swap: Callable[[Path], None] | None = None
    ) -> None:
        """Record what the target now holds, run before_swap on it and swap it in."""
        target.manifest.units = dict(units)
        target.manifest.site = site
        self._record(target.folder, target.manifest)
        if before_swap is not None:
            before_swap(target.folder)
        self._swap(target)

    def splice(self, target: Target, replacements: dict[str, list[tuple[bytes, bytes]]]) -> bool:
        """Write the live site's files into the target with, in each, every old part replaced by its new one.

        Each old part must occur exactly once in its file; if one does not, the target's file is left
        missing and unknown (a later build writes it) and False is returned.
        """
        live = self.live()
        keys = {path: live.files.get(path, "") if live else "" for path in replacements}
        if target.fresh or not all(keys.values()):
            return False
        for path in replacements:
            target.manifest.files[path] = ""
        self._record(target.folder, target.manifest)
        for path, pairs in replacements.items():
            if os.path.lexists(target.folder / path):
                os.unlink(target.folder / path)  # never write into a file: it may be linked to the live site
            if not write.splice_file(self.out / path, target.folder / path, pairs):
                return False
            target.manifest.files[path] = digest("spliced", keys[path], *[part for pair in pairs for part in pair])
        return True

    def abandon(self, target: Target) -> None:
        """After a failure: a fresh tree is deleted; the spare is kept with what its manifest says.

        (Every brief folder and file is marked unknown in the saved manifest before it is touched, so the
        spare's manifest never trusts a file a failed build may have left half-written.)
        """
        if target.fresh:
            shutil.rmtree(target.folder, ignore_errors=True)

    def _swap(self, target: Target) -> None:
        os.chmod(target.folder, 0o755)  # noqa: S103 - a published site must be readable by the web server
        if not self.out.exists():
            os.rename(target.folder, self.out)
            self._prune()
            return
        if not write._exchange(target.folder, self.out):
            old_manifest = self.live()
            write.swap_into_place(target.folder, self.out)  # not atomic on this system; the old site is deleted
            if old_manifest is not None:
                self._prune()
            return
        # target.folder now holds the previous generation
        if target.fresh:
            if self.spare is not None and not os.path.lexists(self.spare) and self.manifest(target.folder):
                self.spare.parent.mkdir(parents=True, exist_ok=True)
                os.rename(target.folder, self.spare)
            else:
                shutil.rmtree(target.folder)
        self._prune()
