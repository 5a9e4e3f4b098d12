"""Whole-file decoding a block at a time gives what decoding the file at once gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gbo.ingest import text_decoding
from gbo.ingest.text_decoding import decode_text, is_valid_utf8, recode


@settings(max_examples=200, deadline=None)
@given(
    data=st.binary(max_size=64),
    encoding=st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16"]),
    block=st.integers(1, 9),
)
def test_recoding_in_blocks_is_recoding_at_once(data: bytes, encoding: str, block: int) -> None:
    if encoding == "utf-16":
        data = b"\xff\xfe" + data  # recoded as UTF-16 only after its byte-order mark
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text_decoding, "_BLOCK_BYTES", block)
        once = data.decode(encoding, errors="replace").encode("utf-8")
        assert recode(data, encoding) == once
        try:
            data.decode("utf-8")
            valid = True
        except UnicodeDecodeError:
            valid = False
        assert is_valid_utf8(data) is valid


@settings(max_examples=50, deadline=None)
@given(text=st.text(max_size=40), block=st.integers(1, 7))
def test_a_utf8_file_split_inside_a_character_is_still_utf8(text: str, block: int) -> None:
    data = ("Zoë, Łukasz, 李 " + text).encode("utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text_decoding, "_BLOCK_BYTES", block)
        decoded = decode_text(data)
    assert decoded.data == data
    assert decoded.encoding == "utf-8"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        # a few accented names: as good in cp1257 ("Chloė") as in cp1252, which wins
        (
            "C125216|Chloë|Lee|Okonkwo||20070821|2|NOBT|ZZ1 3AN|116 Beck Side|||No|Yes|\n"
            "C631511|Chloë|Louise|Rawcliffe||20040915|2|WOTH|84 Spring Bank|No|No||\n",
            "cp1252",
        ),
        ("C125217|Zára|Smith|Beck Side\n", "cp1252"),
        ("Привет мир, Иванов Сергей Петрович, улица Ленина дом", "cp1251"),
        ("Zażółć gęślą jaźń, Łódź, Wąchock, Świętokrzyska", "cp1250"),
    ],
)
def test_a_legacy_code_page_is_detected_and_cp1252_wins_a_tie(text: str, encoding: str) -> None:
    data = text.encode(encoding)
    assert text_decoding.detect_legacy_encoding(data) == encoding
    assert decode_text(data).data.decode("utf-8") == text
