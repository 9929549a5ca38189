"""The Data page in Japanese: a rejected upload's reasons and the table headers are Japanese,
and no English sentence of the message catalogue reaches the screen."""

from __future__ import annotations

import json
import re

from ingest.message_catalogue import CATALOGUE
from ingest.store import CONFLICT_COLUMNS

BAD = ("id,name,kind,ward,founded\n"
       "R-1,あおぞら会,npo,梅田区,2099-01-01\n"
       "R-2,みなと,spaceship,北区,2019-02-30\n").encode()


def _english_fragments() -> set[str]:
    """The literal text of every English template, cut at its values (pieces of three
    words or more: the sentences a Japanese screen must not show)."""
    pieces = set()
    for entry in CATALOGUE.values():
        for english, _ in entry["forms"].values():
            for piece in re.split(r"\{\w+\}", english):
                piece = piece.strip(" '\"();:,.")
                if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 3:
                    pieces.add(piece)
    return pieces


def _labels(frame) -> dict:
    """Column name → label shown (``column_config``) of a dataframe element."""
    config = json.loads(frame.proto.columns or "{}")
    return {name: spec.get("label", name) for name, spec in config.items()
            if name != "_index"}


def _screen(at) -> str:
    parts = [e.value for kind in ("text", "caption", "markdown", "title", "subheader",
                                  "error", "success") for e in getattr(at, kind)]
    parts += [frame.value.to_string() for frame in at.dataframe]
    return "\n".join(str(p) for p in parts)


def test_rejected_upload_is_reported_in_japanese(app):
    app.session_state["auth_editor"] = "test editor"  # uploads need an editor (dashboards/_auth.py)
    app.run()
    app.switch_page("dashboards/data.py")
    at = app.run()
    at.file_uploader(key="data_upload").set_value([("organizations.csv", BAD, "text/csv")]).run()
    assert not at.exception
    assert at.error
    report = at.dataframe[0]
    messages = set(report.value["message"])
    assert "「梅田区」は大阪市の24区のいずれでもありません" in messages
    assert any(m.startswith("「2099-01-01」は今日（") for m in messages)
    assert "「2019-02-30」はありえない日付です（その月にその日はありません）" in messages
    assert "大阪市の区ではありません" in set(report.value["explanation"])
    labels = _labels(report)
    assert labels["message"] == "理由" and labels["explanation"] == "問題"
    screen = _screen(at)
    leaked = [piece for piece in _english_fragments() if piece in screen]
    assert not leaked
    assert "is after today" not in screen and "Osaka City's 24 wards" not in screen
    counts = next(f for f in at.dataframe if list(f.value.columns) == ["table", "records",
                                                                      "stored"])
    assert _labels(counts) == {"table": "表", "records": "現在の件数",
                               "stored": "保存した件数（履歴を含む）"}
    assert counts.value["table"].iloc[0] == "団体（organizations）"
    conflicts = next(f for f in at.dataframe if list(f.value.columns) == list(CONFLICT_COLUMNS))
    assert len(conflicts.value)  # the real records have conflicting report figures
    labels = _labels(conflicts)
    assert labels["differs"] == "違う項目" and labels["values"] == "値"
    assert all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", label) for label in labels.values())


def test_rejected_upload_is_reported_in_english_after_the_switch(app):
    app.session_state["auth_editor"] = "test editor"  # uploads need an editor (dashboards/_auth.py)
    app.run()
    app.sidebar.toggle(key="lang_en").set_value(True).run()
    app.switch_page("dashboards/data.py")
    at = app.run()
    at.file_uploader(key="data_upload").set_value([("organizations.csv", BAD, "text/csv")]).run()
    report = at.dataframe[0].value
    assert "'梅田区' is not one of Osaka City's 24 wards" in set(report["message"])
    assert "Not a ward of the city" in set(report["explanation"])
    assert _labels(at.dataframe[0])["message"] == "Reason"


def test_accepted_upload_names_the_tables_in_japanese(app):
    app.session_state["auth_editor"] = "test editor"  # uploads need an editor (dashboards/_auth.py)
    app.run()
    app.switch_page("dashboards/data.py")
    at = app.run()
    good = "id,name,kind,ward\nU-1,あおぞら会,npo,北区\nU-2,みなと,company,港区\n".encode()
    at.file_uploader(key="data_upload").set_value([("organizations.csv", good, "text/csv")]).run()
    assert not at.exception
    assert at.success[0].value == "検証に合格しました：団体（organizations） 2"
