"""The small part of CBOR (RFC 8949) that Pagefind's index files use: integers, strings, arrays and maps.

Encoding is the preferred (shortest) form with definite lengths, as Pagefind's encoder writes it, so that
decode → encode gives the input bytes back; pagefind_order.py relies on that and checks it.
"""

from __future__ import annotations

from typing import Any


class CborError(ValueError):
    """Bytes outside the supported subset of CBOR."""


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | extra]) + value.to_bytes(size, "big")
    raise CborError(f"integer too large: {value}")


def encode(value: Any) -> bytes:
    """CBOR bytes of ints, str, bytes, lists, dicts, bools and None."""
    if value is False or value is True or value is None:
        return bytes([0xF4 if value is False else 0xF5 if value is True else 0xF6])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    raise CborError(f"cannot encode {type(value).__name__}")


def decode(data: bytes) -> Any:
    """The one CBOR item that data holds."""
    value, end = _item(data, 0)
    if end != len(data):
        raise CborError(f"{len(data) - end} bytes after the CBOR item")
    return value


def _item(data: bytes, at: int) -> tuple[Any, int]:
    if at >= len(data):
        raise CborError("truncated CBOR")
    major, info = data[at] >> 5, data[at] & 0x1F
    at += 1
    if major == 7:
        simple = {20: False, 21: True, 22: None}
        if info not in simple:
            raise CborError(f"unsupported CBOR simple value {info}")
        return simple[info], at
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        if at + size > len(data):
            raise CborError("truncated CBOR")
        arg = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise CborError("indefinite lengths are not supported")
    if major == 0:
        return arg, at
    if major == 1:
        return -1 - arg, at
    if major in (2, 3):
        chunk = data[at : at + arg]
        if len(chunk) != arg:
            raise CborError("truncated CBOR")
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), at + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, at = _item(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(arg):
            key, at = _item(data, at)
            mapping[key], at = _item(data, at)
        return mapping, at
    raise CborError(f"unsupported CBOR major type {major}")
