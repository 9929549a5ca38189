"""graph.communities: published results (karate club, Davis Southern Women) and contracts."""

from __future__ import annotations

import pickle
import random
from collections import Counter

import networkx as nx
import numpy as np
import pytest

from graph.build import example_dataset, tie_graph
from graph.communities import FAST_PATH_THRESHOLD, Partition, community_profiles, louvain, stability
from graph.errors import GraphError


def majority_agreement(partition: Partition, truth: dict) -> int:
    """Members whose community's majority ground-truth group is their own group."""
    correct = 0
    for community in partition.communities:
        votes = Counter(truth[n] for n in community)
        correct += votes.most_common(1)[0][1]
    return correct


# --- published results -----------------------------------------------------------------------

def test_karate_club_modularity_and_factions():
    """Zachary (1977): Louvain reaches Q ≈ 0.42–0.44 and its communities nest in the split."""
    K = nx.karate_club_graph()
    for seed in range(3):
        p = louvain(K, seed=seed)
        assert p.modularity >= 0.40
        assert 3 <= len(p) <= 5
        factions = dict(K.nodes(data="club"))
        assert majority_agreement(p, factions) >= 0.85 * 34


def test_karate_modularity_agrees_with_networkx():
    K = nx.karate_club_graph()
    p = louvain(K, seed=0)
    assert p.modularity == pytest.approx(nx.community.modularity(K, p.communities))


DAVIS_GROUP_1 = {f"DW{i:02d}" for i in range(1, 10)}   # Evelyn … Ruth
DAVIS_AMBIGUOUS = {"DW08", "DW16", "DW17", "DW18"}      # Pearl, Dorothy, Olivia, Flora


def test_davis_southern_women_two_groups(davis_dataset):
    """Davis, Gardner & Gardner (1941): women 1–9 vs 10–18."""
    T = tie_graph(davis_dataset)
    truth = {n: 1 if n in DAVIS_GROUP_1 else 2 for n in T}
    for seed in range(3):
        p = louvain(T, seed=seed)
        assert len(p) == 2
        assert majority_agreement(p, truth) >= 14
        membership = p.membership()
        core_1 = {membership[n] for n in DAVIS_GROUP_1 - DAVIS_AMBIGUOUS}
        core_2 = {membership[n] for n in set(T) - DAVIS_GROUP_1 - DAVIS_AMBIGUOUS}
        assert len(core_1) == 1 and len(core_2) == 1 and core_1 != core_2


def test_davis_stability_flags_the_ambiguous_women(davis_dataset):
    s = stability(tie_graph(davis_dataset), seeds=range(10))
    truth = {n: 1 if n in DAVIS_GROUP_1 else 2 for n in s.frequency}
    assert majority_agreement(s.partition, truth) >= 17
    loose = {n for n, firm in s.firm.items() if not firm}
    assert loose <= DAVIS_AMBIGUOUS and loose  # Pearl sits between the groups
    assert all(s.frequency[n] == 1.0 for n in DAVIS_GROUP_1 - DAVIS_AMBIGUOUS)


# --- contracts --------------------------------------------------------------------------------

def _two_triangles_and_isolates():
    G = nx.Graph()
    G.add_edges_from([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"),
                      ("c", "x")], weight=1.0)
    G.add_nodes_from(["lonely", "alone"])
    return G


@pytest.mark.parametrize("find", [
    lambda G: louvain(G, seed=3),
    lambda G: louvain(G, weight=None, resolution=1.5, seed=0),
    lambda G: stability(G, seeds=range(4)).partition,
    lambda G: louvain(G, seed=3, method="igraph"),
    lambda G: louvain(G, weight=None, resolution=1.5, seed=0, method="leiden"),
    lambda G: stability(G, seeds=range(4), method="igraph").partition,
], ids=["louvain", "louvain-unweighted", "stability-consensus", "igraph", "leiden-unweighted",
        "stability-igraph"])
