"""analyze(): a small dataset end to end, scope options, determinism, bad input."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from graph.analysis import STAGES, analyze
from graph.analysis_result import Analysis
from graph.build import example_dataset
from graph.errors import GraphError
from ingest.schemas import Dataset


def small_city() -> Dataset:
    """Two neighbourhood circles in 西淀川区 and 北区 joined only by the NPO 'bridge'.

    - w1..w4 (西淀川区, territorial) collaborate as one group (C1, FY2019);
    - n1..n4 (北区, thematic, field 13) collaborate as another (C2, FY2019);
    - 'bridge' (NPO, 北区) collaborates with w1 (C3) and n1 (C4);
    - 'lonely' (NPO) is tied only to the ward office 'office' (C5), which works with w2 (C6);
    - 'pair1'–'pair2' collaborate with each other only (C7, FY2015: inactive by FY2019);
    - 'hermit' has no ties at all.
    """
    orgs = pd.DataFrame({
        "id": ["w1", "w2", "w3", "w4", "n1", "n2", "n3", "n4", "bridge", "lonely", "office",
               "pair1", "pair2", "hermit"],
        "name": ["西町会", "西二町会", "西三町会", "=西四町会", "子育てNPO", "北NPO2", "北NPO3",
                 "北NPO4", "つなぐNPO", "ひとりNPO", "西淀川区役所", "ペア1", "ペア2", "孤高の会"],
        "kind": ["neighbourhood_association"] * 4 + ["npo"] * 4
                + ["npo", "npo", "public_agency", "citizen_group", "citizen_group", "company"],
        "ward": ["西淀川区"] * 4 + ["北区"] * 4 + ["北区", "西淀川区", "西淀川区", "港区", "港区", "港区"],
        "orientation": ["territorial"] * 4 + ["thematic"] * 5
                       + ["thematic", None, "thematic", "thematic", None],
        "fields": [[3]] * 4 + [[13]] * 4 + [[13, 3], [1], [], [6], [6], [16]],
        "synthetic": [False] * 14,
    })
    collab = pd.DataFrame({
        "id": ["C1", "C2", "C3", "C4", "C5", "C6", "C7"],
        "title": ["防災", "子育て", "見守り", "子ども食堂", "相談", "清掃", "文化祭"],
        "start_date": pd.to_datetime(["2019-05-01", "2019-05-01", "2019-06-01", "2019-06-01",
                                      "2019-07-01", "2019-07-01", "2015-07-01"]),
        "end_date": pd.to_datetime([None] * 7),
        "org_ids": [["w1", "w2", "w3", "w4"], ["n1", "n2", "n3", "n4"], ["bridge", "w1"],
                    ["bridge", "n1"], ["lonely", "office"], ["office", "w2"],
                    ["pair1", "pair2"]],
        "synthetic": [False] * 7,
    })
    return Dataset({"organizations": orgs, "collaborations": collab})


@pytest.fixture(scope="module")
def result() -> Analysis:
    return analyze(small_city(), seed=1)


def test_small_city_end_to_end(result):
    s = result.summary
    assert s["organisations"] == 14
    assert s["ties"] == 6 + 6 + 2 + 2 + 1
    assert s["components"] == 3 and s["giant_component"] == 11 and s["isolates"] == 1
    assert s["betweenness"] == {"exact": True, "k": 14, "seed": None, "normalized": True,
                                "max_standard_error": 0.0, "closeness_max_standard_error": 0.0}
    assert set(s["timings"]) == set(STAGES)
    assert s["reference_date"] == "2019-07-01"
    json.dumps(s)  # JSON-ready

    # the bridge is the top connector, and says why
    top = result.connectors.iloc[0]
    assert result.connectors.index[0] == "bridge"
    assert "sole_bridge" in top["reasons"]
    assert "唯一のつながり" in top["why_ja"]
    # hand-worked: bridge is on every path n1..n4 ↔ {w1..w4, office, lonely}: 24 of the
    # 13·12/2 = 78 pairs that exclude it; w1 on {bridge, n1..n4} ↔ {w2..w4, office, lonely}
    assert result.measures.loc["bridge", "betweenness"] == pytest.approx(24 / 78)
    assert result.measures.loc["w1", "betweenness"] == pytest.approx(25 / 78)

    # isolated, each with its reason
    kinds = result.isolated["isolation"].to_dict()
    assert kinds["hermit"] == "no_ties"
    assert kinds["pair1"] == "single_partner" and kinds["pair2"] == "single_partner"
    assert kinds["lonely"] == "single_partner"  # its one partner is the ward office
    assert "small_component" in result.isolated.loc["pair1", "reasons"]
    assert "inactive" in result.isolated.loc["pair1", "reasons"]
    assert s["isolated_by_kind"] == {"no_ties": 1, "single_partner": 3,
                                     "peripheral": 0, "inactive": 0}
    # the total has an honest name: not every listed organisation is isolated
    assert s["needing_partner"] == len(result.isolated) == 4 and "isolated" not in s
    assert result.measures.loc["pair1", "isolation"] == "single_partner"
    assert result.measures.loc["hermit", "isolated_reason"].startswith("no_ties")
    assert result.measures.loc["n2", "isolated_reason"] == ""

    # communities: the two circles are separate communities
    m = result.measures["community"]
    assert m["w1"] == m["w3"] and m["n1"] == m["n3"] and m["w1"] != m["n1"]
    assert len(result.communities) == len(result.partition.communities)
    assert {"label", "size", "role_connectors", "hubs", "isolated"} <= set(
        result.communities.columns)
    assert result.communities.index.name == "community"
    assert result.communities.loc[m["hermit"], "isolated"] == 1
    assert result.communities["size"].sum() == 14

    # gaps
    assert set(result.gaps) == {"ward_sector", "field_field", "community_holes",
                                "orientation_bridging", "company_gaps"}
    company = result.gaps["company_gaps"].set_index(["dimension", "key"])
    assert company.loc[("ward", "西淀川区"), "no_company_partner"]
    bridging = result.gaps["orientation_bridging"].set_index("ward")
    assert bridging.loc["北区", "bridging_ties"] == 1  # bridge–w1


def test_measures_frame_has_every_published_column(result):
    for column in ("name", "kind", "ward", "community", "degree", "strength", "betweenness",
                   "pagerank", "constraint", "effective_size", "participation_coefficient",
                   "within_module_z", "role", "isolated_reason", "connector_score",
                   "community_label", "harmonic_closeness", "last_activity"):
        assert column in result.measures.columns, column
    assert result.measures.index.name == "id"
    assert set(result.measures.index) == set(small_city().table("organizations")["id"])


def test_community_frame_counts_agree_with_the_measures(result):
    m, frame = result.measures, result.communities
    for c, members in m.groupby("community"):
        row = frame.loc[c]
        assert row["role_connectors"] == members["role"].isin(["R3", "R4", "R6", "R7"]).sum()
        assert row["hubs"] == members["role"].isin(["R5", "R6", "R7"]).sum()
        assert row["isolated"] == (members["isolated_reason"] != "").sum()
        assert row["mean_degree"] == pytest.approx(members["degree"].mean())
    assert frame["isolated"].sum() == (m["isolated_reason"] != "").sum() > 0
    assert frame["mean_degree"].dtype == float and frame["hubs"].dtype == int


@pytest.mark.parametrize("method, implementation", [
    ("auto", "python-louvain"), ("igraph", "igraph"), ("leiden", "networkit-leiden")])
def test_community_method_is_passed_on_and_recorded(method, implementation):
    a = analyze(small_city(), seed=1, community_method=method)
    assert a.summary["community_method"]["params"]["implementation"] == implementation
    assert a.summary["parameters"]["community_method"] == method
    membership = a.measures["community"]
    assert membership["w1"] == membership["w3"] and membership["n2"] == membership["n3"]
    assert membership["w3"] != membership["n3"]


def test_analyze_is_deterministic_and_leaves_input_alone():
    ds = small_city()
    before = {k: v.copy() for k, v in ds.tables.items()}
    a = analyze(ds, seed=3)
    b = analyze(ds, seed=3)
    pd.testing.assert_frame_equal(a.measures, b.measures)
    pd.testing.assert_frame_equal(a.connectors, b.connectors)
    pd.testing.assert_frame_equal(a.isolated, b.isolated)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(ds.tables[name], frame)


def test_scope_by_fiscal_year_date_and_ward():
    ds = small_city()
    fy2015 = analyze(ds, fiscal_year=2015)
    assert fy2015.summary["ties"] == 1  # only C7 by the end of FY2015
    assert fy2015.summary["reference_date"] == "2016-03-31"
    # active in FY2015 and the largest component then: only its single tie is flagged
    assert fy2015.isolated.loc["pair1", "reasons"] == "single_partner"
    assert fy2015.summary["components"] == 13
    as_of = analyze(ds, as_of="2019-06-15")
    assert as_of.summary["ties"] == 6 + 6 + 1 + 1 + 1  # C1–C4 and C7
    north = analyze(ds, wards=["北区"])
    assert set(north.measures.index) == {"n1", "n2", "n3", "n4", "bridge"}


def test_example_dataset():
    result = analyze(example_dataset())
    assert result.summary["organisations"] == 5
    assert result.isolated["reason"].to_dict() == {"D": "no_ties"}


def test_bad_parameters_are_refused():
    with pytest.raises(GraphError, match="resolution"):
        analyze(small_city(), resolution=0)
    with pytest.raises(GraphError, match="method"):
        analyze(small_city(), community_method="infomap")
    with pytest.raises(GraphError):
        analyze(small_city(), as_of="someday")
    with pytest.raises(GraphError):
        analyze("not a dataset")
