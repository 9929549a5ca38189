"""Wards, cities, NPO fields and orientation: regression tests from the second review.

Datasets the project had never seen. Each test names the problem a clerk (Excel) or a
researcher met, and checks the fix end to end where it matters: through ``tsunagari
validate`` / ``ingest`` with a store holding an earlier good batch that must stay unchanged.
"""

from __future__ import annotations

import json

import pytest

from ingest.normalise import is_osaka, normalise_ward, parse_fields

from .clerk_cases import _failures
from .conftest import write_dataset

# --- wards and cities ----------------------------------------------------------------------

@pytest.mark.parametrize("text, ward", [
    ("Chūō-ku", "中央区"), ("Higashi-Yodogawa", "東淀川区"), ("Jōtō", "城東区"),
    ("Tennōji-ku", "天王寺区"), ("Tennouji", "天王寺区"), ("Osaka-shi Kita-ku", "北区"),
    ("NANIWA WARD", "浪速区"), ("Konohana", "此花区")])
def test_wards_in_romaji_with_macrons_and_hyphens(text, ward):
    assert normalise_ward(text) == ward


@pytest.mark.parametrize("city", ["大阪府大阪市", "大阪府 大阪市", "Ōsaka-shi", "Osaka-fu Osaka-shi"])
def test_osaka_written_with_its_prefecture_keeps_the_ward_check(tmp_path, city):
    assert is_osaka(city)
    folder = write_dataset(tmp_path / "o", {"organizations.csv": "id,name,kind,ward\nA,b,npo,灘区\n",
                                            "dataset.json": json.dumps({"city": city})})
    assert _failures(folder)["code"].tolist() == ["unknown_ward"]

# --- fields, orientation -----------------------------------------------------------------

def test_npo_fields_in_the_acts_own_words():
    assert parse_fields("保健、医療又は福祉の増進を図る活動、子どもの健全育成を図る活動") == [1, 13]
    assert parse_fields("学術、文化、芸術又はスポーツの振興を図る活動;第19号") == [6, 19]


def test_orientation_as_the_glossary_words_it(tmp_path):
    folder = write_dataset(tmp_path / "o", {"organizations.csv": (
        "id,name,kind,orientation\nO1,a,町会,地縁型団体\nO2,b,npo,テーマ型団体\nO3,c,npo,斜め\n")})
    failures = _failures(folder)
    assert failures[["row", "code"]].values.tolist() == [[4, "unknown_orientation"]]
    assert "is not an orientation" in failures["message"].iloc[0]
