"""Save-to-reload latency of `briefgen serve` on a generated 1,000-brief site, in a real headless Chromium.

    python bench/serve_latency.py [--briefs 1000] [--saves 30]

Generates the corpus (bench/preview_corpus.py) in a temporary folder, starts `python -m briefgen serve`
on a free loopback port, opens one brief in Chromium and saves a new verdict into its notes.yaml, again
and again. Latency is measured from just before the file write to the moment the page's DOM holds the
new verdict (seen by a MutationObserver, or at DOMContentLoaded when the page is reloaded; wall clock on
both sides, same machine). Target: median under 150 ms, p95 under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.preview_corpus import generate  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


# Reports the verdict text each time it changes: on DOMContentLoaded (a reloaded page) and on every change
# of the DOM (a new version put in place without a reload), with the page's clock at that moment.
SEEN_SCRIPT = """
(() => {
  let last = null;
  const look = () => {
    const v = document.querySelector('#claim-claim-1 .verdict');
    if (v && v.innerText !== last) { last = v.innerText; window.benchSeen(Date.now(), last); }
  };
  document.addEventListener('DOMContentLoaded', () => {
    look();
    new MutationObserver(look).observe(document.documentElement, {childList: true, subtree: true});
  });
})();
"""


def start(project: Path) -> tuple[subprocess.Popen[str], str, list[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", str(project), "--port", "0"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("Serving the preview on "):
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(600):
        process.kill()
        raise SystemExit("serve did not start:\n" + "\n".join(lines))
    url = next(line for line in lines if line.startswith("Serving")).split(" on ", 1)[1].split(" ", 1)[0]
    return process, url, lines


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefs", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as scratch:
        project = generate(Path(scratch) / "project", args.briefs)
        slug = f"brief-{args.briefs // 2:04d}"
        notes = project / "content" / slug / "notes.yaml"
        original = notes.read_text("utf-8")
        anchor = "    verdict: |\n      "
        assert anchor in original
        started = time.perf_counter()
        process, url, lines = start(project)
        print(f"{args.briefs} briefs; serve ready in {time.perf_counter() - started:.1f} s at {url}")
        seen: list[tuple[float, str]] = []
        latencies: list[float] = []
        loads: list[int] = []  # the save being measured at each full page load
        saving = [-1]
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page()
                page.set_default_timeout(60_000)
                page.expose_function("benchSeen", lambda at, text: seen.append((at, text)))
                page.add_init_script(SEEN_SCRIPT)
                page.on("load", lambda _page: loads.append(saving[0]))
                page.goto(f"{url}{slug}/")
                page.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol >= 7")
                time.sleep(3)  # let the preview finish preparing its views
                for n in range(args.warmup + args.saves):
                    marker = f"Benchmark save {n}."
                    saving[0] = n
                    written = time.time() * 1000
                    notes.write_text(original.replace(anchor, f"{anchor}{marker} ", 1), "utf-8")
                    deadline = time.monotonic() + 60
                    while not any(marker in text for _, text in seen):
                        page.wait_for_timeout(20)  # the time is taken in the page; polling faster only adds load
                        if time.monotonic() > deadline:
                            raise SystemExit(f"save {n} never showed up:\n" + "\n".join(lines[-20:]))
                    shown = next(at for at, text in seen if marker in text)
                    if n >= args.warmup:
                        latencies.append(shown - written)
                    time.sleep(0.4)
                browser.close()
        finally:
            process.terminate()
            process.wait(30)
        rebuilds = [line for line in lines if line.startswith("Rebuilt")]
        print(f"saves measured: {len(latencies)} (after {args.warmup} warm-up saves)")
        print(f"saves shown by a full page reload: {sum(1 for n in loads if n >= args.warmup)} of {len(latencies)}")
        print(
            f"save-to-new-DOM latency: median {statistics.median(latencies):.0f} ms, "
            f"p95 {percentile(latencies, 0.95):.0f} ms, min {min(latencies):.0f} ms, max {max(latencies):.0f} ms"
        )
        print("last rebuild lines:", *rebuilds[-3:], sep="\n  ")


if __name__ == "__main__":
    main()
