"""Organisation codes and the blocks of thematic groups and companies a region starts with.

:class:`OrgBuilder` accumulates organisations block by block as parallel arrays;
:func:`add_thematic_groups` and :func:`add_companies` add one ward's block of each, with
synthetic names, NPO fields, founding dates, dormancy and sociability.
"""

from __future__ import annotations

import numpy as np

from ingest.schemas import ORG_KINDS
from synth import calibration as cal
from synth.population.sampling import sample_fields

__all__ = [
    "KIND",
    "TERRITORIAL",
    "THEMATIC",
    "NO_ORIENTATION",
    "NEVER_DORMANT",
    "OrgBuilder",
    "field_mask",
    "add_thematic_groups",
    "add_companies",
    "fiscal_year_of",
]

KIND: dict[str, int] = {k: i for i, k in enumerate(ORG_KINDS)}
TERRITORIAL, THEMATIC, NO_ORIENTATION = 0, 1, -1

# ASSUMED (the seed gives none): how thematic groups and companies behave.
NPO_SHARE = 0.4            # thematic groups that are NPO法人 (kind npo); the rest citizen_group
ISOLATE_SHARE = 0.08       # thematic groups that never take part in anything
THEMATIC_DORMANCY = 0.05   # yearly chance a thematic group goes dormant
COMPANY_DORMANCY = 0.03
_STEMS = {
    1: "ふくしサポート", 2: "まなびの輪", 3: "まちづくり", 4: "ツーリズム", 5: "里山つなぎ",
    6: "アート・スポーツ", 7: "みどりとエコ", 8: "防災ボランティア", 9: "見守り隊", 10: "人権と平和",
    11: "国際交流", 12: "男女共同参画", 13: "こども未来", 14: "ITサポート", 15: "サイエンス",
    16: "地域経済", 17: "しごと応援", 18: "くらしの消費", 19: "市民活動サポート", 20: "地域活動",
}
_SUFFIXES = ("ネット", "の会", "プロジェクト", "クラブ", "ラボ", "センター")
_COMPANY_STEMS = ("なにわ商事", "よどがわ工業", "みなと物産", "うめだ製作所", "すみのえ運輸",
                  "つるみ食品", "あべの建設", "ひらの印刷", "このはな電機", "せいなん信用")


class OrgBuilder:
    """Accumulates organisations block by block.

    >>> b = OrgBuilder()
    >>> b.add(kind=KIND["school"], ward=0, orientation=TERRITORIAL, fields=field_mask(2),
    ...       founded=np.datetime64("2000-04-01"), dormant_fy=NEVER_DORMANT, soc=1.0,
    ...       names=["a", "b"]).tolist(), b.column("name")
    ([0, 1], ['a', 'b'])
    """

    def __init__(self):
        self.blocks: list[dict] = []
        self.n = 0

    def add(self, *, kind, ward, orientation, fields, founded, dormant_fy, soc, names) -> np.ndarray:
        n = len(names)
        self.blocks.append(dict(
            kind=np.broadcast_to(np.asarray(kind, dtype=np.int8), (n,)),
            ward=np.broadcast_to(np.asarray(ward, dtype=np.int16), (n,)),
            orientation=np.broadcast_to(np.asarray(orientation, dtype=np.int8), (n,)),
            fields=np.broadcast_to(np.asarray(fields, dtype=np.uint32), (n,)),
            founded=np.broadcast_to(np.asarray(founded, dtype="datetime64[D]"), (n,)),
            dormant_fy=np.broadcast_to(np.asarray(dormant_fy, dtype=np.int32), (n,)),
            soc=np.broadcast_to(np.asarray(soc, dtype=float), (n,)),
            name=list(names),
        ))
        idx = np.arange(self.n, self.n + n)
        self.n += n
        return idx

    def column(self, key):
        if key == "name":
            return [x for b in self.blocks for x in b["name"]]
        return np.concatenate([b[key] for b in self.blocks]) if self.blocks else np.empty(0)


NEVER_DORMANT = 9999   # the ``dormant_fy`` of an organisation that never goes dormant


