"""Progress bar only on a terminal; vectorised name keys equal ingest.normalise.name_key."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.load import load_dataset, prepare
from ingest.normalise import name_key, nfkc
from ingest.readers import normalise_text, read_csv_table
from ingest.resolve import name_keys

from .conftest import TODAY, write_dataset

ALPHABET = st.sampled_from(list("aBｃＤ 　\t株式会社法人(株)（）さん様NPO団体ネットﾈｯﾄ「」'\"①ー・々ぁ区1２")
                           + ["特定非営利活動法人", "一般社団法人", "さん", "様", "ｶﾞ", "\u00a0", "İ"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(ALPHABET, max_size=8).map("".join), min_size=1, max_size=20))
def test_name_keys_equal_name_key(values):
    series = pd.Series(values, dtype="str")
    assert name_keys(series).tolist() == [name_key(v) for v in values]


FORM_TOKENS = st.sampled_from(
    ["（合成）", "(株)", "（株）", "ｶﾌﾞｼｷｶﾞｲｼｬ", "(ｶ)", "NPO法人", "npo", "会社", "法人",
     "株式会社", "御中", "ちゃん", "殿", "合成市001", "の会", " ", "　", "ネット", "子ども"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(FORM_TOKENS | ALPHABET, max_size=6).map("".join), min_size=1,
                max_size=20))
def test_name_keys_equal_name_key_with_forms_inside_and_at_the_ends(values):
    # The arrow path is taken unless the key starts or ends with a legal form or honorific.
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


SPACES = st.sampled_from(list("ab あ①") + ["\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1f",
                                          "\x85", "\u00a0", "\u2028", "\u3000", "  ", "ｶﾞ"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(SPACES, max_size=8).map("".join), min_size=1, max_size=30))
def test_normalise_text_equals_nfkc_on_every_kind_of_whitespace(values):
    # Mostly-clean columns take the row-mask path, mostly-dirty ones the whole-column path.
    padded = values + ["S-O0000001"] * len(values) * 4
    assert normalise_text(pd.Series(padded, dtype="str")).tolist() == [nfkc(v) for v in padded]
    assert normalise_text(pd.Series(values, dtype="str")).tolist() == [nfkc(v) for v in values]


def test_source_citations_keep_their_characters(tmp_path):
    text = "id,name,kind,source\nR-1,ＦＣ①,npo,\u3000seed 2(1)③  ア ㈱ \nR-2,B,npo,Ｈ２７ 実績\n"
    orgs = load_dataset(write_dataset(tmp_path / "src", {"organizations.csv": text}),
                        today=TODAY).table("organizations")
    assert orgs["source"].tolist() == ["seed 2(1)③ ア ㈱", "Ｈ２７ 実績"]
    assert orgs["name"].tolist() == ["FC1", "B"]              # names still NFKC


def test_reading_advances_within_one_file(tmp_path):
    body = "".join(f"E{i % 7},R-{i},参加\n" for i in range(50))
    folder = write_dataset(tmp_path / "big", {"participations.csv": "event_id,org_id,role\n" + body})
    seen = []
    raw, failures = read_csv_table(folder / "participations.csv", "participations",
                                   advance=seen.append)
    assert failures == [] and len(raw.frame) == 50
    assert len(seen) >= 5                       # parsed, then each of 3 columns, then done
    assert seen == sorted(seen) and 0 < seen[0] < 1 and seen[-1] == 1.0


class _Recorder:
    def __init__(self, **kwargs):
        self.kwargs, self.updates = kwargs, []
        BARS.append(self)

    def update(self, n=1):
        self.updates.append(n)

    def close(self):
        pass


BARS: list = []


def test_writing_advances_by_chunks_of_rows(tmp_path, monkeypatch):
    import ingest.readers
    import ingest.store.writing

    body = "".join(f"E1,R-{i}\n" for i in range(7))
    orgs = "id,name,kind\n" + "".join(f"R-{i},団体{i},npo\n" for i in range(7))
    folder = write_dataset(tmp_path / "w", {"organizations.csv": orgs,
                                            "events.csv": "id,name,date\nE1,会,2019-01-01\n",
                                            "participations.csv": "event_id,org_id\n" + body})
    prepared = prepare(folder, today=TODAY, show_progress=False)
    monkeypatch.setattr(ingest.store.writing, "_CHUNK_ROWS", 3)
    monkeypatch.setattr(ingest.readers, "progress", lambda **kw: _Recorder(**kw))
    BARS.clear()
    ingest.store.writing.write_prepared(prepared, store=tmp_path / "w.duckdb", show_progress=True)
    bar = BARS[-1]
    assert bar.kwargs["unit"] == "row" and bar.kwargs["total"] == 15
    assert bar.updates == [3, 3, 1, 1, 3, 3, 1]   # organizations, events, participations
