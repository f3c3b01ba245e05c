"""The browser side of the live preview, and the only module that imports livereload (and its tornado).

What we take from python-livereload: its browser script (livereload.js, LiveReload protocol 7), served
from the installed package. What we do not take: its `Server`. That server starts watching only once a
browser connects (livereload #66), ignores saves within 3 seconds of the last reload (#161, #235, #264),
and keeps its state on class attributes. So this module speaks the protocol itself on a small tornado
application: `/livereload` (WebSocket: hello handshake, then `reload` messages; pages answer `shown`
once a new version is in place), `/livereload.js` (cached by the browser under its content's hash), and
`/.briefgen/epoch` (for pages that connect after a reload was sent). Everything else is answered by the
caller's `respond(path)` function, which knows nothing of tornado; watching and building live in
serve.py. Replacing livereload (as MkDocs did) means replacing this one module.

Speed: a changed page is not reloaded but fetched and put in place (see _CLIENT), which skips the
browser's navigation, a new document and running livereload.js again; about halves save-to-new-DOM time.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import livereload
import tornado.httpserver
import tornado.ioloop
import tornado.netutil
import tornado.web
import tornado.websocket

LIVERELOAD_JS = Path(livereload.__file__).parent / "vendors" / "livereload.js"
_SCRIPT = LIVERELOAD_JS.read_bytes()
SCRIPT_VERSION = hashlib.sha256(_SCRIPT).hexdigest()[:10]  # in the script's URL, so browsers may cache it
PROTOCOL_7 = "http://livereload.com/protocols/official-7"

# Runs before livereload.js: a plugin (picked up by name) that updates only the pages that changed,
# swaps fingerprinted stylesheets in place (style.<hash>.css → style.<newhash>.css) without a reload,
# and, once connected, asks whether this page changed while it was loading. A changed page is fetched
# and put in place of the shown one (head and body; the stylesheets, already loaded, are kept), which
# is much quicker than a reload; when its stylesheets or scripts differ, or it was redirected, the page
# is reloaded instead. Only the newest of overlapping updates is shown, so a page never goes back. Once
# shown, the page tells the server ("shown"), as a reloaded page does by connecting again.
_CLIENT = """<script data-briefgen-reload>
window.LiveReloadPluginBriefgen = (function () {
  var epoch = %(epoch)d, wanted = 0;
  function here() { return location.pathname.replace(/index\\.html$/, ""); }
  function unhashed(url) {
    return url.split(/[?#]/)[0].split("/").pop().replace(/\\.[0-9a-f]{10}\\.css$/, ".css");
  }
  function swapCss(path) {
    var links = document.querySelectorAll('link[rel="stylesheet"]'), done = false;
    links.forEach(function (link) {
      if (unhashed(link.href) === unhashed(path)) { link.href = path; done = true; }
    });
    return done;
  }
  function isSheet(node) { return node.nodeName === "LINK" && /\\bstylesheet\\b/i.test(node.rel); }
  function sheets(doc) {
    return Array.prototype.map.call(doc.querySelectorAll('link[rel~="stylesheet"]'),
      function (link) { return link.href; }).join(" ");  // resolved: swapCss sets absolute paths
  }
  function scripted(doc) {  // scripts of the site's own would not run in a page put in place
    return doc.querySelector('script:not([data-briefgen-reload]):not([type="application/ld+json"])') !== null;
  }
  function show(text) {
    var doc = new DOMParser().parseFromString(text, "text/html"), root = document.documentElement;
    if (sheets(doc) !== sheets(document) || scripted(doc) || scripted(document)) { return false; }
    Array.prototype.slice.call(root.attributes).forEach(function (a) { root.removeAttribute(a.name); });
    Array.prototype.forEach.call(doc.documentElement.attributes, function (a) { root.setAttribute(a.name, a.value); });
    Array.prototype.slice.call(document.head.childNodes).forEach(function (node) {
      if (!isSheet(node)) { node.remove(); }
    });
    Array.prototype.slice.call(doc.head.childNodes).forEach(function (node) {
      if (!isSheet(node)) { document.head.appendChild(document.adoptNode(node)); }
    });
    document.body.replaceWith(document.adoptNode(doc.body));
    var ours = document.querySelectorAll("script[data-briefgen-reload]:not([src])");
    var found = ours.length ? /var epoch = (\\d+)/.exec(ours[ours.length - 1].textContent) : null;
    if (found) { epoch = +found[1]; }
    return true;
  }
  function update() {
    var mine = ++wanted;
    fetch(location.href, {cache: "no-store"}).then(function (response) {
      return response.text().then(function (text) { return {response: response, text: text}; });
    }).then(function (got) {
      if (mine !== wanted) { return; }  // a newer update is on its way
      var done = false;
      try { done = !got.response.redirected && show(got.text); } catch (e) { done = false; }
      if (!done) { location.reload(); return; }
      try { window.LiveReload.connector.sendCommand({command: "shown"}); } catch (e) { /* reconnecting */ }
    }, function () { if (mine === wanted) { location.reload(); } });
  }
  function Plugin() {}
  Plugin.identifier = "briefgen";
  Plugin.version = "2";
  Plugin.prototype.reload = function (path) {
    if (/\\.css$/i.test(path) && swapCss(path)) { return true; }
    if (/\\.css$/i.test(path)) { location.reload(); }
    else if (path === "*" || path.replace(/index\\.html$/, "") === here()) { update(); }
    return true;
  };
  document.addEventListener("LiveReloadConnect", function () {
    fetch("/.briefgen/epoch?page=" + encodeURIComponent(here()), {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (latest) { if (latest > epoch) { location.reload(); } });
  });
  return Plugin;
})();
</script>
<script data-briefgen-reload src="/livereload.js?v=%(version)s&amp;mindelay=200&amp;maxdelay=2000"></script>
"""
NO_STORE = "no-store"
IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Response:
    """What the preview answers for one path: status, content type and body."""

    status: int
    content_type: str
    body: bytes
    location: str = ""
    cache: str = NO_STORE  # Cache-Control: IMMUTABLE for fingerprinted assets, whose name changes with them


def inject(html: bytes, epoch: int) -> bytes:
    """Add the reload script to a page: before </body> when there is one, else at the very end."""
    script = (_CLIENT % {"epoch": epoch, "version": SCRIPT_VERSION}).encode("utf-8")
    at = html.lower().rfind(b"</body>")
    return html + script if at < 0 else html[:at] + script + html[at:]


def page_path(url: str) -> str:
    """The path of a page's URL as pages are published: '/slug/index.html?x#y' → '/slug/'."""
    path = urlsplit(url).path or "/"
    return path[: -len("index.html")] if path.endswith("/index.html") else path


def bind(host: str, port: int) -> list[socket.socket]:
    """Listening sockets on host:port (port 0: any free port); OSError when the port is taken."""
    return tornado.netutil.bind_sockets(port, host, family=socket.AF_INET if ":" not in host else socket.AF_UNSPEC)


class ReloadServer:
    """Serves respond(path) over HTTP and tells connected browsers which pages changed.

    run() blocks in the calling thread; reload() and stop() may be called from any thread.
    """

    def __init__(
        self,
        respond: Callable[[str], Response],
        page_epoch: Callable[[str], int],
        shown: Callable[[], None] = lambda: None,
    ) -> None:
        self._respond = respond
        self._page_epoch = page_epoch
        self._shown = shown
        self._sockets: list[tornado.websocket.WebSocketHandler] = []
        self._pages: dict[tornado.websocket.WebSocketHandler, str] = {}
        self._loop: tornado.ioloop.IOLoop | None = None
        self._ready = threading.Event()
        self._stopped = threading.Event()

    @property
    def browsers(self) -> int:
        """How many pages are connected right now."""
        return len(self._sockets)

    @property
    def pages(self) -> frozenset[str]:
        """The URL paths of the pages connected right now ('/slug/' for '/slug/index.html')."""
        return frozenset(list(self._pages.values()))

    def wait_ready(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    def run(self, sockets: list[socket.socket]) -> None:
        """Serve on the given listening sockets until stop() is called."""
        asyncio.set_event_loop(asyncio.new_event_loop())
        server = tornado.httpserver.HTTPServer(self._application())
        server.add_sockets(sockets)
        self._loop = tornado.ioloop.IOLoop.current()
        self._loop.add_callback(self._ready.set)
        try:
            self._loop.start()
        finally:
            server.stop()
            for handler in list(self._sockets):
                handler.close()
            self._loop.close(all_fds=False)
            asyncio.get_event_loop().close()
            self._stopped.set()

    def stop(self) -> None:
        loop = self._loop
        if loop is not None and not self._stopped.is_set():
            loop.add_callback(loop.stop)

    def reload(self, paths: Iterable[str]) -> None:
        """Tell every connected page that these paths changed ('*': everything; a .css path: that stylesheet)."""
        messages = [json.dumps({"command": "reload", "path": p, "liveCSS": True, "liveImg": True}) for p in paths]
        loop = self._loop
        if loop is not None and messages:
            loop.add_callback(self._send, messages)

    def _send(self, messages: list[str]) -> None:
        for handler in list(self._sockets):
            for message in messages:
                try:
                    handler.write_message(message)
                except tornado.websocket.WebSocketClosedError:
                    self._forget(handler)
                    break

    def _forget(self, handler: tornado.websocket.WebSocketHandler) -> None:
        if handler in self._sockets:
            self._sockets.remove(handler)
        self._pages.pop(handler, None)

    def _application(self) -> tornado.web.Application:
        outer = self

        class Socket(tornado.websocket.WebSocketHandler):
            def check_origin(self, origin: str) -> bool:
                host = self.request.headers.get("Host", "")
                return origin.split("://", 1)[-1] == host

            def on_message(self, message: str | bytes) -> None:
                try:
                    parsed = json.loads(message)
                    command = parsed.get("command")
                except (ValueError, AttributeError):
                    return
                if command == "hello":
                    self.write_message(
                        json.dumps({"command": "hello", "protocols": [PROTOCOL_7], "serverName": "briefgen"})
                    )
                elif command == "info" and self not in outer._sockets:
                    outer._sockets.append(self)
                    outer._pages[self] = page_path(str(parsed.get("url", "")))
                    outer._shown()
                elif command == "shown":
                    outer._shown()

            def on_close(self) -> None:
                outer._forget(self)

        class Script(tornado.web.RequestHandler):
            def get(self) -> None:
                self.set_header("Content-Type", "text/javascript; charset=utf-8")
                fresh = self.get_argument("v", "") == SCRIPT_VERSION
                self.set_header("Cache-Control", IMMUTABLE if fresh else NO_STORE)
                self.write(_SCRIPT)

        class Epoch(tornado.web.RequestHandler):
            def get(self) -> None:
                self.set_header("Content-Type", "application/json")
                self.set_header("Cache-Control", "no-store")
                self.write(json.dumps(outer._page_epoch(self.get_argument("page", "/"))))

        class Files(tornado.web.RequestHandler):
            async def get(self) -> None:
                loop = asyncio.get_running_loop()
                answer = await loop.run_in_executor(None, outer._respond, self.request.path)
                self.set_status(answer.status)
                if answer.location:
                    self.set_header("Location", answer.location)
                self.set_header("Content-Type", answer.content_type)
                self.set_header("Cache-Control", answer.cache)
                self.write(answer.body)

        return tornado.web.Application(
            [(r"/livereload", Socket), (r"/livereload\.js", Script), (r"/\.briefgen/epoch", Epoch), (r"/.*", Files)],
            websocket_ping_interval=0,
            log_function=lambda _handler: None,
        )
