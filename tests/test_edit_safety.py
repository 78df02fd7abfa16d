"""`papers edit` keeps the user's text whatever happens to the editor session, and its scratch file
stays in the temporary folder whatever the paper's id looks like."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from papercli.errors import PapersError
from papercli.write.edit_session import edit_paper
from tests.helpers import EditorScript, Invoke, one_error_line


def kept_buffer(line: str) -> Path:
    """The scratch file an error line says the edit is kept in."""
    path = Path(line.rsplit(" kept in ", 1)[1].split(";")[0].strip())
    assert path.is_file(), line
    return path


def test_an_edit_saved_in_another_encoding_is_kept(
    papers: Invoke, scripted_editor: EditorScript, small_catalog: Path
) -> None:
    before = small_catalog.read_bytes()
    scripted_editor({"replace": ['venue = "ICLR 2022"', 'venue = "ICLR 2022, Café"'], "encoding": "gb18030"})
    result = papers("edit", "lora")
    line = one_error_line(result)
    assert "UTF-8" in line
    assert result.exit_code == 1
    buffer = kept_buffer(line)
    assert 'venue = "ICLR 2022, Café"'.encode("gb18030") in buffer.read_bytes()
    assert small_catalog.read_bytes() == before
    buffer.unlink()


@pytest.mark.parametrize("typed", [True, False])
def test_ctrl_c_in_the_editor_keeps_what_was_typed(small_catalog: Path, typed: bool) -> None:
    before = small_catalog.read_bytes()
    opened: list[Path] = []

    def editor_interrupted(buffer: Path) -> None:
        opened.append(buffer)
        if typed:
            buffer.write_text(buffer.read_text(encoding="utf-8").replace("ICLR 2022", "ICLR 2023"), encoding="utf-8")
        raise KeyboardInterrupt

    try:
        edit_paper(small_catalog, "lora", note_only=False, open_editor=editor_interrupted, retry=lambda _: False)
    except PapersError as exc:
        message = str(exc)
        assert exc.exit_code == 130
    except BaseException as exc:  # KeyboardInterrupt must not escape: it would end the test run
        pytest.fail(f"{type(exc).__name__} escaped edit_paper")
    else:
        pytest.fail("an interrupted edit reported success")
    assert small_catalog.read_bytes() == before
    if typed:
        assert kept_buffer(message) == opened[0]
        assert "ICLR 2023" in opened[0].read_text(encoding="utf-8")
        opened[0].unlink()
    else:  # nothing typed: nothing worth keeping
        assert "nothing written" in message and not opened[0].exists()


def test_the_scratch_file_stays_in_the_temporary_folder(
    papers: Invoke,
    scripted_editor: EditorScript,
    small_catalog: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A paper whose id (invalid, so only found by its exact spelling) climbs out of the folder."""
    scratch = tmp_path / "scratch"
    (scratch / "papers-..").mkdir(parents=True)  # so that the climb has somewhere to go
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with small_catalog.open("a", encoding="utf-8") as handle:
        handle.write('\n[[papers]]\nid = "../../../escaped"\ntitle = "Crafted"\n')
    scripted_editor({"replace": ['title = "Crafted"', 'title = "Crafted!"']})  # still invalid: kept
    result = papers("edit", "../../../escaped")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output
    buffer = kept_buffer(result.stderr.strip().splitlines()[-1])
    assert buffer.resolve().parent == scratch.resolve(), f"scratch file {buffer} is outside {scratch}"
    assert not list(tmp_path.glob("escaped*"))


@pytest.mark.parametrize("ref", ["a/b", "../x", "lo\x00ra", "-"])
def test_odd_references_are_one_line(papers: Invoke, scripted_editor: EditorScript, ref: str) -> None:
    scripted_editor({"keep": True})
    result = papers("edit", ref)
    assert "no paper matches" in one_error_line(result) or "ambiguous" in result.stderr
