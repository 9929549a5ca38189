"""Growth over time: dated tie lists, fiscal-year snapshots, metrics, growth laws and evolution.

The organisation tie graph (``graph.build.tie_graph``) carries, on every tie, the dates of its
first and last evidence. It is turned **once** into a :class:`Timeline` — one row per
organisation and one per tie, each with an activity interval — and then sliced per period
with vectorised comparisons instead of rebuilding graphs from the records.
:func:`analyze_timeline` walks every period once and tracks the communities across them;
:func:`compute_growth` keeps the Growth page's tables on disk beside the store.

What lives where:

* :mod:`graph.time.periods` — :class:`Period`, :data:`FREQUENCIES`, :func:`fiscal_period`,
  :func:`period_of`, :func:`make_periods`;
* :mod:`graph.time.timeline` — :class:`Timeline`, :func:`timeline_periods`,
  :func:`org_activity`, :func:`timeline_from_graph`, :func:`timeline_from_dataset`;
* :mod:`graph.time.core_timeline` — the same timeline from the array core or a DuckDB store:
  :func:`timeline_from_core`, :func:`timeline_from_store`, :func:`store_org_activity`,
  :func:`store_report_dataset`, :func:`days_to_datetimes`;
* :mod:`graph.time.snapshots` — :func:`snapshot_masks`, :func:`snapshot` (cumulative or
  windowed, undated records included or not);
* :mod:`graph.time.metrics` — :func:`snapshot_metrics` (size, cohesion, bridging);
* :mod:`graph.time.growth_laws` — :func:`densification` (:class:`Densification`),
  :func:`attachment_kernel` (:class:`AttachmentKernel`), :func:`degree_distribution`;
* :mod:`graph.time.series` — the report's own figures beside the records' counts:
  :func:`report_series`, :func:`series_conflicts`, :func:`series_incomplete`;
* :mod:`graph.time.community_tracking` — :func:`track_communities`
  (:class:`CommunityTracking`, events :data:`EVENTS`), Greene, Doyle & Cunningham (2010);
* :mod:`graph.time.period_graphs` — one period's working graph and Louvain (from scratch or
  warm-started), used by the analysis;
* :mod:`graph.time.timeline_analysis` — :func:`analyze_timeline` (:class:`TimelineAnalysis`,
  :data:`ARRAY_THRESHOLD`);
* :mod:`graph.time.trajectories` — :func:`rising_connectors`, :func:`newly_isolated`;
* :mod:`graph.time.growth_replay` — :func:`community_replay`, the Growth page's
  community-level replay;
* :mod:`graph.time.growth_cache` — :func:`compute_growth`, :func:`restrict_timeline`,
  :func:`growth_folder`, :func:`save_growth`, :func:`load_growth` (its ``FORMAT`` and
  ``TABLES`` are read from the submodule).

Helpers the submodules share with each other (``array_metrics``, ``category_codes``,
``kernel_counts``, ``louvain_delta`` …) are public in their submodule but not re-exported here.

Examples
--------
>>> import datetime as dt, networkx as nx
>>> from graph.time import fiscal_period, snapshot, snapshot_metrics, timeline_from_graph
>>> from graph.time import timeline_periods
>>> G = nx.Graph()
>>> G.add_edge("a", "b", weight=1.0, first_date=dt.date(2018, 5, 1), last_date=dt.date(2018, 5, 1))
>>> G.add_edge("b", "c", weight=1.0, first_date=dt.date(2019, 4, 1), last_date=dt.date(2019, 6, 1))
>>> tl = timeline_from_graph(G)
>>> [p.label for p in timeline_periods(tl)]
['FY2018', 'FY2019']
>>> sorted(snapshot(tl, fiscal_period(2018)).edges())
[('a', 'b')]
>>> snapshot_metrics(snapshot(tl, fiscal_period(2019)))["ties"]
2
"""

from graph.time.community_tracking import EVENTS, CommunityTracking, track_communities
from graph.time.core_timeline import (
    days_to_datetimes,
    store_org_activity,
    store_report_dataset,
    timeline_from_core,
    timeline_from_store,
)
from graph.time.growth_cache import (
    compute_growth,
    growth_folder,
    load_growth,
    restrict_timeline,
    save_growth,
)
from graph.time.growth_laws import (
    AttachmentKernel,
    Densification,
    attachment_kernel,
    degree_distribution,
    densification,
)
from graph.time.growth_replay import community_replay
from graph.time.metrics import snapshot_metrics
from graph.time.periods import FREQUENCIES, Period, fiscal_period, make_periods, period_of
from graph.time.series import report_series, series_conflicts, series_incomplete
from graph.time.snapshots import snapshot, snapshot_masks
from graph.time.timeline import (
    Timeline,
    org_activity,
    timeline_from_dataset,
    timeline_from_graph,
    timeline_periods,
)
from graph.time.timeline_analysis import ARRAY_THRESHOLD, TimelineAnalysis, analyze_timeline
from graph.time.trajectories import newly_isolated, rising_connectors

__all__ = [
    "FREQUENCIES",
    "EVENTS",
    "ARRAY_THRESHOLD",
    "Period",
    "Timeline",
    "Densification",
    "AttachmentKernel",
    "CommunityTracking",
    "TimelineAnalysis",
    "fiscal_period",
    "period_of",
    "make_periods",
    "timeline_periods",
    "org_activity",
    "timeline_from_graph",
    "timeline_from_dataset",
    "timeline_from_core",
    "timeline_from_store",
    "store_org_activity",
    "store_report_dataset",
    "days_to_datetimes",
    "snapshot_masks",
    "snapshot",
    "snapshot_metrics",
    "densification",
    "attachment_kernel",
    "degree_distribution",
    "report_series",
    "series_conflicts",
    "series_incomplete",
    "track_communities",
    "analyze_timeline",
    "rising_connectors",
    "newly_isolated",
    "community_replay",
    "compute_growth",
    "restrict_timeline",
    "growth_folder",
    "save_growth",
    "load_growth",
]
