"""One call from records to a ward report: analysis (unless given), the ward's growth, content.

>>> from ingest.load import load_dataset
>>> report = make_ward_report(load_dataset("data/osaka/real"), "西淀川区", store="x", version="v",
...                           lang="en", pictures=False)
>>> report.title, [s.key for s in report.sections][-3:]
('西淀川区: partnership network report', ['growth', 'figures', 'sources'])
"""

from __future__ import annotations

from graph.report.content import Report, ward_report

__all__ = ["ward_growth", "make_ward_report"]


def ward_growth(dataset, result, ward: str) -> dict:
    """``graph.time.compute_growth`` of one ward, from the analysis' tie graph."""
    from graph.time import compute_growth, org_activity, timeline_from_graph

    G = result.ties
    members = [v for v, w in G.nodes(data="ward") if w == ward]
    activity = org_activity(dataset)
    line = timeline_from_graph(G.subgraph(members),
                               activity=activity.loc[activity.index.intersection(members)])
    return compute_growth(line)


def make_ward_report(dataset, ward: str, *, store: str, version: str, lang: str = "ja",
                     result=None, growth: dict | None = None, batches: list[dict] | None = None,
                     pictures: bool = True) -> Report:
    """The ward's :class:`graph.report.content.Report`; computes what is not given.

    ``result`` is the whole city's ``graph.analysis.analyze(dataset)``; ``growth`` the ward's
    :func:`ward_growth`.
    """
    if result is None:
        from graph.analysis import analyze

        result = analyze(dataset)
    if growth is None:
        growth = ward_growth(dataset, result, ward)
    return ward_report(dataset, result, ward, store=store, version=version, lang=lang,
                       growth=growth, batches=batches, pictures=pictures)