@pytest.mark.parametrize("graph", [
    _two_triangles_and_isolates, nx.karate_club_graph,
    lambda: tie_graph(example_dataset()), nx.Graph, lambda: nx.empty_graph(3),
], ids=["triangles", "karate", "example", "empty", "edgeless"])
def test_partition_contract(find, graph):
    G = graph()
    before = nx.node_link_data(G, edges="edges")
    p = find(G)
    assert nx.node_link_data(G, edges="edges") == before  # input untouched
    assert sum(len(c) for c in p.communities) == len(G)
    assert set().union(*p.communities) == set(G) if len(G) else p.communities == ()
    sizes = [len(c) for c in p.communities]
    assert sizes == sorted(sizes, reverse=True)
    assert set(p.membership()) == set(G)
    for node in nx.isolates(G):
        assert frozenset({node}) in p.communities
    if G.number_of_edges() == 0:
        assert p.modularity != p.modularity  # nan: undefined without edges
    back = pickle.loads(pickle.dumps(p))  # cacheable
    assert (back.communities, back.method, back.params) == (p.communities, p.method, p.params)


def test_louvain_is_deterministic_and_records_how_it_ran():
    K = nx.karate_club_graph()
    a, b = louvain(K, seed=7, resolution=1.2), louvain(K, seed=7, resolution=1.2)
    assert a == b
    assert (a.method, a.seed, a.params) == ("louvain", 7, {"weight": "weight", "resolution": 1.2,
                                                           "implementation": "networkx"})
    assert louvain(K).params["implementation"] == "python-louvain"


def test_ties_in_size_are_ordered_deterministically():
    G = nx.Graph([("b1", "b2"), ("a1", "a2")])
    assert [sorted(c) for c in louvain(G).communities] == [["a1", "a2"], ["b1", "b2"]]


def test_resolution_is_networkx_gamma():
    """Higher γ → more, smaller communities, as in networkx's louvain_communities."""
    K = nx.karate_club_graph()
    assert len(louvain(K, resolution=0.05)) == 1
    assert len(louvain(K, resolution=3.0)) > len(louvain(K, resolution=1.0))
    for gamma in (0.5, 2.0):
        ours = louvain(K, resolution=gamma, seed=0)
        theirs = nx.community.louvain_communities(K, resolution=gamma, seed=0)
        q = nx.community.modularity(K, ours.communities, resolution=gamma)
        assert q == pytest.approx(nx.community.modularity(K, theirs, resolution=gamma))


@pytest.mark.parametrize("call, match", [
    (lambda: louvain(nx.DiGraph([(1, 2)])), "undirected"),
    (lambda: louvain(nx.MultiGraph([(1, 2)])), "undirected"),
    (lambda: louvain(nx.Graph([(1, 2)]), resolution=0), "resolution"),
    (lambda: louvain(nx.Graph([(1, 2, {"weight": -1})])), "≥ 0"),
    (lambda: louvain(nx.Graph([(1, 2, {"weight": -1})]), method="igraph"), "≥ 0"),
    (lambda: louvain(nx.Graph([(1, 2, {"weight": "2"})]), method="leiden"), "number"),
    (lambda: louvain(nx.Graph([(1, 2)]), method="infomap"), "method"),
    (lambda: stability(nx.Graph([(1, 2)]), seeds=[]), "at least one seed"),
    (lambda: community_profiles(nx.Graph([(1, 2)]), louvain(nx.Graph([(1, 3)]))), "partition"),
    (lambda: community_profiles(nx.Graph([(1, 2)]), louvain(nx.Graph([(1, 2)])), top=0), "top"),
])
def test_bad_input_raises_graph_error(call, match):
    with pytest.raises(GraphError, match=match):
        call()


def test_stability_on_two_cliques_is_firm():
    s = stability(nx.barbell_graph(6, 0), seeds=range(5))
    assert len(s.partition) == 2 and all(s.firm.values())
    assert s.seeds == tuple(range(5)) and len(s.run_modularity) == 5
    assert s.partition.method == "louvain-consensus" and s.threshold == 0.8


# --- the igraph fast path ----------------------------------------------------------------------

def nmi(partition: Partition, truth: dict) -> float:
    """Normalised mutual information (arithmetic mean normalisation) against ``truth``."""
    membership = partition.membership()
    nodes = list(truth)
    joint = Counter((membership[n], truth[n]) for n in nodes)
    a, b = Counter(membership[n] for n in nodes), Counter(truth[n] for n in nodes)
    n = len(nodes)
    mutual = sum(c / n * np.log(c * n / (a[x] * b[y])) for (x, y), c in joint.items())
    entropy = [-sum(c / n * np.log(c / n) for c in counts.values()) for counts in (a, b)]
    return mutual / (sum(entropy) / 2)


