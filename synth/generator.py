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
import pandas as pd
import scipy.sparse as sp

from ingest.schemas import NPO_FIELDS, ORG_KINDS, TABLES, WARDS
from synth import calibration as cal
from synth.activity import org_classes, simulate
from synth.consultations import consultation_figures, simulate_consultations
from synth.population import (
    TERRITORIAL,
    THEMATIC,
    Population,
    Region,
    build_population,
    fy_end,
    fy_start,
)

__all__ = ["SCALES", "NATION_MUNICIPALITIES", "DEFAULT_FIRST_FY", "DEFAULT_LAST_FY",
           "generate", "plan_regions", "source_label"]

SCALES = ("ward", "city", "nation")
NATION_MUNICIPALITIES = 90      # × ~11k organisations each ≈ 10⁶
DEFAULT_FIRST_FY, DEFAULT_LAST_FY = 2014, 2024
_TABLES_WRITTEN = ("organizations", "events", "participations", "collaborations", "memberships",
                   "dispatches", "resources", "awards", "talents", "figures", "consultations")


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


def _dates(values) -> np.ndarray:
    text = np.datetime_as_string(np.asarray(values, dtype="datetime64[D]"), unit="D").astype(object)
    text[text == "NaT"] = ""
    return text


def _fields_text(masks: np.ndarray) -> np.ndarray:
    uniq, inv = np.unique(masks, return_inverse=True)
    text = np.array([";".join(str(f) for f in range(1, 21) if int(m) >> f & 1) for m in uniq], dtype=object)
    return text[inv]


def _ids(prefix: str, start: int, n: int, width: int) -> np.ndarray:
    return np.array([f"S-{prefix}{i:0{width}d}" for i in range(start + 1, start + n + 1)], dtype=object)


class _Sink:
    """Open CSV files, one per table; each chunk appends rows (header written once)."""

    def __init__(self, out_dir: Path):
        self.files = {}
        for table in _TABLES_WRITTEN:
            fh = open(out_dir / f"{table}.csv", "w", encoding="utf-8", newline="")
            fh.write(",".join(TABLES[table].names) + "\n")
            self.files[table] = fh
        self.rows = {t: 0 for t in _TABLES_WRITTEN}

    def write(self, table: str, columns: dict) -> None:
        frame = pd.DataFrame({c: columns[c] for c in TABLES[table].names})
        if len(frame):
            frame.to_csv(self.files[table], header=False, index=False, lineterminator="\n")
        self.rows[table] += len(frame)

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()


def _write_chunk(sink: _Sink, pop: Population, rec: dict, region: Region, *, offsets: dict,
                 source: str, first_fy: int, last_fy: int) -> None:
    """Turn one region's arrays into rows of every table."""
    n = pop.size
    org_ids = _ids("O", offsets["org"], n, 7)
    orient = np.array(["territorial", "thematic", ""], dtype=object)[
        np.where(pop.orientation == TERRITORIAL, 0, np.where(pop.orientation == THEMATIC, 1, 2))]
    ward_names = np.array([region.display(w) for w in WARDS], dtype=object)
    def common(k: int) -> dict:
        return {"source": np.full(k, source, dtype=object),
                "synthetic": np.full(k, "true", dtype=object)}
    sink.write("organizations", {
        "id": org_ids, "name": np.array(pop.name, dtype=object),
        "kind": np.array(ORG_KINDS, dtype=object)[pop.kind], "ward": ward_names[pop.ward],
        "orientation": orient, "fields": _fields_text(pop.fields), "founded": _dates(pop.founded),
        **common(n)})

    ev = rec["events"]
    n_ev = len(ev["kind"])
    ev_ids = _ids("E", offsets["event"], n_ev, 7)
    organizer = np.where(ev["organizer"] >= 0, org_ids[np.maximum(ev["organizer"], 0)] if n else "", "")
    sink.write("events", {
        "id": ev_ids, "name": ev["name"], "kind": ev["kind"], "ward": ev["ward"],
        "date": _dates(ev["date"]), "end_date": np.full(n_ev, "", dtype=object),
        "organizer_id": organizer, "attendance": ev["attendance"], **common(n_ev)})

    pa = rec["participations"]
    sink.write("participations", {"event_id": ev_ids[pa["event"]], "org_id": org_ids[pa["org"]],
                                  "role": pa["role"], **common(len(pa["org"]))})

    co = rec["collaborations"]
    n_co = len(co["org_a"])
    if n_co:
        members = [org_ids[co["org_a"]], org_ids[co["org_b"]]]
        third = co["org_c"] >= 0
        joined = members[0] + ";" + members[1]
        joined[third] = joined[third] + ";" + org_ids[co["org_c"][third]]
        kinds = np.array(["町会", "地域団体", "地活協", "テーマ型団体", "企業", "公的機関", "中間支援"], dtype=object)
        cls = org_classes(pop)
        desc = kinds[cls[co["org_a"]]] + "と" + kinds[cls[co["org_b"]]] + "の連携協働（合成）"
        titles = np.array([f"（合成）{NPO_FIELDS[int(f)]}の連携企画" for f in co["field"]], dtype=object)
    else:
        joined = desc = titles = np.empty(0, dtype=object)
    sink.write("collaborations", {
        "id": _ids("C", offsets["collab"], n_co, 7), "title": titles,
        "start_date": _dates(co["start"]) if n_co else joined, "end_date": _dates(co["end"]) if n_co else joined,
        "org_ids": joined, "description": desc, **common(n_co)})

    keep = pop.m_since <= fy_end(last_fy)   # memberships begun after the data end are left out
    sink.write("memberships", {
        "org_id": org_ids[pop.m_org[keep]], "council_id": org_ids[pop.m_council[keep]],
        "since": _dates(pop.m_since[keep]), "until": _dates(pop.m_until[keep]), **common(int(keep.sum()))})

    talent_ids = _ids("T", offsets["talent"], len(pop.talent_skills), 5)
    di = rec["dispatches"]
    n_di = len(di["org"])
    sink.write("dispatches", {
        "id": _ids("D", offsets["dispatch"], n_di, 6),
        "org_id": org_ids[di["org"].astype(np.int64)] if n_di else np.empty(0, object),
        "talent_id": talent_ids[di["talent"].astype(np.int64)] if n_di else np.empty(0, object),
        "start_date": _dates(di["start"]) if n_di else np.empty(0, object),
        "end_date": _dates(di["end"]) if n_di else np.empty(0, object),
        "sessions": di["sessions"], "purpose": di["purpose"], **common(n_di)})

    rs = rec["resources"]
    n_rs = len(rs["provider"])
    sink.write("resources", {
        "id": _ids("R", offsets["resource"], n_rs, 6),
        "provider_id": org_ids[rs["provider"].astype(np.int64)] if n_rs else np.empty(0, object),
        "kind": rs["kind"], "title": rs["title"],
        "offered_on": _dates(rs["offered"]) if n_rs else np.empty(0, object), **common(n_rs)})

    aw = rec["awards"]
    n_aw = len(aw["org"])
    amount = (np.where(aw["amount"] >= 0, aw["amount"].astype(np.int64).astype(str), "")
              .astype(object) if n_aw else np.empty(0, object))
    sink.write("awards", {
        "org_id": org_ids[aw["org"].astype(np.int64)] if n_aw else np.empty(0, object),
        "program": aw["program"], "fiscal_year": aw["fiscal_year"], "amount_yen": amount,
        **common(n_aw)})

    sink.write("talents", {
        "id": talent_ids,
        "skills": np.array([";".join(s) for s in pop.talent_skills], dtype=object),
        "registered_on": _dates(pop.talent_registered), **common(len(talent_ids))})

    figures = _figures(pop, rec, region, first_fy, last_fy)
    sink.write("figures", {**figures, **common(len(figures["metric"]))})

    cs = rec["consultations"]
    n_cs = len(cs["org"])
    sink.write("consultations", {
        "id": _ids("K", offsets["consultation"], n_cs, 6),
        "org_id": np.where(cs["org"] >= 0, org_ids[np.maximum(cs["org"], 0)], "") if n_cs and n
        else np.full(n_cs, "", dtype=object),
        "ward": ward_names[cs["ward"]] if n_cs else np.empty(0, object),
        "date": _dates(cs["date"]) if n_cs else np.empty(0, object),
        "topics": cs["topics"], "description": cs["description"], "status": cs["status"],
        **common(n_cs)})

    offsets["org"] += n
    offsets["event"] += n_ev
    offsets["collab"] += n_co
    offsets["dispatch"] += n_di
    offsets["resource"] += n_rs
    offsets["talent"] += len(talent_ids)
    offsets["consultation"] += n_cs


