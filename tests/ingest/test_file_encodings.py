"""File encodings: regression tests from the second review.

Datasets the project had never seen. Each test names the problem a clerk (Excel) or a
researcher met, and checks the fix end to end where it matters: through ``tsunagari
validate`` / ``ingest`` with a store holding an earlier good batch that must stay unchanged.
"""

from __future__ import annotations

import pytest

from ingest.load import load_dataset

from .clerk_cases import _failures, _ingest_fails
from .conftest import TODAY, write_dataset

# --- encodings -----------------------------------------------------------------------------

def test_euc_jp_is_a_wrong_encoding_not_mojibake(tmp_path, capsys):
    text = "id,name,kind\nO1,組織運営の強化,npo\nO2,大阪市,npo\n"
    assert text.encode("euc_jp").decode("cp932")  # it would decode, as garbage
    folder = write_dataset(tmp_path / "euc", {"organizations.csv": text.encode("euc_jp")})
    failures = _ingest_fails(tmp_path, folder, capsys)
    assert failures[["file", "row", "code"]].values.tolist() == [
        ["organizations.csv", "2", "wrong_encoding"]]
    assert "EUC-JP" in failures["message"].iloc[0]


def test_utf8_and_cp932_pasted_into_one_file_is_a_wrong_encoding(tmp_path, capsys):
    data = ("id,団体名,種別\nO1,あおぞら,npo\n".encode()
            + "O2,みなと,npo\n".encode("cp932"))
    folder = write_dataset(tmp_path / "mixed", {"organizations.csv": data})
    failures = _ingest_fails(tmp_path, folder, capsys)
    assert failures[["row", "code"]].values.tolist() == [["3", "wrong_encoding"]]
    assert "mixes encodings" in failures["message"].iloc[0]


def test_bytes_undefined_in_cp932_are_a_wrong_encoding(tmp_path):
    folder = write_dataset(tmp_path / "ff", {
        "organizations.csv": "id,name,kind\nO1,髙橋,npo\n".encode("cp932") + b"O2,\xff\xfe,npo\n"})
    failures = _failures(folder)
    assert failures[["row", "code"]].values.tolist() == [[3, "wrong_encoding"]]


@pytest.mark.parametrize("name", ["ｶﾌﾞｼｷｶﾞｲｼｬ", "ｻﾞ･ﾃｽﾄ", "ﾎﾟｯﾌﾟｺｰﾝ"])
def test_half_width_katakana_only_cp932_still_reads(tmp_path, name):
    folder = write_dataset(tmp_path / "hw", {
        "organizations.csv": f"id,name,kind\nO1,{name},company\n".encode("cp932")})
    import unicodedata
    assert load_dataset(folder, today=TODAY).table("organizations")["name"].tolist() == [
        unicodedata.normalize("NFKC", name)]
