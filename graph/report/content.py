"""What a ward report says: sections of text, tables and pictures, in Japanese or English.

:func:`ward_report` gathers, for one ward, from the whole city's analysis: the ward's network
in figures and a picture, its top connectors and isolated organisations with the analysis'
reasons, the gap table against the null model (ties observed vs expected between the ward
and each sector), suggested introductions with their reasons (``graph.introductions``), growth per
fiscal year (``graph.time.growth_cache``), the report figures of the sources and where they
disagree, and the data sources with the store version. Renderers (``graph.report.render``)
turn the :class:`Report` into PDF, XLSX or HTML.

Examples
--------
>>> from graph.analysis import analyze
>>> from ingest.load import load_dataset
>>> ds = load_dataset("data/osaka/real")
>>> report = ward_report(ds, analyze(ds), "西淀川区", store="x.duckdb", version="v1")
>>> report.title
'西淀川区 つながりレポート'
>>> [s.key for s in report.sections][:3]
['network', 'connectors', 'isolated']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from graph.errors import GraphError

__all__ = ["Section", "Report", "TEXT", "ward_report"]

#: Every sentence and heading of the report: key → (Japanese, English).
TEXT: dict[str, tuple[str, str]] = {
    "title": ("{ward} つながりレポート", "{ward}: partnership network report"),
    "subtitle": ("作成日 {today}・データ {store}（版 {version}）",
                 "Made {today} from {store} (version {version})"),
    "network": ("ネットワークの姿", "The ward's network"),
    "network_text": (
        "{ward}の団体 {orgs:,} のうち、ほかの団体とつながっているのは {tied:,} 団体です。区内のつながりは "
        "{inside:,} 本、区外とのつながりは {outside:,} 本。孤立した団体の割合は {isolated:.0%}、"
        "地縁型↔テーマ型のつながりの割合は {tt}です。図は区内の団体とつながり（色 = コミュニティ）。",
        "Of {ward}'s {orgs:,} organisations, {tied:,} have a tie. {inside:,} ties inside the ward, "
        "{outside:,} to other wards. Isolated share {isolated:.0%}; territorial↔thematic tie "
        "share {tt}. The picture shows the ward's organisations and ties (colour = community)."),
    "connectors": ("つなぎ役（上位）", "Top connectors"),
    "connectors_text": ("グループどうしをつなぐ団体です。紹介や声かけをお願いできます。",
                        "Organisations that link groups that would not otherwise meet: ask them "
                        "to introduce people."),
    "isolated": ("孤立している団体", "Isolated organisations"),
    "isolated_text": ("つながりがない、または薄い団体です。訪問や声かけの候補です。",
                      "Organisations with no or weak ties: candidates for a visit."),
    "gaps": ("ギャップ（偶然の期待との比較）", "Gaps against the null model"),
    "gaps_text": (
        "区の団体と各種別の団体とのつながりの数を、つながりの数から偶然に期待される数（configuration "
        "model）と比べます。比が1より小さいほど、期待より少ない組み合わせです。",
        "Ties between the ward's organisations and each sector, against the number expected by "
        "chance from the organisations' numbers of ties (configuration model). A ratio below 1 "
        "means fewer ties than expected."),
    "introductions": ("紹介の提案", "Suggested introductions"),
    "introductions_text": ("区内でつながりの多い団体ごとに、別のグループの団体との紹介を提案します（理由は記録に基づく）。",
                           "For the ward's best-connected organisations, introductions to another "
                           "group, with reasons taken from the records."),
    "growth": ("推移（年度別）", "Growth per fiscal year"),
    "growth_text": ("区内の団体とつながりの数の推移です（各年度末時点の累計）。",
                    "Organisations and ties in the ward at the end of each fiscal year "
                    "(cumulative)."),
    "figures": ("報告書の数値と出典の食い違い", "Report figures and conflicts between sources"),
    "figures_text": ("出典ごとの数値をそのまま示します。同じ項目で出典の数値が異なるものを下の表に示します。",
                     "Figures as each source prints them; cells where the sources disagree "
                     "are listed below."),
    "no_conflicts": ("出典どうしの食い違いはありません。", "No conflicts between sources."),
    "sources": ("データの出典と版", "Data sources and store version"),
    "sources_text": ("データストア {store}、版 {version}。取り込んだバッチ:",
                     "Store {store}, version {version}. Batches ingested:"),
    "none": ("該当なし", "None"),
    "col_name": ("団体名", "Organisation"),
    "col_kind": ("種別", "Kind"),
    "col_score": ("スコア", "Score"),
    "col_why": ("理由", "Why"),
    "col_sector": ("種別", "Sector"),
    "col_observed": ("実際", "Observed"),
    "col_expected": ("期待", "Expected"),
    "col_ratio": ("比", "Ratio"),
    "col_org": ("団体", "Organisation"),
    "col_partner": ("紹介先", "Partner"),
    "col_fy": ("年度", "Fiscal year"),
    "col_orgs": ("団体数", "Organisations"),
    "col_ties": ("つながり数", "Ties"),
    "col_communities": ("コミュニティ数", "Communities"),
    "col_isolated_share": ("孤立の割合", "Isolated share"),
    "col_metric": ("項目", "Metric"),
    "col_category": ("区分", "Category"),
    "col_values": ("出典ごとの値", "Values by source"),
    "col_source": ("出典", "Source"),
    "col_value": ("値", "Value"),
    "col_batch": ("バッチ", "Batch"),
    "col_batch_name": ("名前", "Name"),
    "col_ingested": ("取り込み日時", "Ingested"),
    "col_records": ("レコード数", "Records"),
}
#: Rows of the connector, isolated and introduction tables.
TOP_CONNECTORS, TOP_ISOLATED, INTRO_ORGS, INTRO_EACH = 10, 15, 6, 2


@dataclass
class Section:
    """One part of a report: heading, text, optional tables and pictures (PNG bytes)."""

    key: str
    heading: str
    text: str = ""
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    images: list[bytes] = field(default_factory=list)


@dataclass
class Report:
    """A ward report: title, subtitle, language and sections in reading order."""

    title: str
    subtitle: str
    lang: str
    ward: str
    sections: list[Section]


def _say(key: str, lang: str, **values) -> str:
    text = TEXT[key][0 if lang == "ja" else 1]
    return text.format(**values) if values else text


def _headed(frame: pd.DataFrame, columns: dict[str, str], lang: str) -> pd.DataFrame:
    return frame[list(columns)].rename(columns={c: _say(k, lang) for c, k in columns.items()})


def ward_report(dataset, result, ward: str, *, store: str, version: str, lang: str = "ja",
                growth: dict | None = None, batches: list[dict] | None = None,
                pictures: bool = True, today: dt.date | None = None) -> Report:
    """The :class:`Report` of one ward.

    Parameters
    ----------
    dataset : ingest.schemas.Dataset
        The records the analysis was computed from.
    result : graph.analysis_result.Analysis
        The whole city's analysis (measures keep their city-wide values).
    ward : str
    store, version : str, keyword-only
        The store's file name and version, printed in the report.
    lang : {"ja", "en"}, keyword-only
    growth : dict, optional, keyword-only
        ``graph.time.compute_growth`` of the ward (none: no growth section).
    batches : list of dict, optional, keyword-only
        ``ingest.store.status(...)["batches"]`` for the sources section.
    pictures : bool, keyword-only
        Draw the network and growth pictures (matplotlib).
    today : datetime.date, optional, keyword-only

    Raises
    ------
    GraphError
        For an unknown language or a ward without organisations.
    """
    if lang not in ("ja", "en"):
        raise GraphError(f"unknown language {lang!r}; use ja or en")
    measures = result.measures
    mine = measures[measures["ward"] == ward]
    if mine.empty:
        raise GraphError(f"no organisation in ward {ward!r}")
    from graph.report.figures import growth_png, network_png

    today = today or dt.date.today()
    sections = [_network(result, ward, mine, lang, pictures, network_png),
                _connectors(result, mine, lang), _isolated(result, mine, lang),
                _gaps(result, ward, lang), _introductions(dataset, result, mine, lang)]
    if growth is not None and not growth["snapshots"].empty:
        sections.append(Section("growth", _say("growth", lang), _say("growth_text", lang),
                                [("", _growth_table(growth["snapshots"], lang))],
                                [growth_png(growth["snapshots"], lang)] if pictures else []))
    sections.append(_figures(dataset, lang))
    sections.append(_sources(store, version, batches or [], lang))
    return Report(title=_say("title", lang, ward=ward),
                  subtitle=_say("subtitle", lang, today=today.isoformat(), store=store,
                                version=version[:24]),
                  lang=lang, ward=ward, sections=sections)


def _network(result, ward, mine, lang, pictures, draw) -> Section:
    G = result.ties
    inside = outside = 0
    members = set(mine.index)
    for u in members:
        for v in G.neighbors(u):
            if v in members:
                inside += 1
            else:
                outside += 1
    bridging = result.gaps.get("orientation_bridging")
    share = None
    if bridging is not None and ward in set(bridging["ward"]):
        share = float(bridging.set_index("ward").loc[ward, "share"])
    text = _say("network_text", lang, ward=ward, orgs=len(mine),
                tied=int((mine["degree"] > 0).sum()), inside=inside // 2, outside=outside,
                isolated=float((mine["isolated_reason"] != "").mean()),
                tt="—" if share is None else f"{share:.0%}")
    images = [draw(G.subgraph(members), mine["community"].to_dict())] if pictures else []
    return Section("network", _say("network", lang), text, [], images)


def _connectors(result, mine, lang) -> Section:
    ranked = result.connectors.loc[[v for v in result.connectors.index if v in mine.index]]
    top = ranked.head(TOP_CONNECTORS).assign(score=lambda f: f["score"].round(3))
    why = "why_ja" if lang == "ja" else "why_en"
    table = _headed(top, {"name": "col_name", "kind": "col_kind", "score": "col_score",
                          why: "col_why"}, lang)
    return Section("connectors", _say("connectors", lang), _say("connectors_text", lang),
                   [("", table)])


def _isolated(result, mine, lang) -> Section:
    lonely = result.isolated.loc[[v for v in result.isolated.index if v in mine.index]]
    why = "why_ja" if lang == "ja" else "why_en"
    table = _headed(lonely.head(TOP_ISOLATED), {"name": "col_name", "kind": "col_kind",
                                                why: "col_why"}, lang)
    return Section("isolated", _say("isolated", lang), _say("isolated_text", lang),
                   [("", table)])


def _gaps(result, ward, lang) -> Section:
    cells = result.gaps.get("ward_sector", pd.DataFrame(columns=["ward"]))
    rows = cells[cells["ward"] == ward].sort_values("ratio")
    sector = "sector_ja" if lang == "ja" else "sector"
    rows = rows.assign(expected=rows["expected"].round(1), ratio=rows["ratio"].round(2))
    table = _headed(rows, {sector: "col_sector", "observed": "col_observed",
                           "expected": "col_expected", "ratio": "col_ratio"}, lang)
    return Section("gaps", _say("gaps", lang), _say("gaps_text", lang), [("", table)])


def _introductions(dataset, result, mine, lang) -> Section:
    from graph.introductions import suggest, work_list

    tied = mine[mine["degree"] > 0].sort_values(["strength", "name"], ascending=[False, True])
    orgs = list(tied.index[:INTRO_ORGS])
    found = work_list(suggest(result.ties, dataset=dataset, orgs=orgs, goal="bridge",
                              top=INTRO_EACH, partition=result.partition)) if orgs else work_list([])
    why = "reasons_ja" if lang == "ja" else "reasons_en"
    table = _headed(found, {"org_name": "col_org", "partner_name": "col_partner",
                            why: "col_why"}, lang)
    return Section("introductions", _say("introductions", lang), _say("introductions_text", lang),
                   [("", table)])


def _growth_table(snapshots: pd.DataFrame, lang: str) -> pd.DataFrame:
    shown = snapshots.assign(isolated_share=snapshots["isolated_share"].round(3))
    return _headed(shown, {"period": "col_fy", "organisations": "col_orgs", "ties": "col_ties",
                           "communities": "col_communities",
                           "isolated_share": "col_isolated_share"}, lang)


def _figures(dataset, lang) -> Section:
    from graph.time import report_series, series_conflicts

    series = report_series(dataset)
    conflicts = series_conflicts(series)
    tables = [("", _headed(series, {"metric": "col_metric", "period": "col_fy",
                                    "category": "col_category", "source": "col_source",
                                    "value": "col_value"}, lang))]
    text = _say("figures_text", lang)
    if conflicts.empty:
        text += " " + _say("no_conflicts", lang)
    else:
        tables.append((_say("figures", lang), _headed(
            conflicts, {"metric": "col_metric", "period": "col_fy", "category": "col_category",
                        "values": "col_values"}, lang)))
    return Section("figures", _say("figures", lang), text, tables)


def _sources(store, version, batches, lang) -> Section:
    rows = pd.DataFrame([{"batch": b.get("batch"), "name": b.get("name") or b.get("path") or "",
                          "ingested": b.get("ingested_at", ""),
                          "records": sum((b.get("counts") or {}).values())} for b in batches],
                        columns=["batch", "name", "ingested", "records"])
    table = _headed(rows, {"batch": "col_batch", "name": "col_batch_name",
                           "ingested": "col_ingested", "records": "col_records"}, lang)
    return Section("sources", _say("sources", lang),
                   _say("sources_text", lang, store=store, version=version), [("", table)])
