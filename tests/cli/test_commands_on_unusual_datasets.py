"""CLI commands on tiny datasets the product has never seen (review cases)."""

from __future__ import annotations

import json

import pytest

from cli.main import main


def _write(folder, files):
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture()
def no_dates(tmp_path):
    return _write(tmp_path / "no_dates", {
        "organizations.csv": "id,name,kind,ward\nN1,Council,council,北区\nN2,Assoc,"
                             "neighbourhood_association,北区\nN3,Kitchen,citizen_group,北区\n"
                             "N4,Green,npo,西区\nN5,Loner,npo,浪速区\n",
        "collaborations.csv": "id,title,org_ids\nC1,Cleanup,N3;N4\n",
        "memberships.csv": "org_id,council_id\nN2,N1\nN3,N1\n"})


@pytest.fixture()
def kobe(tmp_path):
    return _write(tmp_path / "kobe", {
        "dataset.json": json.dumps({"name": "Kobe", "city": "神戸市"}),
        "organizations.csv": "id,name,kind,ward\nK1,中央の会,npo,中央区\nK2,西の会,npo,西区\n"
                             "K3,灘の会,npo,灘区\nK4,灘の店,company,灘区\n"})


def test_timeline_without_dates_says_so(no_dates, tmp_path, capsys):
    assert main(["timeline", "--dataset", str(no_dates), "--out", str(tmp_path / "t"),
                 "--no-charts"]) == 0
    assert "no dated records" in capsys.readouterr().out


def test_evaluate_without_new_ties_says_so(no_dates, capsys):
    assert main(["evaluate", "--dataset", str(no_dates), "--train-until", "FY2018",
                 "--test-until", "FY2019"]) == 0
    out = capsys.readouterr().out
    assert "0 new ties" in out and "nothing to score" in out


def test_suggest_unknown_and_tieless(no_dates, capsys):
    assert main(["suggest", "--dataset", str(no_dates), "Lonr"]) == 2
    assert "Closest: Loner (N5)" in capsys.readouterr().err
    assert main(["suggest", "--dataset", str(no_dates), "Loner"]) == 0
    assert "N5 Loner → #1" in capsys.readouterr().out


def test_suggest_another_city_no_osaka_borders(kobe, capsys):
    # 中央区 and 西区 border each other in Osaka, not in Kobe.
    assert main(["suggest", "--dataset", str(kobe), "K1"]) == 0
    out = capsys.readouterr().out
    assert "Neighbouring wards" not in out
    assert main(["suggest", "--dataset", str(kobe), "K3"]) == 0
    assert "Same ward: 灘区" in capsys.readouterr().out


def test_every_command_on_one_organisation(tmp_path, capsys):
    one = _write(tmp_path / "one", {"organizations.csv": "id,name,kind\nX1,Solo,npo\n"})
    assert main(["analyze", "--dataset", str(one), "--out", str(tmp_path / "a")]) == 0
    for fmt in ("gexf", "graphml", "csv", "json", "xlsx"):
        assert main(["export", "--dataset", str(one), "--out", str(tmp_path / f"g.{fmt}")]) == 0
    assert main(["timeline", "--dataset", str(one), "--out", str(tmp_path / "t"),
                 "--no-charts"]) == 0
    assert main(["suggest", "--dataset", str(one), "Solo"]) == 0
    assert "no suggestion" in capsys.readouterr().out


def test_analyze_ward_is_normalised_and_a_typo_is_exit_2(no_dates, tmp_path, capsys):
    assert main(["analyze", "--dataset", str(no_dates), "--ward", "北",
                 "--out", str(tmp_path / "a")]) == 0
    assert capsys.readouterr().out.startswith("3 organisations")
    assert main(["analyze", "--dataset", str(no_dates), "--ward", "北区ー",
                 "--out", str(tmp_path / "b")]) == 2
    assert "wards in the data: 北区, 浪速区, 西区" in capsys.readouterr().err
