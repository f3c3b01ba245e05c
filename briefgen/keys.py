"""Keys of content: hashes of bytes, and the stat signature of a brief's files (for the build cache)."""

from __future__ import annotations

import hashlib
import os

from .names import ARTICLE_FILE, NOTES_FILE

Signature = tuple[int, ...]


def digest(*parts: bytes | str) -> str:
    """A hash of the parts (each length-prefixed, so that no two lists of parts give the same bytes)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def content_key(content: bytes | list[bytes]) -> str:
    """digest() of a file's bytes, given whole or as parts in order (without joining them)."""
    if isinstance(content, bytes):
        return digest(content)
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(sum(len(part) for part in content).to_bytes(8, "little"))
    for part in content:
        hasher.update(part)
    return hasher.hexdigest()


def signature(folder: str) -> Signature:
    """Size, mtime, ctime and inode of the brief's two files (-1s for a missing one)."""
    values: list[int] = []
    for name in (NOTES_FILE, ARTICLE_FILE):
        try:
            st = os.stat(f"{folder}/{name}")
        except OSError:
            values += (-1, -1, -1, -1)
            continue
        values += (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    return tuple(values)


def content_digest(folder: str) -> str:
    """Hash of the bytes of the brief's two files."""
    parts: list[bytes | str] = []
    for name in (NOTES_FILE, ARTICLE_FILE):
        try:
            with open(f"{folder}/{name}", "rb") as handle:
                parts.append(handle.read())
        except OSError as exc:
            parts.append(f"unreadable: {exc.errno}")
    return digest(*parts)
