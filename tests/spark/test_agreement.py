"""The Spark engine agrees with the single-machine analysis (published graphs, Osaka ward).

One Spark run covers Karate, Florentine families, Les Misérables, Davis and the bundled
Osaka ward side by side (a disjoint union: components, degrees, PageRank after normalising
and gap counts do not mix between the parts). Components and degrees are equal, PageRank
within 1e-6 after normalising (the engine's PageRank is unweighted: compared with
``graph.measures.pagerank(G, weight=None)``), communities reach ≥ 95 % of the
single-machine modularity, ward × sector gap counts are identical, and the tie table equals
``graph.build.tie_graph`` tie by tie.
"""

from __future__ import annotations

import datetime as dt
import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph.analysis import analyze
from graph.build import tie_graph
from graph.communities import louvain
from graph.findings import ward_sector_gaps
from graph.measures import pagerank
from graph.spark.parquet import write_parquet

# one Spark run (~1–2 min on a quiet 2-core machine, far more on a loaded one)
pytestmark = pytest.mark.slow

PUBLISHED = {"K": "karate", "F": "florentine", "L": "les misérables", "D": "davis"}
PARTS = ("weight", "collaboration", "co_participation", "co_membership", "shared_dispatch")


def _graph_of(node: str) -> str:
    return "R" if node.startswith("R-") else node[0] if node[1] == "-" else "D"


@pytest.fixture(scope="session")
def exports(tmp_path_factory, union_dataset, osaka_dataset):
    root = tmp_path_factory.mktemp("exports")
    return {"union": str(write_parquet(union_dataset, root / "union")[0].parent),
            "osaka": str(write_parquet(osaka_dataset, root / "osaka")[0].parent)}


@pytest.fixture(scope="session")
def result(spark, exports, tmp_path_factory):
    from graph.spark.analyze import analyze_spark

    return analyze_spark(spark, exports["union"], pagerank_iterations=60,
                         work_dir=str(tmp_path_factory.mktemp("work")))


@pytest.fixture(scope="session")
def G(union_dataset):
    return tie_graph(union_dataset)


def _date(value):
    return None if value is None or value != value else value


def _assert_same_ties(table, T):
    got = {(r.u, r.v): r for r in table.itertuples()}
    assert len(got) == T.number_of_edges()
    for u, v, attrs in T.edges(data=True):
        row = got[tuple(sorted((u, v)))]
        for part in PARTS:
            assert getattr(row, part) == pytest.approx(attrs[part], abs=1e-12), (u, v, part)
        assert _date(row.first_date) == attrs["first_date"], (u, v)
        assert _date(row.last_date) == attrs["last_date"], (u, v)


def test_tie_table_equals_tie_graph(result, G):
    _assert_same_ties(result.ties, G)


@pytest.mark.parametrize("scope_args", [
    {"fiscal_year": 2018, "wards": ["西淀川区", ""]},
    {"as_of": "2019-06-30", "real_only": True},
])
def test_scoped_tie_table_equals_tie_graph(spark, exports, osaka_dataset, scope_args):
    from graph.spark.ties import read_tables, scope, tie_table

    table = tie_table(scope(read_tables(spark, exports["osaka"]), **scope_args)).toPandas()
    T = tie_graph(osaka_dataset, **scope_args)
    assert T.number_of_edges() > 0
    _assert_same_ties(table, T)


def test_degrees_and_components_equal(result, G):
    nodes = result.nodes
    assert sorted(nodes.index) == sorted(G)
    assert nodes["degree"].to_dict() == dict(G.degree())
    strength = dict(G.degree(weight="weight"))
    assert np.allclose(nodes["strength"].to_numpy(), [strength[v] for v in nodes.index])
    found = {frozenset(group.index) for _, group in nodes.groupby("component")}
    assert found == {frozenset(c) for c in nx.connected_components(G)}
    assert result.summary["components"] == nx.number_connected_components(G)
    assert result.summary["engine"]["graph_library"] in ("graphx", "graphframes")


