"""The reading log file: located errors for every kind of damage, and writer -> parser round trips."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papercli.models import Paper
from papercli.reading_log import STATUSES, ReadingLogError, decode_log, load_log, parse_log
from papercli.write.reading_log import mark_papers

UTC = datetime.timezone.utc
GOOD = """# my reading
[[papers]]
id = "lora"
arxiv = "2106.09685"
status = "read"   # finally
rating = 5
history = [
  { status = "reading", at = 2026-11-01T10:00:00Z },
  { status = "read", at = 2026-11-02, rating = 5 },
]

[[papers]]
id = "qlora"
status = "to-read"
"""


def test_a_log_reads_back_with_its_dates() -> None:
    log = parse_log(GOOD, "log.toml")
    lora = log.entry_for(Paper(id="lora", title="LoRA"))
    assert lora is not None
    assert (lora.status, lora.rating, lora.arxiv) == ("read", 5, "2106.09685")
    assert [c.status for c in lora.history] == ["reading", "read"]
    assert lora.last_read() == datetime.datetime(2026, 11, 2, tzinfo=UTC)  # a bare date counts as UTC midnight


def test_a_paper_under_a_new_id_is_recognised_by_its_arxiv_id() -> None:
    log = parse_log(GOOD, "log.toml")
    renamed = Paper(id="lora-v2", title="LoRA", url="https://arxiv.org/abs/2106.09685v3")
    assert log.status_of(renamed) == "read"
    assert log.status_of(Paper(id="unknown", title="X")) == "to-read"


def test_a_missing_log_is_an_empty_one(tmp_path: Path) -> None:
    log = load_log(tmp_path / "none.toml")
    assert (log.exists, log.entries) == (False, ())


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[[papers]]\nid = "lora"\nstatus = "done"\n', 3, "'done' is not one of"),
        ('[[papers]]\nid = "lora"\nstatus = "read"\nrating = 6\n', 4, "not a rating from 1 to 5"),
        ('[[papers]]\nid = "lora"\nstatus = "read"\nrating = true\n', 4, "not a rating"),
        ('[[papers]]\nid = "Lo Ra"\nstatus = "read"\n', 2, "is not a paper id"),
        ('[[papers]]\nid = "lora"\nstatus = "read"\nstars = 3\n', 4, "unknown field 'stars'"),
        ('[[papers]]\nid = "lora"\nstatus = "read"\narxiv = "nope"\n', 4, "not an arXiv id"),
        ('[[papers]]\nid = "lora"\n\nstatus = "read"\nhistory = [{ status = "read" }]\n', 5, "'at' must be a date"),
        ('[[papers]]\nid = "a"\nstatus = "read"\n\n[[papers]]\nid = "a"\nstatus = "read"\n', 6, "logged twice"),
        ('[[papers]]\nid = "lora"\nstatus = "read"\nhistory = "yesterday"\n', 4, "history: must be an array"),
        ('[[papers]]\nid = "lora"\n', 1, "status: missing"),
        ('[[papers]]\nid = "lora"\nstatus = "read\n', 3, "TOML syntax error"),
        ("papers = 3\n", None, "must be an array of tables"),
        ('owner = "me"\n', None, "unknown top-level key 'owner'"),
    ],
)
def test_damage_is_one_located_line(text: str, line: int | None, words: str) -> None:
    with pytest.raises(ReadingLogError) as caught:
        parse_log(text, "log.toml")
    message = str(caught.value)
    assert "\n" not in message
    assert words in message
    assert message.startswith(f"log.toml:{line}:" if line else "log.toml: ")
    assert message.endswith("the reading log was not changed")


def test_every_problem_is_counted(tmp_path: Path) -> None:
    text = '[[papers]]\nid = "a"\nstatus = "x"\n\n[[papers]]\nid = "b"\nstatus = "y"\n'
    with pytest.raises(ReadingLogError, match=r"log.toml:3: .*\(and 1 more\)"):
        parse_log(text, "log.toml")


def test_a_damaged_log_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "log.toml"
    damaged = b'[[papers]]\nid = "lora"\nstatus = "read"\nrating = 11\n'
    path.write_bytes(damaged)
    with pytest.raises(ReadingLogError, match="log.toml:4"):
        mark_papers(path, [Paper(id="qlora", title="QLoRA")], "read")
    assert path.read_bytes() == damaged


def test_marking_keeps_every_other_byte(tmp_path: Path) -> None:
    path = tmp_path / "log.toml"
    path.write_text(GOOD, encoding="utf-8")
    at = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    mark_papers(path, [Paper(id="qlora", title="QLoRA", url="https://arxiv.org/abs/2305.14314")], "reading", at=at)
    text = path.read_text(encoding="utf-8")
    head, _, qlora = text.partition('id = "qlora"')
    assert head == GOOD.partition('id = "qlora"')[0]  # the comment, lora's entry and its styles untouched
    assert 'status = "reading"' in qlora
    assert 'arxiv = "2305.14314"' in qlora  # learned from the catalog
    assert "2026-11-30T08:00:00Z" in qlora


def test_a_renamed_paper_keeps_its_entry_and_takes_the_new_id(tmp_path: Path) -> None:
    path = tmp_path / "log.toml"
    path.write_text(GOOD, encoding="utf-8")
    renamed = Paper(id="lora-v2", title="LoRA", url="https://arxiv.org/abs/2106.09685")
    mark_papers(path, [renamed], "skipped")
    log = load_log(path)
    assert [e.id for e in log.entries] == ["lora-v2", "qlora"]
    entry = log.entry_for(renamed)
    assert entry is not None
    assert (entry.status, entry.rating, len(entry.history)) == ("skipped", 5, 3)


POOL = [Paper(id=f"p{n}", title=f"P{n}", url=f"https://arxiv.org/abs/2401.{n:05d}") for n in range(1, 6)]
marks = st.lists(
    st.tuples(
        st.lists(st.sampled_from(POOL), min_size=1, max_size=3),
        st.sampled_from(STATUSES),
        st.none() | st.integers(1, 5),
    ),
    min_size=1,
    max_size=8,
)


BYTE_ORDER_MARK = b"\xef\xbb\xbf"
PIECES = [b"\n", b"\r\n", b"a", b'"', b"\xc3\xa9", b"\xe6\x96\x87", BYTE_ORDER_MARK]
PIECES += [b"\xe9", b"\xff", b"\xe2\x82", b"\x80"]  # not UTF-8 (alone or cut short)
UTF8_ERROR = re.compile(
    r"log\.toml:(\d+): not UTF-8 text: byte 0x([0-9a-f]{2}) at offset (\d+); the reading log was not changed"
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map(b"".join))
def test_any_bytes_decode_or_name_the_line_and_offset_of_the_first_bad_byte(data: bytes) -> None:
    try:
        text = decode_log(Path("log.toml"), data)
    except ReadingLogError as exc:
        found = UTF8_ERROR.fullmatch(str(exc))
        assert found is not None, str(exc)
        line, byte, offset = int(found[1]), int(found[2], 16), int(found[3])
        data[:offset].decode("utf-8")  # everything before it is UTF-8 ...
        with pytest.raises(UnicodeDecodeError):
            data[offset : offset + 4].decode("utf-8")  # ... and the text goes wrong right there
        assert (line, byte) == (data[:offset].count(b"\n") + 1, data[offset])
    else:
        # A byte-order mark at the start is all it drops (a second one is text).
        assert text.encode("utf-8") == data.removeprefix(BYTE_ORDER_MARK)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    marks=marks, start=st.datetimes(min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2090, 1, 1))
)
def test_marks_round_trip(tmp_path_factory: pytest.TempPathFactory, marks, start: datetime.datetime) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("log") / "log.toml"
    expected: dict[str, tuple[str, int | None, int]] = {}  # id -> (status, rating, changes)
    for step, (papers, status, rating) in enumerate(marks):
        at = (start + datetime.timedelta(hours=step)).replace(tzinfo=UTC, microsecond=0)
        mark_papers(path, papers, status, rating, at=at)
        for paper in {p.id: p for p in papers}.values():
            old_status, old_rating, changes = expected.get(paper.id, (None, None, 0))
            same = old_status == status and (rating is None or rating == old_rating)
            expected[paper.id] = (status, rating if rating is not None else old_rating, changes + (not same))
    log = load_log(path)
    got = {e.id: (e.status, e.rating, len(e.history)) for e in log.entries}
    assert got == expected
    for entry in log.entries:
        assert entry.arxiv == next(p.arxiv for p in POOL if p.id == entry.id)
        assert [c.at for c in entry.history] == sorted(c.at for c in entry.history)
        assert entry.history[-1].status == entry.status


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('[]{}="\n -_.:#abcdeilnoprstuvyz0123456789TZ')), max_size=120))
def test_any_text_loads_or_is_one_located_error(text: str) -> None:
    try:
        parse_log(text, "log.toml")
    except ReadingLogError as exc:
        assert str(exc).startswith("log.toml")
        assert "\n" not in str(exc)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    layout=st.lists(
        st.tuples(st.sampled_from(STATUSES), st.sampled_from(["", "# a note\n", "\n# two\n# lines\n", "\n\n"])),
        min_size=1,
        max_size=5,
    ),
    marked=st.sets(st.integers(0, 6), max_size=4),
    status=st.sampled_from(STATUSES),
)
def test_marks_change_only_their_entries(
    tmp_path_factory: pytest.TempPathFactory, layout: list[tuple[str, str]], marked: set[int], status: str
) -> None:
    head = "# my log\n\n"
    entries = [f'[[papers]]\nid = "p{i}"  # kept\nstatus = "{s}"\n{after}' for i, (s, after) in enumerate(layout)]
    path = tmp_path_factory.mktemp("log") / "log.toml"
    path.write_text(head + "".join(entries), encoding="utf-8")
    targets = [Paper(id=f"p{i}", title="P") for i in sorted(marked)]
    mark_papers(path, targets, status)  # type: ignore[arg-type]
    text = path.read_text(encoding="utf-8")
    log = parse_log(text, "log.toml")
    for i, (old, _after) in enumerate(layout):
        expected = status if i in marked else old
        assert log.entry_for(Paper(id=f"p{i}", title="P")).status == expected  # type: ignore[union-attr]
        if i not in marked or old == status:
            assert entries[i] in text  # an entry not changed keeps every byte, its comments included
        else:
            assert f'id = "p{i}"  # kept\nstatus = "{status}"\n' in text
    assert text.startswith(head)
    new = [i for i in sorted(marked) if i >= len(layout)]
    assert [e.id for e in log.entries] == [f"p{i}" for i in range(len(layout))] + [f"p{i}" for i in new]
