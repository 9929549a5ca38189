"""Every page runs on tiny unseen stores: no ties, no dates, another city (review cases)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("overview", "network", "connectors", "gaps", "introductions", "growth", "cases", "data")

DATASETS = {
    "no_ties": {"organizations.csv": "id,name,kind,ward\nA1,Alpha,npo,北区\n"},
    "no_dates": {
        "organizations.csv": "id,name,kind,ward\nN1,North Council,council,北区\n"
                             "N2,North Assoc,neighbourhood_association,北区\n"
                             "N3,Kids Kitchen,citizen_group,北区\nN4,Green NPO,npo,西区\n"
                             "N5,<script>alert(1)</script>,company,西区\nN6,Loner,npo,浪速区\n",
        "collaborations.csv": "id,title,org_ids\nC1,Cleanup,N3;N4\nC2,Shop,N4;N5\n",
        "memberships.csv": "org_id,council_id\nN2,N1\nN3,N1\n",
    },
    "kobe": {
        "dataset.json": json.dumps({"name": "Kobe", "city": "神戸市"}),
        "organizations.csv": "id,name,kind,ward\nK1,灘まちづくり,council,灘区\nK2,灘食堂,citizen_group,灘区\n"
                             "K3,中央NPO,npo,中央区\nK4,中央商店,company,中央区\n",
        "collaborations.csv": "id,title,start_date,org_ids\nC1,a,2018-05-01,K1;K2\n"
                              "C2,b,2019-06-01,K2;K3\n",
    },
}


@pytest.fixture(scope="module", params=list(DATASETS))
def review_store(request, tmp_path_factory) -> Path:
    from ingest.store import ingest_dataset

    folder = tmp_path_factory.mktemp(f"review_{request.param}")
    data = folder / "data"
    data.mkdir()
    for name, text in DATASETS[request.param].items():
        (data / name).write_text(text, encoding="utf-8")
    store = folder / "store.duckdb"
    ingest_dataset(data, store=store)
    return store


@pytest.mark.slow
def test_every_page_runs_on_tiny_stores(review_store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TSUNAGARI_STORE", str(review_store))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    for page in PAGES:
        at.switch_page(f"dashboards/{page}.py")
        at.run()
        assert not at.exception, (page, [e.message for e in at.exception])


def test_another_citys_wards_are_offered_and_filter(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from ingest.store import ingest_dataset

    data = tmp_path / "kobe"
    data.mkdir()
    for name, text in DATASETS["kobe"].items():
        (data / name).write_text(text, encoding="utf-8")
    store = tmp_path / "store.duckdb"
    ingest_dataset(data, store=store)
    monkeypatch.setenv("TSUNAGARI_STORE", str(store))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("dashboards/overview.py")
    at.run()
    wards = at.sidebar.multiselect(key="scope_wards__ja")
    assert "灘区" in wards.options and "中央区" in wards.options
    everyone = next(m.value for m in at.metric if m.label == "団体数")
    wards.select("灘区").run()
    assert not at.exception, [e.message for e in at.exception]
    assert next(m.value for m in at.metric if m.label == "団体数") != everyone
    at.switch_page("dashboards/gaps.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]


def test_a_store_held_by_another_process_says_busy_not_empty(tmp_path, monkeypatch):
    """A long ingest in another process holds the store: the page says so, no traceback,
    and once the store is free a reload shows the data (the busy answer was not cached)."""
    import subprocess
    import sys

    from streamlit.testing.v1 import AppTest

    from ingest.store import ingest_dataset

    data = tmp_path / "data"
    data.mkdir()
    (data / "organizations.csv").write_text(DATASETS["no_ties"]["organizations.csv"],
                                            encoding="utf-8")
    store = tmp_path / "store.duckdb"
    ingest_dataset(data, store=store)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('held', flush=True); time.sleep(60)", str(store)], stdout=subprocess.PIPE,
        text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("TSUNAGARI_STORE", str(store))
        monkeypatch.setenv("TSUNAGARI_STORE_TIMEOUT", "0.3")
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        warnings = " ".join(w.value for w in at.warning)
        assert "使用中" in warnings
        assert not any("データがまだありません" in i.value for i in at.info)
    finally:
        holder.kill()
        holder.wait()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.warning
    assert at.title and not any("使用中" in i.value for i in at.info)