def test_pagerank_within_1e6(result, G):
    got = result.nodes["pagerank"] / result.nodes["pagerank"].sum()
    reference = pagerank(G, weight=None, tol=1e-12, max_iter=1000)
    assert max(abs(got[v] - reference[v]) for v in G) < 1e-6
    for prefix in (*PUBLISHED, "R"):  # each graph on its own, normalised within it
        part = [v for v in G if _graph_of(v) == prefix]
        ref = nx.pagerank(G.subgraph(part), weight=None, tol=1e-12, max_iter=1000)
        mine = got[part] / got[part].sum()
        assert max(abs(mine[v] - ref[v]) for v in part) < 1e-6, PUBLISHED.get(prefix, prefix)


def _contribution(G, groups, part) -> float:
    """The share of G's modularity coming from the communities inside ``part``."""
    two_m = 2.0 * G.size(weight="weight")
    total = 0.0
    for group in groups:
        if group <= part:
            inside = G.subgraph(group).size(weight="weight")
            degree = sum(d for _, d in G.degree(group, weight="weight"))
            total += inside / (two_m / 2) - (degree / two_m) ** 2
    return total


def test_communities_reach_95_percent_of_local_modularity(result, G):
    """On the union, as one graph and for each published graph's part of the modularity
    (the union's resolution limit applies to both engines alike)."""
    nodes = result.nodes
    summary = result.summary
    local = louvain(G, seed=0)
    assert summary["community_method"]["method"] == "leiden"
    assert summary["modularity"] >= 0.95 * local.modularity
    mine = [set(g.index) for _, g in nodes.groupby("community")]
    assert summary["modularity"] == pytest.approx(nx.community.modularity(G, mine))
    theirs = [set(c) for c in local.communities]
    for prefix, title in PUBLISHED.items():
        part = {v for v in G if _graph_of(v) == prefix}
        assert _contribution(G, mine, part) >= 0.95 * _contribution(G, theirs, part), title
    lpa = [set(g.index) for _, g in nodes.groupby("lpa_community")]
    assert summary["modularity_by_method"]["lpa"] == pytest.approx(
        nx.community.modularity(G, lpa))


def test_skipping_label_propagation_changes_nothing_else(spark, exports, result,
                                                         tmp_path_factory):
    """``lpa_steps=0`` (the nation run's setting): no label propagation, the same Leiden
    communities, PageRank, components and isolated; lpa alone is refused."""
    from graph.errors import GraphError
    from graph.spark.analyze import analyze_spark

    work = str(tmp_path_factory.mktemp("no-lpa"))
    quick = analyze_spark(spark, exports["union"], pagerank_iterations=60, lpa_steps=0,
                          community_method="leiden", work_dir=work)
    assert quick.summary["modularity_by_method"]["lpa"] is None
    assert quick.nodes["lpa_community"].isna().all()
    assert quick.summary["modularity"] == pytest.approx(result.summary["modularity"])
    same = ["community", "degree", "strength", "pagerank", "component", "role",
            "isolated_reason"]
    pd.testing.assert_frame_equal(quick.nodes[same], result.nodes[same])
    with pytest.raises(GraphError, match="lpa_steps"):
        analyze_spark(spark, exports["union"], lpa_steps=0, work_dir=work)


def test_ward_sector_gap_counts_identical(result, G):
    local = ward_sector_gaps(G).set_index(["ward", "sector"])
    mine = result.gaps["ward_sector"].set_index(["ward", "sector"])
    assert sorted(mine.index) == sorted(local.index)
    assert mine["observed"].to_dict() == local["observed"].to_dict()
    assert np.allclose(mine.loc[local.index, "expected"], local["expected"])


@pytest.fixture(scope="session")
def local(union_dataset):
    """The single-machine analysis of the same records (the oracle)."""
    return analyze(union_dataset)


