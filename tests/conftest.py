"""Shared test helpers: fixture projects, running the CLI, and a real headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def no_background_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds start no background job (briefgen/spare.py) unless a test asks for one: tests stay deterministic."""
    monkeypatch.setenv("BRIEFGEN_BACKGROUND", "0")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the minimal fixture project, safe to edit."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


def copy_fixture(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


def run_cli(*args: str, cwd: Path | None = None, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run `python -m briefgen ARGS` as a user would, in a separate process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", *args], cwd=cwd or ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if check and result.returncode != 0:
        raise AssertionError(f"briefgen {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes, to prove that a folder is untouched."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright. Locally it may be missing (skip, saying why); in CI it must be there."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Playwright for Python is not installed (pip install playwright); CI installs it")
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError(f"{CHROMIUM} is missing; .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not found (apt-get install chromium); CI installs it")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def artifacts() -> Path:
    """Folder for screenshots a test writes; look at them after a run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
