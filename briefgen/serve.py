"""`briefgen serve`: build, serve the site on loopback, rebuild on every save and reload the browser.

Three parts, each replaceable: watching (watchfiles, inotify: starts before the first build, not when a
browser connects), building (rebuild.py: build_project, or only the briefs that changed), and the browser
side (reload.py, the one module wrapping livereload). Choices made against python-livereload's pitfalls:

- No save is dropped: every change event is queued; while a build runs, new changes wait and trigger the
  next build, so the last save is always built last. There is no quiet window after a reload.
- A burst (an editor writing several files, git checkout) arrives as one batch: watchfiles groups events
  until DEBOUNCE_MS pass without a new one, and everything queued during a build is built together.
- Editor scratch files (.swp, ~, .#x, #x#, 4913) and the output folder never trigger builds.
- The preview is built, with drafts, into a fresh temporary folder outside the project (removed on exit),
  so `serve` never overwrites the `site/` you publish with drafts in it. Full builds swap the folder in
  atomically; small rebuilds replace single files while requests for them are held back.
- The reload script goes before </body>, or at the end of pages that have none. A changed page is put in
  place without a reload (reload.py); fingerprinted assets and the script are cached by the browser.
- The index (1,000 entries on a large site) is re-rendered only once the browser shows the edited page
  (Live.settle), so the two never compete for the CPU.
- A build with errors keeps the server running and shows every problem in the page (and the terminal);
  the next good save brings the page back.
"""

from __future__ import annotations

import errno
import html
import mimetypes
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable, Collection
from pathlib import Path
from urllib.parse import unquote, urlsplit

import watchfiles

from .problems import Problem, Severity, print_problems
from .rebuild import Outcome, Preview, url_of
from .reload import IMMUTABLE, NO_STORE, ReloadServer, Response, bind, inject
from .render import BUILTIN_TEMPLATES, collect_assets

DEBOUNCE_MS = 5
PORT_TRIES = 10
HOLD_TIMEOUT = 60.0
SETTLE_TIMEOUT = 0.3
WATCHED = ("content", "templates")
CONFIG_FILE = "briefgen.toml"
FINGERPRINTED = re.compile(r"assets/.+\.[0-9a-f]{10}\.[A-Za-z0-9]+")  # render.collect_assets: name.<hash>.suffix


def is_scratch(name: str) -> bool:
    """Editor swap, backup and lock files, and hidden files: never content."""
    return (
        name.startswith((".", "#"))
        or name.endswith(("~", ".swp", ".swo", ".swx", ".tmp", ".bak"))
        or name == "4913"  # vim's probe file
    )


def watch_filter(project: Path, out: Path) -> Callable[[watchfiles.Change, str], bool]:
    """Which changed paths can change the site: content/, templates/ and briefgen.toml, minus scratch and output."""

    def accept(_change: watchfiles.Change, raw: str) -> bool:
        path = Path(raw)
        if path.is_relative_to(out) or not path.is_relative_to(project):
            return False
        parts = path.relative_to(project).parts
        if not parts or any(is_scratch(part) for part in parts):
            return False
        return parts[0] in WATCHED or parts == (CONFIG_FILE,)

    return accept


def _stylesheet(project: Path) -> str:
    try:
        return collect_assets(project)["style.css"].data.decode("utf-8")
    except (OSError, KeyError, UnicodeDecodeError):
        return (BUILTIN_TEMPLATES / "assets" / "style.css").read_text("utf-8")


def error_page(problems: Collection[Problem], stylesheet: str) -> bytes:
    """The page shown instead of every page while the site has errors: each problem with file:line and hint."""
    errors = sum(1 for p in problems if p.is_error)
    items = []
    for problem in problems:
        hint = f'<p class="hint">hint: {html.escape(problem.hint)}</p>' if problem.hint else ""
        items.append(
            f'<li class="problem {problem.severity.value}"><p><code class="where">{html.escape(str(problem.location))}'
            f"</code> <strong>{problem.severity.value}:</strong> {html.escape(problem.message)}</p>{hint}</li>"
        )
    title = f"Build failed: {errors} error{'s' * (errors != 1)}"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{stylesheet}</style>\n<style>"
        ".build-errors{border-left:.4rem solid #cf222e;padding:0 1rem}.build-errors ol{padding-left:1.2rem}"
        ".build-errors .problem{margin:1rem 0}.build-errors .where{font-weight:bold}"
        ".build-errors .warning{opacity:.8}.build-errors .hint{margin:.2rem 0 0}"
        "</style>\n</head>\n<body>\n"
        f'<main id="main" class="wrap build-errors" role="alert">\n<h1>{title}</h1>\n'
        "<p>The preview keeps running. Fix these and save: this page reloads by itself.</p>\n"
        f'<ol class="problems">{"".join(items)}</ol>\n</main>\n</body>\n</html>\n'
    ).encode()


