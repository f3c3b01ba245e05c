"""Build the same synthetic corpus with briefgen, Hugo and Pelican, alternating, and compare.

    python bench/run.py                       # 200, 2,000 and 10,000 briefs, 3 rounds each
    python bench/run.py --sizes 2000 --rounds 5 --peers hugo

Every measurement is a fresh process: wall time, and peak RSS from resource.getrusage(RUSAGE_CHILDREN)
of a small wrapper process (the largest single process of the build, workers included). Within a
round the tools run one after the other in a rotating order, so machine noise hits all of them alike;
only medians and ratios from the same run mean anything on a shared machine.

Scenarios: cold builds for every tool (no output folder); for briefgen also rebuilds with nothing
changed and after one brief is edited. A peer that is not installed is skipped, saying so.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402 - bench/ is not a package

WRAPPER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "rss_kb": rss, "code": done.returncode, "err": done.stderr.decode()[-2000:]}))
"""


@dataclass(frozen=True)
class Run:
    wall: float
    rss_mb: float


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run one command in a fresh wrapper process; its wall time and the peak RSS of its largest process."""
    result = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(cwd), *command],
        capture_output=True,
        text=True,
        env=env,
        timeout=3600,
        check=True,
    )
    data = json.loads(result.stdout)
    if data["code"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed in {cwd} ({data['code']}):\n{data['err']}")
    return Run(float(data["wall"]), int(data["rss_kb"]) / 1024)


def ensure_corpus(n: int, seed: int) -> Path:
    """bench/_corpus/N, generated once per (N, seed, generator)."""
    root = corpus.DEFAULT_OUT / str(n)
    stamp = f"{n}:{seed}:{(HERE / 'corpus.py').stat().st_size}"
    marker = root / ".complete"
    if marker.exists() and marker.read_text() == stamp:
        return root
    started = time.perf_counter()
    corpus.generate(n, corpus.DEFAULT_OUT, seed)
    marker.write_text(stamp)
    print(f"  generated {n:,} briefs in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return root


def _clear(*paths: Path) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)


@dataclass(frozen=True)
class Tool:
    name: str
    prepare: Callable[[Path], None]  # make a cold start
    command: Callable[[Path], list[str]]
    folder: str
    env: dict[str, str] | None = None


def briefgen_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def tools(peers: list[str]) -> list[Tool]:
    found = [
        Tool(
            "briefgen",
            lambda root: _clear(root / "site", root / ".briefgen-cache"),
            # --no-search: the peers build no search index either (Pagefind adds its own indexing time)
            lambda root: [sys.executable, "-m", "briefgen", "build", "-q", "--no-search", "."],
            "briefgen",
            briefgen_env(),
        )
    ]
    if "hugo" in peers:
        if shutil.which("hugo"):
            found.append(
                Tool(
                    "hugo",
                    lambda root: _clear(root / "public", root / "resources"),
                    lambda root: ["hugo", "--quiet", "--destination", "public"],
                    "hugo",
                )
            )
        else:
            print("skipping Hugo: `hugo` is not installed (apt-get install hugo)", file=sys.stderr)
    if "pelican" in peers:
        if shutil.which("pelican"):
            found.append(
                Tool(
                    "pelican",
                    lambda root: _clear(root / "output", root / "cache"),
                    lambda root: ["pelican", "-q", "content", "-s", "pelicanconf.py", "-o", "output"],
                    "pelican",
                )
            )
        else:
            print("skipping Pelican: `pelican` is not installed (pip install pelican markdown)", file=sys.stderr)
    return found


def edit_one(root: Path, round_no: int) -> None:
    """Change one brief's verdict text (a different text every round)."""
    briefs = sorted((root / "briefgen" / "content").iterdir())
    folder = briefs[len(briefs) // 2]
    notes = folder / "notes.yaml"
    lines = notes.read_text("utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("    verdict: |"))
    lines[at + 1] = f"      Edited in round {round_no}. " + lines[at + 1].strip().split(". ", 1)[-1]
    notes.write_text("\n".join(lines), "utf-8")


def bench_size(n: int, rounds: int, peers: list[str], seed: int, cold_only: bool = False) -> dict[str, list[Run]]:
    root = ensure_corpus(n, seed)
    results: dict[str, list[Run]] = {}
    chosen = tools(peers)
    for round_no in range(rounds):
        order = chosen[round_no % len(chosen) :] + chosen[: round_no % len(chosen)]
        for tool in order:
            folder = root / tool.folder
            tool.prepare(folder)
            run = measure(tool.command(folder), folder, tool.env)
            results.setdefault(f"{tool.name} cold", []).append(run)
            print(f"  {n:>6,} {tool.name:<9} cold   {run.wall:7.2f} s {run.rss_mb:6.0f} MB", file=sys.stderr)
            if tool.name != "briefgen" or cold_only:
                continue
            command = tool.command(folder)
            for label, change in (("no change", None), ("edit", edit_one), ("no change", None), ("edit", edit_one)):
                if change:
                    change(root, round_no * 10 + len(results.get(f"briefgen {label}", [])))
                run = measure(command, folder, tool.env)
                results.setdefault(f"briefgen {label}", []).append(run)
                print(f"  {n:>6,} briefgen {label:<11} {run.wall:7.2f} s {run.rss_mb:6.0f} MB", file=sys.stderr)
    return results


def table(all_results: dict[int, dict[str, list[Run]]]) -> str:
    lines = [
        "| briefs | build | median wall (s) (min–max) | runs | peak RSS (MB) | peer time ÷ briefgen cold |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for n, results in all_results.items():
        ours = statistics.median(r.wall for r in results["briefgen cold"])
        for name, runs in results.items():
            wall = statistics.median(r.wall for r in runs)
            rss = max(r.rss_mb for r in runs)
            ratio = f"{wall / ours:.2f}×" if name.endswith("cold") and not name.startswith("briefgen") else ""
            spread = f"{min(r.wall for r in runs):.2f}–{max(r.wall for r in runs):.2f}"
            lines.append(f"| {n:,} | {name} | {wall:.2f} ({spread}) | {len(runs)} | {rss:.0f} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 10000])
    parser.add_argument("--rounds", type=int, default=3, help="rounds per size (default 3)")
    parser.add_argument("--peers", nargs="*", default=["hugo", "pelican"], help="peers to compare (hugo, pelican)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cold-only", action="store_true", help="only clean builds (no rebuild scenarios)")
    parser.add_argument("--json", type=Path, help="also write every measurement to this file")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start", file=sys.stderr)
    all_results = {}
    for n in args.sizes:
        all_results[n] = bench_size(n, args.rounds, args.peers, args.seed, args.cold_only)
    print(table(all_results))
    print(f"\nload average at end: {os.getloadavg()[0]:.1f}")
    if args.json:
        data = {str(n): {k: [r.__dict__ for r in v] for k, v in res.items()} for n, res in all_results.items()}
        args.json.write_text(json.dumps(data, indent=1))


if __name__ == "__main__":
    main()
