"""The Spark engine agrees with the single-machine analysis (published graphs, Osaka ward).

Components and degrees are equal, PageRank within 1e-6 after normalising (the engine's
PageRank is unweighted: compared with ``graph.centrality.pagerank(G, weight=None)``),
communities reach ≥ 95 % of the single-machine modularity, ward × sector gap counts are
identical, and the tie table equals ``graph.build.tie_graph`` tie by tie.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import numpy as np
import pytest

from graph.analysis import analyze
from graph.build import tie_graph
from graph.centrality import pagerank
from graph.communities import louvain
from graph.gaps import ward_sector_gaps
from graph.spark.parquet import write_parquet

PUBLISHED = {"K": "karate", "F": "florentine", "L": "les misérables", "D": "davis"}


def _graph_of(node: str) -> str:
    return node[0] if node[1] == "-" else "D"


@pytest.fixture(scope="session")
def exports(tmp_path_factory, published_dataset, osaka_dataset):
    root = tmp_path_factory.mktemp("exports")
    return {"published": str(write_parquet(published_dataset, root / "published")[0].parent),
            "osaka": str(write_parquet(osaka_dataset, root / "osaka")[0].parent)}


@pytest.fixture(scope="session")
def spark_results(spark, exports, tmp_path_factory):
    from graph.spark.analyze import analyze_spark

    work = tmp_path_factory.mktemp("work")
    return {name: analyze_spark(spark, folder, work_dir=str(work / name))
            for name, folder in exports.items()}


@pytest.fixture(scope="session")
def local_graphs(published_dataset, osaka_dataset):
    return {"published": tie_graph(published_dataset), "osaka": tie_graph(osaka_dataset)}


def _ties(spark, folder, **scope_args):
    from graph.spark.ties import read_tables, scope, tie_table

    return tie_table(scope(read_tables(spark, folder), **scope_args)).toPandas()


def _date(value):
    return None if value is None or value != value else value


@pytest.mark.parametrize("name,scope_args", [
    ("published", {}), ("osaka", {}), ("osaka", {"fiscal_year": 2018}),
    ("osaka", {"as_of": "2019-06-30", "real_only": True}),
])
def test_tie_table_equals_tie_graph(spark, exports, published_dataset, osaka_dataset, name,
                                    scope_args):
    dataset = {"published": published_dataset, "osaka": osaka_dataset}[name]
    T = tie_graph(dataset, **scope_args)
    got = {(r.u, r.v): r for r in _ties(spark, exports[name], **scope_args).itertuples()}
    assert len(got) == T.number_of_edges()
    for u, v, attrs in T.edges(data=True):
        row = got[tuple(sorted((u, v)))]
        for part in ("weight", "collaboration", "co_participation", "co_membership",
                     "shared_dispatch"):
            assert getattr(row, part) == pytest.approx(attrs[part], abs=1e-12), (u, v, part)
        assert _date(row.first_date) == attrs["first_date"], (u, v)
        assert _date(row.last_date) == attrs["last_date"], (u, v)


def test_ward_scope_equals_tie_graph(spark, exports, osaka_dataset):
    ward = osaka_dataset.table("organizations")["ward"].dropna().iloc[0]
    T = tie_graph(osaka_dataset, wards=[ward])
    got = _ties(spark, exports["osaka"], wards=[ward])
    assert sorted(zip(got["u"], got["v"])) == sorted(tuple(sorted(e)) for e in T.edges())


@pytest.mark.parametrize("name", ["published", "osaka"])
def test_degrees_and_components_equal(spark_results, local_graphs, name):
    nodes, G = spark_results[name].nodes, local_graphs[name]
    assert sorted(nodes.index) == sorted(G)
    assert nodes["degree"].to_dict() == dict(G.degree())
    strength = dict(G.degree(weight="weight"))
    assert np.allclose(nodes["strength"].to_numpy(), [strength[v] for v in nodes.index])
    found = {frozenset(group.index) for _, group in nodes.groupby("component")}
    assert found == {frozenset(c) for c in nx.connected_components(G)}
    summary = spark_results[name].summary
    assert summary["components"] == nx.number_connected_components(G)
    assert summary["engine"]["graph_library"] in ("graphx", "graphframes")


@pytest.mark.parametrize("name", ["published", "osaka"])
def test_pagerank_within_1e6(spark_results, local_graphs, name):
    nodes, G = spark_results[name].nodes, local_graphs[name]
    reference = pagerank(G, weight=None, tol=1e-12, max_iter=1000)
    got = nodes["pagerank"] / nodes["pagerank"].sum()
    assert max(abs(got[v] - reference[v]) for v in G) < 1e-6
    if name == "published":  # per published graph too: normalised within each graph
        for prefix in PUBLISHED:
            part = [v for v in G if _graph_of(v) == prefix]
            ref = nx.pagerank(G.subgraph(part), weight=None, tol=1e-12, max_iter=1000)
            mine = got[part] / got[part].sum()
            assert max(abs(mine[v] - ref[v]) for v in part) < 1e-6, PUBLISHED[prefix]


def test_communities_reach_95_percent_of_local_modularity(spark_results, local_graphs):
    nodes, G = spark_results["published"].nodes, local_graphs["published"]
    for prefix, title in PUBLISHED.items():
        part = [v for v in G if _graph_of(v) == prefix]
        H = G.subgraph(part)
        local = louvain(H, seed=0).modularity
        groups = [set(g.index) for _, g in nodes.loc[part].groupby("community")]
        assert nx.community.modularity(H, groups) >= 0.95 * local, title
    summary = spark_results["published"].summary
    assert summary["community_method"]["method"] == "leiden"
    assert summary["modularity"] >= 0.95 * louvain(G, seed=0).modularity
    assert summary["modularity_by_method"]["lpa"] is not None


@pytest.mark.parametrize("name", ["published", "osaka"])
def test_ward_sector_gap_counts_identical(spark_results, local_graphs, name):
    local = ward_sector_gaps(local_graphs[name]).set_index(["ward", "sector"])
    mine = spark_results[name].gaps["ward_sector"].set_index(["ward", "sector"])
    assert sorted(mine.index) == sorted(local.index)
    assert mine["observed"].to_dict() == local["observed"].to_dict()
    assert np.allclose(mine.loc[local.index, "expected"], local["expected"])


def test_isolation_reasons_agree_with_analyze(spark_results, osaka_dataset):
    local = analyze(osaka_dataset).measures["isolated_reason"]
    mine = spark_results["osaka"].nodes["isolated_reason"]

    def without_peripheral(text):  # peripheral depends on the partition's roles
        return ";".join(c for c in text.split(";") if c and c != "peripheral")

    assert mine.map(without_peripheral).to_dict() == local.map(without_peripheral).to_dict()
    assert spark_results["osaka"].summary["reference_date"] == \
        analyze(osaka_dataset).summary["reference_date"]


def test_fiscal_year_snapshots_equal_scoped_tie_graphs(spark, exports, osaka_dataset,
                                                      tmp_path):
    from graph.spark.timeline import fiscal_year_snapshots

    frame, info = fiscal_year_snapshots(spark, exports["osaka"], work_dir=str(tmp_path))
    assert info["engine"]["name"] == "spark"
    for row in frame.itertuples():
        T = tie_graph(osaka_dataset, fiscal_year=int(row.fiscal_year))
        assert (row.organisations, row.ties, row.components) == (
            T.number_of_nodes(), T.number_of_edges(), nx.number_connected_components(T))
        assert row.period_end == dt.date(row.fiscal_year + 1, 3, 31).isoformat()
