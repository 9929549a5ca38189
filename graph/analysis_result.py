"""What :func:`graph.analysis.analyze` returns: :class:`Analysis`, and the tables it assembles.

:class:`Analysis` holds the tie core, the partition and every finding as plain data;
:func:`community_frame` joins the community profiles with per-community counts of the
measures, and :func:`network_summary` gives the JSON-ready ``summary`` (counts, density,
components, modularity, the parameters and the timings).

Examples
--------
>>> from graph.analysis import analyze
>>> from graph.build import example_dataset
>>> a = analyze(example_dataset())
>>> isinstance(a, Analysis), a.communities.index.name
(True, 'community')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from graph.findings import ISOLATION_KINDS
from graph.measures import ROLE_NAMES

__all__ = ["Analysis", "community_frame", "network_summary"]


@dataclass(frozen=True)
class Analysis:
    """Everything :func:`graph.analysis.analyze` found, as plain data.

    Attributes
    ----------
    core : graph.core.TieCore
        The organisation ties as arrays: what every measure below was computed on.
    ties : networkx.Graph
        The same ties as ``graph.build.tie_graph`` builds them (with evidence), made from
        ``core`` on first use and kept; treat as read-only. Too big to hold at nation size:
        read ``core`` there.
    partition : graph.communities.Partition
        Communities of the ties (Leiden by default; ``method`` / ``params`` say which).
    measures : pandas.DataFrame
        Per organisation (index ``id``): the columns of
        :func:`graph.measures.organisation_measures` plus ``community_label``,
        ``community_label_en``, ``connector_score``, ``isolated_reason`` (``;``-joined
        codes, empty when none), ``isolation`` (the kind of
        :data:`graph.findings.ISOLATION_KINDS`, empty when none), ``last_activity``.
    communities : pandas.DataFrame
        Per community (index ``community``): its profile
        (``graph.communities.community_profiles``: ``size``, ``label``, ``label_en``, …) plus
        ``role_connectors`` (members in roles R3/R4/R6/R7), ``hubs`` (R5–R7), ``isolated``
        (members listed in ``isolated``) and ``mean_degree``.
    connectors : pandas.DataFrame
        :func:`graph.findings.connectors`, best first.
    isolated : pandas.DataFrame
        :func:`graph.findings.isolated`.
    gaps : dict of str to pandas.DataFrame
        :func:`graph.findings.gap_tables`.
    summary : dict
        JSON-ready counts, density, components, modularity, method parameters,
        ``needing_partner`` (every organisation :func:`graph.findings.isolated` lists) and
        ``isolated_by_kind`` (that count split by :data:`graph.findings.ISOLATION_KINDS`),
        ``timings`` (wall seconds per stage of :data:`graph.analysis.STAGES`) and ``cpu_timings`` (process
        CPU seconds per stage, the fairer figure on a shared machine).
    """

    core: Any = field(repr=False)
    partition: Any = field(repr=False)
    measures: pd.DataFrame = field(repr=False)
    communities: pd.DataFrame = field(repr=False)
    connectors: pd.DataFrame = field(repr=False)
    isolated: pd.DataFrame = field(repr=False)
    gaps: Mapping[str, pd.DataFrame] = field(repr=False)
    summary: Mapping[str, Any] = field(default_factory=dict)

    @cached_property
    def ties(self) -> nx.Graph:
        """The tie graph as networkx (see the class notes)."""
        return self.core.to_networkx()


def _jsonable(value):
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if not np.isfinite(value) else float(value)
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()
    return value


def community_frame(profiles, partition, measures: pd.DataFrame, labels) -> pd.DataFrame:
    """Per community: its profile (or its label and size) plus role, hub and isolated counts."""
    frame = pd.DataFrame(index=pd.RangeIndex(len(partition.communities), name="community"))
    if profiles is not None and len(profiles):
        frame = profiles.copy()
        if "community" in frame.columns:
            frame = frame.set_index("community")
        frame.index.name = "community"
    if "label" not in frame.columns:
        frame["label"] = [labels.get(c, f"#{c}") for c in frame.index]
    if "size" not in frame.columns:
        frame["size"] = [len(partition.communities[c]) for c in frame.index]
    role = measures["role"]
    counts = pd.DataFrame({  # one vectorised group-by (no Python call per community)
        "role_connectors": role.isin(["R3", "R4", "R6", "R7"]),
        "hubs": role.isin(["R5", "R6", "R7"]),
        "isolated": measures["isolated_reason"] != "",
        "mean_degree": measures["degree"].astype(float),
        "community": measures["community"],
    }).groupby("community").agg({"role_connectors": "sum", "hubs": "sum", "isolated": "sum",
                                 "mean_degree": "mean"})
    counts = counts.reindex(frame.index)
    for column in ("role_connectors", "hubs", "isolated"):
        frame[column] = counts[column].fillna(0).astype(int)
    frame["mean_degree"] = counts["mean_degree"].astype(float)
    return frame


def network_summary(core, components, partition, measures, lonely, ranked, gaps, timings, cpu,
                    params, reference) -> dict:
    """The JSON-ready ``Analysis.summary`` of one analysis (see :class:`Analysis`);
    ``components`` labels each organisation's connected component (the view's
    ``component_labels``, which isolation counted already)."""
    n = core.n
    sizes = np.bincount(components) if n else np.zeros(0, dtype=np.int64)
    count = len(sizes)
    giant = int(sizes.max()) if len(sizes) else 0
    reasons = lonely["reasons"].str.split(";").explode().value_counts() if len(lonely) else {}
    synthetic = int(core.nodes["synthetic"].astype(bool).sum())
    company = gaps.get("company_gaps")
    summary = {
        "organisations": n,
        "ties": core.n_ties,
        "density": 2.0 * core.n_ties / (n * (n - 1)) if n > 1 else 0.0,
        "components": int(count),
        "giant_component": giant,
        "giant_share": giant / n if n else 0.0,
        "isolates": int((measures["degree"] == 0).sum()) if n else 0,
        # every organisation listed, whatever its kind; "isolated" alone would overstate it
        "needing_partner": len(lonely),
        "isolated_by_reason": dict(reasons),
        "isolated_by_kind": {kind: int((lonely["isolation"] == kind).sum())
                             for kind in ISOLATION_KINDS},
        "communities": len(partition.communities),
        "modularity": partition.modularity,
        "connectors": int((ranked["score"] > 0).sum()) if len(ranked) else 0,
        "kinds": measures["kind"].fillna("unknown").value_counts().to_dict() if n else {},
        "roles": {code: int((measures.get("role") == code).sum()) for code in ROLE_NAMES}
        if n else {},
        "synthetic_organisations": synthetic,
        "wards_without_company_partner": []
        if company is None else company.loc[(company["dimension"] == "ward")
                                            & company["no_company_partner"], "key"].tolist(),
        "betweenness": dict(measures.attrs.get("betweenness", {})),
        "community_method": {"method": getattr(partition, "method", "louvain"),
                             "params": dict(getattr(partition, "params", {}) or {}),
                             "seed": getattr(partition, "seed", params["seed"])},
        "gap_expectation": "configuration",
        "reference_date": reference,
        "parameters": params,
        "timings": timings,
        "cpu_timings": cpu,
    }
    return _jsonable(summary)
