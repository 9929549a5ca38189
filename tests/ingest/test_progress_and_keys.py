"""Progress bar only on a terminal; vectorised name keys equal ingest.normalise.name_key."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.load import load_dataset, prepare
from ingest.normalise import name_key
from ingest.readers import normalise_text
from ingest.normalise import nfkc
from ingest.resolve import name_keys

from .conftest import TODAY, write_dataset

ALPHABET = st.sampled_from(list("aBｃＤ 　\t株式会社法人(株)（）さん様NPO団体ネットﾈｯﾄ「」'\"①ー・々ぁ区1２")
                           + ["特定非営利活動法人", "一般社団法人", "さん", "様", "ｶﾞ", "\u00a0", "İ"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(ALPHABET, max_size=8).map("".join), min_size=1, max_size=20))
def test_name_keys_equal_name_key(values):
    series = pd.Series(values, dtype="str")
    assert name_keys(series).tolist() == [name_key(v) for v in values]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(ALPHABET, max_size=8).map("".join), min_size=1, max_size=20))
def test_normalise_text_equals_nfkc(values):
    assert normalise_text(pd.Series(values, dtype="str")).tolist() == [nfkc(v) for v in values]


def test_progress_bar_only_when_asked_or_on_a_terminal(tmp_path, capsys):
    folder = write_dataset(tmp_path / "p", {"organizations.csv": "id,name,kind\nR-1,A,npo\n"})
    prepare(folder, today=TODAY)               # stderr is not a terminal under pytest
    assert capsys.readouterr().err == ""
    prepare(folder, today=TODAY, show_progress=True)
    assert "checking p" in capsys.readouterr().err


def test_crlf_and_quoted_newlines(tmp_path):
    text = 'id,name,kind,memo\r\nR-1,"A, Inc.",company,"two\r\nlines"\r\nR-2,B,npo,\r\n'
    folder = write_dataset(tmp_path / "crlf", {"organizations.csv": text})
    orgs = load_dataset(folder, today=TODAY).table("organizations")
    assert orgs["name"].tolist() == ["A, Inc.", "B"]
    assert orgs.loc[0, "attrs"] == {"memo": "two lines"}
    assert orgs["_row"].tolist() == [2, 3]
