"""Growth laws over snapshots: densification, the attachment kernel, degree distributions.

- :func:`densification`: the exponent ``a`` of ties ∝ organisations^a (Leskovec, Kleinberg &
  Faloutsos 2005), fitted by least squares on log–log points, with a t-based confidence
  interval.
- :func:`attachment_kernel`: the measured preferential-attachment kernel (Jeong, Néda &
  Barabási 2003; Newman 2001): A(k) = new tie ends landing on organisations of degree k at the
  previous snapshot ÷ the number of such organisations, pooled over transitions, and the
  exponent α of A(k) ∝ k^α fitted on logarithmic bins (α ≈ 1: linear preferential attachment;
  α ≈ 0: no preference).
- :func:`degree_distribution`: degree counts per snapshot.

:func:`kernel_counts`, :func:`kernel_result` and :func:`degree_rows` are the array steps
``graph.time.timeline_analysis`` accumulates period by period.

Examples
--------
>>> round(densification([10, 100], [10, 1000]).exponent, 6)
2.0
>>> degree_distribution({"FY2019": nx.star_graph(2)}).values.tolist()
[['FY2019', 1, 2], ['FY2019', 2, 1]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import networkx as nx
import numpy as np
import pandas as pd
from scipy import stats

from graph.errors import GraphError

__all__ = ["Densification", "AttachmentKernel", "densification", "kernel_counts",
           "kernel_result", "attachment_kernel", "degree_distribution", "degree_rows"]


class Densification(NamedTuple):
    """Fit of log(ties) = exponent · log(organisations) + intercept."""

    exponent: float
    low: float
    high: float
    intercept: float
    r2: float
    points: int
    confidence: float


def _loglog_fit(x: np.ndarray, y: np.ndarray, confidence: float):
    lx, ly = np.log(x), np.log(y)
    if len(lx) < 2 or np.ptp(lx) == 0:
        return float("nan"), float("nan"), float("nan"), float("nan"), float("nan")
    fit = stats.linregress(lx, ly)
    if len(lx) > 2:
        half = stats.t.ppf(0.5 + confidence / 2.0, len(lx) - 2) * fit.stderr
    else:
        half = float("nan")
    return float(fit.slope), float(fit.slope - half), float(fit.slope + half), \
        float(fit.intercept), float(fit.rvalue ** 2)


def densification(organisations: Sequence[float], ties: Sequence[float], *,
                  confidence: float = 0.95) -> Densification:
    """Densification exponent: ties ∝ organisations^a by log–log least squares.

    Points with fewer than 2 organisations or no ties are left out (log 0).

    Parameters
    ----------
    organisations, ties : sequence of numbers
        One pair per snapshot.
    confidence : float, keyword-only
        Level of the t-based interval on the slope (needs 3 or more points; NaN otherwise).

    Returns
    -------
    Densification
        ``exponent, low, high, intercept, r2, points, confidence``; NaN when fewer than 2
        usable points or all organisation counts are equal.

    Raises
    ------
    GraphError
        When the sequences differ in length or ``confidence`` is not in (0, 1).

    Examples
    --------
    >>> n = [10, 20, 40, 80]
    >>> d = densification(n, [x ** 1.5 for x in n])
    >>> round(d.exponent, 6), d.points
    (1.5, 4)
    """
    n = np.asarray(organisations, dtype=float)
    m = np.asarray(ties, dtype=float)
    if n.shape != m.shape:
        raise GraphError("densification: organisations and ties differ in length")
    if not 0 < confidence < 1:
        raise GraphError(f"confidence: expected a level in (0, 1), got {confidence}")
    keep = (n >= 2) & (m > 0) & np.isfinite(n) & np.isfinite(m)
    slope, low, high, icpt, r2 = _loglog_fit(n[keep], m[keep], confidence)
    return Densification(slope, low, high, icpt, r2, int(keep.sum()), confidence)


class AttachmentKernel(NamedTuple):
    """Measured attachment kernel and the exponent of A(k) ∝ k^α."""

    table: pd.DataFrame
    alpha: float
    low: float
    high: float
    r2: float
    bins: int
    transitions: int


def kernel_counts(prev_degree: np.ndarray, prev_present: np.ndarray,
                  new_u: np.ndarray, new_v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(new tie ends per degree, nodes per degree) for one transition, over global indices."""
    deg = prev_degree[prev_present].astype(np.int64)
    nodes = np.bincount(deg) if len(deg) else np.zeros(1, dtype=np.int64)
    ends = np.concatenate([new_u, new_v])
    ends = ends[prev_present[ends]]
    hits = np.bincount(prev_degree[ends].astype(np.int64), minlength=len(nodes)) \
        if len(ends) else np.zeros(len(nodes), dtype=np.int64)
    size = max(len(nodes), len(hits))
    return np.pad(hits, (0, size - len(hits))), np.pad(nodes, (0, size - len(nodes)))


