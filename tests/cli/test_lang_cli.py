"""`tsunagari validate | ingest` speak Japanese with --lang ja or a Japanese locale."""

from __future__ import annotations

import re

import pytest

from cli.main import main

BAD = ("id,name,kind,ward,founded\n"
       "R-1,あおぞら会,npo,梅田区,2099-01-01\n"
       "R-2,みなと,spaceship,北区,2019-02-30\n")
GOOD = "id,name,kind,ward\nR-1,あおぞら会,npo,北区\nR-2,みなと,company,港区\n"
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}")


def _dataset(folder, text):
    folder.mkdir()
    (folder / "organizations.csv").write_text(text, encoding="utf-8")
    return str(folder)


@pytest.fixture()
def english_locale(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def _assert_japanese_report(text: str):
    lines = [line.strip() for line in text.strip().splitlines()]
    assert lines[0].endswith("無効です — 何も読み込んでいません。")
    assert lines[1] == "4 件の問題："
    assert "organizations.csv 2 行目、列 ward：unknown_ward：「梅田区」は大阪市の24区のいずれでもありません" \
        in lines
    assert any("「2099-01-01」は今日（" in line for line in lines)
    assert not any(ENGLISH_SENTENCE.search(line) for line in lines), lines


@pytest.mark.parametrize("argv", [["--lang", "ja", "validate"], ["validate", "--lang", "ja"]])
def test_validate_with_lang_ja_prints_japanese(tmp_path, capsys, english_locale, argv):
    folder = _dataset(tmp_path / "bad", BAD)
    assert main(argv[:3] + [folder] + argv[3:]) == 2
    _assert_japanese_report(capsys.readouterr().out)


def test_validate_follows_a_japanese_locale_and_lang_en_overrides_it(tmp_path, capsys,
                                                                     monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    folder = _dataset(tmp_path / "bad", BAD)
    assert main(["validate", folder]) == 2
    _assert_japanese_report(capsys.readouterr().out)
    assert main(["validate", folder, "--lang", "en"]) == 2
    out = capsys.readouterr().out
    assert "invalid — nothing was loaded." in out
    assert "'梅田区' is not one of Osaka City's 24 wards" in out


def test_english_locale_keeps_english(tmp_path, capsys, english_locale):
    assert main(["validate", _dataset(tmp_path / "bad", BAD)]) == 2
    assert "4 problems:" in capsys.readouterr().out


def test_ingest_in_japanese_reports_and_loads(tmp_path, capsys, english_locale):
    store = str(tmp_path / "s.duckdb")
    assert main(["--lang", "ja", "ingest", _dataset(tmp_path / "bad", BAD),
                 "--store", store]) == 2
    _assert_japanese_report(capsys.readouterr().err)
    good = _dataset(tmp_path / "good", GOOD)
    assert main(["--lang", "ja", "ingest", good, "--store", store]) == 0
    out = capsys.readouterr().out
    assert f"{good}：取り込み番号 1 として" in out and "organizations 2" in out
    assert main(["--lang", "ja", "validate", good]) == 0
    assert capsys.readouterr().out.startswith(f"{good}：問題ありません — organizations 2")


def test_analysis_commands_explain_bad_input_in_japanese(tmp_path, capsys, english_locale):
    assert main(["--lang", "ja", "analyze", "--dataset", _dataset(tmp_path / "bad", BAD),
                 "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "無効です — 何も分析していません。" in err
    assert "「梅田区」は大阪市の24区のいずれでもありません" in err


def test_status_and_merge_candidates_in_japanese(tmp_path, capsys, english_locale):
    store = str(tmp_path / "s.duckdb")
    twins = "id,name,kind,ward\nR-1,あおぞら子ども食堂,npo,北区\nR-2,アオゾラ子ども食堂,npo,北区\n"
    assert main(["--lang", "ja", "ingest", _dataset(tmp_path / "twins", twins),
                 "--store", store]) == 0
    out = capsys.readouterr().out
    assert "重複かもしれない団体名が 1 組あります" in out
    assert "（スコア " in out and "かな・表記違いの同じ名前" in out
    assert main(["status", "--store", store, "--lang", "ja"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["表", "現在の件数", "保存した件数"]
    assert lines[2].split() == ["organizations", "2", "2"]
    assert "取り込み履歴：1 件" in lines
    assert not any(ENGLISH_SENTENCE.search(line) for line in lines[1:])


@pytest.mark.parametrize("command", [["suggest", "--all"], ["match", "--org", "R-1"]])
def test_other_commands_report_bad_datasets_in_japanese(tmp_path, capsys, english_locale,
                                                        command):
    folder = _dataset(tmp_path / "bad", BAD)
    assert main(["--lang", "ja", command[0], "--dataset", folder] + command[1:]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{folder}：無効なデータセットです"
    assert "「梅田区」は大阪市の24区のいずれでもありません" in "\n".join(err)
    assert not any(ENGLISH_SENTENCE.search(line) for line in err)


def test_import_reports_a_bad_registry_file_in_japanese(tmp_path, capsys, english_locale):
    registry = tmp_path / "npo.csv"
    registry.write_text("名前\nあおぞら\n", encoding="utf-8")
    assert main(["--lang", "ja", "import", "npo-registry", str(registry),
                 "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{registry}：読めませんでした — 何も書き出していません。"
    assert any("必須の列「法人名称」がありません（NPOポータルのCSV）" in line for line in err)
    assert not any(ENGLISH_SENTENCE.search(line) for line in err[1:])