class Live:
    """What the preview may show right now, shared by the builder thread and the request threads."""

    def __init__(self, project: Path, out: Path) -> None:
        self.project = project
        self.out = out
        self.server: ReloadServer | None = None
        self._cond = threading.Condition()
        self._epoch = 0
        self._everything_at = 0
        self._page_epochs: dict[str, int] = {}
        self._held: set[str] = set()
        self._problems: tuple[Problem, ...] = ()
        self._unfetched: set[str] = set()
        self._published: frozenset[str] = frozenset()
        self._shows = 0
        self._shows_at_fetch = 0
        self.mount = "/"  # the path the site is served under: base_url's path, as when published

    def mount_at(self, base_url: str) -> None:
        path = urlsplit(base_url).path if base_url else "/"
        self.mount = "/" + path.strip("/") + "/" if path.strip("/") else "/"

    # The builder's side (rebuild.Publisher).

    def hold(self, prefixes: Collection[str]) -> None:
        with self._cond:
            self._held |= set(prefixes)

    def publish(self, urls: Collection[str], release: Collection[str]) -> None:
        with self._cond:
            self._held -= set(release)
            self._epoch += 1
            urls = ["*"] if self._problems else [u if u == "*" else self.mount + u.lstrip("/") for u in urls]
            self._problems = ()
            self._unfetched = set(urls)
            self._published = frozenset(urls)
            for url in urls:
                if url == "*" or url.endswith(".css"):
                    self._everything_at = self._epoch
                else:
                    self._page_epochs[url] = self._epoch
            self._cond.notify_all()
        if self.server is not None and urls:
            self.server.reload(urls)

    def settle(self) -> None:
        """Wait, at most SETTLE_TIMEOUT, until a browser showing a page just published shows the new version.

        Shows: fetched it, then put it in place (or, when reloaded, connected again from it). Until then the
        builder starts no more work, so the browser's request and its work on the page never compete for
        the CPU (or the GIL) with the re-render of the index.
        """
        if self.server is None:
            return
        showing = self.server.pages
        deadline = time.monotonic() + SETTLE_TIMEOUT
        with self._cond:
            if not self._published & showing:
                return  # no browser shows a page just published (or every page changed: no reason to wait)
            self._cond.wait_for(lambda: len(self._unfetched) == 0 or "*" in self._unfetched, SETTLE_TIMEOUT)
            if self._unfetched:
                return
            since = self._shows_at_fetch
            self._cond.wait_for(lambda: self._shows > since, max(0.0, deadline - time.monotonic()))

    def shown(self) -> None:
        """A page was loaded (its reload script connected) or put a new version in place (the reload server calls this)."""
        with self._cond:
            self._shows += 1
            self._cond.notify_all()

    def _fetched(self, url: str) -> None:
        with self._cond:
            if url in self._unfetched:
                self._unfetched.clear()
                self._shows_at_fetch = self._shows
                self._cond.notify_all()

    def fail(self, problems: tuple[Problem, ...]) -> None:
        with self._cond:
            self._held.clear()
            self._epoch += 1
            self._everything_at = self._epoch
            self._problems = problems
            self._cond.notify_all()
        if self.server is not None:
            self.server.reload(["*"])

    # The browser's side.

    def page_epoch(self, url: str) -> int:
        """The build that last changed the page at url (compared with the one a page was served from)."""
        url = url[: -len("index.html")] if url.endswith("index.html") else url
        with self._cond:
            return max(self._everything_at, self._page_epochs.get(url, 0))

    def respond(self, raw_path: str) -> Response:
        """The answer for one URL path: a file of the output (never outside it), the 404 page, or the error page."""
        if not raw_path.startswith(self.mount):
            if raw_path in ("/", "/index.html"):
                return Response(302, "text/plain", b"", location=self.mount)
            return self._not_found()
        path = unquote(raw_path[len(self.mount) - 1 :])
        parts = [part for part in path.split("/") if part not in ("", ".")]
        if "\x00" in path or "\\" in path or any(part == ".." or part.startswith(".") for part in parts):
            return self._not_found()
        relative = "/".join(parts)
        target = self.out / relative
        if target.is_dir():
            if not path.endswith("/"):
                return Response(301, "text/plain", b"", location=raw_path + "/")
            relative, target = (relative + "/index.html").lstrip("/"), target / "index.html"
        with self._cond:
            self._cond.wait_for(lambda: not self._is_held(relative), HOLD_TIMEOUT)
            epoch, problems = self._epoch, self._problems
        page = target.suffix in (".html", "") or not target.is_file()
        if problems and page:
            return Response(
                500, "text/html; charset=utf-8", inject(error_page(problems, _stylesheet(self.project)), epoch)
            )
        if not target.resolve().is_relative_to(self.out.resolve()) or not target.is_file():
            return self._not_found()
        data = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            self._fetched(self.mount + relative.removesuffix("index.html"))
            return Response(200, "text/html; charset=utf-8", inject(data, epoch))
        cache = IMMUTABLE if FINGERPRINTED.fullmatch(relative) else NO_STORE
        return Response(200, kind + ("; charset=utf-8" if kind.startswith("text/") else ""), data, cache=cache)

    def _is_held(self, relative: str) -> bool:
        return any(relative.startswith(prefix) for prefix in self._held)

    def _not_found(self) -> Response:
        with self._cond:
            epoch, problems = self._epoch, self._problems
        if problems:
            return Response(
                500, "text/html; charset=utf-8", inject(error_page(problems, _stylesheet(self.project)), epoch)
            )
        page = self.out / "404.html"
        body = page.read_bytes() if page.is_file() else b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>"
        return Response(404, "text/html; charset=utf-8", inject(body, epoch))


