"""Headless Chromium through Selenium, for the static-site tests and benchmarks/site.py.

Uses the system's chromium and chromedriver (Debian's `chromium` and `chromium-driver`), or the ones
$PAPERS_CHROMIUM and $PAPERS_CHROMEDRIVER name; nothing is downloaded. `PAPERS_REQUIRE_BROWSER=1` (set by
.ci/run) turns a missing browser into a failure.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def browser_paths() -> tuple[str, str] | None:
    """(chromium, chromedriver) if both are installed, else None."""
    chosen = os.environ.get("PAPERS_CHROMIUM")
    browser = shutil.which(chosen) if chosen else next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    driver = shutil.which(os.environ.get("PAPERS_CHROMEDRIVER") or "chromedriver")
    return (browser, driver) if browser and driver else None


def missing_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if browser_paths() is None:
        return "no chromium/chromedriver on PATH (Debian: apt-get install chromium chromium-driver)"
    return None


@contextmanager
def chromium(width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A headless Chromium WebDriver with a fresh profile, logging the browser console."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    paths = browser_paths()
    assert paths is not None, missing_reason()
    browser, driver_path = paths
    profile = tempfile.mkdtemp(prefix="papers-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "--lang=en-US",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def file_url(path: Path) -> str:
    return path.resolve().as_uri()
