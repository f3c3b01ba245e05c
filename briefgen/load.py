"""Stage 1, load: content/<slug>/{article.md,notes.yaml} → typed Brief objects, each field located."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .model import Article, Brief, Claim, Correction, Source
from .names import ARTICLE_FILE, CONTENT_DIR, NOTES_FILE
from .problems import Location, Problem, error, warning
from .schema import ARTICLE, CLAIM, CORRECTION, NOTES, SOURCE, Field, Kind, Shape
from .sources import InvalidDate, LocatedDict, LocatedList, SourceError, parse_yaml, read_text, split_front_matter

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Invisible characters that reorder how text is displayed ("Trojan Source"); they are removed from all text, with a warning.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Control characters that YAML escapes such as "\0" or "\e" can put into a value; no field may hold them.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
RESERVED_NAMES = {"con", "prn", "aux", "nul", "assets", "schema", "methodology", "ratings", "404", "pagefind"} | {
    f"{device}{n}" for device in ("com", "lpt") for n in range(10)
}


@dataclass(frozen=True)
class Fields:
    """The values of one YAML mapping read through a Shape, with where each one stands."""

    values: dict[str, Any]
    where: MappingProxyType[str, Location]
    location: Location


_EMPTY: dict[Kind, Any] = {
    Kind.TEXT: "",
    Kind.MARKDOWN: "",
    Kind.ID: "",
    Kind.STATUS: "",
    Kind.URL: None,
    Kind.DATE: None,
    Kind.BOOL: False,
    Kind.TEXT_LIST: (),
    Kind.OBJECT_LIST: (),
    Kind.OBJECT: None,
}


def _type_name(value: Any) -> str:
    if isinstance(value, LocatedDict):
        return "a mapping (key: value lines)"
    if isinstance(value, LocatedList):
        return "a list"
    if isinstance(value, bool):
        return f"yes/no value ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, dt.date):
        return f"a date ({value})"
    if value is None:
        return "empty"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, set):
        return "a set"
    return "text" if isinstance(value, str) else "an unsupported value"


def strip_bidi(text: str, where: Location, path: str, problems: list[Problem]) -> str:
    """Remove bidi override/isolate controls, warning once per field with the first one's code point."""
    found = BIDI_CONTROLS.search(text)
    if not found:
        return text
    problems.append(
        warning(
            where,
            f"'{path}' contains the invisible bidirectional control U+{ord(found.group()):04X}; it was removed",
            "such characters can make text display in a misleading order; delete them from the file",
            path,
        )
    )
    return BIDI_CONTROLS.sub("", text)


def _clean_text(value: str, where: Location, path: str, problems: list[Problem]) -> str:
    """Text of a field without bidi controls; a control character (e.g. from a "\\0" escape) is an error."""
    control = CONTROL.search(value)
    if control:
        problems.append(
            error(
                where,
                f"'{path}' contains the control character U+{ord(control.group()):04X}",
                "remove it; check for escapes such as \\0 or \\e inside double quotes",
                path,
            )
        )
        value = CONTROL.sub("", value)
    return strip_bidi(value, where, path, problems)


