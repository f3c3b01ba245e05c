"""Problems: located, human-readable errors and warnings that every stage reports as values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TextIO

# Control characters (terminal escapes, newlines) and bidi controls from user input must not reach a terminal raw.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe to print on one terminal line: control and bidi characters shown as escapes."""
    return _UNPRINTABLE.sub(
        lambda m: repr(m.group())[1:-1] if ord(m.group()) < 0x80 else f"\\u{ord(m.group()):04x}", text
    )


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file: path relative to the project, 1-based line and column."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.column or 1}"

    def at(self, line: int, column: int = 1) -> Location:
        return Location(self.path, line, column)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where, what, and how to fix it."""

    location: Location
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    field: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        """The one-line `path:line:col: error: message` form, plus a `hint:` line when there is one."""
        line = printable(f"{self.location}: {self.severity.value}: {self.message}")
        if self.hint:
            line += f"\n    hint: {printable(self.hint)}"
        return line

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity.value,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }


def error(location: Location, message: str, hint: str = "", field: str = "") -> Problem:
    return Problem(location, message, hint, Severity.ERROR, field)


def warning(location: Location, message: str, hint: str = "", field: str = "") -> Problem:
    return Problem(location, message, hint, Severity.WARNING, field)


def print_problems(problems: tuple[Problem, ...] | list[Problem], stream: TextIO) -> None:
    """Print problems as every command does: one `path:line:col: error: message` line each, then its hint."""
    for problem in problems:
        print(problem.format(), file=stream)


def has_errors(problems: list[Problem] | tuple[Problem, ...]) -> bool:
    return any(p.is_error for p in problems)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Stable, reader-friendly order: by file, then line, then column."""
    return sorted(problems, key=lambda p: (p.location.path, p.location.line, p.location.column))


class BuildFailed(Exception):
    """Raised by the public API when the input has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


def relative_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
