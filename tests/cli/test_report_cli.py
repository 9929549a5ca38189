"""`tsunagari report`: a ward's PDF/XLSX/HTML from the store; bad wards and suffixes refused."""

from __future__ import annotations

from pathlib import Path

from cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def test_report_from_a_dataset_folder(tmp_path, capsys):
    real = str(ROOT / "data" / "osaka" / "real")
    out = tmp_path / "r.html"
    assert main(["report", "--dataset", real, "--ward", "西淀川", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "西淀川区 つながりレポート" in page and "紹介の提案" in page
    assert "wrote" in capsys.readouterr().out


def test_report_from_a_store_names_its_version(tmp_path):
    from ingest.store import ingest_dataset, store_version

    store = tmp_path / "s.duckdb"
    ingest_dataset(ROOT / "data" / "osaka" / "real", store=store)
    out = tmp_path / "r.html"
    assert main(["report", "--store", str(store), "--ward", "西淀川区", "--out", str(out),
                 "--lang", "en"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Data sources and store version" in page
    assert store_version(store)[:24] in page


def test_bad_ward_and_suffix_are_refused(tmp_path, capsys):
    real = str(ROOT / "data" / "osaka" / "real")
    assert main(["report", "--dataset", real, "--ward", "梅田区", "--out",
                 str(tmp_path / "r.pdf")]) == 2
    assert "梅田区" in capsys.readouterr().err
    assert main(["report", "--dataset", real, "--ward", "北区", "--out",
                 str(tmp_path / "r.doc")]) == 2
    assert not (tmp_path / "r.pdf").exists()