def kernel_result(hits: np.ndarray, nodes: np.ndarray, transitions: int,
                  confidence: float) -> AttachmentKernel:
    """The kernel table and α from pooled hits and organisations per degree."""
    k = np.arange(len(nodes))
    keep = nodes > 0
    table = pd.DataFrame({"degree": k[keep], "new_tie_ends": hits[keep],
                          "organisations": nodes[keep]})
    table["kernel"] = table["new_tie_ends"] / table["organisations"]
    pos = table[table["degree"] >= 1]
    if len(pos):
        b = np.floor(np.log2(pos["degree"].to_numpy())).astype(int)
        grouped = pd.DataFrame({"bin": b, "h": pos["new_tie_ends"].to_numpy(),
                                "n": pos["organisations"].to_numpy(),
                                "kn": (pos["degree"] * pos["organisations"]).to_numpy()}
                               ).groupby("bin").sum()
        grouped = grouped[grouped["h"] > 0]
        kx = (grouped["kn"] / grouped["n"]).to_numpy(dtype=float)
        ay = (grouped["h"] / grouped["n"]).to_numpy(dtype=float)
        alpha, low, high, _, r2 = _loglog_fit(kx, ay, confidence)
        bins = len(grouped)
    else:
        alpha = low = high = r2 = float("nan")
        bins = 0
    return AttachmentKernel(table.reset_index(drop=True), alpha, low, high, r2, bins, transitions)


def attachment_kernel(snapshots: Sequence[nx.Graph], *,
                      confidence: float = 0.95) -> AttachmentKernel:
    """Measured preferential-attachment kernel over consecutive snapshots.

    For each pair of consecutive snapshots, every tie of the later one that is absent from the
    earlier one is a *new tie*; each of its ends that already existed earlier, with degree k
    there, counts one hit for k. A(k) = hits(k) ÷ organisations of degree k, pooled over all
    transitions. α is the slope of log A(k) on log k over logarithmic bins (k = 1, 2–3, 4–7,
    …) with a t-based interval.

    Parameters
    ----------
    snapshots : sequence of nx.Graph
        In time order (e.g. cumulative fiscal-year snapshots); not modified.
    confidence : float, keyword-only
        Level of the interval on α.

    Returns
    -------
    AttachmentKernel
        ``table`` (``degree, new_tie_ends, organisations, kernel``), ``alpha, low, high, r2,
        bins, transitions``. α is NaN with fewer than 2 bins holding a hit.

    Examples
    --------
    >>> g0 = nx.star_graph(3)          # hub 0 (degree 3), leaves 1-3 (degree 1)
    >>> g1 = g0.copy(); g1.add_edges_from([(0, 4), (0, 5), (0, 6), (1, 7), (2, 8), (3, 9)])
    >>> ak = attachment_kernel([g0, g1])
    >>> ak.table.set_index("degree")["kernel"].to_dict()
    {1: 1.0, 3: 3.0}
    >>> round(ak.alpha, 3)
    1.0
    """
    order: dict = {}
    for G in snapshots:
        for v in G:
            order.setdefault(v, len(order))
    n = len(order)
    hits = np.zeros(1, dtype=np.int64)
    counts = np.zeros(1, dtype=np.int64)
    for prev, cur in zip(snapshots, snapshots[1:]):
        degree = np.zeros(n)
        present = np.zeros(n, dtype=bool)
        for v, d in prev.degree():
            degree[order[v]] = d - (2 if prev.has_edge(v, v) else 0)
            present[order[v]] = True
        new = [(order[a], order[b]) for a, b in cur.edges() if a != b and not prev.has_edge(a, b)]
        h, c = kernel_counts(degree, present, np.array([e[0] for e in new], dtype=np.int64),
                             np.array([e[1] for e in new], dtype=np.int64))
        size = max(len(hits), len(h))
        hits = np.pad(hits, (0, size - len(hits))) + np.pad(h, (0, size - len(h)))
        counts = np.pad(counts, (0, size - len(counts))) + np.pad(c, (0, size - len(c)))
    return kernel_result(hits, counts, max(len(snapshots) - 1, 0), confidence)


def degree_distribution(snapshots: Mapping[str, nx.Graph]) -> pd.DataFrame:
    """Degree counts of each snapshot, tidy.

    Parameters
    ----------
    snapshots : mapping
        Period label → graph (not modified).

    Returns
    -------
    pandas.DataFrame
        ``period, degree, organisations`` (degrees that occur only).

    Examples
    --------
    >>> degree_distribution({"FY2019": nx.path_graph(3)}).values.tolist()
    [['FY2019', 1, 2], ['FY2019', 2, 1]]
    """
    frames = []
    for label, G in snapshots.items():
        deg = np.array([d for _, d in G.degree()], dtype=np.int64)
        frames.append(degree_rows(label, deg))
    if not frames:
        return pd.DataFrame(columns=["period", "degree", "organisations"])
    return pd.concat(frames, ignore_index=True)


def degree_rows(label: str, degree: np.ndarray) -> pd.DataFrame:
    """``period, degree, organisations`` rows of one snapshot\'s degree array."""
    counts = np.bincount(degree.astype(np.int64)) if len(degree) else np.zeros(0, dtype=np.int64)
    k = np.flatnonzero(counts)
    return pd.DataFrame({"period": label, "degree": k.astype(int),
                         "organisations": counts[k].astype(int)})
