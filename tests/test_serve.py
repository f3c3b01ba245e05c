"""The live preview without a browser: what triggers builds, what is rebuilt, what is served, how it stops."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import shutil
import socket
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import tornado.httpclient
import tornado.websocket
import watchfiles

from briefgen import serve
from briefgen.pipeline import build_project
from briefgen.problems import Location, error
from briefgen.reload import (
    IMMUTABLE,
    LIVERELOAD_JS,
    NO_STORE,
    PROTOCOL_7,
    SCRIPT_VERSION,
    ReloadServer,
    Response,
    bind,
    inject,
    page_path,
)
from briefgen.serve import Live, build_preview_once, error_page, watch_filter
from tests.conftest import run_cli, snapshot
from tests.serve_helpers import edit, serving, stop

NOTES = "content/sample-brief/notes.yaml"
VERDICT = "The council's minutes record the vote."


# What triggers a build


@pytest.mark.parametrize(
    "relative",
    [
        "content/sample-brief/.notes.yaml.swp",
        "content/sample-brief/.notes.yaml.swx",
        "content/sample-brief/notes.yaml~",
        "content/sample-brief/.#notes.yaml",
        "content/sample-brief/#notes.yaml#",
        "content/sample-brief/4913",
        "templates/.brief.html.swp",
        ".git/index",
        "site/index.html",
        "README.md",
        "content/.git/HEAD",
    ],
)
def test_scratch_files_and_output_do_not_trigger_builds(project: Path, relative: str) -> None:
    accept = watch_filter(project, project / "site")
    assert not accept(watchfiles.Change.modified, str(project / relative))


@pytest.mark.parametrize(
    "relative",
    ["content/sample-brief/notes.yaml", "content/sample-brief/article.md", "templates/brief.html", "briefgen.toml"],
)
def test_content_templates_and_config_trigger_builds(project: Path, relative: str) -> None:
    assert watch_filter(project, project / "site")(watchfiles.Change.modified, str(project / relative))


def test_an_output_folder_inside_content_would_never_trigger(project: Path) -> None:
    accept = watch_filter(project, project / "content" / "out")
    assert not accept(watchfiles.Change.added, str(project / "content/out/sample-brief/index.html"))


# The reload script


def test_script_goes_before_the_last_closing_body() -> None:
    page = inject(b"<html><head></head><body><p>x</p></BODY></html>", 7)
    assert page.index(b"livereload.js") < page.index(b"</BODY>")
    assert b"var epoch = 7," in page


def test_pages_without_head_or_body_still_get_the_script() -> None:
    page = inject(b"<p>no head, no body", 1)
    assert page.startswith(b"<p>no head, no body") and b"livereload.js" in page


# Serving files: never outside the output folder


@pytest.fixture
def live(tmp_path: Path) -> Live:
    out = tmp_path / "out"
    (out / "brief").mkdir(parents=True)
    (out / "brief" / "index.html").write_text("<html><body>brief</body></html>")
    (out / "assets").mkdir()
    (out / "assets" / "style.css").write_text("body{}")
    (out / ".briefgen-output").write_text("")
    (out / "404.html").write_text("<html><body>not here</body></html>")
    (tmp_path / "secret.txt").write_text("SECRET")
    return Live(tmp_path, out)


@pytest.mark.parametrize(
    "raw",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/brief/../../secret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/..\\secret.txt",
        "/%00/secret.txt",
        "/.briefgen-output",
        "//etc/passwd",
    ],
)
def test_no_path_leaves_the_output_folder(live: Live, raw: str) -> None:
    answer = live.respond(raw)
    assert answer.status == 404 and b"SECRET" not in answer.body and b"not here" in answer.body


def test_pages_get_the_script_and_assets_do_not(live: Live) -> None:
    page = live.respond("/brief/")
    assert page.status == 200 and b"brief" in page.body and b"livereload.js" in page.body
    css = live.respond("/assets/style.css")
    assert css.status == 200 and css.body == b"body{}" and css.content_type.startswith("text/css")


def test_fingerprinted_assets_are_cached_for_good_and_everything_else_never(live: Live) -> None:
    (live.out / "assets" / "style.0123456789.css").write_text("body{}")
    assert live.respond("/assets/style.0123456789.css").cache == IMMUTABLE  # its name changes with its content
    for path in ("/brief/", "/assets/style.css", "/404.html", "/missing/"):
        assert live.respond(path).cache == NO_STORE, path


def test_the_reload_script_is_cached_only_under_its_own_version() -> None:
    page = inject(b"<body></body>", 1)
    assert f"/livereload.js?v={SCRIPT_VERSION}&amp;".encode() in page
    assert hashlib.sha256(LIVERELOAD_JS.read_bytes()).hexdigest()[:10] == SCRIPT_VERSION


def test_a_folder_without_its_slash_is_redirected(live: Live) -> None:
    answer = live.respond("/brief")
    assert answer.status == 301 and answer.location == "/brief/"


def test_a_site_with_a_base_path_is_served_under_it(live: Live) -> None:
    live.mount_at("https://example.org/briefs/")
    assert live.respond("/briefs/brief/").status == 200
    assert live.respond("/").status == 302 and live.respond("/").location == "/briefs/"
    assert live.respond("/brief/").status == 404


# The error page


def test_error_page_lists_every_problem_escaped() -> None:
    problems = [
        error(Location("content/a/notes.yaml", 7, 3), "YAML syntax error: <script>", "close the [ bracket"),
        error(Location("content/b/article.md", 2), "missing 'title'", ""),
    ]
    page = error_page(problems, "body{color:red}").decode()
    assert "content/a/notes.yaml:7:3" in page and "content/b/article.md:2:1" in page
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "hint: close the [ bracket" in page and "Build failed: 2 errors" in page and "body{color:red}" in page


# Rebuilds: only what changed, and exactly what a full build writes


def assert_same_as_full_build(project: Path, out: Path, full: Path) -> None:
    """The preview's output is exactly what a full preview build (pages only, drafts shown) writes."""
    build_project(project, full, drafts=True, search=False, publish=False)
    assert snapshot(out) == snapshot(full)


