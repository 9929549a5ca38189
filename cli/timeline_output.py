"""`tsunagari timeline`'s files: the CSV tables, ``growth.json`` and one PNG chart per series.

:func:`write_timeline` writes what ``cli.timeline_cmd.run`` returns into a folder (the list
of files is in ``cli.timeline_cmd``); :func:`write_charts` draws the charts with matplotlib's
Agg backend, English labels.

>>> import tempfile
>>> from cli.timeline_cmd import run
>>> from graph.build import example_dataset
>>> files = write_timeline(run(example_dataset()), Path(tempfile.mkdtemp()), charts=False)
>>> "growth.json" in [f.name for f in files]
True
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from graph.io import write_csv_table

__all__ = ["write_timeline", "write_charts"]


def write_timeline(result: dict, out: Path, *, charts: bool = True) -> list[Path]:
    """Write the tables of :func:`run` (and charts) into folder ``out``; return the files.

    Examples
    --------
    >>> import tempfile
    >>> from graph.build import example_dataset
    >>> from cli.timeline_cmd import run
    >>> files = write_timeline(run(example_dataset()), Path(tempfile.mkdtemp()), charts=False)
    >>> sorted(f.name for f in files)[:3]
    ['alluvial.csv', 'community_events.csv', 'degree_distribution.csv']
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    a = result["analysis"]
    tables = {
        "snapshots.csv": a.snapshots,
        "community_events.csv": a.community_events,
        "alluvial.csv": a.alluvial,
        "trajectories.csv": a.trajectories,
        "degree_distribution.csv": a.degree_distribution,
        "rising_connectors.csv": result["rising"],
        "newly_isolated.csv": result["isolated"],
        "report_series.csv": result["series"],
        "series_conflicts.csv": result["conflicts"],
        "series_incomplete.csv": result["incomplete"],
    }
    written = []
    for name, frame in tables.items():
        write_csv_table(frame, out / name)
        written.append(out / name)
    path = out / "growth.json"
    path.write_text(json.dumps(result["growth"], ensure_ascii=False, indent=2, default=str),
                    encoding="utf-8")
    written.append(path)
    if charts:
        written.extend(write_charts(result, out))
    return written


