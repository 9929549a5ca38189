"""`generate`: write a deterministic synthetic civic-partnership dataset to a folder.

The output is a dataset folder in the record format (``ingest.schemas.TABLES``): one UTF-8 CSV
per table plus ``dataset.json``. Every record has ``synthetic=true``, every id starts with
``S-`` and ``source`` is ``synthetic:<scale>:seed=<N>``, so synthetic rows can never pass for
real ones. The same arguments give byte-identical files.

Scales: ``ward`` (西淀川区 and a share of its neighbours' groups, ~10³ organisations),
``city`` (Osaka's 24 wards, ~10⁴ organisations, ~10⁵ ties), ``nation`` (~90 Osaka-shaped
synthetic municipalities, ~10⁶ organisations, ~10⁷ ties), the last written municipality by
municipality so memory stays bounded.

Examples
--------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "ward"
>>> counts = generate(out, scale="ward", seed=1, first_fy=2018, last_fy=2019)
>>> counts["organizations"] > 300, (out / "dataset.json").exists()
(True, True)
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from synth.activity import simulate
from synth.consultations import simulate_consultations
from synth.population import Population, Region, build_population
from synth.writer import TABLES_WRITTEN, CsvSink, write_chunk

__all__ = ["SCALES", "NATION_MUNICIPALITIES", "DEFAULT_FIRST_FY", "DEFAULT_LAST_FY",
           "generate", "plan_regions", "source_label"]

SCALES = ("ward", "city", "nation")
NATION_MUNICIPALITIES = 90      # × ~11k organisations each ≈ 10⁶
DEFAULT_FIRST_FY, DEFAULT_LAST_FY = 2014, 2024


def source_label(scale: str, seed: int) -> str:
    """The ``source`` value of every synthetic record.

    >>> source_label("city", 7)
    'synthetic:city:seed=7'
    """
    return f"synthetic:{scale}:seed={seed}"


def plan_regions(scale: str, *, fraction: float = 1.0) -> list[Region]:
    """The regions (chunks) generated for ``scale``, in order.

    ``fraction`` (0 < f ≤ 1) keeps only the first ``ceil(f × 90)`` municipalities of the
    ``nation`` scale (benchmarks); it has no effect on the other scales.

    >>> [len(plan_regions(s)) for s in ("ward", "city")], len(plan_regions("nation"))
    ([1, 1], 90)
    >>> len(plan_regions("nation", fraction=0.1))
    9
    """
    if scale == "ward":
        return [Region.ward("西淀川区")]
    if scale == "city":
        return [Region.osaka()]
    if scale == "nation":
        if not 0 < fraction <= 1:
            raise ValueError(f"fraction must be in (0, 1], got {fraction}")
        return [Region.municipality(m) for m in range(math.ceil(NATION_MUNICIPALITIES * fraction))]
    raise ValueError(f"unknown scale {scale!r}; scales are {', '.join(SCALES)}")




def _chunk_ties(pop: Population, rec: dict) -> int:
    """Distinct org–org pairs tied by co-membership, co-participation, collaboration or a
    shared talent (the parts of the tie graph in docs/CONTRACTS.md) in one region."""
    n = pop.size
    pa = rec["participations"]
    n_ev = len(rec["events"]["kind"])

    def gram(rows, cols, n_rows):
        inc = sp.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(n_rows, n))
        return (inc.T @ inc).tocsr()

    total = gram(pa["event"], pa["org"], max(n_ev, 1))
    total = total + gram(pop.m_council, pop.m_org, n)
    di = rec["dispatches"]
    if len(di["org"]):
        total = total + gram(di["talent"].astype(np.int64), di["org"].astype(np.int64), len(pop.talent_skills))
    co = rec["collaborations"]
    if len(co["org_a"]):
        k = len(co["org_a"])
        rows = np.concatenate([np.arange(k), np.arange(k), np.flatnonzero(co["org_c"] >= 0)])
        cols = np.concatenate([co["org_a"], co["org_b"], co["org_c"][co["org_c"] >= 0]])
        total = total + gram(rows, cols, k)
    return int(sp.triu(total, k=1).nnz)


def _check_out_dir(out: Path) -> None:
    """Refuse to write over a folder that holds anything but a synthetic dataset."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ValueError(f"{out} exists and is not a folder")
    meta = out / "dataset.json"
    synthetic = False
    if meta.exists():
        try:
            synthetic = bool(json.loads(meta.read_text(encoding="utf-8")).get("synthetic"))
        except (ValueError, AttributeError):
            synthetic = False
    data = [p.name for p in out.iterdir() if p.suffix.lower() in (".csv", ".xlsx", ".json")]
    if data and not synthetic:
        raise ValueError(f"{out} already holds data that is not marked synthetic "
                         f"({', '.join(sorted(data)[:3])}); choose an empty folder")