def test_isolation_kinds_and_reasons_agree_with_analyze(result, local):
    """Every organisation's kind and reason codes, and isolated.csv row by row (texts,
    cutoff, order included), as the local ``analyze`` writes them (graph.findings)."""
    for column in ("isolation", "isolated_reason", "last_activity"):
        mine = result.nodes[column].where(result.nodes[column].notna(), None)
        theirs = local.measures[column].reindex(result.nodes.index)
        assert mine.to_dict() == theirs.where(theirs.notna(), None).to_dict(), column
    got, want = result.isolated, local.isolated
    assert list(got.columns) == list(want.columns)
    assert list(got.index) == list(want.index)
    for column in ("isolation", "since", "reason", "reasons", "why_en", "why_ja", "degree",
                   "component_size", "last_activity", "name", "kind", "ward"):
        a, b = got[column].astype(object), want[column].astype(object)
        assert a.where(a.notna(), None).tolist() == b.where(b.notna(), None).tolist(), column
    codes = set(";".join(got["reasons"]).split(";"))
    assert {"no_ties", "single_partner", "small_component", "inactive"} <= codes
    assert set(got["isolation"]) == set(want["isolation"])
    assert result.summary["reference_date"] == local.summary["reference_date"]
    assert result.summary["isolated_by_kind"] == local.summary["isolated_by_kind"]
    assert result.summary["needing_partner"] == local.summary["needing_partner"]


def test_written_files(result, local, tmp_path):
    """The files and columns local ``analyze`` writes, less what Spark does not compute
    (docs/spark.md: connectors.csv and four gap tables; betweenness-like node columns)."""
    from cli.analyze_cmd import write_analysis
    from cli.spark_cmds import write_spark_analysis

    files = write_spark_analysis(result, tmp_path / "spark")
    theirs = write_analysis(local, tmp_path / "local")
    assert sorted(p.name for p in files) == ["communities.csv", "isolated.csv", "nodes.csv",
                                             "summary.json", "ward_sector.csv"]
    assert {p.name for p in files} < {p.name for p in theirs}

    def header(folder, name):
        text = (tmp_path / folder / name).read_text(encoding="utf-8-sig")
        return text.splitlines()[0].replace('"', "").split(",")

    assert header("spark", "isolated.csv") == header("local", "isolated.csv")
    assert header("spark", "gaps/ward_sector.csv") == header("local", "gaps/ward_sector.csv")
    nodes = header("spark", "nodes.csv")
    assert nodes[:6] == ["id", "name", "kind", "ward", "community", "degree"]
    assert {"isolated_reason", "isolation", "last_activity", "pagerank", "role",
            "within_module_z", "participation_coefficient"} <= set(nodes)
    assert {"size", "label", "isolated", "mean_degree"} <= set(header("spark",
                                                                      "communities.csv"))
    summary = json.loads((tmp_path / "spark" / "summary.json").read_text(encoding="utf-8"))
    assert summary["engine"]["name"] == "spark"
    assert summary["parameters"]["pagerank_weighted"] is False
    shared = {"organisations", "ties", "components", "needing_partner", "isolated_by_kind",
              "isolated_by_reason", "reference_date", "parameters", "timings"}
    assert shared <= set(summary) and shared <= set(local.summary)


def test_fiscal_year_snapshots_equal_scoped_tie_graphs(spark, exports, osaka_dataset,
                                                      tmp_path):
    from graph.spark.timeline import fiscal_year_snapshots

    frame, info = fiscal_year_snapshots(spark, exports["osaka"], years=[2017, 2018, 2019],
                                        work_dir=str(tmp_path))
    assert info["engine"]["name"] == "spark" and frame["fiscal_year"].tolist() == [2017, 2018,
                                                                                    2019]
    for row in frame.itertuples():
        T = tie_graph(osaka_dataset, fiscal_year=int(row.fiscal_year))
        assert (row.organisations, row.ties, row.components) == (
            T.number_of_nodes(), T.number_of_edges(), nx.number_connected_components(T))
        assert row.period_end == dt.date(row.fiscal_year + 1, 3, 31).isoformat()


def test_cli_spark_engine_reports_a_bad_export(spark, tmp_path, capsys):
    from cli.main import main

    status = main(["analyze", "--engine", "spark", "--parquet", str(tmp_path / "none"),
                   "--out", str(tmp_path / "out")])
    assert status == 2
    assert "no manifest.json" in capsys.readouterr().err


def test_stage_progress_follows_spark_stages(spark):
    from graph.spark.session import StageProgress

    with StageProgress(spark, "test", enabled=True, interval=0.05) as progress:
        progress.set_stage("count")
        total = spark.range(0, 200_000, numPartitions=4).selectExpr(
            "sum(id % 7) as s").first()["s"]
        import time

        time.sleep(0.3)  # one more poll after the job
    assert total == sum(i % 7 for i in range(200_000))
    assert progress.stages_seen >= 1