def _figures(pop: Population, rec: dict, region: Region, first_fy: int, last_fy: int) -> dict:
    """The generator's own realised figures, to set beside the report's (figures table)."""
    rows = []
    prefix = f"{region.label}:" if region.label else ""
    figure_day = np.datetime64(cal.COUNCIL_FIGURE_DATE, "D")
    active = (pop.m_since <= figure_day) & (np.isnat(pop.m_until) | (pop.m_until > figure_day))
    n_councils = len(pop.councils)
    rows.append(("councils", "2019-08-31", f"{prefix}all", float(n_councils), "councils"))
    if n_councils:
        rows.append(("members_per_council", "2019-08-31", f"{prefix}all",
                     round(float(active.sum()) / n_councils, 2), "members"))
    rows.append(("talents", "2019-08-31", f"{prefix}all",
                 float((pop.talent_registered <= np.datetime64(cal.TALENT_FIGURE_DATE, "D")).sum()), "people"))
    di = rec["dispatches"]
    them = pop.orientation == THEMATIC
    for fy in range(first_fy, last_fy + 1):
        lo, hi = fy_start(fy), fy_end(fy)
        if len(di["org"]):
            in_fy = (di["start"] >= lo) & (di["start"] <= hi)
            terr = pop.orientation[di["org"].astype(np.int64)] == TERRITORIAL
            rows.append(("dispatches", f"FY{fy}", f"{prefix}territorial", float((in_fy & terr).sum()), "dispatches"))
            rows.append(("dispatches", f"FY{fy}", f"{prefix}thematic", float((in_fy & ~terr).sum()), "dispatches"))
        new = them & (pop.founded >= lo) & (pop.founded <= hi)
        rows.append(("new_thematic_groups", f"FY{fy}", f"{prefix}all", float(new.sum()), "groups"))
    rows += consultation_figures(rec["consultations"], prefix, first_fy, last_fy)
    cols = list(zip(*rows))
    return {"metric": np.array(cols[0], dtype=object), "period": np.array(cols[1], dtype=object),
            "category": np.array(cols[2], dtype=object),
            "value": np.array([f"{v:g}" for v in cols[3]], dtype=object),
            "unit": np.array(cols[4], dtype=object)}


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
    sink = _Sink(out)
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
            _write_chunk(sink, pop, rec, region, offsets=offsets, source=source,
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
        "rows": {k: v for k, v in counts.items() if k in _TABLES_WRITTEN},
    }
    with open(out / "dataset.json", "w", encoding="utf-8", newline="\n") as fh:
        json.dump(meta, fh, ensure_ascii=False, indent=2, sort_keys=False)
        fh.write("\n")
    return counts
