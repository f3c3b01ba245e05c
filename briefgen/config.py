"""Reading briefgen.toml into a SiteConfig; every key is optional."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .i18n import LANGUAGES
from .model import Publisher, Rating, RatingScale, SiteConfig
from .problems import Location, Problem, error, warning
from .ratings import DEFAULT, PRESETS
from .schema import CONFIG, RATING
from .sources import SourceError, read_text

CONFIG_FILE = "briefgen.toml"
KNOWN_KEYS = CONFIG.names  # the keys are declared once, in schema.py, which also yields config.schema.json
RATING_KEYS = RATING.names
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _locate_key(text: str, key: str) -> tuple[int, int]:
    match = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", text, re.MULTILINE)
    if not match:
        match = re.search(rf"^[ \t]*\[+[ \t]*{re.escape(key)}[ \t]*\]+", text, re.MULTILINE)
    if not match:
        return 1, 1
    return text.count("\n", 0, match.start()) + 1, 1


def _text_by_language(value: Any, where: Location, name: str, problems: list[Problem]) -> MappingProxyType[str, str]:
    if isinstance(value, str):
        return MappingProxyType({"en": value})
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return MappingProxyType(dict(value))
    problems.append(
        error(
            where,
            f"'{name}' must be text or a table of texts by language",
            'e.g. label = { en = "True", nb = "Sant" }',
            name,
        )
    )
    return MappingProxyType({})


def _custom_scale(entries: Any, text: str, here: Location, problems: list[Problem]) -> RatingScale:
    row, _ = _locate_key(text, "ratings")
    where = here.at(row)
    if not isinstance(entries, list) or not entries:
        problems.append(
            error(
                where,
                "'ratings' must be a list of [[ratings]] tables",
                "see the README's rating scale section",
                "ratings",
            )
        )
        return DEFAULT
    ratings: list[Rating] = []
    for entry in entries:
        if not isinstance(entry, dict):
            problems.append(
                error(where, "each [[ratings]] entry must be a table", 'write [[ratings]] then key = "…"', "ratings")
            )
            continue
        for unknown in sorted(set(entry) - set(RATING_KEYS)):
            problems.append(
                warning(
                    where, f"unknown key '{unknown}' in [[ratings]]", f"known keys: {', '.join(RATING_KEYS)}", "ratings"
                )
            )
        key = entry.get("key")
        if not isinstance(key, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", key):
            problems.append(
                error(where, f"rating key {key!r} must be kebab-case text", 'e.g. key = "mostly-true"', "ratings.key")
            )
            continue
        colour = entry.get("colour", "#57606a")
        if not isinstance(colour, str) or not HEX_COLOUR.match(colour):
            problems.append(
                error(
                    where,
                    f"colour of rating '{key}' must be a #rrggbb colour",
                    'e.g. colour = "#1a7f37"',
                    "ratings.colour",
                )
            )
            colour = "#57606a"
        value = entry.get("value")
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5):
            problems.append(
                error(
                    where,
                    f"value of rating '{key}' must be a whole number from 1 (worst) to 5 (best)",
                    "leave it out for a status that is no judgement of truth",
                    "ratings.value",
                )
            )
            value = None
        needs_sources = entry.get("needs_sources", value is not None)
        ratings.append(
            Rating(
                key=key,
                labels=_text_by_language(entry.get("label", key), where, "label", problems),
                definitions=_text_by_language(entry.get("definition", ""), where, "definition", problems),
                colour=colour,
                value=value,
                needs_sources=bool(needs_sources),
            )
        )
    return RatingScale("custom", tuple(ratings)) if ratings else DEFAULT


def load_config(project: Path) -> tuple[SiteConfig, list[Problem]]:
    """Read briefgen.toml (if any) into a SiteConfig, with every problem found."""
    path = project / CONFIG_FILE
    here = Location(CONFIG_FILE, 1, 1)
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    text = ""
    if path.exists():
        try:
            text = read_text(path, CONFIG_FILE)
            data = tomllib.loads(text)
        except SourceError as exc:
            problems.append(error(exc.location, exc.message, exc.hint))
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"line (\d+), column (\d+)", str(exc))
            line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
            problems.append(
                error(here.at(line, column), f"TOML syntax error: {exc}", 'values need quotes: title = "My briefs"')
            )

    def where(key: str) -> Location:
        return here.at(*_locate_key(text, key))

    for key in sorted(set(data) - set(KNOWN_KEYS)):
        close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(KNOWN_KEYS)}"
        problems.append(warning(where(key), f"unknown key '{key}' in briefgen.toml", hint, key))

    def text_value(key: str, default: str, table: dict[str, Any] | None = None) -> str:
        source = data if table is None else table
        value = source.get(key, default)
        if not isinstance(value, str):
            problems.append(error(where(key), f"'{key}' must be text in quotes", f'{key} = "…"', key))
            return default
        return value.strip()

    title = text_value("title", "Fact-check briefs")
    base_url = text_value("base_url", "")
    if base_url and not re.match(r"^https?://[^\s/]+", base_url):
        problems.append(
            error(
                where("base_url"),
                f"base_url {base_url!r} must be an absolute http(s) address",
                'e.g. base_url = "https://example.org/briefs/"',
                "base_url",
            )
        )
        base_url = ""
    language = text_value("language", "en")
    if language not in LANGUAGES:
        problems.append(
            error(
                where("language"),
                f"language {language!r} is not one briefgen has UI strings for",
                f"use one of: {', '.join(LANGUAGES)}",
                "language",
            )
        )
        language = "en"
    publisher_data = data.get("publisher", {})
    if not isinstance(publisher_data, dict):
        problems.append(
            error(
                where("publisher"),
                "'publisher' must be a table",
                '[publisher]\nname = "…"\nurl = "https://…"',
                "publisher",
            )
        )
        publisher_data = {}
    publisher = Publisher(text_value("name", "", publisher_data), text_value("url", "", publisher_data))
    if publisher.url and not re.match(r"^https?://", publisher.url):
        problems.append(
            error(
                where("url"),
                "publisher url must be an http(s) address",
                'e.g. url = "https://example.org/"',
                "publisher.url",
            )
        )
        publisher = Publisher(publisher.name, "")

    scale = DEFAULT
    if "ratings" in data:
        scale = _custom_scale(data["ratings"], text, here, problems)
    elif "rating_scale" in data:
        name = data["rating_scale"]
        if not isinstance(name, str) or name not in PRESETS:
            problems.append(
                error(
                    where("rating_scale"),
                    f"unknown rating_scale {name!r}",
                    f"use one of: {', '.join(PRESETS)}, or define [[ratings]]",
                    "rating_scale",
                )
            )
        else:
            scale = PRESETS[name]
    report = text_value("report_error_url", "")
    if report and not re.match(r"^(https?://|mailto:)", report):
        problems.append(
            error(
                where("report_error_url"),
                "report_error_url must be an http(s) or mailto: address",
                'e.g. report_error_url = "mailto:corrections@example.org"',
                "report_error_url",
            )
        )
        report = ""
    located = MappingProxyType({key: where(key) for key in KNOWN_KEYS if key in data})
    config = SiteConfig(
        title,
        base_url.rstrip("/") + "/" if base_url else "",
        language,
        publisher,
        scale,
        report,
        location=here,
        where=located,
    )
    return config, problems


def site_config(project: Path, base_url: str | None = None) -> tuple[SiteConfig, list[Problem]]:
    """briefgen.toml, with base_url (--base-url, when given) in place of its own."""
    config, problems = load_config(project)
    if base_url is not None:
        config = replace(config, base_url=base_url.rstrip("/") + "/" if base_url else "")
    return config, problems
