"""Reading the user's text files: strict UTF-8, one newline convention, located YAML."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .problems import Location

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NESTING = 100  # notes need 4 levels; far deeper input would crash the C parser's recursion
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_MERGE_TAG = "tag:yaml.org,2002:merge"

try:  # the C parser is several times faster; fall back when libyaml is absent
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class SourceError(Exception):
    """A file that cannot be read as text or YAML at all; carries its location and a hint."""

    def __init__(self, location: Location, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.location = location
        self.message = message
        self.hint = hint


def read_text(path: Path, display: str) -> str:
    """Read a user file as UTF-8 text with LF newlines; reject what no editor should produce."""
    here = Location(display, 1, 1)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(here, f"cannot read file: {exc.strerror}") from exc
    if size > MAX_FILE_BYTES:
        raise SourceError(
            here,
            f"file is {size // 1024 // 1024} MB; briefgen reads files up to {MAX_FILE_BYTES // 1024 // 1024} MB",
            "split the content, or check that this is really a notes or article file",
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(
            Location(display, line, column),
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file as UTF-8 in your editor (e.g. 'Save with encoding' → UTF-8)",
        ) from exc
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL.search(text)
    if control:
        at = control.start()
        char = control.group()
        raise SourceError(
            _position(display, text, at),
            "file contains a NUL byte" if char == "\0" else f"file contains the control character U+{ord(char):04X}",
            "the file may be binary or corrupted; re-save it as plain UTF-8 text",
        )
    return text


def _position(display: str, text: str, index: int, line_offset: int = 0) -> Location:
    """The 1-based line and column of a character index of text."""
    line = text.count("\n", 0, index) + 1 + line_offset
    return Location(display, line, index - text.rfind("\n", 0, index))


def _check_nesting(text: str, display: str, line_offset: int) -> None:
    """Refuse absurdly deep nesting before the C parser builds it (its recursion would crash the process)."""
    # Every nesting level needs one of these characters; under 1,000 levels cannot crash, so most files skip the scan.
    if sum(text.count(c) for c in "[{-?:") <= 1000:
        return
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                line, column = (event.start_mark.line, event.start_mark.column) if event.start_mark else (0, 0)
                raise SourceError(
                    Location(display, line + 1 + line_offset, column + 1),
                    f"YAML nesting is deeper than {MAX_NESTING} levels",
                    "briefgen files nest a few levels at most; check for runaway brackets or dashes",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


@dataclass(frozen=True)
class InvalidDate:
    """A scalar that looks like a date but is not one (e.g. 2022-13-45)."""

    text: str

    def __str__(self) -> str:
        return self.text


class LocatedDict(dict[Any, Any]):
    """A YAML mapping that remembers where it, each key and each value stand."""

    location: Location
    key_locations: dict[Any, Location]
    value_locations: dict[Any, Location]

    def where(self, key: str) -> Location:
        return self.value_locations.get(key, self.key_locations.get(key, self.location))


class LocatedList(list[Any]):
    """A YAML sequence that remembers where it and each item stand."""

    location: Location
    item_locations: list[Location]


def _loader_for(display: str, line_offset: int) -> type[yaml.SafeLoader]:
    def mark(node: yaml.Node) -> Location:
        return Location(display, node.start_mark.line + 1 + line_offset, node.start_mark.column + 1)

    class Loader(_BaseLoader):  # type: ignore[misc,valid-type]
        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            if node in self.constructed_objects or node in self.recursive_objects:
                raise SourceError(
                    mark(node),
                    "YAML aliases (*name) are not allowed in briefgen files",
                    "write the value out in full instead of referring to an &anchor",
                )
            return super().construct_object(node, deep=deep)

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LocatedDict:
        if not isinstance(node, yaml.MappingNode):  # `!!omap [a: 1]`: an ordered map written as a list
            name = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            raise SourceError(
                mark(node),
                f"YAML tag '{name}' is not supported",
                "remove the '!…' tag; briefgen files use plain YAML values",
            )
        result = LocatedDict()
        result.location = mark(node)
        result.key_locations = {}
        result.value_locations = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                raise SourceError(
                    mark(key_node),
                    "YAML merge keys (<<) are not allowed in briefgen files",
                    "write the keys out in full",
                )
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, bool):  # `true:` as a key is a typo, keep its spelling
                key = key_node.value
            if not isinstance(key, str | int | float | dt.date):
                raise SourceError(
                    mark(key_node), "a key must be plain text", "remove the brackets or braces around the key"
                )
            key = str(key) if not isinstance(key, str) else key
            if key in result:
                first = result.key_locations[key]
                raise SourceError(
                    mark(key_node),
                    f"duplicate key '{key}' (first at line {first.line})",
                    "each key may appear once per block; delete or merge one of them",
                )
            result.key_locations[key] = mark(key_node)
            result.value_locations[key] = mark(value_node)
            result[key] = loader.construct_object(value_node, deep=True)
        return result

    def construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LocatedList:
        result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
        result.location = mark(node)
        result.item_locations = [mark(child) for child in node.value]
        return result

    def construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
        try:
            return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
        except ValueError:
            return InvalidDate(str(node.value))

    def construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
        try:
            return yaml.SafeLoader.construct_yaml_int(loader, node)
        except ValueError:  # more digits than Python converts; no briefgen field is a number anyway
            return str(node.value)

    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    Loader.add_constructor("tag:yaml.org,2002:omap", construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:seq", construct_sequence)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    return Loader


_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ, _TIMESTAMP, _INT = (_TAG + name for name in ("str", "map", "seq", "timestamp", "int"))
_SCALARS: dict[str, Callable[[yaml.constructor.SafeConstructor, yaml.ScalarNode], Any]] = {
    _TAG + "null": yaml.constructor.SafeConstructor.construct_yaml_null,
    _TAG + "bool": yaml.constructor.SafeConstructor.construct_yaml_bool,
    _TAG + "float": yaml.constructor.SafeConstructor.construct_yaml_float,
}
_CONVERTER = yaml.constructor.SafeConstructor()  # only its scalar conversions are used: they keep no state
_FAST_DEPTH = 32  # deeper documents take the full loader (briefgen files nest a few levels)


class _Unusual(Exception):
    """Something _fast_load leaves to the full loader: an alias, a tag, a duplicate or odd key, an error."""


def _fast_load(text: str, display: str, line_offset: int) -> Any:
    """The common case of parse_yaml, several times faster: plain mappings with text keys, lists and scalars,
    built straight from the composed nodes. Whatever else the document holds raises _Unusual, and the full
    loader (_loader_for) then builds the same values or reports the problem with its exact message."""
    loader = _BaseLoader(text)
    try:
        root = loader.get_single_node()
    except (yaml.YAMLError, RecursionError) as exc:
        raise _Unusual from exc
    finally:
        loader.dispose()
    seen: set[int] = set()

    def mark(node: yaml.Node) -> Location:
        start = node.start_mark
        return Location(display, start.line + 1 + line_offset, start.column + 1)

    def build(node: yaml.Node, depth: int) -> Any:
        if id(node) in seen or depth > _FAST_DEPTH:  # an alias (the node met again), or deep nesting
            raise _Unusual
        seen.add(id(node))
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag == _STR:
                return node.value
            if tag == _TIMESTAMP:
                try:
                    return _CONVERTER.construct_yaml_timestamp(node)
                except ValueError:
                    return InvalidDate(str(node.value))
            if tag == _INT:
                try:
                    return _CONVERTER.construct_yaml_int(node)
                except ValueError:  # more digits than Python converts
                    return str(node.value)
            convert = _SCALARS.get(tag)
            if convert is None:
                raise _Unusual
            return convert(_CONVERTER, node)
        if isinstance(node, yaml.MappingNode) and tag == _MAP:
            result = LocatedDict()
            result.location = mark(node)
            keys: dict[Any, Location] = {}
            values: dict[Any, Location] = {}
            for key_node, value_node in node.value:
                key = key_node.value
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR or key in result:
                    raise _Unusual
                seen.add(id(key_node))
                keys[key] = mark(key_node)
                values[key] = mark(value_node)
                result[key] = build(value_node, depth + 1)
            result.key_locations = keys
            result.value_locations = values
            return result
        if isinstance(node, yaml.SequenceNode) and tag == _SEQ:
            items = LocatedList(build(child, depth + 1) for child in node.value)
            items.location = mark(node)
            items.item_locations = [mark(child) for child in node.value]
            return items
        raise _Unusual

    if root is None:
        return None
    try:
        return build(root, 0)
    except (_Unusual, ValueError, TypeError, yaml.YAMLError, RecursionError) as exc:
        raise _Unusual from exc


def parse_yaml(text: str, display: str, line_offset: int = 0) -> Any:
    """Parse YAML text into LocatedDict/LocatedList/scalars; raise SourceError with a location."""
    try:
        _check_nesting(text, display, line_offset)
        try:
            return _fast_load(text, display, line_offset)
        except _Unusual:
            pass
        return yaml.load(text, Loader=_loader_for(display, line_offset))  # noqa: S506 - a SafeLoader subclass
    except SourceError:
        raise
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(display, (mark.line + 1 + line_offset) if mark else 1, (mark.column + 1) if mark else 1)
        tag = re.search(r"for the tag '([^']*)'", exc.problem or "")
        if tag:
            name = tag.group(1).replace("tag:yaml.org,2002:", "!!")
            raise SourceError(
                where,
                f"YAML tag '{name}' is not supported",
                "remove the '!…' tag; briefgen files use plain YAML values",
            ) from exc
        raise SourceError(where, f"YAML error: {exc.problem}", "write the value out in full") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(display, (mark.line + 1 + line_offset) if mark else 1, (mark.column + 1) if mark else 1)
        message = f"YAML syntax error: {exc.problem or exc.context}"
        hint = "check the indentation and that text containing ': ' or '#' is in quotes"
        lines = text.split("\n")
        line = lines[mark.line] if mark and mark.line < len(lines) else ""
        if "nesting depth" in message:  # PyYAML >= 6.0.4 stops runaway nesting in its parser, before our own scan
            message = f"YAML nesting is deeper than {MAX_NESTING} levels"
            hint = "briefgen files nest a few levels at most; check for runaway brackets or dashes"
        elif "tab" in message or (mark and line[: mark.column + 1].endswith("\t")):
            message = "YAML syntax error: a tab character where YAML expects spaces"
            hint = "YAML indentation must use spaces, not tabs"
        raise SourceError(where, message, hint) from exc
    except yaml.reader.ReaderError as exc:
        raise SourceError(
            _position(display, text, exc.position, line_offset),
            f"file contains the character U+{exc.character:04X}, which YAML does not allow"
            if isinstance(exc.character, int)
            else f"YAML error: {exc.reason}",
            "delete the character; it may have been pasted by accident",
        ) from exc
    except yaml.YAMLError as exc:
        raise SourceError(Location(display, 1 + line_offset, 1), f"YAML error: {' '.join(str(exc).split())}") from exc
    except RecursionError as exc:
        raise SourceError(
            Location(display, 1 + line_offset, 1),
            "YAML nesting is too deep",
            "briefgen files nest a few levels at most; check for runaway brackets or dashes",
        ) from exc


def split_front_matter(text: str, display: str) -> tuple[Any, str, int]:
    """Split `---` YAML front matter from a Markdown body; return (data, body, body's first line)."""
    if not text.startswith("---\n"):
        raise SourceError(
            Location(display, 1, 1),
            "article.md must start with YAML front matter between '---' lines",
            "begin the file with '---', then title:, publisher:, published:, then '---' and the text",
        )
    end = text.find("\n---\n", 3)
    if end < 0 and text.endswith("\n---"):
        end = len(text) - 4
    if end < 0:
        raise SourceError(
            Location(display, 1, 1), "front matter is not closed", "add a line '---' after the front matter"
        )
    data = parse_yaml(text[4 : end + 1], display, line_offset=1)
    body = text[end + 5 :]
    body_line = text.count("\n", 0, end + 5) + 1
    return data, body, body_line
