"""Tests of glassnet.data.text: the shipped novel and the loader on files the tests write."""

import hashlib

import pytest

from glassnet.data import load_text
from glassnet.data.text import TEXTS

# SHA-256 of the UTF-8 bytes, as recorded in AUSTEN_LICENSE.md.
PRIDE_SHA256 = "dfc684d4f857fa938268f9ab9c5567b64bd0691251eca959644adeabe6287a4d"


def test_load_text_shipped_novel_matches_the_recorded_checksum():
    text = load_text()
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == PRIDE_SHA256
    assert len(text) == 684_768 and len(set(text)) == 75
    assert text.startswith("PRIDE AND PREJUDICE\n")
    assert "It is a truth universally acknowledged" in text[:200]


def test_load_text_every_shipped_name_loads():
    for name in TEXTS:
        assert len(load_text(name)) > 100_000


def test_load_text_reads_a_file_and_normalises_line_ends(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_bytes("caf\u00e9 one\r\ntwo\n".encode())
    assert load_text(path=path) == "caf\u00e9 one\ntwo\n"
    assert load_text(path=str(path)) == "caf\u00e9 one\ntwo\n"


@pytest.mark.parametrize("content, match", [
    (b"", "is empty"),
    (b"ab\xffcd", r"expected UTF-8 text in .*bad.txt, got byte 0xff at offset 2"),
])
def test_load_text_rejects_bad_files(tmp_path, content, match):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=match):
        load_text(path=path)


def test_load_text_names_missing_files_and_unknown_names(tmp_path):
    with pytest.raises(FileNotFoundError, match="no file at .*missing.txt"):
        load_text(path=tmp_path / "missing.txt")
    with pytest.raises(ValueError, match=r"expected a name among \['pride_and_prejudice'\], "
                                         r"got 'emma'"):
        load_text("emma")