def field_mask(*fields: int) -> int:
    """The bit mask of NPO ``fields`` (bit ``f`` set = field ``f``).

    >>> field_mask(3, 9)
    520
    """
    return sum(1 << f for f in fields)


def add_thematic_groups(rng, b: OrgBuilder, ward_i: int, ward_name: str, n: int, founded, serial0: int):
    """Add ``n`` thematic groups (NPO法人 or citizen groups) of ward ``ward_i`` founded on ``founded``.

    >>> b = OrgBuilder()
    >>> idx = add_thematic_groups(np.random.default_rng(0), b, 0, "北区", 3,
    ...                           np.datetime64("2015-06-01"), 0)
    >>> idx.tolist(), bool((b.column("orientation") == THEMATIC).all())
    ([0, 1, 2], True)
    """
    fields = sample_fields(rng, n, cal.NPO_FIELD_WEIGHTS, mean_extra=1.2, max_fields=5)
    is_npo = rng.random(n) < NPO_SHARE
    soc = rng.lognormal(0.0, 1.3, n) * (rng.random(n) >= ISOLATE_SHARE)
    founded_fy = fiscal_year_of(founded)
    dormant = founded_fy + 1 + rng.geometric(THEMATIC_DORMANCY, n)
    primary = _primary_field(fields)
    suffix = rng.integers(0, len(_SUFFIXES), n)
    names = [f"（合成）{'NPO法人' if npo else ''}{ward_name[:-1]}{_STEMS[p]}{_SUFFIXES[s]}{serial0 + i:06d}"
             for i, (npo, p, s) in enumerate(zip(is_npo, primary, suffix))]
    kind = np.where(is_npo, KIND["npo"], KIND["citizen_group"])
    return b.add(kind=kind, ward=ward_i, orientation=THEMATIC, fields=fields, founded=founded,
                 dormant_fy=dormant, soc=soc, names=names)


def add_companies(rng, b: OrgBuilder, ward_i: int, ward_name: str, n: int, founded, serial0: int):
    """Add ``n`` companies of ward ``ward_i`` founded on ``founded``, with CSR fields.

    >>> b = OrgBuilder()
    >>> idx = add_companies(np.random.default_rng(0), b, 0, "北区", 2, np.datetime64("2015-06-01"), 0)
    >>> [name.startswith("（合成）株式会社") for name in b.column("name")]
    [True, True]
    """
    csr = {16: 3.0, 7: 2.0, 13: 2.0, 6: 1.5, 1: 1.5, 14: 1.0, 17: 1.0, 3: 1.0}
    fields = sample_fields(rng, n, csr, mean_extra=0.8, max_fields=3)
    soc = rng.lognormal(-0.2, 1.0, n)
    dormant = fiscal_year_of(founded) + 1 + rng.geometric(COMPANY_DORMANCY, n)
    stem = rng.integers(0, len(_COMPANY_STEMS), n)
    names = [f"（合成）株式会社{_COMPANY_STEMS[s]}{serial0 + i:06d}" for i, s in enumerate(stem)]
    return b.add(kind=KIND["company"], ward=ward_i, orientation=NO_ORIENTATION, fields=fields,
                 founded=founded, dormant_fy=dormant, soc=soc, names=names)


def fiscal_year_of(dates: np.ndarray) -> np.ndarray:
    """The fiscal year (1 April – 31 March) of each date, as ``int32``.

    >>> fiscal_year_of(np.array(["2020-03-31", "2020-04-01"], dtype="datetime64[D]")).tolist()
    [2019, 2020]
    """
    d = np.asarray(dates, dtype="datetime64[D]")
    years = d.astype("datetime64[Y]").astype(np.int64) + 1970
    months = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    return np.where(months >= 4, years, years - 1).astype(np.int32)


def _primary_field(masks: np.ndarray) -> np.ndarray:
    """Lowest field number set in each mask (1 when empty)."""
    m = masks.astype(np.int64)
    low = m & -m
    out = np.log2(np.maximum(low, 1)).astype(np.int64)
    return np.where(out == 0, 1, out)
