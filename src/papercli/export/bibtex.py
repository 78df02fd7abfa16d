"""BibTeX: one entry per paper, keyed by the paper id, for LaTeX bibliographies.

The entry type follows the venue: `@inproceedings` (with `booktitle`) for conferences and workshops,
`@article` (with `journal`) for journals, `@misc` for everything else (projects, preprints, no venue).
Papers with an arXiv link also get `eprint` and `archivePrefix = {arXiv}`; a `@misc` with a link gets
`howpublished = {\\url{...}}` because classic styles ignore `url`. Notes are not exported.

Text is LaTeX-escaped so the file parses and typesets: `& % $ # _` get a backslash, `~ ^ \\` and braces
become `\\textasciitilde{}`, `\\textasciicircum{}`, `\\textbackslash{}`, `\\textbraceleft{}` and
`\\textbraceright{}` (named commands rather than `\\{`, because BibTeX counts every brace, escaped or
not, and a title with one stray brace would otherwise break the whole file). Everything else, CJK and
accents included, is written as UTF-8 for biber or an 8-bit-clean BibTeX; terminal escape sequences and
control characters (which TeX rejects) are dropped. Titles are wrapped in an extra pair of braces so
styles keep their capitalisation. Links are verbatim except `{ } \\`, which are percent-encoded.
Same input, same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from papercli.grouping import GroupBy
from papercli.models import Catalog, Paper
from papercli.sanitize import clean

_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
}
_LATEX_SPECIAL = re.compile("[" + re.escape("".join(_LATEX_ESCAPES)) + "]")
# Characters that cannot stand in a verbatim `url` field, and their (equivalent) percent-encodings.
_URL_ESCAPES = {"{": "%7B", "}": "%7D", "\\": "%5C"}

# First match wins. Explicit conference words come before journal words ("Conference on Data Science"),
# journal words before conference acronyms ("SIGIR Forum" is a periodical, "SIGIR 2023" a conference).
_VENUE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("article", re.compile(r"\b(?:proceedings of the (?:ieee|national academy)|pnas)\b", re.IGNORECASE)),
    (
        "inproceedings",
        re.compile(
            r"\b(?:conference|workshops?|symposium|findings|demos?|demonstrations|proceedings|companion)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "article",
        re.compile(
            r"\b(?:journal|transactions|letters|magazine|surveys|forum|review|jmlr|tacl|tmlr|tpami|ijcv|jair"
            r"|nature|science|ai open|computational linguistics|neurocomputing|tkde|tkdd|cureus)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "inproceedings",
        re.compile(
            r"\b(?:acl|aacl|eacl|naacl|emnlp|coling|lrec|conll|neurips|nips|iclr|icml|cvpr|iccv|eccv|wacv"
            r"|aaai|ijcai|sigir|cikm|kdd|www|wsdm|recsys|sigmod|vldb|icde|icse|fse|ase|sc|icassp|interspeech"
            r"|uai|aistats|colt|corl|icra|iros|mlsys|osdi|sosp|nsdi|eurosys|asplos|isca|chi|uist|icdm"
            r"|wi-iat|icaicta|mm)\b",
            re.IGNORECASE,
        ),
    ),
]


def escape_latex(text: str) -> str:
    """`text` with LaTeX's special characters replaced by commands that print them, and terminal escapes
    and control characters other than tab and newline dropped."""
    return _LATEX_SPECIAL.sub(lambda m: _LATEX_ESCAPES[m.group(0)], clean(text))


def entry_type(paper: Paper) -> str:
    """`inproceedings`, `article` or `misc`, from the paper's kind and venue."""
    if paper.kind == "project" or not paper.venue:
        return "misc"
    for kind, pattern in _VENUE_RULES:
        if pattern.search(paper.venue):
            return kind
    return "misc"


def render_bibtex(
    catalog: Catalog, papers: Sequence[Paper], group_by: GroupBy = GroupBy.none, reading_list: str | None = None
) -> str:
    """One entry per paper in the given order, separated by blank lines. Grouping does not apply."""
    del catalog, group_by, reading_list
    return "\n".join(_entry(paper) for paper in papers)


def _entry(paper: Paper) -> str:
    kind = entry_type(paper)
    fields: list[tuple[str, str]] = [("title", "{" + escape_latex(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(_author(name) for name in paper.authors)))
    if kind == "inproceedings" and paper.venue:
        fields.append(("booktitle", escape_latex(paper.venue)))
    elif kind == "article" and paper.venue:
        fields.append(("journal", escape_latex(paper.venue)))
    if paper.year is not None:
        fields.append(("year", str(paper.year)))
    if paper.url:
        url = _url(paper.url)
        fields.append(("url", url))
        if kind == "misc":
            fields.append(("howpublished", r"\url{" + url + "}"))
    if paper.arxiv:
        fields += [("eprint", paper.arxiv), ("archivePrefix", "arXiv")]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{paper.id},\n{body}\n}}\n"


def _author(name: str) -> str:
    """One name; braced whole when BibTeX would otherwise split it ("and") or reorder it (a comma)."""
    escaped = escape_latex(name.strip())
    if "," in name or any(word.lower() == "and" for word in name.split()):
        return "{" + escaped + "}"
    return escaped


def _url(url: str) -> str:
    return "".join(_URL_ESCAPES.get(ch, ch) for ch in clean(url))