@pytest.fixture(scope="module")
def planted():
    """3,000 nodes in 30 planted groups of 100 (p_in 0.1, p_out 0.001), weighted 1–3."""
    G = nx.random_partition_graph([100] * 30, 0.1, 0.001, seed=7)
    rng = np.random.default_rng(7)
    for (u, v), w in zip(G.edges(), rng.integers(1, 4, G.number_of_edges()).tolist()):
        G.edges[u, v]["weight"] = float(w)
    truth = {n: g for g, block in enumerate(G.graph["partition"]) for n in block}
    return G, truth, louvain(G, method="python-louvain", seed=0)


def test_nmi_helper_on_known_cases():
    truth = {1: "a", 2: "a", 3: "b", 4: "b"}
    same = Partition([{1, 2}, {3, 4}], method="x")
    assert nmi(same, truth) == pytest.approx(1.0)
    assert nmi(Partition([{1, 3}, {2, 4}], method="x"), truth) == pytest.approx(0.0)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["igraph", "leiden"])
def test_fast_path_matches_python_louvain_on_a_planted_partition(planted, method):
    G, truth, reference = planted
    assert reference.params["implementation"] == "python-louvain"
    p = louvain(G, seed=0, method=method)
    assert p.params["implementation"] == {"igraph": "igraph", "leiden": "networkit-leiden"}[method]
    assert p.method == {"igraph": "louvain", "leiden": "leiden"}[method]
    assert p.modularity >= 0.99 * reference.modularity
    assert p.modularity == pytest.approx(nx.community.modularity(G, p.communities))
    assert nmi(p, truth) >= 0.9
    assert majority_agreement(p, truth) >= 0.9 * len(G)


@pytest.mark.slow
def test_auto_uses_the_fast_path_above_the_threshold(planted):
    G, _, _ = planted
    assert len(G) > FAST_PATH_THRESHOLD
    assert louvain(G).params["implementation"] == "igraph"
    assert louvain(G.subgraph(range(FAST_PATH_THRESHOLD))).params["implementation"] \
        == "python-louvain"
    assert louvain(nx.karate_club_graph()).params["implementation"] == "python-louvain"


@pytest.mark.parametrize("method", ["igraph", "leiden"])
def test_fast_path_is_deterministic_and_leaves_random_alone(planted, method):
    G, _, _ = planted
    random.seed(11)
    expected = random.random()
    random.seed(11)
    a = louvain(G, seed=5, method=method)
    assert random.random() == expected  # igraph drew from its own generator
    assert louvain(G, seed=5, method=method) == a
    K = nx.karate_club_graph()
    runs = {louvain(K, seed=s, method=method).communities for s in range(8)}
    assert len(runs) > 1  # the seed matters
    assert all(louvain(K, seed=s, method=method).communities in runs for s in range(8))


def test_leiden_runs_on_one_thread_and_gives_networkits_thread_count_back(planted):
    import networkit as nk

    G, truth, _ = planted
    before = nk.getMaxNumberOfThreads()
    nk.setNumberOfThreads(2)  # on two threads networkit's moves race: the seed would not hold
    try:
        first = louvain(G, seed=3, method="leiden")
        assert nk.getMaxNumberOfThreads() == 2
        assert all(louvain(G, seed=3, method="leiden") == first for _ in range(3))
        assert nmi(first, truth) >= 0.9
    finally:
        nk.setNumberOfThreads(before)


def test_networkit_graph_and_leiden_repeat_exactly_when_networkit_has_two_threads():
    # on two threads networkit's CSR build orders each node's neighbours differently from run
    # to run (seen from 150,000 ties), and Leiden's moves follow that order
    import networkit as nk

    from graph.communities.leiden import networkit_graph, run_leiden

    rng = np.random.default_rng(0)
    u, v = rng.integers(0, 20_000, 300_000), rng.integers(0, 20_000, 300_000)
    pairs = np.unique(np.column_stack([np.minimum(u, v), np.maximum(u, v)]), axis=0)
    pairs = pairs[pairs[:, 0] < pairs[:, 1]]
    before = nk.getMaxNumberOfThreads()
    nk.setNumberOfThreads(2)
    try:
        orders, labels = set(), set()
        for _ in range(3):
            G = networkit_graph(20_000, pairs[:, 0], pairs[:, 1], np.ones(len(pairs)))
            orders.add(tuple(tuple(G.iterNeighbors(x)) for x in range(0, 20_000, 7)))
            labels.add(run_leiden(G, resolution=1.0, seed=1).tobytes())
        assert len(orders) == 1 and len(labels) == 1
        assert nk.getMaxNumberOfThreads() == 2
    finally:
        nk.setNumberOfThreads(before)


