from __future__ import annotations

import re
from pathlib import Path

import pytest
from bibtexparser.entrypoint import parse_string
from bibtexparser.model import Entry
from hypothesis import given, settings
from hypothesis import strategies as st

from papercli.export.bibtex import entry_type, render_bibtex
from papercli.grouping import GroupBy
from papercli.models import Catalog, Paper
from tests.helpers import export_run

CATALOG = r'''
title = "Export test catalog"

[[tags]]
name = "PEFT"

[[tags]]
name = "survey"

[[institutions]]
name = "Microsoft"

[[papers]]
id = "lora"
title = "LoRA: {Low-Rank} Adaptation & 100% of $cost #1 under_score ~tilde^ back\\slash"
title_zh = "LoRA:低秩适配"
authors = ["Edward J. Hu", "Yelong Shen", "Simon and Schuster", "Doe, Jane"]
institutions = ["Microsoft"]
year = 2021
venue = "ICLR 2022"
url = "https://arxiv.org/abs/2106.09685"
code = "https://github.com/microsoft/LoRA"
tags = ["PEFT"]
summary = "Freeze the weights, train low-rank updates."
note = """
- NOTE-MARKER: 多行笔记
"""

[[papers]]
id = "cjk-survey"
title = "大语言模型综述: a Survey of Modèles de Langue"
authors = ["张三", "José Müller"]
year = 2023
venue = "TACL 2023"
url = "https://aclanthology.org/2023.tacl-1.1"
tags = ["survey"]
summary = "A survey."

[[papers]]
id = "findings"
title = "Short Findings Paper"
authors = ["Ann Lee"]
year = 2023
venue = "ACL 2023 Findings"
tags = ["PEFT"]
summary = "Short."

[[papers]]
id = "toolkit"
kind = "project"
title = "A Toolkit"
url = "https://github.com/example/toolkit"
tags = ["PEFT"]
summary = "Code."
'''

_UNESCAPES = {
    r"\textbackslash{}": "\\",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    r"\&": "&",
    r"\%": "%",
    r"\$": "$",
    r"\#": "#",
    r"\_": "_",
}
_ESCAPE = re.compile("|".join(re.escape(k) for k in _UNESCAPES))


def unescape(text: str) -> str:
    """The inverse of the exporter's LaTeX escaping, written independently of it."""
    return _ESCAPE.sub(lambda m: _UNESCAPES[m.group(0)], text)


def title_of(entry: Entry) -> str:
    value = entry["title"]
    assert value.startswith("{") and value.endswith("}"), "the title is protected by an inner pair of braces"
    return unescape(value[1:-1])


_AND = re.compile(r"[ \t\n]+and[ \t\n]+", re.IGNORECASE)


def split_names(value: str) -> list[str]:
    """BibTeX's rule: names are separated by "and" between whitespace, outside braces. (bibtexparser's
    `split_multiple_persons_names` misses the separator before a name that starts with a backslash.)"""
    names, start, depth, i = [], 0, 0, 0
    while i < len(value):
        depth += {"{": 1, "}": -1}.get(value[i], 0)
        separator = _AND.match(value, i) if depth == 0 else None
        if separator:
            names.append(value[start:i])
            start = i = separator.end()
        else:
            i += 1
    return [*names, value[start:]]


def authors_of(entry: Entry) -> list[str]:
    names = split_names(entry["author"])
    return [unescape(n[1:-1] if n.startswith("{") and n.endswith("}") else n) for n in names]


def parse(text: str) -> list[Entry]:
    library = parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return list(library.entries)


@pytest.fixture
def catalog_path(tmp_path: Path) -> Path:
    path = tmp_path / "papers.toml"
    path.write_text(CATALOG, encoding="utf-8")
    return path


def test_bibtex_parses_and_every_field_matches_the_catalog(catalog_path: Path) -> None:
    result = export_run(catalog_path, "bibtex")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    entries = parse(result.stdout)
    assert [e.key for e in entries] == ["lora", "cjk-survey", "findings", "toolkit"]
    lora, survey, findings, toolkit = entries

    assert lora.entry_type == "inproceedings"
    assert title_of(lora) == "LoRA: {Low-Rank} Adaptation & 100% of $cost #1 under_score ~tilde^ back\\slash"
    assert authors_of(lora) == ["Edward J. Hu", "Yelong Shen", "Simon and Schuster", "Doe, Jane"]
    assert lora["booktitle"] == "ICLR 2022"
    assert lora["year"] == "2021"
    assert lora["url"] == "https://arxiv.org/abs/2106.09685"
    assert lora["eprint"] == "2106.09685"
    assert lora["archivePrefix"] == "arXiv"

    assert survey.entry_type == "article"
    assert title_of(survey) == "大语言模型综述: a Survey of Modèles de Langue"
    assert authors_of(survey) == ["张三", "José Müller"]
    assert survey["journal"] == "TACL 2023"
    assert "eprint" not in survey.fields_dict

    assert findings.entry_type == "inproceedings"
    assert findings["booktitle"] == "ACL 2023 Findings"
    assert "url" not in findings.fields_dict

    assert toolkit.entry_type == "misc"
    assert toolkit["howpublished"] == r"\url{https://github.com/example/toolkit}"
    assert "author" not in toolkit.fields_dict and "year" not in toolkit.fields_dict


