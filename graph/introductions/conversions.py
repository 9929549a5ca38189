"""Conversions: which introductions recorded in the store became ties.

An introduction recorded in the store (``tsunagari outcome``, ``ingest.store.read_outcomes``)
converts when the pair has a tie whose latest evidence is dated on or after the outcome date.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from graph.errors import GraphError

__all__ = ["ConversionReport", "conversion_report"]


@dataclass(frozen=True)
class ConversionReport:
    """Which recorded introductions became ties: one row per pair, and a summary by status."""

    pairs: pd.DataFrame
    summary: pd.DataFrame


def conversion_report(outcomes: pd.DataFrame, G: nx.Graph) -> ConversionReport:
    """How many recorded introductions became ties.

    Each pair counts once, with its latest outcome (by date, then by order of recording). It
    *converted* when ``G`` ties the pair and the tie's latest evidence (``last_date``) is on
    or after that outcome's date.

    Parameters
    ----------
    outcomes : DataFrame
        ``ingest.store.read_outcomes``: ``org_a, org_b, status, on`` (and ``goal``, ``note``).
    G : networkx.Graph
        The current tie graph (``graph.build.tie_graph``), not modified.

    Returns
    -------
    ConversionReport
        ``pairs``: ``org_a, org_b, status, on, tied, tie_first_date, tie_last_date,
        converted``; ``summary``: per status and ``all``: ``introductions, converted, rate``.

    Examples
    --------
    >>> import datetime as dt
    >>> from graph.introductions import example_graph
    >>> out = pd.DataFrame({"org_a": ["A", "A"], "org_b": ["D", "B"],
    ...                     "status": ["introduced", "partnered"],
    ...                     "on": [dt.date(2019, 1, 1), dt.date(2019, 1, 1)]})
    >>> report = conversion_report(out, example_graph())
    >>> report.pairs["converted"].tolist(), float(report.summary.loc["all", "rate"])
    ([False, True], 0.5)
    """
    required = {"org_a", "org_b", "status", "on"}
    missing = required - set(outcomes.columns)
    if missing:
        raise GraphError(f"outcomes: missing column(s) {', '.join(sorted(missing))}")
    frame = outcomes.copy()
    frame["on"] = pd.to_datetime(frame["on"]).dt.date
    frame["_order"] = np.arange(len(frame))
    frame["_pair"] = [tuple(sorted((str(a), str(b)))) for a, b in zip(frame["org_a"], frame["org_b"])]
    latest = frame.sort_values(["on", "_order"]).groupby("_pair", sort=True).tail(1)
    rows = []
    for rec in latest.sort_values("_order").itertuples(index=False):
        a, b = rec.org_a, rec.org_b
        tied = G.has_edge(a, b)
        first = G.edges[a, b].get("first_date") if tied else None
        last = G.edges[a, b].get("last_date") if tied else None
        rows.append({"org_a": a, "org_b": b, "status": rec.status, "on": rec.on, "tied": tied,
                     "tie_first_date": first, "tie_last_date": last,
                     "converted": bool(tied and last is not None and last >= rec.on)})
    pairs = pd.DataFrame(rows, columns=["org_a", "org_b", "status", "on", "tied",
                                        "tie_first_date", "tie_last_date", "converted"])
    groups = [(status, pairs[pairs["status"] == status]) for status in sorted(pairs["status"].unique())]
    groups.append(("all", pairs))
    summary = pd.DataFrame(
        [{"status": s, "introductions": len(p), "converted": int(p["converted"].sum()),
          "rate": round(float(p["converted"].mean()), 4) if len(p) else 0.0} for s, p in groups]
    ).set_index("status")
    return ConversionReport(pairs, summary)