class Builder:
    """Turns queued change batches into rebuilds, one at a time, never dropping one."""

    def __init__(self, preview: Preview, live: Live, report: Callable[[Outcome], None]) -> None:
        self.preview = preview
        self.live = live
        self.report = report
        self.builds = 0
        self._cond = threading.Condition()
        self._changes: set[Path] = set()
        self._stopping = False
        self._idle = True

    def add(self, paths: Collection[Path]) -> None:
        with self._cond:
            self._changes |= set(paths)
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """True once nothing is queued or building (for tests and benchmarks)."""
        with self._cond:
            return self._cond.wait_for(lambda: self._idle and not self._changes, timeout)

    def build(self, changed: Collection[Path]) -> Outcome:
        outcome = self.preview.rebuild(changed, self.live, self._pending)
        if self.preview.config is not None:
            self.live.mount_at(self.preview.config.base_url)
        self.builds += 1
        if not outcome.ok:
            self.live.fail(outcome.problems)
        self.report(outcome)
        return outcome

    def _pending(self) -> bool:
        return bool(self._changes) or self._stopping

    def run(self) -> None:
        if self.preview.renderer is not None:
            self.preview.warm(self._pending)
        while True:
            with self._cond:
                self._cond.wait_for(self._pending)
                if self._stopping:
                    return
                batch, self._changes, self._idle = self._changes, set(), False
            outcome = self.build(batch)
            if outcome.ok and outcome.full:
                self.preview.warm(self._pending)
            with self._cond:
                self._idle = True
                self._cond.notify_all()


class Watcher:
    """Feeds filesystem changes under the project to the builder from the moment start() returns."""

    def __init__(self, project: Path, out: Path, add: Callable[[Collection[Path]], None]) -> None:
        self.project = project
        self.out = out
        self.add = add
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="briefgen-watch", daemon=True)

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("the file watcher did not start")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        changes = watchfiles.watch(
            self.project,
            watch_filter=watch_filter(self.project, self.out),
            debounce=1000,
            step=DEBOUNCE_MS,
            stop_event=self._stop,
            rust_timeout=50,
            yield_on_timeout=True,
            raise_interrupt=False,
        )
        for batch in changes:  # the first (empty, on timeout) batch comes once the watches are in place
            self._ready.set()
            if batch:
                self.add({Path(path) for _, path in batch})