def _two_briefs(project: Path) -> Path:
    shutil.copytree(project / "content/sample-brief", project / "content/other-brief")
    return project


def test_a_notes_change_rebuilds_only_that_brief_and_matches_a_full_build(project: Path, tmp_path: Path) -> None:
    _two_briefs(project)
    out = tmp_path / "preview"
    _, builder = build_preview_once(project, out)
    other_before = (out / "other-brief/index.html").stat().st_mtime_ns
    edit(project / NOTES, VERDICT, "The minutes were amended later.")
    outcome = builder.build([project / NOTES])
    assert outcome.ok and not outcome.full
    assert "The minutes were amended later." in (out / "sample-brief/index.html").read_text()
    assert (out / "other-brief/index.html").stat().st_mtime_ns == other_before
    assert_same_as_full_build(project, out, tmp_path / "full")


def test_a_save_already_queued_takes_over_the_index_render(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "preview"
    _, builder = build_preview_once(project, out)
    edit(project / NOTES, "Fact-check: the budget report", "Fact-check: the amended budget report")
    outcome = builder.preview.rebuild([project / NOTES], builder.live, interrupted=lambda: True)
    assert outcome.ok and not outcome.full
    assert "the amended budget report" in (out / "sample-brief/index.html").read_text()
    assert "the amended budget report" not in (out / "index.html").read_text()  # left to the queued save
    edit(project / NOTES, VERDICT, "The minutes were amended later.")
    assert builder.build([project / NOTES]).ok
    assert_same_as_full_build(project, out, tmp_path / "full")


def test_a_removed_claim_loses_its_page_and_the_index_follows(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "preview"
    _, builder = build_preview_once(project, out)
    notes = project / NOTES
    text = notes.read_text()
    notes.write_text(text[: text.index("  - id: unemployment")].replace("status: mostly-true", "status: false"))
    assert builder.build([notes]).ok
    assert not (out / "sample-brief/unemployment").exists()
    assert_same_as_full_build(project, out, tmp_path / "full")


def test_templates_and_config_rebuild_everything(project: Path, tmp_path: Path) -> None:
    _, builder = build_preview_once(project, tmp_path / "preview")
    (project / "templates").mkdir()
    (project / "templates/404.html").write_text("<p>custom 404</p>")
    assert builder.build([project / "templates/404.html"]).full
    assert "custom 404" in (tmp_path / "preview/404.html").read_text()
    assert builder.build([project / "briefgen.toml"]).full


def test_an_error_shows_in_every_page_and_the_fix_brings_it_back(project: Path, tmp_path: Path) -> None:
    live, builder = build_preview_once(project, tmp_path / "preview")
    assert live.mount == "/briefs/"  # the fixture's base_url is https://example.org/briefs/
    edit(project / NOTES, "tags: [budget]", "tags: [budget")
    outcome = builder.build([project / NOTES])
    assert not outcome.ok
    for path in ("/briefs/sample-brief/", "/briefs/", "/briefs/no-such-page/"):
        answer = live.respond(path)
        assert answer.status == 500 and b"content/sample-brief/notes.yaml:7:" in answer.body
        assert b"livereload.js" in answer.body
    assert live.respond("/briefs/sample-brief/").body.count(b"YAML syntax error") == 1
    edit(project / NOTES, "tags: [budget", "tags: [budget]")
    assert builder.build([project / NOTES]).ok
    answer = live.respond("/briefs/sample-brief/")
    assert answer.status == 200 and VERDICT.encode() in answer.body.replace(b"&#39;", b"'")


def test_a_template_that_raises_is_reported_not_fatal(project: Path, tmp_path: Path) -> None:
    live, builder = build_preview_once(project, tmp_path / "preview")
    (project / "templates").mkdir()
    (project / "templates/brief.html").write_text(
        '{% extends "base.html" %}\n{% block content %}{% if %}{% endblock %}'
    )
    outcome = builder.build([project / "templates/brief.html"])
    assert not outcome.ok
    assert str(outcome.problems[0].location).startswith("templates/brief.html:2")
    assert b"template syntax error" in live.respond("/briefs/sample-brief/").body


def test_pages_being_rewritten_are_held_until_published(live: Live) -> None:
    live.hold(["brief/"])
    started = time.monotonic()
    threading.Timer(0.3, lambda: live.publish(["/brief/"], ["brief/"])).start()
    assert live.respond("/brief/").status == 200
    assert time.monotonic() - started >= 0.25
    assert live.respond("/assets/style.css").status == 200


class OneBrowser:
    pages = frozenset({"/brief/"})

    def reload(self, _paths: object) -> None:
        pass


def test_settle_waits_until_the_reloaded_page_is_fetched_and_connected_again(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve, "SETTLE_TIMEOUT", 30.0)
    live.server = OneBrowser()  # type: ignore[assignment]
    live.publish(["/brief/"], ())
    events: list[str] = []
    settling = threading.Thread(target=lambda: (live.settle(), events.append("settled")))
    settling.start()
    live.shown()  # a page that connected before fetching the new one does not count
    assert live.respond("/brief/").status == 200
    time.sleep(0.1)
    events.append("connected")
    live.shown()
    settling.join(10)
    assert events == ["connected", "settled"]


def test_settle_does_not_wait_when_no_browser_shows_a_page_just_published(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve, "SETTLE_TIMEOUT", 30.0)
    live.server = OneBrowser()  # type: ignore[assignment]
    live.publish(["/other/"], ())
    settling = threading.Thread(target=live.settle)
    settling.start()
    settling.join(10)  # would wait the 30 s for a fetch of /other/ that never comes
    assert not settling.is_alive()


@pytest.mark.parametrize(
    ("url", "path"),
    [("http://h:1/briefs/x/", "/briefs/x/"), ("http://h:1/x/index.html?a=1#b", "/x/"), ("http://h:1", "/")],
)
def test_the_page_a_browser_shows(url: str, path: str) -> None:
    assert page_path(url) == path


def test_page_epochs_tell_a_late_page_whether_it_missed_a_reload(live: Live) -> None:
    live.publish(["*"], ())
    live.publish(["/brief/"], ())
    assert live.page_epoch("/brief/") == 2 and live.page_epoch("/brief/index.html") == 2
    assert live.page_epoch("/other/") == 1


# The real command, in a subprocess


def test_watching_starts_at_once_without_a_browser_and_no_save_is_lost(project: Path) -> None:
    with serving(project) as served:
        edit(project / NOTES, VERDICT, "First edit.")
        served.wait_for_page("/sample-brief/", lambda body: "First edit." in body)
        started = time.monotonic()
        edit(project / NOTES, "First edit.", "Second edit.")
        served.wait_for_page("/sample-brief/", lambda body: "Second edit." in body, timeout=2.5)
        assert time.monotonic() - started < 2.5  # python-livereload would ignore this save for 3 s
    assert stop(served) == 0


def test_scratch_files_do_not_build_and_a_burst_builds_once(project: Path, tmp_path: Path) -> None:
    with serving(project) as served:
        served.wait_for_line(lambda line: line.startswith("Built the site"))
        before = served.builds()
        brief = project / "content/sample-brief"
        for name in (".notes.yaml.swp", "notes.yaml~", ".#notes.yaml", "4913", "#notes.yaml#"):
            (brief / name).write_text("scratch")
        run_cli("build", str(project), "--out", str(project / "site"), check=True)
        time.sleep(1.0)
        assert served.builds() == before, served.collect()
        staged = []  # an editor's "save all" / a git checkout: many files replaced in a few milliseconds
        for n in range(6):
            notes = brief / f".notes-{n}.part"
            notes.write_text((brief / "notes.yaml").read_text().replace(VERDICT, f"Burst {n}."))
            article = brief / f".article-{n}.part"
            article.write_text((brief / "article.md").read_text() + f"\n<!-- {n} -->\n")
            staged += [(notes, brief / "notes.yaml"), (article, brief / "article.md")]
        for source, target in staged:
            source.replace(target)
        served.wait_for_page("/sample-brief/", lambda body: "Burst 5." in body)
        time.sleep(0.5)
        assert served.builds() == before + 1, served.collect()


def test_the_browser_keeps_the_reload_script_and_assets_but_never_a_page(project: Path) -> None:
    with serving(project) as served:
        body = served.get("/sample-brief/")[1]
        stylesheet = re.search(r'href="([^"]+/assets/style\.[0-9a-f]{10}\.css)"', body)
        assert stylesheet, body
        base = served.url.split("/briefs/")[0]
        for path, cache in (
            (f"/livereload.js?v={SCRIPT_VERSION}&mindelay=200", IMMUTABLE),
            ("/livereload.js", NO_STORE),
            (urlsplit(urljoin(served.url + "sample-brief/", stylesheet.group(1))).path, IMMUTABLE),
            ("/briefs/sample-brief/", NO_STORE),
        ):
            with urllib.request.urlopen(base + path, timeout=10) as response:
                assert response.headers["Cache-Control"] == cache, path


def test_a_busy_port_moves_to_the_next_one_and_says_so(project: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with serving(project, "--port", str(port)) as served:
            assert f"Port {port} is already in use; trying {port + 1}." in served.collect()
            assert served.url == f"http://127.0.0.1:{port + 1}/briefs/"
            assert served.get("/sample-brief/")[0] == 200


def test_ctrl_c_stops_cleanly(project: Path) -> None:
    with serving(project) as served:
        assert served.get("/")[0] == 200
    assert served.process.returncode == 0
    assert "Stopped." in served.lines and not any("Traceback" in line for line in served.lines)


def test_build_leaves_drafts_out_and_serve_shows_them_marked(project: Path, tmp_path: Path) -> None:
    edit(project / NOTES, "tags: [budget]", "tags: [budget]\ndraft: true")
    run_cli("build", str(project), "--out", str(tmp_path / "public"), check=True)
    assert not (tmp_path / "public/sample-brief").exists()
    with serving(project) as served:
        status, body = served.get("/sample-brief/")
        assert status == 200 and 'class="draft-banner"' in body


def test_the_reload_server_tells_when_a_page_connects_or_shows_a_new_version() -> None:
    shown: list[int] = []
    server = ReloadServer(lambda _path: Response(200, "text/plain", b""), lambda _page: 0, lambda: shown.append(1))
    sockets = bind("127.0.0.1", 0)
    port = sockets[0].getsockname()[1]
    thread = threading.Thread(target=server.run, args=(sockets,), daemon=True)
    thread.start()
    assert server.wait_ready(10)

    async def talk() -> list[str]:
        url = f"ws://127.0.0.1:{port}/livereload"
        url_base = f"http://127.0.0.1:{port}"
        socket_ = await tornado.websocket.websocket_connect(
            tornado.httpclient.HTTPRequest(url, headers={"Origin": f"http://127.0.0.1:{port}"})
        )
        socket_.write_message(json.dumps({"command": "hello", "protocols": [PROTOCOL_7]}))
        hello = await asyncio.wait_for(socket_.read_message(), 10)
        socket_.write_message(json.dumps({"command": "info", "plugins": {}, "url": f"{url_base}/x/index.html"}))
        socket_.write_message(json.dumps({"command": "shown"}))
        for _ in range(500):
            if len(shown) == 2:
                break
            await asyncio.sleep(0.01)
        pages = server.pages
        server.reload(["/brief/"])
        reload = await asyncio.wait_for(socket_.read_message(), 10)
        socket_.close()
        return [str(hello), str(reload), ",".join(pages)]

    try:
        with ThreadPoolExecutor(1) as pool:  # its own event loop (a browser test may have one running here)
            hello, reload, pages = pool.submit(asyncio.run, talk()).result(30)
    finally:
        server.stop()
        thread.join(10)
    assert json.loads(hello)["command"] == "hello" and json.loads(reload)["path"] == "/brief/"
    assert shown == [1, 1]  # the page connecting (after a reload), then putting a new version in place
    assert pages == "/x/"  # which page it shows
