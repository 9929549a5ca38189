"""The tie weighting of ``graph.build.tie_graph`` as DuckDB SQL group-bys.

Both record sources (a ``Dataset`` in memory, the DuckDB store on disk) expose the scoped
records as the same six relations of int codes, so one SQL text builds the ties of either:

============  =================================================================
relation      columns
============  =================================================================
``c_orgs``    ``code`` (int, position in the node order), ``id``
``c_events``  ``g`` (event code), ``id``, ``day`` (int days since 1970-01-01 or NULL)
``c_part``    ``g``, ``m`` (organisation code): distinct participations
``c_collab``  ``g`` (collaboration row), ``id``, ``m``, ``day``: distinct members
``c_memb``    ``g`` (council code), ``m``, ``day`` (``since``): membership rows, g ≠ m
``c_disp``    ``t`` (talent code), ``m``, ``id``, ``day``: dispatch rows
============  =================================================================

The weighting (``docs/CONTRACTS.md``, "Decisions recorded"): every pair of a collaboration
gets its weight; every pair of an event's ``n`` participants, of a council's ``n`` members
and of a talent's ``n`` organisations gets weight / (n − 1) (Newman 2001); each member gets
the full weight towards its council. A tie's ``first_day`` is NULL when any evidence is
undated, else the earliest; ``last_day`` the latest dated one. A membership pair or a
shared dispatch is dated by the later of the two ``since`` / first dispatch days
(``greatest`` ignores NULL, as ``numpy.maximum`` on NaT-as-minimum does in ``graph.build``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from graph.core.ties import NO_DAY, TIE_PARTS

__all__ = ["evidence_sql", "fetch_ties", "tie_sql"]

_UNDATED_WINS = "CASE WHEN count(*) > count(day) THEN NULL ELSE min(day) END"


def _group_pairs(rows: str, part: int, value: str, day: str, span: str) -> str:
    """Pairs a.m < b.m within each group g of ``rows`` (a relation with g, m, day, n), the
    smaller end in ``span`` (a SQL range test of ``{x}``)."""
    return (f"SELECT a.m AS u, b.m AS v, {part} AS part, {value} AS value, {day} AS day "
            f"FROM {rows} a JOIN {rows} b ON a.g = b.g AND a.m < b.m "
            f"WHERE {span.format(x='a.m')}")


def tie_sql(weights: Mapping[str, float], lo: int | None = None, hi: int | None = None) -> str:
    """The SELECT giving one row per tie: ``u, v``, the four parts, ``first_day, last_day``.

    ``weights`` maps every part of :data:`~graph.core.ties.TIE_PARTS` to its multiplier; a
    part with weight 0 adds nothing. With ``lo`` and ``hi``, only the ties whose smaller end
    ``u`` is in ``[lo, hi)`` (so a large graph is built a slice at a time, with a bounded
    hash table; the slices in order concatenate to the whole, sorted).

    >>> "c_part" in tie_sql({"collaboration": 1, "co_participation": 1,
    ...                      "co_membership": 0, "shared_dispatch": 0})
    True
    """
    w = {p: float(weights[p]) for p in TIE_PARTS}
    span = "true" if lo is None else f"({{x}} >= {int(lo)} AND {{x}} < {int(hi)})"
    ctes = [
        "p AS (SELECT x.g, x.m, e.day, count(*) OVER (PARTITION BY x.g) AS n "
        "FROM (SELECT DISTINCT g, m FROM c_part) x JOIN c_events e ON e.g = x.g)",
        "c AS (SELECT DISTINCT g, m, day FROM c_collab)",
        f"mm AS (SELECT g, m, {_UNDATED_WINS} AS day FROM c_memb GROUP BY g, m)",
        "mn AS (SELECT g, m, day, count(*) OVER (PARTITION BY g) AS n FROM mm)",
        f"dd AS (SELECT t AS g, m, {_UNDATED_WINS} AS day FROM c_disp GROUP BY t, m)",
        "dn AS (SELECT g, m, day, count(*) OVER (PARTITION BY g) AS n FROM dd)",
    ]
    blocks = []
    if w["collaboration"] > 0:
        blocks.append(_group_pairs("c", 0, repr(w["collaboration"]), "a.day", span))
    if w["co_participation"] > 0:
        blocks.append(_group_pairs("p", 1, f"{w['co_participation']!r} / (a.n - 1)", "a.day",
                                   span))
    if w["co_membership"] > 0:
        blocks.append(_group_pairs("mn", 2, f"{w['co_membership']!r} / (a.n - 1)",
                                   "greatest(a.day, b.day)", span))
        blocks.append(f"SELECT m AS u, g AS v, 2 AS part, {w['co_membership']!r} AS value, "
                      f"day FROM mm WHERE {span.format(x='least(m, g)')}")
    if w["shared_dispatch"] > 0:
        blocks.append(_group_pairs("dn", 3, f"{w['shared_dispatch']!r} / (a.n - 1)",
                                   "greatest(a.day, b.day)", span))
    if not blocks:
        blocks.append("SELECT 0 AS u, 0 AS v, 0 AS part, 0.0 AS value, NULL::INTEGER AS day "
                      "WHERE false")
    sums = ", ".join(f"coalesce(sum(value::DECIMAL(38, 18)) FILTER (WHERE part = {i}), 0)"
                     f"::DOUBLE AS {p}"
                     for i, p in enumerate(TIE_PARTS))
    return (f"WITH {', '.join(ctes)}, contributions AS ({' UNION ALL '.join(blocks)}) "
            f"SELECT least(u, v)::INTEGER AS u, greatest(u, v)::INTEGER AS v, {sums}, "
            f"coalesce({_UNDATED_WINS}, {NO_DAY})::INTEGER AS first_day, "
            f"coalesce(max(day), {NO_DAY})::INTEGER AS last_day "
            "FROM contributions GROUP BY ALL ORDER BY u, v")


#: Participation rows per slice of :func:`fetch_ties`: beyond this the ties are built in
#: slices of organisation codes, so DuckDB's group-by never holds all the nation's pairs.
SLICE_ROWS = 1_500_000


def fetch_ties(con, weights: Mapping[str, float]) -> dict[str, np.ndarray]:
    """Run :func:`tie_sql` on connection ``con``; arrays ``u, v`` (int32), the parts
    (float32), ``weight`` (float64: their sum, so that rankings breaking ties on equal
    strengths agree with the networkx path), ``first_day, last_day`` (int32).

    Part sums are exact sums of the contributions rounded to 18 decimals (DECIMAL(38, 18),
    integer arithmetic), so they do not depend on the order DuckDB's parallel aggregation
    meets the contributions in: the same records give the same bits on every run (a float
    ``sum`` or even Kahan's ``fsum`` differed by 1 ulp from run to run)."""
    rows = con.execute("SELECT count(*) FROM c_part").fetchone()[0]
    n = con.execute("SELECT count(*) FROM c_orgs").fetchone()[0]
    slices = max(1, -(-int(rows) // SLICE_ROWS))
    bounds = np.linspace(0, n, slices + 1).astype(np.int64).tolist()
    # each slice is turned into the final dtypes as soon as it arrives, so DuckDB's result
    # (float64 parts) never exists for more than one slice at a time
    pieces = [_tie_arrays(con.execute(tie_sql(weights, *span) if slices > 1
                                      else tie_sql(weights)).fetchnumpy())
              for span in zip(bounds[:-1], bounds[1:])]
    if len(pieces) == 1:
        return pieces[0]
    out = {}
    for key in list(pieces[0]):
        out[key] = np.concatenate([piece.pop(key) for piece in pieces])
    return out


def _tie_arrays(raw: Mapping) -> dict[str, np.ndarray]:
    """One result of :func:`tie_sql` in the dtypes of :func:`fetch_ties`."""
    out = {"u": np.asarray(raw["u"], dtype=np.int32), "v": np.asarray(raw["v"], dtype=np.int32)}
    weight = np.zeros(len(out["u"]))
    for p in TIE_PARTS:
        values = np.asarray(raw[p], dtype=np.float64)
        out[p] = values.astype(np.float32)
        weight += values  # the parts in TIE_PARTS order, as a sum over axis 0 adds them
    out["weight"] = weight
    out["first_day"] = np.asarray(raw["first_day"], dtype=np.int32)
    out["last_day"] = np.asarray(raw["last_day"], dtype=np.int32)
    return out


def evidence_sql(weights: Mapping[str, float]) -> str:
    """The SELECT giving ``(i, code)`` rows: the evidence codes of each pair of relation
    ``c_pairs(i, a, b)`` (organisation codes), for the parts with a positive weight.

    >>> "dispatches:" in evidence_sql(dict.fromkeys(TIE_PARTS, 1.0))
    True
    """
    blocks = []
    if weights["co_participation"] > 0:
        blocks.append("SELECT q.i, 'events:' || e.id AS code FROM c_pairs q "
                      "JOIN c_part x ON x.m = q.a JOIN c_part y ON y.m = q.b AND y.g = x.g "
                      "JOIN c_events e ON e.g = x.g")
    if weights["collaboration"] > 0:
        blocks.append("SELECT q.i, 'collaborations:' || x.id AS code FROM c_pairs q "
                      "JOIN c_collab x ON x.m = q.a JOIN c_collab y ON y.m = q.b AND y.g = x.g")
    if weights["co_membership"] > 0:
        blocks.append("SELECT q.i, 'memberships:' || o.id AS code FROM c_pairs q "
                      "JOIN c_memb x ON x.m = q.a JOIN c_memb y ON y.m = q.b AND y.g = x.g "
                      "JOIN c_orgs o ON o.code = x.g")
        for member, council in (("a", "b"), ("b", "a")):
            blocks.append("SELECT q.i, 'memberships:' || o.id AS code FROM c_pairs q "
                          f"JOIN c_memb x ON x.m = q.{member} AND x.g = q.{council} "
                          "JOIN c_orgs o ON o.code = x.g")
    if weights["shared_dispatch"] > 0:
        shared = ("SELECT DISTINCT q.i, q.a, q.b, x.t FROM c_pairs q JOIN c_disp x "
                  "ON x.m = q.a JOIN c_disp y ON y.m = q.b AND y.t = x.t")
        for side in ("a", "b"):
            blocks.append(f"SELECT s.i, 'dispatches:' || d.id AS code FROM ({shared}) s "
                          f"JOIN c_disp d ON d.t = s.t AND d.m = s.{side}")
    if not blocks:
        return "SELECT 0 AS i, '' AS code WHERE false"
    return " UNION ".join(blocks)
