"""The consultations table: topics vocabulary, statuses, references, dates, store round trip."""

from __future__ import annotations

import pytest

from ingest.consultations import TOPICS, parse_topics
from ingest.load import load_dataset
from ingest.store import ingest_dataset, read_dataset
from ingest.validate import IngestError

from .conftest import GOOD, TODAY, snapshot, write_dataset

CONSULTATIONS = (
    "相談番号,団体名,相談窓口,相談日,相談項目,相談内容,対応状況\n"
    "K-1,ReBORNさん,西淀川,平成30年6月1日,広報の手法；助成金,チラシの作り方,回答済み\n"
    "K-2,,北区,2019-07-01,その他（空き家の活用）; 連携,個人からの相談,\n"
    "K-3,尼崎信用金庫,西淀川区,2019-08-20,企業の社会貢献,地域との連携,受付中\n"
)


def test_consultations_read_with_japanese_headers_and_aliases(tmp_path):
    folder = write_dataset(tmp_path / "ok", {**GOOD, "相談.csv": CONSULTATIONS})
    table = load_dataset(folder, today=TODAY).table("consultations")
    assert table["id"].tolist() == ["K-1", "K-2", "K-3"]
    assert table["org_id"].tolist() == ["R-O001", "", "R-O002"]
    assert table["ward"].tolist() == ["西淀川区", "北区", "西淀川区"]
    assert [str(d.date()) for d in table["date"]] == ["2018-06-01", "2019-07-01", "2019-08-20"]
    assert table["topics"].tolist() == [["publicity", "grants"],
                                        ["other:空き家の活用", "partnership"],
                                        ["corporate_contribution"]]
    assert table["status"].tolist() == ["answered", "", "open"]
    assert table.loc[0, "description"] == "チラシの作り方"


def test_bad_topic_dangling_org_and_bad_date_are_reported_and_store_unchanged(tmp_path):
    store = tmp_path / "s.duckdb"
    ingest_dataset(write_dataset(tmp_path / "good", GOOD), store=store, today=TODAY)
    before = snapshot(store)
    bad = (CONSULTATIONS
           + "K-4,R-O999,北区,2019-07-02,連携,,\n"
           + "K-5,,北区,2019-02-30,広報,,\n"
           + "K-6,,北区,2019-07-03,こうほう,,\n"
           + "K-7,,北区,2019-07-03,広報,,保留\n")
    folder = write_dataset(tmp_path / "bad", {**GOOD, "consultations.csv": bad})
    with pytest.raises(IngestError) as caught:
        ingest_dataset(folder, store=store, today=TODAY)
    found = caught.value.failures[["file", "row", "column", "code"]].values.tolist()
    assert found == [["consultations.csv", 5, "団体名", "unknown_reference"],
                     ["consultations.csv", 6, "相談日", "bad_date"],
                     ["consultations.csv", 7, "相談項目", "unknown_topic"],
                     ["consultations.csv", 8, "対応状況", "unknown_status"]]
    assert "'こうほう' is not a consultation topic" in str(caught.value)
    assert snapshot(store) == before


def test_consultations_round_trip_through_the_store(tmp_path):
    folder = write_dataset(tmp_path / "ok", {**GOOD, "consultations.csv": CONSULTATIONS})
    store = tmp_path / "s.duckdb"
    ingest_dataset(folder, store=store, today=TODAY)
    table = read_dataset(store).table("consultations")
    assert table["topics"].tolist()[1] == ["other:空き家の活用", "partnership"]
    assert table["date"].dtype == "datetime64[ns]"
    assert table["org_id"].tolist() == ["R-O001", "", "R-O002"]


def test_duplicate_consultation_id_is_refused(tmp_path):
    text = CONSULTATIONS + "K-1,,北区,2019-07-01,広報,,\n"
    folder = write_dataset(tmp_path / "dup", {**GOOD, "consultations.csv": text})
    with pytest.raises(IngestError, match="duplicate id=K-1"):
        load_dataset(folder, today=TODAY)


@pytest.mark.parametrize("text, expected", [
    ("広報", ["publicity"]), ("PR;ｐｒ", ["publicity"]), ("社会貢献", ["corporate_contribution"]),
    ("場所 | 資金", ["venue", "funding"]), ("other: 防災", ["other:防災"]),
    # full-width separators as people type them; free text is never split
    ("広報、助成金", ["publicity", "grants"]), ("広報，会場／人材", ["publicity", "venue", "people"]),
    ("ＰＲ；企業の　社会貢献", ["publicity", "corporate_contribution"]),
    ("連携、その他：空き家、空き店舗の活用", ["partnership", "other:空き家、空き店舗の活用"]),
])
def test_parse_topics(text, expected):
    assert parse_topics(text) == expected


def test_every_topic_parses_as_itself():
    assert [parse_topics(t) for t in TOPICS if t != "other"] == \
        [[t] for t in TOPICS if t != "other"]
    assert parse_topics("") == []


def test_full_width_topics_era_dates_and_statuses_read_as_people_write_them(tmp_path):
    text = ("id,org_id,ward,date,topics,description,status\n"
            "K1,R-O001,西淀川区,令和元年7月1日,広報、助成金,,ＯＰＥＮ\n"
            "K2,,北,H30.6.1,ＰＲ；会場,,回答済\n"
            "K3,,北区,２０１９年７月１日,企業の社会貢献,,完了\n")
    folder = write_dataset(tmp_path / "fw", {**GOOD, "consultations.csv": text})
    table = load_dataset(folder, today=TODAY).table("consultations")
    assert [str(d.date()) for d in table["date"]] == ["2019-07-01", "2018-06-01", "2019-07-01"]
    assert table["topics"].tolist() == [["publicity", "grants"], ["publicity", "venue"],
                                        ["corporate_contribution"]]
    assert table["ward"].tolist() == ["西淀川区", "北区", "北区"]
    assert table["status"].tolist() == ["open", "answered", "closed"]


def test_a_bad_term_among_full_width_separated_topics_is_named(tmp_path):
    text = "id,org_id,ward,date,topics\nK1,,北区,2019-07-01,広報、こうほう\n"
    folder = write_dataset(tmp_path / "bad", {**GOOD, "consultations.csv": text})
    with pytest.raises(IngestError) as caught:
        load_dataset(folder, today=TODAY)
    assert caught.value.failures[["row", "column", "code"]].values.tolist() == [
        [2, "topics", "unknown_topic"]]
    assert "'こうほう' is not a consultation topic" in str(caught.value)