def listen(host: str, port: int, say: Callable[[str], None]) -> list[socket.socket]:
    """Bind host:port, or the next free port (up to PORT_TRIES), saying which; OSError when none is free."""
    for attempt in range(PORT_TRIES):
        candidate = port + attempt if port else 0
        try:
            return bind(host, candidate)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or attempt == PORT_TRIES - 1:
                raise
            say(f"Port {candidate} is already in use; trying {candidate + 1}.")
    raise AssertionError("unreachable")


def terminal_report(stream: object = None) -> Callable[[Outcome], None]:
    """Print each rebuild: a one-line summary, or every problem as `briefgen build` prints them."""
    shown: list[tuple[Problem, ...]] = [()]

    def report(outcome: Outcome) -> None:
        out = sys.stderr if stream is None else stream
        warnings = tuple(p for p in outcome.problems if p.severity is Severity.WARNING)
        if not outcome.ok:
            print_problems(outcome.problems, out)  # type: ignore[arg-type]
            errors = len(outcome.problems) - len(warnings)
            print(
                f"Build failed: {errors} error{'s' * (errors != 1)}. The browser shows them; fix and save.",
                file=out,  # type: ignore[arg-type]
                flush=True,
            )
            shown[0] = ()
            return
        if warnings != shown[0]:
            print_problems(warnings, out)  # type: ignore[arg-type]
            shown[0] = warnings
        what = "Built the site" if outcome.full else "Rebuilt"
        print(f"{what}: {outcome.pages} pages in {outcome.seconds * 1000:.0f} ms.", file=out, flush=True)  # type: ignore[arg-type]

    return report


def serve(project: Path, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False) -> int:
    """Run the preview until Ctrl-C; return the exit code."""
    project = project.resolve()
    if not project.is_dir():
        print(
            f"{project}: error: no such project folder\n    hint: run `briefgen serve` in your project folder",
            file=sys.stderr,
        )
        return 1
    scratch = Path(tempfile.mkdtemp(prefix="briefgen-serve-"))
    out = scratch / "site"
    live = Live(project, out)
    builder = Builder(Preview(project, out), live, terminal_report())
    watcher = Watcher(project, out, builder.add)
    threads: list[threading.Thread] = []
    try:
        watcher.start()
        print(f"Watching {project} for changes; building the preview (drafts included)…", file=sys.stderr, flush=True)
        builder.build([project])
        try:
            sockets = listen(host, port, lambda message: print(message, file=sys.stderr, flush=True))
        except OSError as exc:
            print(
                f"briefgen: error: cannot listen on {host}:{port}: {exc.strerror}\n"
                "    hint: pass a free port with --port, e.g. --port 8080",
                file=sys.stderr,
            )
            return 1
        server = ReloadServer(live.respond, live.page_epoch, live.shown)
        live.server = server
        threads.append(threading.Thread(target=builder.run, name="briefgen-build", daemon=True))
        threads[0].start()
        bound = sockets[0].getsockname()
        url = f"http://{bound[0] if ':' not in bound[0] else '[' + bound[0] + ']'}:{bound[1]}{live.mount}"
        print(f"Serving the preview on {url} (Ctrl-C to stop).", flush=True)
        if open_browser:
            webbrowser.open(url)
        server.run(sockets)
    except KeyboardInterrupt:
        pass
    finally:
        builder.stop()
        watcher.stop()
        for thread in threads:
            thread.join(timeout=5)
        shutil.rmtree(scratch, ignore_errors=True)
    print("Stopped.", file=sys.stderr)
    return 0


def build_preview_once(
    project: Path, out: Path, report: Callable[[Outcome], None] | None = None
) -> tuple[Live, Builder]:
    """A Live and Builder over project → out with the first build done (tests and benchmarks drive them)."""
    live = Live(project.resolve(), out)
    builder = Builder(Preview(project.resolve(), out), live, report or (lambda _outcome: None))
    builder.build([project.resolve()])
    return live, builder


__all__ = ["Builder", "Live", "Watcher", "error_page", "is_scratch", "serve", "url_of", "watch_filter"]
