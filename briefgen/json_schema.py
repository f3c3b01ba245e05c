"""JSON Schema for notes.yaml, article front matter and briefgen.toml, generated from schema.py's Shapes.

Editors (VS Code's YAML extension, any yaml-language-server client, taplo for TOML) read these schemas to
offer completion, hover docs and inline errors. Nothing here is written by hand twice: every key, its
description and whether it is required come from the Shapes the loader reads files through; the status
enum comes from the site's configured rating scale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import RatingScale, SiteConfig
from .ratings import DEFAULT
from .schema import ARTICLE, CONFIG, NOTES, Field, Kind, Shape

DRAFT = "http://json-schema.org/draft-07/schema#"  # the draft editors support best
NAMES = ("notes", "article", "config")
SCHEMA_DIR = "schema"  # site/schema/ in the build, .briefgen/schema/ in a project

# The same rules checks.py and config.py apply, written as ECMA-262 patterns (case folded by hand).
HTTP_URL = r"""^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#<>"']+[^\s<>"']*$"""
CONTACT = r"^([Hh][Tt][Tt][Pp][Ss]?://|mailto:)\S+$"
DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
COLOUR = r"^#[0-9a-fA-F]{6}$"
NOT_BLANK = r"\S"


@dataclass(frozen=True)
class Context:
    """What a schema depends on beyond the Shapes: the rating scale, its language, and the file format."""

    scale: RatingScale = DEFAULT
    language: str = "en"
    toml: bool = False  # TOML has no null and no lenient numbers-as-text


def status_schema(scale: RatingScale, language: str) -> dict[str, Any]:
    """The scale's keys as an enum, each with its label and definition; unquoted true/false where valid."""
    values: list[Any] = []
    descriptions: list[str] = []
    for rating in scale.ratings:
        text = f"{rating.label(language)}: {rating.definition(language)}".rstrip(": ")
        values.append(rating.key)
        descriptions.append(text)
        if rating.key in ("true", "false"):  # YAML reads an unquoted true/false as a boolean; the loader accepts it
            values.append(rating.key == "true")
            descriptions.append(text)
    return {
        "enum": values,
        "enumDescriptions": descriptions,
        "markdownEnumDescriptions": [f"**{d.split(': ', 1)[0]}**: {d.split(': ', 1)[-1]}" for d in descriptions],
    }


def _text_types(context: Context) -> list[str]:
    return ["string"] if context.toml else ["string", "number"]


def value_schema(field: Field, context: Context) -> dict[str, Any]:
    """The JSON Schema of one field's value, as the loader (or config.py) accepts it."""
    kind = field.kind
    schema: dict[str, Any]
    if kind is Kind.TEXT:
        schema = {"type": _text_types(context)}
    elif kind is Kind.MARKDOWN:
        schema = {"type": ["string"]}
    elif kind is Kind.URL:
        schema = {"type": ["string"], "pattern": HTTP_URL}
    elif kind is Kind.CONTACT:
        schema = {"type": ["string"], "pattern": CONTACT}
    elif kind is Kind.DATE:
        schema = {"type": ["string"], "format": "date", "pattern": DATE}
    elif kind is Kind.BOOL:
        schema = {"type": ["boolean"]}
    elif kind is Kind.ID:
        schema = {"type": ["string", "integer"], "pattern": KEBAB}
    elif kind is Kind.STATUS:
        schema = status_schema(context.scale, context.language)
    elif kind is Kind.CHOICE:
        schema = {"enum": list(field.choices)}
    elif kind is Kind.WHOLE_NUMBER:
        schema = {"type": ["integer"]}
        if field.bounds:
            schema |= {"minimum": field.bounds[0], "maximum": field.bounds[1]}
    elif kind is Kind.COLOUR:
        schema = {"type": ["string"], "pattern": COLOUR}
    elif kind is Kind.TEXT_BY_LANGUAGE:
        schema = {
            "anyOf": [
                {"type": "string"},
                {"type": "object", "additionalProperties": {"type": "string"}},
            ]
        }
    elif kind is Kind.TEXT_LIST:
        schema = {"type": ["array"], "items": {"type": _text_types(context), "pattern": NOT_BLANK}}
    elif kind in (Kind.OBJECT_LIST, Kind.OBJECT):
        if field.shape is None:  # pragma: no cover - a declaration error in schema.py
            raise ValueError(f"field '{field.name}' of kind {kind} has no shape")
        inner = shape_schema(field.shape, context)
        schema = {"type": ["array"], "items": inner} if kind is Kind.OBJECT_LIST else inner
    else:  # pragma: no cover - a new Kind without a schema
        raise AssertionError(f"unhandled kind {kind}")
    return _presence(schema, field, context)