def test_edge_modularity_is_networkx_modularity_with_weights_and_a_self_loop():
    from graph.communities.detection import weighted_edges
    from graph.communities.leiden import edge_modularity

    G = nx.les_miserables_graph()
    G.add_edge("Valjean", "Valjean", weight=3)
    communities = nx.community.louvain_communities(G, seed=1)
    label = {node: i for i, block in enumerate(communities) for node in block}
    nodes, u, v, weights = weighted_edges(G, "weight")
    labels = np.array([label[node] for node in nodes])
    assert edge_modularity(u, v, weights, labels) == pytest.approx(
        nx.community.modularity(G, communities, weight="weight"), rel=1e-12)
    assert np.isnan(edge_modularity(u[:0], v[:0], weights[:0], labels))


@pytest.mark.parametrize("method", ["igraph", "leiden"])
def test_fast_path_resolution_is_networkx_gamma(method):
    K = nx.karate_club_graph()
    assert len(louvain(K, resolution=0.05, method=method)) == 1
    assert len(louvain(K, resolution=3.0, method=method)) > len(louvain(K, method=method))
    for gamma in (0.5, 2.0):  # same objective: as good as networkx's at the same γ
        theirs = nx.community.louvain_communities(K, resolution=gamma, seed=0)
        target = nx.community.modularity(K, theirs, resolution=gamma)
        q = [nx.community.modularity(K, louvain(K, resolution=gamma, seed=s,
                                                method=method).communities, resolution=gamma)
             for s in range(5)]
        assert max(q) == pytest.approx(target) and min(q) >= 0.9 * target


def test_stability_uses_the_fast_path_on_big_graphs(planted):
    G, truth, _ = planted
    s = stability(G, seeds=range(3))
    assert s.partition.params["implementation"] == "igraph"
    assert nmi(s.partition, truth) >= 0.9
    assert np.mean(list(s.firm.values())) >= 0.9
    assert s.run_modularity == tuple(louvain(G, seed=k).modularity for k in range(3))
    assert s.partition.modularity == pytest.approx(
        nx.community.modularity(G, s.partition.communities))


# --- profiles ---------------------------------------------------------------------------------

def test_profiles_of_the_example_dataset():
    T = tie_graph(example_dataset())
    p = louvain(T)
    df = community_profiles(T, p)
    assert list(df["community"]) == list(range(len(p)))
    assert df["size"].sum() == T.number_of_nodes()
    first = df.iloc[0]
    assert set(first["members"]) == set(p.communities[0])
    assert first["dominant_ward"] == "北区"
    assert first["label"].startswith("北区")
    assert df["label"].is_unique


def test_profile_label_words():
    G = nx.Graph()
    G.add_nodes_from(["c1", "c2", "c3"], ward="西淀川区", kind="company", fields=(1,))
    G.add_nodes_from(["n1", "n2"], ward="西淀川区", kind="npo", fields=(1, 13))
    G.add_node("n3", ward="北区", kind="npo", fields=(13,))
    G.add_nodes_from(["x1", "x2", "x3"], kind="npo")  # no ward
    G.add_node("x4", ward="北区", kind="npo")
    G.add_edges_from([("c1", "c2"), ("c2", "c3"), ("c3", "n1"), ("n1", "n2"), ("c1", "n2")])
    G.add_edges_from([("x1", "x2"), ("x2", "x3"), ("x3", "x4"), ("x4", "n3")])
    p = Partition([{"c1", "c2", "c3", "n1", "n2"}, {"x1", "x2", "x3", "x4", "n3"}],
                  method="given")
    df = community_profiles(G, p, weight=None, top=2)
    assert df.loc[0, "label"] == "西淀川区・福祉・企業3"
    assert df.loc[0, "label_en"] == "Nishiyodogawa, welfare, 3 companies"
    assert df.loc[0, "kinds"] == {"company": 3, "npo": 2}
    assert df.loc[0, "fields"] == ((1, 5), (13, 2))
    assert df.loc[0, "wards"] == (("西淀川区", 1.0),)
    # 北区 holds 2 of 5; one member's field (子ども) does not name a group of five
    assert df.loc[1, "label"] == "北区ほか・NPO5"
    assert df.loc[1, "bridges"] == ()
    assert df.loc[0, "external_weight"] == 0 and df.loc[0, "internal_weight"] == 5