def test_bibtex_keeps_unicode_and_leaves_out_notes(catalog_path: Path) -> None:
    text = export_run(catalog_path, "bibtex").stdout
    assert "张三 and José Müller" in text
    assert "NOTE-MARKER" not in text and "note =" not in text


def test_bibtex_is_byte_identical_across_runs_and_ends_in_one_newline(catalog_path: Path) -> None:
    first, second = export_run(catalog_path, "bibtex").stdout, export_run(catalog_path, "bibtex").stdout
    assert first == second
    assert first.endswith("}\n") and not first.endswith("\n\n")


def test_bibtex_export_honours_filters(catalog_path: Path) -> None:
    result = export_run(catalog_path, "bibtex", "--tag", "survey")
    assert result.exit_code == 0, result.output
    assert [e.key for e in parse(result.stdout)] == ["cjk-survey"]


def test_bibtex_export_writes_the_output_file(catalog_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    result = export_run(catalog_path, "bibtex", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "wrote 4 papers" in result.stderr
    assert target.read_text(encoding="utf-8") == export_run(catalog_path, "bibtex").stdout


@pytest.mark.parametrize(
    ("venue", "kind"),
    [
        ("NeurIPS 2023", "inproceedings"),
        ("EMNLP 2023 Findings", "inproceedings"),
        ("LREC-COLING 2024", "inproceedings"),
        ("CIKM 2023 DocIU Workshop", "inproceedings"),
        ("NAACL 2024 Demo", "inproceedings"),
        ("Findings of EMNLP 2023", "inproceedings"),
        ("EMNLP 2023 (Industry)", "inproceedings"),
        ("ACM MM 2024", "inproceedings"),
        ("Neurocomputing 2025", "article"),
        ("TKDE 2024", "article"),
        ("International Conference on Data Science", "inproceedings"),
        ("SIGIR 2023", "inproceedings"),
        ("SIGIR Forum 2023", "article"),
        ("JMLR 2024", "article"),
        ("Nature 2023", "article"),
        ("ACM Computing Surveys 2023", "article"),
        ("TMLR 2022", "article"),
        ("arXiv", "misc"),
        ("Some Blog", "misc"),
        (None, "misc"),
    ],
)
def test_entry_type_follows_the_venue(venue: str | None, kind: str) -> None:
    assert entry_type(Paper(id="p", title="T", venue=venue)) == kind


def test_a_project_is_misc_whatever_its_venue() -> None:
    assert entry_type(Paper(id="p", kind="project", title="T", venue="ICML 2024")) == "misc"


def test_control_characters_are_dropped() -> None:
    # Whether a catalog may hold control characters is the loader's business; exports never pass them on.
    paper = Paper(id="p", title="a\x1b[31mb\x00", url="https://example.org/\x1b[2Jx")
    (entry,) = parse(render_bibtex(Catalog(), [paper]))
    assert title_of(entry) == "ab"
    assert entry["url"] == "https://example.org/x"


_SPECIALS = st.sampled_from(list("&%$#_{}~^\\@\"',=() \t") + [" and ", "AND", "{}", "\\{", "}{"])
_CHARS = st.characters(blacklist_categories=("Cc", "Cs"))
_TEXT = st.lists(st.one_of(_SPECIALS, _CHARS), min_size=1, max_size=30).map("".join).filter(lambda s: s.strip())


@settings(max_examples=300, deadline=None)
@given(title=_TEXT, authors=st.lists(_TEXT, max_size=4), venue=st.none() | _TEXT)
def test_any_title_authors_and_venue_survive_a_bibtex_round_trip(
    title: str, authors: list[str], venue: str | None
) -> None:
    paper = Paper(id="p", title=title, authors=authors, venue=venue, year=2020)
    (entry,) = parse(render_bibtex(Catalog(), [paper], GroupBy.none))
    assert entry.key == "p"
    assert title_of(entry) == title
    if authors:
        assert authors_of(entry) == [a.strip() for a in authors]
    venue_field = {"inproceedings": "booktitle", "article": "journal"}.get(entry.entry_type)
    if venue_field:
        assert unescape(entry[venue_field]) == venue
    assert entry["year"] == "2020"
