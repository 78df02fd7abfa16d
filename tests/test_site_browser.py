"""The static site in a real browser: headless Chromium driven through Selenium, pages loaded from file://.

Skipped when chromium, chromedriver or selenium is missing, unless PAPERS_REQUIRE_BROWSER=1 (set by .ci/run),
which makes that a failure. Screenshots (desktop and phone width) go to $PAPERS_ARTIFACTS if set, else to
a pytest temporary folder; the path is printed with `-s`.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from papercli.export.bibtex import render_bibtex
from papercli.export.html import render_site
from papercli.models import Catalog, Institution, Paper, ReadingList, Section, Tag
from papercli.query import PaperFilter, select_papers
from tests.browser import chromium, file_url, missing_reason
from tests.helpers import bundled_catalog

BUNDLED = bundled_catalog()
VISIBLE_PAPERS = """
return Array.from(document.querySelectorAll('article.paper[id]'))
  .filter(a => a.offsetParent !== null).map(a => a.id);
"""


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    reason = missing_reason()
    if reason:
        if os.environ.get("PAPERS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"PAPERS_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    with chromium() as browser:
        browser.set_page_load_timeout(60)
        yield browser


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled catalog's site (every paper) and its must-read list's site."""
    root = tmp_path_factory.mktemp("sites")
    built = {}
    for name, list_id in (("all", None), ("must-read", "must-read")):
        papers = select_papers(BUNDLED, PaperFilter(reading_list=list_id))
        built[name] = write_site(root / name, render_site(BUNDLED, papers, reading_list=list_id))
    return built


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("PAPERS_ARTIFACTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


def write_site(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder / "index.html"


def open_page(driver: Any, page: Path, suffix: str = "") -> None:
    driver.get_log("browser")  # what earlier pages logged is theirs; this page's load is checked
    driver.get(file_url(page) + suffix)


def console_problems(driver: Any) -> list[dict[str, Any]]:
    return [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def type_query(driver: Any, text: str) -> list[str]:
    box = driver.find_element("id", "_q")
    box.clear()
    driver.execute_script("arguments[0].dispatchEvent(new Event('input'))", box)
    box.send_keys(text)
    visible: list[str] = driver.execute_script(VISIBLE_PAPERS)
    return visible


def expected_matches(catalog: Catalog, query: str) -> list[str]:
    """What the filter box should leave, worked out here from the catalog: every word of the query occurs
    (ignoring case and full-width forms) in a paper's text or in a name or alias of its tags or institutions."""
    tags = {t.name: (t.name, *t.aliases) for t in catalog.tags}
    insts = {i.name: (i.name, *i.aliases) for i in catalog.institutions}

    def fold(text: str) -> str:
        return unicodedata.normalize("NFKC", text).lower()

    words = fold(query).split()
    found = []
    for p in catalog.papers:
        fields = [p.id, p.title, p.title_zh or "", *p.authors, p.venue or "", p.summary or "", p.note]
        fields += [s for t in p.tags for s in tags[t]] + [s for i in p.institutions for s in insts[i]]
        text = fold("\n".join(fields))
        if all(w in text for w in words):
            found.append(p.id)
    return found


def test_bundled_site_loads_clean_and_screenshots(driver: Any, sites: dict[str, Path], artifacts: Path) -> None:
    driver.set_window_size(1280, 900)
    open_page(driver, sites["must-read"])
    count = driver.find_element("id", "_count").text
    assert count == f"{len(BUNDLED.reading_list('must-read').paper_ids())} papers"  # type: ignore[union-attr]
    assert driver.find_element("id", "_filters").is_displayed()
    assert driver.save_screenshot(str(artifacts / "must-read-desktop.png"))
    driver.set_window_size(390, 844)
    open_page(driver, sites["all"])
    driver.execute_script("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
    assert driver.save_screenshot(str(artifacts / "all-phone.png"))
    driver.set_window_size(1280, 900)
    assert console_problems(driver) == []


def test_dark_theme_follows_the_system(driver: Any, sites: dict[str, Path], artifacts: Path) -> None:
    background = "return getComputedStyle(document.body).backgroundColor"
    open_page(driver, sites["all"])
    light = driver.execute_script(background)
    try:
        driver.execute_cdp_cmd(
            "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}
        )
        dark = driver.execute_script(background)
        assert driver.save_screenshot(str(artifacts / "all-dark.png"))
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert light == "rgb(255, 255, 255)" and dark == "rgb(13, 17, 23)"
    assert console_problems(driver) == []


def test_typing_chinese_and_english_filters_papers(driver: Any, sites: dict[str, Path]) -> None:
    open_page(driver, sites["all"])
    rag = [p.id for p in BUNDLED.papers if "RAG" in p.tags]
    microsoft = [p.id for p in BUNDLED.papers if {"Microsoft", "Microsoft Research"} & set(p.institutions)]
    cases = {"检索增强": rag, "微软": microsoft, "lora": ["lora", "qlora"], "Self-RAG critique": ["self-rag"]}
    for query, must_include in cases.items():
        visible = type_query(driver, query)
        assert visible == expected_matches(BUNDLED, query), query
        assert set(must_include) <= set(visible), query
        assert len(visible) < len(BUNDLED.papers), query
    assert type_query(driver, "no paper has this text") == []
    assert driver.find_element("id", "_empty").is_displayed()
    driver.find_element("css selector", "body").send_keys("/lora")  # "/" jumps to the box, selecting its text
    assert driver.find_element("id", "_q").get_attribute("value") == "lora"
    assert len(type_query(driver, "")) == len(BUNDLED.papers)
    assert console_problems(driver) == []


def test_facets_and_query_live_in_the_url_and_come_back(driver: Any, sites: dict[str, Path]) -> None:
    from selenium.webdriver.support.ui import Select, WebDriverWait

    open_page(driver, sites["all"])
    type_query(driver, "检索")
    Select(driver.find_element("id", "_tag")).select_by_value("RAG")
    Select(driver.find_element("id", "_year")).select_by_value("2023")
    visible = driver.execute_script(VISIBLE_PAPERS)
    expected = [
        pid for pid in expected_matches(BUNDLED, "检索") if _paper(pid).year == 2023 and "RAG" in _paper(pid).tags
    ]
    assert visible == expected and visible
    WebDriverWait(driver, 5).until(lambda d: "year=2023" in d.current_url)
    shared = driver.current_url
    assert "tag=RAG" in shared and "q=" in shared
    open_page(driver, sites["must-read"])  # elsewhere, then back through the shared address
    driver.get(shared)
    assert driver.execute_script(VISIBLE_PAPERS) == expected
    assert driver.find_element("id", "_q").get_attribute("value") == "检索"
    # A click on a paper's institution narrows to it (and clears nothing else).
    driver.find_element("id", "_reset").click()
    driver.find_element("css selector", '#lora a.chip.inst[data-inst="Microsoft"]').click()
    visible = driver.execute_script(VISIBLE_PAPERS)
    assert visible == [p.id for p in BUNDLED.papers if "Microsoft" in p.institutions]
    assert console_problems(driver) == []


def _paper(pid: str) -> Paper:
    paper = BUNDLED.paper(pid)
    assert paper is not None
    return paper


def in_view(driver: Any, element_id: str) -> bool:
    """Whether the element's top is in the window, once the frame after the page's scrolling is drawn."""
    top, height = driver.execute_async_script(
        f"""const done = arguments[0];
        requestAnimationFrame(() => requestAnimationFrame(() => done(
            [document.getElementById('{element_id}').getBoundingClientRect().top, window.innerHeight])));"""
    )
    assert 0 <= top < height, f"#{element_id} is at {top}px, the window is {height}px high"
    return True


def test_section_links_and_anchors_land_on_their_target(driver: Any, sites: dict[str, Path]) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(driver, sites["must-read"])
    must_read = BUNDLED.reading_list("must-read")
    assert must_read is not None
    third = driver.find_element("css selector", '#_toc a[href="#sec_3"]')
    assert third.text.startswith("3 ") and must_read.sections[2].title in third.text
    third.click()
    assert driver.execute_script("return location.hash") == "#sec_3" and in_view(driver, "sec_3")
    assert driver.execute_script("return document.querySelectorAll('#sec_3 details[open]').length") == 0
    # The same link again while the filter hides that whole part: the filter is cleared to show it.
    assert type_query(driver, "no paper has this text") == []
    WebDriverWait(driver, 5).until(lambda d: "?q=" in d.current_url)  # the filter is in the address too
    driver.find_element("css selector", '#_toc a[href="#sec_3"]').click()
    assert driver.find_element("id", "_q").get_attribute("value") == ""
    assert driver.find_element("id", "sec_3").is_displayed() and in_view(driver, "sec_3")
    # Following a link right after typing keeps what was typed (the address is written only after a pause).
    type_query(driver, "GPT")
    driver.find_element("css selector", '#_toc a[href="#sec_2"]').click()
    assert driver.find_element("id", "_q").get_attribute("value") == "GPT"
    assert " of " in driver.find_element("id", "_count").text
    first_of_third = must_read.sections[2].papers[0]
    number = driver.find_element("css selector", f"#{first_of_third} h3 .num").text
    assert number == "3.1"
    # An anchor to a paper the current filter hides: the filter is cleared and the paper shown, notes open.
    open_page(driver, sites["must-read"], "#%E0%A4%A")  # a malformed fragment is no error
    assert console_problems(driver) == []
    open_page(driver, sites["must-read"], "?q=nothing-matches-this#lora")
    assert driver.find_element("id", "lora").is_displayed() and in_view(driver, "lora")
    assert driver.find_element("id", "_q").get_attribute("value") == ""
    assert driver.execute_script("return document.querySelector('#lora details.note').open")
    assert console_problems(driver) == []


def test_copy_bibtex_button(driver: Any, sites: dict[str, Path]) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(driver, sites["all"])
    button = driver.find_element("css selector", "#qlora button.copy")
    button.click()
    WebDriverWait(driver, 5).until(lambda _: button.text != "Copy BibTeX")
    assert button.text in ("Copied", "Selected: press Ctrl+C")
    shown = driver.execute_script("return document.querySelector('#qlora .bib pre').textContent")
    assert shown == render_bibtex(BUNDLED, [_paper("qlora")])
    assert console_problems(driver) == []


PAYLOAD = "<script>document.title='pwned';window.pwned=1</script><img src=x onerror=\"window.pwned=2\">"


def test_hostile_catalog_runs_nothing(driver: Any, tmp_path: Path) -> None:
    title = f"Evil {PAYLOAD} </script><script>window.pwned=3</script>"
    note = f"{PAYLOAD}\n\n[click me](javascript:window.pwned=4)\n\n<iframe src=javascript:window.pwned=5></iframe>"
    evil = Paper(
        id="evil",
        title=title,
        title_zh=PAYLOAD,
        authors=(PAYLOAD,),
        institutions=("Evil Corp",),
        url="javascript:window.pwned=6",
        code='https://example.org/"><script>window.pwned=7</script>',
        tags=(PAYLOAD,),
        summary="</script><script>window.pwned=8</script>",
        note=note,
    )
    catalog = Catalog(
        title=PAYLOAD,
        tags=(Tag(PAYLOAD, aliases=("</script>",)),),
        institutions=(Institution("Evil Corp", aliases=(PAYLOAD,)),),
        lists=(ReadingList("l", PAYLOAD, PAYLOAD, (Section(PAYLOAD, PAYLOAD, ("evil",)),)),),
        papers=(evil,),
    )
    for list_id in (None, "l"):
        page = write_site(tmp_path / str(list_id), render_site(catalog, [evil], reading_list=list_id))
        open_page(driver, page)
        assert driver.find_element("css selector", "#evil h3 a").text == title.replace("  ", " ")
        type_query(driver, "script")
        driver.find_element("id", "_reset").click()
        for link in driver.find_elements("css selector", "#evil a[href]"):
            assert link.get_attribute("href").startswith(("https://", "file://")), link.get_attribute("href")
        assert driver.execute_script("return window.pwned") is None
        assert driver.title == PAYLOAD
        assert driver.execute_script("return document.querySelectorAll('script, iframe, img').length") == 2
        assert console_problems(driver) == []


def test_large_site_shows_a_window_of_matches_and_reveals_anchors(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    papers = tuple(
        Paper(id=f"p{i}", title=f"Paper {i} {'even' if i % 2 == 0 else 'odd'}", year=2020 + i % 5, tags=("t",))
        for i in range(800)
    )
    catalog = Catalog(tags=(Tag("t"),), papers=papers)
    page = write_site(tmp_path / "big", render_site(catalog, papers))
    open_page(driver, page)
    shown = driver.execute_script(VISIBLE_PAPERS)
    assert 0 < len(shown) < 800 and shown == [f"p{i}" for i in range(len(shown))]
    assert driver.find_element("id", "_more").is_displayed()
    assert len(type_query(driver, "odd")) == min(len(shown), 400)
    assert driver.find_element("id", "_count").text == "400 of 800 papers"
    type_query(driver, "")
    for _ in range(3):  # scrolling to the end shows more, until every paper is there
        driver.execute_script("window.scrollTo(0, document.documentElement.scrollHeight)")
        before = len(shown)
        WebDriverWait(driver, 5).until(lambda d, before=before: len(d.execute_script(VISIBLE_PAPERS)) > before)
        shown = driver.execute_script(VISIBLE_PAPERS)
        if len(shown) == 800:
            break
    assert shown == [p.id for p in papers] and not driver.find_element("id", "_more").is_displayed()
    open_page(driver, page, "#p777")  # beyond the window: revealed and scrolled to
    assert driver.find_element("id", "p777").is_displayed() and in_view(driver, "p777")
    assert console_problems(driver) == []


def test_a_page_of_no_papers_works(driver: Any, tmp_path: Path) -> None:
    open_page(driver, write_site(tmp_path / "empty", render_site(Catalog(), [])))
    assert driver.find_element("id", "_count").text == "0 papers"
    assert not driver.find_element("id", "_empty").is_displayed()
    assert "No papers were selected" in driver.find_element("tag name", "main").text
    assert type_query(driver, "x") == []
    assert console_problems(driver) == []