def _presence(schema: dict[str, Any], field: Field, context: Context) -> dict[str, Any]:
    """Required text must not be blank; optional YAML values may be left empty (null), as the loader allows."""
    types = schema.get("type")
    if field.required and isinstance(types, list) and "string" in types and "pattern" not in schema:
        schema = {**schema, "pattern": NOT_BLANK}
    if not field.required and not context.toml:
        if isinstance(types, list):
            schema = {**schema, "type": [*types, "null"]}
            if "pattern" in schema:  # an empty optional value counts as absent
                schema["pattern"] = f"^$|{schema['pattern']}"
        elif "enum" in schema:
            schema = {**schema, "enum": [*schema["enum"], None]}
    if isinstance(schema.get("type"), list) and len(schema["type"]) == 1:
        schema = {**schema, "type": schema["type"][0]}
    return {"description": field.description, **{k: v for k, v in schema.items() if k != "description"}}


def shape_schema(shape: Shape, context: Context) -> dict[str, Any]:
    """An object schema: every declared field, the required ones, and no unknown keys (the loader warns on them)."""
    return {
        "type": "object",
        "description": shape.description,
        "properties": {field.name: value_schema(field, context) for field in shape.fields},
        "required": [field.name for field in shape.fields if field.required],
        "additionalProperties": False,
    }


def schema_for(name: str, config: SiteConfig | None = None) -> dict[str, Any]:
    """The JSON Schema document for 'notes', 'article' or 'config', for this site's scale and language."""
    scale = config.scale if config else DEFAULT
    language = config.language if config else "en"
    shapes = {"notes": (NOTES, False), "article": (ARTICLE, False), "config": (CONFIG, True)}
    if name not in shapes:
        raise ValueError(f"unknown schema {name!r}; choose one of {', '.join(NAMES)}")
    shape, toml = shapes[name]
    titles = {
        "notes": "briefgen notes.yaml",
        "article": "briefgen article.md front matter",
        "config": "briefgen briefgen.toml",
    }
    return {"$schema": DRAFT, "title": titles[name], **shape_schema(shape, Context(scale, language, toml))}


def schema_text(name: str, config: SiteConfig | None = None) -> str:
    """The schema as stable, readable JSON text (keys in declaration order), ending in a newline."""
    return json.dumps(schema_for(name, config), ensure_ascii=False, indent=2) + "\n"


def schema_files(config: SiteConfig | None = None) -> list[tuple[str, bytes]]:
    """(path, bytes) of every schema, e.g. ('schema/notes.schema.json', …), for the site or the project."""
    return [(f"{SCHEMA_DIR}/{name}.schema.json", schema_text(name, config).encode("utf-8")) for name in NAMES]


PROJECT_SCHEMA_DIR = ".briefgen"  # schemas live at PROJECT/.briefgen/schema/*.schema.json for editors


def write_project_schemas(project: Path, config: SiteConfig | None = None) -> list[Path]:
    """Write (or refresh) the schemas into PROJECT/.briefgen/schema/, where notes.yaml's modeline points."""
    written = []
    for relative, data in schema_files(config):
        path = project / PROJECT_SCHEMA_DIR / relative
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        written.append(path)
    return written


def modeline(notes_dir_depth: int = 2) -> str:
    """The yaml-language-server comment for content/<slug>/notes.yaml: a path relative to that file."""
    return (
        f"# yaml-language-server: $schema={'../' * notes_dir_depth}{PROJECT_SCHEMA_DIR}/{SCHEMA_DIR}/notes.schema.json"
    )
