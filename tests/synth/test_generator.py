"""Tests of the synthetic city generator (`synth`, `tsunagari synth`).

One city-scale dataset and two ward-scale datasets are generated once per module; every test
reads those files back with plain pandas (independently of the generator's own arrays).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from ingest.schemas import WARDS
from synth import calibration as cal
from synth.generator import generate, plan_regions

FIRST, LAST = 2014, 2024
TABLES = ("organizations", "events", "participations", "collaborations", "memberships",
          "dispatches", "resources", "awards", "talents", "figures")


def _read(folder: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_csv(folder / f"{t}.csv", dtype=str, keep_default_na=False) for t in TABLES}


def _fy(dates: pd.Series) -> np.ndarray:
    d = pd.to_datetime(dates)
    return np.where(d.dt.month >= 4, d.dt.year, d.dt.year - 1)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def ward_dirs(tmp_path_factory):
    base = tmp_path_factory.mktemp("synth_ward")
    dirs = []
    for name in ("a", "b"):
        generate(base / name, scale="ward", seed=7, first_fy=FIRST, last_fy=LAST)
        dirs.append(base / name)
    return dirs


@pytest.fixture(scope="module")
def ward(ward_dirs):
    return _read(ward_dirs[0])


@pytest.fixture(scope="module")
def city_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth_city") / "city"
    counts = generate(out, scale="city", seed=3, first_fy=FIRST, last_fy=LAST, count_ties=True)
    (out / "_counts.json").write_text(json.dumps(counts))
    return out


@pytest.fixture(scope="module")
def city(city_dir):
    return _read(city_dir)


@pytest.fixture(scope="module", params=["ward", "city"])
def any_scale(request, ward, city):
    return {"ward": ward, "city": city}[request.param]


# --- determinism and marking ------------------------------------------------------------------

def test_same_seed_gives_byte_identical_files(ward_dirs, tmp_path):
    assert _digest(ward_dirs[0]) == _digest(ward_dirs[1])
    generate(tmp_path / "other", scale="ward", seed=8, first_fy=FIRST, last_fy=LAST)
    other = _digest(tmp_path / "other")
    assert other["organizations.csv"] != _digest(ward_dirs[0])["organizations.csv"]


def test_every_record_is_synthetic_with_s_ids(any_scale):
    source = any_scale["organizations"]["source"].iloc[0]
    assert source in ("synthetic:ward:seed=7", "synthetic:city:seed=3")
    id_columns = ("id", "org_id", "council_id", "event_id", "provider_id", "talent_id")
    for table, frame in any_scale.items():
        assert len(frame) > 0, table
        assert (frame["synthetic"] == "true").all(), table
        assert (frame["source"] == source).all(), table
        for col in id_columns:
            if col in frame:
                assert frame[col].str.startswith("S-").all(), (table, col)
    organizers = any_scale["events"]["organizer_id"]
    assert organizers[organizers != ""].str.startswith("S-").all()
    members = any_scale["collaborations"]["org_ids"].str.split(";").explode()
    assert members.str.startswith("S-").all()


def test_dataset_json_marks_the_folder_synthetic(ward_dirs):
    meta = json.loads((ward_dirs[0] / "dataset.json").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True
    assert (meta["scale"], meta["seed"], meta["city"]) == ("ward", 7, "大阪市")
    assert meta["rows"]["organizations"] == len(_read(ward_dirs[0])["organizations"])


def test_refuses_to_write_over_real_data(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "organizations.csv").write_text("id,name,kind\nR-O1,ReBORN,npo\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not marked synthetic"):
        generate(real, scale="ward", seed=0, first_fy=2019, last_fy=2019)
    assert (real / "organizations.csv").read_text(encoding="utf-8").startswith("id,name,kind\nR-O1")
    assert not (real / "events.csv").exists()


# --- calibration targets (city scale) ---------------------------------------------------------

def test_326_councils_with_23_7_members_each(city):
    orgs, mem = city["organizations"], city["memberships"]
    councils = orgs.loc[orgs["kind"] == "council", "id"]
    assert len(councils) == 326
    day = pd.Timestamp(cal.COUNCIL_FIGURE_DATE)
    since = pd.to_datetime(mem["since"])
    until = pd.to_datetime(mem["until"].replace("", None))
    active = (since <= day) & (until.isna() | (until > day))
    per_council = active.groupby(mem["council_id"]).sum().reindex(councils, fill_value=0)
    assert abs(per_council.mean() - 23.7) <= 1.0
    assert per_council.min() >= 5 and per_council.std() > 1  # spread, not all equal
    kinds = orgs.set_index("id").loc[mem["org_id"], "kind"]
    assert (kinds == "neighbourhood_association").mean() > 0.5


def test_all_24_wards_and_one_office_per_ward(city):
    orgs = city["organizations"]
    assert set(orgs["ward"]) == set(WARDS)
    public = orgs[orgs["kind"] == "public_agency"]
    offices = public[public["name"].str.endswith("区役所")]
    welfare = public[public["name"].str.endswith("社会福祉協議会")]
    assert sorted(offices["ward"]) == sorted(WARDS)
    assert sorted(welfare["ward"]) == sorted(WARDS)
    councils_per_ward = orgs[orgs["kind"] == "council"].groupby("ward").size()
    assert len(councils_per_ward) == 24


def test_about_143_new_thematic_groups_a_year(city):
    orgs = city["organizations"]
    them = orgs[orgs["orientation"] == "thematic"]
    assert set(them["kind"]) == {"npo", "citizen_group"}
    fy = _fy(them["founded"])
    per_year = pd.Series(fy).value_counts().reindex(range(FIRST, LAST + 1), fill_value=0)
    assert ((per_year - 143).abs() <= 0.2 * 143).all(), per_year.to_dict()


def test_npo_fields_childrearing_welfare_machizukuri_commonest(city):
    orgs = city["organizations"]
    fields = orgs.loc[orgs["orientation"] == "thematic", "fields"].str.split(";").explode().astype(int)
    assert fields.between(1, 20).all()
    top3 = set(fields.value_counts().index[:3])
    assert top3 == {1, 3, 13}


def test_dispatch_counts_per_fiscal_year_are_exact(city):
    orgs = city["organizations"].set_index("id")
    d = city["dispatches"]
    d = d.assign(fy=_fy(d["start_date"]), orientation=orgs.loc[d["org_id"], "orientation"].to_numpy())
    for fy in range(FIRST, LAST + 1):
        got = d[d["fy"] == fy]["orientation"].value_counts()
        want = cal.dispatch_targets(fy)
        assert got.get("territorial", 0) == want["territorial"], fy
        assert got.get("thematic", 0) == want["thematic"], fy
    # the report's FY2019 counts run to December: 17 / 4
    to_dec = d[(d["fy"] == 2019) & (pd.to_datetime(d["start_date"]) <= "2019-12-31")]
    assert to_dec["orientation"].value_counts().to_dict() == {"territorial": 17, "thematic": 4}
    assert pd.to_numeric(d["sessions"]).between(1, 5).all()
    talents = city["talents"].set_index("id")
    registered = pd.to_datetime(talents.loc[d["talent_id"], "registered_on"]).to_numpy()
    assert (registered <= pd.to_datetime(d["start_date"]).to_numpy()).all()


def test_131_talents_with_skills(any_scale):
    talents = any_scale["talents"]
    assert len(talents) == 131
    assert (pd.to_datetime(talents["registered_on"]) <= pd.Timestamp(cal.TALENT_FIGURE_DATE)).sum() == 131
    skills = set(talents["skills"].str.split(";").explode())
    assert {"facilitation", "design", "PR", "accounting", "IT", "fundraising"} <= skills


def test_resources_and_grants_follow_the_report(city):
    res = city["resources"]
    per_year = pd.Series(_fy(res["offered_on"])).value_counts()
    assert abs(per_year.mean() - 28) <= 28 * 0.25
    assert set(res["kind"]) == {"space", "lecturer", "skills"}
    aw = city["awards"]
    grants = aw[aw["program"] == cal.GRANT_PROGRAM]
    for fy in range(FIRST, 2020):
        n, total = cal.grant_targets(fy)
        rows = grants[grants["fiscal_year"] == str(fy)]
        assert len(rows) == n, fy
        amounts = pd.to_numeric(rows["amount_yen"])
        assert (amounts <= cal.GRANT_MAX_YEN).all() and amounts.sum() <= total
    cso = aw[aw["program"] == cal.AWARD_PROGRAM]
    assert len(cso) == LAST - cal.AWARD_FIRST_FY + 1


def test_forum_2019_02_17_had_204_participants(city):
    ev = city["events"]
    forum = ev[(ev["kind"] == "forum") & (ev["date"] == "2019-02-17")]
    assert forum["attendance"].astype(int).tolist() == [204]


def test_city_scale_size(city_dir):
    counts = json.loads((city_dir / "_counts.json").read_text())
    assert 8_000 <= counts["organizations"] <= 20_000
    assert 50_000 <= counts["org_ties"] <= 1_000_000


# --- consistency ------------------------------------------------------------------------------

def test_references_are_consistent(any_scale):
    orgs = set(any_scale["organizations"]["id"])
    events = any_scale["events"]
    assert any_scale["organizations"]["id"].is_unique and events["id"].is_unique
    parts = any_scale["participations"]
    assert parts["event_id"].isin(set(events["id"])).all()
    assert parts["org_id"].isin(orgs).all()
    assert not parts.duplicated(["event_id", "org_id"]).any()
    org_ids = any_scale["collaborations"]["org_ids"].str.split(";")
    assert org_ids.map(lambda ids: len(set(ids)) >= 2 and len(set(ids)) == len(ids)).all()
    assert org_ids.explode().isin(orgs).all()
    mem = any_scale["memberships"]
    council_ids = set(any_scale["organizations"].query("kind == 'council'")["id"])
    assert mem["org_id"].isin(orgs).all() and mem["council_id"].isin(council_ids).all()
    assert not mem.duplicated(["org_id", "council_id"]).any()
    for table, col in (("dispatches", "org_id"), ("resources", "provider_id"), ("awards", "org_id")):
        assert any_scale[table][col].isin(orgs).all(), table
    assert any_scale["dispatches"]["talent_id"].isin(set(any_scale["talents"]["id"])).all()
    organizers = events["organizer_id"]
    assert organizers[organizers != ""].isin(orgs).all()


def test_dates_inside_the_fiscal_years_and_ordered(any_scale):
    lo, hi = pd.Timestamp(f"{FIRST}-04-01"), pd.Timestamp(f"{LAST + 1}-03-31")

    def inside(series):
        d = pd.to_datetime(series.replace("", None)).dropna()
        return bool(((d >= lo) & (d <= hi)).all())

    assert inside(any_scale["events"]["date"])
    for col in ("start_date", "end_date"):
        assert inside(any_scale["collaborations"][col])
        assert inside(any_scale["dispatches"][col])
    assert inside(any_scale["resources"]["offered_on"])
    assert inside(any_scale["memberships"]["until"])
    assert pd.to_numeric(any_scale["awards"]["fiscal_year"]).between(FIRST, LAST).all()
    for table, a, b in (("collaborations", "start_date", "end_date"),
                        ("dispatches", "start_date", "end_date"),
                        ("memberships", "since", "until")):
        frame = any_scale[table]
        start, end = pd.to_datetime(frame[a].replace("", None)), pd.to_datetime(frame[b].replace("", None))
        both = start.notna() & end.notna()
        assert (end[both] >= start[both]).all(), table
    # nobody takes part in an event before it was founded
    orgs = any_scale["organizations"].set_index("id")
    parts = any_scale["participations"].merge(any_scale["events"][["id", "date"]],
                                              left_on="event_id", right_on="id")
    founded = pd.to_datetime(orgs.loc[parts["org_id"], "founded"]).to_numpy()
    assert (founded <= pd.to_datetime(parts["date"]).to_numpy()).all()


def test_attendance_covers_participants_and_is_heavy_tailed(any_scale):
    ev = any_scale["events"].set_index("id")
    n_orgs = any_scale["participations"].groupby("event_id").size()
    attendance = ev["attendance"].astype(int)
    assert (attendance.loc[n_orgs.index] >= n_orgs).all()
    assert attendance.max() > 4 * attendance.median()
    assert {"meetup", "festival", "cleanup", "local_festival", "forum"} <= set(ev["kind"])
    # recurring meetups: six a year in a ward that has a series (にしよどリンク, 1(1)ア④)
    meetups = ev[(ev["kind"] == "meetup") & (ev["ward"] == "西淀川区")]
    assert pd.Series(_fy(meetups["date"])).value_counts().eq(6).all()


def test_some_isolated_groups_never_appear(any_scale):
    used = set(any_scale["participations"]["org_id"])
    used |= set(any_scale["memberships"]["org_id"]) | set(any_scale["memberships"]["council_id"])
    used |= set(any_scale["collaborations"]["org_ids"].str.split(";").explode())
    used |= set(any_scale["dispatches"]["org_id"]) | set(any_scale["resources"]["provider_id"])
    used |= set(any_scale["awards"]["org_id"])
    orgs = any_scale["organizations"]
    isolated = orgs[~orgs["id"].isin(used)]
    assert 0.01 * len(orgs) < len(isolated) < 0.3 * len(orgs)
    assert set(isolated["kind"]) <= {"npo", "citizen_group", "company"}
    assert (isolated["orientation"] == "thematic").mean() > 0.5


def test_growth_and_dormancy(city):
    parts = city["participations"].merge(city["events"][["id", "date"]], left_on="event_id", right_on="id")
    parts["fy"] = _fy(parts["date"])
    orgs_per_year = parts.groupby("fy")["org_id"].nunique()
    assert orgs_per_year.loc[LAST] > 1.1 * orgs_per_year.loc[FIRST]
    collab_fy = pd.Series(_fy(city["collaborations"]["start_date"])).value_counts().sort_index()
    assert collab_fy.loc[LAST] > 1.1 * collab_fy.loc[FIRST]
    # dormant groups: active early, never seen after FY2019
    them = set(city["organizations"].query("orientation == 'thematic'")["id"])
    early = set(parts.loc[parts["fy"] <= 2016, "org_id"]) & them
    late = set(parts.loc[parts["fy"] >= 2020, "org_id"])
    assert len(early - late) > 0.1 * len(early)


def test_collaborations_follow_earlier_co_attendance(city):
    orgs = city["organizations"]["id"]
    index = pd.Series(np.arange(len(orgs)), index=orgs)
    ev = city["events"][["id", "date"]].assign(fy=lambda f: _fy(f["date"]))
    parts = city["participations"].merge(ev, left_on="event_id", right_on="id")
    cut = 2020
    before = parts[parts["fy"] < cut]
    ev_index = pd.Series(np.arange(len(ev)), index=ev["id"])
    inc = sp.csr_matrix((np.ones(len(before)), (ev_index[before["event_id"]], index[before["org_id"]])),
                        shape=(len(ev), len(orgs)))
    co = (inc.T @ inc).tocsr()
    collab = city["collaborations"]
    later = collab[_fy(collab["start_date"]) >= cut]["org_ids"].str.split(";")
    pairs = np.array([(index[a], index[b]) for ids in later for a, b in itertools.combinations(ids, 2)])
    collab_rate = (np.asarray(co[pairs[:, 0], pairs[:, 1]]).ravel() > 0).mean()
    active = index[parts.loc[parts["fy"] >= cut, "org_id"].unique()].to_numpy()
    rng = np.random.default_rng(0)
    rand = rng.choice(active, size=(20_000, 2))
    rand = rand[rand[:, 0] != rand[:, 1]]
    chance = (np.asarray(co[rand[:, 0], rand[:, 1]]).ravel() > 0).mean()
    assert collab_rate > 0.3 and collab_rate > 10 * chance, (collab_rate, chance)
    # and they favour the same ward, shared fields and company–NPO pairs over chance
    meta = city["organizations"].set_index("id")
    first = later.map(lambda ids: meta.loc[ids[0], "ward"] == meta.loc[ids[1], "ward"])
    assert first.mean() > 0.5


# --- nation scale (two tiny municipalities), ingest, CLI -------------------------------------

@pytest.mark.slow
def test_nation_chunks_are_streamed_with_unique_ids(tmp_path):
    assert len(plan_regions("nation")) == 90
    counts = generate(tmp_path / "n", scale="nation", seed=1, first_fy=2019, last_fy=2019,
                      fraction=2 / 90)
    assert counts["regions"] == 2
    data = _read(tmp_path / "n")
    orgs = data["organizations"]
    assert orgs["id"].is_unique and data["events"]["id"].is_unique and data["talents"]["id"].is_unique
    assert len(data["talents"]) == 2 * 131
    assert orgs["ward"].str.startswith("合成市001").any() and orgs["ward"].str.startswith("合成市002").any()
    assert (orgs.groupby(orgs["ward"].str[:6])["id"].size() > 5000).all()
    meta = json.loads((tmp_path / "n" / "dataset.json").read_text(encoding="utf-8"))
    assert meta["city"] != "大阪市" and meta["scale"] == "nation"
    header = (tmp_path / "n" / "organizations.csv").read_text(encoding="utf-8").count("id,name,kind")
    assert header == 1


def test_ward_output_validates_through_load_dataset(ward_dirs):
    load = pytest.importorskip("ingest.load")
    ds = load.load_dataset(ward_dirs[0])
    orgs = ds.table("organizations")
    assert len(orgs) == len(_read(ward_dirs[0])["organizations"])
    assert orgs["synthetic"].all()
    assert len(ds.table("participations")) == len(_read(ward_dirs[0])["participations"])


def test_cli_synth(tmp_path, capsys):
    from cli.main import main

    assert main(["synth", "--scale", "ward", "--seed", "2", "--from", "H30", "--to", "FY2019",
                 "--out", str(tmp_path / "cli"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["organizations"] > 300 and (tmp_path / "cli" / "talents.csv").exists()
    assert main(["synth", "--scale", "ward", "--from", "someday", "--out", str(tmp_path / "x")]) == 2
    assert "not a fiscal year" in capsys.readouterr().err
