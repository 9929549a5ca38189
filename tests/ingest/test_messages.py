"""The failure message catalogue: every code the validators emit has Japanese and English
texts, and the real messages of a bad dataset come out in Japanese without English."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ingest.message_catalogue import CATALOGUE
from ingest.messages import (
    explain_code,
    failure_message,
    format_failures,
    localise_failures,
    localise_message,
    message_form,
)
from ingest.schemas import TABLES
from ingest.validate import FAILURE_CODES, IngestError

ROOT = Path(__file__).resolve().parents[2]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Three English words in a row: a sentence (codes, ids and 'CSV UTF-8' are not).
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}")
# Where the failure code is among the arguments of each call that records a failure.
CODE_ARGUMENT = {"add": 4, "add_rows": 3, "fail": 2, "_failure": 4, "read_failure": 4}
# dashboards/_state_data.py has a ``_failure(file, code, message)`` of its own.
STATE_CODE_ARGUMENT = {"_failure": 1}


def _codes_in_source() -> set[str]:
    """Every failure code written in ingest/ and dashboards/_state_data.py, read from the AST."""
    enum_codes = {f"unknown_{c.name}" for spec in TABLES.values() for c in spec.columns
                  if c.type == "enum"}
    codes = set()
    files = sorted((ROOT / "ingest").rglob("*.py")) + [ROOT / "dashboards" / "_state_data.py"]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            where = STATE_CODE_ARGUMENT if path.name == "_state_data.py" else CODE_ARGUMENT
            if name not in where:
                continue
            position = where[name]
            argument = next((k.value for k in node.keywords if k.arg == "code"), None)
            if argument is None and len(node.args) > position:
                argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                if argument.value:
                    codes.add(argument.value)
            elif isinstance(argument, ast.JoinedStr):
                codes |= enum_codes
    return codes


def test_every_code_in_the_source_has_japanese_and_english():
    codes = _codes_in_source()
    assert {"future_date", "unknown_ward", "unknown_topic", "unknown_status", "bad_csv",
            "wrong_type"} <= codes
    assert set(FAILURE_CODES) <= codes
    missing = sorted(codes - set(CATALOGUE))
    assert not missing
    for code in codes:
        japanese, english = CATALOGUE[code]["explain"]
        assert JAPANESE.search(japanese) and english and not JAPANESE.search(english[:1])
        for form, (en, ja) in CATALOGUE[code]["forms"].items():
            assert JAPANESE.search(ja), (code, form)
            # The Japanese text uses values of the English one only (it may leave out an
            # English word list, such as the codes of the kinds, for the Japanese names).
            fields = set(re.findall(r"\{(\w+)\}", en))
            assert set(re.findall(r"\{(\w+)\}", ja)) <= fields, (code, form)
            assert not ENGLISH_SENTENCE.search(re.sub(r"\{\w+\}", "", ja)), (code, form)


def test_catalogue_texts_are_filled_from_values():
    values = {"value": "2099-01-01", "today": "2026-12-02"}
    assert failure_message("future_date", "en", form="after_today", **values) == \
        "'2099-01-01' is after today (2026-12-02)"
    assert failure_message("future_date", "ja", form="after_today", **values) == \
        "「2099-01-01」は今日（2026-12-02）より後の日付です"
    # The Japanese text of a real English message keeps every value.
    message = failure_message("date_order", "en", end="end_date", end_date="2019-01-01",
                              start="date", start_date="2019-02-01")
    assert localise_message("date_order", message, "ja") == \
        "end_date（2019-01-01）が date（2019-02-01）より前になっています"
    assert explain_code("no_such_code", "ja") == "no_such_code"
    with pytest.raises(ValueError, match="language"):
        localise_message("bad_date", "x", "fr")


def _bad_dataset(folder: Path) -> Path:
    files = {
        "organizations.csv": "id,name,kind,ward,orientation,fields,founded,synthetic\n"
                             "R-1,あおぞら会,npo,梅田区,地縁型,1,2099-01-01,はい\n"
                             "R-2,みなと,zzz,北区,sideways,99,2019-02-30,maybe\n"
                             "R-3,さくら,企業,北区,,,45123,\n"
                             "R-3,さくら2,企業,北区,,,令和元年13月1日,\n"
                             "R-4,,npo,北区,,,x,\n",
        "events.csv": "id,name,date,end_date,organizer_id,attendance\n"
                      "E1,Forum,2019-05-01,2019-04-01,R-9,-3\n"
                      "E2,Walk,2019-05-01,,,3.5\n"
                      "E3,Fest,2019-05-01,,,1e400\n",
        "collaborations.csv": "id,title,org_ids\nC1,Joint,R-1;R-1\nC2,Other,R-1;誰か\n",
        "dispatches.csv": "id,org_id,talent_id\nD1,R-1,山田太郎\n",
        "awards.csv": "org_id,program,fiscal_year\nR-1,助成,FY2099\nR-1,助成,next year\n",
        "consultations.csv": "id,date,topics,status\nQ1,2019-05-01,宇宙,lost\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def bad_failures(tmp_path_factory):
    from ingest.load import prepare

    with pytest.raises(IngestError) as caught:
        prepare(_bad_dataset(tmp_path_factory.mktemp("bad")))
    return caught.value.failures


def test_real_messages_of_a_bad_dataset_have_japanese_texts(bad_failures):
    codes = set(bad_failures["code"])
    assert {"unknown_ward", "future_date", "unknown_kind", "unknown_orientation",
            "unknown_field", "bad_date", "bad_bool", "empty_value", "date_order",
            "negative_value", "bad_number", "not_pseudonymous", "bad_fiscal_year",
            "unknown_topic", "unknown_status"} <= codes, codes
    for record in bad_failures.to_dict("records"):
        code, message = record["code"], record["message"]
        parts = message.split("; ")
        assert message_form(code, message) is not None or \
            all(message_form(code, p) for p in parts), (code, message)
        japanese = localise_message(code, message, "ja")
        assert JAPANESE.search(japanese)
        assert not ENGLISH_SENTENCE.search(japanese), (code, japanese)
        assert localise_message(code, message, "en") == message
    frame = localise_failures(bad_failures, "ja")
    assert list(frame.columns) == ["file", "sheet", "row", "column", "code", "explanation",
                                   "message"]
    ward = frame.loc[frame["code"] == "unknown_ward", "message"].iloc[0]
    assert ward == "「梅田区」は大阪市の24区のいずれでもありません"


def test_reading_problems_have_japanese_texts(tmp_path):
    from ingest.load import prepare

    cases = {
        "organizations.csv": b"id;name;kind\nR-1;a;npo\n",
        "events.csv": b"id,name,date\nE1,\"open,2019-01-01\n",
        "memberships.csv": "\ufeffid,name\n".encode("utf-16"),
    }
    for name, content in cases.items():
        folder = tmp_path / name.split(".")[0]
        folder.mkdir()
        (folder / "organizations.csv").write_text("id,name,kind\nR-1,a,npo\n")
        (folder / name).write_bytes(content)
        with pytest.raises(IngestError) as caught:
            prepare(folder)
        for record in caught.value.failures.to_dict("records"):
            assert message_form(record["code"], record["message"]), record
            japanese = localise_message(record["code"], record["message"], "ja")
            assert not ENGLISH_SENTENCE.search(japanese), japanese


def test_report_in_japanese_names_file_row_and_column(bad_failures):
    report = format_failures(bad_failures, "ja", limit=3)
    lines = report.splitlines()
    assert lines[0] == f"{len(bad_failures)} 件の問題："
    assert re.match(r"  \S+\.csv \d+ 行目、列 \S+：\w+：", lines[1])
    assert lines[-1].startswith(f"  …ほか {len(bad_failures) - 3} 件")
    assert not any(ENGLISH_SENTENCE.search(line) for line in lines[1:])


def test_japanese_choice_lists_name_spellings_the_validator_accepts():
    from ingest.consultations import STATUS_ALIASES
    from ingest.validate import KIND_ALIASES, ORIENTATION_ALIASES

    for code, aliases in (("unknown_kind", KIND_ALIASES),
                          ("unknown_orientation", ORIENTATION_ALIASES),
                          ("unknown_status", STATUS_ALIASES)):
        japanese = CATALOGUE[code]["forms"]["enum"][1]
        listed = japanese.split("（", 1)[1].rstrip("）").removesuffix(" のいずれか")
        names = re.split(r"、|・| か ", listed)
        assert len(names) >= 2, (code, listed)
        for name in names:
            assert name.lower() in aliases, (code, name)
