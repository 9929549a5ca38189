"""graph.time's growth cache and growth replay: hand-worked timelines, disk round trip, pruning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from graph.time import (
    compute_growth,
    growth_folder,
    load_growth,
    restrict_timeline,
    save_growth,
    timeline_from_graph,
)
from graph.time.growth_cache import FORMAT, TABLES

ROOT = Path(__file__).resolve().parents[2]


def two_cliques_merging() -> nx.Graph:
    """FY2017: two separate 4-cliques; FY2018: many ties join them into one group."""
    G = nx.Graph()
    day17, day18 = dt.date(2017, 6, 1), dt.date(2018, 6, 1)
    left, right = ["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4"]
    for group, ward in ((left, "北区"), (right, "西区")):
        for v in group:
            G.add_node(v, name=v.upper(), ward=ward)
        for i, u in enumerate(group):
            for v in group[i + 1:]:
                G.add_edge(u, v, weight=1.0, first_date=day17, last_date=day17)
    for u in left:
        for v in right:
            G.add_edge(u, v, weight=1.0, first_date=day18, last_date=day18)
    return G


def test_every_table_and_the_hand_worked_counts():
    frames = compute_growth(timeline_from_graph(two_cliques_merging()))
    assert set(frames) == set(TABLES)
    snaps = frames["snapshots"]
    assert snaps["period"].tolist() == ["FY2017", "FY2018"]
    assert snaps["organisations"].tolist() == [8, 8]
    assert snaps["ties"].tolist() == [12, 28]  # 2 × C(4,2), then + 16 cross ties
    counts = frames["event_counts"].set_index("period")
    assert counts.loc["FY2017", "birth"] == 2
    # the complete graph on 8 is one community: the two fronts merge
    assert counts.loc["FY2018", "merge"] == 1
    nodes, links = frames["replay_nodes"], frames["replay_links"]
    first = nodes[nodes["period"] == "FY2017"]
    assert sorted(first["size"]) == [4, 4] and sorted(first["inside_ties"]) == [6, 6]
    assert links[links["period"] == "FY2017"].empty  # no tie between the cliques yet
    last = nodes[nodes["period"] == "FY2018"]
    assert last["size"].tolist() == [8] and last["inside_ties"].tolist() == [28]


def test_newly_isolated_and_rising_connectors():
    G = nx.Graph()
    d1, d2 = dt.date(2018, 5, 1), dt.date(2019, 5, 1)
    G.add_edge("a", "b", weight=1.0, first_date=d1, last_date=d1)
    for v in ("c", "d", "e"):
        G.add_edge("b", v, weight=1.0, first_date=d2, last_date=d2)
    frames = compute_growth(timeline_from_graph(G))
    # cumulative snapshots never lose a tie: nobody becomes isolated
    assert frames["newly_isolated"].empty
    rising = frames["rising"]
    assert rising["id"].iloc[0] == "b"  # the hub of the star formed in FY2019
    assert rising["gain"].iloc[0] > 0


def test_restrict_timeline_keeps_the_ties_inside_the_wards():
    line = restrict_timeline(timeline_from_graph(two_cliques_merging()), ["北区"])
    assert sorted(line.orgs.index) == ["a1", "a2", "a3", "a4"]
    assert len(line.ties) == 6


def test_saved_tables_round_trip_and_old_versions_are_removed(tmp_path):
    frames = compute_growth(timeline_from_graph(two_cliques_merging()))
    store = tmp_path / "city.duckdb"
    old = growth_folder(store, "v1", wards=(), real_only=False)
    save_growth(old, frames)
    back = load_growth(old)
    for name in TABLES:
        pd.testing.assert_frame_equal(back[name].reset_index(drop=True),
                                      frames[name].reset_index(drop=True),
                                      check_dtype=False, check_index_type=False)
    ward = growth_folder(store, "v1", wards=("北区",), real_only=False)
    assert ward != old and ward.parent == old.parent == Path(str(store) + ".growth")
    new = growth_folder(store, "v2", wards=(), real_only=False)
    save_growth(new, frames)
    assert not old.exists() and new.exists()
    assert [p.name for p in new.parent.iterdir()] == [new.name]  # no partial folder left


def test_missing_or_other_format_is_not_read(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_growth(tmp_path / "nothing")
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "meta.json").write_text(f'{{"format": {FORMAT + 1}}}', encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        load_growth(folder)


def test_the_real_records_of_the_report():
    from graph.time import timeline_from_dataset
    from ingest.load import load_dataset

    line = timeline_from_dataset(load_dataset(ROOT / "data" / "osaka" / "real"))
    frames = compute_growth(line)
    snaps = frames["snapshots"]
    assert len(snaps) >= 3
    assert snaps["organisations"].is_monotonic_increasing  # cumulative snapshots
    sizes = frames["replay_nodes"].groupby("period")["size"].sum()
    tracked = frames["trajectories"].dropna(subset=["community"]).groupby("period").size()
    assert sizes.to_dict() == tracked.to_dict()  # every tracked organisation is in one circle


def test_an_empty_scope_gives_empty_tables(tmp_path):
    G = two_cliques_merging()
    frames = compute_growth(restrict_timeline(timeline_from_graph(G), ["平野区"]))
    assert all(frames[name].empty for name in TABLES)
    folder = growth_folder(tmp_path / "s.duckdb", "v", wards=("平野区",), real_only=False)
    save_growth(folder, frames)
    assert load_growth(folder)["snapshots"].empty