def _line_chart(frame: pd.DataFrame, columns: dict, title: str, ylabel: str, path: Path,
                *, logy: bool = False) -> Path:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    x = np.arange(len(frame))
    for col, label in columns.items():
        if col in frame:
            ax.plot(x, frame[col].astype(float), marker="o", label=label)
    ax.set_xticks(x)
    ax.set_xticklabels(frame["period"], rotation=45, ha="right")
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _cjk_font() -> str | None:
    """The name of an installed font with Japanese glyphs (Noto Sans CJK JP, IPA…), or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for wanted in ("Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic",
                   "TakaoGothic", "VL Gothic", "Noto Serif CJK JP"):
        if wanted in names:
            return wanted
    return None


def write_charts(result: dict, out: Path) -> list[Path]:
    """One PNG per series (matplotlib Agg backend, English labels); return the files.

    The report-series charts name each source in their legend when a Japanese font is
    installed, else number the sources (``report_series.csv`` names them).

    Examples
    --------
    >>> import tempfile
    >>> from graph.build import example_dataset
    >>> from cli.timeline_cmd import run
    >>> files = write_charts(run(example_dataset()), Path(tempfile.mkdtemp()))
    >>> "densification.png" in [f.name for f in files]
    True
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    a = result["analysis"]
    s = a.snapshots
    files = []
    if len(s):
        files.append(_line_chart(s, {"organisations": "organisations", "ties": "ties"},
                                 "Network size per period", "count", out / "size.png",
                                 logy=True))
        files.append(_line_chart(s, {"density": "density",
                                     "largest_component_share": "largest component share",
                                     "isolated_share": "isolated share",
                                     "modularity": "modularity",
                                     "average_clustering": "average clustering"},
                                 "Cohesion per period", "value", out / "cohesion.png"))
        files.append(_line_chart(s, {"cross_sector_share": "cross-sector ties",
                                     "territorial_thematic_share":
                                         "territorial-thematic ties"},
                                 "Bridging ties (share of all ties)", "share",
                                 out / "bridging.png"))
        files.append(_line_chart(s, {"new_ties": "new ties", "ended_ties": "ended ties",
                                     "new_organisations": "new organisations",
                                     "dormant_organisations": "dormant organisations"},
                                 "Flows per period", "count", out / "flows.png"))
        files.append(_line_chart(s, {"churn": "churn (1 - Jaccard of tie sets)"},
                                 "Tie churn between consecutive snapshots", "churn",
                                 out / "churn.png"))
        # densification
        d = a.densification
        fig, ax = plt.subplots(figsize=(6, 4.5))
        keep = (s["organisations"] >= 2) & (s["ties"] > 0)
        ax.loglog(s.loc[keep, "organisations"], s.loc[keep, "ties"], "o", label="snapshots")
        if d.points >= 2 and not math.isnan(d.exponent):
            xs = np.geomspace(s.loc[keep, "organisations"].min(),
                              s.loc[keep, "organisations"].max(), 50)
            ax.loglog(xs, np.exp(d.intercept) * xs ** d.exponent, "-",
                      label=f"fit a = {d.exponent:.2f} [{d.low:.2f}, {d.high:.2f}]")
        ax.set_xlabel("organisations")
        ax.set_ylabel("ties")
        ax.set_title("Densification: ties ~ organisations^a")
        ax.legend()
        fig.tight_layout()
        fig.savefig(out / "densification.png", dpi=110)
        plt.close(fig)
        files.append(out / "densification.png")
        # attachment kernel
        k = a.attachment
        t = k.table[(k.table["degree"] >= 1) & (k.table["kernel"] > 0)]
        fig, ax = plt.subplots(figsize=(6, 4.5))
        if len(t):
            ax.loglog(t["degree"], t["kernel"], ".", alpha=0.6, label="A(k)")
        title = "Attachment kernel A(k)"
        if not math.isnan(k.alpha):
            title += f": alpha = {k.alpha:.2f} [{k.low:.2f}, {k.high:.2f}]"
        ax.set_xlabel("degree k at the previous snapshot")
        ax.set_ylabel("new tie ends per organisation")
        ax.set_title(title)
        if len(t):
            ax.legend()
        fig.tight_layout()
        fig.savefig(out / "attachment.png", dpi=110)
        plt.close(fig)
        files.append(out / "attachment.png")
        # degree distribution
        fig, ax = plt.subplots(figsize=(6, 4.5))
        dd = a.degree_distribution
        for label, grp in dd[dd["degree"] > 0].groupby("period", sort=False):
            ax.loglog(grp["degree"], grp["organisations"], ".-", label=label, alpha=0.7)
        ax.set_xlabel("degree")
        ax.set_ylabel("organisations")
        ax.set_title("Degree distribution per period")
        if len(dd):
            ax.legend(fontsize="small", ncol=2)
        fig.tight_layout()
        fig.savefig(out / "degree_distribution.png", dpi=110)
        plt.close(fig)
        files.append(out / "degree_distribution.png")
        # community sizes (the alluvial chart's blocks, largest dynamic communities)
        traj = a.trajectories
        fig, ax = plt.subplots(figsize=(8, 4.5))
        if len(traj) and traj["community"].notna().any():
            sizes = traj.dropna(subset=["community"]).groupby(
                ["period", "community"], sort=False).size().unstack(fill_value=0)
            sizes = sizes.reindex(s["period"]).fillna(0)
            top = sizes.sum().sort_values(ascending=False).index[:12]
            other = sizes.drop(columns=top).sum(axis=1)
            x = np.arange(len(sizes))
            ax.stackplot(x, *[sizes[c] for c in top], other,
                         labels=[f"community {c}" for c in top] + ["others"], alpha=0.85)
            ax.set_xticks(x)
            ax.set_xticklabels(sizes.index, rotation=45, ha="right")
            ax.legend(fontsize="x-small", ncol=2, loc="upper left")
        ax.set_ylabel("organisations")
        ax.set_title("Dynamic communities (stable ids) per period")
        fig.tight_layout()
        fig.savefig(out / "communities.png", dpi=110)
        plt.close(fig)
        files.append(out / "communities.png")
    series = result["series"]
    cjk = _cjk_font()
    for metric, grp in series.groupby("metric", sort=True):
        if metric not in ("dispatches", "grant_projects"):
            continue
        fig, ax = plt.subplots(figsize=(10, 5))
        periods = sorted(grp["period"].unique())
        x = np.arange(len(periods))
        keys = list(grp.groupby(["source", "category"], sort=True).groups)
        width = 0.8 / max(len(keys), 1)
        for i, (src, cat) in enumerate(keys):
            vals = grp[(grp["source"] == src) & (grp["category"] == cat)].set_index(
                "period")["value"].reindex(periods)
            short = src.split(";")[0][:48]
            label = f"{cat} ({short})" if cjk else f"{cat} (source {i + 1})"
            ax.bar(x + i * width - 0.4 + width / 2, vals.fillna(0), width, label=label)
        ax.set_xticks(x)
        ax.set_xticklabels(periods, rotation=45, ha="right")
        ax.set_title(f"{metric} per fiscal year, by source (sources may disagree)")
        ax.legend(fontsize="x-small", prop={"family": [cjk, "DejaVu Sans"], "size": 7}
                  if cjk else None)
        fig.tight_layout()
        name = f"report_{metric}.png"
        fig.savefig(out / name, dpi=110)
        plt.close(fig)
        files.append(out / name)
    return files

