"""The command line: `briefgen build | check | new | serve`. Prints problems; never a traceback."""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, stamp
from . import build as build_site  # the public API function briefgen.build(), which the CLI uses like any caller
from .problems import Problem, Severity, print_problems
from .progress import ProgressBar
from .search import pagefind_executable

if TYPE_CHECKING:  # the pipeline is imported only by commands that run it (see briefgen/__init__.py)
    from .pipeline import BuildResult

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_CRASH = 0, 1, 2, 3


def _summary(problems: tuple[Problem, ...] | list[Problem]) -> str:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _positive(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def _built(briefs: int, pages: int, seconds: float, cached: int, drafts: int, out: Path) -> str:
    left_out = f", {drafts:,} draft{'s' * (drafts != 1)} left out" if drafts else ""
    return (
        f"Built {briefs:,} brief{'s' * (briefs != 1)}, {pages:,} pages in {seconds:.2f} s"
        f" ({cached:,} cached){left_out} into {out}."
    )


def _changes(args: argparse.Namespace) -> tuple[Path, Path | None, stamp.Stamped | None]:
    """The output folder, the search indexer and what the build stamp says changed since the last build."""
    project = Path(args.project)
    out = Path(args.out) if args.out else project / "site"
    out = out if out.is_absolute() else Path.cwd() / out
    pagefind = None if args.no_search else pagefind_executable()
    search = str(pagefind) if pagefind else None
    return out, pagefind, stamp.changes(project, out, stamp.options(out, args.drafts, args.base_url, search))


def _report_unchanged(args: argparse.Namespace, summary: dict[str, Any], out: Path, started: float) -> None:
    """Report a build the stamp answered (nothing changed) as the stamped build did."""
    print_problems([stamp.problem_from(p) for p in summary["problems"]], sys.stderr)
    if not args.quiet:
        briefs, pages, drafts = summary["briefs"], summary["pages"], len(summary["drafts"])
        print(_built(briefs, pages, time.perf_counter() - started, summary["folders"], drafts, out))


def _build(args: argparse.Namespace) -> BuildResult:
    """The pipeline's build, with a progress bar on a terminal."""
    bar = ProgressBar(sys.stderr) if not args.quiet and ProgressBar.wanted(sys.stderr) else None
    try:
        return build_site(
            Path(args.project),
            Path(args.out) if args.out else None,
            drafts=args.drafts,
            base_url=args.base_url,
            search=not args.no_search,
            jobs=args.jobs,
            cache=not args.no_cache,
            progress=bar,
        )
    finally:
        if bar:
            bar.clear()


def cmd_build(args: argparse.Namespace) -> int:
    started, started_ns = time.perf_counter(), time.time_ns()
    result: BuildResult | None = None
    if not args.no_cache:
        out, pagefind, stamped = _changes(args)
        if stamped is not None and not stamped.changed:
            _report_unchanged(args, stamped.summary, out, started)
            return EXIT_OK
        if stamped is not None:  # only briefs' own files changed: try replacing just their parts of the site
            from .patch import patch_build

            project = Path(args.project)
            result = patch_build(project, out, stamped, args.drafts, args.base_url, pagefind, (started, started_ns))
    if result is None:
        result = _build(args)
    print_problems(result.problems, sys.stderr)
    if not result.written:
        print(
            f"Build failed: {_summary(result.problems)}. Nothing was written; the previous site is unchanged.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    if not args.quiet:
        print(_built(result.briefs, result.pages, result.seconds, result.cached, len(result.drafts), result.out))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    if args.links:
        return cmd_check_links(args)
    from .pipeline import check_project

    result = check_project(Path(args.project))
    if args.format == "json":
        json.dump({"ok": result.ok, "problems": [p.as_dict() for p in result.problems]}, sys.stdout, indent=2)
        print()
    else:
        print_problems(result.problems, sys.stderr)
        state = "OK" if result.ok else "Problems found"
        print(
            f"{state}: {len(result.briefs)} brief{'s' * (len(result.briefs) != 1)} checked, {_summary(result.problems)}.",
            file=sys.stderr,
        )
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def cmd_check_links(args: argparse.Namespace) -> int:
    from .linkcheck import check_links

    problems, report = check_links(Path(args.project), args.base_url)
    found = list(problems) + (list(report.problems) if report else [])
    ok = report is not None and not any(p.is_error for p in found)
    external = list(report.external) if report else []
    if args.format == "json":
        out = {"ok": ok, "problems": [p.as_dict() for p in found], "external_links": external}
        json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
        print()
        return EXIT_OK if ok else EXIT_PROBLEMS
    print_problems(found, sys.stderr)
    if report is None:
        print(f"Problems found: the site could not be built ({_summary(found)}); links not checked.", file=sys.stderr)
        return EXIT_PROBLEMS
    if external:
        print(f"External links (listed, not fetched): {len(external)}")
        for url in external:
            print(f"  {url}")
    state = "OK" if ok else "Broken links found"
    print(
        f"{state}: {report.links} links on {report.pages} pages checked, {_summary(found)}.",
        file=sys.stderr,
    )
    return EXIT_OK if ok else EXIT_PROBLEMS


def cmd_new(args: argparse.Namespace) -> int:
    from .config import load_config
    from .scaffold import new_brief

    project = Path(args.project)
    config, _ = load_config(project)
    folder, problems = new_brief(
        project, args.slug, Path(args.article) if args.article else None, config.scale.keys, config
    )
    print_problems(problems, sys.stderr)
    if folder is None:
        return EXIT_PROBLEMS
    print(f"Created {folder}/article.md and notes.yaml. Next: fill in notes.yaml, then `briefgen serve`.")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .config import load_config
    from .json_schema import NAMES, PROJECT_SCHEMA_DIR, schema_text, write_project_schemas

    which, project_arg = args.which, args.project
    if which not in NAMES and project_arg == ".":  # `briefgen schema PROJECT`: the schema name was left out
        which, project_arg = "notes", which
    project = Path(project_arg)
    if which not in NAMES or not project.is_dir():
        print(
            f"briefgen schema: {which if which not in NAMES else project_arg!r} is neither a schema name"
            f" ({', '.join(NAMES)}) nor a project folder",
            file=sys.stderr,
        )
        return EXIT_USAGE
    config, problems = load_config(project)
    print_problems(problems, sys.stderr)
    if args.write:
        paths = write_project_schemas(project, config)
        print(f"Wrote {len(paths)} schemas into {project / PROJECT_SCHEMA_DIR / 'schema'}.", file=sys.stderr)
        return EXIT_OK
    sys.stdout.write(schema_text(which, config))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(Path(args.project), args.host, args.port, args.open)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="briefgen", description="Static sites of fact-check briefs.")
    top.add_argument("--version", action="version", version=f"briefgen {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser("build", help="check the content and render the site into site/")
    build.add_argument("project", nargs="?", default=".", help="project folder (default: current folder)")
    build.add_argument("--out", metavar="DIR", help="output folder (default: PROJECT/site)")
    build.add_argument("--drafts", action="store_true", help="include briefs marked draft: true")
    build.add_argument("--base-url", metavar="URL", help="override base_url from briefgen.toml")
    build.add_argument("--no-search", action="store_true", help="leave out the search index and search box")
    build.add_argument(
        "--jobs", type=_positive, metavar="N", help="worker processes (default: one per core; 1: no workers)"
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="process every brief and write the whole site (ignore PROJECT/.briefgen-cache/)",
    )
    build.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    build.set_defaults(func=cmd_build)

    check = commands.add_parser("check", help="load and check the content; write nothing")
    check.add_argument("project", nargs="?", default=".", help="project folder (default: current folder)")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format for problems")
    check.add_argument(
        "--links", action="store_true", help="also build into a temporary folder and check every internal link"
    )
    check.add_argument("--base-url", metavar="URL", help="with --links: override base_url from briefgen.toml")
    check.set_defaults(func=cmd_check)

    new = commands.add_parser("new", help="scaffold content/SLUG/ with article.md and notes.yaml")
    new.add_argument("slug", help="the brief's name, e.g. 2022-09-10-kharkiv")
    new.add_argument("project", nargs="?", default=".", help="project folder (default: current folder)")
    new.add_argument("--article", metavar="FILE", help="take the article text from FILE (plain text or Markdown)")
    new.set_defaults(func=cmd_new)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of notes.yaml, article front matter or briefgen.toml"
    )
    schema.add_argument(
        "which",
        nargs="?",
        default="notes",
        help="notes, article or config (default: notes)",
    )
    schema.add_argument(
        "project", nargs="?", default=".", help="project folder whose rating scale to use (default: current folder)"
    )
    schema.add_argument(
        "--write", action="store_true", help="write all schemas into PROJECT/.briefgen/schema/ for your editor"
    )
    schema.set_defaults(func=cmd_schema)

    serve = commands.add_parser("serve", help="preview the site with drafts, rebuilding and reloading on every save")
    serve.add_argument("project", nargs="?", default=".", help="project folder (default: current folder)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; the next free one if taken)")
    serve.add_argument("--open", action="store_true", help="open the preview in the web browser")
    serve.set_defaults(func=cmd_serve)
    return top


def run(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a short report, never a raw traceback
        where = traceback.extract_tb(exc.__traceback__)[-1]
        print(
            f"briefgen: internal error: {type(exc).__name__}: {exc}\n"
            f"    at {Path(where.filename).name}:{where.lineno} in {where.name}\n"
            f"    This is a bug in briefgen, not in your content. Please report it to the briefgen maintainers\n"
            f"    (README, 'Reporting bugs') with the command you ran and this message.",
            file=sys.stderr,
        )
        return EXIT_CRASH


def main() -> None:
    sys.exit(run())