def _coerce(value: Any, field: Field, where: Location, problems: list[Problem], path: str) -> Any:
    """Turn one YAML value into the Python value its Kind wants, or report why it cannot be."""
    kind = field.kind

    def wrong(expected: str, hint: str) -> Any:
        problems.append(error(where, f"'{path}' must be {expected}, not {_type_name(value)}", hint, path))
        return _EMPTY[kind]

    if isinstance(value, str):
        value = _clean_text(value, where, path, problems)
    if kind in (Kind.TEXT, Kind.MARKDOWN, Kind.URL, Kind.ID):
        if isinstance(value, str):
            return value.strip() if kind is not Kind.MARKDOWN else value
        if isinstance(value, int | float) and not isinstance(value, bool) and kind in (Kind.TEXT, Kind.ID):
            return str(value)
        if isinstance(value, dt.date | InvalidDate) and kind is Kind.TEXT:
            return str(value)
        return wrong("text", f'put the value in quotes: {field.name}: "…"')
    if kind is Kind.STATUS:
        if isinstance(value, bool):  # `status: true` unquoted is YAML's boolean
            return "true" if value else "false"
        if isinstance(value, str):
            return value.strip()
        return wrong("a status name", "use one of the rating scale's keys, e.g. status: mostly-true")
    if kind is Kind.DATE:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, InvalidDate | str):
            try:
                return dt.date.fromisoformat(str(value).strip())
            except ValueError:
                problems.append(
                    error(
                        where,
                        f"'{path}' is not a real date: {str(value)!r}",
                        "write dates as YYYY-MM-DD, e.g. 2022-09-10",
                        path,
                    )
                )
                return None
        return wrong("a date", "write dates as YYYY-MM-DD, e.g. 2022-09-10")
    if kind is Kind.BOOL:
        if isinstance(value, bool):
            return value
        return wrong("yes or no (true/false)", f"write {field.name}: true or {field.name}: false")
    if kind is Kind.TEXT_LIST:
        if not isinstance(value, LocatedList):
            return wrong("a list", f"write each item on its own line under '{field.name}:', starting with '- '")
        items: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                items.append(_clean_text(item, value.item_locations[index], f"{path}[{index}]", problems).strip())
            elif isinstance(item, int | float) and not isinstance(item, bool):
                items.append(str(item))
            else:
                problems.append(
                    error(
                        value.item_locations[index],
                        f"'{path}[{index}]' must be non-empty text, not {_type_name(item)}",
                        'put the item in quotes: - "…"',
                        path,
                    )
                )
        return tuple(items)
    if kind is Kind.OBJECT_LIST:
        if not isinstance(value, LocatedList):
            return wrong("a list of entries", f"each entry under '{field.name}:' starts with '- ' followed by its keys")
        return value
    raise AssertionError(f"unhandled kind {kind}")  # pragma: no cover