def test_profile_bridges_connectors_and_duplicate_labels():
    G = nx.Graph()
    G.add_nodes_from("abcdef", kind="npo")
    G.add_edge("a", "b", weight=3.0)
    G.add_edge("b", "c", weight=1.0)
    G.add_edge("d", "e", weight=1.0)
    G.add_edge("e", "f", weight=1.0)
    G.add_edge("c", "d", weight=0.5)
    p = Partition([{"a", "b", "c"}, {"d", "e", "f"}], method="given")
    df = community_profiles(G, p)
    assert df.loc[0, "connectors"] == ("b", "a", "c")
    assert df.loc[0, "bridges"] == ("c",) and df.loc[1, "bridges"] == ("d",)
    assert df.loc[0, "external_weight"] == 0.5 and df.loc[0, "internal_weight"] == 4.0
    assert list(df["label"]) == ["区不明・NPO3", "区不明・NPO3(2)"]
    assert list(df["label_en"]) == ["ward unknown, 3 NPOs", "ward unknown, 3 NPOs (2)"]


def test_profiles_of_an_empty_graph():
    df = community_profiles(nx.Graph(), louvain(nx.Graph()))
    assert df.empty and "label" in df.columns


def test_profile_labels_skip_lone_kinds_and_name_singletons():
    G = nx.Graph()
    G.add_node("a", ward="北区", kind="company", fields=(16,))
    G.add_node("b", ward="北区", kind="npo", fields=(16,))
    G.add_node("s", ward="西区", kind="neighbourhood_association", fields=(3,))
    G.add_edge("a", "b", weight=1.0)
    df = community_profiles(G, louvain(G))
    assert df["label"].tolist() == ["北区・経済活性化", "西区・まちづくり・町会・単独"]
    assert df["label_en"].tolist() == ["Kita, economy", "Nishi, community, association, alone"]


def test_labels_name_what_sets_a_community_apart_not_its_most_common_field():
    """Every community's most common field is まちづくり (3), as in the city; the label names
    the field over-represented against the city's base rate (lift), or none."""
    G = nx.Graph()
    groups = {
        "kids": [(3, 13)] * 6 + [(3,)] * 4,          # 子ども: 6/10 here, 6/30 in the city
        "safety": [(3, 9)] * 5 + [(3,)] * 5,         # 地域安全: 5/10 here, 5/30 in the city
        "plain": [(3,)] * 10,                         # nothing but the city's まちづくり
    }
    p_sets = []
    for name, fields in groups.items():
        members = [f"{name}{i}" for i in range(len(fields))]
        for v, f in zip(members, fields):
            G.add_node(v, ward="西区", kind="citizen_group", fields=f)
        G.add_edges_from(zip(members, members[1:]))
        p_sets.append(set(members))
    df = community_profiles(G, Partition(p_sets, method="given"), weight=None)
    labels = {next(g for g in groups if m[0].startswith(g)): label
              for m, label in zip(df["members"], df["label"])}
    assert labels == {"kids": "西区・子ども・市民団体10", "safety": "西区・地域安全・市民団体10",
                      "plain": "西区・市民団体10"}
    assert all(dict(f)[3] >= dict(f).get(13, 0) for f in df["fields"])  # まちづくり most common


def test_leiden_runs_two_iterations_on_large_graphs_for_nearly_the_stable_modularity(monkeypatch):
    # a planted partition: 40 groups of 25, dense inside, sparse between
    import graph.communities.leiden as leiden
    from graph.communities import partition_from_edges

    G = nx.planted_partition_graph(40, 25, 0.5, 0.01, seed=3)
    u, v = (np.array(x) for x in zip(*G.edges()))
    nodes = list(range(len(G)))
    weights = np.ones(len(u))
    monkeypatch.setattr(leiden, "LEIDEN_STABLE_TIES", len(u) - 1)
    bounded = partition_from_edges(nodes, u, v, weights, seed=0)
    monkeypatch.setattr(leiden, "LEIDEN_STABLE_TIES", len(u))
    stable = partition_from_edges(nodes, u, v, weights, seed=0)
    assert bounded.params["iterations"] == 2 and stable.params["iterations"] == -1
    assert bounded.modularity >= 0.995 * stable.modularity
    assert nx.community.modularity(G, bounded.communities) == pytest.approx(bounded.modularity)
