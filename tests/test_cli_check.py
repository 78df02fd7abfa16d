from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import Invoke, write_catalog

HEADER = '[[tags]]\nname = "QA"\n\n[[institutions]]\nname = "MIT"\n'


def check(papers: Invoke, catalog: Path) -> tuple[int, list[str], str]:
    result = papers("check", catalog=catalog)
    return result.exit_code, result.stdout.splitlines(), result.stderr


def test_clean_catalog_passes(papers: Invoke, small_catalog: Path) -> None:
    code, lines, summary = check(papers, small_catalog)
    assert code == 0
    assert lines == []
    assert "4 papers, 0 errors, 0 warnings" in summary


def test_every_problem_is_reported_with_its_location(papers: Invoke, tmp_path: Path) -> None:
    path = write_catalog(
        tmp_path / "bad.toml",
        HEADER
        + """
[[papers]]
id = "good"
title = "Good"
tags = ["QA"]
note = "fine"

[[papers]]
title = "No id"
tags = ["QA"]

[[papers]]
id = "Bad Id"
title = "Bad"
year = 1700
color = "blue"

[[papers]]
id = "good"
title = "Duplicate"

[[papers]]
id = "refs"
title = "Refs"
tags = ["qa", "nope"]
institutions = ["Nowhere"]
note = "x"

[[lists]]
id = "rl"
title = "RL"
[[lists.sections]]
title = "S"
papers = ["good", "ghost"]
""",
    )
    code, lines, _ = check(papers, path)
    assert code == 1
    text = "\n".join(lines)
    expected = [
        f"{path}:13: error: paper #2: id: required field is missing",
        f"{path}:18: error: paper 'Bad Id': id: 'Bad Id' is not a valid id",
        f"{path}:20: error: paper 'Bad Id': year: must be between 1900 and",
        f"{path}:21: error: paper 'Bad Id': color: unknown field",
        f"{path}:24: error: paper 'good': id: duplicate id: an earlier paper already uses it (first used at line 7)",
        f"{path}:30: error: paper 'refs': tags: tag 'qa' is not declared in [[tags]] (use the canonical name 'QA')",
        f"{path}:30: error: paper 'refs': tags: tag 'nope' is not declared",
        f"{path}:31: error: paper 'refs': institutions: institution 'Nowhere' is not declared",
        "error: list 'rl': sections: section 'S' names 'ghost', which is no paper in the catalog",
    ]
    for line in expected:
        assert line in text, line


def test_lint_finds_shared_urls_malformed_arxiv_links_and_empty_notes(papers: Invoke, tmp_path: Path) -> None:
    path = write_catalog(
        tmp_path / "lint.toml",
        HEADER
        + """
[[papers]]
id = "a"
title = "A"
url = "https://arxiv.org/abs/2310.11511"
code = "https://github.com/o/r"
tags = ["QA"]
note = "x"

[[papers]]
id = "b"
title = "B"
url = "https://arxiv.org/abs/2310.11511/"
code = "https://github.com/o/r"
tags = ["QA"]
note = "x"

[[papers]]
id = "c"
title = "C"
url = "https://arxiv.org/abs/2305.1636"
tags = ["QA"]

[[papers]]
id = "d"
title = "D"
url = "https://arxiv.org/pdf/2106.09685v2.pdf"
tags = ["QA"]
note = "x"
""",
    )
    code, lines, summary = check(papers, path)
    assert code == 1
    text = "\n".join(lines)
    assert "error: paper 'b': url: same url as paper 'a'" in text
    assert "warning: paper 'b': code: same code as paper 'a'" in text
    assert "paper 'c': url: arXiv id 2305.1636 looks truncated" in text
    assert "warning: paper 'c': note: empty note and no summary" in text
    assert "paper 'd': url: arXiv link 'https://arxiv.org/pdf/2106.09685v2.pdf' is not in the canonical form" in text
    assert "2 warnings" in summary


def test_control_characters_are_flagged(papers: Invoke, tmp_path: Path) -> None:
    path = write_catalog(
        tmp_path / "esc.toml", HEADER + '[[papers]]\nid = "e"\ntitle = "E \\u001b[31m"\ntags = ["QA"]\nnote = "x"\n'
    )
    code, lines, _ = check(papers, path)
    assert code == 1
    assert any("paper 'e': title: contains terminal control characters" in line for line in lines)
    assert all("\x1b" not in line for line in lines)


@pytest.mark.parametrize(
    ("text", "location", "what"),
    [
        ('[[papers]]\nid = "a"\ntitle = "unterminated\n', ":3:", "TOML syntax error"),
        ("[[papers]\n", ":1:", "TOML syntax error"),
        ('papers = "not a table"\n', "", "'papers' must be an array of tables"),
    ],
)
def test_syntax_and_shape_errors(papers: Invoke, tmp_path: Path, text: str, location: str, what: str) -> None:
    path = write_catalog(tmp_path / "broken.toml", text)
    code, lines, stderr = check(papers, path)
    assert code == 1
    assert what in stderr + "\n".join(lines)
    assert f"{path}{location}" in stderr + "\n".join(lines)


def test_bundled_catalog_passes_check(papers: Invoke) -> None:
    result = papers("check", catalog=None)
    assert result.exit_code == 0, result.output
    assert " 0 errors" in result.stderr
