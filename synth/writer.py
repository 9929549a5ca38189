"""Write one region's arrays as rows of the dataset's CSV tables (``ingest.schemas.TABLES``).

:class:`CsvSink` holds one open UTF-8 CSV per table (:data:`TABLES_WRITTEN`); each region
(chunk) is appended by :func:`write_chunk`, which turns region-local organisation numbers into
``S-`` ids and adds the generator's own realised figures (``figures`` table).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ingest.schemas import NPO_FIELDS, ORG_KINDS, TABLES, WARDS
from synth import calibration as cal
from synth.activity import org_classes
from synth.consultations import consultation_figures
from synth.population import TERRITORIAL, THEMATIC, Population, Region, fy_end, fy_start

__all__ = ["TABLES_WRITTEN", "CsvSink", "write_chunk"]

TABLES_WRITTEN = ("organizations", "events", "participations", "collaborations", "memberships",
                  "dispatches", "resources", "awards", "talents", "figures", "consultations")


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


class CsvSink:
    """Open CSV files, one per table; each chunk appends rows (header written once).

    >>> import tempfile
    >>> sink = CsvSink(Path(tempfile.mkdtemp()))
    >>> sink.close()
    >>> (sink.files["events"].closed, sink.rows["events"])
    (True, 0)
    """

    def __init__(self, out_dir: Path):
        self.files = {}
        for table in TABLES_WRITTEN:
            fh = open(out_dir / f"{table}.csv", "w", encoding="utf-8", newline="")
            fh.write(",".join(TABLES[table].names) + "\n")
            self.files[table] = fh
        self.rows = {t: 0 for t in TABLES_WRITTEN}

    def write(self, table: str, columns: dict) -> None:
        frame = pd.DataFrame({c: columns[c] for c in TABLES[table].names})
        if len(frame):
            frame.to_csv(self.files[table], header=False, index=False, lineterminator="\n")
        self.rows[table] += len(frame)

    def close(self) -> None:
        for fh in self.files.values():
            fh.close()


def write_chunk(sink: CsvSink, pop: Population, rec: dict, region: Region, *, offsets: dict,
                source: str, first_fy: int, last_fy: int) -> None:
    """Turn one region's arrays into rows of every table.

    ``offsets`` (rows already written per id series) is advanced past this region's rows.

    >>> import tempfile
    >>> from synth.activity import simulate
    >>> from synth.consultations import simulate_consultations
    >>> from synth.population import build_population
    >>> rng, region = np.random.default_rng(0), Region.ward()
    >>> pop = build_population(rng, region, first_fy=2019, last_fy=2019)
    >>> rec = simulate(rng, pop, region, first_fy=2019, last_fy=2019)
    >>> rec["consultations"] = simulate_consultations(rng, pop, region, first_fy=2019, last_fy=2019)
    >>> sink = CsvSink(Path(tempfile.mkdtemp()))
    >>> offsets = dict.fromkeys(("org", "event", "collab", "dispatch", "resource", "talent",
    ...                          "consultation"), 0)
    >>> write_chunk(sink, pop, rec, region, offsets=offsets, source="synthetic:ward:seed=0",
    ...             first_fy=2019, last_fy=2019)
    >>> sink.close()
    >>> sink.rows["organizations"] == pop.size == offsets["org"]
    True
    """
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
