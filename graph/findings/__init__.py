"""Findings built on the measures: connectors, the isolated, partnership gaps, bridge reasons.

What lives where:

* :mod:`graph.findings.brokers` — :func:`connector_score` (the documented formula) and
  :func:`connectors`, the ranking with reasons in English and Japanese;
* :mod:`graph.findings.sole_ties` — the ties that alone join two communities or two ward ×
  sector blocks, and the sectors of each organisation's partners (the connectors' reasons);
* :mod:`graph.findings.isolation` — :func:`isolated` (kinds :data:`ISOLATION_KINDS`, reason
  codes :data:`ISOLATION_REASONS`), :func:`last_activity`, :func:`isolation_cutoff`;
* :mod:`graph.findings.null_model` — the expectation (:data:`EXPECTATIONS`: configuration
  model or degree-preserving rewiring) every gap table compares with;
* :mod:`graph.findings.gaps` — :func:`ward_sector_gaps`, :func:`field_gaps`,
  :func:`community_holes`, :func:`shortfalls`, :func:`gap_tables` (all at once);
* :mod:`graph.findings.coverage` — per-ward :func:`orientation_bridging` and
  :func:`company_gaps`;
* :mod:`graph.findings.reasons` — :func:`bridge_reasons`, what the two sides of a bridge
  introduction share or complement (used by ``graph.introductions``), and
  :func:`bridge_cited_ties`, the ties it may cite.

Helpers the submodules share with each other (``block_gaps``, ``indicator`` …) are public in
their submodule but not re-exported here.

Examples
--------
>>> import networkx as nx
>>> from graph.findings import connectors, isolated
>>> connectors(nx.barbell_graph(3, 0), [{0, 1, 2}, {3, 4, 5}], top=1).index.tolist()
[2]
>>> isolated(nx.path_graph(2))["isolation"].tolist()
['single_partner', 'single_partner']
"""

from graph.findings.brokers import SCORE_WEIGHTS, connector_score, connectors, fallback_labels
from graph.findings.coverage import company_gaps, orientation_bridging
from graph.findings.gaps import (
    community_holes,
    field_gaps,
    gap_tables,
    shortfalls,
    ward_sector_gaps,
)
from graph.findings.isolation import (
    ISOLATION_KINDS,
    ISOLATION_REASONS,
    isolated,
    isolation_cutoff,
    last_activity,
)
from graph.findings.null_model import EXPECTATIONS
from graph.findings.reasons import POPULARITY_CODES, bridge_cited_ties, bridge_reasons

__all__ = [
    "SCORE_WEIGHTS",
    "ISOLATION_KINDS",
    "ISOLATION_REASONS",
    "EXPECTATIONS",
    "POPULARITY_CODES",
    "connector_score",
    "connectors",
    "fallback_labels",
    "last_activity",
    "isolation_cutoff",
    "isolated",
    "ward_sector_gaps",
    "field_gaps",
    "community_holes",
    "orientation_bridging",
    "company_gaps",
    "shortfalls",
    "gap_tables",
    "bridge_reasons",
    "bridge_cited_ties",
]