def read_fields(data: Any, shape: Shape, location: Location, problems: list[Problem], prefix: str = "") -> Fields:
    """Read a YAML mapping through a Shape: missing, mistyped and unknown keys become problems."""
    label = prefix or shape.name
    if not isinstance(data, LocatedDict):
        where = getattr(data, "location", location)
        if data is None:
            problems.append(
                error(
                    location,
                    f"{label} is empty",
                    f"expected the keys: {', '.join(f.name for f in shape.fields if f.required)}",
                    prefix,
                )
            )
        else:
            problems.append(
                error(
                    where,
                    f"{label} must be a mapping of keys to values, not {_type_name(data)}",
                    f"start with the keys: {', '.join(f.name for f in shape.fields if f.required)}",
                    prefix,
                )
            )
        empty = {f.name: _EMPTY[f.kind] for f in shape.fields}
        return Fields(empty, MappingProxyType({}), location)
    values: dict[str, Any] = {}
    for field in shape.fields:
        path = f"{prefix}.{field.name}" if prefix else field.name
        raw = data.get(field.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if field.required:
                if field.name in data:
                    problems.append(error(data.where(field.name), f"'{path}' is empty", field.description, path))
                else:
                    problems.append(
                        error(
                            data.location,
                            f"missing required field '{path}'",
                            f"add '{field.name}:' — {field.description}",
                            path,
                        )
                    )
            values[field.name] = _EMPTY[field.kind]
            continue
        values[field.name] = _coerce(raw, field, data.where(field.name), problems, path)
    for key in data:
        if key not in shape.names:
            close = difflib.get_close_matches(str(key), shape.names, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(shape.names)}"
            path = f"{prefix}.{key}" if prefix else str(key)
            problems.append(warning(data.key_locations[key], f"unknown key '{key}' in {shape.name}", hint, path))
    where = MappingProxyType({name: data.where(name) for name in shape.names})
    return Fields(values, where, data.location)


def _entries(value: Any, location: Location) -> Iterator[tuple[Any, Location]]:
    if isinstance(value, LocatedList):
        yield from zip(value, value.item_locations, strict=True)


def _source(data: Any, location: Location, prefix: str, problems: list[Problem]) -> Source:
    f = read_fields(data, SOURCE, location, problems, prefix)
    v = f.values
    return Source(
        v["url"] or "",
        v["title"],
        v["publisher"],
        v["published"],
        v["accessed"],
        v["archive_url"],
        v["excerpt"] or None,
        f.location,
        f.where,
    )


def _claim(data: Any, location: Location, index: int, problems: list[Problem]) -> Claim:
    prefix = f"claims[{index}]"
    if isinstance(data, LocatedDict) and isinstance(data.get("id"), str):
        prefix = f"claims[{data['id']}]"
    f = read_fields(data, CLAIM, location, problems, prefix)
    v = f.values
    if v["claimant_type"] not in ("", "person", "organization"):
        problems.append(
            error(
                f.where.get("claimant_type", f.location),
                f"'{prefix}.claimant_type' must be person or organization, not {v['claimant_type']!r}",
                "write claimant_type: person for a named individual; leave it out for an organization",
                f"{prefix}.claimant_type",
            )
        )
    sources = tuple(
        _source(item, where, f"{prefix}.sources[{i}]", problems)
        for i, (item, where) in enumerate(_entries(v["sources"], location))
    )
    return Claim(
        v["id"],
        v["quote"],
        v["status"],
        v["verdict"],
        sources,
        v["claim"] or None,
        v["claimant"] or None,
        f.location,
        f.where,
        v["claimant_type"] == "person",
    )


def _correction(data: Any, location: Location, index: int, problems: list[Problem]) -> Correction:
    f = read_fields(data, CORRECTION, location, problems, f"corrections[{index}]")
    return Correction(f.values["date"] or dt.date.min, f.values["note"], f.location)


def load_article(path: Path, display: str, problems: list[Problem]) -> Article | None:
    try:
        text = read_text(path, display)
        data, body, body_line = split_front_matter(text, display)
    except SourceError as exc:
        problems.append(error(exc.location, exc.message, exc.hint))
        return None
    f = read_fields(data, ARTICLE, Location(display, 1, 1), problems, "article")
    v = f.values
    bidi = BIDI_CONTROLS.search(body)
    if bidi:
        line = body_line + body.count("\n", 0, bidi.start())
        body = strip_bidi(
            body, Location(display, line, bidi.start() - body.rfind("\n", 0, bidi.start())), "article text", problems
        )
    if not body.strip():
        problems.append(
            error(
                Location(display, body_line, 1),
                "the article has no text after its front matter",
                "paste the article text, as published, below the closing '---'",
            )
        )
    return Article(
        v["title"],
        v["publisher"],
        v["published"] or dt.date.min,
        body,
        v["url"],
        v["author"] or None,
        v["language"] or None,
        Location(display, 1, 1),
        body_line,
        f.where,
    )


def load_brief(folder: Path, project: Path, problems: list[Problem]) -> Brief | None:
    """Load one brief folder; append every problem found; None when nothing usable could be read."""
    slug = folder.name
    display_dir = f"{CONTENT_DIR}/{slug}"
    notes_display = f"{display_dir}/{NOTES_FILE}"
    article_display = f"{display_dir}/{ARTICLE_FILE}"
    notes_path, article_path = folder / NOTES_FILE, folder / ARTICLE_FILE
    if not notes_path.is_file():
        problems.append(
            error(
                Location(article_display, 1, 1),
                f"brief '{slug}' has an article but no {NOTES_FILE}",
                f"create {notes_display}, e.g. with `briefgen new {slug}`",
            )
        )
        return None
    article = None
    if article_path.is_file():
        article = load_article(article_path, article_display, problems)
    else:
        problems.append(
            error(
                Location(notes_display, 1, 1),
                f"brief '{slug}' has notes but no {ARTICLE_FILE}",
                f"put the article text in {article_display}",
            )
        )
    try:
        data = parse_yaml(read_text(notes_path, notes_display), notes_display)
    except SourceError as exc:
        problems.append(error(exc.location, exc.message, exc.hint))
        return None
    here = Location(notes_display, 1, 1)
    f = read_fields(data, NOTES, here, problems)
    v = f.values
    claims = tuple(_claim(item, where, i, problems) for i, (item, where) in enumerate(_entries(v["claims"], here)))
    corrections = tuple(
        _correction(item, where, i, problems) for i, (item, where) in enumerate(_entries(v["corrections"], here))
    )
    if article is None:
        return None
    return Brief(
        slug,
        article,
        v["title"],
        v["summary"],
        v["reviewers"],
        v["published"] or dt.date.min,
        claims,
        v["updated"],
        bool(v["draft"]),
        v["tags"],
        corrections,
        f.location,
        f.where,
    )


def _links_outside(path: Path, root: Path) -> bool:
    """True when a symbolic link leads outside root, or nowhere that can be followed (a loop)."""
    try:
        return not path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a symlink loop: RuntimeError before Python 3.13, OSError after
        return True


def brief_folders(project: Path, problems: list[Problem]) -> list[Path]:
    """The brief folders under content/, refusing names and links that could escape or collide."""
    content = project / CONTENT_DIR
    if not content.is_dir():
        problems.append(
            error(
                Location(CONTENT_DIR, 1, 1),
                "no content/ folder in this project",
                "create one with `briefgen new SLUG`, or run briefgen in your project folder",
            )
        )
        return []
    root = content.resolve()
    folders: list[Path] = []
    seen: dict[str, str] = {}
    for entry in sorted(os.scandir(content), key=lambda e: e.name):
        if entry.name.startswith((".", "_")):
            continue
        path = Path(entry.path)
        display = f"{CONTENT_DIR}/{entry.name}"
        if entry.is_symlink() and _links_outside(path, root):
            problems.append(
                error(
                    Location(display, 1, 1),
                    f"'{display}' is a link to a folder outside content/ (or a link loop)",
                    "copy the brief into content/ instead of linking to it",
                )
            )
            continue
        if not entry.is_dir():
            if entry.name not in ("README.md", ".gitkeep", "methodology.md"):
                problems.append(
                    warning(
                        Location(display, 1, 1),
                        f"'{display}' is not a brief folder and was skipped",
                        "each brief lives in its own folder: content/<slug>/",
                    )
                )
            continue
        if not SLUG.match(entry.name) or entry.name in RESERVED_NAMES:
            problems.append(
                error(
                    Location(display, 1, 1),
                    f"brief folder name '{entry.name}' cannot be used as a web address",
                    "use lower-case letters, digits and single hyphens, e.g. content/2022-09-10-kharkiv/; avoid reserved names",
                )
            )
            continue
        folded = entry.name.casefold()
        if folded in seen:
            problems.append(
                error(
                    Location(display, 1, 1),
                    f"brief '{entry.name}' differs from '{seen[folded]}' only by letter case",
                    "case-insensitive hosts would serve one for the other; rename one",
                )
            )
            continue
        seen[folded] = entry.name
        for inner in (path / NOTES_FILE, path / ARTICLE_FILE):
            if inner.is_symlink() and _links_outside(inner, root):
                problems.append(
                    error(
                        Location(f"{display}/{inner.name}", 1, 1),
                        f"'{inner.name}' links outside content/",
                        "copy the file into the brief folder instead of linking to it",
                    )
                )
                break
        else:
            if (path / NOTES_FILE).exists() or (path / ARTICLE_FILE).exists():
                folders.append(path)
            else:
                problems.append(
                    warning(
                        Location(display, 1, 1),
                        f"'{display}' has neither {NOTES_FILE} nor {ARTICLE_FILE}; skipped",
                        f"create the brief with `briefgen new {entry.name}`",
                    )
                )
    return folders


def load_briefs(project: Path, problems: list[Problem]) -> list[Brief]:
    """Load every brief of the project, in slug order."""
    briefs = []
    for folder in brief_folders(project, problems):
        brief = load_brief(folder, project, problems)
        if brief is not None:
            briefs.append(brief)
    return briefs
