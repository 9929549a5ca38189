"""Bridge suggestions name what the two sides share or complement, never popularity alone."""

from __future__ import annotations

import networkx as nx

from graph.introductions import suggest


def _tie(G, a, b, record):
    G.add_edge(a, b, weight=1.0, collaboration=1.0, co_participation=0.0, co_membership=0.0,
               shared_dispatch=0.0, evidence=(f"collaborations:{record}",))


def city(*, partner_in_hirano: bool = False) -> tuple[nx.Graph, dict]:
    """A bank in 西淀川区 with two partners; across town a hub NPO and a children's NPO."""
    G = nx.Graph()
    for v, kind, ward, fields in (
        ("bank", "company", "西淀川区", ()),
        ("kids", "npo", "西淀川区", (13,)),
        ("council", "council", "西淀川区", ()),
        ("hub", "npo", "平野区", (7,)),
        ("kodomo", "npo", "平野区", (13,)),
        *((f"h{i}", "neighbourhood_association", "平野区", ()) for i in range(5)),
        ("hirano_office", "public_agency", "平野区", ()),
    ):
        G.add_node(v, name=v, kind=kind, ward=ward, fields=fields, orientation="")
    _tie(G, "bank", "kids", "C1")
    _tie(G, "bank", "council", "C2")
    _tie(G, "kids", "council", "C3")
    for i in range(5):
        _tie(G, "hub", f"h{i}", f"H{i}")
    _tie(G, "kodomo", "h0", "K1")
    if partner_in_hirano:
        _tie(G, "bank", "hirano_office", "C9")
    else:
        _tie(G, "hirano_office", "h1", "O1")
    west = {"bank", "kids", "council"} | ({"hirano_office"} if partner_in_hirano else set())
    return G, {v: 0 if v in west else 1 for v in G}


def test_popularity_alone_is_never_a_bridge_reason():
    G, parts = city()
    found = suggest(G, orgs="bank", goal="bridge", top=5, partition=parts)
    # only 'kodomo' shares something with the bank: its field is the field of the bank's partner
    assert [s.partner for s in found] == ["kodomo"]
    for s in found:
        assert {r.code for r in s.reasons} - {"hub"}, s.reasons


def test_a_partner_in_the_same_field_is_named():
    G, parts = city()
    best = suggest(G, orgs="bank", goal="bridge", top=1, partition=parts)[0]
    reason = best.reasons[0]
    assert reason.code == "partners_in_field"
    assert reason.ja == "bankの連携先（kids）がkodomoと同じ分野（子どもの健全育成）で活動"
    assert "children and youth" in reason.en
    assert reason.evidence == ("collaborations:C1", "organizations:kodomo")


def test_a_partner_in_the_other_ward_is_named():
    G, parts = city(partner_in_hirano=True)
    found = {s.partner: s for s in suggest(G, orgs="bank", goal="bridge", top=10,
                                           partition=parts)}
    assert "hub" in found  # now the bank already works in 平野区, where the hub is
    codes = [r.code for r in found["hub"].reasons]
    assert codes[0] == "partners_in_ward" and codes[-1] == "hub"
    assert found["hub"].reasons[0].ja == "bankはhubのある平野区で1団体と連携（hirano_office）"
    assert "collaborations:C9" in found["hub"].reasons[0].evidence


def test_strengthen_reasons_are_unchanged():
    G, parts = city()
    found = suggest(G, orgs="h1", goal="strengthen", top=3, partition=parts)
    assert found and all(s.reasons for s in found)
    assert all(r.code not in ("partners_in_field", "partners_in_ward")
               for s in found for r in s.reasons)


def test_event_kinds_are_named_in_words_not_codes():
    import pandas as pd

    from graph.introductions import example_graph
    from ingest.schemas import Dataset

    G = example_graph()
    events = pd.DataFrame({"id": ["E1", "E2"], "name": ["姫島まつり FY2019", "此花まつり FY2019"],
                           "date": pd.to_datetime(["2019-08-01", "2019-08-02"]),
                           "kind": ["local_festival", "local_festival"]})
    part = pd.DataFrame({"event_id": ["E1", "E2"], "org_id": ["A", "E"]})
    ds = Dataset({"events": events, "participations": part})
    found = suggest(G, dataset=ds, orgs="E", goal="strengthen", top=5,
                    partition={n: 0 for n in G}, weights={"event_kinds": 1.0})
    reason = next(r for s in found for r in s.reasons if r.code == "event_kinds")
    assert reason.ja == "同じ種類の交流の場に参加: 地域のまつり"
    assert reason.en == "Take part in the same kinds of events: local festivals"
