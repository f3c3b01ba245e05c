"""Running `briefgen serve` in a subprocess for tests: bounded in time, always stopped."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import ROOT

START_TIMEOUT = 60.0


@dataclass
class Served:
    """A running preview: its URL, and every line it has printed so far."""

    process: subprocess.Popen[str]
    url: str = ""
    lines: list[str] = field(default_factory=list)
    _queue: queue.Queue[str] = field(default_factory=queue.Queue)

    def collect(self) -> list[str]:
        while True:
            try:
                self.lines.append(self._queue.get_nowait())
            except queue.Empty:
                return self.lines

    def builds(self) -> int:
        return sum(1 for line in self.collect() if line.startswith(("Built the site", "Rebuilt", "Build failed")))

    def wait_for_line(self, predicate: Callable[[str], bool], timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.collect():
                if predicate(line):
                    return line
            time.sleep(0.02)
        raise AssertionError(f"no such line within {timeout} s; output so far:\n" + "\n".join(self.collect()))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url.rstrip("/") + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")

    def wait_for_page(self, path: str, predicate: Callable[[str], bool], timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        body = ""
        while time.monotonic() < deadline:
            body = self.get(path)[1]
            if predicate(body):
                return body
            time.sleep(0.02)
        raise AssertionError(f"page {path} never matched within {timeout} s; last body:\n{body[:2000]}")


def _pump(stream: object, sink: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        sink.put(line.rstrip("\n"))


@contextmanager
def serving(project: Path, *args: str) -> Iterator[Served]:
    """Start `python -m briefgen serve PROJECT --port 0 ARGS`, wait until it serves, and always stop it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    if "--port" not in args:
        args = (*args, "--port", "0")
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", str(project), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    served = Served(process)
    threading.Thread(target=_pump, args=(process.stdout, served._queue), daemon=True).start()
    try:
        line = served.wait_for_line(lambda text: text.startswith("Serving the preview on "), START_TIMEOUT)
        served.url = line.split(" on ", 1)[1].split(" ", 1)[0]
        yield served
    finally:
        stop(served)


def stop(served: Served, timeout: float = 15.0) -> int:
    """Ctrl-C the preview; kill it if it does not stop in time. Returns the exit code."""
    process = served.process
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
    time.sleep(0.05)
    served.collect()
    return process.returncode


def edit(path: Path, old: str, new: str) -> None:
    """Save a file the way an editor does: the whole file, in place."""
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")