def generate(out_dir, *, scale: str = "city", seed: int = 0, first_fy: int = DEFAULT_FIRST_FY,
             last_fy: int = DEFAULT_LAST_FY, progress: bool = False, fraction: float = 1.0,
             count_ties: bool = False) -> dict:
    """Generate a synthetic dataset folder and return the number of rows per table.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write (created; existing table files are overwritten).
    scale : {"ward", "city", "nation"}
    seed : int
        Same seed, scale and years → byte-identical files.
    first_fy, last_fy : int
        Fiscal years covered (2019 = 令和元年度), inclusive.
    progress : bool
        Show a tqdm progress bar (only when stderr is a terminal).
    fraction : float
        Nation scale only: generate this fraction of the municipalities (benchmarks).
    count_ties : bool
        Also count the distinct org–org ties (co-membership, co-participation,
        collaboration, shared talent), region by region; adds ``org_ties`` to the result.

    Returns
    -------
    dict
        Table name → rows written, plus ``regions`` (chunks generated) and, when asked,
        ``org_ties``.

    Raises
    ------
    ValueError
        Unknown scale, a negative seed, ``first_fy > last_fy``, or ``out_dir`` holds data
        not marked synthetic (the generator never writes over real records).

    Examples
    --------
    >>> import tempfile
    >>> generate(tempfile.mkdtemp(), scale="ward", seed=0, first_fy=2019, last_fy=2018)
    Traceback (most recent call last):
    ...
    ValueError: first_fy (2019) must not be after last_fy (2018)
    """
    if first_fy > last_fy:
        raise ValueError(f"first_fy ({first_fy}) must not be after last_fy ({last_fy})")
    if seed < 0:
        raise ValueError(f"seed must be 0 or more, got {seed}")
    regions = plan_regions(scale, fraction=fraction)
    out = Path(out_dir)
    _check_out_dir(out)
    out.mkdir(parents=True, exist_ok=True)
    source = source_label(scale, seed)
    bar = None
    if progress and sys.stderr.isatty():
        from tqdm import tqdm
        bar = tqdm(total=len(regions) * (last_fy - first_fy + 1), unit="year", desc=f"synth {scale}")
    sink = CsvSink(out)
    ties = 0
    offsets = {"org": 0, "event": 0, "collab": 0, "dispatch": 0, "resource": 0, "talent": 0,
               "consultation": 0}
    try:
        for number, region in enumerate(regions):
            rng = np.random.default_rng([seed, number])
            pop = build_population(rng, region, first_fy=first_fy, last_fy=last_fy, seed=seed,
                                   serial0=offsets["org"])
            rec = simulate(rng, pop, region, first_fy=first_fy, last_fy=last_fy,
                           on_year=(lambda fy: bar.update(1)) if bar else None)
            # consultations draw from a stream of their own: the other tables are unchanged
            rec["consultations"] = simulate_consultations(
                np.random.default_rng([seed, number, 13]), pop, region, first_fy=first_fy,
                last_fy=last_fy)
            if count_ties:
                ties += _chunk_ties(pop, rec)
            write_chunk(sink, pop, rec, region, offsets=offsets, source=source,
                        first_fy=first_fy, last_fy=last_fy)
            del pop, rec
    finally:
        sink.close()
        if bar is not None:
            bar.close()
    counts = dict(sink.rows)
    counts["regions"] = len(regions)
    if count_ties:
        counts["org_ties"] = ties
    meta = {
        "name": f"synthetic-{scale}-seed{seed}",
        "synthetic": True,
        "scale": scale,
        "seed": seed,
        "city": "大阪市" if scale != "nation" else "全国（合成）",
        "first_fy": first_fy,
        "last_fy": last_fy,
        "fraction": fraction if scale == "nation" else 1.0,
        "source": source,
        "generator": "tsunagari synth",
        "rows": {k: v for k, v in counts.items() if k in TABLES_WRITTEN},
    }
    with open(out / "dataset.json", "w", encoding="utf-8", newline="\n") as fh:
        json.dump(meta, fh, ensure_ascii=False, indent=2, sort_keys=False)
        fh.write("\n")
    return counts
