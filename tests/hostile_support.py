"""The hostile-input corpus (tests/hostile/<case>/): turning a case into a project, running it, reading the output.

A case folder holds `expect.toml` and any project files. Its project is the minimal fixture (unless
`base = ""`), with the case's files laid over it, then `[[replace]]` edits and `[[make]]` steps applied:
bytes given in hex, symlinks, removals and huge generated files, which are never committed.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import tomllib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from briefgen.cli import run
from tests.conftest import FIXTURES

CORPUS = Path(__file__).resolve().parent / "hostile"
EXPECT = "expect.toml"
PROBLEM = re.compile(r"^(?P<at>\S.*?:\d+:\d+): (?P<severity>error|warning): (?P<message>.+)$")


# The site's own scripts (the search box on the index page); anything else is injected.
SHIPPED_SCRIPT = re.compile(r"^(\.\./)*(assets/search\.[0-9a-f]{10}\.js|pagefind/pagefind-ui\.js)$")


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path
    spec: dict[str, Any]

    @property
    def xss(self) -> bool:
        return bool(self.spec.get("xss", False))


def cases() -> list[Case]:
    return [
        Case(folder.name, folder, tomllib.loads((folder / EXPECT).read_text("utf-8")))
        for folder in sorted(CORPUS.iterdir())
        if (folder / EXPECT).is_file()
    ]


def materialise(case: Case, tmp_path: Path) -> Path:
    """Build the case's project under tmp_path and return its folder."""
    project = tmp_path / "project"
    base = case.spec.get("base", "minimal")
    if base:
        shutil.copytree(FIXTURES / base, project)
    else:
        project.mkdir()
    for path in sorted(case.folder.rglob("*")):
        relative = path.relative_to(case.folder)
        if path.is_file() and relative.as_posix() != EXPECT:
            (project / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, project / relative)
    for edit in case.spec.get("replace", []):
        target = project / edit["file"]
        text = target.read_text("utf-8")
        assert edit["old"] in text, f"{case.name}: {edit['old']!r} not in {edit['file']}"
        target.write_text(text.replace(edit["old"], edit["new"]), "utf-8")
    for step in case.spec.get("make", []):
        _make(project, tmp_path, step)
    newline = {"lf": b"\n", "crlf": b"\r\n", "cr": b"\r"}[case.spec.get("line_endings", "lf")]
    for name in ("notes.yaml", "article.md"):
        path = project / "content/sample-brief" / name
        if path.is_file() and not path.is_symlink() and (newline != b"\n" or case.spec.get("bom")):
            data = path.read_bytes().replace(b"\n", newline)
            path.write_bytes(b"\xef\xbb\xbf" + data if case.spec.get("bom") else data)
    return project


def _make(project: Path, tmp_path: Path, step: dict[str, Any]) -> None:
    target = project / step["path"]
    target.parent.mkdir(parents=True, exist_ok=True)
    if step.get("remove"):
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()
    elif "symlink" in step:  # "{outside}" is a folder beside the project, with a valid brief in it
        outside = tmp_path / "outside"
        if not outside.exists():
            shutil.copytree(FIXTURES / "minimal/content/sample-brief", outside)
        target.symlink_to(step["symlink"].replace("{outside}", str(outside)))
    elif "hex" in step:
        target.write_bytes(bytes.fromhex(step["hex"]))
    elif "size_mb" in step:  # head, then the line repeated until the file reaches size_mb
        line = step["line"].encode("utf-8")
        with target.open("wb") as handle:
            handle.write(step.get("head", "").encode("utf-8"))
            handle.write(line * (step["size_mb"] * 1024 * 1024 // len(line) + 1))
    elif "repeat" in step:
        text = step.get("head", "") + step["repeat"] * step["times"] + step.get("tail", "")
        target.write_text(text, "utf-8")
    elif "text" in step:
        target.write_bytes(step["text"].encode("utf-8"))
    else:
        raise AssertionError(f"unknown make step {step}")


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def problems(self) -> list[tuple[str, str, str, str]]:
        """(location, severity, message, hint) of every problem printed."""
        found: list[tuple[str, str, str, str]] = []
        lines = self.stderr.splitlines()
        for index, line in enumerate(lines):
            match = PROBLEM.match(line)
            if match:
                following = lines[index + 1] if index + 1 < len(lines) else ""
                hint = following.removeprefix("    hint: ") if following.startswith("    hint: ") else ""
                found.append((match["at"], match["severity"], match["message"], hint))
        return found


def run_case(case: Case, project: Path) -> Outcome:
    """Run briefgen in-process, as the CLI would, on the case's project."""
    args = [arg.replace("{project}", str(project)) for arg in case.spec.get("args", [])]
    command = case.spec.get("command", "build")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run([command, str(project), *args])
    return Outcome(code, out.getvalue(), err.getvalue())


def located(at: str, location: str) -> bool:
    """True when location (path:line:col) is at, which may leave out the column or line."""
    return (location + ":").startswith(at + ":")


class _Hazards(HTMLParser):
    """Collects what could run script in a page: handlers, script elements, script URLs."""

    URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "srcdoc")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in self.URL_ATTRIBUTES and value is not None:
                scheme = re.sub(r"[\x00-\x20]", "", value).lower()
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.found.append(f"<{tag} {name}={value[:40]!r}>")
        if tag in ("iframe", "object", "embed", "img", "svg", "math", "form", "base"):
            self.found.append(f"<{tag}>")
        if tag == "script":
            self.in_jsonld = dict(attrs).get("type") == "application/ld+json"
            if not self.in_jsonld and not SHIPPED_SCRIPT.match(dict(attrs).get("src") or ""):
                self.found.append("<script> that is not JSON-LD")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_jsonld = False

    def handle_data(self, data: str) -> None:
        if self.in_jsonld:
            try:
                json.loads(data)
            except ValueError:
                self.found.append("JSON-LD that is not valid JSON (a string broke out?)")


def page_hazards(html: str) -> list[str]:
    """Everything in a page that could run script briefgen did not ship; empty for a safe page."""
    parser = _Hazards()
    parser.feed(html)
    parser.close()
    return parser.found
